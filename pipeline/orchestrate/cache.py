"""Incremental runs: a document whose text, metadata, rule data and pipeline version are unchanged since the
last run is not processed again; its extracted records are reused from a content-addressed store.

The store is ``<out>/.cache/``: one ``<key>.json.gz`` per document, named by the SHA-256 of everything its
records depend on (file bytes, metadata sidecar bytes, ``models/`` fingerprint, pipeline version and source,
language-pipeline settings, installed spaCy/GiNZA/Sudachi versions). An entry is gzip-compressed JSON (no
pickle: reading a planted file cannot run code): ``{"format": FORMAT, "key": ..., "document": TABLE,
"sentences": TABLE, "claims": TABLE, "actors": TABLE, "citations": TABLE}``, each TABLE
``{"fields": [field names], "rows": [[values], ...]}``. Entries are written atomically and decoded explicitly
into the record dataclasses: exactly their fields, each of its declared type, every record of the entry's
document with offsets inside its text. Anything else (other format version, bad gzip or CRC, bad JSON or
UTF-8, wrong shape or types) is a miss, logged once, and the document is processed again. Entries of older
formats (``*.pkl``) are never read; :func:`prune` deletes them.
"""
from __future__ import annotations

import gzip
import hashlib
import itertools
import json
import logging
import re
import zlib
from dataclasses import fields
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline import __version__
from pipeline.core import rules, settings
from pipeline.load.corpus import meta_path, rel_path
from pipeline.core.records import Actor, Citation, Claim, Document, Sentence
from pipeline.core.tables import atomic_write_bytes

if TYPE_CHECKING:   # pipeline.extract.document imports spaCy: too slow for the unchanged-run check (pipeline.orchestrate.manifest)
    from pipeline.extract.document import DocumentResult

log = logging.getLogger(__name__)

# an upgraded model or tokenizer can change every record: their installed versions are part of the key
PACKAGES = ("spacy", "ginza", "ja-ginza", "sudachipy", "sudachidict-core")

FORMAT = 1                       # entry layout version: an entry of any other version is a miss
SUFFIX = ".json.gz"
STALE_SUFFIXES = (".pkl",)       # earlier formats: never read, deleted by prune()
LEVEL = 6                        # gzip level (bench/bench_cache.py)
MAX_ENTRY_BYTES = 256 << 20      # decompressed size above which an entry is refused (a planted gzip bomb)
TABLES = {"document": Document, "sentences": Sentence, "claims": Claim, "actors": Actor, "citations": Citation}
# allowed value types per annotation (exact types: a bool is not an int); a new annotation fails here, loudly
_TYPES = {"str": (str,), "int": (int,), "int | float | None": (int, float, type(None))}
_FIELDS = {cls: tuple(f.name for f in fields(cls)) for cls in TABLES.values()}
# every allowed tuple of value types of a row (Claim: 9, for value and value_max; the others: 1)
_ROW_TYPES = {cls: frozenset(itertools.product(*(_TYPES[f.type] for f in fields(cls)))) for cls in TABLES.values()}
# a \uD800-\uDFFF escape (after an odd run of backslashes): a lone surrogate, which the UTF-8 tables cannot
# hold; entries are written with ensure_ascii=False, so they never contain one
_SURROGATE_ESCAPE = re.compile(rb"(\\+)u[dD][89a-fA-F]")


class EntryError(ValueError):
    """A cache entry that is not a valid entry of the current :data:`FORMAT`."""


def _package_versions() -> str:
    return settings.package_versions(PACKAGES)


def code_files(package: Path | None = None) -> list[Path]:
    """The pipeline's own source (``package``: default, this package): every module of every subpackage and the
    report's templates, sorted."""
    package = package or Path(__file__).resolve().parents[1]
    return sorted(p for p in package.rglob("*") if p.suffix in (".py", ".j2") and p.is_file())


@lru_cache(maxsize=1)
def _code_fingerprint() -> str:
    """SHA-256 over :func:`code_files`, so that a code change (not only a version bump) re-runs."""
    package = Path(__file__).resolve().parents[1]
    h = hashlib.sha256()
    for path in code_files(package):
        h.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


@lru_cache(maxsize=1)
def _static_key() -> str:
    return f"{__version__}|{_code_fingerprint()}|{rules.fingerprint()}|{settings.key('records')}|{_package_versions()}"


def key_for(path: Path, corpus_dir: Path) -> str:
    """Content key of one document: changes whenever its extracted records could change."""
    h = hashlib.sha256(_static_key().encode())
    h.update(rel_path(path, corpus_dir).encode())
    h.update(b"\0" + Path(path).read_bytes())
    meta = meta_path(path)
    h.update(b"\0" + (meta.read_bytes() if meta.exists() else b""))
    return h.hexdigest()


def entry_path(cache_dir: Path, key: str) -> Path:
    """Where the entry of ``key`` is kept."""
    return Path(cache_dir) / f"{key}{SUFFIX}"


