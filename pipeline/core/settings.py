"""Process-wide settings applied before Prefect is imported: embedded server, no telemetry, local only."""
import os

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
