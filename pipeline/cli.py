"""Command line: ``python -m pipeline run --corpus DIR --out DIR``.

Exit codes of ``run``: 0 the tables were written (documents that could not be read are listed as failed);
1 no document could be processed; 2 usage error or corpus folder not found; 3 the per-document tables were
written but a cross-document stage (alignment, review, facts, report) failed, named in the summary;
4 another run is writing to the same output folder.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

EXIT_OK, EXIT_NOTHING, EXIT_USAGE, EXIT_STAGE_FAILED, EXIT_LOCKED = 0, 1, 2, 3, 4


def _workers_default() -> int:
    from pipeline.core import settings

    return int(settings.get("workers") or min(2, os.cpu_count() or 1))


def _add_folders(p, out_help: str = "folder for the tables (default: outputs/)") -> None:
    p.add_argument("--corpus", default="corpus", help="folder of .txt documents (default: corpus/)")
    p.add_argument("--out", default="outputs", help=out_help)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser; every subcommand sets ``func``, the function that runs it."""
    parser = argparse.ArgumentParser(prog="python -m pipeline", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="extract claims from every document in a corpus folder")
    _add_folders(run)
    run.add_argument("--workers", type=int, default=_workers_default(),
                     help="worker processes, each loads GiNZA once (default: 2 or $PIPELINE_WORKERS)")
    run.add_argument("--quiet", action="store_true", help="no per-document progress lines")
    run.add_argument("--dask", metavar="ADDRESS", nargs="?", const="local", default=None,
                     help="run the document tasks on Dask: a local cluster of --workers processes, or the "
                          "scheduler at ADDRESS (tcp://host:8786; its workers need PREFECT_API_URL of a Prefect server)")
    run.add_argument("--full", action="store_true",
                     help="process every document again instead of reusing unchanged ones from <out>/.cache")
    ner = run.add_mutually_exclusive_group()
    ner.add_argument("--no-ner", action="store_true",
                     help="skip GiNZA's NER (by default it runs on the sentences with a numeral only)")
    ner.add_argument("--discover-actors", action="store_true",
                     help="run GiNZA's NER on every sentence: more found_by=ner rows in actors.csv, for growing the "
                          "gazetteer (slower)")
    run.add_argument("--wait", type=float, default=0.0, metavar="SECONDS",
                     help="if another run is writing to --out, wait up to SECONDS for it (default: refuse at once)")
    run.add_argument("--no-daemon", action="store_true",
                     help="run in this process even if the warm daemon (`daemon start`) is running")
    run.set_defaults(func=_run)
    dmn = sub.add_parser("daemon", help="a warm process that later runs are handed to: imports, models and Prefect's "
                                        "server ready (a rule edit re-runs in seconds)")
    dmn_sub = dmn.add_subparsers(dest="daemon_command", required=True)
    start = dmn_sub.add_parser("start", help="start the daemon in the background (it stops when idle)")
    start.add_argument("--idle-minutes", type=float, default=60.0,
                       help="stop after this many minutes without a run (default 60; 0: never)")
    start.add_argument("--foreground", action="store_true", help="stay in the foreground (Ctrl-C stops it)")
    start.set_defaults(func=_daemon_start)
    for name, text, func in (("stop", "stop the daemon (a run in progress finishes first)", _daemon_stop),
                             ("status", "whether the daemon runs, and what it holds", _daemon_status)):
        dmn_sub.add_parser(name, help=text).set_defaults(func=func)
    rep = sub.add_parser("report", help="write report.html from the tables of a run (each run also writes it)")
    _add_folders(rep, "folder with the run's tables (default: outputs/)")
    rep.set_defaults(func=_report)
    srv = sub.add_parser("serve", help="serve the deployments of prefect.yaml (scheduled corpus runs) until Ctrl-C")
    srv.add_argument("--corpus", default=None, help="override the deployments' corpus folder")
    srv.add_argument("--out", default=None, help="override the deployments' output folder")
    srv.add_argument("--prefect-yaml", default=None, help="deployments file (default: prefect.yaml of the project)")
    srv.set_defaults(func=_serve)
    rev = sub.add_parser("review", help="import reviewed claims or export the claims still to review")
    rev_sub = rev.add_subparsers(dest="review_command", required=True)
    for name, text, func in (("import", "store the decisions of a reviewed claims CSV (all rows or none)", _review_import),
                             ("export", "write the claims that still need review to FILE", _review_export)):
        p = rev_sub.add_parser(name, help=text)
        p.add_argument("file", help="CSV file")
        _add_folders(p, "folder with the run's claims.csv (default: outputs/)")
        p.set_defaults(func=func)
    try:
        from pipeline.ingest import register_cli   # sets func for `add`
    except ImportError:  # pragma: no cover - ingestion extras not installed
        register_cli = None
    if register_cli is not None:
        register_cli(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the process exit code."""
    args = build_parser().parse_args(argv)
    args.argv = list(sys.argv[1:] if argv is None else argv)
    return args.func(args)


def _error(message: str, code: int) -> int:
    print(f"error: {message}", file=sys.stderr)
    return code


def _run(args) -> int:
    if not args.no_daemon:
        from pipeline.orchestrate import daemon_client

        code = daemon_client.run(args.argv, notify=lambda why: print(f"daemon: {why}; running in this process",
                                                                      file=sys.stderr))
        if code is not None:
            return code
    from pipeline.core import settings
    from pipeline.orchestrate.outdir import OutputLocked, output_lock

    if args.no_ner or args.discover_actors:
        settings.override("ner", "0" if args.no_ner else "all")   # inherited by the worker processes
    if not os.path.isdir(args.corpus):
        return _error(f"corpus folder not found: {args.corpus}", EXIT_USAGE)
    try:
        with output_lock(Path(args.out), wait=args.wait, command=" ".join(sys.argv)):
            return _run_locked(args)
    except OutputLocked as exc:
        return _error(str(exc), EXIT_LOCKED)


def _run_locked(args) -> int:
    from pipeline.core import settings

    if not args.full:
        # nothing changed since the last complete run: answer without starting Prefect or loading models
        import time

        from pipeline.orchestrate import manifest

        started = time.perf_counter()
        last = manifest.unchanged(args.corpus, args.out)
        if last is not None:
            from pipeline.orchestrate.summary import RunSummary

            summary = RunSummary(**manifest.reuse_summary(last, args.out, time.perf_counter() - started))
            print(f"nothing changed since the last run (documents, metadata, rules, pipeline, review "
                  f"decisions): the tables in {args.out}/ are up to date")
            print(summary.text())
            return EXIT_OK
    if not args.dask and not settings.get("embedder").startswith("transformers"):
        from pipeline.orchestrate.worker import block_torch

        block_torch()   # nothing in this process needs it (see pipeline/orchestrate/worker.py)
    from pipeline.orchestrate.memory import limit_heap_growth

    limit_heap_growth()   # before the models load: the workers forked from here inherit it
    from contextlib import nullcontext

    from pipeline.orchestrate import pool

    # Prefect's server and the NLP workers' model loads start now, beside this process's imports (issue 14)
    settings.trace("run: started")
    if not args.dask:
        pool.spawn_prefect_server()
    with nullcontext() if args.dask else pool.worker_pool(Path(args.corpus), Path(args.out), args.workers,
                                                          not args.full, fork=settings.get("fork") == "1"):
        settings.trace("run: worker pool ready")
        from pipeline.orchestrate.flows import run_corpus
        from pipeline.orchestrate.run import write_summary

        settings.trace("run: Prefect imported")

        summary = run_corpus(args.corpus, args.out, workers=args.workers, progress=not args.quiet,
                             incremental=not args.full, dask=args.dask)
        settings.trace("run: flow returned")
    settings.trace("run: worker pool closed")
    summary.since_process_start()
    write_summary(Path(args.out), summary)
    print(summary.text())
    print(f"tables written to {args.out}/")
    _daemon_tip(summary)
    if not summary.documents:
        return _error(f"no .txt documents in {args.corpus}", EXIT_NOTHING)
    if not summary.processed:
        return _error("no document could be processed", EXIT_NOTHING)
    if summary.stage_errors:
        stages = ", ".join(e["stage"] for e in summary.stage_errors)
        return _error(f"per-document tables written, but these stages failed: {stages}", EXIT_STAGE_FAILED)
    return EXIT_OK


def _daemon_tip(summary) -> None:
    """On a terminal, after a run in a new process that only re-ran the rules (every analysis from the parse cache):
    say that most of it was start-up, which the warm daemon saves (issue 14: ~7 s here, ~2.5 s through it)."""
    from pipeline.core import settings
    from pipeline.orchestrate import daemon_client

    only_rules = summary.parses_reused and summary.parses_reused + summary.reused == summary.processed
    if only_rules and sys.stderr.isatty() and not daemon_client.IN_DAEMON_CHILD and daemon_client.supported() \
            and settings.get("daemon") != "0":
        print("tip: only the rules ran again (every analysis came from the parse cache), so most of this run was "
              "start-up; `python -m pipeline daemon start` keeps that warm and makes re-runs like this one take "
              "seconds", file=sys.stderr)


def _report(args) -> int:
    from pipeline.orchestrate.outdir import OutputLocked, output_lock
    from pipeline.report import write_report

    try:
        with output_lock(Path(args.out), command="report"):
            print(f"wrote {write_report(Path(args.out), Path(args.corpus))}")
    except OutputLocked as exc:
        return _error(str(exc), EXIT_LOCKED)
    return EXIT_OK


def _serve(args) -> int:
    from pipeline.orchestrate.deploy import ROOT, serve

    corpus = os.path.abspath(args.corpus) if args.corpus else None
    out = os.path.abspath(args.out) if args.out else None
    serve(Path(args.prefect_yaml) if args.prefect_yaml else ROOT / "prefect.yaml", corpus=corpus, out=out)
    return EXIT_OK


def _daemon_start(args) -> int:
    from pipeline.orchestrate import daemon, daemon_client

    if not daemon_client.supported():
        return _error("the daemon needs Unix sockets and fork (Linux, macOS); runs work without it", EXIT_USAGE)
    try:
        if args.foreground:
            return daemon.serve_foreground(main, args.idle_minutes)
        answer = daemon_client.request({"command": "status"})
        if answer is not None:
            print(f"the daemon is already running (pid {answer.get('pid')})")
            return EXIT_OK
        pid, seconds, logfile = daemon.start_background(args.idle_minutes)
    except daemon_client.DaemonError as exc:
        return _error(str(exc), 1)
    print(f"daemon ready in {seconds:.1f} s (pid {pid}; log {logfile}); `run` now hands its runs to it")
    return EXIT_OK


def _daemon_stop(args) -> int:
    from pipeline.orchestrate import daemon_client

    answer = daemon_client.request({"command": "stop"})
    if answer is None:
        print("no daemon is running")
        return EXIT_OK
    running = answer.get("runs_in_progress") or 0
    print(f"daemon (pid {answer.get('pid')}) stopping" + (f" after {running} run(s) in progress" if running else ""))
    return EXIT_OK


def _daemon_status(args) -> int:
    import time

    from pipeline.orchestrate import daemon_client

    answer = daemon_client.request({"command": "status"})
    if answer is None:
        print("no daemon is running")
        return 1
    idle = answer.get("idle_minutes")
    print(f"daemon running: pid {answer['pid']}, up {time.time() - answer['started']:.0f} s, {answer['runs']} run(s) "
          f"served, {answer['running']} in progress; socket {answer['socket']}; Prefect API {answer['prefect_api']}; "
          f"stops after {'never' if idle is None else f'{idle:g} idle minutes'}"
          + ("" if answer.get("code_current") else "; the code changed since it started: it restarts at the next run"))
    return EXIT_OK


def _review_import(args) -> int:
    from pipeline import review

    if not os.path.isdir(args.corpus):
        return _error(f"corpus folder not found: {args.corpus}", EXIT_USAGE)
    try:
        n = review.import_file(Path(args.file), Path(args.corpus), Path(args.out) / "claims.csv")
    except (review.ReviewFileError, FileNotFoundError) as exc:
        return _error(str(exc), 1)
    print(f"imported {n} decision(s) into {review.db_path(Path(args.corpus))}; "
          f"re-run `python -m pipeline run --corpus {args.corpus}` to apply them")
    return EXIT_OK


def _review_export(args) -> int:
    from pipeline import review

    claims_csv = Path(args.out) / "claims.csv"
    if not os.path.isdir(args.corpus):
        return _error(f"corpus folder not found: {args.corpus}", EXIT_USAGE)
    if not claims_csv.exists():
        return _error(f"{claims_csv} not found: run the corpus first", 1)
    n = review.export_pending(claims_csv, Path(args.file))
    print(f"wrote {n} claim(s) that still need review to {args.file}")
    return EXIT_OK
