"""English quantities and times, table-driven: (sentence, expected rows). Plain regex finder, no spaCy model."""
import pytest

from pipeline.core import rules
from pipeline.core.records import Quantity
from pipeline.lang.en.quantities import QuantityFinderEn, find_quantities_en
from pipeline.core.records import TimeExpr
from pipeline.lang.base import time_for
from pipeline.lang import backend

CANONICAL_QUALIFIERS = {"exact", "approx", "at_least", "more_than", "at_most", "less_than", "range", "vague"}


def _rows(text):
    return [(text[q.start:q.end], q.value, q.value_max, q.unit, q.qualifier, q.object)
            for q in find_quantities_en(text)]


# each expected row: (surface, value, value_max, unit, qualifier, object)
CASES = [
    ("North Korea has sent more than 11,000 soldiers to Russia since late 2024.",
     [("more than 11,000 soldiers", 11000, None, "person", "more_than", "soldiers")]),
    ("Some 11,000 North Korean soldiers were deployed to Kursk.",
     [("Some 11,000 North Korean soldiers", 11000, None, "person", "approx", "North Korean soldiers")]),
    ("In early 2025 it sent 3,000 troops or more.",
     [("3,000 troops or more", 3000, None, "person", "at_least", "troops")]),
    ("Russia supplied over 1 million barrels of refined petroleum products between March and October 2024.",
     [("over 1 million barrels", 1000000, None, "barrel", "more_than", "refined petroleum products")]),
    ("This exceeded the annual cap of 500,000 barrels set by the Security Council.",
     [("cap of 500,000 barrels", 500000, None, "barrel", "at_most", "")]),
    ("The DPRK stole at least $2.8 billion in crypto assets.",
     [("at least $2.8 billion", 2800000000, None, "USD", "at_least", "crypto assets")]),
    ("It earned US$1.022 billion then, $24 billion in today's value (about 3.6 trillion yen).",
     [("US$1.022 billion", 1022000000, None, "USD", "exact", ""),
      ("$24 billion", 24000000000, None, "USD", "exact", "today's value"),
      ("about 3.6 trillion yen", 3600000000000, None, "JPY", "approx", "")]),
    ("Revenue reached $2.8bn, USD 5 million and 300 million euros.",
     [("$2.8bn", 2800000000, None, "USD", "exact", ""), ("USD 5 million", 5000000, None, "USD", "exact", ""),
      ("300 million euros", 300000000, None, "EUR", "exact", "")]),
    ("The overwhelming majority, about 1,000-1,500 IT workers, are based in China.",
     [("about 1,000-1,500 IT workers", 1000, 1500, "person", "approx", "IT workers")]),
    ("1,000-1,500 workers are active.", [("1,000-1,500 workers", 1000, 1500, "person", "range", "workers")]),
    ("Between 1,000 and 1,500 workers are active.",
     [("Between 1,000 and 1,500 workers", 1000, 1500, "person", "range", "workers")]),
    ("It sent 1,000 to 1,500 workers.", [("1,000 to 1,500 workers", 1000, 1500, "person", "range", "workers")]),
    ("The deal was worth $1-2 billion.", [("$1-2 billion", 1000000000, 2000000000, "USD", "range", "")]),
    ("Support rose by 10%-15% this year.", [("10%-15%", 10, 15, "percent", "range", "")]),
    ("North Korea earns billions of dollars in revenue and sent several thousand troops.",
     [("billions of dollars", None, None, "USD", "vague", "revenue"),
      ("several thousand troops", None, None, "person", "vague", "troops")]),
    ("Tens of thousands of workers and hundreds of Laotian engineers, dozens of ships.",
     [("Tens of thousands of workers", None, None, "person", "vague", "workers"),
      ("hundreds of Laotian engineers", None, None, "person", "vague", "Laotian engineers"),
      ("dozens of ships", None, None, "ship", "vague", "ships")]),
    ("The DPRK sent millions of rounds of ammunition to several countries.",
     [("millions of rounds", None, None, "round", "vague", "ammunition"),
      ("several countries", None, None, "country", "vague", "countries")]),
    ("Three thousand soldiers and 12,000 workers.",
     [("Three thousand soldiers", 3000, None, "person", "exact", "soldiers"),
      ("12,000 workers", 12000, None, "person", "exact", "workers")]),
    ("Full-width: １２，０００ workers.", [("１２，０００ workers", 12000, None, "person", "exact", "workers")]),
    ("It shipped more than 20,000 containers to Russia.",
     [("more than 20,000 containers", 20000, None, "container", "more_than", "containers")]),
    ("In 2024 it provided 100 ballistic missiles or more and three brigades' worth of guns.",
     [("100 ballistic missiles or more", 100, None, "missile", "at_least", "ballistic missiles"),
      ("three brigades", 3, None, "brigade", "exact", "brigades")]),
    ("Support from at least two countries among the permanent members can be expected.",
     [("at least two countries", 2, None, "country", "at_least", "countries")]),
    ("There were fewer than 5,000 soldiers, under $300 million and over ten nations.",
     [("fewer than 5,000 soldiers", 5000, None, "person", "less_than", "soldiers"),
      ("under $300 million", 300000000, None, "USD", "less_than", ""),
      ("over ten nations", 10, None, "country", "more_than", "nations")]),
    ("Nearly 3,000 troops and almost 40 vessels; up to 15,000 workers; no more than 5 ships.",
     [("Nearly 3,000 troops", 3000, None, "person", "less_than", "troops"),
      ("almost 40 vessels", 40, None, "ship", "less_than", "vessels"),
      ("up to 15,000 workers", 15000, None, "person", "at_most", "workers"),
      ("no more than 5 ships", 5, None, "ship", "at_most", "ships")]),
    ("Roughly 200 entities and approximately 70 individuals; in excess of 100 vessels; exceeding 10 tankers.",
     [("Roughly 200 entities", 200, None, "organization", "approx", "entities"),
      ("approximately 70 individuals", 70, None, "person", "approx", "individuals"),
      ("in excess of 100 vessels", 100, None, "ship", "more_than", "vessels"),
      ("exceeding 10 tankers", 10, None, "ship", "more_than", "tankers")]),
    ("71% of respondents backed aid, and 51 percent supported it.",
     [("71%", 71, None, "percent", "exact", "respondents"), ("51 percent", 51, None, "percent", "exact", "")]),
    ("Support fell from 88 per cent in 2022 to 71% in 2024.",
     [("88 per cent", 88, None, "percent", "exact", ""), ("71%", 71, None, "percent", "exact", "")]),
    ("South Korean troops stayed in Vietnam for 8 years and the drill lasted 5 days.",
     [("8 years", 8, None, "year_duration", "exact", ""), ("5 days", 5, None, "day_duration", "exact", "")]),
    ("It deployed 2000 soldiers.", [("2000 soldiers", 2000, None, "person", "exact", "soldiers")]),
    ("China has 2 aircraft carriers, 3 rocket launchers and 1,000 container ships; 6 rocket engines.",
     [("2 aircraft carriers", 2, None, "ship", "exact", "aircraft carriers"),
      ("3 rocket launchers", 3, None, "launcher", "exact", "rocket launchers"),
      ("1,000 container ships", 1000, None, "ship", "exact", "container ships"),
      ("6 rocket engines", 6, None, "engine", "exact", "rocket engines")]),
    ("It sent 5 million US dollars and $250 million to $600 million annually.",
     [("5 million US dollars", 5000000, None, "USD", "exact", ""),
      ("$250 million to $600 million", 250000000, 600000000, "USD", "range", "")]),
    ("More than half of the 193 UN Member States voted.",
     [("More than half", 50, None, "percent", "more_than", ""),
      ("193 UN Member States", 193, None, "country", "exact", "UN Member States")]),
    # negatives: dates, ordinals, names with numbers, bare numbers, "one of"
    ("on 31 May 2024", []),
    ("On December 30, 2023 and in March 2024 the panel met; from 2023 to 2025 and in the 1960s.", []),
    ("In 2024 North Korean soldiers arrived.", []),
    ("Article 51 of the Charter", []),
    ("resolution 2270 (2016)", []),
    ("UNSCR 1718 and resolutions 2375 and 2397; paragraph 8 states that", []),
    ("It violates resolutions 2375, 2397 states and 2094 members.", []),
    ("Section 3 states that No. 5 vessels", []),
    ("the UN 1718 Committee Panel of Experts", []),
    ("the G7 countries and F-35 jets, KN-23 and 5G networks", []),
    ("the 1st report, the second report, the third ship", []),
    ("It sent 500 to Russia and 300 to Belarus; the figure was 2.8 billion.", []),
    ("one of the ships, one-sided, a ship, an entity, multiple resolutions", []),
    ("No one country can act alone; 1 in 2020 was calm; 2 in 3 weeks; two-thirds majority.", []),
    ("The 38th parallel; Kim met Putin on 13 September 2023; page 3 of 10; Figure 2 shows it.", []),
    ("The Panel's 2024 report (S/2024/215, para. 12) covered the period between 2017 and 2023.", []),
    ("At 10:30 on 5/31 a visit began.", []),
    # real corpus sentences (corpus/*.en.txt): no quantities
    ("Joint Statement on DPRK-Russia (31 May 2024)", []),
    ("We are gravely concerned by the deepening DPRK-Russia cooperation in flagrant violation of multiple United "
     "Nations Security Council resolutions and condemn Russia’s veto of the UN Security Council resolution that would "
     "have extended the mandate of the UN 1718 Committee Panel of Experts.", []),
    ("Such weapons deliveries, several of which we now confirm have been completed, will significantly increase the "
     "human toll of Russia’s war of aggression.", []),
    ("We emphasize that arms transfers to or from the DPRK – as well as the transfer to the DPRK of certain items and "
     "technical cooperation related to the DPRK’s weapons of mass destruction, ballistic missile, or conventional "
     "weapons programs, – would violate multiple UN Security Council resolutions.", []),
    ("We call on the DPRK and Russia to cease unlawful arms transfers and urge the DPRK to take concrete steps towards "
     "abandoning all nuclear weapons, ballistic missiles and related programmes in a complete, verifiable and "
     "irreversible manner.", []),
]


