"""Unit reports: a unit enters each session it held; checked, audited, never overwritten
silently (the version a change was based on must still be the current one)."""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from app.tracking.access import Actor
from app.tracking.db import Database
from app.tracking.errors import AccessDenied, InvalidReport, NotFound, StaleEdit
from app.tracking.models import FORMS, Audit, Campaign, Report, Unit, now, vietnam_time

COUNTS = ("can_bo", "dang_vien", "hoi_vien", "thu_hoach_required", "thu_hoach_written")
COUNT_NAMES = {"can_bo": "cán bộ", "dang_vien": "đảng viên", "hoi_vien": "hội viên",
               "thu_hoach_required": "số phải viết thu hoạch",
               "thu_hoach_written": "số đã viết thu hoạch"}


@dataclass(frozen=True)
class ReportInput:
    """What a unit enters for one session."""

    held_on: dt.date
    form: str  # "truc-tiep" | "truc-tuyen"
    can_bo: int = 0
    dang_vien: int = 0
    hoi_vien: int = 0
    thu_hoach_required: int = 0
    thu_hoach_written: int = 0
    remarks: str = ""

    @property
    def participants(self) -> int:
        """Everyone who took part (cán bộ + đảng viên + hội viên)."""
        return self.can_bo + self.dang_vien + self.hoi_vien


@dataclass(frozen=True)
class ReportInfo:
    """A stored report, with the version an edit must name."""

    id: int
    unit_code: str
    unit_name: str
    data: ReportInput
    version: int
    updated_by: str
    updated_at: dt.datetime


def validate(data: ReportInput, start: dt.date, end: dt.date) -> None:
    """``InvalidReport`` with a Vietnamese message when the report cannot be right."""
    if data.form not in FORMS:
        raise InvalidReport("Hình thức phải là trực tiếp hoặc trực tuyến.")
    if not start <= data.held_on <= end:
        raise InvalidReport(f"Ngày học tập {data.held_on:%d/%m/%Y} nằm ngoài đợt học tập "
                            f"({start:%d/%m/%Y} – {end:%d/%m/%Y}).")
    for name in COUNTS:
        value = getattr(data, name)
        if not isinstance(value, int) or value < 0:
            raise InvalidReport(f"Số {COUNT_NAMES[name]} phải là số nguyên không âm "
                                f"(đã nhập {value}).")
    if data.participants == 0:
        raise InvalidReport("Buổi học tập phải có ít nhất một người tham gia.")
    if data.thu_hoach_required > data.participants:
        raise InvalidReport(f"Số phải viết thu hoạch ({data.thu_hoach_required}) nhiều hơn số "
                            f"người tham gia ({data.participants}).")
    if data.thu_hoach_written > data.thu_hoach_required:
        raise InvalidReport(f"Số đã viết thu hoạch ({data.thu_hoach_written}) nhiều hơn số "
                            f"phải viết ({data.thu_hoach_required}).")


def _unit_for(s: Session, actor: Actor, unit_code: str) -> Unit:
    """The unit ``unit_code`` when ``actor`` may write its reports."""
    u = s.scalar(select(Unit).where(Unit.code == unit_code))
    if u is None:
        raise NotFound(f"Không có đơn vị mã {unit_code}.")
    if not actor.is_organiser and actor.unit_id != u.id:
        raise AccessDenied(f"Đơn vị của bạn không được ghi báo cáo của đơn vị {u.code} "
                           f"({u.name}).")
    return u


def _same(r: Report, data: ReportInput) -> bool:
    """Whether stored report ``r`` already says exactly ``data``."""
    return all(getattr(r, k) == v for k, v in asdict(data).items())


def submit(db: Database, actor: Actor, campaign_id: int, unit_code: str,
           data: ReportInput) -> int:
    """Add a report for a session ``unit_code`` held; returns its id.

    A report identical in every field to one the unit already has (a second click on «Lưu»)
    adds nothing: that report's id is returned."""
    with db.session() as s:
        c = s.get(Campaign, campaign_id)
        if c is None:
            raise NotFound(f"Không có đợt học tập số {campaign_id}.")
        u = _unit_for(s, actor, unit_code)
        validate(data, c.start, c.end)
        stored = s.scalars(select(Report).where(Report.campaign_id == c.id,
                                                Report.unit_id == u.id,
                                                Report.held_on == data.held_on))
        twin = next((r for r in stored if _same(r, data)), None)
        if twin is not None:
            return twin.id
        r = Report(campaign_id=c.id, unit_id=u.id, updated_by=actor.label, updated_at=now(),
                   **asdict(data))
        s.add(r)
        s.flush()
        s.add(Audit(report_id=r.id, unit_id=u.id, actor=actor.label, action="create",
                    detail=json.dumps(asdict(data), default=str, ensure_ascii=False)))
        return r.id


