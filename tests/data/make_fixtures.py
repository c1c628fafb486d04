"""Regenerate the tiny hand-built fixtures in tests/data and tests/data/bad.

Run from the repository root: ``.venv/bin/python tests/data/make_fixtures.py``. The legacy
strings are typed by hand (TCVN3 copied from the seed plan's TCVN3 .docx, VNI by the VNI
table), not produced by the converter under test. Large inputs (the 50 MB file) are never
committed: the tests make them in a temporary directory.
"""
from __future__ import annotations

import io
import unicodedata
import zipfile
from pathlib import Path

from PIL import Image
from pypdf import PdfReader, PdfWriter

HERE = Path(__file__).resolve().parent
BAD = HERE / "bad"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

# --- DOCX ---------------------------------------------------------------------------------

_CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>
<Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/>
</Types>"""
_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
</Relationships>"""
_DOC_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/>
</Relationships>"""


def _xml(root: str, body: str) -> str:
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<w:{root} xmlns:w="{W_NS}">{body}</w:{root}>')


def run(text: str, font: str | None = None, bold: bool | None = None, extra: str = "") -> str:
    """A ``w:r`` with optional font, bold on/off and extra run properties."""
    props = ""
    if font:
        props += f'<w:rFonts w:ascii="{font}" w:hAnsi="{font}"/>'
    if bold is not None:
        props += "<w:b/>" if bold else '<w:b w:val="0"/>'
    props += extra
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    return f'<w:r>{rpr}<w:t xml:space="preserve">{text}</w:t></w:r>'


def para(*runs: str, style: str | None = None, num: tuple[int, int] | None = None,
         ppr: str = "") -> str:
    """A ``w:p`` with optional style, numbering and extra paragraph properties."""
    props = f'<w:pStyle w:val="{style}"/>' if style else ""
    if num:
        props += f'<w:numPr><w:ilvl w:val="{num[1]}"/><w:numId w:val="{num[0]}"/></w:numPr>'
    props += ppr
    return f"<w:p>{'<w:pPr>' + props + '</w:pPr>' if props else ''}{''.join(runs)}</w:p>"


def write_docx(path: Path, body: str, styles: str = "", numbering: str = "") -> None:
    """A minimal package: document, styles and numbering parts."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", _CONTENT_TYPES)
        z.writestr("_rels/.rels", _RELS)
        z.writestr("word/_rels/document.xml.rels", _DOC_RELS)
        z.writestr("word/document.xml", _xml("document", f"<w:body>{body}</w:body>"))
        z.writestr("word/styles.xml", _xml("styles", styles))
        z.writestr("word/numbering.xml", _xml("numbering", numbering))


_PLAIN_STYLES = ('<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:asciiTheme="minorHAnsi" '
                 'w:hAnsiTheme="minorHAnsi"/></w:rPr></w:rPrDefault></w:docDefaults>'
                 '<w:style w:type="paragraph" w:default="1" w:styleId="Normal">'
                 '<w:name w:val="Normal"/><w:rPr><w:rFonts w:ascii="Times New Roman" '
                 'w:hAnsi="Times New Roman"/></w:rPr></w:style>')


def mixed_docx() -> None:
    """Unicode and TCVN3 paragraphs (and runs) in one file."""
    body = "".join([
        para(run("Nghị quyết số 58-NQ/TW của Bộ Chính trị")),
        para(run("NghÞ quyÕt sè 58-NQ/TW cña Bé ChÝnh trÞ", ".VnTime")),
        para(run("I. MôC §ÝCH, Y£U CÇU", ".VnTimeH", bold=True)),
        para(run("Thanh Hóa: "), run("tØnh Thanh Hãa ®Õn n¨m 2030", ".VnTime")),
        # TCVN3 bytes in a Unicode font: found by its statistics (24+ characters)
        para(run("Víi sù quan t©m ®Æc biÖt mµ §¶ng, Nhµ n\u00adíc dµnh cho §¶ng bé")),
        # short, after a detected paragraph: converted because µ ¸ are not Vietnamese letters
        para(run("ngµy 3 th¸ng 9")),
        # short Unicode text with only Latin-1 letters: left alone
        para(run("Thanh Hóa")),
        # Unicode typed in a .Vn font: it holds Unicode letters, so it is left alone
        para(run("Hội Nông dân tỉnh", ".VnTime")),
        # a TCVN3 ư written as Word's soft-hyphen element inside a .VnTime run
        para('<w:r><w:rPr><w:rFonts w:ascii=".VnTime" w:hAnsi=".VnTime"/></w:rPr>'
             '<w:t>Nhµ n</w:t><w:softHyphen/><w:t>íc</w:t></w:r>'),
    ])
    write_docx(HERE / "mixed-unicode-tcvn3.docx", body, _PLAIN_STYLES)


