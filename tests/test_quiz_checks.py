"""Each defect class of issue 9, built by hand from the issue's quoted examples, is caught by a
check; good items pass; generated quizzes over 10 seeds pass every check."""
from __future__ import annotations

import pytest

from app.quiz.checks import problems, quiz_problems
from app.quiz.family import default_family
from app.quiz.generate import generate_quiz
from app.quiz.items import QuizItem
from app.quiz.select import choose
from ingest.passages import make_passages
from ingest.readers import read_document
from tests.conftest import DATA, SHIPPED_CORPUS

TITLE = ("Nghiên cứu, học tập, quán triệt và triển khai thực hiện Nghị quyết số 58-NQ/TW, ngày "
         "5/8/2020 của Bộ Chính trị về xây dựng và phát triển tỉnh Thanh Hóa đến năm 2030")
DOC = "Theo Kế hoạch 985-KH/HNDT, mục «I. Mục đích, yêu cầu»"


def _item(type_: str, question: str, answer, source: str, cited: str | None = None,
          choices=None, points=None, explanation: str | None = None) -> QuizItem:
    citation = {"n": 1, "source": "ke-hoach.txt", "title": TITLE, "doc_number": "985-KH/HNDT",
                "doc_type": "Kế hoạch", "section": "I", "page": None,
                "text": cited if cited is not None else source, "score": 1.0}
    return QuizItem("x", type_, question, choices, answer, points,
                    explanation or f"Văn bản ghi: «{source}»", citation)


def _cloze(before: str, answer: str, after: str, **kw) -> QuizItem:
    source = f"{before}{answer}{after}"
    q = f"{DOC}: Điền cụm từ nào vào chỗ trống? «{before}____{after}»"
    return _item("cloze", q, answer, source, **kw)


def _tf(statement: str, answer: bool, truth: str, cited: str, changed: tuple[str, str] = ()):
    verdict = "Đúng" if answer else f"Sai: văn bản ghi «{changed[0]}», không phải «{changed[1]}»"
    return _item("tf", f"Đúng hay sai? {DOC}: «{statement}»", answer, truth, cited,
                 explanation=f"{verdict}. Văn bản ghi: «{truth}»")


SOLUTIONS = ("nắm vững các nội dung, quan điểm, mục tiêu, nhiệm vụ và giải ", "pháp nêu trong nghị",
             " quyết")
ONLINE = ("Đối với các đối tượng đã tham gia dự họp trực tuyến do Ban Thường vụ Tỉnh ủy tổ chức "
          "thì có thể không mở hội nghị riêng; sau khi tiếp thu tại Hội nghị triển khai của của "
          "Tỉnh ủy, BTV Hội Nông dân các cấp tập trung xây dựng kế hoạch hành động của cấp mình")
LEVELS = ("Tham gia học tập trực tuyến đối với cấp tỉnh, cấp huyện và cấp cơ sở (ở những nơi có "
          "đủ điều kiện và đã học tập trực tuyến ngày 31/8/2020)")


def test_fragment_blanks_are_caught():
    assert "whole_term" in problems(_cloze(*SOLUTIONS))
    politburo = _cloze("nhằm nhanh chóng đưa Nghị ", "quyết của Bộ Chính", " trị đi vào cuộc sống")
    assert "whole_term" in problems(politburo)


def test_stock_phrase_blanks_are_caught():
    stock = _cloze("Việc tổ chức học tập, quán triệt và ", "triển khai thực hiện",
                   " nghị quyết là một trong những nhiệm vụ trọng tâm")
    assert "whole_term" in problems(stock)
    generic = _cloze("nắm vững các nội dung, quan điểm, mục tiêu, nhiệm vụ và ", "giải pháp",
                     " nêu trong nghị quyết")
    assert "whole_term" in problems(generic)


def test_title_word_blanks_are_caught():
    bad = _cloze("quan điểm, mục tiêu, nhiệm vụ và các giải pháp chủ yếu trong Nghị quyết số ",
                 "58-NQ/TW", " của Bộ Chính trị")
    assert "not_title_word" in problems(bad)


def test_good_blanks_pass():
    good = _cloze("Đối với các đối tượng đã tham gia dự họp trực tuyến do ",
                  "Ban Thường vụ Tỉnh ủy", " tổ chức")
    assert problems(good) == []
    bare = _cloze("Thời gian: ½ ngày, hoàn thành trước ngày ", "15/9/2020", ".")
    assert problems(bare) == ["labelled_stem"]  # round 4: a bare label names no subject
    line = "Thời gian: ½ ngày, hoàn thành trước ngày 15/9/2020."
    date = _item("cloze", f"{DOC}: Điền ngày vào chỗ trống? «Cấp huyện — "
                 f"{line.replace('15/9/2020', '____')}»", "15/9/2020", line)
    assert problems(date) == []


