"""Quiz rounds counted per unit (no personal data): a member may pick their unit on the Ôn tập
page; the unit's rounds and average score then appear in its progress."""
from __future__ import annotations

from sqlalchemy import select

from app.tracking.db import Database
from app.tracking.errors import InvalidReport, NotFound
from app.tracking.models import QuizResult, Unit, now


def record_quiz(db: Database, unit_code: str, questions: int, correct: int) -> None:
    """Count one finished quiz round (``correct`` right answers of ``questions``) for a unit."""
    if questions <= 0 or not 0 <= correct <= questions:
        raise InvalidReport(f"Kết quả ôn tập không hợp lệ ({correct}/{questions}).")
    with db.session() as s:
        unit_id = s.scalar(select(Unit.id).where(Unit.code == unit_code))
        if unit_id is None:
            raise NotFound(f"Không có đơn vị mã {unit_code}.")
        s.add(QuizResult(unit_id=unit_id, questions=questions, correct=correct, at=now()))


def unit_choices(db: Database) -> list[tuple[str, str]]:
    """(code, name) of every unit in tree order, for the unit picker."""
    with db.session() as s:
        return [(c, n) for c, n in s.execute(select(Unit.code, Unit.name).order_by(Unit.path))]


def has_units(db: Database) -> bool:
    """Whether any unit exists (the Ôn tập page shows its unit picker only then)."""
    with db.session() as s:
        return s.scalar(select(Unit.id).limit(1)) is not None
