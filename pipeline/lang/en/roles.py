"""Who did what in English: the event verb before the number, the actor named in its clause, the recipient after
"to", hedge and attribution cues (``models/hedges.yaml``: en_cues, en_attribution). Regular expressions over the
sentence: the English pipeline has no dependency parse.

The actor of a claim (issue 12) is the first actor named before the number in its clause that can be a subject:
not right after a preposition, an auxiliary or a/an (``models/roles.yaml`` en_not_subject_after: to Russia,
according to Seoul, would give Ukraine, a Japan-based firm), except "the Government of Canada" (en_of_heads) and
an agent after "by" (fired by Iran); not "we" or "I" reporting what follows (we believe that …); else a passive's
agent or an aid's provider after the number in the clause ($40 million in EU humanitarian aid); else the possessor
of the number's own noun phrase (the sanctions follow Iran's launch of 30 missiles; Iran's 12 frigates); else the
state whose adjective qualifies the number's own noun (3,000 North Korean soldiers; ``demonyms_en`` in
``models/actors.yaml``); else the nearest earlier clause's actor in the same sentence (Iran fired 12 drones, among
them three jets). When an actor reports what another did (Seoul says Iran fired 12 drones; en_reporting_verbs), the
reported clause's actor comes first (its subject, or the state qualifying the number's noun).
Clauses end at ; . : — and at a comma before a lower-case word, "but", "while" and "whereas"; not at the period of
an abbreviation (U.S., J.). A leading speaker label ("Defence Minister X: …") names nobody.

What a sentence carries to the next ones (:func:`subject_en`) is stricter: no pronoun, no actor inside a
subordinate clause (because Iran's navy moved), and a possessive only where it opens its clause (Iran's navy
moved; not: ports hit by Iran's navy).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pipeline.core import rules
from pipeline.core.records import ActorMention, Roles

_CLAUSE_BREAK = re.compile(r"(?<!\b[A-Z])[;.](?=\s)|:\s|,\s(?=[a-z])|\s(?:but|while|whereas)\s|\s?[—–]\s?")
_LABEL = re.compile(r"^\s*(?:[A-Z][\w.'’-]*\s+){0,5}[A-Z][\w.'’-]*:\s")
# words that open a subordinate clause: an actor after one is not the subject a sentence carries on
_SUBORDINATE = re.compile(r"\b(?:since|because|after|before|when|as|until|if|although|though|while|whereas|"
                          r"which|who)\s+(?:\w+\s+){0,3}$", re.I)
_PROVIDER_BEFORE = re.compile(r"^\s+(?:in|of)\s+(?:[A-Za-z-]+\s+){0,2}$")
# a passive participle before "by" (launched by, provided by, sent by): the agent of a number written before it
_PARTICIPLE_BY = re.compile(r"[a-z](?:ed|en|nt|de|ld|id|wn|ne|ht)\s+by\s+(?:the\s+)?$")
_REPORTING = re.compile(r"\bthat\b")
# a word that opens a new clause inside a clause: what came before it is not this actor's clause
_NEW_CLAUSE = re.compile(r"\b(?:that|which|who|as|because|when|while|since|after|before|until|if|although)\b")
_INFINITIVE_OBJECT = re.compile(r"\bto\s+[a-z]+\s+(?:the\s+)?$")       # to help Ukraine, to deter Iran
_PERSONAL = re.compile(r"^(?:I|[Ww]e|[Yy]ou|[Hh]e|[Ss]he|[Tt]hey)\b")
_COORDINATED = re.compile(r"^(?:and|or|nor)\b", re.I)                 # a list goes on: no new subject
_POSSESSIVE = re.compile(r"^['’]s\b")
# between a possessor and the number of its noun phrase: Iran's launch of | Iran's | Iran's total of
_POSSESSED = re.compile(r"^['’]s\s+(?:(?:[a-z][a-z-]*\s+){1,3}of\s+(?:the\s+|some\s+)?)?$")


@lru_cache(maxsize=1)
def _en_cues() -> tuple[list[tuple[re.Pattern, str]], list[str]]:
    data = rules.load("hedges")
    cues = [(re.compile(rf"(?<![A-Za-z]){re.escape(c['surface'])}(?![A-Za-z])", re.I), c["hedge"])
            for c in data.get("en_cues", [])]
    return cues, [a["surface"] for a in data.get("en_attribution", [])]


@dataclass(frozen=True)
class _SubjectRules:
    """models/roles.yaml's English subject rules, compiled (see the module doc)."""

    not_subject_after: re.Pattern     # right before the actor: a preposition, a/an
    auxiliary: re.Pattern             # anywhere before it in its clause
    determiner: re.Pattern            # the clause opens with another noun phrase
    of_head: re.Pattern               # the Government of X
    by: re.Pattern
    not_agent: re.Pattern             # stand by X
    provided: re.Pattern              # after an actor: U.S. (security) assistance
    reporting: re.Pattern             # X says (that) Y …


