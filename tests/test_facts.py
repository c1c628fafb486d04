"""The one home of Vietnamese fact patterns and vocabulary: each pattern fires where it should
and not on the near-miss phrasings that fooled the old rules."""
from __future__ import annotations

import pytest

from ingest.facts import (
    DATE,
    DURATION,
    NUMBER,
    YEAR,
    answer_types,
    expand_abbreviations,
    frame_years,
    has_cue,
    levels_named,
    person_names,
    split_clauses,
    stated_kind,
    states,
    time_frame,
    type_compatibility,
)
from ingest.text import canonical, strip_accents


def _cue(text: str, cue: str) -> bool:
    return has_cue(canonical(text), strip_accents(text), cue, accented=text != strip_accents(text))


def _levels(text: str) -> frozenset[str]:
    return levels_named(canonical(text), strip_accents(text), text != strip_accents(text))


def _types(text: str) -> dict[str, float]:
    return answer_types(canonical(text), strip_accents(text), text != strip_accents(text))


@pytest.mark.parametrize("text,found", [
    ("Thời gian: ½ ngày, hoàn thành trước ngày 15/9/2020", ["½ ngày"]),
    ("học tập trung với thời gian 01 buổi", ["01 buổi"]),
    ("kéo dài hai tuần", ["hai tuần"]),
    ("Thanh Hóa, ngày 15 tháng 3 năm 2020", []),  # "3 năm" and "15 tháng" are date parts
    ("triển khai ngày 5/9", []),  # "hai ngày" inside "triển khai ngày"
    ("ban hành ngày 3 tháng 9", []),
])
def test_duration_and_its_near_misses(text: str, found: list[str]) -> None:
    assert DURATION.findall(text) == found


def test_date_year_number() -> None:
    assert DATE.search("hoàn thành trước ngày 15/9/2020")
    assert DATE.search("ngày 3 tháng 9 năm 2020")
    assert not DATE.search("Số 30/2020/NĐ-CP")  # a document code is not a date
    assert not DATE.search("tỷ lệ 15/9 học viên")
    assert YEAR.findall("đến năm 2030, tầm nhìn đến năm 2045") == ["2030", "2045"]
    assert not YEAR.search("58.400 tỷ đồng")
    assert NUMBER.search("27 huyện") and not NUMBER.search("Số 985-KH/HNDT".replace("985", "x"))
    assert not states("hoàn thành trước ngày 15/9/2020", "count")  # a date is not a count
    assert states("có 27 huyện, thị, thành Hội", "count")


def test_person_names_are_not_bodies() -> None:
    assert person_names("CHỦ TỊCH\nTrần Bình Quân") == ["Trần Bình Quân"]
    assert person_names("Lê Văn Thử") == ["Lê Văn Thử"]
    assert person_names("Ban Chấp hành Tỉnh hội") == []  # "Ban Chấp" is not a NAME
    assert person_names("Bộ Chính trị khóa XII") == []
    assert person_names("Hội Nông Dân Việt Nam") == []


def test_ky_is_not_ky_with_another_tone() -> None:
    assert _cue("Ai ký kế hoạch?", "ký")
    assert not _cue("định kỳ báo cáo kết quả", "ký")  # kỳ ≠ ký
    assert not _cue("Nghị quyết Đại hội nhiệm kỳ 2020-2025", "ký")
    assert _cue("ai ky ke hoach", "ký")  # typed without diacritics: the plain form matches


def test_levels_and_their_near_misses() -> None:
    assert _levels("Hội Nông dân cấp huyện học xong khi nào?") == {"huyen"}
    assert _levels("các xã, phường, thị trấn") == {"xa"}
    assert _levels("cộng hòa xã hội chủ nghĩa Việt Nam") == frozenset()  # xã hội ≠ level xã
    assert _levels("đoàn thể chính trị - xã hội") == frozenset()
    assert _levels("cap huyen hoc xong") == {"huyen"}


def test_answer_types_are_a_soft_distribution() -> None:
    t = _types("Hội Nông dân cấp huyện phải học xong trước ngày nào?")
    assert max(t, key=t.get) == "date" and abs(sum(t.values()) - 1) < 1e-9  # type: ignore[arg-type]
    assert max(_types("Thời gian học tập ở cấp xã là bao lâu?").items(),
               key=lambda kv: kv[1])[0] == "duration"
    assert _types("Kế hoạch này nói về điều đó")["what"] == 1.0  # no cue: no guess
    assert 0 < _types("Hội nghị kéo dài mấy ngày?")["count"] < 1  # shared, not a gate
    assert _types("nghi quyet 58 ban hanh ngay nao")["date"] > 0.5


