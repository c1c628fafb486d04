"""Does Chroma build the same vector index twice, and does one build thread help?

Round 14 (bench/notes/issue-8-round14.md) found that two builds of one library retrieve a few
questions' candidates differently, and tried building the passages' index with one thread
(``hnsw:num_threads`` 1) instead of Chroma's default of one per core. This benchmark writes the
same N vectors (seeded random unit vectors of e5-small's 384 dimensions, with groups of exact
copies as a library holding one plan in several files has: a harder case for the graph than
real embeddings, which cluster) into fresh collections both ways, alternating, and reports:

- the median time to write them and have the graph built and saved, and the ratio;
- for each way, whether two builds return the same top 100 for every probe vector, and how
  many probes' top 100 misses a true neighbour (against exact cosine search).

Usage: python bench/bench_vector_build.py [--passages 20000] [--repeat 3] [--probes 200]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np


def vectors(n: int, dim: int = 384, copies: int = 4, seed: int = 0) -> np.ndarray:
    """``n`` unit vectors; every tenth one repeated ``copies`` − 1 more times in the tail."""
    rng = np.random.default_rng(seed)
    base = rng.normal(size=(n - (n // 10) * (copies - 1), dim)).astype(np.float32)
    dup = np.repeat(base[: n // 10], copies - 1, axis=0)
    v = np.vstack([base, dup])[:n]
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def build(folder: Path, v: np.ndarray, threads: int | None) -> tuple[float, object]:
    """Write ``v`` into a fresh collection (one thread, or Chroma's default when ``None``),
    have the graph built and saved as ``Store.save_vectors`` does; seconds and the collection."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    settings = ChromaSettings(anonymized_telemetry=False, allow_reset=True)
    meta = {"hnsw:space": "cosine"} | ({"hnsw:num_threads": threads} if threads else {})
    t0 = time.perf_counter()
    client = chromadb.PersistentClient(path=str(folder), settings=settings)
    col = client.get_or_create_collection("passages", metadata=meta)
    ids = [f"{i:06d}" for i in range(len(v))]
    for k in range(0, len(v), 4000):
        col.add(ids=ids[k:k + 4000], embeddings=v[k:k + 4000].tolist())
    col.modify(configuration={"hnsw": {"sync_threshold": 1, "batch_size": 1}})
    from chromadb.api.shared_system_client import SharedSystemClient

    SharedSystemClient._identifier_to_system.pop(str(folder), None)  # as forget_cached_client
    SharedSystemClient._identifier_to_refcount.pop(str(folder), None)
    col = chromadb.PersistentClient(path=str(folder), settings=settings).get_collection("passages")
    col.count()  # a fresh engine loads the index, replays the log into it and saves it
    return time.perf_counter() - t0, col


def top(col: object, q: np.ndarray, k: int = 100) -> tuple[list[str], float]:
    """The index's first ``k`` ids for ``q`` and the cosine of its ``k``-th."""
    got = col.query(query_embeddings=[q.tolist()], n_results=k,  # type: ignore[attr-defined]
                    include=["distances"])
    return list(got["ids"][0]), 1.0 - float(got["distances"][0][-1])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--passages", type=int, default=20000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--probes", type=int, default=200)
    args = ap.parse_args(argv)
    v = vectors(args.passages)
    rng = np.random.default_rng(1)
    probes = v[rng.choice(len(v), args.probes, replace=False)]
    probes = probes + 0.5 * rng.normal(size=probes.shape).astype(np.float32) / np.sqrt(v.shape[1])
    cosines = [v @ q / np.linalg.norm(q) for q in probes]
    ways = {"one thread": 1, "thread per core (Chroma's default)": None}
    times: dict[str, list[float]] = {w: [] for w in ways}
    tops: dict[str, list[list[tuple[list[str], float]]]] = {w: [] for w in ways}
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(max(2, args.repeat)):
            for w, threads in ways.items():
                secs, col = build(Path(tmp) / f"{r}-{threads}", v, threads)
                times[w].append(secs)
                if len(tops[w]) < 2:
                    tops[w].append([top(col, q) for q in probes])
    base = statistics.median(times["thread per core (Chroma's default)"])
    print(f"{args.passages} vectors, {args.probes} probes, {max(2, args.repeat)} builds each way")
    print("| build | median s | ratio | two builds' top 100 differ | probes missing a true "
          "neighbour |")
    print("|---|---|---|---|---|")
    for w in ways:
        a, b = tops[w]
        differ = sum(x[0] != y[0] for x, y in zip(a, b, strict=True))
        # a true neighbour missed: a vector clearly closer than the k-th returned, not returned
        missing = sum(bool(set(np.nonzero(c > last + 1e-6)[0]) - {int(i) for i in ids})
                      for c, (ids, last) in zip(cosines, a, strict=True))
        med = statistics.median(times[w])
        print(f"| {w} | {med:.1f} | ×{med / base:.2f} | {differ} of {args.probes} | "
              f"{missing} of {args.probes} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
