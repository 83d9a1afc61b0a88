"""`add` on hostile or odd input (issue 11, items 6b and 6c): impossible dates, a bad sidecar already in the
corpus, languages the pipeline does not handle, and files that would take the machine's memory."""
import argparse
import io
import time
import zipfile

import pytest

from fixtures_ingest import build_docx
from pipeline import ingest
from pipeline.load.corpus import discover
from pipeline.ingest import IngestError, add_document, limits   # the extractors read limits.MAX_*

JA = "北朝鮮は2024年にロシアへ1万1000人以上の兵士を派遣したとみられる。\n"
PARAS = ["露朝の軍事協力は2024年に新たな段階に入り、北朝鮮は1万1000人以上の兵士をロシアに派遣したとみられる。",
         "北朝鮮はロシアから石油精製品の供給を受け、その量は上限の50万バレルを大きく超えたと報告されている。"]


def snapshot(folder):
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


def _cli(argv):
    parser = argparse.ArgumentParser(prog="python -m pipeline")
    sub = parser.add_subparsers(dest="command", required=True)
    ingest.register_cli(sub)
    args = parser.parse_args(argv)
    return args.func(args)


# ---------------------------------------------------------------------------------------------- dates

@pytest.mark.parametrize("date,problem", [("2024-13-45", "there is no month 13"),
                                          ("2024-02-30", "February 2024 has no day 30"),
                                          ("2024-13", "there is no month 13")])
def test_impossible_dates_are_refused_on_the_way_in(tmp_path, capsys, date, problem):
    src = tmp_path / "a.txt"
    src.write_text(JA, encoding="utf-8")
    corpus = tmp_path / "corpus"
    with pytest.raises(IngestError, match=rf"date must be a real date as YYYY, YYYY-MM or YYYY-MM-DD, "
                                          rf"not '{date}' \({problem}"):
        add_document(src, corpus, {"published": date})
    assert not corpus.exists() or snapshot(corpus) == []
    assert _cli(["add", str(src), "--corpus", str(corpus), "--date", date]) == 1
    assert problem in capsys.readouterr().err
    added = add_document(src, corpus, {"published": "2024-02-29"})
    assert "published: '2024-02-29'" in added.meta_path.read_text(encoding="utf-8")


def test_a_bad_sidecar_in_the_corpus_never_blocks_adding_other_documents(tmp_path, capsys):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "old.ja.txt").write_text("露朝は包括的戦略的パートナーシップ条約に署名した。\n", encoding="utf-8")
    (corpus / "old.ja.meta.yaml").write_text("title: hand-written\npublished: 2024-13-45\n", encoding="utf-8")
    (corpus / "broken.ja.txt").write_text("北朝鮮は弾道ミサイルを発射した。\n", encoding="utf-8")
    (corpus / "broken.ja.meta.yaml").write_text("title: [unclosed\n", encoding="utf-8")
    src = tmp_path / "new.txt"
    src.write_text(JA, encoding="utf-8")
    added = add_document(src, corpus)
    assert added.doc_id == "new.ja"
    assert "old.ja.meta.yaml: published '2024-13-45' is not a real date (there is no month 13)" in added.warnings[1]
    assert added.warnings[0].startswith("broken.ja.meta.yaml not checked for duplicates: metadata file "
                                        "broken.ja.meta.yaml is not valid YAML")
    src2 = tmp_path / "second.txt"
    src2.write_text("ロシアは北朝鮮に石油を供給した。\n", encoding="utf-8")
    third = tmp_path / "third.txt"
    third.write_text("北朝鮮はロシアに砲弾を供給した。\n", encoding="utf-8")
    assert _cli(["add", str(src2), str(third), "--corpus", str(corpus)]) == 0
    out, err = capsys.readouterr()
    assert "2 added, 0 refused" in out
    assert err.count("old.ja.meta.yaml: published '2024-13-45' is not a real date") == 1   # once per run
    assert err.count("broken.ja.meta.yaml not checked for duplicates") == 1
    assert [p.name for p in discover(corpus)] == ["broken.ja.txt", "new.ja.txt", "old.ja.txt", "second.ja.txt",
                                                  "third.ja.txt"]


# ---------------------------------------------------------------------------------------------- languages

def test_languages_the_pipeline_does_not_handle_are_refused_by_name(tmp_path):
    corpus = tmp_path / "corpus"
    zh = tmp_path / "zh.txt"
    zh.write_text("朝鲜向俄罗斯派遣了一万一千多名士兵，联合国安理会对此表示严重关切。各方应保持克制，通过对话解决问题。",
                  encoding="utf-8")
    with pytest.raises(IngestError, match=r"language not supported: Chinese \(zh\) detected from its script"):
        add_document(zh, corpus)
    ko = tmp_path / "ko.txt"
    ko.write_text("북한은 UN 안전보장이사회 결의를 위반하여 ICBM을 발사했다. 한국 정부는 이를 강력히 규탄했다.", encoding="utf-8")
    with pytest.raises(IngestError, match=r"--lang ja says Japanese \(ja\), but the text is Korean \(ko\)"):
        add_document(ko, corpus, {"lang": "ja"})
    utf16 = tmp_path / "en16.txt"
    utf16.write_bytes("The DPRK sent troops to Russia.\n".encode("utf-16-le") * 4)
    with pytest.raises(IngestError, match="looks like UTF-16 without a byte-order mark"):
        add_document(utf16, corpus)
    assert not corpus.exists() or snapshot(corpus) == []


