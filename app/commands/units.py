"""``hoctap units``: import the units tree (CSV/XLSX), write the template, issue access codes."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from app.commands.files import check_writable, reason, writing
from app.tracking import access, units
from app.tracking.db import open_db
from app.tracking.errors import ImportRejected
from ingest.errors import UsageError
from ingest.settings import Settings


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``units import|template|codes``."""
    p = sub.add_parser("units", help="danh sách đơn vị theo dõi học tập")
    p.add_argument("--index", type=Path, help="thư mục chỉ mục, nơi có tracking.sqlite")
    actions = p.add_subparsers(dest="action", required=True, metavar="VIỆC")
    imp = actions.add_parser("import", help="nhập đơn vị từ tệp CSV hoặc XLSX")
    imp.add_argument("file", type=Path, help="tệp .csv hoặc .xlsx theo mẫu (hoctap units template)")
    imp.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    tpl = actions.add_parser("template", help="ghi tệp mẫu danh sách đơn vị")
    tpl.add_argument("file", type=Path, help="mau-don-vi.xlsx hoặc mau-don-vi.csv")
    codes = actions.add_parser("codes", help="cấp mã truy cập cho đơn vị (chỉ hiện một lần)")
    codes.add_argument("unit", nargs="*", help="mã đơn vị (mặc định: mọi đơn vị chưa có mã)")
    codes.add_argument("--json", action="store_true", help="in mã dạng JSON")
    p.set_defaults(run=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Carry out the chosen action; returns the exit code."""
    if args.action == "template":
        kind = args.file.suffix.lower().lstrip(".")
        if kind not in ("xlsx", "csv"):  # what ``units import`` reads
            raise UsageError(f"Tệp mẫu chỉ ghi được dạng .xlsx hoặc .csv, không phải "
                             f"«{args.file.suffix or '(không có phần mở rộng)'}» "
                             f"({args.file.name}).")
        check_writable(args.file)
        data = units.template(kind)
        with writing(args.file):
            args.file.write_bytes(data)
        print(f"Đã ghi tệp mẫu {args.file}")
        return 0
    db = open_db(settings)
    try:
        if args.action == "import":
            return _import(db, args)
        issued = access.issue_codes(db, args.unit or None, only_missing=not args.unit)
        if args.json:
            print(json.dumps(issued, ensure_ascii=False, indent=1))
        else:
            for code, plain in issued.items():
                print(f"{code}\t{plain}")
            print(f"Đã cấp {len(issued)} mã truy cập (chỉ lưu bản băm; hãy giao mã cho từng "
                  "đơn vị ngay).", file=sys.stderr)
        return 0
    finally:
        db.dispose()


def _import(db: object, args: argparse.Namespace) -> int:
    try:
        data = args.file.read_bytes()
    except OSError as err:
        raise ImportRejected([f"Không đọc được tệp {args.file}: {reason(err, write=False)}."]
                             ) from err
    try:
        result = units.import_units(db, data, args.file.name)  # type: ignore[arg-type]
    except ImportRejected as err:
        if not args.json:
            raise
        print(json.dumps({"error": err.kind, "message": str(err), "rows": err.rows,
                          "exit_code": err.exit_code}, ensure_ascii=False, indent=1))
        print(f"Lỗi: {err}", file=sys.stderr)
        return err.exit_code
    if args.json:
        print(json.dumps({"added": result.added, "skipped": result.skipped,
                          "by_level": result.by_level}, ensure_ascii=False))
    else:
        print(units.import_summary(result))
    return 0
