"""bench/bench_eval_load.py: runs are compared on their answers, never on their times."""
from __future__ import annotations

import json

from bench.bench_eval_load import VARIANTS, _stable


def _report(accuracy: float, seconds: float) -> str:
    return json.dumps({"heldout": {"answer_accuracy": accuracy, "seconds": seconds,
                                   "breakdown": {"kind": {"when": {"p50_seconds": seconds}}}}})


def test_two_runs_that_differ_only_in_time_give_the_same_answers() -> None:
    assert _stable(_report(0.91, 1.5)) == _stable(_report(0.91, 9.0))
    assert _stable(_report(0.91, 1.5)) != _stable(_report(0.90, 1.5))


def test_every_variant_sets_the_wait_it_names_and_nothing_is_left_to_the_command() -> None:
    """Each variant names libgomp's setting itself, so ``hoctap eval``'s own default (set
    only when the environment chooses nothing) never decides which variant ran."""
    assert all({"GOMP_SPINCOUNT", "OMP_WAIT_POLICY"} & set(env) for env in VARIANTS.values())
