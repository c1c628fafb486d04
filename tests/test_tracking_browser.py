"""The whole "Theo dõi học tập" story in a real browser (Debian's headless Chromium).

The organiser imports a province of 27 districts × 3 communes, confirms the schedule proposed
from the shipped plan (deadlines and participants as written, cited) and issues access codes;
three units log in with their own codes and enter their reports (none can file another's);
the organiser sees late and missing units, downloads the DOCX and XLSX and their figures add up.
"""
from __future__ import annotations

import io
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_web_browser import (  # noqa: F401 - browser is a fixture
    ARTIFACTS,
    browser,
    free_port,
    need_chromium,
    screenshot,
    settle,
    stop,
    tables,
    wait_healthy,
)

from app.tracking import sample
from ingest.settings import Settings

pytestmark = pytest.mark.browser
PASSWORD = "mật khẩu tổ chức"


@pytest.fixture(scope="module")
def tracking_url(built_index: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``hoctap app`` over a copy of the built index, with an organiser password."""
    import os
    import subprocess
    import sys

    need_chromium()
    base = tmp_path_factory.mktemp("tracking-browser")
    shutil.copytree(built_index.corpus_dir, base / "corpus")
    shutil.copytree(built_index.index_dir, base / "index")
    env = dict(os.environ, HOCTAP_CORPUS_DIR=str(base / "corpus"),
               HOCTAP_INDEX_DIR=str(base / "index"), HOCTAP_COLLECTION=built_index.collection,
               HOCTAP_EMBED_MODEL="hash", HOCTAP_ADMIN_PASSWORD=PASSWORD)
    env.pop("HOCTAP_CHROMA_URL", None)
    env.pop("HOCTAP_DB_URL", None)
    port = free_port()
    root = Path(__file__).resolve().parent.parent
    proc = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "app", "--port", str(port), "--address", "127.0.0.1"],
        cwd=root, env=env, stdout=(base / "app.log").open("wb"), stderr=subprocess.STDOUT,
        start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, proc)
        yield url
    finally:
        stop(proc)


def tab(page, name: str) -> None:
    page.get_by_role("tab", name=name, exact=True).filter(visible=True).first.click()
    settle(page)


def selected_tab(page) -> str:
    """The label of the tab shown now."""
    return page.get_by_role("tab", selected=True).filter(visible=True).first.inner_text().strip()


def login(page, role: str, secret: str, unit: str | None = None) -> None:
    page.get_by_text(role, exact=True).click()
    field = "Mã truy cập của đơn vị" if unit else "Mật khẩu ban tổ chức"
    form = page.get_by_test_id("stForm")
    form.get_by_label(field).wait_for()  # the form of the chosen role is shown
    settle(page)
    if unit:
        form.get_by_label("Mã đơn vị").fill(unit)
    form.get_by_label(field).fill(secret)
    form.get_by_role("button", name="Đăng nhập").click()
    page.get_by_text("Đang đăng nhập:").wait_for()
    settle(page)


def logout(page) -> None:
    page.get_by_role("button", name="Đăng xuất").click()
    page.get_by_text("Vai trò").wait_for()
    settle(page)


def file_report(page, day: str, counts: dict[str, int]) -> None:
    """Fill and save the report form of the logged-in unit."""
    tab(page, "Báo cáo của đơn vị")
    form = page.get_by_test_id("stForm")
    for part, value in zip(("day", "month", "year"), day.split("/"), strict=True):
        form.get_by_role("spinbutton", name=f"{part}, Ngày học tập").click()
        page.keyboard.type(value)
    for label, value in counts.items():
        form.get_by_label(label, exact=True).fill(str(value))
    form.get_by_role("button", name="Lưu báo cáo").click()
    page.get_by_text("Đã lưu báo cáo").wait_for()
    settle(page)


def test_tracking_story_in_a_real_browser(tracking_url: str, browser, tmp_path: Path) -> None:  # noqa: F811
    page = browser.new_page(viewport={"width": 1280, "height": 2000}, accept_downloads=True)
    try:
        story(page, tracking_url, tmp_path)
    except Exception:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "tracking-failure.png"))
        raise


def story(page, tracking_url: str, tmp_path: Path) -> None:
    """The steps of the story (see the module docstring)."""
    import docx
    from openpyxl import load_workbook

    page.goto(tracking_url + "/theo-doi")
    page.get_by_text("Vai trò").wait_for()
    settle(page)
    login(page, "Ban tổ chức", PASSWORD)

    # import the province
    tab(page, "Đơn vị")
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files([{
        "name": "tinh.csv", "mimeType": "text/csv", "buffer": sample.province_csv(27, 3)}])
    page.get_by_role("button", name="Nhập đơn vị").click()
    page.get_by_text("Đã nhập 109 đơn vị").wait_for()
    settle(page)

    # the schedule proposed from the plan: deadlines and participants as written, cited
    tab(page, "Kế hoạch theo dõi")
    table = page.get_by_test_id("stTable").filter(has_text="Thành phần").first.inner_text()
    for expected in ("31/08/2020", "15/09/2020", "15/10/2020", "½ ngày",
                     "Ban Chấp hành huyện Hội, Chủ tịch, Phó Chủ tịch Hội Nông dân các xã",
                     "III. KẾ HOẠCH HỌC TẬP, QUÁN TRIỆT › 2. Hội Nông dân các huyện"):
        assert expected in table, expected
    page.get_by_role("button", name="Xác nhận lịch").click()
    page.get_by_text("Lịch đã xác nhận").wait_for()
    settle(page)

    # access codes for three units
    # the confirmation's message goes with the next rerun; the chosen tab stays chosen
    tab(page, "Đơn vị")
    confirmed = page.get_by_text("Đã xác nhận lịch theo dõi học tập.")
    assert confirmed.count() == 1
    page.get_by_label(re.compile("Mã đơn vị cần cấp mã")).fill("H01, H02, H01-X01")
    page.get_by_label(re.compile("Mã đơn vị cần cấp mã")).press("Enter")
    confirmed.wait_for(state="detached")
    settle(page)
    assert selected_tab(page) == "Đơn vị"
    page.get_by_role("button", name="Cấp mã truy cập").click()
    page.get_by_text("Tải danh sách mã (CSV)").wait_for()
    settle(page)
    rows = page.get_by_test_id("stTable").filter(has_text="Mã truy cập").last.inner_text()
    codes = dict(re.findall(r"(H01-X01|H01|H02)\s+([A-Z2-9]{8})", rows))
    assert set(codes) == {"H01", "H02", "H01-X01"}
    logout(page)

    # three units file their own reports; a unit's code does not open another unit
    page.get_by_text("Đơn vị báo cáo", exact=True).click()
    settle(page)
    form = page.get_by_test_id("stForm")
    form.get_by_label("Mã đơn vị").fill("H02")
    form.get_by_label("Mã truy cập của đơn vị").fill(codes["H01"])
    form.get_by_role("button", name="Đăng nhập").click()
    page.get_by_text("Mã đơn vị hoặc mã truy cập không đúng").wait_for()
    settle(page)
    stories = {"H01": ("10/09/2020", {"Cán bộ": 5, "Đảng viên": 10, "Hội viên": 25,
                                      "Số phải viết thu hoạch": 15, "Số đã viết thu hoạch": 12}),
               "H02": ("20/09/2020", {"Cán bộ": 4, "Đảng viên": 6, "Hội viên": 20,
                                      "Số phải viết thu hoạch": 10, "Số đã viết thu hoạch": 10}),
               "H01-X01": ("01/10/2020", {"Cán bộ": 2, "Đảng viên": 3, "Hội viên": 45,
                                          "Số phải viết thu hoạch": 5, "Số đã viết thu hoạch": 4})}
    for unit, (day, counts) in stories.items():
        login(page, "Đơn vị báo cáo", codes[unit], unit)
        tab(page, "Báo cáo của đơn vị")
        assert page.get_by_label("Mã đơn vị (ban tổ chức nhập thay)").count() == 0
        file_report(page, day, counts)
        mine = page.get_by_test_id("stTable").filter(has_text="Người sửa cuối").last.inner_text()
        assert day in mine and all(d not in mine for u, (d, _) in stories.items() if u != unit)
        logout(page)

    # the organiser sees late and missing units
    login(page, "Ban tổ chức", PASSWORD)
    tab(page, "Tiến độ")
    page.get_by_text("Đơn vị chậm tiến độ: 107").wait_for()  # 109 less H01, H01-X01 on time
    behind = page.get_by_test_id("stTable").filter(has_text="Ngày học").last.inner_text()
    assert re.search(r"H02\s+Hội Nông dân huyện số 2\s+Huyện, thị, thành\s+Trễ hạn", behind)
    assert "Quá hạn, chưa báo cáo" in behind and "H01\t" not in behind
    screenshot(page, "tracking-progress", 1280)
    # the tables fit the wide page whole (a user review found them cut off on the right) and
    # scroll inside it on a phone
    shown = tables(page, 1280)
    assert len(shown) == 3 and all(t["hidden"] <= 1 and t["width"] > 800 for t in shown), shown
    assert all(t["right"] <= 391 for t in tables(page, 390))
    page.set_viewport_size({"width": 1280, "height": 2000})
    settle(page)

    # download the results report and its figures
    files = {}
    for label, name in (("Tải báo cáo (DOCX)", "docx"), ("Tải số liệu (XLSX)", "xlsx")):
        with page.expect_download(timeout=60_000) as dl:
            page.get_by_role("button", name=label).click()
        target = tmp_path / f"bao-cao.{name}"
        dl.value.save_as(target)
        files[name] = target.read_bytes()
        settle(page)
    d = docx.Document(io.BytesIO(files["docx"]))
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in d.tables[0].rows[0].cells[1].text
    total = [c.text for c in d.tables[1].rows[-1].cells]
    assert total[:6] == ["Tổng cộng", "", "109", "2", "1", "106"]
    assert total[10] == "120" and total[11:13] == ["30", "26"]
    wb = load_workbook(io.BytesIO(files["xlsx"]))
    last = [c for c in list(wb["Theo cấp"].iter_rows(values_only=True))[-1]]
    assert last[:6] == ["Tổng cộng", None, 109, 2, 1, 106] and last[10] == 120
    late = {r[0]: r[3] for r in wb["Chậm"].iter_rows(min_row=2, values_only=True)}
    assert late["H02"] == "Trễ hạn" and "H01" not in late and len(late) == 107
