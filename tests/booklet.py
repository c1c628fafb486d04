"""A generated booklet PDF: many complete administrative documents bound into one file, each
page of distinct text (issue 10: long PDFs). Used by tests (a few hundred pages) and by
``bench/bench_longpdf.py`` (2,000 pages)."""
from __future__ import annotations

import random
import textwrap
from pathlib import Path

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
PAGES_PER_DOC = 10
_WORDS = ("hội viên nông dân sản xuất kinh doanh giỏi chuyển đổi số hợp tác xã khuyến nông "
          "tín dụng vốn vay tập huấn kỹ thuật chăn nuôi trồng trọt thủy sản lâm nghiệp "
          "thị trường tiêu thụ nông sản an toàn thực phẩm môi trường nông thôn mới huyện xã "
          "chi hội tổ hội tuyên truyền vận động đoàn kết thi đua khen thưởng kiểm tra giám sát "
          "báo cáo sơ kết tổng kết nghị quyết kế hoạch dự án").split()


def sentence(rng: random.Random, tag: str) -> str:
    """A sentence of Vietnamese words, made unique by ``tag``."""
    words = rng.choices(_WORDS, k=rng.randint(14, 24))
    return f"{' '.join(words).capitalize()} mã{tag}."  # one token: never wrapped apart


def doc_pages(k: int, rng: random.Random) -> list[list[str]]:
    """Document ``k`` as pages of lines: header, numbered body, Nơi nhận, signature."""
    pages: list[list[str]] = []
    for p in range(PAGES_PER_DOC):
        lines: list[str] = []
        if p == 0:
            lines += ["HỘI NÔNG DÂN TỈNH THANH HÓA", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                      "Độc lập - Tự do - Hạnh phúc", f"Số {k + 1}-KH/HNDT",
                      f"Thanh Hóa, ngày {k % 28 + 1} tháng {k % 12 + 1} năm 2021", "KẾ HOẠCH",
                      f"Thực hiện nhiệm vụ trọng tâm số {k + 1} của Hội Nông dân tỉnh"]
        lines.append(f"{'I' * (p % 3 + 1)}. PHẦN {p + 1} CỦA VĂN BẢN {k + 1}" if p % 3 == 0
                     else f"{p}. Nội dung thứ {p} của văn bản {k + 1}")
        for j in range(6):
            lines.append(" ".join(sentence(rng, f"{k + 1}_{p + 1}_{j + 1}_{s}")
                                  for s in range(3)))
        if p == PAGES_PER_DOC - 1:
            lines += ["Nơi nhận:", "- Trung ương Hội NDVN;", "- Thường trực Tỉnh ủy;",
                      "- Lưu VP.", "T/M BAN THƯỜNG VỤ", "CHỦ TỊCH", "Trần Bình Quân"]
        pages.append(lines)
    return pages


def write_booklet(path: Path, pages: int, seed: int = 10) -> Path:
    """Write a ``pages``-page booklet of ``pages / 10`` documents to ``path``."""
    from fpdf import FPDF

    rng = random.Random(seed)
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(False)
    pdf.add_font("DejaVu", "", str(FONT))
    pdf.set_font("DejaVu", size=9)
    for k in range(max(1, pages // PAGES_PER_DOC)):
        for lines in doc_pages(k, rng):
            pdf.add_page()
            y = 15.0
            for line in lines:  # wrapped here: fpdf2's own wrapping is slow
                for part in textwrap.wrap(line, 105):
                    pdf.text(15, y, part)
                    y += 4.2
    pdf.output(str(path))
    return path
