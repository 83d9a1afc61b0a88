"""Prefect flows: thin wrappers over :mod:`pipeline.orchestrate.run`. One task per document, never per sentence.

Runs on Prefect's embedded default (no server to start, telemetry off: :mod:`pipeline.core.settings`). With
``workers > 1`` the tasks run in threads that hand the NLP work to a process pool whose workers each load the
language models once, at start; with ``dask`` they run on Dask workers (prefect-dask, :mod:`pipeline.orchestrate.dask_worker`).
Either way a task hands back a small :class:`~pipeline.orchestrate.run.Processed` record; the document's records stay in
the cache until the tables are written, one document at a time (streaming: memory does not grow with the corpus).
"""
from __future__ import annotations

from pipeline.core import settings

settings.apply()

import queue  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from concurrent.futures.process import BrokenProcessPool  # noqa: E402
from contextlib import nullcontext  # noqa: E402
from pathlib import Path  # noqa: E402

from prefect import flow, task  # noqa: E402
from prefect.context import FlowRunContext  # noqa: E402
from prefect.task_runners import ThreadPoolTaskRunner  # noqa: E402

from pipeline.orchestrate import cache, manifest, pool  # noqa: E402
from pipeline.orchestrate.outdir import output_lock  # noqa: E402
from pipeline.load import corpus as corpus_mod  # noqa: E402
from pipeline.crosslang.pairs import align_pair, find_pairs  # noqa: E402
from pipeline.orchestrate.run import (Processed, RunSummary, guarded, key_or_none, load_result, lookup, process_cached,  # noqa: E402
                  write_outputs, write_summary)



@task(name="process-document", task_run_name="{path.name}", retries=0)
def process_document_task(path: Path, corpus_dir: Path, cache_dir: Path, reuse: bool = True) -> Processed:
    """One document → its records in the cache and a small :class:`~pipeline.orchestrate.run.Processed` record (a failed
    one, with the reason, if the file is unusable). With ``reuse``, an unchanged document is not processed."""
    if pool.PREFETCHED:   # handed to the NLP processes when they started (pipeline.orchestrate.pool)
        try:
            done = pool.take_prefetched(path, key_or_none(path, corpus_dir))
            if done is not None:
                return done
        except BrokenProcessPool:  # a worker died (killed, out of memory): do this document here instead
            pool.wait_preload()
            return process_cached(path, corpus_dir, cache_dir, False, key_or_none(path, corpus_dir), reuse)
    key, cached = lookup(path, corpus_dir, cache_dir) if reuse else (key_or_none(path, corpus_dir), None)
    if cached is not None:
        return cached
    if pool.POOL is not None:   # the NLP processes (pipeline.orchestrate.pool)
        try:
            return pool.POOL.submit(process_cached, path, corpus_dir, cache_dir, False, key, reuse).result()
        except BrokenProcessPool:  # a worker died (killed, out of memory): do this document here instead
            pass
    pool.wait_preload()   # this process's models, loaded while Prefect started
    return process_cached(path, corpus_dir, cache_dir, False, key, reuse)


@task(name="align-pair", task_run_name="{ja.document.doc_id}~{en.document.doc_id}")
def align_pair_task(ja: Processed, en: Processed, cache_dir: Path, corpus_dir: Path):
    """One translation pair → sentence alignment and claim/citation matches."""
    from pipeline.crosslang.embed import get_embedder

    return align_pair(load_result(ja, cache_dir, corpus_dir), load_result(en, cache_dir, corpus_dir), get_embedder())


@flow(name="corpus-run", log_prints=False)
def corpus_flow(corpus: str = "corpus", out: str = "outputs", workers: int = 1, progress: bool = True,
                incremental: bool = True) -> dict:
    """Process every document in ``corpus`` and write the tables to ``out``; returns the run summary.
    With ``incremental``, unchanged documents reuse their records from ``<out>/.cache``, and a run in which
    nothing changed at all returns the last run's summary at once (:mod:`pipeline.orchestrate.manifest`)."""
    corpus_dir, out_dir, started = Path(corpus), Path(out), time.perf_counter()
    settings.trace("flow: started")
    with output_lock(out_dir, command=f"corpus-run {corpus} -> {out}"):   # one run per output folder
        if incremental and (last := manifest.unchanged(corpus_dir, out_dir)) is not None:
            if progress:
                print(f"nothing changed since the last run: the tables in {out_dir} are up to date",
                      file=sys.stderr, flush=True)
            return manifest.reuse_summary(last, out_dir, time.perf_counter() - started)
        # NLP processes of our own only under the thread runner (on Dask, the Dask workers do the work)
        local = isinstance(getattr(FlowRunContext.get(), "task_runner", None), ThreadPoolTaskRunner)
        with pool.worker_pool(corpus_dir, out_dir, workers if local else 1, incremental):
            return _corpus_run(corpus_dir, out_dir, progress, incremental, workers)


