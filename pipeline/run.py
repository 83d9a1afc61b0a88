"""The corpus run as plain Python: process documents, collect rows, write the tables.

:func:`process_one` never raises for a bad document: it returns a failed :class:`DocumentResult` naming the
reason, so one unreadable file never stops the corpus. The Prefect flow in :mod:`pipeline.flows` calls
these functions; nothing here imports Prefect.
"""
from __future__ import annotations

import json
import logging
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__, corpus, tables
from .extract import DocumentResult, process_document
from .records import ACTOR_COLUMNS, CITATION_COLUMNS, CLAIM_COLUMNS, DOCUMENT_COLUMNS, SENTENCE_COLUMNS, Document

log = logging.getLogger(__name__)


def process_one(path: str | Path, corpus_dir: str | Path) -> DocumentResult:
    """Process one document; a file that cannot be used becomes a failed result with the reason."""
    path, corpus_dir = Path(path), Path(corpus_dir)
    try:
        return process_document(path, corpus_dir)
    except corpus.DocumentError as exc:
        reason = str(exc)
    except OSError as exc:
        reason = f"cannot read file: {exc.strerror or exc}"
    except Exception as exc:  # a bug must not take the corpus down; report it with the document
        log.debug("processing %s failed", path, exc_info=True)
        reason = f"internal error {type(exc).__name__}: {exc} ({traceback.extract_tb(exc.__traceback__)[-1].name})"
    try:
        doc_id = corpus.doc_id_for(path, corpus_dir)
        rel = path.resolve().relative_to(corpus_dir.resolve()).as_posix()
    except ValueError:
        doc_id, rel = path.name, str(path)
    return DocumentResult(Document(doc_id=doc_id, path=rel, lang="", status="failed", error=reason))


@dataclass
class RunSummary:
    """What a run did; written to ``outputs/run_summary.json`` and printed at the end."""

    documents: int = 0
    processed: int = 0
    reused: int = 0
    failed: list[dict] = field(default_factory=list)
    claims: int = 0
    sentences: int = 0
    actors: int = 0
    citations: int = 0
    pairs: int = 0
    facts: int = 0
    conflicts: int = 0
    review_flagged: int = 0
    seconds: float = 0.0
    chars: int = 0
    pipeline_version: str = __version__

    def to_dict(self) -> dict:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}

    def text(self) -> str:
        lines = [f"documents: {self.documents}, processed: {self.processed} ({self.reused} unchanged, reused), "
                 f"failed: {len(self.failed)}, "
                 f"claims: {self.claims}, actors: {self.actors}, citations: {self.citations}, pairs: {self.pairs}, "
                 f"facts: {self.facts} ({self.conflicts} in conflict), "
                 f"sentences: {self.sentences}, time: {self.seconds:.1f}s"]
        lines += [f"  FAILED {f['path']}: {f['error']}" for f in self.failed]
        return "\n".join(lines)


def write_outputs(results: list[DocumentResult], out_dir: Path, started: float,
                  alignments: list | None = None, matches: list | None = None,
                  corpus_dir: Path | None = None, reused: int = 0) -> RunSummary:
    """Write every table and run_summary.json (each atomically); the corpus's review decisions are applied."""
    from . import review
    from .pairs import ALIGNMENT_COLUMNS, CITATION_MATCH_COLUMNS, CLAIM_MATCH_COLUMNS

    out_dir = Path(out_dir)
    results = sorted(results, key=lambda r: r.document.doc_id)
    summary = RunSummary(documents=len(results), reused=reused)
    for r in results:
        if r.document.status == "failed":
            summary.failed.append({"path": r.document.path, "error": r.document.error})
        else:
            summary.processed += 1
            summary.chars += r.document.chars
    tables.write_csv(out_dir / "documents.csv", (r.document.to_dict() for r in results), DOCUMENT_COLUMNS)
    summary.sentences = tables.write_csv(out_dir / "sentences.csv",
                                         (s.to_dict() for r in results for s in r.sentences), SENTENCE_COLUMNS)
    claim_rows = [c.to_dict() for r in results for c in r.claims]
    if corpus_dir is not None:
        summary.review_flagged = review.apply(claim_rows, corpus_dir).flagged
    summary.claims = tables.write_csv(out_dir / "claims.csv", claim_rows, CLAIM_COLUMNS + review.REVIEW_COLUMNS)
    summary.actors = tables.write_csv(out_dir / "actors.csv",
                                      (a.to_dict() for r in results for a in r.actors), ACTOR_COLUMNS)
    summary.citations = tables.write_csv(out_dir / "citations.csv",
                                         (c.to_dict() for r in results for c in r.citations), CITATION_COLUMNS)
    alignments, matches = alignments or [], matches or []
    summary.pairs = len({a.pair_id for a in alignments})
    tables.write_csv(out_dir / "alignments.csv", (a.to_dict() for a in alignments), ALIGNMENT_COLUMNS)
    tables.write_csv(out_dir / "claim_matches.csv", (m.to_dict() for m in matches if m.kind == "claim"),
                     CLAIM_MATCH_COLUMNS)
    tables.write_csv(out_dir / "citation_matches.csv", (m.to_dict() for m in matches if m.kind == "citation"),
                     CITATION_MATCH_COLUMNS)
    from . import facts as facts_mod

    fact_rows, comparison_rows = facts_mod.build(claim_rows, [m.to_dict() for m in matches if m.kind == "claim"])
    summary.facts = tables.write_csv(out_dir / "facts.csv", fact_rows, facts_mod.FACT_COLUMNS)
    summary.conflicts = sum(f["status"] == "conflict" for f in fact_rows)
    tables.write_csv(out_dir / "comparisons.csv", comparison_rows, facts_mod.COMPARISON_COLUMNS)
    summary.seconds = round(time.perf_counter() - started, 2)
    # timings vary between runs; keep them out of the tables so that tables stay byte-identical
    tables.atomic_write_bytes(out_dir / "run_summary.json",
                              json.dumps(summary.to_dict(), ensure_ascii=False, indent=2).encode("utf-8"))
    return summary
