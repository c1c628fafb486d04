"""Probes for the answer verifier on the tuning set only (issue 8, round 8).

    python -m bench.probe_verifier dump [--devset F] [--cache DIR] --out rows.pkl
    python -m bench.probe_verifier lora rows.pkl [--folds 2] [--epochs 2] [--lr 5e-4]
                                   [--rank 8] [--targets query,value] [--first 5]
    python -m bench.probe_verifier frozen rows.pkl
    python -m bench.probe_verifier stage2 rows.pkl
    python -m bench.probe_verifier translation rows.pkl
    python -m bench.probe_verifier relative rows.pkl [--features cov_rest_context,…]
    python -m bench.probe_verifier reader rows.pkl PAIRS.json… [--other other-rows.pkl]
                                   [--epochs 2] [--lr 5e-4] [--rank 8] [--targets query,value]
                                   [--domain rows.pkl… [--first 3]]
                                   [--teacher reader.npz… [--teacher-scores logits.npz]]
                                   [--seed 0 [--order-seed N]]
    python -m bench.probe_verifier apply rows.pkl reader.pt [other-rows.pkl…]
    python -m bench.probe_verifier cascade rows.pkl reader.pt other-rows.pkl… [--top 3] [--product]
                                   [--margin] [--scores tuning-scores.pkl]
    python -m bench.probe_verifier soup reader.npz… --out soup.npz
    python -m bench.probe_verifier threshold rows.pkl reader.npz --select ROWS… [--judge ROWS…]
    python -m bench.probe_verifier twins HELD.json… --train F.json…
    python -m bench.probe_verifier batch rows.pkl other-rows.pkl
    python -m bench.probe_verifier shift rows.pkl other-rows.pkl

``dump`` runs every question of a tuning file against its library (as ``python -m
app.answer.fit`` does) and keeps, per candidate, the verifier's features, its label and the
texts a reader would read (the clause, its heading, the passage, what names the document).
Every other command adds one score per candidate, computed out of fold by document (a
question's document never trains what scores it), as one more verifier feature, and prints
the out-of-fold utility of the refit verifier beside the shipped features' on the same rows
and folds (``app.answer.fit``'s own cross-validation, threshold rule and false-answer bound):

- ``lora``: a cross-encoder: e5-small reads "query: <question> passage: <heading> <clause>"
  as one input; low-rank adapters on its attention and a linear head on the mean-pooled
  output are trained (bfloat16 autocast where the CPU has it). ``--targets`` names where the
  adapters sit: ``query``, ``key``, ``value`` (the attention's projections), ``attn_out``,
  ``ffn_in``, ``ffn_out`` (round 12);
- ``frozen``: the same input through the unchanged e5, pooled by part (all tokens, the
  question's, the clause's, the product of the two), and a logistic model on that;
- ``stage2``: no new feature; a second model decides answer-or-refuse from the verifier's
  out-of-fold probabilities of all candidates and question-level flags;
- ``translation``: an IBM model 1 word-translation table (question words → clause words)
  learned from the right candidates of the training folds; the feature is the IDF-weighted
  share of the question's words found in the clause directly or through the table;
- ``relative``: coverage features divided by the best candidate's of the same question;
- ``reader`` (round 9): the ``lora`` cross-encoder trained only on paraphrase items written
  about *other* documents (a clause, a member-style question it answers, a near miss it does
  not), so its scores of the tuning candidates are out of sample without folds; with
  ``--domain`` (round 13), also on dumped rows of member-style questions about the libraries
  (read batches that stop being held-out data), never on the tuning rows.

``cascade`` (round 10) stacks a saved reader's score as ``apply`` does, but the reader reads only
the ``--top`` candidates the shipped features rank highest, and only those can be answered; the
threshold is chosen out of fold with that mask (the mask from out-of-fold shipped probabilities).
With ``--product`` (round 14) the reader's scores come from the product's forward pass; with
``--margin`` (round 14) the reader also reads the first stage's runner-up, and the second stage
gets the reader's margin (``reader_margin``) as one more feature.

``soup`` (round 14) averages saved readers of one recipe into one file of the same format.

``threshold`` (round 12) keeps the two stages fitted on the tuning rows and chooses the second
stage's threshold by the fit's rule on member-style questions (``--select``) instead; it prints
both thresholds' outcomes on the ``--judge`` files.

``batch`` fits the shipped procedure on the first file's rows and reports it on the second's
(``tests/data/devset-batch6.json``, never fitted on); ``shift`` shows which features lower the
shipped verifier's logit of right first choices on the second file against the first.
Held-out files are read only where a command names them (the gates of rounds 10–12).
"""
from __future__ import annotations

import argparse
import collections
import hashlib
import math
import os
import pickle
import random
import re
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from app.answer.reader import DEFAULT_LORA_SCALE, LORA_SCALE_KEY

Rows = list[dict[str, Any]]
Extra = dict[tuple[int, int], float]


def dump(devset: Path, cache: Path | None, out: Path) -> None:
    """Candidates of every tuning question with features, labels and texts."""
    from app.answer.evaluate import load_devset
    from app.answer.fit import labelled
    from app.answer.verify import FEATURES

    rows = []
    for q, group, a, labels, first_hit, _ in labelled(load_devset(devset), cache, None):
        cands = []
        for c, label in zip(a.candidates, labels, strict=True):
            p = c.hit.passage
            m = p.meta
            cands.append({"sentence": c.sentence, "section": p.section or "", "text": p.text,
                          "title": " ".join(x for x in (m.doc_type, m.number, m.issuer, m.title)
                                            if x),
                          "source": p.source, "label": label,
                          "x": [c.features[f] for f in FEATURES]})
        rows.append({"question": q["question"], "prepared": a.info.text, "group": group,
                     "answerable": bool(q["answerable"]), "first_hit": first_hit,
                     "cands": cands})
    out.write_bytes(pickle.dumps(rows))
    print(f"{len(rows)} questions, {sum(len(r['cands']) for r in rows)} candidates → {out}")


def fit_rows(rows: Rows, extra: Extra | None = None, *more: Extra) -> list[Any]:
    """``app.answer.fit`` rows, with ``extra`` (and each of ``more``) as one more feature
    column when given."""
    from app.answer.fit import Row

    columns = [e for e in (extra, *more) if e is not None]
    out = []
    for i, r in enumerate(rows):
        x = np.array([c["x"] for c in r["cands"]], dtype=float)
        if columns and len(x):
            x = np.hstack([x, np.array([[e[(i, j)] for e in columns] for j in range(len(x))])])
        out.append(Row(r["question"], r["group"], r["answerable"], x,
                       np.array([c["label"] for c in r["cands"]]), r["first_hit"]))
    return out


def report(name: str, rows: list[Any], folds: int = 5) -> dict[str, float]:
    """Out-of-fold outcome at the threshold the shipped rule chooses."""
    from app.answer.fit import (
        MAX_FALSE_ANSWERS,
        THRESHOLDS,
        choose_threshold,
        cross_validate,
        outcomes,
    )

    oof = cross_validate(rows, folds)
    best = choose_threshold([outcomes(rows, oof, t) for t in THRESHOLDS], MAX_FALSE_ANSWERS)
    print(f"{name}: threshold {best['threshold']:.2f} utility {best['utility']:.0f} "
          f"accuracy {best['accuracy']:.3f} false refusals {best['false_refusals']} "
          f"wrong {best['wrong_answers']} false answers {best['false_answers']}", flush=True)
    return best


def report_reader(rows: Rows, extra: Extra) -> None:
    """A reader's measure on the tuning rows (``reader``'s trained arm, ``apply``'s saved
    reader): the refit verifier's out-of-fold outcome without and with its score."""
    report("shipped features", fit_rows(rows))
    report("with the reader score", fit_rows(rows, extra))


