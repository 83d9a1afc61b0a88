"""Two caches with different keys (issue 14): the model layer (GiNZA's analysis) is cached per document under a key
of the texts, the model and the pipeline settings only, so a rule-only change re-runs the rules on cached
analyses and gives exactly the tables of a cold run. Entries are msgpack data (a DocBin), checked before use: a
bad entry is a miss, never a crash, and nothing in it is ever unpickled."""
import json
import os
import pickle
import shutil
import subprocess
import sys
import zlib
from pathlib import Path

import numpy
import pytest
import srsly
from spacy.attrs import LEMMA
from spacy.strings import hash_string

from pipeline.lang import analysis
from pipeline.lang.analysis import ParseCache, analyse, deferred, parse_key
from pipeline.orchestrate import manifest

ROOT = Path(__file__).resolve().parent.parent
TEXTS = ["北朝鮮は2024年に1万1000人以上の兵士をロシアに派遣した。", "国連安保理は声明を出した。", "約3割の国が参加した。"]
ATTRS = ("text", "whitespace_", "norm_", "lemma_", "tag_", "pos_", "dep_", "ent_iob_", "ent_type_", "is_sent_start")


def _view(docs):
    """What the rules can read of ``docs``."""
    return [([tuple(getattr(t, a) for a in ATTRS) + (t.head.i,) for t in d],
             [(e.start_char, e.end_char, e.label_) for e in d.ents],
             [(s.start_char, s.end_char) for s in d.sents],
             [(s.start_char, s.end_char, s._.quantity) for s in d.spans.get("quantities", [])]) for d in docs]


def _units(texts, heading=False):
    out = []
    for t in texts:
        u = deferred.make_doc(t)
        u.user_data["heading"] = heading
        out.append(u)
    return out


def test_cached_analysis_reads_back_as_the_fresh_one(nlp, tmp_path):
    fresh = list(analyse(nlp, _units(TEXTS)))
    first = ParseCache(tmp_path)
    stored = list(analyse(nlp, _units(TEXTS), first))
    assert not first.hit and first.path(first.key).is_file()
    again = ParseCache(tmp_path)
    cached = list(analyse(nlp, _units(TEXTS), again))
    assert again.hit and again.key == first.key
    assert _view(cached) == _view(stored) == _view(fresh)
    assert cached[0].spans["quantities"], "the rule component ran on the cached analysis"
    assert {d.user_data.get("heading") for d in cached} == {False}
    # another text is another entry; --full (read=False) parses again and refreshes the entry
    assert parse_key(nlp, TEXTS[:2]) != first.key
    full = ParseCache(tmp_path, read=False)
    assert _view(list(analyse(nlp, _units(TEXTS), full))) == _view(fresh) and not full.hit


def test_parse_key_is_texts_model_and_settings_not_rules(nlp, monkeypatch, tmp_path):
    key = parse_key(nlp, TEXTS)
    models = tmp_path / "models"
    shutil.copytree(ROOT / "models", models)
    (models / "hedges.yaml").write_text((models / "hedges.yaml").read_text(encoding="utf-8") + "\n", encoding="utf-8")
    monkeypatch.setenv("PIPELINE_MODELS_DIR", str(models))
    monkeypatch.setenv("PIPELINE_BATCH_SIZE", "3")
    assert parse_key(nlp, TEXTS) == key, "rule data and batch size are not in the parse key"
    monkeypatch.setenv("PIPELINE_NER", "all")
    assert parse_key(nlp, TEXTS) != key
    monkeypatch.setenv("PIPELINE_NER", "numerals")
    assert parse_key(nlp, TEXTS) == key
    assert parse_key(nlp, ["".join(TEXTS)]) != key, "unit boundaries are part of the key"


def test_ner_runs_on_sentences_with_a_numeral(nlp, monkeypatch):
    text = "山田太郎は東京で演説した。山田太郎は2024年に東京で3回演説した。"
    whole = nlp(text)
    (doc,) = analyse(nlp, _units([text]))
    second = [e for e in whole.ents if e.start_char >= text.index("。") + 1]
    assert second and [(e.start_char, e.label_) for e in doc.ents] == [(e.start_char, e.label_) for e in second]
    monkeypatch.setenv("PIPELINE_NER", "all")
    (doc,) = analyse(nlp, _units([text]))
    assert [(e.start_char, e.label_) for e in doc.ents] == [(e.start_char, e.label_) for e in whole.ents]


