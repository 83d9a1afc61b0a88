"""`add`: PDF / HTML / DOCX / legacy-encoded text into the corpus, with duplicates and unreadable files refused.

The files are built from the real corpus texts (tests/fixtures_ingest.py); every extraction is compared
with its source sentence for sentence (split on 。, whitespace removed) and, for the PDFs, paragraph for
paragraph.
"""
import argparse
import datetime as dt
import hashlib
import re
import shutil

import pytest
import yaml

from fixtures_ingest import (ASIDE_TEXT, FOOTER_TEXT, HEADER_TEXT, MOFA, NAV_ITEMS, build_docx, build_encrypted_pdf,
                             build_html, build_image_pdf, build_pdf, find_cjk_font, paragraphs, seed_part, sentences)
from pipeline import ingest
from pipeline.load.corpus import discover, load_document
from pipeline.ingest import IngestError, add_document, decode_text, extract_text, normalise_text, store

FONT = find_cjk_font()
needs_font = pytest.mark.skipif(
    FONT is None, reason="no Japanese (CJK) font file found under /usr/share/fonts: "
                         "apt-get install fonts-ipafont-gothic to build the test PDFs")

SEED_TITLE_PARAS = seed_part(0, 31)        # title + section 1 up to the MRB paragraph (~3000 chars)
SECTION2 = seed_part(34, 56)               # section 2 (~2500 chars)
SECTION3 = seed_part(56, 69)               # section 3 and the byline
MOFA_PARAS = paragraphs(MOFA.read_text(encoding="utf-8"))
RUNNING_HEAD_2COL = "GRIPS Discussion Paper 25-04"
TWO_COL_TITLE = "露朝協力が台湾海峡の安全保障に与える影響：否定的影響と肯定的影響"   # spans the gutter


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def para_list(text: str) -> list[str]:
    return [squash(p) for p in text.split("\n\n") if p.strip()]


def snapshot(folder):
    """Every file and folder under ``folder``, hidden ones included."""
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


def read_sidecar(added):
    return yaml.safe_load(added.meta_path.read_text(encoding="utf-8"))


# ---------------------------------------------------------------------------------------------- built files

