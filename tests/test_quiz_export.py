"""Quiz exports and the ``hoctap quiz`` command: Vietnamese text survives DOCX and PDF."""
from __future__ import annotations

import argparse
import json
import re

import pytest

from app.commands import quiz as quiz_cmd
from app.quiz.export import answer_lines, export, question_lines, sheet_document
from app.quiz.generate import generate_quiz
from app.quiz.sheets import UnsupportedFormat
from ingest.passages import make_passages
from ingest.records import Block

TEXT = """KẾ HOẠCH
Học tập Nghị quyết số 58-NQ/TW
I. TỔ CHỨC THỰC HIỆN
1. Cấp huyện
- Thời gian: ½ ngày, hoàn thành trước ngày 15/9/2020 tại Thanh Hoá.
- Thành phần: Ban Chấp hành huyện Hội, Chủ tịch, Phó Chủ tịch Hội Nông dân các xã.
2. Cấp xã
- Thời gian: ½ ngày, hoàn thành trước ngày 15/10/2020; viết thu hoạch cá nhân.
"""


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def items():
    passages = make_passages("t.txt", [Block(x) for x in TEXT.splitlines()])[1]
    got = generate_quiz(passages, 8, seed=1)
    assert len(got) >= 2  # one item per source clause: a 3-line plan yields 2–3
    return got


def test_pdf_keeps_vietnamese_text(items, tmp_path):
    from pypdf import PdfReader

    sheet, key = export(items, tmp_path / "de.pdf")
    for path, lines in ((sheet, question_lines(items)), (key, answer_lines(items))):
        text = _flat(" ".join(p.extract_text() for p in PdfReader(str(path)).pages))
        for _, line in lines:
            if set(line) <= {"."}:
                continue
            assert _flat(line.replace("☐", "□")) in text, line
    assert "Thanh Hoá" in text or "Thanh Hóa" in text or "Cấp" in text


def test_docx_is_a4_with_a_header_and_keeps_text(items, tmp_path):
    from docx import Document

    sheet, key = export(items, tmp_path / "de.docx")
    doc = Document(str(sheet))
    section = doc.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert round(section.left_margin.mm) == 30 and round(section.top_margin.mm) == 20
    paras = [p.text for p in doc.paragraphs]
    assert paras[0] == "Câu hỏi ôn tập"
    assert paras[1] == f"Tài liệu: {sheet_document(items)}" and "Kế hoạch" in paras[1]
    for field in ("Họ và tên: ", "Chi hội / đơn vị: ", "Ngày: "):
        assert any(p.startswith(field) and p.endswith("....") for p in paras[2:5]), field
    assert paras[5].startswith("Đọc kỹ từng câu")
    assert [t for _, t in question_lines(items)] == paras[6:]  # exactly the items given
    key_text = "\n".join(p.text for p in Document(str(key)).paragraphs)
    assert "Đáp án" in key_text and "Họ và tên" not in key_text
    for item in items:  # the key holds every answer, the sheet none of the explanations
        if item.type in ("mcq", "cloze"):
            assert str(item.answer) in key_text
    assert not any(i.explanation in "\n".join(paras) for i in items if i.type != "open")


def test_pdf_is_a4_with_a_header(items, tmp_path):
    from pypdf import PdfReader

    sheet, _ = export(items, tmp_path / "de.pdf")
    page = PdfReader(str(sheet)).pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
    text = _flat(page.extract_text())
    for words in ("Câu hỏi ôn tập", "Họ và tên:", "Chi hội / đơn vị:", "Ngày:",
                  "Tài liệu: Kế hoạch", "Đọc kỹ từng câu"):
        assert words in text, words


@pytest.mark.parametrize("name", ["de.txt", "de.DOC", "de"])
def test_bad_extension_fails_before_writing(items, tmp_path, name):
    with pytest.raises(UnsupportedFormat, match="Chỉ xuất được tệp .docx hoặc .pdf"):
        export(items, tmp_path / name)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", [["quiz", "--n", "3"], ["outline", "--role", "hội viên"]])
def test_bad_export_extension_exits_2_before_printing(command, capsys, tmp_path):
    from app.cli import main

    with pytest.raises(SystemExit) as stop:
        main([*command, "--index", str(tmp_path / "none"), "--export", str(tmp_path / "x.txt")])
    assert stop.value.code == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert "Chỉ xuất được tệp .docx hoặc .pdf" in err and "«.txt»" in err
    assert list(tmp_path.iterdir()) == []


def test_quiz_command_json_and_export(built_index, tmp_path, capsys):
    parser = argparse.ArgumentParser()
    quiz_cmd.register(parser.add_subparsers())
    args = parser.parse_args(["quiz", "--n", "12", "--json", "--seed", "2",
                              "--export", str(tmp_path / "q.docx")])
    assert quiz_cmd.run(args, built_index) == 0
    data = json.loads(capsys.readouterr().out)
    assert 7 <= len(data) <= 12 and {d["type"] for d in data} == {"mcq", "cloze", "tf", "open"}
    assert (tmp_path / "q.docx").is_file() and (tmp_path / "q-dap-an.docx").is_file()
    args = parser.parse_args(["quiz", "--n", "5", "--json", "--types", "mcq",
                              "--source", "ke-hoach-985-KH-HNDT.pdf", "--section", "KẾ HOẠCH HỌC"])
    assert quiz_cmd.run(args, built_index) == 0
    data = json.loads(capsys.readouterr().out)
    assert data and all(d["type"] == "mcq" for d in data)
    assert all(d["citation"]["source"] == "ke-hoach-985-KH-HNDT.pdf" for d in data)
    assert all("III" in d["citation"]["section"] for d in data)
