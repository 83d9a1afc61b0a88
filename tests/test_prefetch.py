"""The NLP pool starts on the documents as soon as it is up, before Prefect and the flow (issue 14): the documents
without cached records are handed to it at once, and each document's task takes that result, unless the file
changed since (then the task processes it itself)."""
import os
import shutil
from pathlib import Path

from pipeline.orchestrate import cache, pool
from pipeline.orchestrate.run import key_or_none, process_cached

ROOT = Path(__file__).resolve().parent.parent
PAIR = ("trilat-fm-20231026.ja", "trilat-fm-20231026.en")


def _corpus(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in PAIR:
        shutil.copy(ROOT / "corpus" / f"{name}.txt", corpus)
        shutil.copy(ROOT / "corpus" / f"{name}.meta.yaml", corpus)
    return corpus


def test_to_process_lists_uncached_documents_with_their_keys(tmp_path):
    corpus, out = _corpus(tmp_path), tmp_path / "out"
    (corpus / "broken.ja.txt").write_bytes(b"\xff\xfe\x00bad")   # its task reports it; no key to prefetch under
    todo = pool.to_process(corpus, out / ".cache")
    assert sorted(p.name for p, _ in todo) == sorted([f"{n}.txt" for n in PAIR] + ["broken.ja.txt"])
    keys = {p.name: k for p, k in todo}
    assert keys[f"{PAIR[0]}.txt"] == key_or_none(corpus / f"{PAIR[0]}.txt", corpus)
    done = process_cached(corpus / f"{PAIR[0]}.txt", corpus, out / ".cache")
    assert cache.has(out / ".cache", done.key)
    assert f"{PAIR[0]}.txt" not in {p.name for p, _ in pool.to_process(corpus, out / ".cache")}   # cached now
    assert len(pool.to_process(corpus, None)) == 3                                           # --full: all
    assert pool.to_process(tmp_path / "missing", None) is None


def test_pool_prefetches_and_the_task_takes_the_result_unless_the_file_changed(tmp_path):
    corpus, out = _corpus(tmp_path), tmp_path / "out"
    ja, en = corpus / f"{PAIR[0]}.txt", corpus / f"{PAIR[1]}.txt"
    with pool.worker_pool(corpus, out, workers=2, incremental=True):   # spawned workers (no fork in a test)
        assert pool.POOL is not None
        assert set(pool.PREFETCHED) == {os.path.abspath(ja), os.path.abspath(en)}
        done = pool.take_prefetched(ja, key_or_none(ja, corpus))
        assert done is not None and done.document.status == "ok" and done.claims >= 0
        assert not done.reused and done.key == key_or_none(ja, corpus)
        assert cache.has(out / ".cache", done.key)        # the worker stored its records
        assert pool.take_prefetched(ja, done.key) is None   # taken once
        en.write_text(en.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
        assert pool.take_prefetched(en, key_or_none(en, corpus)) is None   # edited since the start: not taken
    assert pool.POOL is None and not pool.PREFETCHED


def test_nothing_to_process_starts_no_pool(tmp_path):
    corpus, out = _corpus(tmp_path), tmp_path / "out"
    for name in PAIR:
        process_cached(corpus / f"{name}.txt", corpus, out / ".cache")
    with pool.worker_pool(corpus, out, workers=2, incremental=True):
        assert pool.POOL is None and not pool.PREFETCHED


def test_forked_workers_hold_the_model_and_this_process_lets_go_of_it(tmp_path):
    """The command line's pool (fork): workers forked from one model load; then this process drops its copy. Run
    in a fresh interpreter: no other thread there (fork needs that)."""
    import subprocess
    import sys

    corpus, out = _corpus(tmp_path), tmp_path / "out"
    script = ("import sys, time\n"
              "from pathlib import Path\n"
              "from pipeline.lang.nlp import get_nlp\n"
              "from pipeline.orchestrate import pool\n"
              "corpus, out = Path(sys.argv[1]), Path(sys.argv[2])\n"
              "with pool.worker_pool(corpus, out, workers=2, incremental=True, fork=True):\n"
              "    held = get_nlp.cache_info().currsize\n"
              "    done = [f.result() for _, f in pool.PREFETCHED.values()]\n"
              "    procs = list(pool.POOL._processes.values())\n"
              "    pool.release()   # every document done: the workers go before the tables are written\n"
              "    deadline = time.monotonic() + 30   # the executor's own thread reaps them: poll, do not join\n"
              "    while any(p.is_alive() for p in procs) and time.monotonic() < deadline:\n"
              "        time.sleep(0.05)\n"
              "    gone = pool.POOL is None and not pool.PREFETCHED and not any(p.is_alive() for p in procs)\n"
              "print(held, len(done), sum(d.document.status == 'ok' for d in done), len(procs), gone)\n")
    run = subprocess.run([sys.executable, "-c", script, str(corpus), str(out)], cwd=ROOT, capture_output=True,
                         text=True, timeout=300, env={**os.environ, "PIPELINE_DAEMON": "0"})
    assert run.returncode == 0, run.stderr[-2000:]
    # no pipeline held here; both documents done by the two workers, which release() then ended
    assert run.stdout.split() == ["0", "2", "2", "2", "True"]
