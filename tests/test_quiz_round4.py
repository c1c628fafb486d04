"""Issue 9, round 4: the defect classes of the third independent rating
(bench/notes/issue-9-rating-round3.md). Each class has a check (``app.quiz.checks``) shown to
catch a hand-built item like the rated one, and the generator is shown not to make it on a
small fictional plan (``MINI``: its own organisation, numbers and dates, not the rated plans)."""
from __future__ import annotations

from functools import lru_cache

import pytest

from app.quiz.checks import problems, quiz_problems
from app.quiz.facts import find_facts
from app.quiz.generate import candidates, generate_quiz
from app.quiz.grade import accepted_variants, grade
from app.quiz.items import QuizItem
from ingest.passages import make_passages
from ingest.records import Block, Passage

MINI = """HỘI NÔNG DÂN VIỆT NAM        CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM
BCH HND TỈNH BẮC SƠN                       Độc lập – Tự do – Hạnh phúc
    Số 41-KH/HNDT                           Bắc Sơn, ngày 12 tháng 5 năm 2024
KẾ HOẠCH
Học tập và triển khai thực hiện Nghị quyết số 15-NQ/TU, ngày 20/4/2024 của Ban Chấp hành Đảng bộ \
tỉnh về phát triển nông nghiệp
Thực hiện Hướng dẫn số 12-HD/BTGTU ngày 02/5/2024 của Ban Tuyên giáo Tỉnh ủy về học tập Nghị \
quyết số 15-NQ/TU, Ban Thường vụ Hội Nông dân tỉnh ban hành kế hoạch như sau:
I. MỤC ĐÍCH, YÊU CẦU
1. Giúp cán bộ, hội viên nắm vững mục tiêu của Nghị quyết; nâng cao nhận thức về đuờng lối của \
Đảng. Các cấp Hội tổ chức kiểm tra việc học tập.
2. Việc học tập phải nghiêm túc, thiết thực; cán bộ chủ chốt các cấp Hội phải viết bài thu hoạch \
sau khi học tập.
II. KẾ HOẠCH HỌC TẬP
1. Cấp tỉnh
- Thành phần: Ban Chấp hành Tỉnh hội, báo cáo viên cấp tỉnh và cán bộ các ban của Tỉnh hội.
- Thời gian: 01 ngày, tổ chức trước ngày 30/5/2024.
2. Cấp huyện
- Thành phần: Ban Chấp hành huyện Hội, Chủ tịch Hội Nông dân các xã.
- Thời gian: ½ ngày, hoàn thành trước ngày 20/6/2024.
3. Cấp xã
- Thành phần: Ban Chấp hành Hội xã, chi Hội trưởng các chi Hội.
- Thời gian: 01 buổi, hoàn thành trước ngày 15/7/2024.
III. TỔ CHỨC THỰC HIỆN
1. Ban Tuyên huấn Hội Nông dân tỉnh chủ trì tham mưu tổ chức hội nghị cấp tỉnh; hướng dẫn các \
huyện Hội thực hiện kế hoạch.
2. Hội Nông dân các huyện xây dựng kế hoạch học tập của cấp mình, gửi về Tỉnh Hội trước ngày \
10/6/2024.
3. Các huyện Hội báo cáo kết quả học tập về Ban Thường vụ Hội Nông dân tỉnh trước ngày 31/7/2024; \
phấn đấu 90 phần trăm hội viên được học tập.
"""
SEEDS = range(6)
TYPES = ("mcq", "cloze", "tf", "open")
TITLE = ("Học tập và triển khai thực hiện Nghị quyết số 15-NQ/TU, ngày 20/4/2024 của Ban Chấp "
         "hành Đảng bộ tỉnh về phát triển nông nghiệp")
DOC = "Theo Kế hoạch 41-KH/HNDT"


@lru_cache(maxsize=1)
def _passages() -> tuple[Passage, ...]:
    return tuple(make_passages("mini.txt", [Block(x) for x in MINI.splitlines()])[1])


def _all_candidates() -> list[QuizItem]:
    out = []
    for seed in SEEDS:
        for cands in candidates(list(_passages()), TYPES, seed).values():
            out += [c.item for c in cands]
    return out


def _quizzes() -> list[list[QuizItem]]:
    return [generate_quiz(list(_passages()), 20, seed=s) for s in SEEDS]


