"""The report's view data, and the page rendered from it by the Jinja2 templates in ``templates/``.

Python decides what is shown (which rows, which spans, in which order); the templates hold all the markup. A
highlighted text is a list of :class:`Segment` (text cut at every span boundary, each piece with the classes,
hover text and record ids of the spans over it), rendered by the ``highlight`` macro. Templates escape every
value (autoescape); the only markup from Python is the SVG of each fact plot (:mod:`.plots`, text escaped).

The page is a generator (``Template.generate``): documents, pairs and facts are iterators whose view data is
built when the template reaches them, each document's text read at that moment; so rendering does not hold the
corpus in memory, only the small tables and one section at a time.
"""
from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from typing import Iterable, Iterator, NamedTuple

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from pipeline.report.data import rows_of
from pipeline.report.plots import fact_plot_svg

# Conflicts first, and only real ones are called so: a translation that differs from its original comes next
# (issue 15).
FACT_ORDER = {"conflict": 0, "translation_mismatch": 1, "compatible": 2, "agree": 3, "single": 4}
COMPARISON_COLUMNS = {"doc_id": "doc_id", "lang": "lang", "surface": "surface", "value": "value",
                      "value_max": "value_max", "unit": "unit", "dimension": "dimension", "qualifier": "qualifier",
                      "time": "time", "actors": "actor_ids", "status": "status", "reason": "reason"}   # header → column


def slug(text: str) -> str:
    """An HTML id from a doc_id / pair_id / fact_id."""
    return re.sub(r"[^0-9A-Za-z_-]+", "-", str(text)).strip("-") or "x"


# ---------------------------------------------------------------------------------------------- templates

def _finalize(value):
    """Every value a template prints, escaped as the report always escaped cells (``html.escape`` with quotes:
    ``&quot;``, ``&#x27;``), None as ''. Markup (a macro's output, a plot) is passed on unchanged; anything
    else that reached the output unescaped would still be escaped by autoescape."""
    if value is None:
        return ""
    if hasattr(value, "__html__"):
        return value
    return Markup(html.escape(str(value), quote=True))


@cache
def environment() -> Environment:
    """The templates shipped in ``pipeline/report/templates`` (package data), autoescaped."""
    env = Environment(loader=PackageLoader("pipeline.report", "templates"),
                      autoescape=select_autoescape(["html", "j2"], default_for_string=True, default=True),
                      finalize=_finalize, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                      keep_trailing_newline=True)
    env.globals["highlight"] = highlight_segments
    return env


# ---------------------------------------------------------------------------------------------- spans

@dataclass
class Span:
    """One highlighted range of a text: its classes, hover text and the record ids it stands for."""
    start: int
    end: int
    classes: tuple[str, ...]
    title: str
    ids: tuple[str, ...] = field(default_factory=tuple)


class Segment(NamedTuple):
    """One piece of a highlighted text: its lines (a line break between two), and, when spans cover it
    (``marked``), the union of their classes, hover texts and record ids."""
    lines: tuple[str, ...]
    marked: bool = False
    classes: str = ""
    title: str = ""
    ids: str = ""


def claim_title(row: dict) -> str:
    """Hover text of a claim: its normalised value and context."""
    value = row.get("value") or "?"
    if row.get("value_max"):
        value += f"–{row['value_max']}"
    parts = [f"claim {value} {row.get('unit') or row.get('unit_surface', '')}".rstrip(),
             f"qualifier: {row.get('qualifier', '')}", f"time: {row.get('time', '')}",
             f"actors: {row.get('actor_ids', '')}", f"hedge: {row.get('hedge', '')}"]
    if row.get("object"):
        parts.insert(1, f"object: {row['object']}")
    return " | ".join(parts)


def claim_span(row: dict, offset: int = 0, status: str = "") -> Span:
    """Span of a claim (``q``), with its hedge class and, in pairs, its match status class."""
    classes = ["q"]
    if row.get("hedge") and row["hedge"] != "asserted":
        classes.append(f"hedge-{row['hedge']}")
    title = claim_title(row)
    if status:
        classes.append(f"m-{status}")
        title += f" | match: {status}"
    return Span(int(row["char_start"]) - offset, int(row["char_end"]) - offset, tuple(classes), title,
                (row["claim_id"],))


def actor_span(row: dict) -> Span:
    """Span of an actor mention (``a``)."""
    title = f"actor {row.get('actor_id') or '(unknown)'} | type: {row.get('actor_type', '')}"
    name = row.get("name_en") or row.get("name_ja")
    if name:
        title += f" | {name}"
    return Span(int(row["char_start"]), int(row["char_end"]), ("a",), title)


def citation_span(row: dict) -> Span:
    """Span of a legal citation (``c``)."""
    title = (f"citation {row.get('instrument_id') or '?'} | {row.get('instrument_name_en') or ''}"
             f" | article: {row.get('article', '')} | number: {row.get('number', '')}")
    return Span(int(row["char_start"]), int(row["char_end"]), ("c",), title, (row["citation_id"],))


