"""Throughput and peak memory of the whole corpus run against plain ``nlp.pipe`` of ja_ginza (issue #2).

In one run, on the same ~200,000-character Japanese corpus built from the real texts (bench/make_corpus.py):
  baseline   plain ``spacy.load("ja_ginza")`` + ``nlp.pipe`` with its defaults (batch_size 1000, blis ops),
             on the same paragraphs the pipeline feeds GiNZA, in one process;
  run-wN     ``python -m pipeline run --workers N``: the whole job (Prefect start, model loads, extraction,
             tables), wall clock from process start to exit.
Peak RSS is the highest *sum* over the process tree (workers included), sampled every 0.1 s from /proc.
Results: bench/results/throughput.json (ratios against the baseline measured in the same run).
"""
from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from make_corpus import build  # noqa: E402
from proctree import tree_rss_kib  # noqa: E402

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


def measure(cmd: list[str], env: dict | None = None) -> dict:
    """Run ``cmd``; wall time, peak process-tree RSS, exit code and the last line of stdout."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, **(env or {})}, cwd=ROOT)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, tree_rss_kib(proc.pid))
        time.sleep(0.1)
    out, err = proc.communicate()
    wall = time.perf_counter() - start
    if proc.returncode:
        raise RuntimeError(f"{cmd} failed: {err[-2000:]}")
    return {"wall_s": round(wall, 2), "peak_rss_mib": round(peak / 1024), "stdout_tail": out.strip().splitlines()[-1:]}


def _steady(out: Path) -> int:
    """Chars/s of the extraction itself (flow time minus nothing: run_summary.json's own clock)."""
    summary = json.loads((out / "run_summary.json").read_text(encoding="utf-8"))
    return round(summary["chars"] / summary["seconds"]) if summary["seconds"] else 0


def main() -> None:
    py = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        chars = build(corpus, 200_000)
        results: dict = {"corpus_chars": chars, "corpus_docs": len(list(corpus.glob("*.txt"))),
                         "machine": {"cpus": os.cpu_count(), "platform": platform.platform(),
                                     "python": platform.python_version()}}
        base = measure([py, "-c", BASELINE, str(corpus), str(ROOT)])
        pipe_s = float(base["stdout_tail"][0])
        results["baseline_nlp_pipe_defaults"] = {**base, "pipe_s": round(pipe_s, 2),
                                                 "chars_per_s_pipe_only": round(chars / pipe_s),
                                                 "chars_per_s_wall": round(chars / base["wall_s"])}
        for workers, extra in ((1, []), (2, []), (2, ["--no-ner"])):
            r = measure([py, "-m", "pipeline", "run", "--corpus", str(corpus), "--out", str(Path(tmp) / f"o{workers}"),
                         "--workers", str(workers), "--quiet", *extra])
            r["steady_chars_per_s"] = _steady(Path(tmp) / f"o{workers}")
            r["chars_per_s_wall"] = round(chars / r["wall_s"])
            r["speedup_vs_baseline_pipe_only"] = round(r["chars_per_s_wall"] / results["baseline_nlp_pipe_defaults"]["chars_per_s_pipe_only"], 2)
            r["rss_ratio_vs_baseline"] = round(r["peak_rss_mib"] / base["peak_rss_mib"], 2)
            results[f"run_workers_{workers}{'_no_ner' if extra else ''}"] = r
    results["targets"] = {"chars_per_s": 5000, "peak_rss_mib": 2048}
    out = HERE / "results" / "throughput.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