def _item(type_: str, question: str, answer, source: str, section: str = "III",
          choices=None, points=None, explanation: str | None = None) -> QuizItem:
    citation = {"n": 1, "source": "mini.txt", "title": TITLE, "doc_number": "41-KH/HNDT",
                "doc_type": "Kế hoạch", "section": section, "page": None, "text": source,
                "score": 1.0}
    return QuizItem("x", type_, question, choices, answer, points,
                    explanation or f"Văn bản ghi: «{source}»", citation)


def _cloze(source: str, answer: str, section: str = "III") -> QuizItem:
    stem = source.replace(answer, "____", 1)
    return _item("cloze", f"{DOC}, điền vào chỗ trống: «{stem}»", answer, source, section)


def _tf(truth: str, old: str, new: str, section: str) -> QuizItem:
    statement = truth.replace(old, new, 1)
    return _item("tf", f"Đúng hay sai? {DOC}: «{statement}»", False, truth, section,
                 explanation=f"Sai: văn bản ghi «{old}», không phải «{new}». Văn bản ghi: "
                             f"«{truth}»")


def _shorts(items: list[QuizItem]) -> list[QuizItem]:
    return [i for i in items if i.type in ("mcq", "cloze")]


# --- 1. the fact of the clause is asked, not a trivial term or a citation detail

SEND = ("Hội Nông dân các huyện xây dựng kế hoạch học tập của cấp mình, gửi về Tỉnh Hội trước "
        "ngày 10/6/2024.")
LEAD = "Ban Tuyên huấn Hội Nông dân tỉnh chủ trì tham mưu tổ chức hội nghị cấp tỉnh"
GUIDE = ("Thực hiện Hướng dẫn số 12-HD/BTGTU ngày 02/5/2024 của Ban Tuyên giáo Tỉnh ủy về học "
         "tập Nghị quyết số 15-NQ/TU")


def test_a_trivial_blank_beside_the_real_fact_is_caught():
    """A29: «gửi về ____ trước ngày 30/4/2023» = Tỉnh Hội; A35: «… hội nghị ____» = cấp tỉnh
    with the body that acts in view; A31: the issue date of a cited Hướng dẫn."""
    assert "informative_blank" in problems(_cloze(SEND, "Tỉnh Hội"))
    assert "informative_blank" in problems(_cloze(LEAD, "cấp tỉnh"))
    assert "informative_blank" in problems(_cloze(GUIDE, "02/5/2024", section=""))
    assert "informative_blank" in problems(_cloze(GUIDE, "Ban Tuyên giáo Tỉnh ủy", section=""))
    assert "informative_blank" not in problems(_cloze(SEND, "10/6/2024"))


def test_generator_asks_the_fact_of_each_clause():
    answers = {str(i.answer) for i in _shorts(_all_candidates())}
    assert "10/6/2024" in answers
    assert not answers & {"Tỉnh Hội", "cấp tỉnh", "02/5/2024", "Ban Tuyên giáo Tỉnh ủy"}, answers
    for item in _shorts(_all_candidates()):
        assert "informative_blank" not in problems(item), item.question


def test_date_distractors_cannot_be_ruled_out_by_chronology():
    """A31: every wrong date of a deadline falls after the plan's own date (12/5/2024), and
    no wrong date is the resolution's or a cited guide's issue date."""
    dated = [i for i in _all_candidates() if i.type == "mcq" and "/2024" in str(i.answer)]
    assert dated
    for item in dated:
        for choice in item.choices or ():
            d, m, _ = (int(x) for x in choice.split("/"))
            assert (m, d) > (5, 12), (choice, item.question)
    for item in _all_candidates():
        assert "plausible_dates" not in problems(item), item.to_dict()


# --- 2. a false statement a reader cannot rule out from its own heading

COMPOSITION = "Thành phần: Ban Chấp hành Tỉnh hội, báo cáo viên cấp tỉnh và cán bộ các ban."
PROVINCE = "II. KẾ HOẠCH HỌC TẬP › 1. Cấp tỉnh"


