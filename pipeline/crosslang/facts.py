"""Facts across documents: claims that state the same fact, and whether their values agree.

Claims are grouped by kind of event (``models/events.yaml``: 派遣 / sent / deployed are one event), unit,
actor ids and recipient ids; within a group, claims whose times overlap (or are unknown) must have values that
can both be true, and claims for different times are kept together only where their qualifiers allow
(1万人以上 in 2024 and 1万1000人以上 in 2025); otherwise they are separate facts. A translation pair's matched
claims always share a fact. Each value becomes an interval from its qualifier (約 ±10%, 以上 → [v, ∞), 数千 →
[1000, 9999]) and two claims conflict when their intervals are disjoint for the same time.
"""
from __future__ import annotations

import calendar
import hashlib
import math
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from pipeline.core import qualifiers, rules
from pipeline.core.records import COMPARISON_COLUMNS
from pipeline.extract.actors import gazetteer




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


def _num(v) -> float | None:
    return None if v in (None, "") else float(v)


def value_interval(claim: dict) -> tuple[float, float]:
    """The values a claim allows, from its value, value_max and qualifier."""
    v, vmax, q = _num(claim.get("value")), _num(claim.get("value_max")), claim.get("qualifier", "exact")
    if v is None:   # vague: 数千 → [1000, 9999], several thousand → same; unknown scale → anything
        scales = rules.load("qualifiers").get("vague_scales", {})
        scale = next((m for k, m in sorted(scales.items(), key=lambda kv: -kv[1])
                      if k in (claim.get("surface") or "")), None)
        return (scale, scale * 10 - 1) if scale else (0.0, math.inf)
    if vmax is not None:   # a range: its own bounds, widened when approximate (約1,000~1,500)
        return (qualifiers.interval(q, v)[0], qualifiers.interval(q, vmax)[1]) if q == "approx" else (v, vmax)
    return qualifiers.interval(q, v)


def time_interval(time: str) -> tuple[date, date] | None:
    """ISO 8601 time of a claim (2024, 2024-03, 2025-01/2025-03, 2023-09/..) as a date interval; None if unknown."""
    if not time:
        return None
    start, _, end = time.partition("/")
    try:
        lo = _bound(start, first=True) if start and start != ".." else date.min
        hi = _bound(end or start, first=False) if (end or start) != ".." else date.max
    except ValueError:
        return None
    return lo, hi


def _bound(s: str, first: bool) -> date:
    parts = [int(p) for p in s.split("-")]
    y = parts[0]
    m = parts[1] if len(parts) > 1 else (1 if first else 12)
    d = parts[2] if len(parts) > 2 else (1 if first else calendar.monthrange(y, m)[1])
    return date(y, m, d)


def _overlap(a, b) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def same_time(t1: str, t2: str) -> bool:
    """True when two claim times overlap or either is unknown."""
    a, b = time_interval(t1), time_interval(t2)
    return a is None or b is None or _overlap(a, b)


def _fits(claim: dict, members: list[dict]) -> bool:
    iv = value_interval(claim)
    for other in members:
        if not same_time(claim.get("time", ""), other.get("time", "")) and not _overlap(iv, value_interval(other)):
            return False   # different times: together only where the qualifiers allow both values
    return True


def may_join(claim: dict, matched_ids: set[str]) -> bool:
    """Whether a claim row can belong to a fact: its event, actors and unit are known, or a translation
    match ties it to another claim (:func:`group`). A run keeps only these rows across documents."""
    return claim["claim_id"] in matched_ids or bool(event_of(claim) and claim.get("actor_ids") and claim.get("unit"))


@dataclass
class Fact:
    fact_id: str
    claims: list[dict]


def group(claims: list[dict], matches: list[dict] | None = None) -> list[Fact]:
    """Facts (≥ 2 claims) from claim rows; ``matches`` are claim_matches rows that tie translations together."""
    buckets: dict[tuple, list[dict]] = {}
    for c in claims:
        ev = event_of(c)
        if not ev or not c.get("actor_ids") or not c.get("unit"):
            continue   # who did what is unknown: nothing to compare it with safely
        key = (ev, c["unit"], frozenset(c["actor_ids"].split(";")), frozenset(filter(None, (c.get("recipient_ids") or "").split(";"))))
        buckets.setdefault(key, []).append(c)
    clusters: list[list[dict]] = []
    for members in buckets.values():
        local: list[list[dict]] = []
        for c in sorted(members, key=lambda c: (c.get("time") or "", c["claim_id"])):
            home = next((cl for cl in local if _fits(c, cl)), None)
            if home is None:
                local.append([c])
            else:
                home.append(c)
        clusters += local
    # a translation pair's matched claims belong to one fact
    by_claim = {c["claim_id"]: cl for cl in clusters for c in cl}
    all_claims = {c["claim_id"]: c for c in claims}
    for m in matches or []:
        a, b = m.get("ja_claim_id"), m.get("en_claim_id")
        if not a or not b or m.get("status") == "unit_mismatch":
            continue
        ca, cb = by_claim.get(a), by_claim.get(b)
        if ca is None and cb is None:
            new = [all_claims[a], all_claims[b]] if a in all_claims and b in all_claims else None
            if new:
                clusters.append(new)
                by_claim[a] = by_claim[b] = new
        elif ca is None or cb is None:
            home, missing = (cb, a) if ca is None else (ca, b)
            if missing in all_claims:
                home.append(all_claims[missing])
                by_claim[missing] = home
        elif ca is not cb:
            ca.extend(cb)
            for c in cb:
                by_claim[c["claim_id"]] = ca
            clusters = [cl for cl in clusters if cl is not cb]
    facts = []
    for cl in clusters:
        if len(cl) < 2:
            continue
        ids = sorted(c["claim_id"] for c in cl)
        facts.append(Fact("f" + hashlib.sha1("|".join(ids).encode()).hexdigest()[:12], cl))
    return sorted(facts, key=lambda f: f.fact_id)


