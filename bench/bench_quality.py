"""Quality on real texts (issue 12): the development set of ../shared/eval through the real pipeline, scored by
its own scorer, overall and per language; optionally side by side with another git revision of this project.

    .venv/bin/python bench/bench_quality.py                 # this working tree → bench/results/quality.json
    .venv/bin/python bench/bench_quality.py --against HEAD~3 # also the same run of another revision, and the diff

The development set is not part of the repository (a user's clone has none): without ../shared/eval the script
says so and stops. Figures: quantities recall / precision / F1 and the accuracy of value, unit, qualifier and
actor on found quantities; citation recall; JA↔EN sentence-link recall; cross-source facts (pair recall, kept
apart, conflicts flagged). Every run writes bench/results/quality.json (and quality-<rev>.json with --against).
"""
from __future__ import annotations

import argparse
import contextlib
import importlib.util
import io
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
EVAL = ROOT.parent / "shared" / "eval"
QUANTITY_KEYS = ("recall", "precision", "f1", "value_acc", "unit_acc", "qualifier_acc", "actor_acc", "tp", "fn", "fp")


def _scorer(eval_dir: Path):
    spec = importlib.util.spec_from_file_location("dev_scorer", eval_dir / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_pipeline(project: Path, eval_dir: Path, out: Path, gold: dict) -> float:
    """The project's own `python -m pipeline run` on the development texts; returns the wall time."""
    corpus = Path(tempfile.mkdtemp(prefix="dev-corpus-"))
    for name in gold["docs"]:
        shutil.copy(eval_dir / "dev" / name, corpus / name)
    started = time.perf_counter()
    proc = subprocess.run([str(ROOT / ".venv" / "bin" / "python"), "-m", "pipeline", "run", "--corpus", str(corpus),
                           "--out", str(out), "--quiet", "--full"], cwd=project, capture_output=True, text=True)
    shutil.rmtree(corpus, ignore_errors=True)
    if proc.returncode not in (0, 3):
        sys.exit(f"pipeline run failed in {project} (exit {proc.returncode}):\n{proc.stderr[-3000:]}")
    return time.perf_counter() - started


def score(scorer, out: Path, gold: dict, facts_gold: dict) -> dict:
    """The scorer's figures for one output folder: overall, and quantities/citations per language."""
    def part(fn, docs, *extra) -> dict:
        res: dict = {}
        with contextlib.redirect_stdout(io.StringIO()):
            fn(out, docs, res, *extra) if extra else fn(out, docs, res)
        return res

    figures: dict = {}
    for lang in ("all", "ja", "en"):
        docs = {k: v for k, v in gold["docs"].items() if lang == "all" or k.endswith(f".{lang}.txt")}
        q = part(scorer.score_quantities, docs)["quantities"]
        c = part(scorer.score_citations, docs)["citations"]
        figures[lang] = {"documents": len(docs), "quantities": {k: q.get(k) for k in QUANTITY_KEYS},
                         "citations": {k: c.get(k) for k in ("recall", "tp", "fn")}}
    a = part(scorer.score_alignment, gold.get("alignments", {}))["alignment"]
    f = part(scorer.score_facts, facts_gold)["facts"]
    figures["all"]["alignment"] = {k: a.get(k) for k in ("recall", "tp", "n")}
    figures["all"]["facts"] = {k: v for k, v in f.items() if not isinstance(v, list)}
    return figures


def measure(project: Path, eval_dir: Path, scorer, gold: dict, facts_gold: dict) -> dict:
    with tempfile.TemporaryDirectory(prefix="dev-out-") as tmp:
        seconds = run_pipeline(project, eval_dir, Path(tmp), gold)
        return {"seconds": round(seconds, 1), **score(scorer, Path(tmp), gold, facts_gold)}


def _worktree(rev: str) -> Path:
    path = Path(tempfile.mkdtemp(prefix="bench-rev-"))
    subprocess.run(["git", "worktree", "add", "--detach", str(path), rev], cwd=ROOT, check=True,
                   capture_output=True)
    return path


def _flat(figures: dict, prefix: str = "") -> dict:
    out = {}
    for k, v in figures.items():
        if isinstance(v, dict):
            out.update(_flat(v, f"{prefix}{k}."))
        else:
            out[f"{prefix}{k}"] = v
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--eval-dir", type=Path, default=EVAL, help="the development set (default: ../shared/eval)")
    ap.add_argument("--against", metavar="REV", help="also measure this git revision of the project, and diff")
    args = ap.parse_args()
    if not (args.eval_dir / "score.py").exists():
        sys.exit(f"no development set at {args.eval_dir}: this benchmark needs ../shared/eval (not in a clone)")
    scorer = _scorer(args.eval_dir)
    gold = json.loads((args.eval_dir / "dev.json").read_text(encoding="utf-8"))
    facts_gold = json.loads((args.eval_dir / "dev-facts.json").read_text(encoding="utf-8"))
    rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    results = {"revision": rev + ("+changes" if subprocess.run(["git", "status", "--porcelain"], cwd=ROOT,
                                                              capture_output=True, text=True).stdout else ""),
               "measured": time.strftime("%Y-%m-%d %H:%M"), "this": measure(ROOT, args.eval_dir, scorer, gold,
                                                                            facts_gold)}
    if args.against:
        tree = _worktree(args.against)
        try:
            (tree / ".venv").symlink_to(ROOT / ".venv")
            results["against"] = {"revision": args.against, **measure(tree, args.eval_dir, scorer, gold, facts_gold)}
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT, capture_output=True)
        this, other = _flat(results["this"]), _flat(results["against"])
        results["diff"] = {k: [other.get(k), v] for k, v in this.items() if other.get(k) != v and k != "seconds"}
    out = HERE / "results" / "quality.json"
    out.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    for lang in ("all", "ja", "en"):
        q, c = results["this"][lang]["quantities"], results["this"][lang]["citations"]
        print(f"{lang:>3}: quantities F1 {q['f1']} (P {q['precision']} / R {q['recall']}), value {q['value_acc']}, "
              f"unit {q['unit_acc']}, qualifier {q['qualifier_acc']}, actor {q['actor_acc']}; "
              f"citations recall {c['recall']}")
    print(f"alignment recall {results['this']['all']['alignment']['recall']}; facts {results['this']['all']['facts']}")
    for k, (before, after) in results.get("diff", {}).items():
        print(f"  {k}: {before} → {after}")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
