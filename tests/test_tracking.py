"""Theo dõi học tập: units import, schedule proposed from the plan, reports with access codes,
audit and optimistic concurrency, progress, DOCX/XLSX results report, quiz counts, CLI.

Every database test runs on SQLite, and on PostgreSQL too when ``HOCTAP_TEST_PG_URL`` is set
(``make test`` starts a real server with ``.ci/with-postgres``).
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import os
import re
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import make_settings
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app.tracking import access, campaign, export, progress, quiz_results, reports, sample, units
from app.tracking.db import open_db
from app.tracking.errors import AccessDenied, ImportRejected, InvalidReport, NotFound, StaleEdit
from app.tracking.schedule import propose
from ingest.settings import Settings

PG_URL = os.environ.get("HOCTAP_TEST_PG_URL")
PLAN = "Kế hoạch 985-KH-HNDT học tập Nghị quyết 58.txt"
D = dt.date


def backends() -> list[str]:
    """SQLite always; PostgreSQL when a server is given."""
    return ["sqlite", "postgresql"] if PG_URL else ["sqlite"]


def test_postgres_is_not_skipped_in_ci() -> None:
    """In CI the PostgreSQL half of the tests must run, never be skipped silently."""
    if os.environ.get("CI") == "true":
        assert PG_URL, "CI=true but HOCTAP_TEST_PG_URL is not set: run under .ci/with-postgres"


@pytest.fixture(scope="session")
def pg_admin() -> Iterator[object]:
    """An engine on the server's maintenance connection (AUTOCOMMIT, to create databases)."""
    assert PG_URL
    engine = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    yield engine
    engine.dispose()


@pytest.fixture(params=backends())
def db_settings(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Settings]:
    """Settings whose tracking database is a fresh SQLite file or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        yield make_settings(tmp_path)
        return
    admin = request.getfixturevalue("pg_admin")
    name = "t_" + uuid.uuid4().hex[:16]
    with admin.connect() as c:
        c.execute(text(f"CREATE DATABASE {name}"))
    url = make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    yield make_settings(tmp_path, db_url=url)
    with admin.connect() as c:
        c.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))


@pytest.fixture
def db(db_settings: Settings) -> Iterator[object]:
    """The migrated tracking database."""
    database = open_db(db_settings)
    yield database
    database.dispose()


@pytest.fixture(scope="session")
def plan_passages(built_index: Settings) -> list[object]:
    """Passages of the library built from the shipped corpus and the plan's fixtures."""
    from app.knowledge import KnowledgeBase
    from ingest.embed.base import HashEmbedder

    return list(KnowledgeBase.open(built_index, HashEmbedder()).passages)


ORG = access.organiser_cli()


@pytest.fixture
def province(db: object, plan_passages: list[object]) -> int:
    """27 districts × 3 communes imported, the proposed schedule confirmed; the campaign id."""
    units.import_units(db, sample.province_csv(27, 3), "tinh.csv")
    return campaign.create_campaign(db, ORG, propose(plan_passages, PLAN), confirm=True)


def rep(day: D, cb: int = 3, dv: int = 5, hv: int = 20, req: int = 8, done: int = 6,
        form: str = "truc-tiep") -> reports.ReportInput:
    """A report input with sensible defaults."""
    return reports.ReportInput(day, form, cb, dv, hv, req, done, "")


# ---- schedule proposed from the plan ----------------------------------------------------------
@pytest.mark.parametrize("source, page", [(PLAN, None), ("ke-hoach-985-KH-HNDT.pdf", 5),
                                          ("ke-hoach-985-KH-HNDT-tcvn3.docx", None)])
def test_schedule_proposed_from_the_plan_is_cited(plan_passages: list[object], source: str,
                                                  page: int | None) -> None:
    p = propose(plan_passages, source)
    got = {r.level: r for r in p.rows}
    assert [r.level for r in p.rows] == ["tinh", "huyen", "xa", "chi"]
    assert got["tinh"].deadline == D(2020, 8, 31) and got["tinh"].form == "truc-tuyen"
    assert got["huyen"].deadline == D(2020, 9, 15)
    assert got["xa"].deadline == got["chi"].deadline == D(2020, 10, 15)
    assert {r.duration for r in p.rows} == {"½ ngày"}
    assert got["tinh"].participants.startswith("Ban Chấp hành Tỉnh hội, các đồng chí báo cáo viên")
    assert got["huyen"].participants == ("Ban Chấp hành huyện Hội, Chủ tịch, Phó Chủ tịch Hội "
                                         "Nông dân các xã, phường, thị trấn.")
    assert got["chi"].participants.startswith("Ban Chấp hành Hội xã, chi Hội trưởng")
    for r in p.rows:  # each row cites the passage that states it
        assert r.source == source and r.page == page
        assert r.section and r.section.startswith("III. KẾ HOẠCH HỌC TẬP")
        assert r.participants in r.quote and f"{r.deadline.day}/{r.deadline.month}/" in r.quote
    assert p.number == "985-KH/HNDT" and p.start == D(2020, 8, 31) and p.end == D(2020, 12, 31)


