"""The outline as printed sheets (A4 DOCX and PDF with a header), ``hoctap outline`` and the
Chuẩn bị thu hoạch page."""
from __future__ import annotations

import argparse
import json
import re
from html import unescape
from pathlib import Path

import pytest

from app.commands import outline as outline_cmd
from app.quiz.outline import build_outline
from app.quiz.outline_export import PART_1, PART_3, export_outline, outline_lines
from app.quiz.outline_roles import ROLES
from app.quiz.sheets import UnsupportedFormat
from ingest.passages import make_passages
from ingest.readers import read_document

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = next((ROOT / "corpus").glob("*985*"))


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def outline():
    plan = make_passages(SHIPPED.name, read_document(SHIPPED, 10**8).blocks)[1]
    return build_outline(plan, "cán bộ xã")


def test_outline_docx_is_a4_with_header_and_room_to_write(outline, tmp_path):
    from docx import Document

    doc = Document(str(export_outline(outline, tmp_path / "d.docx")))
    section = doc.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    paras = [p.text for p in doc.paragraphs]
    assert paras[0] == "Dàn ý gợi ý bài thu hoạch — Cán bộ Hội cấp xã"
    assert paras[1].startswith("Tài liệu: Kế hoạch 985-KH/HNDT về nghiên cứu, học tập")
    assert [p.split(":")[0] for p in paras[2:5]] == ["Họ và tên", "Chi hội / đơn vị", "Ngày"]
    assert [t for _, t in outline_lines(outline)] == paras[6:]
    text = "\n".join(paras)
    assert PART_1 in text and PART_3 in text and "15/10/2020" in text
    assert "Thư viện chưa có toàn văn Nghị quyết số 58-NQ/TW" in text
    assert sum(1 for p in paras if set(p) == {"."}) >= 10
    assert any("không phải bài thu hoạch" in p for p in paras)


def test_outline_pdf_is_a4_and_keeps_vietnamese(outline, tmp_path):
    from pypdf import PdfReader

    reader = PdfReader(str(export_outline(outline, tmp_path / "d.pdf")))
    assert len(reader.pages) >= 2
    for page in reader.pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) \
            == (595, 842)
    text = _flat(" ".join(p.extract_text() for p in reader.pages))
    for words in ("Dàn ý gợi ý bài thu hoạch — Cán bộ Hội cấp xã", "Họ và tên:",
                  "Chi hội / đơn vị:", "Trách nhiệm và kế hoạch hành động của bản thân",
                  "hoàn thành trước ngày 15/10/2020", "Nghị quyết số 58-NQ/TW",
                  "tuyên truyền đến toàn thể cán bộ, hội viên nông dân", "Điểm mới"):
        assert words in text, words


def test_outline_export_refuses_other_formats(outline, tmp_path):
    with pytest.raises(UnsupportedFormat):
        export_outline(outline, tmp_path / "d.odt")
    assert list(tmp_path.iterdir()) == []


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser()
    outline_cmd.register(parser.add_subparsers())
    return parser


def test_outline_command_role_in_vietnamese_and_pdf(built_index, tmp_path, capsys):
    args = _parser().parse_args(["outline", "--role", "hội viên", "--source", "985-KH/HNDT",
                                 "--export", str(tmp_path / "dan-y.pdf")])
    assert outline_cmd.run(args, built_index) == 0
    out = capsys.readouterr().out
    assert "Kế hoạch 985-KH/HNDT" in out and "— Hội viên" in out
    assert "Lưu ý: Thư viện chưa có toàn văn Nghị quyết số 58-NQ/TW" in out
    assert "xếp loại cuối năm" in out
    assert (tmp_path / "dan-y.pdf").read_bytes().startswith(b"%PDF")
    args = _parser().parse_args(["outline", "--role", "can bo huyen", "--json"])
    assert outline_cmd.run(args, built_index) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["role_key"] == "can-bo-huyen"
    assert any("15/9/2020" in t["text"] for t in data["tasks"])


def test_outline_command_one_organisation_at_a_time(monkeypatch, capsys):
    lookalike = next((ROOT / "tests" / "data" / "lookalike").glob("*.txt"))
    library = [p for path in (lookalike, SHIPPED)
               for p in make_passages(path.name, read_document(path, 10**8).blocks)[1]]
    monkeypatch.setattr(outline_cmd, "load_passages", lambda settings: library)
    args = _parser().parse_args(["outline", "--role", "cán bộ huyện", "--json"])
    assert outline_cmd.run(args, None) == 0  # default: one family, said on stderr
    out, err = capsys.readouterr()
    data = json.loads(out)
    assert "985-KH/HNDT" in data["document"] and "mặc định" in err
    cited = {pt["citation"]["source"] for part in data["contents"] for pt in part["points"]}
    assert cited == {SHIPPED.name}
    args = _parser().parse_args(["outline", "--role", "can bo huyen", "--source", "45-KH",
                                 "--json"])
    assert outline_cmd.run(args, None) == 0
    data = json.loads(capsys.readouterr().out)
    assert "45-KH/HND" in data["document"]
    assert any("12/9/2020" in t["text"] for t in data["tasks"])
    assert not any("15/9/2020" in t["text"] for t in data["tasks"])


def test_outline_command_unknown_role_exits_2(capsys):
    with pytest.raises(SystemExit) as stop:
        _parser().parse_args(["outline", "--role", "bí thư"])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert "Không rõ đối tượng «bí thư»" in err and "Chi hội trưởng" in err


def test_outline_page_offers_roles_and_downloads(built_index, monkeypatch):
    from streamlit.testing.v1 import AppTest

    for name, value in (("HOCTAP_CORPUS_DIR", built_index.corpus_dir),
                        ("HOCTAP_INDEX_DIR", built_index.index_dir),
                        ("HOCTAP_EMBED_MODEL", "hash"),
                        ("HOCTAP_COLLECTION", built_index.collection)):
        monkeypatch.setenv(name, str(value))
    page = ROOT / "app" / "web" / "page_outline.py"
    at = AppTest.from_file(str(page), default_timeout=60).run()
    assert not at.exception
    role = at.selectbox(key="outline-role")
    assert list(role.options) == list(ROLES.values())
    assert any("chưa có toàn văn Nghị quyết số 58-NQ/TW" in unescape(w.value) for w in at.warning)
    role.set_value("can-bo-huyen").run()
    assert not at.exception
    texts = [unescape(m.value) for m in at.markdown]
    start = next(i for i, t in enumerate(texts) if t.startswith("**Nhiệm vụ tài liệu đặt ra"))
    part3 = " ".join(texts[start:])
    assert "15/9/2020" in part3 and "15/10/2020" not in part3  # the district's own deadline
    assert "15/10/2020" in " ".join(texts[:start])  # the digest holds the commune's
    labels = {b.proto.label for b in at.get("download_button")}
    assert labels == {"Tải dàn ý (Word)", "Tải dàn ý (PDF)"}