class Planted:
    """A pickle payload: unpickling it creates ``marker``."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return open, (self.marker, "w")


def _msg(entry: Path) -> dict:
    return srsly.msgpack.unpackb(zlib.decompress(entry.read_bytes()), raw=False, object_pairs_hook=dict)


def _pack(msg) -> bytes:
    return zlib.compress(srsly.msgpack.packb(msg, use_bin_type=True))


def _bad_entries(good: bytes, marker: Path, other: bytes) -> dict[str, bytes]:
    msg = srsly.msgpack.unpackb(zlib.decompress(good), raw=False, object_pairs_hook=dict)
    payload = pickle.dumps(Planted(marker))
    bad = {"empty": b"", "garbage": os.urandom(500), "truncated": good[: len(good) // 2],
           "a pickle": pickle.dumps(Planted(marker)), "zlib of a pickle": zlib.compress(payload),
           "another document's analysis": other, "zlib bomb": zlib.compress(b"\0" * (8 * analysis.MAX_ENTRY_BYTES + 1))}
    bad["user data holding a pickle"] = _pack({**msg, "user_data": [payload] * len(msg["cats"])})
    bad["numpy object array"] = _pack({**msg, "tokens": {"nd": True, "type": "O", "kind": b"", "shape": [1],
                                                         "data": payload}})
    tokens = numpy.frombuffer(msg["tokens"], dtype="uint64").reshape((-1, len(msg["attrs"]))).copy()
    tokens[0, msg["attrs"].index(LEMMA)] = hash_string("a lemma no vocab has seen")
    bad["a string it does not hold"] = _pack({**msg, "tokens": tokens.tobytes()})
    bad["heads outside the doc"] = _pack({**msg, "tokens": b"\xff" * len(msg["tokens"])})
    bad["span groups"] = _pack({**msg, "span_groups": [b"\x81" + payload] * len(msg["cats"])})
    bad["another layout"] = _pack({**msg, "attrs": msg["attrs"][:-1]})
    return bad


def test_bad_entries_are_misses_and_never_run_code(nlp, tmp_path, caplog):
    fresh = _view(list(analyse(nlp, _units(TEXTS))))
    cache = ParseCache(tmp_path / "parse")
    list(analyse(nlp, _units(TEXTS), cache))
    entry = cache.path(cache.key)
    good = entry.read_bytes()
    other = ParseCache(tmp_path / "other")
    list(analyse(nlp, _units(["別の文書。"] * 3), other))
    marker = tmp_path / "pwned"
    for name, data in _bad_entries(good, marker, other.path(other.key).read_bytes()).items():
        entry.write_bytes(data)
        caplog.clear()
        again = ParseCache(tmp_path / "parse")
        assert _view(list(analyse(nlp, _units(TEXTS), again))) == fresh, name
        assert not again.hit, name
        assert "ignoring parse cache entry" in caplog.text, name
        assert not marker.exists(), f"{name}: code ran"
        assert entry.read_bytes() == good, f"{name}: the entry is written again"


def test_prune_keeps_the_entries_of_reused_documents(tmp_path):
    folder = tmp_path / "parse"
    folder.mkdir()
    for k in ("p1", "p2", "p3", "old"):
        (folder / f"{k}.spacy").write_bytes(b"x")
    analysis.prune(folder, {"r1": "p1", "r2": "p2", "r3": "p3"})
    assert sorted(p.name for p in folder.glob("*.spacy")) == ["p1.spacy", "p2.spacy", "p3.spacy"]
    # r1 reused (records unchanged), r2 re-processed with another analysis, r3 gone from the corpus
    (folder / "p4.spacy").write_bytes(b"x")
    analysis.prune(folder, {"r1": None, "r2b": "p4"})
    assert sorted(p.name for p in folder.glob("*.spacy")) == ["p1.spacy", "p4.spacy"]
    assert json.loads((folder / analysis.INDEX).read_text()) == {"r1": "p1", "r2b": "p4"}
    (folder / analysis.INDEX).write_text("{not json")
    analysis.prune(folder, {"r1": None, "r2b": "p4"})   # an unreadable index only costs the reused entries
    assert sorted(p.name for p in folder.glob("*.spacy")) == ["p4.spacy"]


def _run(corpus: Path, out: Path, env: dict) -> dict:
    cmd = [sys.executable, "-m", "pipeline", "run", "--corpus", str(corpus), "--out", str(out), "--workers", "1",
           "--quiet"]
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads((out / "run_summary.json").read_text(encoding="utf-8"))


def test_a_rule_only_change_reuses_the_parse_cache_and_matches_a_cold_run(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    names = ("000_79eea7d80fcbe56c.ja", "trilat-fm-20231026.ja", "trilat-fm-20231026.en")
    for name in names:
        for suffix in (".txt", ".meta.yaml"):
            shutil.copy(ROOT / "corpus" / f"{name}{suffix}", corpus)
    models = tmp_path / "models"
    shutil.copytree(ROOT / "models", models)
    env = dict(os.environ, PREFECT_HOME=str(tmp_path / "prefect-home"), PIPELINE_MODELS_DIR=str(models))
    out = tmp_path / "out"
    first = _run(corpus, out, env)
    assert first["processed"] == 3 and first["parses_reused"] == 0
    # rule edits only: a hedge cue and a gazetteer alias (both change the records, so every document is redone)
    hedges = models / "hedges.yaml"
    hedges.write_text(hedges.read_text(encoding="utf-8").replace(
        "  - {surface: と推定さ,", "  - {surface: と見込まれ, hedge: estimated, example: 3000人が死亡したと見込まれる。}\n"
        "  - {surface: と推定さ,", 1), encoding="utf-8")
    actors = models / "actors.yaml"
    text = actors.read_text(encoding="utf-8")
    assert "aliases_ja: [" in text
    actors.write_text(text.replace("aliases_ja: [", "aliases_ja: [特需国, ", 1), encoding="utf-8")
    again = _run(corpus, out, env)
    assert again["processed"] == 3 and again["reused"] == 0
    assert again["parses_reused"] == 2, "both Japanese documents were read from the parse cache (English: no cache)"
    cold = _run(corpus, tmp_path / "cold", env)
    assert cold["parses_reused"] == 0
    for name in manifest.OUTPUT_FILES:
        assert (out / name).read_bytes() == (tmp_path / "cold" / name).read_bytes(), name
    assert len(list((out / ".cache" / "parse").glob("*.spacy"))) == 2, "pruned to this run's entries"
