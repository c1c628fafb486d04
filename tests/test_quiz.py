"""Quiz generation and grading: every generated item passes the automatic quality checks."""
from __future__ import annotations

import pytest

from app.quiz.checks import problems, quiz_problems
from app.quiz.distractors import distractors, fact_pool
from app.quiz.facts import fact_key, find_facts, may_equal
from app.quiz.generate import candidates, generate_quiz
from app.quiz.grade import grade, same_answer
from app.quiz.items import TYPES, QuizItem
from ingest.passages import make_passages
from ingest.records import Block
from ingest.store import Store

TINY = """HỘI NÔNG DÂN TỈNH THANH HOÁ
Số 12-KH/HND
Thanh Hóa, ngày 5 tháng 3 năm 2021
KẾ HOẠCH
Tổ chức học tập Nghị quyết số 20-NQ/TW
I. MỤC ĐÍCH, YÊU CẦU
1. Giúp hội viên nắm vững nội dung Nghị quyết số 20-NQ/TW ngày 01/02/2021 của Bộ Chính trị.
2. Các chi hội tổ chức sinh hoạt chuyên đề và viết thu hoạch cá nhân.
II. THỜI GIAN
1. Cấp huyện
- Thời gian: nửa ngày, hoàn thành trước ngày 30/4/2021.
2. Cấp xã
- Thời gian: 02 buổi, hoàn thành trước ngày 15/5/2021.
- Thành phần: Ban Chấp hành Hội xã và 35 chi hội trưởng.
"""


@pytest.fixture(scope="module")
def corpus_passages(built_index):
    records = Store(built_index).records()
    return [p for s in sorted(records) for p in sorted(records[s].passages, key=lambda p: p.order)]


@pytest.fixture(scope="module")
def tiny_passages():
    return make_passages("tiny.txt", [Block(line) for line in TINY.splitlines()])[1]


def test_every_candidate_of_the_corpus_passes_the_checks(corpus_passages):
    assert len({p.source for p in corpus_passages}) == 4  # shipped corpus + three fixtures
    for seed in (0,):
        cands = candidates(corpus_passages, TYPES, seed)
        for kind in TYPES:
            assert cands[kind], kind
            for c in cands[kind]:
                assert problems(c.item) == [], (problems(c.item), c.item.to_dict())


@pytest.mark.parametrize("seed", [0, 1, 7, 42])
def test_quiz_of_20_has_all_types_no_duplicates_and_spreads(corpus_passages, seed):
    items = generate_quiz(corpus_passages, 20, seed=seed)
    # four copies of one short plan: one source clause and one answer per quiz, no essay
    # repeating a short item's fact, no answer among another's choices, essays ≤ 20% and
    # dates ≤ 40% of the items made (fewer items rather than overlapping ones) leave 7–13
    assert 7 <= len(items) <= 20
    assert {i.type for i in items} == set(TYPES)
    assert all(problems(i) == [] for i in items)
    assert quiz_problems(items) == []
    assert len({i.id for i in items}) == len(items)
    assert len({i.question for i in items}) == len(items)
    assert len({i.citation["section"] for i in items}) >= 6
    for i in items:  # JSON round trip keeps the contract
        assert QuizItem.from_dict(i.to_dict()) == i
        assert set(i.to_dict()) == {"id", "type", "question", "choices", "answer",
                                    "answer_points", "explanation", "citation"}
        assert set(i.citation) == {"n", "source", "title", "doc_number", "doc_type",
                                   "section", "page", "text", "score"}


def test_deterministic_by_seed(corpus_passages):
    a = generate_quiz(corpus_passages, 15, seed=3)
    assert a == generate_quiz(corpus_passages, 15, seed=3)
    assert a != generate_quiz(corpus_passages, 15, seed=4)


def test_tiny_document(tiny_passages):
    items = generate_quiz(tiny_passages, 30, seed=0)
    assert {i.type for i in items} == set(TYPES)
    assert all(problems(i) == [] for i in items)
    mcq = [i for i in items if i.type == "mcq"]
    for i in mcq:
        assert i.choices is not None and len(i.choices) == 4


