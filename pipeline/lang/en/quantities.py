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
# blanks between words: at most one line break (a paragraph break ends a quantity)
_GAP = re.compile(rf"{_BL}*\n?{_BL}*")
_WORD = re.compile(r"(?:[A-Z]\.){2,}|[A-Za-z][A-Za-z0-9'’\-]*")
_DIGITS = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"


@dataclass(frozen=True)
class EnQualifier:
    """One English qualifier surface (``more than``) and its canonical qualifier."""

    surface: str
    position: str
    qualifier: str


@dataclass(frozen=True)
class _UnitHit:
    unit: str
    start: int        # unit surface
    end: int
    np_start: int     # first adjective (or the unit surface itself)


def _alt(words, flags: str = "i") -> str:
    """Longest-first alternation of literal ``words``, blanks matching any run of spaces."""
    body = "|".join(re.escape(w).replace(r"\ ", f"{_BL}+") for w in sorted(words, key=len, reverse=True))
    return f"(?{flags}:{body})" if flags else f"(?:{body})"


def _is_prefix_surface(surface: str) -> bool:
    """Currency symbols and ISO codes may stand before the number: $, US$, ¥, €, USD, JPY."""
    return any(unicodedata.category(c) == "Sc" for c in surface) or re.fullmatch(r"[A-Z]{3}", surface) is not None


