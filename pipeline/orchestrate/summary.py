"""The summary of a corpus run (kept free of heavy imports: the command line prints it without loading spaCy)."""
from __future__ import annotations

from dataclasses import dataclass, field

import time as _time

from pipeline import __version__

_IMPORTED = _time.time()
_PROCESS_START: float | None = None   # set by a run forked from the warm daemon: its caller's start


def set_process_start(started: float) -> None:
    """Count :attr:`RunSummary.wall_seconds` from ``started`` (epoch seconds) instead of this process's start: a run
    forked from the daemon counts from when its caller started (pipeline.orchestrate.daemon)."""
    global _PROCESS_START
    _PROCESS_START = started


@dataclass
class RunSummary:
    """What a run did; written to ``outputs/run_summary.json`` and printed at the end."""

    documents: int = 0
    processed: int = 0
    reused: int = 0
    parses_reused: int = 0            # processed (rules changed) with their analysis from the parse cache
    failed: list[dict] = field(default_factory=list)
    # cross-document stages (alignment, review, facts, report) that failed: [{"stage", "error"}]; the
    # per-document tables are written all the same (issue 11)
    stage_errors: list[dict] = field(default_factory=list)
    claims: int = 0
    sentences: int = 0
    actors: int = 0
    citations: int = 0
    pairs: int = 0
    facts: int = 0
    conflicts: int = 0
    review_flagged: int = 0
    seconds: float = 0.0              # the flow: from its start to the tables and report written
    wall_seconds: float = 0.0         # the command: from process start (imports, Prefect, model loads) to the end
    chars: int = 0
    pipeline_version: str = __version__

    def to_dict(self) -> dict:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}

    def text(self) -> str:
        parses = f", {self.parses_reused} analyses from the parse cache" if self.parses_reused else ""
        lines = [f"documents: {self.documents}, processed: {self.processed} ({self.reused} unchanged, reused{parses}), "
                 f"failed: {len(self.failed)}, "
                 f"claims: {self.claims}, actors: {self.actors}, citations: {self.citations}, pairs: {self.pairs}, "
                 f"facts: {self.facts} ({self.conflicts} in conflict), "
                 f"sentences: {self.sentences}, time: {self.seconds:.1f}s"
                 + (f" (wall {self.wall_seconds:.1f}s from process start)" if self.wall_seconds else "")]
        lines += [f"  FAILED {f['path']}: {f['error']}" for f in self.failed]
        lines += [f"  STAGE FAILED {e['stage']}: {e['error']} (per-document tables written; this stage's "
                  f"tables are empty)" for e in self.stage_errors]
        return "\n".join(lines)

    def since_process_start(self) -> None:
        """Set :attr:`wall_seconds`: the time since this process started (what a user waits for)."""
        import time

        try:
            import psutil

            started = _PROCESS_START or psutil.Process().create_time()
        except Exception:  # no psutil or no process table: time since this module was imported
            started = _PROCESS_START or _IMPORTED
        self.wall_seconds = round(time.time() - started, 2)

    def stage_failed(self, stage: str, exc: BaseException) -> None:
        """Record that the cross-document ``stage`` failed with ``exc`` (the run goes on without it)."""
        self.stage_errors.append({"stage": stage, "error": f"{type(exc).__name__}: {exc}"})
