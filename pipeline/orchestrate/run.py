"""The corpus run as plain Python: process documents, keep their records in the cache, write the tables.

:func:`process_one` never raises for a bad document: it returns a failed :class:`DocumentResult` naming the
reason, so one unreadable file never stops the corpus. Documents are streamed (issue #7): a worker stores a
document's records in the content-addressed cache (:mod:`pipeline.orchestrate.cache`) and hands back only a small
:class:`Processed` record; :func:`write_outputs` then reads the documents back one at a time, in doc_id order,
into tables written row by row. Memory therefore does not grow with the corpus, except for the few claim
rows that facts need across documents. The Prefect flow in :mod:`pipeline.orchestrate.flows` calls these functions;
nothing here imports Prefect.
"""
from __future__ import annotations

import json
import logging
import os
import time
import traceback
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Iterable

from pipeline.core import settings
from pipeline.orchestrate import cache
from pipeline.lang.analysis import ParseCache
from pipeline.load import corpus
from pipeline.core import tables
from pipeline.extract.document import DocumentResult, process_document
from pipeline.orchestrate.summary import RunSummary
from pipeline.core.records import TABLES, Document

log = logging.getLogger(__name__)
PARSE_DIR = "parse"   # <out>/.cache/parse/: the parse cache (pipeline.lang.analysis), keyed apart from the records


def process_one(path: str | Path, corpus_dir: str | Path, parse_cache=None) -> DocumentResult:
    """Process one document; a file that cannot be used becomes a failed result with the reason.
    ``parse_cache``: see :func:`pipeline.extract.document.process_document`."""
    path, corpus_dir = Path(path), Path(corpus_dir)
    try:
        return process_document(path, corpus_dir, parse_cache)
    except corpus.DocumentError as exc:
        reason = str(exc)
    except OSError as exc:
        reason = f"cannot read file: {exc.strerror or exc}"
    except Exception as exc:  # a bug must not take the corpus down; report it with the document
        log.debug("processing %s failed", path, exc_info=True)
        reason = f"internal error {type(exc).__name__}: {exc} ({traceback.extract_tb(exc.__traceback__)[-1].name})"
    try:
        doc_id = corpus.doc_id_for(path, corpus_dir)
        rel = corpus.rel_path(path, corpus_dir)
    except ValueError:
        doc_id, rel = path.name, str(path)
    return DocumentResult(Document(doc_id=doc_id, path=rel, lang="", status="failed", error=reason))


@dataclass
class Processed:
    """What a document task hands back: the document's metadata (without its text) and where its extracted
    records are."""

    document: Document                # text left out: a run holds one of these per document
    key: str | None = None            # cache key; the records are in <out>/.cache/<key>.json.gz
    reused: bool = False              # unchanged since the last run: nothing was processed
    claims: int = 0
    chars: int = 0
    worker: str = ""                  # host:pid of the process that did the work
    started: float = 0.0              # wall-clock (time.time()) start of the processing itself
    seconds: float = 0.0              # processing time (0 when reused)
    result: DocumentResult | None = None   # only when the records could not be cached (failed document)
    parse_key: str | None = None      # the entry of its analysis in <out>/.cache/parse/ (None: reused, or none)
    parse_reused: bool = False        # processed, with its analysis read from the parse cache

    @classmethod
    def of(cls, result: DocumentResult, key: str | None, **kw) -> "Processed":
        """The record of ``result`` (its document's text left out)."""
        return cls(replace(result.document, text=""), key, claims=len(result.claims), chars=result.document.chars, **kw)


def key_or_none(path: Path, corpus_dir: Path) -> str | None:
    """The cache key of a document, or None if the file cannot be read."""
    try:
        return cache.key_for(path, corpus_dir)
    except (OSError, ValueError):
        return None


