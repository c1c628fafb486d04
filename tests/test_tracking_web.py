"""The "Theo dõi học tập" page driven by Streamlit's AppTest: organiser imports units, confirms
the proposed schedule and issues codes; a unit logs in with its code and files a report."""
from __future__ import annotations

import html
import json
import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from app.tracking import sample
from ingest.settings import Settings

PAGE = Path(__file__).resolve().parent.parent / "app" / "web" / "page_tracking.py"


@pytest.fixture
def app_env(built_index: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """A private copy of the built index; the tracking database lands in its folder."""
    shutil.copytree(built_index.corpus_dir, tmp_path / "corpus")
    shutil.copytree(built_index.index_dir, tmp_path / "index")
    for var, value in {"HOCTAP_CORPUS_DIR": tmp_path / "corpus",
                       "HOCTAP_INDEX_DIR": tmp_path / "index",
                       "HOCTAP_COLLECTION": built_index.collection, "HOCTAP_EMBED_MODEL": "hash",
                       "HOCTAP_ADMIN_PASSWORD": "bí mật"}.items():
        monkeypatch.setenv(var, str(value))
    monkeypatch.delenv("HOCTAP_CHROMA_URL", raising=False)
    monkeypatch.delenv("HOCTAP_DB_URL", raising=False)
    return built_index


def page() -> AppTest:
    at = AppTest.from_file(str(PAGE), default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return at


def texts(at: AppTest) -> str:
    """Every text the page shows (markdown, alerts, tables)."""
    parts = [e.value for e in (*at.markdown, *at.success, *at.error, *at.info, *at.caption)]
    parts += [t.value.to_string() for t in at.table]
    return html.unescape("\n".join(str(p) for p in parts))


def table_cells(table):  # noqa: ANN001, ANN201 (an AppTest table element -> its DataFrame)
    """A table's cells as the browser shows them: ``st.table`` reads cells as Markdown, so the
    page escapes their text (``render.table_md``) and the browser decodes it (the word joiner
    that stops a link being made is invisible)."""
    return table.value.map(
        lambda v: html.unescape(v).replace("\u2060", "") if isinstance(v, str) else v)


def click(at: AppTest, key: str) -> AppTest:
    at.button(key=key).click().run()
    assert not at.exception, at.exception
    return at


def test_organiser_and_units_on_the_page(app_env: Settings, tmp_path: Path) -> None:
    at = page()
    at.radio(key="tracking_role").set_value("Ban tổ chức").run()
    at.text_input(key="t_org_pw").set_value("sai")
    at.button[0].click().run()
    assert "Mật khẩu ban tổ chức không đúng" in texts(at)
    at.text_input(key="t_org_pw").set_value("bí mật")
    at.button[0].click().run()
    assert "Đang đăng nhập: **Ban tổ chức**" in texts(at)
    # a faulty file is refused by row, nothing imported
    at.file_uploader[0].upload("sai.csv", b"Ma don vi,Ten don vi,Cap,Ma don vi cap tren\n"
                               b"T,Tinh,Tinh,\nT,Tinh,Tinh,\n", "text/csv").run()
    click(at, "t_import")
    assert "Dòng 3: mã đơn vị T trùng với dòng 2" in texts(at)
    assert "Hiện có **0** đơn vị" in texts(at)
    at.file_uploader[0].upload("tinh.csv", sample.province_csv(27, 3), "text/csv").run()
    click(at, "t_import")
    assert "Đã nhập 109 đơn vị" in texts(at) and "Hiện có **109** đơn vị" in texts(at)
    # the proposed schedule, cited, confirmed
    shown = texts(at)
    assert "15/09/2020" in shown and "15/10/2020" in shown and "58.txt, III. KẾ HOẠCH HỌC TẬP, QUÁN TRIỆT › 2." in shown
    click(at, "t_confirm")
    assert "Đã xác nhận lịch" in texts(at) and "Lịch đã xác nhận" in texts(at)
    at.text_input(key="t_codes_for").set_value("H01, H02").run()
    click(at, "t_issue")
    codes = dict(table_cells(at.table[-1]).values.tolist())
    assert set(codes) == {"H01", "H02"}
    assert "Đơn vị chậm tiến độ: 109" in texts(at)  # as of today every unit is past its date
    click(at, "tracking_logout")
    # H01 files its own report; it has no way to name another unit
    at.radio(key="tracking_role").set_value("Đơn vị báo cáo").run()
    at.text_input(key="t_unit_code").set_value("H01")
    at.text_input(key="t_unit_pw").set_value(codes["H02"])
    at.button[0].click().run()
    assert "Mã đơn vị hoặc mã truy cập không đúng" in texts(at)
    at.text_input(key="t_unit_code").set_value("H01")
    at.text_input(key="t_unit_pw").set_value(codes["H01"])
    at.button[0].click().run()
    assert "Hội Nông dân huyện số 1" in texts(at)
    assert not [t for t in at.text_input if t.key == "t_r_unit"]
    import datetime as dt

    _field(at, "date_input", "Ngày học tập").set_value(dt.date(2020, 9, 10))
    _field(at, "number_input", "Hội viên").set_value(30)
    _field(at, "number_input", "Số phải viết thu hoạch").set_value(40)
    at.button[-1].click().run()
    assert "Số phải viết thu hoạch (40) nhiều hơn số người tham gia (30)" in texts(at)
    _field(at, "date_input", "Ngày học tập").set_value(dt.date(2020, 9, 10))
    _field(at, "number_input", "Hội viên").set_value(30)
    _field(at, "number_input", "Số phải viết thu hoạch").set_value(20)
    _field(at, "number_input", "Số đã viết thu hoạch").set_value(18)
    at.button[-1].click().run()
    assert not at.exception, at.exception
    assert "Đã lưu báo cáo" in texts(at)
    assert "Đơn vị chậm tiến độ: 3" in texts(at)  # H01's subtree: its 3 communes
    # edit it: the form is filled from the stored report, the change is audited
    at.selectbox(key="t_pick_H01").set_value(1).run()
    assert _field(at, "number_input", "Số đã viết thu hoạch").value == 18
    _field(at, "number_input", "Số đã viết thu hoạch").set_value(19)
    at.button[-1].click().run()
    assert "Đã lưu báo cáo" in texts(at)
    at.selectbox(key="t_pick_H01").set_value(1).run()
    trail = table_cells(at.table[-1])
    assert list(trail["Việc"]) == ["sửa báo cáo", "tạo báo cáo"] and trail["Người"][0].startswith("H01 (")


def test_quiz_round_counted_for_the_chosen_unit(app_env: Settings, tmp_path: Path) -> None:
    """On the Ôn tập page a member picks their unit; the round appears in its progress."""
    import datetime as dt

    from app.tracking import access, campaign, progress, units
    from app.tracking.db import open_db
    from app.tracking.schedule import Proposal, ProposedRow

    db = open_db(Settings(index_dir=tmp_path / "index"))
    units.import_units(db, sample.province_csv(2, 1), "tinh.csv")
    row = ProposedRow("xa", "hội viên", "½ ngày", dt.date(2020, 10, 15), None, "kh", None, None, "")
    cid = campaign.create_campaign(db, access.organiser_cli(), Proposal(
        "kh", None, "Kế hoạch", "Thanh Hóa", dt.date(2020, 9, 1), dt.date(2020, 12, 31), (row,)))
    at = AppTest.from_file(str(PAGE.parent / "page_quiz.py"), default_timeout=60).run()
    at.number_input[0].set_value(2)
    at.multiselect[2].set_value(["tf"])
    at.button[0].click().run()
    items = at.session_state["quiz_items"]
    for k, item in enumerate(items):  # both right
        at.radio(key=f"a{k}").set_value("Đúng" if item.answer else "Sai").run()
        at.button(key=f"check{k}").click().run()
        at.button(key=f"next{k}").click().run()
    assert not at.exception, at.exception
    at.selectbox(key="quiz_unit").set_value("H02-X01").run()
    click(at, "quiz_count")
    assert "Đã tính kết quả cho đơn vị" in texts(at)
    at.run()
    assert not [b for b in at.button if b.key == "quiz_count"]  # counted once per round
    p = progress.progress(db, campaign.get_campaign(db, cid), dt.date(2020, 11, 1), "H02")
    assert (p.total.quiz_rounds, p.total.quiz_questions, p.total.quiz_correct) == (1, 2, 2)
    db.dispose()


def _campaign_with_report(tmp_path: Path, *, chi: int = 0) -> tuple[str, int]:
    """Two districts (one commune each, ``chi`` chi hội each) in the page's database, a
    confirmed schedule, H01's access code and one report of H01 (12 + 8 + 150, 18/20 thu
    hoạch); returns the code and the campaign id."""
    import datetime as dt

    from app.tracking import access, campaign, reports, units
    from app.tracking.db import open_db
    from app.tracking.schedule import Proposal, ProposedRow

    db = open_db(Settings(index_dir=tmp_path / "index"))
    units.import_units(db, sample.province_csv(2, 1, chi), "tinh.csv")
    rows = tuple(ProposedRow(lv, "hội viên", "½ ngày", dt.date(2020, 10, 15), None, "kh", None,
                             None, "") for lv in ("tinh", "huyen", "xa", "chi"))
    cid = campaign.create_campaign(db, access.organiser_cli(), Proposal(
        "kh", None, "Kế hoạch", "Thanh Hóa", dt.date(2020, 9, 1), dt.date(2020, 12, 31), rows),
        confirm=True)
    code = access.issue_codes(db, ["H01"])["H01"]
    reports.submit(db, access.organiser_cli(), cid, "H01", reports.ReportInput(
        dt.date(2020, 9, 10), "truc-tuyen", 12, 8, 150, 20, 18, "Sôi nổi"))
    db.dispose()
    return code, cid


def _stored(tmp_path: Path, cid: int) -> list[object]:
    from app.tracking import access, reports
    from app.tracking.db import open_db

    db = open_db(Settings(index_dir=tmp_path / "index"))
    try:
        return reports.reports_of(db, access.organiser_cli(), cid, "H01")
    finally:
        db.dispose()


def _field(at: AppTest, kind: str, label: str) -> object:
    """The one widget of ``kind`` (``number_input`` …) whose label is ``label``."""
    found = [w for w in getattr(at, kind) if w.label == label]
    assert len(found) == 1, (label, [w.label for w in getattr(at, kind)])
    return found[0]


def _save(at: AppTest) -> AppTest:
    next(b for b in at.button if b.label == "Lưu báo cáo").click().run()
    assert not at.exception, at.exception
    return at


def test_editing_a_report_starts_from_its_saved_values(app_env: Settings, tmp_path: Path) -> None:
    """A unit that logs in and picks «báo cáo số 1» sees the stored figures, and changing one
    keeps the others; the change log shows Vietnam time."""
    import datetime as dt

    code, cid = _campaign_with_report(tmp_path)
    at = page()
    at.text_input(key="t_unit_code").set_value("H01")
    at.text_input(key="t_unit_pw").set_value(code)
    at.button[0].click().run()
    at.selectbox(key="t_pick_H01").set_value(1).run()
    assert not at.exception, at.exception
    assert _field(at, "date_input", "Ngày học tập").value == dt.date(2020, 9, 10)
    assert _field(at, "radio", "Hình thức").value == "truc-tuyen"
    assert [_field(at, "number_input", n).value for n in (
        "Cán bộ", "Đảng viên", "Hội viên", "Số phải viết thu hoạch", "Số đã viết thu hoạch")] == [
        12, 8, 150, 20, 18]
    assert _field(at, "text_area", "Nhận xét, kiến nghị").value == "Sôi nổi"
    _field(at, "number_input", "Cán bộ").set_value(13)
    _save(at)
    assert "Đã lưu báo cáo" in texts(at)
    [saved] = _stored(tmp_path, cid)
    assert saved.version == 2 and saved.data.participants == 13 + 8 + 150
    assert (saved.data.thu_hoach_written, saved.data.thu_hoach_required) == (18, 20)
    assert saved.data.held_on == dt.date(2020, 9, 10) and saved.data.remarks == "Sôi nổi"
    trail = table_cells(at.table[-1])
    assert list(trail["Việc"]) == ["sửa báo cáo", "tạo báo cáo"]
    at_vn = saved.updated_at + dt.timedelta(hours=7)
    assert trail["Lúc (giờ Việt Nam)"][0] == f"{at_vn:%H:%M %d/%m/%Y}"


def test_saving_a_new_report_twice_adds_it_once(app_env: Settings, tmp_path: Path) -> None:
    """After «Lưu báo cáo» the form edits the saved report, so a second click adds nothing."""
    import datetime as dt

    code, cid = _campaign_with_report(tmp_path)
    at = page()
    at.text_input(key="t_unit_code").set_value("H01")
    at.text_input(key="t_unit_pw").set_value(code)
    at.button[0].click().run()
    assert at.selectbox(key="t_pick_H01").value is None  # «— thêm buổi mới —»
    _field(at, "date_input", "Ngày học tập").set_value(dt.date(2020, 9, 20))
    _field(at, "number_input", "Hội viên").set_value(30)
    _save(at)
    assert "Đã lưu báo cáo số 2" in texts(at)
    assert at.selectbox(key="t_pick_H01").value == 2
    assert _field(at, "number_input", "Hội viên").value == 30
    _save(at)
    stored = _stored(tmp_path, cid)
    assert [(r.id, r.version) for r in stored] == [(1, 1), (2, 1)]


def test_reimport_chart_and_tables_on_the_page(app_env: Settings, tmp_path: Path) -> None:
    """The organiser imports the updated list (units already there skipped, by count); the
    progress chart shows the levels top to bottom, each status in its own colour (a user
    review found «Đúng hạn» pink beside the red «Trễ hạn»); the child units are a table that
    wraps like the levels' (a dataframe was cut off on the right)."""
    import colorsys

    _campaign_with_report(tmp_path, chi=1)
    at = page()
    at.radio(key="tracking_role").set_value("Ban tổ chức").run()
    at.text_input(key="t_org_pw").set_value("bí mật")
    at.button[0].click().run()
    import pyarrow as pa

    [chart] = at.get("vega_lite_chart")
    spec = json.loads(chart.proto.spec)
    levels = spec["encoding"]["y"]
    assert levels["field"] == "Cấp" and "sort" in levels and levels["sort"] is None  # not A–Z
    bars = pa.ipc.open_stream(chart.proto.data.data).read_all().column("Cấp")
    assert list(dict.fromkeys(bars.to_pylist())) == [
        "Tỉnh", "Huyện, thị, thành", "Xã, phường, thị trấn", "Chi hội"]
    scale = spec["encoding"]["color"]["scale"]
    colours = dict(zip(scale["domain"], scale["range"], strict=True))  # named, not by position
    assert list(colours) == ["Đúng hạn", "Trễ hạn", "Quá hạn, chưa báo cáo", "Chưa đến hạn"]

    def hue(name: str) -> tuple[float, float]:
        rgb = bytes.fromhex(colours[name].lstrip("#"))
        h, _, sat = colorsys.rgb_to_hls(*(c / 255 for c in rgb))
        return h * 360, sat

    assert 180 <= hue("Đúng hạn")[0] <= 250  # blue: apart from red and orange for every reader
    assert all(hue(late)[0] <= 45 for late in ("Trễ hạn", "Quá hạn, chưa báo cáo"))
    assert hue("Chưa đến hạn")[1] == 0  # grey
    assert len(set(colours.values())) == 4
    children = next(table_cells(t) for t in at.table if "Tình trạng" in t.value.columns
                    and "Số đơn vị" in t.value.columns)
    assert list(children["Mã"]) == ["H01", "H02"] and not at.dataframe
    at.file_uploader[0].upload("tinh.csv", sample.province_csv(3, 1, 1), "text/csv").run()
    click(at, "t_import")
    shown = texts(at)
    assert "Đã nhập 3 đơn vị (1 huyện, thị, thành, 1 xã, phường, thị trấn, 1 chi hội); " \
        "7 đơn vị đã có, bỏ qua." in shown
    assert "Hiện có **10** đơn vị" in shown


def test_organiser_role_without_a_password_set_says_so(app_env: Settings,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """With no HOCTAP_ADMIN_PASSWORD the organiser's role shows why it cannot log in, not a
    password box that can only fail (a user review)."""
    monkeypatch.delenv("HOCTAP_ADMIN_PASSWORD")
    at = page()
    at.radio(key="tracking_role").set_value("Ban tổ chức").run()
    assert not at.exception, at.exception
    assert "HOCTAP_ADMIN_PASSWORD" in texts(at)
    assert not any(t.key == "t_org_pw" for t in at.text_input)


def test_history_and_default_day_are_vietnamese(app_env: Settings, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """The history names its actions in Vietnamese (not `create`), and the default "as of" day is
    Vietnam's, a day ahead of UTC's in the evening (an independent review of session 54)."""
    import datetime as dt

    from app.tracking import models

    assert models.vietnam_time(dt.datetime(2026, 12, 7, 19, 30)).date() == dt.date(2026, 12, 8)
    monkeypatch.setattr(models, "now", lambda: dt.datetime(2026, 12, 7, 19, 30))
    assert models.vietnam_today() == dt.date(2026, 12, 8)
    assert set(models.ACTION_NAMES) >= {"create", "update"}
    source = PAGE.read_text(encoding="utf-8")
    assert "ACTION_NAMES.get(a.action" in source and "date.today()" not in source


def test_a_units_name_shows_as_typed_in_the_tables(app_env: Settings, tmp_path: Path) -> None:
    """``st.table`` reads its cells as Markdown: a unit's name with ``*``, ``[…](…)`` or ``<b>``
    (typed in the organiser's CSV) shows as typed, not bold, linked or as HTML."""
    import csv
    import io

    from app.tracking import units
    from app.tracking.db import open_db

    _campaign_with_report(tmp_path)
    db = open_db(Settings(index_dir=tmp_path / "index"))
    name = "Huyện *Mới* [xem](http://x.vn) <b>đậm</b>"
    buf = io.StringIO()
    csv.writer(buf).writerows([units.HEADERS, ("H03", name, "Huyện", "TINH")])
    units.import_units(db, buf.getvalue().encode("utf-8"), "them.csv")
    db.dispose()
    at = page()
    at.radio(key="tracking_role").set_value("Ban tổ chức").run()
    at.text_input(key="t_org_pw").set_value("bí mật")
    at.button[0].click().run()
    children = next(t for t in at.table if "Tình trạng" in t.value.columns
                    and "Mã" in t.value.columns and "H03" in list(t.value["Mã"]))
    raw = children.value.set_index("Mã").loc["H03", "Đơn vị"]
    assert not set("*[]()<>") & set(raw)  # nothing left for Markdown to read as syntax
    assert table_cells(children).set_index("Mã").loc["H03", "Đơn vị"] == name


def test_a_huyen_tracks_its_own_tree_on_the_page(app_env: Settings, tmp_path: Path) -> None:
    """A huyện organiser imports a list whose top unit is the huyện (no tỉnh row, a user review
    found it refused); «Tiến độ» is then the huyện's, with no Tỉnh level."""
    import pyarrow as pa

    at = page()
    at.radio(key="tracking_role").set_value("Ban tổ chức").run()
    at.text_input(key="t_org_pw").set_value("bí mật")
    at.button[0].click().run()
    body = ("Mã đơn vị,Tên đơn vị,Cấp,Mã đơn vị cấp trên\nHH,Hội Nông dân huyện Hoằng Hóa,Huyện,"
            "\nHH-DAO,Hội Nông dân xã Hoằng Đạo,Xã,HH\nHH-DAO-PL,Chi hội thôn Phúc Lộc,Chi hội,"
            "HH-DAO\n")
    at.file_uploader[0].upload("huyen.csv", body.encode(), "text/csv").run()
    click(at, "t_import")
    assert "Đã nhập 3 đơn vị" in texts(at)
    click(at, "t_confirm")
    assert "### Hội Nông dân huyện Hoằng Hóa" in [m.value for m in at.markdown]
    [chart] = at.get("vega_lite_chart")
    bars = pa.ipc.open_stream(chart.proto.data.data).read_all().column("Cấp").to_pylist()
    assert list(dict.fromkeys(bars)) == ["Huyện, thị, thành", "Xã, phường, thị trấn", "Chi hội"]
