"""The real Prefect flow on a real corpus, and the command line, end to end."""
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.core.tables import read_csv

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture()
def small_corpus(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("000_79eea7d80fcbe56c.ja", "mofa-msmt-est-20241016.ja", "trilat-fm-20231026.en"):
        shutil.copy(ROOT / "corpus" / f"{name}.txt", corpus)
        shutil.copy(ROOT / "corpus" / f"{name}.meta.yaml", corpus)
    (corpus / "broken.ja.txt").write_bytes("北朝鮮は兵士を派遣".encode("shift_jis"))
    (corpus / "empty.ja.txt").write_bytes(b"")
    return corpus


def test_flow_writes_tables(small_corpus, tmp_path, prefect_home):
    from pipeline.orchestrate.flows import run_corpus

    out = tmp_path / "out"
    summary = run_corpus(small_corpus, out, workers=1, progress=False)
    assert (summary.documents, summary.processed, len(summary.failed)) == (5, 3, 2)
    assert {f["path"] for f in summary.failed} == {"broken.ja.txt", "empty.ja.txt"}
    for name in ("documents.csv", "sentences.csv", "claims.csv", "actors.csv", "citations.csv"):
        assert (out / name).read_bytes().startswith(b"\xef\xbb\xbf"), f"{name} must start with a BOM"
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]

    docs = read_csv(out / "documents.csv").set_index("doc_id")
    assert docs.loc["broken.ja", "status"] == "failed" and "not UTF-8" in docs.loc["broken.ja", "error"]
    assert docs.loc["000_79eea7d80fcbe56c.ja", "author"] == "道下徳成"
    assert docs.loc["mofa-msmt-est-20241016.ja", "published"] == "2024-10-16"

    claims = read_csv(out / "claims.csv")
    seed = ROOT.joinpath("corpus", "000_79eea7d80fcbe56c.ja.txt").read_text(encoding="utf-8")
    for row in claims.itertuples():
        assert seed[int(row.char_start):int(row.char_end)] == row.surface
    row = claims[claims.surface == "1万1000人以上"].iloc[0]
    assert (row.value, row.unit, row.qualifier, row.object, row.time) == ("11000", "person", "at_least", "兵士", "2024")
    row = claims[claims.surface == "約 1,000~1,500 人"].iloc[0]
    assert (row.value, row.value_max, row.qualifier) == ("1000", "1500", "approx")
    assert claims.claim_id.is_unique

    row = claims[claims.surface == "1万1000人以上"].iloc[0]
    assert (row.actor_ids, row.recipient_ids, row.predicate, row.hedge) == ("PRK", "RUS", "派遣する", "asserted")
    row = claims[claims.surface == "100 万バレル以上"].iloc[0]
    assert (row.actor_ids, row.recipient_ids, row.hedge, row.time) == ("RUS", "PRK", "reported", "2024-03/2024-10")

    # claims, actors and citations agree on doc_ids and offsets: every surface is the text at its offsets
    texts = {d: (small_corpus / docs.loc[d, "path"]).read_text(encoding="utf-8")
             for d in docs.index if docs.loc[d, "status"] == "ok"}
    actors = read_csv(out / "actors.csv")
    citations = read_csv(out / "citations.csv")
    sentences = read_csv(out / "sentences.csv")
    for table in (claims, actors, citations, sentences):
        assert set(table.doc_id) <= set(texts)
        col = "surface" if "surface" in table else "text"
        for row in table.itertuples():
            assert texts[row.doc_id][int(row.char_start):int(row.char_end)] == getattr(row, col)
    assert {"PRK", "RUS", "usfk", "cbs"} <= set(actors.actor_id)
    treaty = citations[citations.instrument_id == "prk-rus-csp-2024"]
    assert set(treaty.article) >= {"4", "5"}
    assert "un-charter" in set(citations.instrument_id)

    # a re-run over the same text gives byte-identical tables and the same claim ids
    before = {n: (out / n).read_bytes() for n in ("documents.csv", "sentences.csv", "claims.csv", "actors.csv",
                                                  "citations.csv")}
    again = run_corpus(small_corpus, out, workers=1, progress=False)
    assert again.reused == 3
    assert before == {n: (out / n).read_bytes() for n in before}

    # after one document changed, only that one is processed again; --full processes all
    mofa = small_corpus / "mofa-msmt-est-20241016.ja.txt"
    mofa.write_text(mofa.read_text(encoding="utf-8") + "\n北朝鮮は5000人の労働者を派遣した。\n", encoding="utf-8")
    changed = run_corpus(small_corpus, out, workers=1, progress=False)
    assert (changed.processed, changed.reused) == (3, 2)
    assert "5000人" in set(read_csv(out / "claims.csv").surface)
    assert run_corpus(small_corpus, out, workers=1, progress=False, incremental=False).reused == 0
    assert run_corpus(small_corpus, out, workers=1, progress=False).reused == 3   # a full run refreshes the cache


def _cli(*args, env_extra=None, cwd=ROOT):
    env = dict(os.environ, **(env_extra or {}))
    return subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=600)


