"""Extractive answers: citations, refusals, missing documents, look-alike documents, CLI JSON."""
from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

import pytest

from app.answer import answer_question
from app.commands import ask
from app.knowledge import KnowledgeBase
from ingest.embed.base import HashEmbedder
from ingest.pipeline import ingest
from ingest.settings import Settings

LOOKALIKE = Path(__file__).parent / "data" / "lookalike"


@pytest.fixture(scope="module")
def lookalike_kb(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    """Shipped corpus + the plan's fixtures + the look-alike district plan (hash embedder)."""
    from conftest import fill_corpus, make_settings

    s = make_settings(tmp_path_factory.mktemp("answer"))
    fill_corpus(s.corpus_dir)
    for f in LOOKALIKE.glob("*.txt"):
        shutil.copy(f, s.corpus_dir / f.name)
    report = ingest(s, HashEmbedder())
    assert not [f for f in report.failed if f["file"].endswith(".txt")], report.failed
    return KnowledgeBase.open(s, HashEmbedder())


def test_answer_quotes_the_deadline_with_its_citation(lookalike_kb: KnowledgeBase) -> None:
    a = answer_question(lookalike_kb, "Theo Kế hoạch 985-KH/HNDT, chi hội phải hoàn thành "
                                      "học tập trước ngày nào?")
    assert a.found and "15/10/2020" in a.answer and "[1]" in a.answer
    first = a.citations[0]
    assert first.n == 1 and first.doc_number == "985-KH/HNDT"
    assert first.highlight and first.highlight in first.text and "15/10/2020" in first.highlight
    assert len(first.text) < 600


def test_named_organisation_wins_over_lookalike(lookalike_kb: KnowledgeBase) -> None:
    a = answer_question(lookalike_kb, "Theo kế hoạch của Hội Nông dân huyện Đông Sơn, chi hội "
                                      "phải học xong trước ngày nào?")
    # whether the test double's verifier is sure enough to answer is its threshold's business;
    # the passage it puts first, as answer or as suggestion, is the named district's
    first = a.citations[0]
    assert first.doc_number == "45-KH/HND" and "5/10/2020" in first.text
    if a.found:
        assert "5/10/2020" in a.answer and "15/10/2020" not in a.answer


def test_unanswerable_question_is_refused_with_labelled_suggestions(
        lookalike_kb: KnowledgeBase) -> None:
    from app.answer.extractive import LIKELY, NOT_FOUND

    a = answer_question(lookalike_kb, "Giá lúa hôm nay bao nhiêu một cân?")
    assert not a.found and a.answer.startswith(LIKELY if a.likely else NOT_FOUND)
    assert a.suggestions == bool(a.citations)


def test_refusal_says_likely_only_at_or_above_the_suggest_bar(
        lookalike_kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch) -> None:
    """Below the answer threshold, a refusal whose best candidate reaches the fitted suggest
    bar says its first suggestion may hold the answer; below the bar it says nothing was
    found. Either way nothing is stated as the answer."""
    from dataclasses import replace

    from app.answer import extractive
    from app.answer.verify import load_verifier

    q = "Theo kế hoạch của Hội Nông dân huyện Đông Sơn, chi hội phải học xong trước ngày nào?"
    model = load_verifier("hash")
    assert model is not None and model.suggest is not None and model.suggest < model.threshold
    for bar, likely in ((0.0, True), (1.0, False)):
        monkeypatch.setattr(extractive, "load_verifier",
                            lambda kind, bar=bar: replace(model, threshold=1.0, suggest=bar))
        a = answer_question(lookalike_kb, q)
        assert not a.found and a.suggestions and a.likely is likely
        assert a.answer.startswith(extractive.LIKELY if likely else extractive.NOT_FOUND)
        assert "5/10/2020" not in a.answer  # the date is in the suggestion, not stated
        assert a.citations[0].doc_number == "45-KH/HND"
        assert a.to_dict()["likely"] is likely
        # a likely refusal marks the clause in [1]'s whole passage; a plain one marks nothing
        assert ("5/10/2020" in (a.citations[0].highlight or "")) is likely
        assert all(c.highlight is None for c in a.citations[1:])


def test_missing_document_is_named(lookalike_kb: KnowledgeBase) -> None:
    a = answer_question(lookalike_kb, "Nghị quyết 26-NQ/TW về nông nghiệp ban hành ngày nào?")
    assert not a.found and a.missing_documents == ("Nghị quyết 26-NQ/TW",)
    assert "26-NQ/TW" in a.answer


def test_ask_json_contract(lookalike_kb: KnowledgeBase, capsys: pytest.CaptureFixture[str]) -> None:
    parser = argparse.ArgumentParser()
    ask.register(parser.add_subparsers())
    args = parser.parse_args(["ask", "Ai ký kế hoạch 985?", "--json", "--k", "3"])
    settings: Settings = lookalike_kb.settings
    assert ask.run(args, settings) == 0
    out = json.loads(capsys.readouterr().out)
    assert {"question", "found", "answer", "citations"} <= set(out)
    assert out["found"] is True and "Trần Bình Quân" in out["answer"]
    assert 1 <= len(out["citations"]) <= 3
    c = out["citations"][0]
    assert c["n"] == 1 and isinstance(c["score"], float)
    assert set(c) >= {"source", "title", "doc_number", "doc_type", "section", "page", "text"}
    assert not Path(c["source"]).is_absolute()


def test_explain_shows_each_candidate_probability_and_features(
        lookalike_kb: KnowledgeBase) -> None:
    out = ask.explain(lookalike_kb, "Theo kế hoạch của Hội Nông dân huyện Đông Sơn, chi hội "
                                    "phải học xong trước ngày nào?")
    assert "ngưỡng trả lời" in out and "p=" in out
    lines = [ln for ln in out.splitlines() if ln.lstrip().startswith(("→", "#"))]
    probs = [float(ln.split("p=")[1].split()[0]) for ln in lines]
    assert len(probs) >= 5 and probs == sorted(probs, reverse=True)
    assert "cov_passage=" in out or "rule_pick=" in out  # feature = value → share of log-odds


def test_answer_threshold_setting_trades_answers_for_refusals(
        lookalike_kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch) -> None:
    from dataclasses import replace

    q = "Theo kế hoạch của Hội Nông dân huyện Đông Sơn, chi hội phải học xong trước ngày nào?"
    monkeypatch.setattr(lookalike_kb, "settings",
                        replace(lookalike_kb.settings, answer_threshold=0.0))
    eager = answer_question(lookalike_kb, q)
    monkeypatch.setattr(lookalike_kb, "settings",
                        replace(lookalike_kb.settings, answer_threshold=1.0))
    strict = answer_question(lookalike_kb, q)
    assert eager.found and "5/10/2020" in eager.answer
    assert not strict.found and strict.suggestions
    assert Settings.from_env({"HOCTAP_ANSWER_THRESHOLD": "0.4"}).answer_threshold == 0.4
