"""English side: sentence alignment of the real pairs against the gold, embedder backends, claim matching."""
from pathlib import Path

import numpy as np
import pytest

from pipeline.crosslang.align import align, is_cut_off, item_number, read_gold, units
from pipeline.crosslang.embed import TransformersEmbedder, get_embedder
from pipeline.extract.document import extract, process_document
from pipeline.crosslang.pairs import align_pair, find_pairs
from pipeline.core.records import Document

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "bench" / "gold"


@pytest.fixture(scope="module")
def corpus_results():
    return [process_document(p, ROOT / "corpus") for p in sorted((ROOT / "corpus").glob("*.txt"))]


def test_pairs_found_by_stem_and_metadata(corpus_results):
    pairs = [(ja.document.doc_id, en.document.doc_id) for ja, en in find_pairs(corpus_results)]
    assert pairs == [("fmjs-dprk-ru-20240531.ja", "fmjs-dprk-ru-20240531.en"),
                     ("trilat-fm-20231026.ja", "trilat-fm-20231026.en")]


def test_real_pairs_match_the_gold_alignment(corpus_results):
    tp = fp = fn = 0
    for ja, en in find_pairs(corpus_results):
        rows, _ = align_pair(ja, en, get_embedder())
        got = {(int(a), int(b)) for r in rows if r.ja_sent_ids and r.en_sent_ids
               for a in r.ja_sent_ids.split(";") for b in r.en_sent_ids.split(";")}
        gold = read_gold(GOLD / f"{ja.document.doc_id[:-3]}.tsv")
        tp, fp, fn = tp + len(got & gold), fp + len(got - gold), fn + len(gold - got)
        # every sentence appears exactly once, in order
        ja_ids = [int(i) for r in rows if r.ja_sent_ids for i in r.ja_sent_ids.split(";")]
        en_ids = [int(i) for r in rows if r.en_sent_ids for i in r.en_sent_ids.split(";")]
        assert ja_ids == list(range(len(ja.sentences))) and en_ids == list(range(len(en.sentences)))
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    assert precision >= 0.95 and recall >= 0.85, (precision, recall)


def test_one_to_two_and_unmatched_links():
    ja = ["北朝鮮は1万人以上の兵士をロシアに派遣し、ロシアは北朝鮮に100万バレルの石油を供給した。",
          "令和6年10月16日",
          "安保理は制裁を強化すべきである。"]
    en = ["North Korea sent more than 10,000 soldiers to Russia.",
          "Russia supplied 1 million barrels of oil to North Korea.",
          "The Security Council should strengthen sanctions."]
    links = align(ja, en, get_embedder())
    assert [(link.ja, link.en) for link in links] == [([0], [0, 1]), ([1], []), ([2], [2])]


