"""Output tables: CSV in UTF-8 with BOM (Excel on Japanese Windows), written atomically.

Each table is written to a temporary file in the output folder and renamed over the old one, so a crash
never leaves a half-written table; values are formatted here so that numbers read the same in any
spreadsheet (11000, not 11000.0) and re-runs are byte-identical.

Every cell goes through :func:`safe_cell`: text that a spreadsheet would take for a formula (it starts with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return, or their full-width forms ``＝＋－＠``, which Excel on
Japanese Windows may convert) is written with a leading ``'`` (OWASP's advice against CSV/formula injection);
plain numbers (``-3``, ``-3.5``, ``1e-05``) are written as they are. :func:`read_csv` (and every reader of these
tables: the report, ``review import``) removes that quote again with :func:`unneutralise`, its exact inverse.
"""
from __future__ import annotations

import csv
import os
import re
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator, Sequence


def fmt(value) -> str:
    """Cell text: '' for None, integers without '.0', floats without trailing zeros."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


# First characters that make Excel / LibreOffice / Google Sheets read a cell as a formula (OWASP "CSV
# injection"), plus their full-width forms ＝＋－＠: Excel on Japanese Windows may turn full-width characters
# into their ASCII forms (as it does with full-width digits), so they are treated the same way; the cost is a
# visible quote on a rare cell.
FORMULA_STARTS = frozenset("=+-@\t\r\uff1d\uff0b\uff0d\uff20")
_QUOTABLE = FORMULA_STARTS | {"'"}
_PLAIN_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def _needs_quote(text: str) -> bool:
    """Whether ``text`` is written with a leading quote: after any quotes it already starts with, it begins with
    a formula character and is not a plain number. (Counting the quotes it already has makes the quoting
    reversible: ``'=x`` is written ``''=x`` and read back as ``'=x``, while ``'abc`` and ``'-3`` stay as they are.)"""
    body = text.lstrip("'")
    return body[:1] in FORMULA_STARTS and not _PLAIN_NUMBER.fullmatch(body)


def neutralise(text: str) -> str:
    """Cell text made safe for a spreadsheet: ``=HYPERLINK(..)`` → ``'=HYPERLINK(..)``; ``-3`` stays ``-3``."""
    return "'" + text if text[:1] in _QUOTABLE and _needs_quote(text) else text


def unneutralise(text: str) -> str:
    """The inverse of :func:`neutralise`: drops the leading quote only where :func:`neutralise` adds one
    (``'=x`` → ``=x``, ``''=x`` → ``'=x``); any other cell (``'abc``, ``'-3``, ``=x``) is returned unchanged."""
    return text[1:] if text[:1] == "'" and _needs_quote(text[1:]) else text


def safe_cell(value) -> str:
    """What a table holds for ``value``: :func:`fmt`, then :func:`neutralise`."""
    return neutralise(fmt(value))


