"""Issue 9, round 5: the defect classes of the fourth independent rating
(bench/notes/issue-9-rating-round4.md). Each class is shown on ``PLAN``, a small fictional plan
(its own organisation, numbers and dates, not the rated plans), through the generator and,
where a hand-built item shows it better, through the checks (``app.quiz.checks``)."""
from __future__ import annotations

import re
from functools import lru_cache

from app.quiz.application import application_items, section_items
from app.quiz.checks import kind_of, quiz_problems
from app.quiz.facts import fact_key, find_facts, value_key
from app.quiz.generate import candidates, generate_quiz
from app.quiz.items import QuizItem
from app.quiz.overlap import clash
from app.quiz.stems import heading_phrase
from ingest.passages import make_passages
from ingest.records import Block, Passage

PLAN = """HỘI NÔNG DÂN VIỆT NAM        CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM
BCH HND TỈNH ĐÔNG LÂM                      Độc lập – Tự do – Hạnh phúc
    Số 27-KH/HNDT                           Đông Lâm, ngày 14 tháng 3 năm 2025
KẾ HOẠCH
Học tập và triển khai thực hiện Nghị quyết số 21-NQ/TU, ngày 20/2/2025 của Ban Chấp hành Đảng bộ \
tỉnh về phát triển kinh tế hợp tác
I. MỤC ĐÍCH, YÊU CẦU
1. Giúp cán bộ, hội viên nắm vững quan điểm, mục tiêu của Nghị quyết.
2. Các cấp Hội xây dựng kế hoạch hành động cụ thể, có chỉ tiêu và lộ trình rõ ràng.
3. Sau hội nghị các đối tượng thuộc diện viết thu hoạch cá nhân, thực hiện đúng quy định và đưa \
vào nội dung thi đua, đánh giá, xếp loại cuối năm.
II. NỘI DUNG, HÌNH THỨC
1. Nội dung
- Những nội dung cơ bản của Nghị quyết số 21-NQ/TU về kinh tế hợp tác.
- Kế hoạch hành động của Ban Thường vụ Tỉnh hội về thực hiện Nghị quyết.
2. Hình thức
- Học tập trung 01 buổi, trong đó dành thời gian thảo luận kế hoạch hành động, sau đó tự nghiên \
cứu tài liệu và viết thu hoạch theo quy định.
- Các cấp Hội xây dựng kế hoạch hành động của cấp mình trên cơ sở vận dụng các nhiệm vụ của Nghị \
quyết. Đồng thời phải bám sát tình hình thực tế của địa phương và nguồn lực của hội viên nhằm \
nhanh chóng đưa Nghị quyết vào cuộc sống, tạo chuyển biến rõ nét trong phong trào nông dân thi \
đua sản xuất, kinh doanh giỏi ở mọi địa bàn của tỉnh.
3. Tài liệu
- Nghị quyết số 21-NQ/TU về phát triển kinh tế hợp tác.
- Kế hoạch của Ban Thường vụ Tỉnh ủy về thực hiện Nghị quyết số 21-NQ/TU.
- Kế hoạch hành động của Ban Chấp hành Tỉnh hội về hiện Nghị quyết số 21-NQ/TU.
- Chương trình của Ban Thường vụ Tỉnh hội về thực hiện Nghị quyết số 21-NQ/TU.
III. KẾ HOẠCH HỌC TẬP
1. Cấp tỉnh
- Thành phần: Ban Chấp hành Tỉnh hội, báo cáo viên cấp tỉnh và cán bộ các ban của Tỉnh hội.
- Thời gian: 01 ngày, đã học trực tuyến ngày 12/3/2025.
2. Cấp huyện
- Thành phần: Ban Chấp hành huyện Hội, Chủ tịch Hội Nông dân các xã.
- Thời gian: ½ ngày, hoàn thành trước ngày 25/3/2025.
3. Cấp xã
- Thành phần: Ban Chấp hành Hội xã, chi Hội trưởng các chi Hội.
- Thời gian: 01 buổi, hoàn thành trước ngày 15/4/2025.
4. Chi Hội
- Thời gian: lồng ghép trong sinh hoạt chi Hội, hoàn thành trước ngày 30/4/2025.
IV. TỔ CHỨC THỰC HIỆN
1. Ban Tuyên huấn Hội Nông dân tỉnh tham mưu tổ chức hội nghị cấp tỉnh; hướng dẫn các huyện Hội \
thực hiện kế hoạch.
2. Hội Nông dân các huyện gửi kế hoạch học tập về Tỉnh Hội trước ngày 20/3/2025.
3. Các huyện Hội báo cáo kết quả học tập về Ban Thường vụ Hội Nông dân tỉnh trước ngày 10/5/2025; \
phấn đấu 85 phần trăm hội viên được học tập.
"""
SEEDS = range(8)
TYPES = ("mcq", "cloze", "tf", "open")
CONNECTIVE = re.compile(r"^(?:Đồng thời|Trong đó|Sau đó|Ngoài ra|Bên cạnh đó|Mặt khác)\b", re.I)


