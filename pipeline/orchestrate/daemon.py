"""A warm process for runs in quick succession (issue 14): ``python -m pipeline daemon start``.

A run in a new process spends ~10 s before its first document: Python, spaCy and Prefect imports, GiNZA's model
load, Prefect's server start. After a rule edit that is most of the run. The daemon pays it once: it imports the
pipeline, spaCy and Prefect, loads GiNZA's statistical model (the model layer only) and keeps a Prefect server up.
``python -m pipeline run`` then hands its run to the daemon over a Unix socket
(:mod:`pipeline.orchestrate.daemon_client`), and the daemon *forks* a child that runs exactly the command line's
``run``, with the caller's arguments, working folder, environment and terminal (stdout and stderr are passed over
the socket), and sends back its exit code. The child starts with the imports done and the model in memory (shared
pages), forks its NLP workers from there, and is gone when the run is done: no run sees another's state.

Nothing stale, nothing shared that a new process would not have:

- The daemon loads no rule data: each run's child reads ``models/`` afresh, as a new process does.
- A change to the pipeline's code or to an installed package it depends on makes the daemon decline the run (it runs
  in-process, and says why) and restart itself, so the next run is served by the new code.
- A run whose settings differ from the daemon's (``PIPELINE_*``, ``PREFECT_*``, ``PYTHONPATH``…, read when modules
  are imported) is declined and runs in-process.
- The socket sits in a folder only this user can enter, the daemon serves only its own user (``SO_PEERCRED``), and
  it takes JSON only: ``run`` with command-line arguments, ``status`` and ``stop``.

The daemon stops after ``--idle-minutes`` without a run (default 60), on ``daemon stop``, or on SIGTERM; a run in
progress finishes first. Linux and other Unix systems only (fork and descriptor passing).
"""
from __future__ import annotations

import importlib
import json
import logging
import os
import pkgutil
import selectors
import signal
import socket
import struct
import sys
import time
from pathlib import Path

import pipeline
from pipeline.orchestrate import daemon_client as client

log = logging.getLogger(__name__)
# settings a run may set differently from the daemon's: read by the run itself, never at import time
PER_RUN = {"PIPELINE_TRACE", "PIPELINE_WORKERS", "PIPELINE_MAX_IN_FLIGHT", "PIPELINE_DAEMON", "PIPELINE_DAEMON_DIR"}
SETTING_PREFIXES = ("PIPELINE_", "PREFECT_", "DASK_", "HF_", "TRANSFORMERS_", "SPACY_")
SETTING_NAMES = {"PYTHONPATH", "PYTHONHASHSEED", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
                 "TOKENIZERS_PARALLELISM", "DO_NOT_TRACK"}
# the installed packages whose code the daemon holds in memory: a new version makes it restart
PACKAGES = ("spacy", "thinc", "ginza", "ja-ginza", "sudachipy", "sudachidict-core", "prefect", "pydantic")
DEFAULT_IDLE_MINUTES = 60.0
# imported by every run after its start (measured: ~200 modules, fastapi among them); importing starts no thread
WARM_MODULES = ("prefect.flow_engine", "prefect.task_engine", "prefect.engine", "prefect.concurrency.v1.context",
                "prefect.concurrency.services", "prefect.telemetry.run_telemetry", "prefect.utilities.visualization",
                "spacy_loggers", "psutil", "sqlite3", "statistics",
                # imported by the first flow run of a process: fastapi (in Flow.serialize_parameters: ~0.45 s of every
                # run's start, measured with py-spy) and anyio's asyncio backend
                "fastapi.encoders", "anyio._backends._asyncio")
COLD_MODULES = ("pipeline.orchestrate.dask_worker", "pipeline.__main__")   # Dask's, and the entry point itself


