"""The warm daemon (issue 14): a run handed to it gives exactly the tables of a run in a new process, reads the rule
data afresh (a rule edit is seen at once), and a run it must not serve (other settings) runs in-process instead.
A real daemon is started (GiNZA and Prefect's server loaded in it) and real runs go through it."""
import csv
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from pipeline.orchestrate import daemon, daemon_client

ROOT = Path(__file__).resolve().parent.parent
TABLES = ("documents", "sentences", "claims", "actors", "citations", "alignments", "claim_matches", "facts")
# our own memo: one reported figure, one that a new hedge cue makes speculative
MEMO = "派遣に関するメモ\n2023年に同国は約500人の兵士を派遣したと発表した。\n同国は新たに200人の技術者を送る案を練っている。\n"
NEW_CUE = "  - {surface: 案を練っ, hedge: speculative, example: 200人を送る案を練っている。}\n"

pytestmark = pytest.mark.skipif(not daemon_client.supported(), reason="the daemon needs Unix sockets and fork")


def _cli(args: list[str], env: dict, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=timeout)


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    """A corpus, a copy of the rule data, and the environment every command of these tests runs with."""
    tmp = tmp_path_factory.mktemp("daemon")
    corpus, models = tmp / "corpus", tmp / "models"
    corpus.mkdir()
    (corpus / "memo.ja.txt").write_text(MEMO, encoding="utf-8")
    for name in ("trilat-fm-20231026.ja", "trilat-fm-20231026.en"):
        shutil.copy(ROOT / "corpus" / f"{name}.txt", corpus)
        shutil.copy(ROOT / "corpus" / f"{name}.meta.yaml", corpus)
    shutil.copytree(ROOT / "models", models)
    sockets = Path(tempfile.mkdtemp(prefix="pd", dir="/tmp"))   # short: a socket path has ~100 bytes at most
    env = {k: v for k, v in os.environ.items() if k != "PIPELINE_DAEMON"}
    env.update(PIPELINE_DAEMON_DIR=str(sockets), PIPELINE_MODELS_DIR=str(models),
               PREFECT_HOME=str(tmp / "prefect-home"))
    yield tmp, corpus, models, env
    shutil.rmtree(sockets, ignore_errors=True)


@pytest.fixture(scope="module")
def running(setup):
    """A daemon of its own, stopped (and waited for) at the end."""
    tmp, corpus, models, env = setup
    started = _cli(["daemon", "start", "--idle-minutes", "10"], env)
    assert started.returncode == 0, started.stderr
    assert "daemon ready" in started.stdout
    yield setup
    status = _cli(["daemon", "status"], env)
    _cli(["daemon", "stop"], env)
    pid = next((int(w) for w in status.stdout.replace(",", " ").split() if w.isdigit()), None)
    deadline = time.monotonic() + 30
    while pid and time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.2)
    else:
        if pid:
            os.kill(pid, signal.SIGKILL)


def _tables(out: Path) -> dict[str, bytes]:
    return {name: (out / f"{name}.csv").read_bytes() for name in TABLES}


def _hedges(out: Path) -> dict[str, str]:
    with open(out / "claims.csv", encoding="utf-8", newline="") as f:
        return {r["surface"]: r["hedge"] for r in csv.DictReader(f) if r["doc_id"] == "memo.ja"}


def test_a_run_through_the_daemon_equals_a_new_process_and_sees_rule_edits(running):
    tmp, corpus, models, env = running
    via, local = tmp / "out-daemon", tmp / "out-local"
    first = _cli(["run", "--corpus", str(corpus), "--out", str(via)], env)
    assert first.returncode == 0, first.stderr
    assert "running in this process" not in first.stderr, first.stderr
    assert "daemon running" in _cli(["daemon", "status"], env).stdout
    assert "1 run(s) served" in _cli(["daemon", "status"], env).stdout
    plain = _cli(["run", "--corpus", str(corpus), "--out", str(local), "--no-daemon"], env)
    assert plain.returncode == 0, plain.stderr
    assert _tables(via) == _tables(local), "the daemon's run writes exactly what a new process writes"
    assert _hedges(via) == {"約500人": "reported", "200人": "asserted"}

    hedges = models / "hedges.yaml"   # a rule edit: the daemon loaded no rule data, its run reads the new file
    hedges.write_text(_with_cue(hedges.read_text(encoding="utf-8")), encoding="utf-8")
    again = _cli(["run", "--corpus", str(corpus), "--out", str(via)], env)
    assert again.returncode == 0 and "running in this process" not in again.stderr, again.stderr
    # only the rule layer ran again (the English pipeline has no model layer to cache)
    assert "2 analyses from the parse cache" in again.stdout, again.stdout
    assert _hedges(via) == {"約500人": "reported", "200人": "speculative"}
    plain = _cli(["run", "--corpus", str(corpus), "--out", str(local), "--no-daemon"], env)
    assert _tables(via) == _tables(local)


