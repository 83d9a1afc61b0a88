"""The corpus folder: finding documents, reading them safely, language, ids and metadata sidecars.

A corpus is any folder of UTF-8 ``.txt`` files (UTF-16/UTF-32 with a byte-order mark are read too).
``X.ja.txt`` / ``X.en.txt`` give the language; otherwise it is detected from the script, and text in a
language the pipeline does not handle (Chinese, Korean, Russian...) is refused by name. Optional metadata sits
beside the text in ``X.meta.yaml`` (for ``report.ja.txt`` it is ``report.ja.meta.yaml``) with the keys in
:data:`records.METADATA_FIELDS`.

Symlinks are never followed (:func:`discover_all` names each one it leaves out, with the reason), and paths
under the corpus are taken lexically (:func:`rel_path`), never resolved.
"""
from __future__ import annotations

import bisect
import calendar
import datetime as dt
import hashlib
import os
import re
import stat
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml

from pipeline.core.records import METADATA_FIELDS, Document

LANG_SUFFIX_RE = re.compile(r"\.(ja|en)\.txt$")
SUPPORTED_LANGS = {"ja": "Japanese", "en": "English"}
PUBLISHED_RE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")

# --- scripts (issue 11): which script each letter belongs to, and the language a script stands for.
# Unicode blocks as (first, last, script); only letters (category L*) are counted. A letter outside these
# blocks is named by its Unicode character name ("TAMIL LETTER KA" -> Tamil).
SCRIPT_RANGES = (
    (0x0041, 0x005A, "Latin"), (0x0061, 0x007A, "Latin"), (0x00C0, 0x024F, "Latin"),
    (0x0370, 0x03FF, "Greek"), (0x0400, 0x052F, "Cyrillic"), (0x0530, 0x058F, "Armenian"),
    (0x0590, 0x05FF, "Hebrew"), (0x0600, 0x06FF, "Arabic"), (0x0750, 0x077F, "Arabic"),
    (0x08A0, 0x08FF, "Arabic"), (0x0900, 0x097F, "Devanagari"), (0x0E00, 0x0E7F, "Thai"),
    (0x10A0, 0x10FF, "Georgian"), (0x1100, 0x11FF, "Hangul"), (0x1C80, 0x1C8F, "Cyrillic"),
    (0x1E00, 0x1EFF, "Latin"), (0x1F00, 0x1FFF, "Greek"), (0x2DE0, 0x2DFF, "Cyrillic"),
    (0x3005, 0x3007, "Han"),                 # 々 〆 〇
    (0x3021, 0x3029, "Han"), (0x3031, 0x3035, "Kana"), (0x3038, 0x303B, "Han"),
    (0x3040, 0x309F, "Kana"), (0x30A0, 0x30FF, "Kana"), (0x3130, 0x318F, "Hangul"),
    (0x31F0, 0x31FF, "Kana"), (0x3400, 0x4DBF, "Han"), (0x4E00, 0x9FFF, "Han"),
    (0xA640, 0xA69F, "Cyrillic"), (0xA960, 0xA97F, "Hangul"), (0xAC00, 0xD7FF, "Hangul"),
    (0xF900, 0xFAFF, "Han"), (0xFB50, 0xFDFF, "Arabic"), (0xFE70, 0xFEFF, "Arabic"),
    (0xFF21, 0xFF3A, "Latin"), (0xFF41, 0xFF5A, "Latin"), (0xFF66, 0xFF9F, "Kana"),
    (0xFFA0, 0xFFDC, "Hangul"), (0x1B000, 0x1B16F, "Kana"), (0x20000, 0x3134F, "Han"),
)
_SCRIPT_STARTS = [r[0] for r in SCRIPT_RANGES]
# the language a script stands for when it dominates a text (Han and kana: Japanese or Chinese, see below)
SCRIPT_LANGS = {"Latin": ("en", "English"), "Hangul": ("ko", "Korean"), "Cyrillic": ("ru", "Russian"),
                "Greek": ("el", "Greek"), "Arabic": ("ar", "Arabic"), "Hebrew": ("he", "Hebrew"),
                "Devanagari": ("hi", "Hindi"), "Thai": ("th", "Thai"), "Armenian": ("hy", "Armenian"),
                "Georgian": ("ka", "Georgian")}
