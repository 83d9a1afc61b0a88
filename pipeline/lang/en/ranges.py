"""Ranges and lists of English numbers, for :class:`~pipeline.lang.en.quantities.QuantityFinderEn`.

"1,000-1,500 workers", "between 2 and 3", "$1.5-2 billion", "two or three rockets" are one quantity with a
``value_max``; "45 and 50 cases" and "cut from 3,000 to 2,500 troops" are two, the earlier number taking the unit
written after the last; "rose from 5% to 10%" is two values (the old and the new), not a range.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from decimal import Decimal

from pipeline.lang.en.nouns import UnitHit
from pipeline.lang.en.numbers import BL, digits_value

_GROUPED = re.compile(r"\d{1,3},000")   # a round number of thousands written with its group: 20,000
_BETWEEN = re.compile(rf"(?i:\bbetween){BL}+$")
# numbers listed with the unit written once after the last: "45 and 50 cases", "3, 4 and 5 km"
_LIST_SEP = re.compile(rf"{BL}*,{BL}*(?:(?P<w1>and|or){BL}+)?|{BL}+(?P<w2>and|or|to){BL}+")
_FROM_BEFORE = re.compile(rf"([A-Za-z ]*)\bfrom{BL}+$")
# "rose by $2bn to $10bn": the change and the new value (a currency sign may stand before the number)
_BY_BEFORE = re.compile(rf"([A-Za-z]+){BL}+by{BL}+(?:[^\s\w]{{1,3}}{BL}?)?$")


@dataclass(frozen=True)
class RangeHit:
    """The upper half of a range: both values, where its number ends and the unit after it."""

    value: Decimal              # the first value, scaled like the second: "1-2 million"
    value_max: Decimal
    end: int
    unit: UnitHit | None


def inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    """Whether ``pos`` falls in one of the ``(start, end)`` spans (sorted, not overlapping)."""
    i = bisect_right(spans, (pos, float("inf"))) - 1
    return i >= 0 and spans[i][0] <= pos < spans[i][1]


class RangeReader:
    """The range and list steps of the English quantity finder. A mixin: it uses the finder's number and noun
    readers (``numbers``, ``nouns``, ``unit_at``, ``_counted``, ``_letters_glued``), its context helpers
    (``_search_before``, ``_last_word``) and its rule data (``range_re``, ``range_words``, ``change_words``)."""

    def _between_before(self, ft: str, pos: int) -> int | None:
        """Where "between" stands right before the number at ``pos``, or None."""
        bm, base = self._search_before(_BETWEEN, ft, pos, 20)
        return base + bm.start() if bm else None

    def _range_words(self, ft: str, head: int, *, between: bool) -> set[str]:
        """Words that join a range starting at ``head``: "and" only after "between"; not "to" after a change
        ("rose from 5% to 10%": two values, the old and the new)."""
        words = set(self.range_words)
        if not between:
            words.discard("and")
        fm = _FROM_BEFORE.search(ft, max(0, head - 60), head)
        if fm and self.change_words & set(fm.group(1).lower().split()[-4:]):
            words.discard("to")   # a change verb up to four words before "from": "cut its troops from"
        bm = _BY_BEFORE.search(ft, max(0, head - 40), head)
        if bm and bm.group(1).lower() in self.change_words:
            words.discard("to")   # "rose by 2% to 10%": the change, then the new value
        return words

    def _listed_unit(self, ft: str, pos: int, dates, *, change: bool) -> UnitHit | None:
        """The unit of a later number when numbers are listed and the unit written once: "45 and 50 cases",
        "3, 4 and 5 km" (an "and"/"or" must join them: "Of these 12, 5 entities" is no list), or after a change
        (``change``) the new value: "cut from 3,000 to 2,500 troops"."""
        joined = False
        for _ in range(6):
            sep = _LIST_SEP.match(ft, pos)
            word = (sep.group("w1") or sep.group("w2") or "").lower() if sep else ""
            m2 = self.numbers.regex.match(ft, sep.end()) if sep and (word != "to" or change) else None
            if m2 is None or inside(m2.start(), dates):
                return None
            joined = joined or bool(word)
            second = self.numbers.read(ft, m2, glued_scale=False)
            if second is None:
                return None
            unit = self.unit_at(ft, second.end) or self._counted(ft, m2, second, second.end)
            if unit is not None:
                return unit if joined else None
            pos = second.end
        return None

    def _range(self, ft: str, pos: int, *, m1: re.Match, first: Decimal, currency: bool,
               first_unit: UnitHit | None, word_seps: set[str], dates) -> RangeHit | None:
        """The second half of a range after ``pos``: "1,000-1,500", "between 2 and 3", "$1.5-2 billion",
        "two or three rockets" (``word_seps``: the words that may join the numbers here)."""
        sep = self.range_re.match(ft, pos)
        if not sep:
            return None
        word_sep = (sep.group("wsep") or "").lower()
        if (word_sep and word_sep not in word_seps) or (word_sep == "or" and first_unit):
            return None   # "3 ships or 5 tankers" are two quantities
        m2 = self._second_number(ft, sep.end(), currency=currency, dates=dates)
        if m2 is None:
            return None
        if not word_sep and not (m1.group("dig") and m2.group("dig")):
            return None   # dashes join digits only: "one-two" is not a range
        second = self.numbers.read(ft, m2, glued_scale=currency)
        if second is None or self._letters_glued(ft, second.end, clock=False):
            return None
        second_unit = None if currency else self.unit_at(ft, second.end) or self._counted(ft, m2, second, second.end)
        if not self._range_has_unit(first_unit, second_unit, currency=currency):
            return None
        low = self._shared_scale(m1, first, m2, second.value)
        if second.value <= low:
            return None
        return RangeHit(value=low, value_max=second.value, end=second.end, unit=second_unit)

    def _second_number(self, ft: str, pos: int, *, currency: bool, dates) -> re.Match | None:
        """The NUMBER match at ``pos`` (after a repeated currency sign: "$1-$2"), unless it starts a date."""
        if currency:
            sign = self.nouns.prefix_unit_at.match(ft, pos)
            if sign:
                pos = sign.end()
        m2 = self.numbers.regex.match(ft, pos)
        if not m2 or inside(m2.start(), dates):
            return None
        return m2

    @staticmethod
    def _range_has_unit(first_unit: UnitHit | None, second_unit: UnitHit | None, *, currency: bool) -> bool:
        """Whether a range has one unit: a currency sign, or a unit after the later number (the same after both:
        "rose 23 per cent to 571" is no range)."""
        if first_unit:
            return second_unit is not None and second_unit.unit == first_unit.unit
        return currency or second_unit is not None

    def _shared_scale(self, m1: re.Match, v1: Decimal, m2: re.Match, v2: Decimal) -> Decimal:
        """The first value, scaled by the scale written once after the second: "1-2 million", "$1.5-2 billion",
        "two to three thousand"; or by the thousands the second is grouped in: "10-20,000" (10,000–20,000)."""
        raw1 = digits_value(m1) if m1.group("dig") else v1
        raw2 = digits_value(m2) if m2.group("dig") else v2
        if v1 == raw1 and v2 != raw2 and raw1 < raw2:
            return v1 * (v2 / raw2)
        if m1.group("word") and m2.group("word") and len(m1.group("word").split()) == 1:
            scale = self.numbers.scales.get(m2.group("word").split()[-1].lower())
            if scale and v1 * scale < v2:
                return v1 * scale                    # "two to three thousand"
        if m1.group("dig") and _GROUPED.fullmatch(m2.group("dig") or "") and v1 < 1000 and v1 * 1000 < v2 \
                and v1 == v1.to_integral_value() and "," not in m1.group("dig"):
            return v1 * 1000                         # "10-20,000 troops"
        return v1
