"""One self-contained HTML report of a corpus run: ``<out>/report.html``.

The report reads the CSV tables a run wrote (and the document texts from the corpus) and shows:

1. a summary (documents, claims by unit, hedging profile, citations by instrument, most mentioned actors);
2. each document's text with quantities, actors and citations highlighted from their char offsets
   (normalised values on hover, hedged claims outlined);
3. each translation pair side by side along its sentence alignment, claims coloured by match status;
4. each cross-document fact (when ``facts.csv`` / ``comparisons.csv`` exist) with a timeline plot of the
   values from each source, conflicts first.

Everything is inline (CSS, a tiny script, plots as SVG): the file opens offline and can be mailed as is.

The report is streamed like the run (issue #7): the per-document tables (claims, actors, citations, sentences)
are read back one document at a time through a byte-offset index (:class:`DocTable`), each document's text is
read when its section is written, and the page goes to a temp file piece by piece; so building it does not
hold the corpus in memory, only the small tables (documents, pairs, facts).
"""
from __future__ import annotations

import csv
import html
import io
import os
import re
from collections import Counter
from functools import lru_cache
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import pandas as pd

from pipeline.tables import FILE_MODE, read_csv, unneutralise

CJK_FONTS = (
    Path("/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf"),
    Path("/usr/share/fonts/opentype/ipafont-gothic/ipagp.ttf"),
    Path("/usr/share/fonts/truetype/fonts-japanese-gothic.ttf"),
)
FACT_ORDER = {"conflict": 0, "compatible": 1, "agree": 2, "single": 3}
TABLES = ("documents", "sentences", "claims", "actors", "citations", "alignments", "claim_matches",
          "facts", "comparisons")


def esc(value) -> str:
    """HTML-escape any cell value (quotes included, so it is safe inside attributes)."""
    return html.escape("" if value is None else str(value), quote=True)


def slug(text: str) -> str:
    """An HTML id from a doc_id / pair_id / fact_id."""
    return re.sub(r"[^0-9A-Za-z_-]+", "-", str(text)).strip("-") or "x"


# ---------------------------------------------------------------------------------------------- loading

DOC_TABLES = ("claims", "actors", "citations", "sentences")   # grouped by doc_id, read through DocTable


class DocTable:
    """A table written one document after another (``run.write_outputs``), read back by document: an index of
    byte ranges per doc_id is built in one pass, and :meth:`rows` reads only the rows of one document."""

    def __init__(self, path: Path):
        self.path, self.columns, self.spans = Path(path), [], {}
        if not self.path.exists():
            return
        with self.path.open("rb") as fh:
            self.columns = next(csv.reader([fh.readline().decode("utf-8-sig")]), [])
            key = self.columns.index("doc_id")
            for start, end, row in self._records(fh):
                if len(row) > key:
                    first = self.spans.get(row[key])
                    self.spans[row[key]] = (first[0] if first else start, end)

    @staticmethod
    def _records(fh, stop: int | None = None):
        """(start, end, cells) of each CSV record from the current position of binary ``fh`` up to ``stop``;
        csv.reader takes exactly the lines of one record at a time, so the byte positions stay exact. Cells
        come back as they were before the tables quoted formula-like text (:func:`pipeline.tables.unneutralise`)."""
        pos = [fh.tell()]

        def lines():
            while stop is None or pos[0] < stop:
                line = fh.readline()
                if not line:
                    return
                pos[0] += len(line)
                yield line.decode("utf-8")

        reader = csv.reader(lines())
        while True:
            start = pos[0]
            try:
                row = next(reader)
            except StopIteration:
                return
            yield start, pos[0], [unneutralise(c) if c[:1] == "'" else c for c in row]

    @property
    def empty(self) -> bool:
        return not self.spans

    def rows(self, **equal) -> list[dict]:
        """Rows whose columns equal the given values (``doc_id`` selects one document's byte range)."""
        doc_id = equal.get("doc_id")
        if doc_id is not None:
            rows = self._doc_rows(doc_id)
        else:
            rows = self.iter_rows()
        return [r for r in rows if all(r.get(k) == v for k, v in equal.items())]

    @lru_cache(maxsize=4)   # a pair's side-by-side view asks for the same two documents, link after link
    def _doc_rows(self, doc_id: str) -> tuple[dict, ...]:
        span = self.spans.get(doc_id)
        if span is None:
            return ()
        with self.path.open("rb") as fh:
            fh.seek(span[0])
            return tuple(dict(zip(self.columns, row)) for _, _, row in self._records(fh, span[1]))

    def iter_rows(self):
        """Every row, streamed."""
        if not self.path.exists():
            return
        with self.path.open("rb") as fh:
            fh.readline()
            for _, _, row in self._records(fh):
                yield dict(zip(self.columns, row))


