"""How well the retrieved passages support an answer: the features refusal is decided on.

``coverage`` is the IDF-weighted share of the question's content syllables found in a passage
(accent-stripped, so phone-typed questions count the same); unknown words weigh the most, so a
question about prices or the weather, whose key words the corpus never uses, scores low.
"""
from __future__ import annotations

import math
import weakref
from collections.abc import Callable
from functools import lru_cache

from app.answer.sentences import content_tokens, idf_mass, token_set
from app.search.bm25 import Bm25Index
from ingest.text import has_diacritics, search_tokens

# Chosen on tests/data/devset.json: below this coverage a passage does not hold the question's
# subject (used to offer a look-alike document's answer beside the chosen one; refusal itself
# is the verifier's, ``app/answer/verify.py``).
MIN_COVERAGE = 0.42
PAIR_WEIGHT = 0.5


_IDF: weakref.WeakKeyDictionary[Bm25Index, Callable[[str], float]] = weakref.WeakKeyDictionary()


def idf_function(bm25: Bm25Index) -> Callable[[str], float]:
    """IDF of a syllable in the index: canonical form (``hóa``) or, prefixed by the caller's
    view, accent-stripped (``hoa``). Unknown words weigh 0.6 of the maximum. One function (and
    its memo) per index."""
    fn = _IDF.get(bm25)
    if fn is None:
        fn = _IDF[bm25] = _idf_function(bm25)
    return fn


def _idf_function(bm25: Bm25Index) -> Callable[[str], float]:
    n = max(1, len(bm25.ids))
    top = math.log(1 + n)
    unknown = top * 0.6  # unknown words count, but a paraphrase must not sink an answer
    if bm25.model is None:
        return lambda t: top
    memo: dict[str, float] = {}

    def idf(token: str) -> float:
        if not token:
            return top
        value = memo.get(token)
        if value is not None:
            return value
        df = bm25.document_frequency(token)
        if df is None:
            value = unknown
        else:
            value = math.log(1 + (n - df + 0.5) / (df + 0.5))
        memo[token] = value
        return value

    return idf


_KNOWN: weakref.WeakKeyDictionary[Bm25Index, Callable[[str], bool]] = weakref.WeakKeyDictionary()


def known_function(bm25: Bm25Index) -> Callable[[str], bool]:
    """Whether the index's documents use a syllable at all (canonical, or accent-stripped when
    typed without accents): a question word they never use is a paraphrase or a subject they
    do not treat."""
    fn = _KNOWN.get(bm25)
    if fn is None:
        def fn(token: str) -> bool:
            return bm25.document_frequency(token) is not None

        _KNOWN[bm25] = fn
    return fn


@lru_cache(maxsize=4096)
def _content_bigrams(question: str, accents: bool) -> frozenset[str]:
    """Adjacent pairs of the question's syllables, both outside the question frame: its
    compound words ("dân số", "thời tiết", "tài liệu")."""
    toks = [t for t in search_tokens(question, accents=accents) if "_" not in t]
    keep = set(content_tokens(question, accents))
    return frozenset(f"{a}_{b}" for a, b in zip(toks, toks[1:], strict=False)
                     if a in keep and b in keep and not a.isdigit() and not b.isdigit())


def coverage(question: str, text: str, idf: Callable[[str], float]) -> float:
    """How much of the question's subject ``text`` holds, 0..1: the mean of the IDF-weighted
    share of its content syllables and that of its compound words (syllable pairs) present; with accents when the question has them, else accent-stripped."""
    accents = has_diacritics(question)
    q = set(content_tokens(question, accents))
    if not q:
        return 0.0
    have = token_set(text, accents)
    total = idf_mass(q, idf)
    words = idf_mass(q & have, idf) / total if total else 0.0
    pairs = _content_bigrams(question, accents)
    if not pairs:
        return words
    pair_total = idf_mass(pairs, idf)
    compounds = idf_mass(pairs & have, idf) / pair_total if pair_total else 1.0
    return (1 - PAIR_WEIGHT) * words + PAIR_WEIGHT * compounds
