"""The start of a corpus run (issue 14): the NLP worker pool, the models and Prefect's embedded server, all started
at once and early, before this process imports Prefect or spaCy itself.

Kept free of heavy imports: the command line calls :func:`worker_pool` and :func:`start_prefect_server` first,
so that the workers' model loads (about 5 s each), Prefect's server (a subprocess, several seconds) and this
process's own imports run side by side instead of one after the other.

The pool has ``workers`` processes, fewer when fewer documents are to be processed. From the command line the
models are loaded once, in this process, and the workers are forked from it (``PIPELINE_FORK=1``, the default):
they share the model's pages, so the process tree holds ~290 MB less (PSS) and the machine does one model load
instead of one per worker; this holds for one worker too. Elsewhere (a served flow, a test), with one worker or
one document to process no pool is started: this process loads the models itself, in a background thread while
Prefect's server starts (:func:`wait_preload` before the first document).

The pool does not wait for the flow: as soon as it is up, every document that has no records in the cache is
handed to it (:data:`PREFETCHED`), in corpus order, while Prefect's server starts and the flow begins; each
document's task then takes its result instead of submitting it again (:func:`take_prefetched`). A new document
is thus parsed during the seconds Prefect needs to start (issue 14: one new document, 12 s → 9 s here).
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
PREFETCHED: dict = {}   # absolute path of a document → (its cache key, the pool's future of process_cached)
_PRELOAD: threading.Thread | None = None
_SERVER: threading.Thread | None = None
_SPAWNED = None   # subprocess.Popen of spawn_prefect_server()
OWN_API_URL: str | None = None   # the API of the server spawn_prefect_server() started (forked children keep it)
# services of the embedded server that serve automations (which live on a Prefect server of one's own, never on
# this per-run or per-daemon one): they evaluate every event of every task run
SERVER_SERVICES_OFF = ("PREFECT_SERVER_SERVICES_TRIGGERS_ENABLED", "PREFECT_SERVER_SERVICES_ACTIONS_ENABLED")
# the embedded server records task runs from their events in batches: Prefect's default batch of 1 made it insert
# (and compile the SQL of) each event on its own, ~1.9 s of its CPU for the 81 task runs of a rule-edit re-run on
# 2 cores, CPU the run itself needs (py-spy: task_run_recorder's flush); with batches, ~0.7 s. The records are in the
# database within a second, and the last batch is written when the server stops.
SERVER_TUNING = {"PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_BATCH_SIZE": "100",
                 "PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_FLUSH_INTERVAL": "1"}


def to_process(corpus_dir: Path, cache_dir: Path | None) -> list[tuple[Path, str | None]] | None:
    """The documents of ``corpus_dir`` that have no records in ``cache_dir`` (all of them if it is None), with
    their cache keys (None: the file cannot be read, its task reports why); None if the folder cannot be listed."""
    from pipeline.load import corpus as corpus_mod
    from pipeline.orchestrate import cache

    try:
        paths = corpus_mod.discover(corpus_dir)
    except OSError:
        return None
    todo = []
    for p in paths:
        try:
            key = cache.key_for(p, corpus_dir)
        except (OSError, ValueError):
            todo.append((p, None))
            continue
        if cache_dir is None or not cache.has(cache_dir, key):
            todo.append((p, key))
    return todo


def take_prefetched(path: Path, key: str | None):
    """The result of ``path`` if the pool was given it at start under the same ``key`` (it waits for it), else
    None: the task processes the document itself (a file edited since the start gets a new key)."""
    import os

    entry = PREFETCHED.pop(os.path.abspath(path), None)
    if entry is None or key is None or entry[0] != key:
        return None
    return entry[1].result()


@contextmanager
def worker_pool(corpus_dir: Path, out_dir: Path, workers: int, incremental: bool, fork: bool = False):
    """Hold the NLP processes for the duration (see the module's docstring); nothing if a pool is held already
    or nothing is to be processed. ``fork`` (the command line, before Prefect is imported, while this process
    has no other thread): load the models here once and fork the workers from it, so that they share the
    model's pages (copy-on-write) and the machine does one model load instead of one per worker."""
    global POOL
    if POOL is not None:
        yield
        return
    cache_dir = Path(out_dir) / ".cache"
    todo = to_process(Path(corpus_dir), cache_dir if incremental else None)
    n = 2 if todo is None else len(todo)
    if n == 0:
        yield
        return
    fork = fork and threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods()
    if not fork and (workers <= 1 or n <= 1):
        preload()
        yield
        return
    import gc
    import os

    from pipeline.orchestrate import daemon_client
    from pipeline.orchestrate.run import process_cached
    from pipeline.orchestrate.worker import init

    size = max(1, min(workers, n))
    if fork:
        init()
        gc.freeze()   # the workers' collections never visit (and so never copy) the pages of the models they share
        executor = ProcessPoolExecutor(max_workers=size, mp_context=multiprocessing.get_context("fork"))
    else:
        executor = ProcessPoolExecutor(max_workers=size, initializer=init,
                                       mp_context=multiprocessing.get_context("spawn"))
    POOL = executor
    for path, key in todo or ():   # the work starts now, not when the flow gets to it
        if key is not None:
            PREFETCHED[os.path.abspath(path)] = (key, POOL.submit(process_cached, path, corpus_dir, cache_dir,
                                                                  False, key, incremental))
    if not PREFETCHED:
        for _ in range(size):   # start the workers (and their model loads) now
            POOL.submit(int)
    if fork and not daemon_client.IN_DAEMON_CHILD:   # a daemon's run shares its models with the daemon: it keeps
        gc.unfreeze()                                  # them, and its collections stay off the shared pages
        _drop_models()
    try:
        yield
    finally:
        PREFETCHED.clear()
        executor.shutdown(cancel_futures=True)
        POOL = None


def release() -> None:
    """Shut the NLP workers down once every document is done (the pairs, tables and report need none of them),
    so that the process tree's peak does not hold them beside the tables' work. The pool's context still ends
    as before; a document that must be processed again after this is processed in this process."""
    global POOL
    PREFETCHED.clear()   # what is left was never asked for (a file edited during the run has another key)
    if POOL is not None:
        POOL.shutdown(wait=False, cancel_futures=True)
        POOL = None


def _drop_models() -> None:
    """Once the workers are forked: let go of this process's language pipelines, which only the workers use. Their
    pages stay shared by the workers; this process's RSS drops by ~320 MB (measured on a cold run: 472 → 254 MB
    after the collection, ~150 MB once the freed heap is given back with ``malloc_trim``), which is what a process
    monitor and the RSS sum over the process tree count. The physical memory (PSS) stays
    the same. Should a worker die, this process loads the models again for the documents it then takes over."""
    import gc

    from pipeline.lang.nlp import get_nlp
    from pipeline.orchestrate.memory import trim

    get_nlp.cache_clear()
    gc.collect()
    trim()


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


def spawn_prefect_server() -> None:
    """For the command line: start Prefect's embedded server as its own process at once, before this process imports
    Prefect (the same uvicorn command as Prefect's ``SubprocessASGIServer``, on a free local port), and point this
    process's client at it (``PREFECT_API_URL``). Prefect's own way imports its server package in this process
    first (~3 s of CPU, beside the other imports); this way the server is up ~2-5 s sooner. Nothing is done if a
    Prefect API is configured or the embedded server is off. The server is stopped when the process exits."""
    global _SPAWNED, OWN_API_URL
    import atexit
    import importlib.util
    import os
    import socket
    import subprocess
    import sys

    from pipeline.core import settings

    settings.apply()   # the server inherits them: no telemetry, its logging quiet, local only
    if _SPAWNED is not None or os.environ.get("PREFECT_API_URL") \
            or os.environ.get("PREFECT_SERVER_EPHEMERAL_ENABLED", "true").lower() not in ("1", "true"):
        return
    spec = importlib.util.find_spec("prefect")
    if spec is None or not spec.submodule_search_locations:
        return
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1", "PREFECT__SERVER_FINAL": "1",
           **{k: "false" for k in SERVER_SERVICES_OFF if k not in os.environ},
           **{k: v for k, v in SERVER_TUNING.items() if k not in os.environ}}
    _SPAWNED = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--app-dir", str(Path(list(spec.submodule_search_locations)[0]).parent),
         "--factory", "prefect.server.api.server:create_app", "--host", "127.0.0.1", "--port", str(port),
         "--log-level", "error", "--lifespan", "on"], env=env)
    os.environ["PREFECT_API_URL"] = OWN_API_URL = f"http://127.0.0.1:{port}/api"
    atexit.register(_stop_spawned)


