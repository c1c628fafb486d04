"""Plain rows (Vietnamese column names) for the page's tables and charts: the page only shows
them, so what it shows is tested here."""
from __future__ import annotations

from app.tracking.progress import STATUS_NAMES, Progress, Tally, level_name, percent
from app.tracking.schedule import ProposedRow

Row = dict[str, object]
# The progress chart's colour of each status, named so that no status takes its colour from
# the order of a default palette: Okabe–Ito hues that readers with a colour-vision deficiency
# tell apart (blue on time, orange late, vermillion overdue) and grey for not yet due.
STATUS_COLOURS = {"on_time": "#0072B2", "late": "#E69F00", "overdue": "#D55E00",
                  "pending": "#BBBBBB"}


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


def chart_spec() -> dict[str, object]:
    """The Vega-Lite spec of the chart of ``chart_rows``: a bar per level, top to bottom in the
    rows' order, its units stacked by status. Each status has its colour in an explicit scale
    (``STATUS_COLOURS``), stacked and listed in the order of ``STATUS_NAMES``. The legend is one
    column: a row of four was cut off at phone width."""
    names = [STATUS_NAMES[s] for s in STATUS_COLOURS]
    return {
        "transform": [{"fold": names, "as": ["Tình trạng", "Số đơn vị"]},
                      {"calculate": f"indexof({names!r}, datum['Tình trạng'])", "as": "Thứ tự"}],
        "mark": {"type": "bar"},
        "height": {"step": 34},
        "encoding": {
            "y": {"field": "Cấp", "type": "nominal", "sort": None, "title": None,
                  "axis": {"labelLimit": 200}},
            "x": {"field": "Số đơn vị", "type": "quantitative", "stack": "zero",
                  "title": "Số đơn vị", "axis": {"tickMinStep": 1}},
            "color": {"field": "Tình trạng", "type": "nominal",
                      "scale": {"domain": names, "range": list(STATUS_COLOURS.values())},
                      "legend": {"orient": "bottom", "direction": "vertical", "title": None}},
            "order": {"field": "Thứ tự", "type": "quantitative"},
            "tooltip": [{"field": "Cấp", "type": "nominal"},
                        {"field": "Tình trạng", "type": "nominal"},
                        {"field": "Số đơn vị", "type": "quantitative"}],
        },
    }


def schedule_rows(rows: tuple[ProposedRow, ...] | list[ProposedRow]) -> list[Row]:
    """The schedule with each row's citation (document, section, page)."""
    return [{"Cấp": level_name(r.level), "Thành phần": r.participants, "Thời gian": r.duration,
             "Hạn": f"{r.deadline:%d/%m/%Y}",
             "Nguồn": r.source + (f", {r.section}" if r.section else "")
             + (f", trang {r.page}" if r.page else "")} for r in rows]