def load_tables(out_dir: Path) -> dict:
    """The tables of a run: the per-document ones as :class:`DocTable`, the small ones as DataFrames of
    strings; a missing table is empty."""
    frames = {}
    for name in TABLES:
        path = Path(out_dir) / f"{name}.csv"
        if name in DOC_TABLES:
            frames[name] = DocTable(path)
        else:
            frames[name] = read_csv(path) if path.exists() else pd.DataFrame(dtype=str)
    return frames


def read_text(corpus_dir: Path, rel_path: str) -> str | None:
    """A document's stored text (UTF-8, BOM removed, newlines kept), or None if it cannot be read."""
    try:
        return (Path(corpus_dir) / rel_path).read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None


def rows_of(frame, **equal) -> list[dict]:
    """Rows (as dicts) of ``frame`` (DataFrame or DocTable) whose columns equal the given values."""
    if isinstance(frame, DocTable):
        return frame.rows(**equal)
    if frame.empty:
        return []
    mask = pd.Series(True, index=frame.index)
    for column, value in equal.items():
        if column not in frame.columns:
            return []
        mask &= frame[column] == value
    return frame[mask].to_dict("records")


# ---------------------------------------------------------------------------------------------- spans

@dataclass
class Span:
    """One highlighted range of a text: its classes, hover text and the record ids it stands for."""
    start: int
    end: int
    classes: tuple[str, ...]
    title: str
    ids: tuple[str, ...] = field(default_factory=tuple)


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


def text_html(text: str) -> str:
    """Escaped text with its line breaks as ``<br>``."""
    return esc(text).replace("\r\n", "\n").replace("\r", "\n").replace("\n", "<br>\n")


def highlight(text: str, spans: Iterable[Span]) -> str:
    """``text`` as HTML with ``<mark>`` elements for ``spans``.

    Overlapping spans cannot nest reliably, so the text is cut at every span boundary; each piece gets one
    ``<mark>`` with the union of the classes (and hover texts, and ids in ``data-ids``) that cover it.
    """
    spans = [s for s in spans if 0 <= s.start < s.end <= len(text)]
    cuts = sorted({0, len(text), *(s.start for s in spans), *(s.end for s in spans)})
    out = []
    for left, right in zip(cuts, cuts[1:]):
        piece = text_html(text[left:right])
        cover = [s for s in spans if s.start <= left and right <= s.end]
        if not cover:
            out.append(piece)
            continue
        classes = sorted({c for s in cover for c in s.classes})
        ids = " ".join(dict.fromkeys(i for s in cover for i in s.ids))
        title = "\n".join(dict.fromkeys(s.title for s in cover))
        out.append(f'<mark class="{esc(" ".join(classes))}" title="{esc(title)}" data-ids="{esc(ids)}">'
                   f"{piece}</mark>")
    return "".join(out)


# ---------------------------------------------------------------------------------------------- summary

