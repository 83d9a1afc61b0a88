"""Language backends: one folder per language (``ja/``, ``en/``), each offering :class:`base.LanguageBackend`.

:func:`backend` looks one up by its code; :data:`LANGUAGES` lists the codes the pipeline handles. Adding a
language is adding a folder and its rule data (``README.md`` here says how), then one line below.
"""
from __future__ import annotations

from functools import lru_cache
from importlib import import_module

from pipeline.lang.base import LanguageBackend

# code -> module that defines BACKEND (imported on first use: the English backend needs no GiNZA)
_MODULES = {"ja": "pipeline.lang.ja", "en": "pipeline.lang.en"}
LANGUAGES = tuple(_MODULES)


@lru_cache(maxsize=None)
def backend(code: str) -> LanguageBackend:
    """The backend of language ``code``; ValueError for a language the pipeline does not handle."""
    if code not in _MODULES:
        raise ValueError(f"no language backend for {code!r} (handled: {', '.join(LANGUAGES)})")
    return import_module(_MODULES[code]).BACKEND
