"""Schemas of the rule files in ``models/``: one pydantic model per file, checked by :func:`pipeline.core.rules.load`.

Each model describes a file as the code reads it: keys the code reads with ``data["key"]`` are required, keys it
reads with ``data.get("key", default)`` are optional, and every entry is closed (``extra="forbid"``) because no
reader looks at keys it does not know, so an unknown key is a typo or a rule the code does not implement.
Validation is strict (no coercion): ``"3"`` where a number is expected, or ``3`` where a string is, is an error,
not converted; a rule file should say what it means (the loader reads only true / false as booleans, so unquoted
words such as On or No stay strings). Regular expressions are compiled here, so a broken pattern is reported
with its file and key rather than as a ``re.error`` inside an extractor. Qualifier ids are checked against the
``vocabulary`` of qualifiers.yaml when that file is validated (:func:`context`).

:data:`SCHEMAS` maps a rule file name (``units`` for ``models/units.yaml``) to its model; a rule file without a
schema cannot be loaded. :func:`explain` turns a :class:`pydantic.ValidationError` into one readable line per
problem: path into the data (with each entry's id), field, what was expected and what was found.
"""
from __future__ import annotations

import datetime as dt
import re
import types
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from annotated_types import Interval, Len
from pydantic import AfterValidator, BaseModel, ConfigDict, ValidationError, ValidationInfo

# ----------------------------------------------------------------------------------------------- field types


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


# --------------------------------------------------------------------------------------- units.yaml

class QuantityExample(Entry):
    """An example the quantity tests run through the extractor (tests/test_rules_data.py, test_quantities_en.py)."""

    text: str
    value: int | float | str          # "" for a vague quantity (数百万発)
    qualifier: QualifierId
    object: str = ""


class Unit(Entry):
    """pipeline.core.rules.quantity_rules, pipeline.lang.en.quantities: id read with [], the rest with .get."""

    id: str
    ja: list[str] = []
    en: list[str] = []
    generic: list[str] = []
    objects: list[str] = []
    examples: list[QuantityExample] = []
    en_examples: list[QuantityExample] = []


class UnitsFile(RuleFile):
    units: list[Unit] = []


# ----------------------------------------------------------------------------------- qualifiers.yaml

class QualifierTerm(Entry):
    """pipeline.core.qualifiers.vocabulary: id, group and bounds read with []."""

    id: str
    group: str                        # qualifiers of one group say the same thing across languages
    bounds: str                       # interval rule: "[v, v]", "~v", "[v, inf)", … (pipeline.core.qualifiers)


class JaQualifier(Entry):
    surface: str
    position: Position
    qualifier: QualifierId
    strength: Literal["tight", "loose"] = "tight"
    en: str = ""                      # English gloss (documentation only)


class EnQualifier(Entry):
    surface: str
    position: Position
    qualifier: QualifierId


class VaguePattern(Entry):
    pattern: Regex
    example: str = ""


class QualifierExample(Entry):
    text: str
    qualifier: QualifierId


class QualifiersFile(RuleFile):
    vocabulary: list[QualifierTerm] = []
    qualifiers: list[JaQualifier] = []
    range_separators: list[str] = []
    vague_patterns: list[VaguePattern] = []
    examples: list[QualifierExample] = []
    en_qualifiers: list[EnQualifier] = []
    en_range_separators: list[str] = []
    en_vague_patterns: list[VaguePattern] = []
    en_examples: list[QualifierExample] = []
    vague_scales: dict[str, int] = {}


# ------------------------------------------------------------------------------------- numerals.yaml

class NumeralExample(Entry):
    text: str
    claims: int


class NumeralsFile(RuleFile):
    ordinal_prefixes: list[str] = []
    date_counters: list[str] = []
    name_glue: Regex
    section_number: Regex
    one_of: Regex
    duration_after_year: list[str] = []
    transparent_before_numeral: list[str] = []
    object_stop_suffixes: list[str] = []
    object_connectors: list[str] = []
    object_trailers: list[str] = []
    examples: list[NumeralExample] = []


# ----------------------------------------------------------------------------------- numbers_en.yaml

class NumbersEnFile(RuleFile):
    number_words: dict[str, int]
    scales: dict[str, int]
    scale_abbreviations: dict[str, int] = {}
    ordinal_before: list[str] = []
    name_glue: Regex
    measure_units: list[str] = []
    currency_units: list[str] = []
    of_object_units: list[str] = []
    no_adjective_units: list[str] = []
    max_adjectives: int = 2
    stopwords: list[str] = []
    object_determiners: list[str] = []
    max_object_words: int = 4
    one_not_after: list[str] = []


# ----------------------------------------------------------------------------------------- time.yaml

