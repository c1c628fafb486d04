"""The thu hoạch outline as a printable sheet (A4 DOCX or PDF) with room to write."""
from __future__ import annotations

from pathlib import Path

from app.quiz.outline import Outline
from app.quiz.sheets import SheetHeader, export_format, write

PART_1 = "1. Những nội dung chính của tài liệu"
PART_2 = "2. Điểm mới và liên hệ với địa phương, công việc của bản thân"
PART_3 = "3. Trách nhiệm và kế hoạch hành động của bản thân"
OWN_DUTIES = "Nhiệm vụ tài liệu đặt ra cho cấp mình"
SHARED_DUTIES = "Nhiệm vụ chung của các cấp Hội có liên quan"
COMMITMENT = "Cam kết, việc làm cụ thể của tôi (việc gì, khi nào, kết quả):"
HELP = ("Dàn ý gợi ý để anh/chị tự viết bài thu hoạch: đọc phần 1 (có ghi nguồn để đối chiếu), "
        "trả lời các câu hỏi ở phần 2 bằng suy nghĩ của mình, rồi viết cam kết ở phần 3.")
DOTS = "." * 90


def outline_lines(outline: Outline) -> list[tuple[str, str]]:
    """The outline as sheet lines (see ``app.quiz.sheets``), with dotted lines to write on."""
    lines: list[tuple[str, str]] = [("n", outline.note)]
    lines += [("n", note) for note in outline.notes]
    lines.append(("h", PART_1))
    for section, points in outline.contents:
        lines.append(("q", section))
        lines += [("b", f"{pt.text} [{pt.where}]") for pt in points]
    lines.append(("h", PART_2))
    for q in (*outline.new_points, *outline.questions):
        lines.append(("q", q))
        lines += [("w", DOTS)] * 3
    lines.append(("h", PART_3))
    for label, duties in ((OWN_DUTIES, outline.tasks), (SHARED_DUTIES, outline.shared_tasks)):
        if duties:
            lines.append(("q", f"{label}:"))
            lines += [("b", f"«{pt.text}» [{pt.where}]") for pt in duties]
    lines.append(("q", COMMITMENT))
    lines += [("w", DOTS)] * outline.commitment_lines
    return lines


def export_outline(outline: Outline, path: Path) -> Path:
    """Write the outline at ``path`` (.docx or .pdf, A4, with a header for name, unit and
    date); ``UnsupportedFormat`` for another extension, before anything is written."""
    export_format(path)
    header = SheetHeader(f"Dàn ý gợi ý bài thu hoạch — {outline.role}", outline.document, HELP)
    return write(outline_lines(outline), header, Path(path))