def _describe(c: dict) -> str:
    value = "?" if c.get("value") in (None, "") else str(c["value"])
    if c.get("value_max") not in (None, ""):
        value += f"-{c['value_max']}"
    return f"{c['surface']} ({c.get('qualifier')} {value}{', ' + c['time'] if c.get('time') else ''}, {c['doc_id']})"


REASON_EXAMPLES = 3   # a reason names this many claims and counts the rest (issue 11: cells of 26,698 characters)


def _some(claims: list[dict]) -> str:
    """A short, bounded description of ``claims``: the first few, distinct, and how many more."""
    described = list(dict.fromkeys(_describe(o) for o in claims))
    text = "; ".join(described[:REASON_EXAMPLES])
    rest = len(claims) - min(len(described), REASON_EXAMPLES)
    return f"{text} and {rest} more claim(s)" if rest > 0 else text


def compare(fact: Fact) -> tuple[str, list[dict]]:
    """Fact status (agree/compatible/conflict) and one comparison row per claim, with the reason."""
    rows, statuses = [], []
    for c in fact.claims:
        others = [o for o in fact.claims if o is not c]
        conflicts = [o for o in others if same_time(c.get("time", ""), o.get("time", ""))
                     and not _overlap(value_interval(c), value_interval(o))]
        equal = all((o.get("value"), o.get("value_max"), o.get("qualifier")) ==
                    (c.get("value"), c.get("value_max"), c.get("qualifier")) for o in others)
        if conflicts:
            status, reason = "conflict", "cannot both be true with " + _some(conflicts)
        elif equal:
            status, reason = "agree", "same value and qualifier as the other sources"
        else:
            status, reason = "compatible", "values overlap given qualifiers and times"
        statuses.append(status)
        rows.append({"fact_id": fact.fact_id, **{k: c.get(k, "") for k in COMPARISON_COLUMNS if k not in
                                                   ("fact_id", "status", "reason")}, "status": status, "reason": reason})
    overall = "conflict" if "conflict" in statuses else "agree" if all(s == "agree" for s in statuses) else "compatible"
    return overall, rows


def label(fact: Fact) -> tuple[str, str]:
    """Readable labels in Japanese and English: actors → recipients: event (unit). Taken from the first claim
    whose event is known: a translation match can bring claims without one into a fact (issue 11: a fact
    whose first claim had no event crashed the run)."""
    c = next((c for c in fact.claims if event_of(c)), fact.claims[0])
    g = gazetteer()
    ev = _events()[1].get(event_of(c), {"label_ja": "（出来事不明）", "label_en": "(event unknown)"})

    def names(ids: str, lang: str) -> str:
        out = []
        for i in filter(None, (ids or "").split(";")):
            e = g.entries.get(i)
            out.append((e.name_ja if lang == "ja" else e.name_en) if e else i)
        return "・".join(out) if lang == "ja" else ", ".join(out)

    unit = _unit_of(fact)
    rec_ja, rec_en = names(c.get("recipient_ids"), "ja"), names(c.get("recipient_ids"), "en")
    who_ja, who_en = names(c.get("actor_ids"), "ja") or "（主体不明）", names(c.get("actor_ids"), "en") or "(actor unknown)"
    ja = f"{who_ja}{' → ' + rec_ja if rec_ja else ''}: {ev['label_ja']} ({unit})"
    en = f"{who_en}{' → ' + rec_en if rec_en else ''}: {ev['label_en']} ({unit})"
    return ja, en


def _unit_of(fact: Fact) -> str:
    return next((c["unit"] for c in fact.claims if c.get("unit")), "")


def build(claims: list[dict], matches: list[dict] | None = None) -> tuple[list[dict], list[dict]]:
    """facts.csv and comparisons.csv rows, conflicts first."""
    facts, comparisons = [], []
    for fact in group(claims, matches):
        status, rows = compare(fact)
        ja, en = label(fact)
        values = [v for c in fact.claims for v in (_num(c.get("value")), _num(c.get("value_max"))) if v is not None]
        fmt = lambda v: str(int(v)) if float(v).is_integer() else str(v)  # noqa: E731
        facts.append({"fact_id": fact.fact_id, "label_ja": ja, "label_en": en,
                      "sources": len({c["doc_id"] for c in fact.claims}), "claims": len(fact.claims),
                      "value_range": f"{fmt(min(values))}–{fmt(max(values))}" if values else "",
                      "unit": _unit_of(fact), "status": status})
        comparisons += rows
    order = {"conflict": 0, "compatible": 1, "agree": 2}
    facts.sort(key=lambda f: (order[f["status"]], f["fact_id"]))
    rank = {f["fact_id"]: i for i, f in enumerate(facts)}
    comparisons.sort(key=lambda r: (rank[r["fact_id"]], r["doc_id"], r["claim_id"]))
    return facts, comparisons
