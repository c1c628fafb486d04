"""A made-up province (generated names) for demos, the benchmark and the tests."""
from __future__ import annotations

import csv
import io

from app.tracking.units import HEADERS


def province_rows(districts: int = 27, communes: int = 3,
                  chi: int = 0) -> list[tuple[str, str, str, str]]:
    """Rows (code, name, level, parent code) of one province with ``districts`` districts,
    ``communes`` communes in each, ``chi`` chi hội in each commune."""
    rows = [("TINH", "Hội Nông dân tỉnh Thanh Hóa", "Tỉnh", "")]
    for d in range(1, districts + 1):
        dc = f"H{d:02d}"
        rows.append((dc, f"Hội Nông dân huyện số {d}", "Huyện", "TINH"))
        for x in range(1, communes + 1):
            xc = f"{dc}-X{x:02d}"
            rows.append((xc, f"Hội Nông dân xã số {x} huyện số {d}", "Xã", dc))
            rows.extend((f"{xc}-C{c:02d}", f"Chi hội thôn {c} xã số {x} huyện số {d}",
                         "Chi hội", xc) for c in range(1, chi + 1))
    return rows


def province_csv(districts: int = 27, communes: int = 3, chi: int = 0) -> bytes:
    """The same province as a UTF-8 CSV units file."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(HEADERS)
    w.writerows(province_rows(districts, communes, chi))
    return buf.getvalue().encode("utf-8")
