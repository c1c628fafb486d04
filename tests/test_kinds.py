"""The passage kind a question asks for: the fitted model (app/search/kinds.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.search import kinds as K
from app.search.query import prepare

DATA = Path(__file__).parent / "data"
# the verifier's fit data (Makefile's VERIFIER_ALSO): the kind model must not hold it, or the
# verifier's kind features would be in-sample on its own training questions
VERIFIER_FIT = {"devset.json", *(f"heldout-fresh{n}.json" for n in range(97, 137))}


def _kinds(question: str) -> tuple[str, ...]:
    return prepare(question).info.kinds


def test_the_shipped_model_is_fitted_on_its_training_batches_and_none_the_verifier_holds() -> None:
    meta = json.loads(K.MODEL_PATH.read_text(encoding="utf-8"))["meta"]
    assert meta["fitted_on"].split(", ") == list(K.TRAINING)
    assert not set(K.TRAINING) & VERIFIER_FIT
    assert all((DATA / f).exists() for f in K.TRAINING)
    assert meta["questions"] >= 5000 and set(meta["kinds"]) == set(K.KINDS)


@pytest.mark.parametrize(("question", "kinds"), [
    ("Ai ký kế hoạch?", ("signature",)),
    ("ke hoach do dong chi nao ky", ("signature",)),
    ("Kế hoạch này gửi cho những đơn vị nào?", ("recipients",)),
    ("Kế hoạch ban hành ngày nào?", ("header",)),
])
def test_questions_about_a_documents_structure_ask_for_its_kind(
        question: str, kinds: tuple[str, ...]) -> None:
    assert _kinds(question) == kinds


@pytest.mark.parametrize("question", [
    "Kỳ họp thứ mấy thông qua nghị quyết?",  # "kỳ" is not "ký"
    "Hội nghị cấp xã gồm những ai?",  # attendees: the text, not the signature
    "xã hội hóa nguồn lực thế nào?",
    "chi hoi hoc xong truoc ngay nao",
    "Các huyện hội phải báo cáo kết quả học tập về đâu?",  # sent *to*: the text says where
])
def test_questions_about_the_text_ask_for_no_kind(question: str) -> None:
    assert _kinds(question) == ()


def test_the_model_is_read_in_the_form_the_parser_reads() -> None:
    """Abbreviations are spelled out before the model reads the question, as in training."""
    assert K.parse_form("KH 985 ai ký?").lower().startswith("kế hoạch 985")
    assert _kinds("KH 985 ai ký?") == _kinds("Kế hoạch 985 ai ký?") == ("signature",)


def test_fit_learns_kinds_from_labelled_questions() -> None:
    rows = [("ai ký văn bản", "signature"), ("người ký là ai", "signature"),
            ("gửi cho đơn vị nào", "recipients"), ("nơi nhận gồm đơn vị nào", "recipients"),
            ("học xong trước ngày nào", "body"), ("hội nghị mấy buổi", "body"),
            ("thành phần gồm những ai", "body"), ("ban hành ngày nào", "header"),
            ("số hiệu văn bản", "header")]
    m = K.fit(rows, c=10.0)
    assert m.asked("ai ký") == ("signature",)
    assert m.asked("hội nghị học mấy buổi") == ()
    p = m.probabilities("gửi cho những đơn vị nào")
    assert max(p, key=p.__getitem__) == "recipients" and sum(p.values()) == pytest.approx(1.0)


def test_no_model_file_means_no_kind(tmp_path: Path) -> None:
    assert K.load_kind_model.__wrapped__(tmp_path / "none.json") is None
