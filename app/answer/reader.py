"""The reader: a cross-encoder that scores how well a clause answers a question.

It is multilingual-e5-small (the converted model in the model cache, ``ingest.embed.e5convert``)
reading ``query: <question> passage: <heading> <clause>`` as one input, with rank-8 adapters
on every linear layer of its encoder (the attention's query, key, value and output, both
feed-forward layers; two epochs — on query and value only, one epoch, before round 18,
bench/notes/issue-8-round18.md)
and a linear head on the mean-pooled output
(``reader.npz``: the adapters and the head only, float32). It was trained on paraphrase items
written about *other* documents (``bench/data/paraphrase-pairs-*.json``: a clause, a
member-style question it answers, a near miss it does not) and, since round 13
(bench/notes/issue-8-round13.md), on member-style questions about the development libraries:
the read batches ``tests/data/heldout-fresh.json`` and ``-fresh2`` … ``-fresh96.json`` (to
``-fresh16`` in round 13, ``-fresh56`` in round 20, ``-fresh96`` in round 28), each
question with its first three retrieved candidates and every right one. Those batches are
reader training data now, not held-out data; it never saw the tuning set (the verifier's
second stage is fitted on the reader's out-of-sample logits there), ``heldout.json`` or any
later batch. ``make reader`` rebuilds it from the repository (dumps the rows with fresh library
caches, trains, then refits ``verifier.json``), and since round 15 (bench/notes/issue-8-round15.md)
this file and ``verifier.json`` are what it writes, byte for byte on this project's machine: the
training is repeatable (the same rows and seed give the same file), the rows are (round 14's
exact dense search, ``app.search.vectors``, and order-free feature sums), and so is the fit.
The training step alone:

    python -m bench.probe_verifier reader ROWS.pkl bench/data/paraphrase-pairs-{1..12}.json \
        --domain FRESH-ROWS.pkl… --first 3 --epochs 2 \
        --targets query,key,value,attn_out,ffn_in,ffn_out --save app/answer/reader.npz

Its logit is one feature of the answer verifier (``verify.READER``), read for the candidate the
verifier's first stage ranks highest (bench/notes/issue-8-round10.md, -round11.md). It is on by
default (``Settings.reader_backend`` ``auto``): it answers more member-style questions right, at
~1.35x the warm time of the engine without it.

Two backends compute the same forward pass: ``numpy`` (float32; loads in well under a second,
for the command line's cold start) and ``torch`` (bfloat16 matrix products where the CPU has
them, as in training; ~4x faster per question — 54 against ~240 ms for three candidates —
for long-running processes that have torch loaded: the web app, ``hoctap eval``, the fit).
Their logits agree with the training code's within 0.04 (whose standard deviation is ~1.26).
"""
from __future__ import annotations

import json
import math
import os
import struct
import sys
import threading
from collections.abc import Mapping, MutableMapping
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from ingest.facts import SEPARATOR, last_heading

READER_PATH = Path(__file__).with_name("reader.npz")
MAX_TOKENS = 128  # as in training
_HEADS = 12
DEFAULT_LORA_SCALE = 16 / 8  # α / rank of a file without its scale (rank 8, α 16)
LORA_SCALE_KEY = "lora.scale"  # α / rank, saved by ``bench.probe_verifier.save_reader`` when
# it is not rank 8's


def pair_text(question: str, section: str, clause: str, label: str = "") -> str:
    """What the reader reads: the question, the clause's last heading, the clause; with
    ``label`` (round 45's probe DLC: the document's type, body and level, which the product
    does not pass), that first, before the heading."""
    heading = last_heading(section)
    head = f"{label}{SEPARATOR}{heading}" if label else heading
    return f"query: {question} passage: {head} {clause}".strip()


def _safetensors(path: Path) -> dict[str, np.ndarray]:
    """The tensors of a ``.safetensors`` file, memory-mapped (nothing is read until used)."""
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
    data = np.memmap(path, dtype=np.uint8, mode="r", offset=8 + n)
    kinds = {"F32": np.float32, "F16": np.float16}
    out = {}
    for name, t in header.items():
        if name == "__metadata__":
            continue
        a, b = t["data_offsets"]
        out[name] = data[a:b].view(kinds[t["dtype"]]).reshape(t["shape"])
    return out