def test_type_compatibility_is_soft() -> None:
    date = _types("học xong trước ngày nào?")
    assert type_compatibility("hoàn thành trước ngày 15/9/2020", date) > 0.5
    assert type_compatibility("Thành phần: Ban Chấp hành", date) < 0.5


def test_clause_splitter_keeps_verbatim_substrings() -> None:
    text = ("- Thành phần: Ban Chấp hành huyện Hội.\n- Thời gian: ½ ngày, hoàn thành trước "
            "ngày 15/9/2020. Các cấp hội báo cáo; Tỉnh hội tổng hợp.")
    clauses = split_clauses(text)
    assert all(c in text for c in clauses)
    assert "- Thành phần: Ban Chấp hành huyện Hội." in clauses  # no split after "Thành phần:"
    assert any("15/9/2020." in c for c in clauses)  # a date's dots do not split


def test_abbreviations_are_spelled_out() -> None:
    assert "Nghị quyết 58" in expand_abbreviations("NQ58 ban hành ngày nào")
    assert "hội nông dân" in expand_abbreviations("HND huyện học xong khi nào")
    assert "tỉnh ủy" in expand_abbreviations("Kế hoạch của BTV TU")
    assert expand_abbreviations("tu học") == "tu học"  # lower-case "tu" is a word, not TU
    assert expand_abbreviations("Số 58-NQ/TW") == "Số 58-NQ/TW"  # codes stay whole
    assert expand_abbreviations("Nghị quyết 09-NQ/TU") == "Nghị quyết 09-NQ/TU"
    assert expand_abbreviations("kế hoạch 985-KH/HNDT") == "kế hoạch 985-KH/HNDT"


def test_abbreviations_replaced_and_typed_as_the_question_is() -> None:
    assert expand_abbreviations("HND xã học NQ58 xong khi nào", keep=False) == (
        "hội nông dân xã học Nghị quyết 58 xong khi nào")
    # a question typed without diacritics gets the words without them
    assert expand_abbreviations("hnd xa hoc nq 58 may buoi", keep=False) == (
        "hoi nong dan xa hoc nghi quyet 58 may buoi")
    assert expand_abbreviations("Hội CCB tỉnh") == "Hội CCB (cựu chiến binh) tỉnh"
    # near misses: "tu" and "kh" as ordinary syllables, a number not glued to a type code
    assert expand_abbreviations("tu học, khó khăn", keep=False) == "tu học, khó khăn"
    assert expand_abbreviations("năm 2030 đạt 58%", keep=False) == "năm 2030 đạt 58%"


def test_frame_years_are_not_the_years_of_dates() -> None:
    assert frame_years("giai đoạn 2023 - 2025, đến năm 2030") == {"2023", "2025", "2030"}
    assert frame_years("hoàn thành trước ngày 15/9/2020; báo cáo tháng 10/2020") == set()
    assert frame_years("Kế hoạch số 985-KH/HNDT; 4.500 khu dân cư; 2.030 hội viên") == set()


@pytest.mark.parametrize(("question", "context", "expected"), [
    # another year: the question asks for 2045, the clause is a 2025 target
    ("Tỷ lệ che phủ rừng đến năm 2045 là bao nhiêu?",
     "III. MỤC TIÊU › 2. Mục tiêu cụ thể đến năm 2025\n- Tỷ lệ che phủ rừng đạt 50%.", (1, 0, 0)),
    ("ty le che phu rung nam 2025", "Mục tiêu cụ thể đến năm 2025\n- Tỷ lệ đạt 50%.", (0, 0, 0)),
    # the present asked, a target found; typed without diacritics too
    ("Hiện nay đón bao nhiêu lượt khách?", "III. MỤC TIÊU\n- Đón 3 triệu lượt khách mỗi năm.",
     (0, 1, 0)),
    ("hien co bao nhieu san pham ocop", "Phấn đấu đến năm 2030 có 60 sản phẩm OCOP.", (0, 1, 0)),
    # a target asked, the present found
    ("Mục tiêu tỷ lệ đô thị hóa đến 2030?", "I. TÌNH HÌNH\n- Tỷ lệ đô thị hóa đạt 24,5%.", (0, 0, 1)),
    ("Mục tiêu tỷ lệ đô thị hóa?", "III. MỤC TIÊU\n- Tỷ lệ đô thị hóa đạt 35%.", (0, 0, 0)),
    # near misses: the "hiện" of "thực hiện", "thể hiện", "phát hiện"; "đạt" alone; dates
    ("Kế hoạch thực hiện có mấy nội dung?", "III. MỤC TIÊU\n- ba nội dung", (0, 0, 0)),
    ("Nghị quyết thể hiện có rõ không?", "Mục tiêu tổng quát", (0, 0, 0)),
    ("phat hien con thieu sot gi", "Mục tiêu đến năm 2030", (0, 0, 0)),
    ("Tỷ lệ hộ nghèo đạt bao nhiêu?", "I. TÌNH HÌNH\n- còn 6,2%.", (0, 0, 0)),
    ("Hạn báo cáo là ngày 15/9/2020 phải không?", "Kết quả năm 2021", (0, 0, 0)),
])
def test_time_frame_and_its_near_misses(question: str, context: str,
                                        expected: tuple[int, int, int]) -> None:
    assert time_frame(question, context) == tuple(float(x) for x in expected)


