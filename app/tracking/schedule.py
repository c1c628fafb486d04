"""Propose a campaign's schedule from the plan's own passages, each row cited.

General extraction, no plan-specific rules: a section whose heading names a level (``Cấp tỉnh``,
``các huyện, thị, thành phố``, ``xã, phường, thị trấn, chi Hội``) and whose passage states
``Thành phần: …`` and ``Thời gian: …`` gives that level's participants, duration and deadline
(``hoàn thành trước ngày 15/9/2020``; a date already held, ``đã học trực tuyến ngày 31/8/2020``).
A section without ``Thành phần:`` may name its participants in a clause (``… đến toàn thể hội
viên nông dân``).
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from app.tracking.models import LEVELS, vietnam_today
from ingest.facts import last_heading
from ingest.records import DocumentMeta, Passage
from ingest.text import strip_accents

_DATE = re.compile(r"\b(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})\b"
                   r"|\bngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.I)
_PARTICIPANTS = re.compile(r"Thành\s+phần\s*:\s*(.+?)\s*(?:\n|$)", re.I)
# A section without "Thành phần:" may name its audience in a clause: "Tổ chức sinh hoạt chuyên
# đề đến toàn thể hội viên nông dân."
_AUDIENCE = re.compile(r"\b(?:đến|tới|cho)\s+((?:toàn\s+thể|tất\s+cả)\s+[^.;\n]+)", re.I)
_TIME = re.compile(r"Thời\s+gian\s*:\s*(.+?)\s*(?:\n|$)", re.I)
# How section headings name each level (accent-free), e.g. "Cấp tỉnh", "Hội Nông dân các
# huyện, thị, thành phố", "Đối với Hội Nông dân xã, phường, thị trấn, chi Hội".
_LEVEL_PATTERNS = {
    "tinh": re.compile(r"\bcap tinh\b|\btinh hoi\b"),
    "huyen": re.compile(r"\bcap huyen\b|\bhuyen,? thi,? thanh\b|\bcac huyen\b|\bhuyen hoi\b"),
    "xa": re.compile(r"\bcap xa\b|\bxa,? phuong\b|\bcap co so\b|\bhoi xa\b|\bcac xa\b"),
    "chi": re.compile(r"\bchi hoi\b"),
}
_DEADLINE_WORDS = re.compile(r"(?:trước|chậm nhất|hạn chót|xong)\s+(?:là\s+)?(?:ngày\s+)?$", re.I)


@dataclass(frozen=True)
class ProposedRow:
    """One level's session as the plan states it, with the passage that says so."""

    level: str
    participants: str
    duration: str
    deadline: dt.date
    form: str | None  # "truc-tuyen" when the plan says the level studied online
    source: str
    section: str | None
    page: int | None
    quote: str


@dataclass(frozen=True)
class Proposal:
    """A proposed campaign: the plan it implements and its schedule rows (top level first)."""

    source: str
    number: str | None
    title: str
    place: str
    start: dt.date
    end: dt.date
    rows: tuple[ProposedRow, ...]


def parse_date(m: re.Match[str]) -> dt.date | None:
    """The date a ``_DATE`` match names (None when impossible, e.g. 31/2)."""
    d, mo, y = (m.group(1), m.group(2), m.group(3)) if m.group(1) else m.group(4, 5, 6)
    try:
        return dt.date(int(y), int(mo), int(d))
    except ValueError:
        return None


def deadline_in(line: str) -> dt.date | None:
    """The deadline a "Thời gian" line states: the date after "trước ngày" when there is one,
    else the last date of the line (a session already held on that day)."""
    found = [(m, parse_date(m)) for m in _DATE.finditer(line)]
    found = [(m, d) for m, d in found if d]
    for m, d in found:
        if _DEADLINE_WORDS.search(line[:m.start()]):
            return d
    return found[-1][1] if found else None


def _duration(line: str) -> str:
    """``½ ngày`` from ``½ ngày, hoàn thành trước ngày 15/9/2020``."""
    head = re.split(r"[,;]", line, maxsplit=1)[0].strip().rstrip(".")
    return "" if _DATE.search(head) else " ".join(head.split())


