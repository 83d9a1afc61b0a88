"""English side: sentence alignment of the real pairs against the gold, embedder backends, claim matching."""
from pathlib import Path

import numpy as np
import pytest

from pipeline.crosslang.align import align, read_gold
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
]


@pytest.mark.parametrize("ja_text,en_text,status", MATCH_CASES, ids=[c[2] for c in MATCH_CASES])
def test_claim_matching(ja_text, en_text, status):
    ja = extract(Document(doc_id="p.ja", path="p.ja.txt", lang="ja", text=ja_text))
    en = extract(Document(doc_id="p.en", path="p.en.txt", lang="en", text=en_text))
    rows, matches = align_pair(ja, en, get_embedder())
    assert [r.link_type for r in rows] == ["1-1"]
    claims = [m for m in matches if m.kind == "claim"]
    assert [m.status for m in claims] == [status], [(m.status, m.detail) for m in claims]


def test_missing_in_ja():
    ja = extract(Document(doc_id="q.ja", path="q.ja.txt", lang="ja", text="北朝鮮は兵士をロシアに派遣した。"))
    en = extract(Document(doc_id="q.en", path="q.en.txt", lang="en", text="North Korea sent 11,000 soldiers to Russia."))
    _, matches = align_pair(ja, en, get_embedder())
    assert [m.status for m in matches if m.kind == "claim"] == ["missing_in_ja"]