@lru_cache(maxsize=1)
def _passages() -> tuple[Passage, ...]:
    return tuple(make_passages("plan.txt", [Block(x) for x in PLAN.splitlines()])[1])


@lru_cache(maxsize=1)
def _quizzes() -> tuple[tuple[QuizItem, ...], ...]:
    return tuple(tuple(generate_quiz(list(_passages()), 20, seed=s)) for s in SEEDS)


def _essays() -> list[QuizItem]:
    body = [p for p in _passages() if p.kind == "body"]
    return [i for i, _ in section_items(body) + application_items(body)]


def _item(type_: str, question: str, answer, source: str, choices=None,
          points=None) -> QuizItem:
    citation = {"n": 1, "source": "plan.txt", "title": "", "doc_number": "27-KH/HNDT",
                "doc_type": "Kế hoạch", "section": "III", "page": None, "text": source,
                "score": 1.0}
    return QuizItem("x", type_, question, choices, answer, points,
                    f"Văn bản ghi: «{source}»", citation)


# --- 1. essays: a small share of the quiz, short keys, only what the plan says


def test_essays_are_at_most_a_fifth_of_the_items_made():
    for items in _quizzes():
        essays = sum(1 for i in items if i.type == "open")
        assert essays <= max(1, int(0.2 * len(items))), [i.type for i in items]
        assert "essay_share" not in quiz_problems(items)


def test_essay_keys_are_short_points_without_connectives():
    essays = _essays()
    assert essays  # the plan still gives essays
    for item in essays:
        pts = item.answer_points or ()
        assert 2 <= len(pts) <= 5, pts
        for pt in pts:
            body = pt.split(" — ")[-1]
            assert not CONNECTIVE.match(body), pt
            assert len(body) <= 180, pt


def test_a_second_requirement_after_a_connective_is_its_own_point():
    # "… , sau đó tự nghiên cứu tài liệu và viết thu hoạch" is a point of the thu hoạch key
    [essay] = [i for i in _essays() if "thu hoạch" in i.question]
    assert any(p.startswith("Tự nghiên cứu tài liệu và viết thu hoạch")
               for p in essay.answer_points or ()), essay.answer_points


def test_who_writes_is_asked_only_when_the_plan_names_the_group():
    [essay] = [i for i in _essays() if "thu hoạch" in i.question]
    # "các đối tượng thuộc diện viết thu hoạch" names no group
    assert "những ai" not in essay.question and "sử dụng" in essay.question
    named = PLAN.replace("các đối tượng thuộc diện viết thu hoạch cá nhân",
                         "cán bộ chủ chốt các cấp Hội phải viết thu hoạch cá nhân")
    body = [p for p in make_passages("plan.txt", [Block(x) for x in named.splitlines()])[1]
            if p.kind == "body"]
    [essay] = [i for i, k in application_items(body) if k == "application:essay"]
    assert "những ai" in essay.question


