"""Printable sheets (quiz, answer key, thu hoạch outline) as A4 DOCX or PDF, with a header.

A sheet is a header block (title, document, fields to fill in: Họ và tên, Chi hội / đơn vị,
Ngày; short instructions) and styled lines ``(style, text)``: ``h`` heading, ``q`` bold
question, ``c`` plain text, ``b`` bullet, ``w`` dotted writing line, ``s`` small italic
source, ``n`` italic note. Both formats use A4 (21 × 29.7 cm) with margins after the usual
Vietnamese administrative layout (top/bottom 2 cm, left 3 cm, right 2 cm).

PDF text uses a Unicode TrueType font with Vietnamese glyphs (fpdf2 embeds a subset). Looked
up in order: ``HOCTAP_PDF_FONT``; DejaVu Sans from Debian's ``fonts-dejavu-core``
(/usr/share/fonts/truetype/dejavu); matplotlib's bundled copy when matplotlib is installed.
"""
from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ingest.errors import HoctapError

FORMATS = (".docx", ".pdf")
A4_MM = (210.0, 297.0)
MARGINS_MM = {"top": 20.0, "bottom": 20.0, "left": 30.0, "right": 20.0}
FIELDS = ("Họ và tên", "Chi hội / đơn vị", "Ngày")
_FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))
_FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf", "I": "DejaVuSans-Oblique.ttf"}

Lines = Sequence[tuple[str, str]]


class UnsupportedFormat(HoctapError):
    """An export file name whose extension is neither .docx nor .pdf."""


@dataclass(frozen=True)
class SheetHeader:
    """The block at the top of a printed sheet."""

    title: str
    document: str
    instructions: str
    fields: tuple[str, ...] = FIELDS


def export_format(path: Path | str) -> str:
    """``.docx`` or ``.pdf`` from the file name; ``UnsupportedFormat`` (a Vietnamese message)
    for anything else. Call it before doing any work, so a bad name fails first."""
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        shown = suffix or "(không có phần mở rộng)"
        raise UnsupportedFormat(f"Chỉ xuất được tệp .docx hoặc .pdf, không phải «{shown}» "
                                f"({Path(path).name}). Hãy đặt tên tệp kết thúc bằng .docx "
                                "hoặc .pdf.")
    return suffix


def find_font(bold: bool = False, italic: bool = False) -> Path:
    """A TTF with Vietnamese glyphs (raises ``HoctapError`` when none is installed); the
    italic face falls back to the regular one."""
    styles = ["B"] if bold else (["I", ""] if italic else [""])
    env = os.environ.get("HOCTAP_PDF_FONT")
    candidates = [Path(env)] if env and not bold and not italic else []
    try:
        import matplotlib  # type: ignore[import-not-found]

        dirs = [*_FONT_DIRS, Path(matplotlib.get_data_path()) / "fonts" / "ttf"]
    except ImportError:
        dirs = list(_FONT_DIRS)
    candidates += [d / _FONT_FILES[s] for s in styles for d in dirs]
    for path in candidates:
        if path.is_file():
            return path
    raise HoctapError("Không tìm thấy phông chữ Unicode (DejaVu Sans) để xuất PDF; hãy cài gói "
                      "fonts-dejavu-core hoặc đặt HOCTAP_PDF_FONT.")


def write(lines: Lines, header: SheetHeader, path: Path) -> Path:
    """Write the sheet at ``path`` in the format its extension names."""
    writer = write_docx if export_format(path) == ".docx" else write_pdf
    return writer(lines, header, Path(path))


def write_docx(lines: Lines, header: SheetHeader, path: Path) -> Path:
    """Write the sheet as an A4 Word document."""
    from docx import Document
    from docx.shared import Mm, Pt

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(A4_MM[0]), Mm(A4_MM[1])
    for side, mm in MARGINS_MM.items():
        setattr(section, f"{side}_margin", Mm(mm))
    doc.styles["Normal"].font.size = Pt(12)
    doc.add_heading(header.title, level=1)
    doc.add_paragraph().add_run(f"Tài liệu: {header.document}").bold = True
    for name in header.fields:
        doc.add_paragraph(f"{name}: " + "." * max(10, 70 - len(name)))
    doc.add_paragraph().add_run(header.instructions).italic = True
    for style, text in lines:
        if style == "h":
            doc.add_heading(text, level=2)
            continue
        para = doc.add_paragraph(style="List Bullet" if style == "b" else None)
        run = para.add_run(text)
        run.bold = style == "q"
        run.italic = style in ("s", "n")
        if style == "s":
            run.font.size = Pt(10)
    doc.save(str(path))
    return path


def write_pdf(lines: Lines, header: SheetHeader, path: Path) -> Path:
    """Write the sheet as an A4 PDF with an embedded Vietnamese-capable font."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_margins(MARGINS_MM["left"], MARGINS_MM["top"], MARGINS_MM["right"])
    pdf.set_auto_page_break(True, margin=MARGINS_MM["bottom"])
    for style in ("", "B", "I"):
        pdf.add_font("vn", style, str(find_font(bold=style == "B", italic=style == "I")))
    pdf.add_page()

    def put(text: str, style: str = "", size: float = 11, height: float = 6) -> None:
        pdf.set_font("vn", style, size)
        pdf.multi_cell(0, height, text.replace("☐", "□"), align="L", new_x="LMARGIN",
                       new_y="NEXT")

    put(header.title, "B", 14, 8)
    put(f"Tài liệu: {header.document}", "B", 11)
    for name in header.fields:
        put(f"{name}: " + "." * max(10, 70 - len(name)))
    put(header.instructions, "I", 10, 5)
    pdf.ln(2)
    for style, text in lines:
        if style in ("h", "q"):
            pdf.ln(2)
        if style == "h":
            put(text, "B", 12, 7)
        elif style == "b":
            put(f"•  {text}")
        elif style == "s":
            put(text, "I", 9, 5)
        else:
            put(text, {"q": "B", "n": "I"}.get(style, ""))
    pdf.output(str(path))
    return path
