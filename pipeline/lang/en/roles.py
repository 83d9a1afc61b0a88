"""Who did what in English: the event verb before the number, the actor named in its clause, the recipient after
"to", hedge and attribution cues (``models/hedges.yaml``: en_cues, en_attribution). Regular expressions over the
sentence: the English pipeline has no dependency parse.
"""
from __future__ import annotations

import re
from functools import lru_cache

from pipeline.core import rules
from pipeline.core.records import ActorMention, Roles


@lru_cache(maxsize=1)
def _en_cues() -> tuple[list[tuple[re.Pattern, str]], list[str]]:
    data = rules.load("hedges")
    cues = [(re.compile(rf"(?<![A-Za-z]){re.escape(c['surface'])}(?![A-Za-z])", re.I), c["hedge"])
            for c in data.get("en_cues", [])]
    return cues, [a["surface"] for a in data.get("en_attribution", [])]


def roles_for_en(sentence: str, start: int, end: int, mentions: list[ActorMention]) -> Roles:
    """Hedge and attribution of an English claim at [start, end) of ``sentence`` (mentions sentence-relative).
    Cues written before the number in the same clause count too (North Korea reportedly sent 11,000 …)."""
    cues, attrib = _en_cues()
    r = Roles()
    clause_start = max((m.end() for m in re.finditer(r"[;.]\s|,\s(?=[a-z])", sentence[:start])), default=0)
    clause_end = min((m.start() for m in re.finditer(r"[;.]\s|,\s", sentence[end:])), default=len(sentence) - end) + end
    window = sentence[clause_start:clause_end]
    verbs = _en_event_verbs()
    before = sentence[clause_start:start]
    found = [(m.end(), m.group(0)) for v in verbs for m in re.finditer(rf"\b{re.escape(v)}\b", before, re.I)]
    if found:
        r.predicate = max(found)[1].lower()
    # who: the first actor named in the clause before the number that is not an object of to/from/by/with;
    # recipient: an actor after "to" following the number (North Korea sent 11,000 soldiers to Russia)
    for m in mentions:
        if clause_start <= m.start < start and m.actor_id and not re.search(
                r"\b(to|from|by|with|of|against|for)\s+(the\s+)?$", sentence[clause_start:m.start], re.I):
            r.actor_ids = [m.actor_id]
            break
    for m in mentions:
        if end <= m.start < clause_end and m.actor_id and re.search(r"\bto\s+(the\s+)?$", sentence[end:m.start]):
            if m.actor_id not in r.actor_ids:
                r.recipient_ids = [m.actor_id]
            break
    hits = sorted((m.start(), hedge) for pattern, hedge in cues for m in pattern.finditer(window))
    if hits:
        r.hedge = hits[0][1]
    for cue in attrib:
        i = sentence.lower().find(cue)
        if i == -1:
            continue
        r.hedge = r.hedge if hits else "reported"
        if cue == "according to":
            after = [m for m in mentions if m.start >= i + len(cue) and m.actor_id]
            r.attribution = after[0].actor_id if after else sentence[i + len(cue):].strip(" .,")[:30]
        else:
            before = [m for m in mentions if m.end <= i and m.actor_id]
            r.attribution = before[-1].actor_id if before else ""
        break
    return r


@lru_cache(maxsize=1)
def _en_event_verbs() -> list[str]:
    return sorted({v for e in rules.load("events")["events"] for v in e.get("en", [])}, key=len, reverse=True)
