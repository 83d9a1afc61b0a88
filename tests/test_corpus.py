"""Corpus loading: ids, language, metadata, and clear errors for unusable files."""
import pytest

from pipeline.load.corpus import DocumentError, decode, detect_lang, discover, doc_id_for, load_document, read_metadata
from pipeline.orchestrate.run import process_one


def test_ids_language_and_metadata(tmp_path):
    (tmp_path / "a.ja.txt").write_text("北朝鮮は兵士を派遣した。", encoding="utf-8")
    (tmp_path / "a.ja.meta.yaml").write_text("title: テスト\npublished: 2024-06-19\ntranslation_of: a.en\n",
                                             encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "noted.txt").write_text("The DPRK sent troops to Russia.", encoding="utf-8")
    paths = discover(tmp_path)
    assert [doc_id_for(p, tmp_path) for p in paths] == ["a.ja", "sub/noted"]
    doc = load_document(paths[0], tmp_path)
    assert (doc.lang, doc.title, doc.published, doc.translation_of) == ("ja", "テスト", "2024-06-19", "a.en")
    assert load_document(paths[1], tmp_path).lang == "en"


@pytest.mark.parametrize("text,lang", [("露朝軍事協力が地域安全保障に与える影響", "ja"),
                                       ("Joint Statement on DPRK-Russia", "en"), ("12345 ---", "und")])
def test_detect_lang(text, lang):
    assert detect_lang(text) == lang


@pytest.mark.parametrize("data,reason", [
    (b"", "empty file"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "binary"),
    ("北朝鮮".encode("shift_jis"), "not UTF-8"),
    (b"   \n\n", "no text"),
])
def test_unusable_files_say_why(data, reason):
    with pytest.raises(DocumentError, match=reason):
        decode(data)


def test_bom_is_not_part_of_the_text():
    assert decode("\ufeff北朝鮮".encode("utf-8")) == "北朝鮮"


def test_bad_metadata_is_reported(tmp_path):
    (tmp_path / "x.ja.txt").write_text("本文。", encoding="utf-8")
    (tmp_path / "x.ja.meta.yaml").write_text("published: last spring\n", encoding="utf-8")
    with pytest.raises(DocumentError, match="published must be"):
        read_metadata(tmp_path / "x.ja.txt")
    failed = process_one(tmp_path / "x.ja.txt", tmp_path)
    assert failed.document.status == "failed" and "x.ja.meta.yaml" in failed.document.error
