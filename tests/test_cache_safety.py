"""The document cache is data, not code (issue 11): entries are JSON, decoded into the record dataclasses field by
field; a planted pickle never runs, and any corrupt entry is a logged miss after which the document is processed
again."""
import gzip
import json
import logging
import pickle
import random
from dataclasses import fields, replace

import pytest

from pipeline.orchestrate import cache
from pipeline.core import tables
from pipeline.extract.document import DocumentResult
from pipeline.core.records import Claim
from pipeline.orchestrate.run import process_cached, process_one

TEXT = ("北朝鮮の軍需工場は2023年に約1万2000発の砲弾を生産したとみられる。\n"
        "輸出額は前年比12.5%減少し、数千人の労働者が帰国した。\n")
KEY = "0" * 64


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    """A corpus of one small Japanese document and its real DocumentResult."""
    corpus = tmp_path_factory.mktemp("corpus")
    path = corpus / "sample.ja.txt"
    path.write_text(TEXT, encoding="utf-8")
    result = process_one(path, corpus)
    assert result.document.status == "ok"
    return corpus, path, result


@pytest.fixture()
def stored(sample, tmp_path):
    """(the file of the sample's entry, its bytes, the sample's result)."""
    cache.store(tmp_path, KEY, sample[2])
    (entry,) = tmp_path.iterdir()
    return entry, entry.read_bytes(), sample[2]


