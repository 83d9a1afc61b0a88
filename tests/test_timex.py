import pytest

from pipeline.core.records import TimeExpr
from pipeline.lang.base import time_for
from pipeline.lang.ja.timex import TimeResolver

# sentences of one document in order (the year in force carries over), doc published 2024
SEQUENCE = [
    ("北朝鮮は2024年終わり頃から派遣し、2025年1～3月には追加派遣した。", ["2024", "2025-01/2025-03"]),
    ("2024 年 3 月、ロシアは拒否権を行使した。", ["2024-03"]),
    ("その結果、同年 4 月、専門家パネルが活動を終えた。", ["2024-04"]),
    ("同年 3～10 月にロシアが供給した。", ["2024-03/2024-10"]),
    ("10 月には第 2 回報告書を公表した。", ["2024-10"]),
    ("韓国は1960年代から70年代にかけ派兵した。", ["1960/1979"]),
    ("令和6年10月16日", ["2024-10-16"]),
    ("本年4月に活動が終了した。", ["2024-04"]),
    ("2023年9月以来、供給している。", ["2023-09/.."]),
    ("2024年11月以降、提供した。", ["2024-11/.."]),
    ("3か月で完了し、8年間駐留し、5日間続いた。", []),
]


def test_sequence():
    r = TimeResolver(doc_year=2024)
    for text, expected in SEQUENCE:
        assert [t.value for t in r.find(text)] == expected, text


def test_same_year_without_antecedent_is_not_invented():
    assert TimeResolver().find("同年 4 月に終わった。") == []


@pytest.mark.parametrize("start,expected", [(5, "2024"), (20, "2025"), (0, "2024")])
def test_time_for_prefers_nearest_before(start, expected):
    times = [TimeExpr(2, 4, "2024"), TimeExpr(10, 15, "2025")]
    assert time_for(start, times) == expected


# white papers write the Western year with the era year in parentheses (or the other way round), then 同 for the
# era named last; the time is the Western year
WHITE_PAPER_YEARS = [
    ("2016（平成28）年に増加した。", ["2016"]),
    ("15(平成27)年度予算を編成した。", ["2015"]),
    ("16（同28）年には減少した。", ["2016"]),
    ("平成30(2018)年6月12日に会談した。", ["2018-06-12"]),
    ("令和4（2022）年11月に公表した。", ["2022-11"]),
    ("令和元（2019）年以降、続いている。", ["2019/.."]),
]


def test_western_year_with_era_in_parentheses():
    r = TimeResolver(doc_year=2024)
    for text, expected in WHITE_PAPER_YEARS:
        assert [t.value for t in r.find(text)] == expected, text


def test_same_era_without_antecedent_is_not_invented():
    assert TimeResolver().find("16（同28）年に減少した。") == []


def test_same_month():
    r = TimeResolver(doc_year=2024)
    assert [t.value for t in r.find("2023年7月12日に発射した。")] == ["2023-07-12"]
    assert [t.value for t in r.find("同月19日にも発射し、同月中に3回に及んだ。")] == ["2023-07-19", "2023-07"]
    assert [t.value for t in r.find("2022年には増えた。同月の統計。")] == ["2022"]   # no month in force
    assert TimeResolver().find("同月5日に発表した。") == []


def test_kanji_digit_years():
    r = TimeResolver(doc_year=1985)
    assert [t.value for t in r.find("一九八二年六月に署名し、一九七〇年代から続いた。")] == ["1982-06", "1970/1979"]
