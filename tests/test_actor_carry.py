"""The actor of a claim whose sentence names none (issue 12): carried from the sentences before, the document's
speaker and its first-person forms, a person or ministry counted as its state; with the resets and negatives that
keep each rule from over-firing. Sentences of our own, run through the real extractor (GiNZA for Japanese)."""
import pytest

from pipeline.core.records import Document
from pipeline.extract.document import extract


def _claims(text: str, lang: str, publisher: str = "") -> list:
    doc = Document(doc_id=f"t.{lang}", path=f"t.{lang}.txt", lang=lang, text=text, publisher=publisher)
    return extract(doc).claims


def _actor(text: str, lang: str, key: str, publisher: str = "") -> str:
    """actor_ids of the claim whose surface contains ``key`` (as the scorer finds it)."""
    found = [c for c in _claims(text, lang, publisher) if key in c.surface]
    assert found, (key, [c.surface for c in _claims(text, lang, publisher)])
    return found[0].actor_ids


# (text, quantity key, expected actor_ids)
JA_CASES = [
    # dropped subject: carried from the sentence before, and across clauses and paragraphs of one section
    ("北朝鮮は今朝、短距離ミサイルを東に向けて撃った。ミサイルは約40分間飛び、約900km先の海域に落ちた。", "900km", "PRK"),
    ("北朝鮮は今朝、短距離ミサイルを東に向けて撃った。ミサイルは約40分間飛び、約900km先の海域に落ちた。", "40分間", "PRK"),
    ("北朝鮮は昨年、新型ミサイルを何度も試射した。\n\n(1)第一に、新型ミサイルの射程は約8,000kmに達するとみられる。",
     "8,000km", "PRK"),
    # a new explicit subject takes over
    ("北朝鮮は新型ミサイルを試射した。これに対し米国は空母を派遣した。艦載機約40機が周辺に展開した。", "40機", "USA"),
    # a heading starts a new section: nothing carried over it (and no speaker to fall back on)
    ("ロシアは極東に部隊を増強した。\n\n2 経済協力\n\n約300億円の融資が合意された。", "300億円", ""),
    # a heading that names an agent sets the section's actor; its list lines (headings with a number) keep it
    ("1 概況\n\n中国海警船による接近の状況\n\n・接近件数:35件\n\n・接近隻数:延べ120隻\n", "120隻", "CHN"),
    # a headline's leading actor is the topic of its own numbers and of sections that name nobody
    ("ロシア、極東で大規模演習 約5万人参加\n\n1 概要\n\n演習には艦艇約60隻が参加した。", "5万人", "RUS"),
    ("ロシア、極東で大規模演習 約5万人参加\n\n1 概要\n\n演習には艦艇約60隻が参加した。", "60隻", "RUS"),
    ("日米、共同訓練を実施\n\n1 概要\n\n訓練には航空機約40機が参加した。", "40機", ""),     # two actors: no topic
    # a place is nobody's actor
    ("日本海では約30隻の漁船が操業している。", "30隻", ""),
    # an oblique topic (ウクライナでは) is where things happen, not who acts: nothing carried from it
    ("ウクライナでは戦闘が続いている。避難民は約600万人に達した。", "600万人", ""),
    # a person or a ministry acts for its state
    ("金正恩総書記は新型ミサイル2発の試射を視察した。", "2発", "PRK"),
    ("防衛省は、北朝鮮のミサイルが約1,000km飛んだと推定している。", "1,000km", "PRK"),
    # the speaker: 我が国 is Japan's side
    ("我が国は、ウクライナに約500万ドルの人道支援を行う。", "500万ドル", "JPN"),
    # 政府 alone is the speaker's government; another state's 政府 is that state
    ("ウクライナ政府は約600万人の避難民を受け入れた。", "600万人", "UKR"),
    ("政府開発援助の総額は約2兆円に達した。", "2兆円", ""),
    # 同国 is the state named last, even across a heading
    ("北朝鮮は新型ミサイルを試射した。\n\n2 派兵\n\n同国は約3,000人の兵士をロシアに送った。", "3,000人", "PRK"),
    ("合同国際演習には約2,000人が参加した。", "2,000人", ""),
    # a count of countries names who acts: nothing carried into it
    ("北朝鮮は新型ミサイルを試射した。約30か国がこれを非難した。", "30か国", ""),
    # a pollster or a newspaper reports; its figures are not carried to it
    ("防衛研究所が行った調査では、支持は約40%だった。反対は約25%にとどまった。", "25%", ""),
    # a sentence whose subject is nominalised and names another actor only inside its predicate carries nothing
    ("北朝鮮は新型ミサイルを試射した。\n\n2 国際情勢\n\n問題となったのは、ロシアによる侵略という暴挙である。約30か国が非難した。",
     "30か国", ""),
    # minutes: a speaker's turn carries nothing over from the turn before; a government speaker's turn is Japan's
    ("○委員（田中一郎君）　ロシアの演習について伺います。\n\n○国務大臣（山本次郎君）　ロシアは今月、艦艇約20隻を"
     "動員しました。\n\n○委員（田中一郎君）　予算について伺います。\n\n○国務大臣（山本次郎君）　本年度の関係予算は"
     "約1,200億円であります。", "1,200億円", "JPN"),
    ("○委員（田中一郎君）　ロシアの演習について伺います。\n\n○国務大臣（山本次郎君）　ロシアは今月、艦艇約20隻を"
     "動員しました。", "20隻", "RUS"),
    # a member's turn answers for nobody: what the minister's turn carried stops there
    ("○国務大臣（山本次郎君）　ロシアは艦艇を動員しました。\n\n○委員（田中一郎君）　参加者は約300人と聞いております。",
     "300人", ""),
]


