"""Build a synthetic Japanese corpus of a given size from the real texts in corpus/ (for benchmarks)."""
from __future__ import annotations

import argparse
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def build(out: Path, target_chars: int = 200_000, docs: int | None = None, unique: bool = False) -> int:
    """Copy the Japanese documents round-robin into ``out`` until ``target_chars`` (or ``docs`` files). With
    ``unique``, each copy starts with a line of its own, so that no two documents share an analysis in the
    parse cache (which is content-addressed: identical texts are parsed once)."""
    sources = sorted((ROOT / "corpus").glob("*.ja.txt"))
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    total, i = 0, 0
    while (docs is None and total < target_chars) or (docs is not None and i < docs):
        src = sources[i % len(sources)]
        text = src.read_text(encoding="utf-8")
        if unique:
            text = f"ベンチマーク文書{i:04d}\n" + text
        (out / f"bench{i:04d}_{src.name}").write_text(text, encoding="utf-8")
        total += len(text)
        i += 1
    return total


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("out", type=Path)
    ap.add_argument("--chars", type=int, default=200_000)
    ap.add_argument("--docs", type=int)
    a = ap.parse_args()
    print(build(a.out, a.chars, a.docs))
