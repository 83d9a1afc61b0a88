"""Blocks, headings, PDF line-break repair and long-document chunking, with exact offsets."""
import pytest

from pipeline.extract.document import chunk_spans, extract
from pipeline.core.records import Document
from pipeline.load.textprep import EN_LINES, JA_LINES, blocks, classify_line

LINES = [
    ("1 朝鮮半島の安全保障への影響", "heading"),
    ("北朝鮮の軍事能力強化", "heading"),
    ("露朝の協力強化は朝鮮半島の安定に貢献する。", "paragraph"),
    ("支持も 22.8%と大きい差が", "fragment"),
    ("令和6年10月16日", "dateline"),
    ("（道下徳成 政策研究大学院大学副学長）", "note"),
    ("Joint Statement on DPRK-Russia (31 May 2024)", "heading"),
    ("Wednesday, April 2, 2025", "dateline"),
    ("Monday 3 March 2025", "dateline"),
    ("Tuesday, March 4, 2025, 10:30 a.m. Prime Minister's Office", "heading"),   # with time and place
    ("We urge the DPRK to respond to the numerous and", "fragment"),
]


@pytest.mark.parametrize("line,kind", LINES)
def test_classify_line(line, kind):
    lines = EN_LINES if line.isascii() else JA_LINES
    assert classify_line(line, lines) == kind


# (text, expected blocks as (kind, text)): which line breaks end a sentence (issue 12)
BLOCK_CASES = [
    # English: a blank line always ends a sentence, also after a long line ending in ':' or a lower-case word
    ("Statement\n\nThe Foreign Secretary gave the following remarks to reporters after the meeting of the "
     "foreign ministers held in the capital on Tuesday morning:\n\nWe condemn the launch.\n",
     [("title", "Statement"),
      ("paragraph", "The Foreign Secretary gave the following remarks to reporters after the meeting of the "
                    "foreign ministers held in the capital on Tuesday morning:"),
      ("paragraph", "We condemn the launch.")]),
    ("Report\n\nThe ministers agreed to continue their work on\n\nsanctions enforcement.\n",
     [("title", "Report"), ("paragraph", "The ministers agreed to continue their work on"),
      ("paragraph", "sanctions enforcement.")]),
    ("Briefing\n\nPress release\n\nThe minister will travel to Seoul.\n",
     [("title", "Briefing"), ("heading", "Press release"), ("paragraph", "The minister will travel to Seoul.")]),
    # a short label above a capitalised line is a heading, not the start of a broken sentence
    ("Briefing\n\nOpening remarks\nSpokesperson: The minister will travel to Seoul.\n",
     [("title", "Briefing"), ("heading", "Opening remarks"),
      ("paragraph", "Spokesperson: The minister will travel to Seoul.")]),
    # negatives: English lines broken by a PDF (no blank line) are still rejoined
    ("Briefing\n\nThe ministers asked the regime to stop its arms trade and\nreturn to talks without delay.\n",
     [("title", "Briefing"), ("paragraph", "The ministers asked the regime to stop its arms trade and return to "
                                          "talks without delay.")]),
    ("Briefing\n\nThe funds were paid to the Bank of\nJapan in two instalments.\n",
     [("title", "Briefing"), ("paragraph", "The funds were paid to the Bank of Japan in two "
                                          "instalments.")]),
    # Japanese: a short heading ending in a particle, a lead-in ending in '：', a long list item: all end there
    ("報告書\n\nはじめに\n\n本報告は、制裁の履行状況をまとめたものである。\n",
     [("title", "報告書"), ("heading", "はじめに"), ("paragraph", "本報告は、制裁の履行状況をまとめたものである。")]),
    ("報告書\n\n本日、政府は制裁措置を決定した。その内容は次のとおり：\n\n資産凍結の対象を拡大する。\n",
     [("title", "報告書"), ("paragraph", "本日、政府は制裁措置を決定した。その内容は次のとおり："),
      ("paragraph", "資産凍結の対象を拡大する。")]),
    ("措置\n\n1. 指定された団体が関与する海外での物品の売買及び役務の提供に対する支払の禁止(根拠:令和7年の閣議了解及び関係省令の"
     "一部改正)\n\n2. 輸出入の全面的な禁止の継続\n",
     [("title", "措置"),
      ("paragraph", "1. 指定された団体が関与する海外での物品の売買及び役務の提供に対する支払の禁止(根拠:令和7年の閣議了解及び関係省令の"
                    "一部改正)"),
      ("heading", "2. 輸出入の全面的な禁止の継続")]),
    # negatives: Japanese prose cut mid-sentence by a page break continues across the blank line
    ("報告書\n\n政府は支援を続けている。世論調査では、支援への賛成が 40%と反対を\n\n上回った。\n",
     [("title", "報告書"), ("paragraph", "政府は支援を続けている。世論調査では、支援への賛成が 40%と反対を上回った。")]),
    ("報告書\n\n米国での支援への支持は根強いが\n\n減少傾向にある。\n",
     [("title", "報告書"), ("paragraph", "米国での支援への支持は根強いが減少傾向にある。")]),
]


