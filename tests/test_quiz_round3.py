"""Issue 9, round 3: the defect classes of the second independent rating
(bench/notes/issue-9-rating-round2.md): facts repeated inside a quiz, a word collapse that
broke names, low-value blanks, strict grading of a half day, padded decimals."""
from __future__ import annotations

from app.quiz.application import application_items
from app.quiz.checks import problems, quiz_problems
from app.quiz.distractors import styled
from app.quiz.facts import find_facts
from app.quiz.generate import candidates, generate_quiz
from app.quiz.grade import accepted_variants, grade, same_answer
from app.quiz.items import QuizItem
from app.quiz.stems import dedupe_words
from ingest.passages import make_passages
from ingest.records import Block

DOC = "Theo Kế hoạch 985-KH/HNDT"


def _item(type_: str, question: str, answer, source: str, points=None, choices=None,
          explanation: str | None = None) -> QuizItem:
    citation = {"n": 1, "source": "ke-hoach.txt", "title": "Kế hoạch", "doc_number":
                "985-KH/HNDT", "doc_type": "Kế hoạch", "section": "III", "page": None,
                "text": source, "score": 1.0}
    return QuizItem("x", type_, question, choices, answer, points,
                    explanation or f"Văn bản ghi: «{source}»", citation)


# --- 1. repeated facts: every kind of pair the rater listed is caught

ONLINE = ("Tham gia học tập trực tuyến đối với cấp tỉnh, cấp huyện và cấp cơ sở (ở những nơi có "
          "đủ điều kiện và đã học tập trực tuyến ngày 31/8/2020)")
PROVINCE_KEY = ("Thành phần: Ban Chấp hành Tỉnh hội, các đồng chí báo cáo viên cấp tỉnh",
                "Thời gian: ½ ngày, đã học trực tuyến ngày 31/8/2020")


def test_essay_key_holding_a_short_items_clause_clashes():
    """31-23 / 31-22: the section essay's key repeats the fill-in's sentence (round 2 let an
    essay key do so when the plan was short)."""
    exempt = ("Đối với các đối tượng đã tham gia dự họp trực tuyến do Ban Thường vụ Tỉnh ủy tổ "
              "chức thì có thể không mở hội nghị riêng")
    cloze = _item("cloze", f"{DOC}, điền vào chỗ trống: «{exempt.replace('Ban Thường vụ Tỉnh ủy', '____')}»",
                  "Ban Thường vụ Tỉnh ủy", exempt)
    essay = _item("open", f"{DOC}, phần «III. Kế hoạch học tập» nêu những nội dung chính nào?",
                  "Các ý chính", exempt, points=(exempt, *PROVINCE_KEY))
    assert "same_clause" in quiz_problems([cloze, essay])


def test_essay_key_holding_a_short_items_answer_in_other_words_clashes():
    """31-7 / 31-13: a choice item on the online-study date, an essay whose key states it."""
    mcq = _item("mcq", f"{DOC}, cấp tỉnh đã học trực tuyến vào ngày nào?", "31/8/2020", ONLINE,
                choices=("26/8/2020", "31/8/2020", "15/9/2020", "15/10/2020"))
    essay = _item("open", f"{DOC}, việc học tập ở cấp tỉnh được quy định thế nào?",
                  "Các ý chính", "\n".join(PROVINCE_KEY), points=PROVINCE_KEY)
    assert "answer_in_key" in quiz_problems([mcq, essay])
    other = _item("open", f"{DOC}, phần «IV. Tổ chức thực hiện» nêu những nội dung chính nào?",
                  "Các ý chính", "Các cấp hội báo cáo kết quả về Tỉnh hội",
                  points=("Các cấp hội báo cáo kết quả về Tỉnh hội",))
    assert quiz_problems([mcq, other]) == []


