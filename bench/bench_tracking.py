"""Theo dõi học tập at scale: progress page and results report export with ~10,000 units and
30,000 reports (medians of 5), against SQLite (default) or the database of ``--db-url``.

Usage: python bench/bench_tracking.py [--db-url URL] [--runs 5]. Builds a made-up province
(27 districts × 12 communes × 30 chi hội = 10,072 units) through the real import, 30,000
reports with random dates and counts (seed 0), then times:
- the progress page: ``AppTest`` rendering ``page_tracking.py`` as the organiser (every tab,
  the progress tab with tables and chart), and the library call alone (``progress`` + rows);
- the export: progress with every late unit listed + DOCX, and + XLSX, for the province.
Writes bench/out/tracking.md.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert  # noqa: E402

from app.tracking import access, campaign, export, sample, units, views  # noqa: E402
from app.tracking.db import Database, open_db  # noqa: E402
from app.tracking.models import Report, Unit  # noqa: E402
from app.tracking.progress import progress  # noqa: E402
from app.tracking.schedule import Proposal, ProposedRow  # noqa: E402
from ingest.settings import Settings  # noqa: E402

D = dt.date
SCHEDULE = (ProposedRow("tinh", "BCH Tỉnh hội", "½ ngày", D(2020, 8, 31), None, "kh", None, None, ""),
            ProposedRow("huyen", "BCH huyện Hội", "½ ngày", D(2020, 9, 15), None, "kh", None, None, ""),
            ProposedRow("xa", "BCH Hội xã", "½ ngày", D(2020, 10, 15), None, "kh", None, None, ""),
            ProposedRow("chi", "Chi hội", "½ ngày", D(2020, 10, 15), None, "kh", None, None, ""))


def timed(fn: Callable[[], object], runs: int) -> tuple[float, list[float]]:
    """Median and all times of ``runs`` calls."""
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), times


def build(db: Database, n_reports: int) -> tuple[int, float, int]:
    """Import the province, confirm a schedule, insert ``n_reports`` reports (seed 0)."""
    t0 = time.perf_counter()
    units.import_units(db, sample.province_csv(27, 12, 30), "tinh.csv")
    import_s = time.perf_counter() - t0
    proposal = Proposal("kh", "985-KH/HNDT", "Nghiên cứu, học tập, quán triệt Nghị quyết",
                        "Thanh Hóa", D(2020, 8, 31), D(2020, 12, 31), SCHEDULE)
    cid = campaign.create_campaign(db, access.organiser_cli(), proposal, confirm=True)
    rng = random.Random(0)
    with db.session() as s:
        ids = [i for (i,) in s.query(Unit.id)]
        rows = []
        for _ in range(n_reports):
            hv = rng.randint(5, 60)
            req = rng.randint(0, hv)
            rows.append({"campaign_id": cid, "unit_id": rng.choice(ids),
                         "held_on": D(2020, 8, 31) + dt.timedelta(days=rng.randint(0, 90)),
                         "form": rng.choice(["truc-tiep", "truc-tuyen"]),
                         "can_bo": rng.randint(0, 5), "dang_vien": rng.randint(0, 10),
                         "hoi_vien": hv, "thu_hoach_required": req,
                         "thu_hoach_written": rng.randint(0, req), "remarks": "",
                         "version": 1, "updated_by": "bench", "updated_at": dt.datetime(2020, 12, 1)})
        s.execute(insert(Report), rows)
    return cid, import_s, len(ids)


def page_render(settings: Settings) -> Callable[[], object]:
    """One AppTest run of the page as the organiser (the progress tab is computed and drawn)."""
    from streamlit.testing.v1 import AppTest

    os.environ.update({"HOCTAP_INDEX_DIR": str(settings.index_dir),
                       "HOCTAP_CORPUS_DIR": str(settings.corpus_dir)})
    if settings.db_url:
        os.environ["HOCTAP_DB_URL"] = settings.db_url
    at = AppTest.from_file(str(ROOT / "app" / "web" / "page_tracking.py"), default_timeout=120)
    at.session_state["tracking_actor"] = access.organiser_cli()
    at.session_state["t_as_of"] = D(2020, 10, 31)

    def run() -> object:
        at.run()
        assert not at.exception, at.exception
        assert any("Đơn vị chậm tiến độ" in m.value for m in at.markdown)
        return at

    run()  # first run imports and caches the page's modules and database
    return run


def main() -> None:
    """Build, measure, write bench/out/tracking.md."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--db-url")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--reports", type=int, default=30_000)
    args = ap.parse_args()
    base = Path(tempfile.mkdtemp(prefix="bench-tracking-"))
    settings = Settings(corpus_dir=base / "corpus", index_dir=base / "index", db_url=args.db_url,
                        embed_model="hash")
    (base / "corpus").mkdir()
    db = open_db(settings)
    cid, import_s, n_units = build(db, args.reports)
    c = campaign.get_campaign(db, cid)
    as_of = D(2020, 10, 31)

    def library() -> None:
        p = progress(db, c, as_of)
        views.level_rows(p), views.child_rows(p), views.behind_rows(p), views.chart_rows(p)

    def district() -> None:
        progress(db, c, as_of, "H07")

    full = progress(db, c, as_of, behind_limit=100_000)
    header = export.ReportHeader("Hội Nông dân tỉnh Thanh Hóa", place="Thanh Hóa")
    results = {
        "progress page, AppTest render (province)": timed(page_render(settings), args.runs),
        "progress, library only (province)": timed(library, args.runs),
        "progress, library only (one district)": timed(district, args.runs),
        "export DOCX (province, every late unit listed)": timed(lambda: export.to_docx(
            c, progress(db, c, as_of, behind_limit=100_000), header), args.runs),
        "export XLSX (province, every late unit listed)": timed(lambda: export.to_xlsx(
            c, progress(db, c, as_of, behind_limit=100_000), header), args.runs),
    }
    backend = "PostgreSQL" if args.db_url else "SQLite"
    lines = [f"# Theo dõi học tập at scale ({backend})\n",
             f"- {n_units} units, {args.reports} reports; late/overdue units as of "
             f"{as_of:%d/%m/%Y}: {full.behind_total}; import of the units file: {import_s:.1f} s",
             f"- medians of {args.runs} runs (targets: page ≤ 1 s, export ≤ 3 s); load average "
             f"at the end {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs\n",
             "| measure | median s | min | max |", "|---|---|---|---|"]
    for name, (med, times) in results.items():
        lines.append(f"| {name} | {med:.3f} | {min(times):.3f} | {max(times):.3f} |")
    text = "\n".join(lines) + "\n"
    out = ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    (out / f"tracking-{backend.lower()}.md").write_text(text, encoding="utf-8")
    print(text)
    db.dispose()


if __name__ == "__main__":
    main()