def vni_docx() -> None:
    """VNI-Times paragraphs, one with a toned vowel split across two runs."""
    body = "".join([
        para(run("KEÁ HOAÏCH", "VNI-Times", bold=True)),
        para(run("Nghò quye", "VNI-Times"), run("át soá 58 cuûa Boä Chính trò", "VNI-Times")),
        para(run("I. MUÏC ÑÍCH, YEÂU CAÀU", "VNI-Times", bold=True)),
        # VNI bytes in a Unicode font, found by statistics
        para(run("Vôùi söï quan taâm ñaëc bieät maø Ñaûng, Nhaø nöôùc daønh cho Ñaûng boä")),
    ])
    write_docx(HERE / "vni.docx", body, _PLAIN_STYLES)


_STRUCTURE_STYLES = (
    '<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii=".VnTime" w:hAnsi=".VnTime"/>'
    '</w:rPr></w:rPrDefault></w:docDefaults>'
    '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/>'
    '</w:style>'
    '<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/>'
    '<w:basedOn w:val="Normal"/><w:rPr><w:b/></w:rPr></w:style>'
    '<w:style w:type="paragraph" w:styleId="u2"><w:name w:val="Tieu de 2"/>'
    '<w:basedOn w:val="Normal"/></w:style>'
    '<w:style w:type="paragraph" w:styleId="MucLon"><w:name w:val="Muc lon"/>'
    '<w:basedOn w:val="Normal"/><w:pPr><w:outlineLvl w:val="2"/></w:pPr></w:style>'
    '<w:style w:type="paragraph" w:styleId="Dam"><w:name w:val="Dam"/>'
    '<w:basedOn w:val="Normal"/><w:rPr><w:b/></w:rPr></w:style>'
    '<w:style w:type="paragraph" w:styleId="DamKe"><w:name w:val="Dam ke"/>'
    '<w:basedOn w:val="Dam"/></w:style>'
    '<w:style w:type="paragraph" w:styleId="DanhSach"><w:name w:val="Danh sach"/>'
    '<w:basedOn w:val="Normal"/><w:pPr><w:numPr><w:numId w:val="2"/></w:numPr></w:pPr></w:style>'
)
_NUMBERING = (
    '<w:abstractNum w:abstractNumId="0">'
    '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/>'
    '<w:lvlText w:val="%1."/></w:lvl>'
    '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
    '<w:lvlText w:val="%2."/></w:lvl>'
    '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/>'
    '<w:lvlText w:val="%3)"/></w:lvl>'
    '<w:lvl w:ilvl="3"><w:numFmt w:val="bullet"/><w:lvlText w:val="-"/></w:lvl>'
    '<w:lvl w:ilvl="4"><w:numFmt w:val="bullet"/><w:lvlText w:val="\uf0b7"/></w:lvl>'
    '</w:abstractNum>'
    '<w:abstractNum w:abstractNumId="1">'
    '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
    '<w:lvlText w:val="Điều %1."/></w:lvl></w:abstractNum>'
    '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
    '<w:num w:numId="2"><w:abstractNumId w:val="1"/>'
    '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="5"/></w:lvlOverride></w:num>'
)


def structure_docx() -> None:
    """Headings, styles, list numbering, a table; fonts only in docDefaults (.VnTime)."""
    hidden = run("an di", extra="<w:vanish/>")
    body = "".join([
        para(run("KÕ HO¹CH"), style="Heading1"),
        para(run("Môc ®Ých"), num=(1, 0)),
        para(run("Lµm cho c¸n bé n¾m ®\u00adîc"), num=(1, 1)),
        para(run("Néi dung"), num=(1, 2)),
        para(run("Ph\u00ad¬ng thøc"), num=(1, 2)),
        para(run("TËp trung"), num=(1, 3)),
        para(run("Chi tiÕt"), num=(1, 4)),
        para(run("Thêi gian"), num=(1, 1)),
        para(run("Tµi liÖu"), num=(1, 2)),
        para(run("Tæ chøc thùc hiÖn"), num=(1, 0)),
        para(run("Ph¹m vi ®iÒu chØnh"), style="DanhSach"),
        para(run("§èi t\u00adîng ¸p dông"), style="DanhSach"),
        para(run("Môc lín"), style="MucLon"),
        para(run("TiÓu môc"), style="u2"),
        para(run("§Ëm theo kiÓu"), style="DamKe"),
        para(run("Kh«ng ®Ëm", bold=False), style="Dam"),
        para(run("Mét phÇn "), run("®Ëm", bold=True)),
        para(run("Ch÷ hoa", extra="<w:caps/>")),
        para(run("HiÖn "), hidden, run("ra")),
        para(),
        '<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid>'
        '<w:tr><w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr>' + para(run("¤ ghÐp")) + '</w:tc>'
        '<w:tc>' + para(run("¤ ba")) + para(run("Dßng hai")) + '</w:tc></w:tr>'
        '<w:tr><w:tc>' + para(run("A")) + '</w:tc><w:tc>' + para(run("B")) + '</w:tc>'
        '<w:tc>' + para(run("C")) + '</w:tc></w:tr></w:tbl>',
        para(run("HÕt")),
    ])
    write_docx(HERE / "structure.docx", body, _STRUCTURE_STYLES, _NUMBERING)


