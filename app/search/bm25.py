"""BM25 over passages (bm25s, our tokenizer, no stop words), built once per index generation.

The built index is kept on disk under ``<index_dir>/bm25/<generation>/`` so a cold process loads
it instead of re-tokenising the corpus; older generations are removed when a new one is saved.
"""
from __future__ import annotations

import json
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from app.search.tokens import document_tokens, query_views

STRIPPED_WEIGHT = 0.5  # the stripped view adds recall when the query has diacritics
RECIPE = "2"  # bump when tokens or indexed texts change: cached indexes are then rebuilt


class Bm25Index:
    """Scores every passage for a query; passage order is the order given at build time."""

    def __init__(self, model: Any, ids: list[str]) -> None:
        self.model = model
        self.ids = ids
        self.vocab: dict[str, int] = dict(model.vocab_dict) if model is not None else {}

    @classmethod
    def build(cls, ids: Sequence[str], texts: Sequence[str]) -> Bm25Index:
        """Tokenise and index ``texts`` (one per passage id)."""
        import bm25s

        if not texts:
            return cls(None, [])
        corpus = [document_tokens(t) for t in texts]
        model = bm25s.BM25(k1=1.2, b=0.75)
        model.index(corpus, show_progress=False)
        return cls(model, list(ids))

    def save(self, folder: Path) -> None:
        """Write the index to ``folder`` (replacing it)."""
        if self.model is None:
            return
        tmp = folder.with_name(folder.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        self.model.save(str(tmp), show_progress=False)
        (tmp / "ids.json").write_text(json.dumps(self.ids))
        shutil.rmtree(folder, ignore_errors=True)
        tmp.rename(folder)

    @classmethod
    def load(cls, folder: Path) -> Bm25Index:
        """Read an index written by ``save``."""
        import bm25s

        model = bm25s.BM25.load(str(folder), show_progress=False, verbosity=0)
        return cls(model, json.loads((folder / "ids.json").read_text()))

    def _scores(self, toks: list[str]) -> np.ndarray:
        known = [t for t in toks if t in self.vocab]
        if not known:
            return np.zeros(len(self.ids), dtype=np.float32)
        return np.asarray(self.model.get_scores(known), dtype=np.float32)

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every passage (aligned with ``ids``)."""
        if self.model is None:
            return np.zeros(0, dtype=np.float32)
        canon, stripped = query_views(query)
        if canon:
            return self._scores(canon) + STRIPPED_WEIGHT * self._scores(stripped)
        return self._scores(stripped)


def cached_bm25(index_dir: Path, generation: str | None, ids: Sequence[str],
                texts: Sequence[str]) -> Bm25Index:
    """Load the BM25 index of ``generation`` from disk, or build and store it."""
    if not generation:
        return Bm25Index.build(ids, texts)
    root = Path(index_dir) / "bm25"
    folder = root / f"{generation}-r{RECIPE}"
    if (folder / "ids.json").exists():
        try:
            idx = Bm25Index.load(folder)
            if idx.ids == list(ids):
                return idx
        except Exception:  # noqa: BLE001 - a damaged cache is rebuilt
            pass
    idx = Bm25Index.build(ids, texts)
    try:
        root.mkdir(parents=True, exist_ok=True)
        idx.save(folder)
        for old in root.iterdir():
            if old.name != folder.name:
                shutil.rmtree(old, ignore_errors=True)
    except OSError:  # a read-only index still answers, it just rebuilds next time
        pass
    return idx
