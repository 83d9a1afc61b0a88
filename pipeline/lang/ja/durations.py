"""Dates and durations of the Japanese quantity finder (:mod:`pipeline.lang.ja.quantities`): when a date counter
after a number (年, 日, 世紀) is a duration or a count rather than a date (償還期間30年, 過去20年, 30年以上, 3年前, 1～2日で,
290日, 一、二年), and when it is a date (2024 年, 10月, 3月10日で).

:class:`DurationRules` is a mixin of :class:`pipeline.lang.ja.quantities.QuantityFinder`: it reads the finder's
compiled rules (``self.r``), its rule data (``self.x``), the era names and the finder's unit and part lookups.
"""
from __future__ import annotations

import re

from pipeline.core.numerals import NUMERAL_RE, parse_number
from pipeline.lang.ja.quantity_data import ends_with_any, match_any, skip_spaces


class DurationRules:
    """When a date counter counts (mixin of the quantity finder)."""

    def _date_duration(self, ft: str, start: int, end: int, infix: str = "",
                       head_at: int | None = None) -> tuple[str, int] | None:
        """(counter, end) when a date counter after the numeral is a duration or count here, not a date: a term
        (償還期間30年, 7年の据置期間), a look-back (過去20年), a qualified or totalled number (約20年, 30年以上, 30余年,
        計3日, 3年連続, 10年ぶり), a span (1年で, 3年前), a compound (3年5か月, 1年半) or a number no date has (290日);
        else None. ``head_at``: where what stands before is read (the first number of a range: 約1～2日)."""
        p = skip_spaces(ft, end + len(infix))
        counter = self._date_counter_at(ft, p)
        if counter is None:
            return None
        numeral = ft[start:end]
        rule = self.x.counted_dates[counter]
        head = ft[:start if head_at is None else head_at].rstrip(" \t")
        if head.endswith(self.era_names) or len(numeral.replace(",", "")) > rule.get("max_digits", 9) \
                or ends_with_any(ft[:start].rstrip(" \t"), rule.get("not_after", ())):
            return None
        c_end = p + len(counter)
        after = ft[skip_spaces(ft, c_end):]
        signals = (
            bool(infix),
            parse_number(numeral) > rule.get("above", float("inf")),
            after.startswith(self.r.duration_after_year),
            any(after.startswith(q.surface) for q in self.r.suffixes if q.strength == "tight"),
            after.startswith(self.x.half_after_unit) if self.x.half_after_unit else False,
            bool(self.x.duration_label_after and self.x.duration_label_after.match(after)),
            bool(self.x.duration_after and self.x.duration_after.match(after)),
            self._part_follows(ft, skip_spaces(ft, c_end), rule["unit"]),
            self._duration_head(head),
        )
        return (counter, c_end) if any(signals) else None

    def _date_counter_at(self, ft: str, pos: int) -> str | None:
        """A date counter that can count (年, 日, 世紀) at ``pos``, not part of a longer one (76年度, 1960年代)."""
        counter = match_any(ft, pos, self.x.counted_dates)
        return counter if counter is not None and match_any(ft, pos, self.r.date_counters) == counter else None

    def _counted_date_at(self, ft: str, pos: int) -> tuple[str, int] | None:
        """A date counter after a vague numeral: always a duration (数年, 数十年にわたり, 十数年ぶり)."""
        counter = self._date_counter_at(ft, pos)
        return (counter, pos + len(counter)) if counter else None

    def _duration_head(self, head: str) -> bool:
        """What stands before the numeral makes it a duration: a qualifier or total (約, 少なくとも, 計), a
        look-back (過去, この) or a term label (償還期間, 据置期間：)."""
        head = head.rstrip(":：は、 ")
        if ends_with_any(head, self.r.transparent_before_numeral) or ends_with_any(head, self.x.duration_before):
            return True
        if any(head.endswith(q.surface) for q in self.r.prefixes):
            return True
        return ends_with_any(head, self.x.duration_labels) is not None

    def _is_date(self, ft: str, pos: int) -> bool:
        """A date counter follows (2024 年, 10月, 5日), unless a longer unit does (3か月, 8年間, 5日間)."""
        p = skip_spaces(ft, pos)
        counter, unit = match_any(ft, p, self.r.date_counters), self._unit_at(ft, p)
        return counter is not None and not (unit and len(unit[0]) > len(counter))

    def _duration_range_start(self, ft: str, s: int, e: int) -> tuple[str, int] | None:
        """(counter, end) of the first half of a range of durations (3日から5日かけて, 2年～3年で): the same date counter
        follows the second number, which is a duration there; else None."""
        p = skip_spaces(ft, e)
        counter = self._date_counter_at(ft, p)
        q = skip_spaces(ft, p + len(counter)) if counter else p
        sep = match_any(ft, q, self.r.range_separators) if counter else None
        m2 = NUMERAL_RE.match(ft, skip_spaces(ft, q + len(sep))) if sep else None
        second = self._date_duration(ft, m2.start(), m2.end(), head_at=s) if m2 and m2.group() else None
        return (counter, p + len(counter)) if second and second[0] == counter else None

    def _neighbour_years(self, ft: str, m: re.Match, sep: str, m2: re.Match) -> tuple[str, int] | None:
        """(counter, end) for two neighbouring numbers joined by 、 before a counter that counts so (一、二年: one or
        two years; not after an era name, not 5、6日: two dates)."""
        counter = self._date_counter_at(ft, skip_spaces(ft, m2.end()))
        rule = self.x.counted_dates.get(counter or "", {})
        if not rule.get("neighbour_range") or sep not in self.x.consecutive_separators \
                or ft[:m.start()].rstrip(" \t").endswith(self.era_names) \
                or parse_number(m2.group()) != parse_number(m.group()) + 1:
            return None
        return counter, skip_spaces(ft, m2.end()) + len(counter)
