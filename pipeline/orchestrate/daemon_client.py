"""The command line's side of the warm daemon (:mod:`pipeline.orchestrate.daemon`): where its socket is, and how a
``run`` is handed to it. Kept free of heavy imports: it runs before the command line decides to import spaCy and
Prefect itself.

Protocol (one Unix stream socket per daemon, in a folder only this user can enter): the client sends one JSON line
(``{"command": "run", "argv": [...], "cwd": ..., "env": {...}, "started": ...}``), with its stdout and stderr file
descriptors attached (``SCM_RIGHTS``), and reads JSON lines back: ``{"event": "started", "pid": N}`` then
``{"event": "exit", "code": N}``, or ``{"event": "declined", "reason": ...}`` when the daemon cannot serve this
run exactly as a new process would (the run then goes in-process). A Ctrl-C is forwarded as ``{"signal": "INT"}``.
``status`` and ``stop`` are one line each way.
"""
from __future__ import annotations

import hashlib
import json
import os
import socket
import sys
import tempfile
from pathlib import Path

PROTOCOL = 1
MAX_LINE = 1 << 20          # a request or an answer line; an environment is a few KB
PACKAGE_DIR = Path(__file__).resolve().parents[1]
IN_DAEMON_CHILD = False      # set in a run forked by the daemon: it never asks a daemon again


class DaemonError(RuntimeError):
    """The daemon's folder is unsafe, or the daemon did not answer as it should."""


def supported() -> bool:
    """Whether this platform can run the daemon (Unix sockets, descriptor passing and fork)."""
    return hasattr(socket, "AF_UNIX") and hasattr(socket, "send_fds") and hasattr(os, "fork")


def socket_dir() -> Path:
    """The private folder of this user's daemon sockets: ``$PIPELINE_DAEMON_DIR``, else ``$XDG_RUNTIME_DIR``, else
    the temp folder, under ``claims-pipeline-<uid>``, created with mode 0700."""
    from pipeline.core import settings

    base = settings.get("daemon_dir") or os.environ.get("XDG_RUNTIME_DIR") or tempfile.gettempdir()
    return Path(base) / f"claims-pipeline-{os.getuid()}"


def socket_path() -> Path:
    """The socket of the daemon of this installation (one per Python environment and pipeline package)."""
    ident = hashlib.sha256(f"{sys.prefix}|{PACKAGE_DIR}".encode()).hexdigest()[:12]
    return socket_dir() / f"daemon-{ident}.sock"


def private_dir(create: bool = False) -> Path:
    """:func:`socket_dir`, checked: owned by this user and closed to everyone else (a socket planted by another
    user must never receive our terminal). DaemonError names the folder otherwise."""
    folder = socket_dir()
    if create:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    st = folder.stat()
    if st.st_uid != os.getuid() or st.st_mode & 0o077:
        raise DaemonError(f"{folder}: must belong to this user and have mode 0700 (it has "
                          f"{oct(st.st_mode & 0o777)}, owner uid {st.st_uid}); remove it or set PIPELINE_DAEMON_DIR")
    return folder


def connect(timeout: float | None = 2.0) -> socket.socket | None:
    """A connection to the running daemon, or None (none running, a stale socket, an unsupported platform,
    ``PIPELINE_DAEMON=0``, or this process is a run of the daemon already)."""
    from pipeline.core import settings

    if IN_DAEMON_CHILD or settings.get("daemon") == "0" or not supported():
        return None
    path = socket_path()
    try:
        if not path.exists():
            return None
        private_dir()
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(timeout)
        sock.connect(str(path))
    except (OSError, DaemonError):
        return None
    sock.settimeout(None)
    return sock


def send(sock: socket.socket, message: dict, fds: list[int] | None = None) -> None:
    """One JSON line, with ``fds`` attached."""
    data = json.dumps(message, ensure_ascii=False).encode("utf-8") + b"\n"
    if fds:
        socket.send_fds(sock, [data], fds)
    else:
        sock.sendall(data)


class LineReader:
    """JSON lines from a socket (bounded)."""

    def __init__(self, sock: socket.socket):
        self.sock, self.buf = sock, b""

    def read(self) -> dict | None:
        """The next message, or None at the end of the stream."""
        while b"\n" not in self.buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                return None
            self.buf += chunk
            if len(self.buf) > MAX_LINE:
                raise DaemonError("answer line too long")
        line, self.buf = self.buf.split(b"\n", 1)
        return json.loads(line)


def request(message: dict, timeout: float = 10.0) -> dict | None:
    """Send a one-line command (``status``, ``stop``) and return the answer; None if no daemon runs."""
    sock = connect()
    if sock is None:
        return None
    with sock:
        sock.settimeout(timeout)
        send(sock, {"protocol": PROTOCOL, **message})
        return LineReader(sock).read()


def _process_start() -> float:
    """This process's start (epoch seconds), so that the run's summary counts from when the user started it."""
    try:
        import psutil

        return psutil.Process().create_time()
    except Exception:  # no psutil or no process table
        import time

        return time.time()


def run(argv: list[str], notify=None) -> int | None:
    """Hand ``python -m pipeline <argv>`` to the running daemon and return its exit code; None if no daemon runs or
    it declined (``notify(reason)`` is told why), so that the caller runs it in-process instead."""
    sock = connect()
    if sock is None:
        return None
    import signal

    from pipeline.core import settings

    settings.apply()   # as a new process would have them (the daemon compares its settings with these)
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    message = {"protocol": PROTOCOL, "command": "run", "argv": list(argv), "argv0": sys.argv[0],
               "cwd": os.getcwd(), "env": dict(os.environ), "started": _process_start(),
               "executable": sys.executable, "package": str(PACKAGE_DIR)}
    reader = LineReader(sock)
    with sock:
        try:
            send(sock, message, [sys.stdout.fileno(), sys.stderr.fileno()])
            answer = reader.read()
        except (OSError, ValueError, DaemonError) as exc:
            if notify:
                notify(f"the daemon did not take the run ({exc})")
            return None
        if answer is None or answer.get("event") != "started":
            if notify:
                notify((answer or {}).get("reason") or "the daemon closed the connection")
            return None
        previous = signal.getsignal(signal.SIGINT)

        def forward(signum, frame):   # Ctrl-C stops the run in the daemon, as it would stop a run here
            try:
                send(sock, {"signal": "INT"})
            except OSError:
                pass

        signal.signal(signal.SIGINT, forward)
        try:
            while True:
                try:
                    answer = reader.read()
                except InterruptedError:
                    continue
                if answer is None:
                    print("error: the daemon's run ended without an exit code (killed?)", file=sys.stderr)
                    return 1
                if answer.get("event") == "exit":
                    return int(answer.get("code", 1))
        finally:
            signal.signal(signal.SIGINT, previous)
