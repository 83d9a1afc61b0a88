"""Actors: gazetteer matching (ja/en), compound forms, NER fallback; every alias is found in its examples."""
import pytest

from pipeline.core import rules
from pipeline.extract.actors import gazetteer

JA_CASES = [
    ("露朝の協力強化は朝鮮半島の安定に貢献する。", [("露", "RUS"), ("朝", "PRK"), ("朝鮮半島", "korean-peninsula")]),
    ("日米両国にとって台湾海峡が最も重要である。", [("日", "JPN"), ("米", "USA"), ("台湾海峡", None)]),
    ("2024 年 3 月の CBS テレビの調査によると", [("CBS テレビ", "cbs")]),
    ("安保理北朝鮮制裁委員会（いわゆる 1718 委員会）専門家パネル", None),   # checked below: committee ids
    ("トランプ大統領が金正恩との対話に積極的な姿勢を見せている", [("トランプ大統領", "donald-trump"), ("金正恩", "kim-jong-un")]),
    ("在韓米軍も台湾防衛のために投入する", [("在韓米軍", "usfk"), ("台湾", "TWN")]),
    ("北朝鮮の光善銀行を通じた金融取引", [("北朝鮮", "PRK"), ("光善銀行", None)]),
    # negatives: dates before 日, katakana continuing a compound, single characters alone
    ("10月26日米国は声明を出した。", [("米国", "USA")]),
    ("本日米国と協議した。", [("米国", "USA")]),
    ("米ロシア関係", [("ロシア", "RUS")]),
    ("米は重要な食料だ。", []),
]


@pytest.mark.parametrize("text,expected", [c for c in JA_CASES if c[1] is not None], ids=lambda x: str(x)[:12])
def test_ja_gazetteer(text, expected):
    got = [(text[m.start:m.end], m.actor_id) for m in gazetteer().find_ja(text)]
    for surface, actor_id in expected:
        assert any(s == surface and (actor_id is None or a == actor_id) for s, a in got), (surface, got)
    assert len(got) == len(expected), got


def test_pdf_spaces_inside_names():
    text = "安保理北朝鮮制裁委員会（いわゆる 1718 委員会）専門家パネルの任期延長"
    got = {text[m.start:m.end]: m.actor_id for m in gazetteer().find_ja(text)}
    assert "1718 委員会" in "".join(got) or any("1718" in s for s in got), got


EN_CASES = [
    ("The Democratic People’s Republic of Korea (DPRK) sent arms to the Russian Federation.",
     ["PRK", "PRK", "RUS"]),
    ("the Republic of Korea (ROK) and the U.S. Department of State", ["KOR", "KOR"]),
    ("extended the mandate of the UN 1718 Committee Panel of Experts", None),
    ("Koreans and Russians", []),
]


@pytest.mark.parametrize("text,expected", [c for c in EN_CASES if c[1] is not None])
def test_en_gazetteer(text, expected):
    got = [m.actor_id for m in gazetteer().find_en(text)]
    assert got[: len(expected)] == expected if expected else got == []


def test_every_alias_is_found_in_its_examples_and_maps_to_one_id():
    g = gazetteer()
    owner: dict[str, str] = {}
    for a in rules.load("actors")["actors"]:
        forms_ja = [f for f in [a.get("name_ja"), *a.get("aliases_ja", [])] if f]
        forms_en = [f for f in [a.get("name_en"), *a.get("aliases_en", [])] if f]
        for f in forms_ja + forms_en + a.get("compound_ja", []):
            assert owner.setdefault(f, a["id"]) == a["id"], f"{f!r} maps to {owner[f]} and {a['id']}"
        found = set()
        for ex in a["examples"]:
            for m in g.find_ja(ex) + g.find_en(ex):
                if m.actor_id == a["id"]:
                    found.add(m.actor_id)
        assert a["id"] in found, f"{a['id']}: no example sentence yields this actor"


def test_ner_entity_unknown_to_gazetteer_is_kept(nlp):
    doc = nlp("山田太郎は東京で演説した。")
    mentions = gazetteer().merge_ner(gazetteer().find_ja(doc.text), doc.ents)
    unknown = [m for m in mentions if m.found_by == "ner"]
    assert unknown and all(m.actor_id == "" and m.actor_type for m in unknown)


# ------------------------------------------------------------------ who acts in a claim (issue 12)

@pytest.mark.parametrize("ids,expected", [
    (["kim-jong-il"], ["PRK"]),                         # a person acts for his state
    (["ofac", "USA"], ["USA"]),                         # an office and its state: once
    (["rok-armed-forces", "unsc"], ["KOR", "unsc"]),    # an international body keeps its own id
    (["michishita-narushige"], ["michishita-narushige"]),   # a scholar acts for nobody else
])
def test_acting_ids(ids, expected):
    assert gazetteer().acting_ids(ids) == expected


def test_places_never_act():
    g = gazetteer()
    kinds = {m.actor_id: g.can_act(m) for m in g.find_ja("北朝鮮のミサイルは日本海に落下した。")}
    assert kinds == {"PRK": True, "sea-of-japan": False}


def _patterns():
    data = rules.load("actors")
    return [pytest.param(f, id=f"{f['lang']}:{f['pattern'][:12]}")
            for f in data["speaker"]["first_person"] + data["anaphora"] + data["speaker"].get("turns", [])]


@pytest.mark.parametrize("form", _patterns())
def test_first_person_and_anaphor_patterns_match_examples_not_negatives(form):
    import re

    pattern = re.compile(form["pattern"])
    for ex in form["examples"]:
        assert pattern.search(ex), ex
    for neg in form.get("negatives", []):
        assert not pattern.search(neg), neg


@pytest.mark.parametrize("publisher,opening,lang,text,expected", [
    ("外務省 (MOFA Japan)", [], "en", "The missile flew 900 km.", "JPN"),          # a gazetteer office
    ("Ministry of Defense", [], "en", "The missile flew 900 km.", "JPN"),          # the publishers table
    ("", ["Fact Sheet", "White House"], "en", "", "USA"),                         # an office
    ("", ["Remarks by Prime Minister Shigeru Ishiba"], "en", "", "JPN"),       # a person named as speaker
    ("", ["報道発表"], "ja", "我が国は支援を決定した。", "JPN"),                    # the language's default
    # negatives: a state or a person a heading is about does not speak; no first-person form, no default
    ("", ["North Korea Launches Missile"], "en", "", ""),
    ("", ["Kim Jong Un Oversees Missile Test"], "en", "", ""),
    ("", ["国連安保理決議の採択について"], "ja", "北朝鮮は発射した。", ""),
    ("Epoch Times Japan", [], "en", "", ""),                                      # a newspaper is no office
])
def test_find_speaker(publisher, opening, lang, text, expected):
    from pipeline.core.records import Document
    from pipeline.extract.discourse import find_speaker

    doc = Document(doc_id="t", path="t.txt", lang=lang, text=text, publisher=publisher)
    assert find_speaker(doc, opening) == expected
