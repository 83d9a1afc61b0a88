"""Rule data in models/ is validated by running its own examples through the real extractor."""
import pytest

from pipeline.core import rules

UNIT_EXAMPLES = rules.quantity_rules().examples
QUALIFIER_EXAMPLES = rules.load("qualifiers")["examples"]
NEGATIVE_EXAMPLES = rules.load("numerals")["examples"]


def _quantities(nlp, text):
    doc = nlp(text)
    return [sp._.quantity for sp in doc.spans["quantities"]]


@pytest.mark.parametrize("ex", UNIT_EXAMPLES, ids=[e["text"][:16] for e in UNIT_EXAMPLES])
def test_unit_examples(nlp, ex):
    qs = _quantities(nlp, ex["text"])
    assert qs, f"no quantity found in {ex['text']!r}"
    q = qs[0]
    assert q.unit == ex["unit"]
    assert (q.value if q.value is not None else "") == ex["value"]
    assert q.qualifier == ex["qualifier"]
    if "object" in ex:
        assert q.object == ex["object"]


@pytest.mark.parametrize("ex", QUALIFIER_EXAMPLES, ids=[e["text"][:16] for e in QUALIFIER_EXAMPLES])
def test_qualifier_examples(nlp, ex):
    qs = _quantities(nlp, ex["text"])
    assert qs and qs[0].qualifier == ex["qualifier"]


@pytest.mark.parametrize("ex", NEGATIVE_EXAMPLES, ids=[e["text"][:16] for e in NEGATIVE_EXAMPLES])
def test_not_quantities(nlp, ex):
    assert len(_quantities(nlp, ex["text"])) == ex["claims"]


def test_every_unit_has_an_example_and_unique_surfaces():
    r = rules.quantity_rules()
    with_examples = {e["unit"] for e in r.examples}
    assert {u.id for u in r.units} <= with_examples
    surfaces = [s for s, _ in r.counter_index]
    assert len(surfaces) == len(set(surfaces)), "a counter surface maps to two units"


def test_time_words_have_examples():
    data = rules.load("time")
    from pipeline.lang.ja.timex import TimeResolver

    for era in data["eras"]:
        assert TimeResolver().find(era["example"]), era
    for word in data["relative_years"]:
        assert word["surface"] in word["example"]