def test_schedule_extraction_is_general() -> None:
    """Another plan's wording: "chậm nhất ngày", "ngày 5 tháng 11 năm 2021", a level it lacks."""
    from ingest.records import Passage

    ps = [Passage("a", "kh.txt", 0, "- Thành phần: Ban Thường vụ huyện Hội.\n"
                  "- Thời gian: 01 buổi, chậm nhất ngày 05/11/2021.", "II › 1. Cấp huyện", 2,
                  "body"),
          Passage("b", "kh.txt", 1, "- Thành phần: toàn thể hội viên.\n- Thời gian: 01 buổi, "
                  "hoàn thành trước ngày 30 tháng 11 năm 2021.", "II › 2. Cấp xã", 3, "body")]
    rows = propose(ps, "kh.txt").rows
    assert [(r.level, r.deadline, r.duration, r.page) for r in rows] == [
        ("huyen", D(2021, 11, 5), "01 buổi", 2), ("xa", D(2021, 11, 30), "01 buổi", 3)]


def test_participants_named_in_a_clause_and_the_default_end_labelled() -> None:
    """A section without "Thành phần:" names its audience in a clause (a user review found the
    chi hội row's «thành phần» empty); the end date the plan does not state is called the
    default, with where it comes from."""
    from ingest.records import Passage

    ps = [Passage("a", "kh.docx", 0, "- Thành phần: Ban Chấp hành Hội Nông dân xã.\n- Thời gian: "
                  "01 buổi, hoàn thành trước ngày 25/12/2022.", "III › 2. Cấp xã, thị trấn", None,
                  "body"),
          Passage("b", "kh.docx", 1, "- Tổ chức sinh hoạt chuyên đề đến toàn thể hội viên nông "
                  "dân.\n- Thời gian: 02 giờ, hoàn thành trước ngày 31/01/2023.", "III › 3. Chi hội",
                  None, "body")]
    prop = propose(ps, "kh.docx")
    assert [(r.level, r.participants) for r in prop.rows] == [
        ("xa", "Ban Chấp hành Hội Nông dân xã."), ("chi", "toàn thể hội viên nông dân")]
    assert prop.end == D(2023, 12, 31)
    info = campaign.CampaignInfo(1, "x", "kh.docx", None, "x", "", prop.start, prop.end, True,
                                 prop.rows)
    assert info.period() == ("25/12/2022 – 31/12/2023; ngày kết thúc mặc định: cuối năm của hạn "
                             "cuối cùng 31/01/2023, để còn nhận báo cáo muộn")
    assert dataclasses.replace(info, end=D(2023, 3, 1)).period() == "25/12/2022 – 01/03/2023"


def test_campaign_confirmed_with_organiser_edits(db: object, plan_passages: list[object]) -> None:
    p = propose(plan_passages, PLAN)
    cid = campaign.create_campaign(db, ORG, p)
    assert not campaign.get_campaign(db, cid).confirmed
    rows = [campaign.edit_row(r, deadline=D(2020, 9, 20)) if r.level == "huyen" else r
            for r in p.rows]
    campaign.save_schedule(db, ORG, cid, rows)
    c = campaign.get_campaign(db)
    assert c.confirmed and c.deadline("huyen") == D(2020, 9, 20) and c.rows[1].quote
    with pytest.raises(InvalidReport, match="nằm ngoài đợt học tập"):
        campaign.save_schedule(db, ORG, cid, [campaign.edit_row(rows[0], deadline=D(2022, 1, 1))])
    assert campaign.get_campaign(db).deadline("tinh") == D(2020, 8, 31)  # nothing changed
    with pytest.raises(AccessDenied):
        campaign.save_schedule(db, access.Actor("unit", "x", 1), cid, rows)


# ---- units import -----------------------------------------------------------------------------
def test_import_province_csv_and_xlsx_template(db: object) -> None:
    result = units.import_units(db, sample.province_csv(27, 3), "tinh.csv")
    assert result.added == 109 and result.by_level == {"tinh": 1, "huyen": 27, "xa": 81}
    assert [u.code for u in units.children(db, "H05")] == ["H05-X01", "H05-X02", "H05-X03"]
    assert units.get_unit(db, "H05-X02").parent_code == "H05"
    # the XLSX template's example rows import as they are (into an empty tree they would)
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(units.template("xlsx")))
    assert [c.value for c in wb.active[1]] == list(units.HEADERS)
    csv_template = units.template("csv").decode("utf-8-sig")
    assert csv_template.splitlines()[0] == ",".join(units.HEADERS)


