"""Citations of treaties, charters, agreements, arrangements and UNSC resolutions (pipeline/citations.py).

Table-driven: each case feeds its sentences, in order, to ONE CitationFinder (as the extractor does for a
document) and compares every citation found (in all sentences) with the expected ones. Expected citations
give ``surface`` plus the fields that matter; fields not given are not checked, except that
``instrument_id`` defaults to must-be-empty when ``unknown=True`` is set. No GiNZA model needed.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipeline.core import rules
from pipeline.extract.citations import CitationFinder, CitationMatch, find_citations

CORPUS = Path(__file__).resolve().parent.parent / "corpus"

TREATY_JA = "朝鮮民主主義人民共和国とロシア連邦間の包括的な戦略的パートナー関係に関する条約"
TREATY_EN = ("Treaty on Comprehensive Strategic Partnership between the Democratic People's Republic of Korea "
             "and the Russian Federation")

# ------------------------------------------------------------------------- real corpus sentences
# 000_79eea7d80fcbe56c.ja.txt
SEED_TREATY = ("朝鮮半島で軍事的な危機が発生した場合、ロシアが本格的に介入するかどうかは未知数であるが、2024 年 6 月に締結された"
               "「朝鮮民主主義人民共和国とロシア連邦間の包括的な戦略的パートナー関係に関する条約」の第 4 条は「双方のいずれかが"
               "個別の国家または複数の国家から武力侵攻を受けて戦争状態に陥る場合、他方は国連憲章第 51 条と朝鮮民主主義人民共和国と"
               "ロシア連邦の法律に準じて、遅滞なく自己が保有するすべての手段で軍事のおよびその他の援助を提供する」と規定しており、"
               "以前より介入の可能性が高まった、あるいは、介入の可能性が高まったとの認識が以前より高まったとはいえるであろう。")
SEED_NEW_TREATY = ("露朝は新条約の第 5 条で「各当事者は、他方の主権と安全、領土の不可侵性、政治、社会、経済、文化制度を自由に選択し"
                   "発展させる権利及び他方のその他の核心的利益を侵害する協定を第三国と締結せず、そのような行為に参加しない義務を負う」"
                   "と定めているが、これはロシアが北朝鮮に対して、「朝鮮民主主義人民共和国の主権を侵害しようとする、米国や韓国あるいは"
                   "国連加盟国の行為に参加しない」ことを約束していると解釈することもできる。")
SEED_SOSA = ("これについては、2023 年に日米が「防衛装備品等の供給の安定化に係る取決め」\n\n(Security of Supply Arrangement: "
             "SoSA) に署名し、装備品等の安定供給を相互に保障する枠組みを設け、2024 年には日米防衛産業協力・取得・維持整備定期協議」"
             "(Defense Industrial Cooperation, Acquisition, and Sustainment)を開始し、防衛装備品の共同開発・生産、米艦艇・航空機の"
             "日本での整備、サプライチェーンの強靱化などを議論するようになっている。")
SEED_CAP = ("こうしたなか、同年 3～10 月にロシアが 100 万バレル以上の石油精製品を北朝鮮に供給したとの分析があるが、"
            "これは安保理決議で定められた年間上限 50 万バレルを超えるものであった。")
SEED_VETO = ("2024 年 3 月、ロシアは、対北朝鮮制裁を監視する安保理北朝鮮制裁委員会（いわゆる 1718 委員会）専門家パネルの"
             "任期延長を求める決議案に拒否権を行使した。")
SEED_REPORT = ("MSMT は、2025 年 5 月には「武器移転を含む北朝鮮とロシアとの間の不法な軍事協力」についての第 1 回報告書を、"
               "10 月には「北朝鮮によるサイバー及び IT 労働者の活動」についての第 2 回報告書を公表した。")
# fmjs-dprk-ru-20240531.ja.txt / .en.txt, mofa-msmt-est-20241016.ja.txt
FMJS_JA = ("我々は、複数の国連安保理決議にあからさまに違反し、深化している露朝間の協力を深刻に懸念しており、国連安保理北朝鮮制裁"
           "委員会(1718委員会)専門家パネルのマンデートを延長する国連安保理決議に対するロシアの拒否権を非難する。")
FMJS_EN = ("We are gravely concerned by the deepening DPRK-Russia cooperation in flagrant violation of multiple United Nations "
           "Security Council resolutions and condemn Russia’s veto of the UN Security Council resolution that would have "
           "extended the mandate of the UN 1718 Committee Panel of Experts.")
MOFA_1718 = "同時に、安保理理事国として、引き続き、1718委員会での議論"
MOFA_STATEMENT = "この機会に、MSMTの設立に関する共同声明が発出されました。"

CSP = dict(instrument_id="prk-rus-csp-2024")

CASES = [
    # --- the seed document -------------------------------------------------------------------------
    ("seed-treaty-art4-and-charter-art51", "ja", [SEED_TREATY], [
        dict(surface=f"「{TREATY_JA}」の第 4 条", article="4", instrument_name=TREATY_JA, **CSP),
        dict(surface="国連憲章第 51 条", instrument_id="un-charter", article="51", instrument_name="国際連合憲章"),
    ]),
    ("seed-new-treaty-art5-resolves", "ja", [SEED_TREATY, SEED_NEW_TREATY], [
        dict(surface=f"「{TREATY_JA}」の第 4 条", article="4", **CSP),
        dict(surface="国連憲章第 51 条", instrument_id="un-charter", article="51"),
        dict(surface="新条約の第 5 条", article="5", resolved_from=TREATY_JA, instrument_name=TREATY_JA, **CSP),
    ]),
    ("seed-new-treaty-skips-charter", "ja", [SEED_TREATY, SEED_CAP, SEED_VETO, SEED_NEW_TREATY], [
        dict(surface=f"「{TREATY_JA}」の第 4 条", **CSP),
        dict(surface="国連憲章第 51 条", instrument_id="un-charter"),     # most recent, but a charter
        dict(surface="新条約の第 5 条", resolved_from=TREATY_JA, **CSP),
    ]),
    ("seed-sosa", "ja", [SEED_SOSA], [
        dict(surface="「防衛装備品等の供給の安定化に係る取決め」", instrument_id="jpn-usa-sosa-2023", type="arrangement"),
        dict(surface="Security of Supply Arrangement", instrument_id="jpn-usa-sosa-2023"),
        dict(surface="SoSA", instrument_id="jpn-usa-sosa-2023", instrument_name="防衛装備品等の供給の安定化に係る取決め"),
    ]),
    ("seed-sosa-anaphor", "ja", [SEED_SOSA, "同取決めは法的拘束力を持たない。"], [
        dict(surface="「防衛装備品等の供給の安定化に係る取決め」"), dict(surface="Security of Supply Arrangement"),
        dict(surface="SoSA"),
        dict(surface="同取決め", instrument_id="jpn-usa-sosa-2023", resolved_from="SoSA"),
    ]),
    # --- catalogue: different names of one instrument ------------------------------------------------
    ("csp-aliases-ja", "ja", ["包括的戦略的パートナーシップ条約は露朝包括的戦略パートナーシップ条約とも呼ばれる。"], [
        dict(surface="包括的戦略的パートナーシップ条約", **CSP),
        dict(surface="露朝包括的戦略パートナーシップ条約", **CSP),     # longest alias wins
    ]),
    ("csp-alias-en", "en", ["Russia ratified the Treaty on Comprehensive Strategic Partnership in November."], [
        dict(surface="Treaty on Comprehensive Strategic Partnership", instrument_name=TREATY_EN, **CSP),
    ]),
    ("name-split-by-pdf-line-break", "ja", ["「朝鮮民主主義人民共和国とロシア連邦間の包括的な戦\n略的パートナー関係に関する条約」"], [
        dict(surface="「朝鮮民主主義人民共和国とロシア連邦間の包括的な戦\n略的パートナー関係に関する条約」", **CSP),
    ]),
    ("kanji-article-number", "ja", ["米国は日米安保条約第五条が尖閣諸島に適用されることを確認した。"], [
        dict(surface="日米安保条約第五条", instrument_id="jpn-usa-security-treaty-1960", article="5"),
    ]),
    ("article-and-paragraph", "ja", ["国連憲章を尊重し、同憲章第2条第4項に従う。"], [
        dict(surface="国連憲章", instrument_id="un-charter", article=""),
        dict(surface="同憲章第2条第4項", instrument_id="un-charter", article="2", paragraph="4", resolved_from="国連憲章"),
    ]),
    ("article-inside-pdf-spaces", "ja", ["同条約の第 4 条 第 1 項"], [
        dict(surface="同条約の第 4 条 第 1 項", instrument_id="", article="4", paragraph="1", resolved_from=""),
    ]),
    # --- resolutions ---------------------------------------------------------------------------------
    ("resolution-list-ja", "ja", ["安保理は決議第1718号(2006年)、第1874号(2009年)及び第2270号(2016年)を想起した。"], [
        dict(surface="決議第1718号(2006年)", instrument_id="unscr-1718", number="1718", year="2006"),
        dict(surface="第1874号(2009年)", instrument_id="unscr-1874", number="1874", year="2009"),
        dict(surface="第2270号(2016年)", instrument_id="unscr-2270", number="2270", year="2016"),
    ]),
    ("resolution-list-full-width", "ja", ["決議第１７１８号（２００６年）及び第１８７４号（２００９年）"], [
        dict(surface="決議第１７１８号（２００６年）", instrument_id="unscr-1718", number="1718", year="2006"),
        dict(surface="第１８７４号（２００９年）", instrument_id="unscr-1874", number="1874", year="2009"),
    ]),
    ("resolution-forms-ja", "ja", ["安保理決議第1718号、国連安全保障理事会決議1718号、決議第2270号に違反する。"], [
        dict(surface="安保理決議第1718号", instrument_id="unscr-1718", number="1718", year="2006",
             instrument_name="国連安全保障理事会決議第1718号"),
        dict(surface="国連安全保障理事会決議1718号", instrument_id="unscr-1718", number="1718"),
        dict(surface="決議第2270号", instrument_id="unscr-2270", number="2270"),
    ]),
    ("resolution-paragraph-ja", "ja", ["決議第2397号(2017年)第8項は労働者の送還を求めた。"], [
        dict(surface="決議第2397号(2017年)第8項", instrument_id="unscr-2397", number="2397", paragraph="8"),
    ]),
    ("resolution-not-in-catalogue", "ja", ["安保理決議第9999号が採択された。"], [
        dict(surface="安保理決議第9999号", instrument_id="", number="9999", instrument_name="安保理決議第9999号"),
    ]),
    ("resolution-then-1718-committee", "ja", ["安保理決議1718号に基づき設置された1718委員会"], [
        dict(surface="安保理決議1718号", instrument_id="unscr-1718"),
    ]),
    ("resolution-anaphor", "ja", ["安保理決議第2397号は上限を定めた。", "同決議第8項は送還を求めた。"], [
        dict(surface="安保理決議第2397号", instrument_id="unscr-2397"),
        dict(surface="同決議第8項", instrument_id="unscr-2397", number="2397", paragraph="8",
             resolved_from="安保理決議第2397号"),
    ]),
    ("resolution-list-en", "en", ["The Council recalled resolutions 1718 (2006), 1874 (2009) and 2270 (2016)."], [
        dict(surface="resolutions 1718 (2006)", instrument_id="unscr-1718", number="1718", year="2006"),
        dict(surface="1874 (2009)", instrument_id="unscr-1874", number="1874", year="2009"),
        dict(surface="2270 (2016)", instrument_id="unscr-2270", number="2270", year="2016"),
    ]),
    ("resolution-forms-en", "en", ["UNSCR 1718 and Security Council resolution 1874 remain; it violates resolution 2270 (2016)."], [
        dict(surface="UNSCR 1718", instrument_id="unscr-1718", number="1718",
             instrument_name="UN Security Council Resolution 1718 (2006)"),
        dict(surface="Security Council resolution 1874", instrument_id="unscr-1874", number="1874"),
        dict(surface="resolution 2270 (2016)", instrument_id="unscr-2270", number="2270", year="2016"),
    ]),
    ("resolution-date-after-en", "en", ["It cited resolution 2397, 22 December 2017."], [
        dict(surface="resolution 2397", instrument_id="unscr-2397", number="2397"),
    ]),
    ("resolution-paragraph-en", "en", ["Paragraph 8 of resolution 2397 requires repatriation."], [
        dict(surface="Paragraph 8 of resolution 2397", instrument_id="unscr-2397", paragraph="8"),
    ]),
    # --- English treaties and charters -------------------------------------------------------------
    ("charter-article-en", "en", ["Article 51 of the UN Charter recognises the right of self-defence."], [
        dict(surface="Article 51 of the UN Charter", instrument_id="un-charter", article="51",
             instrument_name="Charter of the United Nations"),
    ]),
    ("charter-full-name-and-anaphor-en", "en", ["It acts under the Charter of the United Nations.",
                                               "Article 2(4) of the Charter prohibits the use of force."], [
        dict(surface="Charter of the United Nations", instrument_id="un-charter"),
        dict(surface="Article 2(4) of the Charter", instrument_id="un-charter", article="2", paragraph="4",
             resolved_from="Charter of the United Nations"),
    ]),
    ("treaty-anaphor-en", "en", [f"Article 4 of the {TREATY_EN} provides for mutual military assistance.",
                                 "Article 4 of the Treaty obliges each party to help.",
                                 "The new treaty entered into force in December."], [
        dict(surface=f"Article 4 of the {TREATY_EN}", article="4", **CSP),
        dict(surface="Article 4 of the Treaty", article="4", resolved_from=TREATY_EN, **CSP),
        dict(surface="The new treaty", resolved_from=TREATY_EN, **CSP),
    ]),
    ("sosa-en", "en", ["The Security of Supply Arrangement (SoSA) is not binding."], [
        dict(surface="Security of Supply Arrangement", instrument_id="jpn-usa-sosa-2023"),
        dict(surface="SoSA", instrument_id="jpn-usa-sosa-2023"),
    ]),
    # --- instruments not in the catalogue ----------------------------------------------------------
    ("unknown-quoted-ja", "ja", ["日英両国は「日英円滑化協定」に署名した。"], [
        dict(surface="「日英円滑化協定」", instrument_id="", instrument_name="日英円滑化協定", type="agreement"),
    ]),
    ("unknown-plain-ja", "ja", ["日英両国は日英円滑化協定に署名した。"], [
        dict(surface="日英円滑化協定", instrument_id="", instrument_name="日英円滑化協定"),
    ]),
    ("unknown-full-width-then-anaphor", "ja", ["「ＸＸ条約」第３条は無効である。", "同条約は失効した。"], [
        dict(surface="「ＸＸ条約」第３条", instrument_id="", instrument_name="ＸＸ条約", article="3"),
        dict(surface="同条約", instrument_id="", instrument_name="ＸＸ条約", resolved_from="ＸＸ条約"),
    ]),
    ("unknown-en", "en", ["Japan and Australia signed the Reciprocal Access Agreement in 2022."], [
        dict(surface="Reciprocal Access Agreement", instrument_id="", instrument_name="Reciprocal Access Agreement"),
    ]),
    ("unknown-en-of-name", "en", ["Both joined the Treaty of Amity and Cooperation in Southeast Asia."], [
        dict(surface="Treaty of Amity and Cooperation in Southeast Asia", instrument_id=""),
    ]),
    ("unresolved-anaphor", "ja", ["同条約第4条第1項は相互援助を定める。"], [
        dict(surface="同条約第4条第1項", instrument_id="", article="4", paragraph="1", resolved_from=""),
    ]),
    # --- negatives -------------------------------------------------------------------------------
    ("neg-bare-resolution-ja", "ja", [SEED_CAP], []),
    ("neg-1718-committee-and-draft", "ja", [SEED_VETO], []),
    ("neg-reports", "ja", [SEED_REPORT], []),
    ("neg-fmjs-ja", "ja", [FMJS_JA], []),
    ("neg-fmjs-en", "en", [FMJS_EN], []),
    ("neg-1718-committee-mofa", "ja", [MOFA_1718], []),
    ("neg-1718-committee-en", "en", ["the mandate of the 1718 Committee and its Panel of Experts"], []),
    ("neg-ordinal-and-date", "ja", ["第1回会合は2024年6月19日に開かれた。"], []),
    ("neg-generic-words", "ja", ["両国は共同宣言を発表し、協定を第三国と締結しないと約束したが、条約上の義務は負わない。"], []),
    ("neg-quoted-sentence-ending-in-agreement", "ja", ["首相は「両国は協力で合意」と述べた。"], []),
    ("neg-quoted-bare-resolution", "ja", ["いわゆる「安保理決議」"], []),
    ("neg-general-assembly", "ja", ["国連総会決議第68/262号はクリミアに関する決議である。"], []),
    ("neg-unresolvable-generic-en", "en", ["They violate Security Council resolutions and the resolution on Iran."], []),
    # --- the seed's own statement title is a citation of a catalogued statement ------------------
    ("mofa-statement", "ja", [MOFA_STATEMENT], [
        dict(surface="MSMTの設立に関する共同声明", instrument_id="msmt-establishment-statement-2024"),
    ]),
]


def _run(lang: str, sentences: list[str]) -> list[tuple[str, CitationMatch]]:
    finder = CitationFinder(lang)
    return [(s, m) for s in sentences for m in finder.find(s)]


@pytest.mark.parametrize(("lang", "sentences", "expected"), [pytest.param(*c[1:], id=c[0]) for c in CASES])
def test_citations(lang, sentences, expected):
    found = _run(lang, sentences)
    for sentence, m in found:
        assert sentence[m.start:m.end] == m.surface, "offsets must give the surface"
    got = [m.to_dict() for _, m in found]
    assert [g["surface"] for g in got] == [e["surface"] for e in expected], got
    for g, e in zip(got, expected):
        diff = {k: (g[k], v) for k, v in e.items() if g[k] != v}
        assert not diff, f"{e['surface']!r}: (got, expected) {diff}"


@pytest.mark.parametrize("ex", rules.load("citation_patterns")["examples"],
                         ids=lambda ex: ex["text"][:20])
def test_pattern_examples(ex):
    """The examples in models/citation_patterns.yaml hold."""
    lang = "en" if ex["text"][:1].isascii() else "ja"
    got = [m.to_dict() for m in find_citations(ex["text"], lang)]
    assert [g["surface"] for g in got] == [e["surface"] for e in ex["citations"]], got
    for g, e in zip(got, ex["citations"]):
        assert {k: g[k] for k in e} == e


def test_to_dict_fields():
    m = find_citations("国連憲章第 51 条", "ja")[0]
    d = m.to_dict()
    for k in ("start", "end", "instrument_id", "instrument_name", "instrument_name_ja", "instrument_name_en",
              "article", "paragraph", "number", "year", "resolved_from"):
        assert k in d
    assert d["instrument_name_ja"] == "国際連合憲章" and d["instrument_name_en"] == "Charter of the United Nations"


def test_instrument_name_follows_lang():
    assert find_citations("UN Charter", "en")[0].instrument_name == "Charter of the United Nations"
    assert find_citations("UN Charter", "ja")[0].instrument_name == "国際連合憲章"


def test_memory_is_per_finder():
    """A new finder (a new document) does not resolve anaphors to the previous document's instruments."""
    first = CitationFinder("ja")
    first.find(SEED_TREATY)
    assert first.find("同条約第2条")[0].instrument_id == "prk-rus-csp-2024"
    assert CitationFinder("ja").find("同条約第2条")[0].instrument_id == ""


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.txt")), ids=lambda p: p.name)
def test_corpus_offsets_and_no_overlaps(path):
    """On every corpus text: exact surfaces, no overlapping citations, no committee / report ordinals."""
    text = path.read_text(encoding="utf-8")
    lang = "en" if ".en." in path.name else "ja"
    finder = CitationFinder(lang)
    for sentence in re.split(r"(?<=[。.!?])\s+|(?<=。)", text):
        found = finder.find(sentence)
        for m in found:
            assert sentence[m.start:m.end] == m.surface and m.surface.strip()
            assert "委員会" not in m.surface and "Committee" not in m.surface and "報告書" not in m.surface
        spans = sorted((m.start, m.end) for m in found)
        assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:])), spans
