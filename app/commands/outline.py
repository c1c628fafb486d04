"""``hoctap outline``: a suggested dàn ý for the personal thu hoạch (never a finished essay)."""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from app.quiz.outline import ROLES, build_outline, outline_docx
from app.quiz.select import documents, load_passages, select
from ingest.errors import HoctapError
from ingest.settings import Settings


def register(sub: argparse._SubParsersAction) -> None:
    """Add the subcommand and its options."""
    p = sub.add_parser("outline", help="dàn ý gợi ý cho bài thu hoạch (thu hoạch outline)")
    p.add_argument("--index", type=Path, help="thư mục chỉ mục (default: index/)")
    p.add_argument("--source", help="tài liệu (default: tài liệu đầu tiên trong chỉ mục)")
    p.add_argument("--role", default="hoi-vien", choices=sorted(ROLES),
                   help="đối tượng: " + ", ".join(f"{k} ({v})" for k, v in ROLES.items()))
    p.add_argument("--json", action="store_true", help="in dàn ý dạng JSON")
    p.add_argument("--export", type=Path, help="xuất dàn ý ra FILE.docx")
    p.set_defaults(run=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Build, print and optionally export the outline."""
    passages = load_passages(settings)
    docs = documents(select(passages, [args.source] if args.source else None))
    if not docs:
        raise HoctapError("Không tìm thấy tài liệu (no matching document)")
    source = next(iter(docs))
    outline = build_outline([p for p in passages if p.source == source], args.role)
    if args.json:
        print(json.dumps(outline.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(f"Dàn ý thu hoạch — {outline.document} — {outline.role}\n{outline.note}\n")
        print("1. Những nội dung chính")
        for section, points in outline.contents:
            print(f"  {section}")
            for pt in points:
                print(f"    - «{pt.text}»")
        print("2. Liên hệ thực tế (tự trả lời)")
        for q in outline.questions:
            print(f"    - {q}")
        print("3. Trách nhiệm của cấp mình")
        for pt in outline.tasks:
            print(f"    - «{pt.text}»")
        print("    Cam kết của bản thân: ……")
    if args.export:
        if args.export.suffix.lower() != ".docx":
            raise HoctapError("Dàn ý chỉ xuất ra .docx (outline exports to .docx)")
        outline_docx(outline, args.export)
    return 0