@pytest.mark.parametrize("text,expected", BLOCK_CASES, ids=[str(i) for i in range(len(BLOCK_CASES))])
def test_line_breaks_and_blank_lines(text, expected):
    lines = EN_LINES if text.isascii() else JA_LINES
    got = blocks(text, lines)
    assert [(b.kind, b.text) for b in got] == expected
    for b in got:      # every character maps back to the stored text (a joiner to the line break it replaces)
        assert all(text[o] == ch or (ch, text[o]) == (" ", "\n") for o, ch in zip(b.offsets, b.text))


def test_seed_broken_sentence_is_rejoined_with_offsets(seed_result):
    text = seed_result.document.text
    sents = [s for s in seed_result.sentences if "大きい差が" in s.text]
    assert len(sents) == 1
    s = sents[0]
    assert "見られない状況となっている。" in s.text and "\n\n" in s.text     # one sentence across the blank line
    assert text[s.char_start:s.char_end] == s.text


def test_seed_sections_and_headings(seed_result):
    by_surface = {c.surface: c for c in seed_result.claims}
    assert by_surface["1万1000人以上"].section == "1 朝鮮半島の安全保障への影響 > 北朝鮮の軍事能力強化"
    assert by_surface["51%"].section == "2 台湾海峡の安全保障への影響 > 否定的影響"
    headings = [s.text for s in seed_result.sentences if s.kind == "heading"]
    assert "1 朝鮮半島の安全保障への影響" in headings and "軍事的影響" in headings
    assert seed_result.document.title == "露朝軍事協力が地域安全保障に与える影響"
    # headings are not sentences of prose, and no claim comes from a section number
    assert all(c.value not in (1, 2, 3) or c.unit for c in seed_result.claims)


def test_every_offset_points_into_the_stored_text(seed_result):
    text = seed_result.document.text
    for c in seed_result.claims:
        assert text[c.char_start:c.char_end] == c.surface
        assert seed_result.sentences[c.sentence_id].char_start <= c.char_start
        assert c.char_end <= seed_result.sentences[c.sentence_id].char_end
    for s in seed_result.sentences:
        assert text[s.char_start:s.char_end] == s.text


def test_chunks_stay_under_sudachi_limit():
    text = "北朝鮮は1万人以上の兵士を派遣した。" * 4000
    spans = chunk_spans(text, max_bytes=40_000)
    assert len(spans) > 1
    assert all(len(text[a:b].encode()) <= 40_000 for a, b in spans)
    assert "".join(text[a:b] for a, b in spans) == text
    assert all(text[a:b].endswith("。") for a, b in spans)


def test_long_document_is_split_and_offsets_hold():
    """A paragraph of ~190,000 UTF-8 bytes: Sudachi alone would refuse it ('Input is too long')."""
    para = "ロシアは2024年に１２，０００人の兵士を受け入れた。" * 2200
    text = "見出し\n\n" + para + "\n"
    assert len(para.encode()) > 49_149
    result = extract(Document(doc_id="long.ja", path="long.ja.txt", lang="ja", text=text))
    assert len(result.claims) == 2200
    assert all(text[c.char_start:c.char_end] == "１２，０００人" for c in result.claims)
    assert all(c.value == 12000 and c.time == "2024" for c in result.claims)
    assert len({c.claim_id for c in result.claims}) == 2200


def test_full_width_and_crlf_offsets():
    text = "報告\r\n\r\nロシアは約１，０００名を派遣した。\r\n北朝鮮は５０％を\r\n\r\n負担した。\r\n"
    result = extract(Document(doc_id="w.ja", path="w.ja.txt", lang="ja", text=text))
    got = [(text[c.char_start:c.char_end], c.value) for c in result.claims]
    assert got == [("約１，０００名", 1000), ("５０％", 50)]
    assert [c.surface for c in result.claims] == ["約１，０００名", "５０％"]
