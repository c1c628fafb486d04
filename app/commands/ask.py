"""``hoctap ask``: answer a question from the indexed documents, with numbered sources."""
from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING

from ingest.errors import UsageError
from ingest.settings import Settings

if TYPE_CHECKING:
    from app.knowledge import KnowledgeBase


def register(sub: argparse._SubParsersAction) -> None:
    """Add the subcommand and its options."""
    p = sub.add_parser("ask", help="hỏi đáp dựa trên tài liệu, có trích dẫn")
    p.add_argument("question", help="câu hỏi")
    p.add_argument("--index", type=Path, help="thư mục chỉ mục (mặc định: index/)")
    p.add_argument("--k", type=int, default=5, help="số đoạn trích tối đa (mặc định 5)")
    p.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    p.add_argument("--explain", action="store_true",
                   help="in lý do chọn câu trả lời: xác suất và các đặc trưng của các "
                        "đoạn ứng viên")
    p.add_argument("--after", action="append", default=[], metavar="CÂU_HỎI",
                   help="câu hỏi trước đó trong cuộc hội thoại, có thể lặp lại (câu hỏi "
                        "được hiểu là câu hỏi nối tiếp)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Print the answer and its sources; exit 0 whether or not the documents answer it (an
    empty question is a usage error, exit 2)."""
    if not args.question.strip():
        raise UsageError("Hãy nhập câu hỏi.")
    from app.answer import answer_question
    from app.answer.followup import understand_after
    from app.knowledge import KnowledgeBase

    kb = KnowledgeBase.open(settings)
    understood = understand_after(kb, args.after, args.question)
    answer = answer_question(kb, understood.text, k=max(1, args.k))
    if args.json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
        return 0
    if understood.rewritten or answer.read_as:  # read_as: understood.text, accents restored
        print(f"Hiểu là: {answer.read_as or understood.text}")
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
        print(explain(kb, understood.text))
    return 0


def explain(kb: KnowledgeBase, question: str, top_features: int = 6) -> str:
    """Why the answer was chosen: each candidate passage with the verifier's probability that
    it answers, its scores and the features that weighed most (feature = value → share of the
    log-odds)."""
    from app.answer.extractive import (
        active_model,
        analyse_candidates,
        decide,
        likely_refusal,
        reader_for,
    )
    from app.answer.verify import READER

    a = analyse_candidates(kb, question)
    bar = kb.settings.answer_threshold
    read = reader_for(kb, a.embedder)
    best, scored = decide(a, threshold=bar, read=read)
    model = active_model(a, read)
    threshold = f"{bar if bar is not None else model.threshold:.2f}" if model else "?"
    suggest = f"; ngưỡng gợi ý {model.suggest:.2f}" if model and model.suggest is not None else ""
    lines = [f"\nVì sao (ngưỡng trả lời {threshold}{suggest}; "
             "xác suất đoạn trả lời được câu hỏi):"]
    if a.info.text != a.asked:  # accents restored, abbreviations spelled out
        lines.insert(0, f"\nCâu hỏi được đọc là: {a.info.text}")
    for c in scored:  # the most probable first
        p = c.hit.passage
        mark = "→" if best is not None and c.rank == best.rank else " "
        lines.append(f" {mark} #{c.rank + 1} p={c.probability:.2f} · fused {c.hit.score:.4f} · "
                     f"BM25 {c.hit.lexical:.2f} · dense {c.hit.dense:.3f} · {p.source} · "
                     f"{p.section or 'phần mở đầu'}")
        lines.append(f"      câu: {c.sentence[:120]}")
        if model:
            unread = model.reads and READER not in c.features
            stage = model.first if unread and model.first is not None else model
            parts = [f"{n}={c.features[n]:.2f}→{w:+.2f}"
                     for n, w in stage.contributions(c.features)[:top_features]]
            lines.append("      " + ("(bộ đọc không đọc đoạn này; tầng đầu) " if unread else "")
                         + ", ".join(parts))
    if best is None:
        lines.append("  Không đoạn nào đạt ngưỡng: từ chối trả lời"
                     + (", đoạn đầu tiên đạt ngưỡng gợi ý (có thể chứa câu trả lời)."
                        if likely_refusal(model, scored) else "."))
    return "\n".join(lines)