def test_repeated_answer_values_are_caught():
    items = [_cloze(f"Câu {n}: đưa Nghị quyết của ", "Bộ Chính trị", " đi vào cuộc sống")
             for n in range(3)]
    assert "repeated_answer" in quiz_problems(items)
    assert "repeated_answer" not in quiz_problems(items[:1])


def test_tf_imbalance_and_copied_typos_are_caught():
    truth = "Thời gian: ½ ngày, hoàn thành trước ngày 15/9/2020."
    items = [_tf(truth, True, truth, truth)] * 7 + [
        _tf(truth.replace("15/9", "20/9"), False, truth, truth, ("15/9/2020", "20/9/2020"))] * 3
    assert "tf_balance" in quiz_problems(items)
    assert "tf_balance" not in quiz_problems(items[4:])
    typo = ("sau khi tiếp thu tại Hội nghị triển khai của của Tỉnh ủy, BTV Hội Nông dân các cấp "
            "tập trung xây dựng kế hoạch hành động của cấp mình")
    assert "no_typo_copied" in problems(_tf(typo, True, typo, ONLINE))


def test_false_statements_that_are_no_claim_or_not_clearly_false():
    truth = ("Quán triệt những nội dung chủ yếu trong Nghị quyết số 58-NQ/TW của Bộ Chính trị")
    swap = truth.replace("Bộ Chính trị", "BTV Tỉnh hội")
    assert "not_title_word" in problems(_tf(swap, False, truth, truth,
                                            ("Bộ Chính trị", "BTV Tỉnh hội")))
    truth = "Thành phần: Ban Chấp hành Tỉnh hội, các đồng chí báo cáo viên cấp tỉnh"
    swap = truth.replace("Ban Chấp hành Tỉnh hội", "Ban Thường vụ Tỉnh hội")
    assert "clearly_false" in problems(_tf(swap, False, truth, truth,
                                           ("Ban Chấp hành Tỉnh hội", "Ban Thường vụ Tỉnh hội")))


def test_statements_cut_from_their_condition_are_caught():
    cut = "… có thể không mở hội nghị riêng"
    assert "whole_clause" in problems(_tf(cut, True, cut, ONLINE))
    bare = "có thể không mở hội nghị riêng"
    assert "whole_clause" in problems(_tf(bare, True, bare, ONLINE))
    whole = ONLINE.split(";")[0]
    assert problems(_tf(whole, True, whole, ONLINE)) == []


def test_distractors_true_by_the_sentence_or_absurd_are_caught():
    q = f"{DOC}: Chọn cấp nào vào chỗ trống? «Tham gia học tập trực tuyến đối với ____, cấp huyện"
    same = _item("mcq", q + " và cấp cơ sở»", "cấp tỉnh", LEVELS,
                 choices=("cấp tỉnh", "cấp trung ương", "cấp huyện", "cấp chi hội"))
    assert "distractor_false" in problems(same)
    commune = "Thành phần: Ban Chấp hành Hội xã, chi Hội trưởng"
    absurd = _item("mcq", f"{DOC}: Chọn cơ quan, tổ chức nào vào chỗ trống? «Thành phần: ____, "
                   "chi Hội trưởng»", "Ban Chấp hành Hội xã", commune,
                   choices=("Ban Chấp hành Hội xã", "Bộ Chính trị", "Ban Chấp hành Tỉnh hội",
                            "Ban Chấp hành huyện Hội"))
    assert "plausible_choices" in problems(absurd)


@pytest.fixture(scope="module")
def library():
    files = sorted(f for f in SHIPPED_CORPUS.iterdir() if f.is_file())
    files += sorted((DATA / "lookalike").glob("*.txt"))
    files += sorted((DATA / "devlib").glob("*")) if (DATA / "devlib").is_dir() else []
    out = []
    for f in files:
        if f.suffix.lower() in (".txt", ".docx", ".pdf"):
            out += make_passages(f.name, read_document(f, 50 * 2**20).blocks)[1]
    return out


def test_distractors_from_another_organisation_are_caught(library):
    deadline = "Thời gian: ½ ngày, hoàn thành trước ngày 15/9/2020."
    src = next(p.source for p in library if "985" in (p.meta.number or ""))
    item = _item("mcq", f"{DOC}: Chọn ngày nào vào chỗ trống? «Thời gian: ½ ngày, hoàn thành "
                 "trước ngày ____.»", "15/9/2020", deadline,
                 choices=("15/9/2020", "12/9/2020", "20/9/2020", "1/10/2020"))
    item.citation["source"] = src
    assert "foreign_distractor" in quiz_problems([item], library)
    honest = QuizItem(item.id, "mcq", item.question, ("15/9/2020", "10/9/2020", "17/9/2020",
                                                     "29/9/2020"), "15/9/2020", None,
                      item.explanation, item.citation)
    assert quiz_problems([honest], library) == []


