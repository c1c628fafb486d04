"""The quiz item record (the ``hoctap quiz --json`` contract) and its citation."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ingest.records import Passage

TYPES = ("mcq", "cloze", "tf", "open")
TYPE_LABELS = {"mcq": "Trắc nghiệm", "cloze": "Điền vào chỗ trống", "tf": "Đúng/Sai",
               "open": "Tự luận"}


def citation_of(passages: Sequence[Passage], n: int = 1) -> dict[str, Any]:
    """A citation dict with the fields of ``hoctap ask --json`` citations.

    Several passages (an open question covering a whole section) are cited as one: the first
    passage's place, their texts joined. ``score`` is 1.0: the item was made from this passage,
    it was not retrieved.
    """
    first = passages[0]
    meta = first.meta
    return {
        "n": n, "source": first.source, "title": meta.title, "doc_number": meta.number,
        "doc_type": meta.doc_type, "section": first.section, "page": first.page,
        "text": "\n".join(p.text for p in passages), "score": 1.0,
    }


@dataclass(frozen=True)
class QuizItem:
    """One question. ``answer`` is a string (``True``/``False`` for ``tf``); ``choices`` only
    for ``mcq``; ``answer_points`` only for ``open``."""

    id: str
    type: str
    question: str
    choices: tuple[str, ...] | None
    answer: str | bool
    answer_points: tuple[str, ...] | None
    explanation: str
    citation: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        """Plain dict in the JSON contract (tuples become lists)."""
        return {
            "id": self.id, "type": self.type, "question": self.question,
            "choices": list(self.choices) if self.choices is not None else None,
            "answer": self.answer,
            "answer_points": list(self.answer_points) if self.answer_points is not None
            else None,
            "explanation": self.explanation, "citation": dict(self.citation),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> QuizItem:
        """Inverse of ``to_dict``."""
        choices = data.get("choices")
        points = data.get("answer_points")
        return cls(data["id"], data["type"], data["question"],
                   tuple(choices) if choices is not None else None, data["answer"],
                   tuple(points) if points is not None else None, data["explanation"],
                   dict(data["citation"]))
