"""The units tree (tỉnh → huyện/thị/thành → xã/phường/thị trấn → chi hội; its top may be at any
level, e.g. a huyện Hội with its xã and chi hội): import from CSV or XLSX in one transaction
(every faulty row named, nothing half-imported; units already there with the same data are
skipped, so the updated list can be imported again), the template, lookups.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.tracking.db import Database
from app.tracking.errors import ImportRejected, NotFound
from app.tracking.models import LEVEL_NAMES, LEVELS, Unit, path_segment
from ingest.text import clean, strip_accents

HEADERS = ("Mã đơn vị", "Tên đơn vị", "Cấp", "Mã đơn vị cấp trên")
_HEADER_KEYS = ("ma don vi", "ten don vi", "cap", "ma don vi cap tren")
# Accent-free spellings of each level as people write them in a spreadsheet.
_LEVEL_WORDS = {
    "tinh": "tinh", "tinh hoi": "tinh", "huyen": "huyen", "huyen hoi": "huyen", "thi xa": "huyen",
    "thanh pho": "huyen", "huyen, thi, thanh": "huyen", "huyen/thi/thanh": "huyen",
    "xa": "xa", "phuong": "xa", "thi tran": "xa", "xa, phuong, thi tran": "xa",
    "xa/phuong/thi tran": "xa", "co so": "xa", "chi hoi": "chi", "chi": "chi",
}
RULE = ("Danh sách có thể bắt đầu ở bất kỳ cấp nào (ví dụ Hội Nông dân huyện cùng các xã, chi "
        "hội, không cần dòng cấp tỉnh): đơn vị cấp cao nhất để trống «Mã đơn vị cấp trên», mọi "
        "đơn vị khác ghi mã đơn vị cấp trên liền kề.")
EXAMPLE = (("TH", "Hội Nông dân tỉnh Thanh Hóa", "Tỉnh", ""),
           ("TH-01", "Hội Nông dân huyện Nga Sơn", "Huyện", "TH"),
           ("TH-01-01", "Hội Nông dân xã Nga Thạch", "Xã", "TH-01"),
           ("TH-01-01-01", "Chi hội thôn 1", "Chi hội", "TH-01-01"))


@dataclass(frozen=True)
class UnitRow:
    """One row of a units file, as read (``line`` is its row number in the file)."""

    line: int
    code: str
    name: str
    level: str
    parent: str


@dataclass(frozen=True)
class UnitInfo:
    """A unit as the rest of the app sees it."""

    id: int
    code: str
    name: str
    level: str
    parent_code: str | None
    path: str
    depth: int


@dataclass(frozen=True)
class ImportResult:
    """What an import added, per level, and how many of its units were already there."""

    added: int
    by_level: dict[str, int]
    skipped: int = 0


@dataclass(frozen=True)
class _Known:
    """A unit already in the database, as a row of the file would state it."""

    name: str
    level: str
    parent: str


def level_of(text: str) -> str | None:
    """The level key (``tinh``/``huyen``/``xa``/``chi``) a spreadsheet cell names, or None."""
    key = " ".join(strip_accents(clean(text)).lower().split())
    return key if key in LEVELS else _LEVEL_WORDS.get(key)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return clean(str(value)).strip()


def _rows_from_table(table: list[list[object]]) -> list[UnitRow]:
    """UnitRows from a table whose first non-empty row is the header."""
    rows = [(i + 1, [_cell(c) for c in r]) for i, r in enumerate(table)]
    rows = [(n, r) for n, r in rows if any(r)]
    if not rows:
        raise ImportRejected(["Tệp không có dòng nào."])
    header_line, header = rows[0]
    keys = [" ".join(strip_accents(h).lower().split()) for h in header]
    missing = [HEADERS[i] for i, k in enumerate(_HEADER_KEYS) if k not in keys]
    if missing:
        raise ImportRejected([f"Dòng {header_line}: thiếu cột {', '.join(missing)} "
                              f"(dòng tiêu đề phải có: {', '.join(HEADERS)})."])
    pos = [keys.index(k) for k in _HEADER_KEYS]

    def get(r: list[str], i: int) -> str:
        return r[pos[i]] if pos[i] < len(r) else ""

    return [UnitRow(n, get(r, 0), get(r, 1), get(r, 2), get(r, 3)) for n, r in rows[1:]]


def read_table(data: bytes, filename: str) -> list[UnitRow]:
    """Rows of a CSV (UTF-8, with or without BOM; comma or semicolon) or XLSX units file."""
    suffix = Path(filename).suffix.lower()
    if suffix == ".xlsx":
        import zipfile

        from openpyxl import load_workbook

        try:
            wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except (zipfile.BadZipFile, OSError, KeyError, ValueError) as err:
            raise ImportRejected([f"Tệp {filename} không phải bảng tính XLSX đọc được ({err})."]) from err
        table = [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]
        wb.close()
        return _rows_from_table(table)
    if suffix == ".csv":
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            raise ImportRejected([f"Tệp {filename} không phải văn bản UTF-8 "
                                  "(hãy lưu lại dưới dạng CSV UTF-8)."]) from err
        first = text.split("\n", 1)[0]
        delimiter = ";" if first.count(";") > first.count(",") else ","
        return _rows_from_table([list(r) for r in csv.reader(io.StringIO(text), delimiter=delimiter)])
    raise ImportRejected([f"Tệp {filename}: chỉ nhận tệp .csv hoặc .xlsx."])


def _conflict(r: UnitRow, known: _Known) -> str | None:
    """Why row ``r`` contradicts the unit with its code already stored (None: it is the same)."""
    lv = level_of(r.level)
    diffs = []
    if r.name != known.name:
        diffs.append(f"tên «{known.name}», tệp ghi «{r.name}»")
    if lv is not None and lv != known.level:
        diffs.append(f"cấp {LEVEL_NAMES[known.level].lower()}, tệp ghi {r.level}")
    if r.parent != known.parent:
        diffs.append(f"cấp trên {known.parent or '(không có)'}, tệp ghi {r.parent or '(trống)'}")
    if not diffs:
        return None
    return (f"Dòng {r.line}: mã đơn vị {r.code} đã có trong cơ sở dữ liệu nhưng khác tệp "
            f"({'; '.join(diffs)}): sửa dòng này cho khớp (đổi tên ở «Sửa tên đơn vị») hoặc bỏ "
            "dòng này khỏi tệp.")


def _check(rows: list[UnitRow], known: dict[str, _Known]) -> list[str]:
    """Vietnamese messages for every faulty row; ``known`` holds the units in the database (a
    row that states one of them exactly is not faulty: it is skipped)."""
    errors: list[str] = []
    levels = {code: k.level for code, k in known.items()}
    seen: dict[str, int] = {}
    for r in rows:
        lv = level_of(r.level)
        if r.code and lv:
            levels.setdefault(r.code, lv)
    known_roots = {code: k.level for code, k in known.items() if not k.parent}
    top = _top_level([*known_roots.values(),
                      *(level_of(r.level) for r in rows if not r.parent and r.code not in known)])
    for r in rows:
        where = f"Dòng {r.line}"
        if not r.code:
            errors.append(f"{where}: thiếu mã đơn vị.")
            continue
        if r.code in known:
            conflict = _conflict(r, known[r.code])
            if conflict:
                errors.append(conflict)
        elif r.code in seen:
            errors.append(f"{where}: mã đơn vị {r.code} trùng với dòng {seen[r.code]}.")
        seen.setdefault(r.code, r.line)
        if not r.name:
            errors.append(f"{where}: thiếu tên đơn vị.")
        lv = level_of(r.level)
        if lv is None:
            errors.append(f"{where}: cấp \"{r.level}\" không hợp lệ (Tỉnh, Huyện, Xã, Chi hội).")
            continue
        want = LEVELS.index(lv) - 1
        if want < 0 and r.parent:
            errors.append(f"{where}: đơn vị cấp tỉnh không có đơn vị cấp trên.")
        elif not r.parent:
            errors.extend(_root_error(where, lv, top, known_roots))
        elif r.parent not in levels:
            errors.append(f"{where}: không có đơn vị cấp trên mã {r.parent}.")
        elif levels[r.parent] != LEVELS[want]:
            errors.append(f"{where}: đơn vị cấp trên {r.parent} là cấp "
                          f"{LEVEL_NAMES[levels[r.parent]].lower()}, phải là cấp "
                          f"{LEVEL_NAMES[LEVELS[want]].lower()}.")
    return errors


def _top_level(root_levels: list[str | None]) -> str | None:
    """The highest level among the units without a parent (None when there is none)."""
    found = [lv for lv in root_levels if lv in LEVELS]
    return min(found, key=LEVELS.index) if found else None


def _root_error(where: str, level: str, top: str | None, known_roots: dict[str, str]) -> list[str]:
    """Why a row without a parent cannot be a root unit (empty when it can): a tree may start
    at any level (a huyện Hội tracking its xã and chi hội), but every unit without a parent
    must sit at the top level of the list and of the units already in the database."""
    if level != top:
        return [f"{where}: thiếu mã đơn vị cấp trên của {LEVEL_NAMES[level].lower()} (danh "
                f"sách có đơn vị cấp {LEVEL_NAMES[top or level].lower()}; chỉ đơn vị ở cấp "
                "cao nhất mới được để trống cấp trên)."]
    lower = sorted(code for code, lv in known_roots.items() if lv != level)
    if lower:
        return [f"{where}: cơ sở dữ liệu đã có đơn vị {', '.join(lower)} không có cấp trên, "
                f"ở cấp thấp hơn {LEVEL_NAMES[level].lower()}; không thêm được đơn vị cấp "
                f"{LEVEL_NAMES[level].lower()} không có cấp trên."]
    return []


def import_units(db: Database, data: bytes, filename: str) -> ImportResult:
    """Add the units of a CSV/XLSX file in one transaction; any faulty row → ``ImportRejected``
    listing every faulty row, and nothing is added. Rows stating a unit already there exactly
    (code, name, level, parent) are skipped; a row whose code is there with other data is
    faulty."""
    rows = read_table(data, filename)
    if not rows:
        raise ImportRejected([f"Tệp {filename} chỉ có dòng tiêu đề, không có đơn vị nào."])
    with db.session() as s:
        known = _known(s)
        errors = _check(rows, known)
        if errors:
            raise ImportRejected(errors)
        new = [r for r in rows if r.code not in known]
        _insert(s, new)
    by_level: dict[str, int] = {}
    for r in new:
        lv = level_of(r.level) or ""
        by_level[lv] = by_level.get(lv, 0) + 1
    return ImportResult(len(new), by_level, len(rows) - len(new))


def import_summary(result: ImportResult) -> str:
    """One Vietnamese line saying what an import did (the CLI and the page print it)."""
    parts = ", ".join(f"{n} {LEVEL_NAMES[lv].lower()}" for lv, n in result.by_level.items())
    done = (f"Đã nhập {result.added} đơn vị ({parts})" if result.added
            else "Không có đơn vị mới để nhập")
    return done + (f"; {result.skipped} đơn vị đã có, bỏ qua." if result.skipped else ".")


def _known(s: Session) -> dict[str, _Known]:
    """The units in the database by code, each with its parent's code."""
    stored = list(s.scalars(select(Unit)))
    codes = {u.id: u.code for u in stored}
    return {u.code: _Known(u.name, u.level, codes[u.parent_id] if u.parent_id else "")
            for u in stored}


