"""Bad and awkward input: every refusal is an ``UnreadableDocument`` saying why, in Vietnamese.

Files under tests/data/bad are made by tests/data/make_fixtures.py; big files are made here,
in a temporary directory, and never committed.
"""
from __future__ import annotations

import shutil
import time
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

import ingest.readers as readers
from ingest.errors import UnreadableDocument
from ingest.readers import read_document

DATA = Path(__file__).parent / "data"
BAD = DATA / "bad"
MIB = 1024 * 1024
MAX = 50 * MIB


def refusal(path: Path, max_bytes: int = MAX) -> str:
    """The reason ``read_document`` gives for refusing ``path``."""
    with pytest.raises(UnreadableDocument) as caught:
        read_document(path, max_bytes)
    return str(caught.value)


@pytest.mark.parametrize(("name", "reason"), [
    ("corrupt.pdf", "PDF bị hỏng, không đọc được"),
    ("encrypted.pdf", "PDF bị mã hóa (có mật khẩu)"),
    ("scanned.pdf", "PDF không có lớp chữ — tài liệu scan, cần OCR"),
    ("empty.txt", "Tệp rỗng"),
    ("blank.txt", "Tệp rỗng"),
    ("bang-tinh.xlsx", "Định dạng .xlsx không được hỗ trợ (chỉ PDF, DOCX, TXT, MD)"),
    ("not-word.docx", "Tệp .docx không hợp lệ (không phải tài liệu Word)"),
    ("old-word.docx", "Tệp .docx thực ra là định dạng Word cũ (.doc), cần lưu lại thành .docx"),
    ("broken-xml.docx", "Tệp .docx bị hỏng (nội dung XML lỗi), không đọc được"),
    ("no-text.docx", "Tệp rỗng (tài liệu không có chữ)"),
    ("binary.txt", "Không nhận ra bảng mã ký tự của tệp văn bản"),
])
def test_bad_file_reason(name: str, reason: str) -> None:
    assert refusal(BAD / name) == reason


def test_encrypted_pdf_made_with_pypdf(tmp_path: Path) -> None:
    writer = PdfWriter(clone_from=PdfReader(DATA / "layout.pdf"))
    writer.encrypt(user_password="bi-mat", algorithm="RC4-128")
    path = tmp_path / "mat-khau.pdf"
    writer.write(path)
    assert refusal(path) == "PDF bị mã hóa (có mật khẩu)"


def test_aes_pdf_with_an_owner_password_only_is_read(tmp_path: Path) -> None:
    import cryptography  # noqa: F401  pypdf needs it for AES (a declared dependency)
    writer = PdfWriter(clone_from=PdfReader(DATA / "layout.pdf"))
    writer.encrypt(user_password="", owner_password="chu", algorithm="AES-256")
    path = tmp_path / "aes.pdf"
    writer.write(path)
    assert read_document(path, MAX).blocks[0].text == "UỶ BAN NHÂN DÂN TỈNH THANH HOÁ"


def test_aes_pdf_without_cryptography_says_what_is_missing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pypdf.errors import DependencyError

    def no_crypto(self: PdfReader, password: str) -> None:
        raise DependencyError("cryptography>=3.1 is required for AES algorithm")

    monkeypatch.setattr(PdfReader, "decrypt", no_crypto)
    assert refusal(BAD / "encrypted.pdf") == "PDF mã hóa AES, cần cài gói cryptography để đọc"


def test_password_protected_docx_is_an_encrypted_ole_file(tmp_path: Path) -> None:
    path = tmp_path / "mat-khau.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 120
                     + "EncryptedPackage".encode("utf-16-le") + b"\0" * 256)
    assert refusal(path) == "Tệp .docx bị mã hóa (có mật khẩu)"


def test_pdf_with_only_blank_pages_needs_ocr(tmp_path: Path) -> None:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_blank_page(width=595, height=842)
    path = tmp_path / "trang-trang.pdf"
    writer.write(path)
    assert refusal(path) == "PDF không có lớp chữ — tài liệu scan, cần OCR"