# A word of two letters or more outside a document code ("58-NQ/TW" stays whole).
_CAPS_WORD = re.compile(r"(?<![-/\w])[^\W\d_]{2,}(?![-/\w])")
_ROMAN = re.compile(r"[IVXLC]+")


def reader_view(text: str) -> str:
    """``text`` as e5's tokenizer knows it (round 41's probe CV, not shipped): a word written
    wholly in capitals is spelled out when it is an abbreviation of ``ABBREVIATIONS`` ("HND"
    → "hội nông dân"), kept when it is a Roman numeral, else lower-cased ("TỔ CHỨC" → "tổ
    chức": XLM-R's case-sensitive pieces cut capitals into characters); then one tone
    placement per syllable (``canonical_spelling``)."""
    from app.knowledge import canonical_spelling
    from ingest.facts import ABBREVIATIONS

    def fix(m: re.Match[str]) -> str:
        word = m.group(0)
        if not word.isupper() or _ROMAN.fullmatch(word):
            return word
        return ABBREVIATIONS.get(word.lower(), word.lower())

    return canonical_spelling(_CAPS_WORD.sub(fix, text))


def pair_text(question: str, c: dict[str, Any], context: bool = False, view: bool = False,
              label: bool = False) -> str:
    """What the reader reads (``app.answer.reader.pair_text``) for a dumped candidate; with
    ``context`` (round 40's probe), followed by the whole passage the clause is in, when there
    is one and it is more than the clause; with ``view`` (round 41's probe), as
    ``reader_view`` writes it (capitals and abbreviations as e5 knows them); with ``label``
    (round 45's probe DLC), told the document's ``bench.contrast.document_label`` first."""
    from app.answer.reader import pair_text as text
    from bench.contrast import document_label

    told = document_label(c.get("title") or "") if label else ""
    out = text(question, c["section"], c["sentence"], told)
    passage = (c.get("text") or "").strip()
    more = context and bool(passage) and passage != c["sentence"].strip()
    out = f"{out} context: {passage}" if more else out
    return reader_view(out) if view else out


def _folds(rows: Rows, n: int) -> list[tuple[np.ndarray, np.ndarray]]:
    from sklearn.model_selection import GroupKFold

    return list(GroupKFold(n_splits=n).split(rows, groups=[r["group"] for r in rows]))


def _model_dir() -> Path:
    from ingest.embed.e5convert import ensure_default_model
    from ingest.settings import Settings

    return ensure_default_model(Settings.from_env().model_cache_dir)


# adapter sites besides the attention's own projections (``query``, ``key``, ``value``)
_SITES = {"attn_out": ("attention.output", "dense"), "ffn_in": ("intermediate", "dense"),
          "ffn_out": ("output", "dense")}


def _lora_site(layer: Any, target: str) -> tuple[Any, str]:
    """The module holding the linear layer an adapter named ``target`` wraps, and its name
    there (``app/answer/reader.py`` merges an adapter into whichever linear layer it names)."""
    path, name = _SITES.get(target, ("attention.self", target))
    parent = layer
    for part in path.split("."):
        parent = getattr(parent, part)
    return parent, name


_ALPHA = 16  # the adapters' α: their update is scaled by α / rank


def _run_fingerprint(pairs: list[tuple[str, float]], epochs: int, lr: float, rank: int,
                     targets: tuple[str, ...], seed: int) -> str:
    """What a reader's training depends on, hashed: a checkpoint resumes only its own run."""
    h = hashlib.sha256(repr((epochs, lr, rank, tuple(targets), seed)).encode())
    for text, label in pairs:
        h.update(f"{label!r}\t{text}\n".encode())
    return h.hexdigest()


def _units(n: int, groups: list[int] | None) -> list[list[int]]:
    """What a batch is made of: each pair alone, or (with ``groups``) each group's pairs
    together, in order of first appearance."""
    if groups is None:
        return [[i] for i in range(n)]
    by: dict[int, list[int]] = {}
    for i, g in enumerate(groups):
        by.setdefault(g, []).append(i)
    return list(by.values())


def listwise_loss(logits: Any, labels: Any, sizes: list[int]) -> Any:
    """Round 41's probe LW: per question (``sizes``: how many consecutive pairs each holds),
    the softmax over its candidates' logits and a null logit fixed at 0; the loss is minus the
    log of the right candidates' summed probability, or of the null's when none is right.
    Averaged over the questions."""
    import torch

    out = []
    for s, y in zip(torch.split(logits, sizes), torch.split(labels, sizes), strict=True):
        every = torch.logsumexp(torch.cat([s, s.new_zeros(1)]), 0)
        hit = y > 0.5
        right = torch.logsumexp(s[hit], 0) if bool(hit.any()) else s.new_zeros(())
        out.append(every - right)
    return torch.stack(out).mean()


