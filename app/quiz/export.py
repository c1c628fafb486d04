"""Print a quiz: a question sheet and a separate answer key, as A4 DOCX or PDF with a header.

``export`` writes exactly the items it is given (so a seed's export equals its preview); the
sheet layout, A4 page and fonts live in ``app.quiz.sheets``.
"""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from app.quiz.items import TYPE_LABELS, QuizItem
from app.quiz.sheets import SheetHeader, export_format, find_font, write

__all__ = ["answer_lines", "export", "find_font", "question_lines", "sheet_document"]

LETTERS = "ABCD"
SHEET_HELP = ("Đọc kỹ từng câu. Trắc nghiệm: khoanh tròn một chữ cái A, B, C hoặc D. Đúng/Sai: "
              "đánh dấu ô phù hợp. Điền khuyết và tự luận: viết câu trả lời vào chỗ chấm.")
KEY_HELP = ("Đáp án dành cho người hướng dẫn: mỗi câu có đáp án, giải thích và nguồn (tài liệu, "
            "mục, trang) để đối chiếu với văn bản gốc.")


def sheet_document(items: Sequence[QuizItem]) -> str:
    """The documents the items come from: ``Kế hoạch 985-KH/HNDT`` (several joined by ``;``)."""
    names: list[str] = []
    for item in items:
        c = item.citation
        name = " ".join(x for x in (c.get("doc_type"), c.get("doc_number")) if x)
        name = name or str(c.get("title") or c.get("source") or "")
        if name and name not in names:
            names.append(name)
    return "; ".join(names) or "(không rõ)"


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


def export(items: Sequence[QuizItem], path: Path, title: str = "Câu hỏi ôn tập"
           ) -> tuple[Path, Path]:
    """Write the question sheet at ``path`` and the answer key next to it (``*-dap-an``),
    A4 with a header; the format follows the suffix (.docx or .pdf, else
    ``UnsupportedFormat`` before anything is written). Returns both paths."""
    path = Path(path)
    export_format(path)
    key = path.with_name(f"{path.stem}-dap-an{path.suffix}")
    document = sheet_document(items)
    write(question_lines(items), SheetHeader(title, document, SHEET_HELP), path)
    write(answer_lines(items), SheetHeader(f"{title} — Đáp án", document, KEY_HELP, ()), key)
    return path, key
