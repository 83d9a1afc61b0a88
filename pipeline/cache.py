"""Incremental runs: a document whose text, metadata, rule data and pipeline version are unchanged since the
last run is not processed again; its extracted records are reused from a content-addressed store.

The store is ``<out>/.cache/``: one pickle per document, named by the SHA-256 of everything its records depend
on (file bytes, metadata sidecar bytes, ``models/`` fingerprint, pipeline version and source, language-pipeline
settings, installed spaCy/GiNZA/Sudachi versions).
Written atomically; a corrupt or unreadable entry is ignored and rebuilt.
"""
from __future__ import annotations

import hashlib
import os
import pickle
from functools import lru_cache
from pathlib import Path

from . import __version__, rules
from .corpus import meta_path
from .tables import atomic_write_bytes

SETTINGS_KEYS = ("PIPELINE_NER", "PIPELINE_USE_BLIS", "PIPELINE_BATCH_SIZE")
# an upgraded model or tokenizer can change every record: their installed versions are part of the key
PACKAGES = ("spacy", "ginza", "ja-ginza", "sudachipy", "sudachidict-core")


def _package_versions() -> str:
    from importlib.metadata import PackageNotFoundError, version

    out = []
    for name in PACKAGES:
        try:
            out.append(f"{name}={version(name)}")
        except PackageNotFoundError:
            out.append(f"{name}=-")
    return ",".join(out)


@lru_cache(maxsize=1)
def _code_fingerprint() -> str:
    """SHA-256 over the pipeline's own source, so that a code change (not only a version bump) re-runs."""
    h = hashlib.sha256()
    for path in sorted(Path(__file__).resolve().parent.glob("*.py")):
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


@lru_cache(maxsize=1)
def _static_key() -> str:
    settings = ";".join(f"{k}={os.environ.get(k, '')}" for k in SETTINGS_KEYS)
    return f"{__version__}|{_code_fingerprint()}|{rules.fingerprint()}|{settings}|{_package_versions()}"


def key_for(path: Path, corpus_dir: Path) -> str:
    """Content key of one document: changes whenever its extracted records could change."""
    h = hashlib.sha256(_static_key().encode())
    h.update(Path(path).resolve().relative_to(Path(corpus_dir).resolve()).as_posix().encode())
    h.update(b"\0" + Path(path).read_bytes())
    meta = meta_path(path)
    h.update(b"\0" + (meta.read_bytes() if meta.exists() else b""))
    return h.hexdigest()


def load(cache_dir: Path, key: str):
    """The cached DocumentResult for ``key``, or None."""
    entry = Path(cache_dir) / f"{key}.pkl"
    try:
        with entry.open("rb") as fh:
            return pickle.load(fh)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return None


def store(cache_dir: Path, key: str, result) -> None:
    """Keep ``result`` under ``key`` (atomic write)."""
    atomic_write_bytes(Path(cache_dir) / f"{key}.pkl", pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))


def prune(cache_dir: Path, keep: set[str]) -> None:
    """Remove entries of documents that are no longer in the corpus or have changed."""
    for entry in Path(cache_dir).glob("*.pkl"):
        if entry.stem not in keep:
            entry.unlink(missing_ok=True)
