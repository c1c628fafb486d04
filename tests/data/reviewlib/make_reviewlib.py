"""Regenerate the fictional review-library test documents (TÀI LIỆU KIỂM THỬ).

Adapted from the reviewer's make_docs.py (user review of hoctap). Every document
is fictional; its first line/paragraph says so and its file name ends in -GIA-LAP.
Writes the four files next to this script:

    python tests/data/reviewlib/make_reviewlib.py
"""
import glob
import os
import sys

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from fpdf import FPDF

HERE = os.path.dirname(os.path.abspath(__file__))
MARK = "TÀI LIỆU KIỂM THỬ — văn bản hư cấu, không phải văn bản thật."

F42 = "ke-hoach-42-KH-HND-huyen-Hoang-Hoa-GIA-LAP.docx"
F27 = "ke-hoach-27-KH-HND-xa-Hoang-Dao-GIA-LAP.pdf"
FPL = "ke-hoach-chi-hoi-Phuc-Loc-GIA-LAP.docx"
F15 = "thong-bao-15-TB-HND-hoi-nghi-huyen-GIA-LAP.txt"


def find_dejavu():
    """Locate DejaVuSans.ttf by a path search (no font is shipped in the repo)."""
    roots = [
        "/usr/share/fonts",
        "/usr/local/share/fonts",
        os.path.expanduser("~/.fonts"),
        os.path.expanduser("~/.local/share/fonts"),
        "/Library/Fonts",
        "/System/Library/Fonts",
        os.path.join(os.environ.get("WINDIR", "C:\\Windows"), "Fonts"),
        sys.prefix,  # e.g. matplotlib bundles DejaVu inside site-packages
    ]
    for root in roots:
        if not os.path.isdir(root):
            continue
        hits = sorted(glob.glob(os.path.join(root, "**", "DejaVuSans.ttf"), recursive=True))
        if hits:
            return hits[0]
    sys.exit(
        "make_reviewlib.py: cannot find DejaVuSans.ttf (searched "
        + ", ".join(roots)
        + "). Install the DejaVu fonts (e.g. apt-get install fonts-dejavu-core) and rerun."
    )


