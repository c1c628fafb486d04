"""User review: a multiple-choice date gave the answer away by its form («25/01/2023» among
«10/2/2023», «16/1/2023», «30/1/2023»). Every wrong value is written the way the document
writes the answer (``forms.written_like``), and the ``uniform_form`` check refuses a choice
list where one choice stands out by its form."""
from __future__ import annotations

import random
import re

import pytest

from app.quiz.checks import problems
from app.quiz.distractors import distractors
from app.quiz.facts import find_facts
from app.quiz.forms import uniform, written_like
from app.quiz.generate import candidates
from app.quiz.items import QuizItem
from ingest.passages import make_passages
from ingest.records import Block

POOL = {"date": {"16/1/2023": "16/1/2023", "30/1/2023": "30/01/2023",
                 "20/1/2023": "ngày 20 tháng 1 năm 2023", "10/2/2023": "10/2/2023"}}


@pytest.mark.parametrize(("sentence", "pattern"), [
    ("trước ngày 05/01/2023", r"^\d\d/\d\d/\d{4}$"),
    ("trước ngày 5/1/2023", r"^[1-9]\d?/[1-9]\d?/\d{4}$"),
    ("trước ngày 25/01/2023", r"^\d\d/\d\d/\d{4}$"),
    ("trước ngày 5 tháng 1 năm 2023", r"^ngày [1-9]\d? tháng [1-9]\d? năm \d{4}$"),
])
def test_every_wrong_date_has_the_answers_form(sentence, pattern):
    fact = next(f for f in find_facts(sentence) if f.kind == "date")
    for seed in range(20):
        wrong = distractors(fact, POOL, random.Random(seed), k=3)
        assert len(wrong) == 3
        for option in [fact.text, *wrong]:
            assert re.match(pattern, option), (sentence, option)
        assert uniform([fact.text, *wrong], "date")


def test_lengths_of_time_and_numbers_keep_the_answers_form():
    words = next(f for f in find_facts("học trong hai buổi") if f.kind == "duration")
    assert written_like("3 buổi", words) == "ba buổi"
    assert written_like("1,5 ngày", words) is None  # no form in words: not offered
    padded = next(f for f in find_facts("trong 01 ngày") if f.kind == "duration")
    assert written_like("nửa ngày", padded) == "nửa ngày"
    assert written_like("2 buổi", padded) == "02 buổi"
    number = next(f for f in find_facts("có 05 đồng chí") if f.kind == "number")
    plain = next(f for f in find_facts("có 5 đồng chí") if f.kind == "number")
    assert written_like("7", number) == "07"
    assert written_like("07", plain) == "7"


def _mcq(choices: tuple[str, ...], answer: str) -> QuizItem:
    source = f"Chi hội trưởng báo cáo trước ngày {answer}."
    return QuizItem("x", "mcq", "Theo Kế hoạch 1-KH/HND, chọn ngày đúng: «Chi hội trưởng báo "
                    "cáo trước ngày ____.»", choices, answer, None, f"Văn bản ghi: «{source}»",
                    {"source": "a.txt", "section": "", "text": source})


def test_the_reviewers_choice_list_is_caught():
    review = ("10/2/2023", "16/1/2023", "25/01/2023", "30/1/2023")
    assert "uniform_form" in problems(_mcq(review, "25/01/2023"))
    fixed = ("10/02/2023", "16/01/2023", "25/01/2023", "30/01/2023")
    assert "uniform_form" not in problems(_mcq(fixed, "25/01/2023"))
    assert uniform(("02 buổi", "1,5 ngày", "01 ngày", "03 buổi"), "duration")
    assert not uniform(("2 buổi", "01 ngày", "3 buổi", "1 tuần"), "duration")


PLAN = """KẾ HOẠCH
Tổ chức sinh hoạt chi hội năm 2023
I. THỜI GIAN THỰC HIỆN
1. Chi hội thôn Phúc Lộc tổ chức sinh hoạt trước ngày 10/01/2023.
2. Các chi hội còn lại hoàn thành trước ngày 20/01/2023.
II. TỔ CHỨC THỰC HIỆN
1. Chi hội trưởng báo cáo số hội viên tham gia về Hội Nông dân xã trước ngày 25/01/2023.
2. Hội Nông dân xã tổng hợp, báo cáo kết quả về Hội Nông dân huyện trước ngày 05/02/2023.
"""


def test_generated_date_choices_share_the_documents_form():
    passages = make_passages("plan.txt", [Block(x) for x in PLAN.splitlines()])[1]
    seen = 0
    for seed in range(6):
        for c in candidates(passages, ("mcq",), seed).get("mcq", []):
            item = c.item
            if re.fullmatch(r"\d+/\d+/\d{4}", str(item.answer)):
                seen += 1
                assert all(re.fullmatch(r"\d\d/\d\d/\d{4}", o) for o in item.choices), \
                    item.choices
    assert seen
