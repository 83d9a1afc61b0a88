"""Rule data and text helpers of the Japanese quantity finder (:mod:`pipeline.lang.ja.quantities`).

:class:`FinderData` holds what :func:`pipeline.core.rules.quantity_rules` does not compile from the same files
(units.yaml, numerals.yaml, qualifiers.yaml): counter factors and parts, markers before the numeral, date counters
that count, exclusions, idioms, open-range marks and the GiNZA entity labels used as a recall source. The helpers
work on the width-folded text (:func:`pipeline.core.numerals.fold`) and on GiNZA tokens.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from fractions import Fraction

from spacy.tokens import Doc
from pipeline.lang import extensions  # noqa: F401  - doc._.text

from pipeline.core import rules
from pipeline.core.numerals import fold

KANJI = re.compile(r"[\u4e00-\u9fff々]")


def is_digit(ch: str) -> bool:
    """An ASCII digit of the folded text (str.isdigit also takes ① and ²: ①2,000km is 2,000 km)."""
    return len(ch) == 1 and "0" <= ch <= "9"


def is_noun(tok) -> bool:
    """A noun by its Sudachi tag (the UD POS can be wrong at a sentence start: 無人機 → ADV)."""
    return (tok.pos_ in ("NOUN", "PROPN") or tok.tag_.startswith("名詞")) and not tok.tag_.startswith("名詞-数詞")


def skip_spaces(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t":
        pos += 1
    return pos


def match_any(text: str, pos: int, surfaces) -> str | None:
    for surface in surfaces:
        if text.startswith(surface, pos):
            return surface
    return None


def ends_with_any(text: str, words) -> str | None:
    return next((w for w in words if text.endswith(w)), None)


def longest_first(words) -> tuple[str, ...]:
    return tuple(sorted(words, key=len, reverse=True))


def token_at(doc: Doc, pos: int):
    """The GiNZA token covering character ``pos`` (None between tokens)."""
    span = doc.char_span(pos, min(len(doc._.text), pos + 1), alignment_mode="expand")
    return span[0] if span is not None and len(span) else None


@dataclass
class FinderData:
    """Rule data the compiled :class:`rules.QuantityRules` does not carry, read from the same files."""

    scale: dict[str, float]                    # counter → factor into its unit (割 → 10 percent)
    parts: dict[str, dict[str, float]]         # unit id → smaller parts that may follow (時間 → 分 = 1/60)
    before: list[tuple[str, str]]              # (marker, unit id), longest first: 時速 → km_per_hour, ¥ → JPY
    signed: dict[str, str]                     # counter → unit id when the number is signed (マイナス12度)
    bare_objects: list[tuple[str, str]]        # (noun, unit id): 三十一の国 counts countries without a counter
    counted_dates: dict[str, dict]             # date counter → {unit, above}: when 年/日/世紀 is a duration
    bare_big_nouns: list[tuple[str, str]] = field(default_factory=list)   # (noun, unit id): 避難民は七十八万
    minus_signs: tuple[str, ...] = ()
    per_unit_after: tuple[str, ...] = ()
    ordinal_after_unit: tuple[str, ...] = ()
    word_after_unit: tuple[str, ...] = ()
    ordinal_counters: frozenset = field(default_factory=frozenset)
    coordinate_before: tuple[str, ...] = ()
    half_after_unit: str = ""
    clock_counters: tuple[str, ...] = ()
    fractions: tuple[str, ...] = ()
    fraction_unit: str = "percent"
    idioms: tuple[str, ...] = ()
    kanji_name_counters: frozenset = field(default_factory=frozenset)
    idiom_pattern: re.Pattern | None = None
    acronym_before_count: re.Pattern | None = None
    duration_before: tuple[str, ...] = ()
    duration_labels: tuple[str, ...] = ()
    duration_label_after: re.Pattern | None = None
    duration_after: re.Pattern | None = None
    open_range_marks: tuple[str, ...] = ()
    verb_adverbs: tuple[str, ...] = ()
    latin_units: frozenset = field(default_factory=frozenset)
    entity_labels: frozenset = field(default_factory=frozenset)
    infixes: dict[str, str] = field(default_factory=dict)
    consecutive_separators: tuple[str, ...] = ()
    change_from: tuple[str, ...] = ()
    change_to: tuple[str, ...] = ()

    @classmethod
    def load(cls) -> FinderData:
        units, numerals, quals = rules.load("units"), rules.load("numerals"), rules.load("qualifiers")
        entries = units.get("units", [])
        return cls(
            scale={s: float(f) for u in entries for s, f in u.get("scale", {}).items()},
            parts={u["id"]: {s: float(Fraction(str(f))) for s, f in u["parts"].items()}
                   for u in entries if u.get("parts")},
            before=sorted(((m, u["id"]) for u in entries for m in u.get("before", [])), key=lambda p: -len(p[0])),
            signed={s: u["id"] for u in entries for s in u.get("signed", [])},
            bare_objects=sorted(((o, u["id"]) for u in entries for o in u.get("bare_objects", [])),
                                key=lambda p: -len(p[0])),
            counted_dates={c["counter"]: c for c in numerals.get("counted_dates", [])},
            bare_big_nouns=sorted(((n, u["id"]) for u in entries for n in u.get("bare_big_nouns", [])),
                                  key=lambda p: -len(p[0])),
            minus_signs=longest_first(numerals.get("minus_signs", [])),
            per_unit_after=longest_first(numerals.get("per_unit_after", [])),
            ordinal_after_unit=tuple(numerals.get("ordinal_after_unit", [])),
            word_after_unit=longest_first(numerals.get("word_after_unit", [])),
            ordinal_counters=frozenset(numerals.get("ordinal_counters", [])),
            coordinate_before=tuple(numerals.get("coordinate_before", [])),
            half_after_unit=numerals.get("half_after_unit", ""),
            clock_counters=tuple(numerals.get("clock_counters", [])),
            fractions=tuple(numerals.get("fractions", [])),
            fraction_unit=str(numerals.get("fraction_unit", "percent")),
            idioms=longest_first(numerals.get("idioms", [])),
            kanji_name_counters=frozenset(numerals.get("kanji_name_counters", [])),
            idiom_pattern=re.compile(numerals["idiom_pattern"]) if numerals.get("idiom_pattern") else None,
            acronym_before_count=re.compile(numerals["acronym_before_count"])
            if numerals.get("acronym_before_count") else None,
            duration_before=longest_first(numerals.get("duration_before", [])),
            duration_labels=longest_first(numerals.get("duration_labels", [])),
            duration_label_after=re.compile(numerals["duration_label_after"])
            if numerals.get("duration_label_after") else None,
            duration_after=re.compile(numerals["duration_after"]) if numerals.get("duration_after") else None,
            open_range_marks=tuple(fold(m) for m in quals.get("open_range_marks", [])),
            verb_adverbs=longest_first(quals.get("verb_adverbs", [])),
            entity_labels=frozenset(numerals.get("entity_count_labels", [])),
            infixes={q["surface"]: q["qualifier"] for q in quals.get("qualifiers", []) if q["position"] == "infix"},
            consecutive_separators=tuple(quals.get("consecutive_range_separators", [])),
            change_from=tuple(quals.get("change", {}).get("from", [])),
            change_to=tuple(quals.get("change", {}).get("to", [])),
            latin_units=frozenset(s for u in entries for s in u.get("ja", []) if re.search(r"[A-Za-z]$", str(s))),
        )


@dataclass
class Expr:
    """A quantity expression while it is read: offsets in the folded text, value(s), counter, unit, object."""

    start: int
    end: int
    value: float
    value_max: float | None = None
    surface: str = ""
    unit_id: str = ""
    obj: str | None = None
    qualifier: str = ""     # written between numeral and unit (20余カ国)
