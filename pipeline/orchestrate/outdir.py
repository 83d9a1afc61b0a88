"""The output folder belongs to one run at a time (issue 11: two runs into one ``--out`` lost one corpus's
results and pruned each other's cache).

:func:`output_lock` takes an exclusive POSIX lock (``fcntl.lockf``, which also works on NFS, where the README
puts the folder for Dask) on ``<out>/.lock`` for the duration of a run. The kernel drops the lock when its
process dies, so a run killed with ``kill -9`` never blocks the next one: the next run finds the dead run's
note in the file, says so, and removes the temp files it left (:func:`remove_stale_temps`). A second run
while one is alive waits up to ``wait`` seconds, then refuses with :class:`OutputLocked` naming the holder.
The lock is re-entrant within a process (the command line and the flow it starts both take it).
"""
from __future__ import annotations

import fcntl
import json
import logging
import os
import re
import socket
import time
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

log = logging.getLogger(__name__)

LOCK_NAME = ".lock"
# temp files of atomic writes (tables.stage_bytes / TableWriter, report.html): ".<name>.<random>.tmp"
TEMP_RE = re.compile(r"^\..+\.tmp$")
_HELD: dict[str, list] = {}   # resolved lock path -> [open file, depth] for the locks this process holds


class OutputLocked(RuntimeError):
    """Another live run holds the output folder."""


def _holder(fh) -> str:
    fh.seek(0)
    try:
        info = json.loads(fh.read() or "{}")
    except ValueError:
        return "another run"
    return (f"another run (pid {info.get('pid', '?')} on {info.get('host', '?')}, started "
            f"{info.get('started', '?')}: {info.get('command', '')})")


def _acquire(fh, path: Path, wait: float) -> None:
    deadline = time.monotonic() + wait
    while True:
        try:
            fcntl.lockf(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except OSError:
            if time.monotonic() >= deadline:
                raise OutputLocked(f"{path.parent} is in use by {_holder(fh)}; wait for it to finish or use "
                                   f"another output folder") from None
            time.sleep(min(0.5, max(0.0, deadline - time.monotonic())))


@contextmanager
def output_lock(out_dir: Path, wait: float = 0.0, command: str = "run") -> Iterator[None]:
    """Hold ``<out_dir>/.lock`` exclusively; raises :class:`OutputLocked` if another live run holds it after
    ``wait`` seconds. Leftovers of a run that was killed are removed once the lock is taken."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / LOCK_NAME
    key = str(path.resolve())
    if key in _HELD:   # re-entrant: the command line holds it, the flow it runs asks again
        _HELD[key][1] += 1
        try:
            yield
        finally:
            _HELD[key][1] -= 1
        return
    fh = open(path, "a+", encoding="utf-8")
    try:
        _acquire(fh, path, wait)
        fh.seek(0)
        stale = fh.read().strip()
        if stale:
            log.warning("%s: a run that ended without releasing the folder (killed?) left %s; taking over",
                        out_dir, stale)
        remove_stale_temps(out_dir)
        fh.seek(0)
        fh.truncate()
        fh.write(json.dumps({"pid": os.getpid(), "host": socket.gethostname(), "command": command,
                             "started": datetime.now(timezone.utc).isoformat(timespec="seconds")}))
        fh.flush()
        _HELD[key] = [fh, 1]
        try:
            yield
        finally:
            del _HELD[key]
            fh.seek(0)
            fh.truncate()   # an empty note: released cleanly
            fh.flush()
    finally:
        fh.close()   # closing the file releases the lock


def remove_stale_temps(out_dir: Path) -> list[Path]:
    """Remove the temp files that a killed run left in ``out_dir`` and its cache (call only under the lock:
    a live run's temp files look the same). Returns what was removed."""
    removed = []
    for folder in (Path(out_dir), Path(out_dir) / ".cache"):
        if not folder.is_dir():
            continue
        for entry in folder.iterdir():
            if TEMP_RE.match(entry.name) and entry.is_file() and not entry.is_symlink():
                entry.unlink(missing_ok=True)
                removed.append(entry)
    if removed:
        log.warning("removed %d temp file(s) left by an interrupted run in %s", len(removed), out_dir)
    return removed
