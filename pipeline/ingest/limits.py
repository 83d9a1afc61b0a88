"""Size limits for ``add`` (issue 11), all in one place.

A file over a limit is refused -- before it is opened or inflated -- with the limit named. The extractors read
these names from this module at call time (``limits.MAX_PDF_PAGES``), so a test or a caller changes a limit by
setting it here: ``monkeypatch.setattr(pipeline.ingest.limits, "MAX_PDF_PAGES", 2)``. The copies re-exported by
:mod:`pipeline.ingest` are for reading only.
"""
from __future__ import annotations

# --- size limits (issue 11), all in one place. A file over a limit is refused before it is opened or
# inflated, with the limit named; raise a limit here if a real document needs more.
MAX_INPUT_BYTES = 200 * 2**20       # any file given to `add`: it is read whole into memory
MAX_HTML_BYTES = 20 * 2**20         # an HTML page: trafilatura's element tree takes several times its size
MAX_PDF_PAGES = 2000                # pages of one PDF: every page's characters are held until the text is built
MAX_DOCX_UNCOMPRESSED = 200 * 2**20  # all members of a DOCX together, as declared uncompressed in the ZIP
                                    # directory (python-docx inflates every part it opens; zipfile refuses a
                                    # member that inflates past its declared size)
MAX_ZIP_RATIO = 100                 # uncompressed / compressed size of one member (zip bomb: ~1000);
ZIP_RATIO_MIN_BYTES = 2**20         # ...checked for members larger than this (tiny parts compress oddly well)


def _mib(n: int) -> str:
    return f"{n / 2**20:,.0f} MiB" if n >= 2**20 else f"{n:,} bytes"
