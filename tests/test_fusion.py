"""The search's fused score: its signals, the fitted weights, and the fit that chooses them."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from app.search import fit
from app.search.hybrid import (
    FUSION_PATH,
    FusionWeights,
    K,
    Signals,
    combine,
    fusion_signals,
    load_weights,
    ranks,
)
from app.search.query import analyse


def _signals(lex: list[float], dense: list[float], **boosts: list[float]) -> Signals:
    n = len(lex)
    zero = np.zeros(n)
    lx, dn = np.array(lex), np.array(dense)
    parts = {name: np.array(boosts.get(name, zero)) for name in
             ("fact", "heading", "document", "level", "kind")}
    return Signals(lx, dn, ranks(lx), ranks(dn), **parts)


def test_the_score_is_reciprocal_rank_fusion_plus_weighted_boosts() -> None:
    s = _signals([3.0, 2.0, 1.0], [0.1, 0.9, 0.5], document=[0.0, 0.0, 1.0])
    rrf = np.array([1 / (K + 1) + 1 / (K + 3), 1 / (K + 2) + 1 / (K + 1),
                    1 / (K + 3) + 1 / (K + 2)])
    no_boost = FusionWeights(document=0.0, level=0.0, heading=0.0, fact=0.0, kind=0.0)
    assert np.allclose(combine(s, no_boost), rrf)
    w = FusionWeights()
    assert np.allclose(combine(s, w), rrf + [0.0, 0.0, w.document])
    assert np.allclose(combine(s, FusionWeights(dense=0.5, document=0.0)),
                       rrf - 0.5 * np.array([1 / (K + 3), 1 / (K + 1), 1 / (K + 2)]))


def test_signals_of_a_question() -> None:
    info = analyse("Hội Nông dân cấp huyện học xong khi nào?")
    lex, dense = np.array([0.0, 2.0, 1.0]), np.array([0.8, 0.0, 0.7])
    args = (lex, dense, ["a", "b", "c"], [frozenset({"huyen"}), frozenset(), frozenset()],
            ["body", "body", "header"], info, {"c": 1.0})
    sig = fusion_signals(*args)
    assert list(sig.level) == [1.0, 0.0, 0.0] and list(sig.document) == [0.0, 0.0, 1.0]
    assert combine(sig)[2] > combine(sig)[0]  # both rankings and the named document win
    assert np.isinf(sig.lex_rank[0]) and sig.dense_rank[0] == 1  # no BM25 score: no BM25 rank


def test_weights_come_from_the_fitted_file_when_there_is_one(tmp_path: Path) -> None:
    assert not FUSION_PATH.exists()  # fitted weights were measured and not shipped
    assert load_weights() == FusionWeights()
    path = tmp_path / "fusion.json"
    fitted = {"dense": 0.5, "document": 0.005, "level": 0.003, "heading": 0.0, "fact": 0.003,
              "kind": 0.04}
    path.write_text(json.dumps({"meta": {}, "weights": fitted}), encoding="utf-8")
    assert load_weights(path) == FusionWeights(**fitted)
    assert load_weights(tmp_path / "none.json") == FusionWeights()


def _case(group: str, right: int, kind_of: int, n: int = 6) -> fit.Case:
    """BM25 ranks passage i at i + 1; the right passage is ``right``; passage ``kind_of`` is
    of the kind the question asks for."""
    lex = [float(n - i) for i in range(n)]
    kind = [1.0 if i == kind_of else 0.0 for i in range(n)]
    return fit.Case(group, _signals(lex, lex, kind=kind), np.arange(n) == right, np.arange(n))


def test_fit_finds_weights_that_bring_the_right_passage_up_without_losing_others() -> None:
    # the kind of passage asked for is right in six cases (4th by BM25) and wrong in two (6th
    # by BM25, where the right one is 1st): a small kind weight helps all eight, a large one
    # loses the two
    cases = [_case(f"d{i}", right=3, kind_of=3) for i in range(6)]
    cases += [_case(f"e{i}", right=0, kind_of=5) for i in range(2)]
    start = FusionWeights(dense=1.0, kind=0.001)
    assert fit.measure(cases, start)["hit_at_1"] == 2 / 8
    assert fit.measure(cases, FusionWeights(dense=1.0, kind=0.004))["hit_at_1"] == 6 / 8
    w = fit.search_weights(cases, start)
    assert fit.measure(cases, w)["hit_at_1"] == 1.0 and fit.measure(cases, w)["mrr"] == 1.0


def test_first_right_counts_copies_once_and_stops_after_the_candidates() -> None:
    lex = [6.0, 5.0, 4.0, 3.0, 2.0, 1.0]
    s = _signals(lex, lex)
    copies = np.array([0, 0, 1, 1, 2, 3])  # passages 0/1 and 2/3 are copies
    case = fit.Case("g", s, np.arange(6) == 4, copies)
    assert fit.first_right(case, FusionWeights()) == 3
    assert fit.first_right(case, FusionWeights(), depth=2) is None


def test_fit_command_reports_and_writes_weights(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    from app.answer.evaluate import DEVSET, load_devset

    dev = [q for q in load_devset(DEVSET) if q["library"] == "dev" and q["answerable"]]
    docs = sorted({q["doc"] for q in dev})[:2]  # two documents: two folds
    chosen = [q for d in docs for q in [q for q in dev if q["doc"] == d][:6]]
    devset, batch = tmp_path / "devset.json", tmp_path / "batch.json"  # --also: a read batch
    for path, qs in ((devset, chosen[::2]), (batch, chosen[1::2])):
        path.write_text(json.dumps({"questions": qs}, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "fusion.json"
    assert fit.main(["--devset", str(devset), "--also", str(batch), "--embed-model", "hash",
                     "--folds", "2", "--cache", str(tmp_path / "cache"), "--out", str(out)]) == 0
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["meta"]["answerable_questions"] == 12
    assert report["meta"]["fitted_on"] == "devset.json, batch.json"
    assert report["meta"]["in_sample"]["mrr"] >= report["meta"]["start"]["mrr"]
    assert load_weights(out) == FusionWeights(**report["weights"])
    assert '"cross_document_cv"' in capsys.readouterr().out
