"""pipeline.orchestrate.dask_worker: what it changes in Prefect on a Dask worker must leave a task's behaviour unchanged."""
import ssl

import pytest

import prefect.context as context
import prefect.task_engine as engine
from prefect.context import SettingsContext, serialize_context
from prefect.settings import PREFECT_API_URL, temporary_settings

from pipeline.orchestrate import dask_worker


@pytest.fixture()
def installed(monkeypatch):
    # restored after the test: the wrappers are meant for worker processes only
    monkeypatch.setattr(engine, "hydrated_context", engine.hydrated_context)
    monkeypatch.setattr(context, "get_client", context.get_client)
    monkeypatch.setattr(SettingsContext, "serialize", SettingsContext.serialize)
    monkeypatch.setattr(dask_worker, "_SSL_CONTEXTS", {})   # contexts built by an earlier test are not counted
    assert dask_worker.install(), "the hooks of the pinned Prefect must exist"
    assert dask_worker.install(), "installing twice is harmless"
    return engine.hydrated_context


def test_identical_settings_are_not_rebuilt(installed):
    with temporary_settings(updates={PREFECT_API_URL: "http://127.0.0.1:9/api"}):
        outer = SettingsContext.get()
        serialized = serialize_context()
        with installed(serialized):
            assert SettingsContext.get() is outer, "same settings: no new settings context"
    with temporary_settings(updates={PREFECT_API_URL: "http://127.0.0.1:8/api"}):
        with installed(serialized):   # the flow's settings differ from this "worker's": they are applied
            inner = SettingsContext.get()
            assert inner is not None and str(inner.settings.api.url) == "http://127.0.0.1:9/api"
        assert str(SettingsContext.get().settings.api.url) == "http://127.0.0.1:8/api"


def test_ssl_context_is_built_once_per_tls_setting(installed, monkeypatch):
    calls = []
    real = ssl.create_default_context

    def counting(*args, **kwargs):
        calls.append(kwargs.get("cafile"))
        return real(*args, **kwargs)

    monkeypatch.setattr(ssl, "create_default_context", counting)
    with temporary_settings(updates={PREFECT_API_URL: "http://127.0.0.1:9/api"}):
        clients = [context.get_client(sync_client=True) for _ in range(3)]
        assert len(calls) == 1 and calls[0], "one context, verified against the CA bundle"
        assert all(type(c).__name__ == "SyncPrefectClient" for c in clients)
        explicit = context.get_client(sync_client=True, httpx_settings={"verify": real()})
        assert len(calls) == 1 and explicit is not None, "explicit httpx settings are passed through untouched"


def test_settings_serialised_once_per_settings_context(installed):
    with temporary_settings(updates={PREFECT_API_URL: "http://127.0.0.1:9/api"}):
        ctx = SettingsContext.get()
        first = ctx.serialize()
        assert ctx.serialize() is first, "the same context: the same serialisation"
        assert ctx.serialize(include_secrets=False) is not first
        assert first["settings"]["api"]["url"] == "http://127.0.0.1:9/api"
    with temporary_settings(updates={PREFECT_API_URL: "http://127.0.0.1:8/api"}):
        assert SettingsContext.get().serialize()["settings"]["api"]["url"] == "http://127.0.0.1:8/api"
