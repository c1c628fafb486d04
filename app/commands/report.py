"""``hoctap report``: progress of a unit and its subtree against the schedule, and the results
report "Báo cáo kết quả nghiên cứu, học tập, quán triệt …" as DOCX or XLSX."""
from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from pathlib import Path

from app.commands.campaign import _date
from app.commands.files import check_writable, writing
from app.tracking import campaign, export, units
from app.tracking.db import open_db
from app.tracking.errors import InvalidReport
from app.tracking.models import vietnam_today
from app.tracking.progress import STATUS_NAMES, Progress, level_name, percent, progress
from ingest.settings import Settings


def register(sub: argparse._SubParsersAction) -> None:
    """Add the subcommand and its options."""
    p = sub.add_parser("report", help="tiến độ học tập và báo cáo kết quả (DOCX/XLSX)")
    p.add_argument("--index", type=Path, help="thư mục chỉ mục, nơi có tracking.sqlite")
    p.add_argument("--unit", help="mã đơn vị (mặc định: cả tỉnh)")
    p.add_argument("--as-of", dest="as_of", help="tính đến ngày (ngày/tháng/năm; mặc định hôm nay)")
    p.add_argument("--export", type=Path, help="xuất báo cáo ra FILE.docx hoặc FILE.xlsx")
    p.add_argument("--number", default="Số:      /BC-", help="số báo cáo, ví dụ \"Số: 12/BC-HNDT\"")
    p.add_argument("--json", action="store_true", help="in số liệu dạng JSON")
    p.set_defaults(run=run)


def _figures(p: Progress) -> dict[str, object]:
    def tally(t: object) -> dict[str, object]:
        return {**asdict(t), "participants": t.participants,  # type: ignore[call-overload,attr-defined]
                "thu_hoach_rate": t.thu_hoach_rate}  # type: ignore[attr-defined]

    return {"as_of": p.as_of.isoformat(), "unit": p.root_code, "name": p.root_name,
            "status": p.root_status, "total": tally(p.total),
            "levels": [{"level": lp.level, "deadline": lp.deadline and lp.deadline.isoformat(),
                        **tally(lp.tally)} for lp in p.levels],
            "children": [{"code": c.code, "name": c.name, "status": c.status, **tally(c.tally)}
                         for c in p.children],
            "behind": [{"code": b.code, "name": b.name, "status": b.status} for b in p.behind],
            "behind_total": p.behind_total}


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Print the progress, or write the results report; returns the exit code."""
    if args.export and args.export.suffix.lower() not in (".docx", ".xlsx"):
        raise InvalidReport(f"Chỉ xuất được .docx hoặc .xlsx (đã cho {args.export.name}).")
    if args.export:
        check_writable(args.export)
    as_of = _date(args.as_of) if args.as_of else vietnam_today()
    db = open_db(settings)
    try:
        c = campaign.get_campaign(db)
        p = progress(db, c, as_of, args.unit, behind_limit=10_000)
        org = units.get_unit(db, p.root_code).name if p.root_code else c.place
    finally:
        db.dispose()
    if args.export:
        header = export.ReportHeader(org, args.number, c.place, as_of)
        write = export.to_docx if args.export.suffix.lower() == ".docx" else export.to_xlsx
        data = write(c, p, header)
        with writing(args.export):
            args.export.write_bytes(data)
    if args.json:
        print(json.dumps({**_figures(p), "export": str(args.export) if args.export else None},
                         ensure_ascii=False, indent=1))
        return 0
    print(f"{p.root_name}: tiến độ tính đến {as_of:%d/%m/%Y}")
    for lp in p.levels:
        t = lp.tally
        due = f"hạn {lp.deadline:%d/%m/%Y}" if lp.deadline else "chưa có hạn"
        print(f"- {level_name(lp.level)} ({due}): {t.units} đơn vị, "
              f"đúng hạn {t.on_time}, trễ {t.late}, quá hạn {t.overdue}, chưa đến hạn "
              f"{t.pending}; {t.participants} người tham gia; thu hoạch "
              f"{percent(t.thu_hoach_rate)}")
    for b in p.behind[:20]:
        print(f"  ! {b.code} {b.name}: {STATUS_NAMES[b.status].lower()}")
    if p.behind_total > 20:
        print(f"  … và {p.behind_total - 20} đơn vị chậm khác")
    if args.export:
        print(f"Đã ghi {args.export}")
    return 0
