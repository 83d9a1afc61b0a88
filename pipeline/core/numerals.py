"""Japanese numerals: finding them in text and turning them into numbers.

All matching runs on :func:`fold`, a *length-preserving* width fold (full-width ASCII → ASCII, ideographic
space → space), so that every match offset is also an offset into the stored document text. NFKC is
never applied to the text itself because it can change its length (㍍ → メートル).
"""
from __future__ import annotations

import re
from functools import lru_cache
import unicodedata

_FOLD = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
_FOLD[0x3000] = 0x20  # ideographic space
_FOLD.update({ord("〜"): ord("~"), ord("～"): ord("~"), ord("−"): ord("-"), ord("，"): ord(",")})

KANJI_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
                "壱": 1, "弐": 2, "参": 3}
SMALL_UNITS = {"十": 10, "百": 100, "千": 1000, "拾": 10}
BIG_UNITS = {"万": 10**4, "億": 10**8, "兆": 10**12, "京": 10**16}

# One arabic group: 1,000 | 1000 | 3.6 (commas only in groups of three, so 2,3 is not 23). A middle dot is a
# decimal point only before a big unit or percent (４５・８兆円, ２・５％, 七・六パーセント in older and Diet texts);
# elsewhere it joins list items (1・2号).
_ARABIC = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+|・\d{1,3}(?=\s?(?:[万億兆%]|パーセント)))?"
_KANJI = r"[〇零一二三四五六七八九十百千壱弐参拾]+(?:・[〇一二三四五六七八九]{1,3}(?=\s?(?:[万億兆%]|パーセント)))?"
# Kanji digits written positionally with 、 between groups of three, as in older white papers and Bluebooks:
# 一、二三四億円 (1,234億円), 二、三〇〇億円; not 二、三百人 (two or three hundred) or 一、二年 (a range).
_KANJI_GROUPED = r"[〇一二三四五六七八九]{1,3}(?:、[〇一二三四五六七八九]{3})+(?![〇一二三四五六七八九十百千])"
# A group below 10,000: arabic, kanji, or arabic digits with kanji place words (4千, 3500千 = 3,500 thousand,
# 3,244百万 = 3,244 million, written in statistical tables).
_GROUP = rf"(?:{_ARABIC}(?:[千百十](?:\d+(?![.,・]\d)|{_KANJI})?)*|{_KANJI_GROUPED}|{_KANJI})"
# A numeral: groups joined by big units, a space allowed around a big unit (PDF text: "100 万バレル", "1 万 1000 人").
NUMERAL_RE = re.compile(rf"{_GROUP}(?:\s?[万億兆京](?:\s?{_GROUP})?)*")
ARABIC_START_RE = re.compile(r"\d")
_FULL_DIGITS = frozenset("０１２３４５６７８９")


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """Width-fold ``text`` without changing its length (full-width digits, ％, ～ → ASCII). Cached: each finder
    (times, quantities, citations, actors) folds the same sentence again, and ``str.translate`` with a mapping
    costs a dictionary lookup per character (issue 14)."""
    return text.translate(_FOLD)


def nfkc(text: str) -> str:
    """NFKC-normalise a short string for lookups (never for text whose offsets matter)."""
    return unicodedata.normalize("NFKC", text)


def width_switch(text: str, i: int) -> bool:
    """True when ``text[i-1]`` and ``text[i]`` are digits of different widths (２０２０15: two numbers)."""
    if i <= 0 or i >= len(text):
        return False
    a, b = text[i - 1], text[i]
    digits = _FULL_DIGITS | frozenset("0123456789")
    return a in digits and b in digits and (a in _FULL_DIGITS) != (b in _FULL_DIGITS)


def find_numerals(text: str) -> list[re.Match]:
    """Numerals of ``text`` as matches on its fold; a switch of digit width ends a numeral (２０２０15人 is 2020
    and 15, not 202015: a PDF table cell run into the next)."""
    ft = fold(text)
    out: list[re.Match] = []
    for m in NUMERAL_RE.finditer(ft):
        start = m.start()
        for i in range(m.start() + 1, m.end()):
            if width_switch(text, i):
                out.append(NUMERAL_RE.match(ft, start, i))
                start = i
        out.append(m if start == m.start() else NUMERAL_RE.match(ft, start, m.end()))
    return [m for m in out if m is not None and m.group()]


def _small(part: str) -> float:
    """Value of a group below 10,000: arabic (1,000 / 3.6), kanji (三千二百, 二〇二四) or mixed (4千, 3500千)."""
    part = part.replace(",", "").strip()
    if not part:
        return 0
    whole, dot, frac = part.partition(".")
    if dot and frac and all(c in KANJI_DIGITS for c in frac):   # 七.六 (from 七・六)
        return _small(whole) + float("0." + "".join(str(KANJI_DIGITS[c]) for c in frac))
    if re.fullmatch(r"\d+(?:\.\d+)?", part):
        return float(part)
    if all(c in KANJI_DIGITS for c in part):  # positional kanji: 二〇二四
        return float("".join(str(KANJI_DIGITS[c]) for c in part))
    total, digit = 0.0, None
    for chunk in re.findall(r"\d+(?:\.\d+)?|.", part):
        if chunk in KANJI_DIGITS:
            digit = KANJI_DIGITS[chunk] if digit is None else digit * 10 + KANJI_DIGITS[chunk]
        elif chunk in SMALL_UNITS:
            total += (1 if digit is None else digit) * SMALL_UNITS[chunk]
            digit = None
        elif chunk[0].isdigit():
            digit = float(chunk)
        else:
            raise ValueError(f"not a numeral: {part!r}")
    return float(total + (digit or 0))


def parse_number(surface: str) -> float:
    """Parse a Japanese numeral such as ``1万1000``, ``10億2200万``, ``3.6兆``, ``三千``, ``１２，０００``,
    ``61兆2千億``, ``４５・８兆`` (middle dot as decimal point).

    >>> parse_number("10億2200万")
    1022000000.0
    """
    s = re.sub(r"\s+", "", fold(nfkc(surface))).replace("・", ".").replace("、", "")
    if not s:
        raise ValueError("empty numeral")
    total, rest = 0.0, s
    for big, mult in sorted(BIG_UNITS.items(), key=lambda kv: -kv[1]):
        if big in rest:
            head, rest = rest.split(big, 1)
            total += (_small(head) if head else 1) * mult
    return total + _small(rest)


def big_unit(surface: str) -> int:
    """Multiplier of the last big unit written in a numeral (5万 → 10000, 3 → 1): the scale a bare first
    number of a range borrows (3～5万人 is 30,000 to 50,000)."""
    found = [BIG_UNITS[c] for c in surface if c in BIG_UNITS]
    return found[-1] if found else 1


def range_scale(surface: str) -> int:
    """The scale the bare first number of a range borrows from the second: its last big unit (3～5万人: 10,000),
    or the place word of a kanji digit and place alone (二、三百人: 100, 二～三十人: 10)."""
    big = big_unit(surface)
    if big == 1 and re.fullmatch(r"[一二三四五六七八九]?[十百千]", surface):
        return SMALL_UNITS[surface[-1]]
    return big


def as_number(value: float) -> int | float:
    """Return ``value`` as an int when it is whole (1e4 → 10000), else as a rounded float."""
    return int(value) if float(value).is_integer() else round(value, 6)
