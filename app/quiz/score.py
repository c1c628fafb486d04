"""A round's score from its graded answers: right, wrong, and essays not yet self-assessed.

An open (tự luận) question is graded by the member against its key points (``Grade.correct``
is ``None`` until they choose «Đạt» / «Chưa đạt»). One they did not judge is neither right nor
wrong: it is counted apart, never listed for review as a wrong answer.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from app.quiz.grade import Grade


@dataclass(frozen=True)
class Score:
    """``right`` of ``graded`` questions; ``unassessed`` essays left without self-assessment;
    ``wrong`` the question numbers (0-based, in order) to review."""

    right: int
    graded: int
    unassessed: int
    wrong: tuple[int, ...]

    def line(self) -> str:
        """«Kết quả: 3/4 câu đúng», or with unjudged essays «Kết quả: 5/6 câu chấm được
        đúng; 1 câu tự luận chưa tự đánh giá»."""
        if not self.unassessed:
            return f"Kết quả: {self.right}/{self.graded} câu đúng"
        if not self.graded:
            return f"Kết quả: {self.unassessed} câu tự luận chưa tự đánh giá"
        return (f"Kết quả: {self.right}/{self.graded} câu chấm được đúng; "
                f"{self.unassessed} câu tự luận chưa tự đánh giá")


def self_assess(result: Grade, passed: bool | None) -> Grade:
    """An open question's grade with the member's own judgement (``None``: not judged)."""
    return replace(result, correct=passed)


def score(results: Mapping[int, Grade]) -> Score:
    """The score of the answered questions ``{number: grade}``."""
    judged = {i: r for i, r in results.items() if r.correct is not None}
    return Score(right=sum(1 for r in judged.values() if r.correct),
                 graded=len(judged), unassessed=len(results) - len(judged),
                 wrong=tuple(sorted(i for i, r in judged.items() if not r.correct)))
