"""Small typed records passed between the ingestion stages.

``Block`` (a paragraph as read from a file) → ``DocumentMeta`` + ``Passage`` (what is indexed
and cited). llama-index and Chroma objects never leave the module that adapts them.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

EMBED_TITLE_WORDS = 12  # words of the title the model reads with every passage (issue 12)


@dataclass(frozen=True)
class Block:
    """One paragraph (or table cell paragraph, or PDF line group) in reading order.

    ``text`` is already Unicode (legacy encodings converted) but otherwise as the file holds it.
    ``page`` is 1-based where the format has pages (PDF), else ``None``.
    ``bold`` is true when every visible run of the paragraph is bold.
    ``heading_level`` comes from a DOCX Heading style (1, 2 …) when present.
    ``cell`` is ``(table_no, row, col)`` for text inside a table, else ``None``.
    """

    text: str
    page: int | None = None
    bold: bool = False
    heading_level: int | None = None
    cell: tuple[int, int, int] | None = None


@dataclass(frozen=True)
class RawDocument:
    """What a reader returns: the blocks of one file and its page count (``None`` if unpaged)."""

    blocks: tuple[Block, ...]
    pages: int | None = None


@dataclass(frozen=True)
class DocumentMeta:
    """Header metadata of an administrative document. Unknown fields stay ``None``."""

    issuer: str | None = None
    number: str | None = None
    doc_type: str | None = None
    place: str | None = None
    date: str | None = None  # ISO yyyy-mm-dd
    title: str | None = None
    signer: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain dict for JSON output."""
        return asdict(self)


@dataclass(frozen=True)
class Passage:
    """A citable piece of a document, with where it sits.

    ``text`` is the document's own words (for display and quotation); ``section`` the heading
    path joined by `` › ``; ``kind`` one of ``body``, ``header``, ``recipients``, ``signature``.
    ``index_text`` (title + heading path + text) is what keyword search and answers see;
    ``embed_text`` is what the embedding model reads (today the same text, see there).
    """

    id: str
    source: str
    order: int
    text: str
    section: str | None
    page: int | None
    kind: str
    meta: DocumentMeta = field(default_factory=DocumentMeta)

    @property
    def index_text(self) -> str:
        """Text used for retrieval: document title and type, heading path, then the passage."""
        head = " ".join(
            p for p in (self.meta.doc_type, self.meta.number, self.meta.title) if p
        )
        parts = [head, self.section or "", self.text]
        return "\n".join(p for p in parts if p)

    @property
    def embed_text(self) -> str:
        """Text the embedding model reads: a short designation of the document (type, number,
        issuer, the title's first ``EMBED_TITLE_WORDS`` words), the heading path, the passage;
        the header passage keeps the whole title (``index_text``).

        Issue 12 round 2 (``bench/bench_embed_text.py``, recipe 5 against the full title, same
        run, real e5): dense hit@1 48.1 → 56.8 % on the tuning set and 39.6 → 48.6 % held-out,
        fused 63.5 → 64.7 % and 59.0 → 59.9 %, with 13 % fewer tokens per passage. Without the
        issuer or the title's first words hit@1 fell (``bench/notes/issue-12-round2.md``).
        """
        if self.kind == "header":
            return self.index_text
        title = " ".join((self.meta.title or "").split()[:EMBED_TITLE_WORDS])
        head = " ".join(p for p in (self.meta.doc_type, self.meta.number, self.meta.issuer,
                                    title) if p)
        return "\n".join(p for p in (head, self.section or "", self.text) if p)