def html_table(headers: list[str], rows: Iterable[Iterable], cls: str = "") -> str:
    """A plain HTML table; cells are escaped."""
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f'<table class="{cls}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def count_table(values: Iterable[str], label: str, cls: str) -> str:
    """Counts of ``values`` (empty shown as '(none)'), most frequent first, with a proportional bar."""
    counts = Counter(v or "(none)" for v in values).most_common()
    if not counts:
        return '<p class="empty">none</p>'
    top = counts[0][1]
    rows = "".join(
        f'<tr><td>{esc(k)}</td><td class="n">{v}</td>'
        f'<td><span class="bar" style="width:{round(120 * v / top)}px"></span></td></tr>'
        for k, v in counts)
    return (f'<table class="{cls}"><thead><tr><th>{esc(label)}</th><th>count</th><th></th></tr></thead>'
            f"<tbody>{rows}</tbody></table>")


def summary_section(t: dict) -> str:
    """Section 1: documents, claims by unit, hedges, citations by instrument, top actors (one streamed pass
    over each per-document table)."""
    n_claims, units, hedges = Counter(), [], []
    for r in t["claims"].iter_rows():
        n_claims[r["doc_id"]] += 1
        units.append(r.get("unit", ""))
        hedges.append(r.get("hedge", ""))
    doc_rows = [(r["doc_id"], r.get("title", ""), r.get("lang", ""), r.get("status", ""),
                 n_claims.get(r["doc_id"], 0), r.get("error", "")) for r in rows_of(t["documents"])]
    parts = ['<section id="summary"><h2>Summary</h2>', "<h3>Documents</h3>",
             html_table(["doc_id", "title", "lang", "status", "claims", "error"], doc_rows, "docs")]
    parts += ["<h3>Claims by unit</h3>", count_table(units, "unit", "units")]
    parts += ["<h3>Hedging profile</h3>", count_table(hedges, "hedge", "hedges")]
    instruments: dict[str, list] = {}
    for r in t["citations"].iter_rows():
        entry = instruments.setdefault(r["instrument_id"], [r["instrument_name_en"] or r["instrument_name_ja"], 0])
        entry[1] += 1
    cite_rows = sorted(((inst or "(unresolved)", name, n) for inst, (name, n) in instruments.items()),
                       key=lambda r: -r[2])
    parts += ["<h3>Citations by instrument</h3>",
              html_table(["instrument", "name", "count"], cite_rows, "instruments")]
    actors: dict[str, list] = {}
    for r in t["actors"].iter_rows():
        if r["actor_id"]:
            entry = actors.setdefault(r["actor_id"], [r["actor_type"], r["name_en"], r["name_ja"], 0])
            entry[3] += 1
    actor_rows = sorted(((aid, *entry) for aid, entry in actors.items()), key=lambda r: (-r[4], r[0]))
    parts += ["<h3>Actors most mentioned</h3>",
              html_table(["actor_id", "type", "name_en", "name_ja", "mentions"], actor_rows[:20], "actors"),
              "</section>"]
    return "\n".join(parts)


# ---------------------------------------------------------------------------------------------- documents

def document_section(doc: dict, text: str | None, t: dict) -> str:
    """Section 2 for one document: its text with claims, actors and citations highlighted."""
    doc_id = doc["doc_id"]
    head = (f'<article class="doc" id="doc-{slug(doc_id)}" lang="{esc(doc.get("lang", ""))}">'
            f'<h3>{esc(doc.get("title") or doc_id)} <small>{esc(doc_id)} · {esc(doc.get("lang", ""))}</small></h3>')
    if doc.get("status") != "ok" or text is None:
        reason = doc.get("error") or "text not readable"
        return head + f'<p class="failed">not processed: {esc(reason)}</p></article>'
    spans = [claim_span(r) for r in rows_of(t["claims"], doc_id=doc_id)]
    spans += [actor_span(r) for r in rows_of(t["actors"], doc_id=doc_id)]
    spans += [citation_span(r) for r in rows_of(t["citations"], doc_id=doc_id)]
    return head + f'<div class="text">{highlight(text, spans)}</div></article>'