def _levels(p: Passage) -> list[str]:
    """Levels the passage's own heading names, top level first."""
    heading = last_heading(p.section) if p.section else p.text.split("\n")[0]
    plain = strip_accents(heading).lower()
    return [lv for lv in LEVELS if _LEVEL_PATTERNS[lv].search(plain)]


def propose_rows(passages: Sequence[Passage]) -> list[ProposedRow]:
    """Schedule rows from one document's passages (in reading order), first statement wins."""
    rows: dict[str, ProposedRow] = {}
    participants_by_section: dict[str | None, str] = {}
    for p in passages:
        if p.kind != "body":
            continue
        pm = _PARTICIPANTS.search(p.text)
        if pm:
            participants_by_section[p.section] = pm.group(1).strip()
        elif (am := _AUDIENCE.search(p.text)) and p.section not in participants_by_section:
            participants_by_section[p.section] = am.group(1).strip()
        tm = _TIME.search(p.text)
        if not tm:
            continue
        deadline = deadline_in(tm.group(1))
        if deadline is None:
            continue
        online = "truc tuyen" in strip_accents(tm.group(1)).lower()
        for lv in _levels(p):
            rows.setdefault(lv, ProposedRow(
                lv, participants_by_section.get(p.section, ""), _duration(tm.group(1)), deadline,
                "truc-tuyen" if online else None, p.source, p.section, p.page, p.text))
    return [rows[lv] for lv in LEVELS if lv in rows]


def propose(passages: Sequence[Passage], source: str,
            meta: DocumentMeta | None = None) -> Proposal:
    """The proposed campaign for the plan ``source`` (its passages among ``passages``).

    The campaign runs from the earlier of the plan's date and its first scheduled date to the
    end of the year of its last deadline (thu hoạch count toward the year-end rating), so late
    sessions can still be reported; the organiser may change both."""
    mine = sorted((p for p in passages if p.source == source), key=lambda p: p.order)
    meta = meta or (mine[0].meta if mine else DocumentMeta())
    rows = propose_rows(mine)
    dates = [r.deadline for r in rows]
    if meta.date:
        dates.append(dt.date.fromisoformat(meta.date))
    start = min(dates) if dates else vietnam_today()
    end = default_end(rows) or dt.date(start.year, 12, 31)
    return Proposal(source, meta.number, meta.title or source, meta.place or "", start, end,
                    tuple(rows))


def default_end(rows: Sequence[ProposedRow]) -> dt.date | None:
    """The campaign's end when the organiser sets none: 31/12 of the year of the last deadline
    (None without rows). The plan does not state it; it leaves room for late reports."""
    last = max((r.deadline for r in rows), default=None)
    return dt.date(last.year, 12, 31) if last else None


def plans(passages: Sequence[Passage], metas: dict[str, DocumentMeta] | None = None,
          ) -> list[Proposal]:
    """A proposal for every document of the library that states a schedule, the fullest
    schedule first (then by source name)."""
    sources = sorted({p.source for p in passages})
    found = [propose(passages, src, (metas or {}).get(src)) for src in sources]
    return sorted((f for f in found if f.rows), key=lambda f: (-len(f.rows), f.source))


def pick(proposals: Sequence[Proposal], wanted: str | None) -> Proposal:
    """The proposal whose source or number matches ``wanted`` (accents and case ignored), the
    first one when ``wanted`` is None; ``NotFound`` when none."""
    from app.tracking.errors import NotFound

    if not proposals:
        raise NotFound("Thư viện không có kế hoạch nào nêu lịch học tập theo từng cấp "
                       "(Thành phần / Thời gian / hạn hoàn thành).")
    if not wanted:
        return proposals[0]
    key = strip_accents(wanted).lower()
    for p in proposals:
        if key in strip_accents(p.source).lower() or key == strip_accents(p.number or "").lower():
            return p
    raise NotFound(f"Không có kế hoạch \"{wanted}\" nêu lịch học tập trong thư viện; có: "
                   + ", ".join(p.source for p in proposals) + ".")
