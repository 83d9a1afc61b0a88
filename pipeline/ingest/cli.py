"""The ``add`` subcommand: argparse wiring (:func:`register_cli`) and the per-file loop (:func:`run_cli`)."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from pipeline.load.corpus import DocumentError
from pipeline.ingest.store import SUPPORTED_LANGS, add_document
from pipeline.ingest.text import IngestError


# ---------------------------------------------------------------------------------------------- CLI

def register_cli(subparsers) -> None:
    """Add the ``add`` subcommand to an argparse ``subparsers`` object (sets ``func=run_cli``)."""
    p = subparsers.add_parser(
        "add", help="bring PDF / HTML / DOCX / text files into the corpus",
        description="Extract the text of each file and store it in the corpus as <stem>.<lang>.txt with a "
                    "metadata sidecar; the original is kept under <corpus>/.originals/.")
    p.add_argument("paths", nargs="+", metavar="PATH", help="files to add")
    p.add_argument("--corpus", default="corpus", help="corpus folder (default: corpus/)")
    p.add_argument("--title", help="title (default: from the file, e.g. the HTML page title)")
    p.add_argument("--author")
    p.add_argument("--publisher")
    p.add_argument("--date", dest="published", help="publication date: YYYY, YYYY-MM or YYYY-MM-DD")
    p.add_argument("--url")
    p.add_argument("--lang", choices=SUPPORTED_LANGS, help="language (default: detected from the text)")
    p.add_argument("--translation-of", dest="translation_of", help="doc id of the original (e.g. report.ja)")
    p.add_argument("--license")
    p.add_argument("--json", action="store_true", help="print one JSON object per file instead of text")
    p.set_defaults(func=run_cli)


def run_cli(args) -> int:
    """Run ``add`` for parsed ``args``: prints one line per file; returns 0, or 1 if any file failed."""
    meta = {k: getattr(args, k, None) for k in ("title", "author", "publisher", "published", "url", "lang",
                                                "translation_of", "license")}
    corpus_dir = Path(getattr(args, "corpus", None) or "corpus")
    as_json = getattr(args, "json", False)
    failed = 0
    warned: set[str] = set()
    for raw in args.paths:
        try:
            added = add_document(Path(raw), corpus_dir, meta)
        except Exception as exc:            # each file succeeds or fails on its own
            failed += 1
            known = isinstance(exc, (IngestError, OSError, DocumentError))
            reason = str(exc) if known else f"unexpected {type(exc).__name__}: {exc}"
            if as_json:
                print(json.dumps({"path": raw, "error": reason}, ensure_ascii=False))
            else:
                print(f"error: {raw}: {reason}", file=sys.stderr)
            continue
        if as_json:
            print(json.dumps({"path": raw, **added.to_dict()}, ensure_ascii=False))
        else:
            print(f"added {added.doc_id} ({added.lang}, {added.chars} chars) -> {added.text_path} "
                  f"[original: {added.original_path}]")
            for warning in added.warnings:
                if warning not in warned:        # once per run, not once per added file
                    warned.add(warning)
                    print(f"warning: {corpus_dir / warning}", file=sys.stderr)
    if len(args.paths) > 1 and not as_json:
        print(f"{len(args.paths) - failed} added, {failed} refused")
    return 1 if failed else 0
