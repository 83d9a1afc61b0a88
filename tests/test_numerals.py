import pytest

from pipeline.core.numerals import as_number, fold, parse_number

CASES = [
    ("1万1000", 11000), ("10億2200万", 1022000000), ("3.6兆", 3600000000000), ("5,000", 5000),
    ("１２，０００", 12000), ("三千", 3000), ("100 万", 1000000), ("一万二千", 12000), ("二十五", 25),
    ("240億", 24000000000), ("35万", 350000), ("二〇二四", 2024), ("43.5", 43.5), ("千", 1000),
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