def warm_patterns() -> int:
    """Compile, in this process, the regular expressions that the rule data of this moment makes, and return how
    many: Python's ``re`` module keeps compiled patterns keyed by their text, so every run forked from here finds
    them compiled (~0.3 s of CPU that each run spent before its workers could start, measured with cProfile). The
    rule data is read in a throwaway child, which sends back only the patterns' texts: the daemon itself keeps no
    rule data, and a pattern that a later rule edit changes is compiled by the run that needs it."""
    import re

    if not hasattr(os, "fork") or not isinstance(getattr(re, "_cache", None), dict):
        return 0
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:   # the child: extract the warm-up texts, report what got compiled, and vanish
        code = 1
        try:
            os.close(read_end)
            from pipeline.extract.document import warm_up

            warm_up()
            patterns = [[p, f] for (kind, p, f) in list(re._cache) if kind is str]
            with os.fdopen(write_end, "w", encoding="utf-8") as out:
                json.dump(patterns, out)
            code = 0
        except BaseException:   # a rule file that does not load: the runs will say so; nothing is warmed
            pass
        finally:
            os._exit(code)
    os.close(write_end)
    with os.fdopen(read_end, encoding="utf-8") as answer:
        data = answer.read()
    os.waitpid(pid, 0)
    try:
        patterns = json.loads(data) if data else []
    except ValueError:
        return 0
    for pattern, flags in patterns:
        try:
            re.compile(pattern, flags)
        except (re.error, TypeError, ValueError):
            pass
    return len(patterns)


def code_state() -> str:
    """What the daemon's code is made of: every source file of the pipeline package (path, size, modification
    time) and the versions of :data:`PACKAGES`. Any change means the daemon holds old code."""
    from pipeline.core import settings
    from pipeline.orchestrate.cache import code_files

    parts = []
    for path in code_files(client.PACKAGE_DIR):
        st = path.stat()
        parts.append(f"{path.as_posix()}:{st.st_size}:{st.st_mtime_ns}")
    return "|".join(parts) + "|" + settings.package_versions(PACKAGES)


def relevant_env(env: dict) -> dict:
    """The variables of ``env`` that shape a run when modules are imported (compared with the daemon's own)."""
    return {k: v for k, v in env.items()
            if (k.startswith(SETTING_PREFIXES) or k in SETTING_NAMES) and k not in PER_RUN}


def env_differences(mine: dict, theirs: dict) -> list[str]:
    """Which setting variables differ between the daemon's environment (as it started, before it set
    its own Prefect API URL) and a run's."""
    a, b = relevant_env(mine), relevant_env(theirs)
    return sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))


