"""Answers with citations, from the documents only: extractive by default, calibrated refusal,
missing-document notice, optional generative mode (see ``app.answer.generative``).

``answer_question(kb, question)`` → ``Answer``; ``Answer.to_dict()`` is the ``hoctap ask --json``
object.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from app.knowledge import KnowledgeBase


@dataclass(frozen=True)
class Citation:
    """A numbered source: a short passage as the document wrote it, and where it is.

    ``highlight`` is the answering sentence, a verbatim substring of ``text`` (or ``None``).
    """

    n: int
    source: str
    title: str | None
    doc_number: str | None
    doc_type: str | None
    section: str | None
    page: int | None
    text: str
    score: float
    highlight: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The citation object of the JSON contract (with ``highlight``)."""
        return {"n": self.n, "source": self.source, "title": self.title,
                "doc_number": self.doc_number, "doc_type": self.doc_type,
                "section": self.section, "page": self.page, "text": self.text,
                "score": round(self.score, 6), "highlight": self.highlight}


@dataclass(frozen=True)
class Answer:
    """The answer to one question.

    ``found`` False: no answer was found in the documents; ``citations`` are then only the
    nearest passages (``suggestions`` True), and ``likely`` says the first of them may hold
    it. ``mode``: ``extractive``, ``generative`` or ``fallback`` (a generative reply was
    rejected or failed; ``note`` says why).
    """

    question: str
    found: bool
    answer: str
    citations: tuple[Citation, ...]
    suggestions: bool = False
    missing_documents: tuple[str, ...] = ()
    mode: str = "extractive"
    note: str | None = None
    likely: bool = False  # a refusal whose first suggestion may hold the answer
    read_as: str | None = None  # the question with its accents restored, when that changed it

    def to_dict(self) -> dict[str, Any]:
        """The ``hoctap ask --json`` object."""
        return {"question": self.question, "found": self.found, "answer": self.answer,
                "citations": [c.to_dict() for c in self.citations],
                "suggestions": self.suggestions,
                "missing_documents": list(self.missing_documents), "mode": self.mode,
                "note": self.note, "likely": self.likely, "read_as": self.read_as}


def answer_question(kb: KnowledgeBase, question: str, k: int = 5) -> Answer:
    """Answer ``question`` from the documents of ``kb`` (generative when configured)."""
    from app.answer.extractive import extractive_answer

    answer = extractive_answer(kb, question, k)
    if answer.found and kb.settings.llm_base_url:
        from app.answer.generative import generative_answer

        return generative_answer(kb.settings, answer)
    return answer


__all__ = ["Answer", "Citation", "answer_question"]