def make_42():
    d = Document()
    d.add_paragraph(MARK)
    t = d.add_table(rows=3, cols=2)
    t.cell(0, 0).text = "HỘI NÔNG DÂN TỈNH THANH HÓA"
    t.cell(1, 0).text = "BCH HỘI NÔNG DÂN HUYỆN HOẰNG HÓA"
    t.cell(2, 0).text = "Số 42-KH/HND"
    t.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    t.cell(1, 1).text = "Độc lập - Tự do - Hạnh phúc"
    t.cell(2, 1).text = "Hoằng Hóa, ngày 10 tháng 10 năm 2022"
    p = d.add_paragraph("KẾ HOẠCH")
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.runs[0].bold = True
    p = d.add_paragraph("Học tập, quán triệt và triển khai thực hiện Nghị quyết số 19-NQ/TW ngày 16/6/2022 của Hội nghị lần thứ năm Ban Chấp hành Trung ương Đảng khóa XIII về nông nghiệp, nông dân, nông thôn đến năm 2030, tầm nhìn đến năm 2045")
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paras = [
        "Thực hiện Kế hoạch số 120-KH/HNDT ngày 20/9/2022 của Ban Thường vụ Hội Nông dân tỉnh về học tập, quán triệt Nghị quyết số 19-NQ/TW, Ban Thường vụ Hội Nông dân huyện Hoằng Hóa xây dựng kế hoạch tổ chức học tập, quán triệt và triển khai thực hiện Nghị quyết trong các cấp Hội như sau:",
        "I. MỤC ĐÍCH, YÊU CẦU",
        "1. Giúp cán bộ, hội viên nông dân nắm vững quan điểm, mục tiêu, nhiệm vụ và giải pháp của Nghị quyết số 19-NQ/TW; nâng cao vai trò chủ thể của nông dân trong phát triển nông nghiệp, kinh tế nông thôn và xây dựng nông thôn mới.",
        "2. Phấn đấu 100% cán bộ Hội cấp huyện, cấp xã và ít nhất 85% hội viên nông dân được học tập, quán triệt Nghị quyết.",
        "3. Việc học tập phải nghiêm túc, thiết thực, gắn với phong trào nông dân thi đua sản xuất, kinh doanh giỏi.",
        "II. NỘI DUNG, HÌNH THỨC HỌC TẬP",
        "1. Nội dung",
        "- Quan điểm chỉ đạo: nông nghiệp là lợi thế quốc gia, trụ cột của nền kinh tế; nông dân là chủ thể của quá trình phát triển kinh tế nông thôn.",
        "- Mục tiêu đến năm 2030: thu nhập bình quân của cư dân nông thôn tăng ít nhất 2,5 lần so với năm 2020; tỉ lệ lao động nông nghiệp trong tổng lao động xã hội giảm xuống còn dưới 20%.",
        "- Trách nhiệm của các cấp Hội trong việc xây dựng chương trình hành động thực hiện Nghị quyết.",
        "2. Hình thức",
        "- Tổ chức hội nghị tập trung kết hợp trực tuyến ở những nơi có đủ điều kiện; sau hội nghị, cán bộ thuộc diện viết thu hoạch phải viết bài thu hoạch cá nhân.",
        "III. THỜI GIAN, THÀNH PHẦN",
        "1. Cấp huyện",
        "- Thành phần: Ban Chấp hành Hội Nông dân huyện; Chủ tịch, Phó Chủ tịch Hội Nông dân các xã, thị trấn.",
        "- Thời gian: 01 buổi, hoàn thành trước ngày 30/11/2022.",
        "- Địa điểm: Hội trường Trung tâm Chính trị huyện.",
        "2. Cấp xã, thị trấn",
        "- Thành phần: Ban Chấp hành Hội Nông dân xã, thị trấn; chi hội trưởng, chi hội phó.",
        "- Thời gian: 01 buổi, hoàn thành trước ngày 25/12/2022.",
        "3. Chi hội",
        "- Tổ chức sinh hoạt chuyên đề đến toàn thể hội viên nông dân.",
        "- Thời gian: 02 giờ, hoàn thành trước ngày 31/01/2023.",
        "IV. TỔ CHỨC THỰC HIỆN",
        "1. Ban Tuyên huấn Hội Nông dân huyện chủ trì tham mưu, biên soạn tài liệu hỏi - đáp về Nghị quyết; tổng hợp, báo cáo kết quả về Ban Thường vụ Hội Nông dân tỉnh trước ngày 15/02/2023.",
        "2. Hội Nông dân các xã, thị trấn xây dựng kế hoạch cụ thể, báo cáo kết quả về Hội Nông dân huyện (qua Ban Tuyên huấn) trước ngày 05/02/2023.",
        "3. Cán bộ, đảng viên thuộc diện viết thu hoạch nộp bài thu hoạch về chi bộ nơi sinh hoạt trước ngày 20/01/2023.",
        "4. Kinh phí tổ chức học tập cấp xã do Hội Nông dân xã tham mưu cấp ủy, chính quyền cùng cấp bố trí.",
        "Nơi nhận:",
        "- BTV Hội Nông dân tỉnh (b/c);",
        "- Thường trực Huyện ủy (b/c);",
        "- Hội Nông dân các xã, thị trấn (t/h);",
        "- Lưu VP.",
        "TM. BAN THƯỜNG VỤ",
        "PHÓ CHỦ TỊCH",
        "Lê Văn Thắng",
    ]
    for s in paras:
        d.add_paragraph(s)
    d.save(os.path.join(HERE, F42))


TXT15 = MARK + """
HỘI NÔNG DÂN TỈNH THANH HÓA              CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
BCH HỘI NÔNG DÂN HUYỆN HOẰNG HÓA            Độc lập - Tự do - Hạnh phúc

Số 15-TB/HND                                 Hoằng Hóa, ngày 15 tháng 11 năm 2022

THÔNG BÁO
Về việc tổ chức Hội nghị học tập, quán triệt Nghị quyết số 19-NQ/TW cấp huyện

Thực hiện Kế hoạch số 42-KH/HND ngày 10/10/2022 của Ban Thường vụ Hội Nông dân huyện, Ban Thường vụ Hội Nông dân huyện thông báo tổ chức Hội nghị học tập, quán triệt Nghị quyết số 19-NQ/TW như sau:

1. Thời gian: 01 buổi, bắt đầu từ 7 giờ 30 phút, ngày 25/11/2022 (thứ Sáu).

2. Địa điểm: Hội trường Trung tâm Chính trị huyện Hoằng Hóa.

3. Báo cáo viên: đồng chí Nguyễn Thị Hoa, Trưởng Ban Tuyên giáo Huyện ủy.

4. Thành phần: Ban Chấp hành Hội Nông dân huyện; Chủ tịch, Phó Chủ tịch Hội Nông dân các xã, thị trấn.

5. Đề nghị các đồng chí dự hội nghị mang theo tài liệu, sổ ghi chép; Hội Nông dân mỗi xã, thị trấn chuẩn bị 01 ý kiến tham luận, gửi về Văn phòng Hội Nông dân huyện trước ngày 22/11/2022.

Nơi nhận:
- Như thành phần;
- Lưu VP.

TM. BAN THƯỜNG VỤ
CHỦ TỊCH

Trịnh Văn Nam
"""


