"""``hoctap campaign``: propose the schedule of a study campaign from a plan of the library
(each row cited), confirm it (with the organiser's changes), show it."""
from __future__ import annotations

import argparse
import datetime as dt
import json
from dataclasses import asdict
from pathlib import Path

from app.tracking import access, campaign
from app.tracking.db import open_db
from app.tracking.errors import InvalidReport
from app.tracking.models import LEVEL_NAMES, LEVELS
from app.tracking.schedule import ProposedRow, pick, plans
from ingest.settings import Settings


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``campaign propose|confirm|show``."""
    p = sub.add_parser("campaign", help="đợt học tập: lịch theo cấp đề xuất từ kế hoạch")
    p.add_argument("--index", type=Path, help="thư mục chỉ mục (mặc định: index/)")
    actions = p.add_subparsers(dest="action", required=True, metavar="VIỆC")
    for name, text in (("propose", "đề xuất lịch từ kế hoạch (không lưu)"),
                       ("confirm", "lưu và xác nhận lịch (có thể sửa hạn)"),
                       ("show", "xem đợt học tập đang theo dõi")):
        a = actions.add_parser(name, help=text)
        a.add_argument("--json", action="store_true", help="in dạng JSON")
        if name != "show":
            a.add_argument("--source", help="kế hoạch: số hiệu (985-KH/HNDT) hoặc tên tệp")
        if name == "confirm":
            a.add_argument("--deadline", action="append", default=[], metavar="CẤP=NGÀY",
                           help="sửa hạn một cấp, ví dụ huyen=20/9/2020 (lặp lại được)")
            a.add_argument("--name", help="tên đợt học tập")
    p.set_defaults(run=run)


def _date(text: str) -> dt.date:
    try:
        d, m, y = (int(x) for x in text.split("/"))
        return dt.date(y, m, d)
    except ValueError as err:
        raise InvalidReport(f"Ngày \"{text}\" không hợp lệ (dạng ngày/tháng/năm).") from err


def _edits(rows: tuple[ProposedRow, ...], changes: list[str]) -> list[ProposedRow]:
    new = {r.level: r for r in rows}
    for change in changes:
        level, _, day = change.partition("=")
        if level not in LEVELS or level not in new:
            raise InvalidReport(f"Cấp \"{level}\" không có trong lịch ({', '.join(new)}).")
        new[level] = campaign.edit_row(new[level], deadline=_date(day))
    return [new[lv] for lv in LEVELS if lv in new]


def _print(title: str, rows: tuple[ProposedRow, ...] | list[ProposedRow], as_json: bool,
           extra: dict[str, object]) -> None:
    if as_json:
        print(json.dumps({**extra, "rows": [asdict(r) for r in rows]}, ensure_ascii=False,
                         default=str, indent=1))
        return
    print(title)
    for r in rows:
        where = f"{r.source}" + (f", {r.section}" if r.section else "") + \
            (f", trang {r.page}" if r.page else "")
        print(f"- {LEVEL_NAMES[r.level]}: hạn {r.deadline:%d/%m/%Y}, {r.duration}; "
              f"thành phần: {r.participants}\n  [{where}]")


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Carry out the chosen action; returns the exit code."""
    db = open_db(settings)
    try:
        if args.action == "show":
            c = campaign.get_campaign(db)
            _print(f"{c.name} ({c.period()}; "
                   f"{'đã xác nhận' if c.confirmed else 'chưa xác nhận'})", c.rows, args.json,
                   {"id": c.id, "name": c.name, "confirmed": c.confirmed})
            return 0
        from app.knowledge import KnowledgeBase

        kb = KnowledgeBase.open(settings)
        proposal = pick(plans(kb.passages, {s: r.meta for s, r in kb.records.items()}),
                        args.source)
        if args.action == "propose":
            _print(f"Lịch đề xuất từ {proposal.source} ({proposal.number or ''}):",
                   proposal.rows, args.json, {"source": proposal.source,
                                              "number": proposal.number})
            return 0
        rows = _edits(proposal.rows, args.deadline)
        cid = campaign.create_campaign(db, access.organiser_cli(), proposal, args.name, rows,
                                       confirm=True)
        _print(f"Đã xác nhận đợt học tập số {cid}:", rows, args.json, {"id": cid})
        return 0
    finally:
        db.dispose()
