"""Readable messages for rule files that do not fit their schema (:mod:`pipeline.core.schemas`): one line per
problem, with the path into the data (each entry named by its id), the field, what was expected and what was found."""
from __future__ import annotations

import datetime as dt
import types
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from annotated_types import Interval, Len
from pydantic import BaseModel, ValidationError

from pipeline.core.schema_types import _QualifierMarker, _RegexMarker


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

