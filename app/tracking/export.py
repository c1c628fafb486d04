"""The results report of a unit and its subtree: "Báo cáo kết quả nghiên cứu, học tập, quán
triệt …" as DOCX (A4, the two-column administrative header, tables by level, totals) and the
same figures as XLSX."""
from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from app.tracking.campaign import CampaignInfo
from app.tracking.progress import STATUS_NAMES, Progress, Tally, level_name, percent

XLSX_DATE = "dd/mm/yyyy"  # how every date of the XLSX shows (stored as a real date)
DOCX_BEHIND = 100  # late units listed by name in the printed report; the XLSX lists them all
MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
COLUMNS = ("Cấp", "Hạn hoàn thành", "Số đơn vị", "Đúng hạn", "Trễ hạn", "Quá hạn",
           "Chưa đến hạn", "Cán bộ", "Đảng viên", "Hội viên", "Tổng tham gia",
           "Phải viết thu hoạch", "Đã viết thu hoạch", "Tỷ lệ thu hoạch")


@dataclass(frozen=True)
class ReportHeader:
    """What the header of the results report says (the organiser may fill the number)."""

    organisation: str
    number: str = "Số:      /BC-"
    place: str = ""
    date: dt.date | None = None


def title(campaign: CampaignInfo) -> str:
    """``Kết quả nghiên cứu, học tập, quán triệt …`` from the plan's title."""
    t = campaign.plan_title.strip()
    return f"Kết quả {t[:1].lower()}{t[1:]}" if t else f"Kết quả {campaign.name}"


def _row(label: str, deadline: dt.date | None, t: Tally) -> list[object]:
    return [label, f"{deadline:%d/%m/%Y}" if deadline else "", t.units, t.on_time, t.late,
            t.overdue, t.pending, t.can_bo, t.dang_vien, t.hoi_vien, t.participants,
            t.thu_hoach_required, t.thu_hoach_written, percent(t.thu_hoach_rate)]


def table_rows(p: Progress) -> list[list[object]]:
    """The table by level, then the total row."""
    rows = [_row(level_name(lp.level), lp.deadline, lp.tally) for lp in p.levels]
    return rows + [_row("Tổng cộng", None, p.total)]


def child_rows(p: Progress) -> list[list[object]]:
    """One row per child unit (its whole subtree), with its own status."""
    return [[c.name, STATUS_NAMES[c.status], *_row("", None, c.tally)[2:]] for c in p.children]


def to_docx(campaign: CampaignInfo, p: Progress, header: ReportHeader) -> bytes:
    """The results report as DOCX bytes."""
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    d = docx.Document()
    sec = d.sections[0]
    sec.orientation = WD_ORIENT.PORTRAIT
    sec.page_width, sec.page_height = Cm(21), Cm(29.7)
    sec.left_margin, sec.right_margin = Cm(2.5), Cm(1.5)
    style = d.styles["Normal"]
    style.font.name, style.font.size = "Times New Roman", Pt(12)
    when = header.date or p.as_of
    head = d.add_table(rows=2, cols=2)
    cells = ((header.organisation.upper(), MOTTO[0]), (header.number, MOTTO[1]))
    for i, (left, right) in enumerate(cells):
        for j, text in enumerate((left, right)):
            para = head.cell(i, j).paragraphs[0]
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = para.add_run(text)
            run.bold = i == 0 or j == 1
    place = d.add_paragraph()
    place.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    place.add_run(f"{header.place or campaign.place}, ngày {when.day} tháng {when.month} "
                  f"năm {when.year}").italic = True
    heading = d.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    heading.add_run("BÁO CÁO").bold = True
    sub = d.add_paragraph()
    sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
    sub.add_run(title(campaign)).bold = True
    d.add_paragraph(f"Thực hiện Kế hoạch số {campaign.plan_number or campaign.plan_source}, "
                    f"{header.organisation} báo cáo kết quả tổ chức học tập, quán triệt "
                    f"tính đến ngày {p.as_of:%d/%m/%Y} như sau:")
    d.add_paragraph("I. KẾT QUẢ THEO TỪNG CẤP").runs[0].bold = True
    _table(d, COLUMNS, table_rows(p))
    if p.children:
        d.add_paragraph("II. KẾT QUẢ THEO ĐƠN VỊ TRỰC THUỘC").runs[0].bold = True
        _table(d, ("Đơn vị", "Tình trạng", *COLUMNS[2:]), child_rows(p))
    if p.behind:
        d.add_paragraph(f"III. ĐƠN VỊ CHẬM TIẾN ĐỘ ({p.behind_total})").runs[0].bold = True
        for b in p.behind[:DOCX_BEHIND]:
            d.add_paragraph(f"- {b.name} ({b.code}): {STATUS_NAMES[b.status].lower()}"
                            + (f", hạn {b.deadline:%d/%m/%Y}" if b.deadline else ""))
        if p.behind_total > DOCX_BEHIND:
            d.add_paragraph(f"… và {p.behind_total - DOCX_BEHIND} đơn vị khác "
                            "(danh sách đầy đủ trong tệp số liệu XLSX).")
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def _table(d: object, columns: tuple[str, ...], rows: list[list[object]]) -> None:
    from docx.shared import Pt

    t = d.add_table(rows=1, cols=len(columns))  # type: ignore[attr-defined]
    t.style = "Table Grid"
    for cell, text in zip(t.rows[0].cells, columns, strict=True):
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
    for row in rows:
        cells = t.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = str(value)
    for row in t.rows:
        for cell in row.cells:
            for para in cell.paragraphs:
                for run in para.runs:
                    run.font.size = Pt(8)


def _date_format(sheet: object) -> None:
    """Show every date of ``sheet`` as dd/mm/yyyy (the dates stay dates Excel can sort)."""
    for row in sheet.iter_rows():  # type: ignore[attr-defined]
        for cell in row:
            if isinstance(cell.value, dt.date):
                cell.number_format = XLSX_DATE


def to_xlsx(campaign: CampaignInfo, p: Progress, header: ReportHeader) -> bytes:
    """The figures of the results report as XLSX bytes (sheet "Theo cấp", "Đơn vị", "Chậm")."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "Theo cấp"
    ws.append([title(campaign)])
    ws.append([f"{header.organisation} — tính đến ngày {p.as_of:%d/%m/%Y}"])
    ws.append(list(COLUMNS))
    for row, deadline in zip(table_rows(p), [lp.deadline for lp in p.levels] + [None],
                             strict=True):
        ws.append([row[0], deadline, *row[2:]])  # the deadline as a date, not text
    for cell in ws[3]:
        cell.font = Font(bold=True)
    units = wb.create_sheet("Đơn vị")
    units.append(["Mã", "Đơn vị", "Tình trạng", *COLUMNS[2:]])
    for c, row in zip(p.children, child_rows(p), strict=True):
        units.append([c.code, *row])
    late = wb.create_sheet("Chậm")
    late.append(["Mã", "Đơn vị", "Cấp", "Tình trạng", "Hạn", "Ngày học"])
    for b in p.behind:
        late.append([b.code, b.name, level_name(b.level), STATUS_NAMES[b.status],
                     b.deadline, b.first_session])
    for sheet in wb.worksheets:
        _date_format(sheet)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