def test_open_keys_cut_capped_or_mechanical_are_caught():
    mech = _item("open", "Theo Kế hoạch 985-KH/HNDT, mục «III. Kế hoạch học tập, quán triệt», "
                 "hãy trình bày nội dung quy định tại điểm «1. Cấp tỉnh».", "Các ý chính",
                 ONLINE, points=(ONLINE,), explanation="Các ý chính")
    assert "natural_stem" in problems(mech)
    cut = _item("open", "Theo Kế hoạch 985-KH/HNDT, hãy nêu kế hoạch học tập.", "Các ý chính",
                ONLINE, points=(ONLINE.split(";")[0],),
                explanation="Các ý được lấy từ mục «III».")  # round 4: ";" parts are points
    assert "whole_points" in problems(cut)
    lines = "- Thành phần: Ban Chấp hành Tỉnh hội\n- Thời gian: ½ ngày, đã học trực tuyến"
    capped = _item("open", "Theo Kế hoạch 985-KH/HNDT, việc học tập ở cấp tỉnh được quy định "
                   "thế nào?", "Các ý chính", lines, points=("Thành phần: Ban Chấp hành Tỉnh hội",),
                   explanation="Các ý được lấy từ mục «1. Cấp tỉnh».")
    assert "whole_points" in problems(capped)
    full = QuizItem("x", "open", capped.question, None, "Các ý chính",
                    ("Thành phần: Ban Chấp hành Tỉnh hội", "Thời gian: ½ ngày, đã học trực tuyến"),
                    capped.explanation, capped.citation)
    assert problems(full) == []


@pytest.mark.parametrize("wanted", [["985-KH/HNDT"], ["tất cả"]])
def test_generated_quizzes_pass_every_check_over_10_seeds(library, wanted):
    """The shipped plan alone, and every family of the mixed library (corpus, lookalike,
    devlib when present) mixed on purpose; distractors always from the item's own family."""
    families, passages = choose(library, wanted)
    for seed in range(10):
        items = generate_quiz(passages, 20, seed=seed, pool_from=library)
        # one source clause and answer per quiz, no essay key repeating a short item's fact,
        # no answer printed among another item's choices, essays ≤ 20% and dates ≤ 40% of
        # the items made (round 5): the short shipped plan holds 7–9 such items
        assert len(items) >= (7 if len(families) == 1 else 20)
        for item in items:
            assert problems(item) == [], (problems(item), item.to_dict())
        assert quiz_problems(items, library) == [], seed
        if len(families) == 1:
            assert {i.citation["doc_number"] for i in items} == {families[0].number}


def test_default_quiz_is_one_family(library):
    families, passages = choose(library)
    assert families == [default_family(library)]
    items = generate_quiz(passages, 10, seed=0, pool_from=library)
    assert len({i.citation["source"] for i in items}) == 1


# --- round 2: the defect classes the independent rating found (bench/notes/issue-9-rating.md)

DEADLINE = "Thời gian: ½ ngày, hoàn thành trước ngày 15/9/2020"


def test_two_items_from_one_clause_or_showing_an_answer_clash():
    a = _cloze("Thời gian: ½ ngày, hoàn thành trước ngày ", "15/9/2020", "")
    b = _cloze("Thời gian: ", "½ ngày", ", hoàn thành trước ngày 15/9/2020")
    assert "same_clause" in quiz_problems([a, b])
    shown = _tf("Cấp huyện hoàn thành học tập trước ngày 15/9/2020.", True,
                "Cấp huyện hoàn thành học tập trước ngày 15/9/2020.",
                "Cấp huyện hoàn thành học tập trước ngày 15/9/2020.")
    assert "answer_shown" in quiz_problems([a, shown])
    other = _cloze("Thời gian: ½ ngày, đã học trực tuyến ngày ", "31/8/2020", "")
    assert quiz_problems([a, other]) == []