class Planted:
    """A pickle payload: unpickling it creates ``marker``."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return open, (self.marker, "w")


def assert_valid(result):
    """A result later stages can use: a DocumentResult of records whose values have their declared types and can be
    written to the UTF-8 tables."""
    allowed = {"str": (str,), "int": (int,), "int | float | None": (int, float, type(None))}
    assert type(result) is DocumentResult
    for record in [result.document, *result.sentences, *result.claims, *result.actors, *result.citations]:
        for f in fields(record):
            assert type(getattr(record, f.name)) in allowed[f.type], (type(record).__name__, f.name)
        assert record.doc_id == result.document.doc_id
        for value in record.to_dict().values():
            tables.fmt(value).encode("utf-8")   # what the table writer does with it


def test_round_trip_keeps_records_and_value_types(stored):
    path, data, result = stored
    entry = json.loads(gzip.decompress(data))
    assert entry["format"] == cache.FORMAT and entry["key"] == KEY, "a versioned JSON entry, not a pickle"
    cache_dir = path.parent
    assert cache.has(cache_dir, KEY) and path == cache.entry_path(cache_dir, KEY)
    back = cache.load(cache_dir, KEY)
    assert back == result and back is not result
    values = [(type(c.value), type(c.value_max)) for c in back.claims]
    assert values == [(type(c.value), type(c.value_max)) for c in result.claims]
    assert {int, float, type(None)} <= {t for t, _ in values}, "the sample has int, float and empty values"
    cache.store(cache_dir, KEY, back)
    assert path.read_bytes() == data, "entries are deterministic"


def test_text_that_looks_like_an_escape_round_trips(stored):
    path, _, result = stored
    odd = replace(result, document=replace(result.document, title="C:\\ud800\\\\udc00 \x0c\x00 😀 \\u00e9"))
    cache.store(path.parent, KEY, odd)
    assert cache.load(path.parent, KEY) == odd


def test_a_planted_pickle_never_runs(sample, tmp_path):
    corpus, path, result = sample
    cache_dir, marker = tmp_path / "cache", tmp_path / "PWNED"
    key = cache.key_for(path, corpus)
    payload = pickle.dumps(Planted(marker))
    cache_dir.mkdir()
    (cache_dir / f"{key}.pkl").write_bytes(payload)
    loaded = cache.load(cache_dir, key)
    assert not marker.exists(), "the payload ran"
    assert loaded is None and not cache.has(cache_dir, key)
    for name in (f"{key}{cache.SUFFIX}", f"{key}.json"):
        (cache_dir / name).write_bytes(payload)
    assert cache.load(cache_dir, key) is None
    done = process_cached(path, corpus, cache_dir)
    assert not marker.exists(), "the payload ran"
    assert done.document.status == "ok" and not done.reused
    assert cache.load(cache_dir, key) == result
    cache.prune(cache_dir, {key})
    assert sorted(p.name for p in cache_dir.iterdir() if p.is_file()) == sorted([f"{key}{cache.SUFFIX}", f"{key}.json"])
    assert not marker.exists()


def _gz(obj) -> bytes:
    return gzip.compress(json.dumps(obj, ensure_ascii=False).encode("utf-8"))


def _edit(data: bytes, change) -> bytes:
    entry = json.loads(gzip.decompress(data))
    change(entry)
    return _gz(entry)


def _set(path, value):
    """A corruption: the node at ``path`` of the entry set to ``value``."""
    def change(entry):
        node = entry
        for step in path[:-1]:
            node = node[step]
        node[path[-1]] = value
    return lambda data: _edit(data, change)


CLAIM_ROW = ("claims", "rows", 0)
CLAIM_FIELDS = [f.name for f in fields(Claim)]
VALUE = CLAIM_FIELDS.index("value")
CORRUPT = {
    "empty file": lambda d: b"",
    "not gzip": lambda d: b"{}",
    "truncated gzip": lambda d: d[: len(d) // 2],
    "gzip without its trailer": lambda d: d[:-8],
    "bad CRC": lambda d: d[:-8] + bytes(8),
    "bad JSON": lambda d: gzip.compress(gzip.decompress(d)[:-1]),
    "not UTF-8": lambda d: gzip.compress(gzip.decompress(d).replace("北".encode(), b"\xff\xfe\xfd")),
    "encoded surrogate": lambda d: gzip.compress(gzip.decompress(d).replace("北".encode(), b"\xed\xa0\x80")),
    "escaped surrogate": lambda d: gzip.compress(gzip.decompress(d).replace("北".encode(), b"\\ud800")),
    "a list, not an entry": lambda d: _gz([1, 2]),
    "other format version": lambda d: _edit(d, lambda e: e.update(format=e["format"] + 1)),
    "entry of another key": _set(["key"], "1" * 64),
    "extra entry key": _set(["extra"], 1),
    "missing table": lambda d: _edit(d, lambda e: e.pop("actors")),
    "dict where a list is expected": _set(["claims", "rows"], {}),
    "missing field": lambda d: _edit(d, lambda e: e["claims"]["rows"][0].pop()),
    "extra field": lambda d: _edit(d, lambda e: e["claims"]["rows"][0].append("x")),
    "fields renamed": _set(["claims", "fields", 0], "claim"),
    "string where an int is expected": _set([*CLAIM_ROW, CLAIM_FIELDS.index("char_start")], "15"),
    "bool where an int is expected": _set(["sentences", "rows", 0, 1], True),
    "float where an int is expected": _set(["sentences", "rows", 0, 1], 0.0),
    "list as a value": _set([*CLAIM_ROW, VALUE], [1]),
    "string as a value": _set([*CLAIM_ROW, VALUE], "12000"),
    "null where a string is expected": _set(["document", "rows", 0, 0], None),
    "two documents": lambda d: _edit(d, lambda e: e["document"]["rows"].append(e["document"]["rows"][0])),
    "record of another document": _set([*CLAIM_ROW, CLAIM_FIELDS.index("doc_id")], "other.ja"),
    "offsets outside the text": _set([*CLAIM_ROW, CLAIM_FIELDS.index("char_end")], 10 ** 6),
    "huge integer": lambda d: gzip.compress(gzip.decompress(d).replace(b'"format":1', b'"format":1' + b"0" * 5000)),
    "deep nesting": lambda d: gzip.compress(b"[" * 100000 + b"]" * 100000),
}


def _entry_rejected(path, data, caplog) -> bool:
    """Whether ``data`` in the entry file ``path`` is a (logged) miss; if not, its records must be valid."""
    path.write_bytes(data)
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        result = cache.load(path.parent, KEY)
    warned = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    if result is None:
        assert len(warned) == 1 and str(path) in warned[0], "one warning naming the file"
        return True
    assert not warned
    assert_valid(result)
    return False


@pytest.mark.parametrize("case", sorted(CORRUPT))
def test_a_corrupt_entry_is_a_logged_miss(stored, caplog, case):
    path, data, _ = stored
    assert _entry_rejected(path, CORRUPT[case](data), caplog)


def test_a_gzip_bomb_is_refused(stored, caplog, monkeypatch):
    path, data, _ = stored
    monkeypatch.setattr(cache, "MAX_ENTRY_BYTES", len(gzip.decompress(data)) - 1)
    assert _entry_rejected(path, data, caplog)


def test_fuzzed_bytes_give_a_miss_or_the_exact_records(stored, caplog):
    """Single-byte flips and truncations of the file as stored: never an exception, never wrong records (the
    gzip CRC covers the JSON)."""
    path, data, result = stored
    rnd, misses = random.Random(11), 0
    for n in range(200):
        if n % 4 == 3:
            bad = data[:rnd.randrange(len(data))]
        else:
            i = rnd.randrange(len(data))
            bad = data[:i] + bytes([data[i] ^ rnd.randrange(1, 256)]) + data[i + 1:]
        if not _entry_rejected(path, bad, caplog):
            assert cache.load(path.parent, KEY) == result, f"case {n}"
        else:
            misses += 1
    assert misses > 150


SWAPS = [None, True, 0, -1, 2.5, float("nan"), "", "\ud800", "x", [], {}, [[]], {"fields": [], "rows": []}]


def _mutate(entry, rnd):
    """Replace, drop or add one randomly chosen node of ``entry`` (in place)."""
    node, parents = entry, []
    while isinstance(node, (dict, list)) and node and (not parents or rnd.random() < 0.8):
        step = rnd.choice(list(node)) if isinstance(node, dict) else rnd.randrange(len(node))
        parents.append((node, step))
        node = node[step]
    container, step = parents[-1]
    action = rnd.randrange(3)
    if action == 0:
        container[step] = rnd.choice(SWAPS)
    elif action == 1:
        del container[step]
    elif isinstance(container, dict):
        container[f"extra{rnd.randrange(9)}"] = rnd.choice(SWAPS)
    else:
        container.insert(step, rnd.choice(SWAPS))


def test_fuzzed_structure_gives_a_miss_or_valid_records(stored, caplog):
    """Type swaps, dropped and added nodes anywhere in the JSON, and byte flips in the JSON text (re-compressed):
    never an exception; whatever is loaded has the declared types."""
    path, data, _ = stored
    text, rnd, misses = gzip.decompress(data), random.Random(12), 0
    for n in range(150):
        if n % 3 == 2:
            i = rnd.randrange(len(text))
            bad = gzip.compress(text[:i] + bytes([text[i] ^ (1 << rnd.randrange(8))]) + text[i + 1:])
        else:
            entry = json.loads(text)
            _mutate(entry, rnd)
            bad = gzip.compress(json.dumps(entry, ensure_ascii=False).encode("utf-8", "surrogatepass"))
        misses += _entry_rejected(path, bad, caplog)
    assert misses > 100


def test_process_cached_processes_a_corrupt_entry_again(sample, tmp_path, caplog):
    corpus, path, result = sample
    first = process_cached(path, corpus, tmp_path)
    (entry,) = (p for p in tmp_path.iterdir() if p.is_file())   # beside parse/, the parse cache
    entry.write_bytes(entry.read_bytes()[:40])
    with caplog.at_level(logging.WARNING):
        again = process_cached(path, corpus, tmp_path)
    assert again.document.status == "ok" and not again.reused and again.claims == len(result.claims)
    warned = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warned) == 1 and str(entry) in warned[0], "one warning naming the file"
    assert cache.load(tmp_path, first.key) == result, "the entry is rebuilt"
    assert process_cached(path, corpus, tmp_path).reused
