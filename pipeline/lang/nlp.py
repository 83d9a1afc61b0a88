"""Language pipelines, loaded once per process.

Each language backend builds its own (``pipeline/lang/<code>/``); this module caches them per process and holds
what they share. thinc's blis kernels run a slow generic path on this CPU class, so plain NumPy ops are used
(results were identical token for token, issue #2 measurements).
"""
from __future__ import annotations

from functools import lru_cache

from spacy.language import Language

from pipeline.core import settings
from pipeline.lang import extensions  # noqa: F401  - registers Doc/Span extensions

# Sudachi refuses input over 49,149 UTF-8 bytes ("Input is too long"); stay well under it.
MAX_CHUNK_BYTES = 40_000
# nlp.pipe batch: 64 peaked at 1,049 MB per worker, 8 at 824 MB for 10% more time (12 seed-sized documents)
BATCH_SIZE = int(settings.get("batch_size"))


def use_numpy_ops() -> None:
    """Use plain NumPy ops instead of thinc's blis kernels (unless PIPELINE_USE_BLIS=1)."""
    if settings.get("use_blis") == "1":
        return
    from thinc.api import NumpyOps, set_current_ops

    set_current_ops(NumpyOps(use_blis=False))


@lru_cache(maxsize=None)
def get_nlp(lang: str) -> Language:
    """The spaCy pipeline of language ``lang``, created on first use in this process (its backend's
    :meth:`~pipeline.lang.base.LanguageBackend.load_nlp`)."""
    from pipeline.lang import backend

    return backend(lang).load_nlp()
