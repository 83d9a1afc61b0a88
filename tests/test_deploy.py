"""prefect.yaml deployments load, and a served flow run completes (real Runner, embedded Prefect)."""
import os
import shutil
import subprocess
import sys
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


SERVE_ONCE = """
import asyncio, sys
from prefect import get_client
from prefect.deployments import run_deployment
from prefect.runner import Runner
from pipeline.orchestrate.deploy import load_deployments

dep = load_deployments(corpus=sys.argv[1], out=sys.argv[2], workers=1)[0]

async def serve_once():
    runner = Runner(name="test-runner", query_seconds=1)
    await runner.aadd_deployment(dep)
    run = await run_deployment(name=f"corpus-run/{dep.name}", timeout=0)
    await runner.start(run_once=True)      # picks up the due run and executes it
    async with get_client() as client:
        return (await client.read_flow_run(run.id)).state.type.value

print(asyncio.run(serve_once()))
"""


def test_served_flow_run_completes(tmp_path, prefect_home):
    # in a fresh interpreter: Prefect clients and servers that earlier in-process flow runs of this test session
    # left behind must not answer for the runner (they made this test order-dependent)
    corpus = tmp_path / "c"
    corpus.mkdir()
    shutil.copy(ROOT / "corpus" / "mofa-msmt-est-20241016.ja.txt", corpus)
    out = tmp_path / "o"
    proc = subprocess.run([sys.executable, "-c", SERVE_ONCE, str(corpus), str(out)], cwd=ROOT, capture_output=True,
                          text=True, timeout=600, env={**os.environ, "PREFECT_HOME": str(prefect_home / "ph")})
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stdout.strip().splitlines()[-1] == "COMPLETED", proc.stdout[-2000:] + proc.stderr[-2000:]
    assert (out / "claims.csv").exists() and (out / "documents.csv").read_bytes().startswith(b"\xef\xbb\xbf")
