"""Grading accepts what a person would, and shows the expected answer with the cited passage."""
from __future__ import annotations

import pytest

from app.quiz.grade import grade, normalise_answer, same_answer
from app.quiz.items import QuizItem


def _cloze(answer: str, text: str) -> QuizItem:
    return QuizItem("x", "cloze", "Q «____»", None, answer, None, f"Văn bản ghi: «{text}»",
                    {"text": text})


@pytest.mark.parametrize("given, expected", [
    ("1 buổi", "01 buổi"), ("01 buổi", "1 buổi"), ("BTV", "Ban Thường vụ"),
    ("btv tinh hoi", "BTV Tỉnh hội"), ("Ban Thường vụ Tỉnh hội", "BTV Tỉnh hội"),
    ("BCH Hội xã", "Ban Chấp hành Hội xã"), ("HND tỉnh", "Hội Nông dân tỉnh"),
    ("UBND tỉnh", "Ủy ban nhân dân tỉnh"), ("TU", "Tỉnh ủy"), ("BTV TU", "Ban Thường vụ Tỉnh ủy"),
    ("1/2 ngày", "½ ngày"), ("nửa ngày", "½ ngày"), ("nua ngay", "½ ngày"), ("0,5 ngày", "½ ngày"),
    ("  ban  THƯỜNG vụ ", "Ban Thường vụ"), ("05/08/2020", "5/8/2020"), ("Thanh Hoá", "Thanh Hóa"),
])
def test_accepted(given, expected):
    assert same_answer(given, expected), (normalise_answer(given), normalise_answer(expected))


@pytest.mark.parametrize("given, expected", [
    ("2 buổi", "01 buổi"), ("10 buổi", "01 buổi"), ("BCH", "Ban Thường vụ"),
    ("tu", "Tỉnh ủy"), ("1 ngày", "½ ngày"), ("15/9/2020", "15/10/2020"),
    ("Thanh Hòa", "Thanh Hóa"),
])
def test_refused(given, expected):
    assert not same_answer(given, expected)


def test_feedback_shows_expected_answer_and_cited_passage():
    text = "Thời gian: ½ ngày, hoàn thành trước ngày 15/9/2020."
    result = grade(_cloze("½ ngày", text), "nua ngay")
    assert result.correct and result.expected == "½ ngày" and result.cited == text
    wrong = grade(_cloze("½ ngày", text), "2 ngày")
    assert wrong.correct is False and wrong.expected == "½ ngày" and wrong.cited == text


def test_score_counts_unjudged_essays_apart():
    """An essay without self-assessment is neither right nor wrong (not listed for review)."""
    from app.quiz.grade import Grade
    from app.quiz.score import score, self_assess

    essay = Grade(None, "ý chính", (True, False))
    results = {0: Grade(True, "a"), 1: Grade(False, "b"), 2: essay, 3: Grade(True, "c")}
    s = score(results)
    assert (s.right, s.graded, s.unassessed, s.wrong) == (2, 3, 1, (1,))
    assert s.line() == "Kết quả: 2/3 câu chấm được đúng; 1 câu tự luận chưa tự đánh giá"
    judged = {**results, 2: self_assess(essay, False)}
    assert judged[2].points_hit == (True, False)
    assert score(judged).wrong == (1, 2)
    assert score(judged).line() == "Kết quả: 2/4 câu đúng"
    assert score({0: essay}).line() == "Kết quả: 1 câu tự luận chưa tự đánh giá"