class Daemon:
    """The daemon's state: its socket, its Prefect server, the runs it forked."""

    def __init__(self, entry, idle_minutes: float = DEFAULT_IDLE_MINUTES):
        self.entry = entry                   # the command line's main(argv): what a forked run calls
        self.idle_seconds = idle_minutes * 60 if idle_minutes > 0 else None
        self.env = dict(os.environ)          # as started (settings applied), before PREFECT_API_URL is set
        self.code = ""
        self.started = time.time()
        self.runs = 0
        self.children: dict[socket.socket, int] = {}   # a run's connection → its pid
        self.stopping = False
        self.restart = False
        self.listener: socket.socket | None = None
        self.selector = selectors.DefaultSelector()
        self.last_activity = time.monotonic()

    # -- start-up ----------------------------------------------------------------------------------------------

    def warm(self) -> None:
        """Imports, GiNZA's model and Prefect's server: what every run would otherwise do first."""
        from pipeline.core import settings
        import gc

        from pipeline.orchestrate import pool
        from pipeline.orchestrate.memory import limit_heap_growth
        from pipeline.orchestrate.worker import block_torch

        settings.apply()
        self.env = dict(os.environ)
        self.code = code_state()
        limit_heap_growth()   # the runs forked from here inherit it
        if not settings.get("embedder").startswith("transformers"):
            block_torch()   # as the command line does (pipeline/orchestrate/worker.py)
        pool.spawn_prefect_server()   # its own process; PREFECT_API_URL is set before Prefect is imported
        for name in WARM_MODULES:
            importlib.import_module(name)
        for info in pkgutil.walk_packages(pipeline.__path__, "pipeline."):   # modules only: no rule data at import
            if not info.name.startswith(COLD_MODULES):
                try:
                    importlib.import_module(info.name)
                except ImportError as exc:   # an optional extra not installed: the run imports it, or not
                    log.debug("not preloaded: %s (%s)", info.name, exc)
        from pipeline.orchestrate.dask_worker import share_ssl_contexts, ssl_context

        if share_ssl_contexts():
            ssl_context()   # the CA bundle, loaded once for every run
        from pipeline.crosslang.embed import get_embedder
        from pipeline.lang.nlp import preload_models

        preload_models()
        get_embedder().encode(["warm-up"])   # the aligner's weights (no rule data): loaded at first use
        warm_patterns()
        pool.wait_prefect_server()
        pool.lower_server_priority()
        gc.collect()
        gc.freeze()   # a run's collections never visit (and so never copy) the pages it shares with the daemon

    def bind(self) -> None:
        """Listen on :func:`~pipeline.orchestrate.daemon_client.socket_path` (a stale socket file is replaced)."""
        client.private_dir(create=True)
        path = client.socket_path()
        if client.connect() is not None:
            raise client.DaemonError(f"a daemon is already running on {path}")
        path.unlink(missing_ok=True)
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        old = os.umask(0o177)
        try:
            self.listener.bind(str(path))
        finally:
            os.umask(old)
        self.listener.listen(16)
        self.listener.setblocking(False)
        self.selector.register(self.listener, selectors.EVENT_READ)

    # -- the loop ----------------------------------------------------------------------------------------------

    def serve(self) -> None:
        """Answer requests until stopped or idle; then wait for the runs in progress."""
        signal.signal(signal.SIGTERM, lambda *_: self._stop())
        signal.signal(signal.SIGINT, lambda *_: self._stop())
        while not (self.stopping and not self.children):
            for key, _ in self.selector.select(timeout=0.5):
                if key.fileobj is self.listener:
                    self._accept()
                else:
                    self._from_client(key.fileobj)
            self._reap()
            if self.children:
                self.last_activity = time.monotonic()
            elif self.idle_seconds is not None and time.monotonic() - self.last_activity > self.idle_seconds:
                self._stop()
        self.close()

    def _stop(self) -> None:
        if not self.stopping:
            self.stopping = True
            if self.listener is not None:   # no new runs; the running ones finish
                self.selector.unregister(self.listener)
                self.listener.close()
                self.listener = None
                client.socket_path().unlink(missing_ok=True)

    def close(self) -> None:
        """Release the socket (the Prefect server stops with this process's exit handlers)."""
        self._stop()
        self.selector.close()

    def _accept(self) -> None:
        try:
            conn, _ = self.listener.accept()
        except OSError:
            return
        self.last_activity = time.monotonic()
        conn.settimeout(5)
        try:
            self._handle(conn)
        except (BrokenPipeError, ConnectionError):   # a client that gave up waiting (start-up polls)
            conn.close()
        except Exception as exc:  # one bad request never takes the daemon down
            log.warning("request failed: %s", exc)
            try:
                client.send(conn, {"event": "declined", "reason": f"daemon error: {type(exc).__name__}: {exc}"})
            except OSError:
                pass
            conn.close()

    def _peer_uid(self, conn: socket.socket) -> int | None:
        if not hasattr(socket, "SO_PEERCRED"):
            return None
        creds = conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
        return struct.unpack("3i", creds)[1]

    def _handle(self, conn: socket.socket) -> None:
        uid = self._peer_uid(conn)
        if uid is not None and uid != os.getuid():
            conn.close()
            return
        data, fds, _, _ = socket.recv_fds(conn, client.MAX_LINE, 2)
        while not data.endswith(b"\n") and len(data) < client.MAX_LINE:
            chunk = conn.recv(65536)
            if not chunk:
                break
            data += chunk
        try:
            req = json.loads(data)
            if not isinstance(req, dict):
                raise ValueError("not an object")
        except ValueError as exc:
            for fd in fds:
                os.close(fd)
            raise client.DaemonError(f"bad request: {exc}") from None
        command = req.get("command")
        if command == "status":
            client.send(conn, self.status())
            conn.close()
        elif command == "stop":
            client.send(conn, {"event": "stopping", "pid": os.getpid(), "runs_in_progress": len(self.children)})
            conn.close()
            self._stop()
        elif command == "run" and len(fds) == 2:
            self._run(conn, req, fds)
        else:
            for fd in fds:
                os.close(fd)
            raise client.DaemonError(f"unknown request {command!r}")

    def status(self) -> dict:
        """What ``daemon status`` prints."""
        return {"event": "status", "pid": os.getpid(), "started": self.started, "runs": self.runs,
                "running": len(self.children), "socket": str(client.socket_path()),
                "prefect_api": os.environ.get("PREFECT_API_URL", ""), "code_current": code_state() == self.code,
                "idle_minutes": None if self.idle_seconds is None else self.idle_seconds / 60}

    def _decline(self, req: dict) -> str | None:
        """Why this run must go in-process (None: the daemon runs it as a new process would)."""
        from pipeline.orchestrate import pool

        if req.get("protocol") != client.PROTOCOL:
            return "the daemon speaks another protocol version"
        argv = req.get("argv")
        if not (isinstance(argv, list) and argv and argv[0] == "run" and all(isinstance(a, str) for a in argv)):
            return "the daemon only takes `run` commands"
        if not isinstance(req.get("env"), dict) or not isinstance(req.get("cwd"), str):
            return "bad request"
        if req.get("executable") != sys.executable or req.get("package") != str(client.PACKAGE_DIR):
            return "the daemon belongs to another Python environment or pipeline checkout"
        if code_state() != self.code:
            self.restart = True
            self._stop()
            return "the pipeline's code (or an installed package) changed since the daemon started; it restarts"
        if pool._SPAWNED is not None and pool._SPAWNED.poll() is not None:
            self.restart = True
            self._stop()
            return "the daemon's Prefect server has stopped; the daemon restarts"
        differ = env_differences(self.env, req["env"])
        if differ:
            return f"settings differ from the daemon's ({', '.join(differ[:6])}); start it with the same settings"
        return None

    def _run(self, conn: socket.socket, req: dict, fds: list[int]) -> None:
        reason = self._decline(req) if not self.stopping else "the daemon is stopping"
        if reason is not None:
            for fd in fds:
                os.close(fd)
            client.send(conn, {"event": "declined", "reason": reason})
            conn.close()
            return
        pid = os.fork()
        if pid == 0:   # the run: never returns into the daemon's loop
            try:
                others = [k.fileobj for k in self.selector.get_map().values() if k.fileobj is not conn]
                self.selector.close()
                _child(conn, fds, req, others, self.entry)
            finally:
                os._exit(1)
        for fd in fds:
            os.close(fd)
        self.runs += 1
        conn.setblocking(False)
        self.children[conn] = pid
        self.selector.register(conn, selectors.EVENT_READ)

    def _from_client(self, conn: socket.socket) -> None:
        """A running run's client: a forwarded Ctrl-C, or gone (the run is interrupted as Ctrl-C would)."""
        pid = self.children.get(conn)
        try:
            data = conn.recv(4096)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        if pid is not None and (not data or b'"INT"' in data):
            try:
                os.kill(pid, signal.SIGINT)
            except ProcessLookupError:
                pass
        if not data:
            self.selector.unregister(conn)
            conn.close()
            self.children.pop(conn, None)
            self._wait_quietly(pid)

    def _reap(self) -> None:
        for conn, pid in list(self.children.items()):
            try:
                done, _ = os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                done = pid
            if done:
                del self.children[conn]
                self.selector.unregister(conn)
                conn.close()

    @staticmethod
    def _wait_quietly(pid: int | None) -> None:
        """Reap a run whose client is gone, within a few seconds (else the next _reap never sees it: leave it)."""
        if pid is None:
            return
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                if os.waitpid(pid, os.WNOHANG)[0]:
                    return
            except ChildProcessError:
                return
            time.sleep(0.05)