def _in_flight(workers: int) -> int:
    """How many document tasks may be submitted and not yet finished: 4 per worker slot (Dask: per worker
    thread of the cluster), at least 8; ``PIPELINE_MAX_IN_FLIGHT`` overrides it."""
    if settings.get("max_in_flight"):
        return max(1, int(settings.get("max_in_flight")))
    slots = workers
    ctx = FlowRunContext.get()
    client = getattr(getattr(ctx, "task_runner", None), "_client", None)   # prefect-dask's runner, once started
    if client is not None and hasattr(client, "nthreads"):
        try:
            slots = max(slots, sum(client.nthreads().values()))
        except Exception:  # a scheduler that does not answer now: keep the given count
            pass
    return max(8, 4 * slots)


def _bounded(submit, items, window: int):
    """Submit ``submit(item)`` for every item with at most ``window`` unfinished, and yield the results in the
    order they finish. Submitting a whole corpus at once would make Prefect and Dask hold one serialised
    context per document until it ran (measured: ~300 KB each; bench/bench_scale.py); this keeps the flow
    process's memory flat however large the corpus."""
    finished: queue.Queue = queue.Queue()
    pending = iter(items)
    in_flight = 0

    def launch() -> bool:
        nonlocal in_flight
        for item in pending:
            submit(item).add_done_callback(finished.put)
            in_flight += 1
            return True
        return False

    for _ in range(window):
        if not launch():
            break
    while in_flight:
        future = finished.get()
        in_flight -= 1
        launch()
        yield future.result()


def _corpus_run(corpus_dir: Path, out_dir: Path, progress: bool, incremental: bool, workers: int = 1) -> dict:
    started = time.perf_counter()
    cache_dir = out_dir / ".cache"   # a full run refreshes it, an incremental one also reads it
    try:
        run_key = manifest.run_key(corpus_dir)   # before anything is read, so an edit during the run counts
    except OSError:
        run_key = None
    manifest.forget(out_dir)
    paths, skipped = corpus_mod.discover_all(corpus_dir)   # symlinks, folders named x.txt: named, not read
    done: list[Processed] = [Processed(corpus_mod.failed_document(rel, reason)) for rel, reason in skipped]
    if progress:
        for rel, reason in skipped:
            print(f"[skipped] {rel}: {reason}", file=sys.stderr, flush=True)
    submit = lambda p: process_document_task.submit(p, corpus_dir, cache_dir, incremental)  # noqa: E731
    for n, item in enumerate(_bounded(submit, paths, _in_flight(workers)), 1):
        done.append(item)
        if progress:
            d = item.document
            state = ("reused" if item.reused else "ok") if d.status == "ok" else f"FAILED: {d.error}"
            print(f"[{n}/{len(paths)}] {d.doc_id} ({item.claims} claims) {state} "
                  f"{time.perf_counter() - started:.1f}s", file=sys.stderr, flush=True)
    settings.trace("flow: documents done")
    pool.release()   # the NLP workers are done: the rest of the run needs none of them
    pairs = find_pairs(done)
    pair_futures = [align_pair_task.submit(ja, en, cache_dir, corpus_dir) for ja, en in pairs]
    alignments, matches, stage_errors = [], [], []
    for (ja, en), fut in zip(pairs, pair_futures):
        try:   # one pair that cannot be aligned loses its alignment, nothing else (issue 11)
            rows, found = fut.result()
        except Exception as exc:
            stage_errors.append({"stage": f"alignment {ja.document.doc_id}~{en.document.doc_id}",
                                 "error": f"{type(exc).__name__}: {exc}"})
            continue
        alignments += rows
        matches += found
    del pair_futures
    summary = write_outputs(done, out_dir, started, alignments, matches, corpus_dir=corpus_dir,
                            reused=sum(i.reused for i in done),
                            load=lambda item: load_result(item, cache_dir, corpus_dir), stage_errors=stage_errors)
    settings.trace("flow: tables written")
    from pipeline.report import write_report

    if guarded(summary, "report", write_report, out_dir, corpus_dir) is None:
        (out_dir / "report.html").unlink(missing_ok=True)   # never a report of an earlier run beside new tables
        write_summary(out_dir, summary)
    cache.prune(cache_dir, {i.key for i in done if i.key})
    from pipeline.lang.analysis import prune as prune_parses
    from pipeline.orchestrate.run import PARSE_DIR

    prune_parses(cache_dir / PARSE_DIR, {i.key: i.parse_key for i in done if i.key and i.document.status == "ok"})
    settings.trace("flow: report written, caches pruned")
    result = summary.to_dict()
    if run_key is not None:
        manifest.record(corpus_dir, out_dir, result, run_key)
    settings.trace("flow: manifest recorded")
    return result


