"""Structure and passages of the seed plan: metadata, heading paths, closing parts, ids."""
from __future__ import annotations

import json
import statistics
from pathlib import Path

import pytest
from booklet import FONT

from ingest.passages import make_passages
from ingest.readers import read_document
from ingest.records import Block

ROOT = Path(__file__).resolve().parent.parent
SEED = next((ROOT / "corpus").glob("*985*.txt"))
GOLDEN = ROOT / "tests" / "data" / "seed-passages.json"
HEADER = ["HỘI NÔNG DÂN HUYỆN HOẰNG HÓA", "BCH HỘI NÔNG DÂN XÃ HOẰNG ĐẠO", "Số 27-KH/HND",
          "Hoằng Đạo, ngày 05 tháng 12 năm 2022", "KẾ HOẠCH"]
SUBJECT = "Tổ chức sinh hoạt chi hội học tập Nghị quyết số 19-NQ/TW"
PREAMBLE = ["Thực hiện Kế hoạch số 42-KH/HND ngày 10/10/2022 của Ban Thường vụ Hội Nông dân "
            "huyện Hoằng Hóa,",
            "Ban Chấp hành Hội Nông dân xã Hoằng Đạo xây dựng kế hoạch như sau:"]
BODY = ["I. MỤC ĐÍCH, YÊU CẦU", "1. 100% chi hội tổ chức sinh hoạt chuyên đề về Nghị quyết."]


