"""Contrast questions of round 44's probe CN (bench/contrast.py): one detail the clause states,
swapped for one it does not state; nothing where the clause states nothing to swap. Round 45's
probe DLC: the document's label the reader is told, and the swaps it allows."""
from __future__ import annotations

import random

from bench.contrast import contrasts, document_label, is_yes_no
from bench.probe_verifier import contrast_pairs
from ingest.facts import organisations

HUYEN = "2. Cấp huyện - Thời gian: ½ ngày, hoàn thành trước ngày 15/9/2020."


def _made(question: str, text: str, seed: int = 0) -> list[str]:
    return contrasts(question, text, random.Random(seed))


def test_a_level_the_clause_states_is_swapped_for_one_it_does_not() -> None:
    for seed in range(6):
        made = _made("Hội Nông dân cấp huyện phải học xong trước ngày nào?", HUYEN, seed)
        levels = [q for q in made if "cấp huyện" not in q]
        assert len(levels) == 1
        assert ("cấp tỉnh" in levels[0]) != ("cấp xã" in levels[0])


def test_a_level_the_clause_does_not_state_is_left_alone() -> None:
    text = "IV. Tổ chức thực hiện - Ban Tuyên giáo theo dõi, đôn đốc việc thực hiện."
    assert _made("Ở cấp huyện ai theo dõi việc thực hiện?", text) == []


def test_xa_hoi_and_thi_xa_are_not_the_xa_level() -> None:
    text = "Ban Kinh tế - Xã hội chủ trì; các xã báo cáo về Ban Thường vụ."
    made = _made("Ban Kinh tế - Xã hội của thị xã chủ trì việc gì?", text)
    assert all("Xã hội" in q and "thị xã" in q for q in made)


def test_a_year_the_clause_states_becomes_one_it_does_not() -> None:
    text = "3. Mục tiêu cụ thể đến năm 2030 - Đón 3 triệu lượt khách du lịch mỗi năm."
    made = _made("đến 2030 tỉnh đón bao nhiêu khách du lịch?", text)
    assert "đến 2035 tỉnh đón bao nhiêu khách du lịch?" in made
    assert _made("đến 2025 tỉnh đón bao nhiêu khách du lịch?", text) == []


def test_a_counted_unit_becomes_one_the_clause_does_not_count() -> None:
    text = "Ban Tuyên giáo biên soạn tài liệu tuyên truyền ngắn gọn (8 trang)."
    made = _made("tài liệu tuyên truyền dày bao nhiêu trang?", text)
    assert len(made) == 1 and "bao nhiêu trang" not in made[0]
    assert made[0].startswith("tài liệu tuyên truyền dày bao nhiêu ")


def test_a_body_the_clause_names_becomes_one_it_does_not_name() -> None:
    text = "Hội LHPN các huyện báo cáo kết quả về Ban Tuyên giáo Hội LHPN tỉnh."
    made = _made("Hội Phụ nữ các huyện báo cáo về ban nào?", text)
    bodies = [q for q in made if "Hội Phụ nữ" not in q]
    assert len(bodies) == 1 and organisations(bodies[0]) != ("phu-nu",)
    assert _made("Hội Phụ nữ báo cáo về ban nào?", "Các huyện báo cáo về Ban Tuyên giáo.") == []


def test_a_yes_no_question_gives_no_contrast() -> None:
    assert is_yes_no("Hội huyện học xong trước 15/9/2020 hả?")
    assert is_yes_no("có phải nộp bài thu hoạch không ạ?")
    assert not is_yes_no("cấp huyện học xong trước ngày nào ạ?")
    assert _made("Cấp huyện học xong trước 15/9/2020 đúng không?", HUYEN) == []


def test_contrast_pairs_pair_the_first_right_candidate_with_label_zero() -> None:
    right = {"section": "III › 2. Cấp huyện", "sentence": "Hoàn thành trước ngày 15/9/2020.",
             "label": 1.0}
    wrong = {"section": "III › 1. Cấp tỉnh", "sentence": "Hoàn thành trước ngày 5/9/2020.",
             "label": 0.0}
    rows = [{"prepared": "cấp huyện học xong trước ngày nào?", "cands": [wrong, right]},
            {"prepared": "cấp huyện học xong trước ngày nào?", "cands": [wrong]}]
    pairs = contrast_pairs(rows)
    assert len(pairs) == 1 and pairs[0][1] == 0.0
    assert pairs[0][0].endswith("passage: 2. Cấp huyện Hoàn thành trước ngày 15/9/2020.")
    assert "cấp huyện học" not in pairs[0][0]


def test_a_document_label_is_its_type_body_and_level_without_number_or_place() -> None:
    assert document_label("Kế hoạch 45-KH/HND BCH HND HUYỆN ĐÔNG SƠN Học tập, quán triệt Nghị "
                          "quyết số 58-NQ/TW về xây dựng và phát triển tỉnh Thanh Hóa") == \
        "Kế hoạch Hội Nông dân huyện"
    # the level is not right after the body's name here: the issuer's level word gives it
    assert document_label("Kế hoạch 40-KH/MTTQ-BTT UBMTTQ VIỆT NAM TỈNH THANH HÓA BAN THƯỜNG "
                          "TRỰC Tuyên truyền") == "Kế hoạch Mặt trận Tổ quốc tỉnh"
    assert document_label("Nghị quyết 09-NQ/TU TỈNH ỦY HÀ LÂM về xây dựng tỉnh Hà Lâm") == \
        "Nghị quyết Đảng bộ tỉnh"
    assert document_label("Tài liệu hỏi đáp") == ""
    assert document_label("") == ""


def test_contrast_pairs_with_the_label_swap_the_body_the_document_states() -> None:
    """The clause names no body: only the label's body can be swapped, and the pair reads it."""
    right = {"section": "III › 2. Cấp huyện", "sentence": "Hoàn thành trước ngày 15/9/2020.",
             "title": "Kế hoạch 985-KH/HNDT BCH HND TỈNH THANH HOÁ Học tập", "label": 1.0}
    rows = [{"prepared": "Hội Nông dân học xong trước ngày nào?", "cands": [right]}]
    assert contrast_pairs(rows) == []
    pairs = contrast_pairs(rows, label=True)
    assert len(pairs) == 1 and pairs[0][1] == 0.0
    assert "Hội Nông dân" not in pairs[0][0].split(" passage: ")[0]
    assert pairs[0][0].endswith("passage: Kế hoạch Hội Nông dân tỉnh › 2. Cấp huyện Hoàn thành "
                                "trước ngày 15/9/2020.")