def lookup(path: Path, corpus_dir: Path, cache_dir: Path) -> tuple[str | None, "Processed | None"]:
    """(cache key, the record of the unchanged document's cached result or None)."""
    key = key_or_none(path, corpus_dir)
    cached = cache.load(cache_dir, key) if key else None
    return key, (Processed.of(cached, key, reused=True) if cached is not None else None)


def process_cached(path: str | Path, corpus_dir: str | Path, cache_dir: str | Path, reuse: bool = True,
                   key: str | None = None, reuse_parse: bool | None = None) -> Processed:
    """Process one document unless ``reuse`` and its records are cached under its content key; fresh records
    are stored in the cache. Only a small :class:`Processed` record is returned (workers keep no documents).
    A processed document's analysis comes from the parse cache ``<cache_dir>/parse/`` when it is there and
    ``reuse_parse`` (default: ``reuse``; False for ``run --full``), and is stored there otherwise."""
    path, corpus_dir, cache_dir = Path(path), Path(corpus_dir), Path(cache_dir)
    worker = f"{os.uname().nodename}:{os.getpid()}"
    if reuse:
        key, cached = lookup(path, corpus_dir, cache_dir)
        if cached is not None:
            cached.worker = worker
            return cached
    elif key is None:
        key = key_or_none(path, corpus_dir)
    started, t0 = time.time(), time.perf_counter()
    parses = ParseCache(cache_dir / PARSE_DIR, read=reuse if reuse_parse is None else reuse_parse)
    result = process_one(path, corpus_dir, parses)
    done = Processed.of(result, key, worker=worker, started=started, seconds=round(time.perf_counter() - t0, 4),
                        parse_key=parses.key, parse_reused=parses.hit)
    if key and result.document.status == "ok":
        try:
            cache.store(cache_dir, key, result)
            return done
        except OSError as exc:   # e.g. disk full: keep the records with the answer instead
            log.warning("cannot cache %s: %s", path, exc)
    done.result = result
    return done


def load_result(item: "Processed | DocumentResult", cache_dir: Path, corpus_dir: Path | None = None) -> DocumentResult:
    """The records of a processed document (from the cache; processed again in the rare case the entry is gone)."""
    if isinstance(item, DocumentResult):
        return item
    if item.result is not None:
        return item.result
    result = cache.load(cache_dir, item.key) if item.key else None
    if result is None:
        log.warning("cache entry of %s vanished; processing it again", item.document.path)
        result = process_one(Path(corpus_dir or ".") / item.document.path, corpus_dir or Path("."))
    return result


def _fact_candidates(kept: list[dict], claim_rows: list[dict], matched: set[str], result=None) -> list[dict]:
    """``kept`` and the claims of one document that can belong to a fact, with their dimension and event time
    (read from the document's records ``result``; the sentence text is not kept)."""
    from pipeline.crosslang.facts import candidates

    return kept + candidates(claim_rows, matched, result)


def write_summary(out_dir: Path, summary: RunSummary) -> None:
    """``<out>/run_summary.json`` (timings vary between runs: they stay out of the tables, which are
    byte-identical when nothing changed)."""
    tables.atomic_write_bytes(Path(out_dir) / "run_summary.json",
                              json.dumps(summary.to_dict(), ensure_ascii=False, indent=2).encode("utf-8"))


TIMING_COLUMNS = ("doc_id", "status", "reused", "worker", "started", "seconds", "chars", "claims")


def guarded(summary: RunSummary, stage: str, fn: Callable, *args, default=None):
    """``fn(*args)``; if it fails, the failure of the cross-document ``stage`` is recorded in ``summary`` and
    ``default`` returned, so that one stage's bug never costs the per-document work (issue 11)."""
    try:
        return fn(*args)
    except Exception as exc:
        log.warning("stage %s failed", stage, exc_info=True)
        summary.stage_failed(stage, exc)
        return default