class QuantityFinderEn:
    """Finds English quantity expressions using the rule data in ``models/``."""

    def __init__(self):
        udata, qdata, ndata = rules.load("units"), rules.load("qualifiers"), rules.load("numbers_en")
        # units: exact (codes, symbols) and case-insensitive (words) surfaces
        self.exact: dict[str, str] = {}
        self.folded: dict[str, str] = {}
        prefix_surfaces = []
        for entry in udata.get("units", []):
            for s in map(str, entry.get("en", [])):
                table, key = (self.folded, s.lower()) if re.search(r"[a-z]", s) else (self.exact, s)
                if key in table and table[key] != entry["id"]:
                    raise rules.RuleDataError(f"units.yaml: English surface {s!r} maps to two units")
                table[key] = entry["id"]
                if _is_prefix_surface(s):
                    prefix_surfaces.append(s)
        alts = []
        for s in sorted([*self.exact, *self.folded], key=len, reverse=True):
            body = re.escape(s).replace(r"\ ", f"{_BL}+")
            if s in self.folded:
                body = f"(?i:{body})"
            alts.append(body + (r"(?![A-Za-z])" if s[-1].isalpha() else ""))
        self.unit_re = re.compile("|".join(alts))
        # singular nouns (missile: missiles exists) can modify a following noun: "missile tests"
        self.singular = {s.lower() for entry in udata.get("units", []) for s in map(str, entry.get("en", []))
                         if {f"{s}s", f"{s}es"} & set(map(str, entry.get("en", [])))}
        self.prefix_unit_re = re.compile(rf"(?<![A-Za-z])(?:{_alt(prefix_surfaces, '')}){_BL}?$")
        self.prefix_unit_at = re.compile(rf"(?:{_alt(prefix_surfaces, '')}){_BL}?")

        quals = [EnQualifier(q["surface"], q["position"], q["qualifier"]) for q in qdata.get("en_qualifiers", [])]
        self.prefix_quals = {q.surface.lower(): q.qualifier for q in quals if q.position == "prefix"}
        self.suffix_quals = {q.surface.lower(): q.qualifier for q in quals if q.position == "suffix"}
        self.prefix_re = re.compile(
            rf"(?<![A-Za-z])({_alt(self.prefix_quals)}){_BL}*$")
        self.suffix_re = re.compile(rf"{_BL}*,?{_BL}*({_alt(self.suffix_quals)})(?![A-Za-z])")
        seps = [s for s in qdata.get("en_range_separators", []) if not s.isalpha()]
        words = [s for s in qdata.get("en_range_separators", []) if s.isalpha()]
        self.range_re = re.compile(
            rf"{_BL}*(?P<sep>{_alt(seps, '')}){_BL}*|{_BL}+(?P<wsep>{_alt(words, '')}){_BL}+")
        self.vague_re = re.compile(
            r"(?<![\w\-])(?i:" + "|".join(f"(?:{p['pattern']})" for p in qdata.get("en_vague_patterns", [])) +
            r")(?![\w\-])")

        self.number_words = {str(k).lower(): int(v) for k, v in ndata["number_words"].items()}
        self.scales = {str(k).lower(): int(v) for k, v in ndata["scales"].items()}
        self.scale_abbr = {str(k).lower(): int(v) for k, v in ndata.get("scale_abbreviations", {}).items()}
        numw, scw = _alt(self.number_words, ""), _alt(self.scales, "")
        self.number_re = re.compile(
            rf"(?<![\w.,/#])(?P<dig>{_DIGITS})(?![\d])(?P<dscale>(?:{_BL}+(?i:{scw})(?![A-Za-z]))*)"
            rf"|(?<![\w\-])(?P<word>(?i:(?:a|an|{numw})(?:(?:{_BL}+|-)(?:{numw}|{scw}))*))(?![\w\-])")
        self.abbr_re = re.compile(rf"(?i:{_alt(self.scale_abbr, '')})(?![A-Za-z])")
        self.ordinal_before = {w.lower() for w in ndata.get("ordinal_before", [])}
        self.name_glue = re.compile(ndata["name_glue"])
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
        self._between_re = re.compile(rf"(?i:\bbetween){_BL}+$")
        self._ratio_re = re.compile(rf"\d{_BL}+(?i:in|out{_BL}+of){_BL}+$")
        self.one_not_after = {w.lower() for w in ndata.get("one_not_after", [])}
        self.times = TimeResolverEn(unit_follows=lambda text, pos: self.unit_at(fold(text), pos) is not None)

    # -- pieces -----------------------------------------------------------------------------------------
    def _unit_id(self, surface: str) -> str:
        s = re.sub(rf"{_BL}+", " ", surface)
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
                if not (unit not in self.no_adjectives and um.group().lower() in self.singular
                        and self._modifier_before(ft, um.end())):
                    return _UnitHit(unit, um.start(), um.end(), np_start)
                # "6 missile tests", "1 container ship": the unit word modifies the noun after it
            if not adjectives or i == self.max_adjectives:
                return None
            wm = _WORD.match(ft, p)
            if not wm or self._stops(wm.group()):
                return None
            p = _GAP.match(ft, wm.end()).end()
            if p == wm.end():
                return None   # punctuation after the word: the noun phrase ended
        return None

    def _modifier_before(self, ft: str, pos: int) -> bool:
        """Whether a lower-case noun follows ``pos`` (not a stopword, not a verb in -ed/-ing)."""
        m = re.compile(rf"{_BL}+([a-z][a-z\-]*)(?![A-Za-z'’])").match(ft, pos)
        return bool(m) and not self._stops(m.group(1)) and not re.search(r"(?:ed|ing)$", m.group(1))

    def _stops(self, word: str) -> bool:
        """A word that ends a noun phrase: a stopword (IT is an acronym, not "it") or a month name."""
        if len(word) > 1 and word.isupper():
            return False
        return word.lower() in self.stopwords or word.rstrip(".") in self.months

    def _parse(self, m: re.Match) -> Decimal | None:
        """Value of a NUMBER match: digits × scales, or number words (three hundred thousand)."""
        if m.group("dig"):
            value = Decimal(m.group("dig").replace(",", ""))
            for s in re.findall(r"[A-Za-z]+", m.group("dscale") or ""):
                value *= self.scales[s.lower()]
            return value
        words = [w.lower() for w in re.split(rf"(?:{_BL}|-)+", m.group("word")) if w]
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

    def _last_word(self, ft: str, pos: int) -> str:
        m = re.search(r"([A-Za-z][A-Za-z./]*)" + _BL + r"*$", ft[max(0, pos - 40):pos])
        return m.group(1).lower() if m else ""

    @staticmethod
    def _search_before(rx: re.Pattern, ft: str, pos: int, window: int = 60) -> tuple[re.Match | None, int]:
        """``rx`` (anchored with ``$``) searched in the ``window`` characters before ``pos``; (match, base)."""
        base = max(0, pos - window)
        return rx.search(ft[base:pos]), base

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
            link = r"worth{0}+of|of|in".format(_BL) if hit.unit in self.currency else rf"worth{_BL}+of|of"
            for pos in ends:
                m = re.compile(rf"{_BL}+(?i:{link}){_BL}+").match(ft, pos)
                if m:
                    obj = self._np_after(text, ft, m.end())
                    if obj:
                        return obj
        if hit.unit in self.measure:
            return ""
        return re.sub(rf"{_BL}*\n{_BL}*", " ", text[hit.np_start:hit.end])

    def _qualifiers(self, ft: str, start: int, end: int) -> tuple[str, int, str, int]:
        """(prefix qualifier, new start, suffix qualifier, new end)."""
        prefix = ""
        pm, base = self._search_before(self.prefix_re, ft, start)
        if pm:
            prefix, start = self.prefix_quals[re.sub(rf"{_BL}+", " ", pm.group(1).lower())], base + pm.start()
        suffix = ""
        sm = self.suffix_re.match(ft, end)
        if sm:
            suffix, end = self.suffix_quals[re.sub(rf"{_BL}+", " ", sm.group(1).lower())], sm.end()
        return prefix, start, suffix, end

    # -- main -------------------------------------------------------------------------------------------
    def find(self, text: str) -> list[Quantity]:
        """All quantity expressions in ``text`` (a sentence or paragraph), in order, not overlapping."""
        ft = fold(text)
        dates = self.times.spans(ft)
        candidates = sorted([(m.start(), 0, m) for m in self.vague_re.finditer(ft)] +
                            [(m.start(), 1, m) for m in self.number_re.finditer(ft)], key=lambda c: c[:2])
        out: list[Quantity] = []
        consumed = 0
        for pos, kind, m in candidates:
            if pos < consumed or any(s <= pos < e for s, e in dates):
                continue
            q = self._vague(text, ft, m) if kind == 0 else self._numeric(text, ft, m, dates)
            if q is not None:
                out.append(q)
                consumed = q.end
        return out

    def _vague(self, text: str, ft: str, m: re.Match) -> Quantity | None:
        hit = self.unit_at(ft, m.end())
        if hit is None:
            return None
        _p, _s, _suffix, end = self._qualifiers(ft, m.start(), hit.end)
        obj = self._object(text, ft, hit, [hit.end, end])
        return Quantity(m.start(), end, None, None, hit.unit, text[hit.start:hit.end], "vague", obj, "n/a")

    def _currency_before(self, ft: str, pos: int) -> tuple[str, int] | None:
        cm, base = self._search_before(self.prefix_unit_re, ft, pos, 8)
        return (self._unit_id(cm.group().strip()), base + cm.start()) if cm else None

    def _number(self, ft: str, m: re.Match, currency: bool) -> tuple[Decimal, int] | None:
        """(value, end) of a number match, with a glued scale abbreviation after a currency ($2.8bn)."""
        value = self._parse(m)
        if value is None:
            return None
        end = m.end()
        if currency and m.group("dig") and not m.group("dscale"):
            am = self.abbr_re.match(ft, end)
            if am:
                value *= self.scale_abbr[am.group().lower()]
                end = am.end()
        return value, end

    def _numeric(self, text: str, ft: str, m: re.Match, dates) -> Quantity | None:
        s = m.start()
        cur = self._currency_before(ft, s) if m.group("dig") else None
        head_end = cur[1] if cur else s
        if self.name_glue.search(ft[max(0, head_end - 2):head_end]):
            return None  # G7, F-35, KN-23
        last = self._last_word(ft, head_end)
        if after_ordinal_word(ft, head_end, self.ordinal_before):
            return None  # Article 51, resolution 2270, UNSCR 1718, resolutions 1718 and 2094
        if m.group("word") and m.group("word").lower() == "one" and last in self.one_not_after:
            return None  # no one, any one
        if self._search_before(self._ratio_re, ft, head_end, 20)[0]:
            return None  # 1 in 5 people
        parsed = self._number(ft, m, bool(cur))
        if parsed is None:
            return None
        value, end = parsed
        if re.match(r"[:/]\d|[A-Za-z]|-[A-Za-z]", ft[end:end + 2]) and not self._glued_unit(ft, end):
            return None  # 1st, 5G, 10:30, 5/31, 10-day
        value_max = None
        between, base = self._search_before(self._between_re, ft, head_end, 20)
        first_unit = self.unit_at(ft, end, adjectives=False) if not cur else None
        rng = self._range(ft, end if first_unit is None else first_unit.end, m, value, bool(cur), first_unit,
                          bool(between), dates)
        if rng:
            value, value_max, end, second_unit = rng
            hit = second_unit or first_unit
        else:
            hit = first_unit if first_unit else (None if cur else self.unit_at(ft, end))
        inner = ""
        if hit is None and not cur and value_max is None:
            sm = self.suffix_re.match(ft, end)   # "11,000 or more soldiers"
            hit = self.unit_at(ft, sm.end()) if sm else None
            if hit:
                inner = self.suffix_quals[re.sub(rf"{_BL}+", " ", sm.group(1).lower())]
        if cur:
            unit, unit_surface, unit_end = cur[0], text[cur[1]:s].strip(), end
            hit = _UnitHit(unit, cur[1], s, cur[1])
        elif hit is None:
            return None  # bare numbers are not claims
        else:
            unit, unit_surface, unit_end = hit.unit, text[hit.start:hit.end], hit.end
        start = base + between.start() if (between and value_max is not None) else head_end
        prefix, start, suffix, end = self._qualifiers(ft, start, unit_end)
        qualifier = suffix or inner or prefix or ("range" if value_max is not None else "exact")
        obj = self._object(text, ft, hit, [unit_end, end])
        return Quantity(start, end, as_number(float(value)),
                        as_number(float(value_max)) if value_max is not None else None,
                        unit, unit_surface, qualifier, obj, "n/a")

    def _glued_unit(self, ft: str, pos: int) -> bool:
        """A short unit written without a space (10km, 5bbl)."""
        um = self.unit_re.match(ft, pos)
        return bool(um) and len(um.group()) <= 3

    def _range(self, ft, pos, m1, v1, currency, first_unit, between, dates):
        """Second half of a range after ``pos``: (value, value_max, end, unit hit) or None."""
        sm = self.range_re.match(ft, pos)
        if not sm:
            return None
        wsep = (sm.group("wsep") or "").lower()
        if wsep == "and" and not between:
            return None
        p = sm.end()
        if currency:
            cur2 = self.prefix_unit_at.match(ft, p)
            if cur2:
                p = cur2.end()
        m2 = self.number_re.match(ft, p)
        if not m2 or any(s <= m2.start() < e for s, e in dates):
            return None
        if not wsep and not (m1.group("dig") and m2.group("dig")):
            return None  # dashes join digits only: "one-two" is not a range
        parsed = self._number(ft, m2, currency)
        if parsed is None:
            return None
        v2, end = parsed
        if re.match(r"[A-Za-z]|-[A-Za-z]", ft[end:end + 2]) and not self._glued_unit(ft, end):
            return None
        second_unit = None if currency else self.unit_at(ft, end)
        if first_unit and second_unit and second_unit.unit != first_unit.unit:
            return None
        if wsep and not (currency or first_unit or second_unit):
            return None
        if not currency and not (first_unit or second_unit):
            return None
        # "1-2 million", "$1.5-2 billion": the scale written once applies to both
        raw1 = Decimal(m1.group("dig").replace(",", "")) if m1.group("dig") else v1
        raw2 = Decimal(m2.group("dig").replace(",", "")) if m2.group("dig") else v2
        if v1 == raw1 and v2 != raw2 and raw1 < raw2:
            v1 = v1 * (v2 / raw2)
        if v2 <= v1:
            return None
        return v1, v2, end, second_unit


@lru_cache(maxsize=1)
def _finder() -> QuantityFinderEn:
    return QuantityFinderEn()


def find_quantities_en(text: str) -> list[Quantity]:
    """All quantity expressions in an English ``text``; offsets into ``text`` (see the module docstring)."""
    return _finder().find(text)


def unit_follows(text: str, pos: int) -> bool:
    """Whether a known unit noun (possibly after adjectives) follows ``pos``: "2000 soldiers" is a count."""
    return _finder().unit_at(fold(text), pos) is not None
