"""Kinds of fact (issue 15): what a number measures, its unit family, its time, and which claims of different
sources state one fact. Sentences are our own; each rule has cases that must NOT group or flag."""
import pytest

from pipeline.core import rules
from pipeline.core.records import Document
from pipeline.crosslang import facts
from pipeline.crosslang.align import Link
from pipeline.crosslang.dimensions import dimensions_of, unit_family
from pipeline.crosslang.fact_time import candidates, event_times
from pipeline.crosslang.fact_values import rounding, same_time, value_interval
from pipeline.crosslang.pairs import match_pair
from pipeline.extract.document import extract

DATA = rules.load("dimensions")
DIMENSION_EXAMPLES = [dict(e, dimension=e["dimension"] if e.get("dimension") is not None else d["id"])
                      for d in DATA["dimensions"] for e in d.get("examples", [])]
NEGATIVE_EXAMPLES = [dict(e, dimension=e.get("dimension") or "") for e in DATA.get("negative_examples", [])]


def _doc(text: str, doc_id: str = "t.ja", lang: str | None = None, published: str = ""):
    lang = lang or doc_id.rsplit(".", 1)[-1]
    return extract(Document(doc_id=doc_id, path=f"{doc_id}.txt", lang=lang, text=text, published=published))


def _rows(result):
    return [c.to_dict() for c in result.claims]


# ------------------------------------------------------------------------------------------- dimensions

@pytest.mark.parametrize("ex", DIMENSION_EXAMPLES + NEGATIVE_EXAMPLES,
                         ids=[e["text"][:20] for e in DIMENSION_EXAMPLES + NEGATIVE_EXAMPLES])