def test_xlsx_import_with_level_spellings(db: object) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Mã đơn vị", "Tên đơn vị", "Cấp", "Mã đơn vị cấp trên"])
    ws.append(["T", "Tỉnh hội", "tỉnh", None])
    ws.append(["X1", "Hội Nông dân phường Ba Đình", "Phường", "H1"])  # child before parent
    ws.append(["H1", "Hội Nông dân thị xã Bỉm Sơn", "Thị xã", "T"])
    ws.append(["C1", "Chi hội khu phố 1", "chi hoi", "X1"])
    ws.append([None, None, None, None])  # blank rows are ignored
    buf = io.BytesIO()
    wb.save(buf)
    assert units.import_units(db, buf.getvalue(), "don-vi.xlsx").by_level == {
        "tinh": 1, "xa": 1, "huyen": 1, "chi": 1}
    assert [u.code for u in units.children(db, "X1")] == ["C1"]


BAD = "Mã đơn vị,Tên đơn vị,Cấp,Mã đơn vị cấp trên\n"


@pytest.mark.parametrize("body, message", [
    ("T,Tỉnh,Tỉnh,\nH1,Huyện 1,Huyện,T\nH1,Huyện 1 lần nữa,Huyện,T\n",
     "Dòng 4: mã đơn vị H1 trùng với dòng 3"),
    ("T,Tỉnh,Tỉnh,\nH1,Huyện 1,Huyện,KHONGCO\n", "Dòng 3: không có đơn vị cấp trên mã KHONGCO"),
    ("T,Tỉnh,Tỉnh,\nH1,Huyện 1,Quận ủy,T\n", "Dòng 3: cấp \"Quận ủy\" không hợp lệ"),
    ("T,Tỉnh,Tỉnh,\nX1,Xã 1,Xã,T\n", "đơn vị cấp trên T là cấp tỉnh, phải là cấp huyện"),
    ("T,Tỉnh,Tỉnh,\n,Không mã,Huyện,T\n", "Dòng 3: thiếu mã đơn vị"),
])
def test_bad_units_file_changes_nothing(db: object, body: str, message: str) -> None:
    with pytest.raises(ImportRejected, match=message) as err:
        units.import_units(db, (BAD + body).encode(), "sai.csv")
    assert err.value.rows and units.count_units(db) == 0


@pytest.mark.parametrize("data, name, message", [
    (b"PK\x03\x04 not really a zip", "hong.xlsx", "không phải bảng tính XLSX"),
    ("Mã đơn vị,Tên đơn vị\nT,Tỉnh\n".encode(), "thieu-cot.csv", "thiếu cột Cấp, Mã đơn vị cấp trên"),
    ("Tên đơn;Cấp\n".encode("cp1258", "ignore"), "cp.csv", "không phải văn bản UTF-8"),
    (b"", "rong.csv", "không có dòng nào"),
    (b"abc", "don-vi.pdf", "chỉ nhận tệp .csv hoặc .xlsx"),
])
def test_malformed_spreadsheets_are_refused(db: object, data: bytes, name: str,
                                            message: str) -> None:
    with pytest.raises(ImportRejected, match=message):
        units.import_units(db, data, name)
    assert units.count_units(db) == 0


HUYEN = ("HH,Hội Nông dân huyện Hoằng Hóa,Huyện,\nHH-DAO,Hội Nông dân xã Hoằng Đạo,Xã,HH\n"
         "HH-LOC,Hội Nông dân xã Hoằng Lộc,Xã,HH\nHH-DAO-PL,Chi hội thôn Phúc Lộc,Chi hội,HH-DAO\n")


def test_units_tree_may_start_at_a_huyen(db: object) -> None:
    """A huyện Hội tracks its xã and chi hội: no tỉnh row needed; only the top level may lack
    a parent."""
    result = units.import_units(db, (BAD + HUYEN).encode(), "huyen.csv")
    assert result.by_level == {"huyen": 1, "xa": 2, "chi": 1}
    assert [u.code for u in units.children(db, None)] == ["HH"]
    assert [u.code for u in units.children(db, "HH-DAO")] == ["HH-DAO-PL"]
    with pytest.raises(ImportRejected, match="Dòng 2: thiếu mã đơn vị cấp trên của xã"):
        units.import_units(db, (BAD + "HH-BS,Thị trấn Bút Sơn,Xã,\n").encode(), "b.csv")
    with pytest.raises(ImportRejected, match="đã có đơn vị HH không có cấp trên"):
        units.import_units(db, (BAD + "TH,Tỉnh Thanh Hóa,Tỉnh,\n").encode(), "t.csv")
    assert units.count_units(db) == 4


