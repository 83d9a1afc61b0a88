"""Rule data from ``models/``: loading, compiling and fingerprinting.

Every rule the extractors use (units, qualifiers, time words, numeral exclusions, gazetteers) is a YAML
file in ``models/``; this module is the only place that reads them. Each file is validated on load against its
schema in :mod:`pipeline.core.schemas`; a file that does not fit raises :class:`RuleDataError` naming the file,
the entry (with its id), the field and what was expected.
"""
from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

_PACKAGE = Path(__file__).resolve().parent.parent


def models_dir() -> Path:
    """Where the rule data lives: ``$PIPELINE_MODELS_DIR`` if set; else ``pipeline/models/`` inside an installed
    package (the wheel ships the repository's ``models/`` folder there as package data, see pyproject.toml);
    else the repository's ``models/`` folder (a source checkout or editable install: edit the rules there)."""
    if os.environ.get("PIPELINE_MODELS_DIR"):
        return Path(os.environ["PIPELINE_MODELS_DIR"])
    shipped = _PACKAGE / "models"
    return shipped if shipped.is_dir() else _PACKAGE.parent / "models"


MODELS_DIR = models_dir()


class RuleDataError(ValueError):
    """A rule file in models/ is missing or malformed."""


# libyaml's parser when PyYAML was built with it: the same data, read 8x faster (1.0 s → 0.13 s for models/, which
# every run's workers read; issue 14)
_SAFE_LOADER = yaml.CSafeLoader if getattr(yaml, "__with_libyaml__", False) else yaml.SafeLoader


class _RuleLoader(_SAFE_LOADER):
    """YAML for rule files, with YAML 1.2 booleans: only true / false. YAML 1.1 (PyYAML's default) also reads an
    unquoted On, Off, Yes, No as a boolean, which silently turned the stopword ``On`` of citation_patterns.yaml
    ``en_name_stopwords`` into ``True``; rule files are mostly word lists, so words stay words."""


_RuleLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in _SAFE_LOADER.yaml_implicit_resolvers.items()}
_RuleLoader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                                  list("tTfF"))


def _display(path: Path) -> str:
    """A rule file's path for messages: relative to the working directory when below it (models/units.yaml)."""
    try:
        return Path(path).resolve().relative_to(Path.cwd().resolve()).as_posix()
    except (ValueError, OSError):
        return str(path)


def _schema(name: str, path: Path):
    """The pydantic model of rule file ``name`` (:data:`pipeline.core.schemas.SCHEMAS`)."""
    from pipeline.core import schemas   # pydantic is imported on the first load, not with this module

    model = schemas.SCHEMAS.get(name)
    if model is None:
        raise RuleDataError(f"no schema for {_display(path)}: every rule file needs one in pipeline/core/schemas.py "
                            f"(known: {', '.join(sorted(schemas.SCHEMAS))})")
    return model


def validate(name: str, data, path: Path | str | None = None) -> None:
    """Check parsed rule data against the schema of ``models/<name>.yaml`` (:mod:`pipeline.core.schemas`).

    Raises :class:`RuleDataError` naming the file, the path into the data (with each entry's id), the field and
    what was expected, one line per problem; also when ``name`` has no schema. ``path`` is only shown."""
    from pydantic import ValidationError

    from pipeline.core import schema_errors, schemas

    path = Path(path) if path is not None else MODELS_DIR / f"{name}.yaml"
    model = _schema(name, path)
    try:
        model.model_validate(data, context=schemas.context(name, data))
    except ValidationError as exc:
        shown = _display(path)
        raise RuleDataError("\n".join(f"{shown}: {p}" for p in schema_errors.explain(model, data, exc))) from None


def read(name: str, directory: Path | str | None = None) -> dict:
    """Read and validate ``<directory>/<name>.yaml`` (default: :data:`MODELS_DIR`), uncached.

    Returns the parsed YAML as it is (plain dicts and lists); raises :class:`RuleDataError` when the file has no
    schema, is missing, is not YAML, or does not fit its schema."""
    path = Path(directory if directory is not None else MODELS_DIR) / f"{name}.yaml"
    _schema(name, path)
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_RuleLoader)  # noqa: S506 - a SafeLoader
    except FileNotFoundError as exc:
        raise RuleDataError(f"rule file missing: {path}") from exc
    except yaml.YAMLError as exc:
        raise RuleDataError(f"rule file {path} is not valid YAML: {exc}") from exc
    except ValueError as exc:          # YAML reads 2024-13-01 as a date and fails
        raise RuleDataError(f"rule file {path} cannot be read: {exc}") from exc
    if not isinstance(data, dict):
        raise RuleDataError(f"rule file {path} must hold a mapping at top level")
    validate(name, data, path)
    return data


