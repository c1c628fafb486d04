"""Fit the search's fusion weights (``app/search/fusion.json``) on the tuning set.

    python -m app.search.fit [--cache DIR] [--embed-model hash] [--folds 5] [--dry-run]
                             [--also FILE ...]

The fused score of a passage is BM25's reciprocal rank plus the dense ranking's (weighted),
plus small boosts: the document the question names, a section about the level it names, a
heading it repeats, the kind of fact it asks for, the kind of passage it asks for
(``app.search.hybrid.combine``). For every answerable tuning question the search's signals are
computed once (``KnowledgeBase.signals``); the weights are then chosen by coordinate search over
a grid (each weight × 0, ¼, ½, 1, 2, 4 of its starting value; two sweeps) for the mean
reciprocal rank of the expected passage among the first ``CANDIDATES`` distinct passages,
which the answer verifier reads. Cross-validation holds out whole documents; the weights
written are fitted on all of the tuning set. ``--also`` adds read batches' questions to the
folds, as in the verifier's fit. The held-out set is never read here. A refit
changes the verifier's candidates: refit it too (``python -m app.answer.fit``).
"""
from __future__ import annotations

import json
import sys
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

import numpy as np

from app.search.hybrid import FUSION_PATH, FusionWeights, Signals, combine, load_weights

GRID = (0.0, 0.25, 0.5, 1.0, 2.0, 4.0)
SWEEPS = 2
CANDIDATES = 8  # as many passages as the answer verifier reads (app.answer.verify)
START = FusionWeights()  # the hand-set weights of earlier rounds: the grid's centre


@dataclass(frozen=True)
class Case:
    """One answerable question: its signals, which passages hold the expected text, and which
    passages are copies of one another (the same passage in another file of the library)."""

    group: str
    signals: Signals
    right: np.ndarray  # bool per passage
    copy: np.ndarray  # int per passage: equal for copies


def first_right(case: Case, w: FusionWeights, depth: int = CANDIDATES) -> int | None:
    """1-based position of the first passage holding the expected text among the first
    ``depth`` distinct passages by fused score (None: not among them)."""
    score = combine(case.signals, w)
    seen: set[int] = set()
    pos = 0
    for i in np.argsort(-score, kind="stable"):
        if score[i] <= 0:
            break
        if case.copy[i] in seen:
            continue
        seen.add(int(case.copy[i]))
        pos += 1
        if case.right[i]:
            return pos
        if pos >= depth:
            break
    return None


def measure(cases: list[Case], w: FusionWeights) -> dict[str, float]:
    """hit@1, hit@3, share found among the candidates, and MRR over the candidates."""
    pos = [first_right(c, w) for c in cases]
    n = max(1, len(pos))
    return {"hit_at_1": sum(p == 1 for p in pos) / n,
            "hit_at_3": sum(p is not None and p <= 3 for p in pos) / n,
            "in_candidates": sum(p is not None for p in pos) / n,
            "mrr": sum(1 / p for p in pos if p) / n}


def search_weights(cases: list[Case], start: FusionWeights = START) -> FusionWeights:
    """Coordinate search: each weight in turn takes the grid value (× its starting value) that
    raises the MRR most, ``SWEEPS`` times over."""
    best, best_mrr = start, measure(cases, start)["mrr"]
    for _ in range(SWEEPS):
        for f in fields(FusionWeights):
            for g in GRID:
                trial = replace(best, **{f.name: getattr(start, f.name) * g})
                mrr = measure(cases, trial)["mrr"]
                if mrr > best_mrr + 1e-12:
                    best, best_mrr = trial, mrr
    return best


def collect(questions: list[dict[str, Any]], cache: Path | None, embed_model: str | None
            ) -> list[Case]:
    """The signals of every answerable tuning question, each against its library."""
    from app.answer.evaluate import norm, tuning_questions, wanted_passages
    from app.answer.extractive import _copy_key

    libraries: dict[int, tuple[np.ndarray, list[str]]] = {}  # per library: copy ids, texts
    cases = []
    for q, kb, group in tuning_questions((q for q in questions if q["answerable"]), cache,
                                         embed_model):
        if id(kb) not in libraries:
            keys: dict[tuple[str, str], int] = {}
            copy = np.array([keys.setdefault(_copy_key(p.section or "", p.text), len(keys))
                             for p in kb.passages])
            libraries[id(kb)] = (copy, [norm(p.text) for p in kb.passages])
        copy, texts = libraries[id(kb)]
        wants = wanted_passages(q)
        cases.append(Case(group, kb.signals(kb.prepare(q["question"])),
                          np.array([any(w in t for w in wants) for t in texts]), copy))
    return cases


def main(argv: list[str] | None = None) -> int:
    """Fit, cross-validate, write the weights."""
    from sklearn.model_selection import GroupKFold

    from app.answer.evaluate import fit_parser, load_devset

    ap = fit_parser(__doc__.splitlines()[0], FUSION_PATH)
    args = ap.parse_args(argv)
    files = (args.devset, *args.also)
    cases = collect([q for f in files for q in load_devset(f)], args.cache, args.embed_model)
    oof: list[int | None] = [None] * len(cases)
    for train, test in GroupKFold(n_splits=args.folds).split(
            cases, groups=[c.group for c in cases]):
        w = search_weights([cases[i] for i in train])
        for i in test:
            oof[i] = first_right(cases[i], w)
    n = max(1, len(cases))
    report = {
        "fitted_on": ", ".join(f.name for f in files), "answerable_questions": len(cases),
        "folds": args.folds,
        "embed_model": args.embed_model or "e5", "objective": f"MRR@{CANDIDATES}",
        "start": measure(cases, START), "current": measure(cases, load_weights()),
        "cross_document_cv": {"hit_at_1": sum(p == 1 for p in oof) / n,
                              "hit_at_3": sum(p is not None and p <= 3 for p in oof) / n,
                              "in_candidates": sum(p is not None for p in oof) / n,
                              "mrr": sum(1 / p for p in oof if p) / n},
    }
    weights = search_weights(cases)
    report["in_sample"] = measure(cases, weights)
    print(json.dumps({"meta": report, "weights": asdict(weights)}, indent=1))
    if not args.dry_run:
        args.out.write_text(json.dumps({"meta": report, "weights": asdict(weights)}, indent=1)
                            + "\n", encoding="utf-8")
    print(f"weights: {asdict(weights)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