def has(cache_dir: Path, key: str) -> bool:
    """Whether an entry for ``key`` exists (not whether it is valid: :func:`load` decides that)."""
    return entry_path(cache_dir, key).is_file()


def to_json(result: DocumentResult, key: str) -> bytes:
    """The JSON (UTF-8) of the entry of ``result`` under ``key``."""
    entry = {"format": FORMAT, "key": key, "document": _table(Document, [result.document])}
    entry.update((name, _table(cls, getattr(result, name))) for name, cls in TABLES.items() if name != "document")
    return json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _table(cls, records) -> dict:
    names = _FIELDS[cls]
    return {"fields": list(names), "rows": [[getattr(r, n) for n in names] for r in records]}


def from_json(data: bytes, key: str) -> DocumentResult:
    """The DocumentResult of an entry's JSON; raises (:class:`EntryError`, ``ValueError``) unless it is a valid
    entry of ``key`` in the current format."""
    from pipeline.extract.document import DocumentResult

    _check(not _has_surrogate_escape(data), "a lone surrogate")
    entry = json.loads(data.decode("utf-8"))
    _check(type(entry) is dict and entry.get("format") == FORMAT, f"not an entry of format {FORMAT}")
    _check(entry.keys() == {"format", "key", *TABLES}, "entry keys differ")
    _check(entry["key"] == key, "entry of another key")
    docs = _rows(Document, entry["document"])
    _check(len(docs) == 1, "not exactly one document")
    result = DocumentResult(docs[0], *(_rows(cls, entry[name]) for name, cls in TABLES.items() if name != "document"))
    _check_records(result)
    return result


def _check(ok: bool, problem: str) -> None:
    if not ok:
        raise EntryError(problem)


def _has_surrogate_escape(data: bytes) -> bool:
    return b"\\u" in data and any(len(m[1]) % 2 for m in _SURROGATE_ESCAPE.finditer(data))


def _rows(cls, table) -> list:
    """The records of one table, each checked: exactly the fields of ``cls``, each of its declared type."""
    name, row_types = cls.__name__, _ROW_TYPES[cls]
    _check(type(table) is dict and table.keys() == {"fields", "rows"}, f"{name}: not a table")
    _check(table["fields"] == list(_FIELDS[cls]), f"{name}: fields differ")
    rows = table["rows"]
    _check(type(rows) is list, f"{name}: rows are not a list")
    _check(all(type(row) is list and tuple(map(type, row)) in row_types for row in rows),
           f"{name}: a row of other fields or types")
    return [cls(*row) for row in rows]


def _check_records(result: DocumentResult) -> None:
    """Every record belongs to the entry's document and points inside its text."""
    doc_id, chars = result.document.doc_id, len(result.document.text)
    records = [*result.sentences, *result.claims, *result.actors, *result.citations]
    _check(all(r.doc_id == doc_id for r in records), f"a record of another document in the entry of {doc_id!r}")
    _check(all(0 <= r.char_start <= r.char_end <= chars for r in records), "offsets outside the text")


def _read(entry: Path) -> bytes:
    """The decompressed bytes of ``entry``: one whole gzip member (zlib checks its CRC-32 and length), at most
    MAX_ENTRY_BYTES."""
    with entry.open("rb") as fh:
        raw = fh.read(MAX_ENTRY_BYTES + 1)
    inflate = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)   # gzip header and trailer
    data = inflate.decompress(raw, MAX_ENTRY_BYTES + 1)
    _check(len(raw) <= MAX_ENTRY_BYTES and len(data) <= MAX_ENTRY_BYTES, f"larger than {MAX_ENTRY_BYTES} bytes")
    _check(inflate.eof and not inflate.unused_data, "truncated, or data after the gzip stream")
    return data


def load(cache_dir: Path, key: str) -> DocumentResult | None:
    """The cached DocumentResult for ``key``, or None: missing, or unusable (logged), to be processed again."""
    entry = entry_path(cache_dir, key)
    try:
        return from_json(_read(entry), key)
    except FileNotFoundError:
        return None
    except Exception as exc:  # whatever is wrong with the file, the document can be processed again
        log.warning("ignoring cache entry %s (%s: %s); processing the document again", entry, type(exc).__name__, exc)
        return None


def store(cache_dir: Path, key: str, result: DocumentResult) -> None:
    """Keep ``result`` under ``key`` (atomic write)."""
    atomic_write_bytes(entry_path(cache_dir, key), gzip.compress(to_json(result, key), compresslevel=LEVEL, mtime=0))


def prune(cache_dir: Path, keep: set[str]) -> None:
    """Remove entries of documents that are no longer in the corpus or have changed, and all of older formats."""
    for entry in Path(cache_dir).glob(f"*{SUFFIX}"):
        if entry.name[:-len(SUFFIX)] not in keep:
            entry.unlink(missing_ok=True)
    for suffix in STALE_SUFFIXES:
        for entry in Path(cache_dir).glob(f"*{suffix}"):
            entry.unlink(missing_ok=True)
