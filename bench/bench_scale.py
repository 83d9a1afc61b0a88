"""Scale-out on Dask (issue #7): throughput, peak memory and per-task overhead by number of workers, and memory
as the corpus grows.

Every run is ``python -m pipeline run --full --quiet`` in a fresh process on a synthetic corpus built from the
real Japanese texts (bench/make_corpus.py), timed from start to exit:
  threads-w2     the default runner (Prefect threads handing documents to 2 NLP processes): the baseline
  dask-w1/-w2    ``--dask`` on a local cluster of 1 / 2 worker processes, real GiNZA (with NER)
  dask-sim-wN    ``--dask`` with N = 4, 8 workers whose document processing is a sleep of the per-character
                 time measured in dask-w1 (bench/sim_worker.py): this machine has 2 cores, so more real
                 workers would only share them; the simulation measures what orchestration costs at that width
  growth         dask-w2 on 100 and 250 documents beside the 500 above: peak memory of the flow process
Measured:
  throughput     corpus characters / wall seconds, and documents per second
  peak memory    highest RSS of the flow process, and highest sum over its process tree (Dask workers, the
                 Prefect server), sampled every 0.1 s from /proc
  per-task overhead  from <out>/run_timings.csv: on each worker, the idle gap between the end of one document's
                 processing and the start of the next is what a task costs beyond the work itself (Prefect task
                 run, Dask scheduling, hashing, cache write, result hand-back); reported against the median
                 processing time of a document
  prefect servers  the most Prefect API server processes alive at once in the run's process tree (must be 1:
                 Dask workers use the flow's server instead of starting their own)
Usage: bench/bench_scale.py [--docs 500] [--growth 100,250] [--sim-workers 4,8] [--only sim]
(``--only sim`` re-runs the simulated workers with the per-character time of the dask-w1 run already in the
results file, ``--only growth`` re-runs the memory-growth runs at every size; both update the file)
Results: bench/results/scale.json
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from make_corpus import build  # noqa: E402
from proctree import sample as _sample  # noqa: E402


def run(corpus: Path, out: Path, *args: str, env: dict | None = None) -> dict:
    """One ``pipeline run`` with wall time, peak memory and server count."""
    cmd = [sys.executable, "-m", "pipeline", "run", "--corpus", str(corpus), "--out", str(out), "--quiet", "--full",
           *args]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, **(env or {})})
    peak_self = peak_tree = servers = 0
    while proc.poll() is None:
        own, tree, n = _sample(proc.pid)
        peak_self, peak_tree, servers = max(peak_self, own), max(peak_tree, tree), max(servers, n)
        time.sleep(0.1)
    stdout, stderr = proc.communicate()
    wall = time.perf_counter() - start
    if proc.returncode:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{stderr[-3000:]}")
    summary = json.loads((out / "run_summary.json").read_text(encoding="utf-8"))
    return {"wall_s": round(wall, 2), "flow_s": summary["seconds"], "documents": summary["documents"],
            "failed": len(summary["failed"]), "chars": summary["chars"],
            "chars_per_s": round(summary["chars"] / wall), "docs_per_s": round(summary["documents"] / wall, 2),
            "peak_rss_flow_process_mib": round(peak_self / 1024), "peak_rss_tree_mib": round(peak_tree / 1024),
            "max_prefect_servers_alive": servers, **_overhead(out / "run_timings.csv")}


def _overhead(timings: Path) -> dict:
    """Per-task overhead from run_timings.csv: idle gaps between consecutive documents on each worker."""
    with timings.open(encoding="utf-8-sig", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["started"]]
    by_worker: dict[str, list[tuple[float, float]]] = {}
    for r in rows:
        by_worker.setdefault(r["worker"], []).append((float(r["started"]), float(r["seconds"])))
    gaps, work = [], []
    for spans in by_worker.values():
        spans.sort()
        work += [s for _, s in spans[1:]]   # the first document of a worker also loads the models
        gaps += [b[0] - (a[0] + a[1]) for a, b in zip(spans, spans[1:])]
    if not gaps:
        return {}
    per_doc = statistics.median(work)
    return {"workers_seen": len(by_worker), "median_doc_processing_s": round(per_doc, 4),
            "mean_doc_processing_s": round(statistics.fmean(work), 4),
            "median_task_overhead_s": round(statistics.median(gaps), 4),
            "mean_task_overhead_s": round(statistics.fmean(gaps), 4),
            "p90_task_overhead_s": round(sorted(gaps)[int(0.9 * (len(gaps) - 1))], 4),
            "overhead_pct_of_doc_median": round(100 * statistics.median(gaps) / per_doc, 2),
            "overhead_pct_of_doc_mean": round(100 * statistics.fmean(gaps) / statistics.fmean(work), 2),
            "first_doc_per_worker_s": round(statistics.fmean(s[0][1] for s in by_worker.values()), 2)}


def _per_char(w1: dict) -> float:
    """Processing seconds per character of a real run: mean document time over mean document length."""
    mean_doc = w1.get("mean_doc_processing_s") or w1["mean_task_overhead_s"] / (w1["overhead_pct_of_doc_mean"] / 100)
    return mean_doc / (w1["chars"] / w1["documents"])


def _simulated(corpus: Path, tmp: Path, env: dict, per_char: float, widths: list[int], runs: dict) -> None:
    for n in widths:
        name = f"dask-sim-w{n}"
        runs[name] = run(corpus, tmp / name, "--dask", "--workers", str(n), env={
            **env, "BENCH_SIM_SECONDS_PER_CHAR": str(per_char),
            "DASK_DISTRIBUTED__WORKER__PRELOAD": json.dumps([str(HERE / "sim_worker.py")])})
        print(name, json.dumps(runs[name]), flush=True)


def _growth(args, tmp: Path, env: dict, largest: dict | None) -> dict:
    """dask-w2 runs on growing corpora (the largest one reused from ``largest`` when given)."""
    growth = {}
    for size in [int(s) for s in args.growth.split(",") if s] + [args.docs]:
        if size == args.docs and largest is not None:
            r = largest
        else:
            build(tmp / f"corpus{size}", docs=size)
            r = run(tmp / f"corpus{size}", tmp / f"grow{size}", "--dask", "--workers", "2", env=env)
        growth[str(size)] = {k: r[k] for k in ("chars", "wall_s", "peak_rss_flow_process_mib", "peak_rss_tree_mib")}
        print("growth", size, growth[str(size)], flush=True)
    return growth


def _ratios(results: dict) -> dict:
    runs, growth = results["runs"], results["memory_growth_dask_w2"]
    base, w1 = runs["threads-w2"], runs["dask-w1"]
    ratios = {name: {"throughput_vs_threads_w2": round(r["chars_per_s"] / base["chars_per_s"], 2),
                     "peak_tree_rss_vs_threads_w2": round(r["peak_rss_tree_mib"] / base["peak_rss_tree_mib"], 2)}
              for name, r in runs.items()}
    ratios["dask-w2_vs_dask-w1_throughput"] = round(runs["dask-w2"]["chars_per_s"] / w1["chars_per_s"], 2)
    sizes = sorted(growth, key=int)
    ratios["flow_process_peak_rss_largest_vs_smallest_corpus"] = round(
        growth[sizes[-1]]["peak_rss_flow_process_mib"] / growth[sizes[0]]["peak_rss_flow_process_mib"], 2)
    ratios["corpus_size_largest_vs_smallest"] = round(int(sizes[-1]) / int(sizes[0]), 2)
    return ratios


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=500)
    ap.add_argument("--growth", default="100,250", help="smaller corpus sizes for the memory-growth runs")
    ap.add_argument("--sim-workers", default="4,8")
    ap.add_argument("--only", choices=("all", "sim", "growth"), default="all")
    args = ap.parse_args()
    out = HERE / "results" / "scale.json"
    widths = [int(n) for n in args.sim_workers.split(",") if n]
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        corpus = tmp / f"corpus{args.docs}"
        chars = build(corpus, docs=args.docs)
        env = {"PREFECT_HOME": str(tmp / "prefect-home")}
        if args.only == "sim":
            results = json.loads(out.read_text(encoding="utf-8"))
            assert results["corpus"] == {"docs": args.docs, "chars": chars}, "the results file is for another corpus"
            results["simulation_seconds_per_char"] = round(_per_char(results["runs"]["dask-w1"]), 7)
            _simulated(corpus, tmp, env, results["simulation_seconds_per_char"], widths, results["runs"])
        elif args.only == "growth":
            results = json.loads(out.read_text(encoding="utf-8"))
            assert results["corpus"] == {"docs": args.docs, "chars": chars}, "the results file is for another corpus"
            results["memory_growth_dask_w2"] = _growth(args, tmp, env, None)
        else:
            results = {"machine": {"cpus": os.cpu_count(), "platform": platform.platform(),
                                   "python": platform.python_version()},
                       "corpus": {"docs": args.docs, "chars": chars}, "runs": {}}
            runs = results["runs"]
            for name, extra in (("threads-w2", ["--workers", "2"]), ("dask-w1", ["--dask", "--workers", "1"]),
                                ("dask-w2", ["--dask", "--workers", "2"])):
                runs[name] = run(corpus, tmp / name, *extra, env=env)
                print(name, json.dumps(runs[name]), flush=True)
            per_char = _per_char(runs["dask-w1"])
            results["simulation_seconds_per_char"] = round(per_char, 7)
            _simulated(corpus, tmp, env, per_char, widths, runs)
            results["memory_growth_dask_w2"] = _growth(args, tmp, env, runs["dask-w2"])
    results["ratios"] = _ratios(results)
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
