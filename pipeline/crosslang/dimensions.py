"""What a number measures (issue 15), from ``models/dimensions.yaml``.

The *dimension* of a claim (flight distance, maximum altitude, range, flight time, budget, a running total…) comes
from cue words next to its number in its sentence: 最高高度約1,800km, 約800キロ飛翔し, "an apogee of 4,100 km",
"200 km west of". A cue counts only within a few characters of the number, never across a sentence break or across
another number of the same unit family (in "flew 850 km and then to an apogee of 4,100 km" the apogee belongs to
the second number). *Unit families* are the units that compare after conversion (nautical miles and kilometres).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pipeline.core import rules

ANY = "*"
BREAKS = re.compile(r"[。！？；;\n]")     # a cue never reaches across these


@dataclass(frozen=True)
class Cue:
    """One cue word of a dimension, on one side of the number, with how far from it it may stand."""

    dimension: str
    side: str                 # before | after
    pattern: re.Pattern
    max_gap: int


@dataclass(frozen=True)
class DimensionRules:
    """Compiled dimensions.yaml."""

    families: dict[str, tuple[str, float]]      # unit id -> (family id, factor into the family's first unit)
    dimensions: dict[str, dict]                 # dimension id -> its entry
    cues: dict[str, tuple[Cue, ...]]            # lang -> cues
    list_separators: dict[str, re.Pattern]      # lang -> what separates the numbers of one list
    list_gap: int                               # at most this many characters between them
    generic: frozenset[str] = frozenset()       # generic count units (つ, 個): compare with any count
    not_counts: frozenset[str] = frozenset()    # units that are no count


def _pattern(word: str, lang: str, not_followed_by: str = "") -> re.Pattern:
    """A cue word as a pattern: Japanese as written (not followed by ``not_followed_by``), English as a whole word
    with any spacing or hyphen between its words."""
    if lang == "ja":
        return re.compile(re.escape(word) + (f"(?![{re.escape(not_followed_by)}])" if not_followed_by else ""))
    words = r"[\s-]+".join(re.escape(w) for w in word.split())
    return re.compile(rf"(?<![A-Za-z]){words}(?![A-Za-z])", re.I)


@lru_cache(maxsize=1)
def dimension_rules() -> DimensionRules:
    """dimensions.yaml, compiled (cached)."""
    data = rules.load("dimensions")
    families = {unit: (f["id"], float(factor)) for f in data.get("unit_families", []) for unit, factor in
                f["units"].items()}
    cues: dict[str, list[Cue]] = {"ja": [], "en": []}
    for d in data["dimensions"]:
        for lang in cues:
            for side in ("before", "after"):
                key = f"{lang}_{side}"
                gap = d.get("gap", {}).get(key, data["max_gap"].get(key, 0))
                rest = "".join(data.get("ja_before_not_followed_by", [])) if key == "ja_before" else ""
                cues[lang] += [Cue(d["id"], side, _pattern(w, lang, rest), gap) for w in d.get(key, [])]
    lists = data.get("list_continuation") or {"max_gap": 0}
    separators = {lang: re.compile("|".join(_pattern(w, lang).pattern for w in lists.get(lang, [])) or "(?!)")
                  for lang in cues}
    return DimensionRules(families, {d["id"]: d for d in data["dimensions"]},
                          {lang: tuple(c) for lang, c in cues.items()}, separators, lists["max_gap"],
                          frozenset(data.get("generic_count_units", [])), frozenset(data.get("not_counts", [])))


def dimension_info(dimension: str) -> dict:
    """The dimensions.yaml entry of ``dimension`` ({} if unknown)."""
    return dimension_rules().dimensions.get(dimension, {})


def unit_family(unit: str) -> tuple[str, float]:
    """(family, factor): the family of a unit and the factor that converts its values into the family's first
    unit; a unit of no listed family is a family of its own (factor 1)."""
    return dimension_rules().families.get(unit or "", (unit or "", 1.0))


def is_generic(unit: str) -> bool:
    """Whether ``unit`` is a generic counter (つ, 個) that counts whatever its noun is."""
    return unit in dimension_rules().generic


def _is_count(unit: str) -> bool:
    r = dimension_rules()
    return bool(unit) and unit not in r.families and unit not in r.not_counts


def comparable(a: str, b: str) -> bool:
    """Whether values in units ``a`` and ``b`` compare: one unit family, or a generic counter and any count
    (二つ and "two documents")."""
    if a and unit_family(a)[0] == unit_family(b)[0]:
        return True
    return (is_generic(a) and _is_count(b)) or (is_generic(b) and _is_count(a))


# -------------------------------------------------------------------------------------------- cue search

def _blocked(sentence: str, a: int, b: int, blockers: list[tuple[int, int]]) -> bool:
    """Whether the text between a cue and the number, [a, b), crosses a break or another number of the family."""
    return bool(BREAKS.search(sentence, a, b)) or any(a <= s < b or a < e <= b for s, e in blockers)


def _hits(sentence: str, start: int, end: int, cue: Cue, blockers) -> list[tuple[int, int]]:
    """(gap, tie-break) of each place where ``cue`` applies to the number at [start, end)."""
    out = []
    if cue.side == "before":
        for m in cue.pattern.finditer(sentence, max(0, start - cue.max_gap - 30), start):
            gap = start - m.end()
            if 0 <= gap <= cue.max_gap and not _blocked(sentence, m.end(), start, blockers):
                out.append((gap, -len(m.group())))
    else:
        m = cue.pattern.search(sentence, end, min(len(sentence), end + cue.max_gap + 30))
        while m is not None:
            gap = m.start() - end
            if gap > cue.max_gap:
                break
            if not _blocked(sentence, end, m.start(), blockers):
                out.append((gap, 1 - len(m.group())))   # after: loses a tie to a cue before the number
                break
            m = cue.pattern.search(sentence, m.start() + 1, min(len(sentence), end + cue.max_gap + 30))
    return out


def find_dimension(sentence: str, lang: str, start: int, end: int, unit: str,
                   blockers: list[tuple[int, int]] = ()) -> str:
    """The dimension of the number at [start, end) of ``sentence`` (its unit ``unit``), '' if no cue applies;
    ``blockers``: spans of other numbers of the same unit family in the sentence."""
    r = dimension_rules()
    family = unit_family(unit)[0]
    best = None
    for cue in r.cues.get(lang, ()):
        families = r.dimensions[cue.dimension]["families"]
        if ANY not in families and family not in families and unit not in families:
            continue
        for gap, tie in _hits(sentence, start, end, cue, blockers):
            if best is None or (gap, tie) < best[:2]:
                best = (gap, tie, cue.dimension)
    return best[2] if best else ""


# ----------------------------------------------------------------------------------- claims of a sentence

def _positions(claims: list[dict]) -> dict[str, tuple[int, int]]:
    """Where each claim of one sentence sits in the sentence text: the sentence's own offset comes from a claim
    whose surface occurs there once (its stored-text offset minus its place in the sentence); without one,
    surfaces are found one after the other in the order of their offsets."""
    sentence = claims[0].get("sentence") or ""
    if not sentence or any(c.get("char_start") in (None, "") for c in claims):
        return {c["claim_id"]: (-1, -1) for c in claims}      # rows without their sentence: no dimension
    ordered = sorted(claims, key=lambda c: int(c["char_start"]))
    anchor = next((c for c in ordered if c["surface"] and sentence.count(c["surface"]) == 1), None)
    if anchor is not None:
        origin = int(anchor["char_start"]) - sentence.index(anchor["surface"])
        return {c["claim_id"]: (int(c["char_start"]) - origin, int(c["char_end"]) - origin) for c in ordered}
    out, at = {}, 0
    for c in ordered:
        i = sentence.find(c["surface"], at)
        i = sentence.find(c["surface"]) if i < 0 else i
        out[c["claim_id"]] = (i, i + len(c["surface"])) if i >= 0 else (-1, -1)
        at = max(at, i + 1)
    return out


def _continues_list(sentence: str, lang: str, a: int, b: int) -> bool:
    """Whether [a, b) of ``sentence`` is what separates two numbers of one list (、75年度 / ", and")."""
    r = dimension_rules()
    separator = r.list_separators.get(lang)
    return (0 <= b - a <= r.list_gap and separator is not None and bool(separator.search(sentence, a, b))
            and not BREAKS.search(sentence, a, b))


def _sentence_dimensions(rows: list[dict]) -> dict[str, str]:
    """Dimensions of the claims of one sentence: each number's own cue, else the dimension of the number of the
    same family it continues a list after (90年度120億円,91年度135億円)."""
    where = _positions(rows)
    sentence, lang = rows[0].get("sentence") or "", rows[0].get("lang", "")
    out, previous = {}, {}
    for c in sorted((c for c in rows if where[c["claim_id"]][0] >= 0), key=lambda c: where[c["claim_id"]]):
        start, end = where[c["claim_id"]]
        family = unit_family(c.get("unit"))[0]
        blockers = [where[o["claim_id"]] for o in rows if o is not c
                    and unit_family(o.get("unit"))[0] == family and where[o["claim_id"]][0] >= 0]
        dim = find_dimension(sentence, lang, start, end, c.get("unit", ""), blockers)
        before = previous.get(family)
        if not dim and before and before[1] and _continues_list(sentence, lang, before[0], start):
            dim = before[1]
        out[c["claim_id"]] = dim
        previous[family] = (end, dim)
    return {c["claim_id"]: out.get(c["claim_id"], "") for c in rows}


def dimensions_of(claims: list[dict]) -> dict[str, str]:
    """claim_id -> dimension ('' if none) for claim rows. The rows of one sentence are read together: another
    number of the same unit family between a cue and a number takes the cue; a list passes it on."""
    by_sentence: dict[tuple, list[dict]] = {}
    for c in claims:
        by_sentence.setdefault((c.get("doc_id"), c.get("sentence_id"), c.get("sentence")), []).append(c)
    out = {}
    for rows in by_sentence.values():
        out.update(_sentence_dimensions(rows))
    return out
