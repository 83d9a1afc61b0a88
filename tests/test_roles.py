"""Who did what on real sentences from the corpus: predicate, actor, recipient, hedge, attribution."""
import pytest

from pipeline.extract.actors import gazetteer
from pipeline.lang.ja.roles import hedge_for, roles_for

# (sentence, quantity surface, predicate, actor_ids, recipient_ids, hedge, attribution)
CASES = [
    ("北朝鮮は2024年終わり頃から1万1000人以上の兵士をロシアに派遣し、2025年1～3月には3000人以上の兵士を追加派遣した。",
     "1万1000人以上", "派遣する", ["PRK"], ["RUS"], "asserted", ""),
    ("北朝鮮は2024年終わり頃から1万1000人以上の兵士をロシアに派遣し、2025年1～3月には3000人以上の兵士を追加派遣した。",
     "3000人以上", "追加派遣する", ["PRK"], ["RUS"], "asserted", ""),
    ("こうしたなか、同年 3～10 月にロシアが 100 万バレル以上の石油精製品を北朝鮮に供給したとの分析がある。",
     "100 万バレル以上", "供給する", ["RUS"], ["PRK"], "reported", ""),
    ("第 2 回報告書では北朝鮮が IT 労働者を用いて少なくとも 28 億ドル相当の暗号資産を窃取したとした上で、",
     "少なくとも 28 億ドル", "窃取する", ["PRK"], [], "reported", ""),
    ("なお、ベトナムへの派兵により、韓国軍は約5,000名が死亡した。", "約5,000名", "死亡する", ["rok-armed-forces"], [],
     "asserted", ""),
    ("2025 年 3 月の CBS テレビの調査によると、軍事支援に賛成する人が 51%と、わずかに反対を上回った。",
     "51%", "上回る", [], [], "reported", "cbs"),
    ("2024年11月以降、ロシアは北朝鮮に3基の防空システムを提供したと推定される。",
     "3基", "提供する", ["RUS"], ["PRK"], "estimated", ""),
    # a name GiNZA cuts in two before の (中国海警 + 局): still the phrase's owner
    ("中国海警局の船4隻が領海に侵入した。", "4隻", "侵入する", ["CHN"], [], "asserted", ""),
]


@pytest.mark.parametrize("text,surface,predicate,actors,recipients,hedge,attribution", CASES,
                         ids=[c[1] for c in CASES])
def test_roles(nlp, text, surface, predicate, actors, recipients, hedge, attribution):
    doc = nlp(text)
    g = gazetteer()
    mentions = g.merge_ner(g.find_ja(doc.text), doc.ents)
    q = [sp for sp in doc.spans["quantities"] if sp.text == surface][0]
    r = roles_for(doc, q.start_char, q.end_char, 0, len(doc.text), mentions)
    assert (r.predicate, r.actor_ids, r.recipient_ids, r.hedge, r.attribution) == \
        (predicate, actors, recipients, hedge, attribution)


@pytest.mark.parametrize("sentence,hedge", [
    ("北朝鮮は数十億ドルの外貨収入を得ており、戦争が続く限り、有利であると考えられるであろう。", "asserted"),
    ("特需を得たと推定されている。", "estimated"),
    ("兵士を派遣する可能性がある。", "speculative"),
    ("兵士を派遣したとの報道がある。", "reported"),
    ("兵士を派遣した。", "asserted"),
])
def test_hedge_scope_stops_at_clause_break(sentence, hedge):
    assert hedge_for(sentence, 3) == hedge


def test_every_hedge_cue_example_gets_its_hedge():
    from pipeline.core import rules

    for cue in rules.load("hedges")["cues"]:
        assert cue["surface"] in cue["example"], cue
        assert hedge_for(cue["example"], 0) == cue["hedge"], cue


EN_CASES = [
    ("North Korea reportedly sent 11,000 soldiers to Russia.", "11,000 soldiers", ["PRK"], ["RUS"], "reported", ""),
    ("North Korea launched at least 40 ballistic missiles in 2024, according to the Ministry of Defense.",
     "at least 40 ballistic missiles", ["PRK"], [], "reported", "the Ministry of Defense"),
    ("Russia may have supplied 1 million barrels of oil to the DPRK.", "1 million barrels", ["RUS"], ["PRK"],
     "speculative", ""),
    ("China's defense budget rose 7.2% in 2025.", "7.2%", ["CHN"], [], "asserted", ""),
    # the possessor of the number's own noun phrase, when the clause's subject is no actor
    ("The new measures follow Iran's launch of more than 20 drones last month.", "more than 20 drones", ["IRN"], [],
     "asserted", ""),
    ("The report counts Russia's 12 frigates in the region.", "12 frigates", ["RUS"], [], "asserted", ""),
    ("The plan cuts China's share of 40% of the market.", "40%", ["CHN"], [], "asserted", ""),
    # the subject acts (Japan), not the owner of the assets; a possessive that is not the number's own phrase
    ("Japan froze Iran's assets worth $5 million.", "$5 million", ["JPN"], [], "asserted", ""),
    ("The talks with Canada's envoy lasted 3 hours.", "3 hours", [], [], "asserted", ""),
    # the state whose adjective qualifies the counted noun, when the clause names no subject; not two states
    ("Nearly 2,000 Iranian advisers have left, officials said.", "Nearly 2,000 Iranian advisers", ["IRN"], [],
     "reported", ""),
    ("Some 600 Chinese and Russian aircraft flew past.", "Some 600 Chinese and Russian aircraft", [], [], "asserted",
     ""),
    ("Canada hired 40 Japanese engineers.", "40 Japanese engineers", ["CAN"], [], "asserted", ""),   # the subject acts
    # a reporting actor and a reported clause with an actor of its own: the reported clause's actor
    ("Canada believes Iran moved 30 launchers to the coast.", "30 launchers", ["IRN"], [], "asserted", ""),
    ("Canada says it will send 30 instructors to Ukraine.", "30 instructors", ["CAN"], ["UKR"], "asserted", ""),
    ("Canada's navy said two Iranian frigates left the port.", "two Iranian frigates", ["IRN"], [], "reported", "CAN"),
]


