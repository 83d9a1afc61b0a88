"""JA↔EN sentence alignment: a monotonic dynamic-programming aligner in the manner of vecalign/bertalign.

Links are 1–1, 1–2, 2–1 (one sentence rendered as two), 1–0 and 0–1 (a sentence with no counterpart, as in
excerpts that stop at different places and headers only one version carries). A link's score is the cosine of
multilingual sentence embeddings (concatenated for 1–2/2–1) plus a bonus for shared anchors (numbers, years,
actor ids, citation numbers), minus a margin; unmatched sentences score 0, so a pair is linked only when it is
more similar than chance.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from pipeline.crosslang.embed import Embedder

MOVES = ((1, 1), (1, 2), (2, 1), (1, 0), (0, 1))
MARGIN = 0.40          # matched JA/EN pairs score ~0.7 with USE v3, mismatched ≤ 0.35 (issue #4 measurements)
MERGE_PENALTY = 0.0    # a 2–1 must beat its 1–1 on its own evidence; ties go to 1–1 (MOVES order)
ANCHOR_WEIGHT = 0.25


@dataclass
class Link:
    """One alignment link: sentence indices on each side (either may be empty) and its score."""

    ja: list[int]
    en: list[int]
    score: float

    @property
    def kind(self) -> str:
        return f"{len(self.ja)}-{len(self.en)}"


def _anchor_bonus(a: set, b: set) -> float:
    if not a or not b:
        return 0.0
    return ANCHOR_WEIGHT * len(a & b) / len(a | b)


def align(ja: list[str], en: list[str], embedder: Embedder,
          ja_anchors: list[set] | None = None, en_anchors: list[set] | None = None) -> list[Link]:
    """Align two sentence lists monotonically; returns links covering every sentence exactly once."""
    n, m = len(ja), len(en)
    ja_anchors = ja_anchors or [set() for _ in ja]
    en_anchors = en_anchors or [set() for _ in en]
    # embeddings of single sentences and of adjacent pairs (for 2–1 / 1–2 links)
    ja_texts = ja + [ja[i] + ja[i + 1] for i in range(n - 1)]
    en_texts = en + [en[j] + " " + en[j + 1] for j in range(m - 1)]
    ja_vec = embedder.encode(ja_texts) if ja_texts else np.zeros((0, 1))
    en_vec = embedder.encode(en_texts) if en_texts else np.zeros((0, 1))

    def jv(i: int, k: int):  # vector of ja[i:i+k]
        return ja_vec[i] if k == 1 else ja_vec[n + i]

    def ev(j: int, k: int):
        return en_vec[j] if k == 1 else en_vec[m + j]

    def link_score(i: int, j: int, a: int, b: int) -> float:
        if a == 0 or b == 0:
            return 0.0
        sim = float(jv(i, a) @ ev(j, b))
        anchors_a = set().union(*ja_anchors[i:i + a])
        anchors_b = set().union(*en_anchors[j:j + b])
        return sim + _anchor_bonus(anchors_a, anchors_b) - MARGIN - (MERGE_PENALTY if a + b > 2 else 0.0)

    best = np.full((n + 1, m + 1), -np.inf)
    back = np.zeros((n + 1, m + 1, 2), dtype=np.int8)
    best[0, 0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            if i == 0 and j == 0:
                continue
            for a, b in MOVES:
                pi, pj = i - a, j - b
                if pi < 0 or pj < 0 or best[pi, pj] == -np.inf:
                    continue
                s = best[pi, pj] + link_score(pi, pj, a, b)
                if s > best[i, j]:
                    best[i, j] = s
                    back[i, j] = (a, b)
    links: list[Link] = []
    i, j = n, m
    while i > 0 or j > 0:
        a, b = int(back[i, j, 0]), int(back[i, j, 1])
        pi, pj = i - a, j - b
        raw = float(jv(pi, a) @ ev(pj, b)) if a and b else 0.0
        links.append(Link(list(range(pi, i)), list(range(pj, j)), round(raw, 4)))
        i, j = pi, pj
    links.reverse()
    return links


def read_gold(path: Path) -> set[tuple[int, int]]:
    """A hand-made gold alignment (``ja_ids<TAB>en_ids`` per link, ``#`` comments) as (ja, en) sentence pairs."""
    pairs = set()
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            ja, en = line.split("\t")
            pairs |= {(int(a), int(b)) for a in ja.split(";") for b in en.split(";")}
    return pairs