def _child(conn: socket.socket, fds: list[int], req: dict, others: list, entry) -> None:
    """In the forked run: become the caller's ``python -m pipeline run`` and report its exit code. Never returns."""
    import atexit
    import io

    code = 1
    try:
        atexit._clear()   # the daemon's exit handlers (its Prefect server's stop) are not this run's
        for other in others:
            other.close()
        for sig in (signal.SIGTERM, signal.SIGCHLD, signal.SIGPIPE):
            signal.signal(sig, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        os.dup2(fds[0], 1)
        os.dup2(fds[1], 2)
        for fd in fds:
            os.close(fd)
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.close(null)
        encoding = "utf-8"
        sys.stdout = io.TextIOWrapper(open(1, "wb", buffering=0, closefd=False), encoding=encoding,
                                      line_buffering=True, write_through=True)
        sys.stderr = io.TextIOWrapper(open(2, "wb", buffering=0, closefd=False), encoding=encoding,
                                      errors="backslashreplace", line_buffering=True, write_through=True)
        api = os.environ.get("PREFECT_API_URL", "")
        os.chdir(req["cwd"])
        os.environ.clear()
        os.environ.update(req["env"])
        if api and not os.environ.get("PREFECT_API_URL"):
            os.environ["PREFECT_API_URL"] = api   # the daemon's server
        sys.argv = [req.get("argv0") or "pipeline", *req["argv"]]
        client.IN_DAEMON_CHILD = True
        from pipeline.orchestrate import pool, summary

        pool._SPAWNED = None   # the daemon's server: not this process's child (it is up: the daemon checked)
        summary.set_process_start(float(req.get("started") or time.time()))
        client.send(conn, {"event": "started", "pid": os.getpid()})
        code = entry(req["argv"])
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except KeyboardInterrupt:
        code = 130
    except BaseException:
        import traceback

        traceback.print_exc()
        code = 1
    finally:
        try:
            signal.signal(signal.SIGINT, signal.SIG_IGN)   # the run is over: a late Ctrl-C must not unwind into
            from pipeline.core.settings import trace       # the daemon's loop, which this process inherited

            trace("daemon run: exit handlers")
            atexit._run_exitfuncs()
            trace("daemon run: exit")
            logging.shutdown()
            sys.stdout.flush()
            sys.stderr.flush()
            client.send(conn, {"event": "exit", "code": code})
        except BaseException:
            pass
        finally:
            os._exit(code)


def serve_foreground(entry, idle_minutes: float = DEFAULT_IDLE_MINUTES) -> int:
    """Warm up, listen, serve until stopped; restart in place when the code changed. ``entry``: the command line's
    ``main(argv)``, which each forked run calls. Returns an exit code."""
    daemon = Daemon(entry, idle_minutes)
    daemon.bind()   # first, so that a second `daemon start` finds this one
    daemon.warm()
    print(f"daemon ready: pid {os.getpid()}, socket {client.socket_path()}", flush=True)
    daemon.serve()
    if daemon.restart:
        import atexit

        atexit._run_exitfuncs()   # stop this Prefect server; the new process starts its own
        os.execve(sys.executable, [sys.executable, "-m", "pipeline", "daemon", "start", "--foreground",
                                   "--idle-minutes", str(idle_minutes)], daemon.env)   # as it started
    return 0


def start_background(idle_minutes: float = DEFAULT_IDLE_MINUTES, timeout: float = 180.0) -> tuple[int, float, Path]:
    """Start the daemon as a background process (its own session, output in a log file beside the socket) and wait
    until it answers; (pid, seconds to ready, log file). DaemonError if it exits or does not answer in time."""
    import subprocess

    folder = client.private_dir(create=True)
    logfile = client.socket_path().with_suffix(".log")
    started = time.monotonic()
    with open(logfile, "ab") as out:
        proc = subprocess.Popen([sys.executable, "-m", "pipeline", "daemon", "start", "--foreground",
                                 "--idle-minutes", str(idle_minutes)], stdin=subprocess.DEVNULL, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True, cwd=str(folder))
    while time.monotonic() - started < timeout:
        if proc.poll() is not None:
            raise client.DaemonError(f"the daemon exited with code {proc.returncode}; see {logfile}")
        try:
            answer = client.request({"command": "status"}, timeout=2.0)
        except (OSError, ValueError, client.DaemonError):   # bound, still warming up
            answer = None
        if answer and answer.get("pid") == proc.pid:
            return proc.pid, time.monotonic() - started, logfile
        time.sleep(0.1)
    raise client.DaemonError(f"the daemon did not answer within {timeout:.0f} s; see {logfile}")
