"""English: a blank spaCy pipeline with a rule sentencizer (no model download), rule-based quantities and times
(``models/numbers_en.yaml``, ``models/time_en.yaml``), gazetteer matching, and roles from cue words."""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc
from pipeline.lang import extensions  # noqa: F401  - doc._.text

from pipeline.core.records import ActorMention, Quantity, Roles, shift_mentions
from pipeline.load.textprep import EN_LINES
from pipeline.lang.en.quantities import find_quantities_en, unit_follows
from pipeline.lang.en.roles import roles_for_en, subject_en
from pipeline.lang.en.timex import TimeResolverEn


class EnglishBackend:
    """The English backend (see :class:`pipeline.lang.base.LanguageBackend`)."""

    code, name, lines = "en", "English", EN_LINES

    def load_nlp(self) -> Language:
        from pipeline.lang.nlp import load_blank

        nlp = load_blank("en")
        nlp.add_pipe("sentencizer")
        return nlp

    def time_finder(self, doc_year: int | None) -> TimeResolverEn:
        return TimeResolverEn(doc_year, unit_follows=unit_follows)

    def quantities(self, doc: Doc) -> list[Quantity]:
        return find_quantities_en(doc._.text)

    def actor_mentions(self, doc: Doc) -> list[ActorMention]:
        from pipeline.extract.actors import gazetteer

        return gazetteer().find_en(doc._.text)

    def roles(self, doc: Doc, quantity: Quantity, sent_start: int, sent_end: int,
              mentions: list[ActorMention]) -> Roles:
        return roles_for_en(doc._.text[sent_start:sent_end], quantity.start - sent_start, quantity.end - sent_start,
                            _in_sentence(mentions, sent_start, sent_end))

    def subject_actors(self, doc: Doc, sent_start: int, sent_end: int, mentions: list[ActorMention]) -> list[str]:
        """Actor ids of the subject of the sentence [sent_start, sent_end) of ``doc.text`` (cue words)."""
        return subject_en(doc._.text[sent_start:sent_end], _in_sentence(mentions, sent_start, sent_end),
                          heading=bool(doc.user_data.get("heading")))


def _in_sentence(mentions: list[ActorMention], sent_start: int, sent_end: int) -> list[ActorMention]:
    """The mentions of a sentence, with sentence-relative offsets."""
    return [m for m in shift_mentions(mentions, sent_start) if 0 <= m.start < sent_end - sent_start]


BACKEND = EnglishBackend()
