"""Rule files are validated on load (pipeline/core/schemas.py): every shipped file fits its schema, and a broken
entry raises RuleDataError naming the file, the entry (with its id) and the field, instead of a KeyError later.

Broken variants are written to a tmp folder and loaded with the real, uncached ``rules.load`` (``load.__wrapped__``
with ``rules.MODELS_DIR`` pointed at the folder), so the process-wide lru_cache of ``rules.load`` is never filled
with test data.
"""
from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path

import pytest
import yaml

from pipeline.core import rules

SHIPPED = sorted(p.stem for p in Path(rules.MODELS_DIR).glob("*.yaml"))
DEL = object()   # a case value: delete the key


def _shipped(name: str) -> dict:
    """A fresh copy of a shipped rule file's data (not the cached object)."""
    return copy.deepcopy(rules.load(name))


def _set(data, path: tuple, value) -> None:
    node = data
    for key in path[:-1]:
        node = node[key]
    if value is DEL:
        del node[path[-1]]
    else:
        node[path[-1]] = value


def _write(folder: Path, name: str, data) -> Path:
    path = folder / f"{name}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _load_from(folder: Path, name: str, monkeypatch) -> dict:
    """The real ``rules.load`` on ``folder``, bypassing its cache."""
    monkeypatch.setattr(rules, "MODELS_DIR", folder)
    return rules.load.__wrapped__(name)


# ----------------------------------------------------------------------------------------- shipped files

def test_every_rule_file_has_a_schema():
    from pipeline.core import schemas

    assert set(SHIPPED) == set(schemas.SCHEMAS), "every models/*.yaml needs a schema (and no schema without file)"


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_file_validates(name):
    data = rules.read(name)                   # read + validate, uncached
    rules.validate(name, data)
    assert data == rules.load(name)


def test_load_returns_the_data_as_written():
    """Validated, but returned as parsed: no defaults filled in, plain dicts and lists."""
    q = rules.read("qualifiers")
    assert type(q) is dict and type(q["qualifiers"]) is list and type(q["qualifiers"][0]) is dict
    assert "strength" not in q["qualifiers"][0]           # 約: no strength in the file, the schema default not added
    assert isinstance(rules.read("instruments")["instruments"][0]["date"], dt.date)


def test_unquoted_yaml_words_stay_words():
    """Rule files use YAML 1.2 booleans: an unquoted On in a word list is the word, not True."""
    stop = rules.read("citation_patterns")["en_name_stopwords"]
    assert "On" in stop and True not in stop
    assert all(s["strong"] in (True, False) for s in rules.read("citation_patterns")["suffixes_ja"])


# ------------------------------------------------------------------------------------------ broken files
# (file, kind, path into the data, new value or DEL, fragments the message must contain). The entry fragment is
# formatted with the shipped data, so that it follows the data's ids: "{units[0][id]!r}" → 'person'.

