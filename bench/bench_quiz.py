"""Quiz generation time (20 items) and a 60-item sample for an independent rater.

Usage: python bench/bench_quiz.py [--seed S] [--sample]

Timing: passages of the shipped corpus read with the project's readers (no index, no
embedder). Reported: the first generation in this process (cold: underthesea's model load and
the analysis of every clause) and the median of 5 later runs with other seeds (warm: the
analysis is cached per clause). Target: 20 items in ≤ 2 s. Writes bench/out/quiz.md.

``--sample`` also writes bench/out/quiz-sample-<seeds>.md: 20 items on the shipped plan (seed
S) and 40 on a mixed library (the shipped corpus, tests/data/lookalike and tests/data/devlib:
20 on plan 985-KH/HNDT and 20 on the fictional Farmers' plan 72-KH/HNDT, each chosen from the
mixed library as a Hội Nông dân facilitator would, seeds S+1 and S+2), every item with its answer, source sentence and cited place, and a blank rating
column (usable as is / needs edit / unusable, reason) for the rater.
"""
from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.quiz.checks import problems, quiz_problems  # noqa: E402
from app.quiz.generate import generate_quiz  # noqa: E402
from app.quiz.items import TYPE_LABELS, QuizItem  # noqa: E402
from app.quiz.select import choose  # noqa: E402
from ingest.passages import make_passages  # noqa: E402
from ingest.readers import read_document  # noqa: E402


def read(folders: list[Path]) -> list:
    """Passages of every document file in ``folders`` (sorted by name)."""
    out = []
    for folder in folders:
        if not folder.is_dir():
            continue
        for f in sorted(folder.iterdir()):
            if f.is_file() and f.suffix.lower() in (".txt", ".docx", ".pdf"):
                out += make_passages(f.name, read_document(f, 50 * 2**20).blocks)[1]
    return out


def render(items: list[QuizItem], start: int = 1) -> list[str]:
    """Markdown lines for items: question, choices, answer, source, place, rating slot."""
    lines = []
    for k, item in enumerate(items, start):
        lines.append(f"{k}. **{TYPE_LABELS[item.type]}** — {item.question}")
        for j, c in enumerate(item.choices or ()):
            lines.append(f"   - {'ABCD'[j]}. {c}")
        if item.type == "open":
            lines += ["   - Đáp án (các ý):"] + [f"     - {p}" for p in item.answer_points or ()]
        else:
            ans = ("Đúng" if item.answer else "Sai") if item.type == "tf" else item.answer
            lines.append(f"   - Đáp án: {ans}")
        lines.append(f"   - Giải thích: {item.explanation}")
        c = item.citation
        lines.append(f"   - Nguồn: {c.get('doc_type') or ''} {c.get('doc_number') or ''} — "
                     f"{c.get('section') or 'phần mở đầu'} — {c.get('source')}")
        lines.append("   - Đánh giá: ☐ dùng ngay ☐ cần sửa ☐ không dùng được — lý do: ……")
    return lines


def timing(seed: int) -> list[str]:
    """Cold and warm generation times on the shipped corpus."""
    passages = read([ROOT / "corpus"])
    t0, c0 = time.perf_counter(), time.process_time()
    items = generate_quiz(passages, 20, seed=seed)
    cold, cold_cpu = time.perf_counter() - t0, time.process_time() - c0
    times = []
    for s in range(seed + 1, seed + 6):
        t0 = time.perf_counter()
        generate_quiz(passages, 20, seed=s)
        times.append(time.perf_counter() - t0)
    med = statistics.median(times)
    bad = [i for i in items if problems(i)]
    return ["# Quiz generation benchmark\n",
            f"- corpus: {len({p.source for p in passages})} file(s), {len(passages)} passages",
            f"- 20 items requested, {len(items)} made (no fact asked twice per quiz; the shipped "
            "plan holds 12-13)",
            f"- first run in the process (cold, includes underthesea model load): "
            f"{cold:.3f} s wall, {cold_cpu:.3f} s CPU (the gap is other load on the machine)",
            f"- warm: median {med:.3f} s of 5 seeds (min {min(times):.3f}, max "
            f"{max(times):.3f}); target ≤ 2 s: {'met' if med <= 2 else 'NOT met'}",
            f"- items failing an automatic check: {len(bad)}; quiz-level: "
            f"{quiz_problems(items) or 'none'}\n", f"## Sample ({len(items)} items)\n", *render(items)]


def sample(seed: int) -> Path:
    """Write the rating sample (three quizzes of up to 20 items); return its path."""
    shipped = read([ROOT / "corpus"])
    library = read([ROOT / "corpus", ROOT / "tests/data/lookalike", ROOT / "tests/data/devlib"])
    parts = [("Kế hoạch đi kèm (corpus/), mã đề", shipped, None, seed),
             ("Thư viện nhiều tổ chức, chọn Kế hoạch 985-KH/HNDT", library, ["985-KH/HNDT"],
              seed + 1),
             ("Thư viện nhiều tổ chức, chọn Kế hoạch 72-KH/HNDT (giả lập)", library,
              ["72-KH/HNDT"], seed + 2)]
    lines = ["# Mẫu câu hỏi để đánh giá độc lập (mỗi đề yêu cầu 20 câu)\n",
             f"Lệnh: `python bench/bench_quiz.py --seed {seed} --sample`\n",
             "Mỗi câu hỏi một ý riêng của văn bản (không hai câu cùng một nguồn, không câu tự "
             "luận nào có đáp án chứa đáp án của câu khác), nên một kế hoạch ngắn có thể cho ít "
             "hơn 20 câu.\n"]
    k = 1
    for title, passages, wanted, s in parts:
        families, chosen = choose(passages, wanted)
        items = generate_quiz(chosen, 20, seed=s, pool_from=passages)
        names = "; ".join(f.label for f in families)
        lines += [f"\n## {title} {s} — {names}\n",
                  f"(tạo được {len(items)}/20 câu; kiểm tra tự động: "
                  f"{sum(1 for i in items if problems(i))} câu lỗi; "
                  f"cả đề: {quiz_problems(items, passages) or 'không lỗi'})\n"]
        lines += render(items, k)
        k += len(items)
    out = ROOT / "bench" / "out" / f"quiz-sample-{seed}-{seed + 2}.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out


def main(seed: int = 0, with_sample: bool = False) -> None:
    """Measure, check every item, write the outputs."""
    lines = timing(seed)
    out = ROOT / "bench" / "out" / "quiz.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines[:6]))
    if with_sample:
        print(f"sample: {sample(seed)}")


if __name__ == "__main__":
    main(int(sys.argv[sys.argv.index("--seed") + 1]) if "--seed" in sys.argv else 0,
         "--sample" in sys.argv)
