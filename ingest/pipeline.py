"""Ingest a corpus folder into the index: only new or changed files cost any embedding.

Steps: check the corpus folder → take the lock → open the store (for ``--rebuild``, a new one
beside the live one) and check how it was built → compare each file's hash with its record →
read, structure and cut changed files → embed the passages not stored yet → write them, then
commit the document record → forget vanished files → sweep orphan vectors → save the vector
index whole → (rebuild) switch →
store the list of files that failed (``ingest.failures``).

A corpus folder that is missing, not a folder or unreadable is refused before anything changes;
so is an empty one while the index holds documents, unless ``allow_empty`` says so.
"""
from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ingest.budget import cut_file_within
from ingest.embed.base import Embedder
from ingest.errors import CorpusEmpty, CorpusUnavailable, UnreadableDocument
from ingest.failures import save_failures
from ingest.lock import ingest_lock
from ingest.readers import SUPPORTED
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


def check_corpus(corpus: Path) -> None:
    """Raise ``CorpusUnavailable`` unless ``corpus`` is an existing, readable folder."""
    if not corpus.exists():
        raise CorpusUnavailable(
            f"Không tìm thấy thư mục tài liệu {corpus}; chỉ mục được giữ nguyên.")
    if not corpus.is_dir():
        raise CorpusUnavailable(
            f"{corpus} không phải là một thư mục; chỉ mục được giữ nguyên.")
    try:
        with os.scandir(corpus) as entries:
            next(entries, None)
    except OSError:
        raise CorpusUnavailable(
            f"Không có quyền đọc thư mục tài liệu {corpus}; chỉ mục được giữ nguyên.") from None


def scan_corpus(corpus: Path) -> tuple[list[Path], list[dict[str, str]]]:
    """The visible files under ``corpus`` (hidden files and folders skipped), sorted, and the
    entries refused by name with the reason: links that lead outside the corpus (or nowhere),
    and folders named like a document (``x.pdf/``)."""
    root = corpus.resolve()
    files: list[Path] = []
    refused: list[dict[str, str]] = []
    for folder, dirs, names in os.walk(corpus):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted([*dirs, *names]):
            path = Path(folder) / name
            if name.startswith("."):
                continue
            source = path.relative_to(corpus).as_posix()
            reason = _refusal(path, root, is_dir=name in dirs)
            if reason:
                refused.append({"file": source, "reason": reason})
            elif name in names and path.is_file():
                files.append(path)
        dirs[:] = [d for d in dirs if not (Path(folder) / d).is_symlink()]
    return sorted(files), refused


def _refusal(path: Path, root: Path, is_dir: bool) -> str | None:
    """Why a corpus entry is not indexed (``None`` when it is, or is a plain folder)."""
    if path.is_symlink():
        target = path.resolve()
        if not target.exists():
            return "Liên kết tượng trưng hỏng (trỏ tới tệp không tồn tại), bỏ qua"
        if root not in target.parents:
            return "Liên kết trỏ ra ngoài thư mục tài liệu, bỏ qua (link leads outside the corpus)"
        if is_dir:
            return "Liên kết tới thư mục, bỏ qua (các tệp trong đó không được nạp)"
    if (is_dir or path.is_dir()) and path.suffix.lower() in SUPPORTED:
        return f"Đây là một thư mục, không phải tệp {path.suffix.lower().lstrip('.').upper()}"
    return None


def corpus_files(corpus: Path) -> list[Path]:
    """Every file under ``corpus`` that ``ingest`` reads (see ``scan_corpus``)."""
    return scan_corpus(corpus)[0] if corpus.is_dir() else []


def file_sha256(path: Path) -> str:
    """Content hash of a file, read in blocks."""
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


BATCH = 256  # passages embedded, written and committed together


def ingest(settings: Settings, embedder: Embedder, rebuild: bool = False,
           progress: ProgressFactory | None = None, allow_empty: bool = False) -> IngestReport:
    """Bring the index in line with the corpus folder; see the module docstring.

    Raises ``CorpusUnavailable`` / ``CorpusEmpty`` (nothing changed), ``IndexLocked``."""
    start = time.perf_counter()
    report = IngestReport()
    corpus = Path(settings.corpus_dir)
    check_corpus(corpus)
    with ingest_lock(Path(settings.index_dir)):
        live = Store(settings, create=True)
        live.drop_stale()  # what a killed rebuild left
        files, report.failed = scan_corpus(corpus)
        if not files and not allow_empty and live.records():
            raise CorpusEmpty(
                f"Thư mục tài liệu {corpus} trống; chỉ mục được giữ nguyên. Để xóa hết tài liệu "
                f"khỏi chỉ mục, chạy lại với --allow-empty.")
        store = live.beside() if rebuild else live
        store.check(embedder.id, embedder.dim)
        records = store.records()
        seen: set[str] = set()
        todo: list[DocumentRecord] = []
        for path in files:  # 1. what changed, read and cut it
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
        store.save_vectors()  # 5. readers then load the vector index instead of rebuilding it
        if rebuild:
            store.activate()  # 6. the one write that switches readers to the new collections
        report.documents = len(records)
        report.metadata = {src: rec.meta.to_dict() for src, rec in sorted(records.items())}
        report.chunks = len(keep)
        save_failures(Path(settings.index_dir), report.failed)  # 7. what is left unindexed, why
    report.seconds = time.perf_counter() - start
    return report


def _read(path: Path, source: str, sha: str, settings: Settings) -> DocumentRecord:
    """Read and cut one file into a record (not yet stored), within the per-file budget."""
    cut = cut_file_within(path, source, int(settings.max_file_mb * 1024 * 1024),
                          settings.file_seconds, settings.file_memory_mb)
    return DocumentRecord(source, sha, path.stat().st_size, cut.pages,
                          time.strftime("%Y-%m-%dT%H:%M:%S"), cut.meta, cut.passages)


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
            for j in range(0, len(new), BATCH):  # a long file: its vectors a slice at a time
                part = new[j:j + BATCH]
                store.add(part, embedder.embed_passages([p.embed_text for p in part], advance))
            report.embedded += len(new)
            store.commit(batch)
            batch, pending = [], 0