def _with_cue(text: str) -> str:
    head, sep, rest = text.partition("\ncues:")
    line, nl, body = rest.partition("\n")
    return head + sep + line + nl + NEW_CUE + body


def test_a_run_with_other_settings_runs_in_its_own_process(running):
    tmp, corpus, models, env = running
    out = tmp / "out-batch"
    done = _cli(["run", "--corpus", str(corpus), "--out", str(out)], {**env, "PIPELINE_BATCH_SIZE": "8"})
    assert done.returncode == 0, done.stderr
    assert "settings differ" in done.stderr and "PIPELINE_BATCH_SIZE" in done.stderr
    assert "running in this process" in done.stderr
    assert (out / "claims.csv").exists()


def test_usage_errors_and_exit_codes_come_back_from_the_daemon(running):
    tmp, corpus, models, env = running
    missing = _cli(["run", "--corpus", str(tmp / "nowhere"), "--out", str(tmp / "out-x")], env)
    assert missing.returncode == 2 and "corpus folder not found" in missing.stderr


def test_ctrl_c_stops_the_run_and_the_daemon_serves_the_next(running):
    tmp, corpus, models, env = running
    out = tmp / "out-interrupted"
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "run", "--corpus", str(corpus), "--out", str(out),
                             "--full"], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(1.5)
    proc.send_signal(signal.SIGINT)
    out_text, err = proc.communicate(timeout=120)
    # (a fast machine finishes this small corpus in 1.5 s; the summary goes to stdout)
    assert proc.returncode != 0 or "tables written" in out_text, "interrupted, or already done"
    # (--wait: a Ctrl-C that came before the run had started leaves the child a moment to stop and unlock)
    after = _cli(["run", "--corpus", str(corpus), "--out", str(out), "--wait", "60"], env)
    assert after.returncode == 0, after.stderr   # the output lock was released, the daemon still serves
    assert "running in this process" not in after.stderr


def test_status_and_stop_without_a_daemon(setup, tmp_path):
    _, _, _, env = setup
    env = {**env, "PIPELINE_DAEMON_DIR": str(tmp_path)}
    status = _cli(["daemon", "status"], env)
    assert status.returncode == 1 and "no daemon is running" in status.stdout
    assert "no daemon is running" in _cli(["daemon", "stop"], env).stdout


# -- the parts, without a daemon ----------------------------------------------------------------------------

def test_settings_read_at_import_must_match_but_per_run_ones_may_differ():
    mine = {"PIPELINE_BATCH_SIZE": "16", "PREFECT_HOME": "/a", "PIPELINE_TRACE": "", "HOME": "/root"}
    assert daemon.env_differences(mine, {**mine, "PIPELINE_TRACE": "1", "HOME": "/x", "PIPELINE_WORKERS": "4"}) == []
    assert daemon.env_differences(mine, {**mine, "PIPELINE_BATCH_SIZE": "8"}) == ["PIPELINE_BATCH_SIZE"]
    assert daemon.env_differences(mine, {**mine, "PYTHONPATH": "/elsewhere"}) == ["PYTHONPATH"]
    assert daemon.env_differences(mine, {k: v for k, v in mine.items() if k != "PREFECT_HOME"}) == ["PREFECT_HOME"]


def test_the_socket_folder_must_be_private(tmp_path, monkeypatch):
    monkeypatch.setenv("PIPELINE_DAEMON_DIR", str(tmp_path))
    folder = daemon_client.private_dir(create=True)
    assert folder.stat().st_mode & 0o777 == 0o700
    folder.chmod(0o755)   # another user could plant a socket there
    with pytest.raises(daemon_client.DaemonError, match="mode 0700"):
        daemon_client.private_dir()
    assert daemon_client.connect() is None   # a run then simply runs in its own process


def test_code_state_changes_with_any_source_file(tmp_path, monkeypatch):
    package = tmp_path / "pipeline"
    package.mkdir()
    module = package / "m.py"
    module.write_text("x = 1\n")
    monkeypatch.setattr(daemon_client, "PACKAGE_DIR", package)
    before = daemon.code_state()
    assert daemon.code_state() == before
    module.write_text("x = 22\n")
    assert daemon.code_state() != before


