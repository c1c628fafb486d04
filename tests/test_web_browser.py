"""The web app in a real browser: Debian's headless Chromium driven by Playwright.

Starts ``hoctap app`` on a free port over a copy of the built index (hash embedder), asks a
question, checks the citation card, uploads a DOCX and a hostile TXT, asks about them, and saves
screenshots at 1280 px and 390 px under ``test-artifacts/`` (git-ignored).
"""
from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import docx_bytes

from ingest.settings import Settings

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", "--disable-component-update", "--no-first-run",
        "--disable-sync", "--disable-quic"]
SETTLED = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return !!app && app.getAttribute('data-test-script-state') === 'notRunning'
    && app.getAttribute('data-test-connection-state') === 'CONNECTED'
    && !document.querySelector('[data-stale="true"]');
}"""
NEW_PLAN = (
    "HỘI NÔNG DÂN TỈNH THANH HÓA", "Số 12-KH/HNDT", "Thanh Hóa, ngày 2 tháng 3 năm 2021",
    "KẾ HOẠCH", "Tổ chức hội thi nông dân sản xuất giỏi năm 2021", "I. MỤC ĐÍCH",
    "1. Hội thi nông dân sản xuất giỏi được tổ chức tại huyện Nga Sơn vào ngày 20/11/2021.",
)
HOSTILE = (
    "KẾ HOẠCH\nPhòng chống sâu bệnh hại lúa vụ chiêm xuân\nI. NỘI DUNG\n"
    "1. Phun thuốc trừ rầy nâu <script>window.__pwned = 1</script>"
    "<img src=x onerror=\"window.__pwned = 2\"> [bấm vào đây](http://evil.example) "
    "trước ngày 10/4/2021.\n"
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_healthy(url: str, proc: subprocess.Popen, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the app exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                if r.read().strip() == b"ok":
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise TimeoutError("the app did not become healthy")


def start_app(settings: Settings, port: int, log: Path) -> subprocess.Popen:
    """``hoctap app`` in its own session (so the whole group can be stopped)."""
    env = dict(os.environ, HOCTAP_CORPUS_DIR=str(settings.corpus_dir),
               HOCTAP_INDEX_DIR=str(settings.index_dir), HOCTAP_COLLECTION=settings.collection,
               HOCTAP_EMBED_MODEL=settings.embed_model or "")
    env.pop("HOCTAP_ADMIN_PASSWORD", None)
    env.pop("HOCTAP_CHROMA_URL", None)
    return subprocess.Popen(
        [sys.executable, "-m", "app.cli", "app", "--port", str(port), "--address", "127.0.0.1"],
        cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def stop(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(10)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def need_chromium() -> None:
    """Fail (never skip) when Debian's Chromium is not installed."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install --no-install-recommends chromium")


def private_copy(built: Settings, base: Path) -> Settings:
    """Settings over a copy of ``built``'s corpus and index under ``base`` (hash embedder)."""
    shutil.copytree(built.corpus_dir, base / "corpus")
    shutil.copytree(built.index_dir, base / "index")
    return Settings(corpus_dir=base / "corpus", index_dir=base / "index", embed_model="hash",
                    collection=built.collection)


def serve(settings: Settings, base: Path) -> Iterator[str]:
    """Run the app over ``settings`` until the generator is closed; yields its URL."""
    port = free_port()
    proc = start_app(settings, port, base / "app.log")
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, proc)
        yield url
    finally:
        stop(proc)


