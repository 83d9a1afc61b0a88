"""From stored document text to blocks (title, headings, paragraphs) with an offset map back to the text.

Text extracted from PDFs breaks sentences across lines and blank lines (seed essay: 「大きい差が」 / blank
line / 「見られない」). Lines that cannot end a paragraph are joined with the next non-blank line; the joined
text keeps, for every character, its offset in the stored text, so extracted spans map back exactly.
Headings (no sentence-final punctuation, short) become sections rather than sentences.

A blank line (paragraph break) ends the sentence before it, except in Japanese running text broken by a
PDF: there a line continues across a blank line only when it reads as prose cut mid-sentence (it holds a
sentence end 。 of its own, or it ends in a particle or comma and is longer than a label), never when it ends
in a colon (「…次のとおり：」, "…said:") or is a short heading such as 「はじめに」 (issue 12).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.core import rules

TERMINAL_RE = re.compile(r"[。．！？!?.][\"'」』）)\]”’]*\s*$")
CONTINUES_RE = re.compile(r"[、，,がをにはのとでやもへ]\s*$")      # ends mid-sentence
LEAD_IN_RE = re.compile(r"[:：]\s*$")                               # introduces what follows: 「…次のとおり：」
BRACKETED_RE = re.compile(r"^\s*[（(].*[)）]\s*$")                  # （道下徳成 政策研究大学院大学副学長）
DATELINE_RE = re.compile(r"^\s*(?:(?:令和|平成|昭和)[0-9０-９元]+年|[0-9０-９]{4}\s*年)\s*[0-9０-９]+\s*月\s*[0-9０-９]+\s*日\s*$")
# "April 2, 2025", "2 April 2025", also after a weekday ("Wednesday, April 2, 2025")
EN_DATELINE_RE = re.compile(r"^\s*(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?"
                            r"(?:[A-Z][a-z]+ \d{1,2}, \d{4}|\d{1,2} [A-Z][a-z]+ \d{4})\s*$")


@dataclass(frozen=True)
class LineRules:
    """What differs between languages when lines become blocks; each language backend holds one."""

    joiner: str = ""                 # put where a broken line is rejoined ("" for Japanese, " " for English)
    heading_max: int = 60            # a longer line without sentence-final punctuation is not a heading
    # a line ending in a lower-case word continues on the next line (English prose broken by a PDF)
    lowercase_continues: bool = False
    # a blank line always ends a sentence (English); otherwise see continues_across_blank
    blank_line_ends: bool = False
    # a line this short that ends in a particle is a label or heading (「はじめに」), not broken prose
    label_max: int = 12
    # an English line of fewer words, followed by a capitalised line, is a label ("Opening remarks")
    label_words: int = 4


JA_LINES = LineRules(joiner="", heading_max=60)
EN_LINES = LineRules(joiner=" ", heading_max=120, lowercase_continues=True, blank_line_ends=True)


@dataclass
class Block:
    """A unit of text for the parser: a title, heading, dateline, note or paragraph."""

    kind: str
    text: str
    offsets: list[int]            # offsets[i] is the stored-text offset of text[i]
    level: int = 0                # heading level (1 numbered, 2 un-numbered)
    section: str = ""             # section path in force (for paragraphs)

    def to_stored(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) span of ``text`` to stored-text offsets."""
        return self.offsets[start], self.offsets[end - 1] + 1


@dataclass
class _Line:
    start: int
    end: int
    text: str = field(repr=False)


def _lines(text: str) -> list[_Line]:
    out, pos = [], 0
    for raw in text.splitlines(keepends=True):
        body = raw.rstrip("\r\n")
        lead = len(body) - len(body.lstrip())
        stripped = body.strip()
        if stripped:
            out.append(_Line(pos + lead, pos + lead + len(stripped), stripped))
        else:
            out.append(_Line(pos, pos, ""))
        pos += len(raw)
    return out


