"""Sentence boundaries of an analysed unit, with the parser's false splits joined again (issue 12).

GiNZA's parser starts a new sentence where no sentence ends: inside brackets (「…（平成十二年条約第二号。|以下「協定」
という。）」) and between the parts of one legal reference (「…法第48条|第3項の規定」, 「同法|第25条」). A citation,
a quantity's sentence or a carried actor then sees half a sentence. Two rules join such pieces, whatever the
language (an English sentencizer split always has a space at the boundary, so the second rule leaves it alone):

1. a boundary inside a bracket pair that opens before it and closes after it, in the same unit, unless the
   pieces are sentences of an aside that fills its brackets (「（ちなみに…した。なお…した。）」);
2. a boundary with no space on either side after a piece that does not end a sentence: its last character,
   once a bracketed group at its end is set aside (「…という。）」 ends inside its brackets, not the sentence),
   is not a sentence terminator.

Before that, an opening quote or bracket left at the end of a piece after a space (English: ``…the minister said. "We``)
is moved to the sentence it opens.
"""
from __future__ import annotations

TERMINATORS = frozenset("。．.！？!?")
PAIRS = {"（": "）", "(": ")", "「": "」", "『": "』", "【": "】", "［": "］", "[": "]", "〔": "〕", "｛": "｝",
         "〈": "〉", "《": "》"}
CLOSERS = {c: o for o, c in PAIRS.items()}
OPENING = frozenset(PAIRS) | frozenset("“‘\"'")   # what opens a sentence's quote (ASCII quotes after a space)


def _open_brackets(text: str) -> list[int]:
    """For each position of ``text``: where the innermost bracket open before it was opened, or -1 (unmatched
    closers are ignored)."""
    out, stack = [], []
    for i, ch in enumerate(text):
        out.append(stack[-1][1] if stack else -1)
        if ch in PAIRS:
            stack.append((ch, i))
        elif ch in CLOSERS and stack and stack[-1][0] == CLOSERS[ch]:
            stack.pop()
    out.append(stack[-1][1] if stack else -1)
    return out


def _ends_sentence(piece: str) -> bool:
    """Whether ``piece`` ends a sentence: its last character, after a trailing bracketed group is set aside, is
    a terminator (or nothing is left: a piece that is one bracketed group, 「…。」, stands alone)."""
    piece = piece.rstrip()
    while piece and piece[-1] in CLOSERS:
        depth, i = 0, len(piece) - 1
        while i >= 0:
            if piece[i] in CLOSERS:
                depth += 1
            elif piece[i] in PAIRS:
                depth -= 1
                if depth == 0:
                    break
            i -= 1
        if i < 0:   # no opener in the piece: the closer ends it
            return piece[:-1].rstrip()[-1:] in TERMINATORS or not piece[:-1].strip()
        piece = piece[:i].rstrip()
    return not piece or piece[-1] in TERMINATORS


def join_false_splits(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``spans`` (consecutive sentences of ``text``, as character offsets) with the false splits joined."""
    if len(spans) < 2:
        return list(spans)
    opened = _open_brackets(text)
    closes_later = [False] * (len(text) + 1)   # some closer at or after each position
    seen = False
    for i in range(len(text) - 1, -1, -1):
        seen = seen or text[i] in CLOSERS
        closes_later[i] = seen
    out = [spans[0]]
    for start, end in spans[1:]:
        prev_start, prev_end = out[-1]
        quote = prev_end
        while quote - 1 > prev_start and text[quote - 1] in OPENING and text[quote - 2].isspace():
            quote -= 1   # ``…said. "`` + ``We…``: the quote opens the next sentence
        if quote < prev_end and prev_end == start:
            out[-1], start = (prev_start, quote), quote
            prev_end = quote
        lead = len(text[prev_start:prev_end]) - len(text[prev_start:prev_end].lstrip())
        aside = opened[start] == prev_start + lead and _ends_sentence(text[prev_start:prev_end])
        inside = opened[start] >= 0 and closes_later[start] and not aside
        glued = prev_end == start and 0 < start < len(text) and not text[start - 1].isspace() \
            and not text[start].isspace() and not _ends_sentence(text[prev_start:prev_end])
        if inside or glued:
            out[-1] = (prev_start, end)
        else:
            out.append((start, end))
    return out