def test_no_essay_key_copies_a_missing_word_slip():
    # "về hiện Nghị quyết" once, "về thực hiện Nghị quyết" elsewhere in the plan
    for item in _essays():
        assert not any("về hiện" in p for p in item.answer_points or ()), item.answer_points


# --- 2. no answer printed by another item of the same quiz


def test_an_answer_is_printed_nowhere_else_on_the_sheet():
    for items in _quizzes():
        for a in items:
            if a.type not in ("mcq", "cloze"):
                continue
            kind = kind_of(str(a.answer))
            mine = value_key(kind, fact_key(kind, str(a.answer)))
            for b in items:
                if b is a:
                    continue
                printed = "\n".join([b.question, *(b.choices or ())])
                shown = {value_key(f.kind, f.key) for f in find_facts(printed)}
                assert mine not in shown, (a.question, a.answer, b.question, b.choices)


def test_a_choice_or_an_equal_value_elsewhere_is_a_clash():
    src = "Hội Nông dân các huyện gửi kế hoạch học tập về Tỉnh Hội trước ngày 20/3/2025."
    cloze = _item("cloze", "Điền ngày: «Hội Nông dân các huyện gửi kế hoạch học tập về Tỉnh Hội "
                  "trước ngày ____.»", "20/3/2025", src)
    other = "Các huyện Hội báo cáo kết quả học tập về Ban Thường vụ trước ngày 10/5/2025"
    mcq = _item("mcq", "Các huyện Hội báo cáo kết quả học tập trước ngày nào?", "10/5/2025",
                other, choices=("10/5/2025", "20/3/2025", "15/5/2025", "5/5/2025"))
    assert clash(cloze, mcq) == "answer_shown"
    half = _item("tf", "Đúng hay sai? «Cấp huyện — Thời gian: ½ ngày, hoàn thành trước ngày "
                 "25/3/2025.»", True, "Thời gian: ½ ngày, hoàn thành trước ngày 25/3/2025.")
    buoi = _item("cloze", "Điền thời gian: «Cấp xã — Thời gian: ____, hoàn thành trước ngày "
                 "15/4/2025.»", "01 buổi", "Thời gian: 01 buổi, hoàn thành trước ngày 15/4/2025.")
    assert clash(half, buoi) == "answer_shown"


def test_a_wrong_choice_printed_as_a_true_fact_elsewhere_is_a_clash():
    src = "Cấp huyện — Thời gian: ½ ngày, hoàn thành trước ngày 25/3/2025."
    mcq = _item("mcq", "Cấp xã phải hoàn thành việc học tập trước ngày nào?", "15/4/2025",
                "Thời gian: 01 buổi, hoàn thành trước ngày 15/4/2025.",
                choices=("25/3/2025", "15/4/2025", "20/4/2025", "10/4/2025"))
    stem = _item("tf", f"Đúng hay sai? «{src}»", True, src)
    assert clash(mcq, stem) == "wrong_choice_shown"
    false = _item("tf", "Đúng hay sai? «Cấp huyện — Thời gian: ½ ngày, hoàn thành trước ngày "
                  "25/3/2025.»", False, "Thời gian: ½ ngày, hoàn thành trước ngày 28/3/2025.")
    assert clash(mcq, false) is None  # a false statement's value is no fact of the plan


def test_a_statement_listing_an_essay_key_is_a_clash():
    src = "Quán triệt kế hoạch của Ban Thường vụ Tỉnh ủy và của Ban Chấp hành Tỉnh hội."
    tf = _item("tf", f"Đúng hay sai? «{src}»", True, src)
    essay = _item("open", "Phần «Tài liệu» gồm những tài liệu nào?", "…", "x", points=(
        "Kế hoạch của Ban Thường vụ Tỉnh ủy về thực hiện Nghị quyết số 21-NQ/TU",
        "Kế hoạch hành động của Ban Chấp hành Tỉnh hội về thực hiện Nghị quyết"))
    assert clash(tf, essay) == "tf_lists_key"


