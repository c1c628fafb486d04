"""Read a PDF, DOCX, TXT or MD file into ``Block``s of Unicode NFC text.

``read_document`` checks what can be checked without parsing (extension, existence, size),
then hands the file to the reader for its extension. Every failure a bad file can cause comes
out as ``UnreadableDocument`` whose message is one short Vietnamese sentence saying why.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ingest.errors import UnreadableDocument
from ingest.readers.docx import read_docx
from ingest.readers.pdf import read_pdf
from ingest.readers.text import read_text
from ingest.records import RawDocument

SUPPORTED = {".pdf", ".docx", ".txt", ".md"}

_READERS: dict[str, Callable[[Path], RawDocument]] = {
    ".pdf": read_pdf,
    ".docx": read_docx,
    ".txt": read_text,
    ".md": read_text,
}
_MIB = 1024 * 1024


def read_document(path: Path, max_bytes: int) -> RawDocument:
    """Read ``path`` into blocks; raise ``UnreadableDocument`` with the reason if it can't be.

    ``max_bytes`` is checked against the file size before anything is read; sizes in the
    message are MiB, shown as "MB".
    """
    path = Path(path)
    ext = path.suffix.lower()
    if ext not in SUPPORTED:
        shown = ext or "(không có đuôi)"
        raise UnreadableDocument(
            f"Định dạng {shown} không được hỗ trợ (chỉ PDF, DOCX, TXT, MD)")
    size = _size(path)
    if size == 0:
        raise UnreadableDocument("Tệp rỗng")
    if size > max_bytes:
        raise UnreadableDocument(_too_large(size, max_bytes))
    try:
        return _READERS[ext](path)
    except (UnreadableDocument, NameError, ImportError):  # the latter two are our bugs
        raise
    except MemoryError:  # over the file's memory budget (ingest.budget says so)
        raise
    except OSError as exc:
        raise UnreadableDocument("Không đọc được tệp (lỗi đọc đĩa hoặc không có quyền)") from exc
    except Exception as exc:  # a library failing on a malformed file: never let it escape
        raise UnreadableDocument(
            f"Tệp bị hỏng, không đọc được ({type(exc).__name__})") from exc


def _size(path: Path) -> int:
    """File size in bytes; a missing or unreadable path is an ``UnreadableDocument``."""
    try:
        if not path.is_file():
            raise UnreadableDocument("Không tìm thấy tệp (hoặc đó là một thư mục)")
        return path.stat().st_size
    except OSError as exc:
        raise UnreadableDocument("Không mở được tệp (không có quyền đọc)") from exc


def _too_large(size: int, max_bytes: int) -> str:
    """The size message; "hơn 50 MB" (over 50 MB) when rounding would hide the excess."""
    shown, limit = _mib(size), _mib(max_bytes)
    if shown == limit:
        shown = f"hơn {limit}"
    return f"Tệp quá lớn ({shown} MB, giới hạn {limit} MB)"


def _mib(n: int) -> str:
    """Bytes as MiB with at most one decimal, Vietnamese style (``52,4``)."""
    value = round(n / _MIB, 1)
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")