class Era(Entry):
    name: str
    first_year: int
    example: str                      # tests/test_rules_data.py::test_time_words_have_examples


class RelativeYear(Entry):
    surface: str
    offset: int
    example: str


class AnaphoricYear(Entry):
    surface: str
    example: str = ""


class TimeFile(RuleFile):
    eras: list[Era] = []
    relative_years: list[RelativeYear] = []
    anaphoric_years: list[AnaphoricYear] = []
    open_start: list[str] = []
    open_end: list[str] = []


# -------------------------------------------------------------------------------------- time_en.yaml

class YearWordEn(Entry):
    surface: str
    offset: int = 0
    example: str = ""


class RelativeYearEn(Entry):
    surface: str
    offset: int
    example: str = ""


class TimeEnFile(RuleFile):
    months: dict[str, Month]
    bare_month_after: list[str] = []
    open_start_before: list[str] = []
    open_start_after: list[str] = []
    open_end_before: list[str] = []
    modifiers: list[str] = []
    anaphoric_years: list[YearWordEn] = []
    relative_years: list[RelativeYearEn] = []
    quarters: dict[str, MonthSpan] = {}
    year_range: YearSpan = [1900, 2099]


# ------------------------------------------------------------------------------------- actors.yaml

class Actor(Entry):
    """pipeline.extract.actors.Gazetteer (id, type with []; names and aliases with .get), tests/test_actors.py
    (examples). tests/test_gazetteer_data.py checks the content further (types, id forms, surfaces)."""

    id: str
    type: str
    name_ja: str = ""
    name_en: str = ""
    aliases_ja: list[str] = []
    aliases_en: list[str] = []
    compound_ja: list[str] = []
    examples: list[str]


class ActorsFile(RuleFile):
    description: str = ""
    actors: list[Actor]


class NerExample(Entry):
    text: str
    label: str


class NerLabelsFile(RuleFile):
    labels: dict[str, str] = {}       # GiNZA label → actor type
    examples: list[NerExample] = []


# --------------------------------------------------------------------------------- instruments.yaml

class Instrument(Entry):
    """pipeline.extract.citations._Rules (id, type with []; the rest with .get)."""

    id: str
    type: str
    name_ja: str = ""
    name_en: str = ""
    aliases_ja: list[str] = []
    aliases_en: list[str] = []
    abbrev: list[str] = []
    date: dt.date | int | str = ""    # YAML reads 2024-06-19 as a date; a year alone as an int
    parties: list[str] = []
    examples: list[str] = []


class InstrumentsFile(RuleFile):
    description: str = ""
    instruments: list[Instrument]


# --------------------------------------------------------------------------- citation_patterns.yaml

class SuffixJa(Entry):
    suffix: str
    kind: str
    type: str
    strong: bool                      # read with [] for quoted names (CitationFinder._quoted)


class SuffixEn(Entry):
    suffix: str
    kind: str
    type: str


class AnaphorJa(Entry):
    surface: str
    kinds: list[str]


class AnaphorEn(Entry):
    pattern: Regex
    kinds: list[str]


class ExpectedCitation(Entry):
    """Expected fields of a found citation: any field of ``CitationMatch.to_dict()``."""

    surface: str
    start: int = 0
    end: int = 0
    instrument_id: str = ""
    instrument_name: str = ""
    instrument_name_ja: str = ""
    instrument_name_en: str = ""
    article: str = ""
    paragraph: str = ""
    number: str = ""
    year: str = ""
    resolved_from: str = ""
    type: str = ""


class CitationExample(Entry):
    text: str
    citations: list[ExpectedCitation]


class CitationPatternsFile(RuleFile):
    description: str = ""
    suffixes_ja: list[SuffixJa]
    suffixes_en: list[SuffixEn]
    type_kinds: dict[str, list[str]]
    trailers_ja: list[str] = []
    generic_ja: list[str] = []
    resolution_bodies_ja: list[str] = []
    en_name_stopwords: list[str] = []
    anaphors_ja: list[AnaphorJa]
    anaphors_en: list[AnaphorEn]
    en_anaphor_blocker: Regex
    article_after_ja: Regex
    paragraph_after_ja: Regex
    article_before_en: Regex
    article_after_en: Regex
    paragraph_before_en: Regex
    resolution_ja: Regex
    resolution_ja_more: Regex
    resolution_en: Regex
    resolution_en_more: Regex
    resolution_en_not_after: Regex
    non_unsc_bodies: list[str] = []
    examples: list[CitationExample] = []


# ------------------------------------------------------------------------------ hedges, roles, events

class Cue(Entry):
    surface: str
    hedge: Hedge
    example: str                      # tests/test_roles.py runs every cue's example


class EnCue(Entry):
    surface: str
    hedge: Hedge
    example: str = ""


