"""Probe: would a linear map fitted on members' questions, applied to e5's query vector, bring
the expected passage among the answer's candidates more often? (round 39,
bench/notes/issue-8-round39.md)

Round 37 counted 102 answerable questions of the verifier's fit data refused because the
expected passage is not among the eight candidates, and 93 with a right candidate outside the
reader's three. The dense half of the search has never been fitted to anything: its query
vector is e5-small's as shipped. A query adapter (a 384 × 384 map ``W``; the query vector
becomes ``W q``, passages keep theirs, so nothing is re-indexed) is fitted to put the expected
passage first among its library's passages (a softmax over the library, several positives
where copies of a passage exist), with an L2 pull towards the identity.

    python -m bench.probe_query_adapter embed --cache DIR --out VECS.pkl FILE ...
    python -m bench.probe_query_adapter fit VECS.pkl --train FILE ... --test FILE ...
        [--lam L] [--folds 5]

``embed`` stores, per question, the engine's query vector (of the text the engine embeds) and
the indices of its library's passages that hold the expected line. ``fit`` reports, on the
``--test`` questions, the expected passage's rank by dense cosine alone and in the engine's own
candidate list (``analyse_candidates``' search, fused with BM25 and the rest), with the
identity and with the map fitted on ``--train``; with ``--folds`` also with whole documents
held out of the fit (the map fitted on the other documents' questions).
"""
from __future__ import annotations

import argparse
import pickle
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np


@dataclass
class Item:
    """One question as the probe needs it."""

    file: str
    library: str
    group: str  # the document it is about (copies counted as one), as the fits group
    question: str
    answerable: bool
    vector: np.ndarray  # the engine's query vector, unit length
    positives: list[int]  # library passages (rows of its dense matrix) holding the expected line


def _questions(files: Sequence[Path]) -> list[tuple[str, dict[str, Any]]]:
    from app.answer.evaluate import load_devset

    return [(f.stem, q) for f in files for q in load_devset(f)]


def embed(files: Sequence[Path], cache: Path | None, out: Path) -> None:
    """Store every question's query vector and expected passages (``Item``s) in ``out``,
    and each library's passage matrix."""
    from app.answer.evaluate import norm, tuning_questions, wanted_passages
    from app.answer.reader import calm_openmp

    calm_openmp()
    pairs = _questions(files)
    items: list[Item] = []
    libraries: dict[str, np.ndarray] = {}
    texts: dict[str, list[str]] = {}
    qs = [q for _, q in pairs]
    for (name, q), (_, kb, group) in zip(pairs, tuning_questions(qs, cache, None), strict=True):
        lib = q.get("library", "shipped")
        if lib not in libraries:
            libraries[lib] = kb.dense_matrix.matrix
            texts[lib] = [norm(p.text) for p in kb.passages]
        v = np.asarray(kb.query_vector(kb.prepare(q["question"]).search_text),
                       dtype=np.float32)
        wants = wanted_passages(q) if q["answerable"] else []
        pos = [i for i, t in enumerate(texts[lib]) if any(w in t for w in wants)]
        items.append(Item(name, lib, group, q["question"], bool(q["answerable"]),
                          v / (np.linalg.norm(v) or 1.0), pos))
    with open(out, "wb") as f:
        pickle.dump({"items": items, "libraries": libraries}, f)


def fit_adapter(items: Sequence[Item], libraries: dict[str, np.ndarray], lam: float,
                scale: float = 50.0, steps: int = 300) -> np.ndarray:
    """``W`` minimising the mean of −log(softmax mass on the positives) over the library's
    passages (cosine × ``scale``) plus ``lam`` × ‖W − I‖², by L-BFGS (torch, full batch)."""
    import torch

    torch.manual_seed(0)
    use = [it for it in items if it.positives]
    dim = use[0].vector.shape[0]
    w = torch.eye(dim, dtype=torch.float32, requires_grad=True)
    eye = torch.eye(dim)
    groups = {}
    for lib in {it.library for it in use}:
        sel = [it for it in use if it.library == lib]
        q = torch.tensor(np.stack([it.vector for it in sel]))
        mask = torch.zeros(len(sel), libraries[lib].shape[0], dtype=torch.bool)
        for r, it in enumerate(sel):
            mask[r, it.positives] = True
        groups[lib] = (q, torch.tensor(libraries[lib]), mask)
    n = len(use)
    opt = torch.optim.LBFGS([w], lr=1, max_iter=steps, history_size=20,
                            line_search_fn="strong_wolfe")

    def loss_fn() -> torch.Tensor:
        opt.zero_grad()
        total = lam * ((w - eye) ** 2).sum()
        for q, p, mask in groups.values():
            qa = torch.nn.functional.normalize(q @ w.T, dim=1)
            logits = scale * (qa @ p.T)
            lse = torch.logsumexp(logits, dim=1)
            pos = torch.logsumexp(logits.masked_fill(~mask, -1e9), dim=1)
            total = total + (lse - pos).sum() / n
        total.backward()
        return total

    opt.step(loss_fn)
    return w.detach().numpy()