@pytest.mark.parametrize("text,expected", CASES, ids=[c[0][:24] for c in CASES])
def test_quantities_en(text, expected):
    assert _rows(text) == expected


# The same claim in both languages compares field by field (Japanese rows from tests/test_quantities.py).
PARALLEL = [
    ("1万1000人以上", "11,000 or more soldiers", (11000, None, "person", "at_least")),
    ("約 1,000~1,500 人", "about 1,000-1,500 people", (1000, 1500, "person", "approx")),
    ("100 万バレル以上", "1 million barrels or more", (1000000, None, "barrel", "at_least")),
    ("上限 50 万バレル", "a cap of 500,000 barrels", (500000, None, "barrel", "at_most")),
    ("数十億ドル", "billions of dollars", (None, None, "USD", "vague")),
    ("2万個以上", "20,000 or more containers", (20000, None, "container", "at_least")),
    ("少なくとも 2 カ国", "at least 2 countries", (2, None, "country", "at_least")),
    ("5000人未満", "fewer than 5,000 people", (5000, None, "person", "less_than")),
    ("1万人を超える", "more than 10,000 people", (10000, None, "person", "more_than")),
    ("3.6兆円程度", "about 3.6 trillion yen", (3600000000000, None, "JPY", "approx")),
    ("51%", "51%", (51, None, "percent", "exact")),
]