def test_cli_with_two_worker_processes(small_corpus, tmp_path, prefect_home, monkeypatch):
    monkeypatch.delenv("PREFECT_API_URL", raising=False)   # an in-process run of another test may have set it
    out = tmp_path / "out2"
    proc = _cli("run", "--corpus", str(small_corpus), "--out", str(out), "--workers", "2",
                env_extra={"PREFECT_HOME": str(prefect_home / "ph")})
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "FAILED broken.ja.txt: not UTF-8" in proc.stdout
    assert "[5/5]" in proc.stderr
    summary = json.loads((out / "run_summary.json").read_text(encoding="utf-8"))
    assert summary["processed"] == 3 and summary["claims"] > 25
    # the run's own Prefect server recorded every task run (in batches, pool.SERVER_TUNING) before it stopped
    import sqlite3

    with sqlite3.connect(prefect_home / "ph" / "prefect.db") as db:
        states = db.execute("SELECT t.name, t.state_type FROM task_run t JOIN flow_run f ON t.flow_run_id = f.id "
                            "WHERE f.state_type = 'COMPLETED'").fetchall()
    assert sorted(s for _, s in states) == ["COMPLETED"] * 5, states


def test_cli_fails_only_when_nothing_could_be_processed(tmp_path, prefect_home):
    corpus = tmp_path / "bad"
    corpus.mkdir()
    (corpus / "a.ja.txt").write_bytes(b"\x00\x01binary")
    proc = _cli("run", "--corpus", str(corpus), "--out", str(tmp_path / "o"), "--workers", "1",
                env_extra={"PREFECT_HOME": str(prefect_home / "ph")})
    assert proc.returncode == 1
    assert "a.ja.txt: binary file" in proc.stdout
    assert _cli("run", "--corpus", str(tmp_path / "missing")).returncode == 2


def test_dask_local_cluster_gives_the_same_tables(small_corpus, tmp_path, prefect_home):
    """The same flow on Dask (prefect-dask, local cluster of 2 worker processes) writes the same tables."""
    (small_corpus / "broken.ja.txt").unlink()
    (small_corpus / "empty.ja.txt").unlink()
    proc_threads = _cli("run", "--corpus", str(small_corpus), "--out", str(tmp_path / "t"), "--workers", "1",
                        "--full", env_extra={"PREFECT_HOME": str(prefect_home / "ph1")})
    proc_dask = _cli("run", "--corpus", str(small_corpus), "--out", str(tmp_path / "d"), "--workers", "2",
                     "--dask", "--full", env_extra={"PREFECT_HOME": str(prefect_home / "ph2")})
    assert proc_threads.returncode == 0 and proc_dask.returncode == 0, proc_dask.stderr[-2000:]
    assert "[3/3]" in proc_dask.stderr
    for name in ("documents.csv", "claims.csv", "actors.csv", "citations.csv", "facts.csv"):
        assert (tmp_path / "t" / name).read_bytes() == (tmp_path / "d" / name).read_bytes(), name
    timings = read_csv(tmp_path / "d" / "run_timings.csv")
    assert timings.worker.nunique() <= 2 and (timings.seconds.astype(float) > 0).all()
    # the worker processes were preloaded: the models were loaded before the first document, so no document
    # took the ~5 s of a model load (the longest, the 7,500-character essay, takes ~3 s)
    assert timings.seconds.astype(float).max() < 4.5 * timings.seconds.astype(float).median() + 3


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_dask_existing_scheduler_as_the_readme_says(small_corpus, tmp_path, prefect_home):
    """`run --dask tcp://…` against a scheduler and a worker started separately (README: Dask), sharing a
    running Prefect server through PREFECT_API_URL."""
    from prefect.server.api.server import SubprocessASGIServer

    (small_corpus / "broken.ja.txt").unlink()
    (small_corpus / "empty.ja.txt").unlink()
    server = SubprocessASGIServer()
    server.start()
    dask_cli = str(Path(sys.executable).parent / "dask")
    port = _free_port()
    env = dict(os.environ, PREFECT_API_URL=server.api_url, PREFECT_HOME=str(prefect_home / "ph"))
    procs = [subprocess.Popen([dask_cli, "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    try:
        procs.append(subprocess.Popen([dask_cli, "worker", f"tcp://127.0.0.1:{port}", "--nthreads", "1",
                                       "--no-dashboard", "--preload", "pipeline.orchestrate.dask_worker"],
                                      env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        proc = _cli("run", "--corpus", str(small_corpus), "--out", str(tmp_path / "r"), "--full",
                    "--dask", f"tcp://127.0.0.1:{port}", env_extra={"PREFECT_API_URL": server.api_url,
                                                                 "PREFECT_HOME": str(prefect_home / "ph")})
        assert proc.returncode == 0, proc.stderr[-3000:]
        assert "documents: 3, processed: 3" in proc.stdout
        claims = read_csv(tmp_path / "r" / "claims.csv")
        assert "1万1000人以上" in set(claims.surface)
        assert read_csv(tmp_path / "r" / "run_timings.csv").worker.nunique() == 1
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            p.wait(timeout=30)
        server.stop()


def test_flows_on_our_own_server_send_no_heartbeats(monkeypatch):
    """Heartbeats serve an automation that the server `run` starts never runs; a user's own server keeps them."""
    from prefect.settings import get_current_settings

    from pipeline.orchestrate import flows, pool

    monkeypatch.setattr(pool, "OWN_API_URL", "http://127.0.0.1:4999/api")
    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:4999/api")
    assert pool.own_server()
    with flows._no_heartbeats():
        assert get_current_settings().flows.heartbeat_frequency is None
    assert get_current_settings().flows.heartbeat_frequency is not None
    monkeypatch.setenv("PREFECT_API_URL", "http://prefect.example:4200/api")   # a server of the user's
    assert not pool.own_server()
    monkeypatch.setattr(pool, "OWN_API_URL", None)
    assert not pool.own_server()
