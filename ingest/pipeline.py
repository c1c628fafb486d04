"""Ingest a corpus folder into the index: only new or changed files cost any embedding.

Steps: take the lock → open the store and check how it was built → compare each file's hash
with its record → read, structure and cut changed files → embed the passages not stored yet →
write them, then commit the document record → forget vanished files → sweep orphan vectors.
"""
from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ingest.embed.base import Embedder
from ingest.errors import UnreadableDocument
from ingest.lock import ingest_lock
from ingest.passages import make_passages
from ingest.readers import read_document
from ingest.settings import Settings
from ingest.store import DocumentRecord, Store

ProgressFactory = Callable[[int, str], Callable[[int], None]]  # (total, label) → advance(n)


@dataclass
class IngestReport:
    """What one ingest did, per file (corpus-relative paths)."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    failed: list[dict[str, str]] = field(default_factory=list)
    documents: int = 0
    chunks: int = 0
    embedded: int = 0
    seconds: float = 0.0
    metadata: dict[str, dict[str, object]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, object]:
        """The ``hoctap ingest --json`` object."""
        return {"added": self.added, "updated": self.updated, "unchanged": self.unchanged,
                "removed": self.removed, "failed": self.failed, "documents": self.documents,
                "chunks": self.chunks, "metadata": self.metadata}


def corpus_files(corpus: Path) -> list[Path]:
    """Every visible file under ``corpus`` (hidden files and folders skipped), sorted."""
    if not corpus.is_dir():
        return []
    return sorted(
        p for p in corpus.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(corpus).parts)
    )


def file_sha256(path: Path) -> str:
    """Content hash of a file, read in blocks."""
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


BATCH = 256  # passages embedded, written and committed together


def ingest(settings: Settings, embedder: Embedder, rebuild: bool = False,
           progress: ProgressFactory | None = None) -> IngestReport:
    """Bring the index in line with the corpus folder; see the module docstring."""
    start = time.perf_counter()
    report = IngestReport()
    corpus = Path(settings.corpus_dir)
    with ingest_lock(Path(settings.index_dir)):
        store = Store(settings, create=True)
        if rebuild:
            store.reset()
        store.check(embedder.id, embedder.dim)
        records = store.records()
        seen: set[str] = set()
        todo: list[DocumentRecord] = []
        for path in corpus_files(corpus):  # 1. what changed, read and cut it
            source = path.relative_to(corpus).as_posix()
            seen.add(source)
            try:
                sha = file_sha256(path)
                old = records.get(source)
                if old and old.sha256 == sha:
                    report.unchanged.append(source)
                    continue
                todo.append(_read(path, source, sha, settings))
                (report.updated if old else report.added).append(source)
            except UnreadableDocument as err:
                report.failed.append({"file": source, "reason": str(err)})
        _write(store, todo, embedder, progress, report)  # 2. embed, write, commit
        records.update((r.source, r) for r in todo)
        for source in sorted(set(records) - seen):  # 3. vanished files
            store.forget(source)
            del records[source]
            report.removed.append(source)
        keep = {p.id for r in records.values() for p in r.passages}
        swept = store.sweep(keep)  # 4. orphans of earlier changes or interrupted runs
        if swept or todo or report.removed or store.info() is None:
            store.set_info(embedder.id, embedder.dim)
        report.documents = len(records)
        report.metadata = {src: rec.meta.to_dict() for src, rec in sorted(records.items())}
        report.chunks = len(keep)
    report.seconds = time.perf_counter() - start
    return report


def _read(path: Path, source: str, sha: str, settings: Settings) -> DocumentRecord:
    """Read and cut one file into a record (not yet stored)."""
    raw = read_document(path, int(settings.max_file_mb * 1024 * 1024))
    meta, passages = make_passages(source, raw.blocks)
    if not passages:
        raise UnreadableDocument("Không tìm thấy nội dung chữ trong tệp (no text found)")
    return DocumentRecord(source, sha, path.stat().st_size, raw.pages,
                          time.strftime("%Y-%m-%dT%H:%M:%S"), meta, tuple(passages))


def _write(store: Store, records: list[DocumentRecord], embedder: Embedder,
           progress: ProgressFactory | None, report: IngestReport) -> None:
    """Embed passages not stored yet, in batches; each batch is written, then its records
    committed, so a crash loses at most the batch in flight."""
    have = store.existing_ids(p.id for r in records for p in r.passages)
    new_total = sum(p.id not in have for r in records for p in r.passages)
    advance = progress(new_total, f"{len(records)} tệp") if progress and new_total else None
    batch: list[DocumentRecord] = []
    pending = 0
    for i, record in enumerate(records):
        batch.append(record)
        pending += sum(p.id not in have for p in record.passages)
        if pending >= BATCH or i == len(records) - 1:
            new = [p for r in batch for p in r.passages if p.id not in have]
            if new:
                store.add(new, embedder.embed_passages([p.index_text for p in new], advance))
                report.embedded += len(new)
            store.commit(batch)
            batch, pending = [], 0
