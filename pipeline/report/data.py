"""The report's data access: the tables of a run and the stored document texts.

The per-document tables (claims, actors, citations, sentences) are read back one document at a time through a
byte-offset index (:class:`DocTable`); the small tables (documents, pairs, facts) are DataFrames of strings. Every
cell comes back as it was before the tables quoted formula-like text (:func:`pipeline.core.tables.unneutralise`).
"""
from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

import pandas as pd

from pipeline.core.tables import read_csv, unneutralise
from pipeline.core.records import TABLES as OUTPUT_TABLES

TABLES = tuple(OUTPUT_TABLES)   # the run's registry (pipeline.core.records.TABLES)
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
        csv.reader takes exactly the lines of one record at a time, so the byte positions stay exact. Cells come
        back as they were before the tables quoted formula-like text (:func:`pipeline.core.tables.unneutralise`)."""
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
    """A document's stored text (decoded as the run decoded it: BOM removed, newlines kept), or None if it
    cannot be read."""
    from pipeline.load.corpus import DocumentError
    from pipeline.load.corpus import read_text as read_stored

    try:
        return read_stored(Path(corpus_dir) / rel_path)
    except (OSError, DocumentError):
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
