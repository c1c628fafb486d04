"""BM25 over passages (bm25s scoring, our tokenizer, no stop words), built once per generation.

The built index is kept on disk under ``<index_dir>/bm25/<generation>-r<RECIPE>/`` so a cold
process loads it instead of re-tokenising the corpus; older generations are removed when a new
one is saved. Building is proportional to what changed (issue 12): each generation also keeps
its passages' token ids keyed by a hash of the text, so the next generation tokenises only new
or changed texts. A first build tokenises the whole corpus at once (``document_token_ids``: the
same tokens, assembled with numpy), and the BM25 matrix itself is computed with vectorised numpy
(``index_token_ids``), the same numbers as ``bm25s`` (method ``lucene``).
"""
from __future__ import annotations

import hashlib
import itertools
import json
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from app.search.generations import latest_other, save_only
from app.search.token_ids import document_token_ids
from app.search.tokens import STRIPPED, document_tokens, query_views
from ingest.text import has_diacritics

STRIPPED_WEIGHT = 0.5  # the stripped view adds recall when the query has diacritics
RECIPE = "2"  # bump when tokens or indexed texts change: cached indexes are then rebuilt
K1, B = 1.2, 0.75
Tokenizer = Callable[[str], list[str]]
_TOKENS_FILE = "tokens.npz"  # per passage: text hash, token ids into the saved vocabulary


def text_keys(texts: Sequence[str], tokenize: Tokenizer = document_tokens) -> list[str]:
    """Cache keys of indexed texts under one tokenizer (a tokenizer whose output changes under
    the same name must come with a new ``RECIPE``)."""
    name = (f"{getattr(tokenize, '__module__', '')}."
            f"{getattr(tokenize, '__qualname__', repr(tokenize))}\0")
    return [hashlib.blake2b((name + t).encode("utf-8", "replace"), digest_size=12).hexdigest()
            for t in texts]


def index_token_ids(flat: np.ndarray, lengths: np.ndarray, k1: float = K1,
                    b: float = B) -> tuple[dict[str, Any], np.ndarray]:
    """BM25 (Lucene idf and tf) of documents given as non-negative token ids: ``flat`` holds the
    documents one after the other, ``lengths`` the number of tokens of each.

    Returns the ``bm25s`` score matrix (CSC over compact token ids: ``data``, ``indices``,
    ``indptr``, ``num_docs``) and, for each compact id, the original token id it stands for
    (only tokens that occur are kept). Vectorised: ~0.3 s for 20,000 passages of 174 tokens.
    """
    n_docs = len(lengths)
    flat = np.asarray(flat, dtype=np.int64)
    present = np.bincount(flat) > 0  # compact ids without sorting: only tokens that occur
    used = np.flatnonzero(present)
    n_terms = len(used)
    term_of = (np.cumsum(present) - 1)[flat]
    doc_of = np.repeat(np.arange(n_docs, dtype=np.int64), lengths)
    keys, tf = np.unique(term_of * max(1, n_docs) + doc_of, return_counts=True)  # one sort:
    term, doc = keys // max(1, n_docs), keys % max(1, n_docs)  # by token, then document (CSC)
    df = np.bincount(term, minlength=n_terms)
    idf = np.log(1.0 + (n_docs - df + 0.5) / (df + 0.5))
    avg = lengths.mean() if n_docs and lengths.sum() else 1.0
    tfc = tf / (k1 * ((1 - b) + b * lengths[doc] / avg) + tf)
    indptr = np.zeros(n_terms + 2, dtype=np.int32)  # one more (empty) column for the "" token
    np.cumsum(df, out=indptr[1:n_terms + 1])
    indptr[-1] = indptr[-2]
    scores = {"data": (idf[term] * tfc).astype(np.float32), "indices": doc.astype(np.int32),
              "indptr": indptr, "num_docs": n_docs}
    return scores, used