@lru_cache(maxsize=1)
def _subject_rules() -> _SubjectRules:
    data = rules.load("roles")

    def words(key: str) -> str:
        return "|".join(map(re.escape, sorted(data.get(key, []), key=len, reverse=True))) or "(?!)"

    measures = "|".join(map(re.escape, data.get("own_measures", {}).get("en", []))) or "(?!)"
    return _SubjectRules(
        not_subject_after=re.compile(rf"\b(?:{words('en_not_subject_after')})\s+(?:the\s+)?$", re.I),
        auxiliary=re.compile(rf"\b(?:{words('en_auxiliaries')})\b", re.I),
        determiner=re.compile(rf"^(?:{words('en_determiners')})\s+\S", re.I),
        of_head=re.compile(rf"\b(?:{words('en_of_heads')})\s+of\s+(?:the\s+)?$"),
        by=re.compile(r"\bby\s+(?:the\s+)?$", re.I),
        not_agent=re.compile(rf"\b(?:{words('en_by_not_agent')})\s+by\s+(?:the\s+)?$", re.I),
        provided=re.compile(rf"^\s+(?:[A-Za-z-]+\s+){{0,2}}?(?:{measures})", re.I),
        reporting=re.compile(rf"\b(?:{words('en_reporting_verbs')})\s+(?:that\s+)?"))


def _clauses(sentence: str) -> list[tuple[int, int]]:
    """[start, end) of each clause of ``sentence``."""
    cuts = [0] + [m.end() for m in _CLAUSE_BREAK.finditer(sentence)] + [len(sentence)]
    return [(a, b) for a, b in zip(cuts, cuts[1:]) if a < b]


def _label_end(sentence: str) -> int:
    """End of a leading speaker label ("Defence Minister X: "), 0 if none."""
    m = _LABEL.match(sentence)
    return m.end() if m else 0


def _agent_before(before: str) -> bool:
    """Whether an actor written after ``before`` (its clause up to it) can be the subject or agent."""
    r = _subject_rules()
    if r.by.search(before):
        return not r.not_agent.search(before)
    head = r.of_head.search(before)
    if head:                       # the Government of Canada: read as if "Canada" stood where the head does
        before = before[:head.start()]
    if r.not_subject_after.search(before) or _INFINITIVE_OBJECT.search(before):
        return False
    clause = _NEW_CLAUSE.split(before)[-1]
    return not r.auxiliary.search(clause) and not r.determiner.match(clause.strip())


def _first_agent(sentence: str, lo: int, hi: int, mentions: list[ActorMention], carried: bool = False) -> list[str]:
    """The first actor in [lo, hi) that can be the subject; ``carried``: one that another clause may take over
    (no pronoun: "we" is the speaker's voice; none inside a subordinate clause: "because Iran's navy …")."""
    for m in mentions:
        if not (lo <= m.start < hi and m.actor_id and _agent_before(sentence[lo:m.start])):
            continue
        if m.found_by == "pronoun" and (carried or _REPORTING.search(sentence[m.end:hi])):
            continue
        if carried and _SUBORDINATE.search(sentence[lo:m.start]):
            continue
        return [m.actor_id]
    return []


def _agent_after(sentence: str, end: int, hi: int, mentions: list[ActorMention]) -> list[str]:
    """An actor after the number in its clause that acts all the same: a passive's agent (… were fired by Iran)
    or the provider of an aid or a measure ($40 million in EU humanitarian aid)."""
    provided = _subject_rules().provided
    for m in mentions:
        if end <= m.start < hi and m.actor_id:
            between = sentence[end:m.start]
            if _PARTICIPLE_BY.search(between) or (
                    _PROVIDER_BEFORE.match(between) and provided.match(sentence[m.end:hi])):
                return [m.actor_id]
    return []


