"""The whole-run short cut of incremental runs (issue #7): when nothing a run depends on has changed since the
last complete run, and its outputs are still exactly as that run wrote them, the run is not done again.

``<out>/.manifest.json`` records, after a run in which no document failed: one key over everything the
outputs depend on (each document's cache key, which covers its text, metadata, ``models/``, the pipeline's
version and source and the language-pipeline settings; the corpus's review decisions; the aligner setting),
the SHA-256 of every output table and of report.html, and that run's summary. :func:`unchanged` checks all of
it with plain file reads (no spaCy, no Prefect), so an unchanged nightly run costs well under a second.
A deleted or hand-edited table, a new review import, a changed rule file: any of these runs the corpus.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from pipeline.core import settings
from pipeline.core.records import TABLES
from pipeline.orchestrate import cache
from pipeline.load import corpus
from pipeline.core.tables import atomic_write_bytes

MANIFEST = ".manifest.json"
OUTPUT_FILES = tuple(f"{t}.csv" for t in TABLES) + ("report.html",)


def run_key(corpus_dir: Path) -> str:
    """Key over every input of a corpus run (raises OSError if a document cannot be read)."""
    corpus_dir = Path(corpus_dir)
    h = hashlib.sha256()
    for path in corpus.discover(corpus_dir):
        h.update(cache.key_for(path, corpus_dir).encode() + b"\n")
    from pipeline.review import db_path

    db = db_path(corpus_dir)
    for part in (db, db.with_name(db.name + "-wal")):
        h.update(b"review\0" + (part.read_bytes() if part.exists() else b""))
    h.update(settings.key("outputs").encode())
    return h.hexdigest()


def _digest(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def record(corpus_dir: Path, out_dir: Path, summary: dict, key: str | None = None) -> None:
    """Remember this run (call after its tables and report are written; ``key`` computed before it started,
    so that a document edited during the run is processed next time)."""
    out_dir = Path(out_dir)
    outputs = {name: _digest(out_dir / name) for name in OUTPUT_FILES}
    if summary.get("failed") or summary.get("stage_errors") or None in outputs.values():
        forget(out_dir)   # a failed document or stage is retried, a missing output rewritten: no short cut
        return
    data = {"run_key": key or run_key(corpus_dir), "outputs": outputs, "summary": summary}
    atomic_write_bytes(out_dir / MANIFEST, json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))


def forget(out_dir: Path) -> None:
    """Drop the manifest, so that the next run does all its work."""
    (Path(out_dir) / MANIFEST).unlink(missing_ok=True)


def reuse_summary(last: dict, out_dir: Path, seconds: float) -> dict:
    """The summary of a run that found nothing changed (every document reused, outputs left as they are);
    written to ``run_summary.json`` like any run's."""
    summary = {**last, "reused": last.get("documents", 0), "seconds": round(seconds, 2)}
    atomic_write_bytes(Path(out_dir) / "run_summary.json",
                       json.dumps(summary, ensure_ascii=False, indent=2).encode("utf-8"))
    return summary


def unchanged(corpus_dir: Path, out_dir: Path) -> dict | None:
    """The summary of the last run if nothing it depends on has changed and its outputs are intact, else None."""
    try:
        data = json.loads((Path(out_dir) / MANIFEST).read_text(encoding="utf-8"))
        if data["run_key"] != run_key(corpus_dir):
            return None
        if any(_digest(Path(out_dir) / name) != digest for name, digest in data["outputs"].items()):
            return None
        return data["summary"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