# one Han, kana or Hangul character carries about as much text as three letters of an alphabet
SCRIPT_WEIGHTS = {"Han": 3, "Kana": 3, "Hangul": 3}
LATIN_MAJORITY = 0.75      # English: Latin letters at least this share of the (weighted) letters
KANA_SHARE_JA = 0.05       # Japanese: kana at least this share of Han + kana (Chinese has Han, almost no kana)
MIN_HAN_ZH = 20            # below this many Han characters a kana-less text is too short to call Chinese
CLEARLY_OTHER = 0.10       # a declared language is refused when its own script is below this weighted share


class DocumentError(Exception):
    """A document cannot be used; the message says why (the caller adds the file name)."""


def discover(corpus_dir: Path) -> list[Path]:
    """All usable ``.txt`` documents under ``corpus_dir`` in a stable order (hidden files and folders skipped,
    symlinks never followed). :func:`discover_all` also names what was left out and why."""
    return discover_all(corpus_dir)[0]


def discover_all(corpus_dir: Path) -> tuple[list[Path], list[tuple[str, str]]]:
    """``(paths, skipped)``: the ``.txt`` documents under ``corpus_dir`` (sorted, as :func:`discover`), and
    every entry that looks like a document or a folder of them but is not read, as sorted
    ``(path under the corpus, reason)`` pairs.

    Symlinks are never followed: a symlinked ``.txt`` (to a file inside or outside the corpus, or dangling)
    and a symlinked folder are skipped with the reason, as are a folder named ``x.txt`` (its contents are
    still searched), a ``.txt`` that is not a regular file (FIFO, socket, device) and an unreadable folder.
    Names starting with a dot (``.originals``, ``.cache``, temp files) are skipped silently.
    :func:`failed_document` turns a skipped entry into a failed row for the run."""
    corpus_dir = Path(corpus_dir)
    if not corpus_dir.is_dir():
        raise FileNotFoundError(f"corpus folder not found: {corpus_dir}")
    paths: list[Path] = []
    skipped: list[tuple[str, str]] = []
    pending = [corpus_dir]
    while pending:
        folder = pending.pop()
        try:
            with os.scandir(folder) as it:
                entries = list(it)
        except OSError as exc:
            if folder == corpus_dir:
                raise
            skipped.append((rel_path(folder, corpus_dir), f"folder cannot be read ({exc.strerror or exc}); skipped"))
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = Path(folder) / entry.name
            is_txt = entry.name.endswith(".txt")
            try:
                if entry.is_symlink():
                    reason = _symlink_reason(path, corpus_dir)
                    if is_txt or reason.startswith("symlinked folder"):
                        skipped.append((rel_path(path, corpus_dir), reason))
                elif entry.is_dir(follow_symlinks=False):
                    if is_txt:
                        skipped.append((rel_path(path, corpus_dir),
                                        "a folder named like a document (.txt), not a file; its contents are read"))
                    pending.append(path)
                elif is_txt:
                    if entry.is_file(follow_symlinks=False):
                        paths.append(path)
                    else:
                        skipped.append((rel_path(path, corpus_dir),
                                        f"not a regular file ({_file_kind(path)}); only plain files are read"))
            except OSError as exc:
                if is_txt:
                    skipped.append((rel_path(path, corpus_dir), f"cannot be read ({exc.strerror or exc})"))
    return sorted(paths), sorted(skipped)