def _possessor(sentence: str, lo: int, start: int, mentions: list[ActorMention]) -> list[str]:
    """The actor whose possessive opens the number's noun phrase (Iran's launch of 30 missiles, Iran's 12
    frigates), in the clause [lo, start)."""
    for m in reversed(mentions):
        if lo <= m.start and m.end <= start and m.actor_id and _POSSESSED.match(sentence[m.end:start]):
            return [m.actor_id]
    return []


def _reported_clause(sentence: str, lo: int, start: int, mentions: list[ActorMention]) -> int:
    """Where the clause that a reporting verb introduces starts, when an actor reports it (named before the verb:
    Seoul says Iran fired 12 drones); else ``lo``."""
    last = None
    for m in _subject_rules().reporting.finditer(sentence, lo, start):
        last = m
    if last is None:
        return lo
    reporter = any(lo <= m.start and m.end <= last.start() and m.actor_id for m in mentions)
    return last.end() if reporter else lo


def _of_demonym(sentence: str, start: int, end: int) -> list[str]:
    """The one state whose adjective qualifies the claim's own counted noun (3,000 North Korean soldiers; not
    Russian and North Korean troops)."""
    from pipeline.extract.actors import gazetteer

    ids = gazetteer().demonym_ids(sentence[start:end])
    return ids if len(ids) == 1 else []


def claim_actor(sentence: str, start: int, end: int, mentions: list[ActorMention]) -> list[str]:
    """Actor ids of the claim at [start, end) of ``sentence`` (mentions sentence-relative), see the module doc."""
    label = _label_end(sentence)
    mentions = [m for m in mentions if m.start >= label]
    clauses = [(max(a, label), b) for a, b in _clauses(sentence) if b > label]
    if not clauses or start < label:
        return []
    here = next((i for i, (a, b) in enumerate(clauses) if a <= start < b), len(clauses) - 1)
    a, b = clauses[here]
    reported = _reported_clause(sentence, a, start, mentions)
    qualified = _of_demonym(sentence, start, end)
    # the reported clause's own actor: its subject, or the state qualifying its counted noun (Tokyo said four
    # Chinese ships entered …); else the reporter, as any subject
    own = reported > a and (_first_agent(sentence, reported, start, mentions) or qualified)
    found = own or _first_agent(sentence, a, start, mentions) or _agent_after(sentence, end, b, mentions) \
        or _possessor(sentence, a, start, mentions) or qualified
    for ca, cb in reversed(clauses[:here]):
        if found:
            break
        found = _first_agent(sentence, ca, cb, mentions, carried=True)
    return found


def subject_en(sentence: str, mentions: list[ActorMention], heading: bool = False) -> list[str]:
    """The actor a sentence is about, carried to the next sentences: the subject of its first clause that has one
    (see the module doc). A clause that opens with a personal pronoun or another noun phrase (I thank …, The
    package would give Ukraine …) has a subject that is no actor: the sentence changes nothing. A ``heading`` in
    title case has no telling verbs: only an actor that opens it (Japan Extends Sanctions …) or an agent after
    "by" (Measures Taken by Japan) is its subject (not the object in "Treasury Targets Iran's Network")."""
    if heading:
        first = [m for m in mentions if m.actor_id and (not sentence[:m.start].strip(" \t•-–—*>")
                                                         or _subject_rules().by.search(sentence[:m.start]))]
        return [first[0].actor_id] if first else []
    label = _label_end(sentence)
    for a, b in _clauses(sentence):
        if b <= label:
            continue
        a = max(a, label)
        text = sentence[a:b].strip()
        if _COORDINATED.match(text):
            continue
        if _PERSONAL.match(text):
            return []
        kept = [m for m in mentions if not _POSSESSIVE.match(sentence[m.end:])
                or sentence[a:m.start].strip() in ("", "The", "the")]
        found = _first_agent(sentence, a, b, kept, carried=True)
        if found or _subject_rules().determiner.match(text):
            return found
    return []


def roles_for_en(sentence: str, start: int, end: int, mentions: list[ActorMention]) -> Roles:
    """Roles of an English claim at [start, end) of ``sentence`` (mentions sentence-relative). Cues written before
    the number in the same clause count too (North Korea reportedly sent 11,000 …)."""
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
    r.actor_ids = claim_actor(sentence, start, end, mentions)
    # recipient: an actor after "to" following the number (North Korea sent 11,000 soldiers to Russia)
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