def test_a_swap_contradicting_the_heading_or_a_famous_date_is_caught():
    """B8/A20: a commune body at the provincial conference; A36: the resolution's issue date
    as a reporting deadline."""
    bad = _tf(COMPOSITION, "Ban Chấp hành Tỉnh hội", "Ban Chấp hành Hội xã", PROVINCE)
    assert "fits_heading" in problems(bad)
    report = "Các huyện Hội báo cáo kết quả học tập về Ban Thường vụ Hội Nông dân tỉnh trước ngày 31/7/2024"
    famous = _tf(report, "31/7/2024", "20/4/2024", "III")
    assert "plausible_dates" in problems(famous)
    plausible = _tf(report, "31/7/2024", "15/7/2024", "III")
    assert problems(plausible) == []


def test_generated_false_statements_keep_level_and_chronology():
    from app.quiz.facts import level_of  # new in round 4 (imported here so the file loads)

    falses = [i for i in _all_candidates() if i.type == "tf" and i.answer is False]
    assert falses
    for item in falses:
        assert not {"fits_heading", "plausible_dates"} & set(problems(item)), item.explanation
        section = item.citation["section"] or ""
        wrong = item.explanation.split("«")[2].split("»")[0]
        if " › " in section and any(f.kind == "body" for f in find_facts(wrong)):
            assert level_of(wrong) == level_of(section.split(" › ")[-1]), item.explanation


# --- 3. one item per source sentence, one value per quiz, no parallel true/false lines

TIME = "Thời gian: 01 ngày, tổ chức trước ngày 30/5/2024."


def test_repeats_inside_one_quiz_are_caught():
    """A34/A40: two questions on one sentence; A21/A23 and B1/B2: ½ ngày and 01 buổi are one
    value for the grader; B7/B8: true/false on two "Thành phần:" lines of one list."""
    long = _item("mcq", f"{DOC}, hội nghị ở cấp tỉnh được tổ chức trong thời gian bao lâu?",
                 "01 ngày", TIME, PROVINCE, choices=("01 ngày", "02 ngày", "1,5 ngày", "03 buổi"))
    when = _item("mcq", f"{DOC}, cấp tỉnh tổ chức hội nghị học tập trước ngày nào?",
                 "30/5/2024", TIME, PROVINCE,
                 choices=("30/5/2024", "10/6/2024", "20/6/2024", "25/5/2024"))
    assert "same_sentence" in quiz_problems([long, when])
    target = ("Báo cáo kết quả trước ngày 31/7/2024; phấn đấu 90 phần trăm hội viên được học "
              "tập.")
    first = _item("cloze", f"{DOC}, điền vào chỗ trống: «Báo cáo kết quả trước ngày ____»",
                  "31/7/2024", target,
                  explanation="Văn bản ghi: «Báo cáo kết quả trước ngày 31/7/2024»")
    second = _item("cloze", f"{DOC}, điền vào chỗ trống: «Phấn đấu ____ phần trăm hội viên được "
                   "học tập.»", "90", target, explanation="Văn bản ghi: «phấn đấu 90 phần trăm "
                   "hội viên được học tập.»")
    assert "same_sentence" in quiz_problems([first, second])
    half = _cloze("Thời gian: ½ ngày, hoàn thành trước ngày 20/6/2024.", "½ ngày")
    session = _cloze("Học tập trung với thời gian 01 buổi, sau đó viết thu hoạch.", "01 buổi")
    assert "repeated_answer" in quiz_problems([half, session])
    true_line = _item("tf", f"Đúng hay sai? {DOC}: «Thành phần: Ban Chấp hành Hội xã, chi Hội "
                      "trưởng.»", True, "Thành phần: Ban Chấp hành Hội xã, chi Hội trưởng.",
                      "II. KẾ HOẠCH HỌC TẬP › 3. Cấp xã",
                      explanation="Đúng. Văn bản ghi: «Thành phần: Ban Chấp hành Hội xã, chi Hội "
                                  "trưởng.»")
    false_line = _tf(COMPOSITION, "báo cáo viên cấp tỉnh", "báo cáo viên cấp huyện", PROVINCE)
    assert "parallel_tf" in quiz_problems([true_line, false_line])


def test_generated_quizzes_hold_one_item_per_sentence_and_value():
    for items in _quizzes():
        assert items and quiz_problems(items) == []
        values = [str(i.answer) for i in _shorts(items)]
        assert not ({"½ ngày", "01 buổi"} <= set(values)), values
        assert all(problems(i) == [] for i in items), [(i.question, problems(i)) for i in items]


