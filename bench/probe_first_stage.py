"""Where the verifier's answerable questions are lost, and whether a listwise first stage helps.

Round 37's probe (bench/notes/issue-8-round37.md), on the verifier's own data (devset plus the
read batches it is fitted on), out of fold with whole documents held out, as
``python -m app.answer.fit`` does:

- the pointwise first stage (the shipped logistic model) against a listwise one (a conditional
  logit: per question, a softmax over its candidates, fitted to put a right one first), judged
  by how often a right candidate is among the reader's ``READ`` and by the cascade's utility
  with the second stage unchanged;
- where the answerable questions end: answered right or wrong, or refused with a right
  candidate below the threshold, a right candidate outside the reader's three, the expected
  passage among the candidates but quoted with a clause that lacks the answer, or the expected
  passage not among the candidates.

    python -m bench.probe_first_stage --cache DIR --rows ROWS.pkl [--also FILE ...]

The rows (features and the reader's logits: about 11 minutes alone on 2 cores) are stored in
ROWS.pkl and read from it when it exists.
"""
from __future__ import annotations

import argparse
import pickle
from collections import Counter
from pathlib import Path

import numpy as np

from app.answer import fit as F

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"


def fit_listwise(rows: list[F.Row], c: float = F.C) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Standardisation and weights of a conditional logit over each question's candidates:
    maximises the log of the softmax mass on its right candidates (questions with one), with
    the logistic model's L2 strength."""
    from scipy.optimize import minimize

    x = np.vstack([r.x for r in rows if len(r.x)])
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    groups = [((r.x - mean) / scale, r.right > 0) for r in rows if len(r.x) and r.right.any()]

    def objective(w: np.ndarray) -> tuple[float, np.ndarray]:
        loss, grad = 0.5 * float(w @ w), w.copy()
        for xs, right in groups:
            z = xs @ w
            e = np.exp(z - z.max())
            p = e / e.sum()
            mass = float(p[right].sum())
            loss -= c * np.log(mass + 1e-300)
            grad += c * (xs.T @ (p - np.where(right, p / mass, 0.0)))
        return loss, grad

    w = minimize(objective, np.zeros(x.shape[1]), jac=True, method="L-BFGS-B",
                 options={"maxiter": 500}).x
    return mean, scale, w


def listwise_out_of_fold(rows: list[F.Row], folds: int = 5) -> list[np.ndarray]:
    """The listwise scores of every row, whole documents held out per fold."""
    def score(held: list[F.Row], model: tuple[np.ndarray, np.ndarray, np.ndarray]
              ) -> list[np.ndarray]:
        mean, scale, w = model
        return [((r.x - mean) / scale) @ w if len(r.x) else np.zeros(0) for r in held]

    return F.out_of_fold(rows, folds, fit_listwise, score)


def right_within(rows: list[F.Row], ranking: list[np.ndarray], k: int) -> float:
    """Among answerable questions with a right candidate, the share with one in the first ``k``
    of ``ranking``."""
    from app.answer.extractive import read_first

    kept = [(r, s) for r, s in zip(rows, ranking, strict=True)
            if r.answerable and len(r.x) and r.right.any()]
    return sum(bool(r.right[read_first(list(s), k)].any()) for r, s in kept) / len(kept)


def where_lost(rows: list[F.Row], masked: list[np.ndarray], threshold: float) -> Counter[str]:
    """Where each answerable question ends (see the module docstring)."""
    out: Counter[str] = Counter()
    for r, m in zip(rows, masked, strict=True):
        if not r.answerable:
            continue
        if len(m) and m.max() >= threshold:
            out["answered right" if r.right[int(np.argmax(m))] else "answered wrong"] += 1
        elif len(r.x) and r.right.any():
            out["refused: a right candidate in the reader's three, below the threshold"
                if m[r.right > 0].max() > 0 else
                "refused: a right candidate outside the reader's three"] += 1
        elif len(r.x) and r.found.any():
            out["refused: expected passage a candidate, its clause lacks the answer"] += 1
        else:
            out["refused: expected passage not among the candidates"] += 1
    return out


def main(argv: list[str] | None = None) -> int:
    """Print the comparison and where the answerable questions end."""
    from app.answer.evaluate import load_devset

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cache", type=Path, default=None)
    ap.add_argument("--rows", type=Path, required=True)
    ap.add_argument("--also", type=Path, nargs="+", action="extend", default=[],
                    help="default: the verifier's batches, fresh137-176")
    args = ap.parse_args(argv)
    from app.answer.reader import calm_openmp

    calm_openmp()  # before torch loads: the rows are the reader's logits of every candidate
    if args.rows.exists():
        rows = pickle.loads(args.rows.read_bytes())
    else:
        from app.answer.reader import load_reader
        from ingest.settings import Settings

        also = args.also or [DATA / f"heldout-fresh{n}.json" for n in range(137, 177)]
        questions = [q for f in (DATA / "devset.json", *also) for q in load_devset(f)]
        reader = load_reader(Settings.from_env().model_cache_dir, "torch")
        rows = F.collect(questions, args.cache, None, reader.scores if reader else None)
        args.rows.write_bytes(pickle.dumps(rows))
    base = F.first_stage(rows)
    second = F.cross_validate(rows, 5)
    for name, ranking in (("pointwise (shipped)", F.cross_validate(base, 5)),
                          ("listwise", listwise_out_of_fold(base))):
        masked = F.cascade(second, ranking, F.READ)
        best = F.choose_threshold([F.outcomes(rows, masked, t) for t in F.THRESHOLDS],
                                  F.READER_MAX_FALSE_ANSWERS)
        print(f"{name}: right candidate first {right_within(rows, ranking, 1):.3f}, in the "
              f"reader's {F.READ} {right_within(rows, ranking, F.READ):.3f}; cascade out of fold: "
              f"threshold {best['threshold']}, utility {best['utility']:.0f}, false refusals "
              f"{best['false_refusals']}, wrong {best['wrong_answers']}, false answers "
              f"{best['false_answers']}")
        for where, n in sorted(where_lost(rows, masked, best["threshold"]).items()):
            print(f"    {where}: {n}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