def test_a_body_printed_in_another_stem_is_an_answer_shown():
    """31-35 / 31-47: one stem prints «của Ban Tuyên giáo Tỉnh ủy», the other asks for it."""
    booklet = "Tài liệu hỏi - đáp do Ban Tuyên giáo Tỉnh ủy biên soạn"
    ask = _item("cloze", f"{DOC}: «Tài liệu hỏi - đáp do ____ biên soạn»",
                "Ban Tuyên giáo Tỉnh ủy", booklet)
    shows = _item("tf", f"Đúng hay sai? {DOC}: «Hướng dẫn của Ban Tuyên giáo Tỉnh ủy về việc "
                  "tuyên truyền.»", True, "Hướng dẫn của Ban Tuyên giáo Tỉnh ủy về việc tuyên "
                  "truyền.", explanation="Đúng. Văn bản ghi: «Hướng dẫn của Ban Tuyên giáo Tỉnh "
                  "ủy về việc tuyên truyền.»")
    assert "answer_shown" in quiz_problems([ask, shows])


def test_two_direct_questions_on_one_sentence_clash():
    """Round 3 let the deadline and the duration of one line be asked as two direct
    questions; the round-3 rating (A34/A40) counts that as one source asked twice, so round 4
    allows one item per source sentence."""
    line = "Thời gian: ½ ngày, hoàn thành trước ngày 15/9/2020"
    when = _item("mcq", f"{DOC}, cấp huyện phải hoàn thành việc học tập trước ngày nào?",
                 "15/9/2020", line, choices=("15/9/2020", "20/9/2020", "25/9/2020", "05/8/2020"))
    long = _item("mcq", f"{DOC}, hội nghị ở cấp huyện được tổ chức trong thời gian bao lâu?",
                 "½ ngày", line, choices=("½ ngày", "01 ngày", "2 ngày", "3 buổi"))
    assert quiz_problems([when, long]) == ["same_sentence"]


TINY = """KẾ HOẠCH
Học tập Nghị quyết số 58-NQ/TW
I. TỔ CHỨC THỰC HIỆN
1. Cấp huyện
- Thời gian: ½ ngày, hoàn thành trước ngày 15/9/2020 tại Thanh Hoá.
- Thành phần: Ban Chấp hành huyện Hội, Chủ tịch, Phó Chủ tịch Hội Nông dân các xã.
2. Cấp xã
- Thời gian: ½ ngày, hoàn thành trước ngày 15/10/2020; viết thu hoạch cá nhân.
II. TÀI LIỆU
- Tài liệu hỏi - đáp theo Hướng dẫn số 31-HD/BTGTU của Ban Tuyên giáo Tỉnh ủy.
- Các cấp hội bám sát Nghị quyết Đại hội Đảng bộ nhiệm kỳ 2020-2025 của cấp mình.
"""


def test_generated_quizzes_hold_no_repeated_fact():
    passages = make_passages("t.txt", [Block(x) for x in TINY.splitlines()])[1]
    for seed in range(4):
        items = generate_quiz(passages, 20, seed=seed)
        assert items and quiz_problems(items) == [], seed
        assert all(problems(i) == [] for i in items)
        # 3. no blank on a document number or a term of office
        blanks = [str(i.answer) for i in items if i.type in ("mcq", "cloze")]
        assert not any("HD/BTGTU" in b or "2020-2025" in b for b in blanks), blanks


# --- 2. the doubled-word collapse keeps names and compounds


def test_collapse_only_single_syllable_words_of_one_case():
    assert dedupe_words("Ban Kinh tế - Xã hội Hội Nông dân tỉnh") == (
        "Ban Kinh tế - Xã hội Hội Nông dân tỉnh")
    assert dedupe_words("tổ chức học tập tập trung 01 buổi") == (
        "tổ chức học tập tập trung 01 buổi")
    assert dedupe_words("kế hoạch hành động của của Tỉnh ủy") == "kế hoạch hành động của Tỉnh ủy"


# --- 3. low-value blanks and padding


