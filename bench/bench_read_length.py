"""What reading whole passages instead of clauses would cost the answer reader.

Session 37 proposed, unmeasured, a reader that reads each candidate's whole passage and marks
the answer span (bench/notes/issue-8-round39.md). A span head adds next to nothing to the
encoder's forward pass, so its cost at run time is the shipped reader's forward pass over the
longer inputs. Per question (the tuning set, its library built as ``hoctap eval`` builds it),
the reader reads the first stage's ``READ`` best candidates twice, timed: as it does today
(question, heading, clause; truncated at 128 tokens) and with the whole passage in place of
the clause (up to 512 tokens); alternating, so that both see the same machine. Prints tokens
and milliseconds (medians, p95) and the ratio of the medians.

    python -m bench.bench_read_length [--questions 40] [--backend numpy|torch] [--cache DIR]
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

PASSAGE_TOKENS = 512  # e5-small's positions


def _pct(values: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values), q))


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--questions", type=int, default=40)
    ap.add_argument("--backend", choices=("numpy", "torch"), default="numpy")
    ap.add_argument("--cache", type=Path, default=None)
    args = ap.parse_args(argv)

    from app.answer.evaluate import load_devset, tuning_questions
    from app.answer.extractive import analyse_candidates
    from app.answer.fit import READ
    from app.answer.reader import MAX_TOKENS, calm_openmp, load_reader, pair_text
    from ingest.settings import Settings

    calm_openmp()
    reader = load_reader(Settings.from_env().model_cache_dir, args.backend)
    if reader is None:
        raise SystemExit("no reader (app/answer/reader.npz missing or backend off)")
    questions = [q for q in load_devset(Path("tests/data/devset.json")) if q["answerable"]]
    pairs = []
    for q, kb, _ in tuning_questions(questions[:args.questions], args.cache, None):
        a = analyse_candidates(kb, q["question"])
        read = a.candidates[:READ]
        if not read:
            continue
        clauses = [pair_text(a.info.text, c.hit.passage.section or "", c.sentence)
                   for c in read]
        whole = [pair_text(a.info.text, c.hit.passage.section or "", c.hit.passage.text)
                 for c in read]
        pairs.append((clauses, whole))
    reader.scores(pairs[0][0])  # warm
    tokens: dict[str, list[int]] = {"clause": [], "passage": []}
    ms: dict[str, list[float]] = {"clause": [], "passage": []}
    for clauses, whole in pairs:
        for name, texts in (("clause", clauses), ("passage", whole)):
            # the shipped reader truncates at MAX_TOKENS; a passage reader reads up to e5's 512
            reader.tok.enable_truncation(MAX_TOKENS if name == "clause" else PASSAGE_TOKENS)
            tokens[name] += [len(e.ids) for e in reader.tok.encode_batch(texts)]
            t0 = time.perf_counter()
            reader.scores(texts)
            ms[name].append(1000 * (time.perf_counter() - t0))
    print(f"{len(pairs)} questions, {READ} candidates read each, backend {args.backend}")
    for name in ("clause", "passage"):
        print(f"{name:8} tokens p50 {_pct(tokens[name], 50):.0f} p95 {_pct(tokens[name], 95):.0f}"
              f" (max {max(tokens[name])})   ms p50 {_pct(ms[name], 50):.1f}"
              f" p95 {_pct(ms[name], 95):.1f}")
    print(f"ratio of medians (passage / clause): "
          f"{_pct(ms['passage'], 50) / _pct(ms['clause'], 50):.2f}")


if __name__ == "__main__":
    main()
