"""What rule-file schemas are built from: strict closed entries, the version, and field types that check more than
their Python type (a regular expression that compiles, a qualifier id of the vocabulary, a month)."""
from __future__ import annotations

import re
from typing import Annotated, Literal

from annotated_types import Interval, Len
from pydantic import AfterValidator, BaseModel, ConfigDict, ValidationInfo

class _RegexMarker:
    """Metadata tag of :data:`Regex` (for :func:`describe`)."""


def _compiles(pattern: str) -> str:
    try:
        re.compile(pattern)
    except re.error as exc:
        raise ValueError(f"not a valid regular expression ({exc})") from None
    return pattern


Regex = Annotated[str, AfterValidator(_compiles), _RegexMarker()]


class _QualifierMarker:
    """Metadata tag of :data:`QualifierId` (for :func:`describe`)."""


def _known_qualifier(value: str, info: ValidationInfo) -> str:
    ids = (info.context or {}).get("qualifier_ids")
    if ids and value not in ids:
        raise ValueError(f"not a qualifier of the vocabulary in qualifiers.yaml ({', '.join(ids)})")
    return value


# A canonical qualifier id: checked against qualifiers.yaml's `vocabulary` when validating that file (the
# vocabulary is the data, not a list here; see context()).
QualifierId = Annotated[str, AfterValidator(_known_qualifier), _QualifierMarker()]
Month = Annotated[int, Interval(ge=1, le=12)]
MonthSpan = Annotated[list[Month], Len(2, 2)]
YearSpan = Annotated[list[int], Len(2, 2)]
Hedge = Literal["estimated", "reported", "speculative"]
Position = Literal["prefix", "suffix"]


class Entry(BaseModel):
    """A mapping in a rule file: only the keys listed, values of exactly the declared types."""

    model_config = ConfigDict(extra="forbid", strict=True)


class RuleFile(Entry):
    """Top level of a rule file; every file carries ``version: 1`` (the format this schema describes)."""

    version: Literal[1]