def test_blanks_on_document_numbers_and_terms_of_office_are_caught():
    code = "Tài liệu hỏi - đáp theo Hướng dẫn số 31-HD/BTGTU của Ban Tuyên giáo Tỉnh ủy"
    term = "bám sát Nghị quyết Đại hội Đảng bộ nhiệm kỳ 2020-2025 của cấp mình"
    for source, answer in ((code, "31-HD/BTGTU"), (term, "nhiệm kỳ 2020-2025")):
        q = f"{DOC}, điền vào chỗ trống: «{source.replace(answer, '____')}»"
        assert "fair_blank" in problems(_item("cloze", q, answer, source)), answer


def test_padding_only_for_whole_numbers():
    fact = find_facts("01 buổi")[0]
    assert styled("2 buổi", fact) == "02 buổi"
    assert styled("1,5 ngày", fact) == "1,5 ngày"
    assert styled("1.5 ngày", fact) == "1.5 ngày"


# --- 4. accepted answers


def test_a_half_day_session_is_accepted_in_every_spelling():
    for given in ("½ ngày", "nửa ngày", "1/2 ngày", "01 buổi", "1 buổi", "một buổi", "nua ngay"):
        assert same_answer(given, "01 buổi"), given
        assert same_answer(given, "½ ngày"), given
    assert not same_answer("2 buổi", "½ ngày")
    assert not same_answer("01 ngày", "01 buổi")
    item = _item("cloze", f"{DOC}: «học tập trung ____»", "01 buổi", "học tập trung 01 buổi")
    assert grade(item, "nửa ngày").correct is True


def test_keys_show_accepted_variants_and_full_names():
    assert set(accepted_variants("01 buổi")) == {"½ ngày", "nửa ngày", "1 buổi"}
    assert accepted_variants("BTV Tỉnh hội") == ("Ban Thường vụ Tỉnh hội",)
    assert accepted_variants("15/9/2020") == ()
    passages = make_passages("t.txt", [Block(x) for x in TINY.splitlines()])[1]
    halves = [c.item for c in candidates(passages, ("cloze",), 0)["cloze"]
              if c.item.answer == "½ ngày"]
    assert halves and all("Cũng chấp nhận: nửa ngày; 01 buổi; 1 buổi." in i.explanation
                          for i in halves)


# --- 5. application essays ask only what the plan says


def _thu_hoach_questions(text: str) -> list[str]:
    passages = make_passages("t.txt", [Block(x) for x in text.splitlines()])[1]
    return [i.question for i, key in application_items(passages) if key == "application:essay"]


def test_thu_hoach_question_asks_only_what_the_plan_says():
    head = "KẾ HOẠCH\nHọc tập Nghị quyết số 58-NQ/TW\nI. MỤC ĐÍCH, YÊU CẦU\n"
    silent = head + ("2. Việc học tập phải nghiêm túc, thiết thực, gắn với các phong trào thi đua "
                     "của Hội; cán bộ chủ chốt các cấp Hội phải viết bài thu hoạch sau khi học "
                     "tập.\n")
    # round 4: a one-phrase answer (who writes) is no essay
    assert _thu_hoach_questions(silent) == []
    more = "3. Học tập trung 01 buổi, sau đó tự nghiên cứu tài liệu và viết thu hoạch.\n"
    [q] = _thu_hoach_questions(silent + more)
    assert "những ai" in q and "sử dụng" not in q
    says = head + ("2. Sau hội nghị các đối tượng thuộc diện viết thu hoạch cá nhân, thực hiện đúng "
                   "quy định và đưa vào nội dung thi đua, đánh giá, xếp loại cuối năm.\n") + more
    [q] = _thu_hoach_questions(says)
    # round 5: "các đối tượng thuộc diện viết thu hoạch" names no group, so no "những ai"
    assert "những ai" not in q and "sử dụng" in q
    assert _thu_hoach_questions(head + "2. Thời gian: ½ ngày; viết thu hoạch cá nhân.\n") == []
