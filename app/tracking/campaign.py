"""Campaigns: created from a proposal, the schedule edited and confirmed by the organiser."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from sqlalchemy import delete, select

from app.tracking.access import Actor
from app.tracking.db import Database
from app.tracking.errors import AccessDenied, InvalidReport, NotFound
from app.tracking.models import LEVEL_NAMES, LEVELS, Audit, Campaign, ScheduleRow
from app.tracking.schedule import Proposal, ProposedRow, default_end
from ingest.text import strip_accents


@dataclass(frozen=True)
class CampaignInfo:
    """A campaign and its schedule (rows top level first)."""

    id: int
    name: str
    plan_source: str
    plan_number: str | None
    plan_title: str
    place: str
    start: dt.date
    end: dt.date
    confirmed: bool
    rows: tuple[ProposedRow, ...]

    def period(self) -> str:
        """``10/10/2022 – 31/12/2023``, saying when the end is the default (the plan does not
        state it: 31/12 of the year of the last deadline, so late sessions can be reported)."""
        text = f"{self.start:%d/%m/%Y} – {self.end:%d/%m/%Y}"
        last = max((r.deadline for r in self.rows), default=None)
        if last and self.end != last and self.end == default_end(self.rows):
            text += (f"; ngày kết thúc mặc định: cuối năm của hạn cuối cùng "
                     f"{last:%d/%m/%Y}, để còn nhận báo cáo muộn")
        return text

    def deadline(self, level: str) -> dt.date | None:
        """The deadline of ``level`` (None when the schedule has no row for it)."""
        return next((r.deadline for r in self.rows if r.level == level), None)


def _organiser(actor: Actor) -> None:
    if not actor.is_organiser:
        raise AccessDenied("Chỉ ban tổ chức được lập và sửa kế hoạch theo dõi.")


def _check_rows(rows: tuple[ProposedRow, ...] | list[ProposedRow], start: dt.date,
                end: dt.date) -> None:
    if end < start:
        raise InvalidReport("Ngày kết thúc đợt học tập phải sau ngày bắt đầu.")
    seen: set[str] = set()
    for r in rows:
        if r.level not in LEVELS or r.level in seen:
            raise InvalidReport(f"Cấp \"{r.level}\" không hợp lệ hoặc lặp lại trong lịch.")
        seen.add(r.level)
        if not start <= r.deadline <= end:
            raise InvalidReport(f"Hạn của cấp {LEVEL_NAMES[r.level].lower()} "
                                f"({r.deadline:%d/%m/%Y}) nằm ngoài đợt học tập "
                                f"({start:%d/%m/%Y} – {end:%d/%m/%Y}).")


# A plan's subject that already says what is done with the resolution ("Nghiên cứu, học tập,
# quán triệt …") names the campaign as it is; another ("Nghị quyết số 58-NQ/TW") gets
# "Học tập" before it
_STUDY_VERBS = ("nghien cuu", "hoc tap", "quan triet", "tuyen truyen", "pho bien", "trien khai")


def default_name(title: str) -> str:
    """The campaign's name when the organiser gives none: the plan's subject, with "Học tập"
    before it unless it already begins with a study verb (not «Học tập Nghiên cứu, học tập …»)."""
    title = title.strip()
    if strip_accents(title.lower()).startswith(_STUDY_VERBS):
        return title[:1].upper() + title[1:]
    return f"Học tập {title}"


def create_campaign(db: Database, actor: Actor, proposal: Proposal, name: str | None = None,
                    rows: list[ProposedRow] | None = None, confirm: bool = False) -> int:
    """Store a campaign from ``proposal`` (its rows, or the organiser's edited ``rows``)."""
    _organiser(actor)
    final = tuple(rows) if rows is not None else proposal.rows
    _check_rows(final, proposal.start, proposal.end)
    with db.session() as s:
        c = Campaign(name=name or default_name(proposal.title), plan_source=proposal.source,
                     plan_number=proposal.number, plan_title=proposal.title,
                     place=proposal.place, start=proposal.start, end=proposal.end,
                     confirmed=confirm)
        s.add(c)
        s.flush()
        s.add_all(_row(c.id, r) for r in final)
        s.add(Audit(actor=actor.label, action="campaign-create", detail=c.name))
        return c.id


def _row(campaign_id: int, r: ProposedRow) -> ScheduleRow:
    return ScheduleRow(campaign_id=campaign_id, level=r.level, participants=r.participants,
                       duration=r.duration, deadline=r.deadline, form=r.form, source=r.source,
                       section=r.section, page=r.page, quote=r.quote)


def save_schedule(db: Database, actor: Actor, campaign_id: int, rows: list[ProposedRow],
                  start: dt.date | None = None, end: dt.date | None = None,
                  confirm: bool = True) -> None:
    """Replace the schedule (the organiser's edits) and mark the campaign confirmed."""
    _organiser(actor)
    with db.session() as s:
        c = s.get(Campaign, campaign_id)
        if c is None:
            raise NotFound(f"Không có đợt học tập số {campaign_id}.")
        c.start, c.end = start or c.start, end or c.end
        _check_rows(rows, c.start, c.end)
        s.execute(delete(ScheduleRow).where(ScheduleRow.campaign_id == campaign_id))
        s.flush()
        s.add_all(_row(campaign_id, r) for r in rows)
        c.confirmed = confirm or c.confirmed
        s.add(Audit(actor=actor.label, action="schedule-confirm" if confirm else "schedule-edit",
                    detail="; ".join(f"{r.level} {r.deadline:%d/%m/%Y}" for r in rows)))


def get_campaign(db: Database, campaign_id: int | None = None) -> CampaignInfo:
    """The campaign ``campaign_id`` (the latest one when None); ``NotFound`` when none."""
    with db.session() as s:
        q = select(Campaign)
        q = q.where(Campaign.id == campaign_id) if campaign_id else q.order_by(Campaign.id.desc())
        c = s.scalars(q.limit(1)).first()
        if c is None:
            raise NotFound("Chưa có đợt học tập nào: hãy xem lịch đề xuất từ một kế hoạch trong "
                           "thư viện (hoctap campaign propose), rồi lưu lịch (hoctap campaign "
                           "confirm).")
        rows = s.scalars(select(ScheduleRow).where(ScheduleRow.campaign_id == c.id))
        ordered = sorted(rows, key=lambda r: LEVELS.index(r.level))
        return CampaignInfo(c.id, c.name, c.plan_source, c.plan_number, c.plan_title, c.place,
                            c.start, c.end, c.confirmed, tuple(
                                ProposedRow(r.level, r.participants, r.duration, r.deadline,
                                            r.form, r.source or "", r.section, r.page,
                                            r.quote or "") for r in ordered))


def edit_row(row: ProposedRow, **changes: object) -> ProposedRow:
    """A schedule row with the organiser's changes (participants, duration, deadline …)."""
    return replace(row, **changes)  # type: ignore[arg-type]
