"""Incremental re-runs: first run, unchanged re-run, re-run after one document changed (issue #7).

Each run is ``python -m pipeline run`` in a fresh process, timed from start to exit:
  first                 --full, nothing cached
  unchanged             nothing changed: answered from <out>/.manifest.json (pipeline/manifest.py)
  unchanged_no_manifest the same with the manifest deleted: the whole flow runs and every document's records
                        come from the content-addressed cache (what any run that changed only the review
                        store, say, costs)
  one_changed           one document edited: only it is processed again
Usage: bench/bench_incremental.py [--docs N]  (default 100 documents built round-robin from the Japanese texts)
Writes bench/results/incremental.json: wall times, speed-ups over the first run, documents reused by each run,
and whether the unchanged re-runs' outputs are byte-identical to the first run's.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from make_corpus import build  # noqa: E402

sys.path.insert(0, str(ROOT))
from pipeline.orchestrate.manifest import MANIFEST, OUTPUT_FILES as TABLES  # noqa: E402


def run(corpus: Path, out: Path, *extra: str) -> tuple[float, dict]:
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pipeline", "run", "--corpus", str(corpus), "--out", str(out), "--quiet",
                    *extra], cwd=ROOT, check=True, capture_output=True)
    wall = time.perf_counter() - t
    return round(wall, 2), json.loads((out / "run_summary.json").read_text(encoding="utf-8"))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=100)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        corpus, out = Path(tmp) / "corpus", Path(tmp) / "out"
        chars = build(corpus, docs=args.docs)
        first_s, first = run(corpus, out, "--full")
        tables = {t: (out / t).read_bytes() for t in TABLES}
        second_s, second = run(corpus, out)
        identical = tables == {t: (out / t).read_bytes() for t in TABLES}
        (out / MANIFEST).unlink()
        flow_s, flow = run(corpus, out)
        identical_flow = tables == {t: (out / t).read_bytes() for t in TABLES}
        victim = sorted(corpus.glob("*.txt"))[0]
        victim.write_text(victim.read_text(encoding="utf-8") + "\n北朝鮮は5000人の労働者を派遣した。\n", encoding="utf-8")
        third_s, third = run(corpus, out)
    result = {
        "docs": args.docs, "chars": chars,
        "first_run_s": first_s, "unchanged_rerun_s": second_s, "unchanged_no_manifest_rerun_s": flow_s,
        "one_changed_rerun_s": third_s,
        "speedup_unchanged_vs_first": round(first_s / second_s, 1),
        "speedup_unchanged_no_manifest_vs_first": round(first_s / flow_s, 1),
        "speedup_one_changed_vs_first": round(first_s / third_s, 1),
        "reused": {"first": first["reused"], "unchanged": second["reused"], "unchanged_no_manifest": flow["reused"],
                   "one_changed": third["reused"]},
        "processed_again_after_one_change": third["processed"] - third["reused"],
        "unchanged_rerun_outputs_byte_identical": identical and identical_flow,
        "outputs_compared": list(TABLES),
    }
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / "incremental.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
