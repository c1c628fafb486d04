"""The tables: units (a tree with a materialised path), campaigns and their schedule, unit
reports (with a version column for optimistic concurrency), the audit trail, quiz results."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

LEVELS = ("tinh", "huyen", "xa", "chi")  # top to bottom
LEVEL_NAMES = {"tinh": "Tỉnh", "huyen": "Huyện, thị, thành", "xa": "Xã, phường, thị trấn",
               "chi": "Chi hội"}
FORMS = {"truc-tiep": "Trực tiếp", "truc-tuyen": "Trực tuyến"}
SEGMENT = 9  # width of one path segment: 8 digits and "/"
# Vietnam time (Asia/Ho_Chi_Minh) is UTC+7 all year, without summer time: a fixed offset needs
# no tz database (zoneinfo finds none on Windows without the tzdata package)
VIETNAM = dt.timezone(dt.timedelta(hours=7), "ICT")


def now() -> dt.datetime:
    """The current UTC time without tzinfo (stored the same on SQLite and PostgreSQL)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def vietnam_time(stored: dt.datetime) -> dt.datetime:
    """A stored time (UTC without tzinfo, as ``now`` writes it) as Vietnam's local time."""
    return stored.replace(tzinfo=dt.UTC).astimezone(VIETNAM)


def vietnam_today() -> dt.date:
    """Today's date in Vietnam: the default "as of" day of progress and reports (the server's
    own date is UTC's, a day behind from 17:00 to midnight UTC)."""
    return vietnam_time(now()).date()


# What an audit line's action means, as the pages show it
ACTION_NAMES = {"create": "tạo báo cáo", "update": "sửa báo cáo",
                "campaign-create": "tạo đợt học tập", "schedule-confirm": "xác nhận lịch"}


def path_segment(unit_id: int) -> str:
    """One fixed-width segment of a unit path: ``00000042/``."""
    return f"{unit_id:08d}/"


class Base(DeclarativeBase):
    """Declarative base of the tracking tables."""


class Unit(Base):
    """An association unit. ``path`` is the ids from the root, fixed width, so a subtree is a
    prefix and a unit's ancestor at depth d is ``substr(path, 1, d * SEGMENT)``."""

    __tablename__ = "units"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    level: Mapped[str] = mapped_column(String(8))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    path: Mapped[str] = mapped_column(String(64), index=True, default="")
    depth: Mapped[int] = mapped_column(Integer, default=1)
    access_hash: Mapped[str | None] = mapped_column(String(255))


class Campaign(Base):
    """A study campaign tied to one plan of the library (by source file and number)."""

    __tablename__ = "campaigns"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(500))
    plan_source: Mapped[str] = mapped_column(String(500))
    plan_number: Mapped[str | None] = mapped_column(String(64))
    plan_title: Mapped[str] = mapped_column(Text, default="")
    place: Mapped[str] = mapped_column(String(255), default="")
    start: Mapped[dt.date] = mapped_column(Date)
    end: Mapped[dt.date] = mapped_column(Date)
    confirmed: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)


class ScheduleRow(Base):
    """One level's session in a campaign, with where the plan says so."""

    __tablename__ = "schedule"
    __table_args__ = (UniqueConstraint("campaign_id", "level"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    level: Mapped[str] = mapped_column(String(8))
    participants: Mapped[str] = mapped_column(Text, default="")
    duration: Mapped[str] = mapped_column(String(100), default="")
    deadline: Mapped[dt.date] = mapped_column(Date)
    form: Mapped[str | None] = mapped_column(String(16))
    source: Mapped[str | None] = mapped_column(String(500))
    section: Mapped[str | None] = mapped_column(Text)
    page: Mapped[int | None] = mapped_column(Integer)
    quote: Mapped[str | None] = mapped_column(Text)


class Report(Base):
    """One study session a unit held. ``version`` increases on every change; an update that
    names an older version is refused (no silent overwrite)."""

    __tablename__ = "reports"
    # covering index: progress aggregates per unit from the index alone, in unit order
    __table_args__ = (Index("ix_reports_progress", "campaign_id", "unit_id", "held_on", "can_bo",
                            "dang_vien", "hoi_vien", "thu_hoach_required",
                            "thu_hoach_written"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    held_on: Mapped[dt.date] = mapped_column(Date)
    form: Mapped[str] = mapped_column(String(16))
    can_bo: Mapped[int] = mapped_column(Integer, default=0)
    dang_vien: Mapped[int] = mapped_column(Integer, default=0)
    hoi_vien: Mapped[int] = mapped_column(Integer, default=0)
    thu_hoach_required: Mapped[int] = mapped_column(Integer, default=0)
    thu_hoach_written: Mapped[int] = mapped_column(Integer, default=0)
    remarks: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_by: Mapped[str] = mapped_column(String(255), default="")
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)

    __mapper_args__ = {"version_id_col": version}


class Audit(Base):
    """Who changed what and when (a JSON snapshot of the report after the change)."""

    __tablename__ = "audit"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int | None] = mapped_column(Integer, index=True)
    unit_id: Mapped[int | None] = mapped_column(Integer)
    actor: Mapped[str] = mapped_column(String(255))
    action: Mapped[str] = mapped_column(String(32))
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)
    detail: Mapped[str] = mapped_column(Text, default="")


class QuizResult(Base):
    """An anonymous quiz round a member did for a unit: how many questions, how many right."""

    __tablename__ = "quiz_results"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    questions: Mapped[int] = mapped_column(Integer)
    correct: Mapped[int] = mapped_column(Integer)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)
