"""Exact dense search over the passages' vectors, held as one matrix per index generation.

Chroma's vector index is a graph searched approximately, and two builds of one library do not
make the same graph: they retrieved a few questions' candidates differently, and copies of a
passage (a plan as TXT, PDF and DOCX share one vector) came out in the graph's order
(bench/notes/issue-8-round14.md). Here the vectors are read back from the store once per
generation (rows of unchanged passages reused from the previous generation's file), kept on
disk beside the BM25 cache, and searched exactly: one matrix product, ties in id order.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from app.search.generations import latest_other, save_only

Fetch = Callable[[list[str]], dict[str, np.ndarray]]
_FILE = "vectors.npz"


class DenseMatrix:
    """Unit-length passage vectors, one row per id (a zero row, never returned, where the
    store had none)."""

    def __init__(self, ids: Sequence[str], matrix: np.ndarray, model: str = "") -> None:
        self.ids = list(ids)
        self.matrix = matrix
        self.model = model  # the embedder the vectors come from (rows are reused only within it)
        self._absent = ~matrix.any(axis=1) if len(self.ids) else np.zeros(0, dtype=bool)

    @classmethod
    def build(cls, ids: Sequence[str], vectors: dict[str, np.ndarray], model: str = ""
              ) -> DenseMatrix:
        dim = len(next(iter(vectors.values()))) if vectors else 1
        m = np.zeros((len(ids), dim), dtype=np.float32)
        for i, pid in enumerate(ids):
            v = vectors.get(pid)
            if v is not None:
                n = float(np.linalg.norm(v))
                m[i] = np.asarray(v, dtype=np.float32) / (n or 1.0)
        return cls(ids, m, model)

    def top(self, vector: np.ndarray, k: int) -> list[tuple[int, float]]:
        """Row indices and cosines of the ``k`` nearest rows, best first; cosines equal to
        1e-6 in id order, so copies of a passage always come out alike."""
        if not len(self.ids) or k <= 0:
            return []
        q = np.asarray(vector, dtype=np.float32)
        # einsum, not a BLAS product: BLAS threads left spinning after the call slowed the
        # answer reader's torch threads that run next (warm p95 226 against 76 ms at 20,000
        # passages; bench/notes/issue-8-round14.md); one thread takes ~1 ms here
        cos = np.einsum("ij,j->i", self.matrix, q / (float(np.linalg.norm(q)) or 1.0))
        key = np.round(cos.astype(np.float64), 6)
        key[self._absent] = -np.inf
        k = min(k, int((~self._absent).sum()))
        if k <= 0:
            return []
        if k < len(key):
            edge = np.partition(key, len(key) - k)[len(key) - k]
            rows = np.nonzero(key >= edge)[0]  # the first k and every tie at the edge
        else:
            rows = np.arange(len(key))
        best = sorted(rows.tolist(), key=lambda i: (-key[i], self.ids[i]))[:k]
        return [(i, float(cos[i])) for i in best]

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / (_FILE + ".tmp")
        with open(tmp, "wb") as f:
            np.savez(f, ids=np.array(self.ids), matrix=self.matrix, model=np.array(self.model))
        tmp.replace(folder / _FILE)  # readers see the old file or the new one, never half

    @classmethod
    def load(cls, folder: Path) -> DenseMatrix | None:
        try:
            with np.load(folder / _FILE) as f:
                return cls([str(i) for i in f["ids"]], f["matrix"], str(f["model"]))
        except (OSError, KeyError, ValueError):
            return None


def cached_dense(index_dir: Path, generation: str | None, ids: Sequence[str], fetch: Fetch,
                 model: str = "") -> DenseMatrix:
    """The dense matrix of ``generation``: loaded from disk, else built from the previous
    generation's rows (when made by the same ``model``, the embedder's id and dimension) and
    ``fetch`` (the store's vectors of the ids not there) and saved."""
    root = Path(index_dir) / "vectors"
    folder = root / str(generation)
    if generation:
        found = DenseMatrix.load(folder)
        if found is not None and found.ids == list(ids) and found.model == model:
            return found
    known: dict[str, np.ndarray] = {}
    latest = latest_other(root, folder, lambda p: (p / _FILE).exists())
    previous = DenseMatrix.load(latest) if latest is not None else None
    if previous is not None and previous.model == model:  # unchanged passages keep their rows
        known = {pid: row for pid, row, absent in
                 zip(previous.ids, previous.matrix, previous._absent, strict=True) if not absent}
    missing = [i for i in ids if i not in known]
    if missing:
        known.update(fetch(missing))
    matrix = DenseMatrix.build(ids, known, model)
    if generation:
        save_only(root, folder, matrix.save)
    return matrix
