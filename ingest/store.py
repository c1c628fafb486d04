"""The knowledge base on disk (or on a Chroma server): passages, vectors, document records.

Two Chroma collections (prefix ``settings.collection``), written through llama-index's
``ChromaVectorStore``:
- ``<prefix>_passages``: one vector per passage (id = the passage's stable id);
- ``<prefix>_documents``: one record per indexed file (its hash, metadata and passages as JSON),
  plus an ``__index__`` record with the embedder id, dimension, pipeline version and generation.

A document record is the commit point: its passages are written first, then the record. Readers
only trust passages listed by a record, so an ingest killed at any moment leaves the previous
state usable; the next ingest removes passages no record lists.

A rebuild writes a new pair of collections (``<prefix>_g<hex>_passages`` / ``_documents``) beside
the live one; a one-record ``<prefix>_active`` collection names the live pair and is switched in
one write once the new pair is complete. A rebuild killed before the switch leaves the old pair
live (the next ingest drops the unfinished one); after it, the new one.
"""
from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np

from ingest.errors import IndexMismatch, IndexNotFound
from ingest.records import DocumentMeta, Passage
from ingest.settings import PIPELINE_VERSION, Settings

INFO_ID = "__index__"
ACTIVE_ID = "active"
WRITE_BATCH = 4000  # passages per Chroma call (its limit is about 5,000 on SQLite)
# The documents collection's (unused, 1-d) vector index is saved after every write. With
# Chroma's default (every 1,000 records) an index of fewer documents never saves it, and every
# process that opens the collection first replays all records from Chroma's log into it:
# 1.6 s of each ``hoctap ask`` at 20,000 passages (bench/notes/issue-8-cold-start.md).
DOCUMENTS_HNSW = {"sync_threshold": 1, "batch_size": 1}


