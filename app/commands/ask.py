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
    p.add_argument("--explain", action="store_true",
                   help="in lý do chọn câu trả lời: điểm của các đoạn ứng viên "
                        "(fused, BM25, dense)")
    p.add_argument("--after", action="append", default=[], metavar="CÂU_HỎI",
                   help="câu hỏi trước đó trong cuộc hội thoại, có thể lặp lại "
                        "(an earlier question: the question is read as a follow-up)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Print the answer and its sources; exit 0 whether or not the documents answer it."""
    from app.answer import answer_question
    from app.answer.followup import understand_after
    from app.knowledge import KnowledgeBase

    kb = KnowledgeBase.open(settings)
    understood = understand_after(kb, args.after, args.question)
    answer = answer_question(kb, understood.text, k=max(1, args.k))
    if args.json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
        return 0
    if understood.rewritten:
        print(f"Hiểu là: {understood.text}")
    print(answer.answer)
    if answer.note and answer.mode != "extractive":
        print(f"({answer.note})")
    if answer.citations:
        print("\nGợi ý (đoạn gần nhất):" if answer.suggestions else "\nNguồn:")
    for c in answer.citations:
        where = " · ".join(x for x in (c.source, c.section, f"trang {c.page}" if c.page else None) if x)
        print(f"[{c.n}] {where}")
        print("    " + c.text.replace("\n", "\n    "))
    if getattr(args, "explain", False):
        print("\nVì sao (các đoạn ứng viên; fused = điểm xếp hạng cuối, BM25, dense = cosine):")
        for rank, hit in enumerate(kb.search(understood.text, k=8), 1):
            p = hit.passage
            print(f"  {rank}. fused {hit.score:.4f} · BM25 {hit.lexical:.2f} · dense "
                  f"{hit.dense:.3f} · {p.source} · {p.section or 'phần mở đầu'}")
    return 0
