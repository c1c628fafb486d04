"""A follow-up question in a real browser: two turns in the chat, the second read in context.

Debian's headless Chromium driven by Playwright, over a copy of the built index (hash
embedder), with the app started and the page driven by the helpers of ``test_web_browser``.
Screenshot: ``test-artifacts/followup-1280.png``.
"""
from __future__ import annotations

from collections.abc import Iterator

import pytest
from test_web_browser import (
    ARGS,
    CHROMIUM,
    ask,
    need_chromium,
    private_copy,
    screenshot,
    serve,
    settle,
)

from ingest.settings import Settings

pytestmark = pytest.mark.browser

FIRST = "Hội Nông dân cấp huyện phải hoàn thành học tập Nghị quyết 58 trước ngày nào?"


@pytest.fixture(scope="module")
def followup_url(built_index: Settings, tmp_path_factory: pytest.TempPathFactory
                 ) -> Iterator[str]:
    """The app over a private copy of the built index."""
    need_chromium()
    base = tmp_path_factory.mktemp("followup-browser")
    yield from serve(private_copy(built_index, base), base)


def test_follow_up_is_answered_in_context_in_a_real_browser(followup_url: str) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(followup_url)
            page.get_by_test_id("stChatInputTextArea").wait_for(timeout=60_000)
            settle(page)

            ask(page, FIRST)
            first = page.get_by_test_id("stChatMessage").last.inner_text()
            assert "15/9/2020" in first and "Hiểu là" not in first

            ask(page, "Còn cấp xã thì sao?")
            page.get_by_text("Hiểu là:").wait_for()
            settle(page)
            second = page.get_by_test_id("stChatMessage").last.inner_text()
            assert "Hiểu là: Hội Nông dân cấp xã phải hoàn thành" in second
            assert "15/10/2020" in second
            assert page.get_by_text("Hiểu là:").count() == 1
            screenshot(page, "followup", 1280)
        finally:
            browser.close()
