"""Decoding text files: BOMs, strict UTF-8, ISO-2022-JP, Shift_JIS/CP932 vs EUC-JP by Japanese evidence,
then charset-normalizer (:func:`decode_text`)."""
from __future__ import annotations

import re
import unicodedata

from pipeline.load.corpus import looks_like_utf16
from pipeline.ingest.text import IngestError

LATIN_LOOKALIKES = {"cp1250", "iso8859_2", "latin_1", "iso8859_15", "cp1254", "iso8859_9", "mac_roman",
                    "mac_latin2", "cp1257", "iso8859_4", "iso8859_13", "cp850", "cp437"}
JA_ENCODINGS = ("cp932", "euc_jp", "euc_jis_2004")
ENCODING_ALIASES = {"shift_jis": "cp932", "shift-jis": "cp932", "sjis": "cp932", "x-sjis": "cp932",
                    "windows-31j": "cp932", "ms932": "cp932", "cp932": "cp932", "euc-jp": "euc_jp",
                    "x-euc-jp": "euc_jp", "euc_jp": "euc_jp", "iso-2022-jp": "iso2022_jp",
                    "utf-8": "utf-8", "utf8": "utf-8"}


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