def _insert(s: Session, rows: list[UnitRow]) -> None:
    """Insert checked rows level by level (one batched INSERT per level, so each parent has
    its id before its children), then fill in the paths."""
    known = {u.code: u for u in s.scalars(select(Unit))}
    for level in LEVELS:
        batch = []
        for r in rows:
            if level_of(r.level) != level:
                continue
            parent = known.get(r.parent) if r.parent else None
            u = Unit(code=r.code, name=r.name, level=level, path="",
                     parent_id=parent.id if parent else None,
                     depth=(parent.depth + 1) if parent else 1)
            batch.append((u, parent))
            known[r.code] = u
        s.add_all(u for u, _ in batch)
        s.flush()
        for u, parent in batch:
            u.path = (parent.path if parent else "") + path_segment(u.id)
        s.flush()


def template(kind: str = "xlsx") -> bytes:
    """The units template (header and four example rows) as XLSX or CSV bytes."""
    if kind == "csv":
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(HEADERS)
        w.writerows(EXAMPLE)
        return ("\ufeff" + buf.getvalue()).encode("utf-8")
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Don vi"
    ws.append(list(HEADERS))
    for row in EXAMPLE:
        ws.append(list(row))
    for col, width in zip("ABCD", (16, 40, 12, 20), strict=True):
        ws.column_dimensions[col].width = width
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _info(u: Unit, parent_code: str | None) -> UnitInfo:
    return UnitInfo(u.id, u.code, u.name, u.level, parent_code, u.path, u.depth)