@pytest.mark.parametrize("text,surface,actors,recipients,hedge,attribution", EN_CASES, ids=[c[1] for c in EN_CASES])
def test_roles_en(text, surface, actors, recipients, hedge, attribution):
    from pipeline.extract.document import extract
    from pipeline.core.records import Document

    r = extract(Document(doc_id="e.en", path="e.en.txt", lang="en", text=text))
    c = [c for c in r.claims if c.surface == surface][0]
    assert (c.actor_ids.split(";") if c.actor_ids else [], c.recipient_ids.split(";") if c.recipient_ids else [],
            c.hedge, c.attribution) == (actors, recipients, hedge, attribution)


@pytest.mark.parametrize("ex", __import__("pipeline.core.rules", fromlist=["load"]).load("roles")["examples"],
                         ids=lambda e: e["text"][:12])
def test_recipient_rule_examples(nlp, ex):
    doc = nlp(ex["text"])
    g = gazetteer()
    mentions = g.merge_ner(g.find_ja(doc.text), doc.ents)
    q = list(doc.spans["quantities"])[0]
    assert roles_for(doc, q.start_char, q.end_char, 0, len(doc.text), mentions).recipient_ids == ex["recipients"]


# What a sentence carries to the next ones (issue 12): the actor of its subject, topic or subject event's agent.
SUBJECT_CASES = [
    ("北朝鮮は新型ミサイルを試射した。", ["PRK"]),
    ("金正恩総書記が発射を視察した。", ["kim-jong-un"]),             # the document stage counts him as PRK
    ("ロシアなどが演習に参加した。", ["RUS"]),                       # など is skipped, が decides
    ("中国海警局による接近が続いている。", ["CHN"]),            # the agent of the subject event
    ("報道によると、ロシアは部隊を増強した。", ["RUS"]),               # によると names a source, not an agent
    ("中国海警局に所属する巡視船は、領海に侵入した。", ["CHN"]),      # a relative clause of belonging names whose
    ("同日、ロシア東部付近から、巡航ミサイル2発が発射された。", ["RUS"]),   # the source of a passive launch
    ("我が国領海に中国海警局に所属する船舶3隻が侵入した。", ["CHN"]),   # belonging: the phrase right before
    ("これら3隻は約50時間にわたり領海内に留まり、海上保安庁の巡視船が警告を行った。", []),   # a topic pointing back
    # negatives: an oblique topic is a place or a source; a relative clause of another verb names nobody
    ("ロシアを支持する国民は、少数である。", []),
    # an agent inside the predicate noun is not the topic
    ("ウクライナでは戦闘が続いている。", []),
    ("米国からは3人が参加した。", []),
    ("米国から届いた物資が配布された。", []),                          # から of another verb: no source
    ("問題となったのは、ロシアによる侵略という暴挙である。", []),
]


@pytest.mark.parametrize("text,expected", SUBJECT_CASES, ids=[c[0][:10] for c in SUBJECT_CASES])
def test_sentence_subject(nlp, text, expected):
    from pipeline.lang.ja.roles import sentence_subject

    doc = nlp(text)
    assert sentence_subject(doc, 0, len(doc.text), gazetteer().find_ja(doc.text)) == expected


@pytest.mark.parametrize("text,expected", [
    ("極東におけるロシア軍", ["russian-armed-forces"]),     # one actor in the head noun: the section's topic
    ("中国海警船による接近の状況", ["CHN"]),                 # any agent of a heading
    ("日米交流事業", []),                                    # two actors: nobody's alone
    ("インドに対する円借款について", []),                  # a recipient is no topic
    ("防衛省", []),                                          # a government body alone: a byline, no topic
    ("ロシア", ["RUS"]),                                     # a state alone: the section's topic
])
def test_heading_subject(nlp, text, expected):
    from pipeline.lang.ja.roles import sentence_subject

    doc = nlp.make_doc(text)
    doc.user_data["heading"] = True
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    assert sentence_subject(doc, 0, len(doc.text), gazetteer().find_ja(doc.text)) == expected


EN_SUBJECT_CASES = [
    ("On June 3, Iran fired two missiles.", ["IRN"]),
    ("Iran's navy seized a tanker.", ["IRN"]),
    ("The drone was fired by Iran.", ["IRN"]),
    ("The Government of Canada decided to extend the sanctions.", ["CAN"]),
    ("It appears that Iran fired a drone.", ["IRN"]),
    # negatives: objects, possessives inside other phrases, sources, personal subjects, names of laws
    ("The package would give Ukraine tanks.", []),
    ("Loans would help Ukraine and ports hit by Iran's navy.", []),
    ("According to Iran, the drone flew far.", []),
    ("I thank Congress for its help to Ukraine.", []),
    ("Aid was sent to the Armed Forces of Ukraine.", []),
    ("This decision concerns Iran and its neighbours.", []),
]


@pytest.mark.parametrize("text,expected", EN_SUBJECT_CASES, ids=[c[0][:16] for c in EN_SUBJECT_CASES])
def test_subject_en(text, expected):
    from pipeline.lang.en.roles import subject_en

    assert subject_en(text, gazetteer().find_en(text)) == expected
