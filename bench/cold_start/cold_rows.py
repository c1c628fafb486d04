"""bench_ask's cold-start row on a library already built: the first run after removing the saved
BM25 (as on a new generation), then three later runs; wall and CPU from bench_ask.cold_start.

Run from the tree under test with PYTHONPATH=<tree> so the `hoctap` subprocess imports it."""

import json
import os
import shutil
import statistics
import sys
from pathlib import Path

sys.path.insert(0, os.getcwd())
from bench.bench_ask import DEVSET, cold_start
from ingest.settings import Settings

index = Path(sys.argv[1])
s = Settings(index_dir=index, collection="bench")
qs = [q["question"] for q in json.loads(DEVSET.read_text())["questions"]]
shutil.rmtree(index / "bm25", ignore_errors=True)
load = os.getloadavg()
first = cold_start(s, qs[0])
later = [cold_start(s, q) for q in qs[1:4]]
load2 = os.getloadavg()
print(f"tree {os.getcwd()} index {index}")
print(f"first (builds BM25): wall {first[0]:.2f} s, CPU {first[1]:.2f} s")
print("later: " + "; ".join(f"wall {w:.2f} CPU {c:.2f}" for w, c in later))
print(
    f"later median: wall {statistics.median(w for w, _ in later):.2f} s, CPU {statistics.median(c for _, c in later):.2f} s"
)
print(
    f"load average (1/5/15 min) before {load[0]:.2f}/{load[1]:.2f}/{load[2]:.2f}, after {load2[0]:.2f}/{load2[1]:.2f}/{load2[2]:.2f}"
)
