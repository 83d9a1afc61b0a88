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
    run.add_argument("--no-ner", action="store_true",
                     help="skip GiNZA's NER (about 2x faster; actors then come from the gazetteer only)")
    args = parser.parse_args(argv)

    if args.command == "run":
        if args.no_ner:
            os.environ["PIPELINE_NER"] = "0"   # inherited by the worker processes
        from .flows import run_corpus

        if not os.path.isdir(args.corpus):
            print(f"error: corpus folder not found: {args.corpus}", file=sys.stderr)
            return 2
        summary = run_corpus(args.corpus, args.out, workers=args.workers, progress=not args.quiet)
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