@lru_cache(maxsize=None)
def load(name: str) -> dict:
    """Load ``models/<name>.yaml``, validated against its schema (cached per process)."""
    return read(name)


def fingerprint() -> str:
    """SHA-256 over every rule file, so that a change to any rule invalidates cached results."""
    h = hashlib.sha256()
    for path in sorted(MODELS_DIR.rglob("*")):
        if path.is_file() and path.suffix in {".yaml", ".yml", ".json", ".jsonl"}:
            h.update(path.relative_to(MODELS_DIR).as_posix().encode())
            h.update(path.read_bytes())
    return h.hexdigest()


@dataclass(frozen=True)
class Unit:
    """One canonical unit with its Japanese counters and the objects that select it."""

    id: str
    ja: tuple[str, ...]
    en: tuple[str, ...]
    generic: tuple[str, ...] = ()
    objects: tuple[str, ...] = ()


@dataclass(frozen=True)
class Qualifier:
    surface: str
    position: str
    qualifier: str
    strength: str = "tight"


@dataclass
class QuantityRules:
    """Compiled quantity rules: unit lookup tables, qualifiers, vague patterns and exclusions."""

    units: list[Unit]
    counter_index: list[tuple[str, Unit]]          # (surface, unit), longest surface first
    generic_index: list[tuple[str, Unit]]          # generic counters that an object can specialise
    prefixes: list[Qualifier]
    suffixes: list[Qualifier]
    range_separators: list[str]
    vague: re.Pattern
    ordinal_prefixes: tuple[str, ...]
    date_counters: tuple[str, ...]
    name_glue: re.Pattern
    section_number: re.Pattern
    one_of: re.Pattern
    duration_after_year: tuple[str, ...] = ()
    transparent_before_numeral: tuple[str, ...] = ()
    object_stop_suffixes: tuple[str, ...] = ()
    object_connectors: tuple[str, ...] = ()
    object_trailers: tuple[str, ...] = ()
    examples: list[dict] = field(default_factory=list)


@lru_cache(maxsize=1)
def quantity_rules() -> QuantityRules:
    """Compile units.yaml, qualifiers.yaml and numerals.yaml into lookup tables."""
    udata, qdata, ndata = load("units"), load("qualifiers"), load("numerals")
    units: list[Unit] = []
    seen: set[str] = set()
    for entry in udata.get("units", []):
        if entry["id"] in seen:
            raise RuleDataError(f"units.yaml: duplicate unit id {entry['id']!r}")
        seen.add(entry["id"])
        units.append(Unit(entry["id"], tuple(map(str, entry.get("ja", []))), tuple(map(str, entry.get("en", []))),
                          tuple(entry.get("generic", [])), tuple(entry.get("objects", []))))
    counter_index = sorted(((s, u) for u in units for s in u.ja), key=lambda p: -len(p[0]))
    generic_index = sorted(((s, u) for u in units for s in u.generic), key=lambda p: -len(p[0]))
    quals = [Qualifier(q["surface"], q["position"], q["qualifier"], q.get("strength", "tight"))
             for q in qdata.get("qualifiers", [])]
    by_len = lambda q: -len(q.surface)  # noqa: E731 - longest match first
    vague = re.compile("|".join(f"(?:{p['pattern']})" for p in qdata.get("vague_patterns", [])))
    examples = [dict(e, unit=u["id"]) for u in udata.get("units", []) for e in u.get("examples", [])]
    return QuantityRules(
        units=units,
        counter_index=counter_index,
        generic_index=generic_index,
        prefixes=sorted((q for q in quals if q.position == "prefix"), key=by_len),
        suffixes=sorted((q for q in quals if q.position == "suffix"), key=by_len),
        range_separators=sorted(qdata.get("range_separators", []), key=len, reverse=True),
        vague=vague,
        ordinal_prefixes=tuple(ndata.get("ordinal_prefixes", [])),
        date_counters=tuple(sorted(ndata.get("date_counters", []), key=len, reverse=True)),
        name_glue=re.compile(ndata["name_glue"]),
        section_number=re.compile(ndata["section_number"]),
        one_of=re.compile(ndata["one_of"]),
        duration_after_year=tuple(sorted(ndata.get("duration_after_year", []), key=len, reverse=True)),
        transparent_before_numeral=tuple(sorted(ndata.get("transparent_before_numeral", []), key=len, reverse=True)),
        object_stop_suffixes=tuple(ndata.get("object_stop_suffixes", [])),
        object_connectors=tuple(sorted(ndata.get("object_connectors", []), key=len, reverse=True)),
        object_trailers=tuple(ndata.get("object_trailers", [])),
        examples=examples,
    )