@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The test documents, built once (PDFs only when a CJK font exists)."""
    d = tmp_path_factory.mktemp("sources")
    files = {}
    if FONT is not None:
        files["one_pdf"] = d / "grips-essay.pdf"
        files["one_pages"] = build_pdf(files["one_pdf"], SEED_TITLE_PARAS[1:], FONT, title=SEED_TITLE_PARAS[0],
                                       header=SEED_TITLE_PARAS[0], footer_left="GRIPS 2025")
        files["two_pdf"] = d / "two-column.pdf"
        files["two_pages"] = build_pdf(files["two_pdf"], SECTION2, FONT, columns=2, size=10, title=TWO_COL_TITLE,
                                       header=RUNNING_HEAD_2COL, page_label=lambda n, total: f"{n}/{total}")
        files["encrypted"] = d / "locked.pdf"
        build_encrypted_pdf(files["encrypted"], FONT, "北朝鮮は兵士を派遣した。")
    files["image_pdf"] = d / "scan.pdf"
    build_image_pdf(files["image_pdf"])
    files["html"] = d / "pressit_000001_01273.html"
    build_html(files["html"], MOFA_PARAS[0], MOFA_PARAS[1:], charset="EUC-JP")
    files["docx"] = d / "unification.docx"
    build_docx(files["docx"], "露朝協力と朝鮮半島の統一", SECTION3)
    return files


# ---------------------------------------------------------------------------------------------- PDF

@needs_font
def test_one_column_pdf_headers_footers_page_numbers_removed_sentences_rejoined(built, tmp_path):
    assert built["one_pages"] >= 3
    corpus = tmp_path / "corpus"
    added = add_document(built["one_pdf"], corpus)
    assert (added.doc_id, added.lang) == ("grips-essay.ja", "ja")
    assert added.text_path == corpus / "grips-essay.ja.txt"
    text = added.text_path.read_text(encoding="utf-8")
    source = "\n".join(SEED_TITLE_PARAS)
    assert sentences(text) == sentences(source)
    # paragraph for paragraph: lines broken by the layout (and across pages) are rejoined, headings stay apart
    assert para_list(text) == [squash(p) for p in SEED_TITLE_PARAS]
    # the running head is the title itself: it survives exactly once (the real title on page 1)
    assert squash(text).count(squash(SEED_TITLE_PARAS[0])) == 1
    assert "GRIPS 2025" not in text
    assert not re.search(r"^\s*-\s*\d+\s*-\s*$", text, re.MULTILINE)
    assert added.chars == len(text)
    # the original is kept byte for byte, out of discover()'s way
    assert added.original_path == corpus / ".originals" / "grips-essay.ja.pdf"
    assert added.original_path.read_bytes() == built["one_pdf"].read_bytes()
    assert discover(corpus) == [added.text_path]
    side = read_sidecar(added)
    assert side["source_file"] == "grips-essay.pdf"
    assert side["sha256"] == hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert side["source_sha256"] == hashlib.sha256(built["one_pdf"].read_bytes()).hexdigest()
    assert side["added"] == dt.date.today().isoformat()
    assert side["lang"] == "ja" and side["format"] == "pdf" and side["pages"] == built["one_pages"]
    doc = load_document(added.text_path, corpus)      # the reader accepts what was stored
    assert (doc.doc_id, doc.lang) == ("grips-essay.ja", "ja")


@needs_font
@pytest.mark.parametrize("indent", [False, True], ids=["spaced-paragraphs", "indented-paragraphs"])
def test_two_column_pdf_is_read_column_by_column(built, tmp_path, indent):
    import pdfplumber

    source = [TWO_COL_TITLE] + SECTION2
    path, pages = built["two_pdf"], built["two_pages"]
    if indent:          # paragraphs marked only by a full-width-space indent, no extra leading
        path = tmp_path / "indented.pdf"
        pages = build_pdf(path, SECTION2, FONT, columns=2, size=10, title=TWO_COL_TITLE, header=RUNNING_HEAD_2COL,
                          page_label=lambda n, total: f"{n}/{total}", indent=True)
    with pdfplumber.open(path) as pdf:                     # the file really is drawn row by row
        naive = "\n".join(page.extract_text() or "" for page in pdf.pages)
    assert sentences(naive) != sentences("\n".join(source))

    text, meta = extract_text(path)
    assert meta["pages"] == pages >= 2
    assert sentences(text) == sentences("\n".join(source))
    assert para_list(text) == [squash(p) for p in source]
    assert RUNNING_HEAD_2COL not in text
    assert not re.search(r"^\s*\d+\s*/\s*\d+\s*$", text, re.MULTILINE)


@needs_font
def test_encrypted_pdf_is_refused(built, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    with pytest.raises(IngestError, match="encrypted PDF.*password"):
        add_document(built["encrypted"], corpus)
    assert snapshot(corpus) == []
    # encrypted with an owner password only (permissions, no password to open): readable
    open_pdf = tmp_path / "permissions-only.pdf"
    build_encrypted_pdf(open_pdf, FONT, "北朝鮮は兵士を派遣した。", user_password=None)
    added = add_document(open_pdf, corpus)
    assert added.text_path.read_text(encoding="utf-8") == "北朝鮮は兵士を派遣した。\n"


def test_image_only_pdf_is_refused(built, tmp_path):
    with pytest.raises(IngestError, match="no text layer.*OCR"):
        add_document(built["image_pdf"], tmp_path)
    assert snapshot(tmp_path) == []


# ---------------------------------------------------------------------------------------------- HTML / DOCX

def test_html_main_text_without_boilerplate(built, tmp_path):
    added = add_document(built["html"], tmp_path, {"publisher": "外務省", "date": "2024-10-16"})
    text = added.text_path.read_text(encoding="utf-8")
    assert sentences(text) == sentences("\n".join(MOFA_PARAS))
    for junk in NAV_ITEMS[1:] + [FOOTER_TEXT, ASIDE_TEXT, "サイト内検索", "トップページ", "サイトマップ"]:
        assert junk not in text
    side = read_sidecar(added)
    assert side["title"] == MOFA_PARAS[0]                   # from the page: no --title given
    assert (side["publisher"], side["published"], side["format"]) == ("外務省", "2024-10-16", "html")
    # the title is mostly Japanese, so the stem comes from the file name
    assert added.doc_id == "pressit-000001-01273.ja"
    doc = load_document(added.text_path, tmp_path)
    assert (doc.title, doc.publisher, doc.published) == (MOFA_PARAS[0], "外務省", "2024-10-16")


def test_docx_paragraphs_without_page_header(built, tmp_path):
    added = add_document(built["docx"], tmp_path, {"title": "Russia-DPRK cooperation and unification"})
    text = added.text_path.read_text(encoding="utf-8")
    assert sentences(text) == sentences("\n".join(["露朝協力と朝鮮半島の統一"] + SECTION3))
    assert HEADER_TEXT not in text
    assert added.doc_id == "russia-dprk-cooperation-and-unification.ja"
    assert read_sidecar(added)["title"] == "Russia-DPRK cooperation and unification"
    assert extract_text(built["docx"])[1]["title"] == "露朝協力と朝鮮半島の統一"   # core properties


# ---------------------------------------------------------------------------------------------- text encodings

@pytest.mark.parametrize("codec,label,source", [
    ("cp932", "cp932", "seed"),
    ("shift_jis", "cp932", "seed"),
    ("euc_jp", "euc-jp", "mofa"),                 # 烘 needs JIS X 0212 (3-byte EUC-JP)
    ("iso2022_jp", "iso-2022-jp", "seed"),
    ("utf-8-sig", "utf-8-sig", "mofa"),
    ("utf-8", "utf-8", "mofa"),
])
def test_text_files_in_japanese_encodings(tmp_path, codec, label, source):
    # (plain Shift_JIS and ISO-2022-JP have no full-width tilde: leave out the one paragraph with 1～3月)
    text = ("\n\n".join(p for p in SEED_TITLE_PARAS if "～" not in p) if source == "seed"
            else MOFA.read_text(encoding="utf-8"))
    src = tmp_path / "src"
    src.mkdir()
    path = src / f"statement-{codec}.txt"
    path.write_bytes(text.encode(codec))
    corpus = tmp_path / "corpus"
    added = add_document(path, corpus)
    assert added.text_path.read_text(encoding="utf-8") == normalise_text(text)
    assert read_sidecar(added)["encoding"] == label
    # the original (a .txt, often not UTF-8) is stored where discover() does not look
    assert added.original_path.read_bytes() == text.encode(codec)
    assert discover(corpus) == [added.text_path]


SHORT = ["北朝鮮", "日本", "制裁", "東京", "核", "ミサイル", "北朝鮮の核", "令和6年10月16日", "外務省", "露朝軍事協力",
         "国連安保理決議第1718号", "金正恩", "朝鮮半島", "データ", "韓国", "平和", "防衛省", "米国"]


@pytest.mark.parametrize("codec", ["cp932", "euc_jp", "iso2022_jp"])
def test_short_texts_cp932_vs_eucjp(codec):
    # charset-normalizer alone takes most of these for Big5 / CP949; the Japanese check must not
    for word in SHORT:
        assert decode_text(word.encode(codec))[0] == word, (codec, word)


def test_western_legacy_text_and_unknown_encodings():
    text = "The DPRK’s troops — “about 11,000” — were deployed to Kursk; naïve résumé."
    assert decode_text(text.encode("cp1252")) == (text, "cp1252")
    with pytest.raises(IngestError, match="binary"):
        decode_text(b"abc\x00\x01\x02" * 50)
    with pytest.raises(IngestError, match="encoding"):
        decode_text(bytes(range(0x80, 0x100)) * 3)


# ---------------------------------------------------------------------------------------------- duplicates

def test_same_content_twice_is_refused_naming_the_existing_document(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(MOFA, corpus / MOFA.name)                        # a document placed by hand, no sidecar
    src = tmp_path / "src"
    src.mkdir()
    euc = src / "mofa-euc.txt"
    euc.write_bytes(MOFA.read_text(encoding="utf-8").replace("\n", "\r\n").encode("euc_jp"))
    before = snapshot(corpus)
    with pytest.raises(IngestError, match=r"already in the corpus as mofa-msmt-est-20241016\.ja"):
        add_document(euc, corpus)
    assert snapshot(corpus) == before

    first = src / "section3.txt"
    first.write_text("\n\n".join(SECTION3), encoding="utf-8")
    added = add_document(first, corpus)
    again = src / "section3-utf16.txt"                # same text, other encoding and layout
    again.write_bytes(("\n\n\n".join(SECTION3) + "\n\n").encode("utf-16"))
    before = snapshot(corpus)
    with pytest.raises(IngestError, match=re.escape(added.doc_id)):
        add_document(again, corpus)
    with pytest.raises(IngestError, match=re.escape(added.doc_id)):
        add_document(first, corpus)                              # the very same file
    assert snapshot(corpus) == before


# ---------------------------------------------------------------------------------------------- refusals

@pytest.mark.parametrize("name,data,reason", [
    ("broken.pdf", b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\ngarbage\x8f\xa0 endobj trailer <<>>",
     "corrupt or unreadable PDF|no pages"),
    ("fake.pdf", b"<html><body>not a pdf</body></html>", "not a PDF"),
    ("broken.docx", b"PK\x03\x04" + b"\x00" * 40 + b"this is not a zip archive", "corrupt DOCX"),
    ("notes.txt", bytes(range(0x80, 0x100)) * 4, "unknown text encoding"),
    ("notes2.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    ("empty.txt", b"", "empty file"),
    ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, r"\.doc.*not supported"),
    ("picture.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, "unsupported file type"),
    ("blank.txt", "   \n\u3000\n".encode("utf-8"), "no text"),
    ("numbers.txt", b"12345 67890\n", "language not detected"),
])
def test_unreadable_files_are_refused_and_leave_nothing(tmp_path, name, data, reason):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "keep.ja.txt").write_text("既存の文書である。", encoding="utf-8")
    before = snapshot(corpus)
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(IngestError, match=reason):
        add_document(path, corpus)
    assert snapshot(corpus) == before


def test_a_corpus_document_is_not_added_to_its_own_corpus(tmp_path):
    (tmp_path / "report.txt").write_text("北朝鮮は兵士を派遣した。", encoding="utf-8")
    before = snapshot(tmp_path)
    with pytest.raises(IngestError, match=r"already a corpus document \(report\)"):
        add_document(tmp_path / "report.txt", tmp_path)
    assert snapshot(tmp_path) == before


def test_a_failure_while_writing_leaves_nothing_half_added(tmp_path, monkeypatch):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    path = tmp_path / "a.txt"
    path.write_text("北朝鮮はロシアに兵士を派遣した。", encoding="utf-8")
    real_place = store._place                       # what store._commit calls
    calls = []

    def flaky_place(tmp, final):
        calls.append(final)
        if len(calls) == 3:                         # the text, placed last
            raise OSError(28, "No space left on device")
        real_place(tmp, final)

    monkeypatch.setattr(store, "_place", flaky_place)
    with pytest.raises(OSError):
        add_document(path, corpus)
    assert snapshot(corpus) == []
    monkeypatch.setattr(store, "_place", real_place)
    added = add_document(path, corpus)                 # and it can be added afterwards
    assert discover(corpus) == [added.text_path]


# ---------------------------------------------------------------------------------------------- stems, language

def test_stems_are_ascii_and_collisions_get_a_hash(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    a, b, c = src / "報告書.txt", src / "report.en.txt", src / "b.txt"
    a.write_text("露朝の協力は強化された。", encoding="utf-8")
    b.write_text("The cooperation between Russia and the DPRK has deepened.", encoding="utf-8")
    c.write_text("露朝の協力は更に強化された。", encoding="utf-8")
    corpus = tmp_path / "corpus"
    first = add_document(a, corpus, {"title": "Ｒｕｓｓｉａ–DPRK Cooperation"})
    assert first.doc_id == "russia-dprk-cooperation.ja"
    second = add_document(c, corpus, {"title": "Russia-DPRK cooperation"})
    sha = hashlib.sha256(normalise_text("露朝の協力は更に強化された。").encode()).hexdigest()
    assert second.doc_id == f"russia-dprk-cooperation-{sha[:8]}.ja"
    third = add_document(b, corpus, {"translation_of": first.doc_id})
    assert (third.doc_id, third.lang) == ("report.en", "en")            # .en in the name is not doubled
    assert load_document(third.text_path, corpus).translation_of == "russia-dprk-cooperation.ja"
    jp_name = src / "北朝鮮.txt"
    jp_name.write_text("北朝鮮は弾道ミサイルを発射した。", encoding="utf-8")
    fourth = add_document(jp_name, corpus)
    assert re.fullmatch(r"doc-[0-9a-f]{8}\.ja", fourth.doc_id)
    assert all(p.name.isascii() for p in corpus.rglob("*"))
    assert discover(corpus) == sorted(x.text_path for x in (first, second, third, fourth))


def test_lang_option_wins_and_bad_metadata_is_refused(tmp_path):
    path = tmp_path / "mixed.txt"
    path.write_text("MSMT (Multilateral Sanctions Monitoring Team) は 2024 年に設立された。", encoding="utf-8")
    corpus = tmp_path / "corpus"
    with pytest.raises(IngestError, match="YYYY"):
        add_document(path, corpus, {"date": "16 Oct 2024"})
    with pytest.raises(IngestError, match="language"):
        add_document(path, corpus, {"lang": "ko"})
    assert not corpus.exists() or snapshot(corpus) == []
    added = add_document(path, corpus, {"lang": "en", "date": "2024-10"})
    assert added.text_path.name == "mixed.en.txt"
    assert load_document(added.text_path, corpus).published == "2024-10"


# ---------------------------------------------------------------------------------------------- CLI

def _cli(argv):
    parser = argparse.ArgumentParser(prog="python -m pipeline")
    sub = parser.add_subparsers(dest="command", required=True)
    ingest.register_cli(sub)
    args = parser.parse_args(argv)
    return args.func(args)


def test_cli_adds_each_path_on_its_own_and_fails_if_any_failed(built, tmp_path, capsys):
    corpus = tmp_path / "corpus"
    bad = tmp_path / "broken.docx"
    bad.write_bytes(b"not a zip")
    txt = tmp_path / "note.txt"
    txt.write_bytes("北朝鮮はロシアに砲弾を供給した。".encode("cp932"))
    code = _cli(["add", str(built["docx"]), str(bad), str(txt), "--corpus", str(corpus), "--publisher", "GRIPS"])
    out, err = capsys.readouterr()
    assert code == 1
    assert re.search(r"added unification\.ja \(ja, \d+ chars\) -> .*unification\.ja\.txt", out)
    assert re.search(r"added note\.ja \(ja, 17 chars\)", out)
    assert "2 added, 1 refused" in out
    assert "broken.docx: corrupt DOCX" in err
    assert [p.name for p in discover(corpus)] == ["note.ja.txt", "unification.ja.txt"]
    assert sorted(p.name for p in (corpus / ".originals").iterdir()) == ["note.ja.txt", "unification.ja.docx"]
    assert load_document(corpus / "note.ja.txt", corpus).publisher == "GRIPS"

    code = _cli(["add", str(txt), "--corpus", str(corpus), "--json"])         # again: refused, exit 1
    out, _ = capsys.readouterr()
    assert code == 1 and "already" in out and "note.ja" in out


@needs_font
def test_discover_sees_exactly_the_added_texts(built, tmp_path):
    corpus = tmp_path / "corpus"
    added = [add_document(built[k], corpus) for k in ("one_pdf", "two_pdf", "html", "docx")]
    assert discover(corpus) == sorted(a.text_path for a in added)
    assert sorted(p.name for p in (corpus / ".originals").iterdir()) == sorted(a.original_path.name for a in added)
    assert not [p for p in corpus.rglob("*.tmp")]


@needs_font
def test_vertical_japanese_pdf_is_refused_with_the_reason(tmp_path):
    from fpdf import FPDF

    text = "".join(SECTION3)[:400]
    pdf = FPDF(unit="pt", format="A4")
    pdf.add_font("ja", fname=str(FONT))
    pdf.set_font("ja", size=12)
    pdf.add_page()
    for col in range(len(text) // 40):          # 縦書き: columns of characters, right to left
        for i, ch in enumerate(text[col * 40:(col + 1) * 40]):
            pdf.text(540 - col * 22, 70 + i * 13, ch)
    path = tmp_path / "tategaki.pdf"
    pdf.output(str(path))
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    with pytest.raises(IngestError, match="縦書き"):
        add_document(path, corpus)
    assert snapshot(corpus) == []
