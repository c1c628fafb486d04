"""Progress against the schedule, aggregated in the database: per level and per child unit of
any unit (drill-down), with the units that are late or overdue.

A unit is *on time* when its first session (held on or before ``as_of``) is on or before its
level's deadline, *late* when after, *overdue* when it has none and the deadline has passed,
*pending* when it has none and the deadline is still ahead.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import Row, case, func, literal, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from app.tracking.campaign import CampaignInfo
from app.tracking.db import Database
from app.tracking.errors import NotFound
from app.tracking.models import LEVEL_NAMES, LEVELS, SEGMENT, QuizResult, Report, Unit

STATUSES = ("on_time", "late", "overdue", "pending")
STATUS_NAMES = {"on_time": "Đúng hạn", "late": "Trễ hạn", "overdue": "Quá hạn, chưa báo cáo",
                "pending": "Chưa đến hạn"}
_FAR = dt.date(9999, 12, 31)

@dataclass
class Tally:
    """Counts over a set of units: how many in each status, participants and thu hoạch."""

    units: int = 0
    on_time: int = 0
    late: int = 0
    overdue: int = 0
    pending: int = 0
    sessions: int = 0
    can_bo: int = 0
    dang_vien: int = 0
    hoi_vien: int = 0
    thu_hoach_required: int = 0
    thu_hoach_written: int = 0
    quiz_rounds: int = 0
    quiz_questions: int = 0
    quiz_correct: int = 0

    @property
    def done(self) -> int:
        """Units that held their session (on time or late)."""
        return self.on_time + self.late

    @property
    def participants(self) -> int:
        """Everyone who took part."""
        return self.can_bo + self.dang_vien + self.hoi_vien

    @property
    def thu_hoach_rate(self) -> float | None:
        """Share of required thu hoạch written (None when none was required)."""
        return self.thu_hoach_written / self.thu_hoach_required if self.thu_hoach_required else None

    @property
    def quiz_score(self) -> float | None:
        """Average share of right answers over the quiz rounds (None without rounds)."""
        return self.quiz_correct / self.quiz_questions if self.quiz_questions else None

    def add(self, other: Tally) -> None:
        """Add ``other``'s counts to this one."""
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

@dataclass(frozen=True)
class LevelProgress:
    """One level of the subtree against its deadline."""

    level: str
    deadline: dt.date | None
    tally: Tally

@dataclass(frozen=True)
class ChildProgress:
    """A child unit: its own status and the tally of its whole subtree."""

    code: str
    name: str
    level: str
    status: str
    tally: Tally

@dataclass(frozen=True)
class Behind:
    """A unit past its deadline: late, or overdue with no report."""

    code: str
    name: str
    level: str
    status: str
    deadline: dt.date | None
    first_session: dt.date | None

@dataclass
class Progress:
    """Progress of one unit's subtree (the whole tree when ``root_code`` is None)."""

    as_of: dt.date
    root_code: str | None
    root_name: str
    root_status: str | None
    levels: list[LevelProgress]
    children: list[ChildProgress]
    behind: list[Behind]
    behind_total: int
    total: Tally = field(default_factory=Tally)

def _stats(campaign: CampaignInfo, as_of: dt.date) -> tuple[object, object]:
    """Subqueries: per unit, its sessions up to ``as_of``; per unit, its quiz rounds."""
    rep = (select(Report.unit_id.label("unit_id"), func.min(Report.held_on).label("first"),
                  func.count(Report.id).label("sessions"),
                  func.sum(Report.can_bo).label("can_bo"),
                  func.sum(Report.dang_vien).label("dang_vien"),
                  func.sum(Report.hoi_vien).label("hoi_vien"),
                  func.sum(Report.thu_hoach_required).label("thr"),
                  func.sum(Report.thu_hoach_written).label("thw"))
           .where(Report.campaign_id == campaign.id, Report.held_on <= as_of)
           .group_by(Report.unit_id).subquery("rep"))
    quiz = (select(QuizResult.unit_id.label("unit_id"), func.count(QuizResult.id).label("rounds"),
                   func.sum(QuizResult.questions).label("questions"),
                   func.sum(QuizResult.correct).label("correct"))
            .group_by(QuizResult.unit_id).subquery("quiz"))
    return rep, quiz

def _status(campaign: CampaignInfo, as_of: dt.date, rep: object) -> ColumnElement[int]:
    """0 on time, 1 late, 2 overdue, 3 pending, computed in SQL from the level's deadline."""
    deadline = case(*[(Unit.level == lv, literal(campaign.deadline(lv) or _FAR))
                      for lv in LEVELS], else_=literal(_FAR))
    first = rep.c.first  # type: ignore[attr-defined]
    return case((first.is_(None), case((deadline < as_of, 2), else_=3)),
                (first <= deadline, 0), else_=1)

