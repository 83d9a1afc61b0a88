"""Citations of treaties, charters, agreements, arrangements, statutes and UN Security Council resolutions.

Plain Python (no spaCy): :class:`CitationFinder` is fed one sentence at a time, in document order, and
remembers the instruments named so far so that anaphors (同条約, 同法, 新条約, the Treaty), bare articles
(第4条, Article X), 同条 and defined terms (以下「協定」という) resolve to them.

What is recognised (surface lists and patterns live in ``models/citation_patterns.yaml``, the instrument
catalogue in ``models/instruments.yaml``), in priority order — a later kind never overlaps an earlier one:

1. UN Security Council resolutions with their number (安保理決議第1718号(2006年), 決議第二千二百七十号,
   resolution 2270 (2016), UNSCR 1718) and numbered orders (Executive Order 13722); a coordinated list gives
   one citation per number (:mod:`pipeline.extract.citation_lists`). A resolution without a number
   (安保理決議で…, Security Council resolutions) is a generic mention, not a citation.
2. 「…」/『…』-quoted names ending in an instrument suffix (条約, 協定, 取決め …); the span includes the
   brackets. The quoted name is looked up in the catalogue, else kept as written (instrument_id "").
3. Catalogue names, aliases and abbreviations (longest match wins; Japanese forms match on a view of the
   text with spaces between CJK characters removed, English forms case-sensitively on word boundaries).
4. Anaphors (同条約, 同法, 新条約, 本条約, 同憲章, 同協定, the Treaty, the Charter, the Act …).
5. Unquoted names not in the catalogue: the maximal kanji/katakana run ending in a suffix (日英円滑化協定;
   statute names ending in 法 / 令 only with an article: 自衛隊法第95条), capitalised English names ending in
   Treaty / Agreement / Convention / Act … (Reciprocal Access Agreement).
6. Defined terms of the document (…協定（…以下「協定」という。）… 協定第六条(b)), only with an article.

An article (第 4 条, 第4条第1項, 第六条(b), Article 51 of, Article VI of) or a resolution paragraph (第8項,
paragraph 8 of) next to a citation is folded into it, also across a parenthesis (関税法（昭和29年法律
第61号）第111条). Then articles without a name: 同条 (the article cited last), 第N条 / Article N
after punctuation or a particle (the most recent instrument that has articles; none → no citation), NATO's
Article 5 (an organisation's founding treaty, ``article_owners_en``).

All matching runs on :func:`numerals.fold` (length-preserving), so offsets are offsets into ``text``.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from pipeline.core.numerals import fold
from pipeline.extract import citation_lists as lists
from pipeline.extract.citation_rules import (CJK, WS, Cand, Instrument, Referent, citation_rules, is_latin, num,
                                             overlaps, squeeze)

_NAME_RUN_JA = re.compile(f"[{CJK}A-Za-z]+")
_HIRAGANA = re.compile("[\u3041-\u309F]")
_QUOTED = re.compile(r"([「『])([^「」『』。]{2,100}?)([」』])")   # a PDF line break may sit inside
_PREV_WORD = re.compile(r"(?:^|\s)(\S+)\s+$")
_NAME_BEFORE_ARTICLE = re.compile(f"[{CJK}A-Za-z0-9の]")     # 規約第3条, 規約の第3条: a name we do not know
# The sentence splitter may cut a citation: inside a parenthesis (決議（以下「決議」という。）| 第1695号、…), between
# an article and its paragraph (第111条 | 第1項). A sentence that starts like the rest of a citation is read after
# the unfinished sentence(s) before it (CitationFinder.carry); what lies wholly in those is not reported again.
_CONTINUATION = re.compile(r"\s*(?:第|以下|\(|\)|、|,|及び|並びに|又は|項|号|条|\d+\s*[項号条])")
_SENTENCE_END = re.compile(r"[。.!?][」』\"'”’]*\s*$")      # not 。）: the sentence goes on after the bracket
_CARRY_MAX = 300
_OPEN_QUOTES, _CLOSE_QUOTES = "「『\"“", "」』\"”"


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


def _key(m: CitationMatch) -> tuple:
    """What makes a citation the same mention for :meth:`CitationFinder.find` (its paragraph may be cut off)."""
    return (m.instrument_id or m.instrument_name, m.article, m.number)


def _unfinished(text: str) -> bool:
    """No sentence end at the end of ``text``, or a bracket still open."""
    ft = fold(text)
    return not _SENTENCE_END.search(ft) or ft.count("(") > ft.count(")")


class CitationFinder:
    """Stateful per document: remembers the instruments named so far, for anaphora.

    Call :meth:`find` once per sentence, in document order.
    """

    def __init__(self, lang: str):
        """``lang`` ("ja" / "en") picks the catalogue name reported as ``instrument_name``."""
        self.lang = lang
        self.rules = citation_rules()
        self.memory: list[Referent] = []           # earlier mentions, most recent last
        self.defined: dict[str, Referent] = {}      # defined terms: 以下「協定」という → the agreement
        self.last_article: CitationMatch | None = None   # for 同条
        self.carry = ""                # the unfinished sentence(s) before: see _CONTINUATION
        self._ctx_end = 0              # in _find: where the current sentence starts in the text read
        self._prev_keys: set = set()   # citations reported for the carried sentences

    # ----------------------------------------------------------------------------- public API

    def find(self, text: str) -> list[CitationMatch]:
        """Citations in ``text`` (one sentence), in text order; updates the anaphora memory."""
        if not text:
            return []
        carry = self.carry if self.carry and _CONTINUATION.match(fold(text)) else ""
        self._ctx_end = n = len(carry)
        out = [m for m in self._find(carry + text) if self._new_in_sentence(m, n)]
        for m in out:
            m.start, m.end = max(m.start, n) - n, m.end - n
            m.surface = text[m.start:m.end]
        # what the carried sentences reported stays known as long as the carry goes on (第48条 | 第 | 3項)
        self._prev_keys = (self._prev_keys if carry else set()) | {_key(m) for m in out}
        self.carry = (carry + text)[-_CARRY_MAX:] if _unfinished(carry + text) else ""
        return out

    def _defining_spans(self, ft: str) -> list[tuple[int, int]]:
        """Where terms are being defined, with their quotation marks (「外為法」 in 以下「外為法」という): no
        mention there."""
        out = []
        for rx in self.rules.definitions:
            for m in rx.finditer(ft):
                s, e = m.span("term")
                quoted = s > 0 and ft[s - 1] in _OPEN_QUOTES and ft[e:e + 1] in _CLOSE_QUOTES
                out.append((s - 1, e + 1) if quoted else (s, e))
        return out

    def _new_in_sentence(self, m: CitationMatch, n: int) -> bool:
        """Whether a citation found in carried context + sentence (the sentence starts at ``n``) is this
        sentence's: it reaches into the sentence and was not reported with the sentence before."""
        return m.end > n and (m.start >= n or _key(m) not in self._prev_keys)

    def _find(self, text: str) -> list[CitationMatch]:
        """Citations in ``text`` (with the carried context before the current sentence)."""
        ft = fold(text)
        R = self.rules
        blocked = [m.span() for m in R.promulgation_ja.finditer(ft)]   # 昭和29年法律第61号: never a name
        terms = self._defining_spans(ft)
        taken: list[tuple[int, int]] = list(blocked)
        cands: list[Cand] = []

        def add(c: Cand) -> None:
            inside_term = any(t0 <= c.start and c.end <= t1 for t0, t1 in terms)
            if c.start < c.end and not inside_term and not overlaps(c.start, c.end, taken):
                taken.append((c.start, c.end))
                cands.append(c)

        # defined terms (円滑化協定 of 以下「円滑化協定」という) go before the plain names they may look like
        for finders in ((self._resolutions, self._orders, self._quoted, self._catalogue, self._anaphors),
                        (self._plain_ja, self._long_ja, self._plain_en)):
            for finder in finders:
                for c in finder(ft):
                    add(c)
            starts = self._register_definitions(text, ft, cands)
            for c in self._defined_terms(ft, starts):
                add(c)
        cands.sort(key=lambda c: c.start)
        cands = lists.attach_articles(R, ft, cands)
        cands = lists.attach_chapters(R, ft, cands)
        cands += self._bare_articles(ft, [c.span for c in cands] + blocked)
        cands = sorted((c for c in cands if c.article or not c.needs_article), key=lambda c: c.span[0])
        done: dict[int, CitationMatch | None] = {}
        for c in cands:
            self._emit(text, c, done)
        return sorted((m for m in done.values() if m is not None), key=lambda m: m.start)

    # ------------------------------------------------------------------------------ finders

    def _resolutions(self, ft: str) -> list[Cand]:
        return lists.resolutions(self.rules, ft)

    def _orders(self, ft: str) -> list[Cand]:
        """Numbered orders (Executive Order 13722, 大統領令第13722号): number in ``number``, not catalogued."""
        out = []
        for rx, o, item_rx in self.rules.numbered_orders:
            for m in rx.finditer(ft):
                end, n = m.end(), m
                while n is not None:   # "Executive Orders 13599 and 13846": one citation per number
                    number = num(n.group("number"))
                    out.append(Cand(n.start(), n.end(), None, name=o["name"].replace("{number}", number),
                                    kinds=frozenset({o["kind"]}), type=o["type"], number=number, resolution=True))
                    end = n.end()
                    sep = self.rules.list_separator_en.match(ft, end) or self.rules.list_separator_ja.match(ft, end)
                    n = item_rx.match(ft, sep.end()) if sep else None
        return out

    def _quoted(self, ft: str) -> list[Cand]:
        R = self.rules
        out = []
        for m in _QUOTED.finditer(ft):
            content = m.group(2).strip()
            if re.search(r"\n\s*\n", content):
                continue                              # a blank line: not one quoted name
            latin = is_latin(content)
            key = WS.sub(" ", content) if latin else WS.sub("", content)
            sk = R.suffix_kind(key)
            if sk is None or key in R.anaphor_surfaces_ja or key in R.generic_ja:
                continue
            if latin:
                iid = next((i for rx, _f, i in R.en_forms if rx.fullmatch(content)), None)
            else:
                iid = R.ja_forms.get(key)
                if iid is None and not self._quoted_name_ok(key, sk):
                    continue
            inst = R.instruments.get(iid) if iid else None
            out.append(Cand(m.start(), m.end(), inst, name=key, kinds=self._kinds(inst, key, sk),
                            type=inst.type if inst else sk["type"], quoted=True,
                            needs_article=inst is None and sk.get("needs_article", False) and not sk["strong"]))
        return out

    def _quoted_name_ok(self, key: str, sk: dict) -> bool:
        """A quoted Japanese name not in the catalogue: a stem before the suffix, a kanji/katakana before a weak
        suffix (「…で合意」 is a quoted sentence), not a bare body name before 決議 (「安保理決議」)."""
        stem = key[:-len(sk["suffix"])] if key.endswith(sk["suffix"]) else ""
        if not stem or (not sk["strong"] and _HIRAGANA.match(stem[-1])):
            return False
        return not (sk["suffix"] == "決議" and self._body_only(stem))

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

    def _kinds(self, inst: Instrument | None, name: str, sk: dict | None = None) -> frozenset:
        kinds = set(inst.kinds) if inst else set()
        sk = sk or self.rules.suffix_kind(name)
        if sk:
            kinds.add(sk["kind"])
        return frozenset(kinds)

    def _catalogue(self, ft: str) -> list[Cand]:
        R = self.rules
        found: list[tuple[int, int, str, str]] = []
        sq, idx = squeeze(ft)
        for form in R.ja_list:
            p = sq.find(form)
            while p >= 0:
                found.append((idx[p], idx[p + len(form) - 1] + 1, form, R.ja_forms[form]))
                p = sq.find(form, p + 1)
        for (rx, form, iid), anchor in zip(R.en_forms, R.en_anchors):
            if anchor not in ft:   # 109 forms on every sentence were a third of the rule layer (issue 14)
                continue
            for m in rx.finditer(ft):
                found.append((m.start(), m.end(), form, iid))
        found.sort(key=lambda f: (-(f[1] - f[0]), f[0]))
        out, spans = [], []
        for s, e, form, iid in found:
            if overlaps(s, e, spans):
                continue
            spans.append((s, e))
            inst = R.instruments[iid]
            derived = next((d for d in R.derived_ja if ft.startswith(d, e)), "")
            if derived:   # 外為法施行令: the statute's enforcement order, not the statute (not catalogued)
                out.append(Cand(s, e + len(derived), None, name=form + derived, kinds=frozenset({"law"}), type="law"))
                continue
            out.append(Cand(s, e, inst, name=form, kinds=self._kinds(inst, form), type=inst.type))
        return out

    def _anaphors(self, ft: str) -> list[Cand]:
        R = self.rules
        out = []
        for (rx, kinds), literal in zip(R.anaphors_ja, R.anaphor_literals_ja):
            if literal not in ft:   # the regex starts with a lookbehind, so re cannot skip ahead to the literal
                continue
            for m in rx.finditer(ft):
                derived = next((d for d in R.derived_ja if ft.startswith(d, m.end())), "")
                out.append(Cand(m.start(), m.end() + len(derived), None, name=m.group(0) + derived, kinds=kinds,
                                anaphor=True, derived=derived))
        for rx, kinds, needs_article in R.anaphors_en:
            for m in rx.finditer(ft):
                if R.en_anaphor_blocker.match(ft, m.end()):
                    continue
                out.append(Cand(m.start(), m.end(), None, name=m.group(0), kinds=kinds, anaphor=True,
                                needs_article=needs_article))
        for m in R.same_article_ja.finditer(ft):       # 同条, 同条第2項: the article cited last
            out.append(Cand(m.start(), m.end(), None, name=m.group(0), same_article=True,
                            paragraph=num(m.group("paragraph"))))
        return out

    def _plain_ja(self, ft: str) -> list[Cand]:
        out = []
        for m in _NAME_RUN_JA.finditer(ft):
            run = m.group(0)
            if is_latin(run):
                continue
            best = self._name_end(run)
            if best is None:
                continue
            end, s = best
            name = run[:end]
            stem = name[:-len(s["suffix"])]
            # a statute name needs its article, and may be short then (刑法第3条); other names need two characters
            if len(stem) < (1 if s.get("needs_article") else 2) or name in self.rules.generic_ja \
                    or name in self.rules.anaphor_surfaces_ja:
                continue
            out.append(Cand(m.start(), m.start() + end, None, name=name, kinds=frozenset({s["kind"]}),
                            type=s["type"], needs_article=s.get("needs_article", False)))
        return out

    def _long_ja(self, ft: str) -> list[Cand]:
        """Formal titles with hiragana (…の確保に関する法律, …との間の…に関する協定): from the previous punctuation or
        particle to a strong suffix, holding a marker (に関する …); the longest such run ending at each suffix."""
        R = self.rules
        out = []
        for m in R.long_name_ja.finditer(ft):
            start, end = R.long_name_start(ft, m.end()), m.end()
            name = ft[start:end]
            if not _HIRAGANA.search(name) or not any(k in name for k in R.long_name_markers_ja):
                continue
            if _NAME_RUN_JA.match(ft[end:end + 1]) and not ft.startswith(R.trailers_ja, end):
                continue                              # …に関する協定書 / 法律案: the suffix does not end the name
            s = next(x for x in R.suffixes_ja if x.get("strong") and name.endswith(x["suffix"]))
            out.append(Cand(start, end, None, name=name, kinds=frozenset({s["kind"]}), type=s["type"],
                            needs_article=s.get("needs_article", False)))
        return out

    def _name_end(self, run: str) -> tuple[int, dict] | None:
        """(end, suffix entry) of the longest name in a kanji run: a suffix at the run's end or before a trailer
        (XX条約締結, XX協定第四条)."""
        best = None
        for s in self.rules.suffixes_ja:
            if s["suffix"] == "決議":          # a resolution without its number is a generic mention
                continue
            p = run.find(s["suffix"])
            while p >= 0:
                end = p + len(s["suffix"])
                tail = run[end:]
                if (not tail or tail.startswith(self.rules.trailers_ja)) and (best is None or end > best[0]):
                    best = (end, s)
                p = run.find(s["suffix"], p + 1)
        return best

    def _plain_en(self, ft: str) -> list[Cand]:
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
            name = WS.sub(" ", ft[start:end])
            s = R.suffixes_en[m.group(2)]
            if name in R.generic_en or (s.get("needs_year") and not m.group(4).strip()):
                continue                              # "an Act of Congress": no particular instrument
            out.append(Cand(start, end, None, name=name, kinds=frozenset({s["kind"]}), type=s["type"]))
        return out

    # ------------------------------------------------------------------- definitions, bare articles

    def _register_definitions(self, text: str, ft: str, cands: list[Cand]) -> dict[str, int]:
        """Terms defined in a parenthesis right after a name (以下「協定」という, hereinafter "the Agreement"):
        remembered for the rest of the document; returns where each new term may first be used."""
        starts = {}
        for c in cands:
            ins = self.rules.insert.match(ft, c.end)
            if c.anaphor or c.resolution or c.same_article or ins is None:
                continue
            for rx in (*self.rules.definitions, *self.rules.definitions_alone):
                d = rx.search(ins.group("insert"))
                if d:
                    term = d.group("term").strip()
                    self.defined[term] = Referent(c.kinds, c.inst, self._written_name(text, c), c.type)
                    starts[term] = ins.end()
        return starts

    def _defined_terms(self, ft: str, starts: dict[str, int]) -> list[Cand]:
        """Uses of defined terms (only citations with an article: 協定第六条(b))."""
        out = []
        for term, ref in self.defined.items():
            edge = r"(?<![A-Za-z])" if is_latin(term) else f"(?<![{CJK}])"
            for m in re.finditer(edge + re.escape(term), ft):
                if m.start() >= starts.get(term, 0):
                    named = self._is_plain_name(term)   # 円滑化協定: a name by itself, cited without an article too
                    out.append(Cand(m.start(), m.end(), ref.inst, name=term, kinds=ref.kinds, type=ref.type,
                                    referent=ref, needs_article=not named))
        return out

    def _is_plain_name(self, term: str) -> bool:
        """Whether a defined term is a Japanese name of its own (円滑化協定; not 協定, 法, a statute's 特措法)."""
        best = None if is_latin(term) else self._name_end(term)
        return bool(best) and best[0] == len(term) and not best[1].get("needs_article") and \
            len(term) - len(best[1]["suffix"]) >= 2

    def _bare_articles(self, ft: str, taken: list[tuple[int, int]]) -> list[Cand]:
        """Articles without a name before them (第5条, Article X), and the items of their lists."""
        return self._bare_ja(ft, taken) + self._bare_en_articles(ft, taken)

    def _bare_ja(self, ft: str, taken: list[tuple[int, int]]) -> list[Cand]:
        R = self.rules
        out: list[Cand] = []
        for m in R.article_ja.finditer(ft):
            prev = ft[:m.start()].rstrip()[-1:]
            if not m.group("dai") or overlaps(m.start(), m.end(), taken) or _NAME_BEFORE_ARTICLE.match(prev):
                continue                              # 規約第3条 / 規約の第3条: the article of a name we do not know
            art, para = lists.ja_article(m)
            c = Cand(m.start(), m.end(), None, article=art, paragraph=para, bare=True, anaphor=True,
                     kinds=R.article_kinds)
            found = [c, *lists.ja_list(R, ft, c, taken)]
            taken = taken + [f.span for f in found]
            out += found
        return out

    def _bare_en_articles(self, ft: str, taken: list[tuple[int, int]]) -> list[Cand]:
        out: list[Cand] = []
        for m in self.rules.bare_article_en.finditer(ft):
            c = None if overlaps(m.start(), m.end(), taken) else self._bare_en(ft, m)
            if c is not None:
                first, *rest = lists.en_items(self.rules, m, 0)
                c.article, c.paragraph, c.ext_end = first[2], first[3], max(first[1], c.ext_end)
                out += [c, *(Cand(s, e, None, article=a, paragraph=p, head=c) for s, e, a, p in rest)]
        return out

    def _bare_en(self, ft: str, m: re.Match) -> Cand | None:
        """The candidate of a bare English "Article N": NATO's Article 5 (the owner's treaty), else the most
        recent instrument; None after a capitalised word or a possessive (a name we do not know)."""
        before = ft[:m.start()]
        R = self.rules
        for before_rx, after_rx, inst in R.owners_en:
            o, a = before_rx.search(before), after_rx.match(ft, m.end())
            if o or a:
                ref = Referent(inst.kinds, inst, "", inst.type)     # not an earlier mention: no resolved_from
                return Cand(o.start() if o else m.start(), m.start(), inst, kinds=inst.kinds, type=inst.type,
                            referent=ref, ext_end=a.end() if a else -1)
        if R.bare_article_of_en.match(ft, m.end()):
            return None                               # "Article 3 of the report": of something we do not know
        p = _PREV_WORD.search(before)
        word = p.group(1) if p else ""
        if word.endswith(("'s", "’s")) or (word[:1].isupper() and word[-1].isalnum() and p.start(1) > 0
                                           and word not in self.rules.stopwords_en):
            return None
        return Cand(m.start(), m.start(), None, bare=True, anaphor=True, kinds=self.rules.article_kinds)

    # ------------------------------------------------------------------------ memory, output

    def _remember(self, c: Cand, name: str) -> None:
        self.memory.append(Referent(c.kinds, c.inst, name, c.type, c.number, c.year))

    def _resolve(self, kinds: frozenset) -> Referent | None:
        for ref in reversed(self.memory):
            if ref.kinds & kinds:
                self.memory.remove(ref)
                self.memory.append(ref)            # a re-mention makes it the most recent
                return ref
        return None

    def _name(self, inst: Instrument | None, written: str) -> str:
        if inst is None:
            return written
        return (inst.name_ja if self.lang == "ja" else inst.name_en) or inst.name_en or inst.name_ja

    def _emit(self, text: str, c: Cand, done: dict[int, CitationMatch | None]) -> CitationMatch | None:
        """The citation of ``c`` (memoised in ``done``; a list item's head is emitted first); None when a bare
        article or 同条 resolves to nothing."""
        if id(c) in done:
            return done[id(c)]
        ref, resolved_from = self._referent(text, c, done)
        start, end = c.span
        if (c.bare or c.head is not None) and ref is None or c.same_article and self.last_article is None:
            done[id(c)] = None
            return None
        if c.same_article:
            m = self._same_article(text, c)
        elif c.derived and ref is not None:   # 同法施行令: the order of the statute 同法 points to (not catalogued)
            base = (ref.inst.name_ja if ref.inst else "") or ref.name
            m = CitationMatch(start=start, end=end, instrument_id="", instrument_name=base + c.derived,
                              instrument_name_ja=base + c.derived, instrument_name_en="", article=c.article,
                              paragraph=c.paragraph, resolved_from=resolved_from, type="law", surface=text[start:end])
            if end > self._ctx_end:
                self.memory.append(Referent(frozenset({"law"}), None, base + c.derived, "law"))   # 同令 → the order
        else:
            inst = ref.inst if ref else c.inst
            m = CitationMatch(
                start=start, end=end, instrument_id=inst.id if inst else "",
                instrument_name=self._name(inst, ref.name if ref else c.name),
                instrument_name_ja=inst.name_ja if inst else "", instrument_name_en=inst.name_en if inst else "",
                article=c.article, paragraph=c.paragraph, number=ref.number if ref else c.number,
                year=ref.year if ref else c.year, resolved_from=resolved_from,
                type=ref.type if ref else ("" if c.anaphor else c.type), surface=text[start:end])
        if m.article and end > self._ctx_end:
            self.last_article = m
        done[id(c)] = m
        return m

    def _referent(self, text: str, c: Cand, done: dict) -> tuple[Referent | None, str]:
        """(what ``c`` points to, resolved_from) — for anaphors, bare articles, defined terms and list items;
        a plain mention is remembered and points to nothing."""
        if c.head is not None:
            h = self._emit(text, c.head, done)
            if h is None:
                return None, ""
            inst = self.rules.instruments.get(h.instrument_id)
            return Referent(c.head.kinds, inst, h.instrument_name, h.type, h.number, h.year), h.resolved_from
        if c.referent is not None:
            return c.referent, c.referent.name
        if c.anaphor:
            ref = self._resolve(c.kinds)
            return ref, ref.name if ref else ""
        if not c.same_article:
            written = self._written_name(text, c)
            if not c.resolution:
                c.name = written               # unknown instruments: the name as written (not folded)
            if c.span[1] > self._ctx_end:      # (a mention in the carried context is remembered already)
                self._remember(c, written)
        return None, ""

    def _same_article(self, text: str, c: Cand) -> CitationMatch:
        """同条 / 同条第2項: the instrument and article cited last, this paragraph."""
        last = self.last_article
        start, end = c.span
        return CitationMatch(start=start, end=end, instrument_id=last.instrument_id,
                             instrument_name=last.instrument_name, instrument_name_ja=last.instrument_name_ja,
                             instrument_name_en=last.instrument_name_en, article=last.article,
                             paragraph=c.paragraph, resolved_from=last.surface, type=last.type,
                             surface=text[start:end])

    @staticmethod
    def _written_name(text: str, c: Cand) -> str:
        """The name part of a mention as written (brackets and article left out; a resolution keeps its year)."""
        s = text[c.start:c.end]
        if s[:1] in "「『" and s[-1:] in "」』":
            s = s[1:-1]
        return WS.sub(" ", squeeze(s)[0]).strip()


def find_citations(text: str, lang: str) -> list[CitationMatch]:
    """Citations in a whole text with a fresh :class:`CitationFinder` (convenience for tests and tools)."""
    return CitationFinder(lang).find(text)
