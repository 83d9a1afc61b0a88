"""A run never loses its work (issue 11): cross-document stages that fail, two runs into one output folder,
leftovers of killed runs, bounded comparison reasons."""
import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.crosslang import facts
from pipeline.orchestrate.outdir import OutputLocked, output_lock, remove_stale_temps
from pipeline.review import load_decisions
from pipeline.core.tables import read_csv, write_csv

ROOT = Path(__file__).resolve().parent.parent
PER_DOCUMENT = ("documents.csv", "sentences.csv", "claims.csv", "actors.csv", "citations.csv")


def _claim(cid, doc, value, unit="person", predicate="", actors="", qualifier="exact", surface=None, time=""):
    return {"claim_id": cid, "doc_id": doc, "lang": doc.rsplit(".", 1)[-1], "surface": surface or f"{value}",
            "value": value, "value_max": None, "unit": unit, "qualifier": qualifier, "time": time,
            "actor_ids": actors, "recipient_ids": "", "predicate": predicate}


# (claims, claim matches): translation matches that tie claims the fact stage knows nothing about
EVENTLESS_PAIRS = [
    # a matched pair with no event and no actor (issue 11: KeyError '' in facts.label, no tables at all)
    ([_claim("j1", "p.ja", 12, "percent"), _claim("e1", "p.en", 12, "percent")],
     [{"ja_claim_id": "j1", "en_claim_id": "e1", "status": "match"}]),
    # no event on the first claim, a known event on the other
    ([_claim("j1", "p.ja", 300), _claim("e1", "p.en", 300, predicate="sent", actors="PRK")],
     [{"ja_claim_id": "j1", "en_claim_id": "e1", "status": "match"}]),
    # an actor and event, but the translation has a different unit
    ([_claim("j1", "p.ja", 3500, "km", "派遣する", "PRK"), _claim("e1", "p.en", 2175, "mile")],
     [{"ja_claim_id": "j1", "en_claim_id": "e1", "status": "value_mismatch"}]),
    # a match naming a claim that is not among the candidates
    ([_claim("j1", "p.ja", 5)], [{"ja_claim_id": "j1", "en_claim_id": "gone", "status": "match"}]),
]


@pytest.mark.parametrize("claims,matches", EVENTLESS_PAIRS)
def test_facts_of_translation_matches_without_event_or_actor(claims, matches):
    fact_rows, comparison_rows = facts.build(claims, matches)
    for f in fact_rows:
        assert f["label_ja"] and f["label_en"] and f["status"] in ("agree", "compatible", "conflict")
    assert {r["fact_id"] for r in comparison_rows} == {f["fact_id"] for f in fact_rows}


def test_comparison_reasons_stay_short():
    # one document with hundreds of claims of one fact: a reason names a few and counts the rest
    # (one document states a fact with one figure: the claims come from many documents, of one time)
    claims = [_claim(f"c{i}", f"d{i}.ja", 1000 + 10 * i, predicate="派遣する", actors="PRK",
                     surface=f"{1000 + 10 * i}人", time="2024") for i in range(300)]
    _, rows = facts.build(claims)
    assert rows and max(len(r["reason"]) for r in rows) < 400
    assert any("more claim(s)" in r["reason"] for r in rows)


PAIR_JA = ("輸出の伸び\n\n"
           "昨年の輸出は前年比で12%増加した。\n"
           "首都から港までの距離は約3,500キロである。\n"
           "北朝鮮は2024年に兵士300人をロシアに派遣した。\n"
           "これは国連憲章第2条に反する。\n")
PAIR_EN = ("Growth of exports\n\n"
           "Last year, exports rose 12% from the year before.\n"
           "The distance from the capital to the port is about 2,175 miles.\n"
           "North Korea sent 300 soldiers to Russia in 2024.\n"
           "This violates Article 2 of the Charter of the United Nations.\n")


@pytest.fixture()
def pair_corpus(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "trade.ja.txt").write_text(PAIR_JA, encoding="utf-8")
    (corpus / "trade.en.txt").write_text(PAIR_EN, encoding="utf-8")
    return corpus


def test_pair_with_eventless_and_unit_mismatched_claims_runs(pair_corpus, tmp_path, prefect_home):
    from pipeline.orchestrate.flows import run_corpus

    out = tmp_path / "out"
    summary = run_corpus(pair_corpus, out, workers=1, progress=False)
    assert summary.processed == 2 and not summary.stage_errors, summary.stage_errors
    assert summary.pairs == 1
    matches = read_csv(out / "claim_matches.csv")
    assert len(matches) >= 3
    assert (out / "facts.csv").exists() and (out / "report.html").exists()


def _boom(*args, **kwargs):
    raise KeyError("")


