"""DOCX body text (paragraphs and tables in document order) through python-docx, after the ZIP directory
is checked against the size limits (zip bombs)."""
from __future__ import annotations

import io
import zipfile

from pipeline.ingest import limits
from pipeline.ingest.limits import _mib
from pipeline.ingest.text import IngestError, _clean_str


def _check_zip_sizes(data: bytes) -> None:
    """Refuse a DOCX whose members would inflate past :data:`MAX_DOCX_UNCOMPRESSED` together, or one of
    whose larger members is compressed more than :data:`MAX_ZIP_RATIO` : 1 (a zip bomb), before anything
    is inflated: only the ZIP directory is read (Python's zipfile stops a member at its declared size)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            members = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise IngestError(f"corrupt DOCX ({exc})") from exc
    total = 0
    for info in members:
        total += info.file_size
        if (info.file_size > limits.ZIP_RATIO_MIN_BYTES
                and info.file_size > limits.MAX_ZIP_RATIO * max(1, info.compress_size)):
            raise IngestError(
                f"DOCX member {info.filename} inflates from {_mib(info.compress_size)} to {_mib(info.file_size)}, "
                f"more than {limits.MAX_ZIP_RATIO}:1 (the limit, ingest.MAX_ZIP_RATIO): refused as a possible zip bomb")
    if total > limits.MAX_DOCX_UNCOMPRESSED:
        raise IngestError(
            f"DOCX inflates to {_mib(total)}, over the limit of {_mib(limits.MAX_DOCX_UNCOMPRESSED)} "
            "(ingest.MAX_DOCX_UNCOMPRESSED); save the text alone, or as PDF")


def _extract_docx(data: bytes) -> tuple[str, dict]:
    try:
        import docx
        from docx.table import Table
    except ImportError as exc:  # pragma: no cover
        raise IngestError("DOCX support is not installed; pip install python-docx") from exc
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise IngestError("corrupt DOCX (not a ZIP package)")
    _check_zip_sizes(data)
    try:
        document = docx.Document(io.BytesIO(data))
        paragraphs: list[str] = []
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                for row in block.rows:
                    cells, seen = [], set()
                    for cell in row.cells:          # merged cells repeat: keep each once
                        if id(cell._tc) in seen:
                            continue
                        seen.add(id(cell._tc))
                        cells.append(" ".join(p.text.strip() for p in cell.paragraphs if p.text.strip()))
                    if any(cells):
                        paragraphs.append(" | ".join(cells))
            else:
                text = block.text.replace("\v", "\n").strip()
                if text:
                    paragraphs.append(text)
        title = _clean_str(document.core_properties.title)
    except IngestError:
        raise
    except Exception as exc:
        raise IngestError(f"corrupt or unreadable DOCX ({type(exc).__name__}: {exc})") from exc
    if not paragraphs:
        raise IngestError("DOCX has no text in its body")
    meta: dict = {"format": "docx"}
    if title:
        meta["title"] = title
    return "\n\n".join(paragraphs), meta