# (Japanese sentences, English sentences, expected links as (ja ids, en ids)): what position must not decide
ALIGN_CASES = [
    # a bare list marker split off by the English sentencizer goes with its paragraph, not with the one before
    (["2 両大臣は、法の支配に基づく自由で開かれた国際秩序を維持する決意を再確認した。",
      "3 両大臣は、北朝鮮による核・ミサイル開発の継続を強く非難した。",
      "両大臣は、北朝鮮に対し、全ての関連する安保理決議の下での義務に従うよう求めた。",
      "4 両大臣は、ロシアのウクライナ侵略を最も強い言葉で非難した。"],
     ["2.", "The Ministers renewed their resolve to uphold a free and open world order that rests on the rule of law.",
      "3.", "The two Ministers firmly denounced Pyongyang's continuing build-up of nuclear arms and missiles.",
      "They urged North Korea to honour its obligations under every applicable UNSC resolution.",
      "They also voiced concern about North Korea's malicious cyber operations.", "4.",
      "The Ministers denounced, in the harshest words, Russia's war of aggression on Ukraine.", "5."],
     [([0], [0, 1]), ([1], [2, 3]), ([2], [4]), ([], [5]), ([3], [6, 7]), ([], [8])]),
    (["外務大臣談話", "北朝鮮の弾道ミサイル発射について", "令和7年3月4日",
      "1 本4日午前、北朝鮮は東部沿岸から弾道ミサイル2発を東方向に発射しました。"],
     ["Statement by the Foreign Minister on North Korea's Launch of Ballistic Missiles", "March 4, 2025", "1.",
      "On the morning of March 4, North Korea fired two ballistic missiles eastward from its east coast.", "2."],
     [([0, 1], [0]), ([2], [1]), ([3], [2, 3]), ([], [4])]),
    # a 1-n link must fit better than its best part: a neighbour is not absorbed for free
    (["来月10日から3日間、東京で海洋安全保障に関する国際会議を開催します。", "約30か国の代表が参加する予定です。"],
     ["The first is about an international conference.", "Starting on the 10th of next month, Japan will hold a "
      "three-day conference on maritime security in Tokyo.", "Delegates from about 30 countries are expected to "
      "attend."],
     [([], [0]), ([0], [1]), ([1], [2])]),
    (["国連安全保障理事会における石兼大使のステートメント（仮訳）", "議長、"],
     ["Statement by Ambassador ISHIKANE Kimihiro at the UNSC Briefing on DPRK", "Thank you, Madam President."],
     [([0], [0]), ([1], [1])]),
    # a speaker label goes with the remark it introduces
    (["北朝鮮が昨日発射したミサイルについて伺います。", "政府として、これは新型の大陸間弾道ミサイルだったと分析しているのでしょうか。",
      "【報道官】", "現在、米国等と緊密に連携しつつ、詳細を分析中です。"],
     ["Yamada, NHK: My question concerns the missile North Korea fired yesterday.",
      "Does the Government believe it was a new type of ICBM?",
      "Press Secretary: We are now examining the details, working closely with the U.S. and others."],
     [([0], [0]), ([1], [1]), ([2, 3], [2])]),
    # one long sentence rendered as three
    (["政府は、昨年の豪雨災害を受け、被災地の復旧に約500億円を措置するとともに、住宅を失った約2,000世帯に仮設住宅を"
      "提供し、さらに中小企業の事業再開を支援するため、無利子融資の制度を創設しました。", "今後も被災地に寄り添ってまいります。"],
     ["Following last year's torrential rain disaster, the Government allocated approximately 50 billion yen for "
      "recovery of the affected areas.", "It also provided temporary housing to about 2,000 households that lost "
      "their homes.", "Furthermore, it created an interest-free loan program to help small and medium-sized "
      "enterprises resume their businesses.", "We will continue to stand by the affected areas."],
     [([0], [0, 1, 2]), ([1], [3])]),
    # a speaker label goes with the remark it introduces
    (["政府は、総額300万ドルの緊急援助を行うことを決めました。", "【記者】", "この支援の目的について伺います。"],
     ["The Government has decided to provide emergency aid totalling 3 million US dollars.",
      "Reporter: What is the purpose of this aid?"],
     [([0], [0]), ([1, 2], [1])]),
    # the paragraph number decides between two similar paragraphs
    (["2 両大臣は、北朝鮮による弾道ミサイル発射を非難した。", "3 両大臣は、北朝鮮による弾道ミサイル発射を強く非難した。"],
     ["3.", "The Ministers firmly denounced the missile firings by North Korea."],
     [([0], []), ([1], [0, 1])]),
    # excerpts that both stop mid-sentence: their last sentences are linked
    (["両大臣は、北朝鮮の核開発を非難した。", "さらに、政府は、制裁の実効性を高めるため、民間事業者に対する注意喚起を行い"],
     ["The Ministers condemned North Korea's nuclear development.", "Furthermore, the Government will alert priv"],
     [([0], [0]), ([1], [1])]),
    # negatives: a sentence only one version has stays unmatched; so does navigation text after the last link,
    # a site header and a language link
    (["政府は、制裁対象に3団体を追加した。", "なお、詳細については引き続き分析中です。", "我が国は、関係国と緊密に連携していく。"],
     ["The Government added three entities to the sanctions list.",
      "Japan will keep working closely with the countries concerned."],
     [([0], [0]), ([1], []), ([2], [1])]),
    (["政府は、ウクライナに対する緊急無償資金協力を決定した。", "発信元サイトへ"],
     ["The Government decided to give emergency aid to Ukraine.", "Back to News Releases"],
     [([0], [0]), ([], [1]), ([1], [])]),
    (["外務省", "令和7年5月1日", "日本政府は、新たな制裁措置を決定した。"],
     ["Japanese", "Back to top", "Japan's Government decided on new sanctions."],
     [([], [0]), ([], [1]), ([0], []), ([1], []), ([2], [2])]),
]


@pytest.mark.parametrize("ja,en,expected", ALIGN_CASES, ids=[str(i) for i in range(len(ALIGN_CASES))])
def test_alignment_decisions(ja, en, expected):
    assert [(link.ja, link.en) for link in align(ja, en, get_embedder())] == expected


@pytest.mark.parametrize("texts,expected", [
    (["1.", "Japan protested.", "(2)", "Japan acted."], [[0, 1], [2, 3]]),
    (["【記者】", "伺います。", "①", "第一に、"], [[0, 1], [2, 3]]),
    (["Japan protested.", "3."], [[0], [1]]),             # a marker at the very end stays on its own
    (["1.5 million people fled.", "3 ships sank."], [[0], [1]]),
])
def test_units(texts, expected):
    assert units(texts) == expected


@pytest.mark.parametrize("text,lang,expected", [
    ("2 今回の発射は断じて容認できない。", "ja", 2), ("(3)第一に、", "ja", 3), ("３．我が国は", "ja", 3),
    ("2 12月3日の発射は", "ja", 2), ("3. The Council adopted", "en", 3), ("(4) The Ministers", "en", 4),
    ("3 月に発射された。", "ja", None), ("5 か国が参加した。", "ja", None), ("2 倍に増えた。", "ja", None),
    ("12(平成24)年3月の演習", "ja", None), ("1点目は", "ja", None),
    ("1.5 million people", "en", None), ("30 countries joined.", "en", None), ("2022/12/16", "ja", None),
])
def test_item_number(text, lang, expected):
    assert item_number(text, lang) == expected