def test_essay_keys_inside_each_other_clash():
    lines = "- Thành phần: Ban Chấp hành Tỉnh hội\n- Thời gian: ½ ngày, đã học trực tuyến"
    big = _item("open", "Theo Kế hoạch 985-KH/HNDT, việc học tập ở cấp tỉnh được quy định thế "
                "nào?", "Các ý chính", lines, points=("Thành phần: Ban Chấp hành Tỉnh hội",
                                                      "Thời gian: ½ ngày, đã học trực tuyến"))
    small = _item("open", "Theo Kế hoạch 985-KH/HNDT, thời gian học tập ở cấp tỉnh?",
                  "Các ý chính", lines, points=("Thời gian: ½ ngày, đã học trực tuyến",))
    assert "essay_overlap" in quiz_problems([big, small])


def test_unfair_blanks_are_caught():
    assert "fair_blank" in problems(_cloze("bảo vệ ", "nền tảng tư tưởng", " của Đảng"))
    assert "fair_blank" in problems(_cloze("phát huy ", "vai trò chủ thể",
                                           " của nông dân trong xây dựng nông thôn mới"))
    title = _cloze("gắn với ", "Nghị quyết Đại hội", " Đảng bộ nhiệm kỳ 2020-2025")
    assert "fair_blank" in problems(title)
    noun = _cloze("tham gia xây dựng ít nhất 60 ", "sản phẩm OCOP", " đến năm 2030")
    assert "fair_blank" in problems(noun)
    pages = _cloze("Tài liệu hỏi - đáp về Nghị quyết của Ban Tuyên giáo Tỉnh ủy (", "48",
                   " trang)")
    assert "fair_blank" in problems(pages)


def test_a_blank_another_list_value_fits_is_caught():
    docs = ("- Kế hoạch hành động của Ban Chấp hành Đảng bộ tỉnh về thực hiện Nghị quyết\n"
            "- Kế hoạch hành động của BTV Tỉnh hội về học tập Nghị quyết")
    item = _cloze("Kế hoạch hành động của ", "BTV Tỉnh hội", " về học tập Nghị quyết",
                  cited=docs)
    assert "unambiguous" in problems(item)


def test_fill_in_without_a_blank_is_caught():
    q = _item("cloze", "Theo Kế hoạch 985-KH/HNDT, cấp tỉnh học trong thời gian bao lâu?",
              "½ ngày", DEADLINE)
    assert "has_blank" in problems(q)


def test_statements_that_are_no_claims_or_arguably_true_are_caught():
    title = "Kế hoạch hành động của BCH Hội xã về thực hiện Nghị quyết số 58-NQ/TW"
    assert "claim" in problems(_tf(title, True, title, title))
    cut = "đồng thời phải bám sát Nghị quyết Đại hội Đảng bộ nhiệm kỳ 2020-2025 của cấp mình"
    assert "claim" in problems(_tf(cut, True, cut, cut))
    lead = "Hội Nông dân tỉnh xây dựng kế hoạch học tập, cụ thể như sau:"
    assert "claim" in problems(_tf(lead, True, lead, lead))
    truth = "Các cấp hội tham gia xây dựng ít nhất 60 sản phẩm OCOP đến năm 2030."
    weaker = truth.replace("60", "48")
    assert "bound_kept" in problems(_tf(weaker, False, truth, truth, ("60", "48")))
    stronger = truth.replace("60", "75")
    assert "bound_kept" not in problems(_tf(stronger, False, truth, truth, ("60", "75")))


def test_essay_keys_that_miss_the_stem_or_lose_levels_are_caught():
    lines = ("- Thành phần: Ban Chấp hành Tỉnh hội\n- Thời gian: ½ ngày\n"
             "- Thành phần: Ban Chấp hành huyện Hội\n- Thời gian: ½ ngày, trước 15/9/2020")
    pts = ("Thành phần: Ban Chấp hành Tỉnh hội", "Thời gian: ½ ngày",
           "Thành phần: Ban Chấp hành huyện Hội", "Thời gian: ½ ngày, trước 15/9/2020")
    flat = _item("open", "Theo Kế hoạch 985-KH/HNDT, phần «III. Kế hoạch học tập» nêu những "
                 "nội dung chính nào?", "Các ý chính", lines, points=pts)
    assert "key_fits_stem" in problems(flat)
    heads = ("1. Cấp tỉnh", "1. Cấp tỉnh", "2. Cấp huyện", "2. Cấp huyện")
    headed = QuizItem("x", "open", flat.question, None, "Các ý chính",
                      tuple(f"{h} — {p}" for h, p in zip(heads, pts, strict=True)),
                      flat.explanation,
                      flat.citation)
    assert "key_fits_stem" not in problems(headed)
    duty = _item("open", "Ở cương vị của anh/chị là cán bộ phụ trách cấp tỉnh, nêu thành phần, "
                 "thời gian và việc cần làm sau hội nghị.", "Các ý chính", lines, points=pts[:2])
    assert "key_fits_stem" in problems(duty)
