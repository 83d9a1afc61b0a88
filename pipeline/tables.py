"""Output tables: CSV in UTF-8 with BOM (Excel on Japanese Windows), written atomically.

Each table is written to a temporary file in the output folder and renamed over the old one, so a crash
never leaves a half-written table; values are formatted here so that numbers read the same in any
spreadsheet (11000, not 11000.0) and re-runs are byte-identical.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Iterable, Sequence

import pandas as pd


def fmt(value) -> str:
    """Cell text: '' for None, integers without '.0', floats without trailing zeros."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def _file_mode() -> int:
    """Permissions a normally created file gets (0o666 minus the umask); mkstemp alone would give 0o600."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


FILE_MODE = _file_mode()


def stage_bytes(path: Path, data: bytes) -> Path:
    """Write ``data`` to a hidden temp file beside ``path`` (flushed to disk, normal permissions); return it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, FILE_MODE)   # mkstemp gives 0o600
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temp file in the same folder and an atomic rename."""
    tmp = stage_bytes(path, data)
    try:
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_csv(path: Path, rows: Iterable[dict], columns: Sequence[str]) -> int:
    """Write ``rows`` (dicts) as a BOM-prefixed UTF-8 CSV with exactly ``columns``; returns the row count."""
    frame = pd.DataFrame([{c: fmt(r.get(c)) for c in columns} for r in rows], columns=list(columns), dtype=str)
    text = frame.to_csv(index=False, lineterminator="\r\n")
    atomic_write_bytes(path, ("\ufeff" + text).encode("utf-8"))
    return len(frame)


def read_csv(path: Path) -> pd.DataFrame:
    """Read a table written by :func:`write_csv` (all cells as strings, empty cells as '')."""
    return pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
