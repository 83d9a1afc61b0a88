"""English amounts other than a plain number before a unit, for :class:`~pipeline.lang.en.quantities.QuantityFinderEn`.

    two-thirds of the members, a quarter of the budget  → 66.67 / 25 percent (a share; "of" must follow)
    nearly half of all households                       → 50 percent, less_than (not "the first half of 2023")
    one in four adults, 1 out of every 5 children       → 25 / 20 percent
    a threefold increase, a 10fold rise                 → 3 / 10 times
    a couple of ships, a half-dozen drones              → 2 (approx) / 6, the unit of the noun after them
    143 in favour, 5 against                            → 143 / 5 votes ("against" only after an "in favour")

The word lists are in ``models/numbers_en.yaml`` (``fraction_denominators``, ``ratio_links``, ``fold_suffix``,
``word_amounts``, ``vote_for``). A mixin: it uses the finder's readers (``numbers``, ``nouns``, ``unit_at``) and
its :meth:`_quantity_of`, which reads the qualifiers around the amount.
"""
from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal

from pipeline.core.records import Quantity
from pipeline.lang.en.nouns import UnitHit
from pipeline.lang.en.numbers import BL, DIGITS, alternation

FRACTION, RATIO, FOLD, WORD_AMOUNT, VOTE = -5, -4, -3, -2, -1   # candidate kinds: they win a tie with a number
_YEAR_AFTER_OF = re.compile(rf"{BL}+of{BL}+(?:the{BL}+)?(?:(?:fiscal|FY){BL}*)?(?:19|20)\d\d(?!\d)")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z\-]*)[ \t\u00a0]+$")
_OF_A = re.compile(rf"{BL}+of{BL}+an?{BL}")
_IN_FAVOUR_WINDOW = 80
_DEMONYMS = re.compile(rf"{BL}+([A-Z][a-z]+(?:ans|ese|ers|is|ns))(?![A-Za-z])")