def test_report_of_a_huyen_tree_is_issued_in_its_name(db: object,
                                                      plan_passages: list[object]) -> None:
    """With the huyện as the only top unit, the default report is the huyện's: its name in the
    header and the opening sentence, no Tỉnh row in the totals."""
    import docx

    units.import_units(db, (BAD + HUYEN).encode(), "huyen.csv")
    cid = campaign.create_campaign(db, ORG, propose(plan_passages, PLAN), confirm=True)
    c = campaign.get_campaign(db, cid)
    p = progress.progress(db, c, D(2020, 10, 31))
    assert p.root_code == "HH" and p.root_name == "Hội Nông dân huyện Hoằng Hóa"
    assert [lp.level for lp in p.levels] == ["huyen", "xa", "chi"] and p.total.units == 4
    header = export.ReportHeader(p.root_name, place="Hoằng Hóa", date=D(2020, 11, 2))
    d = docx.Document(io.BytesIO(export.to_docx(c, p, header)))
    assert d.tables[0].cell(0, 0).text == "HỘI NÔNG DÂN HUYỆN HOẰNG HÓA"
    body = "\n".join(par.text for par in d.paragraphs)
    assert ", Hội Nông dân huyện Hoằng Hóa báo cáo kết quả" in body
    levels = [row.cells[0].text for row in d.tables[1].rows]
    assert levels == ["Cấp", "Huyện, thị, thành", "Xã, phường, thị trấn", "Chi hội", "Tổng cộng"]


def test_second_import_rejects_existing_codes_all_or_nothing(db: object) -> None:
    units.import_units(db, sample.province_csv(2, 1), "a.csv")
    body = "H03,Huyện 3,Huyện,TINH\nH01,Huyện 1 trùng,Huyện,TINH\nH02-X01,Xã 1,Xã,H01\n"
    with pytest.raises(ImportRejected) as err:
        units.import_units(db, (BAD + body).encode(), "b.csv")
    assert err.value.rows == [
        "Dòng 3: mã đơn vị H01 đã có trong cơ sở dữ liệu nhưng khác tệp (tên «Hội Nông dân "
        "huyện số 1», tệp ghi «Huyện 1 trùng»): sửa dòng này cho khớp (đổi tên ở «Sửa tên đơn "
        "vị») hoặc bỏ dòng này khỏi tệp.",
        "Dòng 4: mã đơn vị H02-X01 đã có trong cơ sở dữ liệu nhưng khác tệp (tên «Hội Nông dân "
        "xã số 1 huyện số 2», tệp ghi «Xã 1»; cấp trên H02, tệp ghi H01): sửa dòng này cho khớp "
        "(đổi tên ở «Sửa tên đơn vị») hoặc bỏ dòng này khỏi tệp."]
    assert units.count_units(db) == 5  # H03 was not added either
    with pytest.raises(NotFound):
        units.get_unit(db, "H03")


def test_reimport_of_the_updated_list_adds_only_the_new_units(db: object) -> None:
    """The same list with new rows: units already there with the same data are skipped."""
    units.import_units(db, sample.province_csv(2, 1), "a.csv")
    result = units.import_units(db, sample.province_csv(3, 2), "b.csv")
    assert (result.added, result.skipped) == (5, 5)
    assert result.by_level == {"huyen": 1, "xa": 4}  # H03, its 2 communes, X02 of H01 and H02
    assert units.count_units(db) == 10
    assert units.get_unit(db, "H03-X02").parent_code == "H03"
    again = units.import_units(db, sample.province_csv(3, 2), "b.csv")
    assert (again.added, again.skipped, again.by_level) == (0, 10, {})


# ---- reports, access, audit, concurrency --------------------------------------------------------
def test_units_write_only_their_own_reports(db: object, province: int) -> None:
    codes = access.issue_codes(db, ["H01", "H02"])
    assert units.get_unit(db, "H01")  # the plain code is not stored
    h01 = access.login_unit(db, "H01", codes["H01"].lower())  # codes are case-insensitive
    with pytest.raises(AccessDenied, match="không đúng"):
        access.login_unit(db, "H01", codes["H02"])
    rid = reports.submit(db, h01, province, "H01", rep(D(2020, 9, 10)))
    with pytest.raises(AccessDenied, match="không được ghi báo cáo của đơn vị H02"):
        reports.submit(db, h01, province, "H02", rep(D(2020, 9, 10)))
    h02 = access.login_unit(db, "H02", codes["H02"])
    with pytest.raises(AccessDenied):
        reports.update(db, h02, rid, rep(D(2020, 9, 11)), 1)
    with pytest.raises(AccessDenied):  # a district does not file for its communes
        reports.submit(db, h01, province, "H01-X01", rep(D(2020, 9, 10)))
    assert reports.get_report(db, ORG, rid).data.held_on == D(2020, 9, 10)


