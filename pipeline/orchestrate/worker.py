"""Start-up of an NLP worker process (kept free of heavy imports so it runs before them).

spaCy's thinc imports torch whenever it is installed (it is, for the optional transformers embedder), which
costs a worker ~230 MB and ~1.5 s and is never used by GiNZA; workers therefore block it before spaCy loads.
"""
import sys


def block_torch() -> None:
    """Make `import torch` fail in this process (unless PIPELINE_WORKER_TORCH=1 or it is already loaded)."""
    from pipeline.core import settings

    if settings.get("worker_torch") != "1" and "torch" not in sys.modules:
        sys.modules["torch"] = None  # type: ignore[assignment]


def init(langs: tuple[str, ...] = ("ja", "en")) -> None:
    """Initializer of a worker process (or of the process its workers are forked from): block torch (unless asked
    for), then load the language pipelines and the rule data."""
    block_torch()
    from pipeline.orchestrate.memory import limit_heap_growth

    limit_heap_growth()
    from pipeline.extract.document import warm_up
    from pipeline.lang.nlp import get_nlp

    for lang in langs:
        get_nlp(lang)
    warm_up(langs)
