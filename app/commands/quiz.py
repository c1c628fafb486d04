"""``hoctap quiz``: study questions (mcq, cloze, tf, open) from the indexed documents."""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from app.quiz.export import export
from app.quiz.generate import generate_quiz
from app.quiz.items import TYPE_LABELS, TYPES
from app.quiz.select import load_passages, select
from ingest.errors import HoctapError
from ingest.settings import Settings


def register(sub: argparse._SubParsersAction) -> None:
    """Add the subcommand and its options."""
    p = sub.add_parser("quiz", help="tạo câu hỏi ôn tập từ tài liệu (make study questions)")
    p.add_argument("--index", type=Path, help="thư mục chỉ mục (default: index/)")
    p.add_argument("--n", type=int, default=10, help="số câu hỏi (default 10)")
    p.add_argument("--types", default=",".join(TYPES),
                   help="loại câu: mcq,cloze,tf,open (default: tất cả)")
    p.add_argument("--source", action="append", help="chỉ dùng tài liệu này (lặp lại được)")
    p.add_argument("--section", help="chỉ dùng mục có tên chứa chuỗi này")
    p.add_argument("--seed", type=int, default=0, help="hạt giống ngẫu nhiên (default 0)")
    p.add_argument("--json", action="store_true", help="in danh sách câu hỏi dạng JSON")
    p.add_argument("--export", type=Path, help="xuất đề và đáp án ra FILE.docx hoặc FILE.pdf")
    p.set_defaults(run=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Generate, then print (text or JSON) and optionally export."""
    types = [t.strip() for t in args.types.split(",") if t.strip()]
    bad = [t for t in types if t not in TYPES]
    if bad or not types or args.n < 1:
        raise HoctapError(f"Loại câu hỏi không hợp lệ: {bad or args.types} (choose from "
                          f"{','.join(TYPES)}; --n ≥ 1)")
    everything = load_passages(settings)
    chosen = select(everything, args.source, args.section)
    if not chosen:
        raise HoctapError("Không có đoạn văn nào khớp --source/--section "
                          "(no passages match --source/--section)")
    items = generate_quiz(chosen, args.n, types, args.seed, pool_from=everything)
    if args.json:
        print(json.dumps([i.to_dict() for i in items], ensure_ascii=False, indent=2))
    else:
        for k, item in enumerate(items, 1):
            print(f"Câu {k} ({TYPE_LABELS[item.type]}): {item.question}")
            for j, c in enumerate(item.choices or ()):
                print(f"   {'ABCD'[j]}. {c}")
        if not items:
            print("Tài liệu chưa đủ nội dung để tạo câu hỏi.")
    if args.export:
        sheet, key = export(items, args.export)
        print(f"Đã xuất: {sheet} và {key}", file=__import__("sys").stderr)
    return 0