def test_login_organiser(db_settings: Settings) -> None:
    from dataclasses import replace

    with pytest.raises(AccessDenied, match="HOCTAP_ADMIN_PASSWORD"):
        access.login_organiser(db_settings, "x")
    s = replace(db_settings, admin_password="mật khẩu")
    assert access.login_organiser(s, "mật khẩu").is_organiser
    with pytest.raises(AccessDenied, match="không đúng"):
        access.login_organiser(s, "sai")


@pytest.mark.parametrize("data, message", [
    (rep(D(2020, 8, 1)), "Ngày học tập 01/08/2020 nằm ngoài đợt học tập"),
    (rep(D(2021, 1, 5)), "nằm ngoài đợt học tập"),
    (rep(D(2020, 9, 1), hv=-3), "Số hội viên phải là số nguyên không âm"),
    (rep(D(2020, 9, 1), cb=1, dv=1, hv=1, req=5, done=2),
     r"Số phải viết thu hoạch \(5\) nhiều hơn số người tham gia \(3\)"),
    (rep(D(2020, 9, 1), req=4, done=6), r"Số đã viết thu hoạch \(6\) nhiều hơn số phải viết"),
    (rep(D(2020, 9, 1), cb=0, dv=0, hv=0, req=0, done=0), "ít nhất một người"),
    (rep(D(2020, 9, 1), form="qua thư"), "trực tiếp hoặc trực tuyến"),
])
def test_impossible_reports_change_nothing(db: object, province: int, data: reports.ReportInput,
                                           message: str) -> None:
    rid = reports.submit(db, ORG, province, "H03", rep(D(2020, 9, 5)))
    with pytest.raises(InvalidReport, match=message):
        reports.submit(db, ORG, province, "H03", data)
    with pytest.raises(InvalidReport, match=message):
        reports.update(db, ORG, rid, data, 1)
    stored = reports.reports_of(db, ORG, province, "H03")
    assert [(r.data, r.version) for r in stored] == [(rep(D(2020, 9, 5)), 1)]
    assert [a.action for a in reports.audit_trail(db, rid)] == ["create"]


def test_stale_edit_is_refused_and_audited_changes_kept(db: object, province: int) -> None:
    codes = access.issue_codes(db, ["H04"])
    h04 = access.login_unit(db, "H04", codes["H04"])
    rid = reports.submit(db, h04, province, "H04", rep(D(2020, 9, 10)))
    assert reports.update(db, h04, rid, rep(D(2020, 9, 10), done=7), 1) == 2
    stored = reports.get_report(db, ORG, rid).updated_at  # UTC; users read Vietnam time
    shown = f"{stored + dt.timedelta(hours=7):%H:%M %d/%m/%Y} (giờ Việt Nam)"
    with pytest.raises(StaleEdit, match=rf"đã được H04 .* sửa lúc {re.escape(shown)} .*phiên bản 2"):
        reports.update(db, ORG, rid, rep(D(2020, 9, 12), done=1), 1)
    assert reports.get_report(db, ORG, rid).data.thu_hoach_written == 7
    trail = reports.audit_trail(db, rid)
    assert [a.action for a in trail] == ["update", "create"]
    assert all(a.actor.startswith("H04 (") and a.at for a in trail)
    assert json.loads(trail[0].detail)["thu_hoach_written"] == 7


def test_saving_the_same_report_again_adds_nothing(db: object, province: int) -> None:
    """Submitting the same figures again (a second click on «Lưu báo cáo») adds no report; a
    report that differs in any field is a new session."""
    rid = reports.submit(db, ORG, province, "H05", rep(D(2020, 9, 10)))
    assert reports.submit(db, ORG, province, "H05", rep(D(2020, 9, 10))) == rid
    assert [a.action for a in reports.audit_trail(db, rid)] == ["create"]
    other = reports.submit(db, ORG, province, "H05", rep(D(2020, 9, 10), hv=21))
    assert other != rid and len(reports.reports_of(db, ORG, province, "H05")) == 2
    assert reports.submit(db, ORG, province, "H06", rep(D(2020, 9, 10))) not in (rid, other)


