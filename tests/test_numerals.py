import pytest

from pipeline.core.numerals import as_number, big_unit, find_numerals, fold, parse_number, range_scale, width_switch

CASES = [
    ("1万1000", 11000), ("10億2200万", 1022000000), ("3.6兆", 3600000000000), ("5,000", 5000),
    ("１２，０００", 12000), ("三千", 3000), ("100 万", 1000000), ("一万二千", 12000), ("二十五", 25),
    ("240億", 24000000000), ("35万", 350000), ("二〇二四", 2024), ("43.5", 43.5), ("千", 1000),
    # kanji in every form, mixed arabic + kanji place words, a middle dot as decimal point, PDF spaces
    ("八十二万", 820000), ("五十六万七千", 567000), ("二百五万", 2050000), ("四〇〇万", 4000000),
    ("61兆2千億", 61200000000000), ("４５・８兆", 45800000000000), ("3500千", 3500000), ("1,230百万", 1230000000),
    ("2 万 3000", 23000), ("三十七", 37),
    # positional kanji with 、 between groups of three (older white papers, Bluebooks)
    ("一、二三四億", 123400000000), ("二、三〇〇", 2300), ("五〇、〇〇〇", 50000),
]


@pytest.mark.parametrize("surface,expected", CASES)
def test_parse_number(surface, expected):
    assert as_number(parse_number(surface)) == expected


@pytest.mark.parametrize("bad", ["", "abc", "兵士"])
def test_parse_number_rejects(bad):
    with pytest.raises(ValueError):
        parse_number(bad)


def test_fold_keeps_length():
    text = "１２，０００人　約５％～１０％"
    assert len(fold(text)) == len(text)
    assert fold(text) == "12,000人 約5%~10%"


@pytest.mark.parametrize("text,expected", [
    ("令和２年（２０２０15人）", ["2", "2020", "15"]),            # a width switch ends a number
    ("歳入は61兆2千億円", ["61兆2千億"]),
    ("第1・2期と４５・８兆円", ["1", "2", "45・8兆"]),           # the dot is a decimal point only before 万億兆 %
    ("1,000~1,500人", ["1,000", "1,500"]),
    ("一、二三四億円と二、三百人、一、二年", ["一、二三四億", "二", "三百", "一", "二"]),   # 、 groups only three digits
])
def test_find_numerals(text, expected):
    assert [m.group() for m in find_numerals(text)] == expected


def test_width_switch_and_big_unit():
    assert width_switch("２０２０15", 4) and not width_switch("２０２０15", 3) and not width_switch("2020", 2)
    assert (big_unit("5万"), big_unit("3"), big_unit("1億2000万")) == (10000, 1, 10000)


@pytest.mark.parametrize("surface,expected", [("5万", 10000), ("三百", 100), ("三十", 10), ("十", 10), ("300", 1),
                                              ("三百五十", 1), ("二", 1)])
def test_range_scale(surface, expected):
    assert range_scale(surface) == expected
