"""GiNZA's dependency labels without its bunsetu analysis (issue 14: each component only where it pays).

GiNZA's parser marks the head of each bunsetu (文節) with a label suffix (``obl_bunsetu``); its
``bunsetu_recognizer`` strips the suffix (``obl``) and also works out the bunsetu spans and phrases into
``doc.user_data`` (pure Python over every token and its ancestors: ~2.5% of a worker's samples on a cold run of
the benchmark corpus, py-spy), which no rule reads and the parse cache does not keep. The component
``ja_bunsetu_labels`` takes its place and only strips the suffix, as ``bunsetu_recognizer`` does by default
(``remain_bunsetu_suffix=False``): the same labels, token for token (``tests/test_bunsetu.py`` compares both on
real text).

Code, not rule data: this is part of the model layer, which must not depend on ``models/``
(:mod:`pipeline.lang.analysis`).
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

COMPONENT = "ja_bunsetu_labels"
REPLACES = "bunsetu_recognizer"
SUFFIX = "_bunsetu"   # ginza.bunsetu_recognizer.BUNSETU_HEAD_SUFFIX


@Language.factory(COMPONENT, requires=["token.dep"], assigns=["token.dep"])
def make_bunsetu_labels(nlp: Language, name: str) -> "BunsetuLabels":
    return BunsetuLabels(nlp)


class BunsetuLabels:
    """Strip GiNZA's bunsetu-head suffix from every dependency label (``obl_bunsetu`` → ``obl``)."""

    def __init__(self, nlp: Language):
        self.strings = nlp.vocab.strings
        self._plain: dict[int, int] = {}   # label hash → hash of the label without the suffix (0: none)

    def _plain_of(self, dep: int) -> int:
        label = self.strings[dep]
        plain = self.strings.add(label[:-len(SUFFIX)]) if label.endswith(SUFFIX) else 0
        self._plain[dep] = plain
        return plain

    def __call__(self, doc: Doc) -> Doc:
        plain_of = self._plain
        for tok in doc:
            dep = tok.dep
            plain = plain_of.get(dep)
            if plain is None:
                plain = self._plain_of(dep)
            if plain:
                tok.dep = plain
        return doc


def replace_recognizer(nlp: Language) -> None:
    """Put ``ja_bunsetu_labels`` in the place of GiNZA's ``bunsetu_recognizer`` (unless that one was configured to
    keep the suffix, or is not there)."""
    if REPLACES not in nlp.component_names or getattr(nlp.get_pipe(REPLACES), "remain_bunsetu_suffix", False):
        return
    index = nlp.component_names.index(REPLACES)
    nlp.remove_pipe(REPLACES)
    if index < len(nlp.component_names):
        nlp.add_pipe(COMPONENT, before=index)
    else:
        nlp.add_pipe(COMPONENT, last=True)