def documents_section(t: dict, text_of) -> Iterable[str]:
    """Section 2: every document, one piece at a time (each text read when its piece is made)."""
    legend = ('<p class="legend"><mark class="q">quantity</mark> <mark class="a">actor</mark> '
              '<mark class="c">citation</mark> <mark class="q hedge-estimated">estimated</mark> '
              '<mark class="q hedge-reported">reported</mark> '
              '<mark class="q hedge-speculative">speculative</mark> (hover for values)</p>')
    yield f'<section id="documents"><h2>Documents</h2>{legend}\n'
    for i, d in enumerate(rows_of(t["documents"])):
        yield ("\n" if i else "") + document_section(d, text_of(d["doc_id"]), t)
    yield "</section>"


# ---------------------------------------------------------------------------------------------- pairs

def match_status(t: dict) -> dict[str, str]:
    """claim_id → its claim_matches status (for ja and en claims alike)."""
    status = {}
    for row in rows_of(t["claim_matches"]):
        for key in ("ja_claim_id", "en_claim_id"):
            if row.get(key):
                status[row[key]] = row["status"]
    return status


def sentence_cell(doc_id: str, sent_ids: str, text: str | None, t: dict, status: dict[str, str]) -> str:
    """The sentences ``sent_ids`` (semicolon-separated) of a document, claims coloured by match status."""
    if not sent_ids:
        return '<span class="gap">—</span>'
    pieces = []
    for sid in sent_ids.split(";"):
        sent = rows_of(t["sentences"], doc_id=doc_id, sentence_id=sid)
        if not sent or text is None:
            continue
        start, end = int(sent[0]["char_start"]), int(sent[0]["char_end"])
        claims = rows_of(t["claims"], doc_id=doc_id, sentence_id=sid)
        spans = [claim_span(c, start, status.get(c["claim_id"], "unmatched")) for c in claims]
        pieces.append(f'<span class="sent" data-sid="{esc(sid)}">{highlight(text[start:end], spans)}</span>')
    return " ".join(pieces)


def pair_section(pair_id: str, links: list[dict], t: dict, text_of, status: dict[str, str]) -> str:
    """Section 3 for one pair: one table row per alignment link, ja left, en right."""
    ja_doc, en_doc = links[0]["ja_doc_id"], links[0]["en_doc_id"]
    rows, ja_text, en_text = [], text_of(ja_doc), text_of(en_doc)
    for link in links:
        ja = sentence_cell(ja_doc, link["ja_sent_ids"], ja_text, t, status)
        en = sentence_cell(en_doc, link["en_sent_ids"], en_text, t, status)
        rows.append(f'<tr class="link l{esc(link["link_type"])}"><td lang="ja">{ja}</td><td lang="en">{en}</td>'
                    f'<td class="n">{esc(link["link_type"])}<br>{esc(link["score"])}</td></tr>')
    return (f'<article class="pair" id="pair-{slug(pair_id)}"><h3>{esc(ja_doc)} ⇄ {esc(en_doc)}</h3>'
            f'<table class="side-by-side" data-pair="{esc(pair_id)}"><thead><tr><th>日本語</th><th>English</th>'
            f'<th>link</th></tr></thead><tbody>{"".join(rows)}</tbody></table></article>')


def pairs_section(t: dict, text_of) -> Iterable[str]:
    """Section 3: every translation pair along its alignment, one pair at a time."""
    legend = ('<p class="legend">' + " ".join(
        f'<mark class="q m-{s}">{s}</mark>' for s in ("match", "value_mismatch", "qualifier_mismatch",
                                                      "unit_mismatch", "missing_in_en", "missing_in_ja",
                                                      "unmatched")) + "</p>")
    aligns = t["alignments"]
    if aligns.empty:
        yield '<section id="pairs"><h2>Translation pairs</h2><p class="empty">no pairs</p></section>'
        return
    status = match_status(t)
    yield f'<section id="pairs"><h2>Translation pairs</h2>{legend}\n'
    for i, (pid, g) in enumerate(aligns.groupby("pair_id", sort=False)):
        yield ("\n" if i else "") + pair_section(pid, g.to_dict("records"), t, text_of, status)
    yield "</section>"


