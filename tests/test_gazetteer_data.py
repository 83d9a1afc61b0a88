"""Consistency checks for the gazetteer rule data: models/actors.yaml and models/instruments.yaml.

Standalone: reads the YAML files directly (no pipeline import), so a broken entry is reported here with the
entry id and the offending value rather than as a failure deep inside the extractor.
"""
from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from pathlib import Path

import pytest
import yaml

MODELS = Path(__file__).parent.parent / "models"

ACTOR_TYPES = {
    "state", "person", "international_org", "government_body", "military_unit", "bank", "company",
    "media", "research_institute", "political_group", "region",
}
INSTRUMENT_TYPES = {"treaty", "charter", "agreement", "arrangement", "resolution", "statement", "law"}

STATE_ID_RE = re.compile(r"^[A-Z]{3}$")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
YEAR_RE = re.compile(r"^\d{4}$")

# Fields every entry must carry with a non-empty value, and list fields that must be present (may be empty).
ACTOR_REQUIRED = ("id", "type", "name_ja", "name_en", "examples")
ACTOR_LISTS = ("aliases_ja", "aliases_en")
ACTOR_OPTIONAL_LISTS = ("compound_ja", "demonyms_en")
INSTRUMENT_REQUIRED = ("id", "type", "name_ja", "name_en", "date", "examples")
INSTRUMENT_LISTS = ("aliases_ja", "aliases_en", "abbrev", "parties")

# Fields whose strings are surface forms the matcher looks for.
ACTOR_SURFACE_FIELDS = ("name_ja", "name_en", "aliases_ja", "aliases_en", "compound_ja", "demonyms_en")
INSTRUMENT_SURFACE_FIELDS = ("name_ja", "name_en", "aliases_ja", "aliases_en", "abbrev")


def _load(name: str) -> dict:
    path = MODELS / f"{name}.yaml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, ValueError) as exc:
        # ValueError: YAML turns 2024-13-01 into a date and fails ("month must be in 1..12").
        raise RuntimeError(f"{path} cannot be loaded with yaml.safe_load: {exc}") from exc
    assert isinstance(data, dict), f"{path}: top level must be a mapping, got {type(data).__name__}"
    return data


ACTORS_DOC = _load("actors")
INSTRUMENTS_DOC = _load("instruments")
ACTORS = ACTORS_DOC.get("actors") or []
INSTRUMENTS = INSTRUMENTS_DOC.get("instruments") or []


def _entry_id(entry) -> str:
    return str(entry.get("id", "<no id>")) if isinstance(entry, dict) else f"<not a mapping: {entry!r}>"


def _surfaces(entry: dict, fields: tuple[str, ...]) -> list[tuple[str, str]]:
    """(field, surface form) pairs of one entry."""
    out = []
    for f in fields:
        value = entry.get(f)
        if value is None:
            continue
        for s in value if isinstance(value, list) else [value]:
            out.append((f, s))
    return out


def _param(entries: list) -> list:
    return [pytest.param(e, id=_entry_id(e)) for e in entries]


# ------------------------------------------------------------------------------------ top level

@pytest.mark.parametrize(
    ("doc", "key", "name"),
    [(ACTORS_DOC, "actors", "actors.yaml"), (INSTRUMENTS_DOC, "instruments", "instruments.yaml")],
    ids=["actors", "instruments"],
)
def test_top_level(doc, key, name):
    assert doc.get("version") == 1, f"{name}: version must be 1, got {doc.get('version')!r}"
    desc = doc.get("description")
    assert isinstance(desc, str) and desc.strip(), f"{name}: description must be a non-empty string"
    entries = doc.get(key)
    assert isinstance(entries, list) and entries, f"{name}: '{key}' must be a non-empty list"
    bad = [e for e in entries if not isinstance(e, dict)]
    assert not bad, f"{name}: entries that are not mappings: {bad!r}"


@pytest.mark.parametrize(("entries", "name"), [(ACTORS, "actors.yaml"), (INSTRUMENTS, "instruments.yaml")],
                         ids=["actors", "instruments"])
def test_ids_unique(entries, name):
    counts = defaultdict(int)
    for e in entries:
        counts[_entry_id(e)] += 1
    dup = sorted(i for i, n in counts.items() if n > 1)
    assert not dup, f"{name}: duplicate ids: {dup}"


# ---------------------------------------------------------------------------- field shape