def _reader_trainer(epochs: int, lr: float, rank: int, targets: tuple[str, ...], seed: int = 0,
                    max_tokens: int = 128, order_seed: int | None = None) -> Any:
    """A function that trains a LoRA cross-encoder on (text, label) pairs and returns it
    (``seed`` seeds its initial adapters and head and, unless ``order_seed`` is given, its
    batch order and dropout; each text is cut at ``max_tokens``). With ``order_seed`` (round
    53's SS), runs of one ``seed`` share their starting point and differ in batch order and
    dropout alone. Its ``start()`` attribute builds the untrained reader, its ``load(path)``
    attribute rebuilds one saved with ``save_reader``."""
    import torch
    from torch import nn
    from transformers import AutoModel, AutoTokenizer

    torch.set_num_threads(2)
    model_dir = _model_dir()
    tok = AutoTokenizer.from_pretrained(model_dir)

    class LoRA(nn.Module):
        def __init__(self, base: nn.Linear) -> None:
            super().__init__()
            self.base = base
            self.a = nn.Parameter(torch.randn(rank, base.in_features) / math.sqrt(base.in_features))
            self.b = nn.Parameter(torch.zeros(base.out_features, rank))

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return self.base(x) + (x @ self.a.t() @ self.b.t()) * (_ALPHA / rank)

    class Reader(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.enc = AutoModel.from_pretrained(model_dir, dtype=torch.float32)
            for p in self.enc.parameters():
                p.requires_grad = False
            for layer in self.enc.encoder.layer:
                for t in targets:
                    parent, name = _lora_site(layer, t)
                    setattr(parent, name, LoRA(getattr(parent, name)))
            self.head = nn.Linear(self.enc.config.hidden_size, 1)
            self.lora_scale = _ALPHA / rank  # saved beside the adapters (the product reads it)

        def forward(self, texts: list[str]) -> torch.Tensor:
            e = tok(texts, truncation=True, max_length=max_tokens, padding=True,
                    return_tensors="pt")
            with torch.autocast("cpu", dtype=torch.bfloat16):
                h = self.enc(**e).last_hidden_state
            m = e["attention_mask"].unsqueeze(-1).float()
            return self.head((h.float() * m).sum(1) / m.sum(1)).squeeze(-1)

        def scores(self, texts: list[str]) -> list[float]:
            out: list[float] = []
            with torch.no_grad():
                for k in range(0, len(texts), 64):
                    out += [float(v) for v in self(texts[k:k + 64]).tolist()]
            return out

    def train(pairs: list[tuple[str, float]], checkpoint: Path | None = None,
              every: int = 200, stop_after: int | None = None,
              groups: list[int] | None = None) -> Reader | None:
        """The trained reader. With ``checkpoint``, its whole state (adapters, head, optimiser,
        schedule, both random generators, the epoch's batches and the step) is written there
        every ``every`` steps and at the end, atomically, and a run that finds it resumes
        from it: a killed training loses at most ``every`` steps, and the result is the
        uninterrupted run's. A checkpoint of other pairs or settings is refused.
        ``stop_after`` ends a run after that many steps in all (saved; returns None).
        With ``groups`` (round 41's probe LW: one id per pair, a question's pairs sharing
        one), the loss is listwise (``listwise_loss``) and a batch holds four whole
        questions."""
        rng = random.Random(seed if order_seed is None else order_seed)
        model = start()
        if order_seed is not None:  # dropout's masks: the order seed's, after the shared start
            torch.manual_seed(order_seed)
        params = [p for p in model.parameters() if p.requires_grad]
        opt = torch.optim.AdamW(params, lr=lr, weight_decay=0.01)
        pos = sum(y for _, y in pairs)
        loss_f = nn.BCEWithLogitsLoss(
            pos_weight=torch.tensor(min(4.0, (len(pairs) - pos) / max(1.0, pos))))
        units = _units(len(pairs), groups)
        per_batch = 16 if groups is None else 4  # pairs, or whole questions
        steps = epochs * math.ceil(len(units) / per_batch)
        sched = torch.optim.lr_scheduler.LambdaLR(
            opt, lambda s: min(1.0, (s + 1) / (0.06 * steps)) * max(0.0, (steps - s) / steps))
        run = _run_fingerprint(pairs, epochs, lr, rank, targets, seed)
        if max_tokens != 128:  # the fingerprint of a shipped run stays as it was
            run += f"/max_tokens={max_tokens}"
        if order_seed is not None:
            run += f"/order_seed={order_seed}"
        if groups is not None:
            run += "/listwise/" + hashlib.sha256(repr(groups).encode()).hexdigest()
        trained = {n for n, p in model.named_parameters() if p.requires_grad}
        epoch, first, batches, done = 0, 0, None, 0
        if checkpoint is not None and checkpoint.exists():
            state = torch.load(checkpoint, weights_only=False)
            if state["run"] != run:
                raise SystemExit(f"{checkpoint}: a checkpoint of another training (other "
                                 "pairs or settings); remove it to start afresh")
            model.load_state_dict(state["model"], strict=False)
            opt.load_state_dict(state["opt"])
            sched.load_state_dict(state["sched"])
            rng.setstate(state["rng"])
            torch.set_rng_state(state["torch_rng"])
            epoch, first, batches, done = (state["epoch"], state["next"], state["batches"],
                                           state["done"])
            print(f"  resumed from {checkpoint} at step {done} of {steps}", flush=True)

        def save() -> None:
            if checkpoint is None:
                return
            state = {"run": run, "epoch": epoch, "next": first, "batches": batches,
                     "done": done, "rng": rng.getstate(), "torch_rng": torch.get_rng_state(),
                     "model": {k: v for k, v in model.state_dict().items() if k in trained},
                     "opt": opt.state_dict(), "sched": sched.state_dict()}
            tmp = checkpoint.with_name(checkpoint.name + ".part")
            torch.save(state, tmp)
            os.replace(tmp, checkpoint)

        model.train()
        t0, done0 = time.time(), done
        while epoch < epochs:
            if batches is None:
                order = list(range(len(units)))
                rng.shuffle(order)
                batches = []
                for k in range(0, len(order), 800):  # similar lengths together, for speed
                    chunk = sorted(order[k:k + 800], key=lambda i: len(pairs[units[i][0]][0]))
                    batches += [chunk[j:j + per_batch] for j in range(0, len(chunk), per_batch)]
                rng.shuffle(batches)
            while first < len(batches):
                b = [i for u in batches[first] for i in units[u]]
                logits = model([pairs[i][0] for i in b])
                labels = torch.tensor([pairs[i][1] for i in b])
                if groups is None:
                    loss = loss_f(logits, labels)
                else:
                    sizes = [len(units[u]) for u in batches[first]]
                    loss = listwise_loss(logits, labels, sizes)
                opt.zero_grad()
                loss.backward()
                opt.step()
                sched.step()
                first, done = first + 1, done + 1
                if done % every == 0:
                    save()
                    rate = (time.time() - t0) / (done - done0)
                    print(f"  step {done} of {steps}: {rate:.2f} s a step, about "
                          f"{rate * (steps - done) / 60:.0f} min left", flush=True)
                if stop_after is not None and done >= stop_after:
                    save()
                    return None
            epoch, first, batches = epoch + 1, 0, None
        save()
        print(f"  trained on {len(pairs)} pairs × {epochs} in {time.time() - t0:.0f} s",
              flush=True)
        return model.eval()

    def start() -> Reader:
        """The reader before training: the initial adapters and head drawn from ``seed``."""
        torch.manual_seed(seed)
        return Reader()

    def load(path: Path) -> Reader:
        model = Reader()
        saved = ({k: torch.from_numpy(v) for k, v in np.load(path).items()
                  if k != LORA_SCALE_KEY}
                 if path.suffix == ".npz" else torch.load(path))
        # only the trained weights were saved: the frozen encoder's are "missing" by design
        unexpected = model.load_state_dict(saved, strict=False).unexpected_keys
        assert not unexpected, unexpected
        return model.eval()

    train.start = start  # type: ignore[attr-defined]
    train.load = load  # type: ignore[attr-defined]
    return train


def save_reader(model: Any, path: Path) -> None:
    """The trained weights only (adapters and head), not the frozen encoder: float32 arrays
    in an ``.npz`` (the format ``app/answer/reader.py`` reads), else a torch file."""
    import torch

    trained = {n for n, p in model.named_parameters() if p.requires_grad}
    weights = {k: v for k, v in model.state_dict().items() if k in trained}
    if path.suffix == ".npz":  # the scale only when it is not rank 8's, which the product
        # assumes without it: a rank-8 file is written as before, byte for byte (make reader)
        scale = {} if model.lora_scale == DEFAULT_LORA_SCALE else {
            LORA_SCALE_KEY: np.float32(model.lora_scale)}
        np.savez(path, **{k: v.float().numpy() for k, v in weights.items()}, **scale)
    else:
        torch.save(weights, path)


def soup(paths: list[Path], out: Path) -> None:
    """A uniform soup of saved readers of one recipe (round 14): their merged low-rank updates
    averaged, ΔW = (1/K) Σₖ Bₖ Aₖ, stored exactly as one adapter of K times the rank (the Aₖ
    stacked, the Bₖ / K stacked side by side), and their heads averaged. The product merges
    adapters into the encoder when it loads them, so a soup costs what one reader costs."""
    readers = [dict(np.load(p)) for p in paths]
    names = set(readers[0])
    assert all(set(r) == names for r in readers), "readers of different recipes"
    k = len(readers)
    merged: dict[str, np.ndarray] = {}
    for name in sorted(names):
        parts = [r[name] for r in readers]
        if name.endswith(".a"):
            merged[name] = np.concatenate(parts, axis=0)
        elif name.endswith(".b"):
            merged[name] = np.concatenate(parts, axis=1) / k
        else:
            merged[name] = np.mean(parts, axis=0)
    np.savez(out, **{n: v.astype(np.float32) for n, v in merged.items()})


class ProductReader:
    """A saved reader through the product's own forward pass (``app.answer.reader.Reader``),
    in batches; ``--product`` scores with it, so that a probe measures what would ship
    (a soup's stacked adapters included)."""

    def __init__(self, path: Path, backend: str = "torch") -> None:
        from app.answer.reader import Reader

        self.reader = Reader(_model_dir(), path, backend)

    def scores(self, texts: list[str]) -> list[float]:
        out: list[float] = []
        for k in range(0, len(texts), 32):
            out += self.reader.scores(texts[k:k + 32])
        return out


def distilled(pairs: list[tuple[str, float]], logits: Sequence[float]
              ) -> list[tuple[str, float]]:
    """Round 52's ED (bench/notes/issue-8-round52.md): each pair's label replaced by the
    sigmoid of its teachers' mean logit (``teacher_logits``), the same texts in the same order;
    the binary cross-entropy of the training then fits the teachers' probabilities."""
    if len(logits) != len(pairs):
        raise ValueError(f"{len(logits)} teacher logits for {len(pairs)} pairs")
    return [(text, 1.0 / (1.0 + math.exp(-float(z))))
            for (text, _), z in zip(pairs, logits, strict=True)]


def teacher_logits(texts: list[str], teachers: Sequence[Callable[[list[str]], list[float]]],
                   store: Path | None = None) -> np.ndarray:
    """The mean of the ``teachers``' logits for each text (each teacher a scoring function,
    e.g. ``ProductReader(path).scores``: the forward pass the product reads with). With
    ``store``, they are kept there with a digest of the texts and of the number of teachers,
    and read back instead of recomputed when both match (a resumed training does not score
    46,000 pairs again)."""
    h = hashlib.sha256(f"{len(teachers)}\n".encode())
    for text in texts:
        h.update(text.encode() + b"\n")
    digest = h.hexdigest()
    if store is not None and store.exists():
        kept = np.load(store)
        if str(kept["digest"]) == digest:
            return kept["logits"]
    logits = np.mean([np.asarray(score(texts), dtype=np.float64) for score in teachers],
                     axis=0)
    if store is not None:
        tmp = store.with_name(store.name + ".part.npz")
        np.savez(tmp, digest=np.array(digest), logits=logits)
        os.replace(tmp, store)
    return logits


def _score_rows(model: Any, rows: Rows, idx: Any = None, context: bool = False,
                view: bool = False, label: bool = False) -> Extra:
    keys = [(int(i), j) for i in (range(len(rows)) if idx is None else idx)
            for j in range(len(rows[i]["cands"]))]
    texts = [pair_text(rows[i]["prepared"], rows[i]["cands"][j], context, view, label)
             for i, j in keys]
    return dict(zip(keys, model.scores(texts), strict=True))


def lora(rows: Rows, folds: int, epochs: int, lr: float, rank: int, targets: tuple[str, ...],
         first: int) -> Extra:
    """Out-of-fold cross-encoder logits (see the module docstring)."""
    train = _reader_trainer(epochs, lr, rank, targets)
    extra: Extra = {}
    for train_idx, test_idx in _folds(rows, folds):
        pairs = domain_pairs([rows[i] for i in train_idx], first)
        extra.update(_score_rows(train(pairs), rows, test_idx))
    return extra


def paraphrase_pairs(files: list[Path], negatives: int = 2, seed: int = 0, view: bool = False
                     ) -> list[tuple[str, float]]:
    """Reader training pairs from written paraphrase items (``heading``, ``clause``,
    ``question``, ``near_miss``; about no document of the libraries): the question with its
    clause (1), the near miss with the same clause (0), the question with ``negatives`` other
    clauses of the same file (0)."""
    return [p for p, _ in paraphrase_groups(files, negatives, seed, view)]


def paraphrase_groups(files: list[Path], negatives: int = 2, seed: int = 0, view: bool = False
                      ) -> list[tuple[tuple[str, float], int]]:
    """``paraphrase_pairs`` in the same order, each pair with the question it asks (round 42's
    listwise reader): an item's question with its clause and its negatives share one group, and
    its near miss is a group of its own, whose only candidate is wrong (its target is the null).
    Group ids are 0, 1, 2 ... in order of first appearance."""
    import json

    rng = random.Random(seed)
    out: list[tuple[tuple[str, float], int]] = []
    g = 0
    for f in files:
        items = json.loads(f.read_text(encoding="utf-8"))
        for k, it in enumerate(items):
            cand = {"section": it.get("heading", ""), "sentence": it["clause"]}
            asked, g = g, g + 1
            out.append(((pair_text(it["question"], cand, view=view), 1.0), asked))
            if it.get("near_miss"):
                out.append(((pair_text(it["near_miss"], cand, view=view), 0.0), g))
                g += 1
            others = [j for j in range(len(items)) if j != k]
            for j in rng.sample(others, min(negatives, len(others))):
                o = items[j]
                out.append(((pair_text(it["question"],
                                       {"section": o.get("heading", ""),
                                        "sentence": o["clause"]}, view=view), 0.0), asked))
    return out


def domain_pairs(rows: Rows, first: int, same_doc: bool = False, context: bool = False,
                 view: bool = False) -> list[tuple[str, float]]:
    """Reader training pairs from dumped rows of questions about the libraries (``lora``'s
    training folds; round 13's ``--domain``): each question with its first ``first``
    candidates and with every candidate whose label is 1, labelled as the candidate is.

    With ``same_doc`` (round 17, candidate RS) only the candidates from the document the
    question is about (``group``; copies of it count as it) are kept: the reader never sees
    which document a clause comes from, so a look-alike clause of another body's plan, labelled
    0 only for being another document's, is a label it cannot learn; which document answers is
    left to the verifier's document features. A question about no document of its library
    (``group`` is the library's name) gives no pairs then. Not shipped: it lost on the tuning
    set (344 right against 367) and on unread batches (bench/notes/issue-8-round17.md).
    ``context``: the texts end with the clause's passage; ``view``: as ``reader_view`` writes
    them (``pair_text``)."""
    return [p for q in question_pairs(rows, first, same_doc, context, view) for p in q]


def question_pairs(rows: Rows, first: int, same_doc: bool = False, context: bool = False,
                   view: bool = False, label: bool = False) -> list[list[tuple[str, float]]]:
    """``domain_pairs``, one list per row (question), in the same order (``label``: each
    text told its document's label, ``pair_text``)."""
    from app.answer.evaluate import same_document

    originals = same_document() if same_doc else None

    def keep(r: dict[str, Any], c: dict[str, Any]) -> bool:
        if originals is None:
            return True
        name = Path(c["source"]).name
        return originals.get(name, name) == r["group"]

    return [[(pair_text(r["prepared"], c, context, view, label), c["label"])
             for j, c in enumerate(r["cands"]) if (j < first or c["label"]) and keep(r, c)]
            for r in rows]


def contrast_pairs(rows: Rows, seed: int = 0, view: bool = False, label: bool = False
                   ) -> list[tuple[str, float]]:
    """Round 44's probe CN: for each row's first right candidate, the questions
    ``bench.contrast.contrasts`` writes from the row's question against what the reader reads
    of that candidate (its last heading and clause; with ``label``, round 45's DLC, its
    document's label too), each paired with the candidate, label 0."""
    from bench.contrast import contrasts, document_label
    from ingest.facts import last_heading

    rng = random.Random(seed)
    out: list[tuple[str, float]] = []
    for r in rows:
        c = next((c for c in r["cands"] if c["label"]), None)
        if c is None:
            continue
        told = document_label(c.get("title") or "") if label else ""
        read = f"{told} {last_heading(c['section'])} {c['sentence']}".strip()
        for q in contrasts(r["prepared"], read, rng):
            out.append((pair_text(q, c, view=view, label=label), 0.0))
    return out


def _trigrams(text: str) -> set[str]:
    from app.search.query import plain_form

    t = plain_form(text)
    return {t[k:k + 3] for k in range(max(1, len(t) - 2))}


def twin_finder(train: list[str], bar: float = 0.8) -> Callable[[list[str]], list[int]]:
    """``twins`` against ``train`` as one function, the training trigrams computed once (for
    several held-out files)."""
    seen = [_trigrams(q) for q in train]

    def find(held: list[str]) -> list[int]:
        out = []
        for i, q in enumerate(held):
            g = _trigrams(q)
            if any(len(g & s) >= bar * len(g | s) for s in seen):
                out.append(i)
        return out
    return find


def twins(train: list[str], held: list[str], bar: float = 0.8) -> list[int]:
    """Indices of the ``held`` questions with a near twin among the ``train`` questions:
    character-trigram Jaccard ≥ ``bar`` (accents stripped, lower case) — round 13's count of
    held-out questions a reader trained on ``train`` may have seen in other words."""
    return twin_finder(train, bar)(held)


def reader(rows: Rows, files: list[Path], other: Rows | None, epochs: int, lr: float,
           rank: int, targets: tuple[str, ...], save: Path | None = None,
           domain: Rows | None = None, first: int = 3, seed: int = 0, same_doc: bool = False,
           checkpoint: Path | None = None, context: bool = False, max_tokens: int = 128,
           view: bool = False, listwise: bool = False, contrast: bool = False,
           label: bool = False, teachers: Sequence[Path] = (),
           teacher_store: Path | None = None, order_seed: int | None = None
           ) -> tuple[Extra, Extra | None]:
    """A cross-encoder trained on paraphrase items written about other documents, so its
    scores of the tuning candidates (and of ``other``'s) are out of sample as they stand; with
    ``domain``, also on those rows' questions about the libraries (never the tuning rows).
    With ``context`` (round 40's probe), the domain pairs and the scored candidates also read
    the clause's passage (paraphrase items have none), cut at ``max_tokens``; with ``view``
    (round 41's probe), every text is read as ``reader_view`` writes it; with ``listwise``
    (round 41's probe LW, round 42 at full size), trained with ``listwise_loss`` on whole
    questions: each domain row, each paraphrase item's question, each near miss
    (``paraphrase_groups``); with ``contrast`` (round 44's probe CN), also on
    ``contrast_pairs`` of the domain rows (each its own question when ``listwise``); with
    ``label`` (round 45's probe DLC), the domain pairs, the contrast pairs and the scored
    candidates are told their document's label (paraphrase items have none); with
    ``teachers`` (saved readers; round 52's ED), every pair's label becomes the sigmoid of
    their mean logit (``distilled``; the logits kept in ``teacher_store``); with
    ``order_seed`` (round 53's SS), ``seed`` sets the starting point only and ``order_seed``
    the batch order and dropout."""
    from sklearn.metrics import roc_auc_score

    grouped = paraphrase_groups(files, view=view)
    pairs = [p for p, _ in grouped]
    if label:
        from bench.contrast import document_label

        told = collections.Counter(document_label(c.get("title") or "")
                                   for r in (*(domain or []), *rows) for c in r["cands"])
        print("  labels: " + "; ".join(f"{k or '(none)'} {n}" for k, n in told.most_common()),
              flush=True)
    per_question = question_pairs(domain or [], first, same_doc, context, view, label)
    base = 1 + max((g for _, g in grouped), default=-1)
    groups = ([g for _, g in grouped] + [base + g for g, q in enumerate(per_question) for _ in q]
              if listwise else None)
    pairs += [p for q in per_question for p in q]
    if contrast:
        made = contrast_pairs(domain or [], seed, view, label)
        print(f"  contrast questions: {len(made)}", flush=True)
        if groups is not None:
            start = 1 + max(groups, default=-1)
            groups += [start + k for k in range(len(made))]
        pairs += made
    if not pairs:
        raise SystemExit("no training pairs: give paraphrase item files or --domain rows")
    if teachers:
        # each teacher is loaded only when it scores, one at a time, and not at all when
        # ``teacher_store`` already holds these pairs' logits (a resumed training)
        logits = teacher_logits([t for t, _ in pairs],
                                [lambda texts, p=p: ProductReader(p).scores(texts)
                                 for p in teachers], teacher_store)
        pairs = distilled(pairs, logits)
        print(f"  teachers: {len(teachers)}, mean soft label "
              f"{sum(y for _, y in pairs) / len(pairs):.3f}", flush=True)
    model = _reader_trainer(epochs, lr, rank, targets, seed, max_tokens,
                            order_seed)(pairs, checkpoint, groups=groups)
    if save is not None:
        save_reader(model, save)
    extra = _score_rows(model, rows, context=context, view=view, label=label)
    keys = list(extra)
    y = [rows[i]["cands"][j]["label"] for i, j in keys]
    print(f"  tuning candidates: pair AUC {roc_auc_score(y, [extra[k] for k in keys]):.3f}",
          flush=True)
    return extra, (_score_rows(model, other, context=context, view=view, label=label)
                   if other is not None else None)


def batch_extra(rows: Rows, other: Rows, extra: Extra | None, other_extra: Extra | None
                ) -> dict[str, float]:
    """The verifier fitted on ``rows`` (with ``extra`` when given) applied to ``other``."""
    from app.answer.fit import _probs, fit, outcomes

    fr = fit_rows(rows, extra)
    best = report("fitted rows" + (" + extra" if extra is not None else ""), fr)
    o = fit_rows(other, other_extra)
    res = outcomes(o, _probs(o, *fit(fr)), best["threshold"])
    print(f"other rows: right {round(res['accuracy'] * res['answerable'])} of "
          f"{res['answerable']}, false refusals {res['false_refusals']}, wrong "
          f"{res['wrong_answers']}, false answers {res['false_answers']} of {res['unanswerable']}",
          flush=True)
    return res


def _line(name: str, res: dict[str, float]) -> None:
    print(f"  {name}: threshold {res['threshold']:.2f} utility {res['utility']:.0f} right "
          f"{round(res['accuracy'] * res['answerable'])} of {res['answerable']}, false "
          f"refusals {res['false_refusals']}, wrong {res['wrong_answers']}, false answers "
          f"{res['false_answers']} of {res['unanswerable']}", flush=True)


def reader_margin(extra: Extra, ranking: list[np.ndarray], read: int = 2) -> Extra:
    """Round 14's margin: each candidate's reader score minus the highest score of the other
    candidates among the ``read`` best of ``ranking`` (the first stage's probabilities); for
    the first choice, its lead over the runner-up. 0 where there is no other candidate."""
    from app.answer.extractive import read_first

    out: Extra = {}
    for i, p in enumerate(ranking):
        best = read_first(list(p), read)
        for j in range(len(p)):
            others = [extra[(i, int(k))] for k in best if int(k) != j]
            out[(i, j)] = extra[(i, j)] - max(others) if others else 0.0
    return out


def _two_stages(rows: Rows, extra: Extra, top: int, margin: bool = False
                ) -> tuple[Any, Any, dict[str, float], dict[str, float], tuple[Any, Any]]:
    """The first stage's and the second stage's fitted models on the tuning rows (the reader's
    score ``extra`` stacked, and its ``reader_margin`` over the first stage's out-of-fold
    runner-up with ``margin``), each one's threshold chosen out of fold as the fit does (the
    second stage reading only the first stage's ``top`` best), and the second stage's rows
    with those out-of-fold probabilities."""
    from app.answer.fit import (
        MAX_FALSE_ANSWERS,
        THRESHOLDS,
        cascade,
        choose_threshold,
        cross_validate,
        fit,
        outcomes,
    )

    base = fit_rows(rows)
    oof0 = cross_validate(base, 5)
    stacked = fit_rows(rows, extra, *([reader_margin(extra, oof0)] if margin else []))
    oof1 = cross_validate(stacked, 5)
    masked = cascade(oof1, oof0, top)
    t0 = choose_threshold([outcomes(base, oof0, t) for t in THRESHOLDS], MAX_FALSE_ANSWERS)
    t1 = choose_threshold([outcomes(stacked, masked, t) for t in THRESHOLDS], MAX_FALSE_ANSWERS)
    return fit(base), fit(stacked), t0, t1, (stacked, masked)


def _read_top(model: Any, other: Rows, m0: Any, m1: Any, top: int, margin: bool = False
              ) -> tuple[list[Any], list[np.ndarray], list[Any], list[np.ndarray]]:
    """``other``'s rows and probabilities under the first stage ``m0`` and the two-stage
    cascade: the reader reads only the first stage's ``top`` best of each question (two at
    least with ``margin``), as at run time (the other candidates' reader column is 0 and
    never answered from)."""
    from app.answer.extractive import read_first
    from app.answer.fit import _probs, cascade

    o0 = fit_rows(other)
    p0 = _probs(o0, *m0)
    read = max(top, 2) if margin else top
    keys = [(i, j) for i, p in enumerate(p0) for j in read_first(list(p), read)]
    texts = [pair_text(other[i]["prepared"], other[i]["cands"][j]) for i, j in keys]
    extra = {(i, j): 0.0 for i in range(len(other)) for j in range(len(other[i]["cands"]))}
    extra.update(zip(keys, model.scores(texts), strict=True))
    o1 = fit_rows(other, extra, *([reader_margin(extra, p0)] if margin else []))
    return o0, p0, o1, cascade(_probs(o1, *m1), p0, top)


def stacked_cascade(rows: Rows, model: Any, others: list[tuple[str, Rows]], top: int,
                    margin: bool = False, extra: Extra | None = None) -> None:
    """The reader's score stacked on the ``top`` candidates of the shipped verifier only
    (module docstring); prints tuning (out of fold) and each other file's aggregates."""
    from sklearn.metrics import roc_auc_score

    from app.answer.fit import outcomes

    extra = _score_rows(model, rows) if extra is None else extra
    m0, m1, t0, t1, _ = _two_stages(rows, extra, top, margin)
    y = [rows[i]["cands"][j]["label"] for i, j in extra]
    print(f"== tuning, out of fold (reader's pair AUC over every candidate "
          f"{roc_auc_score(y, list(extra.values())):.3f})", flush=True)
    read = f"reader on the top {top}" + (" + its margin" if margin else "")
    _line("shipped features", t0)
    _line(read, t1)
    for name, other in others:
        o0, p0, o1, p1 = _read_top(model, other, m0, m1, top, margin)
        print(f"== {name}", flush=True)
        _line("shipped features", outcomes(o0, p0, t0["threshold"]))
        _line(read, outcomes(o1, p1, t1["threshold"]))


def separation(rows: list[Any], probs: list[np.ndarray]) -> float:
    """How well the most probable candidate's probability tells answerable questions whose
    candidate is right from unanswerable ones: the area under the ROC curve over those two
    groups (other answerable questions left out)."""
    from sklearn.metrics import roc_auc_score

    y, score = [], []
    for r, p in zip(rows, probs, strict=True):
        if not len(p):
            continue
        i = int(np.argmax(p))
        if not r.answerable or r.right[i]:
            y.append(int(r.answerable))
            score.append(float(p[i]))
    return float(roc_auc_score(y, score)) if 0 < sum(y) < len(y) else float("nan")


def member_threshold(rows: Rows, model: Any, select: list[Rows], judge: list[tuple[str, Rows]],
                     top: int) -> None:
    """The shipped two stages (weights fitted on the tuning rows, the reader's logit stacked)
    with the second stage's threshold chosen by the fit's rule on ``select`` (member-style
    questions, out of sample for the weights) instead of on the tuning rows out of fold;
    prints both thresholds' outcomes on every ``judge`` file (round 12, candidate T)."""
    from app.answer import fit as af
    from app.answer.fit import outcomes

    m0, m1, _, t1, oof = _two_stages(rows, _score_rows(model, rows), top)
    tuned = t1["threshold"]
    print(f"  tuning, out of fold: separation {separation(*oof):.3f}", flush=True)

    def probs(other: Rows) -> tuple[list[Any], list[np.ndarray]]:
        return _read_top(model, other, m0, m1, top)[2:]

    sel = [r for rs in select for r in rs]
    so, sp = probs(sel)
    member = af.choose_threshold([outcomes(so, sp, t) for t in af.THRESHOLDS],
                                 af.MAX_FALSE_ANSWERS)["threshold"]
    print(f"thresholds: tuning (out of fold) {tuned:.2f}, member-style {member:.2f} "
          f"({len(sel)} questions)", flush=True)
    scored = [("member-style selection", (so, sp))] + [(n, probs(o)) for n, o in judge]
    for name, (o, p) in scored:
        print(f"  {name}: separation (AUC, right first choice against unanswerable) "
              f"{separation(o, p):.3f}", flush=True)
        for label, t in (("tuning", tuned), ("member", member)):
            _line(f"{name}, {label} threshold", outcomes(o, p, t))


def frozen(rows: Rows) -> Extra:
    """Out-of-fold logistic scores over the unchanged e5's joint encoding."""
    import torch
    from sklearn.linear_model import LogisticRegression
    from transformers import AutoModel, AutoTokenizer

    torch.set_num_threads(2)
    model_dir = _model_dir()
    tok = AutoTokenizer.from_pretrained(model_dir)
    enc = AutoModel.from_pretrained(model_dir, dtype=torch.float32).eval()
    keys = [(i, j) for i, r in enumerate(rows) for j in range(len(r["cands"]))]
    x = np.zeros((len(keys), 4 * enc.config.hidden_size), dtype=np.float32)
    with torch.no_grad():
        for k in range(0, len(keys), 64):
            batch = keys[k:k + 64]
            texts = [pair_text(rows[i]["prepared"], rows[i]["cands"][j]) for i, j in batch]
            e = tok(texts, truncation=True, max_length=128, padding=True, return_tensors="pt")
            with torch.autocast("cpu", dtype=torch.bfloat16):
                h = enc(**e).last_hidden_state.float()
            for n, (i, _) in enumerate(batch):
                length = int(e["attention_mask"][n].sum())
                q = min(len(tok(f"query: {rows[i]['prepared']}")["input_ids"]) - 1, length - 1)
                hq, hp = h[n, 1:q].mean(0), h[n, q:length].mean(0)
                x[k + n] = torch.cat([h[n, :length].mean(0), hq, hp, hq * hp]).numpy()
    y = np.array([rows[i]["cands"][j]["label"] for i, j in keys])
    question = np.array([i for i, _ in keys])
    extra: Extra = {}
    for train_idx, test_idx in _folds(rows, 5):
        tr, te = np.isin(question, train_idx), np.isin(question, test_idx)
        mu, sd = x[tr].mean(0), x[tr].std(0) + 1e-6
        model = LogisticRegression(C=0.1, max_iter=3000).fit((x[tr] - mu) / sd, y[tr])
        for key, v in zip(np.array(keys)[te], model.decision_function((x[te] - mu) / sd),
                          strict=True):
            extra[(int(key[0]), int(key[1]))] = float(v)
    return extra


def stage2(rows: Rows) -> None:
    """A second answer-or-refuse model against the first probability alone."""
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score

    from app.answer.fit import MAX_FALSE_ANSWERS, cross_validate
    from app.answer.verify import FEATURES

    fr = fit_rows(rows)
    oof = cross_validate(fr, 5)
    col = {f: k for k, f in enumerate(FEATURES)}
    x, y, answerable, first, keep = [], [], [], [], []
    for n, (r, d, p) in enumerate(zip(fr, rows, oof, strict=True)):
        if not len(p):
            continue
        order = np.argsort(-p)
        i, second = int(order[0]), (float(p[order[1]]) if len(p) > 1 else 0.0)
        sources = [c["source"] for c in d["cands"]]
        f = r.x[i]
        x.append([p[i], math.log(p[i] / (1 - p[i] + 1e-9) + 1e-9), second, p[i] - second,
                  i, i == 0, len(p) > 1 and sources[i] == sources[int(order[1])],
                  (p >= 0.5 * p[i]).sum(), p.sum(), np.argmax(r.x[:, col["dense"]]) == i,
                  np.argmax(r.x[:, col["lex_rel"]]) == i, len(d["question"].split()),
                  f[col["unknown_share"]], f[col["typed_q"]], f[col["values_q"]],
                  f[col["named_q"]], f[col["list_q"]], f[col["kind_wanted"]], len(set(sources))])
        y.append(float(r.answerable and r.right[i] > 0))
        answerable.append(r.answerable)
        first.append(p[i])
        keep.append(n)
    xa, ya, ans = np.array(x, dtype=float), np.array(y), np.array(answerable)
    sub = [rows[n] for n in keep]

    def best(score: np.ndarray) -> str:
        out = None
        for t in np.unique(score):
            a = score >= t
            fa = int((a & ~ans).sum())
            if fa <= MAX_FALSE_ANSWERS * (~ans).sum():
                right, wrong = int((a & (ya == 1)).sum()), int((a & ans & (ya == 0)).sum())
                u = right + int((~ans).sum()) - fa - wrong - fa
                out = max(out or (u, right, wrong, fa), (u, right, wrong, fa))
        assert out is not None
        return f"utility {out[0]} right {out[1]} wrong {out[2]} false answers {out[3]}"

    print(f"first probability: AUC {roc_auc_score(ya, first):.3f}, {best(np.array(first))}")
    models = {"logistic": lambda: LogisticRegression(C=1.0, max_iter=3000),
              "boosted": lambda: HistGradientBoostingClassifier(max_depth=3, learning_rate=0.05,
                                                                max_iter=200)}
    for name, make in models.items():
        s = np.zeros(len(ya))
        for tr, te in _folds(sub, 5):
            mu, sd = xa[tr].mean(0), xa[tr].std(0) + 1e-9
            s[te] = make().fit((xa[tr] - mu) / sd, ya[tr]).predict_proba((xa[te] - mu) / sd)[:, 1]
        print(f"second stage, {name}: AUC {roc_auc_score(ya, s):.3f}, {best(s)}")


def rows_idf(rows: Iterable[dict[str, Any]]) -> Callable[[str], float]:
    """IDF of a word over the distinct candidate passages of dumped ``rows`` (order-free)."""
    from app.answer.sentences import token_set

    texts = {c["text"] for r in rows for c in r["cands"]}
    df = collections.Counter(t for x in texts for t in token_set(x, False))

    def idf(t: str) -> float:
        return math.log(1 + len(texts) / (1 + df.get(t, 0)))

    return idf


def translation(rows: Rows) -> Extra:
    """Out-of-fold translation-model coverage (see the module docstring)."""
    from app.answer.sentences import content_tokens, token_set

    idf = rows_idf(rows)

    def words(r: dict[str, Any], c: dict[str, Any]) -> tuple[set[str], frozenset[str]]:
        q = set(content_tokens(r["prepared"], False)) - token_set(c["title"], False)
        heading = c["section"].split(" › ")[-1] if c["section"] else ""
        return {t for t in q if not t.isdigit()}, token_set(f"{heading} {c['sentence']}", False)

    w = [[words(r, c) for c in r["cands"]] for r in rows]

    def learn(idx: np.ndarray) -> dict[tuple[str, str], float]:
        pairs = [(q, ctx) for i in idx for (q, ctx), c in zip(w[i], rows[i]["cands"], strict=True)
                 if c["label"] and q]
        t: dict[tuple[str, str], float] = collections.defaultdict(lambda: 1e-3)
        for _ in range(5):
            count: dict[tuple[str, str], float] = collections.defaultdict(float)
            total: dict[str, float] = collections.defaultdict(float)
            for q, ctx in pairs:
                targets = [*ctx, "<null>"]
                for a in q:
                    z = sum(t[(a, b)] for b in targets)
                    for b in targets:
                        count[(a, b)] += t[(a, b)] / z
                        total[a] += t[(a, b)] / z
            t = collections.defaultdict(lambda: 1e-3,
                                        {k: v / total[k[0]] for k, v in count.items()})
        return dict(t)

    extra: Extra = {}
    for train_idx, test_idx in _folds(rows, 5):
        table = learn(train_idx)
        for i in test_idx:
            for j, (q, ctx) in enumerate(w[i]):
                whole = sum(idf(a) for a in q)
                got = sum(idf(a) * (1.0 if a in ctx else max(
                    (table.get((a, b), 0.0) for b in ctx), default=0.0)) for a in q)
                extra[(int(i), j)] = got / whole if whole else 1.0
    return extra


def relative(rows: Rows, names: tuple[str, ...]) -> Extra:
    """Each candidate's coverage features relative to the best candidate's for the same
    question, summed (a question no passage covers well is not held against its best one)."""
    from app.answer.verify import FEATURES

    cols = [FEATURES.index(n) for n in names]
    extra: Extra = {}
    for i, r in enumerate(rows):
        x = np.array([c["x"] for c in r["cands"]], dtype=float).reshape(-1, len(FEATURES))
        top = x[:, cols].max(axis=0) if len(x) else np.ones(len(cols))
        for j in range(len(x)):
            extra[(i, j)] = float(sum(x[j, c] / (t or 1.0) for c, t in zip(cols, top,
                                                                          strict=True)))
    return extra


def batch(rows: Rows, other: Rows) -> None:
    """The shipped procedure fitted on ``rows``, reported on ``other``."""
    batch_extra(rows, other, None, None)


def shift(rows: Rows, other: Rows) -> None:
    """Where the shipped verifier's logit differs, on right first choices, between two sets:
    the mean contribution of each feature (weight × standardised value), ``other`` minus
    ``rows``, the largest losses first."""
    from app.answer.verify import FEATURES, load_verifier

    v = load_verifier("e5")
    assert v is not None
    w, mean, scale = np.array(v.weights), np.array(v.mean), np.array(v.scale)

    def contributions(rs: Rows) -> np.ndarray:
        out = []
        for r in rs:
            if r["answerable"] and r["cands"]:
                x = np.array([c["x"] for c in r["cands"]])
                i = int(np.argmax((x - mean) / scale @ w))
                if r["cands"][i]["label"]:
                    out.append(w * (x[i] - mean) / scale)
        return np.array(out)

    a, b = contributions(rows), contributions(other)
    print(f"right first choices: {len(a)} and {len(b)}; mean logit "
          f"{a.sum(1).mean() + v.bias:+.2f} and {b.sum(1).mean() + v.bias:+.2f}")
    diff = b.mean(0) - a.mean(0)
    for k in np.argsort(diff)[:6]:
        print(f"  {FEATURES[k]:18s} {diff[k]:+.2f}")


def _saved_reader(args: argparse.Namespace) -> Any:
    """The reader saved at ``args.model``, its adapters where ``args.targets`` says; with
    ``--product``, through the product's forward pass instead of the training code's."""
    if getattr(args, "product", False):
        return ProductReader(args.model)
    return _reader_trainer(1, 0.0, args.rank, tuple(args.targets.split(","))).load(args.model)


def main(argv: list[str] | None = None) -> int:
    from app.answer.reader import calm_openmp

    calm_openmp()  # before torch loads: a training beside other work (about 1.3 s a step
    # beside a verifier fit in round 37, against 1.9 with libgomp's default spin)
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("dump")
    d.add_argument("--devset", type=Path, default=Path("tests/data/devset.json"))
    d.add_argument("--cache", type=Path, default=None)
    d.add_argument("--out", type=Path, required=True)
    lo = sub.add_parser("lora")
    lo.add_argument("rows", type=Path)
    lo.add_argument("--folds", type=int, default=2)
    lo.add_argument("--epochs", type=int, default=2)
    lo.add_argument("--lr", type=float, default=5e-4)
    lo.add_argument("--rank", type=int, default=8)
    lo.add_argument("--targets", default="query,value")
    lo.add_argument("--first", type=int, default=5, help="negatives: the first N candidates")
    rd = sub.add_parser("reader")
    rd.add_argument("rows", type=Path)
    rd.add_argument("pairs", type=Path, nargs="*", help="paraphrase item files (JSON)")
    rd.add_argument("--other", type=Path, help="rows of a file never fitted on (batch 6)")
    rd.add_argument("--epochs", type=int, default=2)
    rd.add_argument("--lr", type=float, default=5e-4)
    rd.add_argument("--rank", type=int, default=8)
    rd.add_argument("--targets", default="query,value")
    rd.add_argument("--save", type=Path, help="keep the trained adapters and head here")
    rd.add_argument("--domain", type=Path, nargs="*", default=[],
                    help="dumped rows of questions about the libraries to train on too")
    rd.add_argument("--first", type=int, default=3, help="--domain negatives: the first N")
    rd.add_argument("--seed", type=int, default=0, help="initial adapters and batch order")
    rd.add_argument("--same-doc", action="store_true",
                    help="--domain pairs: only candidates from the question's own document")
    rd.add_argument("--checkpoint", type=Path,
                    help="the training's state, kept here as it goes: a rerun resumes from it")
    rd.add_argument("--context", action="store_true",
                    help="round 40's probe: --domain pairs and scored candidates also read the "
                         "clause's passage")
    rd.add_argument("--max-tokens", type=int, default=128, help="each text is cut here")
    rd.add_argument("--listwise", action="store_true",
                    help="round 41's probe LW: a listwise loss with a null option, on whole "
                         "questions (domain rows, paraphrase items and their near misses)")
    rd.add_argument("--view", action="store_true",
                    help="round 41's probe: every text as reader_view writes it (capitals and "
                         "abbreviations spelled as e5 knows them)")
    rd.add_argument("--contrast", action="store_true",
                    help="round 44's probe CN: also train on contrast questions of the domain "
                         "rows (bench.contrast: one detail the clause states swapped)")
    rd.add_argument("--label", action="store_true",
                    help="round 45's probe DLC: every domain and scored text is told its "
                         "document's type, body and level (bench.contrast.document_label)")
    rd.add_argument("--teacher", type=Path, nargs="*", default=[],
                    help="round 52's ED: saved readers (.npz) whose mean logit, through the "
                         "product's forward pass, gives every pair its label (a probability)")
    rd.add_argument("--teacher-scores", type=Path,
                    help="keep the teachers' logits here (.npz), reused when the pairs match")
    rd.add_argument("--order-seed", type=int,
                    help="round 53's SS: --seed sets the initial adapters and head only, this "
                         "the batch order and dropout (same-start runs for a soup)")
    ap_ = sub.add_parser("apply", help="a saved reader: the verifier fitted on the tuning "
                                        "rows with and without its score, out of fold on them "
                                        "(as `reader` reports its arm) and applied to other rows")
    ap_.add_argument("rows", type=Path)
    ap_.add_argument("model", type=Path, help="reader.pt or reader.npz (the shipped file)")
    ap_.add_argument("others", type=Path, nargs="*")
    ap_.add_argument("--rank", type=int, default=8)
    ap_.add_argument("--targets", default="query,value")
    ca = sub.add_parser("cascade", help="a saved reader on the shipped verifier's top candidates")
    ca.add_argument("rows", type=Path)
    ca.add_argument("model", type=Path)
    ca.add_argument("others", type=Path, nargs="*")
    ca.add_argument("--top", type=int, default=3)
    ca.add_argument("--rank", type=int, default=8)
    ca.add_argument("--targets", default="query,value")
    ca.add_argument("--product", action="store_true",
                    help="score with the product's forward pass (app.answer.reader)")
    ca.add_argument("--margin", action="store_true",
                    help="also the reader's margin over the first stage's runner-up (round 14)")
    ca.add_argument("--scores", type=Path,
                    help="the reader's scores of the tuning candidates, cached here")
    th = sub.add_parser("threshold", help="the second stage's threshold chosen on member-style "
                                          "questions (round 12, candidate T)")
    th.add_argument("rows", type=Path)
    th.add_argument("model", type=Path)
    th.add_argument("--select", type=Path, nargs="+", required=True)
    th.add_argument("--judge", type=Path, nargs="*", default=[])
    th.add_argument("--top", type=int, default=1)
    th.add_argument("--rank", type=int, default=8)
    th.add_argument("--targets", default="query,value")
    so = sub.add_parser("soup", help="average saved readers of one recipe into one (round 14)")
    so.add_argument("readers", type=Path, nargs="+")
    so.add_argument("--out", type=Path, required=True)
    tw = sub.add_parser("twins", help="held-out questions with a near twin in training files")
    tw.add_argument("--train", type=Path, nargs="+", required=True)
    tw.add_argument("held", type=Path, nargs="+")
    for name in ("frozen", "stage2", "translation"):
        sub.add_parser(name).add_argument("rows", type=Path)
    rel = sub.add_parser("relative")
    rel.add_argument("rows", type=Path)
    rel.add_argument("--features", default="cov_rest_context")
    for name in ("batch", "shift"):
        b = sub.add_parser(name)
        b.add_argument("rows", type=Path)
        b.add_argument("other", type=Path)
    args = ap.parse_args(argv)
    if args.cmd == "dump":
        dump(args.devset, args.cache, args.out)
        return 0
    if args.cmd == "soup":
        soup(args.readers, args.out)
        return 0
    if args.cmd == "twins":
        from app.answer.evaluate import load_devset

        train = [q["question"] for f in args.train for q in load_devset(f)]
        find = twin_finder(train)
        for f in args.held:
            held = [q["question"] for q in load_devset(f)]
            print(f"{f.name}: {len(find(held))} of {len(held)} questions have a near "
                  f"twin among {len(train)} training questions", flush=True)
        return 0
    rows = pickle.loads(args.rows.read_bytes())
    if args.cmd == "stage2":
        stage2(rows)
        return 0
    if args.cmd in ("batch", "shift"):
        (batch if args.cmd == "batch" else shift)(rows, pickle.loads(args.other.read_bytes()))
        return 0
    if args.cmd == "reader":
        other = pickle.loads(args.other.read_bytes()) if args.other else None
        domain = [r for f in args.domain for r in pickle.loads(f.read_bytes())]
        extra, other_extra = reader(rows, args.pairs, other, args.epochs, args.lr, args.rank,
                                    tuple(args.targets.split(",")), args.save, domain,
                                    args.first, args.seed, args.same_doc, args.checkpoint,
                                    args.context, args.max_tokens, args.view, args.listwise,
                                    args.contrast, args.label, args.teacher,
                                    args.teacher_scores, args.order_seed)
        report_reader(rows, extra)
        if other is not None:
            batch_extra(rows, other, None, None)
            batch_extra(rows, other, extra, other_extra)
        return 0
    if args.cmd == "apply":
        model = _saved_reader(args)
        extra = _score_rows(model, rows)
        report_reader(rows, extra)  # as `reader` reports its trained arm
        for f in args.others:
            other = pickle.loads(f.read_bytes())
            print(f"== {f.name}", flush=True)
            batch_extra(rows, other, None, None)
            batch_extra(rows, other, extra, _score_rows(model, other))
        return 0
    if args.cmd == "threshold":
        model = _saved_reader(args)
        member_threshold(rows, model, [pickle.loads(f.read_bytes()) for f in args.select],
                         [(f.name, pickle.loads(f.read_bytes())) for f in args.judge], args.top)
        return 0
    if args.cmd == "cascade":
        model = _saved_reader(args)
        extra = None
        if args.scores is not None and args.scores.exists():
            extra = pickle.loads(args.scores.read_bytes())
        elif args.scores is not None:
            extra = _score_rows(model, rows)
            args.scores.write_bytes(pickle.dumps(extra))
        stacked_cascade(rows, model, [(f.name, pickle.loads(f.read_bytes())) for f in args.others],
                        args.top, args.margin, extra)
        return 0
    report("shipped features", fit_rows(rows))
    if args.cmd == "lora":
        extra = lora(rows, args.folds, args.epochs, args.lr, args.rank,
                     tuple(args.targets.split(",")), args.first)
    elif args.cmd == "frozen":
        extra = frozen(rows)
    elif args.cmd == "relative":
        extra = relative(rows, tuple(args.features.split(",")))
    else:
        extra = translation(rows)
    report(f"with the {args.cmd} score", fit_rows(rows, extra))
    return 0


if __name__ == "__main__":
    sys.exit(main())
