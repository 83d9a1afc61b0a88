"""Process one document: blocks → GiNZA/spaCy → sentences and claims with stored-text offsets.

Plain Python (no Prefect): :func:`process_document` is what the flow runs once per document.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import corpus, textprep
from .actors import gazetteer, shift_mentions
from .citations import CitationFinder
from .nlp import BATCH_SIZE, MAX_CHUNK_BYTES, get_nlp
from .quantities import SPAN_KEY
from .records import Actor, Citation, Claim, Document, Sentence
from .roles import roles_for, roles_for_en
from .quantities_en import find_quantities_en
from .timex import TimeResolver, time_for
from .timex_en import TimeResolverEn

SENTENCE_END_RE = re.compile(r"[。．！？!?]+[」』）)]*|\n")
PARSED_KINDS = ("title", "heading", "paragraph", "note")


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


def _doc_year(document: Document, blocks: list[textprep.Block]) -> int | None:
    if document.published[:4].isdigit():
        return int(document.published[:4])
    for b in blocks:
        if b.kind == "dateline":
            found = TimeResolver().find(b.text)
            if found:
                return int(found[0].value[:4])
    return None


def process_document(path: Path, corpus_dir: Path) -> DocumentResult:
    """Read, segment and extract one document. Raises :class:`corpus.DocumentError` for unusable files."""
    document = corpus.load_document(path, corpus_dir)
    return extract(document)


def extract(document: Document) -> DocumentResult:
    """Segment ``document`` and extract its claims."""
    blocks = textprep.blocks(document.text, document.lang)
    if not document.title:
        document.title = next((b.text for b in blocks if b.kind == "title"), "")
    result = DocumentResult(document)
    nlp = get_nlp(document.lang)
    units = [(b, s, e) for b in blocks for s, e in
             (chunk_spans(b.text) if b.kind in PARSED_KINDS else [(0, len(b.text))])]

    def make_docs():
        for block, s, e in units:
            doc = nlp.make_doc(block.text[s:e])
            doc.user_data["heading"] = block.kind in ("title", "heading")
            yield doc

    year = _doc_year(document, blocks)
    resolver = TimeResolver(year) if document.lang == "ja" else TimeResolverEn(year)
    cites = CitationFinder(document.lang)
    gaz = gazetteer()
    seen: dict[tuple[str, str], int] = {}
    for (block, cs, _ce), sdoc in zip(units, nlp.pipe(make_docs(), batch_size=BATCH_SIZE)):
        if block.kind == "paragraph":
            sents = [(st.start_char, st.end_char) for st in sdoc.sents]
        else:
            sents = [(0, len(sdoc.text))]
        if block.kind == "dateline":
            quantities = []
        elif document.lang == "ja":
            quantities = [sp._.quantity for sp in sdoc.spans.get(SPAN_KEY, [])]
        else:
            quantities = find_quantities_en(sdoc.text)
        if document.lang == "ja":
            mentions = gaz.merge_ner(gaz.find_ja(sdoc.text), sdoc.ents)
        else:
            mentions = gaz.find_en(sdoc.text)
        for s0, e0 in sents:
            stext = sdoc.text[s0:e0]
            trimmed = stext.rstrip()
            lead = len(stext) - len(stext.lstrip())
            if not trimmed.strip():
                continue
            a, b = block.to_stored(cs + s0 + lead, cs + s0 + len(trimmed))
            sent = Sentence(document.doc_id, len(result.sentences), block.kind if block.kind != "paragraph" else "sentence",
                            block.section, a, b, document.text[a:b])
            result.sentences.append(sent)
            times = resolver.find(stext)
            for m in mentions:
                if s0 <= m.start < e0:
                    ma, mb = block.to_stored(cs + m.start, cs + m.end)
                    result.actors.append(Actor(document.doc_id, document.lang, sent.sentence_id, document.text[ma:mb],
                                               ma, mb, m.actor_id, m.actor_type, m.name_ja, m.name_en, m.found_by))
            for c in cites.find(stext):
                ca, cb = block.to_stored(cs + s0 + c.start, cs + s0 + c.end)
                csurface = document.text[ca:cb]
                ckey = ("citation", sent.text, csurface)
                seen[ckey] = seen.get(ckey, 0) + 1
                result.citations.append(Citation(
                    stable_id("t", document.doc_id, sent.text, csurface, seen[ckey]),
                    document.doc_id, document.lang, sent.sentence_id, sent.text, csurface, ca, cb,
                    c.instrument_id, c.instrument_name_ja or ("" if c.instrument_id or document.lang != "ja" else c.instrument_name),
                    c.instrument_name_en or ("" if c.instrument_id or document.lang != "en" else c.instrument_name),
                    c.article, c.paragraph, c.number, c.year, c.resolved_from))
            for q in quantities:
                if not (s0 <= q.start < e0):
                    continue
                qa, qb = block.to_stored(cs + q.start, cs + q.end)
                surface = document.text[qa:qb]
                key = ("claim", sent.text, surface)
                seen[key] = seen.get(key, 0) + 1
                if document.lang == "ja":
                    roles = roles_for(sdoc, q.start, q.end, s0, e0, mentions)
                else:
                    roles = roles_for_en(stext, q.start - s0, q.end - s0,
                                         [m for m in shift_mentions(mentions, s0) if 0 <= m.start < e0 - s0])
                result.claims.append(Claim(
                    claim_id=stable_id("c", document.doc_id, sent.text, surface, seen[key]),
                    doc_id=document.doc_id, lang=document.lang, section=block.section,
                    sentence_id=sent.sentence_id, sentence=sent.text, surface=surface,
                    char_start=qa, char_end=qb, value=q.value, value_max=q.value_max, unit=q.unit,
                    unit_surface=q.unit_surface, object=q.object, qualifier=q.qualifier,
                    time=time_for(q.start - s0, times), norm_check=q.norm_check,
                    actor_ids=";".join(roles.actor_ids) if roles else "",
                    recipient_ids=";".join(roles.recipient_ids) if roles else "",
                    predicate=roles.predicate if roles else "", hedge=roles.hedge if roles else "",
                    attribution=roles.attribution if roles else ""))
    return result
