"""Quantity rules, table-driven: (sentence, expected rows) with the real ja_ginza model."""
import pytest

# each expected row: (surface, value, value_max, unit, qualifier, object)
CASES = [
    ("北朝鮮は2024年終わり頃から1万1000人以上の兵士をロシアに派遣し、2025年1～3月には3000人以上の兵士を追加派遣した。",
     [("1万1000人以上", 11000, None, "person", "at_least", "兵士"), ("3000人以上", 3000, None, "person", "at_least", "兵士")]),
    ("当時の価値で10億2200万ドル、現在の価値で240億ドル（3.6兆円程度）の特需を得たと推定されている。",
     [("10億2200万ドル", 1022000000, None, "USD", "exact", ""), ("240億ドル", 24000000000, None, "USD", "exact", ""),
      ("3.6兆円程度", 3600000000000, None, "JPY", "approx", "")]),
    ("IT 労働者の圧倒的多数である約 1,000~1,500 人は中国を拠点として活動している。",
     [("約 1,000~1,500 人", 1000, 1500, "person", "approx", "")]),
    ("1,000～1,500人が活動している。", [("1,000～1,500人", 1000, 1500, "person", "range", "")]),
    ("1000人から1500人が活動している。", [("1000人から1500人", 1000, 1500, "person", "range", "")]),
    ("ロシアが 100 万バレル以上の石油精製品を北朝鮮に供給した。",
     [("100 万バレル以上", 1000000, None, "barrel", "at_least", "石油精製品")]),
    ("これは安保理決議で定められた年間上限 50 万バレルを超えるものであった。",
     [("上限 50 万バレル", 500000, None, "barrel", "at_most", "")]),
    ("北朝鮮は数十億ドルの外貨収入を得ており、数千人の労働者を送った。",
     [("数十億ドル", None, None, "USD", "vague", "外貨収入"), ("数千人", None, None, "person", "vague", "労働者")]),
    ("三千人の兵士と１２，０００人の労働者。", [("三千人", 3000, None, "person", "exact", "兵士"),
                                              ("１２，０００人", 12000, None, "person", "exact", "労働者")]),
    ("北朝鮮はロシアに2万個以上のコンテナによって武器を供給した。",
     [("2万個以上", 20000, None, "container", "at_least", "コンテナ")]),
    ("2024年には、100発以上の弾道ミサイル、3個旅団分の火砲等を提供した。",
     [("100発以上", 100, None, "missile", "at_least", "弾道ミサイル"), ("3個旅団分", 3, None, "brigade", "exact", "火砲")]),
    ("国連安保理の常任理事国のうち、少なくとも 2 カ国のいずれかの支援が期待できる。",
     [("少なくとも 2 カ国", 2, None, "country", "at_least", "")]),
    ("死者は1万人を超える。", [("1万人を超える", 10000, None, "person", "more_than", "")]),
    ("兵士は5000人未満、予算は3億ドル以下、参加は10か国超。",
     [("5000人未満", 5000, None, "person", "less_than", ""), ("3億ドル以下", 300000000, None, "USD", "at_most", ""),
      ("10か国超", 10, None, "country", "more_than", "")]),
    ("軍事支援に賛成する人が 51%と、わずかに反対を上回った。", [("51%", 51, None, "percent", "exact", "")]),
    ("支持は４３．５％だった。", [("４３．５％", 43.5, None, "percent", "exact", "")]),
    ("韓国は韓国兵のべ35万人をベトナムに派兵した。", [("35万人", 350000, None, "person", "exact", "韓国兵")]),
    # negatives: dates, ordinals, names with numbers, section numbers, footnote markers, "one of"
    ("2024 年 6 月に締結された条約の第 4 条は規定している。", []),
    ("MSMT は第 1 回報告書と第2回報告書を公表した。", []),
    ("決議第396号を採択した。", []),
    ("1718委員会での議論に貢献する。", []),
    ("トランプが「G2」という用語を使用した。", []),
    ("これは重要である1。", []),
    ("韓国に泣き寝入りを迫る方法の 1 つに核による威嚇がある。", []),
    ("一方、統一は一層困難になった。", []),
    ("複数回の発射が確認された。", []),
    # a paragraph number before a word that starts like a counter (本 = "this": 本10日, 本日)
    ("2 本10日、外務省は声明を発表した。", []),
    ("3 本日、政府は方針を決定した。", []),
]


@pytest.mark.parametrize("text,expected", CASES, ids=[c[0][:18] for c in CASES])
def test_quantities(nlp, text, expected):
    doc = nlp(text)
    got = [(doc.text[q.start:q.end], q.value, q.value_max, q.unit, q.qualifier, q.object)
           for q in (sp._.quantity for sp in doc.spans["quantities"])]
    assert got == expected


def test_heading_section_number_is_not_a_quantity(nlp, finder):
    doc = nlp("2 つの台湾海峡の安全保障への影響")
    assert [q.value for q in finder.find(doc, heading=True)] == []
    assert [q.value for q in finder.find(doc, heading=False)] == [2]


def test_unknown_counter_is_kept_with_empty_unit(nlp):
    doc = nlp("牧場の牛12頭が死んだ。")
    qs = [sp._.quantity for sp in doc.spans["quantities"]]
    assert [(q.value, q.unit, q.unit_surface) for q in qs] == [(12, "", "頭")]


def test_sudachi_norm_agrees_with_parser(seed_result):
    """Sudachi's normalised numerals (token.norm_) and our parser agree on every seed claim."""
    checks = {c.surface: c.norm_check for c in seed_result.claims if c.norm_check != "n/a"}
    assert checks and all(v == "ok" for v in checks.values()), checks
