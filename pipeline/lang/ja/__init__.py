"""Japanese: GiNZA (``ja_ginza``) with the rule component ``quantity_finder``, the Japanese time resolver,
gazetteer matching with compounds (露朝, 日米韓) and GiNZA's NER, and roles from the dependency parse."""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc
from pipeline.lang import extensions  # noqa: F401  - doc._.text

from pipeline.core import settings
from pipeline.core.records import ActorMention, Quantity, Roles
from pipeline.load.textprep import JA_LINES
from pipeline.lang.ja.quantities import SPAN_KEY
from pipeline.lang.ja.roles import roles_for, sentence_subject
from pipeline.lang.ja.bunsetu import replace_recognizer
from pipeline.lang.ja.sentences import COMPONENT as BRACKET_SENTENCES   # (importing registers the component)
from pipeline.lang.ja.timex import TimeResolver


class JapaneseBackend:
    """The Japanese backend (see :class:`pipeline.lang.base.LanguageBackend`)."""

    code, name, lines = "ja", "Japanese", JA_LINES

    def load_nlp(self) -> Language:
        from pipeline.lang.nlp import load_model, use_numpy_ops

        use_numpy_ops()
        nlp = load_model("ja_ginza")
        if settings.get("ner") == "0":
            # GiNZA's NER (758 actions) is ~60% of parsing time here; without it actors come from the
            # gazetteer only (bench/results/throughput.json)
            nlp.disable_pipe("ner")
        nlp.add_pipe(BRACKET_SENTENCES, before="parser")   # no sentence start inside （…）
        replace_recognizer(nlp)   # GiNZA's labels without its bunsetu spans, which nothing reads
        nlp.add_pipe("quantity_finder", last=True)
        return nlp

    def time_finder(self, doc_year: int | None) -> TimeResolver:
        return TimeResolver(doc_year)

    def quantities(self, doc: Doc) -> list[Quantity]:
        return [span._.quantity for span in doc.spans.get(SPAN_KEY, [])]

    def actor_mentions(self, doc: Doc) -> list[ActorMention]:
        from pipeline.extract.actors import gazetteer

        g = gazetteer()
        return g.merge_ner(g.find_ja(doc._.text), doc.ents)

    def roles(self, doc: Doc, quantity: Quantity, sent_start: int, sent_end: int,
              mentions: list[ActorMention]) -> Roles:
        return roles_for(doc, quantity.start, quantity.end, sent_start, sent_end, mentions)

    def subject_actors(self, doc: Doc, sent_start: int, sent_end: int, mentions: list[ActorMention]) -> list[str]:
        """Actor ids of the subject of the sentence [sent_start, sent_end) of ``doc.text`` (the dependency parse)."""
        return sentence_subject(doc, sent_start, sent_end, mentions)


BACKEND = JapaneseBackend()