def text_lines(text: str) -> tuple[str, ...]:
    """A piece of text as its lines (CRLF and CR as line breaks)."""
    return tuple(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))


def segments(text: str, spans: Iterable[Span]) -> list[Segment]:
    """``text`` cut at every boundary of ``spans`` (overlapping spans cannot nest reliably): each piece with
    the union of the classes (and hover texts, and ids) of the spans that cover it."""
    spans = sorted((s for s in spans if 0 <= s.start < s.end <= len(text)), key=lambda s: s.start)
    cuts = sorted({0, len(text), *(s.start for s in spans), *(s.end for s in spans)})
    out, active, pending = [], [], iter(spans)
    upcoming = next(pending, None)
    for left, right in zip(cuts, cuts[1:]):
        lines = text_lines(text[left:right])
        # a sweep: every span boundary is a cut, so the spans open at ``left`` are exactly those covering the piece
        while upcoming is not None and upcoming.start <= left:
            active.append(upcoming)
            upcoming = next(pending, None)
        active = [s for s in active if s.end > left]
        cover = active
        if not cover:
            out.append(Segment(lines))
            continue
        out.append(Segment(lines, True, " ".join(sorted({c for s in cover for c in s.classes})),
                           "\n".join(dict.fromkeys(s.title for s in cover)),
                           " ".join(dict.fromkeys(i for s in cover for i in s.ids))))
    return out


def highlight_segments(pieces: Iterable[Segment]) -> Markup:
    """Segments as HTML: one ``<mark>`` per covered piece, ``<br>`` between lines, every text escaped as the templates
    escape (:func:`_finalize`). Python rather than a template macro: a report renders ~20,000 pieces, which took
    the macro ~0.5 s (issue 14). Templates call it as ``highlight(segments)``."""
    out = []
    for s in pieces:
        body = "<br>\n".join(html.escape(line, quote=True) for line in s.lines)
        if s.marked:
            body = (f'<mark class="{html.escape(s.classes, quote=True)}" title="{html.escape(s.title, quote=True)}" '
                    f'data-ids="{html.escape(s.ids, quote=True)}">{body}</mark>')
        out.append(body)
    return Markup("".join(out))


def highlight(text: str, spans: Iterable[Span]) -> Markup:
    """``text`` as HTML with one ``<mark>`` per covered piece (:func:`highlight_segments`)."""
    return highlight_segments(segments(text, spans))


# ---------------------------------------------------------------------------------------------- summary

def count_rows(counts: Counter) -> list[tuple[str, int, int]]:
    """(value, count, bar width in px) most frequent first, the bar proportional to the top count."""
    ranked = counts.most_common()
    return [(k, v, round(120 * v / ranked[0][1])) for k, v in ranked]


def summary_view(t: dict) -> dict:
    """Section 1: documents, claims by unit, hedges, citations by instrument, top actors (one streamed pass
    over each per-document table)."""
    n_claims, units, hedges = Counter(), Counter(), Counter()
    for r in t["claims"].iter_rows():
        n_claims[r["doc_id"]] += 1
        units[r.get("unit", "") or "(none)"] += 1
        hedges[r.get("hedge", "") or "(none)"] += 1
    doc_rows = [(r["doc_id"], r.get("title", ""), r.get("lang", ""), r.get("status", ""),
                 n_claims.get(r["doc_id"], 0), r.get("error", "")) for r in rows_of(t["documents"])]
    instruments: dict[str, list] = {}
    for r in t["citations"].iter_rows():
        entry = instruments.setdefault(r["instrument_id"], [r["instrument_name_en"] or r["instrument_name_ja"], 0])
        entry[1] += 1
    cite_rows = sorted(((inst or "(unresolved)", name, n) for inst, (name, n) in instruments.items()),
                       key=lambda r: -r[2])
    actors: dict[str, list] = {}
    for r in t["actors"].iter_rows():
        if r["actor_id"]:
            entry = actors.setdefault(r["actor_id"], [r["actor_type"], r["name_en"], r["name_ja"], 0])
            entry[3] += 1
    actor_rows = sorted(((aid, *entry) for aid, entry in actors.items()), key=lambda r: (-r[4], r[0]))
    return {"documents": doc_rows, "units": count_rows(units), "hedges": count_rows(hedges),
            "instruments": cite_rows, "actors": actor_rows[:20]}


# ---------------------------------------------------------------------------------------------- documents

def document_view(doc: dict, text: str | None, t: dict) -> dict:
    """Section 2 for one document: its text with claims, actors and citations highlighted (or why not)."""
    doc_id = doc["doc_id"]
    view = {"slug": slug(doc_id), "doc_id": doc_id, "lang": doc.get("lang", ""), "title": doc.get("title") or doc_id,
            "failed": None, "segments": []}
    if doc.get("status") != "ok" or text is None:
        view["failed"] = doc.get("error") or "text not readable"
        return view
    spans = [claim_span(r) for r in rows_of(t["claims"], doc_id=doc_id)]
    spans += [actor_span(r) for r in rows_of(t["actors"], doc_id=doc_id)]
    spans += [citation_span(r) for r in rows_of(t["citations"], doc_id=doc_id)]
    view["segments"] = segments(text, spans)
    return view


