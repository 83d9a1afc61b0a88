"""Numbered citations and their lists: UN Security Council resolutions, articles and paragraphs.

A coordinated list gives one citation per number: 決議第1718号、第1874号及び第2270号, resolutions 1718 (2006),
1874 (2009) and 2270 (2016), 外為法第25条第6項及び第48条第3項, Articles 41 and 42 of the Charter. Only the first
item of a list carries the word (決議, resolution) or the name; the other items are numbers only.

A parenthesis may sit between a name and its number or article (a definition, an abbreviation, a promulgation
number: 決議（以下「決議」という。）第1695号, 関税法（昭和29年法律第61号）第111条, Resolution
(UNSCR) 1874); it becomes part of the citation's span.

Functions here take the compiled :class:`CitationRules` and the folded sentence ``ft`` and work on
:class:`Cand` records; :mod:`pipeline.extract.citations` runs them.
"""
from __future__ import annotations

import re

from pipeline.extract.citation_rules import WS, Cand, CitationRules, Instrument, num, overlaps

_YEAR_LIKE = range(1940, 2041)
_BARE_ITEM_JA = re.compile(r"(?P<item>(?P<number>\d{3,4}))(?![\d.,/])(?!\s*[年月日号条項回委人件%％])(?P<year>)")


# ------------------------------------------------------------------------------------------ resolutions

def resolutions(R: CitationRules, ft: str) -> list[Cand]:
    """Resolution citations with their number, one per item of a coordinated list (Japanese and English)."""
    out: list[Cand] = []
    for ja in (True, False):
        head_rx = R.resolution_ja if ja else R.resolution_en
        pos = 0
        while (m := head_rx.search(ft, pos)):
            pos = m.end()
            head = _resolution_head(R, ft, m, ja)
            if head is None:
                continue
            out.append(head)
            items = _resolution_items(R, ft, m, ja, prefix=head.name.split("決議")[0] if ja else "")
            out += items
            pos = items[-1].end if items else pos
    return out


def _resolution_head(R: CitationRules, ft: str, m: re.Match, ja: bool) -> Cand | None:
    number = num(m.group("number"))
    if ja:
        written = f"{WS.sub('', m.group('prefix') or '')}決議第{number}号"
    else:
        if R.resolution_en_not_after.match(ft, m.end()) and not m.group("year"):
            return None                               # "resolution 2375, 11 September": a date follows
        word = "resolution" if m.group("word") == "S/RES/" else m.group("word")
        written = f"{WS.sub(' ', m.group('prefix') or '')}{word.rstrip('s')} {number}".replace("  ", " ")
    return _res_cand(R, ft, m.start(), m.end(), number, m.group("year") or "", written)


def _resolution_items(R: CitationRules, ft: str, head: re.Match, ja: bool, prefix: str) -> list[Cand]:
    """The numbers that continue a resolution list after its head."""
    sep_rx, item_rx = (R.list_separator_ja, R.resolution_item_ja) if ja else (R.list_separator_en,
                                                                              R.resolution_item_en)
    plural = ja or head.group("word").endswith("s")
    out, end = [], head.end()
    while (s := sep_rx.match(ft, end)) and (n := item_rx.match(ft, s.end()) or _bare_item_ja(R, ft, s.end(), ja)):
        number, year = num(n.group("number")), n.group("year") or ""
        if not ja and not year:
            if R.resolution_en_not_after.match(ft, n.end()):
                break
            if not plural and not _listable(R, number):
                break                                 # "resolution 2375 and 2018": a year, not a resolution
        written = f"{prefix}決議第{number}号" if ja else f"resolution {number}"
        out.append(_res_cand(R, ft, n.start("item"), n.end(), number, year, written))
        end = n.end()
    return out


def _bare_item_ja(R: CitationRules, ft: str, pos: int, ja: bool) -> re.Match | None:
    """A Japanese list item without 号 (決議1718、1874及び2270): only a catalogued resolution's number, no date."""
    n = _BARE_ITEM_JA.match(ft, pos) if ja else None
    return n if n and n.group("number") in R.resolutions else None


def _listable(R: CitationRules, number: str) -> bool:
    """Whether a bare number after a singular "resolution N and" is another resolution (Resolution 1695 and
    1718): a catalogued resolution, or four digits that cannot be a year (not "and 150 vessels")."""
    return number in R.resolutions or (len(number) == 4 and int(number) not in _YEAR_LIKE)


def _res_cand(R: CitationRules, ft: str, start: int, end: int, number: str, year: str, written: str) -> Cand:
    inst = _resolution_inst(R, number, ft, start)
    return Cand(start, end, inst, name=written, kinds=frozenset({"resolution"}), type="resolution",
                number=number, year=year or (inst.year if inst else ""), resolution=True)