CASES = [
    # dimensions.yaml
    ("dimensions", "missing", ("dimensions", 0, "label_en"), DEL,
     ["dimensions[0] (id: {dimensions[0][id]!r}) → field 'label_en': required but missing (expected a string)"]),
    ("dimensions", "wrong-type", ("unit_families", 0, "units", "kilometer"), "1",
     ["unit_families[0] (id: {unit_families[0][id]!r}) → field 'units'"]),
    ("dimensions", "unknown-key", ("dimensions", 1, "cues"), ["x"],
     ["dimensions[1] (id: {dimensions[1][id]!r}) → field 'cues': unknown field"]),
    ("dimensions", "str-for-list", ("dimensions", 2, "en_before"), "range",
     ["dimensions[2] (id: {dimensions[2][id]!r}) → field 'en_before': expected a list of strings, got str 'range'"]),
    # units.yaml
    ("units", "missing", ("units", 0, "examples", 0, "text"), DEL,
     ["units[0] (id: {units[0][id]!r}) → examples[0]", "field 'text'", "required but missing (expected a string)"]),
    ("units", "wrong-type", ("units", 1, "examples", 0, "value"), [1],
     ["units[1] (id: {units[1][id]!r}) → examples[0]", "field 'value'",
      "expected an integer, a number or a string, got list"]),
    ("units", "unknown-key", ("units", 2, "requires_object"), True,
     ["units[2] (id: {units[2][id]!r})", "field 'requires_object'", "unknown field (allowed: id, ja, en"]),
    ("units", "str-for-list", ("units", 0, "ja"), "人",
     ["units[0] (id: {units[0][id]!r}) → field 'ja': expected a list of strings, got str '人'"]),
    ("units", "no-id", ("units", 3, "id"), DEL, ["units[3] → field 'id': required but missing"]),
    ("units", "item-type", ("units", 1, "en", 0), 5,
     ["units[1] (id: {units[1][id]!r}) → field 'en'[0]: expected a string, got int 5"]),
    # qualifiers.yaml
    ("qualifiers", "missing", ("qualifiers", 0, "position"), DEL,
     ["qualifiers[0] (surface: {qualifiers[0][surface]!r})", "field 'position'", "required but missing"]),
    ("qualifiers", "wrong-type", ("vague_scales", "千"), "1000",
     ["field 'vague_scales'['千']: expected an integer, got str '1000'"]),
    ("qualifiers", "unknown-key", ("en_qualifiers", 0, "strength"), "tight",
     ["en_qualifiers[0] (surface: {en_qualifiers[0][surface]!r})", "field 'strength'", "unknown field"]),
    ("qualifiers", "str-for-list", ("range_separators",), "~",
     ["field 'range_separators': expected a list of strings, got str '~'"]),
    ("qualifiers", "no-id", ("qualifiers", 1, "surface"), DEL,
     ["qualifiers[1] → field 'surface': required but missing"]),
    ("qualifiers", "bad-value", ("en_qualifiers", 1, "position"), "pre",
     ["en_qualifiers[1] (surface: {en_qualifiers[1][surface]!r})", "field 'position'",
      "expected one of 'prefix', 'suffix', got str 'pre'"]),
    ("qualifiers", "bad-regex", ("vague_patterns", 0, "pattern"), "数[",
     ["vague_patterns[0] (pattern: '数[')", "field 'pattern'", "not a valid regular expression"]),
    # numerals.yaml
    ("numerals", "missing", ("one_of",), DEL,
     ["field 'one_of': required but missing (expected a regular expression (string))"]),
    ("numerals", "wrong-type", ("examples", 1, "claims"), "0",
     ["examples[1] (text: ", "field 'claims': expected an integer, got str '0'"]),
    ("numerals", "unknown-key", ("examples", 2, "claim"), 0, ["examples[2] (text: ", "field 'claim'", "unknown field"]),
    ("numerals", "str-for-list", ("date_counters",), "年", ["field 'date_counters': expected a list of strings"]),
    ("numerals", "no-id", ("examples", 3, "text"), DEL, ["examples[3] → field 'text': required but missing"]),
    ("numerals", "bad-regex", ("section_number",), "([", ["field 'section_number': not a valid regular expression"]),
    # numbers_en.yaml
    ("numbers_en", "missing", ("scales",), DEL,
     ["field 'scales': required but missing (expected a mapping of strings to integers)"]),
    ("numbers_en", "wrong-type", ("max_adjectives",), "3",
     ["field 'max_adjectives': expected an integer, got str '3'"]),
    ("numbers_en", "unknown-key", ("stopword",), ["a"], ["field 'stopword': unknown field (allowed: version,"]),
    ("numbers_en", "str-for-list", ("currency_units",), "USD",
     ["field 'currency_units': expected a list of strings, got str 'USD'"]),
    ("numbers_en", "yaml-bool", ("ordinal_before", 0), True,
     ["field 'ordinal_before'[0]: expected a string, got bool True"]),
    ("numbers_en", "map-value", ("number_words", "one"), "1",
     ["field 'number_words'['one']: expected an integer, got str '1'"]),
    # time.yaml
    ("time", "missing", ("eras", 0, "first_year"), DEL,
     ["eras[0] (name: {eras[0][name]!r}) → field 'first_year': required but missing (expected an integer)"]),
    ("time", "wrong-type", ("eras", 1, "first_year"), "1989",
     ["eras[1] (name: {eras[1][name]!r}) → field 'first_year': expected an integer, got str '1989'"]),
    ("time", "unknown-key", ("relative_years", 0, "offest"), 0,
     ["relative_years[0] (surface: {relative_years[0][surface]!r})", "field 'offest'", "unknown field"]),
    ("time", "str-for-list", ("open_start",), "以降", ["field 'open_start': expected a list of strings, got str"]),
    ("time", "no-id", ("eras", 2, "name"), DEL, ["eras[2] → field 'name': required but missing"]),
    # time_en.yaml
    ("time_en", "missing", ("months",), DEL, ["field 'months': required but missing"]),
    ("time_en", "wrong-type", ("months", "May"), 13,
     ["field 'months'['May']: expected an integer from 1 to 12, got int 13"]),
    ("time_en", "unknown-key", ("anaphoric_years", 0, "offset_years"), 1,
     ["anaphoric_years[0] (surface: {anaphoric_years[0][surface]!r})", "field 'offset_years'", "unknown field"]),
    ("time_en", "str-for-list", ("quarters", "Q1"), "1-3",
     ["field 'quarters'['Q1']: expected a list of 2 integers from 1 to 12, got str '1-3'"]),
    ("time_en", "no-id", ("relative_years", 0, "surface"), DEL, ["relative_years[0] → field 'surface': required"]),
    ("time_en", "length", ("year_range",), [1900], ["field 'year_range': expected a list of 2 integers"]),
    # actors.yaml
    ("actors", "missing", ("actors", 0, "examples"), DEL,
     ["actors[0] (id: {actors[0][id]!r}) → field 'examples': required but missing (expected a list of strings)"]),
    ("actors", "wrong-type", ("actors", 1, "name_en"), 5,
     ["actors[1] (id: {actors[1][id]!r}) → field 'name_en': expected a string, got int 5"]),
    ("actors", "unknown-key", ("actors", 2, "alias_en"), ["X"],
     ["actors[2] (id: {actors[2][id]!r}) → field 'alias_en': unknown field"]),
    ("actors", "str-for-list", ("actors", 3, "aliases_en"), "USA",
     ["actors[3] (id: {actors[3][id]!r}) → field 'aliases_en': expected a list of strings, got str 'USA'"]),
    ("actors", "no-id", ("actors", 4, "id"), DEL, ["actors[4] → field 'id': required but missing"]),
    # ner_labels.yaml
    ("ner_labels", "missing", ("examples", 0, "label"), DEL,
     ["examples[0] (text: {examples[0][text]!r}) → field 'label': required but missing"]),
    ("ner_labels", "wrong-type", ("labels", "Country"), ["state"],
     ["field 'labels'['Country']: expected a string, got list"]),
    ("ner_labels", "unknown-key", ("examples", 0, "lang"), "ja",
     ["examples[0] (text: ", "field 'lang': unknown field"]),
    ("ner_labels", "str-for-list", ("examples",), "金正恩は会談を提案した。",
     ["field 'examples': expected a list of mappings with keys text, label, got str"]),
    ("ner_labels", "no-id", ("examples", 0, "text"), DEL, ["examples[0] → field 'text': required but missing"]),
    # instruments.yaml
    ("instruments", "missing", ("instruments", 0, "type"), DEL,
     ["instruments[0] (id: {instruments[0][id]!r}) → field 'type': required but missing"]),
    ("instruments", "wrong-type", ("instruments", 1, "date"), [1945],
     ["instruments[1] (id: {instruments[1][id]!r}) → field 'date'",
      "expected a date (YYYY-MM-DD), an integer or a string, got list"]),
    ("instruments", "unknown-key", ("instruments", 2, "signatories"), ["JPN"],
     ["instruments[2] (id: {instruments[2][id]!r}) → field 'signatories': unknown field"]),
    ("instruments", "str-for-list", ("instruments", 3, "parties"), "KOR",
     ["instruments[3] (id: {instruments[3][id]!r}) → field 'parties': expected a list of strings, got str 'KOR'"]),
    ("instruments", "no-id", ("instruments", 4, "id"), DEL, ["instruments[4] → field 'id': required but missing"]),
    # citation_patterns.yaml
    ("citation_patterns", "missing", ("suffixes_ja", 0, "strong"), DEL,
     ["suffixes_ja[0] (suffix: {suffixes_ja[0][suffix]!r}) → field 'strong'",
      "required but missing (expected true or false)"]),
    ("citation_patterns", "wrong-type", ("suffixes_ja", 1, "strong"), "yes",
     ["suffixes_ja[1] (suffix: {suffixes_ja[1][suffix]!r}) → field 'strong': expected true or false, got str 'yes'"]),
    ("citation_patterns", "unknown-key", ("examples", 0, "citations", 0, "instrument"), "un-charter",
     ["examples[0] (text: ", "→ citations[0] (surface: {examples[0][citations][0][surface]!r})",
      "field 'instrument': unknown field (allowed: surface,"]),
    ("citation_patterns", "str-for-list", ("anaphors_ja", 0, "kinds"), "treaty",
     ["anaphors_ja[0] (surface: {anaphors_ja[0][surface]!r}) → field 'kinds': expected a list of strings, got str"]),
    ("citation_patterns", "no-id", ("suffixes_en", 0, "suffix"), DEL, ["suffixes_en[0] → field 'suffix': required"]),
    ("citation_patterns", "bad-regex", ("resolution_en",), r"(?P<number>\d+",
     ["field 'resolution_en': not a valid regular expression"]),
    # hedges.yaml
    ("hedges", "missing", ("cues", 0, "example"), DEL,
     ["cues[0] (surface: {cues[0][surface]!r}) → field 'example': required but missing"]),
    ("hedges", "wrong-type", ("cues", 1, "hedge"), "likely",
     ["cues[1] (surface: {cues[1][surface]!r}) → field 'hedge'",
      "expected one of 'estimated', 'reported', 'speculative', got str 'likely'"]),
    ("hedges", "unknown-key", ("en_cues", 0, "lang"), "en",
     ["en_cues[0] (surface: {en_cues[0][surface]!r}) → field 'lang': unknown field"]),
    ("hedges", "str-for-list", ("attribution",), "によると", ["field 'attribution': expected a list of mappings"]),
    ("hedges", "no-id", ("cues", 2, "surface"), DEL, ["cues[2] → field 'surface': required but missing"]),
    # roles.yaml
    ("roles", "missing", ("examples", 0, "recipients"), DEL,
     ["examples[0] (text: ", "field 'recipients': required but missing (expected a list of strings)"]),
    ("roles", "wrong-type", ("examples", 1, "recipients", 0), 1,
     ["examples[1] (text: ", "field 'recipients'[0]: expected a string, got int 1"]),
    ("roles", "unknown-key", ("examples", 0, "actors"), [], ["examples[0] (text: ", "field 'actors': unknown field"]),
    ("roles", "str-for-list", ("not_recipient_next",), "よる",
     ["field 'not_recipient_next': expected a list of strings, got str 'よる'"]),
    ("roles", "no-id", ("examples", 0, "text"), DEL, ["examples[0] → field 'text': required but missing"]),
    # events.yaml
    ("events", "missing", ("events", 0, "label_en"), DEL,
     ["events[0] (id: {events[0][id]!r}) → field 'label_en': required but missing (expected a string)"]),
    ("events", "wrong-type", ("events", 1, "label_ja"), None,
     ["events[1] (id: {events[1][id]!r}) → field 'label_ja': expected a string, got null"]),
    ("events", "unknown-key", ("events", 2, "verbs"), ["x"],
     ["events[2] (id: {events[2][id]!r}) → field 'verbs': unknown field (allowed: id, label_ja, label_en"]),
    ("events", "str-for-list", ("events", 3, "en"), "launched",
     ["events[3] (id: {events[3][id]!r}) → field 'en': expected a list of strings, got str 'launched'"]),
    ("events", "no-id", ("events", 4, "id"), DEL, ["events[4] → field 'id': required but missing"]),
]