def seed_blocks() -> list[Block]:
    return [Block(line) for line in SEED.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_seed_metadata() -> None:
    meta, _ = make_passages("plan.txt", seed_blocks())
    assert meta.number == "985-KH/HNDT"
    assert meta.doc_type == "Kế hoạch"
    assert meta.date == "2020-09-03"
    assert meta.place == "Thanh Hóa"
    assert meta.signer == "Trần Bình Quân"
    assert meta.issuer == "BCH HND TỈNH THANH HOÁ"
    assert meta.title and meta.title.startswith("Nghiên cứu, học tập, quán triệt")
    assert meta.title.endswith("tầm nhìn đến năm 2045")


def test_missing_fields_are_none_not_invented() -> None:
    meta, passages = make_passages("note.txt", [Block("Ghi chú họp chi hội."),
                                                Block("- Họp vào thứ Hai.")])
    assert meta.number is None and meta.date is None and meta.signer is None
    assert meta.doc_type is None and meta.issuer is None
    assert [p.text for p in passages] == ["Ghi chú họp chi hội.\n- Họp vào thứ Hai."]


def test_a_short_notice_keeps_its_numbered_items_in_the_body() -> None:
    """A notice with no opening paragraph: its numbered items are body, not more lines of the
    subject (they were, and a deadline question was answered with the header's issue date)."""
    lines = ["HỘI NÔNG DÂN HUYỆN NGA SƠN", "Số 12-TB/HND", "Nga Sơn, ngày 20 tháng 9 năm 2020",
             "THÔNG BÁO", "Về việc tổ chức hội nghị học tập Nghị quyết 58-NQ/TW tại các xã",
             "1. Các xã hoàn thành hội nghị học tập trước ngày 10/10/2020.",
             "2. Hội Nông dân các xã gửi báo cáo kết quả về huyện Hội trước ngày 12/10/2020."]
    meta, passages = make_passages("thong-bao.txt", [Block(x) for x in lines])
    assert meta.doc_type == "Thông báo" and meta.date == "2020-09-20"
    assert meta.title == "Về việc tổ chức hội nghị học tập Nghị quyết 58-NQ/TW tại các xã"
    body = [p for p in passages if "10/10/2020" in p.text]
    assert body and all("20 tháng 9" not in p.text for p in body)
    # a subject spread over several lines is still one subject
    two = lines[:4] + ["Về việc tổ chức hội nghị học tập Nghị quyết 58-NQ/TW", "tại các xã",
                       *lines[5:]]
    assert make_passages("tb.txt", [Block(x) for x in two])[0].title == meta.title


def test_heading_paths_and_short_items_findable_by_heading() -> None:
    _, passages = make_passages("plan.txt", seed_blocks())
    district = [p for p in passages if "15/9/2020" in p.text]
    assert len(district) == 1
    p = district[0]
    assert p.section == ("III. KẾ HOẠCH HỌC TẬP, QUÁN TRIỆT › "
                         "2. Hội Nông dân các huyện, thị, thành phố")
    assert "Thời gian: ½ ngày, hoàn thành trước ngày 15/9/2020." in p.text
    assert "2. Hội Nông dân các huyện" in p.index_text  # findable by what its heading says
    assert "985-KH/HNDT" in p.index_text and "Kế hoạch" in p.index_text
    assert "III. KẾ HOẠCH" not in p.text  # displayed text is the document's own words only


def test_recipients_and_signature_are_passages() -> None:
    _, passages = make_passages("plan.txt", seed_blocks())
    kinds = {p.kind: p for p in passages}
    assert "Ban Tuyên huấn TW Hội" in kinds["recipients"].text
    assert kinds["signature"].text.splitlines() == ["T/M BAN THƯỜNG VỤ", "CHỦ TỊCH",
                                                     "Trần Bình Quân"]
    assert "Số 985 -KH/HNDT" in kinds["header"].text


def test_passages_are_citable_sizes() -> None:
    _, passages = make_passages("plan.txt", seed_blocks())
    lengths = [len(p.text) for p in passages]
    assert 150 <= statistics.median(lengths) <= 450
    assert max(lengths) <= 1000


def test_every_body_line_lands_in_exactly_one_passage() -> None:
    _, passages = make_passages("plan.txt", seed_blocks())
    joined = "\n".join(p.text for p in passages)
    for line in ["1. Làm cho cán bộ", "- Lưu: VP - TG.", "- Yêu cầu các huyện",
                 "- Kế hoạch hành động của Ban Chấp hành Tỉnh hội về hiện"]:
        assert joined.count(line) == 1, line


def test_ids_are_stable_and_unique() -> None:
    _, a = make_passages("plan.txt", seed_blocks())
    _, b = make_passages("plan.txt", seed_blocks())
    assert [p.id for p in a] == [p.id for p in b]
    assert len({p.id for p in a}) == len(a)
    _, c = make_passages("other.txt", seed_blocks())
    assert not {p.id for p in a} & {p.id for p in c}


def test_legal_numbering_builds_a_tree() -> None:
    lines = ["Chương I", "QUY ĐỊNH CHUNG", "Điều 1. Phạm vi điều chỉnh",
             "Nghị định này quy định về công tác văn thư.", "Điều 2. Đối tượng áp dụng",
             "1. Cơ quan, tổ chức nhà nước.", "2. Doanh nghiệp nhà nước."]
    _, passages = make_passages("nd.txt", [Block(t) for t in lines])
    by_text = {p.text: p.section for p in passages}
    assert by_text["Nghị định này quy định về công tác văn thư."] == (
        "Chương I QUY ĐỊNH CHUNG › Điều 1. Phạm vi điều chỉnh")
    assert by_text["1. Cơ quan, tổ chức nhà nước."] == (
        "Chương I QUY ĐỊNH CHUNG › Điều 2. Đối tượng áp dụng")


def test_golden_passages_of_the_seed_plan() -> None:
    _, passages = make_passages("plan.txt", seed_blocks())
    got = [{"kind": p.kind, "section": p.section, "start": p.text[:50]} for p in passages]
    assert got == json.loads(GOLDEN.read_text(encoding="utf-8"))


def _fixture_passages(name: str) -> list[tuple[str | None, str, str]]:
    from ingest.readers import read_document

    raw = read_document(ROOT / "tests" / "data" / name, 50 << 20)
    _, passages = make_passages(name, raw.blocks)
    return [(p.kind, p.section, " ".join(p.text.split())) for p in passages]  # line breaks vary


def test_tcvn3_docx_indexes_to_the_same_passages_as_unicode_docx() -> None:
    assert _fixture_passages("ke-hoach-985-KH-HNDT-tcvn3.docx") == _fixture_passages(
        "ke-hoach-985-KH-HNDT.docx")


def test_pdf_indexes_to_the_same_passages_as_docx_with_pages() -> None:
    from ingest.readers import read_document

    assert _fixture_passages("ke-hoach-985-KH-HNDT.pdf") == _fixture_passages(
        "ke-hoach-985-KH-HNDT.docx")
    raw = read_document(ROOT / "tests" / "data" / "ke-hoach-985-KH-HNDT.pdf", 50 << 20)
    _, passages = make_passages("plan.pdf", raw.blocks)
    pages = [p.page for p in passages]
    assert pages[0] == 1 and pages == sorted(pages) and pages[-1] >= 2


def test_issuer_spanning_lines_and_youth_union_motto() -> None:
    """The issuing body is the last header line that names a body, with the lines under it
    that only qualify it (a place, an organ); a parent body's line above it is not part of it,
    and the Youth Union's name in the right-hand column is a motto, not an issuer."""
    def issuer(*header: str) -> str | None:
        lines = [*header, "Số 40-KH/MTTQ-BTT", "Thanh Hóa, ngày 16 tháng 9 năm 2020", "KẾ HOẠCH",
                 "Tuyên truyền Nghị quyết", "I. MỤC ĐÍCH", "1. Nội dung."]
        return make_passages("x.txt", [Block(t) for t in lines])[0].issuer
    assert issuer("UBMTTQ VIỆT NAM        CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                  "TỈNH THANH HÓA                       Độc lập – Tự do – Hạnh phúc",
                  "BAN THƯỜNG TRỰC") == "UBMTTQ VIỆT NAM TỈNH THANH HÓA BAN THƯỜNG TRỰC"
    assert issuer("HỘI NÔNG DÂN TỈNH HÀ LÂM        CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                  "BCH HND HUYỆN TÂN PHONG") == "BCH HND HUYỆN TÂN PHONG"
    assert issuer("BAN CHẤP HÀNH ĐOÀN TỈNH THANH HÓA        ĐOÀN TNCS HỒ CHÍ MINH",
                  "***") == "BAN CHẤP HÀNH ĐOÀN TỈNH THANH HÓA"
    assert issuer("TỈNH ỦY THANH HÓA        ĐẢNG CỘNG SẢN VIỆT NAM",
                  "BAN TUYÊN GIÁO") == "TỈNH ỦY THANH HÓA BAN TUYÊN GIÁO"


def write_pdf(path: Path, lines: list[str]) -> Path:
    """A one-page PDF (DejaVu Sans), one text line per entry, as a layout program sets them."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.add_font("DejaVu", "", str(FONT))
    pdf.set_font("DejaVu", size=10)
    pdf.add_page()
    for i, line in enumerate(lines):
        pdf.text(15, 20 + 7 * i, line)
    pdf.output(str(path))
    return path


def test_a_pdf_title_stops_where_the_body_begins(tmp_path: Path) -> None:
    """User review: the PDF reader joins the subject line and the preamble under it into one
    paragraph ("… 19-NQ/TW Thực hiện Kế hoạch số 42-KH/HND … như sau:"); the title is the
    subject alone, and the preamble is the body's first passage."""
    pdf = write_pdf(tmp_path / "ke-hoach-27.pdf", [*HEADER, SUBJECT, *PREAMBLE, *BODY])
    meta, passages = make_passages("ke-hoach-27.pdf", read_document(pdf, 10**7).blocks)
    assert meta.title == SUBJECT
    body = [p.text for p in passages if p.kind == "body"]
    assert body[0].startswith("Thực hiện Kế hoạch số 42-KH/HND") and "như sau:" in body[0]
    assert "Thực hiện" not in "\n".join(p.text for p in passages if p.kind == "header")


@pytest.mark.parametrize("preamble", [
    PREAMBLE,  # a line that opens the body ("Thực hiện …")
    PREAMBLE[1:],  # a line that closes the preamble ("… như sau:")
    ["Căn cứ Điều lệ Hội Nông dân Việt Nam;", "Căn cứ Kế hoạch số 42-KH/HND;"],
    ["Nhằm giúp hội viên nắm vững Nghị quyết, Hội Nông dân xã xây dựng kế hoạch."],
])
def test_a_text_title_stops_at_a_sentence_that_opens_the_body(preamble: list[str]) -> None:
    meta, passages = make_passages("kh.txt", [Block(x) for x in
                                              [*HEADER, SUBJECT, *preamble, *BODY]])
    assert meta.title == SUBJECT
    assert any(preamble[0] in p.text for p in passages if p.kind == "body")


@pytest.mark.parametrize("subject", [
    # wrapped over lines, and holding "triển khai thực hiện", "ngày …" in lower case
    ["Học tập, quán triệt và triển khai thực hiện Nghị quyết số 19-NQ/TW ngày 16/6/2022",
     "của Hội nghị lần thứ năm Ban Chấp hành Trung ương Đảng khóa XIII về nông nghiệp,",
     "nông dân, nông thôn đến năm 2030, tầm nhìn đến năm 2045"],
    ["Thực hiện Nghị quyết số 19-NQ/TW tại các chi hội"],  # a subject may begin with one
    ["Tổ chức các hoạt động chào mừng Ngày 8/3 Để tôn vinh hội viên phụ nữ"],  # no sentence
])
def test_a_title_that_merely_holds_an_opening_word_is_kept(subject: list[str],
                                                            tmp_path: Path) -> None:
    """Near misses: an opening word inside the subject, in lower case or with no body sentence
    after it, and a subject that itself begins with one, keep the whole title."""
    whole = " ".join(subject)
    lines = [*HEADER, *subject, *PREAMBLE, *BODY]
    assert make_passages("kh.txt", [Block(x) for x in lines])[0].title == whole
    pdf = write_pdf(tmp_path / "kh.pdf", lines)
    assert make_passages("kh.pdf", read_document(pdf, 10**7).blocks)[0].title == whole
