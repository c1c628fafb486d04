"""Time to generate 20 quiz items for the shipped corpus (median of 5), and a sample.

Usage: python bench/bench_quiz.py [--seed S]. Passages come from make_passages over the shipped
corpus read with the project's readers (no index, no embedder). Writes bench/out/quiz.md.
"""
from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.quiz.checks import problems  # noqa: E402
from app.quiz.generate import generate_quiz  # noqa: E402
from app.quiz.items import TYPE_LABELS  # noqa: E402
from ingest.passages import make_passages  # noqa: E402
from ingest.readers import read_document  # noqa: E402


def main(seed: int = 0) -> None:
    """Measure, check every item, write the sample."""
    passages = []
    for f in sorted((ROOT / "corpus").iterdir()):
        if f.is_file() and not f.name.startswith("."):
            passages += make_passages(f.name, read_document(f, 50 * 2**20).blocks)[1]
    times = []
    for _ in range(5):
        t0 = time.perf_counter()
        items = generate_quiz(passages, 20, seed=seed)
        times.append(time.perf_counter() - t0)
    med = statistics.median(times)
    bad = [i for i in items if problems(i)]
    lines = ["# Quiz generation benchmark\n",
             f"- corpus: {len({p.source for p in passages})} file(s), {len(passages)} passages",
             f"- 20 items, seed {seed}: median {med:.3f} s of 5 (min {min(times):.3f}, "
             f"max {max(times):.3f}); target < 2 s",
             f"- items failing an automatic check: {len(bad)}\n", "## Sample (20 items)\n"]
    for k, item in enumerate(items, 1):
        lines.append(f"{k}. **{TYPE_LABELS[item.type]}** — {item.question}")
        for j, c in enumerate(item.choices or ()):
            lines.append(f"   - {'ABCD'[j]}. {c}")
        ans = item.answer if item.type != "open" else "; ".join(item.answer_points or ())
        lines.append(f"   - Đáp án: {ans}")
    out = ROOT / "bench" / "out" / "quiz.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines[:5]))


if __name__ == "__main__":
    main(int(sys.argv[sys.argv.index("--seed") + 1]) if "--seed" in sys.argv else 0)
