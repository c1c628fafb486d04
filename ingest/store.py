"""The knowledge base on disk (or on a Chroma server): passages, vectors, document records.

Two Chroma collections (prefix ``settings.collection``), written through llama-index's
``ChromaVectorStore``:
- ``<prefix>_passages``: one vector per passage (id = the passage's stable id);
- ``<prefix>_documents``: one record per indexed file (its hash, metadata and passages as JSON),
  plus an ``__index__`` record with the embedder id, dimension, pipeline version and generation.

A document record is the commit point: its passages are written first, then the record. Readers
only trust passages listed by a record, so an ingest killed at any moment leaves the previous
state usable; the next ingest removes passages no record lists.
"""
from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np

from ingest.errors import IndexMismatch, IndexNotFound
from ingest.records import DocumentMeta, Passage
from ingest.settings import PIPELINE_VERSION, Settings

INFO_ID = "__index__"


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
            f"Chưa có chỉ mục tại {settings.index_dir}. Hãy chạy: hoctap ingest "
            f"(no index at {settings.index_dir}: run `hoctap ingest`)"
        )
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=chroma_settings)


class Store:
    """Read and write access to the passages, vectors and document records of one index."""

    def __init__(self, settings: Settings, create: bool = False) -> None:
        self.settings = settings
        self.names = (f"{settings.collection}_passages", f"{settings.collection}_documents")
        self.client = _client(settings, create)
        names = {c if isinstance(c, str) else c.name for c in self.client.list_collections()}
        if not create and self.names[1] not in names:
            raise IndexNotFound(
                "Chỉ mục trống hoặc chưa được tạo. Hãy chạy: hoctap ingest "
                "(the index is empty: run `hoctap ingest`)"
            )
        self._open()

    def _open(self) -> None:
        self.passages = self.client.get_or_create_collection(
            self.names[0], metadata={"hnsw:space": "cosine"}
        )
        self.documents = self.client.get_or_create_collection(self.names[1])

    # ---- index identity -------------------------------------------------------------------
    def info(self) -> dict[str, Any] | None:
        """The ``__index__`` record: embedder id, dim, pipeline version, generation."""
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
                f"({dim} chiều, v{PIPELINE_VERSION}). Hãy chạy: hoctap ingest --rebuild "
                f"(index built differently: run `hoctap ingest --rebuild`)"
            )

    def reset(self) -> None:
        """Drop everything (for ``--rebuild``)."""
        for name in self.names:
            try:
                self.client.delete_collection(name)
            except Exception:  # noqa: BLE001 - absent collection
                pass
        self._open()

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
        return set(self.passages.get(ids=ids, include=[])["ids"]) if ids else set()

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
        if nodes:
            store.add(nodes)

    def sweep(self, keep: set[str]) -> int:
        """Delete stored vectors that no committed record lists; return how many."""
        stored = set(self.passages.get(include=[])["ids"])
        orphans = sorted(stored - keep)
        for i in range(0, len(orphans), 5000):
            self.passages.delete(ids=orphans[i:i + 5000])
        return len(orphans)

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
