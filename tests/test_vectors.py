"""app.search.vectors: the exact dense search and its per-generation cache."""
from __future__ import annotations

import numpy as np

from app.search.vectors import DenseMatrix, cached_dense


def _vectors(n: int = 30, dim: int = 16) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(0)
    base = rng.normal(size=(n, dim)).astype(np.float32)
    out = {f"p{i:02d}": base[i] for i in range(n)}
    out |= {f"c{i}": base[0] * (i + 1) for i in range(4)}  # copies of p00 (any length)
    return out


def test_top_is_exact_and_copies_come_out_in_id_order() -> None:
    vecs = _vectors()
    ids = list(vecs)
    rng = np.random.default_rng(1)
    m1 = DenseMatrix.build(ids, vecs)
    m2 = DenseMatrix.build(ids[::-1], vecs)  # another row order: the same answer
    q = vecs["p00"] + 0.01 * rng.normal(size=16)
    got1 = [(m1.ids[i], round(c, 5)) for i, c in m1.top(q, 4)]
    got2 = [(m2.ids[i], round(c, 5)) for i, c in m2.top(q, 4)]
    assert got1 == got2
    assert [pid for pid, _ in got1] == ["c0", "c1", "c2", "c3"]  # five ties; the first four ids
    for probe in rng.normal(size=(20, 16)):
        exact = sorted(ids, key=lambda i: -float(vecs[i] @ probe / np.linalg.norm(vecs[i])))
        top = [m1.ids[i] for i, _ in m1.top(probe, 10)]
        assert set(top[:5]) <= set(exact[:10]) and top[0] in exact[:5]


def test_a_passage_without_a_vector_is_never_returned() -> None:
    vecs = _vectors(5)
    m = DenseMatrix.build([*vecs, "missing"], vecs)
    assert "missing" not in [m.ids[i] for i, _ in m.top(np.ones(16), 50)]
    assert len(m.top(np.ones(16), 50)) == len(vecs)


def test_the_cache_is_read_back_and_a_new_generation_fetches_only_new_passages(tmp_path) -> None:
    vecs = _vectors()
    asked: list[list[str]] = []

    def fetch(ids: list[str]) -> dict[str, np.ndarray]:
        asked.append(ids)
        return {i: vecs[i] for i in ids}

    first = list(vecs)[:20]
    a = cached_dense(tmp_path, "g1", first, fetch)
    b = cached_dense(tmp_path, "g1", first, fetch)  # from disk: nothing fetched
    assert asked == [first] and b.ids == a.ids and np.array_equal(a.matrix, b.matrix)
    second = list(vecs)[5:]
    c = cached_dense(tmp_path, "g2", second, fetch)
    assert asked[1] == list(vecs)[20:]  # only the passages g1 did not hold
    assert [p.name for p in (tmp_path / "vectors").iterdir()] == ["g2"]
    assert np.allclose(c.matrix[c.ids.index("p10")], vecs["p10"] / np.linalg.norm(vecs["p10"]))


def test_rows_of_another_embedder_are_never_reused(tmp_path) -> None:
    """A rebuild with another embedder keeps passage ids (they follow the text) but not
    vectors: the previous generation's rows are reused only when the same model made them."""
    vecs = _vectors()
    ids = list(vecs)[:10]
    cached_dense(tmp_path, "g1", ids, lambda got: {i: vecs[i] for i in got}, "e5/384")
    other = {i: -vecs[i] for i in ids}  # what the other model stored
    asked: list[list[str]] = []

    def fetch(got: list[str]) -> dict[str, np.ndarray]:
        asked.append(got)
        return {i: other[i] for i in got}

    m = cached_dense(tmp_path, "g2", ids, fetch, "hash/16")
    assert asked == [ids] and m.model == "hash/16"
    assert np.allclose(m.matrix[0], other[ids[0]] / np.linalg.norm(other[ids[0]]))


def test_a_passage_the_previous_generation_lacked_is_fetched_again(tmp_path) -> None:
    """A zero row (no vector stored then) is not a row to reuse: the next generation asks
    the store for that passage again."""
    vecs = _vectors()
    ids = list(vecs)[:6]
    cached_dense(tmp_path, "g1", ids, lambda got: {i: vecs[i] for i in got if i != ids[0]})
    asked: list[list[str]] = []

    def fetch(got: list[str]) -> dict[str, np.ndarray]:
        asked.append(got)
        return {i: vecs[i] for i in got}

    m = cached_dense(tmp_path, "g2", ids, fetch)
    assert asked == [[ids[0]]]
    assert ids[0] in [m.ids[i] for i, _ in m.top(vecs[ids[0]], 1)]