def _grouped(s: Session, campaign: CampaignInfo, as_of: dt.date, prefix: str,
             depth: int) -> list[Row]:
    """Tallies summed by the database, grouped by (level, child of the root the unit sits
    under, whether it is that child / the root itself, status): a few hundred rows at most."""
    rep, quiz = _stats(campaign, as_of)
    r, q = rep.c, quiz.c  # type: ignore[attr-defined]
    status = _status(campaign, as_of, rep).label("status")
    anc = func.substr(Unit.path, 1, (depth + 1) * SEGMENT).label("anc")
    place = case((Unit.depth == depth, 0), (Unit.depth == depth + 1, 1), else_=2).label("place")

    def total(col: ColumnElement) -> ColumnElement:
        return func.coalesce(func.sum(col), 0)

    query = (select(Unit.level, anc, place, status, func.count(Unit.id), total(r.sessions),
                    total(r.can_bo), total(r.dang_vien), total(r.hoi_vien), total(r.thr),
                    total(r.thw), total(q.rounds), total(q.questions), total(q.correct))
             .outerjoin(rep, r.unit_id == Unit.id).outerjoin(quiz, q.unit_id == Unit.id)
             .where(Unit.path.startswith(prefix, autoescape=True))
             .group_by(Unit.level, anc, place, status))
    return list(s.execute(query).all())


def _behind(s: Session, campaign: CampaignInfo, as_of: dt.date, prefix: str,
            limit: int) -> list[Behind]:
    """The first ``limit`` late or overdue units of the subtree, in tree order."""
    rep, _quiz = _stats(campaign, as_of)
    status = _status(campaign, as_of, rep)
    query = (select(Unit.code, Unit.name, Unit.level, status, rep.c.first)  # type: ignore[attr-defined]
             .outerjoin(rep, rep.c.unit_id == Unit.id)  # type: ignore[attr-defined]
             .where(Unit.path.startswith(prefix, autoescape=True), status.in_([1, 2]))
             .order_by(Unit.path))
    # no SQL LIMIT: with one, PostgreSQL may pick a path-order nested loop that re-aggregates
    # the reports per unit (measured: 4.7 s instead of 0.2 s at 10,000 units)
    rows = s.execute(query).fetchmany(limit)
    return [Behind(c, n, lv, STATUSES[int(st)], campaign.deadline(lv), first)
            for c, n, lv, st, first in rows]


def progress(db: Database, campaign: CampaignInfo, as_of: dt.date, root_code: str | None = None,
             behind_limit: int = 200) -> Progress:
    """Progress of ``root_code``'s subtree (the whole tree when None, or the one province when
    the tree has a single top unit) as of ``as_of``. The database does the aggregation: one
    grouped query for the tallies, one for the first ``behind_limit`` late units."""
    with db.session() as s:
        prefix, depth, name, code = "", 0, campaign.place or "Toàn tỉnh", None
        tops = s.scalars(select(Unit.code).where(Unit.parent_id.is_(None)).limit(2)).all()
        root_code = root_code or (tops[0] if len(tops) == 1 else None)  # one province: its tree
        if root_code:
            root = s.scalar(select(Unit).where(Unit.code == root_code))
            if root is None:
                raise NotFound(f"Không có đơn vị mã {root_code}.")
            prefix, depth, name, code = root.path, root.depth, root.name, root.code
        groups = _grouped(s, campaign, as_of, prefix, depth)
        behind = _behind(s, campaign, as_of, prefix, behind_limit) if behind_limit else []
        kid_units = {u.path: u for u in s.scalars(select(Unit).where(Unit.path.in_(
            {g[1] for g in groups if g[2] == 1})))}
    by_level: dict[str, Tally] = {}
    kids: dict[str, Tally] = {}
    own: dict[str, str] = {}
    root_status = None
    behind_total = 0
    for level, anc, place, st, *figures in groups:
        status = STATUSES[int(st)]
        t = Tally(int(figures[0]), *(int(figures[0]) if status == x else 0 for x in STATUSES),
                  *(int(v) for v in figures[1:]))
        by_level.setdefault(level, Tally()).add(t)
        behind_total += t.late + t.overdue
        if place == 0:
            root_status = status if code else None
            continue
        kids.setdefault(anc, Tally()).add(t)
        if place == 1:
            own[anc] = status
    levels = [LevelProgress(lv, campaign.deadline(lv), by_level[lv]) for lv in LEVELS
              if lv in by_level]
    children = sorted((ChildProgress(u.code, u.name, u.level, own[path], kids[path])
                       for path, u in kid_units.items()), key=lambda c: c.code)
    out = Progress(as_of, code, name, root_status, levels, children, behind, behind_total)
    for lp in levels:
        out.total.add(lp.tally)
    return out


def level_name(level: str) -> str:
    """The Vietnamese name of a level key."""
    return LEVEL_NAMES.get(level, level)

def percent(value: float | None) -> str:
    """``87,5%`` (Vietnamese decimal comma), or ``—`` when undefined."""
    return "—" if value is None else f"{value * 100:.1f}%".replace(".", ",")
