"""Documents a question names that the library does not hold (by type and number)."""
from __future__ import annotations

import re
from collections.abc import Iterable

from app.search.query import DocRef, QueryInfo
from ingest.store import DocumentRecord
from ingest.text import strip_accents


def _held(ref: DocRef, records: Iterable[DocumentRecord]) -> bool:
    for rec in records:
        number = re.match(r"\d+", rec.meta.number or "")
        if number and number.group(0) == ref.number and (
                not ref.doc_type or strip_accents(ref.doc_type) == strip_accents(rec.meta.doc_type or "")):
            return True
    return False


def missing_documents(info: QueryInfo, records: Iterable[DocumentRecord]) -> tuple[str, ...]:
    """Labels (``Nghị quyết 58-NQ/TW``) of named documents no record is."""
    recs = list(records)
    return tuple(dict.fromkeys(ref.label() for ref in info.docs
                               if ref.number and not _held(ref, recs)))