@pytest.fixture(scope="module")
def app_url(built_index: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    need_chromium()
    base = tmp_path_factory.mktemp("browser")
    yield from serve(private_copy(built_index, base), base)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield b
        b.close()


def settle(page, timeout: float = 30_000) -> None:
    """Wait until Streamlit finished its run and nothing on the page is stale."""
    page.wait_for_function(SETTLED, timeout=timeout)


def wait_for_fonts(page, timeout: float = 30_000) -> None:
    """Wait until the page's fonts are loaded, within ``timeout`` ms (``document.fonts.ready``
    awaited through ``evaluate`` has no timeout; it is the likeliest point of a CI run that hung
    in a browser test, though that was not proven)."""
    page.wait_for_function("document.fonts.status === 'loaded'", timeout=timeout)


def ask(page, question: str) -> None:
    box = page.get_by_test_id("stChatInputTextArea")
    box.fill(question)
    box.press("Enter")
    page.get_by_test_id("stChatMessage").filter(has_text=question).last.wait_for()
    settle(page)


def screenshot(page, name: str, width: int) -> Path:
    """Enlarge the window until nothing scrolls (Streamlit scrolls inside its own container),
    wait for the fonts, then shoot."""
    page.set_viewport_size({"width": width, "height": 900})
    settle(page)
    height = page.evaluate("""() => Math.max(...[...document.querySelectorAll('*')]
        .filter(e => e.scrollHeight > e.clientHeight + 2).map(e => e.scrollHeight), 900)""")
    page.set_viewport_size({"width": width, "height": min(int(height) + 200, 8000)})
    settle(page)
    wait_for_fonts(page)
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}-{width}.png"
    page.screenshot(path=str(path))
    return path


def test_ask_upload_ask_in_a_real_browser(app_url: str, browser) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(app_url)
    page.get_by_role("button", name="Kế hoạch số 985-KH/HNDT nói gì về").first.wait_for()
    settle(page)

    # ask about the plan, without diacritics: the citation card shows
    ask(page, "hoi nong dan cac huyen hoc tap xong truoc ngay nao")
    answer = page.get_by_test_id("stChatMessage").last
    assert "15/9/2020" in answer.inner_text()
    assert "Hiểu là: hội nông dân các huyện học tập xong trước ngày nào" in answer.inner_text()
    assert "[1]" in answer.inner_text() and "Nguồn trích dẫn" in answer.inner_text()
    assert page.get_by_role("button", name="Kế hoạch số 985-KH/HNDT nói gì về").count() == 0
    card = answer.locator("[class*='st-key-card-']").first
    assert "Kế hoạch số 985-KH/HNDT" in card.inner_text()
    card.get_by_test_id("stDownloadButton").wait_for(timeout=15_000)  # drawn after the text
    assert card.get_by_test_id("stDownloadButton").count() == 1
    expander = answer.get_by_test_id("stExpander").first
    expander.get_by_text("Xem đoạn văn xung quanh").click()
    expander.get_by_text("đoạn được trích").wait_for()
    settle(page)
    screenshot(page, "chat", 1280)
    screenshot(page, "chat", 390)

    # upload a DOCX and a hostile TXT on the library page
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("link", name="Thư viện tài liệu").click()
    page.get_by_text("Tài liệu được nhắc đến nhưng chưa có").wait_for()
    settle(page)
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files([
        {"name": "hội thi.docx", "mimeType": "application/vnd.openxmlformats-officedocument"
         ".wordprocessingml.document", "buffer": docx_bytes(*NEW_PLAN)},
        {"name": "../../sâu bệnh.txt", "mimeType": "text/plain", "buffer": HOSTILE.encode()},
    ])
    page.get_by_role("button", name="Nạp vào thư viện").click()
    page.get_by_text("Đã thêm: hội thi.docx").wait_for(timeout=60_000)
    settle(page)
    assert page.get_by_text("Đã thêm: sâu bệnh.txt").count() == 1
    screenshot(page, "library", 1280)
    screenshot(page, "library", 390)

    # ask about the new document: it is cited at once
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("link", name="Hỏi đáp").click()
    page.get_by_test_id("stChatInputTextArea").wait_for()
    settle(page)
    ask(page, "Hội thi nông dân sản xuất giỏi tổ chức ở huyện nào?")
    answer = page.get_by_test_id("stChatMessage").last
    assert "Nga Sơn" in answer.inner_text() and "hội thi.docx" in answer.inner_text()

    # a document holding HTML, <script> and a Markdown link is shown as text
    ask(page, "Phun thuốc trừ rầy nâu trước ngày nào?")
    shown = page.get_by_test_id("stChatMessage").last.inner_text().replace("\u2060", "")
    assert "<script>window.__pwned = 1</script>" in shown
    assert "[bấm vào đây](http://evil.example)" in shown
    assert page.evaluate("window.__pwned") is None
    assert page.locator('a[href="http://evil.example"]').count() == 0
    assert page.locator('img[src="x"]').count() == 0
    page.close()


