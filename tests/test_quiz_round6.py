"""Issue 9, round 6: the defect classes of the fifth independent rating
(bench/notes/issue-9-rating-round5.md): near-miss wrong dates, another body accepted as the
answer, and items made from a clause that repeats its own condition. Shown on the fictional
plan of round 5 (``PLAN``) through the generator, and on the functions that decide."""
from __future__ import annotations

import datetime as dt
import random
from functools import cache, lru_cache
from itertools import combinations

from app.quiz.distractors import as_date, distractors
from app.quiz.facts import fact_key, find_facts
from app.quiz.generate import candidates
from app.quiz.grade import grade, same_answer
from app.quiz.items import QuizItem
from ingest.passages import make_passages
from ingest.records import Block, Passage
from tests.test_quiz_round5 import PLAN, SEEDS

CIRCULAR = ("- Tham gia học tập trực tuyến đối với cấp huyện và cấp xã (ở những nơi có đủ điều "
            "kiện và đã học tập trực tuyến ngày 12/3/2025).")


@lru_cache(maxsize=1)
def _passages() -> tuple[Passage, ...]:
    text = PLAN.replace("2. Hình thức\n", f"2. Hình thức\n{CIRCULAR}\n")
    assert CIRCULAR in text
    return tuple(make_passages("plan.txt", [Block(x) for x in text.splitlines()])[1])


@cache
def _candidates(seed: int) -> dict:
    return candidates(list(_passages()), ("mcq", "cloze", "tf"), seed)


def _days(text: str) -> dt.date:
    day = as_date(fact_key("date", text))
    assert day is not None, text
    return day


# --- 1. no near-miss wrong date


def test_date_choices_are_five_days_apart_from_each_other_and_the_key():
    dated = [c.item for s in SEEDS for c in _candidates(s)["mcq"]
             if [f.kind for f in find_facts(str(c.item.answer))] == ["date"]]
    assert len(dated) >= 10
    for item in dated:
        days = [_days(x) for x in item.choices or ()]
        assert all(abs((a - b).days) >= 5 for a, b in combinations(days, 2)), item.choices


def test_a_false_statement_moves_a_date_by_five_days_or_more():
    moved = 0
    for s in SEEDS:
        for c in _candidates(s)["tf"]:
            item = c.item
            shown = [f.key for f in find_facts(item.question) if f.kind == "date"]
            true = [f.key for f in find_facts(item.explanation.split("Văn bản ghi:")[-1])
                    if f.kind == "date"]
            if item.answer is False and shown and set(shown) - set(true):
                moved += 1
                for wrong in set(shown) - set(true):
                    gap = min(abs((as_date(wrong) - as_date(t)).days) for t in true)
                    assert gap >= 5, (item.question, item.explanation)
    assert moved


def test_the_plans_other_dates_come_first_and_near_ones_never():
    fact = next(f for f in find_facts("hoàn thành trước ngày 15/10/2020") if f.kind == "date")
    pool = {"date": {"16/10/2020": "16/10/2020", "30/10/2020": "30/10/2020",
                     "1/10/2020": "1/10/2020", "12/10/2020": "12/10/2020"}}
    for seed in range(10):
        wrong = distractors(fact, pool, random.Random(seed), k=3,
                            window=(dt.date(2020, 9, 3), None))
        days = [_days(x) for x in [*wrong, "15/10/2020"]]
        assert len(wrong) == 3
        assert all(abs((a - b).days) >= 5 for a, b in combinations(days, 2)), wrong
        assert "16/10/2020" not in wrong and "12/10/2020" not in wrong
        # (written in the answer's form: «01/10/2020», see test_quiz_forms)
        assert {"30/10/2020", "1/10/2020"} & {fact_key("date", w) for w in wrong}, wrong
        assert min(days) < dt.date(2020, 10, 15) or max(days) > dt.date(2020, 10, 15)


def test_numbers_offered_together_are_not_trivially_close():
    fact = next(f for f in find_facts("phấn đấu 30 hợp tác xã") if f.kind == "number")
    pool = {"number": {"31": "31", "29": "29", "45": "45"}}
    for seed in range(10):
        wrong = distractors(fact, pool, random.Random(seed), k=3)
        assert "31" not in wrong and "29" not in wrong, wrong


