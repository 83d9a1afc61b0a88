"""The time of a claim's event, read from its document (issue 15), for the fact stage.

A claim's own ``time`` comes from its sentence. Where the sentence gives none, the event's time is a day named
relative to the document's own date (本日 / "today" in a press release is its date; 昨日 / "yesterday" the day
before), else the last time given earlier in the same section (「…7月4日に発射…」 then 「…約930km飛翔し…」), else the
document's date (a statement reports the day it is dated). Which of these it was is kept in ``time_source``
(``sentence``, ``relative``, ``context``, ``dateline``): only times a sentence gives can make a conflict.

:func:`candidates` gives the rows of one document that the fact stage keeps, each with its ``dimension``,
``event_time``, ``time_source`` and ``document_date``; the run calls it once per document.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from pipeline.core import rules
from pipeline.crosslang.dimensions import dimensions_of

EXPLICIT = ("sentence", "relative")     # time sources that a claim's own sentence gives


@dataclass(frozen=True)
class TimeRules:
    header_lines: int
    max_line_chars: int
    numeric_date: re.Pattern
    relative: dict[str, tuple[tuple[re.Pattern, int], ...]]   # lang -> (word, day offset), longest first


@lru_cache(maxsize=1)
def time_rules() -> TimeRules:
    """The document_date and relative_days sections of dimensions.yaml, compiled."""
    data = rules.load("dimensions")
    dd = data["document_date"]
    relative = {}
    for lang, words in data.get("relative_days", {}).items():
        ordered = sorted(words.items(), key=lambda kv: -len(kv[0]))
        relative[lang] = tuple((re.compile(re.escape(w) if lang == "ja" else rf"\b{re.escape(w)}\b", re.I), off)
                               for w, off in ordered)
    return TimeRules(dd["header_lines"], dd["max_line_chars"], re.compile(dd["numeric_date"]), relative)


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if len(value) == 10 else None
    except ValueError:
        return None


def document_date(document, sentences, finder) -> date | None:
    """The document's own date: its metadata ``published`` (a full date), else the first full date in a short
    header line among its first lines."""
    own = _day(document.published or "")
    if own is not None:
        return own
    r = time_rules()
    for s in sentences[:r.header_lines]:
        if s.kind == "sentence" or len(s.text) > r.max_line_chars:
            continue
        found = [_day(t.value) for t in finder.find(s.text)]
        m = r.numeric_date.search(s.text)
        if m:
            found.append(_day(f"{int(m[1]):04d}-{int(m[2]):02d}-{int(m[3]):02d}"))
        day = next((d for d in found if d is not None), None)
        if day is not None:
            return day
    return None


def relative_day(text: str, lang: str, doc_date: date | None) -> str:
    """The day a relative word of ``text`` names (本日 → the document's date), '' if none or no date."""
    if doc_date is None:
        return ""
    for pattern, offset in time_rules().relative.get(lang, ()):
        if pattern.search(text):
            return (doc_date + timedelta(days=offset)).isoformat()
    return ""


def event_times(result) -> tuple[dict[str, tuple[str, str]], str]:
    """claim_id -> (event time, source) for the claims of a :class:`DocumentResult`, and the document's date."""
    from pipeline.lang import backend   # the language backends load spaCy: only when a document is read
    from pipeline.lang.base import time_for

    lang = result.document.lang
    doc_date = document_date(result.document, result.sentences, backend(lang).time_finder(None))
    finder = backend(lang).time_finder(doc_date.year if doc_date else None)
    by_sentence: dict[int, list] = {}
    for c in result.claims:
        by_sentence.setdefault(c.sentence_id, []).append(c)
    out, in_force, section = {}, "", None
    for s in result.sentences:
        if s.section != section:
            in_force, section = "", s.section
        found = finder.find(s.text)
        relative = relative_day(s.text, lang, doc_date)
        for c in by_sentence.get(s.sentence_id, []):   # the document's date may resolve a time the run did not
            own = c.time or time_for(c.char_start - s.char_start, found)
            out[c.claim_id] = _claim_time(own, relative, in_force, doc_date)
        if s.kind == "sentence" and (found or relative):
            in_force = found[-1].value if found else relative
    return out, doc_date.isoformat() if doc_date else ""


def _claim_time(own: str, relative: str, in_force: str, doc_date: date | None) -> tuple[str, str]:
    if own:
        return own, "sentence"
    if relative:
        return relative, "relative"
    if in_force:
        return in_force, "context"
    return (doc_date.isoformat(), "dateline") if doc_date else ("", "")


def may_join(claim: dict, matched_ids: set[str]) -> bool:
    """Whether a claim row can belong to a fact: a translation match ties it to another claim, or it has a unit
    (its dimension is read from its sentence together with the other claims of that sentence, so these are
    kept whole). A run keeps only these rows across documents."""
    return claim["claim_id"] in matched_ids or bool(claim.get("unit"))


def candidates(claim_rows: list[dict], matched: set[str], result=None) -> list[dict]:
    """The claim rows of one document that can belong to a fact (:func:`pipeline.crosslang.facts.may_join`), as
    new rows with their ``dimension`` (read with all the claims of their sentence), ``event_time``,
    ``time_source`` and ``document_date`` when the document's records ``result`` are given; the sentence text
    is not kept."""
    keep = [c for c in claim_rows if may_join(c, matched)]
    if result is None or not keep:
        return keep
    found = dimensions_of(claim_rows)
    times, doc_date = event_times(result)
    out = []
    for c in keep:
        row = {k: v for k, v in c.items() if k != "sentence"}
        row["dimension"] = found.get(c["claim_id"], "")
        row["event_time"], row["time_source"] = times.get(c["claim_id"], (c.get("time") or "", "sentence"))
        row["document_date"] = doc_date
        out.append(row)
    return out

