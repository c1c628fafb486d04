"""Tạo tệp PDF kiểm thử (hư cấu) ke-hoach-09-KH-HND-xa-Thach-Binh-GIA-LAP.pdf
bên cạnh tệp script này, dùng fpdf (fpdf2) và phông DejaVu Sans có sẵn trên máy.

Chạy: python make_pdf.py
"""
import glob
import os
import unicodedata

from fpdf import FPDF

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "ke-hoach-09-KH-HND-xa-Thach-Binh-GIA-LAP.pdf")

TEXT = """TÀI LIỆU KIỂM THỬ — văn bản hư cấu, không phải văn bản thật.

HỘI NÔNG DÂN HUYỆN SÔNG MÃ HẠ
BAN CHẤP HÀNH HỘI NÔNG DÂN XÃ THẠCH BÌNH
Số 09-KH/HND
Thạch Bình, ngày 24 tháng 02 năm 2025

KẾ HOẠCH
Học tập Nghị quyết số 57-NQ/TW và đợt vận động "Nông dân số" tại xã Thạch Bình

Căn cứ Kế hoạch số 15-KH/HND ngày 10/02/2025 của Ban Thường vụ Hội Nông dân huyện
Sông Mã Hạ về học tập, quán triệt Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính
trị, Ban Chấp hành Hội Nông dân xã Thạch Bình xây dựng Kế hoạch như sau:

I. MỤC ĐÍCH, YÊU CẦU
1. Hội viên hiểu chuyển đổi số là động lực phát triển sản xuất, tiêu thụ nông sản.
2. Gắn học tập Nghị quyết với hướng dẫn hội viên dùng điện thoại thông minh.

II. CHỈ TIÊU
1. 100% ủy viên Ban Chấp hành và chi hội trưởng của xã được học tập Nghị quyết.
2. Toàn xã có 1.240 hội viên, sinh hoạt tại 9 chi hội nông dân.
3. Phấn đấu 80% hội viên của xã được tuyên truyền nội dung Nghị quyết số 57-NQ/TW.
4. Đến cuối năm 2025, 65% hội viên xã Thạch Bình dùng được ví điện tử, ngân hàng số.
5. Có 25 hộ hội viên của xã đưa sản phẩm lên sàn thương mại điện tử trong năm 2025.

III. NỘI DUNG, THỜI GIAN
1. Hội nghị cấp xã: lúc 8 giờ 00 ngày 12/3/2025, tại Hội trường UBND xã Thạch Bình.
- Thành phần: ủy viên Ban Chấp hành, 9 chi hội trưởng; thời gian 01 buổi sáng.
- Báo cáo viên: đồng chí Trần Văn Khoa, Chủ tịch Hội Nông dân xã.
2. Thời hạn các chi hội hoàn thành sinh hoạt chuyên đề:
- Chi hội thôn Đông Hưng: hoàn thành trước ngày 28/3/2025.
- Chi hội thôn Nam Tiến: hoàn thành trước ngày 04/4/2025.
- 7 chi hội còn lại của xã: hoàn thành trước ngày 10/4/2025.
3. Phân công hướng dẫn các chi hội:
- Đồng chí Lê Thị Thu Hà, Phó Chủ tịch Hội Nông dân xã, hướng dẫn chi hội Đông Hưng.
- Đồng chí Vũ Đình Toàn, ủy viên Ban Chấp hành, hướng dẫn chi hội thôn Nam Tiến.
- Đồng chí Mai Xuân Bắc, ủy viên Ban Thường vụ, hướng dẫn 7 chi hội còn lại.
4. Thành lập Tổ hỗ trợ kỹ thuật số xã gồm 6 thành viên, do đồng chí Vũ Đình Toàn làm
tổ trưởng, hướng dẫn hội viên cài VNeID, ứng dụng ngân hàng số vào tối thứ Bảy hằng tuần.

IV. TỔ CHỨC THỰC HIỆN
1. Các chi hội xây dựng kế hoạch, gửi về Hội Nông dân xã trước ngày 07/3/2025.
2. Văn phòng Hội Nông dân xã tổng hợp kết quả từ các chi hội trước ngày 15/4/2025.
3. Hội Nông dân xã báo cáo Ban Thường vụ Hội Nông dân huyện trước ngày 20/4/2025.

Nơi nhận:
- Ban Thường vụ Hội Nông dân huyện Sông Mã Hạ (để b/c);
- Đảng ủy, UBND xã Thạch Bình (để b/c);
- 9 chi hội nông dân (để t/h);
- Lưu Hội Nông dân xã Thạch Bình.

TM. BAN CHẤP HÀNH
CHỦ TỊCH
(đã ký)
Trần Văn Khoa
"""


def find_font(name):
    hits = glob.glob("/usr/share/fonts/**/" + name, recursive=True)
    if not hits:
        raise SystemExit("Không tìm thấy phông " + name + " trong /usr/share/fonts")
    return hits[0]


def main():
    pdf = FPDF(format="A4")
    pdf.set_margins(15, 15, 15)
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_font("DejaVu", "", find_font("DejaVuSans.ttf"))
    pdf.add_page()
    pdf.set_font("DejaVu", size=10)
    for line in unicodedata.normalize("NFC", TEXT).split("\n"):
        if line.strip():
            pdf.multi_cell(0, 5.5, line, new_x="LMARGIN", new_y="NEXT")
        else:
            pdf.ln(3)
    pdf.output(OUT)
    print("Đã ghi", OUT)


if __name__ == "__main__":
    main()