def write_outputs(items: Iterable, out_dir: Path, started: float,
                  alignments: Iterable | None = None, matches: list | None = None,
                  corpus_dir: Path | None = None, reused: int = 0,
                  load: Callable[[object], DocumentResult] | None = None,
                  stage_errors: list[dict] | None = None) -> RunSummary:
    """Write every table and run_summary.json, the corpus's review decisions applied. ``items`` are
    :class:`Processed` records (their records are read back one document at a time with ``load``) or
    :class:`DocumentResult` objects. All tables are committed together at the end: a failure leaves the
    previous ones whole. A cross-document stage (review, facts) that fails is recorded in the summary and its
    tables are written empty; the per-document tables are written all the same. ``stage_errors`` are the
    failures of stages that ran before (alignment)."""
    from pipeline.crosslang import facts as facts_mod
    from pipeline import review

    out_dir = Path(out_dir)
    load = load or (lambda item: item)
    items = sorted(items, key=lambda r: r.document.doc_id)
    summary = RunSummary(documents=len(items), reused=reused, stage_errors=list(stage_errors or []),
                         parses_reused=sum(getattr(i, "parse_reused", False) for i in items))
    matches = matches or []
    claim_matches = [m.to_dict() for m in matches if m.kind == "claim"]
    matched = {m[k] for m in claim_matches for k in ("ja_claim_id", "en_claim_id") if m[k]}
    reviewer = guarded(summary, "review", review.Reviewer, corpus_dir) if corpus_dir is not None else None
    fact_claims: list[dict] | None = []   # only the claims that can belong to a fact are kept across documents
    with tables.staged_tables(out_dir, TABLES) as t:
        for item in items:
            if item.document.status == "failed":
                t["documents"].write([item.document.to_dict()])
                summary.failed.append({"path": item.document.path, "error": item.document.error})
                continue
            r = load(item)
            t["documents"].write([r.document.to_dict()])
            summary.processed += 1
            summary.chars += r.document.chars
            t["sentences"].write(s.to_dict() for s in r.sentences)
            claim_rows = [c.to_dict() for c in r.claims]
            if reviewer is not None and guarded(summary, "review", reviewer.apply, claim_rows) is None:
                reviewer = None   # the claims are written without (further) decisions; the store is untouched
            t["claims"].write(claim_rows)
            if fact_claims is not None:
                fact_claims = guarded(summary, "facts", _fact_candidates, fact_claims, claim_rows, matched, r)
            t["actors"].write(a.to_dict() for a in r.actors)
            t["citations"].write(c.to_dict() for c in r.citations)
            del r, claim_rows
        pair_ids = set()
        for a in alignments or ():
            pair_ids.add(a.pair_id)
            t["alignments"].write([a.to_dict()])
        settings.trace("tables: per-document rows written")
        t["claim_matches"].write(claim_matches)
        t["citation_matches"].write(m.to_dict() for m in matches if m.kind == "citation")
        fact_rows, comparison_rows = [], []
        if fact_claims is not None:
            fact_rows, comparison_rows = guarded(summary, "facts", facts_mod.build, fact_claims, claim_matches,
                                                 default=([], []))
        t["facts"].write(fact_rows)
        t["comparisons"].write(comparison_rows)
    summary.sentences, summary.claims = t["sentences"].rows, t["claims"].rows
    summary.actors, summary.citations = t["actors"].rows, t["citations"].rows
    summary.pairs, summary.facts = len(pair_ids), len(fact_rows)
    summary.conflicts = sum(f["status"] == "conflict" for f in fact_rows)
    summary.review_flagged = reviewer.flagged if reviewer is not None else 0
    summary.seconds = round(time.perf_counter() - started, 2)
    write_summary(out_dir, summary)
    timed = [i for i in items if isinstance(i, Processed)]
    if timed:
        tables.write_csv(out_dir / "run_timings.csv",
                         ({"doc_id": i.document.doc_id, "status": i.document.status, "reused": i.reused,
                           "worker": i.worker, "started": round(i.started, 3) if i.started else None,
                           "seconds": i.seconds, "chars": i.chars, "claims": i.claims} for i in timed),
                         TIMING_COLUMNS)
    return summary
