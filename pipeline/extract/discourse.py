"""Who a claim is about when its sentence does not say (issue 12): the document's speaker and the actor carried
over from the sentences before. Language-neutral: the backends say who the subject of each sentence is
(``subject_actors``) and who acts in a claim's own sentence (``roles``); :class:`Discourse` keeps, per document:

- the **speaker**, whose side the document speaks for (:func:`find_speaker`): the metadata publisher, an office or
  a person named as the speaker in the opening lines, else the language's default when the text uses a
  first-person form (a Japanese text's 我が国 is Japan's). First-person forms (我が国, 政府, we, the Government)
  become mentions of the speaker (found_by ``first_person``; ``pronoun`` for we, I, our). No evidence, no speaker.
  Anaphors (同国) become mentions of the state named last (found_by ``anaphora``).
- the **carried actor**: the subject of the latest sentence that named one. A claim whose sentence names no actor
  gets it (「北朝鮮は…発射した。…約700km飛翔し」 → PRK; "Iran fired a missile … It flew 1,200 km" → IRN). A
  heading starts a new section and resets it to the state the document's title names, if any (or sets it, when
  the heading names an actor: 「X国海軍による演習」); a heading that holds a quantity is a list line of its section
  and keeps it. Pronoun subjects (we, I) are the speaker's voice, not the topic: they are not carried.
- the **turn**: in minutes and transcripts, a speaker's label (models/actors.yaml ``speaker.turns``) starts a
  turn that carries nothing over from the turn before; a turn of someone who answers for a government gives it to
  the turn's claims that have no actor of their own or carried (「○国務大臣（…君）　…防衛関係費は…」 → JPN).
- the speaker's **own measures**: in a document about the speaker's grants, loans, budget or sanctions (a word of
  models/roles.yaml ``own_measures`` in its title or opening lines), a claim with neither its own nor a carried
  actor is the speaker's, and so is one whose sentence has such a word and names no other actor.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pipeline.core import rules
from pipeline.core.records import ActorMention, Document
from pipeline.extract.actors import gazetteer


@dataclass(frozen=True)
class FirstPersonForm:
    """A way a text names its own side (models/actors.yaml ``speaker.first_person``)."""

    lang: str
    pattern: re.Pattern
    government: bool          # only for a speaker that is a state (政府, the Government)
    pronoun: bool             # we, I, our: never carried to later sentences


@dataclass(frozen=True)
class SpeakerRules:
    """models/actors.yaml ``speaker``, compiled."""

    types: frozenset[str]
    publisher_types: frozenset[str]
    person_before: re.Pattern | None
    person_after: re.Pattern | None
    defaults: dict[str, str]
    first_person: tuple[FirstPersonForm, ...]
    publishers: tuple[tuple[re.Pattern, str], ...]
    turns: tuple[tuple[str, re.Pattern, str], ...] = ()   # (lang, label pattern, actor id or '')


def _compiled(pattern: str) -> re.Pattern | None:
    return re.compile(pattern) if pattern else None


@lru_cache(maxsize=1)
def speaker_rules() -> SpeakerRules:
    """The compiled speaker rules (once per process)."""
    data = rules.load("actors").get("speaker", {})
    forms = tuple(FirstPersonForm(f["lang"], re.compile(f["pattern"]), f.get("government", False),
                                  f.get("pronoun", False)) for f in data.get("first_person", []))
    publishers = tuple((re.compile(rf"(?<![A-Za-z]){re.escape(p['name'])}(?![A-Za-z])"), p["actor"])
                       for p in data.get("publishers", []))
    turns = tuple((t["lang"], re.compile(t["pattern"]), t.get("actor", "")) for t in data.get("turns", []))
    return SpeakerRules(frozenset(data.get("types", [])), frozenset(data.get("publisher_types", [])),
                        _compiled(data.get("person_before", "")), _compiled(data.get("person_after", "")),
                        dict(data.get("defaults", {})), forms, publishers, turns)


@lru_cache(maxsize=1)
def _anaphora() -> tuple[tuple[str, re.Pattern], ...]:
    """(language, pattern) of the words that name the state mentioned last (models/actors.yaml ``anaphora``)."""
    return tuple((a["lang"], re.compile(a["pattern"])) for a in rules.load("actors").get("anaphora", []))


@lru_cache(maxsize=1)
def _own_measure_cues() -> dict[str, re.Pattern]:
    """Per language, one pattern of the own-measure words (models/roles.yaml ``own_measures``)."""
    data = rules.load("roles").get("own_measures", {})
    return {lang: re.compile(r"(?<![A-Za-z])(?:" + "|".join(map(re.escape, words)) + ")", re.I)
            for lang, words in data.items() if words}


@lru_cache(maxsize=1)
def _not_carried_units() -> frozenset[str]:
    return frozenset(rules.load("roles").get("not_carried_units", []))


def own_measure_cue(text: str, lang: str) -> bool:
    """Whether ``text`` speaks of grants, loans, budget, assistance or sanctions (models/roles.yaml)."""
    cue = _own_measure_cues().get(lang)
    return bool(cue and cue.search(text))


def find_speaker(document: Document, opening: list[str]) -> str:
    """The acting id of the side ``document`` speaks for, '' without evidence: its publisher, else an office or a
    person named as the speaker in its ``opening`` lines, else its language's default if it uses a first-person
    form."""
    return (_publisher_speaker(document.publisher) or _opening_speaker(opening, document.lang)
            or _default_speaker(document.text, document.lang))


def _publisher_speaker(publisher: str) -> str:
    """外務省 (MOFA Japan) → JPN: a gazetteer office in the publisher's name, else a name of ``publishers``."""
    if not publisher:
        return ""
    g, r = gazetteer(), speaker_rules()
    for lang in ("ja", "en"):
        for m in g.find(publisher, lang):
            if m.actor_type in r.publisher_types:
                return g.acting_id(m.actor_id)
    return next((g.acting_id(actor) for pattern, actor in r.publishers if pattern.search(publisher)), "")


