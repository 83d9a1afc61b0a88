"""Deployments of the corpus flow from ``prefect.yaml``, served from this machine (``python -m pipeline serve``)."""
from __future__ import annotations

from pipeline.core import settings

settings.apply()

from pathlib import Path  # noqa: E402

import yaml  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]   # the project folder, which holds prefect.yaml


def load_deployments(prefect_yaml: Path = ROOT / "prefect.yaml", **overrides):
    """RunnerDeployments for every entry of ``prefect.yaml`` (parameters may be overridden, e.g. corpus=...)."""
    from prefect.deployments.runner import EntrypointType
    from prefect.client.schemas.schedules import CronSchedule
    from prefect.flows import load_flow_from_entrypoint

    data = yaml.safe_load(Path(prefect_yaml).read_text(encoding="utf-8"))
    out = []
    for d in data.get("deployments", []):
        flow = load_flow_from_entrypoint(d["entrypoint"])   # module path: pipeline.orchestrate.flows:corpus_flow
        schedules = [CronSchedule(cron=s["cron"], timezone=s.get("timezone") or "UTC")
                     for s in d.get("schedules") or [] if "cron" in s]
        kwargs = {"schedules": schedules} if schedules else {}
        params = {**d.get("parameters", {}), **{k: v for k, v in overrides.items() if v is not None}}
        dep = flow.to_deployment(name=d["name"], parameters=params, description=d.get("description"),
                                 entrypoint_type=EntrypointType.MODULE_PATH, **kwargs)
        out.append(dep)
    return out


def serve(prefect_yaml: Path = ROOT / "prefect.yaml", **overrides) -> None:
    """Serve the deployments until interrupted (Ctrl-C): scheduled runs start from this process."""
    from prefect import serve as prefect_serve

    prefect_serve(*load_deployments(prefect_yaml, **overrides))
