"""Kinds of citations beyond a plain name (issue 12): lists with a definition in between, kanji and Roman numbers,
defined terms, statutes with 同法 and promulgation numbers, bare articles, numbered orders — and the negatives
that keep each of these rules from over-firing.

Table-driven, like tests/test_citations.py: the sentences of a case go, in order, through ONE CitationFinder (one
document); the surfaces found must be exactly the expected ones, in order, and the fields given must match.
Sentences are our own.
"""
from __future__ import annotations

import pytest

from pipeline.extract.citations import CitationFinder

FEFTA = dict(instrument_id="jpn-fefta-1949")
CHARTER = dict(instrument_id="un-charter")

CASES = [
    # --- resolution lists: a definition or an abbreviation between the word and the numbers -------------------
    ("ja-list-after-definition", "ja", ["政府は安全保障理事会決議（以下「諸決議」という。）第1718号、第1874号及び第2094号を履行する。"], [
        dict(surface="安全保障理事会決議（以下「諸決議」という。）第1718号", instrument_id="unscr-1718", number="1718"),
        dict(surface="第1874号", instrument_id="unscr-1874", number="1874"),
        dict(surface="第2094号", instrument_id="unscr-2094", number="2094"),
    ]),
    ("ja-list-full-width-parenthesis", "ja", ["国連安保理決議（以下「決議」という。）第２３７５号及び第２３９７号に従う。"], [
        dict(surface="国連安保理決議（以下「決議」という。）第２３７５号", number="2375"),
        dict(surface="第２３９７号", number="2397", instrument_id="unscr-2397"),
    ]),
    ("ja-defined-term-is-no-second-mention", "ja", ["国連安保理決議第2321号（以下「決議第2321号」という。）を履行する。"], [
        dict(surface="国連安保理決議第2321号", instrument_id="unscr-2321")]),
    ("ja-quoted-defined-term-is-no-mention", "ja", [
        "特定船舶の入港の禁止に関する特別措置法（以下「特定船舶入港禁止法」という。）が成立した。"], [
        dict(surface="特定船舶の入港の禁止に関する特別措置法", instrument_id="jpn-specified-ships-act-2004")]),
    ("ja-kanji-resolution-number", "ja", ["安保理決議第二千三百七十五号の採択を歓迎する。"], [
        dict(surface="安保理決議第二千三百七十五号", instrument_id="unscr-2375", number="2375", year="2017"),
    ]),
    ("ja-positional-kanji-resolution-number", "ja", ["安保理決議第二〇八七号が採択された。"], [
        dict(surface="安保理決議第二〇八七号", instrument_id="unscr-2087", number="2087"),
    ]),
    ("ja-kanji-resolution-list", "ja", ["決議第千七百十八号及び第千八百七十四号に違反する。"], [
        dict(surface="決議第千七百十八号", number="1718"), dict(surface="第千八百七十四号", number="1874"),
    ]),
    ("en-abbreviation-between-word-and-number", "en", ["Members backed Resolution (UNSC) 2321 unanimously."], [
        dict(surface="Resolution (UNSC) 2321", instrument_id="unscr-2321", number="2321"),
    ]),
    ("en-plural-abbreviation-list", "en", ["Resolutions (SCRs) 2371 and 2375 banned textile exports."], [
        dict(surface="Resolutions (SCRs) 2371", number="2371"), dict(surface="2375", number="2375"),
    ]),
    ("en-singular-head-list", "en", ["The launch violates Resolution 1540 and 1874 of the Council."], [
        dict(surface="Resolution 1540", instrument_id="unscr-1540"), dict(surface="1874", instrument_id="unscr-1874"),
    ]),
    ("en-as-well-as", "en", ["It recalled resolutions 2087 (2013) and 2094 (2013) as well as 2270 (2016)."], [
        dict(surface="resolutions 2087 (2013)", number="2087"), dict(surface="2094 (2013)", number="2094"),
        dict(surface="2270 (2016)", number="2270", year="2016"),
    ]),
    ("en-panel-renewal-catalogued", "en", ["Resolution 2627 (2022) extended the panel until April 2023."], [
        dict(surface="Resolution 2627 (2022)", instrument_id="unscr-2627", year="2022"),
    ]),
    # --- English articles: Roman numerals, lists, after the name, bare ----------------------------------------
    ("en-roman-article", "en", ["Bases are granted by Article VI of the Japan-US Security Treaty."], [
        dict(surface="Article VI of the Japan-US Security Treaty", instrument_id="jpn-usa-security-treaty-1960",
             article="6"),
    ]),
    ("en-roman-article-abbreviation", "en", ["Article VI of the NPT requires disarmament talks."], [
        dict(surface="Article VI of the NPT", instrument_id="npt", article="6"),
    ]),
    ("en-article-after-possessive", "en", ["They invoked the NPT's Article X to justify leaving."], [
        dict(surface="NPT's Article X", instrument_id="npt", article="10"),
    ]),
    ("en-bare-article-resolves", "en", ["The review covered the NPT.",
                                        "Delegates then discussed Article X at length."], [
        dict(surface="NPT", instrument_id="npt"),
        dict(surface="Article X", instrument_id="npt", article="10", resolved_from="NPT"),
    ]),
    ("en-bare-article-after-anaphor-same-sentence", "en", [
        "The Chemical Weapons Convention entered into force in 1997.",
        "Several clauses of the Convention, notably Article XI, concern trade."], [
        dict(surface="Chemical Weapons Convention", instrument_id="cwc"),
        dict(surface="the Convention", instrument_id="cwc"),
        dict(surface="Article XI", instrument_id="cwc", article="11"),
    ]),
    ("en-article-list-before-name", "en", ["Articles 41 and 42 of the UN Charter provide for enforcement."], [
        dict(surface="Articles 41", article="41", **CHARTER),
        dict(surface="42 of the UN Charter", article="42", **CHARTER),
    ]),
    ("en-article-paragraph-letter", "en", ["Article 6(b) of the Arms Trade Treaty prohibits such transfers."], [
        dict(surface="Article 6(b) of the Arms Trade Treaty", instrument_id="att", article="6", paragraph="b"),
    ]),
    ("en-organisation-article", "en", ["Allies restated NATO's Article 5 guarantee.",
                                       "NATO Article 5 was invoked once."], [
        dict(surface="NATO's Article 5", instrument_id="north-atlantic-treaty-1949", article="5", resolved_from=""),
        dict(surface="NATO Article 5", instrument_id="north-atlantic-treaty-1949", article="5"),
    ]),
    ("en-north-atlantic-treaty", "en", ["Article 5 of the North Atlantic Treaty covers an armed attack."], [
        dict(surface="Article 5 of the North Atlantic Treaty", instrument_id="north-atlantic-treaty-1949", article="5"),
    ]),
    ("en-constitution-article-after", "en", ["The Japanese Constitution Article 9 renounces war."], [
        dict(surface="Japanese Constitution Article 9", instrument_id="jpn-constitution-1946", article="9"),
    ]),
    ("en-act-and-the-act", "en", ["Assets were frozen under the Foreign Exchange and Foreign Trade Act.",
                                  "Article 16 of the Act restricts payments."], [
        dict(surface="Foreign Exchange and Foreign Trade Act", **FEFTA),
        dict(surface="Article 16 of the Act", article="16", resolved_from="Foreign Exchange and Foreign Trade Act",
             **FEFTA),
    ]),
    ("en-organisation-article-after", "en", ["Leaders recalled Article 5 of NATO's founding treaty."], [
        dict(surface="Article 5 of NATO's founding treaty", instrument_id="north-atlantic-treaty-1949", article="5"),
    ]),
    ("en-lower-case-treaty-with-article", "en", ["The Japan-US Security Treaty was revised in 1960.",
                                                 "Article 5 of the treaty covers the islands."], [
        dict(surface="Japan-US Security Treaty", instrument_id="jpn-usa-security-treaty-1960"),
        dict(surface="Article 5 of the treaty", instrument_id="jpn-usa-security-treaty-1960", article="5",
             resolved_from="Japan-US Security Treaty"),
    ]),
    ("en-constitution-anaphor-with-article", "en", ["The Constitution of Japan took effect in 1947.",
                                                    "Article 9 of the Constitution renounces war."], [
        dict(surface="Constitution of Japan", instrument_id="jpn-constitution-1946"),
        dict(surface="Article 9 of the Constitution", instrument_id="jpn-constitution-1946", article="9"),
    ]),
    ("en-us-written-without-dots", "en", ["The US-ROK Mutual Defense Treaty and UNSC Res. 2375 were cited."], [
        dict(surface="US-ROK Mutual Defense Treaty", instrument_id="rok-usa-mdt-1953"),
        dict(surface="UNSC Res. 2375", instrument_id="unscr-2375", number="2375"),
    ]),
    ("en-section-of-a-statute", "en", ["Designations follow Section 104 of the North Korea Sanctions and Policy "
                                       "Enhancement Act."], [
        dict(surface="Section 104 of the North Korea Sanctions and Policy Enhancement Act",
             instrument_id="usa-nkspea-2016", article="104"),
    ]),
    ("neg-section-of-a-treaty", "en", ["Section 2 of the NPT outcome paper was agreed."], [
        dict(surface="NPT", instrument_id="npt", article="")]),
    # --- Japanese statutes: promulgation numbers, definitions, 同法, lists --------------------------------------
    ("ja-statute-definition-then-article", "ja", ["特定船舶の入港の禁止に関する特別措置法（以下「特措法」という。）第5条第1項に基づき入港を禁止する。"], [
        dict(surface="特定船舶の入港の禁止に関する特別措置法（以下「特措法」という。）第5条第1項", article="5", paragraph="1",
             instrument_id="jpn-specified-ships-act-2004"),
    ]),
    ("ja-statute-promulgation-number", "ja", ["関税法（昭和29年法律第61号）第118条第2項の規定による。"], [
        dict(surface="関税法（昭和29年法律第61号）第118条第2項", article="118", paragraph="2",
             instrument_id="jpn-customs-act-1954"),
    ]),
    ("ja-same-statute-anaphor", "ja", ["外為法第10条により対応措置を講じた。", "また、同法第21条第2項に基づく許可を要する。"], [
        dict(surface="外為法第10条", article="10", **FEFTA),
        dict(surface="同法第21条第2項", article="21", paragraph="2", resolved_from="外為法", **FEFTA),
    ]),
    ("ja-statute-article-list", "ja", ["外為法第27条第1項及び第30条第3項が関係条文である。"], [
        dict(surface="外為法第27条第1項", article="27", paragraph="1", **FEFTA),
        dict(surface="第30条第3項", article="30", paragraph="3", **FEFTA),
    ]),
    ("ja-paragraph-list", "ja", ["関税法第111条第1項及び第3項により処罰される。"], [
        dict(surface="関税法第111条第1項", instrument_id="jpn-customs-act-1954", article="111", paragraph="1"),
        dict(surface="第3項", instrument_id="jpn-customs-act-1954", article="111", paragraph="3"),
    ]),
    ("ja-article-branch", "ja", ["自衛隊法第82条の3に基づく措置を命じた。"], [
        dict(surface="自衛隊法第82条の3", instrument_id="jpn-sdf-act-1954", article="82-3"),
    ]),
    ("ja-unknown-statute-with-article", "ja", ["重要影響事態法第3条に定める後方支援を実施する。"], [
        dict(surface="重要影響事態法第3条", instrument_id="", instrument_name="重要影響事態法", article="3", type="law"),
    ]),
    ("ja-short-statute-name", "ja", ["憲法第9条の解釈が争われた。"], [
        dict(surface="憲法第9条", instrument_id="", instrument_name="憲法", article="9"),
    ]),
    ("ja-order-anaphor", "ja", ["輸出貿易管理令第4条第1項の許可を要する。", "同令第2条も適用される。"], [
        dict(surface="輸出貿易管理令第4条第1項", instrument_id="jpn-export-trade-control-order-1949", article="4"),
        dict(surface="同令第2条", instrument_id="jpn-export-trade-control-order-1949", article="2"),
    ]),
    ("ja-article-without-dai-after-name", "ja", ["米国は日米安保条約5条の適用を確認した。", "憲法9条の改正が議論された。"], [
        dict(surface="日米安保条約5条", instrument_id="jpn-usa-security-treaty-1960", article="5"),
        dict(surface="憲法9条", instrument_id="", instrument_name="憲法", article="9"),
    ]),
    ("ja-resolution-list-in-parenthesis", "ja", ["一連の安保理決議（第1718号、第1874号及び第2087号）に違反する。"], [
        dict(surface="安保理決議（第1718号", number="1718", instrument_id="unscr-1718"),
        dict(surface="第1874号", number="1874"), dict(surface="第2087号", number="2087"),
    ]),
    # --- kanji articles, defined terms, 同条, bare articles --------------------------------------------------
    ("ja-defined-term-with-article", "ja", [
        "日豪物品役務相互提供協定（平成二十九年条約第九号。以下「協定」という。）が発効した。",
        "政府は協定第六条(b)に基づいて通報した。", "協定の改正は予定されていない。"], [
        dict(surface="日豪物品役務相互提供協定", instrument_id="", instrument_name="日豪物品役務相互提供協定"),
        dict(surface="協定第六条(b)", instrument_name="日豪物品役務相互提供協定", article="6", paragraph="b",
             resolved_from="日豪物品役務相互提供協定"),
    ]),
    ("ja-charter-promulgation-and-same-article", "ja", [
        "日米安全保障条約（昭和三十五年条約第六号）第五条は共同防衛を定める。", "同条の適用範囲について述べる。"], [
        dict(surface="日米安全保障条約（昭和三十五年条約第六号）第五条", article="5", instrument_id="jpn-usa-security-treaty-1960"),
        dict(surface="同条", article="5", resolved_from="日米安全保障条約（昭和三十五年条約第六号）第五条",
             instrument_id="jpn-usa-security-treaty-1960"),
    ]),
    ("ja-abbreviation-between-name-and-article", "ja", ["核兵器不拡散条約（NPT）第6条は軍縮交渉を求める。"], [
        dict(surface="核兵器不拡散条約（NPT）第6条", instrument_id="npt", article="6"),
    ]),
    ("ja-bare-article-resolves", "ja", ["北大西洋条約は1949年に署名された。", "そして、第5条は集団防衛を定める。"], [
        dict(surface="北大西洋条約", instrument_id="north-atlantic-treaty-1949"),
        dict(surface="第5条", instrument_id="north-atlantic-treaty-1949", article="5", resolved_from="北大西洋条約"),
    ]),
    ("ja-bare-article-list", "ja", ["日米安保条約について、第5条及び第6条が議論された。"], [
        dict(surface="日米安保条約", instrument_id="jpn-usa-security-treaty-1960"),
        dict(surface="第5条", article="5", instrument_id="jpn-usa-security-treaty-1960"),
        dict(surface="第6条", article="6", instrument_id="jpn-usa-security-treaty-1960"),
    ]),
    # --- a citation cut by the sentence splitter (inside a parenthesis, before a paragraph) ---------------------
    ("split-resolution-list-after-definition", "ja", [
        "政府は安全保障理事会決議（以下「決議」という。）", "第1695号、第1718号及び第2094号を踏まえた措置を講じる。"], [
        dict(surface="第1695号", instrument_id="unscr-1695"), dict(surface="第1718号", instrument_id="unscr-1718"),
        dict(surface="第2094号", instrument_id="unscr-2094"),
    ]),
    ("split-statute-definition-article-paragraph", "ja", [
        "関税法（昭和29年法律第61号。", "以下「法」という。）", "第111条", "第1項及び第3項に違反した者は処罰される。"], [
        dict(surface="関税法", instrument_id="jpn-customs-act-1954", article=""),
        dict(surface="第111条", instrument_id="jpn-customs-act-1954", article="111"),
        dict(surface="第3項", instrument_id="jpn-customs-act-1954", article="111", paragraph="3"),
    ]),
    ("split-definition-then-defined-term", "ja", [
        "日豪物品役務相互提供協定（平成二十九年条約第九号。", "以下「協定」という。）が発効した。", "政府は協定第六条", "(b)に基づき通報した。"], [
        dict(surface="日豪物品役務相互提供協定", instrument_id=""),
        dict(surface="協定第六条", article="6", resolved_from="日豪物品役務相互提供協定"),
    ]),
    ("split-three-ways-reported-once", "ja", ["関税法第111条", "第", "1項に違反した。"], [
        dict(surface="関税法第111条", article="111")]),
    ("split-not-carried-after-a-finished-sentence", "ja", ["安保理決議で定められた上限を守る。", "第1695号の文書を参照する。"], []),
    # --- numbered orders -----------------------------------------------------------------------------------
    ("en-executive-orders", "en", [
        "It was designated under Executive Order (EO) 13722 and later under E.O. 13687."], [
        dict(surface="Executive Order (EO) 13722", instrument_id="", number="13722",
             instrument_name="Executive Order 13722"),
        dict(surface="E.O. 13687", number="13687"),
    ]),
    ("ja-executive-order", "ja", ["米財務省は大統領令第13722号に基づき制裁対象に指定した。"], [
        dict(surface="大統領令第13722号", number="13722", instrument_name="大統領令第13722号"),
    ]),
    ("en-executive-order-list", "en", ["The bank was named under Executive Orders 13599 and 13846 last week."], [
        dict(surface="Executive Orders 13599", number="13599", instrument_name="Executive Order 13599"),
        dict(surface="13846", number="13846", instrument_name="Executive Order 13846"),
    ]),
    ("en-executive-order-list-abbreviated", "en", ["Authorities: E.O.s 13661, 13662, and 14024, as amended."], [
        dict(surface="E.O.s 13661", number="13661"), dict(surface="13662", number="13662"),
        dict(surface="14024", number="14024"),
    ]),
    ("ja-executive-order-list", "ja", ["大統領令第13810号及び第13722号に基づき指定した。"], [
        dict(surface="大統領令第13810号", number="13810"), dict(surface="第13722号", number="13722"),
    ]),
    ("neg-executive-order-then-count", "en", ["Under Executive Order 13846 and 25000 other rules."], [
        dict(surface="Executive Order 13846", number="13846")]),
    # --- a statute's enforcement order (施行令) after the statute or 同法 --------------------------------------
    ("ja-same-statute-enforcement-order", "ja", ["関税法第70条に違反した。", "同法施行令第59条の2も参照する。", "同令第4条も同じ。"], [
        dict(surface="関税法第70条", instrument_id="jpn-customs-act-1954", article="70"),
        dict(surface="同法施行令第59条の2", instrument_id="", instrument_name="関税法施行令", article="59-2",
             resolved_from="関税法"),
        dict(surface="同令第4条", instrument_id="", instrument_name="関税法施行令", article="4"),
    ]),
    ("ja-statute-enforcement-order-named", "ja", ["外為法施行令第3条の許可を得た。"], [
        dict(surface="外為法施行令第3条", instrument_id="", instrument_name="外為法施行令", article="3"),
    ]),
    # --- chapters: part of the instrument's mention, no article -------------------------------------------------
    ("en-chapter-of-the-charter", "en", ["The measures were taken under Chapter VII of the UN Charter."], [
        dict(surface="Chapter VII of the UN Charter", article="", **CHARTER)]),
    ("en-acting-under-chapter-vii", "en", ["The Council, acting under Chapter VII, imposed an embargo."], [
        dict(surface="Chapter VII", article="", **CHARTER)]),
    ("ja-charter-chapter-and-article", "ja", ["国連憲章第七章の措置と国連憲章第7章第42条の措置を区別する。"], [
        dict(surface="国連憲章第七章", article="", **CHARTER),
        dict(surface="国連憲章第7章第42条", article="42", **CHARTER)]),
    ("neg-chapter-of-a-report-or-bankruptcy", "en", ["Chapter VII of the annual report notes a Chapter 11 filing."],
     []),
    # --- formal Japanese titles written with hiragana, not in the catalogue --------------------------------------
    ("ja-long-statute-title-with-article", "ja", ["政府は、重要物資の安定的な供給の確保に関する法律第7条に基づき指定した。"], [
        dict(surface="重要物資の安定的な供給の確保に関する法律第7条", instrument_id="",
             instrument_name="重要物資の安定的な供給の確保に関する法律", article="7", type="law"),
    ]),
    ("ja-long-title-keeps-waga-and-mata-wa", "ja", ["我が国の領海又は内水における外国船舶の航行に関する法律第4条を適用する。"], [
        dict(surface="我が国の領海又は内水における外国船舶の航行に関する法律第4条", article="4"),
    ]),
    ("ja-long-agreement-title-defined-then-used", "ja", [
        "日本国とニュージーランドとの間の情報の保護に関する協定（以下「情報保護協定」という。）に署名した。",
        "情報保護協定第十二条により終了する。", "情報保護協定は五年ごとに見直される。"], [
        dict(surface="日本国とニュージーランドとの間の情報の保護に関する協定", instrument_id=""),
        dict(surface="情報保護協定第十二条", article="12",
             instrument_name="日本国とニュージーランドとの間の情報の保護に関する協定"),
        dict(surface="情報保護協定", article="",
             instrument_name="日本国とニュージーランドとの間の情報の保護に関する協定"),
    ]),
    ("neg-ja-long-title-bill-or-without-article", "ja", ["与党は、資源の確保に関する法律案を提出し、住民の安全に関する法律の"
                                                         "改正も議論した。"], []),
    ("en-agreement-title-with-concerning", "en", [
        "The Agreement between Japan and Canada concerning Reciprocal Supplies took effect."], [
        dict(surface="Agreement between Japan and Canada concerning Reciprocal Supplies", instrument_id=""),
    ]),
    ("ja-resolution-list-without-go", "ja", ["北朝鮮の行為は安保理決議1695、2087及び2321に違反する。"], [
        dict(surface="安保理決議1695", number="1695"), dict(surface="2087", number="2087", instrument_id="unscr-2087"),
        dict(surface="2321", number="2321"),
    ]),
    ("neg-ja-resolution-then-year-or-count", "ja", ["安保理決議1695、2006 年の報告及び1718委員会、2000人を参照。"], [
        dict(surface="安保理決議1695", number="1695")]),
    ("en-articles-before-chapter", "en", ["The UN Charter binds all.", "Measures under Articles 41 and 42 of Chapter VII "
                                          "of the Charter differ."], [
        dict(surface="UN Charter", **CHARTER), dict(surface="Articles 41", article="41", **CHARTER),
        dict(surface="42 of Chapter VII of the Charter", article="42", **CHARTER),
    ]),
    # --- names not in the catalogue stay, as written ---------------------------------------------------------
    ("en-catalogued-act-with-and-and-year", "en", ["Designations rest on the Sanctions and Anti-Money Laundering "
                                                   "Act 2018, as amended."], [
        dict(surface="Sanctions and Anti-Money Laundering Act 2018", instrument_id="gbr-samla-2018", type="law"),
    ]),
    ("en-unknown-act-with-and-and-year", "en", ["Exports fall under the Trade Controls and Licensing Act 2021 now."], [
        dict(surface="Trade Controls and Licensing Act 2021", instrument_id="",
             instrument_name="Trade Controls and Licensing Act 2021", type="law"),
    ]),
    ("en-two-names-joined-by-and-the", "en", ["Tonga signed the Reef Fisheries Agreement and the Coastal Patrol "
                                              "Arrangement."], [
        dict(surface="Reef Fisheries Agreement"), dict(surface="Coastal Patrol Arrangement")]),
    ("en-name-between-two-parties-with-and-the", "en", ["It invoked Article 3 of the Amity Treaty between Peru and "
                                                        "the Kingdom of Tonga."], [
        dict(surface="Article 3 of the Amity Treaty between Peru and the Kingdom of Tonga", article="3",
             instrument_name="Amity Treaty between Peru and the Kingdom of Tonga"),
    ]),
    ("en-caatsa-abbreviation", "en", ["Penalties under CAATSA Section 231 were imposed."], [
        dict(surface="CAATSA Section 231", instrument_id="usa-caatsa-2017", article="231")]),
    ("en-uk-regulations-with-year", "en", ["He was listed under the Belarus (Sanctions) (EU Exit) Regulations 2019."], [
        dict(surface="Belarus (Sanctions) (EU Exit) Regulations 2019", instrument_id="", type="law"),
    ]),
    ("neg-regulations-without-year", "en", ["New Export Regulations took effect; Peru and the Lima Accord "
                                            "were discussed."], [dict(surface="Lima Accord")]),
    # --- names not in the catalogue stay, as written ---------------------------------------------------------
    ("en-unknown-act", "en", ["Sanctions followed under the Hong Kong Autonomy Act in 2020."], [
        dict(surface="Hong Kong Autonomy Act", instrument_id="", instrument_name="Hong Kong Autonomy Act", type="law"),
    ]),
    # --- negatives ------------------------------------------------------------------------------------------
    ("neg-newspaper-article", "en", ["An article in the newspaper said three resolutions had passed."], []),
    ("neg-article-of-a-report", "en", ["The NPT was discussed.", "Article 3 of the report lists the costs."], [
        dict(surface="NPT")]),
    ("neg-bare-article-without-instrument", "en", ["Article 12 sets out the procedure for appeals."], []),
    ("neg-bare-article-after-unknown-name", "en", ["The NPT was discussed.",
                                                   "The Rome Statute Article 8 defines war crimes."],
     [dict(surface="NPT")]),
    ("neg-article-common-noun-capitalised", "en", ["The Article was published in May, with 5 charts."], []),
    ("neg-singular-resolution-then-count", "en", ["It cited resolution 2375 and 150 vessels were checked."], [
        dict(surface="resolution 2375")]),
    ("neg-singular-resolution-then-year", "en", ["It cited resolution 2375 and 2019 was calm."], [
        dict(surface="resolution 2375")]),
    ("neg-act-of-congress", "en", ["Funding requires an Act of Congress."], []),
    ("neg-executive-order-without-number", "en", ["The President signed an executive order on 12 May."], []),
    ("neg-nato-without-article", "en", ["NATO's 75th anniversary summit met in Washington."], []),
    ("neg-lower-case-nouns-without-article", "en", ["The treaty was signed in 2000, the agreement lapsed and the "
                                                    "constitution was never amended."], []),
    ("neg-ja-bare-article-without-dai", "ja", ["日米安保条約が締結された。", "全5条からなり、5条件を満たす。"], [
        dict(surface="日米安保条約")]),
    ("neg-ja-ordinal-and-date", "ja", ["日米安保条約について、第3回会合が2024年6月19日に開かれた。"], [
        dict(surface="日米安保条約")]),
    ("neg-ja-bare-article-without-instrument", "ja", ["第5条は集団防衛を定める。"], []),
    ("neg-ja-article-of-unknown-covenant", "ja", ["日米安保条約が締結された。", "規約第3条及び規約の第4条は無効である。"], [
        dict(surface="日米安保条約")]),
    ("neg-ja-method-and-international-law", "ja", ["新たな方法は国際法に基づき検討される。"], []),
    ("neg-ja-statute-without-article", "ja", ["自衛隊の運用は重要影響事態法に基づく。"], []),
    ("neg-ja-same-corporation-and-bill", "ja", ["外為法が改正された。", "同法人は同法案に反対した。"], [dict(surface="外為法")]),
    ("neg-ja-same-conditions", "ja", ["国連憲章第2条を尊重する。", "同条件で合意した。"], [dict(surface="国連憲章第2条")]),
    ("neg-ja-same-article-without-article", "ja", ["同条の趣旨は明らかである。"], []),
    ("neg-ja-promulgation-number-alone", "ja", ["平成十二年条約第二号として公布された。"], []),
    ("neg-ja-resolution-without-number", "ja", ["安保理決議（2017年）に基づき措置を講じた。", "決議十項目を公表した。"], []),
    ("neg-ja-defined-term-inside-word", "ja", [
        "日豪物品役務相互提供協定（以下「協定」という。）が発効した。", "防衛協定第3条とは関係がない。"], [
        dict(surface="日豪物品役務相互提供協定")]),
]


def _run(lang: str, sentences: list[str]) -> list[dict]:
    finder = CitationFinder(lang)
    out = []
    for s in sentences:
        for m in finder.find(s):
            assert s[m.start:m.end] == m.surface, "offsets must give the surface"
            out.append(m.to_dict())
    return out


@pytest.mark.parametrize(("lang", "sentences", "expected"), [pytest.param(*c[1:], id=c[0]) for c in CASES])
def test_citation_kinds(lang, sentences, expected):
    got = _run(lang, sentences)
    assert [g["surface"] for g in got] == [e["surface"] for e in expected], got
    for g, e in zip(got, expected):
        diff = {k: (g[k], v) for k, v in e.items() if g[k] != v}
        assert not diff, f"{e['surface']!r}: (got, expected) {diff}"


def test_list_spans_do_not_overlap():
    """Every item of a list has its own span (a citation table row each)."""
    got = _run("ja", ["決議第1718号、第1874号、第2087号、第2094号、第2270号、第2321号及び第2356号を想起する。"])
    assert [g["number"] for g in got] == ["1718", "1874", "2087", "2094", "2270", "2321", "2356"]
    spans = [(g["start"], g["end"]) for g in got]
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))
