"""CSV formula injection (issue 11, item 4): no cell of any table reaches a spreadsheet as a live formula.

Text cells that start with = + - @ tab CR (or full-width ＝＋－＠) get a leading quote when written
(:func:`pipeline.core.tables.neutralise`); plain numbers are written as they are; every reader of the tables
(:func:`pipeline.core.tables.read_csv`, the report, ``review import``) removes the quote again, exactly where it was
added (:func:`pipeline.core.tables.unneutralise`).
"""
import csv
import io
import itertools
import re
from pathlib import Path

import pytest

from pipeline import review
from pipeline.core.tables import neutralise, read_csv, safe_cell, unneutralise, write_csv

ROOT = Path(__file__).resolve().parent.parent
DANGEROUS = tuple("=+-@\t\r＝＋－＠")
PLAIN_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def _live_formula(cell: str) -> bool:
    """Whether a spreadsheet could take this raw CSV cell for a formula."""
    return cell[:1] in DANGEROUS and not PLAIN_NUMBER.fullmatch(cell)


@pytest.mark.parametrize("cell,expected", [
    ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
    ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
    ("=", "'="),
    ("+SUM(A1:A9)", "'+SUM(A1:A9)"),
    ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
    ("@SUM(1,2)", "'@SUM(1,2)"),
    ("\t=1+1", "'\t=1+1"),
    ("\r=1+1", "'\r=1+1"),
    # full-width forms, which Excel on Japanese Windows may read as their ASCII forms
    ("＝1+1", "'＝1+1"),
    ("＋1", "'＋1"),
    ("－3", "'－3"),
    ("＠SUM(1)", "'＠SUM(1)"),
    # a lone sign or a list bullet is not a number: quoted like any text starting with it
    ("-", "'-"),
    ("- 約5,000名が死亡", "'- 約5,000名が死亡"),
    ("-3,000", "'-3,000"),      # not a plain number (thousands separator)
    ("-inf", "'-inf"),
    # plain numbers stay numbers
    ("-3", "-3"),
    ("-3.5", "-3.5"),
    ("+3", "+3"),
    ("-.5", "-.5"),
    ("-1e+20", "-1e+20"),
    ("1e-05", "1e-05"),
    ("11000", "11000"),
    # nothing else changes
    ("", ""),
    ("a=b", "a=b"),
    ("3-4", "3-4"),
    ("2023-09/..", "2023-09/.."),
    (" =1+1", " =1+1"),          # a leading space makes it text in every spreadsheet
    ("北朝鮮は1万1000人以上の兵士を派遣した。", "北朝鮮は1万1000人以上の兵士を派遣した。"),
    ("約 1,000~1,500 人", "約 1,000~1,500 人"),
    ("'abc", "'abc"),
    ("'-3", "'-3"),
    # text that already starts with quotes before a formula character gets one more, so that reading it back
    # (which drops exactly one) gives the text again
    ("'=x", "''=x"),
    ("''＋x", "'''＋x"),
])
def test_neutralise(cell, expected):
    assert neutralise(cell) == expected
    assert unneutralise(expected) == cell
    assert not _live_formula(expected)


@pytest.mark.parametrize("cell,expected", [
    ("'=x", "=x"),
    ("'+x", "+x"),
    ("'-x", "-x"),
    ("'@x", "@x"),
    ("'\tx", "\tx"),
    ("'\rx", "\rx"),
    ("'＝x", "＝x"),
    ("''=x", "'=x"),
    # only where neutralise adds a quote: anything else is left as it is
    ("'-3", "'-3"),
    ("'abc", "'abc"),
    ("'", "'"),
    ("''", "''"),
    ("=x", "=x"),
    ("-3", "-3"),
    ("", ""),
    ("'北朝鮮", "'北朝鮮"),
])
def test_unneutralise(cell, expected):
    assert unneutralise(cell) == expected


@pytest.mark.parametrize("value,expected", [
    (-3, "-3"), (-3.5, "-3.5"), (-3.0, "-3"), (0, "0"), (1e-05, "1e-05"), (None, ""), (True, "true"),
    (float("-inf"), "'-inf"), ("=1+1", "'=1+1"), ("-3", "-3"),
])
def test_safe_cell(value, expected):
    assert safe_cell(value) == expected


