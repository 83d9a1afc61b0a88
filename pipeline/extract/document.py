"""Process one document: blocks → GiNZA/spaCy → sentences and claims with stored-text offsets.

Plain Python (no Prefect): :func:`process_document` is what the flow runs once per document.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from spacy.tokens import Doc
from pipeline.lang import extensions  # noqa: F401  - doc._.text

from pipeline.core.records import Actor, ActorMention, Citation, Claim, Document, Quantity, Sentence, TimeExpr
from pipeline.extract.citations import CitationFinder, CitationMatch
from pipeline.extract.discourse import Discourse
from pipeline.extract.sentences import join_false_splits
from pipeline.lang import backend
from pipeline.lang.analysis import analyse, deferred
from pipeline.lang.base import LanguageBackend, time_for
from pipeline.lang.nlp import MAX_CHUNK_BYTES, get_nlp
from pipeline.load import corpus, textprep

SENTENCE_END_RE = re.compile(r"[。．！？!?]+[」』）)]*|\n")
PARSED_KINDS = ("title", "heading", "paragraph", "note")
HEADING_KINDS = ("title", "heading")
BODY_MIN_CHARS = 60
_BODY_END_RE = re.compile(r"[。．.!?！？][」』）)\"”’]*\s*$")


@dataclass
class DocumentResult:
    """Everything extracted from one document."""

    document: Document
    sentences: list[Sentence] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    actors: list[Actor] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)


def chunk_spans(text: str, max_bytes: int = MAX_CHUNK_BYTES) -> list[tuple[int, int]]:
    """Split ``text`` into [start, end) pieces under ``max_bytes`` UTF-8 bytes, at sentence ends where possible."""
    if len(text.encode("utf-8")) <= max_bytes:
        return [(0, len(text))]
    out, start, size, last_cut = [], 0, 0, None
    i = 0
    while i < len(text):
        size += len(text[i].encode("utf-8"))
        m = SENTENCE_END_RE.match(text, i)
        if m:
            i = m.end() - 1
            size += len(text[m.start() + 1:m.end()].encode("utf-8"))
            last_cut = m.end()
        if size > max_bytes:
            cut = last_cut if last_cut and last_cut > start else i  # no sentence end: hard cut
            out.append((start, cut))
            start, size, last_cut = cut, len(text[cut:i + 1].encode("utf-8")), None
        i += 1
    if start < len(text):
        out.append((start, len(text)))
    return out


def stable_id(prefix: str, doc_id: str, sentence: str, surface: str, occurrence: int) -> str:
    """Stable id: the same sentence text and surface in the same document gives the same id on every run
    (edits elsewhere in the document do not change it). ``prefix``: c (claim), t (citation)."""
    key = "\x1f".join((doc_id, sentence, surface, str(occurrence)))
    return prefix + hashlib.sha1(key.encode("utf-8")).hexdigest()[:15]


def _doc_year(document: Document, blocks: list[textprep.Block], lang: LanguageBackend) -> int | None:
    """The year that anchors relative times: the published date, else the first dateline read by the
    document's own language (issue 13: an English dateline used to be read with the Japanese rules)."""
    if document.published[:4].isdigit():
        return int(document.published[:4])
    for b in blocks:
        if b.kind == "dateline":
            found = lang.time_finder(None).find(b.text)
            if found:
                return int(found[0].value[:4])
    return None


def process_document(path: Path, corpus_dir: Path, parse_cache=None) -> DocumentResult:
    """Read, segment and extract one document. Raises :class:`corpus.DocumentError` for unusable files.
    ``parse_cache``: folder (or :class:`pipeline.lang.analysis.ParseCache`) of the model layer's cache."""
    document = corpus.load_document(path, corpus_dir)
    return extract(document, parse_cache)


# one short sentence per language that reaches every rule file: a year, an actor, a treaty article, a quantity with
# a qualifier and a hedge (our own text)
WARM_UP = {"ja": "2019年に日本政府は同条約第5条に基づいて約300人を送ったと発表した。",
           "en": "In 2019, the Japanese government said it sent about 300 people under Article 5 of the treaty."}


