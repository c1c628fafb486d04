"""Score the answering engine on a development set (``tests/data/devset.json``).

Per answerable question: is the passage that must be cited among the first 1 / 3 citations
(any copy of the same document counts, texts compared in canonical form; ``passage`` may list
several texts when the document states the fact in more than one place), and does the answer
contain the expected words. Per unanswerable question: did it refuse. Plus the median length of
the citations shown.
"""
from __future__ import annotations

import json
import statistics
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ingest.text import canonical, normalize_date

AskFn = Callable[[str], Any]  # question → Answer-like (found, answer, citations[].text)


@dataclass(frozen=True)
class EvalReport:
    """Metrics of one run (rates in 0..1) and the failures, for reading."""

    questions: int
    answerable: int
    unanswerable: int
    hit_at_1: float
    hit_at_3: float
    answer_accuracy: float
    false_refusals: int
    false_answers: int
    median_citation_chars: float
    failures: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Plain dict for ``--json``."""
        return asdict(self)


def load_devset(path: Path) -> list[dict[str, Any]]:
    """The questions of a development set file."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return list(data["questions"] if isinstance(data, dict) else data)


def _norm(text: str) -> str:
    return normalize_date(canonical(text)).replace("\n", " ")


def evaluate(ask: AskFn, questions: Sequence[dict[str, Any]]) -> EvalReport:
    """Run every question through ``ask`` and score it."""
    hit1 = hit3 = correct = false_ref = false_ans = 0
    lengths: list[int] = []
    failures: list[dict[str, Any]] = []
    answerable = [q for q in questions if q["answerable"]]
    for q in questions:
        ans = ask(q["question"])
        texts = [_norm(c.text) for c in ans.citations]
        lengths += [len(c.text) for c in ans.citations]
        if not q["answerable"]:
            if ans.found:
                false_ans += 1
                failures.append({"question": q["question"], "why": "false answer",
                                 "answer": ans.answer})
            continue
        wants = [_norm(w) for w in (q["passage"] if isinstance(q["passage"], list)
                                   else [q["passage"]])]
        rank = next((i + 1 for i, t in enumerate(texts) if any(w in t for w in wants)), None)
        hit1 += rank == 1
        hit3 += rank is not None and rank <= 3
        if not ans.found:
            false_ref += 1
        ok = ans.found and all(_norm(w) in _norm(ans.answer) for w in q["answer_contains"])
        correct += ok
        if rank != 1 or not ok:
            failures.append({"question": q["question"], "rank": rank, "found": ans.found,
                             "answer": ans.answer})
    n = max(1, len(answerable))
    return EvalReport(len(questions), len(answerable), len(questions) - len(answerable),
                      hit1 / n, hit3 / n, correct / n, false_ref, false_ans,
                      float(statistics.median(lengths)) if lengths else 0.0, failures)


def format_report(r: EvalReport, label: str = "hoctap") -> str:
    """Human-readable summary (Vietnamese labels, English metric names)."""
    return (f"{label}: {r.questions} câu hỏi ({r.answerable} trả lời được, "
            f"{r.unanswerable} không)\n"
            f"  hit@1 {r.hit_at_1:.1%}  hit@3 {r.hit_at_3:.1%}  "
            f"answer accuracy {r.answer_accuracy:.1%}\n"
            f"  false refusals {r.false_refusals}/{r.answerable}  "
            f"false answers {r.false_answers}/{r.unanswerable}  "
            f"median citation {r.median_citation_chars:.0f} ký tự")
