"""Plain rows (Vietnamese column names) for the page's tables and charts: the page only shows
them, so what it shows is tested here."""
from __future__ import annotations

from app.tracking.progress import STATUS_NAMES, Progress, Tally, level_name, percent
from app.tracking.schedule import ProposedRow

Row = dict[str, object]


def _figures(t: Tally) -> Row:
    return {"Số đơn vị": t.units, "Đúng hạn": t.on_time, "Trễ hạn": t.late,
            "Quá hạn": t.overdue, "Chưa đến hạn": t.pending, "Tham gia": t.participants,
            "Thu hoạch": percent(t.thu_hoach_rate),
            "Ôn tập (lượt)": t.quiz_rounds, "Điểm ôn tập": percent(t.quiz_score)}


def level_rows(p: Progress) -> list[Row]:
    """One row per level of the subtree, then the total."""
    rows: list[Row] = [{"Cấp": level_name(lp.level),
                        "Hạn": f"{lp.deadline:%d/%m/%Y}" if lp.deadline else "",
                        **_figures(lp.tally)} for lp in p.levels]
    return rows + [{"Cấp": "Tổng cộng", "Hạn": "", **_figures(p.total)}]


def child_rows(p: Progress) -> list[Row]:
    """One row per child unit (drill-down), its own status first."""
    return [{"Mã": c.code, "Đơn vị": c.name, "Tình trạng": STATUS_NAMES[c.status],
             **_figures(c.tally)} for c in p.children]


def behind_rows(p: Progress) -> list[Row]:
    """The late and overdue units of the subtree."""
    return [{"Mã": b.code, "Đơn vị": b.name, "Cấp": level_name(b.level),
             "Tình trạng": STATUS_NAMES[b.status],
             "Hạn": f"{b.deadline:%d/%m/%Y}" if b.deadline else "",
             "Ngày học": f"{b.first_session:%d/%m/%Y}" if b.first_session else "chưa báo cáo"}
            for b in p.behind]


def chart_rows(p: Progress) -> list[Row]:
    """Units per level and status, for a stacked bar chart."""
    return [{"Cấp": level_name(lp.level), **{STATUS_NAMES[s]: getattr(lp.tally, s)
                                             for s in STATUS_NAMES}} for lp in p.levels]


def schedule_rows(rows: tuple[ProposedRow, ...] | list[ProposedRow]) -> list[Row]:
    """The schedule with each row's citation (document, section, page)."""
    return [{"Cấp": level_name(r.level), "Thành phần": r.participants, "Thời gian": r.duration,
             "Hạn": f"{r.deadline:%d/%m/%Y}",
             "Nguồn": r.source + (f", {r.section}" if r.section else "")
             + (f", trang {r.page}" if r.page else "")} for r in rows]
