"""The whole review loop: run, edit the CSV as a spreadsheet saves it, import, re-run, every decision survives."""
import csv
import io
import shutil
from pathlib import Path

import pytest

from pipeline import review
from pipeline.core.tables import read_csv, write_csv

ROOT = Path(__file__).resolve().parent.parent
SEED = "000_79eea7d80fcbe56c.ja"


@pytest.fixture()
def corpus(tmp_path):
    c = tmp_path / "corpus"
    c.mkdir()
    shutil.copy(ROOT / "corpus" / f"{SEED}.txt", c)
    return c


def _spreadsheet_save(rows: list[dict], path: Path, encoding: str) -> None:
    """Save like Excel does: reordered and extra columns, CRLF, BOM (utf-8-sig) or Shift_JIS."""
    cols = list(rows[0])
    cols = ["review_status", "claim_id", "surface", "my comment", *[c for c in cols if c not in ("review_status",
                                                                                                  "claim_id", "surface")]]
    buf = io.StringIO(newline="")
    w = csv.DictWriter(buf, fieldnames=cols, lineterminator="\r\n", extrasaction="ignore")
    w.writeheader()
    for r in rows:
        w.writerow({**r, "my comment": "見た"})
    path.write_bytes(buf.getvalue().encode(encoding, errors="replace"))


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp932"])
def test_review_loop(corpus, tmp_path, prefect_home, encoding):
    from pipeline.orchestrate.flows import run_corpus

    out = tmp_path / "out"
    run_corpus(corpus, out, workers=1, progress=False)
    rows = read_csv(out / "claims.csv").to_dict("records")
    by_surface = {r["surface"]: r for r in rows}
    by_surface["1万1000人以上"].update(review_status="accepted", reviewer="analyst")
    by_surface["約5,000名"].update(review_status="rejected", note="韓国軍の戦死者数は別資料で確認")
    by_surface["3.6兆円程度"].update(review_status="corrected", corrected_value="3.5e12", corrected_qualifier="approx")
    edited = tmp_path / "edited.csv"
    _spreadsheet_save(rows, edited, encoding)

    assert review.import_file(edited, corpus, out / "claims.csv") == 3
    assert review.db_path(corpus).exists()

    # a re-run applies every decision; the machine's values stay beside them
    run_corpus(corpus, out, workers=1, progress=False)
    after = {r["surface"]: r for r in read_csv(out / "claims.csv").to_dict("records")}
    assert after["1万1000人以上"]["review_status"] == "accepted" and after["1万1000人以上"]["reviewer"] == "analyst"
    assert after["約5,000名"]["review_status"] == "rejected"
    if encoding == "utf-8-sig":
        assert after["約5,000名"]["note"] == "韓国軍の戦死者数は別資料で確認"
    assert (after["3.6兆円程度"]["corrected_value"], after["3.6兆円程度"]["value"]) == ("3.5e12", "3600000000000")
    assert all(r["review_flag"] == "" for r in after.values())

    # export lists only what still needs review
    pending = tmp_path / "pending.csv"
    n = review.export_pending(out / "claims.csv", pending)
    assert n == len(read_csv(out / "claims.csv")) - 3
    assert "1万1000人以上" not in set(read_csv(pending).surface)

    # the author edits the sentence of a reviewed claim: the decision is kept and flagged, not dropped
    text_path = corpus / f"{SEED}.txt"
    text = text_path.read_text(encoding="utf-8")
    text_path.write_text(text.replace("2024年終わり頃から1万1000人以上", "2024年末から1万1000人以上"), encoding="utf-8")
    run_corpus(corpus, out, workers=1, progress=False)
    changed = {r["surface"]: r for r in read_csv(out / "claims.csv").to_dict("records")}
    assert changed["1万1000人以上"]["review_status"] == "accepted"
    assert changed["1万1000人以上"]["review_flag"].startswith("needs_rereview")
    assert "1万1000人以上" in set(read_csv(_export(out, tmp_path)).surface)


def _export(out, tmp_path):
    path = tmp_path / "pending2.csv"
    review.export_pending(out / "claims.csv", path)
    return path


