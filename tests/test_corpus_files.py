"""Files the corpus reader does not expect (issue 11, item 5): symlinks, folders named like documents,
special files, UTF-16/UTF-32 text, text in languages the pipeline does not handle, impossible dates."""
import os

import pytest

from pipeline.orchestrate import manifest
from pipeline.load.corpus import (DocumentError, choose_lang, decode, discover, discover_all, doc_id_for,
                             failed_document, guess_lang, load_document, read_metadata, rel_path)
from pipeline.extract.document import process_document

JA = "北朝鮮は2024年にロシアへ1万1000人以上の兵士を派遣したとみられる。\n"
EN = "North Korea sent more than 11,000 soldiers to Russia in 2024.\n"


# ---------------------------------------------------------------------------------------------- symlinks etc.

@pytest.fixture()
def odd_corpus(tmp_path):
    """A corpus with two good documents, a good subfolder and every kind of entry that must not be read."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.ja.txt").write_text(JA, encoding="utf-8")
    (outside / "folder").mkdir()
    (outside / "folder" / "c.en.txt").write_text(EN, encoding="utf-8")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.ja.txt").write_text(JA, encoding="utf-8")
    (corpus / "b.en.txt").write_text(EN, encoding="utf-8")
    (corpus / "sub").mkdir()
    (corpus / "sub" / "d.ja.txt").write_text("ロシアは北朝鮮に石油を供給した。\n", encoding="utf-8")
    (corpus / "out.ja.txt").symlink_to(outside / "secret.ja.txt")          # symlink out of the corpus
    (corpus / "dup.ja.txt").symlink_to("a.ja.txt")                         # symlink to a corpus document
    (corpus / "linked").symlink_to(outside / "folder", target_is_directory=True)   # symlinked folder
    (corpus / "gone.en.txt").symlink_to(tmp_path / "deleted.en.txt")       # dangling symlink
    (corpus / "notes.txt").mkdir()                                         # a folder named x.txt...
    (corpus / "notes.txt" / "e.en.txt").write_text(EN.replace("11,000", "12,000"), encoding="utf-8")
    os.mkfifo(corpus / "pipe.en.txt")                                      # reading it would block
    (corpus / ".hidden").mkdir()                                           # hidden: silently ignored
    (corpus / ".hidden" / "x.ja.txt").write_text(JA, encoding="utf-8")
    return corpus


def test_every_unread_entry_is_named_with_its_reason_and_the_rest_loads(odd_corpus):
    corpus = odd_corpus
    paths, skipped = discover_all(corpus)
    assert [rel_path(p, corpus) for p in paths] == ["a.ja.txt", "b.en.txt", "notes.txt/e.en.txt", "sub/d.ja.txt"]
    assert discover(corpus) == paths
    reasons = dict(skipped)
    assert sorted(reasons) == ["dup.ja.txt", "gone.en.txt", "linked", "notes.txt", "out.ja.txt", "pipe.en.txt"]
    assert "outside the corpus" in reasons["out.ja.txt"] and "symlinks are not followed" in reasons["out.ja.txt"]
    assert "symlink to a.ja.txt inside the corpus" in reasons["dup.ja.txt"]
    assert "symlinked folder" in reasons["linked"] and "not searched" in reasons["linked"]
    assert "dangling symlink" in reasons["gone.en.txt"]
    assert "folder named like a document" in reasons["notes.txt"]
    assert "not a regular file (FIFO)" in reasons["pipe.en.txt"]
    docs = [load_document(p, corpus) for p in paths]
    assert [d.doc_id for d in docs] == ["a.ja", "b.en", "notes.txt/e.en", "sub/d.ja"]     # no duplicate ids
    assert [d.lang for d in docs] == ["ja", "en", "en", "ja"]
    manifest.run_key(corpus)               # the run's key over all documents: crashed on the outside symlink
    # a skipped entry becomes a failed documents.csv row
    row = failed_document("out.ja.txt", reasons["out.ja.txt"])
    assert (row.doc_id, row.path, row.lang, row.status, row.error) == (
        "out.ja", "out.ja.txt", "", "failed", reasons["out.ja.txt"])
    assert failed_document("linked", reasons["linked"]).doc_id == "linked"


def test_a_symlinked_document_given_directly_is_refused(odd_corpus):
    with pytest.raises(DocumentError, match="outside the corpus; symlinks are not followed"):
        load_document(odd_corpus / "out.ja.txt", odd_corpus)
    with pytest.raises(DocumentError, match="inside the corpus"):
        load_document(odd_corpus / "dup.ja.txt", odd_corpus)


def test_a_corpus_reached_through_a_symlink_keeps_its_paths(odd_corpus, tmp_path):
    link = tmp_path / "via-link"
    link.symlink_to(odd_corpus, target_is_directory=True)
    paths, skipped = discover_all(link)
    assert all(str(p).startswith(str(link)) for p in paths)
    assert [doc_id_for(p, link) for p in paths] == ["a.ja", "b.en", "notes.txt/e.en", "sub/d.ja"]
    assert len(skipped) == 6
    doc = load_document(paths[0], link)
    assert (doc.doc_id, doc.path) == ("a.ja", "a.ja.txt")
    # lexical, not resolved: the symlink inside keeps its own name (and a path outside is an error)
    assert rel_path(link / "dup.ja.txt", link) == "dup.ja.txt"
    with pytest.raises(ValueError):
        rel_path(tmp_path / "outside" / "secret.ja.txt", link)


# ---------------------------------------------------------------------------------------------- encodings

@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_utf16_and_utf32_with_a_bom_are_decoded(tmp_path, codec):
    text = "露朝の軍事協力\r\n" + JA + "𠮟責された。\n"        # CRLF kept, a character outside the BMP
    data = "\ufeff".encode(codec) + text.encode(codec)
    assert decode(data) == text
    (tmp_path / "r.ja.txt").write_bytes(data)
    doc = load_document(tmp_path / "r.ja.txt", tmp_path)
    assert doc.text == text and doc.lang == "ja" and doc.chars == len(text)


def test_utf16_document_offsets_refer_to_the_decoded_text(tmp_path):
    text = "Joint Statement\n\n" + EN + "The Panel estimated about 1,000-1,500 IT workers abroad.\n"
    (tmp_path / "s.en.txt").write_bytes(b"\xfe\xff" + text.encode("utf-16-be"))
    result = process_document(tmp_path / "s.en.txt", tmp_path)
    assert result.document.text == text
    assert len(result.claims) >= 2
    for c in result.claims:
        assert text[c.char_start:c.char_end] == c.surface
    assert any(c.value == 11000 for c in result.claims)


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_named(codec):
    with pytest.raises(DocumentError, match="looks like UTF-16 without a byte-order mark"):
        decode(EN.encode(codec) * 3)
    with pytest.raises(DocumentError, match="binary"):            # still: real binary data is binary
        decode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00")
    with pytest.raises(DocumentError, match="byte-order mark but is not valid UTF-16"):
        decode(b"\xff\xfe" + "abc".encode("utf-16-le") + b"\x00\xdc")       # lone low surrogate


# ---------------------------------------------------------------------------------------------- languages

ZH = "朝鲜向俄罗斯派遣了一万一千多名士兵，联合国安理会对此表示严重关切。中国外交部发言人表示，各方应保持克制。"
KO = "북한은 UN 안전보장이사회 결의를 위반하여 ICBM을 발사했다. 한국 정부는 이를 강력히 규탄했다."
RU = "Северная Корея запустила ICBM в нарушение резолюций Совета Безопасности UN. Россия заблокировала заявление."
JA_KANJI = ("防衛省によると、北朝鮮は本年、ICBM級弾道ミサイル「火星18」型を発射し、我が国EEZ内に落下させた。"
            "国連安全保障理事会(UNSC)決議違反であり、日米韓三か国外相は共同声明を発出した。")
EN_QUOTING = ("Prime Minister Ishiba (石破茂) told the Diet that the DPRK had sent troops to Russia; "
              "the Japanese term used was 派兵.")


@pytest.mark.parametrize("text,lang,name", [(ZH, "zh", "Chinese"), (KO, "ko", "Korean"), (RU, "ru", "Russian")],
                         ids=["zh", "ko", "ru"])
def test_other_languages_are_refused_by_name(tmp_path, text, lang, name):
    assert guess_lang(text).lang == lang
    (tmp_path / "doc.txt").write_text(text, encoding="utf-8")
    with pytest.raises(DocumentError, match=rf"language not supported: {name} \({lang}\) detected from its script.*"
                                            "the pipeline handles Japanese and English"):
        load_document(tmp_path / "doc.txt", tmp_path)


def test_japanese_with_kanji_and_acronyms_and_english_quoting_japanese_keep_their_language(tmp_path):
    assert (guess_lang(JA_KANJI).lang, guess_lang(EN_QUOTING).lang) == ("ja", "en")
    assert (choose_lang(JA_KANJI), choose_lang(EN_QUOTING)) == ("ja", "en")
    assert guess_lang("Ishiba (石破) met Kim.").lang == "en"          # a few Han without kana in Latin text
    (tmp_path / "k.txt").write_text(JA_KANJI, encoding="utf-8")
    (tmp_path / "q.txt").write_text(EN_QUOTING, encoding="utf-8")
    assert [load_document(tmp_path / n, tmp_path).lang for n in ("k.txt", "q.txt")] == ["ja", "en"]


def test_a_declared_language_is_refused_only_when_the_script_clearly_differs(tmp_path):
    (tmp_path / "ko.ja.txt").write_text(KO, encoding="utf-8")
    with pytest.raises(DocumentError, match=r"the file name \(\.ja\.txt\) says Japanese \(ja\), but the text is "
                                            r"Korean \(ko\) by its script \(Hangul"):
        load_document(tmp_path / "ko.ja.txt", tmp_path)
    (tmp_path / "ru.txt").write_text(RU, encoding="utf-8")
    (tmp_path / "ru.meta.yaml").write_text("lang: en\n", encoding="utf-8")
    with pytest.raises(DocumentError, match=r"lang: in ru\.meta\.yaml says English \(en\), but the text is Russian"):
        load_document(tmp_path / "ru.txt", tmp_path)
    (tmp_path / "zh.ja.txt").write_text(ZH * 3, encoding="utf-8")
    with pytest.raises(DocumentError, match="but the text is Chinese"):
        load_document(tmp_path / "zh.ja.txt", tmp_path)
    # honoured: a Japanese-named text with acronyms, an English-named text quoting Japanese, mixed text
    (tmp_path / "k.ja.txt").write_text(JA_KANJI, encoding="utf-8")
    (tmp_path / "q.en.txt").write_text(EN_QUOTING, encoding="utf-8")
    (tmp_path / "m.en.txt").write_text("MSMT (Multilateral Sanctions Monitoring Team) は 2024 年に設立された。",
                                       encoding="utf-8")
    assert [load_document(tmp_path / n, tmp_path).lang for n in ("k.ja.txt", "q.en.txt", "m.en.txt")] == [
        "ja", "en", "en"]
    (tmp_path / "x.txt").write_text("12345 ---", encoding="utf-8")
    with pytest.raises(DocumentError, match="language not detected"):
        load_document(tmp_path / "x.txt", tmp_path)


# ---------------------------------------------------------------------------------------------- dates

@pytest.mark.parametrize("date,problem", [("2024-13-45", "there is no month 13"),
                                          ("2024-02-30", "February 2024 has no day 30"),
                                          ("2023-02-29", "February 2023 has no day 29"),
                                          ("2024-00", "there is no month 0")])
def test_published_must_be_a_real_date(tmp_path, date, problem):
    (tmp_path / "x.ja.txt").write_text(JA, encoding="utf-8")
    (tmp_path / "x.ja.meta.yaml").write_text(f"title: t\npublished: {date}\n", encoding="utf-8")
    with pytest.raises(DocumentError, match=rf"metadata file x\.ja\.meta\.yaml: published must be a real date.*"
                                            rf"{date}.*{problem}"):
        read_metadata(tmp_path / "x.ja.txt")
    (tmp_path / "x.ja.meta.yaml").write_text("published: 2024-02-29\n", encoding="utf-8")   # leap day: fine
    assert read_metadata(tmp_path / "x.ja.txt") == {"published": "2024-02-29"}
