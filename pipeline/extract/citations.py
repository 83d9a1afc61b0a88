"""Citations of treaties, charters, agreements, arrangements and UN Security Council resolutions.

Plain Python (no spaCy): :class:`CitationFinder` is fed one sentence at a time, in document order, and
remembers the instruments named so far so that anaphors (同条約, 新条約, the Treaty) resolve to them.

What is recognised (surface lists and patterns live in ``models/citation_patterns.yaml``, the instrument
catalogue in ``models/instruments.yaml``), in priority order — a later kind never overlaps an earlier one:

1. UNSC resolutions with their number (安保理決議第1718号(2006年), resolution 2270 (2016), UNSCR 1718);
   a coordinated list (決議第1718号、第1874号及び第2270号) gives one citation per number. A resolution
   without a number (安保理決議で…, Security Council resolutions) is a generic mention, not a citation.
2. 「…」/『…』-quoted names ending in an instrument suffix (条約, 協定, 取決め …); the span includes the
   brackets. The quoted name is looked up in the catalogue, else kept as written (instrument_id "").
3. Catalogue names, aliases and abbreviations (longest match wins; Japanese forms match on a view of the
   text with spaces between CJK characters removed, English forms case-sensitively on word boundaries).
4. Anaphors (同条約, 新条約, 本条約, 同憲章, 同協定, 同取決め, the Treaty, the Charter …).
5. Unquoted names not in the catalogue: the maximal kanji/katakana run ending in a suffix (日英円滑化協定),
   capitalised English names ending in Treaty / Agreement / Convention … (Reciprocal Access Agreement).

An article (第 4 条, 第4条第1項, Article 51 of) or a resolution paragraph (第8項, paragraph 8 of) right next
to a citation is folded into that citation: its span is extended to cover it.

All matching runs on :func:`numerals.fold` (length-preserving), so offsets are offsets into ``text``.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from functools import lru_cache

from pipeline.core import rules
from pipeline.core.numerals import as_number, fold, parse_number

_CJK = "\u3005\u3006\u30A1-\u30FA\u30FC\u30FB\u4E00-\u9FFF\uF900-\uFAFF"   # kanji, 々, katakana, ー, ・
_NAME_RUN_JA = re.compile(f"[{_CJK}A-Za-z]+")
_HIRAGANA = re.compile("[\u3041-\u309F]")
_QUOTED = re.compile(r"([「『])([^「」『』。]{2,100}?)([」』])")   # a PDF line break may sit inside
_WS = re.compile(r"\s+")


@dataclass
class CitationMatch:
    """One citation found in a text; ``text[start:end]`` is its exact surface."""

    start: int
    end: int
    instrument_id: str            # catalogue id, or "" when not in the catalogue
    instrument_name: str          # catalogue name in the text's language, else the name as written
    instrument_name_ja: str       # from the catalogue ("" if unknown)
    instrument_name_en: str
    article: str = ""
    paragraph: str = ""
    number: str = ""              # resolution number
    year: str = ""                # resolution year (as written, else from the catalogue date)
    resolved_from: str = ""       # anaphors: the surface of the earlier mention they point to
    type: str = ""                # instruments.yaml type (treaty, resolution …), "" when unknown
    surface: str = ""             # text[start:end]

    def to_dict(self) -> dict:
        """The match as a plain dict (all fields)."""
        return asdict(self)


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
class _Cand:
    """A candidate citation before article extension; ``core`` is the span that must not overlap others."""

    start: int
    end: int
    inst: Instrument | None
    name: str = ""                # name as written (unknown instruments, anaphor text)
    kinds: frozenset = frozenset()
    type: str = ""
    number: str = ""
    year: str = ""
    anaphor: bool = False
    resolution: bool = False
    article: str = ""
    paragraph: str = ""
    ext_start: int = -1
    ext_end: int = -1


def _squeeze(text: str) -> tuple[str, list[int]]:
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


def _num(s: str | None) -> str:
    """Article / paragraph number as a string of ASCII digits (kanji numerals converted)."""
    if not s:
        return ""
    s = s.strip()
    if s.isdigit():
        return str(int(s))
    try:
        return str(as_number(parse_number(s)))
    except ValueError:
        return s


def _is_latin(s: str) -> bool:
    return all(ord(c) < 0x3000 for c in s)


def _en_form_regex(form: str) -> str:
    """Regex for an English catalogue form: any whitespace between words, either apostrophe."""
    parts = [re.escape(w) for w in form.split()]
    body = r"\s+".join(parts).replace("'", "['’]")
    return r"(?<![A-Za-z0-9])" + body + r"(?![A-Za-z0-9])"


class _Rules:
    """Compiled models/citation_patterns.yaml and the instrument catalogue."""

    def __init__(self):
        pat = rules.load("citation_patterns")
        cat = rules.load("instruments")
        self.suffixes_ja = sorted(pat["suffixes_ja"], key=lambda s: -len(s["suffix"]))
        self.suffixes_en = {s["suffix"]: s for s in pat["suffixes_en"]}
        en_alt = "|".join(map(re.escape, sorted(self.suffixes_en, key=len, reverse=True)))
        self.en_suffix_re = re.compile(rf"\b(?:{en_alt})\b")
        word = r"[A-Z][A-Za-z0-9.'’\-]*"
        # capitalised words ending in an English suffix, optionally "… of / on / between" + capitalised words
        self.en_name_re = re.compile(
            rf"(?<![A-Za-z0-9.'’\-])((?:{word}\s+){{0,8}})({en_alt})(?![A-Za-z])"
            rf"((?:\s+(?:of|on|between|for|concerning)\s+(?:the\s+)?{word}"
            rf"(?:(?:\s+(?:and|of|the|on|in|for|between))*\s+{word})*)?)")
        self.type_kinds = {k: frozenset(v) for k, v in pat["type_kinds"].items()}
        self.trailers_ja = tuple(pat.get("trailers_ja", []))
        self.generic_ja = frozenset(pat.get("generic_ja", []))
        self.bodies_ja = sorted(pat.get("resolution_bodies_ja", []), key=len, reverse=True)
        self.stopwords_en = frozenset(pat.get("en_name_stopwords", []))
        self.non_unsc = tuple(pat.get("non_unsc_bodies", []))
        lookbehind = f"(?<![{_CJK}])"
        self.anaphors_ja = [(re.compile(lookbehind + re.escape(a["surface"])), frozenset(a["kinds"]))
                            for a in pat["anaphors_ja"]]
        self.anaphors_en = [(re.compile(r"(?<![A-Za-z])" + a["pattern"] + r"(?![A-Za-z])"), frozenset(a["kinds"]))
                            for a in pat["anaphors_en"]]
        self.en_anaphor_blocker = re.compile(pat["en_anaphor_blocker"])
        self.article_after_ja = re.compile(pat["article_after_ja"])
        self.paragraph_after_ja = re.compile(pat["paragraph_after_ja"])
        self.article_before_en = re.compile(pat["article_before_en"])
        self.article_after_en = re.compile(pat["article_after_en"])
        self.paragraph_before_en = re.compile(pat["paragraph_before_en"])
        self.resolution_ja = re.compile(pat["resolution_ja"])
        self.resolution_ja_more = re.compile(pat["resolution_ja_more"])
        self.resolution_en = re.compile(pat["resolution_en"])
        self.resolution_en_more = re.compile(pat["resolution_en_more"])
        self.resolution_en_not_after = re.compile(pat["resolution_en_not_after"])

        self.instruments: dict[str, Instrument] = {}
        self.resolutions: dict[str, Instrument] = {}
        self.ja_forms: dict[str, str] = {}      # squeezed, folded form → id
        en_forms: dict[str, str] = {}
        for e in cat["instruments"]:
            names = [e.get("name_ja", ""), e.get("name_en", ""), *e.get("aliases_ja", []),
                     *e.get("aliases_en", []), *e.get("abbrev", [])]
            kinds = set(self.type_kinds.get(e["type"], {e["type"]}))
            for n in names:
                k = self.suffix_kind(n)
                if k:
                    kinds.add(k[0])
            inst = Instrument(e["id"], e["type"], e.get("name_ja", ""), e.get("name_en", ""),
                              str(e.get("date", ""))[:4], frozenset(kinds))
            self.instruments[inst.id] = inst
            if e["type"] == "resolution":      # matched by number (resolution_ja / resolution_en), not by form
                m = re.search(r"(\d+)$", inst.id) or re.search(r"(\d+)", inst.name_en)
                if m:
                    self.resolutions[str(int(m.group(1)))] = inst
                continue
            for n in names:
                if not n:
                    continue
                if _is_latin(n):
                    en_forms.setdefault(n, inst.id)
                else:
                    self.ja_forms.setdefault(_WS.sub("", fold(n)), inst.id)
        self.en_forms = sorted(((re.compile(_en_form_regex(f)), f, i) for f, i in en_forms.items()),
                               key=lambda t: -len(t[1]))
        self.ja_list = sorted(self.ja_forms, key=len, reverse=True)
        self.anaphor_surfaces_ja = frozenset(a["surface"] for a in pat["anaphors_ja"])

    def suffix_kind(self, name: str) -> tuple[str, str] | None:
        """(kind, type) implied by the suffix a name ends in, or None."""
        name = name.rstrip()
        for s in self.suffixes_ja:
            if name.endswith(s["suffix"]):
                return s["kind"], s["type"]
        last = name.split()[-1] if name.split() else ""
        s = self.suffixes_en.get(last)
        if s:
            return s["kind"], s["type"]
        m = self.en_suffix_re.search(name)          # "Charter of the United Nations"
        if m:
            s = self.suffixes_en[m.group(0)]
            return s["kind"], s["type"]
        return None


@lru_cache(maxsize=1)
def _rules() -> _Rules:
    return _Rules()


def _overlaps(a0: int, a1: int, taken: list[tuple[int, int]]) -> bool:
    return any(a0 < t1 and t0 < a1 for t0, t1 in taken)


class CitationFinder:
    """Stateful per document: remembers the instruments named so far, for anaphora.

    Call :meth:`find` once per sentence, in document order.
    """

    def __init__(self, lang: str):
        """``lang`` ("ja" / "en") picks the catalogue name reported as ``instrument_name``."""
        self.lang = lang
        self.rules = _rules()
        # earlier mentions, most recent last: {kinds, inst (or None), name as written, type, number, year}
        self.memory: list[dict] = []

    # ----------------------------------------------------------------------------- public API

    def find(self, text: str) -> list[CitationMatch]:
        """Citations in ``text`` (one sentence), in text order; updates the anaphora memory."""
        if not text:
            return []
        ft = fold(text)
        taken: list[tuple[int, int]] = []
        cands: list[_Cand] = []

        def add(c: _Cand) -> bool:
            if c.start >= c.end or _overlaps(c.start, c.end, taken):
                return False
            taken.append((c.start, c.end))
            cands.append(c)
            return True

        for c in self._resolutions(ft):
            add(c)
        for c in self._quoted(ft):
            add(c)
        for c in self._catalogue(ft):
            add(c)
        for c in self._anaphors(ft):
            add(c)
        for c in self._plain_ja(ft):
            add(c)
        for c in self._plain_en(ft):
            add(c)

        cands.sort(key=lambda c: c.start)
        self._attach_articles(ft, cands)
        out = []
        for c in cands:
            out.append(self._emit(text, c))
        return out

    # ------------------------------------------------------------------------------ finders

    def _resolution_inst(self, number: str, ft: str, start: int) -> Instrument | None:
        before = ft[max(0, start - 20):start]
        if any(before.rstrip().endswith(b) for b in self.rules.non_unsc):
            return None
        return self.rules.resolutions.get(number)

    def _resolutions(self, ft: str) -> list[_Cand]:
        R = self.rules
        out: list[_Cand] = []
        for rx, more, lang in ((R.resolution_ja, R.resolution_ja_more, "ja"), (R.resolution_en, R.resolution_en_more, "en")):
            pos = 0
            while True:
                m = rx.search(ft, pos)
                if not m:
                    break
                number = str(int(m.group("number")))
                if lang == "ja":
                    prefix = _WS.sub("", m.group("prefix") or "")
                    written = f"{prefix}決議第{number}号"
                    plural = True
                else:
                    word = m.group("word")
                    if word == "S/RES/":
                        word = "resolution"
                    written = f"{_WS.sub(' ', m.group('prefix') or '')}{word.rstrip('s')} {number}".replace("  ", " ")
                    plural, prefix = word.endswith("s"), ""
                    if R.resolution_en_not_after.match(ft, m.end()) and not m.group("year"):
                        pos = m.end()
                        continue
                head_year = m.group("year") or ""
                out.append(self._res_cand(m.start(), m.end(), number, head_year, written, ft))
                end = m.end()
                while True:
                    n = more.match(ft, end)
                    if not n:
                        break
                    if lang == "en":
                        if not (n.group("year") or plural):
                            break
                        if not n.group("year") and R.resolution_en_not_after.match(ft, n.end()):
                            break
                    num2 = str(int(n.group("number")))
                    w2 = f"{prefix}決議第{num2}号" if lang == "ja" else f"resolution {num2}"
                    out.append(self._res_cand(n.start("item"), n.end(), num2, n.group("year") or "", w2, ft))
                    end = n.end()
                pos = end
        return out

    def _res_cand(self, start: int, end: int, number: str, year: str, written: str, ft: str) -> _Cand:
        inst = self._resolution_inst(number, ft, start)
        return _Cand(start, end, inst, name=written, kinds=frozenset({"resolution"}), type="resolution",
                     number=number, year=year or (inst.year if inst else ""), resolution=True)

    def _quoted(self, ft: str) -> list[_Cand]:
        R = self.rules
        out = []
        for m in _QUOTED.finditer(ft):
            content = m.group(2).strip()
            if re.search(r"\n\s*\n", content):
                continue                              # a blank line: not one quoted name
            latin = _is_latin(content)
            key = _WS.sub(" ", content) if latin else _WS.sub("", content)
            sk = R.suffix_kind(key)
            if sk is None or key in R.anaphor_surfaces_ja or key in R.generic_ja:
                continue
            if latin:
                iid = next((i for rx, _f, i in R.en_forms if rx.fullmatch(content)), None)
            else:
                iid = R.ja_forms.get(key)
                suffix = next((s for s in R.suffixes_ja if key.endswith(s["suffix"])), None)
                if iid is None and suffix is not None:
                    stem = key[:-len(suffix["suffix"])]
                    if not stem or (not suffix["strong"] and _HIRAGANA.match(stem[-1])):
                        continue
                    if suffix["suffix"] == "決議" and self._body_only(stem):
                        continue                      # 「安保理決議」: generic
            inst = R.instruments.get(iid) if iid else None
            out.append(_Cand(m.start(), m.end(), inst, name=key, kinds=self._kinds(inst, key, sk),
                             type=inst.type if inst else sk[1]))
        return out

    def _body_only(self, stem: str) -> bool:
        """Whether ``stem`` (the part before 決議) is only body names: 国連安保理, 安保理 …"""
        rest = stem
        changed = True
        while rest and changed:
            changed = False
            for b in self.rules.bodies_ja:
                if rest.startswith(b):
                    rest, changed = rest[len(b):], True
                    break
        return not rest

    def _kinds(self, inst: Instrument | None, name: str, sk=None) -> frozenset:
        kinds = set(inst.kinds) if inst else set()
        sk = sk or self.rules.suffix_kind(name)
        if sk:
            kinds.add(sk[0])
        return frozenset(kinds)

    def _catalogue(self, ft: str) -> list[_Cand]:
        R = self.rules
        found: list[tuple[int, int, str, str]] = []
        sq, idx = _squeeze(ft)
        for form in R.ja_list:
            p = sq.find(form)
            while p >= 0:
                found.append((idx[p], idx[p + len(form) - 1] + 1, form, R.ja_forms[form]))
                p = sq.find(form, p + 1)
        for rx, form, iid in R.en_forms:
            for m in rx.finditer(ft):
                found.append((m.start(), m.end(), form, iid))
        found.sort(key=lambda f: (-(f[1] - f[0]), f[0]))
        out, spans = [], []
        for s, e, form, iid in found:
            if _overlaps(s, e, spans):
                continue
            spans.append((s, e))
            inst = R.instruments[iid]
            out.append(_Cand(s, e, inst, name=form, kinds=self._kinds(inst, form), type=inst.type))
        return out

    def _anaphors(self, ft: str) -> list[_Cand]:
        R = self.rules
        out = []
        for rx, kinds in R.anaphors_ja:
            for m in rx.finditer(ft):
                out.append(_Cand(m.start(), m.end(), None, name=m.group(0), kinds=kinds, anaphor=True))
        for rx, kinds in R.anaphors_en:
            for m in rx.finditer(ft):
                if R.en_anaphor_blocker.match(ft, m.end()):
                    continue
                out.append(_Cand(m.start(), m.end(), None, name=m.group(0), kinds=kinds, anaphor=True))
        return out

    def _plain_ja(self, ft: str) -> list[_Cand]:
        R = self.rules
        out = []
        for m in _NAME_RUN_JA.finditer(ft):
            run = m.group(0)
            if _is_latin(run):
                continue
            best = None
            for s in R.suffixes_ja:
                if s["suffix"] == "決議":          # a resolution without its number is a generic mention
                    continue
                p = run.find(s["suffix"])
                while p >= 0:
                    end = p + len(s["suffix"])
                    tail = run[end:]
                    if (not tail or tail.startswith(R.trailers_ja)) and (best is None or end > best[0]):
                        best = (end, s)
                    p = run.find(s["suffix"], p + 1)
            if best is None:
                continue
            end, s = best
            name = run[:end]
            stem = name[:-len(s["suffix"])]
            if len(stem) < 2 or name in R.generic_ja or name in R.anaphor_surfaces_ja:
                continue
            out.append(_Cand(m.start(), m.start() + end, None, name=name, kinds=frozenset({s["kind"]}),
                             type=s["type"]))
        return out

    def _plain_en(self, ft: str) -> list[_Cand]:
        R = self.rules
        out = []
        for m in R.en_name_re.finditer(ft):
            words = m.group(1).split()
            offs = [w.start() + m.start(1) for w in re.finditer(r"\S+", m.group(1))]
            cut = 0
            for i, w in enumerate(words):
                if w in R.stopwords_en or w.endswith(("'s", "’s")):
                    cut = i + 1
            words, offs = words[cut:], offs[cut:]
            if not words and not m.group(3):
                continue                              # "the Treaty": an anaphor, not a name
            start = offs[0] if offs else m.start(2)     # "the Treaty of Amity" starts at "Treaty"
            end = m.end()
            if ft[end - 1] == "." and not re.search(r"\.[A-Za-z]\.$|\b[A-Z]\.$", ft[start:end]):
                end -= 1                              # sentence full stop, not "U.S."
            name = _WS.sub(" ", ft[start:end])
            s = R.suffixes_en[m.group(2)]
            out.append(_Cand(start, end, None, name=name, kinds=frozenset({s["kind"]}), type=s["type"]))
        return out

    # ------------------------------------------------------------------------ articles, output

    def _attach_articles(self, ft: str, cands: list[_Cand]) -> None:
        R = self.rules
        spans = [(c.start, c.end) for c in cands]
        for i, c in enumerate(cands):
            others = spans[:i] + spans[i + 1:]
            if c.resolution or (c.anaphor and "resolution" in c.kinds):
                m = R.paragraph_after_ja.match(ft, c.end)
                if m and not _overlaps(c.end, m.end(), others):
                    c.paragraph, c.ext_end = _num(m.group("paragraph")), m.end()
                else:
                    win0 = max(0, c.start - 60)
                    m = R.paragraph_before_en.search(ft[win0:c.start])
                    if m and not _overlaps(win0 + m.start(), c.start, others):
                        c.paragraph, c.ext_start = m.group("paragraph"), win0 + m.start()
                continue
            m = R.article_after_ja.match(ft, c.end)
            if m and not _overlaps(c.end, m.end(), others):
                art = _num(m.group("article"))
                if m.group("branch"):
                    art += "-" + _num(m.group("branch"))
                c.article, c.paragraph, c.ext_end = art, _num(m.group("paragraph")), m.end()
                continue
            win0 = max(0, c.start - 80)
            window = ft[win0:c.start]
            # an anaphor "the Treaty" starts at "the": the window then ends in "Article 4 of "
            m = R.article_before_en.search(window)
            if m and not _overlaps(win0 + m.start(), c.start, others):
                c.article = m.group("article")
                c.paragraph = m.group("paragraph_a") or m.group("paragraph_b") or m.group("paragraph_c") or ""
                c.ext_start = win0 + m.start()
                continue
            m = R.article_after_en.match(ft, c.end)
            if m and not _overlaps(c.end, m.end(), others):
                c.article, c.paragraph, c.ext_end = m.group("article"), m.group("paragraph") or "", m.end()

    def _remember(self, c: _Cand, name: str) -> dict:
        entry = {"kinds": c.kinds, "inst": c.inst, "name": name, "type": c.type, "number": c.number,
                 "year": c.year}
        self.memory.append(entry)
        return entry

    def _resolve(self, kinds: frozenset) -> dict | None:
        for entry in reversed(self.memory):
            if entry["kinds"] & kinds:
                return entry
        return None

    def _name(self, inst: Instrument | None, written: str) -> str:
        if inst is None:
            return written
        return (inst.name_ja if self.lang == "ja" else inst.name_en) or inst.name_en or inst.name_ja

    def _emit(self, text: str, c: _Cand) -> CitationMatch:
        start = c.ext_start if c.ext_start >= 0 else c.start
        end = c.ext_end if c.ext_end >= 0 else c.end
        resolved_from, inst, name, number, year, ctype = "", c.inst, c.name, c.number, c.year, c.type
        if c.anaphor:
            ref = self._resolve(c.kinds)
            if ref is not None:
                self.memory.remove(ref)
                self.memory.append(ref)          # a re-mention makes it the most recent
                resolved_from, inst, name = ref["name"], ref["inst"], ref["name"]
                number, year, ctype = ref["number"], ref["year"], ref["type"]
            else:
                name, ctype = c.name, ""
        else:
            written = self._written_name(text, c)
            if not c.resolution:
                name = written                   # unknown instruments: the name as written (not folded)
            self._remember(c, written)
        return CitationMatch(
            start=start, end=end, instrument_id=inst.id if inst else "",
            instrument_name=self._name(inst, name), instrument_name_ja=inst.name_ja if inst else "",
            instrument_name_en=inst.name_en if inst else "", article=c.article, paragraph=c.paragraph,
            number=number, year=year, resolved_from=resolved_from, type=ctype, surface=text[start:end])

    @staticmethod
    def _written_name(text: str, c: _Cand) -> str:
        """The name part of a mention as written (brackets and article left out; a resolution keeps its year)."""
        s = text[c.start:c.end]
        if s[:1] in "「『" and s[-1:] in "」』":
            s = s[1:-1]
        return _WS.sub(" ", _squeeze(s)[0]).strip()


def find_citations(text: str, lang: str) -> list[CitationMatch]:
    """Citations in a whole text with a fresh :class:`CitationFinder` (convenience for tests and tools)."""
    return CitationFinder(lang).find(text)