@pytest.mark.parametrize("text,lang,expected", [
    ("Furthermore, the Government will alert priv", "en", True), ("Some experts have pointed out that th", "en", True),
    ("さらに、政府は、民間事業者に対する注意喚起を行い", "ja", True),
    ("Back to News Releases", "en", False), ("Japan protested.", "en", False), ("発信元サイトへ", "ja", False),
    ("我が国は厳重に抗議した。", "ja", False), ("Begin Text:", "en", False),
])
def test_is_cut_off(text, lang, expected):
    assert is_cut_off(text, lang) == expected


def _tiny_bert(tmp_path: Path, texts: list[str]) -> Path:
    """A tiny random BERT with a character vocabulary, built and saved locally (no hub)."""
    from transformers import BertConfig, BertModel, BertTokenizerFast

    chars = sorted({c for t in texts for c in t.lower() if not c.isspace()})
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *chars]
    (tmp_path / "vocab.txt").write_text("\n".join(vocab), encoding="utf-8")
    tok = BertTokenizerFast(vocab_file=str(tmp_path / "vocab.txt"), tokenize_chinese_chars=True)
    config = BertConfig(vocab_size=len(vocab), hidden_size=32, num_hidden_layers=1, num_attention_heads=2,
                        intermediate_size=37, max_position_embeddings=128)
    model_dir = tmp_path / "tiny-bert"
    BertModel(config).save_pretrained(model_dir)
    tok.save_pretrained(model_dir)
    return model_dir


def test_transformers_backend_loads_a_local_model(tmp_path):
    texts = ["北朝鮮は兵士を派遣した。", "North Korea sent soldiers.", "Russia supplied oil."]
    emb = TransformersEmbedder(str(_tiny_bert(tmp_path, texts)))
    vecs = emb.encode(texts)
    assert vecs.shape == (3, 32)
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-5)
    links = align(texts[:1], texts[1:], emb)
    assert sorted(i for link in links for i in link.en) == [0, 1]
    with pytest.raises(FileNotFoundError):
        TransformersEmbedder(str(tmp_path / "missing"))


# (Japanese sentence, English sentence, expected claim status)
MATCH_CASES = [
    ("北朝鮮は1万1000人以上の兵士をロシアに派遣した。", "North Korea sent more than 11,000 soldiers to Russia.", "match"),
    ("北朝鮮は1万人以上の兵士をロシアに派遣した。", "North Korea sent at least 12,000 soldiers to Russia.", "value_mismatch"),
    ("ロシアは5000人以上の労働者を受け入れた。", "Russia accepted about 5,000 workers.", "qualifier_mismatch"),
    ("ロシアは5000トンの石油を供給した。", "Russia supplied 5,000 barrels of oil.", "unit_mismatch"),
    ("北朝鮮は3000人の兵士を追加派遣した。", "North Korea sent additional soldiers.", "missing_in_en"),
    # the translation puts the cue words elsewhere (a running total in Japanese, a budget in English): same figure
    ("政府はこれまでに約500億円の予算を計上した。", "So far the Government has set a budget of about 50 billion yen.",
     "match"),
]


@pytest.mark.parametrize("ja_text,en_text,status", MATCH_CASES, ids=[c[2] for c in MATCH_CASES])
def test_claim_matching(ja_text, en_text, status):
    ja = extract(Document(doc_id="p.ja", path="p.ja.txt", lang="ja", text=ja_text))
    en = extract(Document(doc_id="p.en", path="p.en.txt", lang="en", text=en_text))
    rows, matches = align_pair(ja, en, get_embedder())
    assert [r.link_type for r in rows] == ["1-1"]
    claims = [m for m in matches if m.kind == "claim"]
    assert [m.status for m in claims] == [status], [(m.status, m.detail) for m in claims]


def test_other_dimension_and_figure_is_no_counterpart():
    """An altitude is not a distance: a different figure of another dimension stays unmatched on both sides."""
    ja = extract(Document(doc_id="r.ja", path="r.ja.txt", lang="ja", text="ミサイルは最高高度約900kmに達した。"))
    en = extract(Document(doc_id="r.en", path="r.en.txt", lang="en", text="The missile flew about 600 km."))
    _, matches = align_pair(ja, en, get_embedder())
    assert sorted(m.status for m in matches if m.kind == "claim") == ["missing_in_en", "missing_in_ja"]


def test_missing_in_ja():
    ja = extract(Document(doc_id="q.ja", path="q.ja.txt", lang="ja", text="北朝鮮は兵士をロシアに派遣した。"))
    en = extract(Document(doc_id="q.en", path="q.en.txt", lang="en", text="North Korea sent 11,000 soldiers to Russia."))
    _, matches = align_pair(ja, en, get_embedder())
    assert [m.status for m in matches if m.kind == "claim"] == ["missing_in_ja"]
