"""The C heap of the pipeline's processes (pipeline/orchestrate/memory.py, issue 14): with glibc's mmap threshold
fixed, blocks of a parse's size go back to the system when freed instead of staying in the heap."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.orchestrate import memory

ROOT = Path(__file__).resolve().parent.parent
glibc = pytest.mark.skipif(memory._libc() is None, reason="glibc's mallopt/malloc_trim are not available here")

# What a worker's parses do to the heap, in small: one large block freed (glibc then raises its mmap threshold to
# its size), then many blocks of a parse's array size, pinned in the heap by one more allocated after them,
# all freed; the RSS that stays is what the process keeps holding.
SCRIPT = """
import sys
import numpy
from pipeline.orchestrate import memory

def rss_mib():
    with open("/proc/self/status") as f:
        return int(next(l for l in f if l.startswith("VmRSS")).split()[1]) // 1024

limited = memory.limit_heap_growth()
big = numpy.ones(24 << 20, dtype=numpy.uint8)
del big
base = rss_mib()
blocks = [numpy.ones(1 << 20, dtype=numpy.uint8) for _ in range(300)]
pin = numpy.ones(1 << 20, dtype=numpy.uint8)   # the heap's top: what is freed below it cannot be trimmed
del blocks
print(limited, rss_mib() - base)
"""


def _held_after_free(threshold: str) -> tuple[str, int]:
    run = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True, text=True, timeout=120,
                         env={**os.environ, "PIPELINE_MMAP_THRESHOLD": threshold})
    assert run.returncode == 0, run.stderr[-2000:]
    limited, held = run.stdout.split()
    return limited, int(held)


@glibc
def test_fixed_threshold_gives_freed_parse_arrays_back():
    limited, held = _held_after_free("262144")
    default, held_default = _held_after_free("0")
    assert (limited, default) == ("True", "False")
    assert held_default > 200          # glibc's default: the 300 MiB stay in the heap
    assert held < 50                   # fixed threshold: each block was its own mapping, gone when freed


def test_switched_off_or_without_glibc_nothing_changes(monkeypatch):
    monkeypatch.setenv("PIPELINE_MMAP_THRESHOLD", "0")
    assert memory.limit_heap_growth() is False
    memory.trim()   # never fails, with or without glibc
