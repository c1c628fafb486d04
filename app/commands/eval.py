"""``hoctap eval``: score answers on a development set (hit@1, hit@3, accuracy, refusals)."""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from ingest.settings import Settings

DEFAULT_DEVSET = Path(__file__).resolve().parents[2] / "tests" / "data" / "devset.json"


def register(sub: argparse._SubParsersAction) -> None:
    """Add the subcommand and its options."""
    p = sub.add_parser("eval", help="đánh giá hỏi đáp trên bộ câu hỏi (evaluate on a dev set)")
    p.add_argument("--index", type=Path, help="thư mục chỉ mục (default: index/)")
    p.add_argument("--devset", type=Path, default=DEFAULT_DEVSET, help="tệp câu hỏi JSON")
    p.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    p.add_argument("--failures", action="store_true", help="in các câu trả lời sai")
    p.set_defaults(run=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Run the dev set through the engine and print the metrics."""
    from app.answer import answer_question
    from app.answer.evaluate import evaluate, format_report, load_devset
    from app.knowledge import KnowledgeBase

    kb = KnowledgeBase.open(settings)
    report = evaluate(lambda q: answer_question(kb, q), load_devset(args.devset))
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
        return 0
    print(format_report(report))
    if args.failures:
        for f in report.failures:
            print(json.dumps(f, ensure_ascii=False))
    return 0
