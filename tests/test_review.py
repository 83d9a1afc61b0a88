"""The whole review loop: run, edit the CSV as a spreadsheet saves it, import, re-run, every decision survives."""
import csv
import io
import shutil
from pathlib import Path

import pytest

from pipeline import review
from pipeline.tables import read_csv

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
    from pipeline.flows import run_corpus

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
])
def test_bad_review_file_imports_nothing(tmp_path, row, problem):
    corpus = tmp_path / "c"
    corpus.mkdir()
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
        review.import_file(path, corpus)
    assert review.load_decisions(corpus) == {}      # the good row was not imported either


def test_review_cli(tmp_path):
    import subprocess
    import sys

    corpus = tmp_path / "c"
    corpus.mkdir()
    (tmp_path / "r.csv").write_text("claim_id,review_status\nc9,accepted\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "pipeline", "review", "import", str(tmp_path / "r.csv"),
                           "--corpus", str(corpus), "--out", str(tmp_path / "o")], capture_output=True, text=True,
                          cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert "imported 1 decision" in proc.stdout
    (tmp_path / "bad.csv").write_text("claim_id,review_status\nc9,yes\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "pipeline", "review", "import", str(tmp_path / "bad.csv"),
                           "--corpus", str(corpus)], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 1 and "row 2, column review_status" in proc.stderr
