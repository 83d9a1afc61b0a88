"""Set-up of a Dask worker for ``python -m pipeline run --dask`` (a Dask preload module).

``run --dask`` preloads it into the workers of the local cluster it starts; workers of an existing cluster
load it with ``dask worker tcp://HOST:8786 --preload pipeline.orchestrate.dask_worker``. It does two things:

1. Loads the language models when the worker starts, so a worker loads them once and its first document
   does not pay for it.
2. Trims what Prefect costs per task on a worker, without changing what a task does (issue #7: ~100 ms per
   task measured with DaskTaskRunner, against ~11 ms for the default thread runner; bench/bench_scale.py):
   - Prefect sends the flow's settings with every task and rebuilds its ~50 pydantic settings models from
     them on the worker (~60% of that time). When they equal the worker's own settings (a local cluster
     started by ``run --dask``, or workers started with the same environment), the rebuild is skipped:
     entering a settings context identical to the current one changes nothing.
   - Each task creates two API clients, each loading the CA bundle into a new SSL context (~30%). The worker
     builds that SSL context once per TLS setting and shares it; SSL contexts are made to be shared.
   These wrap Prefect functions of the pinned version (prefect 3.9.1); if those are missing, :func:`install`
   leaves Prefect as it is and says so (tasks then simply cost more).

The flow process has its own share (:func:`trim_submission`, called by ``run --dask``): prefect-dask serialises
the current settings for every task it submits (~35 ms of CPU each, which on a small machine is taken from the
workers); a settings context's serialisation is computed once and reused.
"""
from __future__ import annotations

import logging
import ssl
from contextlib import contextmanager

log = logging.getLogger(__name__)


def dask_setup(worker=None) -> None:
    """Dask's preload hook: runs once in each worker process as it starts."""
    install()
    from pipeline.orchestrate.worker import init

    init()


def trim_submission() -> bool:
    """Serialise each Prefect settings context once, not once per submitted task; True if done. (A settings
    context is never changed once made: temporary settings make a new one, which gets its own entry.)"""
    try:
        from prefect.context import SettingsContext
    except ImportError:  # pragma: no cover - Prefect not installed
        return False
    if getattr(SettingsContext.serialize, "_pipeline_cached", False):
        return True
    original = SettingsContext.serialize
    done: dict[tuple, tuple] = {}

    def serialize(self, include_secrets: bool = True) -> dict:
        key = (id(self), id(self.settings), id(self.profile), include_secrets)
        hit = done.get(key)
        if hit is not None and hit[0] is self:
            return hit[1]
        value = original(self, include_secrets=include_secrets)
        if len(done) >= 16:   # a run has one or two settings contexts; never grow without bound
            done.clear()
        done[key] = (self, value)   # holding self keeps its id from being reused
        return value

    serialize._pipeline_cached = True
    SettingsContext.serialize = serialize
    return True


def install() -> bool:
    """Wrap Prefect's per-task context hydration and client creation on this worker; True if done."""
    try:
        import prefect.context as context
        import prefect.task_engine as engine
        from prefect.context import SettingsContext
    except ImportError:  # pragma: no cover - Prefect not installed
        return False
    if not (hasattr(engine, "hydrated_context") and hasattr(context, "get_client")):
        log.warning("prefect %s: per-task overheads not trimmed (hooks not found)", getattr(context, "__version__", "?"))
        return False
    if getattr(engine.hydrated_context, "_pipeline_lean", False):
        return True
    hydrate = engine.hydrated_context

    @contextmanager
    def lean_hydrated_context(serialized_context=None, client=None):
        own = SettingsContext.get()
        if serialized_context and own is not None and serialized_context.get("settings_context") == own.serialize():
            serialized_context = {k: v for k, v in serialized_context.items() if k != "settings_context"}
        with hydrate(serialized_context, client) as value:
            yield value

    trim_submission()   # the comparison above serialises the worker's own settings for every task
    lean_hydrated_context._pipeline_lean = True
    engine.hydrated_context = lean_hydrated_context
    return share_ssl_contexts()


_SSL_CONTEXTS: dict[tuple, ssl.SSLContext] = {}


def ssl_context() -> ssl.SSLContext:
    """The SSL context Prefect's client would build for the current TLS settings, built once per setting."""
    from prefect.settings import PREFECT_API_SSL_CERT_FILE, PREFECT_API_TLS_INSECURE_SKIP_VERIFY

    key = (bool(PREFECT_API_TLS_INSECURE_SKIP_VERIFY.value()), PREFECT_API_SSL_CERT_FILE.value())
    if key not in _SSL_CONTEXTS:
        if key[0]:
            ctx = ssl.create_default_context()
            ctx.check_hostname, ctx.verify_mode = False, ssl.CERT_NONE
        else:
            import certifi

            ctx = ssl.create_default_context(cafile=key[1] or certifi.where())
        _SSL_CONTEXTS[key] = ctx
    return _SSL_CONTEXTS[key]


def share_ssl_contexts() -> bool:
    """Make Prefect's API clients share one SSL context per TLS setting instead of loading the CA bundle into a new
    one for every client (Prefect creates clients per task; ~4 ms each, and a run makes hundreds: a Dask worker, the
    flow process of `run`); True if done. SSL contexts are made to be shared."""
    try:
        import prefect.context as context
    except ImportError:  # pragma: no cover - Prefect not installed
        return False
    if not hasattr(context, "get_client"):
        return False
    if getattr(context.get_client, "_pipeline_shared_ssl", False):
        return True
    get_client = context.get_client

    def shared_ssl_get_client(httpx_settings=None, sync_client=False):
        if httpx_settings is None:
            httpx_settings = {"verify": ssl_context()}
        return get_client(httpx_settings=httpx_settings, sync_client=sync_client)

    shared_ssl_get_client._pipeline_shared_ssl = True
    context.get_client = shared_ssl_get_client
    return True
