"""English quantity expressions: qualifier + number + unit + counted object, as :class:`~pipeline.lang.ja.quantities.Quantity`.

The English counterpart of :mod:`pipeline.lang.ja.quantities`, in plain Python and regular expressions (no spaCy):
the same canonical units (``models/units.yaml``, ``en`` surfaces) and qualifiers (``models/qualifiers.yaml``,
``en_qualifiers``), so that a Japanese and an English claim compare field by field::

    more than 11,000 soldiers                      → 11000, person, more_than, object "soldiers"
    at least $2.8 billion in crypto assets         → 2800000000, USD, at_least, object "crypto assets"
    over 1 million barrels of refined petroleum …  → 1000000, barrel, more_than, object "refined petroleum products"
    about 1,000-1,500 IT workers                   → 1000–1500, person, approx, object "IT workers"
    several thousand troops                        → None, person, vague, object "troops"

Offsets are into the text given (matching runs on the length-preserving :func:`~pipeline.core.numerals.fold`),
and ``text[q.start:q.end]`` is the surface including qualifiers but not the ``of`` phrase. Years and
dates (found with :class:`~pipeline.lang.en.timex.TimeResolverEn`), ordinals (Article 51, resolution 2270),
names (G7, F-35) and numbers without a known unit are not quantities. Number words, scales and the
non-quantity context words come from ``models/numbers_en.yaml``.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from pipeline.core import rules
from pipeline.core.numerals import as_number, fold
from pipeline.core.records import Quantity
from pipeline.lang.en.timex import TimeResolverEn, after_ordinal_word

_BL = r"[ \t\u00a0]"
_BLANKS = re.compile(rf"{_BL}+")
# blanks between words: at most one line break (a paragraph break ends a quantity)
_GAP = re.compile(rf"{_BL}*\n?{_BL}*")
_LINE_BREAK = re.compile(rf"{_BL}*\n{_BL}*")
_WORD = re.compile(r"(?:[A-Z]\.){2,}|[A-Za-z][A-Za-z0-9'’\-]*")
_LAST_WORD = re.compile(rf"([A-Za-z][A-Za-z./]*){_BL}*$")
_NEXT_LOWER_WORD = re.compile(rf"{_BL}+([a-z][a-z\-]*)(?![A-Za-z'’])")
_DIGITS = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_NUMBER_WORD_SEP = re.compile(rf"(?:{_BL}|-)+")
# letters glued to a number (1st, 5G, 10-day); with a clock or date: 10:30, 5/31
_GLUED_LETTERS = re.compile(r"[A-Za-z]|-[A-Za-z]")
_GLUED_LETTERS_OR_CLOCK = re.compile(r"[:/]\d|[A-Za-z]|-[A-Za-z]")
_BETWEEN = re.compile(rf"(?i:\bbetween){_BL}+$")
_RATIO = re.compile(rf"\d{_BL}+(?i:in|out{_BL}+of){_BL}+$")
# what links a measure to what it measures: "barrels of oil", "$1 billion worth of arms", "$2.8 billion in assets"
_OF_LINK = re.compile(rf"{_BL}+(?i:worth{_BL}+of|of){_BL}+")
_MONEY_LINK = re.compile(rf"{_BL}+(?i:worth{_BL}+of|of|in){_BL}+")


@dataclass(frozen=True)
class EnQualifier:
    """One English qualifier surface (``more than``) and its canonical qualifier."""

    surface: str
    position: str
    qualifier: str


@dataclass(frozen=True)
class _UnitHit:
    """A unit found in the text: a unit noun, or a currency sign standing before the number."""

    unit: str
    start: int        # unit surface
    end: int
    np_start: int     # first adjective (or the unit surface itself)


@dataclass(frozen=True)
class _Number:
    """One parsed number: its value and where its surface ends (after any scale: "2.8 billion", "$2.8bn")."""

    value: Decimal
    end: int


@dataclass(frozen=True)
class _RangeHit:
    """The second half of a range: both values, where the second number ends and the unit after it."""

    value: Decimal              # the first value, scaled like the second: "1-2 million"
    value_max: Decimal
    end: int
    unit: _UnitHit | None


@dataclass(frozen=True)
class _Span:
    """The numbers and unit of one quantity, before the qualifiers around them are read."""

    start: int                  # the currency sign, the number, or "between" before a range
    value: Decimal
    value_max: Decimal | None   # set for a range
    unit: _UnitHit
    unit_surface: str
    unit_end: int               # where the unit noun ends; after a currency sign, where the numbers end
    inner: str = ""             # a qualifier between number and unit: "11,000 or more soldiers"


@dataclass(frozen=True)
class _QualifierHit:
    """A qualifier next to a quantity ("more than", "or more"): its canonical qualifier and its span."""

    qualifier: str
    start: int
    end: int

    @staticmethod
    def absent(pos: int) -> _QualifierHit:
        """No qualifier: an empty one at ``pos``."""
        return _QualifierHit("", pos, pos)


def _alt(words, flags: str = "i") -> str:
    """Longest-first alternation of literal ``words``, blanks matching any run of spaces."""
    body = "|".join(re.escape(w).replace(r"\ ", f"{_BL}+") for w in sorted(words, key=len, reverse=True))
    return f"(?{flags}:{body})" if flags else f"(?:{body})"


def _is_prefix_surface(surface: str) -> bool:
    """Currency symbols and ISO codes may stand before the number: $, US$, ¥, €, USD, JPY."""
    return any(unicodedata.category(c) == "Sc" for c in surface) or re.fullmatch(r"[A-Z]{3}", surface) is not None


def _squash(surface: str) -> str:
    """``surface`` with every run of blanks made one space."""
    return _BLANKS.sub(" ", surface)


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    """Whether ``pos`` falls in one of the ``(start, end)`` spans."""
    return any(s <= pos < e for s, e in spans)


def _digits(m: re.Match) -> Decimal:
    """The digits of a NUMBER match, without scale words: 11,000 → 11000."""
    return Decimal(m.group("dig").replace(",", ""))


class QuantityFinderEn:
    """Finds English quantity expressions using the rule data in ``models/``."""

    def __init__(self):
        """Load units, qualifiers and number words from ``models/`` and compile the regexes over them."""
        udata, qdata, ndata = rules.load("units"), rules.load("qualifiers"), rules.load("numbers_en")
        self._load_units(udata.get("units", []))
        self._load_qualifiers(qdata)
        self._load_numbers(ndata)
        self._load_context(ndata)
        self.times = TimeResolverEn(unit_follows=lambda text, pos: self.unit_at(fold(text), pos) is not None)

    # -- rule data --------------------------------------------------------------------------------------
    def _load_units(self, entries: list[dict]) -> None:
        """Unit surfaces: exact (codes, symbols) and case-insensitive (words) tables, and the regexes over them."""
        self.exact: dict[str, str] = {}
        self.folded: dict[str, str] = {}
        for entry in entries:
            for s in map(str, entry.get("en", [])):
                self._add_unit_surface(s, entry["id"])
        surfaces = sorted([*self.exact, *self.folded], key=len, reverse=True)
        self.unit_re = re.compile("|".join(self._unit_pattern(s) for s in surfaces))
        # singular nouns (missile: missiles exists) can modify a following noun: "missile tests"
        self.singular = {s.lower() for entry in entries for s in map(str, entry.get("en", []))
                         if {f"{s}s", f"{s}es"} & set(map(str, entry.get("en", [])))}
        prefixes = _alt([s for entry in entries for s in map(str, entry.get("en", [])) if _is_prefix_surface(s)], "")
        self.prefix_unit_re = re.compile(rf"(?<![A-Za-z])(?:{prefixes}){_BL}?$")
        self.prefix_unit_at = re.compile(rf"(?:{prefixes}){_BL}?")

    def _add_unit_surface(self, surface: str, unit: str) -> None:
        """Record one English surface of ``unit``; a surface with lower-case letters matches in any case."""
        table, key = (self.folded, surface.lower()) if re.search(r"[a-z]", surface) else (self.exact, surface)
        if key in table and table[key] != unit:
            raise rules.RuleDataError(f"units.yaml: English surface {surface!r} maps to two units")
        table[key] = unit

    def _unit_pattern(self, surface: str) -> str:
        """Regex for one unit surface: blanks match any run of blanks, a word ends before a letter."""
        body = re.escape(surface).replace(r"\ ", f"{_BL}+")
        if surface in self.folded:
            body = f"(?i:{body})"
        return body + (r"(?![A-Za-z])" if surface[-1].isalpha() else "")

    def _load_qualifiers(self, qdata: dict) -> None:
        """Prefix and suffix qualifiers, range separators and vague amounts, and their regexes."""
        quals = [EnQualifier(q["surface"], q["position"], q["qualifier"]) for q in qdata.get("en_qualifiers", [])]
        self.prefix_quals = {q.surface.lower(): q.qualifier for q in quals if q.position == "prefix"}
        self.suffix_quals = {q.surface.lower(): q.qualifier for q in quals if q.position == "suffix"}
        self.prefix_re = re.compile(rf"(?<![A-Za-z])({_alt(self.prefix_quals)}){_BL}*$")
        self.suffix_re = re.compile(rf"{_BL}*,?{_BL}*({_alt(self.suffix_quals)})(?![A-Za-z])")
        separators = qdata.get("en_range_separators", [])
        signs = _alt([s for s in separators if not s.isalpha()], "")
        words = _alt([s for s in separators if s.isalpha()], "")
        self.range_re = re.compile(rf"{_BL}*(?P<sep>{signs}){_BL}*|{_BL}+(?P<wsep>{words}){_BL}+")
        vague = "|".join(f"(?:{p['pattern']})" for p in qdata.get("en_vague_patterns", []))
        self.vague_re = re.compile(rf"(?<![\w\-])(?i:{vague})(?![\w\-])")

    def _load_numbers(self, ndata: dict) -> None:
        """Number words, scales and scale abbreviations, and the NUMBER regex over them."""
        self.number_words = {str(k).lower(): int(v) for k, v in ndata["number_words"].items()}
        self.scales = {str(k).lower(): int(v) for k, v in ndata["scales"].items()}
        self.scale_abbr = {str(k).lower(): int(v) for k, v in ndata.get("scale_abbreviations", {}).items()}
        numw, scw = _alt(self.number_words, ""), _alt(self.scales, "")
        self.number_re = re.compile(
            rf"(?<![\w.,/#])(?P<dig>{_DIGITS})(?![\d])(?P<dscale>(?:{_BL}+(?i:{scw})(?![A-Za-z]))*)"
            rf"|(?<![\w\-])(?P<word>(?i:(?:a|an|{numw})(?:(?:{_BL}+|-)(?:{numw}|{scw}))*))(?![\w\-])")
        self.abbr_re = re.compile(rf"(?i:{_alt(self.scale_abbr, '')})(?![A-Za-z])")

    def _load_context(self, ndata: dict) -> None:
        """Words that make a number no quantity, the unit classes, and the noun phrase limits."""
        self.ordinal_before = {w.lower() for w in ndata.get("ordinal_before", [])}
        self.name_glue = re.compile(ndata["name_glue"])
        self.one_not_after = {w.lower() for w in ndata.get("one_not_after", [])}
        self.measure = set(ndata.get("measure_units", []))
        self.currency = set(ndata.get("currency_units", []))
        self.of_object = set(ndata.get("of_object_units", []))
        self.no_adjectives = set(ndata.get("no_adjective_units", []))
        self.max_adjectives = int(ndata.get("max_adjectives", 2))
        self.stopwords = {w.lower() for w in ndata.get("stopwords", [])}
        self.stopwords |= set(self.number_words) | set(self.scales)
        self.determiners = {w.lower() for w in ndata.get("object_determiners", [])}
        self.max_object_words = int(ndata.get("max_object_words", 4))
        self.months = set(rules.load("time_en")["months"])

    # -- units and noun phrases -------------------------------------------------------------------------
    def _unit_id(self, surface: str) -> str:
        """The unit id of a unit surface, or ""."""
        s = _squash(surface)
        return self.exact.get(s) or self.folded.get(s.lower(), "")

    def unit_at(self, ft: str, pos: int, adjectives: bool = True) -> _UnitHit | None:
        """The unit noun at ``pos`` (blanks skipped), optionally after 1–``max_adjectives`` words."""
        p = _GAP.match(ft, pos).end()
        np_start = p
        for i in range(self.max_adjectives + 1):
            um = self.unit_re.match(ft, p)
            if um:
                unit = self._unit_id(um.group())
                if i and unit in self.no_adjectives:
                    return None
                if not self._modifies_next_noun(ft, um, unit):
                    return _UnitHit(unit, um.start(), um.end(), np_start)
            if not adjectives or i == self.max_adjectives:
                return None
            p = self._after_adjective(ft, p)
            if p is None:
                return None
        return None

    def _modifies_next_noun(self, ft: str, um: re.Match, unit: str) -> bool:
        """Whether the singular unit word ``um`` modifies the noun after it: "6 missile tests", "1 container ship"."""
        return (unit not in self.no_adjectives and um.group().lower() in self.singular
                and self._noun_follows(ft, um.end()))

    def _after_adjective(self, ft: str, pos: int) -> int | None:
        """Where the next word starts after the adjective at ``pos``; None when the noun phrase ends there."""
        wm = _WORD.match(ft, pos)
        if not wm or self._stops(wm.group()):
            return None
        after = _GAP.match(ft, wm.end()).end()
        return after if after != wm.end() else None   # punctuation after the word: the noun phrase ended

    def _noun_follows(self, ft: str, pos: int) -> bool:
        """Whether a lower-case noun follows ``pos`` (not a stopword, not a verb in -ed/-ing)."""
        m = _NEXT_LOWER_WORD.match(ft, pos)
        return bool(m) and not self._stops(m.group(1)) and not re.search(r"(?:ed|ing)$", m.group(1))

    def _stops(self, word: str) -> bool:
        """A word that ends a noun phrase: a stopword (IT is an acronym, not "it") or a month name."""
        if len(word) > 1 and word.isupper():
            return False
        return word.lower() in self.stopwords or word.rstrip(".") in self.months

    def _np_after(self, text: str, ft: str, pos: int) -> str:
        """A noun phrase starting at ``pos``: up to ``max_object_words`` words, stopping at stopwords."""
        p = _GAP.match(ft, pos).end()
        wm = _WORD.match(ft, p)
        while wm and wm.group().lower() in self.determiners:
            p = _GAP.match(ft, wm.end()).end()
            wm = _WORD.match(ft, p)
        first, last = p, None
        for i in range(self.max_object_words):
            if not wm or self._stops(wm.group()) or (i and re.fullmatch(r"[a-z]+ed", wm.group())):
                break   # a stopword, or a verb after the noun: "respondents backed" (but "refined products")
            last = wm.end()
            q = _GAP.match(ft, wm.end()).end()
            if q == wm.end():
                break
            wm = _WORD.match(ft, q)
        return text[first:last] if last else ""

    def _object(self, text: str, ft: str, hit: _UnitHit, ends: list[int]) -> str:
        """What is counted: the ``of`` phrase for measures (``in``/``worth of`` for money), else the noun phrase."""
        if hit.unit in self.measure or hit.unit in self.of_object:
            obj = self._linked_object(text, ft, _MONEY_LINK if hit.unit in self.currency else _OF_LINK, ends)
            if obj:
                return obj
        if hit.unit in self.measure:
            return ""
        return _LINE_BREAK.sub(" ", text[hit.np_start:hit.end])

    def _linked_object(self, text: str, ft: str, link: re.Pattern, ends: list[int]) -> str:
        """The noun phrase after ``link`` ("of") right after the first of ``ends`` it follows, or ""."""
        for pos in ends:
            m = link.match(ft, pos)
            if m:
                obj = self._np_after(text, ft, m.end())
                if obj:
                    return obj
        return ""

    # -- numbers ----------------------------------------------------------------------------------------
    def _parse(self, m: re.Match) -> Decimal | None:
        """Value of a NUMBER match: digits × scales, or number words (three hundred thousand)."""
        if m.group("dig"):
            value = _digits(m)
            for s in re.findall(r"[A-Za-z]+", m.group("dscale") or ""):
                value *= self.scales[s.lower()]
            return value
        return self._parse_words([w.lower() for w in _NUMBER_WORD_SEP.split(m.group("word")) if w])

    def _parse_words(self, words: list[str]) -> Decimal | None:
        """Value of lower-case number words; None for a lone "a"/"an" (only "a million", "a dozen" count)."""
        if words[0] in ("a", "an") and (len(words) == 1 or words[1] not in self.scales and words[1] != "dozen"):
            return None
        total, current = 0, 0
        for w in words:
            if w in ("a", "an"):
                current += 1
            elif w == "dozen":
                current = (current or 1) * 12
            elif w in self.number_words:
                current += self.number_words[w]
            elif w == "hundred":
                current = (current or 1) * 100
            else:
                total += (current or 1) * self.scales[w]
                current = 0
        return Decimal(total + current)

    def _number(self, ft: str, m: re.Match, *, currency: bool) -> _Number | None:
        """The value and end of a NUMBER match, with a scale abbreviation glued on after a currency ($2.8bn)."""
        value = self._parse(m)
        if value is None:
            return None
        if currency and m.group("dig") and not m.group("dscale"):
            am = self.abbr_re.match(ft, m.end())
            if am:
                return _Number(value=value * self.scale_abbr[am.group().lower()], end=am.end())
        return _Number(value=value, end=m.end())

    def _letters_glued(self, ft: str, pos: int, *, clock: bool) -> bool:
        """Whether letters stick to the number ending at ``pos``: 1st, 5G, 10-day (``clock``: 10:30, 5/31), not 10km."""
        glued = _GLUED_LETTERS_OR_CLOCK if clock else _GLUED_LETTERS
        return bool(glued.match(ft, pos)) and not self._glued_unit(ft, pos)

    def _glued_unit(self, ft: str, pos: int) -> bool:
        """A short unit written without a space (10km, 5bbl)."""
        um = self.unit_re.match(ft, pos)
        return bool(um) and len(um.group()) <= 3

    # -- context before the number ----------------------------------------------------------------------
    @staticmethod
    def _search_before(rx: re.Pattern, ft: str, pos: int, window: int = 60) -> tuple[re.Match | None, int]:
        """``rx`` (anchored with ``$``) searched in the ``window`` characters before ``pos``; (match, base)."""
        base = max(0, pos - window)
        return rx.search(ft[base:pos]), base

    def _last_word(self, ft: str, pos: int) -> str:
        """The word just before ``pos``, lower-cased, or ""."""
        m = _LAST_WORD.search(ft[max(0, pos - 40):pos])
        return m.group(1).lower() if m else ""

    def _currency_before(self, ft: str, pos: int) -> _UnitHit | None:
        """The currency sign or code right before the number at ``pos`` ($, US$, USD), as its unit."""
        cm, base = self._search_before(self.prefix_unit_re, ft, pos, 8)
        if not cm:
            return None
        start = base + cm.start()
        return _UnitHit(unit=self._unit_id(cm.group().strip()), start=start, end=pos, np_start=start)

    def _between_before(self, ft: str, pos: int) -> int | None:
        """Where "between" stands right before the number at ``pos``, or None."""
        bm, base = self._search_before(_BETWEEN, ft, pos, 20)
        return base + bm.start() if bm else None

    def _is_not_a_count(self, ft: str, m: re.Match, head: int) -> bool:
        """Whether the number starting at ``head`` is part of a name, an ordinal, "no one" or a ratio."""
        if self.name_glue.search(ft[max(0, head - 2):head]):
            return True   # G7, F-35, KN-23
        if after_ordinal_word(ft, head, self.ordinal_before):
            return True   # Article 51, resolution 2270, UNSCR 1718, resolutions 1718 and 2094
        if m.group("word") and m.group("word").lower() == "one" and self._last_word(ft, head) in self.one_not_after:
            return True   # no one, any one
        return self._search_before(_RATIO, ft, head, 20)[0] is not None   # 1 in 5 people

    # -- qualifiers -------------------------------------------------------------------------------------
    def _prefix_qualifier(self, ft: str, pos: int) -> _QualifierHit | None:
        """The qualifier right before ``pos``: "more than", "at least", "about"."""
        pm, base = self._search_before(self.prefix_re, ft, pos)
        if not pm:
            return None
        return _QualifierHit(self.prefix_quals[_squash(pm.group(1).lower())], base + pm.start(), base + pm.end())

    def _suffix_qualifier(self, ft: str, pos: int) -> _QualifierHit | None:
        """The qualifier right after ``pos``: "or more", ", at most"."""
        sm = self.suffix_re.match(ft, pos)
        if not sm:
            return None
        return _QualifierHit(self.suffix_quals[_squash(sm.group(1).lower())], sm.start(), sm.end())

    # -- main -------------------------------------------------------------------------------------------
    def find(self, text: str) -> list[Quantity]:
        """All quantity expressions in ``text`` (a sentence or paragraph), in order, not overlapping."""
        ft = fold(text)
        dates = self.times.spans(ft)
        out: list[Quantity] = []
        consumed = 0
        for pos, is_number, m in self._candidates(ft):
            if pos < consumed or _inside(pos, dates):
                continue
            q = self._numeric(text, ft, m, dates) if is_number else self._vague(text, ft, m)
            if q is not None:
                out.append(q)
                consumed = q.end
        return out

    def _candidates(self, ft: str) -> list[tuple[int, bool, re.Match]]:
        """Vague amounts and numbers in text order, as (start, is_number, match); a vague amount first at a tie."""
        vague = [(m.start(), False, m) for m in self.vague_re.finditer(ft)]
        numbers = [(m.start(), True, m) for m in self.number_re.finditer(ft)]
        return sorted(vague + numbers, key=lambda c: c[:2])

    def _vague(self, text: str, ft: str, m: re.Match) -> Quantity | None:
        """A vague amount followed by a unit noun: "several thousand troops"."""
        hit = self.unit_at(ft, m.end())
        if hit is None:
            return None
        suffix = self._suffix_qualifier(ft, hit.end) or _QualifierHit.absent(hit.end)
        return Quantity(start=m.start(), end=suffix.end, value=None, value_max=None,
                        unit=hit.unit, unit_surface=text[hit.start:hit.end], qualifier="vague",
                        object=self._object(text, ft, hit, [hit.end, suffix.end]), norm_check="n/a")

    def _numeric(self, text: str, ft: str, m: re.Match, dates) -> Quantity | None:
        """The quantity at the NUMBER match ``m``; None for names, ordinals and numbers without a unit."""
        currency = self._currency_before(ft, m.start()) if m.group("dig") else None
        head = currency.start if currency else m.start()
        if self._is_not_a_count(ft, m, head):
            return None
        first = self._number(ft, m, currency=currency is not None)
        if first is None or self._letters_glued(ft, first.end, clock=True):
            return None   # a lone "a"; 1st, 5G, 10:30, 5/31, 10-day
        span = self._span(text, ft, m, first, currency=currency, head=head, dates=dates)
        if span is None:
            return None   # bare numbers are not claims
        return self._quantity(text, ft, span)

    def _span(self, text: str, ft: str, m: re.Match, first: _Number, *, currency: _UnitHit | None, head: int,
              dates) -> _Span | None:
        """The number or range from ``m`` on and its unit (the currency sign, else a unit noun), or None."""
        between = self._between_before(ft, head)
        first_unit = None if currency else self.unit_at(ft, first.end, adjectives=False)
        rng = self._range(ft, first_unit.end if first_unit else first.end, m1=m, first=first.value,
                          currency=currency is not None, first_unit=first_unit, between=between is not None,
                          dates=dates)
        start = between if (rng and between is not None) else head
        value, value_max, end = (rng.value, rng.value_max, rng.end) if rng else (first.value, None, first.end)
        if currency:
            return _Span(start=start, value=value, value_max=value_max, unit=currency,
                         unit_surface=text[currency.start:currency.end].strip(), unit_end=end)
        if rng:
            unit, inner = rng.unit or first_unit, ""
        else:
            unit, inner = self._unit_after(ft, end, first_unit)
        if unit is None:
            return None
        return _Span(start=start, value=value, value_max=value_max, unit=unit,
                     unit_surface=text[unit.start:unit.end], unit_end=unit.end, inner=inner)

    def _unit_after(self, ft: str, pos: int, first_unit: _UnitHit | None) -> tuple[_UnitHit | None, str]:
        """(unit, inner qualifier) after a single number: "11,000 soldiers", "11,000 or more soldiers"."""
        unit = first_unit or self.unit_at(ft, pos)
        if unit is not None:
            return unit, ""
        inner = self._suffix_qualifier(ft, pos)
        unit = self.unit_at(ft, inner.end) if inner else None
        return (unit, inner.qualifier) if unit else (None, "")

    def _quantity(self, text: str, ft: str, span: _Span) -> Quantity:
        """The Quantity of ``span``, widened by the qualifiers around it, with what it counts."""
        prefix = self._prefix_qualifier(ft, span.start) or _QualifierHit.absent(span.start)
        suffix = self._suffix_qualifier(ft, span.unit_end) or _QualifierHit.absent(span.unit_end)
        default = "range" if span.value_max is not None else "exact"
        return Quantity(
            start=prefix.start, end=suffix.end,
            value=as_number(float(span.value)),
            value_max=as_number(float(span.value_max)) if span.value_max is not None else None,
            unit=span.unit.unit, unit_surface=span.unit_surface,
            qualifier=suffix.qualifier or span.inner or prefix.qualifier or default,
            object=self._object(text, ft, span.unit, [span.unit_end, suffix.end]), norm_check="n/a")

    # -- ranges -----------------------------------------------------------------------------------------
    def _range(self, ft: str, pos: int, *, m1: re.Match, first: Decimal, currency: bool,
               first_unit: _UnitHit | None, between: bool, dates) -> _RangeHit | None:
        """The second half of a range after ``pos``: "1,000-1,500", "between 2 and 3", "$1.5-2 billion"."""
        sep = self.range_re.match(ft, pos)
        if not sep:
            return None
        word_sep = (sep.group("wsep") or "").lower()
        if word_sep == "and" and not between:
            return None   # "and" makes a range only after "between"
        m2 = self._second_number(ft, sep.end(), currency=currency, dates=dates)
        if m2 is None:
            return None
        if not word_sep and not (m1.group("dig") and m2.group("dig")):
            return None   # dashes join digits only: "one-two" is not a range
        second = self._number(ft, m2, currency=currency)
        if second is None or self._letters_glued(ft, second.end, clock=False):
            return None
        second_unit = None if currency else self.unit_at(ft, second.end)
        if not self._range_has_unit(first_unit, second_unit, currency=currency):
            return None
        low = self._shared_scale(m1, first, m2, second.value)
        if second.value <= low:
            return None
        return _RangeHit(value=low, value_max=second.value, end=second.end, unit=second_unit)

    def _second_number(self, ft: str, pos: int, *, currency: bool, dates) -> re.Match | None:
        """The NUMBER match at ``pos`` (after a repeated currency sign: "$1-$2"), unless it starts a date."""
        if currency:
            sign = self.prefix_unit_at.match(ft, pos)
            if sign:
                pos = sign.end()
        m2 = self.number_re.match(ft, pos)
        if not m2 or _inside(m2.start(), dates):
            return None
        return m2

    @staticmethod
    def _range_has_unit(first_unit: _UnitHit | None, second_unit: _UnitHit | None, *, currency: bool) -> bool:
        """Whether a range has one unit: a currency sign, or a unit after either number (the same after both)."""
        if first_unit and second_unit:
            return second_unit.unit == first_unit.unit
        return currency or bool(first_unit or second_unit)

    @staticmethod
    def _shared_scale(m1: re.Match, v1: Decimal, m2: re.Match, v2: Decimal) -> Decimal:
        """The first value, scaled by the scale written once after the second: "1-2 million", "$1.5-2 billion"."""
        raw1 = _digits(m1) if m1.group("dig") else v1
        raw2 = _digits(m2) if m2.group("dig") else v2
        if v1 == raw1 and v2 != raw2 and raw1 < raw2:
            return v1 * (v2 / raw2)
        return v1


@lru_cache(maxsize=1)
def _finder() -> QuantityFinderEn:
    """The finder of this process, built on first use."""
    return QuantityFinderEn()


def find_quantities_en(text: str) -> list[Quantity]:
    """All quantity expressions in an English ``text``; offsets into ``text`` (see the module docstring)."""
    return _finder().find(text)


def unit_follows(text: str, pos: int) -> bool:
    """Whether a known unit noun (possibly after adjectives) follows ``pos``: "2000 soldiers" is a count."""
    return _finder().unit_at(fold(text), pos) is not None
