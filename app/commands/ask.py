"""``hoctap ask``: answer a question from the indexed documents, with numbered sources."""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from ingest.settings import Settings


def register(sub: argparse._SubParsersAction) -> None:
    """Add the subcommand and its options."""
    p = sub.add_parser("ask", help="hỏi đáp dựa trên tài liệu, có trích dẫn (ask a question)")
    p.add_argument("question", help="câu hỏi (question)")
    p.add_argument("--index", type=Path, help="thư mục chỉ mục (default: index/)")
    p.add_argument("--k", type=int, default=5, help="số đoạn trích tối đa (max sources)")
    p.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    p.set_defaults(run=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Print the answer and its sources; exit 0 whether or not the documents answer it."""
    from app.answer import answer_question
    from app.knowledge import KnowledgeBase

    answer = answer_question(KnowledgeBase.open(settings), args.question, k=max(1, args.k))
    if args.json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
        return 0
    print(answer.answer)
    if answer.note and answer.mode != "extractive":
        print(f"({answer.note})")
    if answer.citations:
        print("\nGợi ý (đoạn gần nhất):" if answer.suggestions else "\nNguồn:")
    for c in answer.citations:
        where = " · ".join(x for x in (c.source, c.section, f"trang {c.page}" if c.page else None) if x)
        print(f"[{c.n}] {where}")
        print("    " + c.text.replace("\n", "\n    "))
    return 0
