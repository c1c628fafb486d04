"""Rebuild ke-hoach-08-KH-HND-xa-Tan-Lap-GIA-LAP.docx (fictional test document)."""
import os
import unicodedata

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "ke-hoach-08-KH-HND-xa-Tan-Lap-GIA-LAP.docx")

def N(s: str) -> str:
    return unicodedata.normalize("NFC", s)

LEFT = [
    "HỘI NÔNG DÂN HUYỆN YÊN TRƯỜNG",
    "BAN CHẤP HÀNH HỘI NÔNG DÂN XÃ TÂN LẬP",
    "*",
    "Số 08-KH/HND",
]
RIGHT = [
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "",
    "Tân Lập, ngày 02 tháng 11 năm 2022",
]

BODY = [
    ("c", "KẾ HOẠCH"),
    ("c", "Học tập, quán triệt Nghị quyết số 19-NQ/TW trong cán bộ, hội viên nông dân xã Tân Lập"),
    ("p", "Thực hiện Kế hoạch số 51-KH/HND ngày 05/10/2022 của Ban Thường vụ Hội Nông dân huyện Yên Trường về học tập, quán triệt Nghị quyết số 19-NQ/TW ngày 16/6/2022 của Ban Chấp hành Trung ương Đảng khóa XIII về nông nghiệp, nông dân, nông thôn, Ban Thường vụ Hội Nông dân xã Tân Lập xây dựng kế hoạch như sau:"),
    ("b", "I. MỤC ĐÍCH, YÊU CẦU"),
    ("p", "- Giúp cán bộ, hội viên nông dân trong xã hiểu rõ vai trò chủ thể của nông dân, vận dụng vào sản xuất lúa, rau màu và chăn nuôi tại địa phương."),
    ("p", "- Phấn đấu 100% ủy viên Ban Chấp hành Hội Nông dân xã và ít nhất 90% hội viên của các chi hội thôn được học tập Nghị quyết."),
    ("p", "- Việc học tập không làm ảnh hưởng đến thời vụ thu hoạch lúa mùa và gieo trồng cây vụ đông."),
    ("b", "II. HỘI NGHỊ CẤP XÃ"),
    ("p", "1. Thời gian: ½ ngày, bắt đầu lúc 8 giờ 00 phút ngày 09/11/2022."),
    ("p", "2. Địa điểm: hội trường Ủy ban nhân dân xã Tân Lập."),
    ("p", "3. Thành phần: ủy viên Ban Chấp hành Hội Nông dân xã (15 đồng chí), chi hội trưởng, chi hội phó 6 chi hội thôn."),
    ("p", "4. Báo cáo viên: đồng chí Phạm Văn Lợi, Chủ tịch Hội Nông dân xã Tân Lập."),
    ("b", "III. HỌC TẬP Ở CHI HỘI"),
    ("p", "1. Thời hạn hoàn thành sinh hoạt chuyên đề ở từng chi hội:"),
    ("p", "- Chi hội thôn Đồng Tâm: hoàn thành trước ngày 25/11/2022."),
    ("p", "- Chi hội thôn Trung Hòa: hoàn thành trước ngày 30/11/2022."),
    ("p", "- Chi hội thôn Tân Phong, thôn Hạ Lập, thôn Thượng Lập và thôn Bến Đò: hoàn thành trước ngày 05/12/2022."),
    ("p", "2. Phân công cán bộ hướng dẫn chi hội:"),
    ("p", "- Đồng chí Lê Thị Hoa, Phó Chủ tịch Hội Nông dân xã, dự và hướng dẫn chi hội thôn Đồng Tâm."),
    ("p", "- Đồng chí Đỗ Văn Cường, Ủy viên Ban Thường vụ Hội Nông dân xã, dự và hướng dẫn chi hội thôn Trung Hòa."),
    ("p", "- Đồng chí Phạm Văn Lợi, Chủ tịch Hội Nông dân xã, dự và hướng dẫn chi hội thôn Tân Phong và thôn Bến Đò."),
    ("p", "- Đồng chí Trần Văn Khải, Ủy viên Ban Chấp hành, hướng dẫn chi hội thôn Hạ Lập và thôn Thượng Lập."),
    ("p", "3. Mỗi buổi sinh hoạt chi hội kéo dài khoảng 02 giờ, tổ chức vào buổi tối để hội viên tham dự đông đủ."),
    ("b", "IV. THU HOẠCH VÀ BÁO CÁO"),
    ("p", "- Ủy viên Ban Chấp hành Hội Nông dân xã và chi hội trưởng viết bài thu hoạch, nộp về Văn phòng Hội Nông dân xã trước ngày 18/11/2022."),
    ("p", "- Các chi hội báo cáo kết quả (số hội viên dự, tỷ lệ, ý kiến của hội viên) về Ban Thường vụ Hội Nông dân xã chậm nhất 03 ngày sau buổi sinh hoạt."),
    ("p", "- Ban Thường vụ Hội Nông dân xã tổng hợp, báo cáo Hội Nông dân huyện Yên Trường trước ngày 12/12/2022."),
    ("b", "V. KINH PHÍ"),
    ("p", "- Kinh phí in 60 bộ tài liệu cho các chi hội và tổ chức hội nghị cấp xã do Ủy ban nhân dân xã Tân Lập hỗ trợ từ nguồn chi thường xuyên."),
    ("b", "VI. TỔ CHỨC THỰC HIỆN"),
    ("p", "- Văn phòng Hội Nông dân xã chuẩn bị hội trường, tài liệu và theo dõi tiến độ các chi hội."),
    ("p", "- Các chi hội trưởng xây dựng kế hoạch của chi hội, thông báo thời gian, địa điểm cho hội viên trước ít nhất 05 ngày."),
    ("p", "Nơi nhận:"),
    ("p", "- Thường trực Hội Nông dân huyện (để b/c);"),
    ("p", "- Thường trực Đảng ủy, UBND xã (để b/c);"),
    ("p", "- Các chi hội thôn (để t/h);"),
    ("p", "- Lưu VP."),
    ("r", "TM. BAN THƯỜNG VỤ"),
    ("r", "CHỦ TỊCH"),
    ("r", "(đã ký)"),
    ("r", "Phạm Văn Lợi"),
]


def main():
    doc = Document()
    st = doc.styles["Normal"]
    st.font.name = "Times New Roman"
    st.font.size = Pt(13)
    doc.add_paragraph(N("TÀI LIỆU KIỂM THỬ — văn bản hư cấu, không phải văn bản thật."))
    table = doc.add_table(rows=1, cols=2)
    for cell, lines in zip(table.rows[0].cells, (LEFT, RIGHT), strict=True):
        cell.text = ""
        first = True
        for line in lines:
            p = cell.paragraphs[0] if first else cell.add_paragraph()
            first = False
            p.add_run(N(line))
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for kind, text in BODY:
        p = doc.add_paragraph()
        run = p.add_run(N(text))
        if kind in ("c", "b"):
            run.bold = True
        if kind in ("c", "r"):
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER if kind == "c" else WD_ALIGN_PARAGRAPH.RIGHT
    doc.save(OUT)


if __name__ == "__main__":
    main()