# ---------------------------------------------------------------------------------------------- facts

def cjk_font() -> str | None:
    """Register a Japanese-capable font with matplotlib; its family name, or None if none is installed."""
    from matplotlib import font_manager

    for path in CJK_FONTS:
        if path.exists():
            font_manager.fontManager.addfont(str(path))
            return font_manager.FontProperties(fname=str(path)).get_name()
    return None


def decimal_year(iso: str) -> tuple[float, float] | None:
    """An ISO time ('2024', '2024-03', '2024-03-05', 'A/B', '2023-09/..') as (start, end) decimal years."""
    def one(part: str, end: bool) -> float | None:
        m = re.fullmatch(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", part.strip())
        if not m:
            return None
        year, month, day = int(m[1]), m[2], m[3]
        if month is None:
            return year + (1.0 if end else 0.0)
        frac = (int(month) - 1 + ((int(day) - 1) / 31 if day else (1.0 if end else 0.0))) / 12
        return year + frac
    if not iso:
        return None
    left, _, right = iso.partition("/")
    start = one(left, False)
    stop = one(right, True) if right and right != ".." else one(left, True)
    if start is None:
        return None
    return start, stop if stop is not None else start + 1


def fact_points(rows: list[dict], published: dict[str, str]) -> list[dict]:
    """Plottable points of a fact: x range from the claim's time (else the document's date), y value(s)."""
    points = []
    for row in rows:
        try:
            low = float(row["value"])
        except (KeyError, ValueError):
            continue
        high = float(row["value_max"]) if row.get("value_max") else low
        when = decimal_year(row.get("time", "")) or decimal_year(published.get(row.get("doc_id", ""), ""))
        if when:
            points.append({"x0": when[0], "x1": when[1], "low": low, "high": high, "row": row})
    return points


def fact_plot_svg(fact: dict, rows: list[dict], published: dict[str, str], font: str | None) -> str:
    """An inline SVG timeline of a fact's values per source (matplotlib, Agg), or '' if nothing is dated."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    points = fact_points(rows, published)
    if not points:
        return ""
    docs = list(dict.fromkeys(p["row"].get("doc_id", "") for p in points))
    colours = plt.get_cmap("tab10")
    rc = {"svg.fonttype": "path", "svg.hashsalt": "claims-report", "font.size": 9}
    if font:
        rc["font.family"] = [font, "DejaVu Sans"]
    with plt.rc_context(rc):
        fig, ax = plt.subplots(figsize=(7, 2.6))
        for p in points:
            colour = colours(docs.index(p["row"].get("doc_id", "")) % 10)
            mid = (p["x0"] + p["x1"]) / 2
            ax.hlines((p["low"] + p["high"]) / 2, p["x0"], p["x1"], colors=[colour], linewidth=2, alpha=0.5)
            ax.vlines(mid, p["low"], p["high"], colors=[colour], linewidth=2)
            ax.plot([mid], [p["low"]], "o", color=colour)
            note = p["row"].get("surface", "") if font else p["row"].get("value", "")
            ax.annotate(note, (mid, p["high"]), textcoords="offset points", xytext=(3, 4), fontsize=7)
        for i, doc in enumerate(docs):
            ax.plot([], [], "o", color=colours(i % 10), label=doc)
        label = fact.get("label_ja") if font and fact.get("label_ja") else fact.get("label_en") or fact["fact_id"]
        ax.set_title(f"{label} ({fact.get('status', '')})")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlabel("time (year)")
        ax.set_ylabel(f"value ({fact['unit']})" if fact.get("unit") else "value")
        ax.legend(fontsize=7, loc="best")
        ax.grid(alpha=0.3)
        fig.tight_layout()
        buf = io.StringIO()
        fig.savefig(buf, format="svg", metadata={"Date": None})
        plt.close(fig)
    svg = buf.getvalue()
    return svg[svg.index("<svg"):]   # drop the XML prolog / DOCTYPE: not allowed inside HTML


def fact_section(fact: dict, rows: list[dict], published: dict[str, str], font: str | None) -> str:
    """Section 4 for one fact: its status, plot and per-source values."""
    status = fact.get("status", "")
    table = html_table(["doc_id", "lang", "surface", "value", "value_max", "unit", "qualifier", "time", "actors",
                        "status", "reason"],
                       ((r.get("doc_id"), r.get("lang"), r.get("surface"), r.get("value"), r.get("value_max"),
                         r.get("unit"), r.get("qualifier"), r.get("time"), r.get("actor_ids"), r.get("status"),
                         r.get("reason")) for r in rows), "comparisons")
    plot = fact_plot_svg(fact, rows, published, font)
    no_plot = '<p class="empty">no dated numeric value to plot</p>'
    return (f'<article class="fact f-{esc(status)}" id="fact-{slug(fact["fact_id"])}">'
            f'<h3><span class="badge">{esc(status)}</span> {esc(fact.get("label_ja", ""))} / '
            f'{esc(fact.get("label_en", ""))}</h3><p>value range: {esc(fact.get("value_range", ""))} '
            f'{esc(fact.get("unit", ""))} · sources: {esc(fact.get("sources", ""))} · '
            f'claims: {esc(fact.get("claims", len(rows)))}</p><div class="plot">{plot or no_plot}</div>{table}</article>')


def facts_section(t: dict) -> str:
    """Section 4: every fact, conflicts first; '' when the run has no facts table."""
    facts = t["facts"]
    if facts.empty:
        return ""
    published = dict(zip(t["documents"]["doc_id"], t["documents"]["published"])) if not t["documents"].empty else {}
    font = cjk_font()
    ordered = sorted(rows_of(facts), key=lambda f: (FACT_ORDER.get(f.get("status", ""), 9), f["fact_id"]))
    body = "\n".join(fact_section(f, rows_of(t["comparisons"], fact_id=f["fact_id"]), published, font)
                     for f in ordered)
    return f'<section id="facts"><h2>Facts across documents</h2>\n{body}</section>'


# ---------------------------------------------------------------------------------------------- page

# Inline on purpose: the report must open offline, and the package ships no data files.
CSS = """
body{font-family:"IPAGothic","Noto Sans CJK JP","Hiragino Sans",sans-serif;margin:0;color:#222;line-height:1.6}
header{background:#24364b;color:#fff;padding:.6em 1.2em}header a{color:#cde}main{padding:0 1.2em 2em}
h1{margin:0;font-size:1.4em}h2{border-bottom:2px solid #24364b;margin-top:1.6em}h3 small{color:#777;font-weight:normal}
table{border-collapse:collapse;margin:.4em 0 1em}th,td{border:1px solid #ccc;padding:.2em .5em;vertical-align:top}
th{background:#eef2f6}td.n{text-align:right;white-space:nowrap}.bar{display:inline-block;height:.8em;background:#5b8db8}
.text{border:1px solid #ddd;padding:.8em;background:#fcfcfc;max-width:60em}
mark{background:none;padding:0 1px;border-radius:2px}mark.a{background:#d8ecff}mark.c{background:#e6dcff}
mark.q{background:#ffe28a;font-weight:600}mark.q.a,mark.q.c{background:#ffd0a0}
mark.hedge-estimated{outline:2px dashed #c77700}mark.hedge-reported{outline:2px dashed #2d7d46}
mark.hedge-speculative{outline:2px dashed #b3261e}mark.hot{box-shadow:0 0 0 2px #000}
mark.m-match{background:#bfe8c0}mark.m-value_mismatch,mark.m-unit_mismatch{background:#ffb3ad}
mark.m-qualifier_mismatch{background:#ffd59a}mark.m-missing_in_en,mark.m-missing_in_ja{background:#d5d5d5}
mark.m-unmatched{background:#f0f0f0}
table.side-by-side{width:100%;table-layout:fixed}table.side-by-side td:nth-child(3),table.side-by-side th:nth-child(3){width:5em}
tr.l1-0 td[lang=en],tr.l0-1 td[lang=ja]{background:#f6f6f6}.gap{color:#aaa}
.badge{font-size:.8em;padding:.1em .5em;border-radius:1em;background:#ddd}.f-conflict .badge{background:#ffb3ad}
.f-agree .badge{background:#bfe8c0}.f-compatible .badge{background:#d8ecff}.plot svg{max-width:100%;height:auto}
.failed{color:#b3261e}.empty{color:#888}table.comparisons{font-size:.85em}
"""
JS = """
(function () {
  // hover one piece of a claim: outline every piece with the same id (a claim can be cut by overlaps)
  document.querySelectorAll("mark[data-ids]").forEach(function (m) {
    var ids = m.dataset.ids.split(" ").filter(Boolean);
    if (!ids.length) return;
    function toggle(on) {
      ids.forEach(function (id) {
        document.querySelectorAll("mark[data-ids~='" + id + "']").forEach(function (o) { o.classList.toggle("hot", on); });
      });
    }
    m.addEventListener("mouseenter", function () { toggle(true); });
    m.addEventListener("mouseleave", function () { toggle(false); });
  });
  document.body.dataset.marks = String(document.querySelectorAll("mark").length);
  document.body.dataset.ready = "1";
})();
"""


def render(t: dict, text_of) -> Iterable[str]:
    """The whole report page, piece by piece; ``text_of(doc_id)`` gives a document's text (or None)."""
    facts = facts_section(t)
    toc = ['<a href="#summary">Summary</a>', '<a href="#documents">Documents</a>', '<a href="#pairs">Pairs</a>']
    if facts:
        toc.append('<a href="#facts">Facts</a>')
    yield ("<!DOCTYPE html>\n<html lang=\"ja\"><head><meta charset=\"utf-8\">"
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
           "<title>Claims report</title>"
           f"<style>{CSS}</style></head>\n<body>"
           f"<header><h1>Claims report</h1><nav>{' · '.join(toc)}</nav></header>\n<main>\n"
           f"{summary_section(t)}\n")
    yield from documents_section(t, text_of)
    yield "\n"
    yield from pairs_section(t, text_of)
    yield f"\n{facts}\n</main><script>{JS}</script></body></html>\n"


def write_report(out_dir: Path, corpus_dir: Path) -> Path:
    """Write ``out_dir/report.html`` (self-contained) from the run's tables and the corpus texts, streamed to a
    temp file and renamed into place (a failure leaves the previous report).

    Returns the path of the report. Tables that a run did not write (e.g. ``facts.csv``) are left out of
    the report; documents whose text cannot be read are listed with the reason.
    """
    import tempfile

    out_dir, corpus_dir = Path(out_dir), Path(corpus_dir)
    tables = load_tables(out_dir)
    paths = {d["doc_id"]: d["path"] for d in rows_of(tables["documents"]) if d.get("status") == "ok"}

    def text_of(doc_id: str) -> str | None:
        return read_text(corpus_dir, paths[doc_id]) if doc_id in paths else None

    path = out_dir / "report.html"
    fd, tmp = tempfile.mkstemp(prefix=".report.html.", suffix=".tmp", dir=out_dir)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            for piece in render(tables, text_of):
                fh.write(piece)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, FILE_MODE)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