def test_truncated_pdf_is_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "cat-ngang.pdf"
    path.write_bytes((DATA / "ke-hoach-985-KH-HNDT.pdf").read_bytes()[:1500])
    assert refusal(path) == "PDF bị hỏng, không đọc được"


def test_text_file_renamed_to_docx(tmp_path: Path) -> None:
    path = tmp_path / "ghi-chu.docx"
    path.write_text("Đây là văn bản thường.", encoding="utf-8")
    assert refusal(path) == "Tệp .docx không hợp lệ (không phải tài liệu Word)"


def test_unsupported_and_missing_extension(tmp_path: Path) -> None:
    doc = tmp_path / "cong-van.doc"
    doc.write_bytes(b"\xd0\xcf\x11\xe0")
    assert refusal(doc) == "Định dạng .doc không được hỗ trợ (chỉ PDF, DOCX, TXT, MD)"
    bare = tmp_path / "README"
    bare.write_text("x")
    assert refusal(bare) == "Định dạng (không có đuôi) không được hỗ trợ (chỉ PDF, DOCX, TXT, MD)"


def test_missing_file_and_directory(tmp_path: Path) -> None:
    assert refusal(tmp_path / "khong-co.pdf") == "Không tìm thấy tệp (hoặc đó là một thư mục)"
    folder = tmp_path / "thu-muc.txt"
    folder.mkdir()
    assert refusal(folder) == "Không tìm thấy tệp (hoặc đó là một thư mục)"


