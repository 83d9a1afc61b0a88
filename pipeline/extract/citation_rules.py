"""Compiled citation rules: ``models/citation_patterns.yaml`` and the catalogue ``models/instruments.yaml``.

Also the small text helpers the citation finders share (squeezing spaces out of Japanese text, article and
paragraph numbers in Arabic, kanji or Roman numerals) and the candidate record they exchange.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pipeline.core import rules
from pipeline.core.numerals import as_number, fold, parse_number

CJK = "\u3005\u3006\u30A1-\u30FA\u30FC\u30FB\u4E00-\u9FFF\uF900-\uFAFF"   # kanji, 々, katakana, ー, ・
WS = re.compile(r"\s+")
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
_NAMED_GROUP = re.compile(r"\(\?P<\w+>")


@dataclass(frozen=True)
class Instrument:
    """One catalogue entry (the fields the finder needs)."""

    id: str
    type: str
    name_ja: str
    name_en: str
    year: str
    kinds: frozenset


@dataclass
class Referent:
    """What a mention resolves to (kept in a finder's memory for anaphors)."""

    kinds: frozenset
    inst: Instrument | None
    name: str
    type: str
    number: str = ""
    year: str = ""


@dataclass
class Cand:
    """A candidate citation before article extension; ``start:end`` is the span that must not overlap others."""

    start: int
    end: int
    inst: Instrument | None
    name: str = ""                # name as written (unknown instruments, anaphor text)
    kinds: frozenset = frozenset()
    type: str = ""
    number: str = ""
    year: str = ""
    anaphor: bool = False         # resolved to the most recent earlier mention of one of ``kinds``
    resolution: bool = False      # a numbered resolution (paragraphs, not articles, attach to it)
    article: str = ""
    paragraph: str = ""
    ext_start: int = -1
    ext_end: int = -1
    needs_article: bool = False   # dropped unless an article attaches (statute names, defined terms)
    referent: Referent | None = None  # a fixed earlier mention (defined terms, article owners)
    same_article: bool = False    # 同条: the article cited last
    head: Cand | None = None      # a list item: instrument of its head (第4条及び第5条, Articles 41 and 42)
    bare: bool = False            # an article without a name (第4条, Article X): the most recent instrument
    quoted: bool = False
    derived: str = ""             # 同法施行令: the enforcement order (施行令) of the statute an anaphor points to

    @property
    def span(self) -> tuple[int, int]:
        """The span after article extension."""
        return (self.ext_start if self.ext_start >= 0 else self.start,
                self.ext_end if self.ext_end >= 0 else self.end)


def squeeze(text: str) -> tuple[str, list[int]]:
    """Remove whitespace that sits between two CJK characters; return the squeezed text and an index map."""
    out, idx = [], []
    n = len(text)
    i = 0
    while i < n:
        ch = text[i]
        if ch.isspace():
            j = i
            while j < n and text[j].isspace():
                j += 1
            prev = text[i - 1] if i else ""
            nxt = text[j] if j < n else ""
            if prev and nxt and ord(prev) >= 0x3000 and ord(nxt) >= 0x3000:
                i = j
                continue
            for k in range(i, j):
                out.append(text[k])
                idx.append(k)
            i = j
            continue
        out.append(ch)
        idx.append(i)
        i += 1
    return "".join(out), idx


def roman(s: str) -> int | None:
    """Value of a Roman numeral (Article V, Article X), or None when ``s`` is not one."""
    if not s or any(c not in _ROMAN for c in s):
        return None
    total = 0
    for a, b in zip(s, s[1:] + " "):
        v = _ROMAN[a]
        total += -v if b in _ROMAN and _ROMAN[b] > v else v
    return total if total > 0 else None


def num(s: str | None) -> str:
    """Article / paragraph / resolution number as ASCII digits (kanji and Roman numerals converted); a letter
    paragraph ((b)) stays as written."""
    if not s:
        return ""
    s = s.strip()
    if s.isdigit():
        return str(int(s))
    r = roman(s)
    if r is not None:
        return str(r)
    try:
        return str(as_number(parse_number(s)))
    except ValueError:
        return s


def is_latin(s: str) -> bool:
    """No character from the CJK blocks (an English form)."""
    return all(ord(c) < 0x3000 for c in s)


def en_form_regex(form: str) -> str:
    """Regex for an English catalogue form: any whitespace between words, either apostrophe, U.S. / US and
    U.N. / UN alike."""
    parts = [re.escape(w) for w in form.split()]
    body = r"\s+".join(parts).replace("'", "['’]")
    body = body.replace(r"U\.S\.", r"U\.?S\.?").replace(r"U\.N\.", r"U\.?N\.?")
    return r"(?<![A-Za-z0-9])" + body + r"(?![A-Za-z0-9])"


def en_form_anchor(form: str) -> str:
    """A word that every match of :func:`en_form_regex` of ``form`` contains as written (its longest word without an
    apostrophe or a U.S. / U.N. variant), so that a sentence without it is not searched; "" if there is none."""
    words = [w for w in form.split() if not re.search(r"['’]|U\.S\.|U\.N\.", w)]
    return max(words, key=len, default="")


class CitationRules:
    """Compiled models/citation_patterns.yaml and the instrument catalogue."""

    def __init__(self):
        pat = rules.load("citation_patterns")
        cat = rules.load("instruments")
        self._compile_patterns(pat)
        self.instruments: dict[str, Instrument] = {}
        self.resolutions: dict[str, Instrument] = {}
        self.ja_forms: dict[str, str] = {}      # squeezed, folded form → id
        en_forms: dict[str, str] = {}
        for e in cat["instruments"]:
            names = [e.get("name_ja", ""), e.get("name_en", ""), *e.get("aliases_ja", []),
                     *e.get("aliases_en", []), *e.get("abbrev", [])]
            inst = self._instrument(e, names)
            self.instruments[inst.id] = inst
            if e["type"] == "resolution":      # matched by number (resolution_ja / resolution_en), not by form
                m = re.search(r"(\d+)$", inst.id) or re.search(r"(\d+)", inst.name_en)
                if m:
                    self.resolutions[str(int(m.group(1)))] = inst
                continue
            for n in filter(None, names):
                if is_latin(n):
                    en_forms.setdefault(n, inst.id)
                else:
                    self.ja_forms.setdefault(WS.sub("", fold(n)), inst.id)
        self.en_forms = sorted(((re.compile(en_form_regex(f)), f, i) for f, i in en_forms.items()),
                               key=lambda t: -len(t[1]))
        self.en_anchors = [en_form_anchor(f) for _, f, _ in self.en_forms]
        self.ja_list = sorted(self.ja_forms, key=len, reverse=True)
        # "NATO's Article 5" (before the article), "Article 5 of NATO's founding treaty" (after it) → its treaty
        self.owners_en = [(re.compile(rf"(?<![A-Za-z]){re.escape(o['owner'])}(?:['’]s)?\s+$"),
                           re.compile(rf"\s+of\s+(?:the\s+)?{re.escape(o['owner'])}(?:['’]s\s+(?:founding\s+)?"
                                      rf"(?:[Tt]reaty|[Cc]harter))?(?![A-Za-z])"),
                           self.instruments[o["instrument"]]) for o in pat.get("article_owners_en", [])]

    def _instrument(self, e: dict, names: list[str]) -> Instrument:
        kinds = set(self.type_kinds.get(e["type"], {e["type"]}))
        for n in filter(None, names):
            k = self.suffix_kind(n)
            if k:
                kinds.add(k["kind"])
        return Instrument(e["id"], e["type"], e.get("name_ja", ""), e.get("name_en", ""),
                          str(e.get("date", ""))[:4], frozenset(kinds))

    def long_name_start(self, ft: str, end: int, limit: int = 90) -> int:
        """Where a formal title ending at ``end`` starts: after the previous cut character (``long_name_cut_ja``),
        where that character is no part of a kept word (我が国, 又は, 若しくは: ``long_name_keep_ja``)."""
        p = end
        while p > max(0, end - limit) and not (ft[p - 1] in self.long_name_cut and not any(
                ft.startswith(k, p - 1 - i) for k in self.long_name_keep for i in range(len(k)))):
            p -= 1
        return p

    def _compile_patterns(self, pat: dict) -> None:
        fill = self._filler(pat)
        rx = lambda key: re.compile(fill(pat[key]))           # noqa: E731
        self.suffixes_ja = sorted(pat["suffixes_ja"], key=lambda s: -len(s["suffix"]))
        self.suffixes_en = {s["suffix"]: s for s in pat["suffixes_en"]}
        en_alt = "|".join(map(re.escape, sorted(self.suffixes_en, key=len, reverse=True)))
        self.en_suffix_re = re.compile(rf"\b(?:{en_alt})\b")
        word = r"[A-Z][A-Za-z0-9.'’\-]*"
        # capitalised words ending in an English suffix, optionally "… of / on / between" + capitalised words; "and"
        # between capitalised words and a bracketed word belong to the name ("Sanctions and Anti-Money Laundering
        # Act", "Russia (Sanctions) (EU Exit) Regulations"); a year may follow (group 4: "Act 2018", "Act of 2016")
        before = rf"(?:{word}|\([A-Z][A-Za-z ]{{1,30}}\))\s+(?:(?:and|&)\s+(?={word}\s))?"
        # "… and the Coastal Patrol Arrangement": a second name, not the rest of this one ("… between Peru and the
        # Kingdom of Tonga" goes on)
        and_not_a_name = rf"and(?!\s+the\s+(?:{word}\s+){{0,6}}(?:{en_alt})(?![A-Za-z]))"
        self.en_name_re = re.compile(
            rf"(?<![A-Za-z0-9.'’\-])((?:{before}){{0,8}})({en_alt})(?![A-Za-z])"
            rf"((?:\s+(?:of|on|between|for|concerning)\s+(?:the\s+)?{word}"
            rf"(?:(?:\s+(?:{and_not_a_name}|of|the|on|in|for|between|concerning|regarding))*\s+{word})*)?)"
            rf"((?:\s+(?:of\s+)?(?:19|20)\d\d(?![\d/.,]\d))?)")
        self.type_kinds = {k: frozenset(v) for k, v in pat["type_kinds"].items()}
        self.trailers_ja = tuple(pat.get("trailers_ja", []))
        self.generic_ja = frozenset(pat.get("generic_ja", []))
        self.generic_en = frozenset(pat.get("generic_en", []))
        self.bodies_ja = sorted(pat.get("resolution_bodies_ja", []), key=len, reverse=True)
        self.stopwords_en = frozenset(pat.get("en_name_stopwords", []))
        self.non_unsc = tuple(pat.get("non_unsc_bodies", []))
        self.article_kinds = frozenset(pat["article_kinds"])
        lookbehind = f"(?<![{CJK}])"
        self.anaphors_ja = [(re.compile(lookbehind + re.escape(a["surface"]) + self._not_before(a)),
                             frozenset(a["kinds"])) for a in pat["anaphors_ja"]]
        self.anaphor_surfaces_ja = frozenset(a["surface"] for a in pat["anaphors_ja"])
        self.anaphor_literals_ja = [a["surface"] for a in pat["anaphors_ja"]]   # in every match: a cheap test first
        self.anaphors_en = [(re.compile(r"(?<![A-Za-z])" + a["pattern"] + r"(?![A-Za-z])"), frozenset(a["kinds"]),
                             a.get("needs_article", False)) for a in pat["anaphors_en"]]
        self.en_anaphor_blocker = rx("en_anaphor_blocker")
        self.article_ja = rx("article_ja")
        self.article_joiner_ja = rx("article_joiner_ja")
        self.paragraph_item_ja = rx("paragraph_item_ja")
        self.paragraph_after_ja = rx("paragraph_after_ja")
        self.same_article_ja = re.compile(lookbehind + fill(pat["same_article_ja"]))
        self.article_item_en = rx("article_item_en")
        self.article_before_en = rx("article_before_en")
        self.article_after_en = rx("article_after_en")
        self.bare_article_en = rx("bare_article_en")
        self.bare_article_of_en = rx("bare_article_of_en")
        self.paragraph_before_en = rx("paragraph_before_en")
        self.list_separator_ja = rx("list_separator_ja")
        self.list_separator_en = rx("list_separator_en")
        self.resolution_ja = rx("resolution_ja")
        self.resolution_item_ja = rx("resolution_item_ja")
        self.resolution_en = rx("resolution_en")
        self.resolution_item_en = rx("resolution_item_en")
        self.resolution_en_not_after = rx("resolution_en_not_after")
        self.insert = rx("insert")
        self.definitions = [re.compile(fill(d)) for d in pat.get("definitions", [])]
        self.definitions_alone = [re.compile(fill(d)) for d in pat.get("definitions_alone", [])]
        self.promulgation_ja = rx("promulgation_ja")
        self.numbered_orders = [(re.compile(fill(o["pattern"])), o, re.compile(o.get("item", "(?!)")))
                                for o in pat.get("numbered_orders", [])]
        self.chapter_before_en = rx("chapter_before_en") if "chapter_before_en" in pat else re.compile("(?!)")
        self.chapter_after_ja = rx("chapter_after_ja") if "chapter_after_ja" in pat else re.compile("(?!)")
        self.chapter_owners_en = [(re.compile(o["owner"]), o["instrument"]) for o in pat.get("chapter_owners_en", [])]
        self.long_name_markers_ja = tuple(pat.get("long_name_markers_ja", []))
        cut = pat.get("long_name_cut_ja", "")
        strong = "|".join(re.escape(x["suffix"]) for x in self.suffixes_ja if x.get("strong"))
        self.long_name_ja = re.compile(rf"(?:{strong})" if cut and strong else "(?!)")
        self.long_name_cut = frozenset(re.sub(r"\\s", " \t\n", cut))
        self.long_name_keep = tuple(pat.get("long_name_keep_ja", []))
        self.derived_ja = tuple(sorted(pat.get("derived_ja", []), key=len, reverse=True))

    @staticmethod
    def _filler(pat: dict):
        """Fill the placeholders {num} (an Arabic or kanji number) and {items} (a list of English article
        numbers) of a pattern."""
        item = _NAMED_GROUP.sub("(?:", pat["article_item_en"])
        sep = pat["list_separator_en"]
        items = f"{item}(?:{sep}{item})*"
        return lambda p: p.replace("{num}", pat["number_ja"]).replace("{items}", items)

    @staticmethod
    def _not_before(anaphor: dict) -> str:
        chars = anaphor.get("not_before", [])
        return f"(?![{''.join(map(re.escape, chars))}])" if chars else ""

    def suffix_kind(self, name: str) -> dict | None:
        """The suffix entry (kind, type, strong, needs_article) a name ends in, or None."""
        name = name.rstrip()
        for s in self.suffixes_ja:
            if name.endswith(s["suffix"]):
                return s
        last = name.split()[-1] if name.split() else ""
        s = self.suffixes_en.get(last)
        if s:
            return s
        m = self.en_suffix_re.search(name)          # "Charter of the United Nations"
        return self.suffixes_en[m.group(0)] if m else None


@lru_cache(maxsize=1)
def citation_rules() -> CitationRules:
    """The compiled rules (loaded once per process)."""
    return CitationRules()


def overlaps(a0: int, a1: int, taken) -> bool:
    """Whether [a0, a1) overlaps any of the spans in ``taken``."""
    return any(a0 < t1 and t0 < a1 for t0, t1 in taken)