class Attribution(Entry):
    surface: str
    example: str = ""


class HedgesFile(RuleFile):
    cues: list[Cue]
    attribution: list[Attribution] = []
    en_cues: list[EnCue] = []
    en_attribution: list[Attribution] = []


class RoleExample(Entry):
    text: str
    recipients: list[str]


class RolesFile(RuleFile):
    not_recipient_next: list[str] = []
    examples: list[RoleExample] = []


class Event(Entry):
    """pipeline.crosslang.facts (id, label_ja, label_en with []), pipeline.lang.en.roles (en)."""

    id: str
    label_ja: str
    label_en: str
    ja: list[str] = []
    en: list[str] = []
    examples: list[str] = []


class EventsFile(RuleFile):
    events: list[Event]


SCHEMAS: dict[str, type[RuleFile]] = {
    "units": UnitsFile,
    "qualifiers": QualifiersFile,
    "numerals": NumeralsFile,
    "numbers_en": NumbersEnFile,
    "time": TimeFile,
    "time_en": TimeEnFile,
    "actors": ActorsFile,
    "ner_labels": NerLabelsFile,
    "instruments": InstrumentsFile,
    "citation_patterns": CitationPatternsFile,
    "hedges": HedgesFile,
    "roles": RolesFile,
    "events": EventsFile,
}


def context(name: str, data: Any) -> dict:
    """Validation context of one file: the qualifier ids of qualifiers.yaml's vocabulary (when it has one)."""
    if name != "qualifiers" or not isinstance(data, dict) or not isinstance(data.get("vocabulary"), list):
        return {}
    ids = [v["id"] for v in data["vocabulary"] if isinstance(v, dict) and isinstance(v.get("id"), str)]
    return {"qualifier_ids": tuple(ids)} if ids else {}


# ------------------------------------------------------------------------------------- error messages

_LABEL_KEYS = ("id", "name", "surface", "suffix", "pattern", "text")   # what names an entry in a message
_TYPE_WORDS = {str: ("a string", "strings"), int: ("an integer", "integers"), float: ("a number", "numbers"),
               bool: ("true or false", "booleans"), dt.date: ("a date (YYYY-MM-DD)", "dates")}
_GOT_NAMES = {dict: "mapping", list: "list", type(None): "null (empty value)"}
MAX_PROBLEMS = 20


def _unwrap(tp):
    """(bare type, Annotated metadata)."""
    meta: list = []
    while get_origin(tp) is Annotated:
        tp, *more = get_args(tp)
        meta.extend(more)
    return tp, meta


def _is_union(tp) -> bool:
    return get_origin(tp) in (Union, types.UnionType)


def _is_model(tp) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel)


def _field_type(model: type[BaseModel], name: str):
    """A model field's declared type, with the Annotated metadata pydantic moved into the FieldInfo."""
    f = model.model_fields[name]
    return Annotated[(f.annotation, *f.metadata)] if f.metadata else f.annotation


def describe(tp, plural: bool = False) -> str:
    """What a value of type ``tp`` looks like, in words ("a list of strings")."""
    tp, meta = _unwrap(tp)
    if any(isinstance(m, _QualifierMarker) for m in meta):
        return "qualifier ids" if plural else "a qualifier id (qualifiers.yaml: vocabulary)"
    if any(isinstance(m, _RegexMarker) for m in meta):
        return "regular expressions (strings)" if plural else "a regular expression (string)"
    origin, args = get_origin(tp), get_args(tp)
    if tp in _TYPE_WORDS:
        base = _TYPE_WORDS[tp][plural]
        for m in meta:
            if isinstance(m, Interval) and m.ge is not None and m.le is not None:
                base += f" from {m.ge} to {m.le}"
        return base
    if origin is Literal:
        values = ", ".join(repr(a) for a in args)
        return f"{'values' if plural else 'one'} of {values}" if len(args) > 1 else f"{args[0]!r}"
    if _is_union(tp):
        words = [describe(a, plural) for a in args]
        return ", ".join(words[:-1]) + " or " + words[-1]
    if origin is list:
        n = next((m.min_length for m in meta if isinstance(m, Len) and m.min_length == m.max_length), None)
        return f"{'lists' if plural else 'a list'} of {f'{n} ' if n else ''}{describe(args[0], True)}"
    if origin is dict:
        return f"{'mappings' if plural else 'a mapping'} of {describe(args[0], True)} to {describe(args[1], True)}"
    if _is_model(tp):
        fields = tp.model_fields
        required = [k for k, f in fields.items() if f.is_required()]
        optional = [k for k in fields if k not in required]
        keys = f"keys {', '.join(required)}" + (f" (optional: {', '.join(optional)})" if optional else "")
        return f"{'mappings' if plural else 'a mapping'} with {keys}"
    return getattr(tp, "__name__", str(tp))


