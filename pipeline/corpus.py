"""The corpus folder: finding documents, reading them safely, language, ids and metadata sidecars.

A corpus is any folder of UTF-8 ``.txt`` files. ``X.ja.txt`` / ``X.en.txt`` give the language; otherwise it
is detected from the script. Optional metadata sits beside the text in ``X.meta.yaml`` (for
``report.ja.txt`` it is ``report.ja.meta.yaml``) with the keys in :data:`records.METADATA_FIELDS`.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path

import yaml

from .records import METADATA_FIELDS, Document

LANG_SUFFIX_RE = re.compile(r"\.(ja|en)\.txt$")
JA_CHAR_RE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff66-\uff9f]")
LATIN_RE = re.compile(r"[A-Za-z]")


class DocumentError(Exception):
    """A document cannot be used; the message says why (the caller adds the file name)."""


def discover(corpus_dir: Path) -> list[Path]:
    """All ``.txt`` documents under ``corpus_dir`` in a stable order (hidden folders skipped)."""
    corpus_dir = Path(corpus_dir)
    if not corpus_dir.is_dir():
        raise FileNotFoundError(f"corpus folder not found: {corpus_dir}")
    return sorted(p for p in corpus_dir.rglob("*.txt")
                  if p.is_file() and not any(part.startswith(".") for part in p.relative_to(corpus_dir).parts))


def doc_id_for(path: Path, corpus_dir: Path) -> str:
    """Stable id from the file name: the path under the corpus without ``.txt`` (``fmjs-20240531.ja``)."""
    rel = Path(path).resolve().relative_to(Path(corpus_dir).resolve()).as_posix()
    return rel[:-4] if rel.endswith(".txt") else rel


def meta_path(path: Path) -> Path:
    """The metadata sidecar of a document: ``X.meta.yaml`` beside ``X.txt``."""
    return Path(path).with_name(Path(path).name[:-4] + ".meta.yaml")


def detect_lang(text: str) -> str:
    """``ja`` when Japanese script is a real share of the letters, ``en`` for Latin text, else ``und``."""
    sample = text[:20000]
    ja = len(JA_CHAR_RE.findall(sample))
    latin = len(LATIN_RE.findall(sample))
    if ja and ja >= 0.1 * (ja + latin):
        return "ja"
    if latin:
        return "en"
    return "und"


def decode(data: bytes) -> str:
    """Decode a stored document; raise :class:`DocumentError` with the reason if it is not usable text."""
    if not data:
        raise DocumentError("empty file")
    if b"\x00" in data[:8192]:
        raise DocumentError("binary file (contains NUL bytes), not plain text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DocumentError(
            f"not UTF-8: invalid byte 0x{data[exc.start]:02x} at byte {exc.start}; "
            "convert the file to UTF-8") from exc
    if not text.strip():
        raise DocumentError("no text (only whitespace)")
    return text


def read_metadata(path: Path) -> dict:
    """Metadata from the sidecar, validated; missing sidecar → {}."""
    mpath = meta_path(path)
    if not mpath.exists():
        return {}
    try:
        data = yaml.safe_load(mpath.read_text(encoding="utf-8-sig")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise DocumentError(f"metadata file {mpath.name} is not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise DocumentError(f"metadata file {mpath.name} must be a mapping of field: value")
    out = {}
    for key, value in data.items():
        if key == "lang":
            out["lang"] = str(value)
        elif key in METADATA_FIELDS:
            out[key] = value.isoformat() if isinstance(value, (dt.date, dt.datetime)) else ("" if value is None else str(value))
    if out.get("published") and not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", out["published"]):
        raise DocumentError(f"metadata file {mpath.name}: published must be YYYY, YYYY-MM or YYYY-MM-DD, "
                            f"not {out['published']!r}")
    return out


def load_document(path: Path, corpus_dir: Path) -> Document:
    """Read one document with its metadata. Raises :class:`DocumentError` for unusable files."""
    path = Path(path)
    data = path.read_bytes()
    text = decode(data)
    meta = read_metadata(path)
    m = LANG_SUFFIX_RE.search(path.name)
    lang = meta.pop("lang", None) or (m.group(1) if m else detect_lang(text))
    if lang not in ("ja", "en"):
        raise DocumentError(f"language not supported or not detected ({lang!r}); name the file X.ja.txt or X.en.txt")
    return Document(doc_id=doc_id_for(path, corpus_dir), path=path.resolve().relative_to(Path(corpus_dir).resolve()).as_posix(),
                    lang=lang, text=text, sha256=hashlib.sha256(data).hexdigest(), **meta)