def test_neutralise_is_reversible_and_safe_for_every_short_text():
    alphabet = ["'", "=", "-", "+", "@", "\t", "\r", "＝", "3", ".", "e", "x", " "]
    for n in range(5):
        for chars in itertools.product(alphabet, repeat=n):
            text = "".join(chars)
            cell = neutralise(text)
            assert unneutralise(cell) == text, repr(text)
            assert not _live_formula(cell), repr(text)
            assert cell == text or cell == "'" + text


def test_write_csv_and_read_csv(tmp_path):
    rows = [{"text": "=1+1", "n": -3}, {"text": "-x", "n": -3.5}, {"text": "'=y", "n": None},
            {"text": "@a", "n": 11000}, {"text": "普通の文", "n": 0.25}]
    write_csv(tmp_path / "t.csv", rows, ("text", "n"))
    raw = list(csv.reader(io.StringIO((tmp_path / "t.csv").read_text(encoding="utf-8-sig"), newline="")))
    assert raw == [["text", "n"], ["'=1+1", "-3"], ["'-x", "-3.5"], ["''=y", ""], ["'@a", "11000"],
                   ["普通の文", "0.25"]]
    back = read_csv(tmp_path / "t.csv")
    assert back.text.tolist() == ["=1+1", "-x", "'=y", "@a", "普通の文"]
    assert back.n.tolist() == ["-3", "-3.5", "", "11000", "0.25"]


def test_review_file_cells_are_unneutralised(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("claim_id,note,reviewer\r\nc1,'=SUM(1;2),'-3\r\nc2,''=x,'abc\r\nc3,=raw,'@me\r\n",
                    encoding="utf-8-sig")
    rows = review.read_review_csv(path)
    assert [(r["note"], r["reviewer"]) for r in rows] == [("=SUM(1;2)", "'-3"), ("'=x", "'abc"), ("=raw", "@me")]


# ---------------------------------------------------------------------------------------------- end to end

DOC = ("北朝鮮の派兵に関する覚書\n"
       '=HYPERLINK("http://x","y")北朝鮮は2024年に1万1000人以上の兵士をロシアに派遣し、約5,000名が死亡した。\n'
       "- 韓国政府によると、ロシアは100万バレル以上の石油精製品を北朝鮮に供給した。\n")
TITLE = "=cmd|' /C calc'!A0"
NOTE = '=HYPERLINK("http://evil","確認済み")'


def _raw_rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))


