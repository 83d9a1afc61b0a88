"""Values and times of claims as intervals, for comparing claims across sources (:mod:`pipeline.crosslang.facts`)."""
from __future__ import annotations

import calendar
import math
from datetime import date

from pipeline.core import qualifiers, rules
from pipeline.crosslang.dimensions import unit_family

ROUNDING = 0.49    # an exact figure stands for anything that rounds to it: ± just under half its last digit …
MAX_ROUNDING = 0.10  # … but never more than ±10% (1,000 reported for 962; 11,000 and 12,000 stay apart)


def num(v) -> float | None:
    """A table cell as a number (None when empty)."""
    return None if v in (None, "") else float(v)


def fmt(v) -> str:
    """A number as a table writes it (11000, 43.5)."""
    f = float(v)
    return str(int(f)) if f.is_integer() else str(f)


def rounding(v: float) -> float:
    """How far the true value may be from ``v`` written as an exact figure: just under half a unit of its last
    significant digit (2,417 → 0.49; 4,321.5 → 0.049; 3,200 → 49), at most 10% of it."""
    if v == 0:
        return 0.0
    if float(v).is_integer():
        digits = str(int(abs(v)))
        place = 10 ** (len(digits) - len(digits.rstrip("0")))
    else:
        place = 10 ** -len(f"{abs(v):.9f}".rstrip("0").split(".")[1])
    return min(ROUNDING * place, MAX_ROUNDING * abs(v))


def _vague(claim: dict) -> tuple[float, float]:
    """数千 → [1000, 9999], several thousand → the same; an unknown scale allows anything."""
    scales = rules.load("qualifiers").get("vague_scales", {})
    scale = next((m for k, m in sorted(scales.items(), key=lambda kv: -kv[1]) if k in (claim.get("surface") or "")),
                 None)
    return (scale, scale * 10 - 1) if scale else (0.0, math.inf)


def value_interval(claim: dict) -> tuple[float, float]:
    """The values a claim allows, in its own unit, from its value, value_max and qualifier."""
    v, vmax, q = num(claim.get("value")), num(claim.get("value_max")), claim.get("qualifier") or "exact"
    if v is None:
        return _vague(claim)
    if vmax is not None:   # a range: its own bounds, widened when approximate (約1,000~1,500)
        return (qualifiers.interval(q, v)[0], qualifiers.interval(q, vmax)[1]) if q == "approx" else (v, vmax)
    lo, hi = qualifiers.interval(q, v)
    if lo == hi:
        return lo - rounding(v), hi + rounding(v)
    return lo, hi


def intervals_overlap(a: tuple[float, float], b: tuple[float, float]) -> bool:
    """Whether two value (or date) intervals share a point."""
    return a[0] <= b[1] and b[0] <= a[1]


def converted(claim: dict) -> tuple[float | None, float | None]:
    """(value, value_max) in the first unit of the claim's unit family."""
    factor = unit_family(claim.get("unit", ""))[1]
    v, vmax = num(claim.get("value")), num(claim.get("value_max"))
    return (None if v is None else round(v * factor, 9)), (None if vmax is None else round(vmax * factor, 9))


def same_number(a: dict, b: dict) -> bool:
    """Whether two claim rows give the same figure after unit conversion (一発 = one missile; vague: never)."""
    va, vb = converted(a), converted(b)
    return va[0] is not None and va == vb


def values_equal(p, q) -> bool:
    """Whether two profiles (anything with ``.claim``) say exactly the same: the same figure and qualifier."""
    return same_number(p.claim, q.claim) and qualifiers.same_statement(p.claim.get("qualifier") or "exact",
                                                                       q.claim.get("qualifier") or "exact")


# --------------------------------------------------------------------------------------------------- times

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


def span_days(time: str) -> int:
    """Length of a time in days (how precise it is); unknown times are the least precise."""
    iv = time_interval(time)
    return (iv[1] - iv[0]).days if iv else 10 ** 7


def same_time(t1: str, t2: str) -> bool:
    """Whether two known times can be the time of one fact: one contains the other (2017 and 2017-07-04, not
    2017-07-04 and 2017-07-28). An open period (2023-09/.., since September 2023) is the same only as itself: a
    running count since a date is not the count of a year."""
    a, b = time_interval(t1), time_interval(t2)
    if a is None or b is None:
        return False
    if ".." in t1 or ".." in t2:
        return t1 == t2
    return (a[0] <= b[0] and b[1] <= a[1]) or (b[0] <= a[0] and a[1] <= b[1])
