"""``hoctap ingest``: index every supported file of the corpus, incrementally."""
from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

from app.answer.reader import calm_openmp
from ingest.embed.load import load_embedder
from ingest.pipeline import IngestReport, check_corpus, ingest
from ingest.settings import Settings

_LABELS = {"added": "thêm mới", "updated": "cập nhật", "unchanged": "không đổi",
           "removed": "đã xóa"}


def register(sub: argparse._SubParsersAction) -> None:
    """Add the subcommand and its options."""
    p = sub.add_parser("ingest", help="nạp tài liệu trong corpus/ vào chỉ mục")
    p.add_argument("--corpus", type=Path, help="thư mục tài liệu (mặc định: corpus/)")
    p.add_argument("--index", type=Path, help="thư mục chỉ mục (mặc định: index/)")
    p.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    p.add_argument("--rebuild", action="store_true",
                   help="tạo lại toàn bộ chỉ mục (chỉ mục cũ vẫn dùng được đến khi xong)")
    p.add_argument("--allow-empty", action="store_true",
                   help="cho phép xóa hết tài liệu khỏi chỉ mục khi thư mục tài liệu trống")
    p.add_argument("--progress", action="store_true",
                   help="luôn hiện thanh tiến độ (stderr), kể cả khi không phải terminal")
    p.set_defaults(run=run)


def _progress_bar() -> Callable[[int, str], Callable[[int], None]]:
    from tqdm import tqdm

    def factory(total: int, label: str) -> Callable[[int], None]:
        bar = tqdm(total=total, desc=f"Nhúng {label}"[:60], unit=" đoạn", file=sys.stderr,
                   leave=False, bar_format="{desc}: {percentage:3.0f}%|{bar}| {n_fmt}/{total_fmt}"
                   " đoạn [{rate_fmt}, còn {remaining}]")
        def advance(n: int) -> None:
            bar.update(n)
            if bar.n >= total:
                bar.close()
        return advance

    return factory


def print_report(report: IngestReport) -> None:
    """One line per file, then a summary (Vietnamese)."""
    for key, label in _LABELS.items():
        for source in getattr(report, key):
            print(f"{label:>10}  {source}")
    for fail in report.failed:
        print(f"{'lỗi':>10}  {fail['file']}: {fail['reason']}")
    print(
        f"Xong: {report.documents} tài liệu, {report.chunks} đoạn trong chỉ mục; "
        f"{len(report.added)} thêm, {len(report.updated)} cập nhật, "
        f"{len(report.unchanged)} không đổi, {len(report.removed)} xóa, "
        f"{len(report.failed)} lỗi ({report.seconds:.1f} s)."
    )


def _warm_keyword_index(settings: Settings) -> None:
    """Build (or load) the BM25 index of the new generation now, so the first question after
    an ingest does not pay for it (cold-start target of ``hoctap ask``)."""
    from app.knowledge import KnowledgeBase

    KnowledgeBase.open(settings).bm25  # noqa: B018 - built and saved on first access


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Ingest, print the report; exit 1 when any file failed (domain errors — missing corpus
    2, another ingest running 3 — are translated by ``app.cli``)."""
    wanted = args.progress or (not args.json and sys.stderr.isatty())
    progress = _progress_bar() if wanted else None  # on stderr: stdout stays the report
    check_corpus(Path(settings.corpus_dir))  # before the model loads: a typo fails at once
    calm_openmp()  # before torch loads (with the embedder)
    embedder = load_embedder(settings, purpose="passages")
    report = ingest(settings, embedder, rebuild=args.rebuild, progress=progress,
                    allow_empty=args.allow_empty)
    if report.documents:
        _warm_keyword_index(settings)
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        print_report(report)
    return 1 if report.failed else 0