def test_no_live_formula_in_any_table_and_review_round_trip(tmp_path, prefect_home):
    from pipeline.orchestrate.flows import run_corpus

    corpus, out = tmp_path / "corpus", tmp_path / "out"
    corpus.mkdir()
    (corpus / "inj.ja.txt").write_text(DOC, encoding="utf-8")
    (corpus / "inj.ja.meta.yaml").write_text(f'title: "{TITLE}"\npublisher: "@someone"\n', encoding="utf-8")
    summary = run_corpus(corpus, out, workers=1, progress=False)
    assert summary.processed == 1

    def check_tables():
        seen = []
        for path in sorted(out.glob("*.csv")):
            for row in _raw_rows(path):
                for cell in row:
                    assert not _live_formula(cell), f"{path.name}: {cell!r}"
                    seen.append(cell)
        return seen

    cells = check_tables()
    assert f"'{TITLE}" in cells and "'@someone" in cells
    assert any(c.startswith("'=HYPERLINK(\"http://x\"") for c in cells)      # sentences.csv, claims.csv

    # read back through the shared reader, every cell is the original text and the offsets hold
    docs = read_csv(out / "documents.csv")
    assert (docs.title.tolist(), docs.publisher.tolist()) == ([TITLE], ["@someone"])
    sentences, claims = read_csv(out / "sentences.csv"), read_csv(out / "claims.csv")
    assert any(t.startswith('=HYPERLINK("http://x"') for t in sentences.text)
    for row in sentences.itertuples():
        assert DOC[int(row.char_start):int(row.char_end)] == row.text
    for row in claims.itertuples():
        assert DOC[int(row.char_start):int(row.char_end)] == row.surface
    assert {"1万1000人以上", "約5,000名", "100万バレル以上"} <= set(claims.surface)
    target = claims[claims.surface == "100万バレル以上"].iloc[0]
    assert target.sentence.startswith("- 韓国政府")        # a bullet line: '- 韓国政府… in the file

    # the report shows the original text (HTML-escaped), not the quoted cell
    report = (out / "report.html").read_text(encoding="utf-8")
    assert "=cmd|&#x27; /C calc&#x27;!A0" in report and "&#x27;=cmd" not in report

    # review export → the reviewer writes a note starting with '=' → review import → re-run
    todo = tmp_path / "todo.csv"
    assert review.export_pending(out / "claims.csv", todo) == len(claims)
    rows = _raw_rows(todo)
    header, body = rows[0], rows[1:]
    assert not any(_live_formula(c) for r in rows for c in r)
    col = {name: i for i, name in enumerate(header)}
    for r in body:
        if r[col["claim_id"]] == target.claim_id:
            assert r[col["sentence"]].startswith("'- 韓国政府")
            r[col["review_status"]] = "accepted"
            r[col["note"]] = "'" + NOTE          # the cell as the spreadsheet shows and saves it
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\r\n").writerows([header, *body])
    (tmp_path / "edited.csv").write_bytes(buf.getvalue().encode("utf-8-sig"))
    assert review.import_file(tmp_path / "edited.csv", corpus, out / "claims.csv") == 1
    stored = review.load_decisions(corpus)[target.claim_id]
    assert (stored["note"], stored["sentence"], stored["surface"]) == (NOTE, target.sentence, "100万バレル以上")

    run_corpus(corpus, out, workers=1, progress=False)
    check_tables()
    raw = _raw_rows(out / "claims.csv")
    assert "'" + NOTE in [c for r in raw for c in r]
    after = read_csv(out / "claims.csv").set_index("claim_id").loc[target.claim_id]
    assert (after.review_status, after.note, after.review_flag) == ("accepted", NOTE, "")


def test_report_reads_the_original_cells(tmp_path):
    """The report reads the tables through DocTable (claims, sentences…) and read_csv (documents…): a doc_id and
    cells that start with a formula character are matched and shown as they were, not with the added quote."""
    from pipeline.report import write_report

    corpus, out = tmp_path / "corpus", tmp_path / "out"
    corpus.mkdir()
    (corpus / "-d.ja.txt").write_text("兵士1万人を派遣した。", encoding="utf-8")
    write_csv(out / "documents.csv", [{"doc_id": "-d.ja", "path": "-d.ja.txt", "lang": "ja", "title": "=T()",
                                       "status": "ok"}], ["doc_id", "path", "lang", "title", "status"])
    write_csv(out / "sentences.csv", [{"doc_id": "-d.ja", "sentence_id": 0, "kind": "sentence", "char_start": 0,
                                       "char_end": 11, "text": "兵士1万人を派遣した。"}],
              ["doc_id", "sentence_id", "kind", "section", "char_start", "char_end", "text"])
    write_csv(out / "claims.csv", [{"claim_id": "c1", "doc_id": "-d.ja", "lang": "ja", "sentence_id": 0,
                                    "surface": "1万人", "char_start": 2, "char_end": 5, "value": 10000,
                                    "unit": "person", "object": "@兵士", "hedge": "asserted"}],
              ["claim_id", "doc_id", "lang", "sentence_id", "surface", "char_start", "char_end", "value", "unit",
               "object", "hedge"])
    assert "'-d.ja" in (out / "claims.csv").read_text(encoding="utf-8-sig")
    page = write_report(out, corpus).read_text(encoding="utf-8")
    assert 'data-ids="c1"' in page                      # the claim was found under its document
    assert "object: @兵士" in page and "&#x27;@兵士" not in page
    assert "=T()" in page and "&#x27;=T()" not in page
