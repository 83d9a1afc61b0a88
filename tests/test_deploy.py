"""prefect.yaml deployments load, and a served flow run completes (real Runner, embedded Prefect)."""
import asyncio
import shutil
from pathlib import Path

from pipeline.orchestrate.deploy import load_deployments

ROOT = Path(__file__).resolve().parent.parent


def test_deployments_load_with_schedules_and_parameters():
    deps = {d.name: d for d in load_deployments()}
    assert set(deps) == {"nightly-corpus", "weekly-full-corpus"}
    nightly = deps["nightly-corpus"]
    assert nightly.parameters["corpus"] == "corpus" and nightly.parameters["incremental"] is True
    sched = nightly.schedules[0].schedule
    assert (sched.cron, sched.timezone) == ("0 2 * * *", "Asia/Tokyo")
    assert nightly.entrypoint == "pipeline.orchestrate.flows.corpus_flow"


def test_served_flow_run_completes(tmp_path, prefect_home):
    from prefect import get_client
    from prefect.client.schemas.objects import StateType
    from prefect.deployments import run_deployment
    from prefect.runner import Runner

    corpus = tmp_path / "c"
    corpus.mkdir()
    shutil.copy(ROOT / "corpus" / "mofa-msmt-est-20241016.ja.txt", corpus)
    out = tmp_path / "o"
    dep = load_deployments(corpus=str(corpus), out=str(out), workers=1)[0]

    async def serve_once():
        runner = Runner(name="test-runner", query_seconds=1)
        await runner.aadd_deployment(dep)
        run = await run_deployment(name=f"corpus-run/{dep.name}", timeout=0)
        await runner.start(run_once=True)      # picks up the due run and executes it
        async with get_client() as client:
            return (await client.read_flow_run(run.id)).state.type

    assert asyncio.run(serve_once()) == StateType.COMPLETED
    assert (out / "claims.csv").exists() and (out / "documents.csv").read_bytes().startswith(b"\xef\xbb\xbf")
