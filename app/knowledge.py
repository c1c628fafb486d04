"""The knowledge base as the answering side sees it: committed passages and hybrid search.

``KnowledgeBase.open(settings)`` reads the document records of the index once; ``search`` fuses
BM25 (built once per index generation, cached on disk) with the dense e5 ranking and
document-aware boosts. ``refresh`` reloads when another process changed the index.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from app.search.accents import Restorer, library_restorer
from app.search.bm25 import Bm25Index, cached_bm25
from app.search.hybrid import (
    DocIdentity,
    Signals,
    combine,
    doc_boosts,
    fusion_signals,
    heading_words,
    identity,
    parents,
    passage_facts,
    passage_levels,
)
from app.search.query import Query, QueryInfo, prepare
from app.search.vectors import DenseMatrix, cached_dense
from ingest.records import Passage
from ingest.settings import Settings
from ingest.store import DocumentRecord, Store
from ingest.text import DOC_CODE as CODE
from ingest.text import canonical, normalize_code, strip_accents

if TYPE_CHECKING:
    from ingest.embed.base import Embedder

DENSE_K = 100  # dense candidates taken per query


def document_codes(text: str) -> set[str]:
    """Document codes a text cites (``985-kh/hndt``), in the form ``DocIdentity.code`` uses."""
    return {_code_form(*m.groups()) for m in CODE.finditer(text)}


@lru_cache(maxsize=65536)
def _code_form(number: str, year: str | None, letters: str) -> str:
    """One code as ``DocIdentity.code`` writes it (a library cites few codes, many times)."""
    return strip_accents(normalize_code(number, year, letters))


def canonical_spelling(text: str) -> str:
    """``text`` with one tone placement per syllable (``khoá`` → ``khóa``), case kept, so
    both spelling habits give the same query vector."""
    def fix(m: re.Match[str]) -> str:
        word = m.group(0)
        canon = canonical(word)
        if canon == word.lower() or len(canon) != len(word):
            return word
        return "".join(c.upper() if o.isupper() else c for c, o in zip(canon, word, strict=True))

    return re.sub(r"\w+", fix, text)


def search_text(p: Passage) -> str:
    """What BM25 sees: heading path and passage text. The document title is left out (it is in
    every passage of a document, which would flatten word weights); naming a document is
    handled by the document-aware boosts."""
    return f"{p.section}\n{p.text}" if p.section else p.text


@dataclass(frozen=True)
class Hit:
    """One ranked passage. ``score`` is the fused score; ``lexical`` the BM25 score and
    ``dense`` the cosine similarity (0 when the passage was not among the dense candidates)."""

    passage: Passage
    score: float
    lexical: float = 0.0
    dense: float = 0.0


class KnowledgeBase:
    """Read-only view of one index: records, passages in (source, order) order, search."""

    def __init__(self, settings: Settings, store: Store, embedder: Embedder | None) -> None:
        self.settings = settings
        self.store = store
        self._embedder = embedder
        self.records: dict[str, DocumentRecord] = {}
        self.passages: list[Passage] = []
        self.generation: str | None = None
        self._load()

    @classmethod
    def open(cls, settings: Settings, embedder: Embedder | None = None) -> KnowledgeBase:
        """Open the index of ``settings`` (raises ``IndexNotFound`` / ``IndexMismatch``).

        ``embedder`` defaults to the query embedder of the settings, loaded on first search.
        """
        store = Store(settings)
        kb = cls(settings, store, embedder)
        if embedder is not None:
            store.check(embedder.id, embedder.dim)
        return kb

    # ---- loading --------------------------------------------------------------------------
    def _load(self) -> None:
        info = self.store.info() or {}
        self.generation = info.get("generation")
        self._embedded_by = f"{info.get('embedder')}/{info.get('dim')}"
        self.records = dict(sorted(self.store.records().items()))
        self.passages = [p for r in self.records.values()
                         for p in sorted(r.passages, key=lambda p: p.order)]
        self._pos = {p.id: i for i, p in enumerate(self.passages)}
        self._sources = [p.source for p in self.passages]
        self._levels = passage_levels(self.passages)
        self._kinds = [p.kind for p in self.passages]
        self._facts = passage_facts(self.passages)
        self._headings = [heading_words(p.section if p.kind == "body" else None)
                          for p in self.passages]
        self._identities: list[DocIdentity] = [
            identity(r.source, r.meta, next((p.text for p in r.passages if p.kind == "header"), ""))
            for r in self.records.values()
        ]
        self._parents = parents(self._identities, {
            src: document_codes(" ".join(p.text for p in r.passages))
            for src, r in self.records.items()})
        self._numbers = {i.number for i in self._identities if i.number}
        self._mentioned: dict[str, frozenset[str]] = {}  # filled per source when first asked
        self._bm25: Bm25Index | None = None
        self._dense_matrix: DenseMatrix | None = None
        self._restorer: Restorer | None = None

    @property
    def dense_matrix(self) -> DenseMatrix:
        """The passages' vectors of this generation, searched exactly (loaded from disk or
        read from the store once; ``app.search.vectors``)."""
        if self._dense_matrix is None:
            self._dense_matrix = cached_dense(self.settings.index_dir, self.generation,
                                              [p.id for p in self.passages], self.store.vectors,
                                              self._embedded_by)
        return self._dense_matrix

    @property
    def bm25(self) -> Bm25Index:
        """The BM25 index of this generation (loaded from disk or built once)."""
        if self._bm25 is None:
            self._bm25 = cached_bm25(self.settings.index_dir, self.generation,
                                     [p.id for p in self.passages],
                                     [search_text(p) for p in self.passages])
        return self._bm25

    @property
    def restorer(self) -> Restorer | None:
        """Puts accents back on question words typed without them, from this library's words
        and the fitted question wording (built on first use); None when the settings say off."""
        if not self.settings.restore_accents:
            return None
        if self._restorer is None:
            bm25 = self.bm25  # one generation's vocabulary and offsets
            self._restorer = library_restorer(bm25.vocab, bm25.postings_offsets())
        return self._restorer

    def prepare(self, question: str) -> Query:
        """``question`` as typed, accents restored, spelled out and parsed (``prepare``)."""
        return prepare(question, self.restorer)

    @property
    def embedder(self) -> Embedder:
        """The query embedder (loaded lazily: a cold start only pays for it when searching)."""
        if self._embedder is None:
            from ingest.embed.load import load_embedder

            self._embedder = load_embedder(self.settings, "query")
            self.store.check(self._embedder.id, self._embedder.dim)
        return self._embedder

    def refresh(self) -> bool:
        """Reload when the index generation changed (another session ingested); True if so."""
        info = self.store.info() or {}
        if info.get("generation") == self.generation:
            return False
        self._load()
        return True

    # ---- search ---------------------------------------------------------------------------
    def query_vector(self, search_text: str) -> np.ndarray:
        """The dense search's vector of a prepared question's ``search_text``."""
        return self.embedder.embed_query(canonical_spelling(search_text))

    def _dense(self, query: str) -> np.ndarray:
        """Cosine per passage for the dense candidates, 0 elsewhere."""
        out = np.zeros(len(self.passages), dtype=np.float32)
        vector = self.query_vector(query)
        for i, cos in self.dense_matrix.top(vector, DENSE_K):  # rows = committed passages
            out[i] = max(cos, 1e-6)
        return out

    def signals(self, query: str | Query) -> Signals:
        """What the fused score of every passage is made of for ``query`` (a question as
        typed, or one already ``prepare``d)."""
        q = self.prepare(query) if isinstance(query, str) else query
        info = q.search_info
        if "header" in info.kinds and not self.holds_named_document(info):
            # "ban hành ngày nào" asks for a header only about a document the library holds
            info = replace(info, kinds=tuple(k for k in info.kinds if k != "header"))
        return fusion_signals(self.bm25.scores(q.search_text), self._dense(q.search_text),
                              self._sources, self._levels, self._kinds, info,
                              doc_boosts(info, self._identities, self._parents),
                              self._headings, self._facts)

    def search(self, query: str | Query, k: int = 5, sources: Sequence[str] | None = None
               ) -> list[Hit]:
        """The ``k`` best passages for ``query`` (a question as typed, or one already
        ``prepare``d), optionally only from ``sources``."""
        q = self.prepare(query) if isinstance(query, str) else query
        if not self.passages or not q.search_text.strip():
            return []
        sig = self.signals(q)
        score = combine(sig)
        if sources is not None:
            allowed = set(sources)
            score = np.where([s in allowed for s in self._sources], score, -np.inf)
        order = np.argsort(-score, kind="stable")[:k]
        return [Hit(self.passages[i], float(score[i]), float(sig.lex[i]), float(sig.dense[i]))
                for i in order if np.isfinite(score[i]) and score[i] > 0]

    @property
    def parent_sources(self) -> set[str]:
        """Sources whose document number other documents of the library cite."""
        return set(self._parents)

    def mentions_number(self, source: str, number: str) -> bool:
        """Whether document ``source`` cites a document numbered ``number`` anywhere (a plan on
        Nghị quyết 58 cites "58-NQ/TW" in its title or text, so it answers questions naming it)."""
        if source not in self._mentioned:
            r = self.records.get(source)
            self._mentioned[source] = frozenset(re.findall(r"\d+", " ".join(
                [r.meta.title or ""] + [p.text for p in r.passages]))) if r else frozenset()
        return number in self._mentioned[source]

    def levels_of(self, passage_id: str) -> frozenset[str]:
        """Organisation levels (tinh, huyen, xa, chi) the passage's section is about."""
        i = self._pos.get(passage_id)
        return self._levels[i] if i is not None else frozenset()

    def holds_named_document(self, info: QueryInfo) -> bool:
        """Whether the question names a document the library holds: by number, or by type
        alone ("kế hoạch do ai ban hành?") when the library holds documents of that type."""
        if any(ref.number in self._numbers for ref in info.docs if ref.number):
            return True
        types = {r.meta.doc_type for r in self.records.values()}
        return not info.docs and any(t in types for t in info.types_named)

    def names_document(self, info: QueryInfo) -> bool:
        """Whether the question singles out one document of the library (by number, the body
        that issued it, its level or issuer/place words)."""
        boosts = doc_boosts(info, self._identities)
        return bool(boosts) and len(set(boosts.values())) > 1

    def neighbours(self, passage_id: str, before: int = 1, after: int = 1) -> list[Passage]:
        """The passage with up to ``before``/``after`` surrounding passages of its document."""
        i = self._pos.get(passage_id)
        if i is None:
            return []
        source = self.passages[i].source
        lo, hi = max(0, i - before), min(len(self.passages), i + after + 1)
        return [p for p in self.passages[lo:hi] if p.source == source]
