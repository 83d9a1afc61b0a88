"""Typed records that the extractors produce and the tables hold; each has ``to_dict()``.

Offsets (``char_start``/``char_end``) are code-point offsets into the stored document text: the file
decoded from UTF-8 with any BOM removed and line endings kept as they are.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from functools import lru_cache


def _flat_row(record) -> dict:
    """A table record (str and int fields only) as a dict: what ``dataclasses.asdict`` returns, without its deep
    copy of every value (a run writes one per row: ~10,000 actor rows on the benchmark corpus)."""
    return {name: getattr(record, name) for name in _field_names(type(record))}


@lru_cache(maxsize=None)
def _field_names(cls) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


METADATA_FIELDS = ("title", "author", "publisher", "published", "url", "license", "translation_of")


@dataclass
class Document:
    """A corpus document: its stored text and metadata."""

    doc_id: str
    path: str
    lang: str
    text: str = ""
    sha256: str = ""
    title: str = ""
    author: str = ""
    publisher: str = ""
    published: str = ""
    url: str = ""
    license: str = ""
    translation_of: str = ""
    status: str = "ok"
    error: str = ""

    @property
    def chars(self) -> int:
        return len(self.text)

    def to_dict(self) -> dict:
        d = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "text"}
        d["chars"] = self.chars
        return d


@dataclass
class Sentence:
    """A sentence (or heading/dateline/note line) with its offsets and section."""

    doc_id: str
    sentence_id: int
    kind: str
    section: str
    char_start: int
    char_end: int
    text: str

    def to_dict(self) -> dict:
        return _flat_row(self)


@dataclass
class Claim:
    """One quantity expression, normalised."""

    claim_id: str
    doc_id: str
    lang: str
    section: str
    sentence_id: int
    sentence: str
    surface: str
    char_start: int
    char_end: int
    value: int | float | None
    value_max: int | float | None
    unit: str
    unit_surface: str
    object: str
    qualifier: str
    time: str
    actor_ids: str = ""        # semicolon-separated canonical actor ids (issue #3)
    recipient_ids: str = ""
    predicate: str = ""
    hedge: str = ""
    attribution: str = ""
    norm_check: str = ""

    def to_dict(self) -> dict:
        return _flat_row(self)


@dataclass
class Actor:
    """An actor mention: gazetteer match (with canonical id) or NER entity the gazetteer does not know."""

    doc_id: str
    lang: str
    sentence_id: int
    surface: str
    char_start: int
    char_end: int
    actor_id: str
    actor_type: str
    name_ja: str
    name_en: str
    found_by: str

    def to_dict(self) -> dict:
        return _flat_row(self)


@dataclass
class Citation:
    """A treaty / charter / agreement / UNSC resolution citation."""

    citation_id: str
    doc_id: str
    lang: str
    sentence_id: int
    sentence: str
    surface: str
    char_start: int
    char_end: int
    instrument_id: str
    instrument_name_ja: str
    instrument_name_en: str
    article: str
    paragraph: str
    number: str
    year: str
    resolved_from: str

    def to_dict(self) -> dict:
        return _flat_row(self)


# -- what a language backend finds in one analysed text (offsets relative to that text) -------------------

@dataclass
class Quantity:
    """One quantity found in a Doc; offsets are relative to ``doc.text``."""

    start: int
    end: int
    value: int | float | None
    value_max: int | float | None
    unit: str
    unit_surface: str
    qualifier: str
    object: str = ""
    norm_check: str = "ok"   # "ok" | "differs:<sudachi value>" | "n/a"

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class TimeExpr:
    """A time expression: character offsets in the (folded) text and its ISO 8601 value."""

    start: int
    end: int
    value: str


@dataclass
class Roles:
    """The who-did-what fields of one claim."""

    predicate: str = ""
    actor_ids: list[str] = field(default_factory=list)
    recipient_ids: list[str] = field(default_factory=list)
    hedge: str = "asserted"
    attribution: str = ""


@dataclass
class ActorMention:
    """An actor found in a text; offsets relative to the text searched."""

    start: int
    end: int
    actor_id: str
    actor_type: str
    name_ja: str
    name_en: str
    found_by: str          # gazetteer | compound | ner

    def to_dict(self) -> dict:
        return asdict(self)


def shift_mentions(mentions: list[ActorMention], offset: int) -> list[ActorMention]:
    """The same mentions with offsets moved by ``-offset`` (paragraph-relative → sentence-relative)."""
    return [ActorMention(m.start - offset, m.end - offset, m.actor_id, m.actor_type, m.name_ja, m.name_en,
                         m.found_by) for m in mentions]


DOCUMENT_COLUMNS = ("doc_id", "path", "lang", "title", "sha256", "chars", "author", "publisher", "published",
                    "url", "license", "translation_of", "status", "error")
SENTENCE_COLUMNS = tuple(f.name for f in fields(Sentence))
CLAIM_COLUMNS = tuple(f.name for f in fields(Claim))
ACTOR_COLUMNS = tuple(f.name for f in fields(Actor))
CITATION_COLUMNS = tuple(f.name for f in fields(Citation))
REVIEW_COLUMNS = ("review_status", "corrected_value", "corrected_unit", "corrected_qualifier",
                  "corrected_actor_ids", "reviewer", "note", "review_flag")
ALIGNMENT_COLUMNS = ("pair_id", "ja_doc_id", "en_doc_id", "ja_sent_ids", "en_sent_ids", "ja_text", "en_text",
                     "score", "link_type")
CLAIM_MATCH_COLUMNS = ("pair_id", "ja_claim_id", "en_claim_id", "status", "detail")
CITATION_MATCH_COLUMNS = ("pair_id", "ja_citation_id", "en_citation_id", "status", "detail")
FACT_COLUMNS = ("fact_id", "label_ja", "label_en", "dimension", "time", "sources", "claims", "value_range", "unit",
                "status")
COMPARISON_COLUMNS = ("fact_id", "claim_id", "doc_id", "lang", "surface", "value", "value_max", "unit", "dimension",
                      "qualifier", "time", "actor_ids", "status", "reason")

# Every output table and its columns, in the order a run writes them: the one registry the run, the
# whole-run manifest and the report read (issue 13).
TABLES: dict[str, tuple[str, ...]] = {
    "documents": DOCUMENT_COLUMNS, "sentences": SENTENCE_COLUMNS, "claims": CLAIM_COLUMNS + REVIEW_COLUMNS,
    "actors": ACTOR_COLUMNS, "citations": CITATION_COLUMNS, "alignments": ALIGNMENT_COLUMNS,
    "claim_matches": CLAIM_MATCH_COLUMNS, "citation_matches": CITATION_MATCH_COLUMNS,
    "facts": FACT_COLUMNS, "comparisons": COMPARISON_COLUMNS,
}
PER_DOCUMENT_TABLES = ("documents", "sentences", "claims", "actors", "citations")
