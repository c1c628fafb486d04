"""``hoctap quiz``: study questions (mcq, cloze, tf, open) from the indexed documents."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from app.commands.export_option import export_path
from app.commands.files import check_writable, writing
from app.quiz.export import export
from app.quiz.generate import generate_quiz
from app.quiz.items import TYPE_LABELS, TYPES
from app.quiz.select import choose, load_passages
from ingest.errors import HoctapError, UsageError
from ingest.settings import Settings


def register(sub: argparse._SubParsersAction) -> None:
    """Add the subcommand and its options."""
    p = sub.add_parser("quiz", help="tạo câu hỏi ôn tập từ tài liệu")
    p.add_argument("--index", type=Path, help="thư mục chỉ mục (mặc định: index/)")
    p.add_argument("--n", type=int, default=10, help="số câu hỏi (mặc định 10)")
    p.add_argument("--types", default=",".join(TYPES),
                   help="loại câu: mcq,cloze,tf,open (mặc định: tất cả)")
    p.add_argument("--source", action="append",
                   help="tài liệu: số hiệu (985-KH/HNDT, 985), chữ trong tên hoặc tên tệp; "
                   "lặp lại để trộn nhiều tài liệu, \"tất cả\" cho mọi tài liệu (mặc định: "
                   "tài liệu có nhiều nội dung nhất)")
    p.add_argument("--section", help="chỉ dùng mục có tên chứa chuỗi này (gõ không dấu "
                   "cũng được)")
    p.add_argument("--seed", type=int, default=0, help="hạt giống ngẫu nhiên (mặc định 0)")
    p.add_argument("--json", action="store_true", help="in danh sách câu hỏi dạng JSON")
    p.add_argument("--export", type=export_path,
                   help="xuất đề và đáp án ra FILE.docx hoặc FILE.pdf")
    p.set_defaults(run=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Generate, then print (text or JSON) and optionally export."""
    if args.n < 1:
        raise UsageError(f"--n phải từ 1 trở lên (đã cho {args.n}).")
    types = [t.strip() for t in args.types.split(",") if t.strip()]
    bad = [t for t in types if t not in TYPES]
    if bad or not types:
        shown = ",".join(bad) or repr(args.types)
        raise UsageError(f"Loại câu hỏi không hợp lệ: {shown} (chọn trong: {','.join(TYPES)}).")
    if args.export:
        check_writable(args.export)  # before generating: a wrong folder fails first
    everything = load_passages(settings)
    families, chosen = choose(everything, args.source, args.section)
    if not chosen:
        raise HoctapError("Không có đoạn văn nào khớp --source/--section.")
    print("Tài liệu: " + "; ".join(f.label for f in families)
          + ("" if args.source else " (mặc định; chọn tài liệu khác bằng --source)"),
          file=sys.stderr)
    items = generate_quiz(chosen, args.n, types, args.seed, pool_from=everything)
    if 0 < len(items) < args.n:
        print(f"Chỉ tạo được {len(items)}/{args.n} câu: văn bản không đủ nội dung khác nhau "
              "(mỗi ý chỉ hỏi một lần).", file=sys.stderr)
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
        with writing(args.export):
            sheet, key = export(items, args.export)
        print(f"Đã xuất: {sheet} và {key}", file=sys.stderr)
    return 0