def test_50_mb_text_file_is_refused_before_reading(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "qua-lon.txt"
    with path.open("wb") as fh:  # sparse: 50 MiB + 1 byte without writing them
        fh.truncate(MAX + 1)

    def must_not_read(_: Path) -> None:
        raise AssertionError("the reader was called on an oversized file")

    monkeypatch.setitem(readers._READERS, ".txt", must_not_read)
    started = time.perf_counter()
    assert refusal(path, max_bytes=MAX) == "Tệp quá lớn (hơn 50 MB, giới hạn 50 MB)"
    assert time.perf_counter() - started < 1.0


def test_size_message_and_limit_boundary(tmp_path: Path) -> None:
    big = tmp_path / "lon.pdf"
    with big.open("wb") as fh:
        fh.truncate(52 * MIB)
    assert refusal(big) == "Tệp quá lớn (52 MB, giới hạn 50 MB)"
    small = tmp_path / "vua.txt"
    small.write_bytes(b"a" * 99 + b"\n")
    assert read_document(small, max_bytes=100).blocks[0].text == "a" * 99  # at the limit: read
    assert refusal(small, max_bytes=99).startswith("Tệp quá lớn")  # one byte over: refused


# --- awkward but readable ----------------------------------------------------------------

@pytest.mark.parametrize(("name", "source", "first"), [
    ("Kế hoạch số 985 – bản sao (lần 2).pdf", "layout.pdf", "UỶ BAN NHÂN DÂN TỈNH THANH HOÁ"),
    ("Kế hoạch học tập Nghị quyết 58.docx", "ke-hoach-985-KH-HNDT.docx", "HỘI NÔNG DÂN VIỆT NAM"),
    ("Ghi chú ôn tập.txt", "utf16.txt", "KẾ HOẠCH"),
])
def test_file_name_with_spaces_and_vietnamese(
        tmp_path: Path, name: str, source: str, first: str) -> None:
    for form in ("NFC", "NFD"):  # macOS writes decomposed names
        target = tmp_path / form / unicodedata.normalize(form, name)
        target.parent.mkdir()
        shutil.copyfile(DATA / source, target)
        assert read_document(target, MAX).blocks[0].text == first


def test_upper_case_extension(tmp_path: Path) -> None:
    target = tmp_path / "KE-HOACH.DOCX"
    shutil.copyfile(DATA / "ke-hoach-985-KH-HNDT.docx", target)
    assert read_document(target, MAX).blocks[0].text == "HỘI NÔNG DÂN VIỆT NAM"


def test_mixed_unicode_and_tcvn3_paragraphs_in_one_docx() -> None:
    doc = read_document(DATA / "mixed-unicode-tcvn3.docx", MAX)
    assert [b.text for b in doc.blocks] == [
        "Nghị quyết số 58-NQ/TW của Bộ Chính trị",  # Unicode, Times New Roman
        "Nghị quyết số 58-NQ/TW của Bộ Chính trị",  # TCVN3, .VnTime
        "I. MỤC ĐÍCH, YÊU CẦU",  # TCVN3, .VnTimeH
        "Thanh Hóa: tỉnh Thanh Hóa đến năm 2030",  # Unicode run + TCVN3 run in one paragraph
        "Với sự quan tâm đặc biệt mà Đảng, Nhà nước dành cho Đảng bộ",  # TCVN3 found by content
        "ngày 3 tháng 9",  # short, but µ ¸ are no Unicode letters: follows the one before
        "Thanh Hóa",  # short Unicode with Latin-1 letters only: untouched
        "Hội Nông dân tỉnh",  # Unicode in a .VnTime run: untouched
        "Nhà nước",  # <w:softHyphen/> inside a .VnTime run is TCVN3 ư
    ]


@pytest.mark.parametrize(("encoding", "bom"), [("utf-16-le", b"\xff\xfe"),
                                               ("utf-16-be", b"\xfe\xff"),
                                               ("utf-8", b"\xef\xbb\xbf")])
def test_unicode_text_files_with_bom(tmp_path: Path, encoding: str, bom: bytes) -> None:
    path = tmp_path / "van-ban.txt"
    path.write_bytes(bom + "Nghị quyết số 58\r\nThanh Hóa\r\n".encode(encoding))
    assert [b.text for b in read_document(path, MAX).blocks] == ["Nghị quyết số 58", "Thanh Hóa"]


def test_utf16_without_bom(tmp_path: Path) -> None:
    path = tmp_path / "khong-bom.txt"
    path.write_bytes("Nghị quyết số 58 của Bộ Chính trị\n".encode("utf-16-le"))
    assert read_document(path, MAX).blocks[0].text == "Nghị quyết số 58 của Bộ Chính trị"


def test_utf16_and_cp1258_fixtures() -> None:
    expected = ["KẾ HOẠCH", "Nghị quyết số 58-NQ/TW của Bộ Chính trị",
                "Thanh Hóa, ngày 3 tháng 9 năm 2020"]
    for name in ("utf16.txt", "cp1258.txt"):
        assert [b.text for b in read_document(DATA / name, MAX).blocks] == expected


def test_utf8_with_a_few_broken_bytes_is_still_utf8(tmp_path: Path) -> None:
    path = tmp_path / "hong-mot-chut.txt"
    good = "Nghị quyết số 58 của Bộ Chính trị về xây dựng tỉnh Thanh Hóa\n".encode()
    path.write_bytes(good * 3 + b"\xff\xfe\x81" + good[:-5])  # damaged and cut mid-letter
    lines = [b.text for b in read_document(path, MAX).blocks]
    assert lines[:3] == ["Nghị quyết số 58 của Bộ Chính trị về xây dựng tỉnh Thanh Hóa"] * 3


def test_nfd_text_comes_back_nfc(tmp_path: Path) -> None:
    path = tmp_path / "nfd.txt"
    path.write_text(unicodedata.normalize("NFD", "Nghị quyết số 58"), encoding="utf-8")
    assert read_document(path, MAX).blocks[0].text == "Nghị quyết số 58"


@pytest.mark.parametrize("data", [b"%PDF-1.7\n", b"<html>xin chao</html>", b"\0" * 64])
def test_pdf_garbage_variants(tmp_path: Path, data: bytes) -> None:
    """Whatever pypdf raises on a broken file comes out as the one PDF reason."""
    path = tmp_path / "hong.pdf"
    path.write_bytes(data)
    assert refusal(path) == "PDF bị hỏng, không đọc được"
