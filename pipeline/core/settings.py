"""Settings: the process-wide defaults applied before Prefect is imported (embedded server, no telemetry, local
only), and every ``PIPELINE_*`` setting of the pipeline, read in one place (:data:`SETTINGS`)."""
import os
from typing import NamedTuple

_DEFAULTS = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",          # no anonymous usage pings
    "PREFECT_CLOUD_ENABLE_ORCHESTRATION_TELEMETRY": "false",
    "PREFECT_TELEMETRY_ENABLE_RESOURCE_METRICS": "false",
    "DO_NOT_TRACK": "1",
    "PREFECT_LOGGING_LEVEL": "WARNING",
    # the embedded server cancels its last event flush when the run exits and logs it as an ERROR with a
    # traceback; those events are Prefect's own run history, not our tables
    "PREFECT_SERVER_LOGGING_LEVEL": "CRITICAL",
    "PREFECT_SERVER_EPHEMERAL_ENABLED": "true",            # embedded server, nothing to start
    # Prefect waits 20 s for its embedded server by default; on a busy 2-core machine it took longer and the run
    # failed ("Timed out while attempting to connect to ephemeral Prefect API server")
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
    "DASK_LOGGING__DISTRIBUTED": "warning",               # no per-worker INFO lines on the console
    "DASK_DISTRIBUTED__WORKER__DAEMON": "false",
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "TOKENIZERS_PARALLELISM": "false",
    # one BLAS thread per process: parallelism comes from worker processes (2 procs × 2 BLAS threads on
    # 2 cores oversubscribe; bench/results/throughput.json)
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
}


def apply() -> None:
    """Set the defaults above unless the user set them already."""
    for key, value in _DEFAULTS.items():
        os.environ.setdefault(key, value)


# -- the pipeline's own settings (issue 13: one place; the cache keys are built from this table) -------------

class Setting(NamedTuple):
    """One ``PIPELINE_*`` environment setting."""

    env: str
    default: str
    # what it changes: "records" (each document's extracted records: part of its cache key), "outputs" (only
    # cross-document outputs: part of the whole-run key) or "" (speed and resources only)
    affects: str
    help: str


SETTINGS: dict[str, Setting] = {
    "workers": Setting("PIPELINE_WORKERS", "", "", "worker processes of `run` (default: min(2, CPUs))"),
    "batch_size": Setting("PIPELINE_BATCH_SIZE", "16", "records", "nlp.pipe batch size"),
    "use_blis": Setting("PIPELINE_USE_BLIS", "0", "records", "1: thinc's blis kernels instead of NumPy ops"),
    "ner": Setting("PIPELINE_NER", "numerals", "records",
                   "where GiNZA's NER runs: numerals (sentences with a numeral), all (--discover-actors), 0 (--no-ner)"),
    "embedder": Setting("PIPELINE_EMBEDDER", "use", "outputs",
                        "sentence embedder of the aligner: use, or transformers:/path/to/local/model"),
    "max_in_flight": Setting("PIPELINE_MAX_IN_FLIGHT", "", "", "document tasks submitted and not yet finished"),
    "models_dir": Setting("PIPELINE_MODELS_DIR", "", "", "rule data folder (its content is in the cache key)"),
    "worker_torch": Setting("PIPELINE_WORKER_TORCH", "0", "", "1: let NLP workers import torch"),
    "fork": Setting("PIPELINE_FORK", "1", "", "1: `run` loads the models once and forks its NLP workers (shared "
                    "pages); 0: each worker is a fresh process that loads them itself"),
    "mmap_threshold": Setting("PIPELINE_MMAP_THRESHOLD", "1048576", "", "bytes from which glibc's malloc maps a "
                              "block of its own, returned when freed (pipeline/orchestrate/memory.py); 0: glibc's "
                              "default"),
    "server_nice": Setting("PIPELINE_SERVER_NICE", "10", "", "how much lower the priority of the warm daemon's "
                           "Prefect server is than the daemon's own; 0: the same"),
    "daemon": Setting("PIPELINE_DAEMON", "auto", "", "auto: `run` hands its run to the warm daemon when one is running "
                      "(`daemon start`); 0: never"),
    "daemon_dir": Setting("PIPELINE_DAEMON_DIR", "", "", "folder of the daemon's socket (default: $XDG_RUNTIME_DIR, "
                          "else the temp folder)"),
    "trace": Setting("PIPELINE_TRACE", "", "", "1: print the run's milestones to stderr, in seconds since the process "
                     "started (where a slow run spends its time)"),
}


def get(name: str) -> str:
    """The value of setting ``name`` (its environment variable, else its default)."""
    s = SETTINGS[name]
    return os.environ.get(s.env) or s.default


def trace(milestone: str) -> None:
    """With ``PIPELINE_TRACE=1``: print ``milestone`` to stderr with the seconds since this process started."""
    if os.environ.get("PIPELINE_TRACE") != "1":
        return
    import sys
    import time

    try:
        with open(f"/proc/{os.getpid()}/stat", encoding="ascii") as f:   # the process's start, in clock ticks
            ticks = int(f.read().rsplit(")", 1)[1].split()[19])
        with open("/proc/uptime", encoding="ascii") as f:
            since = float(f.read().split()[0]) - ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):   # no /proc: seconds since the epoch
        since = time.time()
    print(f"[trace {since:7.2f}s pid {os.getpid()}] {milestone}", file=sys.stderr, flush=True)


def override(name: str, value: str) -> None:
    """Set ``name`` for this process and the worker processes it starts."""
    os.environ[SETTINGS[name].env] = value


def key(affects: str) -> str:
    """The settings that change ``affects`` ("records" or "outputs"), as one string for a cache key."""
    return ";".join(f"{s.env}={os.environ.get(s.env, '')}" for s in SETTINGS.values() if s.affects == affects)


def package_versions(names) -> str:
    """``name=version`` of each installed package of ``names`` (``name=-`` when missing), for cache keys."""
    from importlib.metadata import PackageNotFoundError, version

    out = []
    for name in names:
        try:
            out.append(f"{name}={version(name)}")
        except PackageNotFoundError:
            out.append(f"{name}=-")
    return ",".join(out)