def _symlink_reason(path: Path, corpus_dir: Path) -> str:
    """Why a symlink in the corpus is not read (symlinks are never followed)."""
    target = os.readlink(path)
    if not os.path.exists(path):
        return f"dangling symlink (to {target}, which does not exist); symlinks are not followed"
    real, root = os.path.realpath(path), os.path.realpath(corpus_dir)
    where = "inside" if real == root or real.startswith(root.rstrip(os.sep) + os.sep) else "outside"
    if os.path.isdir(path):
        return f"symlinked folder (to {target}, {where} the corpus) not searched; symlinks are not followed"
    if where == "inside":
        return (f"symlink to {Path(os.path.relpath(real, root)).as_posix()} inside the corpus; symlinks are not "
                "followed (the target is read under its own name)")
    return f"symlink to {target}, outside the corpus; symlinks are not followed (copy the file into the corpus)"


def _file_kind(path: Path) -> str:
    mode = os.lstat(path).st_mode
    return ("FIFO" if stat.S_ISFIFO(mode) else "socket" if stat.S_ISSOCK(mode)
            else "device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "special file")


def failed_document(rel: str, reason: str) -> Document:
    """The failed ``documents.csv`` row of a document that could not be used (e.g. a ``skipped`` entry of
    :func:`discover_all`): doc_id from the path as for any document, status ``failed``, the reason as error."""
    return Document(doc_id=rel[:-4] if rel.endswith(".txt") else rel, path=rel, lang="", status="failed",
                    error=reason)


def rel_path(path: Path, corpus_dir: Path) -> str:
    """The path of ``path`` under ``corpus_dir`` (POSIX form), taken lexically (``os.path.abspath``): symlinks
    are not resolved, so a corpus reached through a symlink works and a symlink inside the corpus keeps its
    own name. Falls back to the resolved paths (a path given through another route to the same folder);
    raises ValueError if ``path`` is not under the corpus."""
    try:
        return Path(os.path.abspath(path)).relative_to(os.path.abspath(corpus_dir)).as_posix()
    except ValueError:
        return Path(path).resolve().relative_to(Path(corpus_dir).resolve()).as_posix()


def doc_id_for(path: Path, corpus_dir: Path) -> str:
    """Stable id from the file name: the path under the corpus without ``.txt`` (``fmjs-20240531.ja``)."""
    rel = rel_path(path, corpus_dir)
    return rel[:-4] if rel.endswith(".txt") else rel


def meta_path(path: Path) -> Path:
    """The metadata sidecar of a document: ``X.meta.yaml`` beside ``X.txt``."""
    return Path(path).with_name(Path(path).name[:-4] + ".meta.yaml")


def _script(ch: str) -> str | None:
    """The script of a letter (None for digits, punctuation, symbols, spaces, marks)."""
    if not unicodedata.category(ch).startswith("L"):
        return None
    o = ord(ch)
    i = bisect.bisect_right(_SCRIPT_STARTS, o) - 1
    if i >= 0 and o <= SCRIPT_RANGES[i][1]:
        return SCRIPT_RANGES[i][2]
    name = unicodedata.name(ch, "")
    return name.split()[0].title() if name else "Other"


@dataclass(frozen=True)
class LangGuess:
    """What the script of a text says about its language."""

    lang: str                  # ja, en, zh, ko, ru, ... or und (no letters / a script with no language here)
    name: str                  # Japanese, English, Chinese, Korean, ... ("" for und)
    counts: dict               # script -> letters counted (Han and Kana separately)
    shares: dict               # script -> share of the weighted letters
    detail: str                # e.g. "Han 97% of the letters, kana 0% of Han + kana"

    @property
    def label(self) -> str:
        """``Korean (ko)``; for a script without a language here, ``text in Tamil script``."""
        return f"{self.name} ({self.lang})" if self.lang != "und" else self.name


def guess_lang(text: str) -> LangGuess:
    """The language of ``text`` from its script (the first 20,000 characters).

    English needs Latin letters as the clear majority (:data:`LATIN_MAJORITY` of the weighted letters: a
    Han/kana/Hangul character counts three); otherwise the largest other script decides. Han and kana mean
    Japanese when kana are a real share of them (:data:`KANA_SHARE_JA`), Chinese when at least
    :data:`MIN_HAN_ZH` Han characters come with (almost) no kana. Hangul is Korean, Cyrillic Russian, Arabic
    Arabic, and so on (:data:`SCRIPT_LANGS`). Japanese with acronyms stays Japanese; English quoting a
    Japanese name stays English."""
    counts: dict[str, int] = {}
    for ch, n in Counter(text[:20000]).items():   # each distinct character once: a text repeats its characters
        if ch.isascii():
            if ch.isalpha():
                counts["Latin"] = counts.get("Latin", 0) + n
            continue
        s = _script(ch)
        if s:
            counts[s] = counts.get(s, 0) + n
    letters = sum(counts.values())
    if not letters:
        return LangGuess("und", "", {}, {}, "no letters")
    weighted = {s: n * SCRIPT_WEIGHTS.get(s, 1) for s, n in counts.items()}
    total = sum(weighted.values())
    shares = {s: w / total for s, w in weighted.items()}
    groups = dict(weighted)
    cjk = groups.pop("Han", 0) + groups.pop("Kana", 0)
    if cjk:
        groups["CJK"] = cjk
    latin = groups.pop("Latin", 0)
    han, kana = counts.get("Han", 0), counts.get("Kana", 0)

    def pct(x: float) -> str:
        return f"{100 * x:.0f}%"

    top = ", ".join(f"{s} {pct(v)}" for s, v in sorted(shares.items(), key=lambda kv: -kv[1])[:3])
    detail = f"{top} of the letters"
    if han + kana:
        detail += f"; kana {pct(kana / (han + kana))} of Han + kana"
    if latin > LATIN_MAJORITY * total:
        return LangGuess("en", "English", counts, shares, detail)
    main = max(groups, key=groups.get)       # not empty: Latin alone would be the majority
    if main == "CJK":
        if kana >= KANA_SHARE_JA * (han + kana):
            return LangGuess("ja", "Japanese", counts, shares, detail)
        if han >= MIN_HAN_ZH:
            return LangGuess("zh", "Chinese", counts, shares, detail)
        if latin > cjk:     # a few Han characters without kana (a quoted name) in Latin text
            return LangGuess("en", "English", counts, shares, detail)
        return LangGuess("ja", "Japanese", counts, shares, detail)   # a short kana-less heading
    if main == "Cyrillic" and sum(text[:20000].count(c) for c in "іїєґІЇЄҐ") > 0.01 * counts["Cyrillic"]:
        return LangGuess("uk", "Ukrainian", counts, shares, detail)
    code, name = SCRIPT_LANGS.get(main, ("und", f"text in {main} script"))
    return LangGuess(code, name, counts, shares, detail)


def detect_lang(text: str) -> str:
    """The language code of ``text`` from its script: ``ja``, ``en``, ``zh``, ``ko``, ``ru``… (see
    :func:`guess_lang`), ``und`` when it has no letters or is in a script with no language here."""
    return guess_lang(text).lang


def choose_lang(text: str, declared: str | None = None, source: str = "") -> str:
    """The language to process ``text`` in, or :class:`DocumentError` naming why there is none.

    ``declared`` (from the ``.ja.txt``/``.en.txt`` suffix or ``lang:`` in the metadata; ``source`` says
    which, e.g. "the file name (.ja.txt)") is honoured unless the text is clearly in another script:
    its own script below :data:`CLEARLY_OTHER` of the weighted letters, or (for Japanese) Chinese text
    without any kana. Undeclared text gets the language its script shows, which must be Japanese or
    English: other languages are refused by name, never mined with the wrong rules."""
    guess = guess_lang(text)
    handles = "the pipeline handles Japanese and English"
    if declared:
        if declared not in SUPPORTED_LANGS:
            raise DocumentError(f"language not supported: {declared!r} given by {source or 'the metadata'}; {handles}")
        own = (guess.shares.get("Han", 0) + guess.shares.get("Kana", 0) if declared == "ja"
               else guess.shares.get("Latin", 0))
        han, kana = guess.counts.get("Han", 0), guess.counts.get("Kana", 0)
        clearly_zh = declared == "ja" and guess.lang == "zh" and kana == 0 and han >= 5 * MIN_HAN_ZH
        if guess.counts and guess.lang != declared and (own < CLEARLY_OTHER or clearly_zh):
            raise DocumentError(
                f"{source or 'the metadata'} says {SUPPORTED_LANGS[declared]} ({declared}), but the text is "
                f"{guess.label} by its script ({guess.detail}); {handles}")
        return declared
    if guess.lang in SUPPORTED_LANGS:
        return guess.lang
    if not guess.counts:
        raise DocumentError("language not detected (the text has no letters); name the file X.ja.txt or X.en.txt")
    raise DocumentError(f"language not supported: {guess.label} detected from its script "
                        f"({guess.detail}); {handles}")


# byte-order marks other than UTF-8's (UTF-32 first: its little-endian mark starts with UTF-16's)
BOMS = ((b"\x00\x00\xfe\xff", "utf-32-be", "UTF-32 big-endian"), (b"\xff\xfe\x00\x00", "utf-32-le", "UTF-32 little-endian"),
        (b"\xff\xfe", "utf-16-le", "UTF-16 little-endian"), (b"\xfe\xff", "utf-16-be", "UTF-16 big-endian"))


def decode(data: bytes) -> str:
    """Decode a stored document; raise :class:`DocumentError` with the reason if it is not usable text.

    UTF-8 (a leading BOM removed); UTF-16 or UTF-32 with a byte-order mark (the mark removed). The decoded
    text is the stored text that all offsets refer to. UTF-16 without a byte-order mark is refused by name,
    other files with NUL bytes as binary."""
    if not data:
        raise DocumentError("empty file")
    for bom, codec, label in BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom):].decode(codec)
            except UnicodeDecodeError as exc:
                raise DocumentError(f"starts with a {label} byte-order mark but is not valid {label.split()[0]}: "
                                    f"{exc.reason} at byte {exc.start + len(bom)}") from exc
            if "\x00" in text:
                raise DocumentError(f"binary file ({label} byte-order mark, but NUL characters in the text)")
            break
    else:
        if b"\x00" in data[:8192]:
            if looks_like_utf16(data[:8192]):
                raise DocumentError("looks like UTF-16 without a byte-order mark (NUL bytes at every other "
                                    "position); save it as UTF-8, or as UTF-16 with a byte-order mark")
            raise DocumentError("binary file (contains NUL bytes), not plain text")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise DocumentError(
                f"not UTF-8: invalid byte 0x{data[exc.start]:02x} at byte {exc.start}; "
                "convert the file to UTF-8") from exc
    if not text.strip():
        raise DocumentError("no text (only whitespace)")
    return text