def document_views(t: dict, text_of) -> Iterator[dict]:
    """Section 2: every document, one at a time (each text read when its view is made)."""
    for doc in rows_of(t["documents"]):
        yield document_view(doc, text_of(doc["doc_id"]), t)


# ---------------------------------------------------------------------------------------------- pairs

def match_status(t: dict) -> dict[str, str]:
    """claim_id → its claim_matches status (for ja and en claims alike)."""
    status = {}
    for row in rows_of(t["claim_matches"]):
        for key in ("ja_claim_id", "en_claim_id"):
            if row.get(key):
                status[row[key]] = row["status"]
    return status


def sentence_cell(doc_id: str, sent_ids: str, text: str | None, t: dict,
                  status: dict[str, str]) -> list[dict] | None:
    """The sentences ``sent_ids`` (semicolon-separated) of a document, claims coloured by match status; None
    for the empty side of a 1-0 / 0-1 link."""
    if not sent_ids:
        return None
    cell = []
    for sid in sent_ids.split(";"):
        sent = rows_of(t["sentences"], doc_id=doc_id, sentence_id=sid)
        if not sent or text is None:
            continue
        start, end = int(sent[0]["char_start"]), int(sent[0]["char_end"])
        claims = rows_of(t["claims"], doc_id=doc_id, sentence_id=sid)
        spans = [claim_span(c, start, status.get(c["claim_id"], "unmatched")) for c in claims]
        cell.append({"sid": sid, "segments": segments(text[start:end], spans)})
    return cell


def pair_view(pair_id: str, links: list[dict], t: dict, text_of, status: dict[str, str]) -> dict:
    """Section 3 for one pair: one row per alignment link, ja left, en right."""
    ja_doc, en_doc = links[0]["ja_doc_id"], links[0]["en_doc_id"]
    ja_text, en_text = text_of(ja_doc), text_of(en_doc)
    rows = [{"type": link["link_type"], "score": link["score"],
             "ja": sentence_cell(ja_doc, link["ja_sent_ids"], ja_text, t, status),
             "en": sentence_cell(en_doc, link["en_sent_ids"], en_text, t, status)} for link in links]
    return {"pair_id": pair_id, "slug": slug(pair_id), "ja_doc": ja_doc, "en_doc": en_doc, "rows": rows}


def pair_views(t: dict, text_of) -> Iterator[dict]:
    """Section 3: every translation pair along its alignment, one pair at a time."""
    status = match_status(t)
    for pair_id, links in t["alignments"].groupby("pair_id", sort=False):
        yield pair_view(pair_id, links.to_dict("records"), t, text_of, status)


# ---------------------------------------------------------------------------------------------- facts

def fact_view(fact: dict, rows: list[dict], published: dict[str, str]) -> dict:
    """Section 4 for one fact: its status, what it measures and when, its plot and per-source values (a claim
    whose sentence gives no time is plotted at the fact's time)."""
    when = fact.get("time", "")
    svg = fact_plot_svg(fact, [dict(r, time=r.get("time") or when) for r in rows], published)
    return {"status": fact.get("status", ""), "slug": slug(fact["fact_id"]), "label_ja": fact.get("label_ja", ""),
            "label_en": fact.get("label_en", ""), "value_range": fact.get("value_range", ""),
            "dimension": fact.get("dimension", ""), "time": when,
            "unit": fact.get("unit", ""), "sources": fact.get("sources", ""), "claims": fact.get("claims", len(rows)),
            # Trusted markup generated here (pipeline.report.plots): every text from the tables in it is escaped.
            "plot": Markup(svg) if svg else None,
            "columns": list(COMPARISON_COLUMNS),
            "rows": [tuple(r.get(c) for c in COMPARISON_COLUMNS.values()) for r in rows]}


def fact_views(t: dict) -> Iterator[dict]:
    """Section 4: every fact, conflicts first, one at a time (each plot drawn when its view is made)."""
    docs = t["documents"]
    published = dict(zip(docs["doc_id"], docs["published"])) if not docs.empty else {}
    ordered = sorted(rows_of(t["facts"]), key=lambda f: (FACT_ORDER.get(f.get("status", ""), 9), f["fact_id"]))
    for fact in ordered:
        yield fact_view(fact, rows_of(t["comparisons"], fact_id=fact["fact_id"]), published)


# ---------------------------------------------------------------------------------------------- page

def render_page(t: dict, text_of) -> Iterator[str]:
    """The whole report page, piece by piece; ``text_of(doc_id)`` gives a document's text (or None). The
    facts section is left out when the run has no facts table."""
    has_facts = not t["facts"].empty
    return environment().get_template("page.html.j2").generate(
        summary=summary_view(t),
        documents=document_views(t, text_of),
        pairs=None if t["alignments"].empty else pair_views(t, text_of),
        has_facts=has_facts,
        facts=fact_views(t) if has_facts else iter(()))
