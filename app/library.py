"""The document library behind the web app: plain functions the pages (and tests) call.

- ``document_rows``: the indexed documents as table rows;
- ``save_upload`` / ``add_uploads``: store uploaded files under ``corpus/`` with a safe name and
  ingest them, each failure reported by file name and reason, nothing else lost;
- ``delete_document``: remove a file and (by re-ingesting) its passages;
- ``failed_files``: corpus files the last ingest could not index, with the reason;
- ``duplicate_groups``: the same document indexed from more than one file;
- ``missing_documents``: documents the indexed texts refer to, by number or by name, that the
  library does not hold;
- ``check_password``: the admin gate for upload and delete.
"""
from __future__ import annotations

import hashlib
import hmac
import math
import os
import re
import time
import unicodedata
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import TYPE_CHECKING

from ingest.embed.base import Embedder
from ingest.errors import HoctapError, IndexLocked, IndexNotFound
from ingest.failures import FailedFile, load_failures
from ingest.settings import Settings
from ingest.store import DocumentRecord, Store
from ingest.text import canonical, collapse, normalize_code

if TYPE_CHECKING:  # the pipeline pulls in the readers: imported when first used
    from ingest.pipeline import IngestReport, ProgressFactory

UPLOAD_TYPES = (".pdf", ".docx", ".txt")
_NAME_MAX = 120  # characters of a stored file name (before the extension)


class UploadRejected(HoctapError):
    """An upload refused before ingestion (type, size, name); the message says why."""


# ---- table -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class DocumentRow:
    """One line of the library table."""

    source: str
    doc_type: str
    number: str
    title: str
    issuer: str
    date: str  # dd/mm/yyyy, or "" when unknown
    pages: int | None
    passages: int
    added_at: str

    def to_display(self) -> dict[str, object]:
        """Column name (Vietnamese) → value, for the page's table."""
        return {"Loại": self.doc_type, "Số hiệu": self.number, "Tiêu đề": self.title,
                "Cơ quan ban hành": self.issuer, "Ngày ban hành": self.date,
                "Số trang": self.pages, "Số đoạn": self.passages,
                "Thêm lúc": self.added_at.replace("T", " "), "Tệp": self.source}


def _vn_date(iso: str | None) -> str:
    if not iso:
        return ""
    y, m, d = iso.split("-")
    return f"{int(d):02d}/{int(m):02d}/{y}"


def document_rows(records: Mapping[str, DocumentRecord]) -> list[DocumentRow]:
    """Table rows for the given document records, most recently added first."""
    rows = [
        DocumentRow(source=r.source, doc_type=r.meta.doc_type or "", number=r.meta.number or "",
                    title=r.meta.title or Path(r.source).stem, issuer=r.meta.issuer or "",
                    date=_vn_date(r.meta.date), pages=r.pages, passages=len(r.passages),
                    added_at=r.added_at)
        for r in records.values()
    ]
    return sorted(rows, key=lambda r: (r.added_at, r.source), reverse=True)


def load_records(settings: Settings) -> dict[str, DocumentRecord]:
    """Every committed document record; an index not built yet holds none."""
    try:
        return Store(settings).records()
    except IndexNotFound:
        return {}


def failed_files(settings: Settings,
                 records: Mapping[str, DocumentRecord] | None = None) -> list[FailedFile]:
    """Corpus files the last ingest could not index, each with its reason: those still in the
    corpus folder and still not indexed (a file removed or read since is not listed)."""
    records = load_records(settings) if records is None else records
    corpus = Path(settings.corpus_dir)
    return [f for f in load_failures(Path(settings.index_dir))
            if f.source not in records and (corpus / f.source).exists()]


@dataclass(frozen=True)
class DuplicateGroup:
    """Files holding the same document (same type, number, issuer and date)."""

    label: str  # e.g. "Kế hoạch 985-KH/HNDT"
    keep: str  # the file to keep: the one cut into the most passages
    extra: tuple[str, ...]  # the files to remove

    def hint(self) -> str:
        """The page's Vietnamese hint."""
        return (f"{self.label} được nạp từ {len(self.extra) + 1} tệp; nên giữ «{self.keep}» "
                f"và xóa {', '.join(f'«{e}»' for e in self.extra)} để câu trả lời không "
                "trích dẫn trùng.")