def _check_fields(entry: dict, required, lists, optional_lists, surface_fields) -> list[str]:
    errors = []
    for f in required:
        v = entry.get(f)
        if v is None or (isinstance(v, (str, list)) and not v):
            errors.append(f"field '{f}' missing or empty")
        elif f in ("id", "type", "name_ja", "name_en") and not (isinstance(v, str) and v.strip()):
            errors.append(f"field '{f}' must be a non-empty string, got {v!r}")
    for f in lists:
        if f not in entry:
            errors.append(f"list field '{f}' missing (use [] when there is nothing)")
    for f in (*lists, *optional_lists, "examples"):
        v = entry.get(f)
        if v is None and f not in lists and f != "examples":
            continue
        if not isinstance(v, list):
            errors.append(f"field '{f}' must be a list, got {type(v).__name__}")
            continue
        for item in v:
            if not isinstance(item, str) or not item.strip():
                errors.append(f"field '{f}' holds a non-string or empty item: {item!r}")
    for f, s in _surfaces(entry, surface_fields):
        if isinstance(s, str) and s != s.strip():
            errors.append(f"{f} form {s!r} has leading/trailing whitespace")
    return errors


@pytest.mark.parametrize("entry", _param(ACTORS))
def test_actor_fields(entry):
    errors = _check_fields(entry, ACTOR_REQUIRED, ACTOR_LISTS, ACTOR_OPTIONAL_LISTS, ACTOR_SURFACE_FIELDS)
    if not entry.get("aliases_ja") and not entry.get("aliases_en"):
        errors.append("needs at least one alias (aliases_ja or aliases_en)")
    assert not errors, f"actor {_entry_id(entry)}: " + "; ".join(errors)


@pytest.mark.parametrize("entry", _param(INSTRUMENTS))
def test_instrument_fields(entry):
    errors = _check_fields(entry, INSTRUMENT_REQUIRED, INSTRUMENT_LISTS, (), INSTRUMENT_SURFACE_FIELDS)
    assert not errors, f"instrument {_entry_id(entry)}: " + "; ".join(errors)


@pytest.mark.parametrize("entry", _param(ACTORS))
def test_actor_type_and_id(entry):
    eid, etype = entry.get("id"), entry.get("type")
    assert etype in ACTOR_TYPES, f"actor {eid}: type {etype!r} not in {sorted(ACTOR_TYPES)}"
    if etype == "state":
        assert isinstance(eid, str) and STATE_ID_RE.match(eid), (
            f"actor {eid!r}: state ids must be ISO 3166-1 alpha-3 (3 uppercase letters)")
    else:
        assert isinstance(eid, str) and SLUG_RE.match(eid), (
            f"actor {eid!r}: non-state ids must be lowercase slugs like 'kim-jong-un'")


@pytest.mark.parametrize("entry", _param(ACTORS))
def test_compound_forms_are_single_characters(entry):
    bad = [c for c in entry.get("compound_ja") or [] if not (isinstance(c, str) and len(c) == 1)]
    assert not bad, (f"actor {entry.get('id')}: compound_ja must hold one-character abbreviations "
                     f"(露, 朝, 米 …), got {bad!r}")


@pytest.mark.parametrize("entry", _param(INSTRUMENTS))
def test_instrument_type_and_id(entry):
    eid, etype = entry.get("id"), entry.get("type")
    assert etype in INSTRUMENT_TYPES, f"instrument {eid}: type {etype!r} not in {sorted(INSTRUMENT_TYPES)}"
    assert isinstance(eid, str) and SLUG_RE.match(eid), f"instrument {eid!r}: id must be a lowercase slug"


def _parse_date(value) -> bool:
    if isinstance(value, dt.datetime):
        return False                      # a timestamp is not a date
    if isinstance(value, dt.date):
        return True                       # YAML loads 2024-06-19 as a date
    if isinstance(value, int):
        return 1000 <= value <= 2100
    if isinstance(value, str):
        if YEAR_RE.match(value):
            return True
        try:
            dt.date.fromisoformat(value)
            return True
        except ValueError:
            return False
    return False


@pytest.mark.parametrize("entry", _param(INSTRUMENTS))
def test_instrument_date(entry):
    value = entry.get("date")
    assert _parse_date(value), (
        f"instrument {entry.get('id')}: date {value!r} is neither an ISO date (YYYY-MM-DD) nor a year (YYYY)")


ACTOR_IDS = {e.get("id") for e in ACTORS}


@pytest.mark.parametrize("entry", _param(INSTRUMENTS))
def test_instrument_parties_exist(entry):
    parties = entry.get("parties") or []
    unknown = [p for p in parties if p not in ACTOR_IDS]
    assert not unknown, f"instrument {entry.get('id')}: parties not defined in actors.yaml: {unknown}"
    dup = sorted({p for p in parties if parties.count(p) > 1})
    assert not dup, f"instrument {entry.get('id')}: parties listed twice: {dup}"


# -------------------------------------------------------------------------- surface forms

