"""The fast first BM25 build (issue 12, round 2) builds the index the plain recipe builds: the same
vocabulary, the same score matrix to the bit, the same saved tokens, the same search results."""
from __future__ import annotations

from pathlib import Path

import numpy as np

from app.search.bm25 import STRIPPED_WEIGHT, Bm25Index, cached_bm25, text_keys
from ingest.text import has_diacritics
from tests.test_tokens import (
    ALL_TEXTS,
    _questions,
    _repository_texts,
    reference_document_tokens,
    reference_view,
)


def _reference_scores(index: Bm25Index, query: str) -> np.ndarray:
    """``Bm25Index.scores`` with the query tokenised by the plain recipe."""
    def scores(toks: list[str]) -> np.ndarray:
        known = [t for t in toks if t in index.vocab]
        if not known:
            return np.zeros(len(index.ids), dtype=np.float32)
        return np.asarray(index.model.get_scores(known), dtype=np.float32)

    if has_diacritics(query):
        return scores(reference_view(query, True)) + STRIPPED_WEIGHT * scores(
            reference_view(query, False))
    return scores(reference_view(query, False))


def _plain_build(ids: list[str], texts: list[str]) -> Bm25Index:
    """The index as built before round 2: one text at a time, then from the token lists."""
    return Bm25Index.build_from_tokens(ids, [reference_document_tokens(t) for t in texts],
                                       text_keys(texts))


def test_first_build_is_the_plain_build_to_the_bit() -> None:
    texts = ALL_TEXTS
    ids = [f"p{i}" for i in range(len(texts))]
    fast, plain = Bm25Index.build(ids, texts), _plain_build(ids, texts)
    assert fast.model.vocab_dict == plain.model.vocab_dict
    for key in ("data", "indices", "indptr"):
        assert fast.model.scores[key].dtype == plain.model.scores[key].dtype
        assert np.array_equal(fast.model.scores[key], plain.model.scores[key]), key
    assert fast.model.scores["num_docs"] == plain.model.scores["num_docs"] == len(texts)
    assert fast._tokens is not None and plain._tokens is not None
    assert fast._tokens[0] == plain._tokens[0]
    assert all(np.array_equal(a, b) for a, b in zip(fast._tokens[1:], plain._tokens[1:],
                                                    strict=True))


def test_search_results_are_unchanged() -> None:
    """Every tuning question, and odd queries, score every passage as before, to the bit."""
    texts = _repository_texts()
    ids = [f"p{i}" for i in range(len(texts))]
    fast, plain = Bm25Index.build(ids, texts), _plain_build(ids, texts)
    queries = _questions() + ["58-NQ/TW", "nghị quyết 58", "ngày 15 tháng 9 năm 2020",
                              "kinh phi ngan sach", "§", "", "hoá thuỷ"]
    hits = 0
    for q in queries:
        new, old = fast.scores(q), _reference_scores(plain, q)
        assert np.array_equal(new, old), q
        hits += bool(old.any())
    assert hits > 0.9 * len(queries)  # the comparison is about real rankings, not zeros


def test_build_from_nothing_and_a_next_generation_agree_with_the_plain_build(
        tmp_path: Path) -> None:
    texts = _repository_texts()
    ids = [f"p{i}" for i in range(len(texts))]
    first = cached_bm25(tmp_path, "g1", ids, texts)  # no previous generation: the fast build
    changed = texts[:-3] + ["Kế hoạch mới 12/QĐ-UBND ngày 1 tháng 2 năm 2021", "", "§ x §"]
    second = cached_bm25(tmp_path, "g2", ids, changed)  # tokens of unchanged texts reused
    for idx, body in ((first, texts), (second, changed)):
        plain = _plain_build(ids, body)
        for q in ("học tập nghị quyết", "12/QĐ-UBND", "ngay 1 thang 2", "kinh phí"):
            assert np.array_equal(idx.scores(q), plain.scores(q)), q


def test_document_frequency_counts_passages_in_either_view(tmp_path: Path) -> None:
    texts = ["Thanh Hóa học tập nghị quyết", "Hội nông dân Thanh Hoá", "kế hoạch hành động"]
    index = Bm25Index.build([f"p{i}" for i in range(3)], texts)
    assert index.document_frequency("hóa") == 2  # both tone placements, one canonical form
    assert index.document_frequency("hoa") == 2  # typed without accents: the stripped view
    assert index.document_frequency("hoạch") == 1
    assert index.document_frequency("thời") is None and index.document_frequency("") is None
    saved = cached_bm25(tmp_path, "g1", [f"p{i}" for i in range(3)], texts)
    again = cached_bm25(tmp_path, "g1", [f"p{i}" for i in range(3)], texts)  # read back
    assert saved.document_frequency("hoa") == again.document_frequency("hoa") == 2
    assert Bm25Index.build_from_tokens([], []).document_frequency("hóa") is None