# ---------------------------------------------------------------------------------------------- size limits

def _docx_bytes(tmp_path) -> bytes:
    path = tmp_path / "plain.docx"
    build_docx(path, "露朝協力", PARAS)
    return path.read_bytes()


def _bomb(tmp_path, padding: int) -> bytes:
    """A real DOCX whose word/document.xml carries ``padding`` bytes of whitespace inside the body: valid XML
    that inflates to hundreds of MB from a few hundred KB."""
    src = zipfile.ZipFile(io.BytesIO(_docx_bytes(tmp_path)))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename != "word/document.xml":
                out.writestr(info.filename, data)
                continue
            head, tail = data.split(b"<w:body>", 1)
            with out.open("word/document.xml", "w", force_zip64=True) as fh:
                fh.write(head + b"<w:body>")
                chunk = b" " * (4 << 20)
                for _ in range(padding // len(chunk)):
                    fh.write(chunk)
                fh.write(tail)
    return buf.getvalue()


def test_a_zip_bomb_docx_is_refused_before_it_is_inflated(tmp_path):
    path = tmp_path / "bomb.docx"
    path.write_bytes(_bomb(tmp_path, 300 << 20))                 # 300 MiB of XML in a few hundred KB
    assert path.stat().st_size < 2 << 20
    corpus = tmp_path / "corpus"
    start = time.perf_counter()
    with pytest.raises(IngestError, match=r"DOCX member word/document\.xml inflates from .* to 300 MiB, more than "
                                          r"100:1 \(the limit, ingest\.MAX_ZIP_RATIO\)"):
        add_document(path, corpus)
    assert time.perf_counter() - start < 2.0
    assert not corpus.exists() or snapshot(corpus) == []


def test_docx_total_uncompressed_size_is_capped(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_DOCX_UNCOMPRESSED", 2 << 20)
    path = tmp_path / "big.docx"
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(_docx_bytes(tmp_path))) as src, zipfile.ZipFile(buf, "w") as out:
        for info in src.infolist():
            out.writestr(info, src.read(info.filename))
        out.writestr("word/media/image1.bin", bytes(range(256)) * (3 << 12))      # 3 MiB, stored
    path.write_bytes(buf.getvalue())
    with pytest.raises(IngestError, match=r"DOCX inflates to [34] MiB, over the limit of 2 MiB "
                                          r"\(ingest\.MAX_DOCX_UNCOMPRESSED\)"):
        add_document(path, tmp_path / "corpus")
    plain = tmp_path / "plain.docx"                              # an ordinary DOCX is still fine
    assert add_document(plain, tmp_path / "corpus").lang == "ja"


def test_html_size_input_size_and_pdf_page_count_are_capped(tmp_path, monkeypatch):
    corpus = tmp_path / "corpus"
    html = tmp_path / "page.html"
    html.write_text("<html><body>" + "".join(f"<p>{p}</p>" for p in PARAS * 40) + "</body></html>",
                    encoding="utf-8")
    monkeypatch.setattr(limits, "MAX_HTML_BYTES", 10_000)
    with pytest.raises(IngestError, match=r"HTML page of [\d,]+ bytes is over the limit of 10,000 bytes "
                                          r"\(ingest\.MAX_HTML_BYTES\)"):
        add_document(html, corpus)

    text = tmp_path / "long.txt"
    text.write_text(JA * 100, encoding="utf-8")
    monkeypatch.setattr(limits, "MAX_INPUT_BYTES", 4096)
    with pytest.raises(IngestError, match=r"file of [\d,]+ bytes is over the limit of 4,096 bytes "
                                          r"\(ingest\.MAX_INPUT_BYTES\)"):
        add_document(text, corpus)
    monkeypatch.undo()

    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("helvetica", size=12)
    for sentence in ("North Korea sent more than 11,000 soldiers to Russia in 2024.",
                     "Russia supplied over one million barrels of refined petroleum products.",
                     "The panel of experts was disbanded after the veto in March 2024."):
        pdf.add_page()
        pdf.multi_cell(0, 8, sentence)
    path = tmp_path / "three.pdf"
    pdf.output(str(path))
    monkeypatch.setattr(limits, "MAX_PDF_PAGES", 2)
    with pytest.raises(IngestError, match=r"PDF has more than 2 pages, the limit \(ingest\.MAX_PDF_PAGES\).*"
                                          r"\(it has 3\)"):
        add_document(path, corpus)
    assert not corpus.exists() or snapshot(corpus) == []
    monkeypatch.setattr(limits, "MAX_PDF_PAGES", 3)
    assert add_document(path, corpus).lang == "en"