class Bm25Index:
    """Scores every passage for a query; passage order is the order given at build time."""

    def __init__(self, model: Any, ids: list[str]) -> None:
        self.model = model
        self.ids = ids
        self.vocab: dict[str, int] = dict(model.vocab_dict) if model is not None else {}
        self._tokens: tuple[list[str], np.ndarray, np.ndarray] | None = None  # keys, flat, offsets

    @classmethod
    def build(cls, ids: Sequence[str], texts: Sequence[str],
              tokenize: Tokenizer = document_tokens,
              keys: Sequence[str] | None = None) -> Bm25Index:
        """Tokenise and index ``texts`` (one per passage id); ``keys``: their ``text_keys``
        when the caller has them already."""
        keys = text_keys(texts, tokenize) if keys is None else keys
        if tokenize is document_tokens:  # the whole corpus at once, vectorised: same tokens
            vocab, flat, lengths = document_token_ids(texts)
            return cls._from_ids(ids, flat, lengths, vocab, keys)
        return cls.build_from_tokens(ids, [tokenize(t) for t in texts], keys)

    @classmethod
    def build_from_tokens(cls, ids: Sequence[str], tokens: Sequence[Sequence[str]],
                          keys: Sequence[str] | None = None) -> Bm25Index:
        """Index passages given as token lists (one per passage id, any tokenizer's).
        ``keys`` (one per passage, e.g. ``text_keys``) let the next build reuse these tokens."""
        if not tokens:
            return cls(None, [])
        flat = list(itertools.chain.from_iterable(tokens))
        vocab = {t: i for i, t in enumerate(dict.fromkeys(flat))}
        ids_flat = np.fromiter(map(vocab.__getitem__, flat), dtype=np.int64, count=len(flat))
        lengths = np.fromiter(map(len, tokens), dtype=np.int64, count=len(tokens))
        return cls._from_ids(ids, ids_flat, lengths, list(vocab), keys)

    @classmethod
    def _from_ids(cls, ids: Sequence[str], flat: np.ndarray, lengths: np.ndarray,
                  vocab: list[str], keys: Sequence[str] | None) -> Bm25Index:
        """The index of documents given as ids into ``vocab`` (``flat``: all documents' ids one
        after the other, ``lengths``: ids per document)."""
        import bm25s

        if not len(lengths):
            return cls(None, [])
        scores, used = index_token_ids(flat, lengths)
        model = bm25s.BM25(k1=K1, b=B)
        model.scores = scores
        model.vocab_dict = {vocab[int(u)]: i for i, u in enumerate(used)}
        model.vocab_dict.setdefault("", len(used))
        model.unique_token_ids_set = set(model.vocab_dict.values())
        model.nonoccurrence_array = None  # only BM25L / BM25+ use one
        index = cls(model, list(ids))
        if keys is not None:
            remap = np.zeros(max(1, len(vocab)), dtype=np.int32)
            remap[used] = np.arange(len(used), dtype=np.int32)
            offsets = np.concatenate([[0], np.cumsum(lengths)])
            index._tokens = (list(keys), remap[flat], offsets)
        return index

    @classmethod
    def build_reusing(cls, ids: Sequence[str], texts: Sequence[str], previous: Path | None,
                      tokenize: Tokenizer = document_tokens) -> Bm25Index:
        """Like ``build``, tokenising only texts that the index saved in ``previous`` lacks."""
        keys = text_keys(texts, tokenize)
        old = _load_tokens(previous) if previous else None
        if old is None:
            return cls.build(ids, texts, tokenize, keys)
        old_vocab, old_keys, flat, offsets = old
        where = {k: i for i, k in enumerate(old_keys)}
        vocab = {t: i for i, t in enumerate(old_vocab)}
        docs = []
        for key, text in zip(keys, texts, strict=True):
            i = where.get(key)
            if i is not None:
                docs.append(flat[offsets[i]:offsets[i + 1]].astype(np.int64))
            else:
                toks = tokenize(text)
                docs.append(np.fromiter((vocab.setdefault(t, len(vocab)) for t in toks),
                                        dtype=np.int64, count=len(toks)))
        lengths = np.fromiter(map(len, docs), dtype=np.int64, count=len(docs))
        flat_ids = np.concatenate(docs) if docs else np.zeros(0, np.int64)
        return cls._from_ids(ids, flat_ids, lengths, list(vocab), keys)

    def save(self, folder: Path) -> None:
        """Write the index to ``folder`` (replacing it), with its tokens for the next build."""
        if self.model is None:
            return
        tmp = folder.with_name(folder.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        self.model.save(str(tmp), show_progress=False)
        (tmp / "ids.json").write_text(json.dumps(self.ids))
        if self._tokens is not None:
            keys, flat, offsets = self._tokens
            np.savez(tmp / _TOKENS_FILE, keys=np.asarray(keys), flat=flat, offsets=offsets)
        shutil.rmtree(folder, ignore_errors=True)
        tmp.rename(folder)

    @classmethod
    def load(cls, folder: Path) -> Bm25Index:
        """Read an index written by ``save`` (its arrays memory-mapped, without bm25s)."""
        model: Any = SavedBm25.load(folder)
        if model is None:  # written with other settings than this module uses: bm25s reads it
            import bm25s

            model = bm25s.BM25.load(str(folder), show_progress=False, verbosity=0)
        return cls(model, json.loads((folder / "ids.json").read_text()))

    def _scores(self, toks: list[str]) -> np.ndarray:
        known = [t for t in toks if t in self.vocab]
        if not known:
            return np.zeros(len(self.ids), dtype=np.float32)
        return np.asarray(self.model.get_scores(known), dtype=np.float32)

    def document_frequency(self, token: str) -> int | None:
        """How many passages hold the syllable ``token`` (its canonical form, ``hóa``, or its
        accent-stripped view when typed without accents, ``hoa``; either view as a fallback);
        None when the index does not know it."""
        if self.model is None or not token:
            return None
        i = self.vocab.get(token if has_diacritics(token) else STRIPPED + token)
        if i is None:
            i = self.vocab.get(token)
        if i is None:
            return None
        indptr = self.model.scores["indptr"]  # per-token postings
        return int(indptr[i + 1] - indptr[i])

    def postings_offsets(self) -> np.ndarray:
        """Where each token's postings start (by vocabulary id; one more entry at the end):
        consecutive differences are document frequencies."""
        if self.model is None:
            return np.zeros(1, dtype=np.int64)
        return np.asarray(self.model.scores["indptr"])

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every passage (aligned with ``ids``)."""
        if self.model is None:
            return np.zeros(0, dtype=np.float32)
        canon, stripped = query_views(query)
        if canon:
            return self._scores(canon) + STRIPPED_WEIGHT * self._scores(stripped)
        return self._scores(stripped)


class SavedBm25:
    """A saved ``bm25s.BM25`` index (method ``lucene``) read back for scoring only: the same
    ``scores``, ``vocab_dict`` and ``get_scores`` numbers as ``bm25s.BM25.load``, with the
    score arrays memory-mapped and neither bm25s nor scipy imported (0.3 s of a cold start)."""

    def __init__(self, scores: dict[str, Any], vocab_dict: dict[str, int], dtype: str,
                 int_dtype: str) -> None:
        self.scores = scores
        self.vocab_dict = vocab_dict
        self.dtype, self.int_dtype = dtype, int_dtype

    @classmethod
    def load(cls, folder: Path) -> SavedBm25 | None:
        """The index saved in ``folder``, or None when it was not saved the way ``save``
        writes it (another method, or BM25L/BM25+ extras)."""
        params = json.loads((folder / "params.index.json").read_text(encoding="utf-8"))
        if (params.get("method"), params.get("k1"), params.get("b")) != ("lucene", K1, B) or \
                (folder / "nonoccurrence_array.index.npy").exists():
            return None
        scores = {name: np.load(folder / f"{name}.csc.index.npy", mmap_mode="r")
                  for name in ("data", "indices", "indptr")}
        scores["num_docs"] = params["num_docs"]
        vocab = json.loads((folder / "vocab.index.json").read_text(encoding="utf-8"))
        return cls(scores, vocab, params.get("dtype", "float32"), params.get("int_dtype", "int32"))

    def get_scores(self, query_tokens: list[str]) -> np.ndarray:
        """Score of every document for known ``query_tokens`` (``bm25s.BM25.get_scores``: each
        token's postings added in query order, repeated tokens counted again)."""
        ids = np.asarray([self.vocab_dict[t] for t in query_tokens if t in self.vocab_dict],
                         dtype=np.dtype(self.int_dtype))
        data, indices, indptr = (self.scores[k] for k in ("data", "indices", "indptr"))
        out = np.zeros(self.scores["num_docs"], dtype=np.dtype(self.dtype))
        for start, end in zip(indptr[ids], indptr[ids + 1], strict=True):
            np.add.at(out, indices[start:end], data[start:end])
        return out


def _load_tokens(folder: Path) -> tuple[list[str], list[str], np.ndarray, np.ndarray] | None:
    """(vocabulary by id, text keys, flat token ids, offsets) saved with an index, if any."""
    try:
        vocab_dict = json.loads((folder / "vocab.index.json").read_text(encoding="utf-8"))
        with np.load(folder / _TOKENS_FILE) as z:
            keys, flat, offsets = [str(k) for k in z["keys"]], z["flat"], z["offsets"]
    except (OSError, ValueError, KeyError):
        return None
    vocab = [""] * (max(vocab_dict.values(), default=-1) + 1)
    for token, i in vocab_dict.items():
        vocab[int(i)] = token
    return vocab, keys, flat, offsets


def cached_bm25(index_dir: Path, generation: str | None, ids: Sequence[str],
                texts: Sequence[str], tokenize: Tokenizer = document_tokens) -> Bm25Index:
    """Load the BM25 index of ``generation`` from disk, or build and store it, tokenising only
    the texts that the previous stored generation did not hold. ``tokenize`` turns a text into
    its tokens (default: ``app.search.tokens.document_tokens``)."""
    if not generation:
        return Bm25Index.build(ids, texts, tokenize)
    root = Path(index_dir) / "bm25"
    folder = root / f"{generation}-r{RECIPE}"
    if (folder / "ids.json").exists():
        try:
            idx = Bm25Index.load(folder)
            if idx.ids == list(ids):
                return idx
        except Exception:  # noqa: BLE001 - a damaged cache is rebuilt
            pass
    # the most recent other saved index of the same recipe: its tokens can be reused
    previous = latest_other(root, folder, lambda p: p.name.endswith(f"-r{RECIPE}")
                            and (p / _TOKENS_FILE).exists())
    idx = Bm25Index.build_reusing(ids, texts, previous, tokenize)
    save_only(root, folder, idx.save)
    return idx
