"""English numbers: digits (``11,000``, ``10 000``, ``3.6``), number words (``three hundred thousand``, ``two and a
half``, ``half a million``) and scales written after them (``2.8 billion``, ``$2.8bn``, ``€10B``), read from
``models/numbers_en.yaml``. Used by :mod:`pipeline.lang.en.quantities`; no unit or context logic here.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

BL = r"[ \t\u00a0]"
# thousands grouped with commas (11,000) or with a (thin, no-break) space (10 000: the SI style); a space group
# needs exactly three digits after every blank, so "0161 496 0000" (a telephone number) is not one number
DIGITS = r"(?:\d{1,3}(?:,\d{3})+|\d{1,3}(?:[ \u00a0\u2009\u202f]\d{3})+(?![\d,])|\d+)(?:\.\d+)?"
_GROUP_SEP = re.compile(r"[, \u00a0\u2009\u202f]")
_WORD_SEP = re.compile(rf"(?:{BL}|-)+")


@dataclass(frozen=True)
class Number:
    """One parsed number: its value and where its surface ends (after any scale: "2.8 billion", "$2.8bn")."""

    value: Decimal
    end: int


def alternation(words, flags: str = "i") -> str:
    """Longest-first alternation of literal ``words``, blanks matching any run of spaces (no words: never matches)."""
    if not words:
        return "(?!)"
    body = "|".join(re.escape(w).replace(r"\ ", f"{BL}+") for w in sorted(words, key=len, reverse=True))
    return f"(?{flags}:{body})" if flags else f"(?:{body})"


def digits_value(m: re.Match) -> Decimal:
    """The digits of a NUMBER match, without scale words: 11,000 → 11000, 10 000 → 10000."""
    return Decimal(_GROUP_SEP.sub("", m.group("dig")))


class NumberReader:
    """The NUMBER regex over ``numbers_en.yaml`` and the value of its matches."""

    def __init__(self, ndata: dict):
        """Number words, fractions, scales and scale abbreviations from ``numbers_en.yaml``."""
        self.words = {str(k).lower(): int(v) for k, v in ndata["number_words"].items()}
        self.scales = {str(k).lower(): int(v) for k, v in ndata["scales"].items()}
        self.abbr = {str(k).lower(): int(v) for k, v in ndata.get("scale_abbreviations", {}).items()}
        self.fractions = {str(k).lower(): Decimal(str(v)) for k, v in ndata.get("fraction_words", {}).items()}
        numw, scw = alternation(self.words, ""), alternation(self.scales, "")
        frac = alternation(self.fractions, "") if self.fractions else "(?!)"
        # "and" inside a number: after a scale word (one hundred and twenty), before a fraction (two and a half);
        # never between two plain numbers ("two and three ships" are two numbers)
        scale_and = rf"{scw}(?:{BL}+and{BL}+{numw})?"
        tail = rf"(?:{BL}+|-)(?:{scale_and}|{numw})|{BL}+and{BL}+an?{BL}+{frac}"
        self.regex = re.compile(
            rf"(?<![\w.,/#])(?P<dig>{DIGITS})(?![\d])(?P<dscale>(?:(?:{BL}+|-)(?i:{scw})(?![A-Za-z]))*)"
            rf"|(?<![\w\-])(?P<word>(?i:{frac}{BL}+an?{BL}+(?:{scw}|dozen)"       # half a million, half a dozen
            rf"|(?:an?(?={BL}+(?:{scw}|dozen)(?!\w))|{numw})(?:{tail})*))(?!\w)")   # "a" only in "a million"
        self.abbr_re = re.compile(rf"(?i:{alternation(self.abbr, '')})(?![A-Za-z])")

    def parse(self, m: re.Match) -> Decimal | None:
        """Value of a NUMBER match: digits × scales, or number words (three hundred thousand)."""
        if m.group("dig"):
            value = digits_value(m)
            for s in re.findall(r"[A-Za-z]+", m.group("dscale") or ""):
                value *= self.scales[s.lower()]
            return value
        return self.parse_words([w.lower() for w in _WORD_SEP.split(m.group("word")) if w])

    def parse_words(self, words: list[str]) -> Decimal | None:
        """Value of lower-case number words; None for a lone "a"/"an" (only "a million", "a dozen" count)."""
        if words[0] in ("a", "an") and (len(words) == 1 or words[1] not in self.scales and words[1] != "dozen"):
            return None
        total, current = Decimal(0), Decimal(0)
        for i, w in enumerate(words):
            if w in ("and", "a", "an") and i + 1 < len(words) and words[i + 1] in self.fractions:
                continue                                    # "and a" before "half"
            if w in self.fractions:
                current = current + self.fractions[w] if i else self.fractions[w]   # two and a half; half a …
            elif w in ("a", "an"):
                current = current or Decimal(1)             # "half a million": the half is already there
            elif w == "and":
                continue                                    # one hundred and twenty
            elif w == "dozen":
                current = (current or 1) * 12
            elif w in self.words:
                current += self.words[w]
            elif w == "hundred":
                current = (current or 1) * 100
            else:
                total += (current or 1) * self.scales[w]
                current = Decimal(0)
        return total + current

    def read(self, ft: str, m: re.Match, *, glued_scale: bool) -> Number | None:
        """The value and end of a NUMBER match, with a scale abbreviation glued on when ``glued_scale`` ($2.8bn)."""
        value = self.parse(m)
        if value is None:
            return None
        if glued_scale and m.group("dig") and not m.group("dscale"):
            am = self.abbr_re.match(ft, m.end())
            if am:
                return Number(value=value * self.abbr[am.group().lower()], end=am.end())
        return Number(value=value, end=m.end())

    @staticmethod
    def leading_zero(m: re.Match) -> bool:
        """Digits with a leading zero (000, 020): a code or a telephone number, never a count (0.5 is a number)."""
        dig = m.group("dig") or ""
        return len(dig) > 1 and dig[0] == "0" and dig[1] != "."