def make_15():
    with open(os.path.join(HERE, F15), "w", encoding="utf-8", newline="\n") as f:
        f.write(TXT15)


def make_27():
    pdf = FPDF(format="A4")
    pdf.add_font("dv", "", find_dejavu())
    pdf.set_font("dv", size=10)
    pdf.add_page()
    lines1 = [MARK,
        "HỘI NÔNG DÂN HUYỆN HOẰNG HÓA          CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "BCH HỘI NÔNG DÂN XÃ HOẰNG ĐẠO                 Độc lập - Tự do - Hạnh phúc",
        "Số 27-KH/HND                                  Hoằng Đạo, ngày 05 tháng 12 năm 2022", "",
        "KẾ HOẠCH",
        "Tổ chức sinh hoạt chi hội học tập Nghị quyết số 19-NQ/TW", "",
        "Thực hiện Kế hoạch số 42-KH/HND ngày 10/10/2022 của Ban Thường vụ Hội Nông dân huyện Hoằng Hóa, Ban Chấp hành Hội Nông dân xã Hoằng Đạo xây dựng kế hoạch như sau:", "",
        "I. MỤC ĐÍCH, YÊU CẦU",
        "1. 100% chi hội tổ chức sinh hoạt chuyên đề về Nghị quyết số 19-NQ/TW.",
        "2. Ít nhất 90% hội viên nông dân trong xã tham gia sinh hoạt.", "",
        "II. THỜI GIAN THỰC HIỆN",
        "1. Chi hội thôn Phúc Lộc và chi hội thôn Đạo Sơn tổ chức sinh hoạt trước ngày 10/01/2023.",
        "2. Các chi hội còn lại hoàn thành trước ngày 20/01/2023.",
    ]
    for line in lines1:
        pdf.multi_cell(0, 7, line, new_x="LMARGIN", new_y="NEXT")
    pdf.add_page()
    lines2 = ["III. TỔ CHỨC THỰC HIỆN",
        "1. Đồng chí Phó Chủ tịch Hội Nông dân xã Lê Thị Mai trực tiếp dự và hướng dẫn sinh hoạt tại các chi hội.",
        "2. Chi hội trưởng báo cáo số hội viên tham gia về Hội Nông dân xã trước ngày 25/01/2023.",
        "3. Hội Nông dân xã tổng hợp, báo cáo kết quả về Hội Nông dân huyện trước ngày 05/02/2023.", "",
        "TM. BAN CHẤP HÀNH", "CHỦ TỊCH", "", "Hoàng Văn Bình"]
    for line in lines2:
        pdf.multi_cell(0, 7, line, new_x="LMARGIN", new_y="NEXT")
    pdf.output(os.path.join(HERE, F27))


def make_phuc_loc():
    d = Document()
    for s in [MARK,
        "HỘI NÔNG DÂN XÃ HOẰNG ĐẠO", "CHI HỘI THÔN PHÚC LỘC", "Số 03-KH/CHND",
        "Phúc Lộc, ngày 20 tháng 12 năm 2022", "KẾ HOẠCH",
        "Sinh hoạt chuyên đề Nghị quyết số 19-NQ/TW tại chi hội",
        "I. THỜI GIAN, ĐỊA ĐIỂM",
        "- Thời gian: 14 giờ 00, ngày 08/01/2023 (Chủ nhật).",
        "- Địa điểm: Nhà văn hóa thôn Phúc Lộc.",
        "II. THÀNH PHẦN",
        "- Toàn thể 126 hội viên của chi hội; mời đồng chí Bí thư Chi bộ thôn dự và phát biểu.",
        "III. NỘI DUNG",
        "- Đồng chí Chi hội trưởng truyền đạt những nội dung cơ bản của Nghị quyết; hội viên thảo luận, đăng ký mô hình sản xuất năm 2023.",
        "CHI HỘI TRƯỞNG", "Nguyễn Văn Lâm"]:
        d.add_paragraph(s)
    d.save(os.path.join(HERE, FPL))


if __name__ == "__main__":
    make_42()
    make_15()
    make_27()
    make_phuc_loc()
    print("wrote", F42, F27, FPL, F15, "in", HERE)