# --- PDF ----------------------------------------------------------------------------------

def _pdf_string(data: bytes) -> bytes:
    return b"(" + data.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def pdf_bytes(pages: list[list[tuple[str, bytes]]]) -> bytes:
    """A PDF with one text line per (BaseFont, WinAnsi bytes) pair, top to bottom."""
    fonts = sorted({font for page in pages for font, _ in page})
    font_ids = {font: 3 + i for i, font in enumerate(fonts)}
    objects: list[bytes] = [b"", b""]  # catalog, pages: filled below
    for font in fonts:
        objects.append(f"<< /Type /Font /Subtype /Type1 /BaseFont /{font} "
                       f"/Encoding /WinAnsiEncoding >>".encode())
    resources = " ".join(f"/F{font_ids[f]} {font_ids[f]} 0 R" for f in fonts)
    kids = []
    for page in pages:
        ops = b"".join(
            b"BT /F%d 11 Tf 1 0 0 1 56 %d Tm " % (font_ids[font], 790 - 16 * i)
            + _pdf_string(text) + b" Tj ET\n" for i, (font, text) in enumerate(page))
        objects.append(b"<< /Length %d >>\nstream\n" % len(ops) + ops + b"\nendstream")
        content = len(objects)
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                       f"/Resources << /Font << {resources} >> >> "
                       f"/Contents {content} 0 R >>".encode())
        kids.append(f"{len(objects)} 0 R")
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(kids)} >>".encode()
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
              % (len(objects) + 1, xref))
    return out.getvalue()


def _latin(text: str) -> bytes:
    return text.encode("cp1252")


def legacy_pdf() -> None:
    """Text set in .VnTime / .VnTimeH (TCVN3), VNI-Times (VNI) and a Unicode-safe font."""
    page = [
        (".VnTimeH", _latin("KÕ HO¹CH")),
        (".VnTime", _latin("NghÞ quyÕt sè 58-NQ/TW cña Bé ChÝnh trÞ vÒ x©y dùng vµ ")),
        (".VnTime", _latin("ph¸t triÓn tØnh Thanh Hãa.")),
        (".VnTime", _latin("Nhµ n\xadíc.")),
        ("VNI-Times", _latin("Hoäi Noâng daân tænh Thanh Hoùa.")),
        ("Helvetica", _latin("Unicode font: Thanh Hóa.")),
    ]
    (HERE / "legacy-fonts.pdf").write_bytes(pdf_bytes([page]))


def layout_pdf() -> None:
    """Page numbers, wrapped items, legal numbering, a header cell broken over two lines."""
    from fpdf import FPDF

    fonts = Path("/usr/share/fonts/truetype/dejavu")
    pdf = FPDF(unit="pt", format="A4")
    pdf.add_font("DejaVu", "", str(fonts / "DejaVuSerif.ttf"))
    pdf.add_font("DejaVu", "B", str(fonts / "DejaVuSerif-Bold.ttf"))
    pages = [
        ["UỶ BAN NHÂN DÂN ", "TỈNH THANH HOÁ", "Độc lập - Tự do - Hạnh phúc",
         "Thanh Hóa, ngày 5 tháng 9 ", "năm 2020", "NGHỊ ĐỊNH", "Chương I", "QUY ĐỊNH CHUNG",
         "**Điều 1. Phạm vi điều chỉnh", "Nghị định này quy định về việc học tập và ",
         "quán triệt Nghị quyết 58-", "NQ/TW của Bộ Chính trị:",
         "a) cán bộ, đảng viên trong tỉnh;", "các tầng lớp nhân dân;",
         "b) hội viên nông dân trong các ", "Trang 1"],
        ["- 2 -", "xã, phường, thị trấn.", "+ Thành phần: Ban Chấp hành, các ",
         "đồng chí báo cáo viên.", "**Điều 2. Đối tượng áp dụng", "Cán bộ, hội viên.", "2"],
    ]
    for lines in pages:
        pdf.add_page()
        for i, line in enumerate(lines):
            pdf.set_font("DejaVu", "B" if line.startswith("**") else "", 11)
            pdf.text(56, 60 + 16 * i, line.removeprefix("**"))
    pdf.output(str(HERE / "layout.pdf"))


