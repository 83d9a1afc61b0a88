"""Typed records that the extractors produce and the tables hold; each has ``to_dict()``.

Offsets (``char_start``/``char_end``) are code-point offsets into the stored document text: the file
decoded from UTF-8 with any BOM removed and line endings kept as they are.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, fields

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
        return asdict(self)


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
        return asdict(self)


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
        return asdict(self)


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
        return asdict(self)


DOCUMENT_COLUMNS = ("doc_id", "path", "lang", "title", "sha256", "chars", "author", "publisher", "published",
                    "url", "license", "translation_of", "status", "error")
SENTENCE_COLUMNS = tuple(f.name for f in fields(Sentence))
CLAIM_COLUMNS = tuple(f.name for f in fields(Claim))
ACTOR_COLUMNS = tuple(f.name for f in fields(Actor))
CITATION_COLUMNS = tuple(f.name for f in fields(Citation))
