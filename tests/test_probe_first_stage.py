"""``bench/probe_first_stage.py``: the listwise first stage and where answerable questions end."""
from __future__ import annotations

import numpy as np

from app.answer import fit as F
from bench import probe_first_stage as probe


def _row(i: int, right: int | None, found: int | None = None, answerable: bool = True,
         group: str = "a") -> F.Row:
    rng = np.random.default_rng(i)
    x = rng.normal(size=(4, 3))
    labels = np.zeros(4)
    if right is not None:
        x[right, 0] += 3.0  # the first feature marks the right candidate
        labels[right] = 1.0
    hit = np.zeros(4, dtype=bool)
    if found is not None:
        hit[found] = True
    return F.Row(f"q{i}", group, answerable, x, labels, False, hit)


def test_the_listwise_model_puts_the_marked_candidate_first() -> None:
    rows = [_row(i, i % 4, group=f"g{i % 5}") for i in range(60)]
    mean, scale, w = probe.fit_listwise(rows)
    assert w[0] > abs(w[1]) and w[0] > abs(w[2])
    ranking = [((r.x - mean) / scale) @ w for r in rows]
    assert probe.right_within(rows, ranking, 1) > 0.9
    assert probe.right_within(rows, [-s for s in ranking], 1) < 0.1  # reversed: never first


def test_every_answerable_question_ends_in_one_place() -> None:
    rows = [_row(0, 1), _row(1, 2), _row(2, None, found=3), _row(3, None), _row(4, 0),
            _row(5, None, answerable=False)]
    masked = [np.array([0.1, 0.9, 0, 0]),  # answered from the right one
              np.array([0.8, 0, 0, 0]),  # answered from a wrong one
              np.array([0.2, 0, 0, 0]),  # the expected passage there, no right clause
              np.array([0.2, 0, 0, 0]),  # not among the candidates
              np.array([0.3, 0, 0, 0]),  # right one read, below the threshold
              np.array([0.9, 0, 0, 0])]  # unanswerable: not counted
    rows[4] = F.Row("q4", "a", True, rows[4].x, np.array([1.0, 0, 0, 0]), False,
                    np.zeros(4, dtype=bool))
    ends = probe.where_lost(rows, masked, 0.5)
    assert ends == {"answered right": 1, "answered wrong": 1,
                    "refused: expected passage a candidate, its clause lacks the answer": 1,
                    "refused: expected passage not among the candidates": 1,
                    "refused: a right candidate in the reader's three, below the threshold": 1}
    outside = [np.array([0.2, 0, 0, 0])]  # the right candidate (1) was not read: 0 there
    assert probe.where_lost([_row(6, 1)], outside, 0.5) == {
        "refused: a right candidate outside the reader's three": 1}