def test_dimension_examples(ex):
    lang = "ja" if any("\u3040" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff" for ch in ex["text"]) else "en"
    rows = _rows(_doc(ex["text"], f"x.{lang}"))
    found = dimensions_of(rows)
    mine = [r for r in rows if ex["surface"] in r["surface"]]     # the surface may grow a qualifier (を超える)
    assert mine, f"no claim {ex['surface']!r} in {[r['surface'] for r in rows]}"
    assert found[mine[0]["claim_id"]] == ex["dimension"]


# (sentence, surface, expected dimension): the nearest cue wins, another number of the family takes a cue
DIMENSION_CASES = [
    # one sentence, two measures of one launch: each number its own dimension
    ("The rocket flew 700 km, its apogee at 2,100 km.", "700 km", "flight_distance"),
    ("The rocket flew 700 km, its apogee at 2,100 km.", "2,100 km", "max_altitude"),
    ("弾道ミサイルは最高高度約1,200kmに達し、約650km飛翔した。", "約1,200km", "max_altitude"),
    ("弾道ミサイルは最高高度約1,200kmに達し、約650km飛翔した。", "約650km", "flight_distance"),
    # a list passes its cue on to the numbers that continue it
    ("関連予算の推移(90年度120億円,91年度135億円)を示す。", "135億円", "budget"),
    # negatives: no cue, a cue too far away, a cue of another unit family
    ("ミサイル発射に関する会合には各国から120人が参加した。", "120人", ""),
    ("The altitude record set decades ago by balloons was broken by a team that travelled 4 days.", "4 days", ""),
    ("その国の防衛費が増えている。一方、兵士は約3000人である。", "約3000人", ""),
]


@pytest.mark.parametrize("text,surface,expected", DIMENSION_CASES, ids=[c[1] for c in DIMENSION_CASES])
def test_dimension_cases(text, surface, expected):
    lang = "ja" if any("\u3040" <= ch <= "\u30ff" for ch in text) else "en"
    rows = _rows(_doc(text, f"x.{lang}"))
    mine = [r for r in rows if surface in r["surface"]]
    assert mine, [r["surface"] for r in rows]
    assert dimensions_of(rows)[mine[0]["claim_id"]] == expected


def test_unit_families_convert():
    assert unit_family("nautical_mile") == ("length", 1.852)
    assert unit_family("round")[0] == unit_family("missile")[0]
    assert unit_family("person") == ("person", 1.0)          # a unit of no family is its own


# ------------------------------------------------------------------------------------------ values, times

@pytest.mark.parametrize("value,tolerance", [(2417, 0.49), (4321.5, 0.049), (3200, 49), (1000, 100), (1, 0.1)])
def test_rounding_of_exact_figures(value, tolerance):
    assert rounding(value) == pytest.approx(tolerance)


@pytest.mark.parametrize("a,b,same", [
    ("2017", "2017-07-04", True), ("2017-07", "2017-07-04", True), ("2017-07-04", "2017-07-28", False),
    ("2022", "2023", False), ("2023-09/..", "2024", False), ("2023-09/..", "2023-09/..", True), ("", "2024", False),
])
def test_same_time(a, b, same):
    assert same_time(a, b) is same


def test_exact_figures_allow_their_rounding():
    assert value_interval({"value": 1000, "qualifier": "exact"}) == (900, 1100)
    lo, hi = value_interval({"value": 4321.5, "qualifier": "exact"})
    assert lo < 4321.5 < hi < 4322


# ------------------------------------------------------------------- grouping (claim rows of our own)

def claim(cid, doc, value, unit="kilometer", dimension="", time="", actors="PRK", qualifier="exact", lang=None,
          predicate="", value_max=None, time_source="sentence"):
    return {"claim_id": cid, "doc_id": doc, "lang": lang or doc.rsplit(".", 1)[-1], "surface": f"{value} {unit}",
            "value": value, "value_max": value_max, "unit": unit, "qualifier": qualifier, "time": time,
            "event_time": time, "time_source": time_source, "document_date": "", "actor_ids": actors,
            "recipient_ids": "", "predicate": predicate, "dimension": dimension}


def _grouped(claims, matches=None):
    rows, comps = facts.build(claims, matches)
    by = {}
    for r in comps:
        by.setdefault(r["fact_id"], []).append(r["claim_id"])
    return sorted((sorted(by[f["fact_id"]]), f["status"]) for f in rows)


GROUPING = [
    # the same altitude of one launch in two sources: one fact; the distance of that launch is another
    ("altitude-and-distance",
     [claim("a1", "uk.en", 4321.5, dimension="max_altitude", time="2024-03-15"),
      claim("a2", "un.en", 4321.5, dimension="max_altitude", time="2024-03-15"),
      claim("d1", "uk.en", 870, dimension="flight_distance", time="2024-03-15")],
     [(["a1", "a2"], "agree")]),
    # "just under 4,500" and 4,321.5: both can be true
    ("just-under",
     [claim("a1", "uk.en", 4500, dimension="max_altitude", time="2024-03-15", qualifier="less_than"),
      claim("a2", "un.en", 4321.5, dimension="max_altitude", time="2024-03-15")],
     [(["a1", "a2"], "compatible")]),
    # at least 4,000 and about 4,800 for one range: compatible, not a conflict
    ("at-least-vs-approx",
     [claim("r1", "wp.ja", 4000, dimension="max_range", time="2019-05-04", qualifier="at_least"),
      claim("r2", "un.en", 4800, dimension="max_range", time="2019-05-04", qualifier="approx")],
     [(["r1", "r2"], "compatible")]),
    # the same range figure for two launches of one month: two facts, never one
    ("different-launch-days",
     [claim("r1", "wp.ja", 4000, dimension="max_range", time="2019-05-04", qualifier="at_least"),
      claim("r2", "pc.ja", 4000, dimension="max_range", time="2019-05-09", qualifier="at_least")], []),
    # a time unknown in one source: not grouped across documents as if timeless
    ("untimed", [claim("r1", "wp.ja", 4000, dimension="max_range", time="2019-05-04"),
                 claim("r2", "pc.ja", 4000, dimension="max_range")], []),
    # different dimensions of one day never group, whatever the values
    ("range-vs-altitude", [claim("r1", "a.en", 3000, dimension="max_range", time="2020-01-01"),
                           claim("r2", "b.en", 3000, dimension="max_altitude", time="2020-01-01")], []),
    # no actor, no dimension and no event: nothing to compare safely
    ("no-actor", [claim("r1", "a.en", 3000, dimension="max_range", time="2020-01-01", actors=""),
                  claim("r2", "b.en", 3000, dimension="max_range", time="2020-01-01", actors="")], []),
    ("no-what", [claim("r1", "a.en", 12, unit="percent", time="2020"),
                 claim("r2", "b.en", 12, unit="percent", time="2020")], []),
    # 12 nautical miles and 22 km are one figure after conversion and rounding
    ("unit-conversion",
     [claim("z1", "a.ja", 12, unit="nautical_mile", dimension="max_range", time="2020"),
      claim("z2", "b.en", 22, dimension="max_range", time="2020")],
     [(["z1", "z2"], "compatible")]),
    # a breadth set by law compares without a time or an actor (12 nautical miles ≈ 22 km), never conflicts …
    ("maritime-breadth",
     [claim("w1", "a.ja", 12, unit="nautical_mile", dimension="contiguous_zone_breadth", actors=""),
      claim("w2", "b.en", 22, dimension="contiguous_zone_breadth", actors=""),
      claim("w3", "c.en", 40, dimension="contiguous_zone_breadth", actors="")],
     [(["w1", "w2"], "compatible")]),
    # … and one zone's breadth is not another's
    ("territorial-vs-contiguous",
     [claim("w1", "a.ja", 12, unit="nautical_mile", dimension="territorial_sea_breadth", actors=""),
      claim("w2", "b.en", 12, unit="nautical_mile", dimension="contiguous_zone_breadth", actors="")], []),
    # two sources, the very same day, values that cannot both be true: the one real conflict
    ("conflict", [claim("c1", "a.en", 600, dimension="flight_distance", time="2021-03-25"),
                  claim("c2", "b.en", 450, dimension="flight_distance", time="2021-03-25")],
     [(["c1", "c2"], "conflict")]),
    # … but not when a time only comes from the context or the dateline
    ("carried-time-no-conflict",
     [claim("c1", "a.en", 600, dimension="flight_distance", time="2021-03-25", time_source="dateline"),
      claim("c2", "b.en", 450, dimension="flight_distance", time="2021-03-25")], []),
    # a year and a day of it: one fact where values agree, never a conflict
    ("year-contains-day", [claim("c1", "a.en", 600, dimension="flight_distance", time="2021"),
                           claim("c2", "b.en", 450, dimension="flight_distance", time="2021-03-25")], []),
    # a document does not contradict itself: two missiles of one day are two facts
    ("two-missiles-one-day",
     [claim("m1", "a.en", 350, dimension="flight_distance", time="2018-09-02"),
      claim("m2", "a.en", 450, dimension="flight_distance", time="2018-09-02"),
      claim("m3", "b.ja", 350, dimension="flight_distance", time="2018-09-02"),
      claim("m4", "b.ja", 450, dimension="flight_distance", time="2018-09-02")],
     [(["m1", "m3"], "agree"), (["m2", "m4"], "agree")]),
    # a part and its whole in one document, one of them in another: no conflict, no merge of the two
    ("part-whole", [claim("p1", "a.en", 3, unit="missile", predicate="launched", time="2021-10-19"),
                    claim("p2", "a.en", 2, unit="missile", predicate="launched", time="2021-10-19"),
                    claim("p3", "b.ja", 3, unit="round", predicate="発射する", time="2021-10-19")],
     [(["p1", "p3"], "agree")]),
    # two grants of one document whose figures overlap given 約: still two facts
    ("two-grants-one-document",
     [claim("g1", "a.ja", 300000, unit="USD", predicate="供与する", time="2014", actors="JPN"),
      claim("g2", "a.ja", 270000, unit="USD", predicate="供与する", time="2014", actors="JPN", qualifier="approx"),
      claim("g3", "b.en", 300000, unit="USD", predicate="provided", time="2014", actors="JPN")],
     [(["g1", "g3"], "agree")]),
    # counts of different years: two facts even where the qualifiers would allow both
    ("different-years", [claim("y1", "a.ja", 40, unit="round", predicate="発射する", time="2019", qualifier="at_least"),
                         claim("y2", "b.ja", 30, unit="round", predicate="発射する", time="2020", qualifier="at_least")],
     []),
    # one document alone is no fact across sources
    ("one-document", [claim("o1", "a.ja", 3, unit="round", predicate="発射する", time="2022"),
                      claim("o2", "a.ja", 3, unit="round", predicate="発射する", time="2022")], []),
]


@pytest.mark.parametrize("claims,expected", [g[1:] for g in GROUPING], ids=[g[0] for g in GROUPING])
def test_grouping_kinds(claims, expected):
    assert _grouped(claims) == expected


# --------------------------------------------------------------------------------- translation pairs

PAIR = "p.ja~p.en"


def test_translation_difference_is_not_a_conflict_and_is_listed_once():
    # the same altitude said twice in one pair, once with a differing qualifier: one fact, no conflict
    claims = [claim("j1", "p.ja", 3000, dimension="max_altitude"), claim("e1", "p.en", 3000, dimension="max_altitude",
                                                                          qualifier="more_than"),
              claim("j2", "p.ja", 3000, dimension="max_altitude"), claim("e2", "p.en", 3000, dimension="max_altitude",
                                                                          qualifier="more_than")]
    matches = [{"pair_id": PAIR, "ja_claim_id": "j1", "en_claim_id": "e1", "status": "qualifier_mismatch"},
               {"pair_id": PAIR, "ja_claim_id": "j2", "en_claim_id": "e2", "status": "qualifier_mismatch"}]
    assert _grouped(claims, matches) == [(["e1", "e2", "j1", "j2"], "translation_mismatch")]


def test_counterparts_with_values_that_cannot_both_be_true_stay_apart():
    claims = [claim("j1", "p.ja", 1, unit="year_duration"), claim("e1", "p.en", 5, unit="year_duration")]
    matches = [{"pair_id": PAIR, "ja_claim_id": "j1", "en_claim_id": "e1", "status": "value_mismatch"}]
    assert _grouped(claims, matches) == []


JA_LAUNCH = "ミサイルは高度約2,000キロに達し、約700キロ飛翔し、島の西約120キロ、岬の北約80キロに落下した。"
EN_LAUNCH = ("Its apogee was about 2,000 km; it travelled about 700 km and came down about 120 km west of an island "
             "and about 80 km north of a cape.")


def test_counterparts_by_dimension_and_figure():
    ja, en = _doc(JA_LAUNCH, "p.ja"), _doc(EN_LAUNCH, "p.en")
    rows = [m for m in match_pair(ja, en, [Link([0], [0], 1.0)], PAIR) if m.kind == "claim"]
    surface = {c.claim_id: c.surface for c in ja.claims + en.claims}
    pairs = {(surface.get(m.ja_id), surface.get(m.en_id), m.status) for m in rows}
    assert ("約120キロ", "about 120 km", "match") in pairs      # never the 80 of the same sentence
    assert ("約80キロ", "about 80 km", "match") in pairs
    assert ("約2,000キロ", "about 2,000 km", "match") in pairs


# (JA sentence, EN sentence, status of the JA claim's match): units of one family, or a generic counter and a count
COUNTERPARTS = [
    ("政府は本日、二つの文書を決定した。", "Today the government adopted two documents.", "match"),
    ("北朝鮮は弾道ミサイルを一発発射した。", "North Korea fired one missile.", "match"),
    # the same figure in units that never compare: shown as a unit_mismatch, never tied into a fact
    ("政府は二つの文書を決定した。", "The government adopted two percent of it.", "unit_mismatch"),
    # another dimension of one launch is no counterpart
    ("ミサイルは約600キロ飛翔した。", "Its apogee was about 600 km.", "missing_in_en"),
]


@pytest.mark.parametrize("ja_text,en_text,status", COUNTERPARTS,
                         ids=[c[2] + str(i) for i, c in enumerate(COUNTERPARTS)])
def test_counterparts(ja_text, en_text, status):
    ja, en = _doc(ja_text, "p.ja"), _doc(en_text, "p.en")
    rows = [m for m in match_pair(ja, en, [Link([0], [0], 1.0)], PAIR) if m.kind == "claim" and m.ja_id]
    assert [m.status for m in rows] == [status], [(m.status, m.detail) for m in rows]


def test_two_durations_in_one_sentence_each_find_their_own():
    ja = _doc("この一年間でも、3年ぶりの出来事があった。", "p.ja")
    en = _doc("This had not happened for three years.", "p.en")
    rows = [m for m in match_pair(ja, en, [Link([0], [0], 1.0)], PAIR) if m.kind == "claim"]
    surface = {c.claim_id: c.surface for c in ja.claims + en.claims}
    assert not any(surface.get(m.ja_id) == "一年間" and m.en_id for m in rows)


# ------------------------------------------------------------------------------------------ event time

def test_relative_day_and_context_and_dateline():
    text = ("発表\n\n令和6年3月10日\n\n北朝鮮は、本日、弾道ミサイル1発を発射した。\n\n"
            "同ミサイルは約500km飛翔した。\n\n政府は関係国と連携し、2名の担当官を派遣する。\n")
    r = _doc(text, "d.ja")
    times = event_times(r)[0]
    by = {c.surface: times[c.claim_id] for c in r.claims}
    assert by["1発"] == ("2024-03-10", "relative")
    assert by["約500km"] == ("2024-03-10", "context")
    assert event_times(r)[1] == "2024-03-10"


def test_no_date_no_time():
    r = _doc("ミサイルは約500km飛翔した。", "d.ja")
    assert event_times(r)[0][r.claims[0].claim_id] == ("", "")


def test_candidates_carry_what_facts_need():
    r = _doc("2024年5月1日\n\nミサイルは約500km飛翔した。\n", "d.ja")
    rows = candidates(_rows(r), set(), r)
    assert rows and rows[0]["dimension"] == "flight_distance" and rows[0]["event_time"] == "2024-05-01"
    assert "sentence" not in rows[0]


# ------------------------------------------------------------------- end to end: two sources, one launch

LAUNCH_JA = ("防衛省発表\n\n令和6年3月15日\n\n本日、北朝鮮は、ICBM級弾道ミサイル1発を発射しました。\n\n"
             "北朝鮮のミサイルは、最高高度約6,000km程度に達し、約900km飛んだと推定される。\n")
LAUNCH_EN = ("Council briefing\n\nOn 15 March 2024, North Korea fired a missile that travelled 960 km, with an "
             "apogee of 5,900 km.\n")


def test_two_sources_of_one_launch_give_one_fact_per_dimension():
    rows = []
    for doc_id, text in (("mod.ja", LAUNCH_JA), ("un.en", LAUNCH_EN)):
        r = _doc(text, doc_id)
        rows += candidates(_rows(r), set(), r)
    facts_rows, comparisons = facts.build(rows)
    by_dimension = {f["dimension"]: f for f in facts_rows}
    assert set(by_dimension) == {"max_altitude", "flight_distance"}, facts_rows
    assert all(f["status"] != "conflict" and f["time"] == "2024-03-15" and f["sources"] == 2 for f in facts_rows)
    assert by_dimension["max_altitude"]["value_range"] == "5900–6000"


# ------------------------------------------------------------------------------------------------- events

EVENT_EXAMPLES = [(e["id"], ex) for e in rules.load("events")["events"] for ex in e.get("examples", [])]


@pytest.mark.parametrize("event,text", EVENT_EXAMPLES, ids=[f"{e}-{t[:12]}" for e, t in EVENT_EXAMPLES])
def test_event_examples(event, text):
    # the predicate found for the example's number, when one is found, is a verb of the example's event
    rows = _rows(_doc(text, "x.en" if text.isascii() else "x.ja"))
    assert rows and all(facts.event_of(r) == event for r in rows if r["predicate"]), rows