def _opening_speaker(opening: list[str], lang: str) -> str:
    """An office (a ministry, a department) or a person named as the speaker ("Remarks by …", a
    "Name, Title" byline) in the title and headings before the first paragraph."""
    g, r = gazetteer(), speaker_rules()
    for text in opening:
        for m in g.find(text, lang):
            if m.actor_type in r.types or (m.actor_type == "person" and _named_as_speaker(text, m, r)):
                return g.acting_id(m.actor_id)
    return ""


def _named_as_speaker(text: str, m: ActorMention, r: SpeakerRules) -> bool:
    return bool((r.person_before and r.person_before.search(text[:m.start]))
                or (r.person_after and r.person_after.search(text[m.end:])))


def _default_speaker(text: str, lang: str) -> str:
    """The language's default speaker (ja: JPN) when the text uses one of its first-person forms."""
    r = speaker_rules()
    default = r.defaults.get(lang, "")
    uses = any(f.lang == lang and f.pattern.search(text) for f in r.first_person)
    return default if default and uses else ""


def _free(pattern: re.Pattern, text: str, taken: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans of ``pattern`` in ``text`` that overlap none of ``taken``."""
    return [m.span() for m in pattern.finditer(text) if not any(a < m.end() and m.start() < b for a, b in taken)]


class Discourse:
    """The speaker and the carried actor of one document, fed in reading order by the document stage."""

    def __init__(self, document: Document, opening: list[str]):
        self.lang = document.lang
        self.speaker = find_speaker(document, opening)
        self.own_measures = bool(self.speaker) and any(own_measure_cue(t, self.lang)
                                                      for t in [document.title, *opening])
        self.current: list[str] = []
        self.topic: list[str] = []    # the actor the document's title names: what a new section starts from
        self.last_state = ""          # the state named last, in reading order: what 同国 refers to
        self.turn_actor = ""          # the side the speaker of the current turn answers for (minutes)

    def mentions(self, text: str, mentions: list[ActorMention]) -> list[ActorMention]:
        """``mentions`` of an analysed ``text`` plus, where no mention covers them, its first-person forms as
        mentions of the speaker and its anaphors (同国) as mentions of the state named last before them."""
        taken = [(m.start, m.end) for m in mentions]
        first_person = self._first_person(text, taken)
        taken += [(m.start, m.end) for m in first_person]
        anaphors = [ActorMention(s, e, "", "", "", "", "anaphora") for lang, pattern in _anaphora()
                    if lang == self.lang for s, e in _free(pattern, text, taken)]
        out = []
        for m in sorted(mentions + first_person + anaphors, key=lambda m: m.start):
            if m.found_by == "anaphora":
                m = self._mention(m.start, m.end, self.last_state, "anaphora")
            elif m.found_by not in ("first_person", "pronoun") and self._is_state(m):
                self.last_state = gazetteer().acting_id(m.actor_id)
            if m is not None:
                out.append(m)
        return out

    def _first_person(self, text: str, taken: list[tuple[int, int]]) -> list[ActorMention]:
        """The first-person forms of ``text`` outside ``taken`` spans, as mentions of the speaker."""
        entry = gazetteer().entries.get(self.speaker)
        if entry is None:
            return []
        out, taken = [], list(taken)
        for form in speaker_rules().first_person:
            if form.lang != self.lang or (form.government and entry.type != "state"):
                continue
            for s, e in _free(form.pattern, text, taken):
                taken.append((s, e))
                out.append(self._mention(s, e, self.speaker, "pronoun" if form.pronoun else "first_person"))
        return out

    @staticmethod
    def _mention(start: int, end: int, actor_id: str, found_by: str) -> ActorMention | None:
        entry = gazetteer().entries.get(actor_id)
        if entry is None:
            return None
        return ActorMention(start, end, entry.id, entry.type, entry.name_ja, entry.name_en, found_by)

    @staticmethod
    def _is_state(m: ActorMention) -> bool:
        g = gazetteer()
        entry = g.entries.get(g.acting_id(m.actor_id)) if m.actor_id else None
        return entry is not None and entry.type == "state" and g.can_act(m)

    @staticmethod
    def acting(mentions: list[ActorMention]) -> list[ActorMention]:
        """The mentions that can act in a claim (known actors, not places)."""
        g = gazetteer()
        return [m for m in mentions if g.can_act(m)]

    def turn(self, paragraph: str) -> None:
        """A paragraph read: if a speaker's label opens it, a new turn starts (nothing carried over) and its
        speaker's side is noted."""
        for lang, pattern, actor in speaker_rules().turns:
            if lang == self.lang and pattern.match(paragraph):
                self.current = []
                self.turn_actor = gazetteer().acting_id(actor) if actor else ""
                return

    def new_section(self) -> None:
        """A heading: what was carried belongs to the section before; the section starts from the title's actor."""
        self.current = list(self.topic)

    def after_sentence(self, subject_ids: list[str], title: bool = False) -> None:
        """A sentence (or heading) read: its subject, if it names an actor (not a source such as a newspaper), is
        carried from now on. A ``title`` that names a state makes it the document's topic (one that names an
        office or a person names who speaks: 「外務省・新着情報」, "Remarks by …")."""
        g = gazetteer()
        ids = g.acting_ids([i for i in subject_ids if not g.is_source(i)])
        if ids:
            self.current = ids
            if title and all(g.entries[i].type == "state" for i in subject_ids if i in g.entries):
                self.topic = ids

    def claim_actors(self, own: list[str], sentence: str, mentions: list[ActorMention], unit: str = "") -> list[str]:
        """A claim's actor ids: its ``own`` (from its sentence), else the speaker's for an own measure in a sentence
        that names no other actor, else the carried actor, else the speaker in a document about its own measures.
        ``mentions``: the acting mentions of the claim's sentence; a count of a ``unit`` that acts itself (countries,
        models/roles.yaml not_carried_units) gets no actor but its own."""
        g = gazetteer()
        if own or unit in _not_carried_units():
            return g.acting_ids(own)
        if self.own_measures and own_measure_cue(sentence, self.lang) and not self._names_others(mentions):
            return [self.speaker]
        if self.current:
            return list(self.current)
        if self.turn_actor:
            return [self.turn_actor]
        return [self.speaker] if self.own_measures else []

    @staticmethod
    def recipients(recipient_ids: list[str], actor_ids: list[str]) -> list[str]:
        """A claim's recipient ids as acting ids (ロシア外務省に → RUS), without its actors."""
        return [i for i in gazetteer().acting_ids(recipient_ids) if i not in actor_ids]

    def _names_others(self, mentions: list[ActorMention]) -> bool:
        g = gazetteer()
        return any(g.acting_id(m.actor_id) != self.speaker for m in mentions)