def warm_up(langs: tuple[str, ...] = ("ja", "en")) -> None:
    """Load the rule data and compiled patterns that extraction reads, by extracting :data:`WARM_UP` in memory (no
    cache). Called before the NLP workers are forked from a process, so that they share it instead of each loading
    it (~0.9 s of YAML and validation per process; issue 14)."""
    for lang in langs:
        extract(Document(doc_id=f"warm-up.{lang}", path=f"warm-up.{lang}.txt", lang=lang, text=WARM_UP[lang]))


def extract(document: Document, parse_cache=None) -> DocumentResult:
    """Segment ``document`` with its language's backend, analyse it, and extract its records."""
    return _Extraction(document, parse_cache).run()


@dataclass
class _Sentence:
    """A sentence of an analysed unit: its record and where it sits in ``doc.text``."""

    record: Sentence
    start: int           # in doc.text
    end: int
    analysed: str        # doc.text[start:end], untrimmed: what the rules read
    times: list[TimeExpr]

    @property
    def text(self) -> str:
        return self.record.text


class _Extraction:
    """One document's extraction, in short steps: units → analysed docs → sentences → actors, citations and
    claims, each mapped back to stored-text offsets through its block."""

    def __init__(self, document: Document, parse_cache=None):
        self.document = document
        self.parse_cache = parse_cache
        self.lang = backend(document.lang)
        self.result = DocumentResult(document)
        self.occurrences: dict[tuple[str, str, str], int] = {}

    def run(self) -> DocumentResult:
        blocks = textprep.blocks(self.document.text, self.lang.lines)
        if not self.document.title:
            self.document.title = next((b.text for b in blocks if b.kind == "title"), "")
        self.times = self.lang.time_finder(_doc_year(self.document, blocks, self.lang))
        self.citations = CitationFinder(self.document.lang)
        self.discourse = Discourse(self.document, _opening(blocks))
        units = [(b, s, e) for b in blocks for s, e in
                 (chunk_spans(b.text) if b.kind in PARSED_KINDS else [(0, len(b.text))])]
        nlp = get_nlp(self.document.lang)
        for (block, start, _end), doc in zip(units, analyse(nlp, self._docs(deferred, units), self.parse_cache)):
            self._unit(block, start, doc)
        return self.result

    @staticmethod
    def _docs(nlp, units):
        for block, s, e in units:
            doc = nlp.make_doc(block.text[s:e])
            doc.user_data["heading"] = block.kind in ("title", "heading")
            yield doc

    def _unit(self, block: textprep.Block, offset: int, doc: Doc) -> None:
        """Everything in one analysed unit (``offset``: where ``doc.text`` starts in ``block.text``). Sentences are
        read in order: each claim takes the actor carried from the sentences before when its own names none."""
        quantities = [] if block.kind == "dateline" else self.lang.quantities(doc)
        mentions = self.discourse.mentions(doc._.text, self.lang.actor_mentions(doc))
        acting = self.discourse.acting(mentions)
        if block.kind == "paragraph" and offset == 0:
            self.discourse.turn(doc._.text)   # a speaker's label in minutes starts a new turn
        heading = block.kind in HEADING_KINDS
        if heading and not quantities:
            self.discourse.new_section()    # a "heading" that holds a quantity is a list line of its section
        spans = join_false_splits(doc._.text, [(s.start_char, s.end_char) for s in doc.sents]) \
            if block.kind == "paragraph" else [(0, len(doc._.text))]
        for s0, e0 in spans:
            sent = self._sentence(block, offset, doc, s0, e0)
            if sent is None:
                continue
            self._actors(block, offset, sent, [m for m in mentions if s0 <= m.start < e0])
            self._citations(block, offset, sent)
            subject = self.lang.subject_actors(doc, s0, e0, acting)
            if heading:                     # a headline's topic holds for its own numbers too
                self.discourse.after_sentence(subject, title=block.kind == "title")
            for q in quantities:
                if s0 <= q.start < e0:
                    self._claim(block, offset, doc, sent, q, acting)
            if not heading:
                self.discourse.after_sentence(subject)

    def _stored(self, block: textprep.Block, offset: int, start: int, end: int) -> tuple[int, int, str]:
        """Stored-text offsets and surface of [start, end) of a unit's ``doc.text``."""
        a, b = block.to_stored(offset + start, offset + end)
        return a, b, self.document.text[a:b]

    def _next_id(self, prefix: str, sentence: str, surface: str) -> str:
        key = (prefix, sentence, surface)
        self.occurrences[key] = self.occurrences.get(key, 0) + 1
        return stable_id(prefix, self.document.doc_id, sentence, surface, self.occurrences[key])

    def _sentence(self, block, offset, doc: Doc, s0: int, e0: int) -> _Sentence | None:
        stext = doc._.text[s0:e0]
        trimmed = stext.rstrip()
        lead = len(stext) - len(stext.lstrip())
        if not trimmed.strip():
            return None
        a, b, text = self._stored(block, offset, s0 + lead, s0 + len(trimmed))
        record = Sentence(self.document.doc_id, len(self.result.sentences),
                          block.kind if block.kind != "paragraph" else "sentence", block.section, a, b, text)
        self.result.sentences.append(record)
        return _Sentence(record, s0, e0, stext, self.times.find(stext))

    def _actors(self, block, offset, sent: _Sentence, mentions: list[ActorMention]) -> None:
        d = self.document
        for m in mentions:
            a, b, surface = self._stored(block, offset, m.start, m.end)
            self.result.actors.append(Actor(d.doc_id, d.lang, sent.record.sentence_id, surface, a, b, m.actor_id,
                                            m.actor_type, m.name_ja, m.name_en, m.found_by))

    def _citations(self, block, offset, sent: _Sentence) -> None:
        d = self.document
        for c in self.citations.find(sent.analysed):
            a, b, surface = self._stored(block, offset, sent.start + c.start, sent.start + c.end)
            self.result.citations.append(Citation(
                citation_id=self._next_id("t", sent.text, surface), doc_id=d.doc_id, lang=d.lang,
                sentence_id=sent.record.sentence_id, sentence=sent.text, surface=surface, char_start=a, char_end=b,
                instrument_id=c.instrument_id, instrument_name_ja=_written_name(c, d.lang, "ja"),
                instrument_name_en=_written_name(c, d.lang, "en"), article=c.article, paragraph=c.paragraph,
                number=c.number, year=c.year, resolved_from=c.resolved_from))

    def _claim(self, block, offset, doc: Doc, sent: _Sentence, q: Quantity, acting: list[ActorMention]) -> None:
        d = self.document
        a, b, surface = self._stored(block, offset, q.start, q.end)
        roles = self.lang.roles(doc, q, sent.start, sent.end, acting)
        actor_ids = self.discourse.claim_actors(roles.actor_ids, sent.analysed,
                                                [m for m in acting if sent.start <= m.start < sent.end], q.unit)
        self.result.claims.append(Claim(
            claim_id=self._next_id("c", sent.text, surface), doc_id=d.doc_id, lang=d.lang, section=block.section,
            sentence_id=sent.record.sentence_id, sentence=sent.text, surface=surface, char_start=a, char_end=b,
            value=q.value, value_max=q.value_max, unit=q.unit, unit_surface=q.unit_surface, object=q.object,
            qualifier=q.qualifier, time=time_for(q.start - sent.start, sent.times), norm_check=q.norm_check,
            actor_ids=";".join(actor_ids), recipient_ids=";".join(self.discourse.recipients(roles.recipient_ids,
                                                                                           actor_ids)),
            predicate=roles.predicate, hedge=roles.hedge, attribution=roles.attribution))


def _opening(blocks: list[textprep.Block]) -> list[str]:
    """The lines before the body, where a document says who speaks: every block before the first paragraph of
    some length that ends a sentence (a breadcrumb, a banner or a byline such as "Remarks by X, Minister of
    Defence" is a paragraph to the segmenter, but not the body)."""
    out = []
    for b in blocks:
        if b.kind == "paragraph" and len(b.text) >= BODY_MIN_CHARS and _BODY_END_RE.search(b.text):
            break
        out.append(b.text)
    return out


def _written_name(c: CitationMatch, doc_lang: str, column: str) -> str:
    """The instrument's catalogue name in ``column``'s language; for an instrument not in the catalogue, the
    name as written goes to the column of the document's own language."""
    catalogue = c.instrument_name_ja if column == "ja" else c.instrument_name_en
    return catalogue or ("" if c.instrument_id or doc_lang != column else c.instrument_name)
