"""Review decisions on claims, kept with the corpus so that no decision is ever lost.

Reviewers edit ``claims.csv`` in Excel or LibreOffice (BOM or not, CRLF, reordered and extra columns, Shift_JIS
from an old Excel) and import it; decisions live in an SQLite database in the corpus folder
(``<corpus>/reviews.sqlite``), keyed by claim_id. Every run re-applies them: the claims table shows each
decision beside the machine's value. A decision whose claim no longer exists as reviewed (its sentence was
edited, or the rules now read the number differently) is not dropped: it is attached to the claim with the
same surface in that document where there is one, and flagged ``needs_rereview``.
"""
from __future__ import annotations

import csv
import io
import math
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from pipeline.core import qualifiers, rules, tables
from pipeline.core.records import REVIEW_COLUMNS

DB_NAME = "reviews.sqlite"
STATUSES = ("accepted", "rejected", "corrected")
_STORED = ("claim_id", "doc_id", "surface", "sentence", "machine_value", "machine_unit", "machine_qualifier",
           "review_status", "corrected_value", "corrected_unit", "corrected_qualifier", "corrected_actor_ids",
           "reviewer", "note", "imported_at", "source_file")
# A review file larger than this, or with more data rows, is refused before it is parsed / as soon as the
# reader passes the limit. A whole claims.csv is ~1.2 bytes per character of corpus text (the bundled corpus:
# 40 rows, 16 KB; so ~1.5 MB for the 1.2-million-character benchmark corpus), far below both.
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ROWS = 200_000
_SCHEMA = f"CREATE TABLE IF NOT EXISTS decisions ({', '.join(c + (' TEXT PRIMARY KEY' if c == 'claim_id' else ' TEXT') for c in _STORED)})"


class ReviewFileError(ValueError):
    """A review file cannot be imported; ``problems`` lists each row/column at fault."""

    def __init__(self, path: Path, problems: list[str]):
        self.problems = problems
        shown = "\n  ".join(problems[:20]) + (f"\n  … and {len(problems) - 20} more" if len(problems) > 20 else "")
        super().__init__(f"{path}: nothing imported, {len(problems)} problem(s):\n  {shown}")


def db_path(corpus_dir: Path) -> Path:
    """Where a corpus keeps its review decisions."""
    return Path(corpus_dir) / DB_NAME


def _connect(corpus_dir: Path) -> sqlite3.Connection:
    con = sqlite3.connect(db_path(corpus_dir))
    con.execute(_SCHEMA)
    return con


def read_review_csv(path: Path) -> list[dict]:
    """Rows of a CSV saved by a spreadsheet: UTF-8 (with or without BOM) or Shift_JIS/CP932, any line ends.

    Cells come back as they were before the tables quoted formula-like text (``'=x`` → ``=x``,
    :func:`pipeline.core.tables.unneutralise`). A file over :data:`MAX_FILE_BYTES` is refused before it is read, one
    over :data:`MAX_ROWS` data rows as soon as the reader passes the limit."""
    size = Path(path).stat().st_size
    if size > MAX_FILE_BYTES:
        raise ReviewFileError(path, [f"file is {size:,} bytes, over the limit of {MAX_FILE_BYTES:,} bytes "
                                     f"({MAX_FILE_BYTES // 2**20} MiB) for one review file: split it or export "
                                     f"only the claims still to review (`review export`)"])
    data = Path(path).read_bytes()
    for enc in ("utf-8-sig", "cp932"):
        try:
            text = data.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ReviewFileError(path, ["file is neither UTF-8 nor Shift_JIS (CP932): save it as CSV UTF-8"])
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if not reader.fieldnames or "claim_id" not in [f.strip() for f in reader.fieldnames]:
        raise ReviewFileError(path, ["header row has no claim_id column"])
    rows = []
    for row in reader:
        if len(rows) == MAX_ROWS:
            raise ReviewFileError(path, [f"more than {MAX_ROWS:,} data rows, the limit for one review file: split "
                                         f"it or export only the claims still to review (`review export`)"])
        rows.append({(k or "").strip(): tables.unneutralise((v or "").strip())
                     for k, v in row.items() if k is not None})
    return rows


def _validate(rows: list[dict], known_claims: dict[str, dict]) -> tuple[list[dict], list[str]]:
    units = {u.id for u in rules.quantity_rules().units}
    problems, decisions, seen = [], [], {}
    for n, row in enumerate(rows, start=2):   # row 1 is the header, as a spreadsheet numbers it
        status = row.get("review_status", "").lower()
        corrections = {c: row.get(c, "") for c in ("corrected_value", "corrected_unit", "corrected_qualifier",
                                                   "corrected_actor_ids")}
        if not status and not any(corrections.values()) and not row.get("note"):
            continue   # nothing decided on this row
        cid = row.get("claim_id", "")
        where = f"row {n}"
        if not cid:
            problems.append(f"{where}, column claim_id: empty")
            continue
        if cid in seen:
            problems.append(f"{where}, column claim_id: {cid} already given in row {seen[cid]}")
        seen[cid] = n
        unknown = cid not in known_claims
        if unknown:
            problems.append(f"{where}, column claim_id: {cid!r} is not a claim of the current claims table "
                            f"(a claim changed since this file was exported, or a wrong id): export again")
        if status not in STATUSES:
            problems.append(f"{where}, column review_status: {row.get('review_status')!r} is not one of "
                            f"{', '.join(STATUSES)}")
        if status == "corrected" and not any(corrections.values()):
            problems.append(f"{where}, column review_status: 'corrected' but no corrected_* value given")
        if corrections["corrected_value"]:
            try:
                number = float(corrections["corrected_value"].replace(",", ""))
            except ValueError:
                problems.append(f"{where}, column corrected_value: {corrections['corrected_value']!r} is not a number")
            else:
                if not math.isfinite(number):
                    problems.append(f"{where}, column corrected_value: {corrections['corrected_value']!r} is not a "
                                    f"finite number (nan, inf or too large)")
                elif number == 0:
                    corrections["corrected_value"] = "0"   # -0, 0.0, 0e3: stored as 0
        if corrections["corrected_unit"] and corrections["corrected_unit"] not in units:
            problems.append(f"{where}, column corrected_unit: {corrections['corrected_unit']!r} is not a unit id "
                            f"of models/units.yaml")
        if corrections["corrected_qualifier"] and corrections["corrected_qualifier"] not in qualifiers.ids():
            problems.append(f"{where}, column corrected_qualifier: {corrections['corrected_qualifier']!r} is not one "
                            f"of {', '.join(qualifiers.ids())}")
        if unknown:
            continue
        machine = known_claims[cid]
        decisions.append({
            "claim_id": cid, "doc_id": machine.get("doc_id", ""), "surface": machine.get("surface", ""),
            "sentence": machine.get("sentence", ""), "machine_value": machine.get("value", ""),
            "machine_unit": machine.get("unit", ""), "machine_qualifier": machine.get("qualifier", ""),
            "review_status": status, **corrections,
            "corrected_value": corrections["corrected_value"].replace(",", ""),
            "reviewer": row.get("reviewer", ""), "note": row.get("note", "")})
    return decisions, problems


