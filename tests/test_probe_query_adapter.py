"""``bench/probe_query_adapter.py``: a query map fitted to put the expected passage first."""
from __future__ import annotations

import numpy as np

from bench import probe_query_adapter as probe


def _unit(m: np.ndarray) -> np.ndarray:
    return (m / np.linalg.norm(m, axis=-1, keepdims=True)).astype(np.float32)


def _items(rng: np.random.Generator, passages: np.ndarray, turn: np.ndarray, n: int,
           file: str) -> list[probe.Item]:
    """Questions whose vector is their passage's, turned by ``turn`` and blurred: the
    identity ranks them badly, the inverse turn well."""
    out = []
    for i in range(n):
        p = int(rng.integers(len(passages)))
        v = turn @ passages[p] + 0.05 * rng.normal(size=passages.shape[1])
        out.append(probe.Item(file, "lib", f"g{p % 3}", f"q{i}", True,
                              _unit(v), [p]))
    return out


def test_the_fitted_map_undoes_a_turn_the_identity_cannot() -> None:
    rng = np.random.default_rng(0)
    dim = 8
    passages = _unit(rng.normal(size=(20, dim)))
    turn, _ = np.linalg.qr(rng.normal(size=(dim, dim)))
    libs = {"lib": passages}
    train = _items(rng, passages, turn, 300, "train")
    test = _items(rng, passages, turn, 100, "test")
    w = probe.fit_adapter(train, libs, lam=1e-4, scale=20.0)
    before = np.array(probe.dense_ranks(test, libs, None))
    after = np.array(probe.dense_ranks(test, libs, w))
    assert (after == 1).mean() > 0.9
    assert (before == 1).mean() < 0.5


def test_a_strong_pull_keeps_the_identity_and_unanswerable_items_are_not_ranked() -> None:
    rng = np.random.default_rng(1)
    passages = _unit(rng.normal(size=(10, 6)))
    items = _items(rng, passages, np.eye(6), 30, "t")
    items.append(probe.Item("t", "lib", "g0", "none", False, passages[0], []))
    items.append(probe.Item("t", "lib", "g0", "lost", True, passages[0], []))
    w = probe.fit_adapter(items, {"lib": passages}, lam=1e3)
    assert np.abs(w - np.eye(6)).max() < 1e-2
    ranks = probe.dense_ranks(items, {"lib": passages}, w)
    assert len(ranks) == 31  # the unanswerable one is not ranked
    assert ranks[-1] == 10 ** 6  # an answerable one whose passage is missing: never found
    assert probe.recall([1, 3, 9, 10 ** 6], (1, 8)) == "@1 1/4  @8 2/4"
