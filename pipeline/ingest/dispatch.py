"""Reading a file (size limit, regular files only), telling its format from suffix and content, and handing
it to the extractor for that format (:func:`extract_text`)."""
from __future__ import annotations

import io
import re
import stat
import zipfile
from pathlib import Path

from pipeline.ingest import limits
from pipeline.ingest.docx import _extract_docx
from pipeline.ingest.encodings import decode_text
from pipeline.ingest.html import _extract_html
from pipeline.ingest.limits import _mib
from pipeline.ingest.pdf import _extract_pdf
from pipeline.ingest.text import IngestError, normalise_text

TEXT_SUFFIXES = {".txt", ".text", ".md"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml"}
UNSUPPORTED_HINTS = {
    ".doc": "legacy Word .doc is not supported; save it as .docx or PDF",
    ".rtf": "RTF is not supported; save it as .docx or PDF",
    ".odt": "OpenDocument text is not supported; save it as .docx or PDF",
    ".xls": "spreadsheets are not supported", ".xlsx": "spreadsheets are not supported",
    ".ppt": "presentations are not supported; export them as PDF",
    ".pptx": "presentations are not supported; export them as PDF",
}


# ---------------------------------------------------------------------------------------------- dispatch

def _kind(path: Path, data: bytes) -> str:
    suffix = path.suffix.lower()
    head = data[:1024]
    if suffix == ".pdf" or head.startswith(b"%PDF"):
        return "pdf"
    if suffix == ".docx":
        return "docx"
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in TEXT_SUFFIXES:
        return "text"
    if suffix in UNSUPPORTED_HINTS:
        raise IngestError(UNSUPPORTED_HINTS[suffix])
    if head.startswith(b"PK") and zipfile.is_zipfile(io.BytesIO(data)):
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            if "word/document.xml" in zf.namelist():
                return "docx"
    if re.match(rb"\s*(<!doctype html|<html)", head.lstrip(b"\xef\xbb\xbf"), re.IGNORECASE):
        return "html"
    raise IngestError(f"unsupported file type {suffix or '(no extension)'!r}: "
                      "supported are .pdf, .html/.htm, .docx and .txt")


def extract_text(path: Path) -> tuple[str, dict]:
    """Read a PDF, HTML, DOCX or text file; returns (normalised text, metadata found in the file).

    The metadata may hold ``title`` (and ``author``/``url`` for HTML) plus ``format`` and ``pages`` or
    ``encoding``. Raises :class:`IngestError` with the reason when the file cannot be read."""
    return _extract(Path(path), _read(Path(path)))


def _read(path: Path) -> bytes:
    if path.is_dir():
        raise IngestError("is a folder, not a file")
    try:
        st = path.stat()
        if not stat.S_ISREG(st.st_mode):
            raise IngestError("not a regular file (a FIFO, socket or device); only files can be added")
        if st.st_size > limits.MAX_INPUT_BYTES:
            raise IngestError(f"file of {_mib(st.st_size)} is over the limit of {_mib(limits.MAX_INPUT_BYTES)} "
                              "(ingest.MAX_INPUT_BYTES)")
        with path.open("rb") as fh:          # read at most one byte past the limit (a file still growing)
            data = fh.read(limits.MAX_INPUT_BYTES + 1)
        if len(data) > limits.MAX_INPUT_BYTES:
            raise IngestError(f"file is over the limit of {_mib(limits.MAX_INPUT_BYTES)} (ingest.MAX_INPUT_BYTES)")
        return data
    except OSError as exc:
        raise IngestError(f"cannot read the file: {exc.strerror or exc}") from exc


def _extract(path: Path, data: bytes) -> tuple[str, dict]:
    if not data:
        raise IngestError("empty file")
    kind = _kind(path, data)
    if kind == "pdf":
        text, meta = _extract_pdf(data)
    elif kind == "docx":
        text, meta = _extract_docx(data)
    elif kind == "html":
        text, meta = _extract_html(data)
    else:
        text, encoding = decode_text(data)
        meta = {"format": "text", "encoding": encoding}
    text = normalise_text(text)
    if not text.strip():
        raise IngestError("no text could be extracted")
    return text, meta
