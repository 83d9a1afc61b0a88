"""PDF text extraction through pdfplumber (:func:`_extract_pdf`): opening (encrypted, corrupt and over-long
PDFs refused), refusing image-only, vertical and font-garbled text layers, and the page layout of
:mod:`pipeline.ingest.pdf_layout` applied page by page."""
from __future__ import annotations

import io
import re

from pipeline.ingest import limits
from pipeline.ingest.pdf_layout import (_Line, _chars_to_words, _find_gutters, _fits_gutters, _group_lines, _page_segments,
                         _paragraphs_from_segments, _remove_running_lines, _touching_pairs)
from pipeline.ingest.text import IngestError, _clean_str, _fix_cjk_compat

LIGATURES = str.maketrans({"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
                           "\ufb05": "st", "\ufb06": "st"})


def _vertical_font_count(page) -> int:
    """Fonts of a page with a vertical CMap (Identity-V, UniJIS-UCS2-V, 90ms-RKSJ-V, ...)."""
    try:
        from pdfminer.pdftypes import resolve1

        fonts = resolve1((page.page_obj.resources or {}).get("Font")) or {}
        count = 0
        for ref in fonts.values():
            enc = resolve1(resolve1(ref).get("Encoding"))
            name = getattr(enc, "name", enc)
            if isinstance(name, bytes):
                name = name.decode("latin-1")
            if isinstance(name, str) and name.endswith("-V"):
                count += 1
        return count
    except Exception:                       # odd resources: geometry alone decides
        return 0


def _extract_pdf(data: bytes) -> tuple[str, dict]:
    try:
        import pdfplumber
        from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    except ImportError as exc:  # pragma: no cover - dependency missing
        raise IngestError(f"PDF support is not installed ({exc.name}); pip install pdfplumber") from exc
    if b"%PDF" not in data[:1024]:
        raise IngestError("not a PDF file (no %PDF header)")
    too_many = (f"PDF has more than {limits.MAX_PDF_PAGES:,} pages, the limit (ingest.MAX_PDF_PAGES); "
                "split it, or add the part that matters")
    try:
        # only the first MAX_PDF_PAGES + 1 pages become page objects, whatever the page tree claims
        pdf = pdfplumber.open(io.BytesIO(data), pages=range(1, limits.MAX_PDF_PAGES + 2))
    except Exception as exc:
        cause = exc.args[0] if exc.args and isinstance(exc.args[0], BaseException) else exc
        if isinstance(cause, PDFPasswordIncorrect):
            raise IngestError("encrypted PDF: a password is needed to open it; save an unprotected copy") from exc
        if isinstance(cause, PDFEncryptionError):
            raise IngestError(f"encrypted PDF that cannot be decrypted ({cause})") from exc
        raise IngestError(f"corrupt or unreadable PDF ({type(cause).__name__}: {cause})") from exc
    meta: dict = {"format": "pdf"}
    try:
        with pdf:
            declared = _pdf_page_count(pdf)
            if (declared or 0) > limits.MAX_PDF_PAGES or len(pdf.pages) > limits.MAX_PDF_PAGES:
                raise IngestError(too_many + (f" (it has {declared:,})" if declared else ""))
            pages = []
            total_chars = rotated = touching_h = touching_v = vertical_fonts = 0
            for page_no, page in enumerate(pdf.pages, 1):
                page = page.dedupe_chars()
                chars = [c for c in page.chars if c.get("upright", True) and c.get("text")]
                rotated += sum(1 for c in page.chars if not c.get("upright", True) and c.get("text", "").strip())
                vertical_fonts += _vertical_font_count(page)
                rows = _group_lines(chars)
                h, v = _touching_pairs(chars, rows)
                touching_h += h
                touching_v += v
                lines = [ws for ws in (_chars_to_words(cs) for cs in rows) if ws]
                total_chars += sum(len(w["text"]) for ws in lines for w in ws)
                pages.append({"lines": lines, "height": float(page.height), "width": float(page.width),
                              "no": page_no})
            meta["pages"] = len(pages)
            info = pdf.metadata or {}
    except IngestError:
        raise
    except Exception as exc:
        cause = exc.args[0] if exc.args and isinstance(exc.args[0], BaseException) else exc
        if isinstance(cause, PDFEncryptionError):
            raise IngestError(f"encrypted PDF: text extraction is not allowed ({cause})") from exc
        raise IngestError(f"corrupt or unreadable PDF ({type(cause).__name__}: {cause})") from exc
    if not pages:
        raise IngestError("PDF has no pages")
    if total_chars == 0:
        if rotated:
            raise IngestError("the PDF's text is rotated or vertical (縦書き), which is not supported")
        raise IngestError(f"PDF has no text layer ({len(pages)} page(s) of images only?): run OCR first")
    if (touching_v > max(20, 2 * touching_h) or (vertical_fonts and touching_v > touching_h)
            or rotated > total_chars):
        raise IngestError("the PDF's text is set vertically (縦書き) or rotated, which is not supported")
    _remove_running_lines(pages)
    for page in pages:
        page["gutters"] = _find_gutters(page["lines"], page["width"])
    layouts = [tuple(page["gutters"]) for page in pages if page["gutters"]]
    common = max(set(layouts), key=layouts.count) if layouts else ()
    segments: list[tuple[str, list[_Line]]] = []
    for page in pages:
        if not page["gutters"] and common and _fits_gutters(page["lines"], list(common)):
            page["gutters"] = list(common)
        if page["lines"]:
            segments.extend(_page_segments(page["lines"], page["gutters"], page["no"]))
    text = "\n\n".join(_paragraphs_from_segments(segments))
    text = _fix_cjk_compat(text.translate(LIGATURES))
    cid = len(re.findall(r"\(cid:\d+\)", text))
    if cid and cid * 6 > 0.2 * len(text):
        raise IngestError("the PDF's fonts have no Unicode mapping: its text layer is unreadable (run OCR)")
    title = _clean_str(info.get("Title"))
    if title and not re.search(r"^(microsoft (word|powerpoint)|untitled|無題)|\.(docx?|pdf|pptx?|indd|xlsx?)$",
                               title, re.IGNORECASE):
        meta["title"] = title
    return text, meta


def _pdf_page_count(pdf) -> int | None:
    """The page count the PDF's page tree declares (cheap: no page is parsed), or None."""
    try:
        from pdfminer.pdftypes import resolve1

        return int(resolve1(resolve1(pdf.doc.catalog["Pages"])["Count"]))
    except Exception:
        return None