class _Layer(NamedTuple):
    """One encoder layer's weights, in the order ``_forward`` unpacks them."""

    qkv: np.ndarray  # in × 3·hidden (query part pre-divided by √head size)
    qkv_b: np.ndarray
    out: np.ndarray
    out_b: np.ndarray
    ln1: tuple[np.ndarray, np.ndarray]
    up: np.ndarray
    up_b: np.ndarray
    down: np.ndarray
    down_b: np.ndarray
    ln2: tuple[np.ndarray, np.ndarray]


class Reader:
    """The reader's weights (adapters merged into the encoder) and its forward pass."""

    def __init__(self, model_dir: Path, adapters: Path = READER_PATH, backend: str = "auto"
                 ) -> None:
        from tokenizers import Tokenizer

        t = _safetensors(model_dir / "model.safetensors")
        ad = dict(np.load(adapters))
        lora_scale = float(ad.pop(LORA_SCALE_KEY, DEFAULT_LORA_SCALE))
        self.backend = _backend(backend)
        self.word = t["embeddings.word_embeddings.weight"]  # memory-mapped: rows read on use
        self.pos = (t["embeddings.position_embeddings.weight"]
                    + t["embeddings.token_type_embeddings.weight"][0]).astype(np.float32)
        self.ln0 = (np.asarray(t["embeddings.LayerNorm.weight"], np.float32),
                    np.asarray(t["embeddings.LayerNorm.bias"], np.float32))
        hidden = self.pos.shape[1]
        scale = 1 / math.sqrt(hidden // _HEADS)

        def linear(prefix: str) -> tuple[np.ndarray, np.ndarray]:
            w = np.asarray(t[prefix + ".weight"], np.float32)
            key = "enc." + prefix
            if key + ".a" in ad:
                w = w + lora_scale * ad[key + ".b"] @ ad[key + ".a"]
            return w, np.asarray(t[prefix + ".bias"], np.float32)

        self.layers = []
        i = 0
        while f"encoder.layer.{i}.output.dense.weight" in t:
            p = f"encoder.layer.{i}."
            (q, qb), (k, kb), (v, vb) = (linear(p + "attention.self." + n)
                                         for n in ("query", "key", "value"))
            o, ob = linear(p + "attention.output.dense")
            up, upb = linear(p + "intermediate.dense")
            down, downb = linear(p + "output.dense")
            self.layers.append(_Layer(
                np.ascontiguousarray(np.concatenate([q * scale, k, v]).T),
                np.concatenate([qb * scale, kb, vb]), np.ascontiguousarray(o.T), ob,
                (np.asarray(t[p + "attention.output.LayerNorm.weight"], np.float32),
                 np.asarray(t[p + "attention.output.LayerNorm.bias"], np.float32)),
                np.ascontiguousarray(up.T), upb, np.ascontiguousarray(down.T), downb,
                (np.asarray(t[p + "output.LayerNorm.weight"], np.float32),
                 np.asarray(t[p + "output.LayerNorm.bias"], np.float32))))
            i += 1
        self.head = ad["head.weight"].reshape(-1).astype(np.float32)
        self.head_b = float(ad["head.bias"].reshape(-1)[0])
        self.tok = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self.tok.enable_truncation(MAX_TOKENS)
        self._ops = _TorchOps(self) if self.backend == "torch" else _NumpyOps(self)

    def scores(self, texts: list[str]) -> list[float]:
        """The reader's logit for each ``pair_text``: higher = the clause answers."""
        if not texts:
            return []
        ids = [e.ids for e in self.tok.encode_batch(texts)]
        return self._ops.run(lambda: _forward(self._ops, ids))


def _forward(ops: Any, ids: list[list[int]]) -> list[float]:
    """The encoder over all inputs at once: their tokens packed into one matrix for the
    token-wise products, attention within each input; the head on each input's mean."""
    spans, pos, at = [], [], 0
    for x in ids:
        spans.append((at, at + len(x)))
        pos += range(len(x))
        at += len(x)
    tokens = [t for x in ids for t in x]
    pad = -at % ops.rows  # padding rows (token 0 at position 0) that no span reads
    x = ops.layer_norm(ops.embed(tokens + [0] * pad, pos + [0] * pad), ops.ln0)
    h = ops.hidden
    d = h // _HEADS
    for qkv_w, qkv_b, o_w, o_b, ln1, up_w, up_b, dn_w, dn_b, ln2 in ops.layers:
        qkv = ops.mm(x, qkv_w) + qkv_b
        parts = []
        for a, b in spans:
            q, k, v = (qkv[a:b, j * h:(j + 1) * h].reshape(b - a, _HEADS, d).swapaxes(0, 1)
                       for j in range(3))
            parts.append((ops.softmax(q @ k.swapaxes(1, 2)) @ v).swapaxes(0, 1)
                         .reshape(b - a, h))
        parts.append(qkv[at:, 2 * h:])  # the padding rows: anything of the right width
        x = ops.layer_norm(ops.mm(ops.cat(parts), o_w) + o_b + x, ln1)
        x = ops.layer_norm(ops.mm(ops.gelu(ops.mm(x, up_w) + up_b), dn_w) + dn_b + x, ln2)
    return [float(x[a:b].mean(0) @ ops.head) + ops.head_b for a, b in spans]


class _NumpyOps:
    """The forward pass's operations in numpy, float32."""

    rows = 1  # BLAS takes any number of rows alike

    def __init__(self, r: Reader) -> None:
        self.r, self.hidden, self.head, self.head_b = r, r.pos.shape[1], r.head, r.head_b
        self.ln0, self.layers = r.ln0, r.layers

    def run(self, f: Any) -> Any:
        return f()

    def embed(self, ids: list[int], pos: list[int]) -> np.ndarray:
        return self.r.word[ids].astype(np.float32) + self.r.pos[pos]

    def mm(self, x: np.ndarray, w: np.ndarray) -> np.ndarray:
        return x @ w

    def cat(self, parts: list[np.ndarray]) -> np.ndarray:
        return np.concatenate(parts)

    def softmax(self, a: np.ndarray) -> np.ndarray:
        a = np.exp(a - a.max(-1, keepdims=True))
        return a / a.sum(-1, keepdims=True)

    def layer_norm(self, x: np.ndarray, wb: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
        x = x - x.mean(-1, keepdims=True)
        return x / np.sqrt((x * x).mean(-1, keepdims=True) + 1e-12) * wb[0] + wb[1]

    def gelu(self, x: np.ndarray) -> np.ndarray:
        """GELU with erf (as BERT's), erf by Abramowitz–Stegun 7.1.26 (error < 1.5e-7)."""
        z = np.abs(x) * 0.7071067811865476
        t = 1 / (1 + 0.3275911 * z)
        poly = ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t
                + 0.254829592) * t
        return 0.5 * x * (1 + np.sign(x) * (1 - poly * np.exp(-z * z)))


class _TorchOps:
    """The same operations in torch: matrix products in bfloat16 where the CPU multiplies it
    natively (the reader was trained under bfloat16 autocast), float32 elsewhere."""

    # oneDNN compiles a bfloat16 kernel for each new number of rows (~2 ms each time): padding
    # to a multiple keeps to a few shapes (3x faster per question, measured)
    rows = 64

    def __init__(self, r: Reader) -> None:
        import torch

        from ingest.embed.st import cpu_has_bf16

        self.torch, self.r, self.hidden, self.head_b = torch, r, r.pos.shape[1], r.head_b
        self.dtype = torch.bfloat16 if cpu_has_bf16() else torch.float32

        def m(a: np.ndarray) -> Any:
            return torch.tensor(a).to(self.dtype)

        def f(a: np.ndarray) -> Any:
            return torch.tensor(np.asarray(a, dtype=np.float32))

        self.pos, self.head = f(r.pos), f(r.head)
        self.ln0 = (f(r.ln0[0]), f(r.ln0[1]))
        self.layers = [_Layer(m(L.qkv), f(L.qkv_b), m(L.out), f(L.out_b),
                              (f(L.ln1[0]), f(L.ln1[1])), m(L.up), f(L.up_b), m(L.down),
                              f(L.down_b), (f(L.ln2[0]), f(L.ln2[1]))) for L in r.layers]

    def run(self, f: Any) -> Any:
        """``f``; on one torch thread when called from a thread other than the main one (the
        web app: Streamlit answers each question in a new thread). There a team of OpenMP
        threads is made for each new thread (one candidate: 17 ms against 13.5 on one thread)
        and keeps spinning after the pass, taking a core from the rest of the app (answer p50
        0.46 s against 0.32 s; bench/notes/issue-8-round11.md). The main thread keeps its team
        (9–10 ms)."""
        torch = self.torch
        threads = torch.get_num_threads()
        worker = threading.current_thread() is not threading.main_thread()
        if worker:
            torch.set_num_threads(1)
        try:
            with torch.inference_mode():
                return f()
        finally:
            if worker:
                torch.set_num_threads(threads)

    def embed(self, ids: list[int], pos: list[int]) -> Any:
        return self.torch.from_numpy(self.r.word[ids].astype(np.float32)) + self.pos[pos]

    def mm(self, x: Any, w: Any) -> Any:
        return (x.to(self.dtype) @ w).float()

    def cat(self, parts: list[Any]) -> Any:
        return self.torch.cat(parts)

    def softmax(self, a: Any) -> Any:
        return self.torch.softmax(a, dim=-1)

    def layer_norm(self, x: Any, wb: tuple[Any, Any]) -> Any:
        return self.torch.nn.functional.layer_norm(x, (self.hidden,), *wb, eps=1e-12)

    def gelu(self, x: Any) -> Any:
        return self.torch.nn.functional.gelu(x)


def _backend(name: str) -> str:
    """``numpy``, ``torch`` or ``off`` (no reader); ``auto``: torch when the process has
    already loaded it (a long-running one), numpy otherwise (importing torch costs seconds)."""
    if name == "auto":
        return "torch" if "torch" in sys.modules else "numpy"
    if name not in ("numpy", "torch", "off"):
        raise ValueError(f"reader backend: numpy, torch, auto or off, not {name!r}")
    return name


def many_questions(backend: str) -> str:
    """The backend for a process that answers many questions (the web app, ``hoctap eval``):
    ``auto`` becomes torch, whose import costs seconds once and then reads ~4x faster."""
    return "torch" if backend == "auto" else backend


# libgomp's spin count when it has more threads than cores: its threads then sleep soon
OPENMP_SPINCOUNT = "1000"
_OPENMP_KNOBS = ("OMP_WAIT_POLICY", "GOMP_SPINCOUNT")


def calm_openmp(environ: MutableMapping[str, str] = os.environ,
                modules: Mapping[str, object] = sys.modules) -> bool:
    """For a process that reads many questions on the main thread (``hoctap eval``, the
    verifier's fit, the reader's training) or embeds many passages (``hoctap ingest``):
    torch's OpenMP threads spin 1,000 times instead of libgomp's 300,000 before they sleep
    while waiting for each other. Beside other work one thread of the team is often
    descheduled while its partner spins, and each of the reader's many small operations then
    waits for a time slice: 40 questions took 26.6 s instead of 7.2 beside two busy
    processes, 14.6 s with this, and 7.0 s on the idle machine against 7.2
    (``bench/bench_eval_load.py``); the answers are the same. An ingest's larger products
    lose less: the test library took 26.9 s beside two busy processes, 23.3 s with this, and
    13.1 s idle either way (``--work ingest``). Only when the environment sets neither knob
    and torch is not loaded yet (libgomp reads them once); returns whether it set it."""
    if "torch" in modules or any(k in environ for k in _OPENMP_KNOBS):
        return False
    environ["GOMP_SPINCOUNT"] = OPENMP_SPINCOUNT
    return True


_LOADING = threading.Lock()


def load_reader(model_cache_dir: Path, backend: str = "auto") -> Reader | None:
    """The reader over the converted e5 model in ``model_cache_dir`` (converted on first use),
    or None when ``reader.npz`` is missing or the backend is ``off``; one per process and
    backend, also when threads ask at once (the web app loads it in the background while a
    first question may already need it)."""
    with _LOADING:
        return _load(Path(model_cache_dir), _backend(backend))


@lru_cache(maxsize=2)
def _load(model_cache_dir: Path, backend: str) -> Reader | None:
    from ingest.embed.e5convert import DEFAULT_MODEL_NAME, ensure_default_model

    if backend == "off" or not READER_PATH.exists():
        return None
    model_dir = model_cache_dir / DEFAULT_MODEL_NAME
    if not (model_dir / "model.safetensors").exists():  # verified once when converted
        model_dir = ensure_default_model(model_cache_dir)
    return Reader(model_dir, READER_PATH, backend)
