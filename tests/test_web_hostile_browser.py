"""Issue 10 (6, 8) in a real browser: document text that looks like Markdown or HTML — a
section heading ``**đậm** [liên kết](http://x)`` and a file named ``<b>đậm<b> **x** [lk](y).txt``
— shows as plain text on every page (Hỏi đáp, Thư viện, Ôn tập, Chuẩn bị thu hoạch); and no
page asks any host but the app's own for anything (every other request is failed and logged).
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlparse

import pytest
from conftest import make_settings
from test_quiz_browser import _answer_current
from test_web_browser import (  # noqa: F401 - browser is a fixture
    browser,
    need_chromium,
    serve,
    settle,
    wait_for_fonts,
)

from ingest.embed.base import HashEmbedder
from ingest.pipeline import ingest

pytestmark = pytest.mark.browser

NAME = "<b>đậm<b> **x** [lk](y).txt"
HEADING = "**đậm** [liên kết](http://x)"
HOSTILE = f"""HỘI NÔNG DÂN TỈNH THANH HÓA
Số 77-KH/HNDT
Thanh Hóa, ngày 2 tháng 3 năm 2021
KẾ HOẠCH
Phòng chống sâu bệnh hại lúa vụ chiêm xuân năm 2021
I. NỘI DUNG
1. {HEADING}
- Các xã phun thuốc trừ rầy nâu trước ngày 10/4/2021 trên 500 ha lúa.
- Hội Nông dân huyện tổ chức 12 lớp tập huấn kỹ thuật cho hội viên trước ngày 15/4/2021.
- Mỗi chi hội cử 3 hội viên tham gia đội xung kích diệt chuột trong tháng 4/2021.
- Các chi hội báo cáo kết quả về Hội Nông dân huyện Nga Sơn trước ngày 30/5/2021.
"""
PAGES = {"": "Hỏi đáp về nghị quyết", "/thu-vien": "Tài liệu đã nạp",
         "/on-tap": "Chọn nội dung ôn tập", "/thu-hoach": "Chuẩn bị thu hoạch"}


@pytest.fixture(scope="module")
def hostile_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    need_chromium()
    base = tmp_path_factory.mktemp("hostile")
    s = make_settings(base)
    (s.corpus_dir / NAME).write_text(HOSTILE, encoding="utf-8")
    assert ingest(s, HashEmbedder()).failed == []
    yield from serve(s, base)


def seen(page) -> str:  # noqa: ANN001
    """The page's text as a reader sees it (word joiners removed)."""
    return page.locator("body").inner_text().replace("\u2060", "")


def assert_plain(page, *literals: str) -> None:  # noqa: ANN001
    """Nothing the document holds became a link, bold or HTML; ``literals`` show verbatim."""
    assert page.locator('a[href^="http://x"]').count() == 0
    assert page.locator("b, strong").filter(has_text=re.compile(r"^\s*(đậm|x)\s*$")).count() == 0
    text = seen(page)
    for literal in literals:
        assert literal in text, (literal, text[:2000])


def test_no_page_requests_an_outside_host(hostile_url: str, browser) -> None:  # noqa: ANN001, F811
    outside: list[str] = []

    def route(r) -> None:  # noqa: ANN001
        host = urlparse(r.request.url).hostname
        if host in ("127.0.0.1", "localhost"):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    for path, marker in PAGES.items():
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.route("**/*", route)
        page.goto(hostile_url + path)
        page.get_by_text(marker).first.wait_for()
        settle(page)
        wait_for_fonts(page)
        page.wait_for_timeout(500)
        page.close()
    assert outside == [], outside


def new_page(browser, url: str):  # noqa: ANN001, ANN201, F811
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(url)
    return page


def test_chat_shows_document_text_as_plain_text(hostile_url: str, browser) -> None:  # noqa: ANN001, F811
    page = new_page(browser, hostile_url)  # the source card's section and file name
    box = page.get_by_test_id("stChatInputTextArea")
    box.wait_for()
    settle(page)
    box.fill("Các xã phun thuốc trừ rầy nâu trước ngày nào?")
    box.press("Enter")
    page.get_by_text("Nguồn trích dẫn").or_(page.get_by_text("Gợi ý:")).first.wait_for()
    settle(page)
    assert_plain(page, f"Mục: I. NỘI DUNG › 1. {HEADING}", f"Tệp: {NAME}")


def test_library_shows_file_names_as_plain_text(hostile_url: str, browser) -> None:  # noqa: ANN001, F811
    page = new_page(browser, hostile_url + "/thu-vien")  # the file in the delete list
    select = page.get_by_test_id("stSelectbox").filter(has_text="Chọn tài liệu")
    select.wait_for()
    settle(page)
    assert_plain(page)
    shown = select.locator("input").input_value() or select.inner_text()
    assert shown.startswith(NAME), shown
    select.click()  # the list of documents, opened
    option = page.get_by_role("option").first
    option.wait_for()
    assert option.inner_text().startswith(NAME)
    assert_plain(page)


def test_quiz_citation_shows_document_text_as_plain_text(hostile_url: str, browser) -> None:  # noqa: ANN001, F811
    page = new_page(browser, hostile_url + "/on-tap")  # the cited passage's caption
    page.get_by_role("button", name="Tạo đề ôn tập").click()
    settle(page)
    _answer_current(page)
    assert_plain(page, HEADING, f"Tệp: {NAME}")


def test_outline_shows_headings_as_plain_text(hostile_url: str, browser) -> None:  # noqa: ANN001, F811
    page = new_page(browser, hostile_url + "/thu-hoach")  # section headings
    page.get_by_text("1. Những nội dung chính của tài liệu").wait_for()
    settle(page)
    assert_plain(page, HEADING)
