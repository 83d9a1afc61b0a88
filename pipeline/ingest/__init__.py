"""Bringing documents into the corpus: ``python -m pipeline add PATH... [--corpus DIR] [--title ...]``.

Each file is turned into plain UTF-8 text and stored in the corpus the way :mod:`pipeline.load.corpus` reads it:

* ``<stem>.<lang>.txt`` -- the extracted text, normalised (NFC, ``\\n`` line ends, no trailing spaces,
  paragraphs separated by one blank line, one final newline);
* ``<stem>.<lang>.meta.yaml`` -- the metadata sidecar: the reader's keys (title, author, publisher,
  published, url, license, translation_of, lang) plus ingest bookkeeping that the reader ignores
  (``source_file``, ``original``, ``source_sha256``, ``sha256`` of the stored text, ``added``, ``format``
  and ``encoding`` / ``pages``);
* ``.originals/<stem>.<lang>.<ext>`` -- the original file, byte for byte. The folder starts with a dot,
  so :func:`pipeline.load.corpus.discover` (which skips hidden folders) never takes an original -- not even a
  Shift_JIS ``.txt`` original -- for a document.

Formats:

* PDF -- the text layer through pdfplumber (pdfminer.six), from character positions: running headers and
  footers (same text, digits ignored, at the same height in the top/bottom fifth of at least half the
  pages) and bare page numbers ("3", "- 3 -", "3/10", "Page 3") are dropped; a page whose lines leave a
  vertical strip empty has columns, read left column first (full-width lines such as a title stay in
  place); lines are rejoined into paragraphs across line, column and page breaks (no space between
  Japanese characters, one space between Latin words) and paragraphs -- a short line, a gap, an indent
  after a sentence end, a bullet, a size change -- are kept apart by a blank line. Password-protected,
  image-only (scanned), vertical (縦書き) and font-garbled PDFs are refused with the reason.
* HTML -- the main text through trafilatura (navigation, sidebars, footers dropped); the page title is
  used when no ``--title`` is given. The declared ``<meta charset>`` is used when it decodes.
* DOCX -- body paragraphs and tables in document order through python-docx (page headers/footers are
  not body text); the title from the document properties.
* Plain text -- UTF-8 (tried strictly first), UTF-8/16 with BOM, ISO-2022-JP, Shift_JIS/CP932 and EUC-JP
  (told apart by kana and common-kanji evidence, which short texts need: charset-normalizer alone takes
  "北朝鮮" in CP932 for Big5), else whatever charset-normalizer recognises. Line breaks are kept as
  they are: the pipeline rejoins broken sentences itself (:mod:`pipeline.load.textprep`).

The language is ``--lang`` or the one :func:`pipeline.load.corpus.choose_lang` finds from the script of the
extracted text; text in a language the pipeline does not handle (Chinese, Korean, Russian...) is refused by
name, and so is ``--lang ja`` on text that is clearly in another script.

Size limits (:data:`MAX_INPUT_BYTES`, :data:`MAX_HTML_BYTES`, :data:`MAX_PDF_PAGES`,
:data:`MAX_DOCX_UNCOMPRESSED`, :data:`MAX_ZIP_RATIO`) refuse, naming the limit, a file that would take the
machine's memory (a DOCX "zip bomb" whose member inflates to a gigabyte) before it is opened.

The stem is an ASCII slug of ``--title`` or of the file name (``doc`` plus a hash when neither gives
one); when it is taken, the first 8 hex digits of the text's sha256 are appended. Content whose
normalised text has the same sha256 as a document already in the corpus (every ``.txt`` is decoded and
normalised for the comparison), or whose original file was already added, is refused naming that
document. A file that cannot be read is refused with the reason, and nothing is left behind: the three
files are written as hidden temp files and only then linked into place (the text last), and any error
removes whatever was placed. With several paths each one succeeds or fails on its own; the command exits
1 if any failed.

Layout of the package (one module per concern; every name below is re-exported here):

* :mod:`.limits` -- the size limits; :mod:`.text` -- :class:`IngestError` and the text normal form;
* :mod:`.encodings` -- decoding text files; :mod:`.pdf_layout` -- page geometry (pure functions on character
  boxes); :mod:`.pdf`, :mod:`.html`, :mod:`.docx` -- one extractor per format; :mod:`.dispatch` -- reading a
  file and choosing its extractor;
* :mod:`.store` -- :func:`add_document` (duplicates, sidecar, originals); :mod:`.cli` -- the ``add`` command.

The limit constants re-exported here are copies: to change a limit at run time, set it on :mod:`.limits`.
"""
from __future__ import annotations

from pipeline.ingest.cli import register_cli, run_cli
from pipeline.ingest.dispatch import HTML_SUFFIXES, TEXT_SUFFIXES, UNSUPPORTED_HINTS, extract_text
from pipeline.ingest.encodings import decode_text
from pipeline.ingest.limits import (MAX_DOCX_UNCOMPRESSED, MAX_HTML_BYTES, MAX_INPUT_BYTES, MAX_PDF_PAGES, MAX_ZIP_RATIO,
                     ZIP_RATIO_MIN_BYTES)
from pipeline.ingest.store import ORIGINALS_DIR, SUPPORTED_LANGS, Added, add_document, slugify
from pipeline.ingest.text import IngestError, normalise_text, text_sha256

__all__ = [
    "HTML_SUFFIXES", "MAX_DOCX_UNCOMPRESSED", "MAX_HTML_BYTES", "MAX_INPUT_BYTES", "MAX_PDF_PAGES", "MAX_ZIP_RATIO",
    "ORIGINALS_DIR", "SUPPORTED_LANGS", "TEXT_SUFFIXES", "UNSUPPORTED_HINTS", "ZIP_RATIO_MIN_BYTES", "Added",
    "IngestError", "add_document", "decode_text", "extract_text", "normalise_text", "register_cli", "run_cli",
    "slugify", "text_sha256",
]