def update(db: Database, actor: Actor, report_id: int, data: ReportInput, version: int) -> int:
    """Change report ``report_id`` as read at ``version``; returns the new version (also when
    ``data`` changes nothing: of the edits of one version exactly one wins, the page skips an
    edit that changes nothing).

    ``StaleEdit`` when someone changed it since (checked again by the UPDATE itself, so two
    concurrent edits of one version cannot both win)."""
    try:
        with db.session() as s:
            r, u = _report_of(s, actor, report_id)
            c = s.get(Campaign, r.campaign_id)
            assert c is not None
            validate(data, c.start, c.end)
            if r.version != version:
                raise StaleEdit(_stale_message(r))
            for k, v in asdict(data).items():
                setattr(r, k, v)
            r.updated_by, r.updated_at = actor.label, now()
            s.flush()
            s.add(Audit(report_id=r.id, unit_id=u.id, actor=actor.label, action="update",
                        detail=json.dumps(asdict(data), default=str, ensure_ascii=False)))
            return r.version
    except StaleDataError as err:
        raise StaleEdit("Báo cáo vừa được người khác sửa trong lúc bạn lưu; không có gì thay "
                        "đổi. Hãy tải lại báo cáo và nhập lại.") from err


def _stale_message(r: Report) -> str:
    return (f"Báo cáo đã được {r.updated_by} sửa lúc "
            f"{vietnam_time(r.updated_at):%H:%M %d/%m/%Y} (giờ Việt Nam) "
            f"(phiên bản {r.version}) sau khi bạn mở nó; không có gì thay đổi. "
            "Hãy tải lại báo cáo và nhập lại.")


def _info(r: Report, u: Unit) -> ReportInfo:
    data = ReportInput(r.held_on, r.form, r.can_bo, r.dang_vien, r.hoi_vien,
                       r.thu_hoach_required, r.thu_hoach_written, r.remarks)
    return ReportInfo(r.id, u.code, u.name, data, r.version, r.updated_by, r.updated_at)


def reports_of(db: Database, actor: Actor, campaign_id: int, unit_code: str) -> list[ReportInfo]:
    """The reports of one unit (its reporter or the organiser), by date."""
    with db.session() as s:
        u = _unit_for(s, actor, unit_code)
        rows = s.scalars(select(Report).where(Report.campaign_id == campaign_id,
                                              Report.unit_id == u.id).order_by(Report.held_on))
        return [_info(r, u) for r in rows]


def _report_of(s: Session, actor: Actor, report_id: int) -> tuple[Report, Unit]:
    """Report ``report_id`` and its unit, if ``actor`` may see it (``NotFound`` otherwise)."""
    r = s.get(Report, report_id)
    if r is None:
        raise NotFound(f"Không có báo cáo số {report_id}.")
    u = s.get(Unit, r.unit_id)
    assert u is not None
    _unit_for(s, actor, u.code)
    return r, u


def get_report(db: Database, actor: Actor, report_id: int) -> ReportInfo:
    """One report (its unit's reporter or the organiser)."""
    with db.session() as s:
        r, u = _report_of(s, actor, report_id)
        return _info(r, u)


@dataclass(frozen=True)
class AuditEntry:
    """One line of the audit trail."""

    at: dt.datetime
    actor: str
    action: str
    report_id: int | None
    detail: str


def audit_trail(db: Database, report_id: int | None = None, limit: int = 200) -> list[AuditEntry]:
    """The latest changes (of one report when ``report_id`` is given), newest first."""
    with db.session() as s:
        q = select(Audit).order_by(Audit.id.desc()).limit(limit)
        if report_id is not None:
            q = q.where(Audit.report_id == report_id)
        return [AuditEntry(a.at, a.actor, a.action, a.report_id, a.detail) for a in s.scalars(q)]
