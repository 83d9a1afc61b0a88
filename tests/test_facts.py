"""Facts across sources: grouping (never across actors, times or documents without a time) and status."""
import pytest

from pipeline.extract.document import extract
from pipeline.crosslang.facts import build, group, time_interval, value_interval
from pipeline.core.records import Document


def claims_of(*docs):
    rows = []
    for i, (lang, text) in enumerate(docs):
        r = extract(Document(doc_id=f"d{i}.{lang}", path=f"d{i}.{lang}.txt", lang=lang, text=text))
        rows += [c.to_dict() for c in r.claims]
    return rows


@pytest.mark.parametrize("claim,interval", [
    ({"value": 10000, "qualifier": "at_least"}, (10000, float("inf"))),
    ({"value": 5000, "qualifier": "approx"}, (4500, 5500)),
    ({"value": 1000, "value_max": 1500, "qualifier": "range"}, (1000, 1500)),
    ({"value": None, "qualifier": "vague", "surface": "数千人"}, (1000, 9999)),
    ({"value": None, "qualifier": "vague", "surface": "several thousand troops"}, (1000, 9999)),
])
def test_value_interval(claim, interval):
    lo, hi = value_interval(claim)
    assert (pytest.approx(lo), hi if hi == float("inf") else pytest.approx(hi)) == interval


def test_time_interval():
    assert [str(d) for d in time_interval("2025-01/2025-03")] == ["2025-01-01", "2025-03-31"]
    assert time_interval("2023-09/..")[1].year == 9999
    assert time_interval("") is None


# (documents, expected facts as sorted lists of surfaces with the fact status)
CASES = [
    # one statement without a time: compared only within a translation pair, never across sources (issue 15)
    ([("ja", "北朝鮮は1万人以上の兵士をロシアに派遣した。"),
      ("ja", "北朝鮮は2024年終わり頃から1万1000人以上の兵士をロシアに派遣した。")], []),
    # across languages: 派遣 / sent are one event
    ([("ja", "北朝鮮は2024年に1万1000人の兵士をロシアに派遣した。"),
      ("en", "North Korea sent 11,000 soldiers to Russia in 2024.")],
     [(["11,000 soldiers", "1万1000人"], "agree")]),
    # the same time, values that cannot both be true → conflict
    ([("ja", "北朝鮮は2024年に1万人の兵士をロシアに派遣した。"),
      ("ja", "北朝鮮は2024年に1万2000人の兵士をロシアに派遣した。")],
     [(["1万2000人", "1万人"], "conflict")]),
    # a vague 数千 and 3,000 are compatible
    ([("ja", "北朝鮮は2024年に数千人の兵士をロシアに派遣した。"),
      ("en", "North Korea sent about 3,000 soldiers to Russia in 2024.")],
     [(["about 3,000 soldiers", "数千人"], "compatible")]),
    # different actors never merge
    ([("ja", "北朝鮮は2024年に1万人の兵士をロシアに派遣した。"),
      ("ja", "韓国は2024年に1万人の兵士をロシアに派遣した。")], []),
    # different years, exact values: separate facts, not a conflict
    ([("ja", "北朝鮮は2023年に5000人の兵士をロシアに派遣した。"),
      ("ja", "北朝鮮は2024年に6000人の兵士をロシアに派遣した。")], []),
    # different years, even where the qualifiers would allow both: two facts (issue 15: the same time)
    ([("ja", "北朝鮮は2024年に1万人以上の兵士をロシアに派遣した。"),
      ("ja", "北朝鮮は2025年に1万1000人以上の兵士をロシアに派遣した。")], []),
    # a year and a month of it, values that can both be true: one fact
    ([("ja", "北朝鮮は2024年に1万人以上の兵士をロシアに派遣した。"),
      ("en", "North Korea sent more than 11,000 soldiers to Russia in November 2024.")],
     [(["1万人以上", "more than 11,000 soldiers"], "compatible")]),
    # different units never merge
    ([("ja", "ロシアは2024年に100万バレルの石油を北朝鮮に供給した。"),
      ("ja", "ロシアは2024年に100万トンの石油を北朝鮮に供給した。")], []),
]


@pytest.mark.parametrize("docs,expected", CASES, ids=[str(i) for i in range(len(CASES))])
def test_grouping(docs, expected):
    facts, comparisons = build(claims_of(*docs))
    got = []
    for f in facts:
        surfaces = sorted(r["surface"] for r in comparisons if r["fact_id"] == f["fact_id"])
        got.append((surfaces, f["status"]))
    assert got == expected


def test_translation_matches_join_one_fact():
    rows = claims_of(("ja", "北朝鮮は兵士1万1000人以上を派遣した。"), ("en", "Over 11,000 troops were deployed."))
    ja = [r for r in rows if r["lang"] == "ja"][0]
    en = [r for r in rows if r["lang"] == "en"][0]
    assert group(rows) == []     # no shared actor: not grouped by the rules alone
    facts = group(rows, [{"ja_claim_id": ja["claim_id"], "en_claim_id": en["claim_id"], "status": "match"}])
    assert [sorted(c["claim_id"] for c in f.claims) for f in facts] == [sorted([ja["claim_id"], en["claim_id"]])]


def test_one_document_alone_states_no_fact_across_sources(seed_result):
    # the seed essay restates its figures: a fact needs a second source
    facts, _ = build([c.to_dict() for c in seed_result.claims])
    assert facts == []


def test_labels_name_dimension_and_time():
    rows = [{"claim_id": f"c{i}", "doc_id": doc, "lang": doc[-2:], "surface": "1,100 km", "value": 1100,
             "value_max": None, "unit": "kilometer", "qualifier": "exact", "time": "2023-07-12", "actor_ids": "PRK",
             "recipient_ids": "", "predicate": "", "dimension": "flight_distance"} for i, doc in enumerate(("a.ja", "b.en"))]
    facts, comparisons = build(rows)
    assert facts[0]["label_en"] == "Democratic People's Republic of Korea: launch — flight distance (kilometer, 2023-07-12)"
    assert facts[0]["label_ja"].endswith("発射 — 飛翔距離 (kilometer, 2023-07-12)")
    assert facts[0]["dimension"] == "flight_distance" and facts[0]["time"] == "2023-07-12"
    assert {r["dimension"] for r in comparisons} == {"flight_distance"}


def test_comparison_reasons_stay_short():
    # hundreds of sources of one fact, their figures for one year far apart: a reason names a few, counts the rest
    claims = [{"claim_id": f"c{i}", "doc_id": f"d{i}.ja", "lang": "ja", "surface": f"{1000 + 10 * i}人",
               "value": 1000 + 10 * i, "value_max": None, "unit": "person", "qualifier": "exact", "time": "2024",
               "actor_ids": "PRK", "recipient_ids": "", "predicate": "派遣する"} for i in range(300)]
    facts, rows = build(claims)
    assert len(facts) == 1 and facts[0]["status"] == "conflict"
    assert max(len(r["reason"]) for r in rows) < 400 and any("more claim(s)" in r["reason"] for r in rows)