@pytest.mark.parametrize("row,problem", [
    ({"claim_id": "c1", "review_status": "maybe"}, "row 3, column review_status"),
    ({"claim_id": "c1", "review_status": "corrected"}, "no corrected_* value"),
    ({"claim_id": "c1", "review_status": "corrected", "corrected_value": "abc"}, "row 3, column corrected_value"),
    ({"claim_id": "c1", "review_status": "corrected", "corrected_unit": "soldiers"}, "column corrected_unit"),
    ({"claim_id": "", "review_status": "accepted"}, "column claim_id: empty"),
    # a claim_id that is not in the claims table (it used to be attached to any claim with the row's surface)
    ({"claim_id": "bogus", "review_status": "rejected"}, "row 3, column claim_id: 'bogus' is not a claim"),
    # numbers that are not finite
    ({"claim_id": "c1", "review_status": "corrected", "corrected_value": "nan"},
     "row 3, column corrected_value: 'nan' is not a finite number"),
    ({"claim_id": "c1", "review_status": "corrected", "corrected_value": "inf"}, "row 3, column corrected_value"),
    ({"claim_id": "c1", "review_status": "corrected", "corrected_value": "-Infinity"}, "row 3, column corrected_value"),
    ({"claim_id": "c1", "review_status": "corrected", "corrected_value": "1e309"},
     "row 3, column corrected_value: '1e309' is not a finite number"),
    ({"claim_id": "c1", "review_status": "corrected", "corrected_value": "1" + "0" * 400},
     "row 3, column corrected_value"),
])
def test_bad_review_file_imports_nothing(tmp_path, row, problem):
    corpus = tmp_path / "c"
    corpus.mkdir()
    _claims_table(tmp_path / "out" / "claims.csv", "c0", "c1")
    path = tmp_path / "bad.csv"
    good = {"claim_id": "c0", "review_status": "accepted"}
    cols = ["claim_id", "review_status", "corrected_value", "corrected_unit"]
    buf = io.StringIO(newline="")
    w = csv.DictWriter(buf, fieldnames=cols)
    w.writeheader()
    w.writerow(good)
    w.writerow(row)
    path.write_text(buf.getvalue(), encoding="utf-8")
    with pytest.raises(review.ReviewFileError, match=problem.replace("*", r"\*")):
        review.import_file(path, corpus, tmp_path / "out" / "claims.csv")
    assert review.load_decisions(corpus) == {}      # the good row was not imported either


def _claims_table(path: Path, *claim_ids: str) -> Path:
    """A minimal claims.csv as a run writes it."""
    write_csv(path, [{"claim_id": c, "doc_id": "d.ja", "surface": f"{i + 1}万人", "sentence": f"兵士{i + 1}万人を派遣した。",
                      "value": (i + 1) * 10000, "unit": "person", "qualifier": "exact"} for i, c in enumerate(claim_ids)],
              ["claim_id", "doc_id", "surface", "sentence", "value", "unit", "qualifier", *review.REVIEW_COLUMNS])
    return path


