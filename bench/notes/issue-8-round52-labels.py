"""Round 52's diagnostic: how far the teachers' soft labels lie from the hard labels on the
training pairs, which are the teachers' own training data.

Run from the repository root with ``PYTHONPATH=.`` after round 52's ED training: it reads the
rows of ``make reader`` (``ROWS``) and the teachers' logits that ``--teacher-scores`` kept.
"""
import pickle
import sys
from pathlib import Path

import numpy as np

from bench.probe_verifier import paraphrase_groups, question_pairs

ROWS = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/r49")
LOGITS = Path(sys.argv[2] if len(sys.argv) > 2 else "/tmp/r52/teachers.npz")

files = [Path(f"bench/data/paraphrase-pairs-{n}.json") for n in range(1, 13)]
domain = []
for name in ["heldout-fresh"] + [f"heldout-fresh{n}" for n in range(2, 137)]:
    with open(ROWS / f"rows-{name}.pkl", "rb") as f:
        domain += pickle.load(f)
pairs = [p for p, _ in paraphrase_groups(files)]
n_items = len(pairs)
pairs += [p for q in question_pairs(domain, 3, False, False, False, False) for p in q]
hard = np.array([y for _, y in pairs], float)
logits = np.load(LOGITS)["logits"]
assert len(logits) == len(hard), (len(logits), len(hard))
soft = 1 / (1 + np.exp(-logits))
for name, part in (("paraphrase items", slice(0, n_items)), ("domain", slice(n_items, None)),
                   ("all", slice(None))):
    y, s = hard[part], soft[part]
    gap = np.abs(s - y)
    print(f"{name}: n {len(y)}, hard mean {y.mean():.3f}, soft mean {s.mean():.3f}, "
          f"mean |soft-hard| {gap.mean():.3f}, share > 0.5 {(gap > 0.5).mean():.3f}; "
          f"soft mean of positives {s[y == 1].mean():.3f}, of negatives {s[y == 0].mean():.3f}")
