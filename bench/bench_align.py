"""Sentence aligner against hand-made gold alignments (bench/gold/*.tsv), issues #4 and 12.

Two sets of pairs: the real pairs of the bundled corpus (corpus/), and hand-written pairs (bench/gold/own/: short
statements, a briefing with questions, a notice, an address, composed for this benchmark in the way the real ones differ:
headers and datelines only one version carries, numbered paragraphs whose markers the English sentencizer splits
off, speaker labels, one sentence rendered as two, a sentence only one version has, excerpts that stop
mid-sentence). Reports precision and recall of sentence links (a link a–b counts each (ja, en) sentence pair it
joins) per set and overall, the share of claims and citations matched, and aligner speed (sentences per second,
embeddings included), next to a baseline in the same run: a position-only aligner (i-th Japanese ↔ i-th English
sentence). Results: bench/results/alignment.json.
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from pipeline.crosslang.align import read_gold  # noqa: E402
from pipeline.crosslang.embed import get_embedder  # noqa: E402
from pipeline.extract.document import process_document  # noqa: E402
from pipeline.crosslang.pairs import align_pair, find_pairs  # noqa: E402

SETS = {"real": ROOT / "corpus", "hand_written": HERE / "gold" / "own"}


def prf(got: set, gold: set) -> dict:
    tp = len(got & gold)
    p = tp / len(got) if got else 0.0
    r = tp / len(gold) if gold else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0}


class Tally:
    """Links found, gold links and baseline links of a set of pairs, with timing and match counts."""

    def __init__(self):
        self.got, self.gold, self.base = set(), set(), set()
        self.sentences, self.seconds, self.matched, self.total = 0, 0.0, 0, 0

    def add(self, other: "Tally") -> None:
        self.got |= other.got
        self.gold |= other.gold
        self.base |= other.base
        self.sentences += other.sentences
        self.seconds += other.seconds
        self.matched += other.matched
        self.total += other.total

    def summary(self) -> dict:
        return {"aligner": prf(self.got, self.gold), "position_baseline": prf(self.base, self.gold),
                "items_matched": f"{self.matched}/{self.total}",
                "sentences_per_s": round(self.sentences / self.seconds) if self.seconds else None}


def run_set(folder: Path, embedder, pairs_out: dict) -> Tally:
    """Align every pair of ``folder`` that has a gold file; per-pair figures go into ``pairs_out``."""
    results = [process_document(p, folder) for p in sorted(folder.glob("*.txt"))]
    tally = Tally()
    for ja, en in find_pairs(results):
        stem = ja.document.doc_id[:-3]
        gold_path = HERE / "gold" / f"{stem}.tsv"
        if not gold_path.exists():
            continue
        t = time.perf_counter()
        rows, matches = align_pair(ja, en, embedder)
        tally.seconds += time.perf_counter() - t
        tally.sentences += len(ja.sentences) + len(en.sentences)
        got = {(stem, int(a), int(b)) for r in rows if r.ja_sent_ids and r.en_sent_ids
               for a in r.ja_sent_ids.split(";") for b in r.en_sent_ids.split(";")}
        gold = {(stem, a, b) for a, b in read_gold(gold_path)}
        base = {(stem, i, i) for i in range(min(len(ja.sentences), len(en.sentences)))}
        tally.got |= got
        tally.gold |= gold
        tally.base |= base
        tally.matched += sum(m.status == "match" for m in matches)
        tally.total += len(matches)
        pairs_out[stem] = {"aligner": prf(got, gold), "position_baseline": prf(base, gold),
                           "links": [r.link_type for r in rows], "matches": [m.to_dict() for m in matches]}
    return tally


def main() -> None:
    embedder = get_embedder()
    embedder.encode(["warm up"])
    out: dict = {"embedder": embedder.name, "pairs": {}}
    overall = Tally()
    for name, folder in SETS.items():
        tally = run_set(folder, embedder, out["pairs"])
        out[name] = tally.summary()
        overall.add(tally)
    out["overall"] = overall.summary()
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / "alignment.json").write_text(json.dumps(out, ensure_ascii=False, indent=2) + "\n",
                                                     encoding="utf-8")
    print(json.dumps({name: out[name] for name in [*SETS, "overall"]}, indent=2))


if __name__ == "__main__":
    main()
