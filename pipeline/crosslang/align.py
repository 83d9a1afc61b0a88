"""JA↔EN sentence alignment: a monotonic dynamic-programming aligner in the manner of vecalign/bertalign.

Links are 1–1, 1–2, 2–1, 1–3, 3–1 (one long sentence rendered as two or three), 1–0 and 0–1 (a sentence with
no counterpart, as in excerpts that stop at different places and headers only one version carries). A link's
score is the cosine of multilingual sentence embeddings (of the joined sentences for 1–n/n–1) plus a bonus for
shared anchors (numbers, years, actor ids, citation numbers) and for the same paragraph number, minus a margin;
unmatched sentences score 0, so a pair is linked only when it is more similar than chance.

What position alone must not decide (issue 12):
- a sentence that is only a list marker (``3.``, which the English sentencizer splits off its paragraph) or a
  speaker label (``【報道官】``) is aligned together with the sentence it introduces;
- a 1–n/n–1 link must fit better than its best single part, so a short neighbour is not absorbed for free;
- a link is refused when one of its sentences fits the adjacent sentence of the other side clearly better and
  that one fits it best of all (the neighbour, not the position, wins);
- numbered paragraphs with different numbers are linked only on strong evidence, and a link never spans the
  start of a second numbered paragraph on one side.
Sentences left unmatched between two links are looked at once more: mutual best matches among them are
linked at a lower margin (a heading or a freely translated sentence between two sure links). Before the first
link nothing is relaxed (site headers and language links: "Japanese" is close to 外務省 for the embedder);
after the last link only sentences that stop mid-sentence (excerpts cut at different places), not navigation
text ("Back to top", a link to the source site).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from pipeline.crosslang.embed import Embedder

MOVES = ((1, 1), (1, 2), (2, 1), (1, 3), (3, 1), (1, 0), (0, 1))
MAX_SPAN = 3           # the most units on one side of a link (_Side.v)
MARGIN = 0.40          # matched JA/EN pairs score ~0.7 with USE v3, mismatched ≤ 0.35 (issue #4 measurements)
ANCHOR_WEIGHT = 0.25
ITEM_BONUS = 0.15      # both sentences open the same numbered paragraph ("2 今回の…" / "2. This launch…")
ITEM_MISMATCH = 0.30   # both open numbered paragraphs, with different numbers
MERGE_GAIN = 0.03      # a 1–n/n–1 link must beat its best single part by this much
RIVAL_SLACK = 0.05     # "clearly better": by more than this
GAP_MARGIN = 0.25      # margin for mutual best matches among the sentences left between two links
REFUSED = -np.inf

# a sentence that is only a list marker or a speaker label: it belongs to the sentence after it
_LABEL_RE = re.compile(r"^\s*(?:[(（]?\s*(?:\d{1,3}|[０-９]{1,3}|[a-zA-Z]|[ivxIVX]{1,4})\s*[.)．）]|[①-⑳]"
                       r"|[•・●■◆]|【[^】\n]{1,40}】)\s*$")
# the number of the paragraph a sentence opens: "3 …", "3. …", "(3) …", "３．…"; not "3 月" or "1.5 million"
_ITEM_RE = {
    "ja": re.compile(r"^\s*[(（]?\s*(\d{1,2}|[０-９]{1,2})(?:\s*[.．](?![0-9０-９])|\s*[)）]"
                     r"|\s+(?![年月日時分秒人名件回個発基機隻台両社国団万億兆千百十倍割歳度%％かカヵヶケキトドメミ]))"),
    "en": re.compile(r"^\s*\(?(\d{1,2})(?:\.(?!\d)|\))"),
}
_TERMINAL_RE = re.compile(r"[.!?。．！？:：][\"'」』）)\]”’]*\s*$")
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")

Move = tuple[int, int, int, int]   # (i, j, a, b): JA units i..i+a-1 with EN units j..j+b-1


@dataclass
class Link:
    """One alignment link: sentence indices on each side (either may be empty) and its score."""

    ja: list[int]
    en: list[int]
    score: float

    @property
    def kind(self) -> str:
        return f"{len(self.ja)}-{len(self.en)}"


def _unit(v: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(v))
    return v / norm if norm else v


def _anchor_bonus(a: set, b: set) -> float:
    if not a or not b:
        return 0.0
    return ANCHOR_WEIGHT * len(a & b) / len(a | b)


def units(texts: list[str]) -> list[list[int]]:
    """Sentence indices grouped into alignment units: a bare list marker or speaker label joins the next one."""
    out: list[list[int]] = []
    pending: list[int] = []
    for k, text in enumerate(texts):
        pending.append(k)
        if _LABEL_RE.match(text) and k + 1 < len(texts):
            continue
        out.append(pending)
        pending = []
    return out


def item_number(text: str, lang: str) -> int | None:
    """The number of the numbered paragraph a sentence opens (``2 今回の…`` → 2), else None."""
    m = _ITEM_RE[lang].match(text)
    return int(m.group(1).translate(_FULLWIDTH_DIGITS)) if m else None


def is_cut_off(text: str, lang: str) -> bool:
    """Whether a sentence stops mid-sentence (an excerpt's end), rather than being a heading or a link text."""
    text = text.strip()
    if _TERMINAL_RE.search(text):
        return False
    if lang == "en":
        words = text.split()
        return len(words) >= 4 and words[-1][:1].islower()
    return len(text) >= 20 or bool(re.search(r"[、，,]", text))


class _Side:
    """One language's units: texts, embeddings of runs of 1..MAX_SPAN units, anchors, paragraph numbers."""

    def __init__(self, texts: list[str], anchors: list[set], lang: str, embedder: Embedder):
        self.lang = lang
        self.units = units(texts)
        joiner = "" if lang == "ja" else " "
        self.texts = [joiner.join(texts[k] for k in u) for u in self.units]
        n = len(self.units)
        pairs = [joiner.join(self.texts[i:i + 2]) for i in range(n - 1)]
        vec = embedder.encode(self.texts + pairs) if n else np.zeros((0, 1))
        self.vec = np.vstack([vec, *self._triples(vec)]) if n > 2 else vec
        self.anchors = [set().union(*(anchors[k] for k in u)) for u in self.units]
        self.items = [item_number(t, lang) for t in self.texts]

    def _triples(self, vec: np.ndarray) -> list[np.ndarray]:
        """Vectors of runs of three units, from the encoded pairs and singles they contain, weighted by length:
        encoding the runs as well doubles the embedding time (nearly all of the aligner's) for the same links."""
        n, w = len(self), [len(t) for t in self.texts]
        return [_unit(vec[n + i] * (w[i] + w[i + 1]) + vec[i + 2] * w[i + 2] +
                      vec[i] * w[i] + vec[n + i + 1] * (w[i + 1] + w[i + 2])) for i in range(n - 2)]

    def __len__(self) -> int:
        return len(self.units)

    def v(self, i: int, k: int) -> np.ndarray:
        """Vector of units i..i+k-1 (k ≤ MAX_SPAN): singles, then pairs, then triples."""
        n = len(self)
        return self.vec[(0, 0, n, 2 * n - 1)[k] + i]

    def span_anchors(self, i: int, k: int) -> set:
        return set().union(*self.anchors[i:i + k])


class _Scorer:
    """Link scores over two sides; ``single[i, j]`` is the cosine of JA unit i and EN unit j."""

    def __init__(self, ja: _Side, en: _Side):
        self.ja, self.en = ja, en
        n, m = len(ja), len(en)
        self.single = ja.vec[:n] @ en.vec[:m].T if n and m else np.zeros((n, m))
        self.row_best = self.single.max(axis=1) if m else np.zeros(n)
        self.col_best = self.single.max(axis=0) if n else np.zeros(m)

    def sim(self, i: int, j: int, a: int, b: int) -> float:
        return float(self.ja.v(i, a) @ self.en.v(j, b))

    def score(self, i: int, j: int, a: int, b: int) -> float:
        """Score of linking JA units i..i+a-1 with EN units j..j+b-1 (0 for an unmatched unit)."""
        if a == 0 or b == 0:
            return 0.0
        if any(x is not None for x in self.ja.items[i + 1:i + a] + self.en.items[j + 1:j + b]):
            return REFUSED          # a later part opens another numbered paragraph
        sim = float(self.single[i, j]) if a + b == 2 else self.sim(i, j, a, b)
        bonus = _anchor_bonus(self.ja.span_anchors(i, a), self.en.span_anchors(j, b))
        score = sim + bonus + self._item_term(i, j) - MARGIN
        if score <= 0:
            return score            # never better than leaving both unmatched: no need for the checks below
        if a + b > 2 and sim < self.single[i:i + a, j:j + b].max() + MERGE_GAIN:
            return REFUSED
        return REFUSED if self._rivalled(i, j, a, b) else score

    def gap_score(self, i: int, j: int) -> float:
        """Score of single units i and j before the margin (for units left unmatched between links)."""
        return float(self.single[i, j]) + _anchor_bonus(self.ja.anchors[i], self.en.anchors[j]) + \
            self._item_term(i, j)

    def _item_term(self, i: int, j: int) -> float:
        x, y = self.ja.items[i], self.en.items[j]
        if x is None or y is None:
            return 0.0
        return ITEM_BONUS if x == y else -ITEM_MISMATCH

    def _prefers(self, x: int, y: int, other: float) -> bool:
        """Whether JA unit x and EN unit y fit clearly better than ``other`` and each is (nearly) the other's
        best match: then a link giving x or y another partner would be won by position only."""
        s = float(self.single[x, y])
        best = max(self.row_best[x], self.col_best[y])
        return s > other + RIVAL_SLACK and s >= best - RIVAL_SLACK

    def _rivalled(self, i: int, j: int, a: int, b: int) -> bool:
        """Whether a sentence of the link fits the adjacent sentence of the other side clearly better."""
        s, n, m = self.single, len(self.ja), len(self.en)
        if a == 1 and b == 1:
            return any(self._prefers(x, j, s[i, j]) for x in (i - 1, i + 1) if 0 <= x < n) or \
                any(self._prefers(i, y, s[i, j]) for y in (j - 1, j + 1) if 0 <= y < m)
        if b > 1:    # the first EN sentence may belong to JA i-1, the last to JA i+1
            return (i > 0 and self._prefers(i - 1, j, s[i, j])) or \
                (i + 1 < n and self._prefers(i + 1, j + b - 1, s[i, j + b - 1]))
        return (j > 0 and self._prefers(i, j - 1, s[i, j])) or \
            (j + 1 < m and self._prefers(i + a - 1, j + 1, s[i + a - 1, j]))


def _dp(scorer: _Scorer, n: int, m: int) -> list[Move]:
    """The best monotonic path over n JA and m EN units, as moves in document order."""
    best = np.full((n + 1, m + 1), -np.inf)
    back = np.zeros((n + 1, m + 1, 2), dtype=np.int8)
    best[0, 0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            for a, b in MOVES:
                pi, pj = i - a, j - b
                if pi < 0 or pj < 0 or best[pi, pj] == -np.inf:
                    continue
                s = best[pi, pj] + scorer.score(pi, pj, a, b)
                if s > best[i, j]:
                    best[i, j] = s
                    back[i, j] = (a, b)
    moves = []
    i, j = n, m
    while i > 0 or j > 0:
        a, b = int(back[i, j, 0]), int(back[i, j, 1])
        i, j = i - a, j - b
        moves.append((i, j, a, b))
    return moves[::-1]


def _gap_pairs(scorer: _Scorer, ja_units: list[int], en_units: list[int], at_end: bool) -> list[tuple[int, int]]:
    """Mutual best matches among units a gap leaves unmatched, in order; after the last link only sentences
    that stop mid-sentence."""
    cands = sorted(((scorer.gap_score(i, j), i, j) for i in ja_units for j in en_units), reverse=True)
    taken: list[tuple[int, int]] = []
    for score, i, j in cands:
        if score < GAP_MARGIN:
            break
        best = max(max(scorer.gap_score(i, y) for y in en_units), max(scorer.gap_score(x, j) for x in ja_units))
        crossing = any((x - i) * (y - j) <= 0 for x, y in taken)
        cut_off = is_cut_off(scorer.ja.texts[i], "ja") or is_cut_off(scorer.en.texts[j], "en")
        if score >= best and not crossing and (cut_off or not at_end):
            taken.append((i, j))
    return sorted(taken)


def _relink(ja_units: list[int], en_units: list[int], pairs: list[tuple[int, int]]) -> list[Move]:
    """Moves for a gap: its pairs as 1–1 links, every other unit unmatched, in document order."""
    moves: list[Move] = []
    ja_left, en_left = list(ja_units), list(en_units)
    for i, j in [*pairs, (None, None)]:
        while ja_left and (i is None or ja_left[0] < i):
            moves.append((ja_left.pop(0), 0, 1, 0))
        while en_left and (j is None or en_left[0] < j):
            moves.append((0, en_left.pop(0), 0, 1))
        if i is not None:
            moves.append((ja_left.pop(0), en_left.pop(0), 1, 1))
    return moves


def _fill_gaps(moves: list[Move], scorer: _Scorer) -> list[Move]:
    """Look again at the units left unmatched between two links, or after the last one."""
    out: list[Move] = []
    k = 0
    while k <= len(moves):
        end = k
        while end < len(moves) and (moves[end][2] == 0 or moves[end][3] == 0):
            end += 1
        gap = moves[k:end]
        ja_units = [i for i, _, a, _ in gap if a]
        en_units = [j for _, j, _, b in gap if b]
        at_start, at_end = k == 0, end == len(moves)
        pairs = [] if at_start else _gap_pairs(scorer, ja_units, en_units, at_end)
        out += _relink(ja_units, en_units, pairs) if pairs else gap
        out += moves[end:end + 1]
        k = end + 1
    return out


def align(ja: list[str], en: list[str], embedder: Embedder,
          ja_anchors: list[set] | None = None, en_anchors: list[set] | None = None) -> list[Link]:
    """Align two sentence lists monotonically; returns links covering every sentence exactly once."""
    ja_side = _Side(ja, ja_anchors or [set() for _ in ja], "ja", embedder)
    en_side = _Side(en, en_anchors or [set() for _ in en], "en", embedder)
    scorer = _Scorer(ja_side, en_side)
    links = []
    for i, j, a, b in _fill_gaps(_dp(scorer, len(ja_side), len(en_side)), scorer):
        raw = scorer.sim(i, j, a, b) if a and b else 0.0
        links.append(Link([k for u in ja_side.units[i:i + a] for k in u],
                          [k for u in en_side.units[j:j + b] for k in u], round(raw, 4)))
    return links


def read_gold(path: Path) -> set[tuple[int, int]]:
    """A hand-made gold alignment (``ja_ids<TAB>en_ids`` per link, ``#`` comments) as (ja, en) sentence pairs."""
    pairs = set()
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            ja, en = line.split("\t")
            pairs |= {(int(a), int(b)) for a in ja.split(";") for b in en.split(";")}
    return pairs
