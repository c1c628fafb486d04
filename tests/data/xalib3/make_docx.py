"""Tạo ke-hoach-11-KH-HND-xa-Nga-Thuy-GIA-LAP.docx (TÀI LIỆU KIỂM THỬ, văn bản hư cấu)."""
import os
import unicodedata

from docx import Document

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                   "ke-hoach-11-KH-HND-xa-Nga-Thuy-GIA-LAP.docx")

def n(s):
    return unicodedata.normalize("NFC", s)

BODY = [
    "KẾ HOẠCH",
    "Học tập, quán triệt Chỉ thị số 35-CT/TW và Nghị quyết số 05-NQ/HU trong cán bộ, hội viên nông dân xã Nga Thủy",
    "Thực hiện Kế hoạch số 22-KH/HND ngày 02/7/2024 của Ban Thường vụ Hội Nông dân huyện Nga Xuân về học tập Chỉ thị số 35-CT/TW ngày 14/6/2024 của Bộ Chính trị và Nghị quyết số 05-NQ/HU ngày 10/3/2024 của Huyện ủy Nga Xuân, Ban Chấp hành Hội Nông dân xã Nga Thủy xây dựng Kế hoạch như sau:",
    "I. MỤC ĐÍCH, YÊU CẦU",
    "- Cán bộ, hội viên nắm được nội dung cơ bản của Chỉ thị và Nghị quyết, nhất là các tiêu chí nông thôn mới kiểu mẫu của xã.",
    "- Việc học tập gắn với sinh hoạt chi hội, không làm ảnh hưởng đến lịch thu hoạch lúa mùa.",
    "II. CHỈ TIÊU",
    "- Ít nhất 90% hội viên nông dân toàn xã được học tập, quán triệt.",
    "- 100% chi hội tổ chức sinh hoạt chuyên đề, mỗi chi hội có ít nhất 05 bài thu hoạch của hội viên.",
    "- Xã Nga Thủy cử 01 đội thi gồm 04 hội viên tham gia vòng chung kết hội thi cấp huyện.",
    "III. HỘI NGHỊ CẤP XÃ",
    "- Thời gian: 14 giờ 00 phút, ngày 30/7/2024 (01 buổi chiều).",
    "- Địa điểm: Hội trường Ủy ban nhân dân xã Nga Thủy.",
    "- Thành phần: Ban Chấp hành Hội Nông dân xã, chi hội trưởng, chi hội phó của 07 chi hội; tổng số 38 đại biểu.",
    "- Báo cáo viên: đồng chí Nguyễn Thị Thu, Chủ tịch Hội Nông dân xã Nga Thủy.",
    "IV. THỜI HẠN SINH HOẠT CHUYÊN ĐỀ Ở CHI HỘI",
    "- Chi hội thôn 3: hoàn thành trước ngày 15/8/2024; đồng chí Đỗ Văn Hùng, Phó Chủ tịch Hội Nông dân xã, trực tiếp hướng dẫn.",
    "- Chi hội thôn Thủy Tiến: hoàn thành trước ngày 20/8/2024; đồng chí Lê Thị Hoa, ủy viên Ban Thường vụ Hội Nông dân xã, hướng dẫn.",
    "- Chi hội thôn 1 và chi hội thôn 2: hoàn thành trước ngày 22/8/2024; đồng chí Nguyễn Thị Thu hướng dẫn.",
    "- Các chi hội còn lại: hoàn thành trước ngày 25/8/2024; đồng chí Cao Văn Bình, ủy viên Ban Chấp hành, hướng dẫn.",
    "- Mỗi buổi sinh hoạt chuyên đề ở chi hội kéo dài khoảng 100 phút, gồm phần giới thiệu và phần thảo luận.",
    "V. CHẾ ĐỘ BÁO CÁO",
    "- Các chi hội báo cáo kết quả về Ban Thường vụ Hội Nông dân xã chậm nhất ngày 27/8/2024.",
    "- Ban Thường vụ Hội Nông dân xã tổng hợp, báo cáo Hội Nông dân huyện và Đảng ủy xã trước ngày 03/9/2024.",
    "VI. TỔ CHỨC THỰC HIỆN",
    "- Giao đồng chí Đỗ Văn Hùng theo dõi, đôn đốc, tổng hợp kết quả học tập của các chi hội.",
    "- Các chi hội trưởng chuẩn bị địa điểm, mời hội viên dự đầy đủ và ghi biên bản buổi sinh hoạt.",
]

ENDING = [
    "Nơi nhận:",
    "- Hội Nông dân huyện Nga Xuân (để báo cáo);",
    "- Đảng ủy, Ủy ban nhân dân xã (để báo cáo);",
    "- Các chi hội nông dân (để thực hiện);",
    "- Lưu: VT.",
    "TM. BAN CHẤP HÀNH",
    "CHỦ TỊCH",
    "(đã ký)",
    "Nguyễn Thị Thu",
]

def main():
    doc = Document()
    doc.add_paragraph(n("TÀI LIỆU KIỂM THỬ — văn bản hư cấu, không phải văn bản thật."))
    table = doc.add_table(rows=3, cols=2)
    cells = [
        ("HỘI NÔNG DÂN HUYỆN NGA XUÂN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
        ("BAN CHẤP HÀNH HỘI NÔNG DÂN XÃ NGA THỦY", "Độc lập - Tự do - Hạnh phúc"),
        ("Số 11-KH/HND", "Nga Thủy, ngày 22 tháng 7 năm 2024"),
    ]
    for r, (left, right) in enumerate(cells):
        table.cell(r, 0).text = n(left)
        table.cell(r, 1).text = n(right)
    for line in BODY + ENDING:
        doc.add_paragraph(n(line))
    doc.save(OUT)

if __name__ == "__main__":
    main()
