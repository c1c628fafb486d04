"""Readers on the seed plan (DOCX, TCVN3 DOCX, PDF, TXT) and on small hand-built fixtures.

Fixtures under tests/data are made by tests/data/make_fixtures.py, except the seed plan.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path

import pytest

from ingest.readers import SUPPORTED, read_document
from ingest.records import Block, RawDocument

DATA = Path(__file__).parent / "data"
CORPUS = Path(__file__).parent.parent / "corpus"
MAX = 50 * 1024 * 1024


@functools.cache
def read(name: str) -> RawDocument:
    """Read a fixture once per test session (documents are immutable)."""
    return read_document(DATA / name, MAX)


def texts(doc: RawDocument) -> list[str]:
    return [b.text for b in doc.blocks]


def collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def body(doc: RawDocument) -> list[str]:
    """Block texts from the first section heading on, whitespace collapsed."""
    items = [collapse(t) for t in texts(doc)]
    return items[items.index("I. MỤC ĐÍCH, YÊU CẦU"):]


@pytest.fixture(scope="module")
def plan_docx() -> RawDocument:
    return read("ke-hoach-985-KH-HNDT.docx")


@pytest.fixture(scope="module")
def plan_tcvn3() -> RawDocument:
    return read("ke-hoach-985-KH-HNDT-tcvn3.docx")


@pytest.fixture(scope="module")
def plan_pdf() -> RawDocument:
    return read("ke-hoach-985-KH-HNDT.pdf")


def test_supported_extensions() -> None:
    assert SUPPORTED == {".pdf", ".docx", ".txt", ".md"}


# --- the seed plan --------------------------------------------------------------------------

def test_docx_reads_header_table_and_body(plan_docx: RawDocument) -> None:
    blocks = plan_docx.blocks
    assert plan_docx.pages is None
    assert blocks[0] == Block("HỘI NÔNG DÂN VIỆT NAM", bold=True, cell=(0, 0, 0))
    assert blocks[4] == Block("CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, cell=(0, 0, 1))
    assert blocks[7] == Block("KẾ HOẠCH", bold=True)
    assert texts(plan_docx)[-3:] == ["T/M BAN THƯỜNG VỤ", "CHỦ TỊCH", "Trần Bình Quân"]
    assert blocks[-1].cell == (1, 0, 1)


def test_tcvn3_docx_reads_exactly_like_the_unicode_docx(
        plan_docx: RawDocument, plan_tcvn3: RawDocument) -> None:
    # The TCVN3 fixture stores "½ ngày" with byte 0xBD, which TCVN3 reads as "ẵ"; a lone ½ is
    # kept (no syllable is "ẵ"), so the two files agree word for word. Its header table has
    # no run fonts: .VnTime comes from the Normal style, and the capitals TCVN3 cannot write
    # ("TØNH", "X·") are restored.
    assert [collapse(t) for t in texts(plan_tcvn3)] == [collapse(t) for t in texts(plan_docx)]
    assert [(b.bold, b.cell, b.heading_level) for b in plan_tcvn3.blocks] == [
        (b.bold, b.cell, b.heading_level) for b in plan_docx.blocks]


def test_tcvn3_headings_come_back_upper_case(plan_tcvn3: RawDocument) -> None:
    found = texts(plan_tcvn3)
    for heading in ("KẾ HOẠCH", "I. MỤC ĐÍCH, YÊU CẦU",
                    "II. NỘI DUNG, PHƯƠNG THỨC, TÀI LIỆU HỌC TẬP",
                    "HỘI NÔNG DÂN VIỆT NAM", "BCH HND TỈNH THANH HOÁ"):
        assert heading in found
    assert "Số 985-KH/HNDT" in found


def test_pdf_pages_are_numbered(plan_pdf: RawDocument) -> None:
    assert plan_pdf.pages == 6
    pages = [b.page for b in plan_pdf.blocks]
    assert pages == sorted(pages) and pages[0] == 1 and pages[-1] == 6
    assert next(b for b in plan_pdf.blocks if b.text.startswith("II.")).page == 2


def test_pdf_glues_header_cells(plan_pdf: RawDocument) -> None:
    assert texts(plan_pdf)[:7] == [
        "HỘI NÔNG DÂN VIỆT NAM", "BCH HND TỈNH THANH HOÁ", "*", "Số 985-KH/HNDT",
        "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập – Tự do – Hạnh phúc",
        "Thanh Hóa, ngày 3 tháng 9 năm 2020"]
    assert plan_pdf.blocks[0].bold and not plan_pdf.blocks[1].bold


def test_pdf_item_is_one_block_across_the_page_break(
        plan_pdf: RawDocument, plan_docx: RawDocument) -> None:
    item = next(b for b in plan_pdf.blocks if b.text.startswith("1. Làm cho cán bộ"))
    assert item.page == 1  # starts on page 1, ends on page 2
    expected = next(t for t in texts(plan_docx) if t.startswith("1. Làm cho cán bộ"))
    assert collapse(item.text) == collapse(expected)


def test_pdf_body_equals_docx_paragraphs(plan_pdf: RawDocument, plan_docx: RawDocument) -> None:
    assert body(plan_pdf) == body(plan_docx)
    # the whole text agrees too; only the title lines group differently (see the PDF reader)
    squeeze = lambda doc: re.sub(r"\s+", "", "".join(texts(doc)))  # noqa: E731
    assert squeeze(plan_pdf) == squeeze(plan_docx)


def test_plain_text_plan_keeps_one_block_per_line() -> None:
    doc = read_document(next(CORPUS.glob("Kế hoạch 985*.txt")), MAX)
    first = doc.blocks[0].text
    assert first.startswith("HỘI NÔNG DÂN VIỆT NAM") and "   CỘNG HOÀ" in first  # columns kept
    assert "I. MỤC ĐÍCH, YÊU CẦU" in texts(doc)
    assert all(b.page is None and b.cell is None for b in doc.blocks)


@pytest.mark.parametrize("name", [
    "ke-hoach-985-KH-HNDT.docx", "ke-hoach-985-KH-HNDT-tcvn3.docx", "ke-hoach-985-KH-HNDT.pdf",
    "structure.docx", "mixed-unicode-tcvn3.docx", "vni.docx", "layout.pdf", "legacy-fonts.pdf",
    "utf16.txt", "cp1258.txt", "tcvn3.txt", "vni.txt", "ghi-chu.md"])
def test_output_is_clean_nfc(name: str) -> None:
    for block in read(name).blocks:
        text = block.text
        assert text and text == text.strip()
        assert unicodedata.is_normalized("NFC", text)
        assert not re.search("[\u00ad\u00a0\u200b\u200c\u200d\ufeff\u00d0]", text)


# --- DOCX structure ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def structure() -> RawDocument:
    return read("structure.docx")


def test_docx_list_numbers_from_numbering_xml(structure: RawDocument) -> None:
    assert texts(structure)[1:12] == [
        "I. Mục đích", "1. Làm cho cán bộ nắm được", "a) Nội dung", "b) Phương thức",
        "- Tập trung", "• Chi tiết", "2. Thời gian", "a) Tài liệu", "II. Tổ chức thực hiện",
        "Điều 5. Phạm vi điều chỉnh", "Điều 6. Đối tượng áp dụng"]


def test_docx_heading_levels(structure: RawDocument) -> None:
    levels = {b.text: b.heading_level for b in structure.blocks}
    assert levels["KẾ HOẠCH"] == 1  # Heading1 / "heading 1"; .VnTime from docDefaults
    assert levels["Tiểu mục"] == 2  # localised style id "u2"
    assert levels["Mục lớn"] == 3  # outlineLvl 2 in the style
    assert levels["I. Mục đích"] is None


def test_docx_bold_follows_styles_and_runs(structure: RawDocument) -> None:
    bold = {b.text: b.bold for b in structure.blocks}
    assert bold["KẾ HOẠCH"]  # from the Heading1 style
    assert bold["Đậm theo kiểu"]  # inherited through basedOn
    assert not bold["Không đậm"]  # run switches the style's bold off
    assert not bold["Một phần đậm"]  # only some runs bold
    assert not bold["Hết"]


def test_docx_caps_hidden_runs_and_empty_paragraphs(structure: RawDocument) -> None:
    assert "CHỮ HOA" in texts(structure)  # w:caps
    assert "Hiện ra" in texts(structure)  # the w:vanish run is not read
    assert "" not in texts(structure)


def test_docx_table_cells(structure: RawDocument) -> None:
    cells = [(b.text, b.cell) for b in structure.blocks if b.cell]
    assert cells == [("Ô ghép", (0, 0, 0)), ("Ô ba", (0, 0, 2)), ("Dòng hai", (0, 0, 2)),
                     ("A", (0, 1, 0)), ("B", (0, 1, 1)), ("C", (0, 1, 2))]
    assert texts(structure)[-1] == "Hết"  # reading order continues after the table


def test_vni_docx() -> None:
    doc = read("vni.docx")
    assert texts(doc) == [
        "KẾ HOẠCH",
        "Nghị quyết số 58 của Bộ Chính trị",  # "quye" + "át" in two runs converts as one
        "I. MỤC ĐÍCH, YÊU CẦU",
        "Với sự quan tâm đặc biệt mà Đảng, Nhà nước dành cho Đảng bộ",  # no VNI font: by content
    ]
    assert doc.blocks[0].bold


# --- PDF layout and fonts --------------------------------------------------------------

def test_pdf_layout_rules() -> None:
    doc = read("layout.pdf")
    assert doc.pages == 2
    assert [(b.page, b.text) for b in doc.blocks] == [
        (1, "UỶ BAN NHÂN DÂN TỈNH THANH HOÁ"),
        (1, "Độc lập - Tự do - Hạnh phúc"),
        (1, "Thanh Hóa, ngày 5 tháng 9 năm 2020"),
        (1, "NGHỊ ĐỊNH"),
        (1, "Chương I"),
        (1, "QUY ĐỊNH CHUNG"),
        (1, "Điều 1. Phạm vi điều chỉnh"),
        (1, "Nghị định này quy định về việc học tập và quán triệt Nghị quyết 58-NQ/TW của "
            "Bộ Chính trị:"),
        (1, "a) cán bộ, đảng viên trong tỉnh; các tầng lớp nhân dân;"),
        (1, "b) hội viên nông dân trong các xã, phường, thị trấn."),  # "Trang 1", "- 2 -" gone
        (2, "+ Thành phần: Ban Chấp hành, các đồng chí báo cáo viên."),
        (2, "Điều 2. Đối tượng áp dụng"),
        (2, "Cán bộ, hội viên."),  # the final "2" is a page number
    ]
    assert [b.bold for b in doc.blocks if b.text.startswith("Điều")] == [True, True]


def test_pdf_legacy_fonts_are_converted() -> None:
    assert texts(read("legacy-fonts.pdf")) == [
        "KẾ HOẠCH",  # .VnTimeH: upper-cased
        "Nghị quyết số 58-NQ/TW của Bộ Chính trị về xây dựng và phát triển tỉnh Thanh Hóa.",
        "Nhà nước.",  # TCVN3 ư is byte 0xAD (soft hyphen)
        "Hội Nông dân tỉnh Thanh Hóa.",  # VNI-Times
        "Unicode font: Thanh Hóa.",  # Helvetica: left alone
    ]


def test_pdf_with_only_an_owner_password_opens_with_the_empty_password() -> None:
    assert texts(read("owner-password-only.pdf")) == ["Ke hoach hoc tap nghi quyet 58."]


# --- text files ---------------------------------------------------------------------------

EXPECTED_TEXT = ["KẾ HOẠCH", "Nghị quyết số 58-NQ/TW của Bộ Chính trị",
                 "Thanh Hóa, ngày 3 tháng 9 năm 2020"]


@pytest.mark.parametrize("name", ["utf16.txt", "cp1258.txt"])
def test_text_encodings(name: str) -> None:
    assert texts(read(name)) == EXPECTED_TEXT


def test_legacy_typed_text_files() -> None:
    assert texts(read("tcvn3.txt")) == [
        "KẾ HOẠCH", "Nghị quyết số 58-NQ/TW của Bộ Chính trị",
        "Với sự quan tâm đặc biệt mà Đảng, Nhà nước dành cho Đảng bộ"]
    assert texts(read("vni.txt")) == [
        "Nghị quyết số 58 của Bộ Chính trị",
        "Với sự quan tâm đặc biệt mà Đảng, Nhà nước dành cho Đảng bộ"]


def test_markdown_headings_and_bom() -> None:
    doc = read("ghi-chu.md")
    assert [(b.text, b.heading_level) for b in doc.blocks] == [
        ("Kế hoạch", 1), ("I. Mục đích", 2), ("Làm cho cán bộ nắm được nghị quyết.", None)]


def test_mixed_legacy_and_unicode_lines_in_utf8_text(tmp_path: Path) -> None:
    path = tmp_path / "ghep.txt"
    path.write_text("Thanh Hóa\nNghÞ quyÕt sè 58 cña Bé ChÝnh trÞ vÒ x©y dùng\nNghị quyết\n",
                    encoding="utf-8")
    assert texts(read_document(path, MAX)) == [
        "Thanh Hóa", "Nghị quyết số 58 của Bộ Chính trị về xây dựng", "Nghị quyết"]
