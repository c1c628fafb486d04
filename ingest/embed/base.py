"""The ``Embedder`` protocol and ``HashEmbedder``, a deterministic double that still ranks."""
from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from typing import Protocol

import numpy as np

Progress = Callable[[int], None]  # called with the number of texts just embedded


class Embedder(Protocol):
    """Turns passages and queries into L2-normalised vectors of one fixed dimension.

    ``id`` names the model and its recipe; it is stored in the index so that an index built with
    another embedder is refused at query time.
    """

    id: str
    dim: int

    def embed_passages(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        """Vectors for passages, shape (len(texts), dim), float32, unit length."""
        ...

    def embed_query(self, text: str) -> np.ndarray:
        """Vector for one query, shape (dim,), float32, unit length."""
        ...


class HashEmbedder:
    """Bag of hashed syllables and syllable bigrams, over the canonical search form.

    Texts sharing words get similar vectors, so ranking tests mean something, with no model.
    ``calls`` counts embedded passages, so tests can prove that unchanged files cost nothing.
    """

    def __init__(self, dim: int = 256) -> None:
        self.dim = dim
        self.id = f"hash-syllables-{dim}"
        self.calls = 0

    def _vector(self, text: str) -> np.ndarray:
        from ingest.text import search_tokens

        vec = np.zeros(self.dim, dtype=np.float32)
        for tok in search_tokens(text):
            h = int.from_bytes(hashlib.blake2b(tok.encode(), digest_size=8).digest(), "little")
            vec[h % self.dim] += 1.0 if h & (1 << 40) else -1.0
        norm = float(np.linalg.norm(vec))
        return vec / norm if norm else vec

    def embed_passages(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        """See ``Embedder.embed_passages``."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            out[i] = self._vector(text)
            if progress:
                progress(1)
        self.calls += len(texts)
        return out

    def embed_query(self, text: str) -> np.ndarray:
        """See ``Embedder.embed_query``."""
        return self._vector(text)