@pytest.mark.parametrize("text,key,expected", JA_CASES, ids=[f"{c[1]}-{c[2] or 'none'}" for c in JA_CASES])
def test_ja_actor(text, key, expected):
    assert _actor(text, "ja", key) == expected


# a press release about the speaker's own aid: its list lines are the speaker's
AID_RELEASE = ("報道発表\n\n人道支援の拠出について\n\n"
               "1 本日、我が国政府は、国際機関を通じて人道支援のための資金を拠出することとした。\n\n"
               "(参考)\n\n拠出額の内訳\n\nUNICEF 保健分野(20万ドル)\n")


def test_sanction_target_is_the_recipient():
    """A sanctions notice: the sanctioning government acts, the side of the designated entities receives."""
    text = "政府は、北朝鮮の3団体及び5個人を資産凍結等の措置の対象に指定した。"
    claim = [c for c in _claims(text, "ja") if "3団体" in c.surface][0]
    assert (claim.actor_ids, claim.recipient_ids) == ("JPN", "PRK")


def test_own_entities_are_no_target():
    """北朝鮮の兵士 are the actor's own: no recipient from the counted phrase outside a measure."""
    claim = _claims("北朝鮮は北朝鮮の兵士約3,000人を前線に送った。", "ja")[0]
    assert (claim.actor_ids, claim.recipient_ids) == ("PRK", "")


def test_own_measures_list_line_is_the_speakers():
    assert _actor(AID_RELEASE, "ja", "20万ドル") == "JPN"


def test_own_measures_need_a_speaker():
    """Without a first-person form or a publisher nobody is known to speak: the list line stays empty."""
    text = AID_RELEASE.replace("我が国政府は、", "")
    assert _actor(text, "ja", "20万ドル") == ""


def test_publisher_names_the_speaker():
    text = "報道発表\n\n人道支援の拠出について\n\n拠出額の内訳\n\nUNICEF 保健分野(20万ドル)\n"
    assert _actor(text, "ja", "20万ドル", publisher="外務省 (MOFA Japan)") == "JPN"
    assert _actor(text, "ja", "20万ドル") == ""