class SharesReader:
    """Fractions, ratios, one-word multipliers, worded amounts, recorded votes (see the module docstring)."""

    def _load_shares(self, ndata: dict) -> None:
        """The word lists of ``numbers_en.yaml`` and the regexes over them."""
        words = {**self.numbers.words, "a": 1, "an": 1}
        self.share_numerators = {k: v for k, v in words.items() if v < 12}
        self.denominators = {str(k).lower(): int(v) for k, v in ndata.get("fraction_denominators", {}).items()}
        self.fraction_unit = str(ndata.get("fraction_unit", "percent"))
        self.fraction_not_after = {w.lower() for w in ndata.get("fraction_not_after", [])}
        numerators, denominators = alternation(self.share_numerators, ""), alternation(self.denominators, "")
        self.fraction_re = re.compile(
            rf"(?<![\w\-])(?i:(?:(?P<num>{numerators})(?:{BL}+|-))?(?P<den>{denominators}))(?={BL}+of{BL})")
        # "1/3 of the budget" (not a date: "of" must follow, the numerator is below the denominator)
        self.fraction_digits_re = re.compile(rf"(?<![\w/.,])(?P<num>[1-9])/(?P<den>[2-9]|10)(?![\w/])(?={BL}+of{BL})")
        number = rf"(?:{DIGITS}|{alternation(self.numbers.words, '')})"
        links = alternation(ndata.get("ratio_links", []), "")
        self.ratio_re = re.compile(
            rf"(?<![\w\-.,])(?i:(?P<n>{number}){BL}+{links}{BL}+(?P<m>{number}))(?![\w\-])")
        suffix = re.escape(str(ndata.get("fold_suffix", ""))) or "(?!)"
        fold_words = {**self.numbers.words, **self.numbers.scales}
        self.fold_words = fold_words
        self.fold_unit = str(ndata.get("fold_unit", "times"))
        self.fold_re = re.compile(
            rf"(?<![\w\-.,])(?i:(?P<n>\d+(?:\.\d+)?|{alternation(fold_words, '')}){suffix})(?![\w\-])")
        self.word_amounts = {squash_key(a["surface"]): (Decimal(str(a["value"])), a["qualifier"])
                             for a in ndata.get("word_amounts", [])}
        self.word_amount_re = re.compile(rf"(?<![\w\-])(?i:{alternation(self.word_amounts, '')})(?![\w\-])")
        self.vote_unit = str(ndata.get("vote_unit", "vote"))
        self.vote_for = re.compile(rf"(?i:{alternation(ndata.get('vote_for', []), '')})(?![A-Za-z])")
        self.vote_re = re.compile(
            rf"(?<![\w\-.,/])(?P<n>{number}){BL}+(?i:(?P<for>{alternation(ndata.get('vote_for', []), '')})"
            rf"|(?P<against>{alternation(ndata.get('vote_against', []), '')}))(?![A-Za-z])")

    def _share_candidates(self, ft: str) -> list[tuple[int, int, re.Match]]:
        """The candidates of this module, as (start, kind, match)."""
        found = [(m.start(), FRACTION, m) for m in self.fraction_re.finditer(ft)]
        found += [(m.start(), FRACTION, m) for m in self.fraction_digits_re.finditer(ft)]
        found += [(m.start(), RATIO, m) for m in self.ratio_re.finditer(ft)]
        found += [(m.start(), FOLD, m) for m in self.fold_re.finditer(ft)]
        found += [(m.start(), WORD_AMOUNT, m) for m in self.word_amount_re.finditer(ft)]
        found += [(m.start(), VOTE, m) for m in self.vote_re.finditer(ft)]
        return found

    def _share_readers(self) -> dict:
        """Candidate kind → reader."""
        return {FRACTION: self._fraction, RATIO: self._ratio, FOLD: self._fold, WORD_AMOUNT: self._word_amount,
                VOTE: self._vote}

    def _word_value(self, surface: str) -> Decimal | None:
        """The value of digits or of one number word."""
        s = surface.replace(",", "").lower()
        if re.fullmatch(r"\d+(?:\.\d+)?", s):
            return Decimal(s)
        return Decimal(self.fold_words[s]) if s in self.fold_words else None

    def _fraction(self, text: str, ft: str, m: re.Match) -> Quantity | None:
        """"two-thirds of", "a quarter of", "half of": a share in percent (a bare "half" not after "the first")."""
        num, den = m.group("num"), m.group("den").lower()
        if m.re is self.fraction_digits_re:
            numerator, total = Decimal(num), Decimal(den)
            if numerator >= total:
                return None
            hit = UnitHit(self.fraction_unit, m.start("den"), m.end("den"), m.start())
            return self._quantity_of(text, ft, m.start(), numerator * 100 / total, hit, m.end())
        if num is None:
            before = _WORD_BEFORE.search(ft, max(0, m.start() - 30), m.start())
            if den not in ("half", "halves") or (before and before.group(1).lower() in self.fraction_not_after):
                return None
            numerator = Decimal(1)
        else:
            numerator = Decimal(self.share_numerators[num.lower()])
        value = numerator * 100 / self.denominators[den]
        if value >= 100 or _YEAR_AFTER_OF.match(ft, m.end()) or _OF_A.match(ft, m.end()):
            return None   # "two quarters of 2023" are periods; "a quarter of a century", "half of an hour"
        hit = UnitHit(self.fraction_unit, m.start("den"), m.end("den"), m.start())
        return self._quantity_of(text, ft, m.start(), value, hit, m.end())

    def _ratio(self, text: str, ft: str, m: re.Match) -> Quantity | None:
        """"one in four adults": N of every M, as a share in percent, when a noun that is no measure follows."""
        n, total = self._word_value(m.group("n")), self._word_value(m.group("m"))
        if n is None or total is None or not 0 < n < total or total >= 1000:
            return None
        unit = self.unit_at(ft, m.end()) or self.nouns.counted_noun(ft, m.end(), single=False)
        if unit is None and (dm := _DEMONYMS.match(ft, m.end())):
            unit = UnitHit(self.fraction_unit, dm.start(1), dm.end(1), dm.start(1))   # "4 in 10 Americans"
        if unit is None or unit.unit in self.nouns.measure and unit.unit != self.fraction_unit:
            return None   # "2 in 3 weeks", "1 in 2020"
        hit = UnitHit(self.fraction_unit, m.start("m"), m.end("m"), m.start())
        q = self._quantity_of(text, ft, m.start(), n * 100 / total, hit, m.end())
        return replace(q, end=max(q.end, unit.end), object=text[unit.np_start:unit.end])

    def _fold(self, text: str, ft: str, m: re.Match) -> Quantity | None:
        """"threefold", "10fold": a multiplier."""
        value = self._word_value(m.group("n"))
        if value is None or value < 2:
            return None
        hit = UnitHit(self.fold_unit, m.start(), m.end(), m.start())
        return self._quantity_of(text, ft, m.start(), value, hit, m.end())

    def _word_amount(self, text: str, ft: str, m: re.Match) -> Quantity | None:
        """"a couple of ships": the amount of the entry, with the unit or counted noun after it."""
        value, qualifier = self.word_amounts[squash_key(m.group())]
        hit = self.unit_at(ft, m.end()) or self.nouns.counted_noun(ft, m.end(), single=False)
        if hit is None:
            return None
        q = self._quantity_of(text, ft, m.start(), value, hit, hit.end)
        return replace(q, qualifier=qualifier) if q.qualifier == "exact" else q

    def _vote(self, text: str, ft: str, m: re.Match) -> Quantity | None:
        """"143 in favour", and "5 against" after an "in favour": recorded votes."""
        value = self._word_value(m.group("n"))
        if value is None or value != value.to_integral_value():
            return None
        if m.group("against") and not self.vote_for.search(ft, max(0, m.start() - _IN_FAVOUR_WINDOW), m.start()):
            return None
        word = m.group("for") or m.group("against")
        start = m.start("for") if m.group("for") else m.start("against")
        hit = UnitHit(self.vote_unit, start, start + len(word), start)
        return replace(self._quantity_of(text, ft, m.start(), value, hit, hit.end), object="")   # no counted noun


def squash_key(surface: str) -> str:
    """A word-amount surface as a lookup key: lower case, blanks made one space."""
    return re.sub(r"\s+", " ", surface.lower())
