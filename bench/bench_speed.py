"""Speed where users wait (issue 14), side by side in one run, each against its baseline measured in the same run.

On a Japanese corpus built from the real texts (bench/make_corpus.py; ~200,000 characters, or --docs N documents):
  baseline_ja_ginza   plain ``spacy.load("ja_ginza")`` + ``nlp.pipe`` with its defaults on the same paragraphs, in
                      one process (the pipe's own time: model load excluded, as in bench_throughput.py)
  cold                ``python -m pipeline run`` into a fresh output folder (default workers), from process start
                      to exit; chars/s against the baseline's; peak memory of the process tree (RSS sum and PSS).
                      Prefect's home (its SQLite database) is created beforehand by a one-document run elsewhere, as
                      on any machine after its first run: creating it costs ~12 s here, once (measured apart as
                      cold_fresh_prefect_home, at the end)
  rule_edit           one rule file edited (a new hedge cue in models/hedges.yaml, in a copy of models/ that every
                      run here uses), then the same run into the same folder: every document is processed again,
                      its analysis read from the parse cache; wall time against the cold run's
  one_new_document    one new Japanese document (the seed essay with a line of its own on top) added, then the same
                      run: only it is processed; wall time against a plain script that loads ja_ginza and parses
                      the same text (plain_script)
  caches              bytes on disk per 1,000 characters: <out>/.cache/parse/ (the model layer) and the record cache
  *_running_server    the rule edit and the new document again, with a Prefect server already running
                      (``prefect server start``, PREFECT_API_URL set: what scheduled deployments and a user who
                      keeps one open have): the same runs without the embedded server's start-up (the server's
                      own memory is outside the measured process tree)
  daemon_*            the same through the warm daemon (``python -m pipeline daemon start``, timed as daemon_start),
                      on a copy of the corpus: a whole run into a fresh folder (daemon_cold, against the baseline),
                      three rule edits in a row (daemon_rule_edit: the median, against the cold run above and against
                      daemon_cold) and one new document (against the plain script); memory includes the daemon's
                      process tree (its models and Prefect server)
All pipeline runs share one PREFECT_HOME made for the benchmark (the last run gets a fresh one). Results: bench/results/speed.json (--docs N: speed_<N>docs.json).
Usage: bench/bench_speed.py [--docs N] [--workers N]    (make bench)
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from make_corpus import build  # noqa: E402
from proctree import tree_rss_pss_kib  # noqa: E402

BASELINE = r"""
import sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[2])
from pipeline.load import textprep
import spacy
texts = []
for p in sorted(Path(sys.argv[1]).glob("*.txt")):
    texts += [b.text for b in textprep.blocks(p.read_text(encoding="utf-8"), textprep.JA_LINES)]
nlp = spacy.load("ja_ginza")
t = time.perf_counter()
n = sum(len(d) for d in nlp.pipe(texts))
print(time.perf_counter() - t)
"""

# what a user writes to analyse one text with GiNZA: load the model, parse the paragraphs
PLAIN_SCRIPT = r"""
import sys
import spacy
nlp = spacy.load("ja_ginza")
text = open(sys.argv[1], encoding="utf-8").read()
docs = list(nlp.pipe(p for p in text.split("\n") if p.strip()))
print(sum(len(d) for d in docs))
"""

SEED = "000_79eea7d80fcbe56c.ja.txt"


def measure(cmd: list[str], env: dict | None = None, also: int | None = None) -> dict:
    """Run ``cmd``: wall time, peak RSS and PSS summed over its process tree (RSS sampled every 0.1 s, PSS every
    0.5 s), plus the tree of process ``also`` (the daemon that serves the run)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, **(env or {})}, cwd=ROOT)
    peak_rss = peak_pss = samples = 0
    while proc.poll() is None:
        # RSS every 0.1 s, PSS every 0.5 s: sampling costs CPU that the measured run, on 2 cores, would otherwise
        # have (PSS of the daemon's tree ~7 ms a sample); memory plateaus for seconds, so its peak is still seen
        rss, pss = tree_rss_pss_kib(proc.pid, *([also] if also else []), pss=samples % 5 == 0)
        peak_rss, peak_pss = max(peak_rss, rss), max(peak_pss, pss or 0)
        samples += 1
        time.sleep(0.1)
    out, err = proc.communicate()
    wall = time.perf_counter() - start
    if proc.returncode:
        raise RuntimeError(f"{cmd} failed: {err[-3000:]}")
    return {"wall_s": round(wall, 2), "peak_rss_mib": round(peak_rss / 1024), "peak_pss_mib": round(peak_pss / 1024),
            "stdout_tail": out.strip().splitlines()[-1:], "stderr_tail": err[-2000:]}


