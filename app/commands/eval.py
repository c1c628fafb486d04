"""``hoctap eval``: the tuning set and the held-out set side by side (hit@1, hit@3, answer
accuracy, false refusals, false answers, median citation), per document, kind, group, library.

Each question runs against its own library (``tests/data/libraries.json``), indexed by the
harness in a cache folder and reused while unchanged. ``--heldout`` runs only the held-out set,
``--tuning`` only the tuning set; ``--also FILE …`` adds later held-out batches, each reported
as its own set; ``--index DIR`` runs the tuning set against an existing index instead (the
behaviour before libraries).
"""
from __future__ import annotations

import argparse
import json
from dataclasses import replace
from pathlib import Path

from ingest.settings import Settings

_DATA = Path(__file__).resolve().parents[2] / "tests" / "data"
DEFAULT_DEVSET = _DATA / "devset.json"
DEFAULT_HELDOUT = _DATA / "heldout.json"


def register(sub: argparse._SubParsersAction) -> None:
    """Add the subcommand and its options."""
    p = sub.add_parser("eval", help="đánh giá hỏi đáp: bộ điều chỉnh và bộ kiểm tra riêng")
    which = p.add_mutually_exclusive_group()
    which.add_argument("--heldout", action="store_true", help="chỉ chạy bộ kiểm tra riêng")
    which.add_argument("--tuning", action="store_true", help="chỉ chạy bộ điều chỉnh (devset)")
    p.add_argument("--devset", type=Path, default=DEFAULT_DEVSET, help="tệp câu hỏi điều chỉnh")
    p.add_argument("--heldout-file", type=Path, default=DEFAULT_HELDOUT,
                   help="tệp câu hỏi kiểm tra riêng")
    p.add_argument("--also", type=Path, nargs="+", action="extend", default=[], metavar="FILE",
                   help="thêm các bộ kiểm tra riêng khác, mỗi tệp một cột mang tên tệp; "
                        "lặp lại được")
    p.add_argument("--index", type=Path,
                   help="chạy bộ điều chỉnh trên chỉ mục này thay vì các thư viện")
    p.add_argument("--embed-model", help="'hash' (thử nghiệm) hoặc thư mục mô hình; mặc định e5")
    p.add_argument("--cache", type=Path,
                   help="thư mục lưu chỉ mục các thư viện (mặc định ~/.cache/hoctap/eval)")
    p.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    p.add_argument("--failures", action="store_true", help="in các câu trả lời sai")
    p.set_defaults(run=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Run the chosen sets through the engine and print the metrics side by side."""
    from app.answer.reader import calm_openmp, many_questions

    calm_openmp()  # before anything loads torch
    from app.answer import answer_question
    from app.answer.evaluate import (
        EvalReport,
        evaluate,
        evaluate_sets,
        format_side_by_side,
        load_devset,
    )
    from app.knowledge import KnowledgeBase

    if args.embed_model:
        settings = replace(settings, embed_model=args.embed_model)
    settings = replace(settings, reader_backend=many_questions(settings.reader_backend))
    reports: dict[str, EvalReport] = {}
    sets = {}
    if not args.heldout:
        sets["tuning"] = load_devset(args.devset)
    if not args.tuning:
        sets["heldout"] = load_devset(args.heldout_file)
    for path in args.also:
        sets[path.stem] = load_devset(path)
    if args.index is not None and "tuning" in sets:
        kb = KnowledgeBase.open(settings)
        reports["tuning"] = evaluate(lambda q: answer_question(kb, q), sets.pop("tuning"))
    reports |= evaluate_sets(sets, settings, args.cache)
    order = ("tuning", "heldout", *(path.stem for path in args.also))
    reports = {k: reports[k] for k in order if k in reports}
    if args.json:
        print(json.dumps({k: r.to_dict() for k, r in reports.items()}, ensure_ascii=False,
                         indent=2))
        return 0
    print(format_side_by_side(reports))
    if args.failures:
        for label, r in reports.items():
            for f in r.failures:
                print(json.dumps({"set": label, **f}, ensure_ascii=False))
    return 0