def duplicate_groups(records: Mapping[str, DocumentRecord]) -> list[DuplicateGroup]:
    """Documents indexed from more than one file: same số hiệu, type, issuer and date."""
    groups: dict[tuple[str, ...], list[DocumentRecord]] = {}
    for r in records.values():
        if r.meta.number:
            key = (_code_key(r.meta.number), canonical(r.meta.doc_type or ""),
                   canonical(r.meta.issuer or ""), r.meta.date or "")
            groups.setdefault(key, []).append(r)
    out = []
    for group in groups.values():
        if len(group) > 1:
            ranked = sorted(group, key=lambda r: (-len(r.passages), r.source))
            label = f"{ranked[0].meta.doc_type or 'Văn bản'} {ranked[0].meta.number}"
            out.append(DuplicateGroup(label, ranked[0].source,
                                      tuple(r.source for r in ranked[1:])))
    return sorted(out, key=lambda g: g.label)


# ---- upload ----------------------------------------------------------------------------------
def safe_name(name: str) -> str:
    """A file name that stays inside ``corpus/``: last path part only, no control characters,
    no leading dots, Vietnamese letters kept; raises ``UploadRejected`` when nothing is left."""
    name = unicodedata.normalize("NFC", name or "")
    base = PureWindowsPath(PurePosixPath(name.replace("\x00", "")).name).name  # / and \ both
    base = "".join(c for c in base if unicodedata.category(c)[0] != "C")
    base = re.sub(r'[<>:"|?*]', "_", base)
    base = re.sub(r"\s+", " ", base).strip().lstrip(".").strip()
    stem, dot, ext = base.rpartition(".")
    if not dot:
        stem, ext = base, ""
    stem = stem.strip(" .")[:_NAME_MAX].strip()
    if not stem or stem in (".", ".."):
        raise UploadRejected(f"Tên tệp không hợp lệ: {name!r}")
    return f"{stem}.{ext.lower()}" if ext else stem


def upload_ceiling_mb(settings: Settings) -> int:
    """What Streamlit itself accepts per upload (MB): well above ``max_file_mb``, so a file a
    little too large reaches ``check_upload`` and is refused with our Vietnamese reason rather
    than Streamlit's English «File must be 50.0MB or smaller»."""
    return max(1, math.ceil(settings.max_file_mb)) * 4


def check_upload(name: str, size: int, settings: Settings) -> str:
    """The safe name of an acceptable upload; ``UploadRejected`` for a wrong type or size."""
    safe = safe_name(name)
    ext = Path(safe).suffix.lower()
    if ext not in UPLOAD_TYPES:
        raise UploadRejected(
            f"Định dạng {ext or '(không có đuôi)'} không được hỗ trợ; chỉ nhận PDF, DOCX, TXT"
        )
    if size == 0:
        raise UploadRejected("Tệp rỗng")
    limit = settings.max_file_mb * 1024 * 1024
    if size > limit:
        raise UploadRejected(
            f"Tệp quá lớn ({size / 1048576:.1f} MB); giới hạn là {settings.max_file_mb:g} MB"
        )
    return safe


def _validate(path: Path, settings: Settings) -> None:
    """Read the file as ingestion will; any failure becomes ``UploadRejected`` with a reason.

    Readers raise ``UnreadableDocument`` for what they recognise (scanned PDF, wrong format);
    anything else they raise (a corrupt ZIP inside a DOCX …) is still this file's fault only.
    """
    from ingest.passages import make_passages
    from ingest.readers import read_document

    try:
        raw = read_document(path, int(settings.max_file_mb * 1024 * 1024))
        _meta, passages = make_passages(path.name, raw.blocks)
    except HoctapError as err:
        raise UploadRejected(str(err)) from err
    except Exception as err:  # noqa: BLE001 - a malformed upload must not escape as a crash
        raise UploadRejected(
            f"Tệp bị hỏng hoặc không đọc được ({type(err).__name__})"
        ) from err
    if not passages:
        raise UploadRejected("Không tìm thấy nội dung chữ trong tệp (có thể là bản scan)")


