"""``hoctap outline``: a suggested dàn ý for the personal thu hoạch (never a finished essay)."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from app.commands.export_option import export_path
from app.commands.files import check_writable, writing
from app.quiz.family import pick_family
from app.quiz.outline import Outline, build_outline
from app.quiz.outline_export import PART_1, PART_2, PART_3, export_outline
from app.quiz.outline_roles import ROLE_LIST, UnknownRole, parse_role, role_choices
from app.quiz.select import load_passages
from ingest.settings import Settings


def _role(value: str) -> str:
    """``argparse`` type: a role name (Vietnamese, accents optional) → its key."""
    try:
        return parse_role(value).key
    except UnknownRole as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def register(sub: argparse._SubParsersAction) -> None:
    """Add the subcommand and its options."""
    p = sub.add_parser("outline", help="dàn ý gợi ý cho bài thu hoạch")
    p.add_argument("--index", type=Path, help="thư mục chỉ mục (mặc định: index/)")
    p.add_argument("--source", help="tài liệu: số hiệu (985-KH/HNDT), tên hoặc tên tệp "
                   "(mặc định: kế hoạch lớn nhất trong thư viện)")
    p.add_argument("--role", default=ROLE_LIST[0].key, type=_role,
                   help=f"đối tượng, có dấu hoặc không dấu: {role_choices()}")
    p.add_argument("--json", action="store_true", help="in dàn ý dạng JSON")
    p.add_argument("--export", type=export_path, help="xuất dàn ý ra FILE.docx hoặc FILE.pdf")
    p.set_defaults(run=run)


def _print(outline: Outline) -> None:
    """The outline as plain text on stdout."""
    print(f"Dàn ý thu hoạch — {outline.document} — {outline.role}\n{outline.note}")
    for note in outline.notes:
        print(f"Lưu ý: {note}")
    print(f"\n{PART_1}")
    for section, points in outline.contents:
        print(f"  {section}")
        for pt in points:
            print(f"    - {pt.text} [{pt.where}]")
    print(f"{PART_2} (tự trả lời)")
    for q in (*outline.new_points, *outline.questions):
        print(f"    - {q}")
    print(PART_3)
    for pt in outline.tasks:
        print(f"    - «{pt.text}» [{pt.where}]")
    if outline.shared_tasks:
        print("  Nhiệm vụ chung có liên quan:")
        for pt in outline.shared_tasks:
            print(f"    - «{pt.text}» [{pt.where}]")
    print("    Cam kết của bản thân: ……")


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Build the outline of one document family, print it and optionally export it."""
    if args.export:
        check_writable(args.export)  # before building: a wrong folder fails first
    passages = load_passages(settings)
    family = pick_family(passages, args.source)
    print(f"Tài liệu: {family.label}" + ("" if args.source else
          " (mặc định; chọn tài liệu khác bằng --source)"), file=sys.stderr)
    outline = build_outline(family.passages(passages), args.role, library=passages)
    if args.json:
        print(json.dumps(outline.to_dict(), ensure_ascii=False, indent=2))
    else:
        _print(outline)
    if args.export:
        with writing(args.export):
            export_outline(outline, args.export)
        print(f"Đã xuất: {args.export}", file=sys.stderr)
    return 0
