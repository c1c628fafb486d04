"""Quiz generation time (20 items) and a 60-item sample for an independent rater.

Usage: python bench/bench_quiz.py [--seed S] [--sample] [--counts] [--balance] [--phrases]
       [--dump FILE.json | --judge FILE.json]

Timing: passages of the shipped corpus read with the project's readers (no index, no
embedder). Reported: the first generation in this process (cold: underthesea's model load and
the analysis of every clause) and the median of 5 later runs with other seeds (warm: the
analysis is cached per clause). Target: 20 items in ≤ 2 s. Writes bench/out/quiz.md.

``--sample`` also writes bench/out/quiz-sample-<seeds>.md: 20 items on the shipped plan (seed
S) and 40 on a mixed library (the shipped corpus, tests/data/lookalike and tests/data/devlib:
20 on plan 985-KH/HNDT and 20 on the fictional Farmers' plan 72-KH/HNDT, each chosen from the
mixed library as a Hội Nông dân facilitator would, seeds S+1 and S+2), every item with its answer, source sentence and cited place, and a blank rating
column (usable as is / needs edit / unusable, reason) for the rater.

``--counts`` prints, for seeds S..S+9, how many items a 20-item request gives (by type) on the
shipped plan and on 72-KH/HNDT chosen from the mixed library, and how many fail a check;
then, per plan, the kinds of the multiple-choice and fill-in answers over those seeds and the
share of dates, lengths of time and numbers among them.

``--phrases`` prints, for the shipped plan, every noun phrase underthesea finds in its clauses
and the first filter of the generator that refuses it as an answer (or ``askable``): why
substantive terms (documents, actions, purposes) rarely become items.

``--balance`` prints, over the same quizzes, the rank of the right option among the values of
ordered multiple-choice items and its position, the largest share of one asked kind of
value and of essays in a quiz, and how many of those items offer two values too close
(dates under 5 days apart, numbers under a tenth apart) with the smallest date gaps. ``--dump`` writes the quizzes of those seeds as JSON;
``--judge`` reads such a file (made by any version, e.g. a ``git archive`` copy) and reports
this version's quiz-level problems and essay-key figures for it.
"""
from __future__ import annotations

import json
import re
import statistics
import sys
import time
from collections import Counter
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.quiz.checks import kind_of, problems, quiz_problems  # noqa: E402
from app.quiz.generate import generate_quiz  # noqa: E402
from app.quiz.items import TYPE_LABELS, QuizItem  # noqa: E402
from app.quiz.select import choose  # noqa: E402
from app.quiz.terms import key_terms  # noqa: E402
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
            f"- 20 items requested, {len(items)} made (one item per source sentence and per "
            "answer value, no answer printed in another item, essays ≤ 20% and one asked kind ≤ 40% of the items made: the short shipped plan holds 7-8)",
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
             "Mỗi câu hỏi một ý riêng của văn bản (không hai câu hỏi từ cùng một câu văn, không "
             "hai đáp án cùng một giá trị, không câu tự luận nào có đáp án chứa đáp án của câu "
             "khác), nên một kế hoạch ngắn có thể cho ít hơn 20 câu.\n"]
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


def counts(seed: int) -> list[str]:
    """Items made per seed (by type) and items failing a check, over ten seeds."""
    shipped = read([ROOT / "corpus"])
    library = read([ROOT / "corpus", ROOT / "tests/data/lookalike", ROOT / "tests/data/devlib"])
    lines = []
    for name, passages, wanted in (("985-KH/HNDT (corpus)", shipped, None),
                                   ("72-KH/HNDT (mixed library)", library, ["72-KH/HNDT"])):
        _, chosen = choose(passages, wanted)
        kinds: Counter[str] = Counter()
        for s in range(seed, seed + 10):
            items = generate_quiz(chosen, 20, seed=s, pool_from=passages)
            by_type = {t: sum(1 for i in items if i.type == t) for t in TYPE_LABELS}
            bad = sum(1 for i in items if problems(i))
            kinds.update(kind_of(str(i.answer)) for i in items if i.type in ("mcq", "cloze"))
            lines.append(f"{name} seed {s}: {len(items)} items {by_type}; failing a check: "
                         f"{bad}; quiz-level: {quiz_problems(items, passages) or 'none'}")
        numeric = sum(kinds[k] for k in ("date", "duration", "number"))
        lines.append(f"{name} MC+fill-in answer kinds: {dict(sorted(kinds.items()))}; dates, "
                     f"durations, numbers: {numeric}/{sum(kinds.values())}")
    return lines


def phrase_refusals() -> list[str]:
    """Each noun phrase of the shipped plan's clauses with the first filter refusing it."""
    from app.quiz.generate import _askable, _family_context, clause_facts
    from app.quiz.stems import circular, clauses
    from app.quiz.terms import noun_phrases

    shipped = read([ROOT / "corpus"])
    body = [p for p in shipped if p.kind == "body"]
    fam = _family_context(body, shipped, set())
    why: Counter[str] = Counter()
    lines = []
    for p in body:
        for cl in clauses(p):
            terms = {(t.start, t.end) for t in key_terms(cl.text, set(fam.stock))}
            facts = clause_facts(cl, fam) if not circular(cl.text) else []
            kept = {(f.start, f.end) for f in facts}
            asked = {(f.start, f.end) for f, _ in _askable(cl, facts, fam)}
            for s, e in noun_phrases(cl.text):
                reason = ("askable" if (s, e) in asked else
                          "outweighed in its clause (_askable)" if (s, e) in kept else
                          "clause_facts (stock/fair_span/overlap)" if (s, e) in terms else
                          "key_terms (length/stock/piece/enumeration)")
                why[reason] += 1
                lines.append(f"- {cl.text[s:e]!r}: {reason}")
    return lines + [f"{k}: {v}" for k, v in why.most_common()]