def import_file(path: Path, corpus_dir: Path, claims_csv: Path | None = None) -> int:
    """Store the decisions of a reviewed CSV in one transaction; returns how many. Raises ReviewFileError.

    Every decided row must name a claim of ``claims_csv`` (the claims table of the last run), which is therefore
    required: a decision for an unknown claim_id would otherwise be attached to whatever claim has the surface
    the row gives."""
    rows = read_review_csv(path)
    if claims_csv is None or not Path(claims_csv).exists():
        raise ReviewFileError(path, [f"no claims table ({claims_csv or 'none given'}) to check the claim_ids "
                                     f"against: run `python -m pipeline run` first (or pass --out)"])
    known = {r["claim_id"]: r for r in tables.read_csv(claims_csv).to_dict("records")}
    decisions, problems = _validate(rows, known)
    if problems:
        raise ReviewFileError(path, problems)
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    with closing(_connect(corpus_dir)) as con, con:   # one transaction: all rows or none
        for d in decisions:
            d.update(imported_at=now, source_file=Path(path).name)
            con.execute(f"INSERT OR REPLACE INTO decisions ({', '.join(_STORED)}) VALUES "
                        f"({', '.join('?' for _ in _STORED)})", [d.get(c, "") for c in _STORED])
    return len(decisions)


def load_decisions(corpus_dir: Path) -> dict[str, dict]:
    """All stored decisions by claim_id ({} when the corpus has none)."""
    if not db_path(corpus_dir).exists():
        return {}
    with closing(_connect(corpus_dir)) as con:
        cur = con.execute(f"SELECT {', '.join(_STORED)} FROM decisions")
        return {row[0]: dict(zip(_STORED, row)) for row in cur}


@dataclass
class Applied:
    rows: list[dict]
    flagged: int


class Reviewer:
    """The corpus's review decisions, applied one document's claim rows at a time (so that a run streams its
    documents: :func:`pipeline.orchestrate.run.write_outputs`)."""

    def __init__(self, corpus_dir: Path):
        self.by_doc: dict[str, dict[str, dict]] = {}
        for cid, d in load_decisions(corpus_dir).items():
            self.by_doc.setdefault(d["doc_id"], {})[cid] = d
        self.flagged = 0

    def apply(self, claim_rows: list[dict]) -> list[dict]:
        """Add the review columns to the claim rows of one document, flagging what needs re-review."""
        for r in claim_rows:
            for c in REVIEW_COLUMNS:
                r.setdefault(c, "")
        doc_ids = {r["doc_id"] for r in claim_rows}
        by_id = {r["claim_id"]: r for r in claim_rows}
        for doc_id in sorted(doc_ids):
            for cid, d in self.by_doc.get(doc_id, {}).items():
                target, flag = by_id.get(cid), ""
                if target is not None:
                    if (tables.fmt(target.get("value")), target.get("unit", ""), target.get("qualifier", "")) != \
                            (d["machine_value"], d["machine_unit"], d["machine_qualifier"]):
                        flag = "needs_rereview: machine reading changed since review"
                else:
                    same = [r for r in claim_rows if r["doc_id"] == d["doc_id"] and r["surface"] == d["surface"]
                            and not r.get("review_status")]
                    if not same:
                        continue   # the claim is gone from the text; the decision stays in the store
                    target, flag = same[0], "needs_rereview: sentence text changed since review"
                for c in REVIEW_COLUMNS[:-1]:
                    target[c] = d.get(c, "")
                target["review_flag"] = flag
                self.flagged += bool(flag)
        return claim_rows


def apply(claim_rows: list[dict], corpus_dir: Path) -> Applied:
    """Add the review columns to claim rows (dicts as written to claims.csv), flagging what needs re-review."""
    reviewer = Reviewer(corpus_dir)
    reviewer.apply(claim_rows)
    return Applied(claim_rows, reviewer.flagged)


def export_pending(claims_csv: Path, out_path: Path) -> int:
    """Write the claims that still need review (no decision, or flagged) to ``out_path``; returns the count."""
    frame = tables.read_csv(claims_csv)
    if "review_status" in frame:
        frame = frame[(frame.review_status == "") | (frame.review_flag != "")]
    rows = frame.to_dict("records")
    return tables.write_csv(out_path, rows, list(frame.columns))
