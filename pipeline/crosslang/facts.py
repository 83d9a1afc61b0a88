"""Facts across documents (issue 15): claims that state the same fact, and whether their values agree.

Claims state the same fact when they are about the same event or state, the same actors, the same measured
dimension and the same time:

- *what*: the dimension of a measure (``models/dimensions.yaml``: flight distance, maximum altitude, range, budget,
  a running total…), else the kind of event of a count (``models/events.yaml``: 派遣 / sent / deployed are one);
- *units* compare after conversion (12 nautical miles ≈ 22 km; 発 and missiles); each value is an interval from
  its qualifier (約 ±10%, 以上 → [v, ∞), 数千 → [1000, 9999]), an exact value allowing for its rounding (1,000
  → ±10%, 2,417 → ±0.5);
- *time*: a claim's own time (or the event time the run resolved from the document, ``event_time``). A claim
  whose time is unknown is compared only with its translation: a translation pair's counterparts (claim_matches)
  share a fact, and the same figure restated in one pair is one fact. Claims of different documents are grouped
  only when both times are known and one contains the other.

Values that cannot both be true are a ``conflict`` only between sources that give the very same time; a
document never contradicts itself (two of its claims that cannot both be true are two facts: two missiles of one
day, a part and its whole); a translation that differs from its original is a ``translation_mismatch``, not a
conflict. A fact needs two documents.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import lru_cache

from pipeline.core import rules
from pipeline.core.records import COMPARISON_COLUMNS
from pipeline.crosslang import dimensions as dims
from pipeline.crosslang.fact_time import EXPLICIT, candidates, may_join  # noqa: F401 - run.py asks facts for them
from pipeline.crosslang.fact_values import (converted, fmt, intervals_overlap, same_number, same_time, span_days,
                                            time_interval, value_interval, values_equal)
from pipeline.extract.actors import gazetteer

__all__ = ["Fact", "build", "candidates", "compare", "event_of", "group", "label", "may_join", "same_time",
           "time_interval", "value_interval"]

STATUS_ORDER = {"conflict": 0, "translation_mismatch": 1, "compatible": 2, "agree": 3}
LINKING = ("match", "qualifier_mismatch", "value_mismatch")   # claim_matches statuses that may tie a translation


@lru_cache(maxsize=1)
def _events() -> tuple[dict[str, str], dict[str, dict]]:
    by_predicate, info = {}, {}
    for e in rules.load("events")["events"]:
        info[e["id"]] = e
        for p in e.get("ja", []) + [v.lower() for v in e.get("en", [])]:
            by_predicate[p] = e["id"]
    return by_predicate, info


def event_of(claim: dict) -> str:
    """Event id of a claim row from its predicate (ja lemma or en verb), '' if unknown."""
    return _events()[0].get((claim.get("predicate") or "").lower(), "")


# ----------------------------------------------------------------------------------------- what a claim says

@dataclass
class Profile:
    """What the fact stage reads from one claim row."""

    claim: dict
    dimension: str
    event: str
    family: str
    interval: tuple[float, float]      # in the family's first unit
    time: str
    explicit: bool                     # the time is given by the claim's own sentence (a conflict needs it)
    actors: frozenset
    recipients: frozenset

    @property
    def id(self) -> str:
        return self.claim["claim_id"]

    @property
    def doc(self) -> str:
        return self.claim["doc_id"]

    @property
    def what(self) -> str:
        """The dimension of a measure, else the event of a count ('' if neither is known)."""
        return self.dimension or self.event


def _ids(text) -> frozenset:
    return frozenset(filter(None, (text or "").split(";")))


def _time(claim: dict, dimension: str) -> tuple[str, bool]:
    """The claim's fact time and whether its sentence gives it: a running total's time is the date it was counted
    on (the document's date, when the run gives it); else the event time the run resolved from the document
    (:mod:`pipeline.crosslang.fact_time`), else the claim's own time."""
    info = dims.dimension_info(dimension)
    if info.get("stable"):
        return "", False
    if info.get("as_of"):
        return claim.get("document_date") or "", True
    if "event_time" in claim:
        return claim["event_time"] or "", claim.get("time_source") in EXPLICIT
    return claim.get("time") or "", True


def profiles(claims: list[dict]) -> dict[str, Profile]:
    """A :class:`Profile` per claim row (a row's own ``dimension`` wins over the one read from its sentence)."""
    found = dims.dimensions_of([c for c in claims if "dimension" not in c])
    out = {}
    for c in claims:
        dimension = c["dimension"] if "dimension" in c else found.get(c["claim_id"], "")
        family, factor = dims.unit_family(c.get("unit", ""))
        family = "" if dims.is_generic(c.get("unit", "")) else family   # つ / 個 count whatever the other side does
        lo, hi = value_interval(c)
        out[c["claim_id"]] = Profile(
            c, dimension, dims.dimension_info(dimension).get("event") or event_of(c), family,
            (lo * factor, hi * factor), *_time(c, dimension), _ids(c.get("actor_ids")), _ids(c.get("recipient_ids")))
    return out


# -------------------------------------------------------------------------- translation pairs: the nodes

@dataclass
class Node:
    """Claims that state one figure in one translation pair (or a single claim)."""

    members: list[Profile] = field(default_factory=list)

    @property
    def docs(self) -> set[str]:
        return {p.doc for p in self.members}

    def common(self, attr: str):
        """The one known value of ``attr`` among the members ('' / empty when none or when they disagree)."""
        known = {getattr(p, attr) for p in self.members if getattr(p, attr)}
        return next(iter(known)) if len(known) == 1 else type(next(iter(known), ""))()

    @property
    def time(self) -> str:
        """The most precise known time of the members, if all of them fit it."""
        known = sorted({p.time for p in self.members if time_interval(p.time)}, key=lambda t: (span_days(t), t))
        return known[0] if known and all(same_time(known[0], t) for t in known) else ""


def _pairs_of(matches: list[dict]) -> dict[str, str]:
    """doc_id -> pair_id of the translation pairs named in the claim matches."""
    out = {}
    for m in matches:
        for doc in (m.get("pair_id") or "").split("~"):
            if doc:
                out[doc] = m["pair_id"]
    return out


def _counterparts(m: dict, prof: dict[str, Profile]) -> bool:
    """Whether a claim match ties two claims into one fact: counterparts with comparable units, no different
    dimensions and values that can both be true (a differing translation stays visible in claim_matches)."""
    a, b = prof.get(m.get("ja_claim_id") or ""), prof.get(m.get("en_claim_id") or "")
    return (a is not None and b is not None and m.get("status") in LINKING
            and dims.comparable(a.claim.get("unit", ""), b.claim.get("unit", ""))
            and (not a.dimension or not b.dimension or a.dimension == b.dimension)
            and (m.get("status") != "value_mismatch" or intervals_overlap(a.interval, b.interval)))


def _nodes(prof: dict[str, Profile], matches: list[dict], pair_of: dict[str, str]) -> list[Node]:
    """Translation counterparts joined, then the same figure restated in one pair (an altitude said twice) joined."""
    parent = {cid: cid for cid in prof}

    def root(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for m in matches:
        if _counterparts(m, prof):
            parent[root(m["ja_claim_id"])] = root(m["en_claim_id"])
    nodes: dict[str, Node] = {}
    for cid in sorted(prof):
        nodes.setdefault(root(cid), Node()).members.append(prof[cid])
    return _join_restatements(list(nodes.values()), pair_of)


def _join_restatements(nodes: list[Node], pair_of: dict[str, str]) -> list[Node]:
    """Nodes of one translation pair that give the same figure for the same known dimension or event, with no
    different actors, are one statement made twice (an altitude stated twice in one press conference)."""
    out: list[Node] = []
    groups: dict[tuple, list[Node]] = {}
    for node in nodes:
        key = _restatement_key(node, pair_of)
        if key is None:
            out.append(node)
            continue
        home = next((n for n in groups.get(key, []) if _same_parties(n, node)), None)
        if home is None:
            groups.setdefault(key, []).append(node)
            out.append(node)
        else:
            home.members += node.members
    return out


def _same_parties(a: Node, b: Node) -> bool:
    """No different actors or recipients known on the two sides."""
    return all(not x or not y or x == y for x, y in ((a.common("actors"), b.common("actors")),
                                                       (a.common("recipients"), b.common("recipients"))))


def _restatement_key(node: Node, pair_of: dict[str, str]) -> tuple | None:
    """What must be equal for two nodes of one translation pair to be one statement: the pair, the known
    dimension or event, the unit family and the figure."""
    pairs = {pair_of.get(d) for d in node.docs}
    what = node.common("what")
    first = node.members[0].claim
    if len(pairs) != 1 or None in pairs or not what or converted(first)[0] is None:
        return None
    if not all(same_number(first, p.claim) for p in node.members[1:]):
        return None
    return pairs.pop(), what, node.members[0].family, converted(first)


# ----------------------------------------------------------------------------- across documents: clusters

def _key(node: Node) -> tuple | None:
    """The grouping key of a node across documents, None when it cannot be grouped safely (who, what, unit or
    time unknown). A stable dimension (the breadth of a maritime zone, set by law) needs no time and no actor."""
    what, actors, family = node.common("what"), node.common("actors"), node.common("family")
    if what and family and dims.dimension_info(node.common("dimension")).get("stable"):
        return what, family
    if not what or not actors or not node.time or not family:
        return None
    return what, family, actors, node.common("recipients")


def _fits(node: Node, cluster: list[Node], allow_conflict: bool) -> bool:
    """Whether ``node`` can join ``cluster``: every time fits (a stable dimension has none); one document states a
    fact with one figure (two figures of one document are two facts: two grants, a part and its whole, never a
    conflict); values of two sources that cannot both be true only where ``allow_conflict`` and both sentences
    give the same time."""
    for other in cluster:
        if (node.time or other.time) and not same_time(node.time, other.time):
            return False
        for p in node.members:
            for q in other.members:
                if p.doc == q.doc:
                    if not same_number(p.claim, q.claim):
                        return False
                elif not intervals_overlap(p.interval, q.interval) and not (
                        allow_conflict and node.time == other.time and p.explicit and q.explicit):
                    return False
    return True


def _clusters(nodes: list[Node]) -> list[list[Node]]:
    """Nodes with the same key joined across documents (each into the first cluster it agrees with, else the first
    it can conflict with, else a new one)."""
    buckets: dict[tuple, list[Node]] = {}
    out: list[list[Node]] = []
    for node in nodes:
        key = _key(node)
        if key is None:
            out.append([node])
        else:
            buckets.setdefault(key, []).append(node)
    for members in buckets.values():
        local: list[list[Node]] = []
        for node in sorted(members, key=lambda n: (n.time, sorted(p.id for p in n.members))):
            home = next((cl for cl in local if _fits(node, cl, False)), None) or \
                next((cl for cl in local if _fits(node, cl, True)), None)
            if home is None:
                local.append([node])
            else:
                home.append(node)
        out += local
    return out


@dataclass
class Fact:
    """Claims that state one fact, with what the grouping knew of them."""

    fact_id: str
    claims: list[dict]
    profiles: list[Profile] = field(default_factory=list)
    pair_of: dict[str, str] = field(default_factory=dict)    # doc_id -> translation pair
    times: dict[str, str] = field(default_factory=dict)      # claim_id -> the time of its translation node


def group(claims: list[dict], matches: list[dict] | None = None) -> list[Fact]:
    """Facts (claims of at least two documents) from claim rows; ``matches`` are claim_matches rows that tie
    translations together."""
    matches = matches or []
    prof = profiles(claims)
    pair_of = _pairs_of(matches)
    facts = []
    for cluster in _clusters(_nodes(prof, matches, pair_of)):
        members = [p for node in cluster for p in node.members]
        if len({p.doc for p in members}) < 2:
            continue
        ids = sorted(p.id for p in members)
        facts.append(Fact("f" + hashlib.sha1("|".join(ids).encode()).hexdigest()[:12], [p.claim for p in members],
                          members, pair_of, {p.id: node.time for node in cluster for p in node.members}))
    return sorted(facts, key=lambda f: f.fact_id)


# -------------------------------------------------------------------------------------- status and reasons

def _describe(c: dict) -> str:
    value = "?" if c.get("value") in (None, "") else fmt(c["value"])
    if c.get("value_max") not in (None, ""):
        value += f"-{fmt(c['value_max'])}"
    return f"{c['surface']} ({c.get('qualifier')} {value}{', ' + c['time'] if c.get('time') else ''}, {c['doc_id']})"


REASON_EXAMPLES = 3   # a reason names this many claims and counts the rest (issue 11: cells of 26,698 characters)


def _some(claims: list[dict]) -> str:
    """A short, bounded description of ``claims``: the first few, distinct, and how many more."""
    described = list(dict.fromkeys(_describe(o) for o in claims))
    text = "; ".join(described[:REASON_EXAMPLES])
    rest = len(claims) - min(len(described), REASON_EXAMPLES)
    return f"{text} and {rest} more claim(s)" if rest > 0 else text


def _relation(p: Profile, q: Profile, fact: Fact) -> str:
    """How claim ``q`` stands to ``p``: same, compatible, translation (its translation differs), conflict."""
    if values_equal(p, q):
        return "same"
    pair = fact.pair_of.get(p.doc)
    if pair is not None and pair == fact.pair_of.get(q.doc):
        return "translation" if p.claim.get("lang") != q.claim.get("lang") else "compatible"
    if intervals_overlap(p.interval, q.interval) or p.doc == q.doc:
        return "compatible"
    same = fact.times.get(p.id) and fact.times.get(p.id) == fact.times.get(q.id)
    return "conflict" if same and p.explicit and q.explicit else "compatible"


def _row_status(p: Profile, fact: Fact) -> tuple[str, str]:
    """Status and reason of one claim of a fact."""
    others = [q for q in fact.profiles if q is not p]
    by = {}
    for q in others:
        by.setdefault(_relation(p, q, fact), []).append(q.claim)
    if "conflict" in by:
        return "conflict", "cannot both be true with " + _some(by["conflict"])
    if "translation" in by:
        return "translation_mismatch", "the translation says otherwise: " + _some(by["translation"])
    if "compatible" in by:
        return "compatible", "values overlap given qualifiers: " + _some(by["compatible"])
    return "agree", "same value and qualifier as the other sources"


def compare(fact: Fact) -> tuple[str, list[dict]]:
    """Fact status (conflict, translation_mismatch, compatible, agree) and one comparison row per claim."""
    rows, statuses = [], []
    for p in fact.profiles:
        status, reason = _row_status(p, fact)
        statuses.append(status)
        rows.append({"fact_id": fact.fact_id, **{k: p.claim.get(k, "") for k in COMPARISON_COLUMNS if k not in
                                                   ("fact_id", "status", "reason", "dimension")},
                     "dimension": p.dimension, "status": status, "reason": reason})
    return min(statuses, key=STATUS_ORDER.__getitem__), rows


# ---------------------------------------------------------------------------------------------- labels

def _names(ids: str | frozenset, lang: str) -> str:
    g = gazetteer()
    out = []
    for i in sorted(_ids(ids) if isinstance(ids, str) else ids):
        e = g.entries.get(i)
        out.append((e.name_ja if lang == "ja" else e.name_en) if e else i)
    return "・".join(out) if lang == "ja" else ", ".join(out)


def _common(fact: Fact, attr: str):
    return Node(fact.profiles).common(attr)


def fact_time(fact: Fact) -> str:
    """The time of a fact: the most precise time its claims agree on ('' if unknown)."""
    return Node(fact.profiles).time


def fact_dimension(fact: Fact) -> str:
    """What the fact measures (a dimensions.yaml id; '' for a count of an event)."""
    return _common(fact, "dimension")


def label(fact: Fact) -> tuple[str, str]:
    """Readable labels in Japanese and English: actors → recipients: event — dimension (unit, time)."""
    event = _events()[1].get(_common(fact, "event"), {})
    dim = dims.dimension_info(fact_dimension(fact))
    unit, time = _unit_of(fact), fact_time(fact)
    out = []
    for lang, unknown_who, unknown_what in (("ja", "（主体不明）", "（出来事不明）"), ("en", "(actor unknown)", "(event unknown)")):
        who = _names(_common(fact, "actors"), lang) or unknown_who
        rec = _names(_common(fact, "recipients"), lang)
        what = " — ".join(filter(None, (event.get(f"label_{lang}"), dim.get(f"label_{lang}")))) or unknown_what
        out.append(f"{who}{' → ' + rec if rec else ''}: {what} ({unit}{', ' + time if time else ''})")
    return out[0], out[1]


def _unit_of(fact: Fact) -> str:
    """The unit the fact's values are given in: its unit family's first unit, else the claims' unit."""
    family = _common(fact, "family")
    units = [u for u, (f, factor) in dims.dimension_rules().families.items() if f == family and factor == 1]
    return units[0] if units else next((c["unit"] for c in fact.claims if c.get("unit")), "")


def _value_range(fact: Fact) -> str:
    values = []
    for p in fact.profiles:
        factor = dims.unit_family(p.claim.get("unit", ""))[1]
        values += [float(v) * factor for v in (p.claim.get("value"), p.claim.get("value_max")) if v not in (None, "")]
    return f"{fmt(min(values))}–{fmt(max(values))}" if values else ""


def build(claims: list[dict], matches: list[dict] | None = None) -> tuple[list[dict], list[dict]]:
    """facts.csv and comparisons.csv rows, conflicts first."""
    facts, comparisons = [], []
    for fact in group(claims, matches):
        status, rows = compare(fact)
        ja, en = label(fact)
        facts.append({"fact_id": fact.fact_id, "label_ja": ja, "label_en": en, "dimension": fact_dimension(fact),
                      "time": fact_time(fact), "sources": len({c["doc_id"] for c in fact.claims}),
                      "claims": len(fact.claims), "value_range": _value_range(fact), "unit": _unit_of(fact),
                      "status": status})
        comparisons += rows
    facts.sort(key=lambda f: (STATUS_ORDER[f["status"]], f["fact_id"]))
    rank = {f["fact_id"]: i for i, f in enumerate(facts)}
    comparisons.sort(key=lambda r: (rank[r["fact_id"]], r["doc_id"], r["claim_id"]))
    return facts, comparisons