def test_number_head_and_issuer_level() -> None:
    """A document's number and its issuer's level are read in one place for the search, the
    verifier and the missing-document note."""
    from ingest.facts import issuer_level, number_head
    assert number_head("985-KH/HNDT") == "985"
    assert number_head("Số 985") is None and number_head(None) is None
    assert issuer_level("Ban Thường vụ Hội Nông dân tỉnh Thanh Hóa") == "tinh"
    assert issuer_level("Huyện đoàn Thọ Xuân") == "huyen"
    assert issuer_level("Hội Nông dân xã Đông Tiến") == "xa"
    assert issuer_level("Ban Chấp hành Trung ương") is None
    # a thị xã and a thành phố (thuộc tỉnh) are of the huyện level, a thị trấn of the xã level
    assert issuer_level("HỘI NÔNG DÂN THỊ XÃ NGHI SƠN") == "huyen"
    assert issuer_level("Hội Nông dân thành phố Sầm Sơn") == "huyen"
    assert issuer_level("Hội Nông dân thị trấn Nga Sơn") == "xa"


@pytest.mark.parametrize(("text", "read"), [
    ("Thị xã phải học xong trước ngày nào?", "Thị xã (cấp huyện) phải học xong trước ngày nào?"),
    # not "thành phố": a question may name any city with it
    ("HND thành phố Sầm Sơn", None), ("Thủ đô của Pháp là thành phố nào?", None),
    ("THỊ TRẤN học bao lâu", "THỊ TRẤN (cấp xã) học bao lâu"),
    ("thi xa hoc xong khi nao", "thi xa (cap huyen) hoc xong khi nao"),
    # once only, and not on near misses: other tones, other words, a syllable of a longer word
    ("thị xã (cấp huyện) học xong", "thị xã (cấp huyện) học xong"),
    ("thì xa quá", "thì xa quá"), ("thi xã hội", "thi xã hội"), ("phương thức học tập", None),
    ("địa phương, quán triệt", None), ("thành phần tham dự", None),
])
def test_units_name_their_level(text: str, read: str | None) -> None:
    """A unit's level is written after it in a question, so "xã" in "thị xã" no longer points
    to the xã level's clause (bench/notes/issue-8-round55.md)."""
    from ingest.facts import name_unit_levels
    assert name_unit_levels(text) == (text if read is None else read)


