"""Sentence aligner against the hand-made gold alignments of the real pairs (bench/gold/*.tsv), issue #4.

Reports precision and recall of sentence links (a link a–b counts each (ja, en) sentence pair it joins),
the share of claims and citations matched, and aligner speed (sentences per second, embeddings included),
next to a baseline in the same run: a position-only aligner (i-th Japanese ↔ i-th English sentence).
Results: bench/results/alignment.json.
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


def prf(got: set, gold: set) -> dict:
    tp = len(got & gold)
    p = tp / len(got) if got else 0.0
    r = tp / len(gold) if gold else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0}


def main() -> None:
    results = [process_document(p, ROOT / "corpus") for p in sorted((ROOT / "corpus").glob("*.txt"))]
    embedder = get_embedder()
    embedder.encode(["warm up"])
    out: dict = {"embedder": embedder.name, "pairs": {}}
    all_got, all_gold, all_base = set(), set(), set()
    sentences, seconds, matched, total = 0, 0.0, 0, 0
    for ja, en in find_pairs(results):
        stem = ja.document.doc_id[:-3]
        gold_path = HERE / "gold" / f"{stem}.tsv"
        if not gold_path.exists():
            continue
        t = time.perf_counter()
        rows, matches = align_pair(ja, en, embedder)
        seconds += time.perf_counter() - t
        sentences += len(ja.sentences) + len(en.sentences)
        got = {(stem, int(a), int(b)) for r in rows if r.ja_sent_ids and r.en_sent_ids
               for a in r.ja_sent_ids.split(";") for b in r.en_sent_ids.split(";")}
        gold = {(stem, a, b) for a, b in read_gold(gold_path)}
        base = {(stem, i, i) for i in range(min(len(ja.sentences), len(en.sentences)))}
        all_got |= got
        all_gold |= gold
        all_base |= base
        matched += sum(m.status == "match" for m in matches)
        total += len(matches)
        out["pairs"][stem] = {"aligner": prf(got, gold), "position_baseline": prf(base, gold),
                              "links": [r.link_type for r in rows], "matches": [m.to_dict() for m in matches]}
    out["overall"] = {"aligner": prf(all_got, all_gold), "position_baseline": prf(all_base, all_gold),
                      "items_matched": f"{matched}/{total}",
                      "sentences_per_s": round(sentences / seconds) if seconds else None}
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / "alignment.json").write_text(json.dumps(out, ensure_ascii=False, indent=2) + "\n",
                                                     encoding="utf-8")
    print(json.dumps(out["overall"], indent=2))


if __name__ == "__main__":
    main()
