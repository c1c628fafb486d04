"""``bench/compare_evals.py``: discordant questions between two eval outputs and the sign test."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.compare_evals import compare, main, sign_test


def _report(missed: list[str], false: list[str], n: int = 6,
            cited_elsewhere: tuple[str, ...] = (), refused: int | None = None) -> dict:
    """A set of ``n`` questions, two of them unanswerable; ``missed`` answerable ones not
    answered right, ``refused`` of them (default: all) refused."""
    failures = [{"question": q, "why": "false refusal", "correct": False} for q in missed]
    failures += [{"question": q, "why": "false answer"} for q in false]
    # a right answer whose first citation is not the expected passage: a hit@1 failure only
    failures += [{"question": q, "why": "wrong passage", "correct": True}
                 for q in cited_elsewhere]
    return {"questions": n, "answerable": n - 2, "unanswerable": 2, "failures": failures,
            "false_refusals": len(missed) if refused is None else refused,
            "false_answers": len(false)}


def test_counts_questions_right_or_false_by_one_side_only() -> None:
    before = {"heldout": _report(["a", "b"], ["x"]), "tuning": _report([], [])}
    after = {"heldout": _report(["b", "c", "d"], ["y"]), "tuning": _report([], [])}
    (r,) = compare(before, after, ["heldout"])
    assert (r.right_only_before, r.right_only_after) == (2, 1)  # c, d lost; a gained
    assert (r.false_only_before, r.false_only_after) == (1, 1)
    assert [p.name for p in compare(before, after)] == ["heldout", "tuning"]


def test_a_right_answer_cited_from_another_passage_counts_as_right() -> None:
    before = {"heldout": _report(["a"], [])}
    after = {"heldout": _report([], [], cited_elsewhere=("a",))}
    (r,) = compare(before, after)
    assert (r.right_only_before, r.right_only_after) == (0, 1)


def test_pooled_totals_add_the_sets_and_give_the_gates_utility() -> None:
    from bench.compare_evals import pooled

    t = pooled([_report(["a", "b", "c"], ["x"], refused=2), _report([], ["y"], 10,
                                                                  cited_elsewhere=("d",))])
    # 4 + 8 answerable: 1 + 8 right; 2 refused, 1 wrong (c), 2 false answers
    assert (t.right, t.wrong, t.false_refusals, t.false_answers) == (9, 1, 2, 2)
    assert t.utility == 9 - 1 - 2


def test_sign_test_is_exact_and_two_sided() -> None:
    assert sign_test(0, 0) == 1.0
    assert sign_test(5, 5) == 1.0
    assert sign_test(6, 0) == pytest.approx(2 / 64)
    assert sign_test(10, 7) == sign_test(7, 10) == pytest.approx(0.6291, abs=1e-4)


def test_sets_of_different_questions_are_refused() -> None:
    with pytest.raises(ValueError):
        compare({"h": _report([], [], 5)}, {"h": _report([], [], 6)})


def test_command_prints_counts_never_questions(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    a.write_text(json.dumps({"heldout": _report(["secret question"], [])}), encoding="utf-8")
    b.write_text(json.dumps({"heldout": _report([], [])}), encoding="utf-8")
    assert main([str(a), str(b)]) == 0
    out = capsys.readouterr().out
    assert "only after   1 |" in out and "p = 1.00" in out
    assert "pooled before: right 3, wrong 0, false refusals 1, false answers 0, utility 3" in out
    assert "pooled after: right 4, wrong 0, false refusals 0, false answers 0, utility 4" in out
    assert "secret" not in out
