"""The ingest error and the text utilities every format shares: the stored normal form of a text, its
sha256 identity, CJK-aware line joining and metadata string cleaning."""
from __future__ import annotations

import hashlib
import re
import unicodedata

CJK_RE = re.compile(r"[\u2e80-\u2fdf\u3000-\u30ff\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\u200e\u200f\ufeff]")


class IngestError(Exception):
    """A file cannot be added; the message says why."""


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