def _file_mode() -> int:
    """Permissions a normally created file gets (0o666 minus the umask); mkstemp alone would give 0o600."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


FILE_MODE = _file_mode()


class AtomicFile:
    """A file written to a hidden temp file beside ``path`` (``.<name>.<random>.tmp``) and renamed over it by
    :meth:`commit`, so that it is never seen half-written; :meth:`discard` drops it and leaves any previous file.
    The one atomic writer of the project: tables, the report, caches, manifests and ingested files use it."""

    def __init__(self, path: Path, text: bool = False):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent)
        self.tmp = Path(tmp)
        self.fh = os.fdopen(fd, "w", encoding="utf-8", newline="") if text else os.fdopen(fd, "wb")

    def stage(self) -> Path:
        """Flush to disk with normal permissions (mkstemp gives 0o600) and close; the temp file stays."""
        try:
            self.fh.flush()
            os.fsync(self.fh.fileno())
            self.fh.close()
            os.chmod(self.tmp, FILE_MODE)
        except BaseException:
            self.discard()
            raise
        return self.tmp

    def commit(self) -> None:
        """Stage, then rename over ``path``."""
        self.stage()
        try:
            os.replace(self.tmp, self.path)
        except BaseException:
            self.discard()
            raise

    def discard(self) -> None:
        """Drop the temp file; the previous file (if any) stays as it was."""
        if not self.fh.closed:
            self.fh.close()
        self.tmp.unlink(missing_ok=True)


@contextmanager
def atomic_open(path: Path, text: bool = False) -> Iterator:
    """``with atomic_open(path) as fh:`` writes ``path`` atomically: renamed into place when the block ends,
    discarded (previous file kept) when it raises."""
    f = AtomicFile(path, text)
    try:
        yield f.fh
    except BaseException:
        f.discard()
        raise
    f.commit()


def stage_bytes(path: Path, data: bytes) -> Path:
    """Write ``data`` to a hidden temp file beside ``path`` (flushed to disk, normal permissions) and return it;
    the caller renames it into place (ingestion stages several files, then renames them together)."""
    f = AtomicFile(path)
    try:
        f.fh.write(data)
    except BaseException:
        f.discard()
        raise
    return f.stage()


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temp file in the same folder and an atomic rename."""
    with atomic_open(path) as fh:
        fh.write(data)


class TableWriter:
    """A CSV table written row by row to a hidden temp file beside ``path`` and renamed over it by
    :meth:`commit`, so that a table of any size is streamed (never held in memory) and never half-written.

    BOM-prefixed UTF-8, CRLF line ends, exactly ``columns``, cells formatted by :func:`safe_cell`."""

    def __init__(self, path: Path, columns: Sequence[str]):
        self.path, self.columns, self.rows = Path(path), list(columns), 0
        self._file = AtomicFile(self.path, text=True)
        self._csv = csv.writer(self._file.fh, lineterminator="\r\n")
        self._file.fh.write("\ufeff")
        self._csv.writerow(self.columns)

    def write(self, rows: Iterable[dict]) -> int:
        """Append ``rows`` (dicts; missing keys become empty cells); returns how many were written."""
        n = 0
        for r in rows:
            self._csv.writerow([safe_cell(r.get(c)) for c in self.columns])
            n += 1
        self.rows += n
        return n

    def commit(self) -> int:
        """Flush to disk and rename over the table; returns the row count."""
        self._file.commit()
        return self.rows

    def discard(self) -> None:
        """Drop the temp file; the previous table (if any) stays as it was."""
        self._file.discard()


@contextmanager
def staged_tables(out_dir: Path, specs: dict[str, Sequence[str]]) -> Iterator[dict[str, TableWriter]]:
    """Writers for ``<out_dir>/<name>.csv`` (one per entry of ``specs``: name → columns). On success every
    table is committed; if anything fails, none is and the previous tables stay whole."""
    writers: dict[str, TableWriter] = {}
    try:
        for name, columns in specs.items():
            writers[name] = TableWriter(Path(out_dir) / f"{name}.csv", columns)
        yield writers
    except BaseException:
        for w in writers.values():
            w.discard()
        raise
    for w in writers.values():
        w.commit()


def write_csv(path: Path, rows: Iterable[dict], columns: Sequence[str]) -> int:
    """Write ``rows`` (dicts) as a BOM-prefixed UTF-8 CSV with exactly ``columns``; returns the row count."""
    writer = TableWriter(path, columns)
    try:
        writer.write(rows)
    except BaseException:
        writer.discard()
        raise
    return writer.commit()


def read_csv(path: Path):
    """Read a table written by :func:`write_csv` as a pandas DataFrame (all cells strings, empty cells ''), with
    the cells as they were before :func:`neutralise` (``'=x`` in the file → ``=x``)."""
    import pandas as pd

    frame = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    for column in frame.columns:
        values = frame[column]
        quoted = values.str.startswith("'")
        if quoted.any():
            frame.loc[quoted, column] = values[quoted].map(unneutralise)
    return frame
