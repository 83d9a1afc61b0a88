"""No sentence starts inside a closed pair of round brackets (pipeline.lang.ja.sentences); sentences of my own."""
import pytest

CASES = [
    ("同国は新型機を公開した（全長は約20m。重量は約5トン。）。政府は懸念を示した。",
     ["同国は新型機を公開した（全長は約20m。重量は約5トン。）。", "政府は懸念を示した。"]),
    ("政府は融資（総額は30億円。期間は5年。）を決めた。", ["政府は融資（総額は30億円。期間は5年。）を決めた。"]),
    # a bracket left open: the sentences GiNZA finds stay as they are
    ("同国は計画を発表した（詳細は別紙。予算は未定である。政府は検討を続ける。",
     ["同国は計画を発表した（詳細は別紙。", "予算は未定である。", "政府は検討を続ける。"]),
    # quotation marks are not brackets: a quoted statement of two sentences stays two
    ("大臣は「協力を続ける。支援も増やす。」と述べた。", None),
]


@pytest.mark.parametrize("text,expected", CASES, ids=[c[0][:12] for c in CASES])
def test_sentences(nlp, text, expected):
    sents = [s.text for s in nlp(text).sents]
    if expected is None:
        assert len(sents) >= 2
    else:
        assert sents == expected


def test_quantities_keep_their_offsets(nlp):
    text = "同国は新型機を公開した（全長は約20m。重量は約5トン。）。"
    doc = nlp(text)
    assert [text[s.start_char:s.end_char] for s in doc.spans["quantities"]] == ["約20m", "約5トン"]
