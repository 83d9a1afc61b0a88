"""Incremental runs and streaming (issue #7): documents go through the cache one at a time, and a run in which
nothing changed is answered from the manifest without processing anything."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from pipeline.orchestrate import cache, manifest
from pipeline.core import tables

ROOT = Path(__file__).resolve().parent.parent
PAIR = ("trilat-fm-20231026.ja", "trilat-fm-20231026.en")
SEED = "000_79eea7d80fcbe56c.ja"


@pytest.fixture()
def pair_corpus(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in PAIR + (SEED,):
        shutil.copy(ROOT / "corpus" / f"{name}.txt", corpus)
        shutil.copy(ROOT / "corpus" / f"{name}.meta.yaml", corpus)
    return corpus


# (cells, why) — the streaming writer must give exactly what the earlier pandas writer gave (Excel reads it)
CELLS = [
    ({"a": "plain", "b": "日本語"}, "text"),
    ({"a": "x,y", "b": 'say "hi"'}, "comma and quotes are quoted"),
    ({"a": "line\nbreak", "b": "cr\rlf"}, "line breaks inside a cell"),
    ({"a": None, "b": ""}, "empty cells"),
    ({"a": 11000.0, "b": 2.5}, "numbers as text: 11000 not 11000.0"),
    ({"a": True, "b": 0}, "booleans and zero"),
    ({"b": "only b"}, "a missing key is an empty cell"),
]


def test_table_writer_matches_the_pandas_csv_excel_reads(tmp_path):
    rows = [cells for cells, _ in CELLS]
    n = tables.write_csv(tmp_path / "t.csv", rows, ("a", "b"))
    frame = pd.DataFrame([{c: tables.fmt(r.get(c)) for c in ("a", "b")} for r in rows], columns=["a", "b"], dtype=str)
    expected = ("\ufeff" + frame.to_csv(index=False, lineterminator="\r\n")).encode("utf-8")
    assert n == len(rows)
    assert (tmp_path / "t.csv").read_bytes() == expected
    back = tables.read_csv(tmp_path / "t.csv")
    assert list(back.a) == ["plain", "x,y", "line\nbreak", "", "11000", "true", ""]
    assert oct((tmp_path / "t.csv").stat().st_mode & 0o777) == oct(tables.FILE_MODE)


def test_staged_tables_commit_all_or_none(tmp_path):
    tables.write_csv(tmp_path / "a.csv", [{"x": "old"}], ("x",))
    with pytest.raises(RuntimeError):
        with tables.staged_tables(tmp_path, {"a": ("x",), "b": ("x",)}) as t:
            t["a"].write([{"x": "new"}])
            t["b"].write([{"x": "new"}])
            raise RuntimeError("crash half-way")
    assert tables.read_csv(tmp_path / "a.csv").x.tolist() == ["old"]
    assert not (tmp_path / "b.csv").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv"], "no temp files are left behind"
    with tables.staged_tables(tmp_path, {"a": ("x",), "b": ("x",)}) as t:
        t["a"].write([{"x": "new"}])
    assert tables.read_csv(tmp_path / "a.csv").x.tolist() == ["new"] and (tmp_path / "b.csv").exists()


def test_process_cached_hands_back_no_records(pair_corpus, tmp_path):
    """A worker keeps a document's records in the cache and returns only a small record (streaming)."""
    from pipeline.orchestrate.run import load_result, process_cached

    path, cache_dir = pair_corpus / f"{SEED}.txt", tmp_path / "cache"
    first = process_cached(path, pair_corpus, cache_dir)
    assert first.result is None and not first.reused and first.seconds > 0 and first.claims >= 20
    assert first.document.text == "" and first.chars == len(path.read_text(encoding="utf-8"))
    assert cache.has(cache_dir, first.key)
    records = load_result(first, cache_dir)
    assert len(records.claims) == first.claims and records.document.doc_id == first.document.doc_id
    assert records.document.chars == first.chars
    again = process_cached(path, pair_corpus, cache_dir)
    assert again.reused and again.seconds == 0 and again.key == first.key

    bad = pair_corpus / "bad.ja.txt"
    bad.write_bytes(b"\x00\x01binary")
    failed = process_cached(bad, pair_corpus, cache_dir)
    assert failed.document.status == "failed" and failed.result is not None
    assert not cache.has(cache_dir, failed.key), "failed documents are not cached"


def test_streamed_tables_equal_in_memory_tables(seed_result, tmp_path):
    """write_outputs gives the same bytes whether records come one by one from the cache or from memory."""
    from pipeline.orchestrate.run import Processed, load_result, write_outputs

    cache.store(tmp_path / "c", "k1", seed_result)
    handle = Processed.of(seed_result, "k1")
    write_outputs([seed_result], tmp_path / "mem", 0.0)
    write_outputs([handle], tmp_path / "stream", 0.0, load=lambda i: load_result(i, tmp_path / "c"))
    for name in manifest.OUTPUT_FILES[:-1]:
        assert (tmp_path / "mem" / name).read_bytes() == (tmp_path / "stream" / name).read_bytes(), name
    assert (tmp_path / "stream" / "run_timings.csv").exists()


def _outputs(out: Path) -> dict:
    return {n: (out / n).read_bytes() for n in manifest.OUTPUT_FILES}


