"""Process-wide resources shared by every session: settings, the embedder, the knowledge base.

``st.cache_resource`` keeps one ``Shared`` per process, so the retrieval engine and the model
load once, not on every click or for every visitor. ``Shared.knowledge()`` swaps in a freshly
opened ``KnowledgeBase`` when the index generation changes (an upload in any session, or a
``hoctap ingest`` / ``--rebuild`` run by another process), so new documents are searchable at
once everywhere, BM25 included; a session mid-answer keeps the one it holds.
"""
from __future__ import annotations

import threading
from dataclasses import replace
from typing import TYPE_CHECKING

import streamlit as st

from app.library import LoginGuard
from ingest.settings import Settings
from ingest.store import forget_cached_client

if TYPE_CHECKING:
    from app.knowledge import KnowledgeBase
    from ingest.embed.base import Embedder


class _Serialised:
    """An embedder whose calls run one at a time: sessions are threads, and a native engine
    need not be safe to call from two of them at once (an upload while someone asks)."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.id = inner.id
        self.dim = inner.dim
        self._lock = threading.Lock()

    def embed_passages(self, texts, progress=None):  # type: ignore[no-untyped-def]
        """See ``Embedder.embed_passages``; in slices of 16, so that questions asked during
        a long upload wait for one slice, not for the whole file."""
        import numpy as np

        parts = []
        for i in range(0, len(texts), 16):
            with self._lock:
                parts.append(self.inner.embed_passages(texts[i:i + 16], progress))
        return np.concatenate(parts) if parts else np.zeros((0, self.dim), dtype=np.float32)

    def embed_query(self, text: str):  # type: ignore[no-untyped-def]
        """See ``Embedder.embed_query``."""
        with self._lock:
            return self.inner.embed_query(text)


def _load_embedder(settings: Settings, purpose: str) -> Embedder:
    """``ingest.embed.load.load_embedder`` (the hash test double needs no model at all),
    serialised for use by concurrent sessions."""
    if settings.embed_model == "hash":
        from ingest.embed.base import HashEmbedder

        return _Serialised(HashEmbedder())
    from ingest.embed.load import load_embedder

    return _Serialised(load_embedder(settings, purpose=purpose))


class Shared:
    """One per process: lazily loaded embedders and the current knowledge base."""

    def __init__(self, settings: Settings) -> None:
        from app.answer.reader import many_questions

        self.settings = replace(settings, reader_backend=many_questions(settings.reader_backend))
        self._lock = threading.RLock()
        self._query: Embedder | None = None
        self._kb: KnowledgeBase | None = None
        self.login = LoginGuard()  # wrong admin passwords slow down every session

    def query_embedder(self) -> Embedder:
        """The query embedder (loaded on first use)."""
        with self._lock:
            if self._query is None:
                self._query = _load_embedder(self.settings, "query")
            return self._query

    def passage_embedder(self) -> Embedder:
        """The embedder for uploads: the query embedder itself. Both purposes share one id
        (``load_embedder``'s contract); for e5 the query side is the native engine, which
        loads at once and embeds a typical upload (tens of passages) in a few seconds, where
        the sentence-transformers model would first cost ~10 s and ~1 GB to load."""
        return self.query_embedder()

    def knowledge(self) -> KnowledgeBase:
        """The knowledge base of the current index generation (raises ``IndexNotFound``)."""
        from app.answer.extractive import reader_for
        from app.answer.verify import embedder_kind
        from app.knowledge import KnowledgeBase

        with self._lock:
            kb = self._kb
            if kb is not None:
                info = kb.store.info() or {}  # follows a rebuild's switch; a cheap read
                if info.get("generation") == kb.generation:
                    return kb
                # another process may have written: read vectors from disk, not the cache
                forget_cached_client(self.settings)
            self._kb = KnowledgeBase.open(self.settings, self.query_embedder())
            _ = self._kb.bm25  # build (or load) the lexical index now, not on the first question
            _ = self._kb.restorer  # and count its words for restoring accents
            # and the answer reader, when it is on: in the background, so that the page need not
            # wait for torch's import (seconds); a question asked meanwhile waits for it
            threading.Thread(target=reader_for, args=(self._kb, embedder_kind(self._kb.embedder.id)),
                             name="hoctap-reader-preload", daemon=True).start()
            return self._kb

    def forget(self) -> None:
        """Drop the knowledge base (next ``knowledge()`` reopens it)."""
        with self._lock:
            self._kb = None


def settings() -> Settings:
    """Settings from the environment (``hoctap app`` passes its options that way)."""
    return Settings.from_env()


@st.cache_resource(show_spinner=False)
def _shared(s: Settings) -> Shared:
    return Shared(s)


def shared() -> Shared:
    """The process-wide ``Shared`` for the current settings."""
    return _shared(settings())
