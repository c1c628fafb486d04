"""Print a quiz: a question sheet and a separate answer key, as DOCX or PDF.

PDF text uses a Unicode TrueType font with Vietnamese glyphs (fpdf2 embeds a subset). Looked
up in order: ``HOCTAP_PDF_FONT``; DejaVu Sans from Debian's ``fonts-dejavu-core``
(/usr/share/fonts/truetype/dejavu); matplotlib's bundled copy when matplotlib is installed.
"""
from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from app.quiz.items import TYPE_LABELS, QuizItem
from ingest.errors import HoctapError

LETTERS = "ABCD"
_FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))


def find_font(bold: bool = False) -> Path:
    """A TTF with Vietnamese glyphs (raises ``HoctapError`` when none is installed)."""
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    env = os.environ.get("HOCTAP_PDF_FONT")
    candidates = [Path(env)] if env and not bold else []
    candidates += [d / name for d in _FONT_DIRS]
    try:
        import matplotlib  # type: ignore[import-not-found]

        candidates.append(Path(matplotlib.get_data_path()) / "fonts" / "ttf" / name)
    except ImportError:
        pass
    for path in candidates:
        if path.is_file():
            return path
    raise HoctapError("Không tìm thấy phông chữ Unicode (DejaVu Sans) để xuất PDF; hãy cài gói "
                      "fonts-dejavu-core hoặc đặt HOCTAP_PDF_FONT (no Unicode TTF font found)")


def _cite(item: QuizItem) -> str:
    c = item.citation
    doc = " ".join(x for x in (c.get("doc_type"), c.get("doc_number")) if x) or c.get("source")
    where = f", mục {c['section']}" if c.get("section") else ""
    page = f", trang {c['page']}" if c.get("page") else ""
    return f"Nguồn: {doc}{where}{page}"


def question_lines(items: Sequence[QuizItem]) -> list[tuple[str, str]]:
    """(style, text) lines of the question sheet: ``h`` heading, ``q`` question, ``c`` choice,
    ``w`` writing space."""
    out: list[tuple[str, str]] = []
    for i, item in enumerate(items, 1):
        out.append(("q", f"Câu {i} ({TYPE_LABELS[item.type]}). {item.question}"))
        if item.type == "mcq":
            out += [("c", f"{LETTERS[j]}. {c}") for j, c in enumerate(item.choices or ())]
        elif item.type == "tf":
            out.append(("c", "☐ Đúng     ☐ Sai"))
        elif item.type == "cloze":
            out.append(("w", "Trả lời: " + "." * 60))
        else:
            out += [("w", "." * 90)] * 6
    return out


def answer_lines(items: Sequence[QuizItem]) -> list[tuple[str, str]]:
    """(style, text) lines of the answer key: answer, explanation and source for each item."""
    out: list[tuple[str, str]] = []
    for i, item in enumerate(items, 1):
        if item.type == "mcq":
            j = list(item.choices or ()).index(str(item.answer))
            answer = f"{LETTERS[j]}. {item.answer}"
        elif item.type == "tf":
            answer = "Đúng" if item.answer else "Sai"
        elif item.type == "open":
            answer = "Các ý chính cần nêu:"
        else:
            answer = str(item.answer)
        out.append(("q", f"Câu {i}: {answer}"))
        if item.type == "open":
            out += [("c", f"- {p}") for p in item.answer_points or ()]
        else:
            out.append(("c", item.explanation))
        out.append(("s", _cite(item)))
    return out


def write_docx(lines: list[tuple[str, str]], title: str, path: Path) -> Path:
    """Write ``lines`` under ``title`` as a Word document."""
    from docx import Document

    doc = Document()
    doc.add_heading(title, level=1)
    for style, text in lines:
        para = doc.add_paragraph()
        run = para.add_run(text)
        run.bold = style == "q"
        run.italic = style == "s"
    doc.save(str(path))
    return path


def write_pdf(lines: list[tuple[str, str]], title: str, path: Path) -> Path:
    """Write ``lines`` under ``title`` as a PDF with an embedded Vietnamese-capable font."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_margins(18, 16, 18)
    pdf.set_auto_page_break(True, margin=16)
    pdf.add_font("vn", "", str(find_font()))
    pdf.add_font("vn", "B", str(find_font(bold=True)))
    pdf.add_page()
    pdf.set_font("vn", "B", 14)
    pdf.multi_cell(0, 8, title, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    for style, text in lines:
        pdf.set_font("vn", "B" if style == "q" else "", 11 if style != "s" else 9)
        if style == "q":
            pdf.ln(2)
        pdf.multi_cell(0, 6, text.replace("☐", "□"), align="L", new_x="LMARGIN",
                       new_y="NEXT")
    pdf.output(str(path))
    return path


def export(items: Sequence[QuizItem], path: Path, title: str = "Câu hỏi ôn tập"
           ) -> tuple[Path, Path]:
    """Write the question sheet at ``path`` and the answer key next to it (``*-dap-an``);
    the format follows the suffix (.docx or .pdf). Returns both paths."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".docx", ".pdf"):
        raise HoctapError(f"Chỉ xuất được .docx hoặc .pdf, không phải '{suffix}' "
                          "(export to .docx or .pdf)")
    key = path.with_name(f"{path.stem}-dap-an{path.suffix}")
    writer = write_docx if suffix == ".docx" else write_pdf
    writer(question_lines(items), title, path)
    writer(answer_lines(items), f"{title} — Đáp án", key)
    return path, key