def encrypted_pdfs() -> None:
    """One PDF needing a password, one with only an owner password (opens with "")."""
    page = [("Helvetica", b"Ke hoach hoc tap nghi quyet 58.")]
    for user, name in (("matkhau", BAD / "encrypted.pdf"),
                       ("", HERE / "owner-password-only.pdf")):
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes([page]))))
        writer.encrypt(user_password=user, owner_password="chu-so-huu", algorithm="RC4-128")
        with name.open("wb") as fh:
            writer.write(fh)


def scanned_pdf() -> None:
    """A PDF holding only an image: no text layer."""
    image = Image.new("L", (40, 20), color=200)
    image.save(BAD / "scanned.pdf", "PDF", resolution=72.0)


# --- text files -------------------------------------------------------------------------

_TEXT = "KẾ HOẠCH\nNghị quyết số 58-NQ/TW của Bộ Chính trị\n\nThanh Hóa, ngày 3 tháng 9 năm 2020\n"
_TONES = "\u0300\u0301\u0303\u0309\u0323"


def _cp1258(text: str) -> bytes:
    """Windows-1258: base letters precomposed where the code page has them, tones combining."""
    out = b""
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            nfd = unicodedata.normalize("NFD", ch)
            base = unicodedata.normalize("NFC", "".join(c for c in nfd if c not in _TONES))
            out += (base + "".join(c for c in nfd if c in _TONES)).encode("cp1258")
    return out


def text_files() -> None:
    """UTF-16, cp1258, TCVN3 and VNI plain-text files, a UTF-8 BOM Markdown file."""
    (HERE / "utf16.txt").write_bytes(_TEXT.encode("utf-16"))
    (HERE / "cp1258.txt").write_bytes(_cp1258(_TEXT))
    tcvn3 = ("KÕ HO¹CH\r\nNghÞ quyÕt sè 58-NQ/TW cña Bé ChÝnh trÞ\r\n\r\n"
             "Víi sù quan t©m ®Æc biÖt mµ §¶ng, Nhµ n\xadíc dµnh cho §¶ng bé\r\n")
    (HERE / "tcvn3.txt").write_bytes(tcvn3.encode("cp1252"))
    vni = ("Nghò quyeát soá 58 cuûa Boä Chính trò\r\n"
           "Vôùi söï quan taâm ñaëc bieät maø Ñaûng, Nhaø nöôùc daønh cho Ñaûng boä\r\n")
    (HERE / "vni.txt").write_bytes(vni.encode("cp1252"))
    md = "# Kế hoạch\n\n## I. Mục đích\n\nLàm cho cán bộ\u00a0nắm được\u200b nghị quyết.\n"
    (HERE / "ghi-chu.md").write_bytes(md.encode("utf-8-sig"))


def bad_files() -> None:
    """Files each reader must refuse with its own reason."""
    (BAD / "empty.txt").write_bytes(b"")
    (BAD / "blank.txt").write_bytes(b"  \r\n\t\n \n")
    (BAD / "bang-tinh.xlsx").write_bytes(b"PK\x05\x06" + b"\0" * 18)
    (BAD / "corrupt.pdf").write_bytes(b"%PDF-1.4\n1 0 obj\n<< /Type /Catal" + b"\x8f\x00" * 40)
    with zipfile.ZipFile(BAD / "not-word.docx", "w") as z:
        z.writestr("ghi-chu.txt", "Đây không phải tài liệu Word.")
    (BAD / "old-word.docx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    with zipfile.ZipFile(BAD / "broken-xml.docx", "w") as z:
        z.writestr("[Content_Types].xml", _CONTENT_TYPES)
        z.writestr("word/document.xml", "<w:document xmlns:w='x'><w:body><w:p>")
    write_docx(BAD / "no-text.docx", para() + para(run("   ")), _PLAIN_STYLES)
    (BAD / "binary.txt").write_bytes(bytes(range(0, 32)) * 8 + b"\x81\x8d\x8f\x90\x9d" * 4)


if __name__ == "__main__":
    BAD.mkdir(exist_ok=True)
    mixed_docx()
    vni_docx()
    structure_docx()
    legacy_pdf()
    layout_pdf()
    encrypted_pdfs()
    scanned_pdf()
    text_files()
    bad_files()