# --- 2. a body is accepted only under its own names


def _cloze(answer: str, listed: str) -> QuizItem:
    return QuizItem("x", "cloze", "Kế hoạch hành động của ____ về thực hiện Nghị quyết.", None,
                    answer, None, f"Cũng chấp nhận: {listed}. Văn bản ghi: «…»",
                    {"text": "…"})


def test_the_executive_committee_is_not_the_standing_committee():
    assert not same_answer("Ban Chấp hành Tỉnh hội", "BTV Tỉnh hội")
    assert not same_answer("BCH Tỉnh hội", "Ban Thường vụ Tỉnh hội")
    assert not same_answer("BTV Tỉnh hội", "Ban Chấp hành Tỉnh hội")
    # even where an older key lists the other body, grading refuses it
    assert not grade(_cloze("BTV Tỉnh hội", "Ban Chấp hành Tỉnh hội"),
                     "Ban Chấp hành Tỉnh hội").correct
    assert not grade(_cloze("Ban Chấp hành Tỉnh hội", "BTV Tỉnh hội"), "BTV Tỉnh hội").correct
    assert grade(_cloze("BTV Tỉnh hội", "Ban Thường vụ Tỉnh hội"),
                 "Ban Thường vụ Tỉnh hội").correct
    assert grade(_cloze("Tỉnh Hội", "Hội Nông dân tỉnh"), "Hội Nông dân tỉnh").correct


def test_a_generated_body_key_lists_only_its_own_names():
    found = [c.item for s in SEEDS for c in _candidates(s)["cloze"]
             if c.item.answer == "Ban Thường vụ Tỉnh hội"]
    assert found
    for item in found:
        assert "Ban Chấp hành" not in item.explanation.split("Văn bản ghi")[0], item.explanation
        assert not grade(item, "Ban Chấp hành Tỉnh hội").correct
        assert not grade(item, "BCH Tỉnh hội").correct
        assert grade(item, "BTV Tỉnh hội").correct


# --- 3. no item from a clause that repeats its own condition


def test_a_circular_clause_makes_no_item():
    made = [c.item for s in SEEDS for cands in _candidates(s).values() for c in cands]
    assert made
    assert not [i.question for i in made if "ở những nơi có đủ điều kiện" in i.question]
    assert not [i.question for i in made if "Tham gia học tập trực tuyến" in i.question]


def test_circular_reads_the_action_against_its_own_condition():
    from app.quiz.stems import circular
    assert circular(CIRCULAR.lstrip("- "))
    assert not circular("Học tập trung (đối với cấp cơ sở chưa học tập trực tuyến) với thời "
                        "gian 01 buổi")
    assert not circular("Các huyện Hội báo cáo kết quả học tập (bằng văn bản) về Tỉnh Hội")


SHORT = """HỘI NÔNG DÂN TỈNH THANH HÓA
Số 77-KH/HNDT
Thanh Hóa, ngày 2 tháng 3 năm 2021
KẾ HOẠCH
Phòng chống sâu bệnh hại lúa vụ chiêm xuân năm 2021
I. NỘI DUNG
1. Phòng trừ
- Các xã phun thuốc trừ rầy nâu trước ngày 10/4/2021 trên 500 ha lúa.
- Hội Nông dân huyện tổ chức 12 lớp tập huấn kỹ thuật cho hội viên trước ngày 15/4/2021.
- Mỗi chi hội cử 3 hội viên tham gia đội xung kích diệt chuột trong tháng 4/2021.
- Các chi hội báo cáo kết quả về Hội Nông dân huyện Nga Sơn trước ngày 30/5/2021.
"""


def test_an_essay_holding_every_fact_of_a_short_text_does_not_empty_the_quiz() -> None:
    """The essay on section I lists all four facts, so it clashes with every short item; the
    quiz keeps the short items rather than a lone essay."""
    from app.quiz.generate import generate_quiz

    passages = make_passages("short.txt", [Block(x) for x in SHORT.splitlines()])[1]
    for seed in range(4):
        items = generate_quiz(passages, 10, seed=seed)
        assert len(items) >= 3, [i.type for i in items]
        assert sum(i.type != "open" for i in items) >= 3