def get_unit(db: Database, code: str) -> UnitInfo:
    """The unit with ``code`` (``NotFound`` otherwise)."""
    with db.session() as s:
        u = s.scalar(select(Unit).where(Unit.code == code))
        if u is None:
            raise NotFound(f"Không có đơn vị mã {code}.")
        parent = s.get(Unit, u.parent_id) if u.parent_id else None
        return _info(u, parent.code if parent else None)


def children(db: Database, code: str | None) -> list[UnitInfo]:
    """The units directly under ``code`` (the top-level units when None), by code."""
    with db.session() as s:
        if code is None:
            units = s.scalars(select(Unit).where(Unit.parent_id.is_(None)).order_by(Unit.code))
            return [_info(u, None) for u in units]
        parent = s.scalar(select(Unit).where(Unit.code == code))
        if parent is None:
            raise NotFound(f"Không có đơn vị mã {code}.")
        units = s.scalars(select(Unit).where(Unit.parent_id == parent.id).order_by(Unit.code))
        return [_info(u, code) for u in units]


def count_units(db: Database) -> int:
    """How many units the database holds."""
    with db.session() as s:
        return int(s.scalar(select(func.count(Unit.id))) or 0)


def rename_unit(db: Database, code: str, name: str) -> None:
    """Change a unit's name (the organiser's edit in the app)."""
    name = clean(name).strip()
    if not name:
        raise ImportRejected(["Tên đơn vị không được để trống."])
    with db.session() as s:
        u = s.scalar(select(Unit).where(Unit.code == code))
        if u is None:
            raise NotFound(f"Không có đơn vị mã {code}.")
        u.name = name
