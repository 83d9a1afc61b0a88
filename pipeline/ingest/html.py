"""HTML main text through trafilatura (navigation, sidebars and footers dropped), decoded by the declared
``<meta charset>`` when it works."""
from __future__ import annotations

import re

from pipeline.ingest import limits
from pipeline.ingest.encodings import ENCODING_ALIASES, decode_text
from pipeline.ingest.limits import _mib
from pipeline.ingest.text import IngestError, _clean_str


def _decode_html(data: bytes) -> str:
    if not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        m = re.search(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", data[:4096], re.IGNORECASE)
        if m:
            declared = m.group(1).decode("ascii").lower()
            enc = ENCODING_ALIASES.get(declared, declared)
            try:
                return data.decode(enc)
            except (UnicodeDecodeError, LookupError):
                pass
    return decode_text(data)[0]


def _extract_html(data: bytes) -> tuple[str, dict]:
    try:
        import trafilatura
    except ImportError as exc:  # pragma: no cover
        raise IngestError("HTML support is not installed; pip install trafilatura") from exc
    if len(data) > limits.MAX_HTML_BYTES:
        raise IngestError(f"HTML page of {_mib(len(data))} is over the limit of {_mib(limits.MAX_HTML_BYTES)} "
                          "(ingest.MAX_HTML_BYTES); save the article alone, or as PDF")
    html = _decode_html(data)
    if not re.search(r"<(html|body|p|div|article|h1)\b", html, re.IGNORECASE):
        raise IngestError("not an HTML page (no <html>/<body>/<p> elements)")
    try:
        text = trafilatura.extract(html, output_format="txt", include_comments=False, include_tables=True,
                                   include_images=False, include_links=False, deduplicate=False)
        if not text:
            text = trafilatura.extract(html, output_format="txt", include_comments=False, favor_recall=True)
        md = trafilatura.extract_metadata(html, extensive=False)
    except Exception as exc:
        raise IngestError(f"HTML could not be parsed ({type(exc).__name__}: {exc})") from exc
    if not text or not text.strip():
        raise IngestError("no main text found in the HTML page")
    paragraphs = [line.strip() for line in text.splitlines() if line.strip()]
    meta: dict = {"format": "html"}
    if md is not None:
        for key in ("title", "author", "url"):
            value = _clean_str(getattr(md, key, None))
            if value:
                meta[key] = value
    return "\n\n".join(paragraphs), meta