def test_the_daemon_loads_no_rule_data_before_it_forks_a_run():
    """What the daemon's warm-up imports must not read models/ (a run would then see old rules)."""
    code = ("import importlib, pkgutil, sys, pipeline\n"
            "from pipeline.orchestrate import daemon\n"
            "from pipeline.orchestrate.worker import block_torch\n"
            "block_torch()\n"
            "for n in daemon.WARM_MODULES: importlib.import_module(n)\n"
            "for i in pkgutil.walk_packages(pipeline.__path__, 'pipeline.'):\n"
            "    if not i.name.startswith(daemon.COLD_MODULES): importlib.import_module(i.name)\n"
            "from pipeline.lang.nlp import preload_models\n"
            "preload_models()\n"
            "from pipeline.core import rules\n"
            "print(rules.load.cache_info().currsize)\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "0"


def test_the_daemon_compiles_the_rule_patterns_but_keeps_no_rule_data():
    """warm_patterns reads the rule data in a throwaway child; this process only gets the compiled patterns."""
    script = ("import re\n"
              "from pipeline.core import rules\n"
              "from pipeline.orchestrate.daemon import warm_patterns\n"
              "before = sum(1 for key in re._cache if key[0] is str)\n"
              "n = warm_patterns()\n"
              "after = sum(1 for key in re._cache if key[0] is str)\n"
              "print(n, before, after, rules.load.cache_info().currsize, rules.quantity_rules.cache_info().currsize)\n")
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PIPELINE_DAEMON": "0"})
    assert done.returncode == 0, done.stderr
    n, before, after, loaded, compiled = map(int, done.stdout.split())
    assert n > 100 and after >= before + 100      # the rule data's patterns, compiled here
    assert loaded == 0 and compiled == 0          # and no rule data read in this process


def test_preloaded_blank_pipeline_is_taken_once_and_holds_no_rules():
    """The daemon makes spacy.blank("en") before forking runs; a run takes that copy once (then makes its own), and
    the English pipeline built on it is the same as one built from scratch."""
    from pipeline.lang import nlp

    nlp.preload_models(names=(), blank=("en",))
    preloaded = nlp._PRELOADED[("blank:en", nlp.settings.get("use_blis"))]
    assert preloaded.pipe_names == []
    first, second = nlp.load_blank("en"), nlp.load_blank("en")
    assert first is preloaded and second is not preloaded and second.lang == "en"
    assert ("blank:en", nlp.settings.get("use_blis")) not in nlp._PRELOADED
    from pipeline.lang.en import EnglishBackend

    nlp.preload_models(names=(), blank=("en",))
    built = EnglishBackend().load_nlp()
    assert built.pipe_names == ["sentencizer"] and not nlp._PRELOADED
    second.add_pipe("sentencizer")
    text = "Russia sent 10,000 troops. Japan objected."
    assert [s.text for s in built(text).sents] == [s.text for s in second(text).sents] == [
        "Russia sent 10,000 troops.", "Japan objected."]


class _Terminal:
    def __init__(self):
        self.text = ""

    def isatty(self):
        return True

    def write(self, text):
        self.text += text

    def flush(self):
        pass


@pytest.mark.parametrize("processed, reused, parses_reused, tip", [
    (81, 0, 81, True),     # a rule edit: every analysis from the parse cache
    (82, 80, 2, True),     # 80 unchanged; the two that ran read their analyses from the parse cache
    (82, 81, 0, False),    # one new document: it was parsed
    (81, 0, 80, False),    # one document parsed again
    (0, 0, 0, False),
])
def test_tip_names_the_daemon_after_a_rules_only_run_on_a_terminal(monkeypatch, processed, reused, parses_reused,
                                                                  tip):
    from pipeline import cli
    from pipeline.orchestrate.summary import RunSummary

    term = _Terminal()
    monkeypatch.setattr(sys, "stderr", term)
    monkeypatch.delenv("PIPELINE_DAEMON", raising=False)
    cli._daemon_tip(RunSummary(documents=processed, processed=processed, reused=reused, parses_reused=parses_reused))
    assert ("daemon start" in term.text) is (tip and daemon_client.supported())
    monkeypatch.setenv("PIPELINE_DAEMON", "0")
    term.text = ""
    cli._daemon_tip(RunSummary(documents=processed, processed=processed, reused=reused, parses_reused=parses_reused))
    assert term.text == ""


def test_the_daemons_prefect_server_yields_the_cores(monkeypatch):
    """The daemon lowers its (already running) Prefect server's priority: its bookkeeping waits for idle cores."""
    from pipeline.orchestrate import pool

    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        monkeypatch.setattr(pool, "_SPAWNED", sleeper)
        mine = os.getpriority(os.PRIO_PROCESS, 0)
        monkeypatch.setenv("PIPELINE_SERVER_NICE", "0")
        assert pool.lower_server_priority() is False
        assert os.getpriority(os.PRIO_PROCESS, sleeper.pid) == mine
        monkeypatch.setenv("PIPELINE_SERVER_NICE", "10")
        assert pool.lower_server_priority() is True
        assert os.getpriority(os.PRIO_PROCESS, sleeper.pid) == min(19, mine + 10)
    finally:
        sleeper.kill()
        sleeper.wait()
    assert pool.lower_server_priority() is False   # a server that has stopped: nothing to do
