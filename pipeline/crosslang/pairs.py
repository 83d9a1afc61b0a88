"""Translation pairs: pairing JA/EN documents, aligning their sentences, matching claims and citations.

A Japanese and an English document form a pair when they share a stem (``X.ja.txt`` / ``X.en.txt``) or when
one's metadata names the other in ``translation_of``. Within aligned sentences, claims are matched by value,
unit, qualifier (以上 ≈ "more than"/"at least" is compatible) and time; citations by instrument and
article/number.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from pipeline.crosslang.align import Link, align
from pipeline.crosslang.embed import Embedder
from pipeline.extract.document import DocumentResult
from pipeline.core import qualifiers


@dataclass
class AlignmentRow:
    pair_id: str
    ja_doc_id: str
    en_doc_id: str
    ja_sent_ids: str
    en_sent_ids: str
    ja_text: str
    en_text: str
    score: float
    link_type: str

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class MatchRow:
    pair_id: str
    kind: str              # claim | citation
    ja_id: str
    en_id: str
    status: str            # match, value_mismatch, qualifier_mismatch, unit_mismatch, missing_in_en, missing_in_ja
    detail: str

    def to_dict(self) -> dict:
        """Row of claim_matches.csv / citation_matches.csv."""
        return {"pair_id": self.pair_id, f"ja_{self.kind}_id": self.ja_id, f"en_{self.kind}_id": self.en_id,
                "status": self.status, "detail": self.detail}




def _stem(doc_id: str) -> str:
    return re.sub(r"\.(ja|en)$", "", doc_id)


def find_pairs(results: list[DocumentResult]) -> list[tuple[DocumentResult, DocumentResult]]:
    """(ja, en) pairs by shared stem or ``translation_of`` metadata, each document in at most one pair."""
    ok = [r for r in results if r.document.status == "ok"]
    by_id = {r.document.doc_id: r for r in ok}
    pairs, used = [], set()
    for r in ok:
        d = r.document
        other = by_id.get(d.translation_of) if d.translation_of else None
        if other is not None and {d.lang, other.document.lang} == {"ja", "en"}:
            ja, en = (r, other) if d.lang == "ja" else (other, r)
            if ja.document.doc_id not in used and en.document.doc_id not in used:
                pairs.append((ja, en))
                used |= {ja.document.doc_id, en.document.doc_id}
    stems: dict[str, dict[str, DocumentResult]] = {}
    for r in ok:
        if r.document.doc_id not in used:
            stems.setdefault(_stem(r.document.doc_id), {})[r.document.lang] = r
    for langs in stems.values():
        if "ja" in langs and "en" in langs:
            pairs.append((langs["ja"], langs["en"]))
    return sorted(pairs, key=lambda p: p[0].document.doc_id)


def _anchors(result: DocumentResult) -> list[set]:
    anchors: list[set] = [set() for _ in result.sentences]
    for c in result.claims:
        if c.value is not None:
            anchors[c.sentence_id].add(("num", float(c.value)))
    for a in result.actors:
        if a.actor_id:
            anchors[a.sentence_id].add(("actor", a.actor_id))
    for t in result.citations:
        anchors[t.sentence_id].add(("cite", t.instrument_id or t.number))
    return anchors


def _qualifiers_compatible(a: str, b: str) -> bool:
    return qualifiers.same_statement(a, b)


def compare_claims(ja, en) -> tuple[str, str]:
    """Status and detail of a JA claim against an EN claim."""
    same_value = (ja.value == en.value and ja.value_max == en.value_max)
    if ja.unit != en.unit:
        return ("unit_mismatch" if same_value else "value_mismatch",
                f"unit {ja.unit or '?'} vs {en.unit or '?'}; value {ja.value} vs {en.value}")
    if not same_value:
        return "value_mismatch", f"{ja.value}{'-' + str(ja.value_max) if ja.value_max else ''} vs " \
                                 f"{en.value}{'-' + str(en.value_max) if en.value_max else ''} {ja.unit}"
    if not _qualifiers_compatible(ja.qualifier, en.qualifier):
        return "qualifier_mismatch", f"{ja.qualifier} vs {en.qualifier}"
    if ja.time and en.time and ja.time != en.time:
        return "match", f"time {ja.time} vs {en.time}"
    return "match", ""


def _closeness(ja, en) -> tuple:
    return (ja.unit == en.unit, ja.value == en.value, _qualifiers_compatible(ja.qualifier, en.qualifier),
            ja.time == en.time)


def match_pair(ja: DocumentResult, en: DocumentResult, links: list[Link], pair_id: str) -> list[MatchRow]:
    """Claim and citation matches within aligned sentences; unmatched items are missing on the other side."""
    rows: list[MatchRow] = []
    for kind, ja_items, en_items, id_of in (
            ("claim", ja.claims, en.claims, lambda c: c.claim_id),
            ("citation", ja.citations, en.citations, lambda c: c.citation_id)):
        by_sent_ja: dict[int, list] = {}
        by_sent_en: dict[int, list] = {}
        for c in ja_items:
            by_sent_ja.setdefault(c.sentence_id, []).append(c)
        for c in en_items:
            by_sent_en.setdefault(c.sentence_id, []).append(c)
        for link in links:
            left = [c for i in link.ja for c in by_sent_ja.get(i, [])]
            right = [c for j in link.en for c in by_sent_en.get(j, [])]
            for c in left:
                if kind == "claim":
                    cands = sorted(right, key=lambda e: _closeness(c, e), reverse=True)
                    best = cands[0] if cands and (c.unit == cands[0].unit or c.value == cands[0].value) else None
                    if best is None:
                        rows.append(MatchRow(pair_id, kind, id_of(c), "", "missing_in_en", f"{c.surface}"))
                        continue
                    status, detail = compare_claims(c, best)
                else:
                    same = [e for e in right if (e.instrument_id and e.instrument_id == c.instrument_id) or
                            (e.number and e.number == c.number)]
                    if not same:
                        rows.append(MatchRow(pair_id, kind, id_of(c), "", "missing_in_en", c.surface))
                        continue
                    best = next((e for e in same if e.article == c.article), same[0])
                    status = "match" if best.article == c.article else "value_mismatch"
                    detail = "" if status == "match" else f"article {c.article} vs {best.article}"
                right.remove(best)
                rows.append(MatchRow(pair_id, kind, id_of(c), id_of(best), status, detail))
            rows += [MatchRow(pair_id, kind, "", id_of(e), "missing_in_ja", e.surface) for e in right]
    return rows


def align_pair(ja: DocumentResult, en: DocumentResult, embedder: Embedder) -> tuple[list[AlignmentRow], list[MatchRow]]:
    """Align a pair's sentences and match their claims and citations."""
    pair_id = f"{ja.document.doc_id}~{en.document.doc_id}"
    links = align([s.text for s in ja.sentences], [s.text for s in en.sentences], embedder,
                  _anchors(ja), _anchors(en))
    rows = [AlignmentRow(pair_id, ja.document.doc_id, en.document.doc_id,
                         ";".join(map(str, link.ja)), ";".join(map(str, link.en)),
                         "".join(ja.sentences[i].text for i in link.ja),
                         " ".join(en.sentences[j].text for j in link.en), link.score, link.kind)
            for link in links]
    return rows, match_pair(ja, en, links, pair_id)