def classify_line(line: str, lines: LineRules) -> str:
    """``paragraph`` (ends a sentence), ``fragment`` (continues on the next line), ``heading``, ``dateline``
    or ``note``."""
    if DATELINE_RE.match(line) or EN_DATELINE_RE.match(line):
        return "dateline"
    if TERMINAL_RE.search(line):
        return "paragraph"
    if BRACKETED_RE.match(line) and "。" not in line:
        return "note"
    long_ = len(line) > lines.heading_max
    if "。" in line or long_ or CONTINUES_RE.search(line):
        return "fragment"
    if lines.lowercase_continues and re.search(r"\b[a-z]+,?$", line) and not line.endswith(":"):
        return "fragment"
    return "heading"


def continues_across_blank(line: str, lines: LineRules) -> bool:
    """Whether a broken line (a ``fragment``) is continued by the text after a blank line."""
    if lines.blank_line_ends or LEAD_IN_RE.search(line):
        return False
    if "。" in line:                      # running text whose last sentence was cut by the page break
        return True
    return bool(CONTINUES_RE.search(line)) and len(line) > lines.label_max


def _short_label(line: str, lines: LineRules) -> bool:
    """A line short enough to be a heading or label rather than prose (「はじめに」, "Press release")."""
    if "。" in line or len(line) > lines.heading_max:
        return False
    return not lines.lowercase_continues or len(line.split()) < lines.label_words


def _kind(line: str, following: str | None, blank_after: bool, lines: LineRules) -> str:
    """:func:`classify_line` in context: a ``fragment`` is only one when the next line can continue it."""
    kind = classify_line(line, lines)
    if kind != "fragment" or following is None:
        return kind
    # "Opening remarks" above "Foreign Minister: …": a label, not English prose broken by a PDF
    label = lines.lowercase_continues and following[:1].isupper() and not CONTINUES_RE.search(line)
    if (label and _short_label(line, lines)) or (blank_after and not continues_across_blank(line, lines)):
        return "heading" if _short_label(line, lines) else "paragraph"
    return kind


def blocks(text: str, lines: LineRules) -> list[Block]:
    """Split stored text into blocks, rejoining broken sentences and assigning sections to paragraphs."""
    section_re = rules.quantity_rules().section_number
    joiner = lines.joiner
    out: list[Block] = []
    pending: Block | None = None
    seen_body = False
    numbered_seen = False
    path: dict[int, str] = {}
    all_lines = _lines(text)
    body = [idx for idx, line in enumerate(all_lines) if line.text]
    for pos, idx in enumerate(body):
        line = all_lines[idx]
        nxt = body[pos + 1] if pos + 1 < len(body) else None
        context = (all_lines[nxt].text if nxt is not None else None, nxt is not None and nxt > idx + 1)
        kind = "paragraph" if pending is not None else _kind(line.text, *context, lines)
        if pending is not None:
            # continue a broken sentence: the joiner (if any) maps to the line break it replaces
            if joiner:
                pending.text += joiner
                pending.offsets.append(pending.offsets[-1] + 1)
            pending.text += line.text
            pending.offsets.extend(range(line.start, line.end))
            if _kind(line.text, *context, lines) == "fragment":
                continue
            out.append(pending)
            pending = None
            continue
        block = Block(kind, line.text, list(range(line.start, line.end)))
        if kind == "fragment":
            block.kind = "paragraph"
            block.section = _section(path)
            pending = block
            seen_body = True
            continue
        if kind == "heading":
            if not seen_body and not any(b.kind == "title" for b in out):
                block.kind = "title"
            else:
                numbered = bool(section_re.match(line.text))
                numbered_seen = numbered_seen or numbered
                block.level = 1 if numbered or not numbered_seen else 2
                path = {k: v for k, v in path.items() if k < block.level}
                path[block.level] = line.text
        elif kind == "paragraph":
            seen_body = True
        block.section = _section(path)
        out.append(block)
    if pending is not None:
        out.append(pending)
    return out


def _section(path: dict[int, str]) -> str:
    return " > ".join(path[k] for k in sorted(path))