@pytest.mark.parametrize("ja,en,fields", PARALLEL, ids=[p[0] for p in PARALLEL])
def test_english_matches_japanese_fields(ja, en, fields):
    (q,) = find_quantities_en(en)
    assert (q.value, q.value_max, q.unit, q.qualifier) == fields


def test_records_are_the_japanese_quantity_dataclass():
    text = "  It stole at least $2.8 billion."
    (q,) = find_quantities_en(text)
    assert isinstance(q, Quantity)
    assert (q.start, q.end, q.unit_surface, q.norm_check) == (11, 32, "$", "n/a")
    assert text[q.start:q.end] == "at least $2.8 billion"
    assert q.to_dict()["value"] == 2800000000


# rule data: English examples in models/ run through the English finder
UNIT_EN_EXAMPLES = [dict(e, unit=u["id"]) for u in rules.load("units")["units"] for e in u.get("en_examples", [])]
QUALIFIER_EN_EXAMPLES = rules.load("qualifiers").get("en_examples", [])


@pytest.mark.parametrize("ex", UNIT_EN_EXAMPLES, ids=[e["text"][:24] for e in UNIT_EN_EXAMPLES])
def test_unit_en_examples(ex):
    qs = find_quantities_en(ex["text"])
    assert qs, f"no quantity found in {ex['text']!r}"
    q = qs[0]
    assert q.unit == ex["unit"]
    assert (q.value if q.value is not None else "") == ex["value"]
    assert q.qualifier == ex["qualifier"]
    if "object" in ex:
        assert q.object == ex["object"]


