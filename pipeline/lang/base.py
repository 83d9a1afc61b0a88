"""What every language backend offers (:class:`LanguageBackend`), and what they share.

The document stage (:mod:`pipeline.extract.document`) looks a backend up by the document's language and runs one
straight line over it: segment the text into blocks, analyse them with the backend's spaCy pipeline, then ask
the backend for quantities, actor mentions, times and roles. Everything a backend returns is a language-neutral
record of :mod:`pipeline.core.records`, with offsets relative to the analysed text.
"""
from __future__ import annotations

from typing import Protocol

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.core.records import ActorMention, Quantity, Roles, TimeExpr
from pipeline.load.textprep import LineRules


class TimeFinder(Protocol):
    """Finds time expressions sentence by sentence, carrying the year in force."""

    def find(self, text: str) -> list[TimeExpr]: ...


class LanguageBackend(Protocol):
    """One language: its analysis pipeline and its rules. ``pipeline/lang/README.md`` says how to add one."""

    code: str                 # ISO 639-1, as in X.<code>.txt and the lang column
    name: str                 # English name, for messages
    lines: LineRules          # how PDF-broken lines are rejoined and which lines are headings

    def load_nlp(self) -> Language:
        """A fresh spaCy pipeline (no network: a model from a registry package or a blank pipeline)."""

    def time_finder(self, doc_year: int | None) -> TimeFinder:
        """A time resolver for one document; ``doc_year`` anchors relative times (本年, this year)."""

    def quantities(self, doc: Doc) -> list[Quantity]:
        """The quantity expressions of an analysed text, offsets relative to ``doc.text``."""

    def actor_mentions(self, doc: Doc) -> list[ActorMention]:
        """Actors named in an analysed text (gazetteer, and whatever the pipeline adds), offsets relative to
        ``doc.text``."""

    def roles(self, doc: Doc, quantity: Quantity, sent_start: int, sent_end: int,
              mentions: list[ActorMention]) -> Roles:
        """Who did what for ``quantity`` in the sentence [sent_start, sent_end) of ``doc.text``; ``mentions``
        are :meth:`actor_mentions` of the same doc."""

    def subject_actors(self, doc: Doc, sent_start: int, sent_end: int, mentions: list[ActorMention]) -> list[str]:
        """Actor ids of the subject of the sentence [sent_start, sent_end) of ``doc.text``, which the document
        stage carries to later sentences that name none (:mod:`pipeline.extract.discourse`)."""


def time_for(quantity_start: int, times: list[TimeExpr]) -> str:
    """The time a quantity refers to: the nearest time before it in the sentence, else the nearest after."""
    before = [t for t in times if t.end <= quantity_start]
    if before:
        return before[-1].value
    after = [t for t in times if t.start >= quantity_start]
    return after[0].value if after else ""
