"""The one qualifier vocabulary (``models/qualifiers.yaml``: ``vocabulary``): the ids a claim's qualifier can
take, which ids say the same thing across languages, and the values each allows."""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

from pipeline.core import rules

APPROX = 0.10   # 約 / about: ±10%


@dataclass(frozen=True)
class Qualifier:
    """One canonical qualifier: its id, its cross-language group and the interval rule for a value."""

    id: str
    group: str
    bounds: str


@lru_cache(maxsize=1)
def vocabulary() -> dict[str, Qualifier]:
    """Every canonical qualifier by id, in the data file's order."""
    return {q["id"]: Qualifier(q["id"], q["group"], q["bounds"]) for q in rules.load("qualifiers")["vocabulary"]}


def ids() -> tuple[str, ...]:
    """The canonical qualifier ids."""
    return tuple(vocabulary())


def same_statement(a: str, b: str) -> bool:
    """Whether two qualifiers say the same thing (one group: 以上 ≈ more than ≈ at least)."""
    va, vb = vocabulary().get(a), vocabulary().get(b)
    return a == b or (va is not None and vb is not None and va.group == vb.group)


def interval(qualifier: str, v: float) -> tuple[float, float]:
    """The values a single value ``v`` with ``qualifier`` allows (an unknown qualifier: exactly ``v``)."""
    bounds = vocabulary().get(qualifier, Qualifier(qualifier, qualifier, "[v, v]")).bounds
    return {"[v, v]": (v, v), "~v": (v * (1 - APPROX), v * (1 + APPROX)), "[v, inf)": (v, math.inf),
            "(v, inf)": (math.nextafter(v, math.inf), math.inf), "[0, v]": (0.0, v),
            "[0, v)": (0.0, math.nextafter(v, 0.0))}.get(bounds, (v, v))