# --- 3. the right option is not always the latest date or the largest value


def _ranks() -> list[tuple[int, int]]:
    """(rank of the answer among the choices' values, its position) of every ordered mcq."""
    out = []
    for seed in SEEDS:
        for c in candidates(list(_passages()), ("mcq",), seed)["mcq"]:
            item = c.item
            kind = kind_of(str(item.answer))
            if kind not in ("date", "number"):  # a length of time has no shorter one below
                continue  # ½ ngày in a plan that uses buổi / ngày (see the round-5 notes)
            keys = [fact_key(kind, x) for x in item.choices or ()]
            order = [value_key(kind, k) for k in keys]
            vals = [_scale(kind, k) for k in keys]
            at = (item.choices or ()).index(str(item.answer))
            rank = sorted(vals).index(vals[at])
            assert len(set(order)) == 4
            out.append((rank, at))
    return out


def _scale(kind: str, key: str) -> float:
    if kind == "date":
        d, m, y = (int(x) for x in key.split("/"))
        return y * 400 + m * 31 + d
    from app.quiz.facts import hours
    return hours(key) or 0.0 if kind == "duration" else float(key)


def test_answer_rank_and_position_are_balanced():
    ranks = _ranks()
    assert len(ranks) >= 40
    shares = [sum(1 for r, _ in ranks if r == k) / len(ranks) for k in range(4)]
    assert max(shares) <= 0.4, shares  # not systematically the latest, largest or smallest
    positions = [at for _, at in ranks]
    assert all(positions.count(k) >= len(ranks) / 10 for k in range(4)), positions


def test_a_date_with_room_on_both_sides_has_wrong_dates_on_both_sides():
    # "hoàn thành trước ngày 25/3/2025": wrong dates may lie between the plan's date (14/3)
    # and the answer, and after it. (12/3/2025, two days before the plan, has no room for a
    # later wrong date five days away since round 6: see test_quiz_round6.)
    found = [c.item for s in SEEDS for c in candidates(list(_passages()), ("mcq",), s)["mcq"]
             if c.item.answer == "25/3/2025"]
    assert found
    key = _scale("date", "25/3/2025")
    values = [[_scale("date", fact_key("date", x)) for x in i.choices or ()] for i in found]
    assert any(v < key for vs in values for v in vs), [i.choices for i in found]
    assert any(v > key for vs in values for v in vs), [i.choices for i in found]


# --- 4. plausible distractors, few dates per quiz


def test_durations_stay_in_the_units_the_plan_uses():
    for seed in SEEDS:
        for c in candidates(list(_passages()), ("mcq",), seed)["mcq"]:
            if kind_of(str(c.item.answer)) == "duration":
                assert not any("tuần" in x or "tháng" in x for x in c.item.choices or ()), \
                    c.item.choices


def test_dates_are_at_most_two_fifths_of_a_quiz():
    for items in _quizzes():
        dates = sum(1 for i in items if i.type in ("mcq", "cloze")
                    and kind_of(str(i.answer)) == "date")
        assert dates <= max(1, 0.4 * len(items)), (dates, len(items))
        assert "kind_share" not in quiz_problems(items)


# --- 5. wording (grading of bodies: test_quiz_round6)


def test_a_content_heading_is_not_asked_for_its_contents():
    questions = [i.question for i in _essays() if "«Nội dung»" in i.question]
    assert questions and all("nội dung gì" not in q and "gồm những ý nào" in q
                             for q in questions)


def test_a_level_heading_reads_in_lower_case_mid_sentence():
    assert heading_phrase("4. Chi Hội") == "chi Hội"
    assert heading_phrase("2. Hội Nông dân các huyện") == "Hội Nông dân các huyện"
    stems = [c.item.question for s in SEEDS for t in ("mcq", "cloze")
             for c in candidates(list(_passages()), (t,), s)[t]]
    assert not any(re.search(r"\w,? Chi Hội", q) for q in stems)
