"""Round 53's diagnostic: how alike the soup's three members are, and how much averaging their
weights shrinks the update.

Run from the repository root after round 53's trainings: OL is the shipped reader, o2 and o3
the two same-start members (``--seed 0 --order-seed 2`` and ``3``). For the heads and for each
adapted matrix's merged update ΔW = B A it prints the members' pairwise cosines, and the norm
of the soup's update (their mean) over the members' mean norm (1 if they agree, 0.58 if three
updates of one norm are orthogonal).
"""
import sys
from itertools import combinations

import numpy as np

PATHS = ["app/answer/reader.npz", *(sys.argv[1:] or ["/tmp/r53/o2.npz", "/tmp/r53/o3.npz"])]
members = [dict(np.load(p)) for p in PATHS]


def cos(a: np.ndarray, b: np.ndarray) -> float:
    return float(a @ b / np.linalg.norm(a) / np.linalg.norm(b))


heads = [m["head.weight"].ravel() for m in members]
print("heads, pairwise cosines:", [round(cos(a, b), 3) for a, b in combinations(heads, 2)])
cosines, ratios = [], []
for name in sorted(k for k in members[0] if k.endswith(".a")):
    updates = [(m[name[:-2] + ".b"] @ m[name]).ravel() for m in members]
    cosines.append(np.mean([cos(a, b) for a, b in combinations(updates, 2)]))
    ratios.append(np.linalg.norm(np.mean(updates, axis=0))
                  / np.mean([np.linalg.norm(u) for u in updates]))
print(f"{len(cosines)} merged updates: mean pairwise cosine {np.mean(cosines):.3f} "
      f"(min {min(cosines):.3f}, max {max(cosines):.3f}); soup's norm / members' "
      f"{np.mean(ratios):.3f}")
