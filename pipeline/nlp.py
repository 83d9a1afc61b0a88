"""Language pipelines, loaded once per process.

Japanese: GiNZA (``ja_ginza`` from PyPI, works offline) plus our rule components. thinc's blis kernels run a
slow generic path on this CPU class, so plain NumPy ops are used (results were identical token for token,
issue #2 measurements). English: ``spacy.blank("en")`` with a rule sentencizer — no pretrained download.
"""
from __future__ import annotations

import os
from functools import lru_cache

import spacy
from spacy.language import Language

from . import extensions  # noqa: F401  - registers Doc/Span extensions
from . import quantities  # noqa: F401  - registers the quantity_finder factory

# Sudachi refuses input over 49,149 UTF-8 bytes ("Input is too long"); stay well under it.
MAX_CHUNK_BYTES = 40_000
# nlp.pipe batch: 64 peaked at 1,049 MB per worker, 8 at 824 MB for 10% more time (12 seed-sized documents)
BATCH_SIZE = int(os.environ.get("PIPELINE_BATCH_SIZE", "16"))


def _use_numpy_ops() -> None:
    if os.environ.get("PIPELINE_USE_BLIS", "0") == "1":
        return
    from thinc.api import NumpyOps, set_current_ops

    set_current_ops(NumpyOps(use_blis=False))


@lru_cache(maxsize=None)
def get_nlp(lang: str) -> Language:
    """The pipeline for ``lang`` ('ja' or 'en'), created on first use in this process."""
    if lang == "ja":
        _use_numpy_ops()
        nlp = spacy.load("ja_ginza")
        if os.environ.get("PIPELINE_NER", "1") == "0":
            # GiNZA's NER (758 actions) is ~60% of parsing time here; without it actors come from the
            # gazetteer only (bench/results/throughput.json)
            nlp.disable_pipe("ner")
        nlp.add_pipe("quantity_finder", last=True)
        return nlp
    if lang == "en":
        nlp = spacy.blank("en")
        nlp.add_pipe("sentencizer")
        return nlp
    raise ValueError(f"no pipeline for language {lang!r}")
