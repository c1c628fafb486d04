"""Where the right candidate sits, for the shipped first stage and verifier, on question files.

    python -m bench.probe_headroom CACHE FILE…

Each answerable question falls in one bucket: answered (right or wrong); refused with the first
stage's best candidate right; refused with a right candidate ranked lower among the eight;
refused with the expected passage among the candidates but no candidate's answer right (the
clause quoted); refused with the expected passage not among them. "Right" is the fit's label:
the first citation is the expected passage and the answer holds every expected string
(``hoctap eval`` also counts the same answer from another passage as right, so its right count
is higher by those). Round 25 (bench/notes/issue-8-round25.md) ran it on fresh99–112.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

import numpy as np

import app.answer.fit as F
from app.answer.evaluate import load_devset
from app.answer.reader import calm_openmp, load_reader
from app.answer.verify import Verifier, load_verifier
from ingest.settings import Settings


def bucket(row: F.Row, first: np.ndarray, final: np.ndarray, threshold: float) -> str:
    """The bucket of one answerable question (see the module's docstring)."""
    if not len(row.x):
        return "refused_not_found"
    top, chosen = int(np.argmax(first)), int(np.argmax(final))
    if final[chosen] >= threshold:
        return "answered_right" if row.right[chosen] else "answered_wrong"
    if row.right[top]:
        return "refused_top_right"
    if row.right.any():
        return "refused_right_lower"
    return "refused_found_not_right" if row.found.any() else "refused_not_found"


def _arrays(model: Verifier) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """A verifier's mean, scale, weights and bias as ``fit._probs`` takes them."""
    return np.array(model.mean), np.array(model.scale), np.array(model.weights), model.bias


def main(argv: list[str]) -> int:
    """Collect the rows with the shipped reader, score them with the shipped verifier, count."""
    cache, files = Path(argv[0]), [Path(f) for f in argv[1:]]
    calm_openmp()  # before torch loads: the reader reads thousands of candidates
    questions = [q for f in files for q in load_devset(f)]
    reader = load_reader(Settings.from_env().model_cache_dir, "torch")
    rows = F.collect(questions, cache, None, reader.scores if reader is not None else None)
    model = load_verifier("e5")
    assert model is not None and model.first is not None, "no two-stage e5 verifier"
    first = F._probs(F.first_stage(rows), *_arrays(model.first))
    final = F.cascade(F._probs(rows, *_arrays(model)), first, model.read)
    counts = Counter(bucket(r, a, b, model.threshold)
                     for r, a, b in zip(rows, first, final, strict=True) if r.answerable)
    print(json.dumps({"answerable": sum(counts.values()), **dict(sorted(counts.items()))},
                     indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
