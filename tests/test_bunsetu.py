"""``ja_bunsetu_labels`` (pipeline/lang/ja/bunsetu.py) gives exactly the dependency labels of GiNZA's
``bunsetu_recognizer``, without its bunsetu analysis (issue 14)."""
from pathlib import Path

import pytest
import spacy

from pipeline.lang.ja.bunsetu import COMPONENT, SUFFIX, replace_recognizer

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def pipelines():
    ginza = spacy.load("ja_ginza", exclude=["ner"])
    ours = spacy.load("ja_ginza", exclude=["ner"])
    replace_recognizer(ours)
    return ginza, ours


def test_replaces_the_recognizer_in_its_place(pipelines):
    ginza, ours = pipelines
    assert "bunsetu_recognizer" in ginza.pipe_names and "bunsetu_recognizer" not in ours.pipe_names
    assert ours.pipe_names.index(COMPONENT) == ginza.pipe_names.index("bunsetu_recognizer")
    replace_recognizer(ours)   # a second call changes nothing
    assert ours.pipe_names.count(COMPONENT) == 1


def test_same_labels_as_ginza_token_for_token_on_real_text(pipelines):
    ginza, ours = pipelines
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus").glob("*.ja.txt"))]
    paragraphs = [t for text in texts for t in text.split("\n") if t.strip()]
    assert len(paragraphs) > 20
    seen_suffixed = 0
    raw = spacy.load("ja_ginza", exclude=["ner", "bunsetu_recognizer"])   # the parser's own labels
    for a, b, c in zip(ginza.pipe(paragraphs), ours.pipe(paragraphs), raw.pipe(paragraphs)):
        assert [(t.text, t.dep_, t.head.i) for t in a] == [(t.text, t.dep_, t.head.i) for t in b]
        seen_suffixed += sum(t.dep_.endswith(SUFFIX) for t in c)
        assert not any(t.dep_.endswith(SUFFIX) for t in b)
    assert seen_suffixed > 50   # the parser does mark bunsetu heads: the comparison has something to compare