ANSWER_IN_VIEW = """() => {
  const messages = document.querySelectorAll('[data-testid="stChatMessage"]');
  const text = messages[messages.length - 1].querySelector('[data-testid="stMarkdown"]');
  const header = document.querySelector('[data-testid="stHeader"]').getBoundingClientRect();
  const input = document.querySelector('[data-testid="stBottom"]').getBoundingClientRect();
  const box = text.getBoundingClientRect();
  return box.top >= header.bottom - 1 && box.bottom <= input.top + 1;
}"""


TO_THE_END = """() => { const main = document.querySelector(
  '[data-testid="stMain"], [data-testid="stAppScrollToBottomContainer"]');
  main.scrollTop = main.scrollHeight; }"""  # the page's scroller (Streamlit names it either)


def test_new_answer_in_view_on_a_phone(app_url: str, browser) -> None:
    """A user review at 390 px: after asking, the page scrolled past the answer to the end of
    its source cards. The answer's text is in view after a first question, and after a
    follow-up asked from the end of the page."""
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(app_url)
    page.get_by_test_id("stChatInputTextArea").wait_for()
    settle(page)
    for question in ("hoi nong dan cac huyen hoc tap xong truoc ngay nao",
                     "Hội nông dân xã học xong trước ngày nào?"):
        page.evaluate(TO_THE_END)
        ask(page, question)
        page.wait_for_function(ANSWER_IN_VIEW, timeout=5_000)
        page.wait_for_timeout(1_000)  # and it stays there (Streamlit scrolled on as it drew)
        assert page.evaluate(ANSWER_IN_VIEW), question
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "chat-answer-390.png"))
    page.close()


ENGLISH = re.compile(r"\b(Upload|Browse files|Drag and drop|per file|No results|Choose)\b")
SHOWN_TEXTS = """() => {
  const shown = [];
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walk.nextNode()) {
    const node = walk.currentNode, parent = node.parentElement;
    if (!parent || ['STYLE', 'SCRIPT'].includes(parent.tagName) || !parent.getClientRects().length
        || parseFloat(getComputedStyle(parent).fontSize) === 0) continue;
    shown.push(node.textContent.trim());
  }
  for (const e of document.querySelectorAll('*')) {
    const after = getComputedStyle(e, '::after').content;
    if (after.startsWith('"') && e.getClientRects().length) shown.push(JSON.parse(after));
  }
  return shown.filter(Boolean);
}"""


def shown_english(page) -> list[str]:
    """Streamlit's own English texts drawn on the page now (text shrunk to nothing is not)."""
    return [t for t in page.evaluate(SHOWN_TEXTS) if ENGLISH.search(t)]