@dataclass(frozen=True)
class DocumentRecord:
    """What the index knows about one file (its corpus-relative path is ``source``)."""

    source: str
    sha256: str
    size: int
    pages: int | None
    added_at: str
    meta: DocumentMeta
    passages: tuple[Passage, ...]

    def to_json(self) -> str:
        """Serialise for storage in the documents collection."""
        data = {k: v for k, v in asdict(self).items() if k != "passages"}
        data["passages"] = [
            {k: v for k, v in asdict(p).items() if k not in ("meta", "source")}
            for p in self.passages
        ]
        return json.dumps(data, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> DocumentRecord:
        """Inverse of ``to_json``."""
        data = json.loads(text)
        meta = DocumentMeta(**data["meta"])
        passages = tuple(
            Passage(meta=meta, source=data["source"], **p) for p in data["passages"]
        )
        return cls(data["source"], data["sha256"], data["size"], data["pages"],
                   data["added_at"], meta, passages)


def _client(settings: Settings, create: bool) -> Any:
    """An embedded persistent Chroma client under ``index_dir``, or an HTTP client."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=True)
    if settings.chroma_url:
        url = urlparse(settings.chroma_url)
        return chromadb.HttpClient(host=url.hostname or "localhost", port=url.port or 8000,
                                   ssl=url.scheme == "https", settings=chroma_settings)
    path = Path(settings.index_dir) / "chroma"
    if not create and not path.exists():
        raise IndexNotFound(
            f"Chưa có chỉ mục tại {settings.index_dir}. Hãy chạy: hoctap ingest")
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=chroma_settings)


def _persist_promptly(documents: Any) -> None:
    """Give a documents collection made by an older version ``DOCUMENTS_HNSW`` (its next
    write then saves the vector index, and later readers replay nothing)."""
    hnsw = (getattr(documents, "configuration", None) or {}).get("hnsw") or {}
    if hnsw.get("sync_threshold", 0) > DOCUMENTS_HNSW["sync_threshold"]:
        documents.modify(configuration={"hnsw": dict(DOCUMENTS_HNSW)})


def forget_cached_client(settings: Settings) -> None:
    """Make the next ``Store`` of this embedded index read the disk afresh.

    Chroma keeps one engine per folder per process, and that engine never sees vectors that
    another process (``hoctap ingest``) wrote after it loaded them. Dropping it from Chroma's
    cache makes the next client load the current state; stores already open keep theirs.
    """
    if settings.chroma_url:
        return
    from chromadb.api.shared_system_client import SharedSystemClient

    path = str(Path(settings.index_dir) / "chroma")
    for key in list(SharedSystemClient._identifier_to_system):
        if key == path:
            SharedSystemClient._identifier_to_system.pop(key, None)
            SharedSystemClient._identifier_to_refcount.pop(key, None)


class Store:
    """Read and write access to the passages, vectors and document records of one index."""

    def __init__(self, settings: Settings, create: bool = False, suffix: str | None = None) -> None:
        self.settings = settings
        self.writer = create
        self.client = _client(settings, create)
        self.follows = suffix is None and not create  # readers follow a rebuild's switch
        self.suffix = self.active_suffix() if suffix is None else suffix
        self.names = self._names(self.suffix)
        if not create and self.names[1] not in self._collection_names():
            raise IndexNotFound(
                "Chỉ mục trống hoặc chưa được tạo. Hãy chạy: hoctap ingest")
        self._open()

    def _names(self, suffix: str) -> tuple[str, str]:
        prefix = self.settings.collection + suffix
        return f"{prefix}_passages", f"{prefix}_documents"

    def _collection_names(self) -> set[str]:
        return {c if isinstance(c, str) else c.name for c in self.client.list_collections()}

    # ---- which pair of collections is live (atomic rebuilds) ---------------------------------
    def active_suffix(self) -> str:
        """The suffix of the live collections ("" for an index never rebuilt this way)."""
        try:
            pointer = self.client.get_collection(f"{self.settings.collection}_active")
        except Exception:  # noqa: BLE001 - no pointer yet: the unsuffixed pair is live
            return ""
        got = pointer.get(ids=[ACTIVE_ID], include=["documents"])
        return str(got["documents"][0]) if got["ids"] else ""

    def beside(self) -> Store:
        """A new, empty pair of collections beside the live one (for ``--rebuild``)."""
        return Store(self.settings, create=True, suffix=f"_g{uuid.uuid4().hex[:12]}")

    def activate(self) -> None:
        """Make this store's collections the live ones (one write), then drop the others."""
        pointer = self.client.get_or_create_collection(f"{self.settings.collection}_active")
        pointer.upsert(ids=[ACTIVE_ID], documents=[self.suffix], embeddings=[[1.0]])
        self.drop_stale()

    def drop_stale(self) -> list[str]:
        """Delete this prefix's collections that are not live (left by an earlier rebuild,
        finished or killed); call only while holding the ingest lock. Returns their names."""
        live = set(self._names(self.active_suffix()))
        pattern = re.compile(re.escape(self.settings.collection)
                             + r"(?:_g[0-9a-f]{12})?_(?:passages|documents)")
        stale = sorted(n for n in self._collection_names()
                       if pattern.fullmatch(n) and n not in live)
        for name in stale:
            self.client.delete_collection(name)
        return stale

    def _open(self) -> None:
        self.passages = self.client.get_or_create_collection(
            self.names[0], metadata={"hnsw:space": "cosine"}
        )
        self.documents = self.client.get_or_create_collection(
            self.names[1], configuration={"hnsw": dict(DOCUMENTS_HNSW)})  # Chroma fills it in
        if self.writer:
            _persist_promptly(self.documents)

    # ---- index identity -------------------------------------------------------------------
    def info(self) -> dict[str, Any] | None:
        """The ``__index__`` record: embedder id, dim, pipeline version, generation.

        Follows a switch to rebuilt collections made since this store was opened."""
        suffix = self.active_suffix() if self.follows else self.suffix
        if suffix != self.suffix and self._names(suffix)[1] in self._collection_names():
            self.suffix, self.names = suffix, self._names(suffix)
            self._open()
        got = self.documents.get(ids=[INFO_ID], include=["documents"])
        return json.loads(got["documents"][0]) if got["ids"] else None

    def set_info(self, embedder_id: str, dim: int) -> None:
        """Record how the index is built, with a fresh generation id (readers cache by it)."""
        info = {"embedder": embedder_id, "dim": dim, "pipeline": PIPELINE_VERSION,
                "generation": uuid.uuid4().hex}
        self.documents.upsert(ids=[INFO_ID], documents=[json.dumps(info)],
                              embeddings=[[1.0]], metadatas=[{"kind": "info"}])

    def check(self, embedder_id: str, dim: int) -> None:
        """Raise ``IndexMismatch`` when the index was built another way than asked now."""
        info = self.info()
        if info is None:
            return
        if (info["embedder"], info["dim"], info["pipeline"]) != (embedder_id, dim,
                                                                 PIPELINE_VERSION):
            raise IndexMismatch(
                f"Chỉ mục được tạo bằng mô hình '{info['embedder']}' ({info['dim']} chiều, "
                f"quy trình v{info['pipeline']}), khác với cấu hình hiện tại '{embedder_id}' "
                f"({dim} chiều, v{PIPELINE_VERSION}). Hãy chạy: hoctap ingest --rebuild"
            )

    # ---- documents --------------------------------------------------------------------------
    def records(self) -> dict[str, DocumentRecord]:
        """Every committed document record, by source path."""
        got = self.documents.get(where={"kind": "document"}, include=["documents"])
        recs = (DocumentRecord.from_json(doc) for doc in got["documents"])
        return {r.source: r for r in recs}

    def commit(self, records: list[DocumentRecord]) -> None:
        """Make documents' (already written) passages visible: the commit point."""
        if not records:
            return
        self.documents.upsert(
            ids=[_doc_id(r.source) for r in records], documents=[r.to_json() for r in records],
            embeddings=[[1.0] for _ in records],
            metadatas=[{"kind": "document", "source": r.source, "sha256": r.sha256}
                       for r in records],
        )

    def forget(self, source: str) -> None:
        """Remove a document's record (its passages become orphans, swept by ``sweep``)."""
        self.documents.delete(ids=[_doc_id(source)])

    # ---- passages ---------------------------------------------------------------------------
    def existing_ids(self, ids: Iterable[str]) -> set[str]:
        """Which of ``ids`` already have a vector stored."""
        ids = list(ids)
        return {found for i in range(0, len(ids), WRITE_BATCH)
                for found in self.passages.get(ids=ids[i:i + WRITE_BATCH], include=[])["ids"]}

    def add(self, passages: list[Passage], vectors: np.ndarray) -> None:
        """Write passages and their vectors through llama-index's Chroma vector store."""
        from llama_index.core.schema import TextNode
        from llama_index.vector_stores.chroma import ChromaVectorStore

        store = ChromaVectorStore(chroma_collection=self.passages)
        nodes = [
            TextNode(id_=p.id, text=p.index_text, embedding=vec.tolist(),
                     metadata={"source": p.source, "section": p.section or "",
                               "page": p.page or 0, "kind": p.kind,
                               "doc_number": p.meta.number or ""})
            for p, vec in zip(passages, vectors, strict=True)
        ]
        for i in range(0, len(nodes), WRITE_BATCH):  # Chroma refuses larger batches
            store.add(nodes[i:i + WRITE_BATCH])

    def sweep(self, keep: set[str]) -> int:
        """Delete stored vectors that no committed record lists; return how many."""
        stored = set(self.passages.get(include=[])["ids"])
        orphans = sorted(stored - keep)
        for i in range(0, len(orphans), 5000):
            self.passages.delete(ids=orphans[i:i + 5000])
        return len(orphans)

    def save_vectors(self) -> None:
        """Have Chroma save the passages' vector index whole now (call at the end of a write).

        Chroma saves it every 1,000 writes; a process opening the index replays the rest from
        its log into the graph, with threads, so each process may build a slightly different
        graph (the dense top 100 differed for 135 of 462 questions between two processes at
        20,000 passages) and pays ~1 s for it (bench/notes/issue-8-cold-start.md). Chroma reads
        the setting when it loads the index, so a fresh engine does the replay and the save."""
        if self.settings.chroma_url:
            return  # a server keeps the index loaded: its readers replay nothing
        hnsw = (getattr(self.passages, "configuration", None) or {}).get("hnsw") or {}
        keep = {"sync_threshold": hnsw.get("sync_threshold", 1000),
                "batch_size": hnsw.get("batch_size", 100)}
        self.passages.modify(configuration={"hnsw": {"sync_threshold": 1, "batch_size": 1}})
        forget_cached_client(self.settings)
        try:
            _client(self.settings, create=False).get_collection(self.names[0]).count()
        finally:
            self.passages.modify(configuration={"hnsw": keep})
            forget_cached_client(self.settings)

    def vectors(self, ids: Sequence[str]) -> dict[str, np.ndarray]:
        """The stored vectors of those of ``ids`` that have one (for ``app.search.vectors``,
        which searches them exactly)."""
        out: dict[str, np.ndarray] = {}
        for i in range(0, len(ids), WRITE_BATCH):
            got = self.passages.get(ids=list(ids[i:i + WRITE_BATCH]), include=["embeddings"])
            out.update((pid, np.asarray(e, dtype=np.float32))
                       for pid, e in zip(got["ids"], got["embeddings"], strict=True))
        return out

    def dense(self, vector: np.ndarray, k: int) -> list[tuple[str, float]]:
        """Nearest passage ids with cosine similarity, best first."""
        n = self.passages.count()
        if n == 0:
            return []
        got = self.passages.query(query_embeddings=[vector.tolist()], n_results=min(k, n),
                                  include=["distances"])
        return [(i, 1.0 - d) for i, d in zip(got["ids"][0], got["distances"][0], strict=True)]


def _doc_id(source: str) -> str:
    import hashlib

    return "doc-" + hashlib.sha1(source.encode()).hexdigest()[:20]
