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
schema cannot be loaded. :func:`pipeline.core.schema_errors.explain` turns a :class:`pydantic.ValidationError` into
one readable line per problem: path into the data (with each entry's id), field, what was expected and found.
"""
from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from annotated_types import Len
from pydantic import AfterValidator

from pipeline.core.schema_catalogues import ActorsFile, CitationPatternsFile, InstrumentsFile, NerLabelsFile
from pipeline.core.schema_types import Entry, Hedge, Month, MonthSpan, Position, QualifierId, Regex, RuleFile, YearSpan


# --------------------------------------------------------------------------------------- units.yaml

class QuantityExample(Entry):
    """An example the quantity tests run through the extractor (tests/test_rules_data.py, test_quantities_en.py)."""

    text: str
    value: int | float | str          # "" for a vague quantity (数百万発)
    qualifier: QualifierId
    object: str = ""


def _fraction(value: str) -> str:
    if not re.fullmatch(r"\d+/[1-9]\d*", value):
        raise ValueError("not a fraction such as 1/60")
    return value


class Unit(Entry):
    """pipeline.core.rules.quantity_rules, pipeline.lang.en.quantities: id read with [], the rest with .get."""

    id: str
    ja: list[str] = []
    en: list[str] = []
    generic: list[str] = []
    objects: list[str] = []
    # pipeline.lang.ja.quantities (Japanese side): a counter's factor into the unit (割: 10 percent); smaller parts
    # that may follow the unit, as a fraction of it (時間 → 分: "1/60"); markers written before the numeral
    # (時速, ¥); counters of other units meaning this one when the number is signed (マイナス12度); nouns counted
    # with a bare numeral and の (三十一の国)
    scale: dict[str, int | float] = {}
    parts: dict[str, Annotated[str, AfterValidator(_fraction)] | int | float] = {}
    before: list[str] = []
    signed: list[str] = []
    bare_objects: list[str] = []
    bare_big_nouns: list[str] = []    # a number with 万/億 and no counter counts these when its clause names one
    examples: list[QuantityExample] = []
    en_examples: list[QuantityExample] = []


class UnitsFile(RuleFile):
    units: list[Unit] = []


# ----------------------------------------------------------------------------------- qualifiers.yaml

class QualifierTerm(Entry):
    """pipeline.core.qualifiers.vocabulary: id, group and bounds read with []."""

    id: str
    group: str                        # qualifiers of one group say the same thing across languages
    bounds: Literal["[v, v]", "~v", "[v, inf)", "(v, inf)", "[0, v]", "[0, v)", "scale"]   # core.qualifiers.interval


class JaQualifier(Entry):
    surface: str
    position: Literal["prefix", "suffix", "infix"]   # infix: between numeral and counter (20余カ国)
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
    vocabulary: Annotated[list[QualifierTerm], Len(min_length=1)]   # the one qualifier vocabulary (issue 13)
    qualifiers: list[JaQualifier] = []
    range_separators: list[str] = []
    vague_patterns: list[VaguePattern] = []
    open_range_marks: list[str] = []  # 3人～ (at_least), ～8人 (at_most): pipeline.lang.ja.quantities
    consecutive_range_separators: list[str] = []   # a range only between neighbours: 2、3発
    change: dict[Literal["from", "to"], list[str]] = {}   # AからBに: a change, not a range
    verb_adverbs: list[str] = []      # between を and a loose verb: を大きく超える
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


class CountedDate(Entry):
    """A date counter that is a duration or count when a signal says so (pipeline.lang.ja.quantities)."""

    counter: str
    unit: str
    above: int | None = None          # a number above this is never a date (353日)
    max_digits: int | None = None     # longer numerals are always dates (2024年)
    not_after: list[str] = []         # after these the counter is always a date (3月10日で: the 10th)
    neighbour_range: bool = False     # two neighbours joined by 、 count (一、二年: one or two years)


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
    # pipeline.lang.ja.quantities only (not compiled by rules.quantity_rules)
    counted_dates: list[CountedDate] = []
    duration_before: list[str] = []
    duration_labels: list[str] = []
    duration_label_after: Regex = ""
    duration_after: Regex = ""
    minus_signs: list[str] = []
    per_unit_after: list[str] = []
    ordinal_after_unit: list[str] = []
    word_after_unit: list[str] = []
    ordinal_counters: list[str] = []
    coordinate_before: list[str] = []
    half_after_unit: str = ""
    clock_counters: list[str] = []
    fractions: list[str] = []
    fraction_unit: str = "percent"
    idioms: list[str] = []
    kanji_name_counters: list[str] = []
    idiom_pattern: Regex = ""
    acronym_before_count: Regex = ""
    entity_count_labels: list[str] = []
    examples: list[NumeralExample] = []


# ----------------------------------------------------------------------------------- numbers_en.yaml

class WordAmount(Entry):
    """An amount written in words before a unit or counted noun: "a couple of" (2, approx)."""

    surface: str
    value: int | float
    qualifier: QualifierId


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
    # pipeline.lang.en.numbers / nouns / quantities (issue 12: number words, counted nouns, hyphens, rates)
    fraction_words: dict[str, int | float] = {}
    one_not_before: list[str] = []
    not_counted: list[str] = []
    not_objects: list[str] = []
    acronyms: list[str] = []
    one_reciprocal: Regex = "(?!)"
    irregular_plurals: dict[str, str] = {}
    hyphen_units: dict[str, str] = {}
    compound_durations: dict[str, dict[str, int]] = {}
    rate_denominators: list[str] = []
    multiplier_units: dict[str, str] = {}
    multiplier_after: list[str] = []
    change_words: list[str] = []
    minus_words: list[str] = []
    duration_units: list[str] = []
    over_duration_after: list[str] = []
    clock_units: list[str] = []
    clock_before: list[str] = []
    times_words: dict[str, int] = {}
    times_unit: str = ""
    units_before_number: dict[str, str] = {}
    # pipeline.lang.en.shares: fractions, ratios, "threefold", "a couple of", recorded votes
    fraction_denominators: dict[str, int] = {}
    fraction_unit: str = "percent"
    fraction_not_after: list[str] = []
    ratio_links: list[str] = []
    fold_suffix: str = ""
    fold_unit: str = "times"
    word_amounts: list[WordAmount] = []
    vote_for: list[str] = []
    vote_against: list[str] = []
    vote_unit: str = "vote"
    casualty_participles: list[str] = []
    casualty_unit: str = "person"
    casualty_auxiliaries: list[str] = []
    level_verbs: list[str] = []                  # casualties exceeded 4,000: the subject noun's unit
    level_subject_words: int = 4
    singular_durations: dict[str, str] = {}


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
    own_measures: dict[str, list[str]] = {}      # language → words of a government's own grants, budget, sanctions
    not_carried_units: list[str] = []            # counts of those who act (countries): no carried actor
    target_predicates: list[str] = []            # measures against someone: the counted phrase names the recipient
    belonging_predicates: list[str] = []         # X に所属する船舶: a relative clause that names whose it is
    en_not_subject_after: list[str] = []         # English words after which an actor is not the subject
    en_auxiliaries: list[str] = []               # ... nor anywhere after these in its clause
    en_determiners: list[str] = []               # ... nor in a clause opening with another noun phrase
    en_of_heads: list[str] = []                  # Government of X, President of X: X is the actor all the same
    en_by_not_agent: list[str] = []              # stand by X: not the agent of a passive
    en_reporting_verbs: list[str] = []           # X says Y did N: Y acts, X reports


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


# ------------------------------------------------------------------------------------- dimensions.yaml

class DimensionExample(Entry):
    """tests/test_fact_kinds.py: the claim with ``surface`` in ``text`` measures ``dimension`` ('' for none;
    unset: the entry's own id)."""

    text: str
    surface: str
    dimension: str | None = None


class UnitFamily(Entry):
    """pipeline.crosslang.dimensions: units that compare after conversion (factor into the first unit)."""

    id: str
    units: dict[str, int | float]


Gap = Literal["ja_before", "ja_after", "en_before", "en_after"]


class Dimension(Entry):
    """pipeline.crosslang.dimensions: what a number measures, from cue words next to it."""

    id: str
    label_ja: str
    label_en: str
    families: Annotated[list[str], Len(min_length=1)]   # unit families (or unit ids); "*": any unit
    event: str = ""                   # the event the measure belongs to (events.yaml id), for the label
    as_of: bool = False               # a running total: its time is the date it was counted on
    stable: bool = False              # set by law: compares across documents without a time or an actor
    gap: dict[Gap, int] = {}          # overrides max_gap for this dimension's cues
    ja_before: list[str] = []
    ja_after: list[str] = []
    en_before: list[str] = []
    en_after: list[str] = []
    examples: list[DimensionExample] = []


class ListContinuation(Entry):
    max_gap: int
    ja: list[str] = []
    en: list[str] = []


class DocumentDate(Entry):
    """pipeline.crosslang.fact_time: where a document's own date is read when its metadata has none."""

    header_lines: int
    max_line_chars: int
    numeric_date: Regex


class RelativeDays(Entry):
    ja: dict[str, int] = {}
    en: dict[str, int] = {}


class DimensionsFile(RuleFile):
    unit_families: list[UnitFamily] = []
    generic_count_units: list[str] = []   # a generic counter compares with any count …
    not_counts: list[str] = []            # … but never with these (nor with a unit of a family)
    max_gap: dict[Gap, int]
    ja_before_not_followed_by: list[str] = []
    list_continuation: ListContinuation | None = None
    document_date: DocumentDate
    relative_days: RelativeDays = RelativeDays()
    dimensions: list[Dimension]
    negative_examples: list[DimensionExample] = []


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
    "dimensions": DimensionsFile,
}


def context(name: str, data: Any) -> dict:
    """Validation context of one file: the qualifier ids of qualifiers.yaml's vocabulary (when it has one)."""
    if name != "qualifiers" or not isinstance(data, dict) or not isinstance(data.get("vocabulary"), list):
        return {}
    ids = [v["id"] for v in data["vocabulary"] if isinstance(v, dict) and isinstance(v.get("id"), str)]
    return {"qualifier_ids": tuple(ids)} if ids else {}