def test_equal_values_are_one_fact():
    assert fact_key("date", "05/8/2020") == fact_key("date", "5/8/2020")
    assert fact_key("date", "ngày 5 tháng 8 năm 2020") == "5/8/2020"
    assert fact_key("duration", "½ ngày") == fact_key("duration", "nửa ngày")
    assert fact_key("duration", "01 buổi") != fact_key("duration", "½ ngày")
    assert may_equal("duration", fact_key("duration", "01 buổi"), fact_key("duration", "½ ngày"))
    assert not may_equal("duration", "1 ngày", "0.5 ngày")
    assert may_equal("level", "cấp xã", "cấp cơ sở")
    assert fact_key("code", "58 –NQ/TW") == fact_key("code", "58-NQ/TW")
    assert may_equal("body", fact_key("body", "BTV Tỉnh hội"),
                     fact_key("body", "Ban Thường vụ Tỉnh hội"))


def test_distractors_never_equal_the_answer(tiny_passages, corpus_passages):
    import random

    pool = fact_pool(corpus_passages + tiny_passages)
    for p in tiny_passages + corpus_passages[:30]:
        for fact in find_facts(p.text):
            wrong = distractors(fact, pool, random.Random(0), k=3)
            keys = [fact_key(fact.kind, w) for w in wrong]
            assert not any(may_equal(fact.kind, k, fact.key) for k in keys), (fact, wrong)


def _item(**kw):
    base = dict(id="x", type="cloze", question="Q «a ____ b»", choices=None, answer="Thanh Hóa",
                answer_points=None, explanation="e", citation={"text": "a Thanh Hóa b"})
    base.update(kw)
    return QuizItem(**base)


def test_grading_forgives_accents_tone_spelling_and_date_zeros():
    item = _item()
    assert grade(item, "thanh hoa").correct
    assert grade(item, "Thanh Hoá").correct
    assert not grade(item, "Thanh Hòa").correct  # wrong tone typed with diacritics
    assert not grade(item, "Nghệ An").correct
    assert same_answer("05/08/2020", "5/8/2020")
    mcq = _item(type="mcq", choices=("15/9/2020", "15/10/2020", "31/8/2020", "5/8/2020"),
                answer="15/10/2020", question="Q «trước ngày ____.»",
                citation={"text": "trước ngày 15/10/2020."})
    assert grade(mcq, "B").correct and grade(mcq, 1).correct and not grade(mcq, "A").correct
    tf = _item(type="tf", answer=False)
    assert grade(tf, "sai").correct and grade(tf, False).correct and not grade(tf, "đúng").correct


def test_checks_catch_bad_items():
    leak = _item(question="Thanh Hóa: «a ____ b»")
    assert "no_leak" in problems(leak)
    unsupported = _item(citation={"text": "một đoạn khác"})
    assert "supported" in problems(unsupported)
    same = _item(type="mcq", choices=("05/8/2020", "5/8/2020", "15/9/2020", "1/1/2020"),
                 answer="05/8/2020", question="Q «ngày ____»",
                 citation={"text": "ngày 05/8/2020"})
    assert {"distinct_choices", "one_correct"} <= set(problems(same))
    dur = _item(type="mcq", choices=("½ ngày", "01 buổi", "2 ngày", "1 tuần"), answer="½ ngày",
                question="Q «Thời gian: ____.»", citation={"text": "Thời gian: ½ ngày."})
    assert "distinct_choices" in problems(dur)
    wrong_tf = _item(type="tf", answer=True, question="Đúng hay sai? «a Huế b»",
                     explanation="Đúng. Văn bản ghi: «a Thanh Hóa b»")
    assert "supported" in problems(wrong_tf)


def test_unknown_type_is_rejected(tiny_passages):
    with pytest.raises(ValueError):
        generate_quiz(tiny_passages, 5, types=("essay",))


def test_long_clause_is_trimmed_at_a_comma_not_inside_a_word():
    from app.quiz.stems import window

    text = ("Học tập trung (đối với cấp cơ sở chưa học tập trực tuyến) với thời gian 01 buổi, "
            "trong đó dành thời gian thỏa đáng để thảo luận, thông qua kế hoạch hành động thực "
            "hiện nghị quyết, sau đó tiếp tục tự nghiên cứu tài liệu và viết thu hoạch theo đúng "
            "quy định của Ban Thường vụ Tỉnh hội")
    start = text.index("01 buổi")
    piece, s, e = window(text, start, start + len("01 buổi"))
    assert piece[s:e] == "01 buổi"
    assert piece.endswith("thảo luận …")  # ends where a comma is, not at "thảo …"
