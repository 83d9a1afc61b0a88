"""One self-contained HTML report of a corpus run: ``<out>/report.html``.

The report reads the CSV tables a run wrote (and the document texts from the corpus) and shows:

1. a summary (documents, claims by unit, hedging profile, citations by instrument, most mentioned actors);
2. each document's text with quantities, actors and citations highlighted from their char offsets
   (normalised values on hover, hedged claims outlined);
3. each translation pair side by side along its sentence alignment, claims coloured by match status;
4. each cross-document fact (when ``facts.csv`` / ``comparisons.csv`` exist) with a timeline plot of the
   values from each source, conflicts first.

Everything is inline (CSS, a tiny script, plots as SVG): the file opens offline and can be mailed as is.

Modules: :mod:`.data` reads the tables and texts, :mod:`.plots` draws the fact timelines, :mod:`.render` makes
the view data and renders the Jinja2 templates of ``templates/`` (package data: the page layout, one template per
section, shared macros, the CSS and the script).

The report is streamed like the run (issue #7): the per-document tables (claims, actors, citations, sentences)
are read back one document at a time through a byte-offset index (:class:`DocTable`), each document's text is
read when its section is rendered, and the page goes to a temp file piece by piece; so building it does not
hold the corpus in memory, only the small tables (documents, pairs, facts).
"""
from __future__ import annotations

from pathlib import Path

from pipeline.report.data import DOC_TABLES, TABLES, DocTable, load_tables, read_text, rows_of
from pipeline.report.render import FACT_ORDER, Segment, Span, highlight, render_page, segments, slug
from pipeline.core.tables import atomic_open

__all__ = ["DOC_TABLES", "FACT_ORDER", "TABLES", "DocTable", "Segment", "Span", "highlight", "load_tables",
           "read_text", "render_page", "rows_of", "segments", "slug", "write_report"]


def write_report(out_dir: Path, corpus_dir: Path) -> Path:
    """Write ``out_dir/report.html`` (self-contained) from the run's tables and the corpus texts, streamed to a
    temp file and renamed into place (a failure leaves the previous report).

    Returns the path of the report. Tables that a run did not write (e.g. ``facts.csv``) are left out of
    the report; documents whose text cannot be read are listed with the reason.
    """
    out_dir, corpus_dir = Path(out_dir), Path(corpus_dir)
    tables = load_tables(out_dir)
    paths = {d["doc_id"]: d["path"] for d in rows_of(tables["documents"]) if d.get("status") == "ok"}

    def text_of(doc_id: str) -> str | None:
        return read_text(corpus_dir, paths[doc_id]) if doc_id in paths else None

    path = out_dir / "report.html"
    with atomic_open(path, text=True) as fh:
        for piece in render_page(tables, text_of):
            fh.write(piece)
    return path