def _resolution_inst(R: CitationRules, number: str, ft: str, start: int) -> Instrument | None:
    before = ft[max(0, start - 20):start]
    if any(before.rstrip().endswith(b) for b in R.non_unsc):
        return None
    return R.resolutions.get(number)


# ------------------------------------------------------------------------------------ articles

def attach_articles(R: CitationRules, ft: str, cands: list[Cand]) -> list[Cand]:
    """Fold the article or paragraph next to each candidate into it; list items become candidates of their own
    (``head`` set); candidates inside an absorbed parenthesis are dropped. Returns the new list, in text order."""
    absorbed: set[int] = set()
    items: list[Cand] = []
    for c in cands:
        if id(c) in absorbed:
            continue
        others = [o.span for o in cands if o is not c and id(o) not in absorbed] + [i.span for i in items]
        if c.resolution or (c.anaphor and "resolution" in c.kinds):
            _resolution_paragraph(R, ft, c, others)
        else:
            items += _article(R, ft, c, cands, others, absorbed)
    out = [c for c in cands if id(c) not in absorbed] + items
    return sorted(out, key=lambda c: c.span[0])


def _resolution_paragraph(R: CitationRules, ft: str, c: Cand, others: list) -> None:
    m = R.paragraph_after_ja.match(ft, c.end)
    if m and not overlaps(c.end, m.end(), others):
        c.paragraph, c.ext_end = num(m.group("paragraph")), m.end()
        return
    win0 = max(0, c.start - 60)
    m = R.paragraph_before_en.search(ft[win0:c.start])
    if m and not overlaps(win0 + m.start(), c.start, others):
        c.paragraph, c.ext_start = m.group("paragraph"), win0 + m.start()


def _article(R: CitationRules, ft: str, c: Cand, cands: list[Cand], others: list, absorbed: set) -> list[Cand]:
    """Attach an article after (Japanese, English) or before (English) ``c``; the further items of a list."""
    m, inner = _ja_article_after(R, ft, c, cands)
    free = [s for s in others if not any(s == o.span for o in inner)]
    if m and not overlaps(c.end, m.end(), free):
        c.article, c.paragraph = ja_article(m)
        c.ext_end = m.end()
        absorbed.update(id(o) for o in inner)
        return ja_list(R, ft, c, free)
    return _en_article(R, ft, c, others)


def _ja_article_after(R: CitationRules, ft: str, c: Cand, cands: list[Cand]) -> tuple[re.Match | None, list[Cand]]:
    """The Japanese article after ``c`` — across a parenthesis that may join it — and the candidates inside that
    parenthesis."""
    ins = R.insert.match(ft, c.end)
    inner = absorbable(ins, c, cands) if ins else None
    if inner is not None:
        m = R.article_ja.match(ft, R.article_joiner_ja.match(ft, ins.end()).end())
        if m:
            return m, inner
    return R.article_ja.match(ft, R.article_joiner_ja.match(ft, c.end).end()), []


def absorbable(ins: re.Match, c: Cand, cands: list[Cand]) -> list[Cand] | None:
    """The candidates inside the parenthesis ``ins`` after ``c``, if the parenthesis may become part of ``c``
    (it names nothing else: only ``c``'s own instrument, an abbreviation or definition of it — 以下「特措法」
    という names no statute of its own, it has no article); else None."""
    inner = [o for o in cands if o is not c and o.start < ins.end() and ins.start() < o.end]
    if any(o.start < ins.start() or o.end > ins.end() for o in inner):
        return None
    if all(o.inst is not None and o.inst is c.inst for o in inner if not o.needs_article):
        return inner
    return None


def ja_article(m: re.Match) -> tuple[str, str]:
    """(article, paragraph) of an article_ja / paragraph_item_ja match: 第5条の2 → 5-2, 第6条(b) → paragraph b,
    第4条第1項(a) → 1(a)."""
    groups = m.groupdict()
    art = num(groups.get("article"))
    if groups.get("branch"):
        art += "-" + num(groups["branch"])
    para, letter = num(groups.get("paragraph")), groups.get("letter") or ""
    if letter:
        para = f"{para}({letter})" if para else letter
    return art, para