def pipeline_run(corpus: Path, out: Path, env: dict, workers: int | None, daemon: int | None = None) -> dict:
    cmd = [sys.executable, "-m", "pipeline", "run", "--corpus", str(corpus), "--out", str(out), "--quiet"]
    r = measure(cmd + (["--workers", str(workers)] if workers else []), env, also=daemon)
    if daemon and "running in this process" in r.get("stderr_tail", ""):
        raise RuntimeError(f"the daemon did not serve the run: {r['stderr_tail']}")
    summary = json.loads((out / "run_summary.json").read_text(encoding="utf-8"))
    r.update({k: summary[k] for k in ("processed", "reused", "parses_reused", "chars", "seconds", "wall_seconds")})
    r.pop("stdout_tail")
    r.pop("stderr_tail")
    return r


def start_prefect_server(tmp: Path, env: dict) -> tuple[subprocess.Popen, str]:
    """``prefect server start`` on a free local port (its own PREFECT_HOME, no UI, no services), once it answers."""
    import socket
    import urllib.request

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server_env = {**os.environ, **env, "PREFECT_HOME": str(tmp / "prefect-server-home"), "PREFECT_UI_ENABLED": "0",
                  "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    proc = subprocess.Popen([sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port",
                             str(port), "--no-services", "--no-ui"], env=server_env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    api, deadline = f"http://127.0.0.1:{port}/api", time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(api + "/health", timeout=2) as answer:
                if answer.status == 200:
                    return proc, api
        except OSError:
            time.sleep(0.25)
    proc.kill()
    raise RuntimeError("prefect server start did not answer within 180 s")


def folder_bytes(folder: Path, pattern: str) -> int:
    return sum(p.stat().st_size for p in folder.glob(pattern) if p.is_file())


def add_hedge_cue(models: Path, cue: str) -> None:
    """A rule edit: one new hedge cue in ``models/hedges.yaml`` (it invalidates every document's records)."""
    hedges = models / "hedges.yaml"
    hedges.write_text(hedges.read_text(encoding="utf-8").replace(
        "  - {surface: と推定さ,", f"  - {{surface: {cue}, hedge: estimated, example: 3000人{cue}る。}}\n"
        "  - {surface: と推定さ,", 1), encoding="utf-8")


def add_document(corpus: Path, name: str, first_line: str) -> Path:
    """A new document: the seed essay under a first line of its own (so it shares no analysis)."""
    new = corpus / name
    new.write_text(first_line + "\n" + (ROOT / "corpus" / SEED).read_text(encoding="utf-8"), encoding="utf-8")
    return new


# three rule edits in a row (each a new hedge cue), for the daemon's rule-edit row
DAEMON_EDITS = ("と見込まれ", "と見積もられ", "と予想され")


