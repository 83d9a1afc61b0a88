"""Translation pairs: pairing JA/EN documents, aligning their sentences, matching claims and citations.

A Japanese and an English document form a pair when they share a stem (``X.ja.txt`` / ``X.en.txt``) or when
one's metadata names the other in ``translation_of``. Within aligned sentences, a claim's counterpart is the claim
of the other language with a unit of the same family and no other dimension (``models/dimensions.yaml``), the
closest fits taken first (the same figure, the same dimension, a qualifier of the same statement: 以上 ≈ "more
than"/"at least"); citations match by instrument and article/number.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from pipeline.crosslang.align import Link, align
from pipeline.crosslang.dimensions import comparable, dimension_rules, dimensions_of, unit_family
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


def _number(c, factor: float = 1.0) -> tuple:
    """(value, value_max) of a claim record, times ``factor`` (a unit conversion)."""
    return tuple(None if v is None else round(float(v) * factor, 9) for v in (c.value, c.value_max))


def compare_claims(ja, en) -> tuple[str, str]:
    """Status and detail of a JA claim against its EN counterpart; units of one family compare after conversion
    (12 nautical miles and 22.2 km; 一発 and "one missile"; a generic 二つ and "two documents")."""
    (_, f_ja), (_, f_en) = unit_family(ja.unit), unit_family(en.unit)
    if not comparable(ja.unit, en.unit) and ja.unit != en.unit:
        return ("unit_mismatch" if _number(ja) == _number(en) else "value_mismatch",
                f"unit {ja.unit or '?'} vs {en.unit or '?'}; value {ja.value} vs {en.value}")
    if _number(ja, f_ja) != _number(en, f_en):
        return "value_mismatch", f"{ja.value}{'-' + str(ja.value_max) if ja.value_max else ''} {ja.unit} vs " \
                                 f"{en.value}{'-' + str(en.value_max) if en.value_max else ''} {en.unit}"
    if not _qualifiers_compatible(ja.qualifier, en.qualifier):
        return "qualifier_mismatch", f"{ja.qualifier} vs {en.qualifier}"
    if ja.time and en.time and ja.time != en.time:
        return "match", f"time {ja.time} vs {en.time}"
    return "match", "" if ja.unit == en.unit else f"{ja.unit} = {en.unit}"


def _closeness(ja, en, dim_ja: str, dim_en: str) -> tuple | None:
    """How well an EN claim fits as the counterpart of a JA claim (higher is better), None if it cannot be one:
    a counterpart has a unit of the same family (or, for a unit_mismatch, the same figure) and no other
    dimension (an altitude never pairs with a distance, even of the same figure), unless one side's dimension only
    frames the number in time (``as_of``: a running total) and the figure is the same: a translation may put that
    cue elsewhere (「これまでに約7,000億円の予算」, a running total, is "a budget of roughly 700 billion yen")."""
    (_, f_ja), (_, f_en) = unit_family(ja.unit), unit_family(en.unit)
    same_family = comparable(ja.unit, en.unit)
    if not same_family and not (ja.value is not None and _number(ja) == _number(en)):
        return None
    same_figure = ja.value is not None and _number(ja, f_ja) == _number(en, f_en)
    if dim_ja and dim_en and dim_ja != dim_en and not (same_family and same_figure and _framing(dim_ja, dim_en)):
        return None
    return (same_family, same_figure, bool(dim_ja) and dim_ja == dim_en,
            _qualifiers_compatible(ja.qualifier, en.qualifier), ja.time == en.time)


def _framing(*dims: str) -> bool:
    """Whether one of ``dims`` only frames its number in time (models/dimensions.yaml ``as_of``: so far, to date)."""
    known = dimension_rules().dimensions
    return any(known.get(d, {}).get("as_of") for d in dims)


def _counterparts(left: list, right: list, dim: dict[str, str]) -> dict[str, object]:
    """JA claim_id -> its EN counterpart among the claims of one alignment link: the best-fitting pairs are taken
    first, so that in a sentence with two numbers of one unit each finds its own (5年 ↔ five years before 一年間
    ↔ five years)."""
    scored = []
    for i, ja in enumerate(left):
        for j, en in enumerate(right):
            fit = _closeness(ja, en, dim.get(ja.claim_id, ""), dim.get(en.claim_id, ""))
            if fit is not None:
                scored.append((fit, -i, -j, ja, en))
    scored.sort(key=lambda t: t[:3], reverse=True)
    chosen: dict[str, object] = {}
    taken: set[str] = set()
    for _fit, _i, _j, ja, en in scored:
        if ja.claim_id not in chosen and en.claim_id not in taken:
            chosen[ja.claim_id] = en
            taken.add(en.claim_id)
    return chosen


def _by_sentence(items) -> dict[int, list]:
    out: dict[int, list] = {}
    for c in items:
        out.setdefault(c.sentence_id, []).append(c)
    return out


def _claim_rows(ja: DocumentResult, en: DocumentResult, links: list[Link], pair_id: str) -> list[MatchRow]:
    """Claim matches within aligned sentences; a claim without a counterpart is missing on the other side."""
    dim = dimensions_of([c.to_dict() for c in ja.claims + en.claims])
    by_ja, by_en = _by_sentence(ja.claims), _by_sentence(en.claims)
    rows: list[MatchRow] = []
    for link in links:
        left = [c for i in link.ja for c in by_ja.get(i, [])]
        right = [c for j in link.en for c in by_en.get(j, [])]
        chosen = _counterparts(left, right, dim)
        for c in left:
            other = chosen.get(c.claim_id)
            if other is None:
                rows.append(MatchRow(pair_id, "claim", c.claim_id, "", "missing_in_en", c.surface))
            else:
                rows.append(MatchRow(pair_id, "claim", c.claim_id, other.claim_id, *compare_claims(c, other)))
        used = {o.claim_id for o in chosen.values()}
        rows += [MatchRow(pair_id, "claim", "", e.claim_id, "missing_in_ja", e.surface) for e in right
                 if e.claim_id not in used]
    return rows


def _citation_rows(ja: DocumentResult, en: DocumentResult, links: list[Link], pair_id: str) -> list[MatchRow]:
    """Citation matches within aligned sentences: the same instrument (or number), then the same article."""
    by_ja, by_en = _by_sentence(ja.citations), _by_sentence(en.citations)
    rows: list[MatchRow] = []
    for link in links:
        left = [c for i in link.ja for c in by_ja.get(i, [])]
        right = [c for j in link.en for c in by_en.get(j, [])]
        for c in left:
            same = [e for e in right if (e.instrument_id and e.instrument_id == c.instrument_id) or
                    (e.number and e.number == c.number)]
            if not same:
                rows.append(MatchRow(pair_id, "citation", c.citation_id, "", "missing_in_en", c.surface))
                continue
            best = next((e for e in same if e.article == c.article), same[0])
            status = "match" if best.article == c.article else "value_mismatch"
            detail = "" if status == "match" else f"article {c.article} vs {best.article}"
            right.remove(best)
            rows.append(MatchRow(pair_id, "citation", c.citation_id, best.citation_id, status, detail))
        rows += [MatchRow(pair_id, "citation", "", e.citation_id, "missing_in_ja", e.surface) for e in right]
    return rows


def match_pair(ja: DocumentResult, en: DocumentResult, links: list[Link], pair_id: str) -> list[MatchRow]:
    """Claim and citation matches within aligned sentences; unmatched items are missing on the other side."""
    return _claim_rows(ja, en, links, pair_id) + _citation_rows(ja, en, links, pair_id)


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
