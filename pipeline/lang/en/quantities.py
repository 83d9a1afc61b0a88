"""English quantity expressions: qualifier + number + unit + counted object, as :class:`~pipeline.core.records.Quantity`.

The English counterpart of :mod:`pipeline.lang.ja.quantities`, in plain Python and regular expressions (no spaCy):
the same canonical units (``models/units.yaml``, ``en`` surfaces) and qualifiers (``models/qualifiers.yaml``,
``en_qualifiers``), so that a Japanese and an English claim compare field by field::

    more than 11,000 soldiers                      → 11000, person, more_than, object "soldiers"
    at least $2.8 billion in crypto assets         → 2800000000, USD, at_least, object "crypto assets"
    about 1,000-1,500 IT workers                   → 1000–1500, person, approx, object "IT workers"
    several thousand troops                        → None, person, vague, object "troops"
    212 patrol flights, seven of those rallies     → 212 flight, 7 rally (a counted noun: its lemma)
    a 52-minute sortie, 2 hours and 15 minutes     → 52 minute; 2.25 hour (one duration)
    $15.4/hour, -15€, ($99.99)                     → 15.4 USD per hour; -15 EUR; -99.99 USD

Offsets are into the text given (matching runs on the length-preserving :func:`~pipeline.core.numerals.fold`),
and ``text[q.start:q.end]`` is the surface including qualifiers but not the ``of`` phrase. Years and dates
(found with :class:`~pipeline.lang.en.timex.TimeResolverEn`), ordinals (Article 6, UNSCR 1874), names
(G7, F-35, Hwasong 15), clock times, list and telephone numbers, ages (a 25-year-old) and numbers without a
unit or a counted noun are not quantities. Numbers are read by :mod:`pipeline.lang.en.numbers`, units and
counted nouns by :mod:`pipeline.lang.en.nouns`; the word lists are in ``models/numbers_en.yaml``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import lru_cache

from pipeline.core import rules
from pipeline.core.numerals import as_number, fold
from pipeline.core.records import Quantity
from pipeline.lang.en.nouns import PROSE_WORD, NounReader, UnitHit, squash
from pipeline.lang.en.numbers import BL, Number, NumberReader, alternation
from pipeline.lang.en.ranges import RangeReader, inside
from pipeline.lang.en.shares import SharesReader
from pipeline.lang.en.timex import TimeResolverEn, after_ordinal_word

_LAST_WORD = re.compile(rf"([A-Za-z][A-Za-z./]*){BL}*$")
# letters glued to a number (1st, 5G, 10-day); with a clock or date: 10:30, 5/31; a sum: 2+2
_GLUED_LETTERS = re.compile(r"[A-Za-z]|-[A-Za-z]")
_GLUED_LETTERS_OR_CLOCK = re.compile(r"[:/]\d|[A-Za-z]|-[A-Za-z]|\+")
_RATIO = re.compile(rf"\d{BL}+(?i:in|out{BL}+of){BL}+$")
# a word glued to the number by a hyphen ("a 52-minute sortie", "three-year"); an age ("25-year-old") is no claim
_PLAIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_HYPHEN_WORD = re.compile(r"[-‐]([A-Za-z]+)(?![A-Za-z])")
_AGE = re.compile(r"[-‐][A-Za-z]+[-‐]old(?![A-Za-z])")
# "N of the/these/its … NOUN": a part of a group, counted ("seven of those rallies")
_PARTITIVE = re.compile(rf"{BL}+of{BL}+(?i:the|these|those|its|their|his|her|our){BL}+")
# a sign: "-15€", "−3.5%"; an accounting negative "($99.99)"
_MINUS_BEFORE = re.compile(r"(?:^|(?<=[\s(]))-$")
_ACCOUNTING = re.compile(r"\([$€£¥][\d,]+(?:\.\d+)?\)")
_VAGUE, _NUMBER, _TIMES_WORD, _SINGLE = 0, 1, 2, 3   # kinds of candidates, in the order they win a tie
# "a single missile": one, before a unit of units.yaml only ("a single market" is no count)
_A_SINGLE = re.compile(rf"(?<![\w\-])(?i:an?{BL}+single)(?![\w\-])")
# "Of the 30 boats, 12 were seized": the group a bare number belongs to
_OF_GROUP = re.compile(rf"(?i:\bof{BL}+(?:the|these|those){BL}+)(?=[\d])[\d,.]+(?:{BL}+(?:million|thousand))?")
_HHMM = re.compile(r"(?:[01]\d|2[0-3])[0-5]\d")
_YEAR_LIKE = re.compile(r"(?:19|20)\d\d")
_UNIT_WINDOW = 200   # characters after a number that can hold its unit (a few adjectives and the noun)


@dataclass(frozen=True)
class EnQualifier:
    """One English qualifier surface (``more than``) and its canonical qualifier."""

    surface: str
    position: str
    qualifier: str


@dataclass(frozen=True)
class _Span:
    """The numbers and unit of one quantity, before the qualifiers around them are read."""

    start: int                  # the currency sign, the number, or "between" before a range
    value: Decimal
    value_max: Decimal | None   # set for a range
    unit: UnitHit
    unit_surface: str
    unit_end: int               # where the unit noun ends; after a currency sign, where the numbers end
    inner: str = ""             # a qualifier between number and unit: "11,000 or more soldiers"
    object_after: bool = False  # what is counted follows the unit: "a 5,000-strong force"


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


class QuantityFinderEn(RangeReader, SharesReader):
    """Finds English quantity expressions using the rule data in ``models/``."""

    def __init__(self):
        """Load units, qualifiers and number words from ``models/`` and compile the regexes over them."""
        udata, qdata, ndata = rules.load("units"), rules.load("qualifiers"), rules.load("numbers_en")
        self.months = set(rules.load("time_en")["months"])
        self.numbers = NumberReader(ndata)
        self.nouns = NounReader(udata, ndata, self.months)
        self._load_qualifiers(qdata)
        self._load_context(ndata)
        self._load_unit_words(ndata)
        self._load_shares(ndata)
        self.times = TimeResolverEn(unit_follows=self.unit_follows)

    # -- rule data --------------------------------------------------------------------------------------
    def _load_qualifiers(self, qdata: dict) -> None:
        """Prefix and suffix qualifiers, range separators and vague amounts, and their regexes."""
        quals = [EnQualifier(q["surface"], q["position"], q["qualifier"]) for q in qdata.get("en_qualifiers", [])]
        self.prefix_quals = {q.surface.lower(): q.qualifier for q in quals if q.position == "prefix"}
        self.suffix_quals = {q.surface.lower(): q.qualifier for q in quals if q.position == "suffix"}
        self.prefix_re = re.compile(rf"(?<![A-Za-z])({alternation(self.prefix_quals)}){BL}*$")
        # a suffix qualifier is no qualifier of this number when a number follows it: "5 km at least 3 times"
        number = rf"(?:\d|{alternation(self.numbers.words)}(?![A-Za-z]))"
        self.suffix_re = re.compile(rf"{BL}*,?{BL}*({alternation(self.suffix_quals)})(?![A-Za-z])(?!{BL}*{number})")
        self.qualifier_words = {w for s in self.prefix_quals for w in s.split()}
        separators = qdata.get("en_range_separators", [])
        self.range_words = {s.lower() for s in separators if s.isalpha()}
        signs = alternation([s for s in separators if not s.isalpha()], "")
        words = alternation([s for s in separators if s.isalpha()], "")
        self.range_re = re.compile(rf"{BL}*(?P<sep>{signs}){BL}*|{BL}+(?P<wsep>{words}){BL}+")
        vague = "|".join(f"(?:{p['pattern']})" for p in qdata.get("en_vague_patterns", []))
        self.vague_re = re.compile(rf"(?<![\w\-])(?i:{vague})(?![\w\-])")

    def _load_context(self, ndata: dict) -> None:
        """Words that make a number no quantity, or a range two values."""
        self.ordinal_before = {w.lower() for w in ndata.get("ordinal_before", [])}
        self.name_glue = re.compile(ndata["name_glue"])
        self.one_not_after = {w.lower() for w in ndata.get("one_not_after", [])}
        self.one_reciprocal = re.compile(ndata.get("one_reciprocal", "(?!)"))
        self.change_words = {w.lower() for w in ndata.get("change_words", [])}
        self.minus_word_re = re.compile(rf"(?<![A-Za-z])(?i:{alternation(ndata.get('minus_words', []), '')}){BL}+$")
        self.durations = set(ndata.get("duration_units", []))
        self.over_duration_after = {w.lower() for w in ndata.get("over_duration_after", [])}
        self.clock_before = {w.lower() for w in ndata.get("clock_before", [])}
        self.clock_units = set(ndata.get("clock_units", []))

    def _load_unit_words(self, ndata: dict) -> None:
        """Units written next to the number: hyphenated, in two parts, a rate's denominator, a multiplier,
        "twice", a unit before the number (Mach 5)."""
        self.hyphen_units = {str(k).lower(): str(v) for k, v in ndata.get("hyphen_units", {}).items()}
        self.compound = {str(k): {str(u): int(f) for u, f in v.items()}
                         for k, v in ndata.get("compound_durations", {}).items()}
        denominators = alternation(ndata.get("rate_denominators", []))
        self.rate_re = re.compile(rf"(?:{BL}*/{BL}*|{BL}+(?i:per|a|an|each|every){BL}+)({denominators})(?![A-Za-z])")
        self.multiplier_units = {str(k): str(v) for k, v in ndata.get("multiplier_units", {}).items()}
        self.multiplier_re = re.compile(rf"{BL}+{alternation(ndata.get('multiplier_after', []))}(?![A-Za-z])")
        self.times_words = {str(k).lower(): int(v) for k, v in ndata.get("times_words", {}).items()}
        self.times_unit = str(ndata.get("times_unit", ""))
        self.times_word_re = re.compile(rf"(?<![\w\-])(?i:{alternation(self.times_words, '')})(?![\w\-])")
        self.units_before = {str(k): str(v) for k, v in ndata.get("units_before_number", {}).items()}
        self.one_periods = {str(k).lower(): str(v) for k, v in ndata.get("singular_durations", {}).items()}
        self.one_period_re = re.compile(rf"{BL}+({alternation(self.one_periods)})(?![A-Za-z\-])")
        self.participle_unit = str(ndata.get("casualty_unit", "person"))
        aux = alternation(ndata.get("casualty_auxiliaries", []), "")
        self.participle_re = re.compile(   # "1,100 injured", "5.4 million are internally displaced"
            rf"(?:{BL}+{aux}(?:{BL}+(?:[a-z]+ly|later|since|already|also|still|then|now))?)?"
            rf"{BL}+({alternation(ndata.get('casualty_participles', []), '')})"
            rf"(?![A-Za-z\-])")
        self.unit_before_re = re.compile(rf"(?<![A-Za-z])({alternation(self.units_before, '')}){BL}?$")
        quals = alternation(self.prefix_quals, "")
        self.level_re = re.compile(   # "... exceeded 4,000", "... rose to more than 4,000"
            rf"(?<![A-Za-z])(?i:{alternation(ndata.get('level_verbs', []), '')}){BL}+(?:(?i:{quals}){BL}+)?$")
        self.level_words = int(ndata.get("level_subject_words", 4))

    def unit_at(self, ft: str, pos: int, adjectives: bool = True) -> UnitHit | None:
        """The known unit noun at ``pos`` (see :meth:`NounReader.unit_at`)."""
        return self.nouns.unit_at(ft, pos, adjectives)

    def unit_follows(self, text: str, pos: int) -> bool:
        """Whether a known unit noun (possibly after adjectives) follows ``pos``: "2000 soldiers" is a count.
        Only the next words are folded, so that a caller may ask this of every number of a long text."""
        return self.unit_at(fold(text[pos:pos + _UNIT_WINDOW]), 0) is not None

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

    def _unit_before(self, ft: str, pos: int) -> UnitHit | None:
        """The unit written right before the number at ``pos``: a currency sign or code ($, US$, USD), Mach."""
        cm, base = self._search_before(self.nouns.prefix_unit_re, ft, pos, 8)
        if cm:
            unit = self.nouns.unit_id(cm.group().strip())
        else:
            cm, base = self._search_before(self.unit_before_re, ft, pos, 8)
            unit = self.units_before[cm.group(1)] if cm else ""
        if not cm:
            return None
        start = base + cm.start()
        return UnitHit(unit=unit, start=start, end=pos, np_start=start)

    def _is_not_a_count(self, ft: str, m: re.Match, head: int) -> bool:
        """Whether the number starting at ``head`` is part of a name, an ordinal, "no one", a code or a ratio."""
        if self.name_glue.search(ft[max(0, head - 2):head]) or m.group("dig") and self._name_before(ft, head):
            return True   # G7, F-35, KN-23; Hwasong 15, Type 055
        if after_ordinal_word(ft, head, self.ordinal_before):
            return True   # Article 51, resolution 2270, UNSCR 1718, resolutions 1718 and 2094
        if m.group("word") and m.group("word").lower() == "one" and self._last_word(ft, head) in self.one_not_after:
            return True   # no one, any one, the one
        if self.numbers.leading_zero(m):
            return True   # 000, 020 (telephone numbers, codes)
        return self._search_before(_RATIO, ft, head, 20)[0] is not None   # 1 in 5 people

    def _name_before(self, ft: str, head: int) -> bool:
        """Whether a capitalised name stands right before the number, one blank apart (Hwasong 15, Type 055,
        UN 1718), not a capitalised stopword, qualifier, number word or month ("Some 300", "In 2024", "May 5")."""
        before = ft[max(0, head - 40):head]
        m = re.search(r"(?<![A-Za-z.])([A-Z][A-Za-z]*) $", before)
        if not m or not PROSE_WORD.search(ft, max(0, head - 40), head + 40):
            return False   # in a title-case headline or upper-case text every word looks like a name
        word = m.group(1)
        lower = word.lower()
        return not (lower in self.nouns.stopwords or lower in self.qualifier_words or word in self.months
                    or self.nouns.unit_id(word))

    # -- qualifiers -------------------------------------------------------------------------------------
    def _prefix_qualifier(self, ft: str, pos: int, unit: str) -> _QualifierHit | None:
        """The qualifier right before ``pos``: "more than", "at least", "about"; before a duration, "over" means
        "during" unless it follows "for", "in", "lasted"…: "stole $3 billion over 6 years" (over_duration_after)."""
        pm, base = self._search_before(self.prefix_re, ft, pos)
        if not pm:
            return None
        word = squash(pm.group(1).lower())
        start = base + pm.start()
        if word == "over" and unit in self.durations and self._last_word(ft, start) not in self.over_duration_after:
            return None
        return _QualifierHit(self.prefix_quals[word], start, base + pm.end())

    def _suffix_qualifier(self, ft: str, pos: int) -> _QualifierHit | None:
        """The qualifier right after ``pos``: "or more", ", at most"."""
        sm = self.suffix_re.match(ft, pos)
        if not sm:
            return None
        return _QualifierHit(self.suffix_quals[squash(sm.group(1).lower())], sm.start(), sm.end())

    # -- main -------------------------------------------------------------------------------------------
    def find(self, text: str) -> list[Quantity]:
        """All quantity expressions in ``text`` (a sentence or paragraph), in order, not overlapping."""
        ft = fold(text)
        dates = self.times.spans(ft)
        out: list[Quantity] = []
        consumed = 0
        read = {_VAGUE: self._vague, _TIMES_WORD: self._times_word, _SINGLE: self._single, **self._share_readers()}
        for pos, kind, m in self._candidates(ft):
            if pos < consumed or inside(pos, dates):
                continue
            q = self._numeric(text, ft, m, dates) if kind == _NUMBER else read[kind](text, ft, m)
            if q is not None:
                q = self._signed(ft, q, out[-1].end if out else -1)
                out.append(q)
                consumed = q.end
        return out

    def _candidates(self, ft: str) -> list[tuple[int, int, re.Match]]:
        """Vague amounts, numbers, "twice", "a single" in text order, as (start, kind, match); ties in kind order."""
        found = [(m.start(), _VAGUE, m) for m in self.vague_re.finditer(ft)]
        found += [(m.start(), _NUMBER, m) for m in self.numbers.regex.finditer(ft)]
        found += [(m.start(), _TIMES_WORD, m) for m in self.times_word_re.finditer(ft)]
        found += [(m.start(), _SINGLE, m) for m in _A_SINGLE.finditer(ft)]
        found += self._share_candidates(ft)
        return sorted(found, key=lambda c: c[:2])

    def _quantity_of(self, text: str, ft: str, start: int, value: Decimal, hit: UnitHit, end: int) -> Quantity:
        """The Quantity of an amount read by :class:`SharesReader`: ``value`` in ``hit``'s unit, ``text[start:end]``."""
        return self._quantity(text, ft, _Span(start=start, value=value, value_max=None, unit=hit,
                                              unit_surface=text[hit.start:hit.end], unit_end=end))

    def _single(self, text: str, ft: str, m: re.Match) -> Quantity | None:
        """"a single missile": a count of one, before a known unit ("not a single soldier" is none)."""
        hit = self.unit_at(ft, m.end())
        if hit is None or self._last_word(ft, m.start()) in ("not", "without", "nor"):
            return None
        return self._quantity(text, ft, _Span(start=m.start(), value=Decimal(1), value_max=None, unit=hit,
                                              unit_surface=text[hit.start:hit.end], unit_end=hit.end))

    def _times_word(self, text: str, ft: str, m: re.Match) -> Quantity:
        """"twice", "thrice": a count in one word ("launched twice in July"), or a multiplier ("twice as many")."""
        hit = self._multiplier(ft, UnitHit(self.times_unit, m.start(), m.end(), m.start()))
        span = _Span(start=m.start(), value=Decimal(self.times_words[m.group().lower()]), value_max=None, unit=hit,
                     unit_surface=text[m.start():m.end()], unit_end=m.end())
        return self._quantity(text, ft, span)

    def _vague(self, text: str, ft: str, m: re.Match) -> Quantity | None:
        """A vague amount followed by a unit noun: "several thousand troops", "hundreds of delegates" (a
        counted noun needs a scale word: "several reasons" is no claim)."""
        hit = self.unit_at(ft, m.end())
        if hit is None and re.search(r"(?i:dozen|hundred|thousand|million|billion)", m.group()):
            hit = self.nouns.counted_noun(ft, m.end(), single=False)
        if hit is None:
            return None
        suffix = self._suffix_qualifier(ft, hit.end) or _QualifierHit.absent(hit.end)
        return Quantity(start=m.start(), end=suffix.end, value=None, value_max=None,
                        unit=hit.unit, unit_surface=text[hit.start:hit.end], qualifier="vague",
                        object=self.nouns.object(text, ft, hit, [hit.end, suffix.end]), norm_check="n/a")

    def _numeric(self, text: str, ft: str, m: re.Match, dates) -> Quantity | None:
        """The quantity at the NUMBER match ``m``; None for names, ordinals and numbers without a unit."""
        before = self._unit_before(ft, m.start()) if m.group("dig") else None
        head = before.start if before else m.start()
        if self._is_not_a_count(ft, m, head):
            return None
        first = (None if before else self._glued_scale_count(ft, m)) or self.numbers.read(
            ft, m, glued_scale=before is not None)
        if first is None or _AGE.match(ft, first.end):
            return None   # a lone "a"; an age
        hyphen = None if before else self._hyphen_unit(text, ft, head, first)
        glued = self._letters_glued(ft, first.end, clock=True) and not self._glued_qualifier(ft, first.end)
        if hyphen is None and glued:
            return None   # 1st, 5G, 10:30, 5/31, one-sided, two-thirds (not 5,000-plus, 100+)
        span = hyphen or self._span(text, ft, m, first, before=before, head=head, dates=dates)
        if span is None or self._one_idiom(ft, m, span) or self._military_time(ft, m, head, span):
            return None   # bare numbers are not claims; "one faction or another"; "at 1400 hours"
        return self._quantity(text, ft, span)

    def _glued_qualifier(self, ft: str, pos: int) -> bool:
        """A qualifier glued to the number ending at ``pos``: "5,000-plus", "20-odd", "100+" (suffix_quals)."""
        sm = self.suffix_re.match(ft, pos)
        return sm is not None and sm.start(1) == pos

    def _military_time(self, ft: str, m: re.Match, head: int, span: _Span) -> bool:
        """"at 1400 hours", "by 0600 hrs": a clock time written as four digits, not a duration."""
        return (span.unit.unit in self.clock_units and _HHMM.fullmatch(m.group("dig") or "") is not None
                and self._last_word(ft, head) in self.clock_before)

    def _glued_scale_count(self, ft: str, m: re.Match) -> Number | None:
        """Digits with a scale abbreviation (no currency sign) when a unit or counted noun follows: "1.5m
        people", "2bn barrels" (not "a 5m wall": a length)."""
        number = self.numbers.read(ft, m, glued_scale=True) if m.group("dig") else None
        if number is None or number.end == m.end():
            return None
        if self.unit_at(ft, number.end) or self.nouns.counted_noun(ft, number.end, single=False):
            return number
        return None

    def _letters_glued(self, ft: str, pos: int, *, clock: bool) -> bool:
        """Whether letters stick to the number ending at ``pos``: 1st, 5G, 10-day (``clock``: 10:30, 5/31), not 10km."""
        glued = _GLUED_LETTERS_OR_CLOCK if clock else _GLUED_LETTERS
        return bool(glued.match(ft, pos)) and not self.nouns.glued_unit(ft, pos)

    def _one_idiom(self, ft: str, m: re.Match, span: _Span) -> bool:
        """"one … or another", "one … or the other": a reciprocal idiom, not a count."""
        word = m.group("word")
        return bool(word) and word.lower() == "one" and self.one_reciprocal.match(ft, span.unit_end) is not None

    def _hyphen_unit(self, text: str, ft: str, head: int, first: Number) -> _Span | None:
        """A unit glued to the number by a hyphen: "a 52-minute sortie", "12-kilometer", "three-year", "a
        5,000-strong force" (``hyphen_units`` of numbers_en.yaml, else a known unit's singular surface)."""
        hm = _HYPHEN_WORD.match(ft, first.end)
        if not hm:
            return None
        word = hm.group(1)
        unit = self.hyphen_units.get(word.lower()) or self.nouns.unit_id(word)
        if not unit or unit in self.nouns.currency:
            return None
        hit = UnitHit(unit, hm.start(1), hm.end(1), hm.start(1))
        return _Span(start=head, value=first.value, value_max=None, unit=hit, unit_surface=text[hit.start:hit.end],
                     unit_end=hit.end, object_after=unit not in self.nouns.measure)

    def _span(self, text: str, ft: str, m: re.Match, first: Number, *, before: UnitHit | None, head: int,
              dates) -> _Span | None:
        """The number or range from ``m`` on and its unit (the currency sign, else a unit noun), or None."""
        between = self._between_before(ft, head)
        first_unit = None if before else self.unit_at(ft, first.end, adjectives=False)
        rng = self._range(ft, first_unit.end if first_unit else first.end, m1=m, first=first.value,
                          currency=before is not None, first_unit=first_unit,
                          word_seps=self._range_words(ft, head, between=between is not None), dates=dates)
        start = between if (rng and between is not None) else head
        value, value_max, end = (rng.value, rng.value_max, rng.end) if rng else (first.value, None, first.end)
        if before:
            return _Span(start=start, value=value, value_max=value_max, unit=before,
                         unit_surface=text[before.start:before.end].strip(), unit_end=end)
        if rng:
            unit, inner, listed = rng.unit or first_unit, "", False
        else:
            unit, inner, listed = self._unit_after(ft, m, first, first_unit, dates)
        if unit is None:
            return None
        unit = self._multiplier(ft, unit, value)
        span = _Span(start=start, value=value, value_max=value_max, unit=unit, unit_surface=text[unit.start:unit.end],
                     unit_end=end if listed else max(unit.end, end), inner=inner)
        return span if rng or listed else self._compound(ft, span)

    def _multiplier(self, ft: str, unit: UnitHit, value: Decimal = Decimal(1)) -> UnitHit:
        """"N times" before a comparison is a multiplier: "three times as many", "5 times more"; so is a count
        that is no whole number: "rose 2.5 times"."""
        whole = value == value.to_integral_value()
        if unit.unit in self.multiplier_units and (self.multiplier_re.match(ft, unit.end) or not whole):
            return replace(unit, unit=self.multiplier_units[unit.unit])
        return unit

    def _unit_after(self, ft: str, m: re.Match, first: Number, first_unit: UnitHit | None,
                    dates) -> tuple[UnitHit | None, str, bool]:
        """(unit, inner qualifier, listed) after a single number: "11,000 soldiers", "11,000 or more soldiers",
        "13 units", "seven of those rallies", or (listed) the unit written after a later number: "45 and 50 cases"."""
        pos = first.end
        unit = first_unit or self.unit_at(ft, pos)
        if unit is not None:
            return unit, "", False
        inner = self._suffix_qualifier(ft, pos)
        if inner and first.value == 1:
            return None, "", False   # "one or more blocked persons": any number of them, no count
        if inner:
            unit = self.unit_at(ft, inner.end) or self._counted(ft, m, first, inner.end)
            return (unit, inner.qualifier, False) if unit else (None, "", False)
        unit = self._counted(ft, m, first, pos) or self._casualties(ft, m, first, pos) or self._one_period(ft, first) \
            or self._level_subject(ft, m, first)
        if unit is not None:
            return unit, "", False
        unit, listed = self._partitive(ft, m, first, dates)
        if unit is None:
            change = "to" not in self._range_words(ft, m.start(), between=False)
            unit = self._listed_unit(ft, pos, dates, change=change)
            listed = unit is not None
        return unit, "", listed

    def _counted(self, ft: str, m: re.Match, number: Number, pos: int) -> UnitHit | None:
        """A counted noun after the number (its unit is the noun's lemma), for whole numbers that are no year."""
        if not self._counts_things(m, number):
            return None
        return self.nouns.counted_noun(ft, pos, single=number.value == 1)

    def _casualties(self, ft: str, m: re.Match, number: Number, pos: int) -> UnitHit | None:
        """People counted by what happened to them, the noun left out: "nearly 1,100 injured", "12 dead"; the
        things of a group named before: "of the 30 boats, 12 were seized" (boats)."""
        pm = self.participle_re.match(ft, pos) if self._counts_things(m, number) else None
        if pm is None:
            return None
        unit = self.participle_unit
        group = None
        for group in _OF_GROUP.finditer(ft, max(0, m.start() - 100), m.start()):
            pass
        if group is not None and not ft[group.end():m.start()].count("."):
            named = self.unit_at(ft, group.end()) or self.nouns.counted_noun(ft, group.end(), single=False)
            unit = named.unit if named else unit
        return UnitHit(unit, pm.start(1), pm.end(1), pm.start(1))

    def _level_subject(self, ft: str, m: re.Match, number: Number) -> UnitHit | None:
        """A number with no unit after a verb of level whose subject is a counted noun: "casualties exceeded 4,000",
        "the number of refugees reached 1.2 million" (level_verbs); the unit is the noun's, written before."""
        dig = m.group("dig")
        if number.value <= 0 or (dig and _YEAR_LIKE.fullmatch(dig) and number.end == m.end()):
            return None
        vm = self.level_re.search(ft, max(0, m.start() - 60), m.start())
        if vm is None:
            return None
        clause = re.split(r"[.;:,()\[\]—–\"“”]", ft[max(0, vm.start() - 120):vm.start()])[-1]
        base = vm.start() - len(clause)
        words = list(_PLAIN_WORD.finditer(clause))[-self.level_words:]
        for wm in reversed(words):
            unit = self.nouns.unit_id(wm.group())
            if unit:
                return UnitHit(unit, base + wm.start(), base + wm.end(), base + wm.start())
        return None

    def _one_period(self, ft: str, number: Number) -> UnitHit | None:
        """"for one year", "1 month": a duration of one, written with the singular noun (not "one day": an idiom)."""
        pm = self.one_period_re.match(ft, number.end) if number.value == 1 else None
        return UnitHit(self.one_periods[pm.group(1).lower()], pm.start(1), pm.end(1), pm.start(1)) if pm else None

    def _counts_things(self, m: re.Match, number: Number) -> bool:
        """Whether the number can count a noun without a known unit: a whole number above 0 that is not
        written like a year ("the 2019 sanctions" are a year's)."""
        if number.value <= 0 or number.value != number.value.to_integral_value():
            return False
        dig = m.group("dig")
        return not (dig and _YEAR_LIKE.fullmatch(dig) and number.end == m.end())

    def _partitive(self, ft: str, m: re.Match, first: Number, dates) -> tuple[UnitHit | None, bool]:
        """"N of the/these/its … NOUN" counts N of them ("seven of those rallies"; not "one of"); and
        whether another number stands before the noun ("three of the five islands": the surface is "three")."""
        pm = _PARTITIVE.match(ft, first.end)
        if not pm or first.value == 1 or not self._counts_things(m, first):
            return None, False
        pos, m2 = pm.end(), self.numbers.regex.match(ft, pm.end())
        whole = self.numbers.read(ft, m2, glued_scale=False) if m2 and not inside(m2.start(), dates) else None
        if whole is not None:
            pos = whole.end
        return self.unit_at(ft, pos) or self.nouns.counted_noun(ft, pos, single=False), whole is not None

    def _compound(self, ft: str, span: _Span) -> _Span:
        """A duration written in two units, read as one: "1 hour and 26 minutes" → 1.433… hours."""
        parts = self.compound.get(span.unit.unit)
        sep = re.compile(rf"{BL}*,?{BL}*(?:and{BL}+)?").match(ft, span.unit_end) if parts else None
        m2 = self.numbers.regex.match(ft, sep.end()) if sep else None
        second = self.numbers.read(ft, m2, glued_scale=False) if m2 else None
        unit2 = self.unit_at(ft, second.end, adjectives=False) if second else None
        if unit2 is None or unit2.unit not in parts:
            return span
        return replace(span, value=span.value + second.value / parts[unit2.unit], unit_end=unit2.end)

    def _quantity(self, text: str, ft: str, span: _Span) -> Quantity:
        """The Quantity of ``span``, widened by the qualifiers around it and a rate's denominator ("/hour")."""
        prefix = self._prefix_qualifier(ft, span.start, span.unit.unit) or _QualifierHit.absent(span.start)
        suffix = self._suffix_qualifier(ft, span.unit_end) or _QualifierHit.absent(span.unit_end)
        rate = self.rate_re.match(ft, suffix.end)
        end = rate.end() if rate else suffix.end
        default = "range" if span.value_max is not None else "exact"
        return Quantity(
            start=prefix.start, end=end,
            value=as_number(float(span.value)),
            value_max=as_number(float(span.value_max)) if span.value_max is not None else None,
            unit=span.unit.unit, unit_surface=span.unit_surface + (f"/{text[rate.start(1):rate.end(1)]}" if rate else ""),
            qualifier=suffix.qualifier or span.inner or prefix.qualifier or default,
            object=self._object(text, ft, span, [span.unit_end, end]), norm_check="n/a")

    def _object(self, text: str, ft: str, span: _Span, ends: list[int]) -> str:
        """What the quantity counts or measures (see :meth:`NounReader.object`)."""
        if span.object_after:
            return self.nouns.np_after(text, ft, span.unit_end)
        return self.nouns.object(text, ft, span.unit, ends)

    def _signed(self, ft: str, q: Quantity, previous_end: int) -> Quantity:
        """``q`` made negative by a minus sign right before it ("-15€", "−3.5%"; not "10-15€", a range) or by
        accounting brackets around a bare sum written with its currency sign: "($99.99)"; not "(about $5
        million)", "(1.3 million USD)", nor a sum given in another currency after a quantity: "500 yen ($3.40)"."""
        if q.value is None or q.value_max is not None or q.value < 0:
            return q
        if _MINUS_BEFORE.search(ft, max(0, q.start - 1), q.start):
            return replace(q, start=q.start - 1, value=-q.value)
        word = self.minus_word_re.search(ft, max(0, q.start - 12), q.start)
        if word:
            return replace(q, start=word.start(), value=-q.value)   # "minus 20 degrees Celsius"
        after_quantity = previous_end >= 0 and not ft[previous_end:q.start - 1].strip()
        if _ACCOUNTING.fullmatch(ft, max(0, q.start - 1), q.end + 1) and not after_quantity:
            return replace(q, start=q.start - 1, end=q.end + 1, value=-q.value)
        return q

@lru_cache(maxsize=1)
def _finder() -> QuantityFinderEn:
    """The finder of this process, built on first use."""
    return QuantityFinderEn()


def find_quantities_en(text: str) -> list[Quantity]:
    """All quantity expressions in an English ``text``; offsets into ``text`` (see the module docstring)."""
    return _finder().find(text)


def unit_follows(text: str, pos: int) -> bool:
    """Whether a known unit noun (possibly after adjectives) follows ``pos``: "2000 soldiers" is a count."""
    return _finder().unit_follows(text, pos)
