"""Read and cut one file within a time and memory budget, so that no file stalls an ingest.

Small files are read in-process (most files: no cost). A file over ``ISOLATE_BYTES`` is read
and cut by a fresh worker process (``python -m ingest.budget``: nothing of the caller's
threads, index or main module is inherited) that caps its own address space (``RLIMIT_AS``)
and is killed when its time is up; the file is then reported as failed with the reason, and
the ingest goes on with the others. The worker answers with a pickle on its stdout.
"""
from __future__ import annotations

import os
import pickle
import resource
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from ingest.errors import UnreadableDocument
from ingest.passages import make_passages
from ingest.readers import read_document
from ingest.records import DocumentMeta, Passage

ISOLATE_BYTES = 256 * 1024  # larger files are read in a worker process with a budget
_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class CutFile:
    """A file read and cut into passages (not yet stored)."""

    meta: DocumentMeta
    passages: tuple[Passage, ...]
    pages: int | None


def cut_file(path: Path, source: str, max_bytes: int) -> CutFile:
    """Read ``path`` and cut it into passages (raises ``UnreadableDocument``)."""
    raw = read_document(path, max_bytes)
    meta, passages = make_passages(source, raw.blocks)
    if not passages:
        raise UnreadableDocument("Không tìm thấy nội dung chữ trong tệp")
    return CutFile(meta, tuple(passages), raw.pages)


def cut_file_within(path: Path, source: str, max_bytes: int, seconds: float,
                    memory_mb: int) -> CutFile:
    """``cut_file``, in a worker process for files over ``ISOLATE_BYTES``: killed after
    ``seconds``, its address space capped at ``memory_mb``; either is an
    ``UnreadableDocument`` naming the budget."""
    try:
        size = path.stat().st_size
    except OSError:
        size = 0
    if size <= ISOLATE_BYTES:
        return cut_file(path, source, max_bytes)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(_ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])}
    try:
        done = subprocess.run(
            [sys.executable, "-m", "ingest.budget", str(path), source, str(max_bytes),
             str(memory_mb)], env=env, capture_output=True, timeout=seconds, check=False)
    except subprocess.TimeoutExpired:  # subprocess.run has killed the worker
        raise UnreadableDocument(
            f"Đọc tệp quá lâu (hơn {seconds:g} giây), đã dừng để nạp các tệp khác "
            f"(file took too long)") from None
    try:
        kind, value = pickle.loads(done.stdout)  # noqa: S301 - our own worker's answer
    except Exception:  # noqa: BLE001 - the worker died without answering
        raise UnreadableDocument(_memory_message(memory_mb)) from None
    if kind == "ok":
        return value  # type: ignore[no-any-return]
    raise UnreadableDocument(_memory_message(memory_mb) if kind == "memory" else value)


def _memory_message(memory_mb: int) -> str:
    return (f"Tệp cần quá nhiều bộ nhớ (giới hạn {memory_mb} MB cho một tệp) hoặc trình đọc "
            f"dừng bất thường, bỏ qua (file needs too much memory)")


def _work(path: Path, source: str, max_bytes: int, memory_mb: int) -> tuple[str, object]:
    """Worker body: cap memory, cut the file; ("ok", CutFile) or (kind, message)."""
    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        return "ok", cut_file(path, source, max_bytes)
    except MemoryError:
        return "memory", ""
    except UnreadableDocument as err:
        return "unreadable", str(err)
    except Exception as err:  # noqa: BLE001 - a crash on this file is this file's failure
        return "unreadable", f"Tệp bị hỏng, không đọc được ({type(err).__name__})"


if __name__ == "__main__":
    from ingest import budget  # the importable module: its CutFile unpickles in the caller

    answer = budget._work(Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    sys.stdout.buffer.write(pickle.dumps(answer))
