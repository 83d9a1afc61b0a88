"""Command line: ``python -m pipeline run --corpus DIR --out DIR``."""
from __future__ import annotations

import argparse
import os
import sys


def _workers_default() -> int:
    return int(os.environ.get("PIPELINE_WORKERS", min(2, os.cpu_count() or 1)))


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the process exit code."""
    parser = argparse.ArgumentParser(prog="python -m pipeline", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="extract claims from every document in a corpus folder")
    run.add_argument("--corpus", default="corpus", help="folder of .txt documents (default: corpus/)")
    run.add_argument("--out", default="outputs", help="folder for the tables (default: outputs/)")
    run.add_argument("--workers", type=int, default=_workers_default(),
                     help="worker processes, each loads GiNZA once (default: 2 or $PIPELINE_WORKERS)")
    run.add_argument("--quiet", action="store_true", help="no per-document progress lines")
    run.add_argument("--dask", metavar="ADDRESS", nargs="?", const="local", default=None,
                     help="run the document tasks on Dask: a local cluster of --workers processes, or the "
                          "scheduler at ADDRESS (tcp://host:8786; its workers need PREFECT_API_URL of a Prefect server)")
    run.add_argument("--full", action="store_true",
                     help="process every document again instead of reusing unchanged ones from <out>/.cache")
    run.add_argument("--no-ner", action="store_true",
                     help="skip GiNZA's NER (about 2x faster; actors then come from the gazetteer only)")
    rep = sub.add_parser("report", help="write report.html from the tables of a run (each run also writes it)")
    rep.add_argument("--corpus", default="corpus", help="corpus folder (default: corpus/)")
    rep.add_argument("--out", default="outputs", help="folder with the run's tables (default: outputs/)")
    srv = sub.add_parser("serve", help="serve the deployments of prefect.yaml (scheduled corpus runs) until Ctrl-C")
    srv.add_argument("--corpus", default=None, help="override the deployments' corpus folder")
    srv.add_argument("--out", default=None, help="override the deployments' output folder")
    srv.add_argument("--prefect-yaml", default=None, help="deployments file (default: prefect.yaml of the project)")
    rev = sub.add_parser("review", help="import reviewed claims or export the claims still to review")
    rev_sub = rev.add_subparsers(dest="review_command", required=True)
    for name, text in (("import", "store the decisions of a reviewed claims CSV (all rows or none)"),
                       ("export", "write the claims that still need review to FILE")):
        p = rev_sub.add_parser(name, help=text)
        p.add_argument("file", help="CSV file")
        p.add_argument("--corpus", default="corpus", help="corpus whose review store to use (default: corpus/)")
        p.add_argument("--out", default="outputs", help="folder with the run's claims.csv (default: outputs/)")
    try:
        from .ingest import register_cli
    except ImportError:  # pragma: no cover - ingestion extras not installed
        register_cli = None
    if register_cli is not None:
        register_cli(sub)
    args = parser.parse_args(argv)

    if args.command == "review":
        return _review(args)
    if args.command == "report":
        from pathlib import Path

        from .report import write_report

        print(f"wrote {write_report(Path(args.out), Path(args.corpus))}")
        return 0
    if args.command == "serve":
        from pathlib import Path

        from .deploy import ROOT, serve

        corpus = os.path.abspath(args.corpus) if args.corpus else None
        out = os.path.abspath(args.out) if args.out else None
        serve(Path(args.prefect_yaml) if args.prefect_yaml else ROOT / "prefect.yaml", corpus=corpus, out=out)
        return 0
    if args.command == "add":
        from .ingest import run_cli

        return run_cli(args)

    if args.command == "run":
        if args.no_ner:
            os.environ["PIPELINE_NER"] = "0"   # inherited by the worker processes
        if not args.full and os.path.isdir(args.corpus):
            # nothing changed since the last complete run: answer without starting Prefect or loading models
            import time

            from . import manifest

            started = time.perf_counter()
            last = manifest.unchanged(args.corpus, args.out)
            if last is not None:
                from .summary import RunSummary

                summary = RunSummary(**manifest.reuse_summary(last, args.out, time.perf_counter() - started))
                print(f"nothing changed since the last run (documents, metadata, rules, pipeline, review "
                      f"decisions): the tables in {args.out}/ are up to date")
                print(summary.text())
                return 0
        if args.workers > 1 and not args.dask and not os.environ.get("PIPELINE_EMBEDDER", "use").startswith("transformers"):
            from ._worker import block_torch

            block_torch()   # nothing in this process needs it (see pipeline/_worker.py)
        from .flows import run_corpus

        if not os.path.isdir(args.corpus):
            print(f"error: corpus folder not found: {args.corpus}", file=sys.stderr)
            return 2
        summary = run_corpus(args.corpus, args.out, workers=args.workers, progress=not args.quiet,
                             incremental=not args.full, dask=args.dask)
        print(summary.text())
        print(f"tables written to {args.out}/")
        if summary.documents and not summary.processed:
            print("error: no document could be processed", file=sys.stderr)
            return 1
        if not summary.documents:
            print(f"error: no .txt documents in {args.corpus}", file=sys.stderr)
            return 1
        return 0
    return 2


def _review(args) -> int:
    from pathlib import Path

    from . import review

    claims_csv = Path(args.out) / "claims.csv"
    if not os.path.isdir(args.corpus):
        print(f"error: corpus folder not found: {args.corpus}", file=sys.stderr)
        return 2
    if args.review_command == "import":
        try:
            n = review.import_file(Path(args.file), Path(args.corpus), claims_csv)
        except review.ReviewFileError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        except FileNotFoundError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        print(f"imported {n} decision(s) into {review.db_path(Path(args.corpus))}; "
              f"re-run `python -m pipeline run --corpus {args.corpus}` to apply them")
        return 0
    if not claims_csv.exists():
        print(f"error: {claims_csv} not found: run the corpus first", file=sys.stderr)
        return 1
    n = review.export_pending(claims_csv, Path(args.file))
    print(f"wrote {n} claim(s) that still need review to {args.file}")
    return 0
