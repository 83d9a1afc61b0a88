"""Storing an extracted document in the corpus (:func:`add_document`): the stem, the duplicate check against
every corpus text and recorded original, the metadata sidecar, and the all-or-nothing write of text, sidecar
and original under a lock on the corpus folder."""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from pipeline.load.corpus import (DocumentError, choose_lang, decode, discover, doc_id_for, load_sidecar, meta_path,
                      published_problem)
from pipeline.core.records import METADATA_FIELDS
from pipeline.core.tables import stage_bytes
from pipeline.ingest.dispatch import _extract, _read
from pipeline.ingest.text import IngestError, text_sha256

ORIGINALS_DIR = ".originals"
SUPPORTED_LANGS = ("ja", "en")


@dataclass
class Added:
    """What :func:`add_document` stored."""

    doc_id: str
    lang: str
    chars: int
    text_path: Path
    original_path: Path
    warnings: list[str] = field(default_factory=list)   # corpus files the duplicate check could not read

    @property
    def meta_path(self) -> Path:
        """The metadata sidecar beside the text."""
        return meta_path(self.text_path)

    def to_dict(self) -> dict:
        """Plain-data form (paths as strings) for JSON output."""
        return {"doc_id": self.doc_id, "lang": self.lang, "chars": self.chars,
                "text_path": str(self.text_path), "original_path": str(self.original_path),
                "meta_path": str(self.meta_path), **({"warnings": self.warnings} if self.warnings else {})}


# ---------------------------------------------------------------------------------------------- storing

def slugify(value: str, max_len: int = 60) -> str:
    """ASCII slug: lower-case letters, digits and single hyphens (full-width letters are folded)."""
    value = unicodedata.normalize("NFKC", value or "")
    value = "".join(unicodedata.normalize("NFKD", ch).encode("ascii", "ignore").decode("ascii") or " "
                    for ch in value).lower()
    value = re.sub(r"[^a-z0-9]+", "-", value).strip("-")
    return value[:max_len].rstrip("-")


def _base_stem(path: Path, title: str | None) -> str:
    name = path.name
    name = re.sub(r"(\.(ja|en))?(\.[A-Za-z0-9]{1,5})?$", "", name) or name
    if title:
        slug = slugify(title)
        ascii_share = len(re.sub(r"[^A-Za-z0-9]", "", title)) / max(1, len(re.sub(r"\s", "", title)))
        if len(slug) >= 8 or (slug and ascii_share >= 0.6):
            return slug
    slug = slugify(name)
    if len(slug) >= 3:
        return slug
    return ""


_SHA_CACHE: dict[tuple[str, int, int], str] = {}      # (path, mtime, size) -> text sha256, within one process


def _corpus_index(corpus_dir: Path, warnings: list[str] | None = None) -> tuple[dict[str, str], dict[str, str]]:
    """sha256 of every corpus text (decoded and normalised) and of every recorded original -> doc id.

    A corpus file that cannot be read (a text that does not decode, a sidecar that is not valid YAML) never
    blocks adding other documents: it is left out of the index and named in ``warnings``."""
    by_text: dict[str, str] = {}
    by_source: dict[str, str] = {}
    warnings = warnings if warnings is not None else []
    for p in discover(corpus_dir):
        doc_id = doc_id_for(p, corpus_dir)
        try:
            st = p.stat()
            key = (str(p.resolve()), st.st_mtime_ns, st.st_size)
            if key not in _SHA_CACHE:
                _SHA_CACHE[key] = text_sha256(decode(p.read_bytes()))
            by_text.setdefault(_SHA_CACHE[key], doc_id)
        except (DocumentError, OSError) as exc:
            warnings.append(f"{p.relative_to(corpus_dir).as_posix()} not checked for duplicates: {_one_line(exc)}")
        mp = meta_path(p)
        if mp.exists() or mp.is_symlink():
            rel = mp.relative_to(corpus_dir).as_posix()
            try:
                side = load_sidecar(mp)
            except DocumentError as exc:
                warnings.append(f"{rel} not checked for duplicates: {_one_line(exc)}")
                continue
            if side.get("source_sha256"):
                by_source.setdefault(str(side["source_sha256"]), doc_id)
            published = side.get("published")
            problem = published_problem(str(published)) if published not in (None, "") else None
            if problem:
                warnings.append(f"{rel}: published {str(published)!r} is not a real date ({problem}); "
                                "a run reports this document as failed until it is corrected")
    return by_text, by_source


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split())


