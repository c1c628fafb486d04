"""Synthetic corpora for benchmarks, made from the real seed plan (no invented language).

Each copy of the plan gets another organisation, district and deadlines, so every passage
differs (no id collisions) while staying real Vietnamese administrative text.
"""
from __future__ import annotations

import random
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = next((ROOT / "corpus").glob("*985*.txt"))
DISTRICTS = ["Nga Sơn", "Hậu Lộc", "Hoằng Hóa", "Quảng Xương", "Tĩnh Gia", "Nông Cống",
             "Triệu Sơn", "Thọ Xuân", "Yên Định", "Vĩnh Lộc", "Thạch Thành", "Cẩm Thủy",
             "Bá Thước", "Lang Chánh", "Ngọc Lặc", "Như Xuân", "Như Thanh", "Thường Xuân"]


def write_corpus(folder: Path, copies: int, seed: int = 0) -> list[Path]:
    """Write ``copies`` variants of the seed plan into ``folder``; return their paths."""
    rng = random.Random(seed)
    text = SEED.read_text(encoding="utf-8")
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(copies):
        district = DISTRICTS[i % len(DISTRICTS)]
        day, month = rng.randint(1, 28), rng.randint(1, 12)
        variant = (text.replace("THANH HOÁ", f"HUYỆN {district.upper()}")
                   .replace("985", str(1000 + i))
                   .replace("15/9/2020", f"{day}/{month}/2021")
                   .replace("15/10/2020", f"{day}/{month % 12 + 1}/2021")
                   .replace("27 huyện", f"{rng.randint(10, 40)} xã")
                   .replace("Trần Bình Quân", f"Nguyễn Văn {chr(65 + i % 26)}"))
        variant += f"\n- Ghi chú bản {i}: áp dụng cho Hội Nông dân huyện {district}.\n"
        path = folder / f"ke-hoach-{1000 + i}-{district}.txt"
        path.write_text(variant, encoding="utf-8")
        out.append(path)
    return out


def sentences(n: int) -> list[str]:
    """``n`` real Vietnamese passages (lines of the seed plan, varied by district)."""
    lines = [ln.strip() for ln in SEED.read_text(encoding="utf-8").splitlines()
             if len(ln.strip()) > 60]
    return [f"{lines[i % len(lines)]} ({DISTRICTS[i % len(DISTRICTS)]})" for i in range(n)]