def balance(seed: int) -> list[str]:
    """For seeds S..S+9 on both plans: where the right option of ordered multiple-choice items
    (dates, numbers) stands among the choices' values (rank 0 = earliest/smallest) and on the
    sheet (position A–D), and the largest share of one asked kind and of essays per quiz."""
    from app.quiz.checks import kind_of
    from app.quiz.distractors import as_date
    from app.quiz.facts import fact_key

    shipped = read([ROOT / "corpus"])
    library = read([ROOT / "corpus", ROOT / "tests/data/lookalike", ROOT / "tests/data/devlib"])
    ranks, places, kind_top, essay_top = [0] * 4, [0] * 4, 0.0, 0.0
    close, gaps = 0, []  # items with two options too close; smallest gap of each date item
    for passages, wanted in ((shipped, None), (library, ["72-KH/HNDT"])):
        _, chosen = choose(passages, wanted)
        for s in range(seed, seed + 10):
            items = generate_quiz(chosen, 20, seed=s, pool_from=passages)
            asked = [kind_of(str(i.answer)) for i in items if i.type in ("mcq", "cloze")]
            kind_top = max([kind_top] + [asked.count(k) / len(items) for k in set(asked)])
            essay_top = max(essay_top, sum(i.type == "open" for i in items) / len(items))
            for i in items:
                kind = kind_of(str(i.answer))
                if i.type != "mcq" or kind not in ("date", "number"):
                    continue
                keys = [fact_key(kind, c) for c in i.choices or ()]
                vals = [d.toordinal() if (d := as_date(k)) else 0 for k in keys] \
                    if kind == "date" else [int(k) for k in keys]
                at = (i.choices or ()).index(str(i.answer))
                step = min(abs(a - b) for a, b in combinations(vals, 2))
                gaps += [step] if kind == "date" else []
                close += step < 5 if kind == "date" else step < max(vals) / 10
                ranks[sorted(vals).index(vals[at])] += 1
                places[at] += 1
    return [f"ordered mcq items: {sum(ranks)}; rank of the answer among the values "
            f"(earliest..latest): {ranks}; position A-D: {places}",
            f"largest share of one asked kind in a quiz: {kind_top:.0%}; of essays: "
            f"{essay_top:.0%}",
            f"items with two options too close (dates < 5 days, numbers < a tenth): {close}; "
            f"smallest gap between two date options, in days: min {min(gaps, default=0)}, "
            f"median {statistics.median(gaps) if gaps else 0}"]


def dump(seed: int, path: Path) -> None:
    """Write the quizzes of seeds S..S+9 on both plans as JSON (to judge them with another
    version's checks: ``--judge``)."""
    shipped = read([ROOT / "corpus"])
    library = read([ROOT / "corpus", ROOT / "tests/data/lookalike", ROOT / "tests/data/devlib"])
    out = []
    for passages, wanted in ((shipped, None), (library, ["72-KH/HNDT"])):
        _, chosen = choose(passages, wanted)
        out += [[i.to_dict() for i in generate_quiz(chosen, 20, seed=s, pool_from=passages)]
                for s in range(seed, seed + 10)]
    path.write_text(json.dumps(out, ensure_ascii=False), encoding="utf-8")


_CONNECTIVE = re.compile(r"^(?:Đồng thời|Trong đó|Sau đó|Ngoài ra|Bên cạnh đó|Mặt khác)\b")


def judge(path: Path) -> list[str]:
    """Quiz-level problems (this version's checks) and essay-key figures of dumped quizzes."""
    quizzes = [[QuizItem.from_dict(d) for d in q]
               for q in json.loads(path.read_text(encoding="utf-8"))]
    reasons: Counter[str] = Counter(r for q in quizzes for r in quiz_problems(q))
    essays = [i for q in quizzes for i in q if i.type == "open"]
    pts = [p.split(" — ")[-1] for i in essays for p in i.answer_points or ()]
    return [f"{path.name}: {len(quizzes)} quizzes, {sum(map(len, quizzes))} items; quizzes "
            f"with a quiz-level problem, by reason: {dict(sorted(reasons.items()))}",
            f"essays {len(essays)} (over 5 points: "
            f"{sum(len(i.answer_points or ()) > 5 for i in essays)}; asking 'những ai': "
            f"{sum('những ai' in i.question for i in essays)}); key points {len(pts)} (over 180 "
            f"characters: {sum(len(p) > 180 for p in pts)}; led by a connective: "
            f"{sum(bool(_CONNECTIVE.match(p)) for p in pts)}; holding 'về hiện': "
            f"{sum('về hiện' in p for p in pts)})"]


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
    start = int(sys.argv[sys.argv.index("--seed") + 1]) if "--seed" in sys.argv else 0
    if "--counts" in sys.argv:
        print("\n".join(counts(start)))
    elif "--dump" in sys.argv:
        dump(start, Path(sys.argv[sys.argv.index("--dump") + 1]))
    elif "--judge" in sys.argv:
        print("\n".join(judge(Path(sys.argv[sys.argv.index("--judge") + 1]))))
    elif "--phrases" in sys.argv:
        print("\n".join(phrase_refusals()))
    elif "--balance" in sys.argv:
        print("\n".join(balance(start)))
    else:
        main(start, "--sample" in sys.argv)