# code points that make up nearly all of real text (ASCII, Latin-1, Greek/Cyrillic, punctuation, CJK, Hangul,
# full-width forms): UTF-16 read from binary data gives mostly other ones
COMMON_TEXT_RANGES = ((0x09, 0x0A), (0x0D, 0x0D), (0x20, 0x7E), (0xA0, 0xFF), (0x0370, 0x052F), (0x2000, 0x206F),
                      (0x3000, 0x30FF), (0x3400, 0x9FFF), (0xAC00, 0xD7A3), (0xFF00, 0xFFEF))


def looks_like_utf16(sample: bytes) -> bool:
    """NUL bytes at (nearly) only even or only odd positions (a fifth of the pairs or more), and the sample
    read as UTF-16 of that byte order is (90%) ordinary text characters."""
    n = len(sample) // 2
    even, odd = sample[0:2 * n:2].count(0), sample[1:2 * n:2].count(0)
    if n < 2 or max(even, odd) < 0.2 * n or min(even, odd) > 0.05 * max(even, odd):
        return False
    text = sample[:2 * n].decode("utf-16-le" if odd > even else "utf-16-be", errors="replace")
    common = sum(1 for ch in text if any(lo <= ord(ch) <= hi for lo, hi in COMMON_TEXT_RANGES))
    return common >= 0.9 * len(text)