EN_CASES = [
    # a transcript: a new speaker's turn carries nothing over from the answer before
    ("QUESTION: What about the drills?\n\nMR SMITH: Iran moved about 12 warships.\n\nQUESTION: And aid?\n\n"
     "MR SMITH: We set aside roughly $7 million so far.", "$7 million", ""),
    ("QUESTION: What about the drills?\n\nMR SMITH: Iran moved about 12 warships. They sailed 300 miles.",
     "300 miles", "IRN"),
    # pronouns and definite descriptions refer back to the actor of the sentence before
    ("Iran fired a cruise missile at dawn. It flew about 900 km before falling into the sea.", "900 km", "IRN"),
    ("Iran fired a cruise missile at dawn. The missile climbed to about 2,000 km.", "2,000 km", "IRN"),
    # an earlier clause of the same sentence
    ("Iran has fired 30 drones this year, among them four jet-powered ones.", "four", "IRN"),
    # the Government of X acts as X; an agent after "by"; the provider of an aid after the number
    ("On May 2, the Government of Canada decided to extend emergency aid of about 2 million dollars.", "2 million",
     "CAN"),
    ("Three drones were fired by Iran on Monday.", "Three", "IRN"),
    ("Congress approved $300 million in U.S. military aid.", "$300 million", "USA"),
    # an office acts for its state (a sanctions notice's counts)
    ("The Office of Foreign Assets Control (OFAC) designated three shipping firms on Friday.", "three", "USA"),
    # the first actor is not always the subject: objects after a verb group, a/an modifiers
    ("Canada announced a new package. The package would supply Ukraine with 50 armored vehicles.", "50 armored",
     "CAN"),
    ("Today's notice lists a Japan-based firm and two of its branches.", "two", ""),
    # a new clause after "as": its own subject
    ("The exercise began as Canada and Japan wrapped up 11 days of drills.", "11 days", "CAN"),
    # a title-case headline: only an actor that opens it is its topic, not the object of its verb
    ("Japan Extends Sanctions on Iran\n\nBackground\n\nThe measures cover 12 entities.", "12 entities", "JPN"),
    ("Treasury Targets Iran's Drone Network\n\nBackground\n\nThe network supplied 300 drones.", "300 drones", ""),
    # a place is nobody's actor
    ("The drone fell into the Sea of Japan about 200 km north of Sado.", "200 km", ""),
    # a possessive inside a subordinate clause is not the topic carried on
    ("Canada announced a new package. Other states joined it because Iran's navy moved. About 20 tanks will follow.",
     "20 tanks", "CAN"),
    # a count of countries names who acts: nothing carried into it
    ("Iran fired a missile at dawn. More than 30 countries condemned the launch.", "30 countries", ""),
    # a heading resets what was carried
    ("Iran fired three drones.\n\nEconomic Cooperation\n\nLoans of about 300 million dollars were agreed.",
     "300 million", ""),
]


@pytest.mark.parametrize("text,key,expected", EN_CASES, ids=[f"{c[1]}-{c[2] or 'none'}" for c in EN_CASES])
def test_en_actor(text, key, expected):
    assert _actor(text, "en", key) == expected


BYLINE = "Remarks by Marco Rubio, Secretary of State\n\n"


def test_we_is_the_speaker_named_in_a_byline():
    text = BYLINE + "We will send a further $400 million to Ukraine."
    claim = [c for c in _claims(text, "en") if "$400 million" in c.surface][0]
    assert (claim.actor_ids, claim.recipient_ids) == ("USA", "UKR")


def test_we_without_a_speaker_is_nobody():
    assert _actor("We will send a further $400 million to Ukraine.", "en", "$400 million") == ""


def test_we_reporting_is_not_the_actor():
    """"We believe that …" is the speaker's voice: the claim stays with the launcher carried from before."""
    text = ("Remarks by the Chief Cabinet Secretary\n\nIran fired a missile at dawn. "
            "We are still studying the data, but we believe that the missile flew about 1,000 km.")
    assert _actor(text, "en", "1,000 km") == "IRN"


def test_speaker_label_names_nobody():
    text = "Defence Minister Sato: It seems that Iran fired a drone. It flew about 600 km."
    assert _actor(text, "en", "600 km") == "IRN"
