"""``document_tokens`` of a whole corpus at once, as token ids: the first BM25 build (issue 12).

Per passage only the text clean-up, the code/date patterns and the cut at whitespace stay in
Python (``raw_chunks``); each distinct chunk is cut into words once, each distinct word gets its
forms once (``word_forms``), and every word occurrence becomes a small integer. The bigrams, the
parts of codes and dates and the order of the two views are assembled with numpy over the
whole corpus, and bigram strings are made once per distinct pair of words. The result is exactly
``[document_tokens(t) for t in texts]`` mapped to ids of a vocabulary in order of first
occurrence (``tests/test_tokens.py`` checks it token for token).
"""
from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Sequence

import numpy as np

from app.search.tokens import WordForms, chunk_words, raw_chunks, word_forms


class _Strings:
    """Provisional ids of token strings: equal strings share one id, however they were made."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.text: list[str] = []

    def add(self, strings: Iterable[str]) -> np.ndarray:
        """Ids of ``strings``, new strings appended."""
        ids, text = self.ids, self.text
        out = []
        for s in strings:
            i = ids.get(s)
            if i is None:
                i = ids[s] = len(text)
                text.append(s)
            out.append(i)
        return np.asarray(out, dtype=np.int64)


def _factorize(items: list[str]) -> tuple[list[str], np.ndarray]:
    """(distinct items in order of first occurrence, the index of each item among them)."""
    index = {x: i for i, x in enumerate(dict.fromkeys(items))}
    return list(index), np.fromiter(map(index.__getitem__, items), dtype=np.int64,
                                    count=len(items))


def _expand(runs: tuple[np.ndarray, np.ndarray, np.ndarray],
            items: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each item of ``items`` replaced by its run of values (``runs``: all values, start and
    length per item): (values in order, the position in ``items`` each came from, the index of
    each value within its run)."""
    values, start, length = runs
    cnt = length[items]
    total = int(cnt.sum())
    source = np.repeat(np.arange(len(items)), cnt)
    within = np.arange(total) - np.repeat(np.cumsum(cnt) - cnt, cnt)
    return values[start[items[source]] + within], source, within


def _runs(ids: Callable[[Iterable[str]], np.ndarray],
          groups: list[tuple[str, ...]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per group a run of ids: (ids of all runs, run start, run length)."""
    lengths = np.fromiter(map(len, groups), dtype=np.int64, count=len(groups))
    return ids(itertools.chain.from_iterable(groups)), np.cumsum(lengths) - lengths, lengths


def _scan(texts: Sequence[str]) -> tuple[list[str], np.ndarray, np.ndarray]:
    """(distinct raw words, raw words per text, flat word ids of all texts in order)."""
    per_text = [raw_chunks(t) for t in texts]
    chunk_of = np.repeat(np.arange(len(texts)), [len(c) for c in per_text])
    chunks, chunk_ids = _factorize(list(itertools.chain.from_iterable(per_text)))
    words = _Strings()
    flat, source, _ = _expand(_runs(words.add, [chunk_words(c) for c in chunks]), chunk_ids)
    return words.text, np.bincount(chunk_of[source], minlength=len(texts)), flat


def _parts_of(flat: np.ndarray, doc_of: np.ndarray, n_docs: int,
              runs: tuple[np.ndarray, np.ndarray, np.ndarray]) -> tuple[np.ndarray, ...]:
    """The part tokens of the word occurrences ``flat``: (ids, their text, index in that text's
    run of parts, parts per text)."""
    ids, source, _ = _expand(runs, flat)
    doc = doc_of[source]
    per_doc = np.bincount(doc, minlength=n_docs)
    return ids, doc, np.arange(len(ids)) - (np.cumsum(per_doc) - per_doc)[doc], per_doc


def _bigrams(strings: _Strings, forms: list[WordForms], left: np.ndarray,
             right: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Canonical and stripped bigram ids of the word pairs (``left``, ``right``); the strings of
    each distinct pair are made once."""
    base = max(1, len(forms))
    pairs, inverse = np.unique(left * base + right, return_inverse=True)
    ab = list(zip((pairs // base).tolist(), (pairs % base).tolist(), strict=True))
    canon = strings.add(f"{forms[a].canon}_{forms[b].canon}" for a, b in ab)
    marked = strings.add(f"{forms[a].marked}_{forms[b].plain}" for a, b in ab)
    return canon[inverse.ravel()], marked[inverse.ravel()]


def document_token_ids(texts: Sequence[str]) -> tuple[list[str], np.ndarray, np.ndarray]:
    """(vocabulary, token ids, tokens per text): the ids of each text's ``document_tokens`` in
    order, texts one after the other; the vocabulary holds each token once, in order of first
    occurrence over the texts."""
    if not texts:
        return [], np.zeros(0, np.int64), np.zeros(0, np.int64)
    words, n, flat = _scan(texts)
    forms = [word_forms(w) for w in words]
    strings = _Strings()
    canon_of = strings.add(f.canon for f in forms)  # per distinct word
    marked_of = strings.add(f.marked for f in forms)
    canon_parts = _runs(strings.add, [f.canon_parts for f in forms])
    marked_parts = _runs(strings.add, [f.marked_parts for f in forms])

    # 1. where each word occurrence sits: its text and its position k in that text
    n_docs = len(texts)
    doc_of = np.repeat(np.arange(n_docs), n)
    k = np.arange(len(flat)) - (np.cumsum(n) - n)[doc_of]
    # 2. bigrams: each word with the next one of the same text
    pair = np.flatnonzero(k < n[doc_of] - 1)
    canon_bi, marked_bi = _bigrams(strings, forms, flat[pair], flat[pair + 1])
    # 3. parts of codes and dates, in word order within each text
    cp_ids, cp_doc, cp_j, cp_n = _parts_of(flat, doc_of, n_docs, canon_parts)
    mp_ids, mp_doc, mp_j, mp_n = _parts_of(flat, doc_of, n_docs, marked_parts)
    # 4. each text's tokens: unigrams, bigrams, parts (canonical), then the same stripped
    b = np.maximum(n - 1, 0)
    length = 2 * n + 2 * b + cp_n + mp_n
    off = np.cumsum(length) - length
    out = np.empty(int(length.sum()), dtype=np.int64)
    d = doc_of
    out[off[d] + k] = canon_of[flat]
    out[off[d[pair]] + n[d[pair]] + k[pair]] = canon_bi
    out[off[cp_doc] + n[cp_doc] + b[cp_doc] + cp_j] = cp_ids
    stripped = off + n + b + cp_n  # where each text's stripped view starts
    out[stripped[d] + k] = marked_of[flat]
    out[stripped[d[pair]] + n[d[pair]] + k[pair]] = marked_bi
    out[stripped[mp_doc] + n[mp_doc] + b[mp_doc] + mp_j] = mp_ids
    # 5. vocabulary in order of first occurrence
    first = np.full(len(strings.text), len(out), dtype=np.int64)
    np.minimum.at(first, out, np.arange(len(out)))
    used = np.flatnonzero(first < len(out))
    order = used[np.argsort(first[used], kind="stable")]
    final = np.empty(len(strings.text), dtype=np.int64)
    final[order] = np.arange(len(order))
    return [strings.text[i] for i in order], final[out], length
