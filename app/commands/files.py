"""Files the user names on the command line (exports, the units template, a units file).

An ``OSError`` on such a file is not a bug: it becomes one Vietnamese line naming the path and
the reason («không ghi được tệp /tmp/x/de.docx: thư mục không tồn tại»), exit 2, no
traceback. ``check_writable`` runs before any work, so a wrong folder fails before a quiz is
generated or printed; ``writing`` wraps the write itself (a full disk, a race).
"""
from __future__ import annotations

import errno
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ingest.errors import CannotWrite

_REASONS = {
    errno.EACCES: "không có quyền {verb}",
    errno.EPERM: "không có quyền {verb}",
    errno.EISDIR: "đó là một thư mục",
    errno.ENOTDIR: "một phần của đường dẫn không phải là thư mục",
    errno.ENOSPC: "ổ đĩa đã đầy",
    errno.EDQUOT: "đã hết hạn mức dung lượng",
    errno.EROFS: "ổ đĩa chỉ cho phép đọc",
    errno.ENAMETOOLONG: "tên tệp quá dài",
}


def reason(err: OSError, write: bool) -> str:
    """Why ``err`` happened, in Vietnamese (the OS's own text is English)."""
    if err.errno == errno.ENOENT:
        return "thư mục không tồn tại" if write else "tệp không tồn tại"
    known = _REASONS.get(err.errno or 0)
    if known:
        return known.format(verb="ghi" if write else "đọc")
    code = errno.errorcode.get(err.errno or 0, str(err.errno))
    return f"lỗi hệ thống {code}"


def cannot_write(path: Path, why: str) -> CannotWrite:
    """The error for ``path``: «không ghi được tệp PATH: WHY»."""
    return CannotWrite(f"không ghi được tệp {path}: {why}")


def check_writable(path: Path) -> None:
    """Raise ``CannotWrite`` now when ``path`` clearly cannot be written (its folder missing,
    not a folder or not writable; the path a folder), before anything is generated."""
    folder = path.parent
    if not folder.exists():
        raise cannot_write(path, "thư mục không tồn tại")
    if not folder.is_dir():
        raise cannot_write(path, "một phần của đường dẫn không phải là thư mục")
    if path.is_dir():
        raise cannot_write(path, "đó là một thư mục")
    if not os.access(folder, os.W_OK):
        raise cannot_write(path, "không có quyền ghi vào thư mục")


@contextmanager
def writing(path: Path) -> Iterator[None]:
    """Turn an ``OSError`` raised inside the block into ``CannotWrite`` for ``path``."""
    try:
        yield
    except OSError as err:
        raise cannot_write(Path(err.filename) if err.filename else path,
                           reason(err, write=True)) from err
