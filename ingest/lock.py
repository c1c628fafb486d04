"""One ingest at a time per index folder: an exclusive, non-blocking file lock."""
from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ingest.errors import IndexLocked


@contextmanager
def ingest_lock(index_dir: Path) -> Iterator[None]:
    """Hold ``index_dir/.ingest.lock``; raise ``IndexLocked`` at once if another process does.

    The kernel releases the lock when the holder dies, so a killed ingest never blocks the next.
    """
    index_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(index_dir / ".ingest.lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise IndexLocked(
                "Một lần nạp tài liệu khác đang chạy trên chỉ mục này; hãy thử lại sau khi nó "
                "xong."
            ) from None
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        yield
    finally:
        os.close(fd)