def test_failing_cross_document_stages_keep_the_per_document_tables(pair_corpus, tmp_path, prefect_home,
                                                                       monkeypatch):
    from pipeline import cli, report

    out = tmp_path / "out"
    monkeypatch.setattr(facts, "build", _boom)
    monkeypatch.setattr(report, "write_report", _boom)
    (out).mkdir()
    (out / "report.html").write_text("<p>an earlier run</p>", encoding="utf-8")
    code = cli.main(["run", "--corpus", str(pair_corpus), "--out", str(out), "--workers", "1", "--quiet"])
    assert code == cli.EXIT_STAGE_FAILED
    for name in PER_DOCUMENT:
        assert len(read_csv(out / name)) > 0, f"{name} must be written although facts and report failed"
    assert read_csv(out / "facts.csv").empty and len(read_csv(out / "claim_matches.csv")) >= 3
    assert not (out / "report.html").exists(), "no report of an earlier run beside the new tables"
    summary = json.loads((out / "run_summary.json").read_text(encoding="utf-8"))
    assert [e["stage"] for e in summary["stage_errors"]] == ["facts", "report"]
    assert "KeyError" in summary["stage_errors"][0]["error"]
    assert not (out / ".manifest.json").exists(), "a run with a failed stage is done again next time"

    monkeypatch.undo()
    monkeypatch.setenv("PREFECT_HOME", str(prefect_home / "prefect-home"))
    assert cli.main(["run", "--corpus", str(pair_corpus), "--out", str(out), "--workers", "1", "--quiet"]) == 0
    assert (out / "report.html").exists()


def _hold_lock(out: Path) -> subprocess.Popen:
    code = ("import sys, time; from pathlib import Path; from pipeline.orchestrate.outdir import output_lock\n"
            "with output_lock(Path(sys.argv[1]), command='holder'):\n"
            "    print('held', flush=True); time.sleep(120)\n")
    proc = subprocess.Popen([sys.executable, "-c", code, str(out)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "held"
    return proc


def test_second_run_into_one_output_folder_is_refused(tmp_path, pair_corpus):
    out = tmp_path / "out"
    holder = _hold_lock(out)
    try:
        t0 = time.monotonic()
        proc = subprocess.run([sys.executable, "-m", "pipeline", "run", "--corpus", str(pair_corpus), "--out",
                               str(out), "--wait", "1"], cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert proc.returncode == 4, proc.stderr[-2000:]
        assert f"pid {holder.pid}" in proc.stderr and "holder" in proc.stderr
        assert time.monotonic() - t0 < 60
        assert not (out / "claims.csv").exists()
        with pytest.raises(OutputLocked):
            with output_lock(out):
                pass
        # a review import during a run is safe: it writes the corpus's store in one transaction, not --out
        write_csv(out / "claims.csv", [{"claim_id": "c1", "doc_id": "trade.ja", "value": 12}],
                  ("claim_id", "doc_id", "value"))
        reviewed = tmp_path / "reviewed.csv"
        reviewed.write_text("claim_id,review_status\nc1,accepted\n", encoding="utf-8")
        proc = subprocess.run([sys.executable, "-m", "pipeline", "review", "import", str(reviewed), "--corpus",
                               str(pair_corpus), "--out", str(out)], cwd=ROOT, capture_output=True, text=True,
                              timeout=120)
        assert proc.returncode == 0, proc.stderr
        assert "c1" in load_decisions(pair_corpus)
    finally:
        holder.kill()
        holder.wait()


def test_lock_of_a_killed_run_is_taken_over_and_its_temp_files_removed(tmp_path, caplog):
    out = tmp_path / "out"
    holder = _hold_lock(out)
    (out / ".cache").mkdir()
    leftovers = [out / ".claims.csv.k2j4h1.tmp", out / ".report.html.abcd.tmp", out / ".cache" / ".k.json.x1.tmp"]
    keep = [out / "notes.tmp", out / "claims.csv", out / ".cache" / "k.json"]
    for p in leftovers + keep:
        p.write_text("x", encoding="utf-8")
    holder.send_signal(signal.SIGKILL)   # kill -9: nothing released by the program itself
    holder.wait()
    with caplog.at_level("WARNING"), output_lock(out):
        assert "killed" in caplog.text and str(holder.pid) in caplog.text
        assert not any(p.exists() for p in leftovers)
        assert all(p.exists() for p in keep)
        with output_lock(out):   # re-entrant in one process (the command line, then its flow)
            pass
    assert (out / ".lock").read_text(encoding="utf-8") == "", "released cleanly: nothing stale next time"


def test_stale_temp_files_are_named(tmp_path):
    (tmp_path / ".facts.csv.a.tmp").write_text("", encoding="utf-8")
    assert [p.name for p in remove_stale_temps(tmp_path)] == [".facts.csv.a.tmp"]
    assert remove_stale_temps(tmp_path / "missing") == []
