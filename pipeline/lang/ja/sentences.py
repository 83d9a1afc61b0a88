"""Sentence starts inside parentheses: none (issue 12).

GiNZA ends a sentence at every 。, also inside a parenthesis (「…発射した（飛翔距離は約1,000km。高度は約6,000km。）。」
becomes two sentences, the second starting with 高度 and without the first one's time and subject). The
component ``ja_bracket_sentences`` runs before the parser and marks every token inside a closed pair of round
brackets as not starting a sentence; the parser keeps to that. A bracket left open, or closed only far away (an
excerpt cut in the middle, a stray mark), changes nothing. Quotation marks 「」 are not brackets here: a quoted
statement of several sentences stays several sentences, as its translation does.

Code, not rule data: this is part of the model layer, which must not depend on ``models/``
(:mod:`pipeline.lang.analysis`).
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

COMPONENT = "ja_bracket_sentences"
OPEN, CLOSE = "（(", "）)"
MAX_CHARS = 300     # a pair that spans more is not taken for a parenthesis


def bracket_pairs(doc: Doc) -> list[tuple[int, int]]:
    """(open token index, close token index) of each closed pair of round brackets, innermost first."""
    stack, pairs = [], []
    for tok in doc:
        for ch in tok.text:
            if ch in OPEN:
                stack.append(tok.i)
            elif ch in CLOSE and stack:
                first = stack.pop()
                if doc[tok.i].idx - doc[first].idx <= MAX_CHARS:
                    pairs.append((first, tok.i))
    return pairs


@Language.component(COMPONENT)
def no_sentence_start_in_brackets(doc: Doc) -> Doc:
    for first, last in bracket_pairs(doc):
        for i in range(first + 1, last + 1):
            doc[i].is_sent_start = False
    return doc
