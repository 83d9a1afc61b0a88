"""Bringing documents into the corpus: ``python -m pipeline add PATH... [--corpus DIR] [--title ...]``.

Each file is turned into plain UTF-8 text and stored in the corpus the way :mod:`pipeline.corpus` reads it:

* ``<stem>.<lang>.txt`` -- the extracted text, normalised (NFC, ``\\n`` line ends, no trailing spaces,
  paragraphs separated by one blank line, one final newline);
* ``<stem>.<lang>.meta.yaml`` -- the metadata sidecar: the reader's keys (title, author, publisher,
  published, url, license, translation_of, lang) plus ingest bookkeeping that the reader ignores
  (``source_file``, ``original``, ``source_sha256``, ``sha256`` of the stored text, ``added``, ``format``
  and ``encoding`` / ``pages``);
* ``.originals/<stem>.<lang>.<ext>`` -- the original file, byte for byte. The folder starts with a dot,
  so :func:`pipeline.corpus.discover` (which skips hidden folders) never takes an original -- not even a
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
  they are: the pipeline rejoins broken sentences itself (:mod:`pipeline.textprep`).

The language is ``--lang`` or the one :func:`pipeline.corpus.choose_lang` finds from the script of the
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
"""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import re
import stat
import statistics
import sys
import unicodedata
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..corpus import (DocumentError, choose_lang, decode, discover, doc_id_for, load_sidecar, looks_like_utf16,
                      meta_path, published_problem)
from ..records import METADATA_FIELDS
from ..tables import stage_bytes

ORIGINALS_DIR = ".originals"
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
SUPPORTED_LANGS = ("ja", "en")

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

# characters that end a sentence (optionally followed by closing brackets / quotes)
TERMINAL_RE = re.compile(r"[。．！？!?.…][」』）)\]”’\"'】〕]*$|[」』]$")
BULLET_RE = re.compile(r"^[・•●○◎■□◆◇▪▶►※＊*\-‐–—－]\s*")
CJK_RE = re.compile(r"[\u2e80-\u2fdf\u3000-\u30ff\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")
PAGE_NUMBER_RE = re.compile(
    r"[\s\-‐–—－―~〜]*(?:p\.?|page|ページ|頁)?\s*[\(（]?"
    r"(?:[0-9０-９]{1,4}|[ivx]{1,6}|[IVX]{1,6})"
    r"[\)）]?\s*(?:(?:/|／|of)\s*[0-9０-９]{1,4})?\s*(?:ページ|頁)?[\s\-‐–—－―~〜]*", re.IGNORECASE)
LIGATURES = str.maketrans({"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
                           "\ufb05": "st", "\ufb06": "st"})
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\u200e\u200f\ufeff]")

LATIN_LOOKALIKES = {"cp1250", "iso8859_2", "latin_1", "iso8859_15", "cp1254", "iso8859_9", "mac_roman",
                    "mac_latin2", "cp1257", "iso8859_4", "iso8859_13", "cp850", "cp437"}
JA_ENCODINGS = ("cp932", "euc_jp", "euc_jis_2004")
ENCODING_ALIASES = {"shift_jis": "cp932", "shift-jis": "cp932", "sjis": "cp932", "x-sjis": "cp932",
                    "windows-31j": "cp932", "ms932": "cp932", "cp932": "cp932", "euc-jp": "euc_jp",
                    "x-euc-jp": "euc_jp", "euc_jp": "euc_jp", "iso-2022-jp": "iso2022_jp",
                    "utf-8": "utf-8", "utf8": "utf-8"}


class IngestError(Exception):
    """A file cannot be added; the message says why."""


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


# ---------------------------------------------------------------------------------------------- text utils