def test_the_section_separator_is_written_in_one_place() -> None:
    """Code splits and joins section paths with ``ingest.facts.SEPARATOR``: no other module of
    ``app`` or ``ingest`` holds the " › " literal outside its docstrings."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    found = []
    for path in [*(root / "app").rglob("*.py"), *(root / "ingest").rglob("*.py")]:
        if path == root / "ingest" / "facts.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docs = {id(n.body[0].value) for n in ast.walk(tree)
                if isinstance(n, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                and n.body and isinstance(n.body[0], ast.Expr)
                and isinstance(n.body[0].value, ast.Constant)}
        found += [f"{path.relative_to(root)}:{n.lineno}" for n in ast.walk(tree)
                  if isinstance(n, ast.Constant) and isinstance(n.value, str)
                  and " › " in n.value and id(n) not in docs]
    assert not found, found


@pytest.mark.parametrize(("text", "named"), [
    ("Hội LHPN tỉnh", ("phu-nu",)),
    ("hpn huyen", ("phu-nu",)),
    ("UBMTTQ các huyện", ("mat-tran",)),
    ("Mặt trận Tổ quốc tỉnh", ("mat-tran",)),
    ("BCH ĐOÀN HUYỆN THỌ XUÂN", ("doan-thanh-nien",)),
    ("tỉnh đoàn", ("doan-thanh-nien",)),
    ("HND và Đoàn thanh niên", ("nong-dan", "doan-thanh-nien")),
    ("TỈNH ỦY HÀ LÂM", ("dang",)),
    ("Hội CCB", ("cuu-chien-binh",)),
    # near misses: a bare "đoàn", "dân" or "tổ" names no body
    ("Ngày hội Đại đoàn kết toàn dân tộc", ()),
    ("công đoàn cơ sở", ("cong-doan",)),
    ("nhân dân ở khu dân cư", ()),
    ("tổ chức hội nghị quán triệt", ()),
    ("đoàn công tác của tỉnh", ()), ("toàn tỉnh đoàn kết", ()),
    ("hội thi nông dân sản xuất giỏi", ()), ("cán bộ, hội viên, phụ nữ", ()),
    ("chi hội phụ nữ", ("phu-nu",)), ("nông hội Hà Lâm", ("nong-dan",)),
])
def test_organisations_and_their_near_misses(text: str, named: tuple[str, ...]) -> None:
    from ingest.facts import organisations
    assert organisations(text) == named


@pytest.mark.parametrize(("text", "level"), [
    ("Hội Phụ nữ tỉnh", "tinh"), ("MTTQ cấp huyện", "huyen"), ("đoàn thanh niên xã", "xa"),
    ("hoi nong dan cac huyen", "huyen"),
    # or begin the short names that put it first
    ("Tỉnh Đoàn cho hỏi cơ sở đoàn học xong khi nào", "tinh"), ("huyen doan Tho Xuan", "huyen"),
    ("BTV Tỉnh ủy", "tinh"), ("Huyện ủy Tân Phong", "huyen"),
    # the level must follow the body's name, not a later clause
    ("Hội Phụ nữ phải hoàn thành trước ngày nào ở huyện", None), ("cấp tỉnh", None),
    # near misses: no level word first, or no body
    ("chi đoàn cơ sở", None), ("Thành Đoàn Thanh Hóa", None), ("đoàn công tác của tỉnh", None),
    ("tỉnh đoàn kết", None),
    # the units of a level: thị xã, thành phố → huyện; thị trấn → xã (not the "xã" of "thị xã")
    ("Hội Nông dân thị xã Bỉm Sơn", "huyen"), ("hoi nong dan thanh pho Thanh Hoa", "huyen"),
    ("Đoàn thanh niên thị trấn", "xa"),
])
def test_organisation_level_follows_the_name(text: str, level: str | None) -> None:
    from ingest.facts import organisation_level
    assert organisation_level(text) == level


@pytest.mark.parametrize(("question", "skip", "kind"), [
    ("Hội xã học xong hạn 30/10 đúng không?", (), "date"),
    ("hạn là 15/10/2020 phải không", (), "date"),
    ("Hội nghị cấp huyện là 1 ngày phải không?", (), "duration"),
    ("Đến 2030 tỷ lệ xã đạt chuẩn là 80% đúng không?", (), "count"),
    ("Tỉnh có 500 hợp tác xã phải không?", (), "count"),
    # near misses: a year frames the time, a named document's number names it, no value at all
    ("Đến năm 2030 tỉnh có phải học kế hoạch này không?", (), None),
    ("Kế hoạch 985 có gửi Trung ương Hội không?", ("985",), None),
    ("NQ 58 năm 2020 có phải học không?", ("58",), None),
    ("Hội xã có phải viết thu hoạch không?", (), None),
])
def test_stated_kind_follows_the_value_not_the_phrasing(question: str, skip: tuple[str, ...],
                                                          kind: str | None) -> None:
    assert stated_kind(question, skip) == kind


def test_last_heading_is_the_section_paths_last_heading_or_nothing() -> None:
    from ingest.facts import last_heading

    assert last_heading("II. NỘI DUNG › 3. Tài liệu học tập") == "3. Tài liệu học tập"
    assert last_heading("I. MỤC ĐÍCH") == "I. MỤC ĐÍCH"
    assert last_heading("") == "" and last_heading(None) == ""