def test_streamlit_texts_are_vietnamese(app_url: str, browser) -> None:
    """The file uploader and an empty picker list show Vietnamese, not Streamlit's English
    («Upload», «50MB per file • …», «Drag and drop files here», «No results»)."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(app_url + "/thu-vien")
    page.get_by_test_id("stFileUploaderDropzone").wait_for()
    settle(page)
    assert {"Chọn tệp", "hoặc kéo thả tệp vào đây"} <= set(page.evaluate(SHOWN_TEXTS))
    zone = page.get_by_test_id("stFileUploaderDropzone")
    dragged = page.evaluate_handle("""() => { const d = new DataTransfer();
        d.items.add(new File(['x'], 'a.txt', {type: 'text/plain'})); return d; }""")
    zone.dispatch_event("dragenter", {"dataTransfer": dragged})
    page.wait_for_function("() => getComputedStyle(document.querySelector("
                           "'[data-testid=stFileUploaderDropzoneInput] + div > span'), '::after')"
                           ".content === '\"Thả tệp vào đây\"'")
    assert not shown_english(page)
    zone.dispatch_event("dragleave", {"dataTransfer": dragged})

    page.goto(app_url + "/on-tap")
    page.get_by_text("Loại câu hỏi").wait_for()
    settle(page)
    # every question type is chosen: the list has nothing left to offer
    page.get_by_test_id("stMultiSelect").filter(has_text="Loại câu hỏi").locator("input").click()
    page.get_by_test_id("stMultiSelectDropdown").wait_for()
    assert "Không có lựa chọn nào" in page.evaluate(SHOWN_TEXTS)
    assert not shown_english(page)
    page.keyboard.press("Escape")
    sections = page.get_by_test_id("stMultiSelect").filter(has=page.get_by_text("Mục", exact=True))
    sections.locator("input").click()
    page.keyboard.type("zzzz")  # matches no heading
    page.get_by_test_id("stMultiSelectDropdown").get_by_role("option").wait_for()
    assert "Không có lựa chọn nào" in page.evaluate(SHOWN_TEXTS)
    assert not shown_english(page)
    page.close()


TABLES = """() => [...document.querySelectorAll('[data-testid="stTable"], [data-testid="stDataFrame"]')]
  .filter(t => t.getClientRects().length).map(t => {
    const box = t.querySelector('.dvn-scroller') || t.querySelector('table').parentElement;
    const inner = t.querySelector('.dvn-scroller') ? box.scrollWidth : t.querySelector('table').scrollWidth;
    return {kind: t.dataset.testid, head: t.innerText.slice(0, 30), width: box.clientWidth,
            hidden: inner - box.clientWidth, right: t.getBoundingClientRect().right};
  })"""


def tables(page, width: int) -> list[dict]:
    """Each table and dataframe shown: its width, how much of it is scrolled out of its box
    (``hidden``), its right edge; at ``width`` px."""
    page.set_viewport_size({"width": width, "height": 900})
    settle(page)
    page.wait_for_timeout(500)  # dataframes measure their columns after the run
    return page.evaluate(TABLES)


def test_library_tables_on_a_wide_page(app_url: str, browser) -> None:
    """A user review found the library's tables cut off on the right of the centred page. At
    1280 px the page is wide: the documents table shows its first five columns whole (80 +
    110 + 380 + 140 + 105 px, page_library.DOCUMENT_WIDTHS), the missing ones' table all of
    its columns; at 390 px the tables scroll inside the page."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(app_url + "/thu-vien")
    page.get_by_text("Tài liệu được nhắc đến nhưng chưa có").wait_for()
    documents, missing = tables(page, 1280)
    assert documents["width"] >= 815, documents
    assert missing["hidden"] <= 1, missing
    assert all(t["right"] <= 391 for t in tables(page, 390))
    page.close()


def test_every_page_opens_at_its_own_url(app_url: str, browser) -> None:
    """A user review found ``/hoi-dap`` (the chat's own URL) answered with Streamlit's English
    «Page not found … Running the app's main page.» dialog over the input: Streamlit serves
    the default page at ``/`` only. Every page's URL now opens it, without that dialog."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    for path, shows in (("/hoi-dap", "stChatInputTextArea"), ("/", "stChatInputTextArea"),
                        ("/thu-vien", "stFileUploaderDropzone")):
        page.goto(app_url + path)
        page.get_by_test_id(shows).wait_for()
        settle(page)
        page.wait_for_timeout(300)
        assert not page.get_by_text("Page not found").count(), path
        assert not page.get_by_role("dialog").count(), path
    for path in ("/on-tap", "/thu-hoach", "/theo-doi"):
        page.goto(app_url + path)
        page.get_by_test_id("stApp").wait_for()
        settle(page)
        page.wait_for_timeout(300)
        assert not page.get_by_text("Page not found").count(), path
        assert not page.get_by_role("dialog").count(), path
    page.close()


def test_a_file_over_the_limit_is_refused_in_vietnamese(
        built_index: Settings, tmp_path: Path, browser, monkeypatch: pytest.MonkeyPatch) -> None:
    """A user review found a 60 MB file (limit 50 MB) refused by Streamlit's own check with
    only «Error: File must be 50.0MB or smaller.»: here 2 MB against a 1 MB limit."""
    need_chromium()
    monkeypatch.setenv("HOCTAP_MAX_FILE_MB", "1")
    served = serve(private_copy(built_index, tmp_path), tmp_path)
    url = next(served)
    try:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(url + "/thu-vien")
        page.get_by_test_id("stFileUploaderDropzone").wait_for()
        settle(page)
        page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files([
            {"name": "lớn.txt", "mimeType": "text/plain", "buffer": b"x" * (2 << 20)}])
        page.get_by_text("Không nạp được lớn.txt: Tệp quá lớn").wait_for(timeout=30_000)
        settle(page)
        assert "giới hạn là 1 MB" in page.get_by_test_id("stAlert").last.inner_text()
        assert not page.get_by_text("File must be").count()
        page.close()
    finally:
        served.close()
