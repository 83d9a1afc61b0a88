"""The C heap of the pipeline's processes (issue 14, memory): keep it from holding on to freed parses.

glibc's malloc serves a large request (a parse's arrays: tok2vec's activations, the parser's states) with its own
``mmap`` and gives it back on ``free``, but after each such free it *raises* its threshold for using ``mmap`` (the
"dynamic mmap threshold", up to 32 MB), so the next parses' arrays come from the heap, which does not shrink. A
worker that had parsed the benchmark's largest document held ~650 MB; with the threshold fixed at 256 KiB
(``mallopt(M_MMAP_THRESHOLD)``, which also turns the dynamic raise off) it held ~475 MB, in the same time within
the noise (12 documents, 6.2-6.8 s either way). Processes forked after the call inherit the setting.

glibc only (``mallopt`` and ``malloc_trim`` found in the C library); elsewhere, or with
``PIPELINE_MMAP_THRESHOLD=0``, nothing is changed.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import logging
from functools import lru_cache

from pipeline.core import settings

log = logging.getLogger(__name__)
M_MMAP_THRESHOLD = -3   # glibc's malloc.h


@lru_cache(maxsize=1)
def _libc():
    """The C library if it is glibc (has ``mallopt`` and ``malloc_trim``), else None."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    except OSError:
        return None
    return libc if hasattr(libc, "mallopt") and hasattr(libc, "malloc_trim") else None


def limit_heap_growth() -> bool:
    """Fix glibc's mmap threshold at ``PIPELINE_MMAP_THRESHOLD`` bytes (see the module's docstring); True if set."""
    threshold = int(settings.get("mmap_threshold") or 0)
    libc = _libc()
    if threshold <= 0 or libc is None:
        return False
    ok = bool(libc.mallopt(M_MMAP_THRESHOLD, ctypes.c_int(threshold)))
    if not ok:
        log.debug("mallopt(M_MMAP_THRESHOLD, %d) refused", threshold)
    return ok


def trim() -> None:
    """Give the heap's free pages back to the system (``malloc_trim(0)``), e.g. after dropping a model."""
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(ctypes.c_size_t(0))