@pytest.mark.parametrize("ex", QUALIFIER_EN_EXAMPLES, ids=[e["text"][:24] for e in QUALIFIER_EN_EXAMPLES])
def test_qualifier_en_examples(ex):
    qs = find_quantities_en(ex["text"])
    assert qs and qs[0].qualifier == ex["qualifier"]


def test_english_rule_data_is_canonical():
    qdata = rules.load("qualifiers")
    assert {q["qualifier"] for q in qdata["en_qualifiers"]} <= CANONICAL_QUALIFIERS
    surfaces = [(q["surface"].lower(), q["position"]) for q in qdata["en_qualifiers"]]
    assert len(surfaces) == len(set(surfaces))
    QuantityFinderEn()  # raises RuleDataError when an English unit surface maps to two units
    for entry in rules.load("units")["units"]:
        assert all(isinstance(s, str) and s for s in entry.get("en", [])), entry["id"]


# times: sentences of one document in order (the year in force carries over), doc published 2024
SEQUENCE = [
    ("North Korea has sent more than 11,000 soldiers to Russia since late 2024.", ["2024/.."]),
    ("It began sending them from late 2024, and more in January–March 2025.", ["2024", "2025-01/2025-03"]),
    ("January to March 2025", ["2025-01/2025-03"]),
    ("In March 2024, Russia vetoed the resolution.", ["2024-03"]),
    ("In April of that year the panel ended its work.", ["2024-04"]),
    ("Russia supplied oil between March and October 2024.", ["2024-03/2024-10"]),
    ("In October, the MSMT published its second report.", ["2024-10"]),
    ("The same year, the ministers met on 31 May 2024.", ["2024", "2024-05-31"]),
    ("On December 30, 2023 and 30 December 2023.", ["2023-12-30", "2023-12-30"]),
    ("South Korea sent troops in the 1960s.", ["1960/1969"]),
    ("That year, it also sent engineers.", ["1960"]),
    ("It has supplied them since September 2023.", ["2023-09/.."]),
    ("The ban runs until 2024; the target is by 2030.", ["../2024", "2030"]),
    ("From 2023 to 2025, in 2023-24 and in the first quarter of 2025.", ["2023/2025", "2023/2024", "2025-01/2025-03"]),
    ("This year and last year.", ["2024", "2023"]),
    ("Resolution 2094 (2013) and UNSCR 1718; 2000 soldiers.", ["2013"]),
    ("It lasted 3 years and 5 days; Theresa May spoke.", []),
    ("The Council recalled resolutions 1718 (2006), 1874 (2009) and 2094 (2013).", ["2006", "2009", "2013"]),
]


def test_time_sequence():
    r = backend("en").time_finder(2024)
    for text, expected in SEQUENCE:
        assert [t.value for t in r.find(text)] == expected, text


def test_time_surfaces_and_offsets():
    text = "Joint Statement on DPRK-Russia (31 May 2024)"
    assert [(text[t.start:t.end], t.value) for t in backend("en").time_finder(None).find(text)] == [("31 May 2024", "2024-05-31")]


def test_same_year_without_antecedent_is_not_invented():
    assert backend("en").time_finder(None).find("In April of that year it ended.") == []
    assert backend("en").time_finder(None).find("In April it ended.") == []


def test_time_for_an_english_quantity():
    text = "In 2024 it provided 100 ballistic missiles, and in January–March 2025 3,000 more troops."
    times = backend("en").time_finder(None).find(text)
    assert [time_for(q.start, times) for q in find_quantities_en(text)] == ["2024", "2025-01/2025-03"]
    assert time_for(0, [TimeExpr(5, 9, "2024")]) == "2024"