def test_fifty_concurrent_submissions_lose_nothing(db: object, province: int) -> None:
    """50 threads, each its own session: 25 add reports, 25 edit one report from version 1.
    Every addition is stored; exactly one edit of the shared version wins, the others are told."""
    shared = reports.submit(db, ORG, province, "H01", rep(D(2020, 9, 1)))
    targets = [u.code for d in ("H02", "H03", "H04", "H05", "H06", "H07", "H08", "H09", "H10")
               for u in units.children(db, d)][:25]
    outcomes: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(50)

    def add(code: str) -> None:
        start.wait()
        reports.submit(db, ORG, province, code, rep(D(2020, 9, 20)))
        with lock:
            outcomes.append("added")

    def edit(i: int) -> None:
        start.wait()
        try:
            reports.update(db, ORG, shared, rep(D(2020, 9, 1), done=i % 7), 1)
            result = f"won {i % 7}"
        except StaleEdit:
            result = "stale"
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=add, args=(c,)) for c in targets]
    threads += [threading.Thread(target=edit, args=(i,)) for i in range(25)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert len(outcomes) == 50 and outcomes.count("added") == 25
    won = [o for o in outcomes if o.startswith("won")]
    assert len(won) == 1 and outcomes.count("stale") == 24
    final = reports.get_report(db, ORG, shared)
    assert final.version == 2 and f"won {final.data.thu_hoach_written}" == won[0]
    c = campaign.get_campaign(db, province)
    p = progress.progress(db, c, D(2020, 12, 31))
    assert p.total.sessions == 26  # 25 additions + the shared report
    assert len(reports.audit_trail(db, limit=1000)) == 1 + 25 + 1 + 1  # campaign, adds, edit


# ---- progress, results report, quiz ---------------------------------------------------------------
def _story(db: object, cid: int) -> None:
    """H01 on time, H02 late, H01-X01 on time with two sessions, quiz rounds for H01-X02."""
    reports.submit(db, ORG, cid, "H01", rep(D(2020, 9, 10), cb=4, dv=6, hv=10, req=10, done=9))
    reports.submit(db, ORG, cid, "H02", rep(D(2020, 9, 20), cb=2, dv=3, hv=5, req=5, done=5))
    reports.submit(db, ORG, cid, "H01-X01", rep(D(2020, 10, 1), cb=1, dv=2, hv=30, req=3, done=3))
    reports.submit(db, ORG, cid, "H01-X01", rep(D(2020, 10, 20), cb=0, dv=0, hv=40, req=0, done=0))
    quiz_results.record_quiz(db, "H01-X02", 10, 8)
    quiz_results.record_quiz(db, "H01-X02", 10, 6)


def test_progress_per_level_and_drill_down(db: object, province: int) -> None:
    _story(db, province)
    c = campaign.get_campaign(db, province)
    p = progress.progress(db, c, D(2020, 9, 30))  # before the communes' deadline
    lv = {x.level: x.tally for x in p.levels}
    assert (lv["huyen"].on_time, lv["huyen"].late, lv["huyen"].overdue) == (1, 1, 25)
    assert (lv["xa"].on_time, lv["xa"].pending, lv["xa"].overdue) == (0, 81, 0)  # 1/10 not yet
    assert lv["tinh"].overdue == 1 and p.root_code == "TINH"
    assert p.total.participants == 30 and p.total.thu_hoach_rate == pytest.approx(14 / 15)
    assert p.behind_total == 27 and {b.code for b in p.behind} >= {"TINH", "H02", "H03"}
    assert "H01" not in {b.code for b in p.behind}
    late = progress.progress(db, c, D(2020, 10, 16))  # after it: communes with nothing overdue
    lv = {x.level: x.tally for x in late.levels}
    assert (lv["xa"].on_time, lv["xa"].overdue) == (1, 80)
    assert late.total.sessions == 3  # the session of 20/10 is after "as of"
    drill = progress.progress(db, c, D(2020, 10, 31), "H01")
    assert drill.root_status == "on_time"
    assert [(ch.code, ch.status) for ch in drill.children] == [
        ("H01-X01", "on_time"), ("H01-X02", "overdue"), ("H01-X03", "overdue")]
    x1 = drill.children[0].tally
    assert (x1.sessions, x1.hoi_vien, x1.participants) == (2, 70, 73)
    x2 = drill.children[1].tally
    assert (x2.quiz_rounds, x2.quiz_score) == (2, pytest.approx(0.7))
    assert drill.total.quiz_rounds == 2 and drill.total.units == 4
    top = {ch.code: ch for ch in progress.progress(db, c, D(2020, 10, 31)).children}
    assert len(top) == 27 and top["H01"].tally.units == 4 and top["H01"].tally.on_time == 2
    with pytest.raises(InvalidReport):
        quiz_results.record_quiz(db, "H01", 5, 6)


def test_results_report_docx_and_xlsx_figures(db: object, province: int) -> None:
    import docx
    from openpyxl import load_workbook

    _story(db, province)
    c = campaign.get_campaign(db, province)
    p = progress.progress(db, c, D(2020, 10, 31))
    header = export.ReportHeader("Hội Nông dân tỉnh Thanh Hóa", "Số: 12/BC-HNDT", "Thanh Hóa",
                                 D(2020, 11, 2))
    d = docx.Document(io.BytesIO(export.to_docx(c, p, header)))
    sec = d.sections[0]
    assert round(sec.page_width.cm, 1) == 21.0 and round(sec.page_height.cm, 1) == 29.7
    head = [cell.text for row in d.tables[0].rows for cell in row.cells]
    assert head == ["HỘI NÔNG DÂN TỈNH THANH HÓA", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                    "Số: 12/BC-HNDT", "Độc lập - Tự do - Hạnh phúc"]
    body = "\n".join(par.text for par in d.paragraphs)
    assert "Thanh Hóa, ngày 2 tháng 11 năm 2020" in body and "BÁO CÁO" in body
    assert "Kết quả nghiên cứu, học tập, quán triệt và triển khai thực hiện Nghị quyết" in body
    levels = [[cell.text for cell in row.cells] for row in d.tables[1].rows]
    assert levels[0][:5] == ["Cấp", "Hạn hoàn thành", "Số đơn vị", "Đúng hạn", "Trễ hạn"]
    assert levels[2][:7] == ["Huyện, thị, thành", "15/09/2020", "27", "1", "1", "25", "0"]
    assert levels[-1][0] == "Tổng cộng" and levels[-1][2] == "109"
    assert levels[-1][10] == "103" and levels[-1][13] == "94,4%"  # 17/18 thu hoạch
    wb = load_workbook(io.BytesIO(export.to_xlsx(c, p, header)))
    rows = [list(r) for r in wb["Theo cấp"].iter_rows(min_row=3, values_only=True)]
    assert rows[-1][:5] == ["Tổng cộng", None, 109, 2, 1] and rows[-1][10] == 103
    unit_rows = {r[0]: r for r in wb["Đơn vị"].iter_rows(min_row=2, values_only=True)}
    assert len(unit_rows) == 27 and unit_rows["H01"][2] == "Đúng hạn" and unit_rows["H01"][3] == 4
    late = {r[0] for r in wb["Chậm"].iter_rows(min_row=2, values_only=True)}
    assert {"H02", "H03", "H01-X02"} <= late and "H01" not in late


def test_xlsx_dates_are_dates_shown_the_same_way_on_every_sheet(db: object,
                                                                province: int) -> None:
    """Deadlines on «Theo cấp» and «Chậm» (and session days) are real dates shown dd/mm/yyyy,
    none is text."""
    from openpyxl import load_workbook

    _story(db, province)
    c = campaign.get_campaign(db, province)
    p = progress.progress(db, c, D(2020, 10, 31))
    wb = load_workbook(io.BytesIO(export.to_xlsx(c, p, export.ReportHeader("Tỉnh"))))
    dates = [cell for ws in wb for row in ws.iter_rows() for cell in row
             if isinstance(cell.value, dt.date)]
    assert {cell.parent.title for cell in dates} == {"Theo cấp", "Chậm"}
    assert {cell.number_format for cell in dates} == {"dd/mm/yyyy"}
    assert wb["Theo cấp"]["B5"].value == dt.datetime(2020, 9, 15)
    text_dates = [cell.value for ws in wb for row in ws.iter_rows(min_row=3) for cell in row
                  if isinstance(cell.value, str) and re.search(r"\d+[/-]\d+[/-]\d{4}", cell.value)]
    assert text_dates == []


def test_open_db_migrates_once_and_reopens(db_settings: Settings) -> None:
    first = open_db(db_settings)
    units.import_units(first, sample.province_csv(1, 1), "a.csv")
    first.dispose()
    again = open_db(db_settings)  # upgrading an up-to-date database is a no-op
    assert units.count_units(again) == 3
    with again.engine.connect() as c:
        assert c.execute(text("select version_num from alembic_version")).scalar() == "0001"
    again.dispose()


def test_default_database_is_sqlite_in_the_index_folder(tmp_path: Path) -> None:
    from app.tracking.db import database_url

    s = make_settings(tmp_path)
    assert database_url(s) == f"sqlite:///{s.index_dir / 'tracking.sqlite'}"
    assert Settings.from_env({"HOCTAP_DB_URL": "postgresql+psycopg://h/db"}).db_url == \
        "postgresql+psycopg://h/db"


# ---- command line ---------------------------------------------------------------------------------
def test_cli_import_confirm_codes_and_report(tmp_path: Path, built_index: Settings,
                                             monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    import docx

    from app.cli import main

    monkeypatch.setenv("HOCTAP_DB_URL", f"sqlite:///{tmp_path / 'tracking.sqlite'}")
    monkeypatch.setenv("HOCTAP_COLLECTION", built_index.collection)
    monkeypatch.setenv("HOCTAP_INDEX_DIR", str(built_index.index_dir))
    bad = tmp_path / "sai.csv"
    bad.write_text(BAD + "T,Tỉnh,Tỉnh,\nT,Tỉnh 2,Tỉnh,\n", encoding="utf-8")
    assert main(["units", "import", str(bad), "--json"]) == 2
    out = json.loads(capsys.readouterr().out)
    assert out["error"] == "import_rejected" and out["rows"] == [
        "Dòng 3: mã đơn vị T trùng với dòng 2."]
    good = tmp_path / "tinh.csv"
    good.write_bytes(sample.province_csv(27, 3))
    assert main(["units", "import", str(good), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"added": 109, "skipped": 0, "by_level": {
        "tinh": 1, "huyen": 27, "xa": 81}}
    good.write_bytes(sample.province_csv(28, 3))  # the updated list: one more district
    assert main(["units", "import", str(good)]) == 0
    assert capsys.readouterr().out.strip() == ("Đã nhập 4 đơn vị (1 huyện, thị, thành, 3 xã, "
                                               "phường, thị trấn); 109 đơn vị đã có, bỏ qua.")
    assert main(["campaign", "propose", "--source", "985-KH/HNDT", "--json"]) == 0
    proposed = json.loads(capsys.readouterr().out)
    assert [r["deadline"] for r in proposed["rows"]] == ["2020-08-31", "2020-09-15",
                                                         "2020-10-15", "2020-10-15"]
    assert main(["campaign", "confirm", "--source", "985-KH/HNDT", "--deadline",
                 "huyen=20/9/2020"]) == 0
    assert "Huyện, thị, thành: hạn 20/09/2020" in capsys.readouterr().out
    assert main(["units", "codes", "H01", "--json"]) == 0
    assert list(json.loads(capsys.readouterr().out)) == ["H01"]
    export_to = tmp_path / "bao-cao.docx"
    assert main(["report", "--unit", "H01", "--as-of", "1/10/2020", "--export", str(export_to),
                 "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["unit"] == "H01" and figures["status"] == "overdue"
    assert figures["total"]["units"] == 4 and figures["behind_total"] == 1
    text = "\n".join(p.text for p in docx.Document(str(export_to)).paragraphs)
    assert "BÁO CÁO" in text and "tính đến ngày 01/10/2020" in text
    assert main(["report", "--unit", "KHONGCO", "--json"]) == 2
    assert json.loads(capsys.readouterr().out)["error"] == "not_found"
    assert main(["campaign", "show", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["confirmed"] and shown["rows"][1]["deadline"] == "2020-09-20"
    template = tmp_path / "mau.xlsx"
    assert main(["units", "template", str(template)]) == 0
    assert units.read_table(template.read_bytes(), template.name)[0].code == "TH"


def test_rename_unit(db: object) -> None:
    units.import_units(db, sample.province_csv(1, 1), "a.csv")
    units.rename_unit(db, "H01", "  Hội Nông dân thị xã Nghi Sơn ")
    assert units.get_unit(db, "H01").name == "Hội Nông dân thị xã Nghi Sơn"
    with pytest.raises(ImportRejected, match="không được để trống"):
        units.rename_unit(db, "H01", "  ")
    with pytest.raises(NotFound):
        units.rename_unit(db, "H99", "x")


def test_default_campaign_name_does_not_repeat_the_study_verb() -> None:
    """A user review found «Học tập Nghiên cứu, học tập, quán triệt …»: a subject that already
    says what is done with the resolution names the campaign as it is."""
    from app.tracking.campaign import default_name
    assert default_name("Nghiên cứu, học tập, quán triệt Nghị quyết 58") \
        == "Nghiên cứu, học tập, quán triệt Nghị quyết 58"
    assert default_name("học tập Nghị quyết 09") == "Học tập Nghị quyết 09"
    assert default_name("Nghị quyết số 58-NQ/TW") == "Học tập Nghị quyết số 58-NQ/TW"
