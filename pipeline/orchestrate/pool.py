"""The start of a corpus run (issue 14): the NLP worker pool, the models and Prefect's embedded server, all started
at once and early, before this process imports Prefect or spaCy itself.

Kept free of heavy imports: the command line calls :func:`worker_pool` and :func:`start_prefect_server` first,
so that the workers' model loads (about 5 s each), Prefect's server (a subprocess, several seconds) and this
process's own imports run side by side instead of one after the other.

The pool has ``workers`` processes, fewer when fewer documents are to be processed: one new document costs one
model load. With one worker, or one document to process, no pool is started: this process loads the models
itself, in a background thread while Prefect's server starts (:func:`wait_preload` before the first document).
"""
from __future__ import annotations

import logging
import multiprocessing
import threading
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path

log = logging.getLogger(__name__)

# Worker processes that hold the language models. Prefect's ProcessPoolTaskRunner cost ~0.35 s of
# orchestration per task here (80 one-line documents: 40 s with 2 processes vs 16 s with one thread), so the
# Prefect tasks run in threads of the flow process and hand the NLP work to this pool, whose workers load
# GiNZA once at start (pipeline.orchestrate.worker.init).
POOL: ProcessPoolExecutor | None = None
_PRELOAD: threading.Thread | None = None
_SERVER: threading.Thread | None = None


def to_process(corpus_dir: Path, cache_dir: Path | None, limit: int) -> int:
    """How many documents of ``corpus_dir`` have no records in ``cache_dir`` (all of them if it is None), counted
    up to ``limit``."""
    from pipeline.load import corpus as corpus_mod
    from pipeline.orchestrate import cache

    try:
        paths = corpus_mod.discover(corpus_dir)
    except FileNotFoundError:
        return limit
    n = 0
    for p in paths:
        try:
            n += cache_dir is None or not cache.has(cache_dir, cache.key_for(p, corpus_dir))
        except OSError:
            n += 1
        if n >= limit:
            break
    return n


@contextmanager
def worker_pool(corpus_dir: Path, out_dir: Path, workers: int, incremental: bool):
    """Hold the NLP processes for the duration (see the module's docstring); nothing if a pool is held already
    or nothing is to be processed."""
    global POOL
    if POOL is not None:
        yield
        return
    n = to_process(Path(corpus_dir), Path(out_dir) / ".cache" if incremental else None, max(2, workers))
    if n == 0:
        yield
        return
    if workers <= 1 or n <= 1:
        preload()
        yield
        return
    from pipeline.orchestrate.worker import init

    POOL = ProcessPoolExecutor(max_workers=min(workers, n), initializer=init,
                               mp_context=multiprocessing.get_context("spawn"))
    for _ in range(min(workers, n)):   # start the workers (and their model loads) now
        POOL.submit(int)
    try:
        yield
    finally:
        POOL.shutdown(cancel_futures=True)
        POOL = None


def preload(langs: tuple[str, ...] = ("ja", "en")) -> None:
    """Load the language pipelines of this process in a background thread (once)."""
    global _PRELOAD
    if _PRELOAD is not None:
        return

    def load() -> None:
        try:
            from pipeline.lang.nlp import get_nlp

            for lang in langs:
                get_nlp(lang)
        except Exception:  # the first document loads it again and reports the problem with the document
            log.debug("preloading the language pipelines failed", exc_info=True)

    _PRELOAD = threading.Thread(target=load, name="nlp-preload", daemon=True)
    _PRELOAD.start()


def wait_preload() -> None:
    """Wait for :func:`preload` to finish (a model is never loaded twice at once)."""
    if _PRELOAD is not None:
        _PRELOAD.join()


def start_prefect_server() -> None:
    """Start Prefect's embedded server in a background thread (once), unless a Prefect API is configured. The
    flow's client finds it running (the server is one per process: ``SubprocessASGIServer()``); call
    :func:`wait_prefect_server` before the flow starts."""
    global _SERVER
    if _SERVER is not None:
        return

    def start() -> None:
        try:
            from prefect.settings import PREFECT_API_URL, PREFECT_SERVER_EPHEMERAL_ENABLED

            if PREFECT_API_URL.value() or not PREFECT_SERVER_EPHEMERAL_ENABLED.value():
                return
            from prefect.server.api.server import SubprocessASGIServer

            SubprocessASGIServer().start()
        except Exception:  # the flow starts it itself, and reports what goes wrong
            log.debug("starting Prefect's server early failed", exc_info=True)

    _SERVER = threading.Thread(target=start, name="prefect-server-start", daemon=True)
    _SERVER.start()


def wait_prefect_server() -> None:
    if _SERVER is not None:
        _SERVER.join()