def through_daemon(tmp: Path, env: dict, workers: int | None, base: dict, cold: dict, plain: dict) -> dict:
    """The same runs handed to a warm daemon (``python -m pipeline daemon start``): a whole run into a fresh folder,
    three rule edits (median), one new document. Memory: the run's tree plus the daemon's (models, Prefect server)."""
    models = tmp / "models-daemon"
    shutil.copytree(ROOT / "models", models)
    sockets = Path(tempfile.mkdtemp(prefix="bd", dir="/tmp"))   # a short path: sockets have ~100 bytes
    denv = {**env, "PIPELINE_MODELS_DIR": str(models), "PIPELINE_DAEMON": "auto", "PIPELINE_DAEMON_DIR": str(sockets)}
    full_env = {**os.environ, **denv}
    started = measure([sys.executable, "-m", "pipeline", "daemon", "start", "--idle-minutes", "30"], denv)
    status = subprocess.run([sys.executable, "-m", "pipeline", "daemon", "status"], env=full_env, cwd=ROOT,
                            capture_output=True, text=True)
    pid = int(status.stdout.split("pid ")[1].split(",")[0])
    try:
        corpus, out, res = tmp / "corpus-daemon", tmp / "out-daemon", {}
        res["daemon_start"] = {"wall_s": started["wall_s"]}
        dcold = pipeline_run(corpus, out, denv, workers, daemon=pid)
        dcold["speedup_vs_ja_ginza"] = round(dcold["chars"] / dcold["wall_s"] / base["chars_per_s"], 2)
        res["daemon_cold"] = dcold
        edits = []
        for cue in DAEMON_EDITS:
            add_hedge_cue(models, cue)
            edits.append(pipeline_run(corpus, out, denv, workers, daemon=pid))
        walls = sorted(e["wall_s"] for e in edits)
        res["daemon_rule_edit"] = {**edits[1], "runs_wall_s": [e["wall_s"] for e in edits], "wall_s": walls[1],
                                   "speedup_vs_cold": round(cold["wall_s"] / walls[1], 2),
                                   "speedup_vs_daemon_cold": round(dcold["wall_s"] / walls[1], 2)}
        add_document(corpus, "zz_new_document.ja.txt", "新しい文書（ベンチマーク用）")
        one = pipeline_run(corpus, out, denv, workers, daemon=pid)
        one["ratio_vs_plain_script"] = round(one["wall_s"] / plain["wall_s"], 2)
        res["daemon_one_new_document"] = one
        return res
    finally:
        subprocess.run([sys.executable, "-m", "pipeline", "daemon", "stop"], env=full_env, cwd=ROOT,
                       capture_output=True)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and Path(f"/proc/{pid}").exists():
            time.sleep(0.2)
        shutil.rmtree(sockets, ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, help="documents in the corpus (default: ~200,000 characters)")
    ap.add_argument("--chars", type=int, default=200_000)
    ap.add_argument("--workers", type=int, help="--workers of every run (default: the pipeline's)")
    a = ap.parse_args()
    py = sys.executable
    with tempfile.TemporaryDirectory(prefix="bench-speed-") as tmp:
        tmp = Path(tmp)
        corpus, models = tmp / "corpus", tmp / "models"
        chars = build(corpus, a.chars, a.docs, unique=True)   # no two documents share an analysis
        shutil.copytree(ROOT / "models", models)
        # PIPELINE_DAEMON=0: these runs are new processes, whatever daemon a developer has running
        env = {"PREFECT_HOME": str(tmp / "prefect-home"), "PIPELINE_MODELS_DIR": str(models), "PIPELINE_DAEMON": "0"}
        res: dict = {"corpus_chars": chars, "corpus_docs": len(list(corpus.glob("*.txt"))),
                     "machine": {"cpus": os.cpu_count(), "platform": platform.platform(),
                                 "python": platform.python_version(), "load_avg_at_start": os.getloadavg()}}

        shutil.copytree(corpus, tmp / "corpus-daemon")   # the same documents, for the runs through the daemon
        base = measure([py, "-c", BASELINE, str(corpus), str(ROOT)])
        base.pop("stderr_tail")
        pipe_s = float(base.pop("stdout_tail")[0])
        base.update({"pipe_s": round(pipe_s, 2), "chars_per_s": round(chars / pipe_s)})
        res["baseline_ja_ginza"] = base

        warm = tmp / "warm-corpus"   # Prefect's database is created once per machine: not part of a corpus run
        warm.mkdir()
        shutil.copy(ROOT / "corpus" / SEED, warm / SEED)
        pipeline_run(warm, tmp / "warm-out", env, a.workers)

        out = tmp / "out"
        cold = pipeline_run(corpus, out, env, a.workers)
        cold["chars_per_s_wall"] = round(chars / cold["wall_s"])
        cold["speedup_vs_ja_ginza"] = round(cold["chars_per_s_wall"] / base["chars_per_s"], 2)
        res["cold"] = cold
        parse_dir = out / ".cache" / "parse"
        res["caches"] = {
            "parse_bytes": folder_bytes(parse_dir, "*.spacy"), "record_bytes": folder_bytes(out / ".cache", "*.json.gz"),
            "parse_bytes_per_1000_chars": round(folder_bytes(parse_dir, "*.spacy") / chars * 1000),
            "record_bytes_per_1000_chars": round(folder_bytes(out / ".cache", "*.json.gz") / chars * 1000)}

        add_hedge_cue(models, "と見込まれ")
        rule = pipeline_run(corpus, out, env, a.workers)
        rule["speedup_vs_cold"] = round(cold["wall_s"] / rule["wall_s"], 2)
        rule["flow_speedup_vs_cold"] = round(cold["seconds"] / rule["seconds"], 2)
        res["rule_edit"] = rule

        new = add_document(corpus, "zz_new_document.ja.txt", "新しい文書（ベンチマーク用）")
        one = pipeline_run(corpus, out, env, a.workers)
        plain = measure([py, "-c", PLAIN_SCRIPT, str(new)])
        plain.pop("stdout_tail")
        plain.pop("stderr_tail")
        one["new_document_chars"] = len(new.read_text(encoding="utf-8"))
        one["ratio_vs_plain_script"] = round(one["wall_s"] / plain["wall_s"], 2)
        res["one_new_document"] = one
        res["plain_script"] = plain

        server, api = start_prefect_server(tmp, env)
        try:
            server_env = {**env, "PREFECT_API_URL": api}
            add_hedge_cue(models, "と見積もられ")
            rule2 = pipeline_run(corpus, out, server_env, a.workers)
            rule2["speedup_vs_cold"] = round(cold["wall_s"] / rule2["wall_s"], 2)
            res["rule_edit_running_server"] = rule2
            add_document(corpus, "zz_new_document_2.ja.txt", "もう一つの新しい文書（ベンチマーク用）")
            one2 = pipeline_run(corpus, out, server_env, a.workers)
            one2["ratio_vs_plain_script"] = round(one2["wall_s"] / plain["wall_s"], 2)
            res["one_new_document_running_server"] = one2
        finally:
            server.terminate()
            server.wait(timeout=30)

        res.update(through_daemon(tmp, env, a.workers, base, cold, plain))

        fresh = pipeline_run(corpus, tmp / "out-fresh-home", {**env, "PREFECT_HOME": str(tmp / "fresh-prefect-home")},
                             a.workers)
        fresh["speedup_vs_ja_ginza"] = round(fresh["chars"] / fresh["wall_s"] / base["chars_per_s"], 2)
        res["cold_fresh_prefect_home"] = fresh
        res["load_avg_at_end"] = os.getloadavg()
    res["targets"] = {"cold_speedup_vs_ja_ginza": 3.0, "peak_mib": 1536, "rule_edit_speedup_vs_cold": 10.0,
                      "one_new_document_ratio_vs_plain_script": 1.5}
    name = f"speed_{a.docs}docs.json" if a.docs else "speed.json"
    path = HERE / "results" / name
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(res, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(res, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
