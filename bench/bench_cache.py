"""Document cache entries: gzip-compressed JSON (pipeline/cache.py) against the pickle it replaced (issue 11).

The DocumentResults of the bundled corpus (corpus/*.txt, each processed once with pipeline.orchestrate.run.process_one) are
stored and loaded again in every format, in the same run, interleaved per round:
  pickle      the earlier entries (pickle.dumps, highest protocol; pickle.loads): the baseline
  json        the entry JSON uncompressed (cache.to_json / cache.from_json: decoded and validated)
  json.gz-N   the same, gzip level N, loaded by cache.load (which reads any level); json.gz-6 is
              cache.store itself (the gzip CRC-32 also catches any corrupted byte)
Every store is an atomic write (temp file, fsync, rename), as in the cache. Times are medians over the rounds,
per document; sizes are the bytes on disk of all entries.
Usage: bench/bench_cache.py [--rounds N] [--corpus DIR]
Writes bench/results/cache.json.
"""
from __future__ import annotations

import argparse
import gzip
import json
import pickle
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from pipeline.orchestrate import cache  # noqa: E402
from pipeline.core import settings
from pipeline.orchestrate.run import process_one  # noqa: E402
from pipeline.core.tables import atomic_write_bytes  # noqa: E402


def _gzip_variant(level: int):
    """(store, load) of gzip level ``level``: cache.store itself at its own level; loaded by cache.load."""
    if level == cache.LEVEL:
        return (lambda path, key, r: cache.store(path.parent, key, r)), lambda path, key: cache.load(path.parent, key)
    return (lambda path, key, r: atomic_write_bytes(path, gzip.compress(cache.to_json(r, key), level, mtime=0)),
            lambda path, key: cache.load(path.parent, key))


# name -> (store(path, key, result), load(path, key))
VARIANTS = {
    "pickle": (lambda path, key, r: atomic_write_bytes(path, pickle.dumps(r, protocol=pickle.HIGHEST_PROTOCOL)),
               lambda path, key: pickle.loads(path.read_bytes())),
    "json": (lambda path, key, r: atomic_write_bytes(path, cache.to_json(r, key)),
             lambda path, key: cache.from_json(path.read_bytes(), key)),
    **{f"json.gz-{level}": _gzip_variant(level) for level in sorted({1, cache.LEVEL, 9})},
}


def one_round(name: str, results: dict, folder: Path) -> tuple[float, float, int]:
    """(store seconds, load seconds, bytes on disk) of all ``results`` in format ``name``."""
    store, load = VARIANTS[name]
    paths = {key: cache.entry_path(folder / name, key) for key in results}
    paths[next(iter(paths))].parent.mkdir(parents=True, exist_ok=True)
    t = time.perf_counter()
    for key, r in results.items():
        store(paths[key], key, r)
    stored = time.perf_counter() - t
    t = time.perf_counter()
    back = {key: load(paths[key], key) for key in results}
    loaded = time.perf_counter() - t
    assert back == results, f"{name} does not round-trip"
    return stored, loaded, sum(p.stat().st_size for p in paths.values())


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=30)
    ap.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    args = ap.parse_args()
    settings.apply()
    paths = sorted(args.corpus.glob("*.txt"))
    results = {f"{i:064x}": process_one(p, args.corpus) for i, p in enumerate(paths)}
    times = {name: ([], []) for name in VARIANTS}
    size = {}
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(args.rounds):
            for name in VARIANTS:
                stored, loaded, size[name] = one_round(name, results, Path(tmp))
                times[name][0].append(stored)
                times[name][1].append(loaded)
    per_doc = {name: [statistics.median(t) / len(results) * 1000 for t in times[name]] for name in VARIANTS}
    base_store, base_load = per_doc["pickle"]
    variants = {name: {"bytes": size[name], "store_ms_per_doc": round(s, 3), "load_ms_per_doc": round(ld, 3),
                       "size_vs_pickle": round(size[name] / size["pickle"], 3),
                       "store_vs_pickle": round(s / base_store, 2), "load_vs_pickle": round(ld / base_load, 2)}
                for name, (s, ld) in per_doc.items()}
    out = {"docs": len(results), "chars": sum(r.document.chars for r in results.values()),
           "records": sum(len(r.sentences) + len(r.claims) + len(r.actors) + len(r.citations)
                          for r in results.values()),
           "rounds": args.rounds, "cache_format": f"json.gz-{cache.LEVEL}", "variants": variants}
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / "cache.json").write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    print(f"{out['docs']} documents, {out['chars']} chars, {out['records']} records, {args.rounds} rounds")
    print(f"{'format':<10} {'bytes':>8} {'size/pickle':>11} {'store ms':>9} {'store/pickle':>12} {'load ms':>8} "
          f"{'load/pickle':>11}")
    for name, v in variants.items():
        print(f"{name:<10} {v['bytes']:>8} {v['size_vs_pickle']:>11} {v['store_ms_per_doc']:>9} "
              f"{v['store_vs_pickle']:>12} {v['load_ms_per_doc']:>8} {v['load_vs_pickle']:>11}")


if __name__ == "__main__":
    main()
