"""The reader in a real browser: Debian's Chromium, headless, driven by Playwright.

Chromium missing is a failure, not a skip: CI installs it (.ci/run), and a
silently skipped browser test would let a broken page through.
"""
from __future__ import annotations

import shutil
import socket

import pytest

from translate import Translator, split_sentences
from translate.webapp import serve

CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run"]


def chromium_path() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        pytest.fail("Chromium is not installed, so the reader cannot be tested in a browser; "
                    "install it (`apt-get install chromium`, as .ci/run does) and rerun", pytrace=False)
    return path


@pytest.fixture(scope="module")
def reader_url(tiny_model, tmp_path_factory):
    translator = Translator.from_options(str(tiny_model), cache_dir=str(tmp_path_factory.mktemp("browser-cache")),
                            engine="transformers", device="cpu", beams=1)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    app, url = serve(translator, port=port, prevent_thread_lock=True, quiet=True)
    yield url
    app.close()


@pytest.fixture
def page(tmp_path):
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=executable, headless=True, args=CHROMIUM_FLAGS,
            viewport={"width": 1280, "height": 900}, locale="en-US",
        )
        try:
            yield browser.new_page()
        finally:
            browser.close()


def test_reader_aligns_and_highlights_the_seed_article(page, reader_url, seed_text, tmp_path):
    page.goto(reader_url)
    page.locator("#translate").click()  # nothing pasted yet: a clear message, not a traceback
    page.get_by_text("Nothing to translate").first.wait_for(timeout=15_000)
    page.get_by_test_id("toast-close").first.click()

    page.locator("#source textarea").fill(seed_text)
    page.locator("#translate").click()
    page.locator("#status .reader-status.done").wait_for(timeout=120_000)

    arabic = page.locator("#reader .ar .s[data-idx]")
    english = page.locator("#reader .en .s[data-idx]")
    count = len(split_sentences(seed_text))
    assert arabic.count() == english.count() == count
    assert page.locator("#reader .en .s.pending").count() == 0
    assert arabic.nth(4).get_attribute("data-idx") == english.nth(4).get_attribute("data-idx") == "4"
    assert page.locator("#reader .heading").count() >= 1  # the article's headlines
    assert page.locator("#reader .ar").first.get_attribute("dir") == "rtl"

    arabic.nth(4).hover()
    page.wait_for_timeout(300)  # the highlight fades in
    assert "hl" in (english.nth(4).get_attribute("class") or "").split()
    assert page.locator("#reader .en .s.hl").count() == 1
    assert page.locator("#download-html").is_visible()

    shot = tmp_path / "reader.png"
    page.screenshot(path=str(shot), full_page=True)
    print(f"screenshot: {shot}")
    assert shot.stat().st_size > 10_000