def _dask_runner(dask: str, workers: int):
    """A DaskTaskRunner on a local cluster of ``workers`` processes (``dask='local'``) or on the scheduler at
    ``dask`` (``tcp://host:8786``), and the Prefect API URL the flow must run with. Workers must reach the same
    Prefect API: for a local cluster this process starts Prefect's server once and hands its address to the
    workers (otherwise each worker process would start a temporary server of its own); for a remote cluster
    set PREFECT_API_URL to a running Prefect server. Local workers preload :mod:`pipeline.orchestrate.dask_worker`
    (models loaded at start, Prefect's per-task overhead trimmed)."""
    import os

    from prefect_dask import DaskTaskRunner

    if dask == "local":
        if not os.environ.get("PREFECT_API_URL"):
            from prefect.server.api.server import SubprocessASGIServer

            server = SubprocessASGIServer()
            server.start()
            os.environ["PREFECT_API_URL"] = server.api_url   # inherited by the worker processes
        import dask

        preload = list(dask.config.get("distributed.worker.preload", [])) + ["pipeline.orchestrate.dask_worker"]
        runner = DaskTaskRunner(cluster_kwargs={"n_workers": max(1, workers), "threads_per_worker": 1,
                                                "processes": True, "dashboard_address": None,
                                                "preload": preload})
        return runner, os.environ["PREFECT_API_URL"]
    return DaskTaskRunner(address=dask), os.environ.get("PREFECT_API_URL")


def run_corpus(corpus: str | Path = "corpus", out: str | Path = "outputs", workers: int = 1,
               progress: bool = True, incremental: bool = True, dask: str | None = None) -> RunSummary:
    """Run :func:`corpus_flow` with a task runner for ``workers`` and return its summary. With ``dask``
    ('local' or a scheduler address) each document is a task on a Dask worker, which loads GiNZA once."""
    if dask:
        from prefect.settings import PREFECT_API_URL, temporary_settings

        from pipeline.orchestrate.dask_worker import trim_submission

        trim_submission()   # prefect-dask serialises the settings for every task it submits
        runner, api_url = _dask_runner(dask, workers)
        # the flow's settings (sent with every task) then name the same API as the workers' own settings
        with temporary_settings(updates={PREFECT_API_URL: api_url} if api_url else {}):
            result = corpus_flow.with_options(task_runner=runner)(str(corpus), str(out), workers, progress,
                                                                  incremental)
        return RunSummary(**result)
    with pool.worker_pool(Path(corpus), Path(out), workers, incremental):   # starts the workers before Prefect
        pool.start_prefect_server()   # at once, beside the model loads (the command line did both already)
        from pipeline.orchestrate.dask_worker import share_ssl_contexts

        share_ssl_contexts()   # Prefect makes API clients per task, each loading the CA bundle
        runner = ThreadPoolTaskRunner(max_workers=max(1, workers))
        pool.wait_prefect_server()
        settings.trace("Prefect's server answers")
        with _no_heartbeats() if pool.own_server() else nullcontext():
            result = corpus_flow.with_options(task_runner=runner)(str(corpus), str(out), workers, progress,
                                                                  incremental)
    return RunSummary(**result)


def _no_heartbeats():
    """Settings for a flow on a server of our own: no flow-run heartbeats. They serve one automation (a flow run
    whose heartbeats stop is marked crashed), and that server runs no automations; yet Prefect's heartbeat thread
    sleeps in 1 s steps, so every flow's end waited up to 1 s for it to notice the stop (0.5 s on average,
    measured with py-spy: the main thread in ``_send_heartbeats``' join)."""
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    return temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None})