def _got(value) -> str:
    name = _GOT_NAMES.get(type(value), type(value).__name__)
    if isinstance(value, (str, int, float, dt.date)):          # bool is an int
        text = repr(value)
        return f"{name} {text[:40] + '…' if len(text) > 40 else text}"
    return name


def _label(entry) -> str:
    """`` (id: 'person')`` for an entry that has an id (or another naming key), else ''."""
    if not isinstance(entry, dict):
        return ""
    for k in _LABEL_KEYS:
        v = entry.get(k)
        if isinstance(v, (str, int)) and not isinstance(v, bool) and str(v):
            s = str(v)
            return f" ({k}: {s[:30] + '…' if len(s) > 30 else s!r})"
    return ""


def _child(node, key):
    try:
        return node[key]
    except (KeyError, IndexError, TypeError):
        return None


def _walk(model: type[BaseModel], data, loc: tuple):
    """Follow an error location through the schema and the data.

    Returns (segments, type at the location, the parent model when the last step was a field). Segments are
    ("field", name), ("index", i, label) and ("key", k)."""
    tp, node, parent = model, data, None
    segments: list[tuple] = []
    for i, part in enumerate(loc):
        bare, _ = _unwrap(tp)
        if part == "[key]":
            continue                       # handled with the key before it
        if _is_union(bare) and isinstance(part, str) and any(
                getattr(_unwrap(a)[0], "__name__", None) == part for a in get_args(bare)):
            continue                       # pydantic's tag for a union member: the message describes the union
        if _is_model(bare) and isinstance(part, str):
            segments.append(("field", part))
            parent = bare
            tp = _field_type(bare, part) if part in bare.model_fields else None
        elif get_origin(bare) is list and isinstance(part, int):
            node = _child(node, part)
            segments.append(("index", part, _label(node)))
            parent = None
            tp = get_args(bare)[0]
            continue
        elif get_origin(bare) is dict:
            is_key = i + 1 < len(loc) and loc[i + 1] == "[key]"
            segments.append(("keyof" if is_key else "key", part))
            parent = None
            tp = get_args(bare)[0 if is_key else 1]
        else:
            segments.append(("key", part))
            tp = None
        node = _child(node, part)
    return segments, tp, parent


def _render(segments: list[tuple]) -> str:
    out = ""
    for seg in segments:
        if seg[0] == "field":
            out += f" → {seg[1]}" if out else seg[1]
        elif seg[0] == "index":
            out += f"[{seg[1]}]{seg[2]}"
        elif seg[0] == "key":
            out += f"[{seg[1]!r}]"
        else:
            out += f" → key {seg[1]!r}"
    return out


def explain(model: type[BaseModel], data: Any, exc: ValidationError) -> list[str]:
    """One line per problem: ``units[12] (id: 'person') → field 'ja': expected a list of strings, got int 5``."""
    lines: list[str] = []
    seen: set[str] = set()
    for err in exc.errors(include_url=False):
        segments, tp, parent = _walk(model, data, tuple(err["loc"]))
        fields = [i for i, s in enumerate(segments) if s[0] == "field"]
        bare = _unwrap(tp)[0] if tp is not None else None
        if fields and not _is_model(bare):
            i = fields[-1]
            where, field = _render(segments[:i]), f"field {segments[i][1]!r}" + _render(segments[i + 1:])
            head = f"{where} → {field}" if where else field
        else:                                          # a whole entry, or the top level
            head = _render(segments) or "top level"
        kind = err["type"]
        if kind == "missing":
            what = f"required but missing (expected {describe(tp)})"
        elif kind == "extra_forbidden":
            allowed = ", ".join(parent.model_fields) if parent is not None else ""
            what = f"unknown field (allowed: {allowed})" if allowed else "unknown field"
        elif kind == "value_error":
            what = f"{err['ctx']['error']}, got {_got(err['input'])}"
        elif tp is not None and (kind.endswith("_type") or kind in ("literal_error", "too_short", "too_long",
                                                                    "greater_than_equal", "less_than_equal")):
            what = f"expected {describe(tp)}, got {_got(err['input'])}"
            if kind in ("too_short", "too_long"):
                what += f" of length {len(err['input'])}"
        else:
            what = f"{err['msg']}, got {_got(err.get('input'))}"
        line = f"{head}: {what}"
        if head in seen:                              # the members of one union fail together
            continue
        seen.add(head)
        lines.append(line)
    if len(lines) > MAX_PROBLEMS:
        lines = lines[:MAX_PROBLEMS] + [f"… and {len(lines) - MAX_PROBLEMS} more problems"]
    return lines