# --- 4. essay keys: one requirement per point, no copied typo, no one-phrase essay


def test_bundled_copied_or_one_phrase_keys_are_caught():
    """A13: a point bundling requirements and carrying «đuờng»; A42: «Những ai phải viết bài
    thu hoạch?» answered by one phrase."""
    line = ("Giúp cán bộ, hội viên nắm vững mục tiêu của Nghị quyết; nâng cao nhận thức về đuờng "
            "lối của Đảng. Các cấp Hội tổ chức kiểm tra việc học tập.")
    bundled = _item("open", f"{DOC}, phần «I. Mục đích, yêu cầu» nêu những nội dung chính nào?",
                    "Các ý chính", line, "I", points=(line, "Việc học tập phải nghiêm túc"),
                    explanation="Các ý chính lấy từ các đoạn của kế hoạch.")
    found = problems(bundled)
    assert "one_point_each" in found and "no_typo_copied" in found
    single = _item("open", f"{DOC}, những ai phải viết bài thu hoạch sau khi học tập nghị quyết?",
                   "Các ý chính", "Cán bộ chủ chốt các cấp Hội phải viết bài thu hoạch sau khi "
                   "học tập", "I", points=("Cán bộ chủ chốt các cấp Hội phải viết bài thu hoạch "
                                           "sau khi học tập",),
                   explanation="Các ý chính lấy từ các đoạn về thu hoạch.")
    assert "essay_worthy" in problems(single)


def test_generated_keys_are_condensed_points_with_the_original_cited():
    essays = [i for i in _all_candidates() if i.type == "open"]
    assert essays
    for item in essays:
        assert len(item.answer_points or ()) >= 2
        for point in item.answer_points or ():
            assert "; " not in point and "đuờng" not in point, point
    purpose = next(i for i in essays if "Mục đích" in i.question)
    assert any("đường lối" in p for p in purpose.answer_points or ())
    assert "đuờng lối" in purpose.citation["text"]  # the cited text stays as written
    assert not any("những ai phải viết" in i.question for i in essays)


# --- 5. stems: subject named, capital start, verb with its object, aliases


def test_bare_lowercase_or_objectless_stems_are_caught():
    """A23 «Thời gian: ____»; A3/A38 a stem starting mid-sentence; A40 «cấp tỉnh tổ chức
    trước ngày nào?»."""
    assert "labelled_stem" in problems(_cloze(TIME, "01 ngày", PROVINCE))
    lower = "phấn đấu 90 phần trăm hội viên được học tập"
    assert "capital_stem" in problems(_item("cloze", f"{DOC}: «{lower.replace('90', '____')}»",
                                            "90", lower))
    bare = _item("mcq", f"{DOC}, cấp tỉnh tổ chức trước ngày nào?", "30/5/2024", TIME, PROVINCE,
                 choices=("30/5/2024", "10/6/2024", "20/6/2024", "25/5/2024"))
    assert "verb_object" in problems(bare)


def test_generated_stems_name_their_subject():
    shorts = _shorts(_all_candidates())
    assert any("Cấp tỉnh — Thời gian: " in i.question for i in shorts)
    for item in shorts:
        assert not {"labelled_stem", "capital_stem", "verb_object"} & set(problems(item)), \
            item.question


@pytest.mark.parametrize(("answer", "alias"), [
    ("Ban Thường vụ Tỉnh ủy", "BTV Tỉnh ủy"), ("BTV Tỉnh hội", "Ban Thường vụ Tỉnh hội"),
    ("Tỉnh Hội", "Hội Nông dân tỉnh"), ("Ban Chấp hành huyện Hội", "BCH huyện Hội")])
def test_every_body_gets_its_aliases(answer, alias):
    assert alias in accepted_variants(answer, "Hội Nông dân")
    variants = accepted_variants(answer, "Hội Nông dân")
    item = _item("cloze", f"{DOC}: «Gửi kế hoạch về ____ trước ngày 10/6/2024.»", answer,
                 f"Gửi kế hoạch về {answer} trước ngày 10/6/2024.",
                 explanation=f"Cũng chấp nhận: {'; '.join(variants)}. Văn bản ghi: «Gửi kế hoạch "
                             f"về {answer} trước ngày 10/6/2024.»")
    assert grade(item, alias).correct is True
    assert grade(item, "Bộ Chính trị").correct is False