def dense_ranks(items: Sequence[Item], libraries: dict[str, np.ndarray],
                w: np.ndarray | None) -> list[int]:
    """The 1-based rank, by cosine alone, of each answerable item's best positive (a large
    number when it has none)."""
    out = []
    for it in items:
        if not it.answerable:
            continue
        if not it.positives:
            out.append(10 ** 6)
            continue
        v = it.vector if w is None else w @ it.vector
        cos = libraries[it.library] @ (v / (np.linalg.norm(v) or 1.0))
        best = cos[it.positives].max()
        out.append(int((cos > best).sum()) + 1)
    return out


def candidate_ranks(items: Sequence[Item], questions: dict[tuple[str, str], dict[str, Any]],
                    cache: Path | None, w: np.ndarray | None) -> list[int]:
    """The 1-based rank of the first expected passage in the engine's candidate list (distinct
    passages of ``kb.search``, fused) when the query vector is ``W q``."""
    from app.answer.evaluate import norm, tuning_questions, wanted_passages
    from app.answer.extractive import POOL, distinct

    answerable = [it for it in items if it.answerable]
    qs = [questions[(it.file, it.question)] for it in answerable]
    out = []
    for it, (q, kb, _) in zip(answerable, tuning_questions(qs, cache, None), strict=True):
        v = it.vector if w is None else w @ it.vector
        kb.query_vector = lambda text, v=v: v  # type: ignore[method-assign]  # stored, mapped
        try:
            hits = distinct(kb.search(kb.prepare(q["question"]), k=POOL))
        finally:
            del kb.query_vector  # the class's method again
        wants = wanted_passages(q)
        out.append(next((i + 1 for i, h in enumerate(hits)
                         if any(x in norm(h.passage.text) for x in wants)), 10 ** 6))
    return out


def recall(ranks: Sequence[int], ks: Sequence[int] = (1, 3, 8, 20)) -> str:
    """``@k n/N`` for each k."""
    r = np.asarray(ranks)
    return "  ".join(f"@{k} {int((r <= k).sum())}/{len(r)}" for k in ks)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    e = sub.add_parser("embed")
    e.add_argument("files", type=Path, nargs="+")
    e.add_argument("--cache", type=Path, default=None)
    e.add_argument("--out", type=Path, required=True)
    f = sub.add_parser("fit")
    f.add_argument("vecs", type=Path)
    f.add_argument("--train", type=Path, nargs="+", required=True)
    f.add_argument("--test", type=Path, nargs="+", required=True)
    f.add_argument("--cache", type=Path, default=None)
    f.add_argument("--lam", type=float, default=0.1)
    f.add_argument("--folds", type=int, default=0)
    f.add_argument("--candidates", action="store_true",
                   help="also the rank in the engine's fused candidate list (slower)")
    f.add_argument("--save", type=Path, default=None)
    args = ap.parse_args(argv)
    if args.cmd == "embed":
        embed(args.files, args.cache, args.out)
        return
    with open(args.vecs, "rb") as fh:
        data = pickle.load(fh)
    items, libs = data["items"], data["libraries"]
    train_names = {p.stem for p in args.train}
    test_names = {p.stem for p in args.test}
    train = [it for it in items if it.file in train_names]
    test = [it for it in items if it.file in test_names]
    print(f"train {len(train)} questions ({sum(bool(i.positives) for i in train)} with a "
          f"passage), test {len(test)} ({sum(i.answerable for i in test)} answerable)")
    w = fit_adapter(train, libs, args.lam)
    if args.save:
        np.save(args.save, w)
    print(f"‖W − I‖ = {np.linalg.norm(w - np.eye(len(w))):.3f}")
    print("dense rank, identity:", recall(dense_ranks(test, libs, None)))
    print("dense rank, adapter: ", recall(dense_ranks(test, libs, w)))
    if args.folds:
        groups = sorted({it.group for it in test})
        held = []
        base = []
        for g in groups:
            w_g = fit_adapter([it for it in train if it.group != g], libs, args.lam)
            part = [it for it in test if it.group == g]
            held += dense_ranks(part, libs, w_g)
            base += dense_ranks(part, libs, None)
        print("documents held out (one at a time, per test document):")
        print("  identity:", recall(base))
        print("  adapter: ", recall(held))
    if args.candidates:
        questions = {(n, q["question"]): q for n, q in _questions(args.test)}
        print("candidate rank, identity:", recall(candidate_ranks(test, questions, args.cache,
                                                                    None)))
        print("candidate rank, adapter: ", recall(candidate_ranks(test, questions, args.cache,
                                                                    w)))


if __name__ == "__main__":
    main()