@contextmanager
def _corpus_lock(corpus_dir: Path):
    """Serialise concurrent ``add`` runs on one corpus (flock on the folder itself; no lock file)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        yield
        return
    fd = os.open(corpus_dir, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
        except OSError:                      # file system without flock: go on unlocked
            pass
        yield
    finally:
        os.close(fd)                         # closing releases the lock


def _place(tmp: Path, final: Path) -> None:
    """Move a staged file into place without ever replacing an existing file."""
    try:
        os.link(tmp, final)
    except FileExistsError as exc:
        raise IngestError(f"{final.name} appeared in the corpus while adding; try again") from exc
    except OSError:                      # file system without hard links
        if final.exists():
            raise IngestError(f"{final.name} appeared in the corpus while adding; try again")
        os.replace(tmp, final)
        return
    tmp.unlink(missing_ok=True)


def _commit(files: list[tuple[Path, bytes]], cleanup_dirs: list[Path]) -> None:
    """Write all files or none: stage each as a hidden temp file, then link them into place in order."""
    staged: list[tuple[Path, Path]] = []
    placed: list[Path] = []
    try:
        for final, data in files:
            final.parent.mkdir(parents=True, exist_ok=True)
            staged.append((stage_bytes(final, data), final))
        for tmp, final in staged:
            _place(tmp, final)
            placed.append(final)
    except BaseException:
        for final in placed:
            final.unlink(missing_ok=True)
        raise
    finally:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        for d in cleanup_dirs:
            try:
                d.rmdir()                   # only succeeds when empty (i.e. we failed before placing)
            except OSError:
                pass


def _validate_meta(meta: dict) -> dict:
    out = {}
    for key, value in (meta or {}).items():
        if value is None or value == "":
            continue
        key = {"date": "published", "translation-of": "translation_of"}.get(key, key)
        if isinstance(value, (dt.date, dt.datetime)):
            value = value.isoformat()[:10]
        out[key] = str(value).strip()
    problem = published_problem(out["published"]) if "published" in out else None
    if problem:
        raise IngestError(f"date must be a real date as YYYY, YYYY-MM or YYYY-MM-DD, not {out['published']!r} "
                          f"({problem})")
    if "lang" in out and out["lang"] not in SUPPORTED_LANGS:
        raise IngestError(f"language must be one of {', '.join(SUPPORTED_LANGS)}, not {out['lang']!r}")
    return out


def add_document(path: Path, corpus_dir: Path, meta: dict | None = None) -> Added:
    """Extract ``path`` and store it (text, sidecar, original) in ``corpus_dir``.

    ``meta`` holds user-given metadata (title, author, publisher, published or date, url, license,
    translation_of, lang); it wins over what the file says. Raises :class:`IngestError` -- with nothing
    written -- for unreadable files, undetected language or content already in the corpus."""
    path = Path(path)
    corpus_dir = Path(corpus_dir)
    user = _validate_meta(meta or {})
    data = _read(path)
    if corpus_dir.is_dir() and path.suffix.lower() == ".txt":
        if path.resolve() in {p.resolve() for p in discover(corpus_dir)}:
            raise IngestError(f"already a corpus document ({doc_id_for(path, corpus_dir)}); add a metadata "
                              "sidecar by hand, or move the file out of the corpus folder and add it from there")
    text, found = _extract(path, data)
    try:
        lang = choose_lang(text, user.get("lang"), f"--lang {user.get('lang')}")
    except DocumentError as exc:
        hint = "; pass --lang ja or --lang en" if "not detected" in str(exc) else ""
        raise IngestError(str(exc).replace("; name the file X.ja.txt or X.en.txt", "") + hint) from exc
    sha = text_sha256(text)
    source_sha = hashlib.sha256(data).hexdigest()
    created = []
    warnings: list[str] = []
    if not corpus_dir.exists():
        corpus_dir.mkdir(parents=True)
        created.append(corpus_dir)
    try:
        with _corpus_lock(corpus_dir):
            by_text, by_source = _corpus_index(corpus_dir, warnings)
            if sha in by_text:
                raise IngestError(f"same content is already in the corpus as {by_text[sha]}")
            if source_sha in by_source:
                raise IngestError(f"this file was already added as {by_source[source_sha]}")
            title = user.get("title") or found.get("title")
            base = _base_stem(path, title)
            stem = base or f"doc-{sha[:8]}"
            ext = (path.suffix.lower() if re.fullmatch(r"\.[A-Za-z0-9]{1,8}", path.suffix) else ".bin")
            originals = corpus_dir / ORIGINALS_DIR

            def taken(s: str) -> bool:
                return ((corpus_dir / f"{s}.{lang}.txt").exists() or (corpus_dir / f"{s}.{lang}.meta.yaml").exists()
                        or any(originals.glob(f"{s}.{lang}.*")))

            if taken(stem):
                stem = f"{base or 'doc'}-{sha[:8]}"
                n = 2
                while taken(stem):
                    stem = f"{base or 'doc'}-{sha[:8]}-{n}"
                    n += 1
            text_path = corpus_dir / f"{stem}.{lang}.txt"
            original_path = originals / f"{stem}.{lang}{ext}"
            sidecar = {k: user.get(k) or found.get(k) for k in METADATA_FIELDS if user.get(k) or found.get(k)}
            sidecar["lang"] = lang
            sidecar.update({k: v for k, v in user.items() if k not in sidecar and k != "lang"})
            sidecar.update({
                "source_file": path.name,
                "original": original_path.relative_to(corpus_dir).as_posix(),
                "source_sha256": source_sha,
                "sha256": sha,
                "added": dt.date.today().isoformat(),
            })
            sidecar.update({k: found[k] for k in ("format", "encoding", "pages") if k in found})
            meta_bytes = yaml.safe_dump(sidecar, allow_unicode=True, sort_keys=False).encode("utf-8")
            cleanup = [] if originals.exists() else [originals]
            _commit([(original_path, data), (meta_path(text_path), meta_bytes),
                     (text_path, text.encode("utf-8"))], cleanup)
    except BaseException:
        for d in created:
            try:
                d.rmdir()
            except OSError:
                pass
        raise
    return Added(doc_id=f"{stem}.{lang}", lang=lang, chars=len(text), text_path=text_path,
                 original_path=original_path, warnings=warnings)