def test_cases_cover_every_file_and_kind():
    from pipeline.core import schemas

    kinds = {"missing", "wrong-type", "unknown-key", "str-for-list"}
    for name in sorted(set(SHIPPED) | set(schemas.SCHEMAS)):
        assert kinds <= {k for n, k, *_ in CASES if n == name}, name


@pytest.mark.parametrize(("name", "kind", "path", "value", "fragments"), CASES,
                         ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_broken_entry_is_named(tmp_path, monkeypatch, name, kind, path, value, fragments):
    base = _shipped(name)
    _write(tmp_path, name, base)
    assert _load_from(tmp_path, name, monkeypatch) == base      # the written copy itself is fine
    broken = copy.deepcopy(base)
    _set(broken, path, value)
    file = _write(tmp_path, name, broken)
    with pytest.raises(rules.RuleDataError) as err:
        _load_from(tmp_path, name, monkeypatch)
    msg = str(err.value)
    assert msg.startswith(f"{file}: "), msg
    for fragment in fragments:
        assert fragment.format(**base) in msg, msg


# ------------------------------------------------------------------------------------------ entry points

def test_message_format(tmp_path):
    data = _shipped("units")
    data["units"][0]["ja"] = 5
    with pytest.raises(rules.RuleDataError) as err:
        rules.validate("units", data, tmp_path / "units.yaml")
    assert str(err.value) == (f"{tmp_path / 'units.yaml'}: units[0] (id: {data['units'][0]['id']!r}) → field 'ja': "
                              "expected a list of strings, got int 5")


def test_every_problem_on_its_own_line(tmp_path):
    data = _shipped("events")
    del data["events"][0]["id"]
    data["events"][1]["ja"] = "送る"
    data["extra"] = 1
    with pytest.raises(rules.RuleDataError) as err:
        rules.read("events", _write(tmp_path, "events", data).parent)
    lines = str(err.value).splitlines()
    assert len(lines) == 3 and all(line.startswith(f"{tmp_path / 'events.yaml'}: ") for line in lines), lines
    assert "events[0] → field 'id'" in lines[0] and "field 'ja'" in lines[1] and "field 'extra'" in lines[2]


def test_shipped_path_shown_relative(monkeypatch):
    monkeypatch.chdir(Path(rules.MODELS_DIR).parent)
    data = _shipped("roles")
    data["version"] = 2
    with pytest.raises(rules.RuleDataError, match=rf"^{Path(rules.MODELS_DIR).name}/roles\.yaml: field 'version': "
                                                  r"expected 1, got int 2$"):
        rules.validate("roles", data)


def test_qualifier_ids_come_from_the_vocabulary():
    data = _shipped("qualifiers")
    data["vocabulary"] = [{"id": "exact", "group": "exact", "bounds": "[v, v]"}]
    data["qualifiers"] = [{"surface": "約", "position": "prefix", "qualifier": "approx"}]
    with pytest.raises(rules.RuleDataError, match=r"qualifiers\[0\] \(surface: '約'\) → field 'qualifier': not a "
                                                  r"qualifier of the vocabulary in qualifiers.yaml \(exact\), got str"):
        rules.validate("qualifiers", data)


def test_top_level_must_be_a_mapping(tmp_path, monkeypatch):
    (tmp_path / "roles.yaml").write_text("- a\n- b\n", encoding="utf-8")
    with pytest.raises(rules.RuleDataError, match="must hold a mapping"):
        _load_from(tmp_path, "roles", monkeypatch)
    with pytest.raises(rules.RuleDataError, match=r"roles.yaml: top level: expected a mapping with keys version"):
        rules.validate("roles", ["a", "b"], tmp_path / "roles.yaml")


def test_impossible_date_is_a_rule_error(tmp_path, monkeypatch):
    text = (Path(rules.MODELS_DIR) / "instruments.yaml").read_text(encoding="utf-8")
    (tmp_path / "instruments.yaml").write_text(text.replace("date: 1945-06-26", "date: 1945-13-26"), encoding="utf-8")
    with pytest.raises(rules.RuleDataError, match="instruments.yaml cannot be read"):
        _load_from(tmp_path, "instruments", monkeypatch)


def test_rule_file_without_schema_is_refused(tmp_path, monkeypatch):
    (tmp_path / "colours.yaml").write_text("version: 1\ncolours: [red]\n", encoding="utf-8")
    with pytest.raises(rules.RuleDataError, match=r"no schema for .*colours\.yaml"):
        _load_from(tmp_path, "colours", monkeypatch)
    with pytest.raises(rules.RuleDataError, match="no schema for"):
        rules.validate("colours", {"version": 1})


def test_tests_leave_the_cache_alone():
    """Loads from tmp folders bypass the cache: the cached data is the shipped data."""
    for name in SHIPPED:
        assert rules.load(name) == rules.read(name)
