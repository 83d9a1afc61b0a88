"""Sentence boundaries: GiNZA's false splits (inside brackets, inside one legal reference) are joined again;
real sentence ends, and every English boundary, stay (pipeline.extract.sentences)."""
import pytest

from pipeline.extract.sentences import _ends_sentence, join_false_splits


def pieces(text: str, cuts: list[int]) -> list[tuple[int, int]]:
    bounds = [0, *cuts, len(text)]
    return list(zip(bounds, bounds[1:]))


def cut_at(text: str, *parts: str) -> list[int]:
    """Offsets where each of ``parts`` starts in ``text`` (the parser's boundaries)."""
    return [text.index(p) for p in parts]


# (text, the parser's sentence starts, the sentences expected after joining)
CASES = [
    # a statute's article and paragraph split apart
    ("輸出入取引法第12条第2項の規定により許可を取り消した。",
     ["第2項"], ["輸出入取引法第12条第2項の規定により許可を取り消した。"]),
    ("同法第7条に基づく命令である。", ["第7条"], ["同法第7条に基づく命令である。"]),
    # a definition inside brackets with its own 。, then the article after the brackets
    ("本条約（平成三年条約第五号。以下「条約」という。）第四条(a)の規定に従う。",
     ["以下", "第四条", "(a)"], ["本条約（平成三年条約第五号。以下「条約」という。）第四条(a)の規定に従う。"]),
    # two real sentences stay two
    ("政府は制裁を決定した。措置は明日発効する。", ["措置は"], ["政府は制裁を決定した。", "措置は明日発効する。"]),
    # a sentence ending in a closed quote, and one ending in a note in brackets
    ("外相は述べた。「協力を続ける。」次の会合は秋に開かれる。", ["「協力", "次の"],
     ["外相は述べた。", "「協力を続ける。」", "次の会合は秋に開かれる。"]),
    ("艦艇3隻が通過した。（防衛省発表）同日、航空機も飛来した。", ["同日"],
     ["艦艇3隻が通過した。（防衛省発表）", "同日、航空機も飛来した。"]),
    # a space at the boundary: the parser's split stands (headline-like runs, English)
    ("新たな措置について 政府は検討を始めた。", ["政府は"], ["新たな措置について", "政府は検討を始めた。"]),
    ("Sanctions were imposed on 12 entities. Article 5 applies.", ["Article"],
     ["Sanctions were imposed on 12 entities.", "Article 5 applies."]),
    # an unclosed bracket does not swallow the rest of the unit
    ("（注）この表は概数である。合計は一致しない。", ["この表", "合計"],
     ["（注）", "この表は概数である。", "合計は一致しない。"]),
]


@pytest.mark.parametrize("text,starts,expected", CASES, ids=[c[0][:12] for c in CASES])
def test_join_false_splits(text, starts, expected):
    spans = join_false_splits(text, pieces(text, cut_at(text, *starts)))
    assert [text[a:b].strip() for a, b in spans] == expected
    assert spans[0][0] == 0 and spans[-1][1] == len(text)        # offsets still cover the unit, in order
    assert all(b == c for (_, b), (c, _) in zip(spans, spans[1:]))


@pytest.mark.parametrize("piece,ends", [
    ("発射した。", True), ("発射した", False), ("Done.", True), ("（防衛省発表。）", True), ("「撤退する。」", True),
    ("本協定（以下「協定」という。）", False), ("発射した。（防衛省）", True), ("", True), ("第48条", False),
])
def test_ends_sentence(piece, ends):
    assert _ends_sentence(piece) is ends


def test_real_ginza_splits_are_joined(nlp):
    """The parser really splits these (checked here, so the test notices if a new model stops doing it)."""
    text = "関税定率法第21条第1項の規定に基づき、貨物の輸入を差し止めた。"
    doc = nlp(text)
    raw = [(s.start_char, s.end_char) for s in doc.sents]
    joined = join_false_splits(text, raw)
    assert [text[a:b] for a, b in joined] == [text]
    assert len(raw) > len(joined)


@pytest.mark.parametrize("text,starts,expected", [
    # an opening quote left behind by the English sentencizer moves to its sentence
    ('"We act now," said the minister. "The measures start today."', ['The measures'],
     ['"We act now," said the minister.', '"The measures start today."']),
    ("“We act now,” said the minister. “The measures start today.”", ["The measures"],
     ["“We act now,” said the minister.", "“The measures start today.”"]),
    # an aside in brackets made of whole sentences keeps them
    ("（なお、演習は3日間続いた。参加国は5か国である。）", ["参加国"],
     ["（なお、演習は3日間続いた。", "参加国は5か国である。）"]),
], ids=["ascii-quote", "curly-quote", "aside"])
def test_quotes_and_asides(text, starts, expected):
    spans = join_false_splits(text, pieces(text, cut_at(text, *starts)))
    assert [text[a:b].strip() for a, b in spans] == expected