def normalise_text(text: str) -> str:
    """The stored form of a text: NFC, ``\\n`` line ends, no control/zero-width characters or trailing
    spaces, at most one blank line in a row, no leading/trailing blank lines, one final newline."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    text = CONTROL_RE.sub("", text).replace("\u00a0", " ")
    lines = [line.rstrip() for line in text.split("\n")]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")
    return text + "\n" if text.strip() else ""


def text_sha256(text: str) -> str:
    """sha256 of the normalised text (UTF-8): the identity used to refuse duplicates."""
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()


def _is_cjk(ch: str) -> bool:
    return bool(CJK_RE.match(ch))


def _joiner(left: str, right: str) -> str:
    """What goes between two pieces of one paragraph that a line break separated."""
    if not left or not right:
        return ""
    a, b = left[-1], right[0]
    if _is_cjk(a) or _is_cjk(b):
        return ""
    if a in "-‐" and len(left) > 1 and left[-2].isalpha() and b.islower():
        return ""                      # a word hyphenated at the line end: keep the hyphen, no space
    return " "


def _fix_cjk_compat(text: str) -> str:
    """Kangxi radicals / CJK radicals (⽇, ⼈ ...) that some PDF fonts map instead of ideographs."""
    return re.sub(r"[\u2e80-\u2fdf]", lambda m: unicodedata.normalize("NFKC", m.group()), text)


# ---------------------------------------------------------------------------------------------- encodings

def _ja_score(text: str) -> tuple[float, int]:
    """How Japanese a decoded candidate looks: (score, count of strong evidence characters).

    Kana and JIS level-1 kanji count for, half-width katakana / private-use / control characters
    against: EUC-JP bytes read as CP932 give half-width katakana and rare kanji, never kana."""
    score, strong = 0.0, 0
    for ch in text:
        o = ord(ch)
        if 0x3041 <= o <= 0x309F or 0x30A1 <= o <= 0x30FA or o == 0x30FC:
            score += 2
            strong += 1
        elif 0x4E00 <= o <= 0x9FFF:
            try:
                level1 = ch.encode("euc_jp")[0] <= 0xCF
            except UnicodeEncodeError:
                level1 = False
            if level1:
                score += 1
                strong += 1
        elif 0x3000 <= o <= 0x303F or 0xFF01 <= o <= 0xFF5E:
            score += 0.5
        elif 0xFF61 <= o <= 0xFF9F:
            score -= 3
        elif 0xE000 <= o <= 0xF8FF or o < 0x20 and ch not in "\r\n\t" or 0x80 <= o < 0xA0 or ch == "\ufffd":
            score -= 3
    return score, strong


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode a text file: returns (text, encoding). Raises :class:`IngestError` if it cannot be read.

    BOMs first, then a strict UTF-8 attempt, ISO-2022-JP (7-bit with escape sequences), the Japanese
    legacy encodings CP932 / EUC-JP chosen by :func:`_ja_score` (so that short texts are not confused),
    and finally charset-normalizer for anything else."""
    if not data:
        raise IngestError("empty file")
    for bom, enc in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
                     (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError as exc:
                raise IngestError(f"starts with a {enc} byte-order mark but is not valid {enc}: {exc.reason}") from exc
    if b"\x00" in data[:8192]:
        if looks_like_utf16(data[:8192]):
            raise IngestError("looks like UTF-16 without a byte-order mark (NUL bytes at every other position); "
                              "save it as UTF-8, or as UTF-16 with a byte-order mark")
        raise IngestError("binary file (contains NUL bytes), not text")
    if max(data) < 0x80 and re.search(rb"\x1b\$[@B(]", data):      # 7-bit, so it is also valid UTF-8
        for enc in ("iso2022_jp", "iso2022_jp_ext", "iso2022_jp_2004", "iso2022_jp_2"):
            try:
                return data.decode(enc), "iso-2022-jp" if enc == "iso2022_jp" else enc.replace("_", "-")
            except UnicodeDecodeError:
                continue
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    best = None
    non_ascii = None
    for enc in JA_ENCODINGS:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if non_ascii is None:
            non_ascii = sum(1 for ch in text if ord(ch) > 0x7F)
        score, strong = _ja_score(text)
        if score > 0 and strong >= max(1, 0.5 * non_ascii) and (best is None or score > best[0]):
            best = (score, text, enc)
    if best is not None:
        return best[1], best[2].replace("_", "-")
    from charset_normalizer import from_bytes

    match = from_bytes(data).best()
    if match is None:
        raise IngestError("unknown text encoding (not UTF-8, Shift_JIS/CP932, EUC-JP, ISO-2022-JP, "
                          "or anything charset-normalizer recognises); convert the file to UTF-8")
    text, encoding = str(match), match.encoding
    if encoding in LATIN_LOOKALIKES:               # short Western texts: cp1252 is by far the likeliest
        try:
            text, encoding = data.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            pass
    if sum(1 for ch in text if unicodedata.category(ch) in ("Cc", "Co", "Cn") and ch not in "\r\n\t") > 0.01 * len(text):
        raise IngestError(f"unreadable text (best guess {encoding} gives control characters); "
                          "convert the file to UTF-8")
    return text, encoding


# ---------------------------------------------------------------------------------------------- PDF

@dataclass
class _Line:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    page: int = 0
    edge: float = 0.0


def _words_to_line(words: list[dict], page_no: int) -> _Line:
    words = sorted(words, key=lambda w: w["x0"])
    return _Line(" ".join(w["text"] for w in words).strip(), min(w["x0"] for w in words),
                 max(w["x1"] for w in words), min(w["top"] for w in words), max(w["bottom"] for w in words),
                 statistics.median(w["size"] for w in words), page_no)


def _chars_to_words(chars: list[dict]) -> list[dict]:
    """One physical line's characters into words: runs split at space characters and at gaps clearly
    wider than the line's usual letter spacing (so justified, letter-spaced Japanese stays one word)."""
    chars = sorted(chars, key=lambda c: c["x0"])
    solid = [c for c in chars if c["text"].strip()]
    if not solid:
        return []
    size = statistics.median(c["size"] for c in solid) or 10.0
    gaps = [max(0.0, b["x0"] - a["x1"]) for a, b in zip(chars, chars[1:]) if a["text"].strip() and b["text"].strip()]
    usual = statistics.median(gaps) if gaps else 0.0
    limit = max(0.15 * size, min(usual, 0.5 * size) + 0.2 * size)
    words: list[dict] = []
    run: list[dict] = []
    broken = False
    for c in chars:
        if not c["text"].strip():
            broken = True
            continue
        if run and (broken or c["x0"] - run[-1]["x1"] > limit):
            words.append(_make_word(run))
            run = []
        run.append(c)
        broken = False
    if run:
        words.append(_make_word(run))
    return words


def _touching_pairs(chars: list[dict], rows: list[list[dict]]) -> tuple[int, int]:
    """(horizontal, vertical) counts of neighbouring characters that (nearly) touch: along rows, as in
    horizontal writing, and down columns, as in vertical writing (縦書き), where the characters of a
    column follow each other closely but the columns stand apart."""
    horizontal = vertical = 0
    for row in rows:
        row = sorted((c for c in row if c["text"].strip()), key=lambda c: c["x0"])
        horizontal += sum(1 for a, b in zip(row, row[1:]) if -0.1 * a["size"] <= b["x0"] - a["x1"] <= 0.5 * a["size"])
    solid = sorted((c for c in chars if c["text"].strip()), key=lambda c: (c["x0"] + c["x1"]) / 2)
    column: list[dict] = []
    for c in solid + [None]:
        if c is not None and column and (c["x0"] + c["x1"]) / 2 - (column[0]["x0"] + column[0]["x1"]) / 2 <= 0.3 * c["size"]:
            column.append(c)
            continue
        column.sort(key=lambda c: c["top"])
        vertical += sum(1 for a, b in zip(column, column[1:]) if -0.1 * a["size"] <= b["top"] - a["bottom"] <= 0.4 * a["size"])
        column = [c] if c is not None else []
    return horizontal, vertical


def _make_word(chars: list[dict]) -> dict:
    return {"text": "".join(c["text"] for c in chars), "x0": min(c["x0"] for c in chars),
            "x1": max(c["x1"] for c in chars), "top": min(c["top"] for c in chars),
            "bottom": max(c["bottom"] for c in chars), "size": statistics.median(c["size"] for c in chars)}


def _group_lines(words: list[dict]) -> list[list[dict]]:
    """Words of a page into physical lines (same baseline band), top to bottom."""
    lines: list[list[dict]] = []
    bands: list[tuple[float, float]] = []
    for w in sorted(words, key=lambda w: (w["top"], w["x0"])):
        center = (w["top"] + w["bottom"]) / 2
        h = max(w["bottom"] - w["top"], 1.0)
        for i in range(len(lines) - 1, max(-1, len(lines) - 4), -1):
            top, bottom = bands[i]
            if top - 0.2 * h <= center <= bottom + 0.2 * h and abs(center - (top + bottom) / 2) < 0.6 * h:
                lines[i].append(w)
                bands[i] = (min(top, w["top"]), max(bottom, w["bottom"]))
                break
        else:
            lines.append([w])
            bands.append((w["top"], w["bottom"]))
    order = sorted(range(len(lines)), key=lambda i: bands[i][0])
    return [lines[i] for i in order]


def _header_key(words: list[dict]) -> str:
    text = "".join(w["text"] for w in sorted(words, key=lambda w: w["x0"]))
    return re.sub(r"[0-9０-９]+", "#", re.sub(r"\s+", "", text))


def _remove_running_lines(pages: list[dict]) -> int:
    """Drop running headers/footers and page numbers from ``pages`` (in place); returns lines dropped.

    A line counts when it is among the first / last three lines of its page, inside the top / bottom
    fifth, and either is a bare page number ("3", "- 3 -", "3/10", "(iv)", "Page 3") or has the same text
    (digits ignored) at the same height on at least half of the pages (and at least two)."""
    zone_lines: dict[tuple[str, str], list[tuple[int, int, float]]] = {}
    drop: set[tuple[int, int]] = set()
    for p, page in enumerate(pages):
        lines, height = page["lines"], page["height"]
        n = len(lines)
        for i, words in enumerate(lines):
            top = min(w["top"] for w in words)
            bottom = max(w["bottom"] for w in words)
            zone = "top" if i < 3 and bottom <= 0.2 * height else "bottom" if i >= n - 3 and top >= 0.8 * height else ""
            if not zone:
                continue
            text = "".join(w["text"] for w in words)
            if PAGE_NUMBER_RE.fullmatch(text.strip()):
                drop.add((p, i))
                continue
            zone_lines.setdefault((zone, _header_key(words)), []).append((p, i, top))
    need = max(2, (len(pages) + 1) // 2)
    for hits in zone_lines.values():
        if len({p for p, _, _ in hits}) < need:
            continue
        ref = statistics.median(t for _, _, t in hits)
        near = [(p, i) for p, i, t in hits if abs(t - ref) <= 4]
        if len({p for p, _ in near}) >= need:
            drop.update(near)
    for p, page in enumerate(pages):
        page["lines"] = [words for i, words in enumerate(page["lines"]) if (p, i) not in drop]
    return len(drop)


def _find_gutters(lines: list[list[dict]], width: float) -> list[tuple[float, float]]:
    """Vertical gutters of a page: x-ranges (at least 6pt wide, in the middle 70%) that most lines leave
    empty while enough text lies on both sides. Returns [] for single-column pages."""
    if len(lines) < 6:
        return []
    lo, hi = int(0.15 * width), int(0.85 * width)
    cover = [0] * (hi - lo + 1)
    for words in lines:
        seen = set()
        for w in words:
            for x in range(max(lo, int(w["x0"])), min(hi, int(w["x1"]) + 1) + 1):
                seen.add(x)
        for x in seen:
            cover[x - lo] += 1
    peak = max(cover) if cover else 0
    if peak < 4:
        return []
    runs, start = [], None
    for k, c in enumerate(cover + [peak]):
        if c <= 0.4 * peak:
            start = k if start is None else start
        elif start is not None:
            if k - start >= 6:
                runs.append((lo + start, lo + k - 1))
            start = None
    total = sum(len(w["text"]) for words in lines for w in words)
    gutters = []
    for g0, g1 in runs:
        left = sum(len(w["text"]) for words in lines for w in words if w["x1"] <= g0 + 0.5)
        right = sum(len(w["text"]) for words in lines for w in words if w["x0"] >= g1 - 0.5)
        nleft = sum(1 for words in lines if any(w["x1"] <= g0 + 0.5 for w in words))
        nright = sum(1 for words in lines if any(w["x0"] >= g1 - 0.5 for w in words))
        if left >= 0.15 * total and right >= 0.15 * total and nleft >= 3 and nright >= 3:
            gutters.append((g0, g1))
    return gutters


def _fits_gutters(lines: list[list[dict]], gutters: list[tuple[float, float]]) -> bool:
    """Weak check for a page of a multi-column document (e.g. a last page whose right column is short):
    the document's gutters are empty on most lines here and text lies on both sides of each."""
    if not lines or not gutters:
        return False
    spanning = sum(1 for words in lines if any(w["x0"] < g1 and w["x1"] > g0 for w in words for g0, g1 in gutters))
    if spanning > 0.4 * len(lines):
        return False
    for g0, g1 in gutters:
        if not any(w["x1"] <= g0 + 0.5 for words in lines for w in words):
            return False
        if not any(w["x0"] >= g1 - 0.5 for words in lines for w in words):
            return False
    return True


def _page_segments(lines: list[list[dict]], gutters: list[tuple[float, float]], page_no: int
                   ) -> list[tuple[str, list[_Line]]]:
    """A page's lines in reading order, as segments: ('full', lines) for text spanning the page and
    ('col<i>', lines) for each column of a multi-column stretch (left column first)."""
    if not gutters:
        return [("full", [_words_to_line(words, page_no) for words in lines])]
    bounds = [g0 for g0, _ in gutters]
    segments: list[tuple[str, list[_Line]]] = []
    columns: list[list[_Line]] = [[] for _ in range(len(gutters) + 1)]

    def flush():
        for i, col in enumerate(columns):
            if col:
                segments.append((f"col{i}", list(col)))
                col.clear()

    for words in lines:
        spans = any(w["x0"] < g1 and w["x1"] > g0 for w in words for g0, g1 in gutters)
        if spans:
            flush()
            segments.append(("full", [_words_to_line(words, page_no)]))
            continue
        parts: dict[int, list[dict]] = {}
        for w in words:
            center = (w["x0"] + w["x1"]) / 2
            parts.setdefault(sum(1 for b in bounds if center > b), []).append(w)
        for i, ws in parts.items():
            columns[i].append(_words_to_line(ws, page_no))
    flush()
    merged: list[tuple[str, list[_Line]]] = []
    for kind, seg in segments:                  # consecutive full-width lines form one segment
        if merged and kind == "full" and merged[-1][0] == "full":
            merged[-1][1].extend(seg)
        else:
            merged.append((kind, seg))
    return merged


def _assign_edges(segments: list[tuple[str, list[_Line]]]) -> None:
    """Set each line's ``edge``: the right edge of the text in its column on its page (the page's own
    widest line when the column has five lines or more there, else the document's usual edge)."""
    by_kind: dict[str, list[float]] = {}
    by_page: dict[tuple[int, str], list[_Line]] = {}
    for kind, seg in segments:
        for line in seg:
            by_kind.setdefault(kind, []).append(line.x1)
            by_page.setdefault((line.page, kind), []).append(line)
    doc = {}
    for kind, xs in by_kind.items():
        xs = sorted(xs)
        doc[kind] = xs[min(len(xs) - 1, int(0.9 * len(xs)))]
    if "full" in doc:
        doc["full"] = max(doc.values())        # full-width text ends where the last column ends
    for (_, kind), lines in by_page.items():
        edge = max(line.x1 for line in lines) if len(lines) >= 5 else doc[kind]
        for line in lines:
            line.edge = edge


def _paragraphs_from_segments(segments: list[tuple[str, list[_Line]]]) -> list[str]:
    """Rejoin lines into paragraphs across line, column and page breaks.

    A line break is kept as a paragraph break when the line ends short of its column's right edge
    (paragraph end, heading), the next line starts a bullet or changes font size, the gap to the next
    line is clearly wider than the usual line pitch, or a sentence ends and the next line is indented;
    at a column or page break the paragraph goes on unless a sentence ended there."""
    _assign_edges(segments)
    pitches = [b.top - a.top for _, seg in segments for a, b in zip(seg, seg[1:])
               if 0 < b.top - a.top < 3 * max(a.size, 1)]
    pitch = statistics.median(pitches) if pitches else None
    paragraphs: list[str] = []
    current = ""
    prev: _Line | None = None
    for _, seg in segments:
        seg_left = min(line.x0 for line in seg)
        for idx, line in enumerate(seg):
            if not line.text:
                continue
            if prev is None:
                current = line.text
                prev = line
                continue
            ends = bool(TERMINAL_RE.search(prev.text))
            if not _is_full(prev) or BULLET_RE.match(line.text) or abs(line.size - prev.size) > 1.0:
                new_para = True
            elif idx == 0:
                # first line of a new column / page: after a full line the paragraph goes on, even after
                # a sentence end, unless the new line is indented or is itself short (a heading)
                new_para = ends and (line.x0 > seg_left + 0.5 * line.size or not _is_full(line))
            else:
                gap = line.top - prev.top
                indented = line.x0 > seg_left + 0.5 * line.size and line.x0 > prev.x0 + 0.5 * line.size
                new_para = bool(pitch and gap > 1.3 * pitch and gap - pitch > 0.3 * line.size) or (ends and indented)
            if new_para:
                paragraphs.append(current)
                current = line.text
            else:
                current += _joiner(current, line.text) + line.text
            prev = line
    if prev is not None:
        paragraphs.append(current)
    return paragraphs


def _is_full(line: _Line) -> bool:
    """Does the line run to the right edge of its column (so the text goes on in the next line)?"""
    right = line.edge
    tol = 1.5 * line.size
    if line.text and not _is_cjk(line.text[-1]):
        tol = max(tol, 0.15 * max(right - line.x0, 1.0), 6 * line.size)
    return line.x1 >= right - tol


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
    too_many = (f"PDF has more than {MAX_PDF_PAGES:,} pages, the limit (ingest.MAX_PDF_PAGES); "
                "split it, or add the part that matters")
    try:
        # only the first MAX_PDF_PAGES + 1 pages become page objects, whatever the page tree claims
        pdf = pdfplumber.open(io.BytesIO(data), pages=range(1, MAX_PDF_PAGES + 2))
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
            if (declared or 0) > MAX_PDF_PAGES or len(pdf.pages) > MAX_PDF_PAGES:
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


def _clean_str(value) -> str:
    if isinstance(value, bytes):
        for enc in ("utf-16", "utf-8", "latin-1"):
            try:
                value = value.decode(enc)
                break
            except UnicodeDecodeError:
                continue
    if not isinstance(value, str):
        return ""
    return re.sub(r"\s+", " ", CONTROL_RE.sub("", value)).strip()


# ---------------------------------------------------------------------------------------------- HTML

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
    if len(data) > MAX_HTML_BYTES:
        raise IngestError(f"HTML page of {_mib(len(data))} is over the limit of {_mib(MAX_HTML_BYTES)} "
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


# ---------------------------------------------------------------------------------------------- DOCX

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
        if info.file_size > ZIP_RATIO_MIN_BYTES and info.file_size > MAX_ZIP_RATIO * max(1, info.compress_size):
            raise IngestError(
                f"DOCX member {info.filename} inflates from {_mib(info.compress_size)} to {_mib(info.file_size)}, "
                f"more than {MAX_ZIP_RATIO}:1 (the limit, ingest.MAX_ZIP_RATIO): refused as a possible zip bomb")
    if total > MAX_DOCX_UNCOMPRESSED:
        raise IngestError(
            f"DOCX inflates to {_mib(total)}, over the limit of {_mib(MAX_DOCX_UNCOMPRESSED)} "
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
        if st.st_size > MAX_INPUT_BYTES:
            raise IngestError(f"file of {_mib(st.st_size)} is over the limit of {_mib(MAX_INPUT_BYTES)} "
                              "(ingest.MAX_INPUT_BYTES)")
        with path.open("rb") as fh:          # read at most one byte past the limit (a file still growing)
            data = fh.read(MAX_INPUT_BYTES + 1)
        if len(data) > MAX_INPUT_BYTES:
            raise IngestError(f"file is over the limit of {_mib(MAX_INPUT_BYTES)} (ingest.MAX_INPUT_BYTES)")
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


# ---------------------------------------------------------------------------------------------- CLI

def register_cli(subparsers) -> None:
    """Add the ``add`` subcommand to an argparse ``subparsers`` object (sets ``func=run_cli``)."""
    p = subparsers.add_parser(
        "add", help="bring PDF / HTML / DOCX / text files into the corpus",
        description="Extract the text of each file and store it in the corpus as <stem>.<lang>.txt with a "
                    "metadata sidecar; the original is kept under <corpus>/.originals/.")
    p.add_argument("paths", nargs="+", metavar="PATH", help="files to add")
    p.add_argument("--corpus", default="corpus", help="corpus folder (default: corpus/)")
    p.add_argument("--title", help="title (default: from the file, e.g. the HTML page title)")
    p.add_argument("--author")
    p.add_argument("--publisher")
    p.add_argument("--date", dest="published", help="publication date: YYYY, YYYY-MM or YYYY-MM-DD")
    p.add_argument("--url")
    p.add_argument("--lang", choices=SUPPORTED_LANGS, help="language (default: detected from the text)")
    p.add_argument("--translation-of", dest="translation_of", help="doc id of the original (e.g. report.ja)")
    p.add_argument("--license")
    p.add_argument("--json", action="store_true", help="print one JSON object per file instead of text")
    p.set_defaults(func=run_cli)


def run_cli(args) -> int:
    """Run ``add`` for parsed ``args``: prints one line per file; returns 0, or 1 if any file failed."""
    meta = {k: getattr(args, k, None) for k in ("title", "author", "publisher", "published", "url", "lang",
                                                "translation_of", "license")}
    corpus_dir = Path(getattr(args, "corpus", None) or "corpus")
    as_json = getattr(args, "json", False)
    failed = 0
    warned: set[str] = set()
    for raw in args.paths:
        try:
            added = add_document(Path(raw), corpus_dir, meta)
        except Exception as exc:            # each file succeeds or fails on its own
            failed += 1
            known = isinstance(exc, (IngestError, OSError, DocumentError))
            reason = str(exc) if known else f"unexpected {type(exc).__name__}: {exc}"
            if as_json:
                print(json.dumps({"path": raw, "error": reason}, ensure_ascii=False))
            else:
                print(f"error: {raw}: {reason}", file=sys.stderr)
            continue
        if as_json:
            print(json.dumps({"path": raw, **added.to_dict()}, ensure_ascii=False))
        else:
            print(f"added {added.doc_id} ({added.lang}, {added.chars} chars) -> {added.text_path} "
                  f"[original: {added.original_path}]")
            for warning in added.warnings:
                if warning not in warned:        # once per run, not once per added file
                    warned.add(warning)
                    print(f"warning: {corpus_dir / warning}", file=sys.stderr)
    if len(args.paths) > 1 and not as_json:
        print(f"{len(args.paths) - failed} added, {failed} refused")
    return 1 if failed else 0