def ja_list(R: CitationRules, ft: str, c: Cand, others: list) -> list[Cand]:
    """Further items after 第N条: 、第M条 / 及び第M条第P項 (new article), 及び第P項 (same article)."""
    out, end = [], c.span[1]
    while s := R.list_separator_ja.match(ft, end):
        m = R.article_ja.match(ft, s.end())
        if m:
            art, para = ja_article(m)
        else:
            m = R.paragraph_item_ja.match(ft, s.end())
            if m is None:
                break
            art, para = (out[-1].article if out else c.article), ja_article(m)[1]
        if overlaps(m.start(), m.end(), others):
            break
        out.append(Cand(m.start(), m.end(), None, article=art, paragraph=para, head=c))
        end = m.end()
    return out


def _en_article(R: CitationRules, ft: str, c: Cand, others: list) -> list[Cand]:
    win0 = max(0, c.start - 100)
    # an anaphor "the Treaty" starts at "the": the window then ends in "Article 4 of "
    m = R.article_before_en.search(ft[win0:c.start])
    if m and _article_word_fits(m, c) and not overlaps(win0 + m.start(), c.start, others):
        found = en_items(R, m, win0)
        *rest, (a0, a1, art, para) = found
        c.article = art
        c.paragraph = m.group("paragraph_a") or para or m.group("paragraph_c") or ""
        c.ext_start = win0 + m.start() if not rest else a0
        first = win0 + m.start()
        return [Cand(first if i == 0 else s, e, None, article=a, paragraph=p, head=c)
                for i, (s, e, a, p) in enumerate(rest)]
    m = R.article_after_en.match(ft, c.end)
    if m and _article_word_fits(m, c) and not overlaps(c.end, m.end(), others):
        (_s, e0, art, para), *rest = en_items(R, m, 0)
        c.article, c.paragraph, c.ext_end = art, para, e0
        return [Cand(s, e, None, article=a, paragraph=p, head=c) for s, e, a, p in rest]
    return []


def _article_word_fits(m: re.Match, c: Cand) -> bool:
    """Articles belong to any instrument; sections (Section 104 of the … Act) only to statutes."""
    return not m.group("word").startswith(("S", "s", "§")) or "law" in c.kinds


def en_items(R: CitationRules, m: re.Match, offset: int) -> list[tuple[int, int, str, str]]:
    """(start, end, article, paragraph) of each item in the ``items`` group of an English article match
    (Articles 41 and 42; Article V; Article 4(1)); offsets shifted by ``offset``."""
    s0 = m.start("items")
    return [(offset + s0 + i.start(), offset + s0 + i.end(), num(i.group("article")), i.group("paragraph") or "")
            for i in R.article_item_en.finditer(m.group("items"))]


# ------------------------------------------------------------------------------------ chapters

def attach_chapters(R: CitationRules, ft: str, cands: list[Cand]) -> list[Cand]:
    """"Chapter VII of the Charter", 国連憲章第七章: the chapter joins the span of a named instrument without an
    article; "under Chapter VII" with no name after it cites the UN Charter (``chapter_owners_en``)."""
    items: list[Cand] = []
    for c in cands:
        if c.article or c.resolution or c.inst is None and not c.anaphor:
            continue
        start, end = c.span
        m = R.chapter_after_ja.match(ft, end)
        if m and not overlaps(end, m.end(), [o.span for o in cands if o is not c]):
            art = R.article_ja.match(ft, m.end())   # 国連憲章第7章第41条: the article after the chapter
            if art and art.group("dai") and not overlaps(m.end(), art.end(), [o.span for o in cands if o is not c]):
                c.article, c.paragraph = ja_article(art)
            c.ext_end = art.end() if c.article else m.end()
            continue
        win0 = max(0, start - 40)
        m = R.chapter_before_en.search(ft[win0:start])
        if m and not overlaps(win0 + m.start(), start, [o.span for o in cands if o is not c]):
            c.ext_start = win0 + m.start()
            items += _article_before_chapter(R, ft, c, [o.span for o in cands if o is not c])
    out = list(cands) + items
    for rx, iid in R.chapter_owners_en:
        inst = R.instruments.get(iid)
        for m in rx.finditer(ft):
            s = m.end() - len(m.group().split(None, 1)[1]) if " " in m.group() else m.start()
            if inst is not None and not overlaps(s, m.end(), [o.span for o in out]):
                out.append(Cand(s, m.end(), inst, name=inst.name_en, kinds=inst.kinds, type=inst.type))
    return sorted(out, key=lambda c: c.span[0])


def _article_before_chapter(R: CitationRules, ft: str, c: Cand, others: list) -> list[Cand]:
    """"Articles 41 and 42 of Chapter VII of the Charter": the articles before the chapter are the instrument's."""
    chapter, start = c.ext_start, c.start
    c.start, c.ext_start = chapter, -1                # read the articles as if the name started at the chapter
    rest = _en_article(R, ft, c, others)
    c.start = start
    if not c.article:
        c.ext_start = chapter
    return rest