def read_text(path: Path) -> str:
    """The stored text of a corpus file, decoded as :func:`load_document` does (offsets refer to it)."""
    return decode(Path(path).read_bytes())


class _MetaLoader(yaml.SafeLoader):
    """YAML without implicit timestamps: ``published: 2024-02-30`` stays a string to be checked (and
    reported by file name) instead of failing inside the YAML parser with a bare ValueError."""


_MetaLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}


def load_sidecar(mpath: Path) -> dict:
    """The raw mapping of a metadata sidecar (dates as strings); :class:`DocumentError` naming the file
    if it cannot be read or is not a YAML mapping."""
    mpath = Path(mpath)
    if mpath.is_symlink():
        raise DocumentError(f"metadata file {mpath.name} is a symlink; symlinks are not followed")
    try:
        data = yaml.load(mpath.read_text(encoding="utf-8-sig"), Loader=_MetaLoader) or {}
    except OSError as exc:
        raise DocumentError(f"metadata file {mpath.name} cannot be read: {exc.strerror or exc}") from exc
    except (yaml.YAMLError, UnicodeDecodeError, ValueError, TypeError) as exc:
        raise DocumentError(f"metadata file {mpath.name} is not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise DocumentError(f"metadata file {mpath.name} must be a mapping of field: value")
    return data


def published_problem(value: str) -> str | None:
    """Why ``value`` is not a publication date (YYYY, YYYY-MM or YYYY-MM-DD that exists), or None."""
    m = PUBLISHED_RE.fullmatch(value.strip())
    if not m:
        return "not in the form YYYY, YYYY-MM or YYYY-MM-DD"
    year, month, day = (int(g) if g else None for g in m.groups())
    if year < 1:
        return "year 0 does not exist"
    if month is not None and not 1 <= month <= 12:
        return f"there is no month {month}"
    if day is not None:
        last = calendar.monthrange(year, month)[1]
        if not 1 <= day <= last:
            return f"{calendar.month_name[month]} {year} has no day {day}; it has {last} days"
    return None


def read_metadata(path: Path) -> dict:
    """Metadata from the sidecar, validated; missing sidecar → {}."""
    mpath = meta_path(path)
    if not mpath.exists() and not mpath.is_symlink():
        return {}
    data = load_sidecar(mpath)
    out = {}
    for key, value in data.items():
        if key == "lang":
            if value not in (None, ""):
                out["lang"] = str(value).strip()
        elif key in METADATA_FIELDS:
            out[key] = value.isoformat() if isinstance(value, (dt.date, dt.datetime)) else ("" if value is None else str(value))
    if out.get("published"):
        problem = published_problem(out["published"])
        if problem:
            raise DocumentError(f"metadata file {mpath.name}: published must be a real date as YYYY, YYYY-MM or "
                                f"YYYY-MM-DD, not {out['published']!r} ({problem})")
    return out


def load_document(path: Path, corpus_dir: Path) -> Document:
    """Read one document with its metadata. Raises :class:`DocumentError` for unusable files (a symlink,
    undecodable bytes, bad metadata, a language the pipeline does not handle)."""
    path = Path(path)
    if path.is_symlink():
        raise DocumentError(_symlink_reason(path, corpus_dir))
    data = path.read_bytes()
    text = decode(data)
    meta = read_metadata(path)
    declared, source = meta.pop("lang", None), f"lang: in {meta_path(path).name}"
    m = LANG_SUFFIX_RE.search(path.name)
    if not declared and m:
        declared, source = m.group(1), f"the file name (.{m.group(1)}.txt)"
    lang = choose_lang(text, declared, source)
    return Document(doc_id=doc_id_for(path, corpus_dir), path=rel_path(path, corpus_dir),
                    lang=lang, text=text, sha256=hashlib.sha256(data).hexdigest(), **meta)