def save_upload(settings: Settings, name: str, data: bytes,
                validate: bool = True) -> tuple[Path, bool]:
    """Write an upload under ``corpus_dir``; return (path, is_new).

    The file is written to a hidden temporary name (ignored by ingestion), read once as the
    ingest will read it (``validate``), and only then renamed into place, so an unreadable
    upload never enters the corpus. The same content already stored under that name is not
    written again (``is_new`` False); another file of that name is kept and the upload gets a
    numbered name (``x (2).pdf``).
    """
    safe = check_upload(name, len(data), settings)
    corpus = Path(settings.corpus_dir).resolve()
    corpus.mkdir(parents=True, exist_ok=True)
    stem, ext = Path(safe).stem, Path(safe).suffix
    digest = hashlib.sha256(data).hexdigest()
    for i in range(1, 1000):
        target = corpus / (safe if i == 1 else f"{stem} ({i}){ext}")
        if target.resolve().parent != corpus:  # cannot happen after safe_name; belt and braces
            raise UploadRejected(f"Tên tệp không hợp lệ: {name!r}")
        if not target.exists():
            break
        if hashlib.sha256(target.read_bytes()).hexdigest() == digest:
            return target, False
    else:
        raise UploadRejected(f"Quá nhiều tệp trùng tên {safe}")
    tmp = corpus / f".upload-{uuid.uuid4().hex}{ext}"
    try:
        tmp.write_bytes(data)
        if validate:
            _validate(tmp, settings)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return target, True


def run_ingest(settings: Settings, embedder: Embedder, progress: ProgressFactory | None = None,
               wait_s: float = 60.0, allow_empty: bool = False) -> IngestReport:
    """``ingest.pipeline.ingest``, waiting (up to ``wait_s``) while another ingest holds the
    index lock: two members uploading at once both get their files indexed. ``allow_empty``:
    the library may become empty (deleting its last document)."""
    from ingest.pipeline import ingest

    deadline = time.monotonic() + wait_s
    while True:
        try:
            return ingest(settings, embedder, progress=progress, allow_empty=allow_empty)
        except IndexLocked:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


@dataclass
class UploadResult:
    """What happened to a batch of uploads (names as the user gave them)."""

    added: list[str] = field(default_factory=list)  # stored names, now searchable
    unchanged: list[str] = field(default_factory=list)  # already in the library
    failed: list[tuple[str, str]] = field(default_factory=list)  # (name, reason)
    report: IngestReport | None = None


def add_uploads(settings: Settings, embedder: Embedder, files: Iterable[tuple[str, bytes]],
                progress: ProgressFactory | None = None) -> UploadResult:
    """Save (and check) each upload, then ingest once. A file that cannot be saved or read is
    reported with its reason and never enters the corpus; the other files and the index are
    untouched by it."""
    result = UploadResult()
    saved: dict[str, str] = {}  # corpus-relative source → name as uploaded
    present: dict[str, str] = {}  # already in the corpus folder but not indexed: ingest again
    corpus = Path(settings.corpus_dir).resolve()
    indexed = load_records(settings)
    for name, data in files:
        try:
            path, is_new = save_upload(settings, name, data)
            source = path.relative_to(corpus).as_posix()
            if not is_new and source not in indexed:
                _validate(path, settings)  # the file is in the folder, not in the library
        except UploadRejected as err:
            result.failed.append((name, str(err)))
            continue
        if is_new:
            saved[source] = name
        elif source not in indexed:
            present[source] = name
        else:
            result.unchanged.append(source)
    if not saved and not present and not result.unchanged:
        return result
    try:
        report = run_ingest(settings, embedder, progress)
    except Exception as err:  # noqa: BLE001 - undo this batch, keep the corpus ingestible
        for source, name in saved.items():
            (corpus / source).unlink(missing_ok=True)
            result.failed.append((name, str(err)))
        for name in present.values():
            result.failed.append((name, str(err)))
        return result
    result.report = report
    reasons = {f["file"]: f["reason"] for f in report.failed}
    for source, name in saved.items():
        if source in reasons:
            (corpus / source).unlink(missing_ok=True)  # keep the corpus ingestible
            result.failed.append((name, reasons[source]))
        else:
            result.added.append(source)
    for source, name in present.items():  # the user's own file: kept, even when it fails
        if source in reasons:
            result.failed.append((name, reasons[source]))
        else:
            result.added.append(source)
    return result