def lower_server_priority() -> bool:
    """Give the Prefect server :func:`spawn_prefect_server` started, once it is up, the nice value
    ``PIPELINE_SERVER_NICE`` (the daemon's: it is up before every run): its bookkeeping (task runs recorded from
    their events) then takes the cores only when the NLP work leaves them idle, and catches up while the run writes
    its tables on one core. Through the daemon, a rule-edit re-run took 2.38-2.48 s with the server at 10 and
    2.52-2.65 s at 0 (81 documents, runs alternated). Not for a server a run starts for itself: its start-up is on
    that run's path (the same re-run in a new process: 6.94 s at 10, 6.57-6.68 s at 0). True if it was lowered."""
    import os

    from pipeline.core import settings

    nice = int(settings.get("server_nice") or 0)
    if nice <= 0 or _SPAWNED is None or _SPAWNED.poll() is not None or not hasattr(os, "setpriority"):
        return False
    try:
        os.setpriority(os.PRIO_PROCESS, _SPAWNED.pid, min(19, os.getpriority(os.PRIO_PROCESS, 0) + nice))
    except OSError:
        log.debug("cannot lower the priority of Prefect's server", exc_info=True)
        return False
    return True


def own_server() -> bool:
    """Whether this process's flows report to a server :func:`spawn_prefect_server` started (here, or in the daemon
    this run was forked from), which runs no automations (:data:`SERVER_SERVICES_OFF`)."""
    import os

    return OWN_API_URL is not None and os.environ.get("PREFECT_API_URL") == OWN_API_URL


def _stop_spawned() -> None:
    if _SPAWNED is not None and _SPAWNED.poll() is None:
        _SPAWNED.terminate()
        try:
            _SPAWNED.wait(timeout=5)
        except Exception:
            _SPAWNED.kill()


def wait_prefect_server(timeout: float = 120.0) -> None:
    """Wait until the server of :func:`start_prefect_server` or :func:`spawn_prefect_server` is up."""
    if _SERVER is not None:
        _SERVER.join()
    if _SPAWNED is None:
        return
    import os
    import time
    import urllib.request

    url, deadline = os.environ["PREFECT_API_URL"] + "/health", time.monotonic() + timeout
    while True:
        if _SPAWNED.poll() is not None:
            raise RuntimeError(f"Prefect's server exited with code {_SPAWNED.returncode} before it was ready")
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"Prefect's server did not answer at {url} within {timeout:.0f} s")
        time.sleep(0.05)