def test_unchanged_run_is_answered_from_the_manifest(pair_corpus, tmp_path, prefect_home):
    from pipeline.orchestrate.flows import run_corpus

    out = tmp_path / "out"
    first = run_corpus(pair_corpus, out, workers=1, progress=False)
    assert (first.processed, first.reused, first.pairs) == (3, 0, 1)
    assert (out / manifest.MANIFEST).exists()
    before, timings = _outputs(out), (out / "run_timings.csv").read_bytes()

    again = run_corpus(pair_corpus, out, workers=1, progress=False)
    assert (again.documents, again.reused, again.claims) == (3, 3, first.claims)
    assert _outputs(out) == before
    assert (out / "run_timings.csv").read_bytes() == timings, "nothing was processed, nothing rewritten"

    # a hand-edited output is rewritten (from the cache: nothing is processed again)
    (out / "claims.csv").write_bytes(before["claims.csv"] + b"x,y\r\n")
    repaired = run_corpus(pair_corpus, out, workers=1, progress=False)
    assert repaired.reused == 3 and _outputs(out)["claims.csv"] == before["claims.csv"]
    assert (out / "run_timings.csv").read_bytes() != timings

    # a new review decision changes the outputs: the run is done (documents reused)
    claims = tables.read_csv(out / "claims.csv")
    claims.loc[0, "review_status"] = "accepted"
    tables.write_csv(tmp_path / "reviewed.csv", claims.to_dict("records"), list(claims.columns))
    from pipeline import review

    assert manifest.unchanged(pair_corpus, out) is not None
    review.import_file(tmp_path / "reviewed.csv", pair_corpus, out / "claims.csv")
    assert manifest.unchanged(pair_corpus, out) is None
    reviewed = run_corpus(pair_corpus, out, workers=1, progress=False)
    assert reviewed.reused == 3
    assert tables.read_csv(out / "claims.csv").review_status.tolist()[0] == "accepted"

    # a document that cannot be processed: no short cut, the next run tries it again
    (pair_corpus / "bad.ja.txt").write_bytes(b"\x00\x01binary")
    assert len(run_corpus(pair_corpus, out, workers=1, progress=False).failed) == 1
    assert not (out / manifest.MANIFEST).exists()


def test_run_key_covers_documents_metadata_and_settings(pair_corpus, monkeypatch):
    base = manifest.run_key(pair_corpus)
    assert manifest.run_key(pair_corpus) == base
    meta = pair_corpus / "trilat-fm-20231026.en.meta.yaml"
    original = meta.read_bytes()
    meta.write_bytes(original + b"\nnote: edited\n")
    assert manifest.run_key(pair_corpus) != base
    meta.write_bytes(original)
    monkeypatch.setenv("PIPELINE_EMBEDDER", "transformers:/nowhere")
    assert manifest.run_key(pair_corpus) != base
    monkeypatch.delenv("PIPELINE_EMBEDDER")
    (pair_corpus / "new.ja.txt").write_text("北朝鮮は兵士を派遣した。", encoding="utf-8")
    assert manifest.run_key(pair_corpus) != base
    (pair_corpus / "new.ja.txt").unlink()
    assert manifest.run_key(pair_corpus) == base


def test_cli_answers_an_unchanged_run_without_prefect_or_models(pair_corpus, tmp_path, prefect_home):
    out = tmp_path / "out"
    env = dict(os.environ, PREFECT_HOME=str(prefect_home / "ph"))
    run = [sys.executable, "-m", "pipeline", "run", "--corpus", str(pair_corpus), "--out", str(out), "--quiet"]
    first = subprocess.run(run + ["--workers", "1"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert first.returncode == 0, first.stderr[-2000:]
    probe = ("import sys; from pipeline.cli import main; rc = main(sys.argv[1:]); "
             "print('loaded:', sorted(m for m in ('prefect', 'spacy', 'pandas', 'torch') if m in sys.modules)); "
             "sys.exit(rc)")
    again = subprocess.run([sys.executable, "-c", probe, *run[3:]], cwd=ROOT, env=env, capture_output=True,
                           text=True, timeout=600)
    assert again.returncode == 0, again.stderr[-2000:]
    assert "nothing changed since the last run" in again.stdout
    assert "documents: 3, processed: 3 (3 unchanged, reused)" in again.stdout
    assert "loaded: []" in again.stdout
    full = subprocess.run(run + ["--workers", "1", "--full"], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=600)
    assert "nothing changed" not in full.stdout and "(0 unchanged, reused)" in full.stdout


def test_doc_table_reads_one_document_by_byte_range(tmp_path):
    """The report reads per-document tables one document at a time (pipeline.report.DocTable)."""
    from pipeline.report import DocTable

    rows = [{"doc_id": "a", "text": "北朝鮮は\r\n兵士を", "n": 1}, {"doc_id": "a", "text": 'say "x", y', "n": 2},
            {"doc_id": "b", "text": "", "n": 3}, {"doc_id": "c", "text": "multi\nline\ncell", "n": 4},
            {"doc_id": "a", "text": "out of order", "n": 5}]
    tables.write_csv(tmp_path / "t.csv", rows, ("doc_id", "text", "n"))
    table = DocTable(tmp_path / "t.csv")
    assert [r["n"] for r in table.rows(doc_id="a")] == ["1", "2", "5"], "rows of other documents are skipped"
    assert table.rows(doc_id="a", n="2")[0]["text"] == 'say "x", y'
    assert [r["text"] for r in table.rows(doc_id="c")] == ["multi\nline\ncell"]
    assert table.rows(doc_id="a")[0]["text"] == "北朝鮮は\r\n兵士を"
    assert table.rows(doc_id="missing") == []
    assert [r["n"] for r in table.iter_rows()] == ["1", "2", "3", "4", "5"]
    assert DocTable(tmp_path / "none.csv").empty and DocTable(tmp_path / "none.csv").rows(doc_id="a") == []
