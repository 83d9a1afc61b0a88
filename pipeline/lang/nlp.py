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


# statistical models loaded by the warm daemon before it forks a run (pipeline.orchestrate.daemon), keyed by the
# model's name and the ops setting it was loaded with; a run takes its copy once (it then adds its rule components)
_PRELOADED: dict[tuple[str, str], Language] = {}
PRELOAD = ("ja_ginza",)   # the models of the language backends (pipeline/lang/<code>/load_nlp)
PRELOAD_BLANK = ("en",)   # the blank pipelines they start from (spacy.blank("en"): ~0.1 s, its tokenizer's tables)


def load_model(name: str) -> Language:
    """``spacy.load(name)``, or the copy the warm daemon loaded before this process was forked from it."""
    model = _PRELOADED.pop((name, settings.get("use_blis")), None)
    if model is not None:
        return model
    import spacy

    settings.trace(f"load_model {name}")
    return spacy.load(name)


def load_blank(lang: str) -> Language:
    """``spacy.blank(lang)``, or the copy the warm daemon made before this process was forked from it."""
    model = _PRELOADED.pop((f"blank:{lang}", settings.get("use_blis")), None)
    if model is not None:
        return model
    import spacy

    return spacy.blank(lang)


def preload_models(names: tuple[str, ...] = PRELOAD, blank: tuple[str, ...] = PRELOAD_BLANK) -> None:
    """Load the statistical models ``names`` and make the blank pipelines ``blank`` for the processes forked from
    this one (the daemon): only the model, none of the rule components, which read the rule data and are added by
    each run."""
    import spacy

    use_numpy_ops()
    for name in names:
        _PRELOADED.setdefault((name, settings.get("use_blis")), spacy.load(name))
    for lang in blank:
        _PRELOADED.setdefault((f"blank:{lang}", settings.get("use_blis")), spacy.blank(lang))


@lru_cache(maxsize=None)
def get_nlp(lang: str) -> Language:
    """The spaCy pipeline of language ``lang``, created on first use in this process (its backend's
    :meth:`~pipeline.lang.base.LanguageBackend.load_nlp`)."""
    from pipeline.lang import backend

    return backend(lang).load_nlp()