def delete_document(settings: Settings, embedder: Embedder, source: str) -> IngestReport:
    """Delete a corpus file and, by re-ingesting, its passages. ``source`` must be a file of
    the corpus (as listed by the records); anything else raises ``UploadRejected``."""
    corpus = Path(settings.corpus_dir).resolve()
    path = (corpus / source).resolve()
    if corpus not in path.parents or not path.is_file():
        if not path.exists() and corpus in path.parents:
            # already gone: just drop its passages
            return run_ingest(settings, embedder, allow_empty=True)
        raise UploadRejected(f"Không có tệp {source!r} trong thư viện")
    path.unlink()
    return run_ingest(settings, embedder, allow_empty=True)  # deleting the last one is asked


# ---- admin gate ------------------------------------------------------------------------------
def password_required(settings: Settings) -> bool:
    """Upload and delete ask for a password only when one is configured."""
    return bool(settings.admin_password)


def check_password(settings: Settings, given: str | None) -> bool:
    """True when no password is configured, or ``given`` matches (constant-time)."""
    if not settings.admin_password:
        return True
    return hmac.compare_digest((given or "").encode(), settings.admin_password.encode())


class LoginGuard:
    """Slows down guessing of the admin password, for the whole process (every session):
    after ``free`` wrong tries in a row, each further try must wait 2, 4, 8 … (at most
    ``max_wait``) seconds after the last wrong one; a right password resets the count."""

    def __init__(self, free: int = 3, max_wait: float = 60.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.free, self.max_wait, self.clock = free, max_wait, clock
        self.fails = 0
        self.until = 0.0

    def attempt(self, settings: Settings, given: str | None) -> tuple[bool, float]:
        """(accepted, seconds to wait before the next try). A try made while waiting is
        refused without being checked."""
        now = self.clock()
        if now < self.until:
            return False, self.until - now
        if check_password(settings, given):
            self.fails, self.until = 0, 0.0
            return True, 0.0
        self.fails += 1
        if self.fails >= self.free:
            self.until = now + min(self.max_wait, 2.0 ** (self.fails - self.free + 1))
        return False, max(0.0, self.until - now)


# ---- documents mentioned but not held --------------------------------------------------------
_TYPE_BY_CODE = {"NQ": "Nghị quyết", "KH": "Kế hoạch", "QĐ": "Quyết định", "CT": "Chỉ thị",
                 "KL": "Kết luận", "HD": "Hướng dẫn", "TB": "Thông báo", "NĐ": "Nghị định",
                 "TT": "Thông tư", "CTR": "Chương trình", "ĐA": "Đề án", "BC": "Báo cáo",
                 "QC": "Quy chế", "QĐ-TTG": "Quyết định", "L": "Luật"}
_DOC_WORDS = ("Nghị quyết", "Kế hoạch", "Đề án", "Chỉ thị", "Quyết định", "Kết luận",
              "Chương trình", "Hướng dẫn", "Thông báo", "Nghị định", "Thông tư", "Luật",
              "Quy chế", "Quy định", "Chiến lược")
_CODE_RE = re.compile(
    r"(?<![\w/])(\d{1,5})(/\d{4})?\s*[-–/]?\s*((?:[A-ZĐ]{1,6})(?:[-/][A-ZĐa-z]{1,8})+)(?![\w/])"
)
_ITEM_RE = re.compile(
    r"^[-–•+*]\s*((?:" + "|".join(_DOC_WORDS) + r")\b[^;\n]*)", re.MULTILINE
)
_MID_RE = re.compile(  # "Nghị quyết Đại hội Đảng bộ nhiệm kỳ 2020-2025" inside a sentence
    r"\b((?:Nghị quyết|Chỉ thị|Kết luận) (?:Đại hội|Hội nghị)[^,;.()\n]{0,80}?"
    r"nhiệm kỳ \d{4}\s*[-–]\s*\d{4})"
)


@dataclass(frozen=True)
class MissingDocument:
    """A document the library's texts refer to but do not hold."""

    label: str  # e.g. "Nghị quyết số 58-NQ/TW" or the phrase naming it
    kind: str  # "number" or "name"
    mentions: int  # how many passages mention it
    sources: tuple[str, ...]  # which documents mention it


def _code_key(code: str) -> str:
    return canonical(code).replace("đ", "d")


def _label_for_code(code: str) -> str:
    letters = code.split("-", 1)[1] if "-" in code.split("/")[0] else code.split("/", 1)[-1]
    head = re.split(r"[-/]", letters)[0].upper()
    kind = _TYPE_BY_CODE.get(head)
    return f"{kind} số {code}" if kind else f"Văn bản số {code}"


def _name_key(text: str) -> set[str]:
    return set(canonical(text).replace("đ", "d").split())


def _named_items(text: str) -> list[str]:
    """Phrases that name a document: list items starting with a document type, and
    "Nghị quyết Đại hội … nhiệm kỳ …" inside sentences. Items that are only a numbered
    reference ("Nghị quyết số 58-NQ/TW, …") are left to the number scan."""
    out = []
    for m in _ITEM_RE.finditer(text):
        item = collapse(m.group(1)).rstrip(" .;:,")
        head = item.split(",")[0]
        if re.match(r"^\S+(?: \S+)? số\s*\d", head):
            continue
        if len(item.split()) >= 4:
            out.append(item)
    out.extend(collapse(m.group(1)) for m in _MID_RE.finditer(text))
    return out


def _doc_word(text: str) -> str:
    return next((w for w in _DOC_WORDS if text.startswith(w)), "")


def _held_by_name(item: str, held: list[tuple[str, set[str]]]) -> bool:
    """Same document type and nearly the same words (Jaccard ≥ 0.75) as an indexed document's
    type + title: a plan *of another body* about the same resolution does not count as held."""
    words, kind = _name_key(item), _doc_word(item)
    return any(
        kind.lower() == held_kind.lower() and len(words & h) >= 0.75 * len(words | h)
        for held_kind, h in held
    )


def missing_documents(records: Mapping[str, DocumentRecord]) -> list[MissingDocument]:
    """Documents referred to by number (``58-NQ/TW``) or by name (list items such as
    "Đề án xây dựng và phát triển …", "Kế hoạch của BTV Tỉnh ủy …") in the indexed passages
    whose number or title matches no indexed document. Most mentioned first."""
    held_numbers = {_code_key(r.meta.number) for r in records.values() if r.meta.number}
    held_names = [(r.meta.doc_type or "", _name_key(f"{r.meta.doc_type or ''} {r.meta.title}"))
                  for r in records.values() if r.meta.title]
    found: dict[str, tuple[str, str, set[str], int]] = {}  # key → (label, kind, sources, n)

    def note(key: str, label: str, kind: str, source: str) -> None:
        old = found.get(key)
        if old:
            found[key] = (old[0], kind, old[2] | {source}, old[3] + 1)
        else:
            found[key] = (label, kind, {source}, 1)

    for record in records.values():
        for p in record.passages:
            if p.kind in ("recipients", "signature"):
                continue
            codes = set()
            for m in _CODE_RE.finditer(p.text):
                letters = re.sub(r"\s+", "", m.group(3))
                code = normalize_code(m.group(1), m.group(2), letters)
                if _code_key(code) not in held_numbers:
                    codes.add(code)
            for code in codes:
                note("#" + _code_key(code), _label_for_code(code), "number", record.source)
            for item in dict.fromkeys(_named_items(p.text)):
                if not _held_by_name(item, held_names):
                    note("@" + " ".join(sorted(_name_key(item))), item, "name", record.source)
    items = [MissingDocument(label, kind, n, tuple(sorted(sources)))
             for label, kind, sources, n in found.values()]
    return sorted(items, key=lambda d: (d.kind != "number", -d.mentions, d.label))