def _review_file(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_unknown_claim_id_cannot_mark_a_real_claim(tmp_path):
    """A row with a claim_id that does not exist, but the doc_id and surface of a real claim, used to be stored
    and attached to that claim on the next run ("needs_rereview: sentence text changed"): now the whole file is
    refused, naming the row."""
    corpus = tmp_path / "c"
    corpus.mkdir()
    claims = _claims_table(tmp_path / "claims.csv", "c0", "c1")
    path = _review_file(tmp_path / "r.csv", "claim_id,doc_id,surface,review_status\n"
                                            "c0,d.ja,1万人,accepted\nfeedface,d.ja,2万人,rejected\n")
    with pytest.raises(review.ReviewFileError) as exc:
        review.import_file(path, corpus, claims)
    assert exc.value.problems == ["row 3, column claim_id: 'feedface' is not a claim of the current claims table "
                                  "(a claim changed since this file was exported, or a wrong id): export again"]
    assert review.load_decisions(corpus) == {}
    applied = review.apply([{"claim_id": "c1", "doc_id": "d.ja", "surface": "2万人", "value": 20000, "unit": "person",
                             "qualifier": "exact"}], corpus)
    assert applied.rows[0]["review_status"] == "" and applied.flagged == 0


def test_import_needs_the_claims_table(tmp_path):
    corpus = tmp_path / "c"
    corpus.mkdir()
    path = _review_file(tmp_path / "r.csv", "claim_id,review_status\nc0,accepted\n")
    for claims in (None, tmp_path / "missing" / "claims.csv"):
        with pytest.raises(review.ReviewFileError, match="no claims table .* run `python -m pipeline run` first"):
            review.import_file(path, corpus, claims)
    assert review.load_decisions(corpus) == {}


def test_finite_corrected_values_are_stored_and_zero_is_0(tmp_path):
    """-0 is accepted as 0 (stored as "0", as are 0.0 and 0e3); any other finite number is stored as given."""
    corpus = tmp_path / "c"
    corpus.mkdir()
    cases = {"c0": ("-0", "0"), "c1": ("-0.0", "0"), "c2": ("0e3", "0"), "c3": ("-3", "-3"), "c4": ("1,500", "1500"),
             "c5": ("3.5e12", "3.5e12"), "c6": ("1e308", "1e308")}
    claims = _claims_table(tmp_path / "claims.csv", *cases)
    path = tmp_path / "r.csv"
    write_csv(path, [{"claim_id": c, "review_status": "corrected", "corrected_value": given}
                     for c, (given, _) in cases.items()], ["claim_id", "review_status", "corrected_value"])
    assert review.import_file(path, corpus, claims) == len(cases)
    stored = review.load_decisions(corpus)
    assert {c: stored[c]["corrected_value"] for c in cases} == {c: want for c, (_, want) in cases.items()}


def test_review_file_size_limit_checked_before_parsing(tmp_path):
    corpus = tmp_path / "c"
    corpus.mkdir()
    claims = _claims_table(tmp_path / "claims.csv", "c0")
    path = tmp_path / "huge.csv"
    with path.open("wb") as fh:
        fh.write(b"claim_id,review_status\n\xff\xfe not even text")
        fh.truncate(review.MAX_FILE_BYTES + 1)
    assert review.MAX_FILE_BYTES == 20 * 1024 * 1024
    with pytest.raises(review.ReviewFileError, match=r"20,971,521 bytes, over the limit of 20,971,520 bytes "
                                                     r"\(20 MiB\)"):
        review.import_file(path, corpus, claims)
    assert review.load_decisions(corpus) == {}


def test_review_file_row_limit(tmp_path):
    corpus = tmp_path / "c"
    corpus.mkdir()
    claims = _claims_table(tmp_path / "claims.csv", "c0")
    assert review.MAX_ROWS == 200_000
    path = _review_file(tmp_path / "many.csv", "claim_id,review_status\n" + "c0,\n" * 200_000)
    assert review.import_file(path, corpus, claims) == 0          # exactly the limit: read (nothing decided)
    _review_file(path, "claim_id,review_status\n" + "c0,\n" * 200_000 + "c0,accepted\n")
    with pytest.raises(review.ReviewFileError, match="more than 200,000 data rows"):
        review.import_file(path, corpus, claims)
    assert review.load_decisions(corpus) == {}


def test_review_cli(tmp_path):
    import subprocess
    import sys

    corpus = tmp_path / "c"
    corpus.mkdir()
    _claims_table(tmp_path / "o" / "claims.csv", "c9")
    (tmp_path / "r.csv").write_text("claim_id,review_status\nc9,accepted\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "pipeline", "review", "import", str(tmp_path / "r.csv"),
                           "--corpus", str(corpus), "--out", str(tmp_path / "o")], capture_output=True, text=True,
                          cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert "imported 1 decision" in proc.stdout
    (tmp_path / "bad.csv").write_text("claim_id,review_status\nc9,yes\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "pipeline", "review", "import", str(tmp_path / "bad.csv"),
                           "--corpus", str(corpus), "--out", str(tmp_path / "o")], capture_output=True, text=True,
                          cwd=ROOT)
    assert proc.returncode == 1 and "row 2, column review_status" in proc.stderr
