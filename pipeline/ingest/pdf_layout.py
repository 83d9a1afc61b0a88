"""PDF page geometry, pure functions on character / word boxes (dicts with ``text``, ``x0``, ``x1``, ``top``,
``bottom``, ``size`` as pdfplumber gives them): characters into words and lines, vertical-writing evidence,
running headers / footers / page numbers, column gutters, reading order, and rejoining lines into paragraphs.

Nothing here opens a PDF (:mod:`pipeline.ingest.pdf` does), so the layout rules can be tested on hand-built boxes.
"""
from __future__ import annotations

import re
import statistics
from dataclasses import dataclass

from pipeline.ingest.text import _is_cjk, _joiner

# characters that end a sentence (optionally followed by closing brackets / quotes)
TERMINAL_RE = re.compile(r"[。．！？!?.…][」』）)\]”’\"'】〕]*$|[」』]$")
BULLET_RE = re.compile(r"^[・•●○◎■□◆◇▪▶►※＊*\-‐–—－]\s*")
PAGE_NUMBER_RE = re.compile(
    r"[\s\-‐–—－―~〜]*(?:p\.?|page|ページ|頁)?\s*[\(（]?"
    r"(?:[0-9０-９]{1,4}|[ivx]{1,6}|[IVX]{1,6})"
    r"[\)）]?\s*(?:(?:/|／|of)\s*[0-9０-９]{1,4})?\s*(?:ページ|頁)?[\s\-‐–—－―~〜]*", re.IGNORECASE)


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
