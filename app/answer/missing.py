"""Documents a question names that the library does not hold (by type and number)."""
from __future__ import annotations

from collections.abc import Iterable

from app.search.query import DocRef, QueryInfo
from ingest.facts import number_head
from ingest.store import DocumentRecord
from ingest.text import strip_accents


def _held(ref: DocRef, records: Iterable[DocumentRecord]) -> bool:
    for rec in records:
        number = number_head(rec.meta.number)
        if number and number == ref.number and (
                not ref.doc_type or strip_accents(ref.doc_type) == strip_accents(rec.meta.doc_type or "")):
            return True
    return False


def missing_documents(info: QueryInfo, records: Iterable[DocumentRecord]) -> tuple[str, ...]:
    """Labels (``Nghị quyết 58-NQ/TW``) of named documents no record is."""
    recs = list(records)
    return tuple(dict.fromkeys(ref.label() for ref in info.docs
                               if ref.number and not _held(ref, recs)))


def missing_note(missing: Iterable[str]) -> str:
    """The note an answer drawn from other documents carries (its text ends «(note)»)."""
    return ("Thư viện chưa có toàn văn " + ", ".join(missing)
            + "; câu trả lời dựa trên văn bản khác có nhắc đến.")
