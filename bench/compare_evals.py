"""Paired comparison of two ``hoctap eval --json`` outputs: is a difference more than noise?

    python bench/compare_evals.py BEFORE.json AFTER.json [--sets heldout,heldout-fresh8]

Two verifiers that differ by a few right answers on a batch of 100 may differ by chance: a
refit that only drops 11 tuning questions moved one batch by 3. Per question set present in
both files, this counts the answerable questions answered right by only one of the two and the
unanswerable ones answered (falsely) by only one, then applies a two-sided exact sign test to
the right answers over all sets, and prints each side's pooled right / wrong / false refusals /
false answers and utility (right − wrong − false answers: the figure the round rules of
bench/notes/issue-8-round*.md gate on). It prints counts only, never the questions, so it can
be run on held-out sets without reading their failures.
"""
from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from math import comb
from pathlib import Path
from typing import Any

FALSE_ANSWER = "false answer"  # the ``why`` of an unanswerable question answered


@dataclass(frozen=True)
class Paired:
    """One set's discordant questions: right (or falsely answered) by only one side."""

    name: str
    right_only_before: int
    right_only_after: int
    false_only_before: int
    false_only_after: int


def _missed(report: dict[str, Any]) -> tuple[set[str], set[str]]:
    """The answerable questions not answered right (by ``hoctap eval``'s own verdict, the
    ``correct`` of a failure: a right answer cited from another passage is right), and the
    unanswerable ones answered."""
    failures = report.get("failures", [])
    return ({f["question"] for f in failures if f.get("why") != FALSE_ANSWER
             and not f["correct"]},
            {f["question"] for f in failures if f.get("why") == FALSE_ANSWER})


def paired(name: str, before: dict[str, Any], after: dict[str, Any]) -> Paired:
    """Discordant counts of one set (both reports must cover the same questions)."""
    if before["questions"] != after["questions"]:
        raise ValueError(f"{name}: {before['questions']} questions against {after['questions']}")
    miss_b, false_b = _missed(before)
    miss_a, false_a = _missed(after)
    return Paired(name, len(miss_a - miss_b), len(miss_b - miss_a),
                  len(false_b - false_a), len(false_a - false_b))


@dataclass(frozen=True)
class Pooled:
    """One output's totals over the compared sets."""

    right: int
    wrong: int
    false_refusals: int
    false_answers: int

    @property
    def utility(self) -> int:
        """Right answers less wrong and false ones (a refusal costs nothing)."""
        return self.right - self.wrong - self.false_answers


def pooled(reports: list[dict[str, Any]]) -> Pooled:
    """The totals of ``reports`` (sets of one ``hoctap eval --json`` output): right by
    ``_missed``'s verdict, false refusals and false answers as each set reports them, wrong the
    answerable questions left."""
    right = refused = false = answerable = 0
    for r in reports:
        missed, _ = _missed(r)
        answerable += r["answerable"]
        right += r["answerable"] - len(missed)
        refused += r["false_refusals"]
        false += r["false_answers"]
    return Pooled(right, answerable - right - refused, refused, false)


def sign_test(wins: int, losses: int) -> float:
    """Two-sided exact sign test: the chance of a split at least this uneven if each
    discordant question were a fair coin."""
    n = wins + losses
    if n == 0:
        return 1.0
    k = max(wins, losses)
    return min(1.0, 2 * sum(comb(n, i) for i in range(k, n + 1)) / 2 ** n)


def compare(before: dict[str, Any], after: dict[str, Any], sets: list[str] | None = None
            ) -> list[Paired]:
    """Per set (``sets``, or every set both outputs hold), the discordant counts."""
    names = sets or [s for s in before if s in after and isinstance(before[s], dict)
                     and "failures" in before[s]]
    return [paired(s, before[s], after[s]) for s in names]


def main(argv: list[str] | None = None) -> int:
    """Print the per-set counts and the sign test over all of them."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("before", type=Path)
    ap.add_argument("after", type=Path)
    ap.add_argument("--sets", help="comma-separated set names (default: all in both)")
    args = ap.parse_args(argv)
    before = json.loads(args.before.read_text(encoding="utf-8"))
    after = json.loads(args.after.read_text(encoding="utf-8"))
    rows = compare(before, after, args.sets.split(",") if args.sets else None)
    for r in rows:
        print(f"{r.name:24s} right only before {r.right_only_before:3d}, only after "
              f"{r.right_only_after:3d} | false answers only before {r.false_only_before}, "
              f"only after {r.false_only_after}")
    wins = sum(r.right_only_after for r in rows)
    losses = sum(r.right_only_before for r in rows)
    print(f"all: right only after {wins}, only before {losses}; two-sided sign test "
          f"p = {sign_test(wins, losses):.2f}; false answers only after "
          f"{sum(r.false_only_after for r in rows)}, only before "
          f"{sum(r.false_only_before for r in rows)}")
    for side, report in (("before", before), ("after", after)):
        t = pooled([report[r.name] for r in rows])
        print(f"pooled {side}: right {t.right}, wrong {t.wrong}, false refusals "
              f"{t.false_refusals}, false answers {t.false_answers}, utility {t.utility}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
