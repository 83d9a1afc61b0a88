"""English unit nouns and counted nouns after a number, for :mod:`pipeline.lang.en.quantities`.

A *known unit* is an ``en`` surface of ``models/units.yaml`` (``soldiers`` → person, ``$`` → USD), possibly after
a few adjectives (``11,000 conscript soldiers``). A *counted noun* is any other noun a number counts
(``212 patrol flights``, ``one courier``): its unit is the noun's lemma (``flight``), found without a tagger
from the word's form (a plural after a number other than one) and the word lists of ``models/numbers_en.yaml``.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from pipeline.core import rules
from pipeline.lang.en.numbers import BL, alternation

_BLANKS = re.compile(rf"{BL}+")
# blanks between words: at most one line break (a paragraph break ends a quantity)
GAP = re.compile(rf"{BL}*\n?{BL}*")
LINE_BREAK = re.compile(rf"{BL}*\n{BL}*")
WORD = re.compile(r"(?:[A-Z]\.){2,}|[A-Za-z][A-Za-z0-9'’\-]*")
_ADJECTIVE_JOIN = re.compile(rf"(?:and|or){BL}+")
_POSSESSIVE = re.compile(r"['’]s(?![A-Za-z])")
_CAPITALISED_NEXT = re.compile(rf"{BL}+[A-Z][a-z]")
PROSE_WORD = re.compile(r"\b[a-z]{4,}\b")   # a lower-case word: running text, not a title-case headline
_NEXT_LOWER_WORD = re.compile(rf"{BL}+([a-z][a-z\-]*)(?![A-Za-z'’])")
# what links a measure to what it measures: "barrels of oil", "$1 billion worth of arms", "$2.8 billion of assets"
_OF_LINK = re.compile(rf"{BL}+(?i:worth{BL}+of|of){BL}+")
_MONEY_LINK = re.compile(rf"{BL}+(?i:worth{BL}+of|of|in){BL}+")
# plural forms: -s after a letter that is not s/u/i (class, status, analysis, famous are no plurals); an acronym's
# plural (ICBMs, NGOs)
_PLURAL = re.compile(r"[a-z][a-z\-]*[a-hj-rtv-z]s|[A-Z]{2,}s|[A-Z][a-z]+ans")
# participles and adverbs: after "one courier" they start the verb phrase ("one courier arrested today")
_VERB_FORM = re.compile(r"[a-z]+(?:ed|ing|ly)")
_NOT_A_HEAD = re.compile(r"[a-z]+(?:ed|ly)")     # "one meeting" is a count, "one alleged" is not
# a unit word inside a hyphenated compound is no unit: "89 ship-to-ship transfers", "4 ship-based missiles" (but "a
# 5 km-long tunnel")
_NO_COMPOUND = r"(?!-(?!(?:long|wide|high|deep|tall|thick|range)(?![A-Za-z]))[a-z])"
_DEMONYM = re.compile(r"[A-Z][a-z]+ans")        # a people's plural: Koreans, Americans, Ukrainians (a person each)


@dataclass(frozen=True)
class UnitHit:
    """A unit found in the text: a unit noun, a counted noun (its lemma), or a unit standing before the number."""

    unit: str
    start: int        # unit surface
    end: int
    np_start: int     # first adjective (or the unit surface itself)


def squash(surface: str) -> str:
    """``surface`` with every run of blanks made one space."""
    return _BLANKS.sub(" ", surface)


def _is_prefix_surface(surface: str, currency: bool) -> bool:
    """Currency symbols, and a currency's codes in capitals, may stand before the number: $, US$, ¥, €, USD,
    JPY, DOLS (the "DOLS 5 MILLION" of telegrams)."""
    return (any(unicodedata.category(c) == "Sc" for c in surface)
            or currency and re.fullmatch(r"[A-Z]{3,6}", surface) is not None)


class NounReader:
    """Unit surfaces and noun phrases after a number, from ``units.yaml`` and ``numbers_en.yaml``."""

    def __init__(self, udata: dict, ndata: dict, months: set[str]):
        """Compile the unit surfaces of ``udata`` and read the noun phrase word lists of ``ndata``."""
        self.currency = set(ndata.get("currency_units", []))
        self._load_units(udata.get("units", []))
        self.months = months
        self.measure = set(ndata.get("measure_units", []))
        self.of_object = set(ndata.get("of_object_units", []))
        self.no_adjectives = set(ndata.get("no_adjective_units", []))
        self.max_adjectives = int(ndata.get("max_adjectives", 2))
        self.number_words = {str(w).lower() for w in [*ndata["number_words"], *ndata["scales"]]}
        self.stopwords = {w.lower() for w in ndata.get("stopwords", [])} | self.number_words
        self.determiners = {w.lower() for w in ndata.get("object_determiners", [])}
        self.max_object_words = int(ndata.get("max_object_words", 4))
        self.irregular = {str(k).lower(): str(v) for k, v in ndata.get("irregular_plurals", {}).items()}
        self.one_not_before = {w.lower() for w in ndata.get("one_not_before", [])}
        self.not_counted = {w.lower() for w in ndata.get("not_counted", [])}
        self.not_objects = {w.lower() for w in ndata.get("not_objects", [])}
        self.acronyms = set(ndata.get("acronyms", []))
        self.demonym_unit = str(ndata.get("casualty_unit", "person"))

    # -- units.yaml -------------------------------------------------------------------------------------
    def _load_units(self, entries: list[dict]) -> None:
        """Unit surfaces: exact (codes, symbols) and case-insensitive (words) tables, and regexes over both."""
        self.exact: dict[str, str] = {}
        self.folded: dict[str, str] = {}
        for entry in entries:
            for s in map(str, entry.get("en", [])):
                self._add_unit_surface(s, entry["id"])
        surfaces = sorted([*self.exact, *self.folded], key=len, reverse=True)
        self.unit_re = re.compile("|".join(self._unit_pattern(s) for s in surfaces))
        # singular nouns (missile: missiles exists) can modify a following noun: "rocket pods"
        self.singular = {s.lower() for entry in entries for s in map(str, entry.get("en", []))
                         if {f"{s}s", f"{s}es"} & set(map(str, entry.get("en", [])))}
        prefixes = alternation([s for e in entries for s in map(str, e.get("en", []))
                                if _is_prefix_surface(s, e["id"] in self.currency)], "")
        self.prefix_unit_re = re.compile(rf"(?<![A-Za-z])(?:{prefixes}){BL}?$")
        self.prefix_unit_at = re.compile(rf"(?:{prefixes}){BL}?")

    def _add_unit_surface(self, surface: str, unit: str) -> None:
        """Record one English surface of ``unit``; a surface with lower-case letters matches in any case."""
        table, key = (self.folded, surface.lower()) if re.search(r"[a-z]", surface) else (self.exact, surface)
        if key in table and table[key] != unit:
            raise rules.RuleDataError(f"units.yaml: English surface {surface!r} maps to two units")
        table[key] = unit

    def _unit_pattern(self, surface: str) -> str:
        """Regex for one unit surface: blanks match any run of blanks, a word ends before a letter or digit."""
        body = re.escape(surface).replace(r"\ ", f"{BL}+")
        if surface in self.folded:
            body = f"(?i:{body})"
        return body + (r"(?![A-Za-z0-9])" + _NO_COMPOUND if surface[-1].isalnum() else "")

    def unit_id(self, surface: str) -> str:
        """The unit id of a unit surface, or ""."""
        s = squash(surface)
        return self.exact.get(s) or self.folded.get(s.lower(), "")

    # -- known units --------------------------------------------------------------------------------------
    def unit_at(self, ft: str, pos: int, adjectives: bool = True) -> UnitHit | None:
        """The unit noun at ``pos`` (blanks skipped), optionally after 1–``max_adjectives`` words."""
        p = GAP.match(ft, pos).end()
        np_start = p
        for i in range(self.max_adjectives + 1):
            um = self.unit_re.match(ft, p)
            if um and self._inside_name(ft, pos, um):
                return None   # a capitalised unit word inside a name: "5 People Power Party lawmakers"
            if um:
                unit = self.unit_id(um.group())
                if i and unit in self.no_adjectives:
                    return None
                if not self._modifies_next_noun(ft, um, unit):
                    return UnitHit(unit, um.start(), um.end(), np_start)
            if not adjectives or i == self.max_adjectives:
                return None
            p = self._after_adjective(ft, p)
            if p is None:
                return None
        return None

    @staticmethod
    def _inside_name(ft: str, pos: int, um: re.Match) -> bool:
        """Whether the capitalised unit word ``um`` is part of a name: before a possessive ("People's Army"),
        or in running text before another capitalised word ("5 People Power Party"; in a title-case headline,
        "Fires 2 Missiles Into Sea", it is not)."""
        word = um.group()
        if not word[:1].isupper() or word.isupper():
            return False
        if _POSSESSIVE.match(ft, um.end()):
            return True
        return bool(_CAPITALISED_NEXT.match(ft, um.end())) and bool(PROSE_WORD.search(ft, max(0, pos - 40), pos))

    def glued_unit(self, ft: str, pos: int) -> bool:
        """A short unit written without a space (10km, 5bbl, 15€)."""
        um = self.unit_re.match(ft, pos)
        return bool(um) and len(um.group()) <= 3

    def _modifies_next_noun(self, ft: str, um: re.Match, unit: str) -> bool:
        """Whether the singular unit word ``um`` modifies the noun after it: "6 rocket engines", "1 container ship"."""
        return (unit not in self.no_adjectives and um.group().lower() in self.singular
                and self._noun_follows(ft, um.end()))

    def _after_adjective(self, ft: str, pos: int) -> int | None:
        """Where the next word starts after the adjective at ``pos``; None when the noun phrase ends there."""
        wm = WORD.match(ft, pos)
        if not wm or self.stops(wm.group()):
            return None
        after = GAP.match(ft, wm.end()).end()
        if after == wm.end():
            return None   # punctuation after the word: the noun phrase ended
        join = _ADJECTIVE_JOIN.match(ft, after)   # "800 deployed and non-deployed launchers"
        nxt = WORD.match(ft, join.end()) if join else None
        return join.end() if nxt and not self.stops(nxt.group()) else after

    def _noun_follows(self, ft: str, pos: int) -> bool:
        """Whether a lower-case noun follows ``pos`` (not a stopword, not a verb in -ed/-ing)."""
        m = _NEXT_LOWER_WORD.match(ft, pos)
        return bool(m) and not self.stops(m.group(1)) and not re.search(r"(?:ed|ing)$", m.group(1))

    def stops(self, word: str) -> bool:
        """A word that ends a noun phrase: a stopword (in capitals too: "OF GNP TO", but IT is an acronym, not
        "it") or a month name."""
        if word in self.acronyms:
            return False
        return word.lower() in self.stopwords or word.rstrip(".") in self.months

    # -- counted nouns --------------------------------------------------------------------------------------
    def counted_noun(self, ft: str, pos: int, *, single: bool) -> UnitHit | None:
        """A noun phrase counted by the number ending at ``pos`` whose noun is no known unit: "13 units",
        "three artillery rockets", "one courier" (``single``: the number is one)."""
        if single:
            words, ended = self._phrase_words(ft, pos, limit=3, verb_ends=True)
            head = self._singular_head(words) if ended else None
        else:
            words, _ended = self._phrase_words(ft, pos, limit=self.max_adjectives + 1, verb_ends=False)
            head = self._plural_head(words)
        if head is None or self.lemma(head.group()) in self.not_counted:
            return None
        known = self.unit_id(head.group())   # a unit after adjectives it does not take: "two successive years"
        if not known and _DEMONYM.fullmatch(head.group()):
            known = self.demonym_unit         # "1,300,000 Koreans", "three Americans"
        return UnitHit(known or self.lemma(head.group()), head.start(), head.end(), words[0].start())

    def _phrase_words(self, ft: str, pos: int, *, limit: int, verb_ends: bool) -> tuple[list[re.Match], bool]:
        """The words after ``pos`` up to a stopword or punctuation (``verb_ends``: or a word in -ed/-ing/-ly),
        at most ``limit``; and whether the phrase ended there (rather than at the limit)."""
        out: list[re.Match] = []
        p = GAP.match(ft, pos).end()
        while len(out) < limit:
            wm = WORD.match(ft, p)
            if not wm or self.stops(wm.group()) or (verb_ends and out and _VERB_FORM.fullmatch(wm.group())):
                return out, True
            out.append(wm)
            after = GAP.match(ft, wm.end()).end()
            if after == wm.end():
                return out, True   # punctuation after the word
            p = after
        wm = WORD.match(ft, p)
        return out, not wm or self.stops(wm.group()) or (verb_ends and _VERB_FORM.fullmatch(wm.group()) is not None)

    def _plural_head(self, words: list[re.Match]) -> re.Match | None:
        """The noun of a counted phrase: its last plural, compounds included ("arms deals"), before any other word."""
        head = None
        for wm in words:
            if self.is_plural(wm.group()):
                head = wm
            elif head is not None:
                break
        return head

    def _singular_head(self, words: list[re.Match]) -> re.Match | None:
        """The noun after "one": the last word of the phrase, lower-case, singular, no idiom ("one hand")."""
        if not words:
            return None
        w = words[-1].group()
        if (not w.islower() or self.is_plural(w) or _NOT_A_HEAD.fullmatch(w) or w in self.one_not_before
                or len(w) < 3):
            return None
        return words[-1]

    def is_plural(self, word: str) -> bool:
        """Whether ``word`` is a plural noun form: rockets, rallies, ICBMs, people, personnel."""
        return word in self.irregular or (not self.stops(word) and _PLURAL.fullmatch(word) is not None)

    def lemma(self, word: str) -> str:
        """The singular, lower-cased form of a counted noun: rockets → rocket, ferries → ferry."""
        w = word.lower()
        if w in self.irregular:
            return self.irregular[w]
        for plural, singular in (("ies", "y"), ("sses", "ss"), ("shes", "sh"), ("ches", "ch"), ("xes", "x"),
                                 ("oes", "o"), ("s", "")):
            if w.endswith(plural) and len(w) > len(plural) + 1:
                return w[: len(w) - len(plural)] + singular
        return w

    # -- what is counted ----------------------------------------------------------------------------------
    def np_after(self, text: str, ft: str, pos: int) -> str:
        """A noun phrase starting at ``pos``: up to ``max_object_words`` words, stopping at stopwords."""
        p = GAP.match(ft, pos).end()
        wm = WORD.match(ft, p)
        while wm and wm.group().lower() in self.determiners:
            p = GAP.match(ft, wm.end()).end()
            wm = WORD.match(ft, p)
        first, last = p, None
        if wm and wm.group().lower() in self.not_objects:
            return ""   # fixed phrases: "$3m in exchange for", "in return for"
        for i in range(self.max_object_words):
            if not wm or self.stops(wm.group()) or (i and re.fullmatch(r"[a-z]+ed", wm.group())):
                break   # a stopword, or a verb after the noun: "respondents backed" (but "refined products")
            last = wm.end()
            q = GAP.match(ft, wm.end()).end()
            if q == wm.end():
                break
            wm = WORD.match(ft, q)
        return text[first:last] if last else ""

    def object(self, text: str, ft: str, hit: UnitHit, ends: list[int]) -> str:
        """What is counted: the ``of`` phrase for measures (``in``/``worth of`` for money), else the noun phrase."""
        if hit.unit in self.measure or hit.unit in self.of_object:
            obj = self._linked_object(text, ft, _MONEY_LINK if hit.unit in self.currency else _OF_LINK, ends)
            if obj:
                return obj
        if hit.unit in self.measure:
            return ""
        return LINE_BREAK.sub(" ", text[hit.np_start:hit.end])

    def _linked_object(self, text: str, ft: str, link: re.Pattern, ends: list[int]) -> str:
        """The noun phrase after ``link`` ("of") right after the earliest of ``ends`` it follows, or ""."""
        for pos in ends:
            m = link.match(ft, pos)
            if m:
                obj = self.np_after(text, ft, m.end())
                if obj:
                    return obj
        return ""