def _surface_index(entries: list, fields: tuple[str, ...]) -> dict[str, set[str]]:
    index: dict[str, set[str]] = defaultdict(set)
    for e in entries:
        for _, s in _surfaces(e, fields):
            if isinstance(s, str):
                index[s].add(e.get("id"))
    return index


ACTOR_INDEX = _surface_index(ACTORS, ACTOR_SURFACE_FIELDS)
INSTRUMENT_INDEX = _surface_index(INSTRUMENTS, INSTRUMENT_SURFACE_FIELDS)


@pytest.mark.parametrize(("index", "name"), [(ACTOR_INDEX, "actors.yaml"), (INSTRUMENT_INDEX, "instruments.yaml")],
                         ids=["actors", "instruments"])
def test_no_surface_form_maps_to_two_ids(index, name):
    clashes = {s: sorted(ids) for s, ids in index.items() if len(ids) > 1}
    assert not clashes, f"{name}: surface forms mapping to more than one id: {clashes}"


def test_no_surface_form_shared_between_files():
    shared = {s: (sorted(ACTOR_INDEX[s]), sorted(INSTRUMENT_INDEX[s]))
              for s in ACTOR_INDEX.keys() & INSTRUMENT_INDEX.keys()}
    assert not shared, f"surface forms in both actors.yaml and instruments.yaml: {shared}"


@pytest.mark.parametrize("entry", _param(ACTORS))
def test_actor_forms_occur_in_examples(entry):
    _assert_forms_in_examples(entry, ACTOR_SURFACE_FIELDS, "actor")


@pytest.mark.parametrize("entry", _param(INSTRUMENTS))
def test_instrument_forms_occur_in_examples(entry):
    _assert_forms_in_examples(entry, INSTRUMENT_SURFACE_FIELDS, "instrument")


# Every (form, id) pair of both files, for the longest-match check below.
ALL_FORMS = sorted({(s, i) for index in (ACTOR_INDEX, INSTRUMENT_INDEX) for s, ids in index.items() for i in ids
                    if isinstance(s, str) and len(s) > 1}, key=lambda p: -len(p[0]))


def _is_latin(s: str) -> bool:
    return all(ord(c) < 0x3000 for c in s)


def _occurrences(form: str, text: str) -> list[int]:
    """Start offsets of ``form`` in ``text``; Latin forms only on word boundaries (as the matcher does)."""
    if _is_latin(form):
        pat = r"(?<![A-Za-z0-9])" + re.escape(form) + r"(?![A-Za-z0-9])"
        return [m.start() for m in re.finditer(pat, text)]
    return [m.start() for m in re.finditer(re.escape(form), text)]


def _free_occurrence(form: str, own_id: str, text: str) -> bool:
    """Whether ``form`` occurs in ``text`` at least once without a longer form of another id covering it."""
    for p in _occurrences(form, text):
        end = p + len(form)
        covered = False
        for other, oid in ALL_FORMS:
            if len(other) <= len(form):
                break
            if oid == own_id or form not in other:
                continue
            if any(q <= p and end <= q + len(other) for q in _occurrences(other, text)):
                covered = True
                break
        if not covered:
            return True
    return False


@pytest.mark.parametrize(
    ("entry", "fields"),
    [pytest.param(e, ACTOR_SURFACE_FIELDS, id=f"actor-{_entry_id(e)}") for e in ACTORS]
    + [pytest.param(e, INSTRUMENT_SURFACE_FIELDS, id=f"instrument-{_entry_id(e)}") for e in INSTRUMENTS],
)
def test_forms_not_swallowed_by_other_ids_in_examples(entry, fields):
    """Longest match wins: an example only demonstrates a form if no longer form of another id covers it.

    (E.g. "Republic of Korea" inside "Democratic People's Republic of Korea" belongs to PRK, not KOR.)
    """
    own = entry.get("id")
    examples = [x for x in entry.get("examples") or [] if isinstance(x, str)]
    forms = dict.fromkeys(s for f, s in _surfaces(entry, fields) if f != "compound_ja" and isinstance(s, str))
    swallowed = [s for s in forms
                 if any(s in x for x in examples) and not any(_free_occurrence(s, own, x) for x in examples)]
    assert not swallowed, (f"{own}: in every example these forms sit inside a longer form of another id, "
                           f"so no example shows them resolving to {own}: {swallowed}")


def _assert_forms_in_examples(entry: dict, fields: tuple[str, ...], kind: str) -> None:
    examples = [x for x in entry.get("examples") or [] if isinstance(x, str)]
    missing = [f"{f}: {s!r}" for f, s in _surfaces(entry, fields)
               if isinstance(s, str) and not any(s in x for x in examples)]
    assert not missing, (f"{kind} {entry.get('id')}: forms that occur verbatim in none of its examples: "
                         + ", ".join(missing))
