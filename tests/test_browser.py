"""The reader in a real browser, as a reader uses it: Debian's Chromium, headless,
driven by Playwright, at 1280×800 and on a 390×844 phone, with the seed article
and the tiny model (CTranslate2, as the page runs by default).

One browser for the module; pages are reused and reloaded between tests. Every
wait is for a condition on the page, never for a time. Chromium missing is a
skip with its reason on a developer's machine, and a failure under CI (.ci/run
installs it and sets CI=true).
"""
from __future__ import annotations

import json
import random
import re
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import program_or_skip

from translate import Translator, config, split_sentences
from translate.errors import ModelLoadError
from translate.quality import QualityPolicy

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"]
DESKTOP = dict(viewport={"width": 1280, "height": 800}, locale="en-US")
PHONE = dict(viewport={"width": 390, "height": 844}, locale="en-US", is_mobile=True, has_touch=True,
             device_scale_factor=2)
WAIT = 60_000  # ms: an upper bound for a condition, not a pause
ARABIC_WORDS = re.compile(r"[\u0621-\u064A]+")


def chromium_path() -> str:
    """Debian's Chromium (a skip without it, a failure under CI: conftest.program_or_skip)."""
    return program_or_skip(("chromium", "chromium-browser"), "Chromium", "apt-get install chromium",
                           "test the reader in a browser")


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def reader(tiny_model, tmp_path_factory, live_reader):
    translator = Translator.from_options(str(tiny_model), engine="ctranslate2", device="cpu", beams=1,
                                         cache_dir=str(tmp_path_factory.mktemp("browser-cache")))
    app, url = live_reader(translator)
    return SimpleNamespace(app=app, url=url, translator=translator)


def open_page(browser, url: str, **options):
    context = browser.new_context(**options)
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.goto(url)
    page.wait_for_function("() => window.translateReader && window.translateReader.ready()", timeout=WAIT)
    return page


@pytest.fixture(scope="module")
def desk(browser, reader):
    page = open_page(browser, reader.url, permissions=["clipboard-read", "clipboard-write"], **DESKTOP)
    yield page
    assert not page.errors, page.errors
    page.context.close()


@pytest.fixture(scope="module")
def local(reader, live_reader):
    """The same reader without a library (``--no-library``): the browser keeps Recent itself."""
    app, url = live_reader(reader.translator, library=None)
    return SimpleNamespace(app=app, url=url, translator=reader.translator)


@pytest.fixture(scope="module")
def desk_local(browser, local):
    page = open_page(browser, local.url, **DESKTOP)
    yield page
    assert not page.errors, page.errors
    page.context.close()


@pytest.fixture(scope="module")
def phone(browser, reader):
    page = open_page(browser, reader.url, **PHONE)
    yield page
    assert not page.errors, page.errors
    page.context.close()


def reload(page, url: str, forget: bool = False) -> None:
    """A fresh page (and, with ``forget``, a browser that remembers nothing)."""
    if forget:
        page.evaluate("() => localStorage.clear()")
    page.goto(url)
    page.wait_for_function("() => window.translateReader && window.translateReader.ready()", timeout=WAIT)


def translate(page, text: str) -> None:
    """Put ``text`` in the box, press Translate, and wait for the whole translation."""
    if page.locator("body.reader-reading").count():
        page.locator("[data-action=new]").click()
    before = page.evaluate("() => window.translateReader.state().run")
    page.locator("#source textarea").fill(text)
    page.locator("#translate").click()
    page.wait_for_function(
        """(before) => window.translateReader.state().run !== before && !document.body.classList.contains('reader-busy')
             && document.querySelector('#status .reader-status.done')""", arg=before, timeout=WAIT)


def tool(page, selector: str, tap: bool = False) -> None:
    """Press one of the reading view's tools (views, text size, Copy English, Legend): they
    are in the bar's View menu, opened first."""
    # A tool pressed just before closes the menu on the page's next turn: let that turn run
    # first, or the menu is seen open, then closes under the click.
    page.evaluate("() => new Promise((done) => setTimeout(done, 0))")
    if not page.locator(f"#bar-tools {selector}").is_visible():
        (page.locator("#bar-tools [data-action=menu]").tap if tap else page.locator("#bar-tools [data-action=menu]").click)()
    (page.locator(f"#bar-tools {selector}").tap if tap else page.locator(f"#bar-tools {selector}").click)()


def box(page, selector: str) -> dict:
    return page.locator(selector).first.bounding_box()


def english(page, index: int) -> str:
    return f"#reader .en .s[data-idx='{index}']"


def arabic(page, index: int) -> str:
    return f"#reader .ar .s[data-idx='{index}']"


def first_line(page, selector: str) -> tuple[float, float]:
    """The middle of the first line of an element (a sentence may wrap over several)."""
    return tuple(page.locator(selector).first.evaluate(
        "e => { const r = e.getClientRects()[0]; return [r.left + r.width / 2, r.top + r.height / 2]; }"))


def scroll_state(page) -> dict:
    return page.evaluate("""() => ({page: window.scrollY, cols: [...document.querySelectorAll('#reader .col')].map(c => c.scrollTop)})""")


def article(seed_text: str, sentences: int, seed: int, per_line: int = 3) -> str:
    words = ARABIC_WORDS.findall(seed_text)
    rng = random.Random(seed)
    out = [" ".join(rng.choices(words, k=rng.randint(4, 9))) + "." for _ in range(sentences)]
    return "\n".join(" ".join(out[i : i + per_line]) for i in range(0, sentences, per_line))


# -- 1. the translation takes the screen ---------------------------------------------------


def test_the_input_folds_and_the_reading_view_fills_the_window(desk, reader, seed_text):
    reload(desk, reader.url, forget=True)
    translate(desk, seed_text)
    count = len(split_sentences(seed_text))
    assert desk.locator("#start").is_hidden()
    summary = desk.locator("#bar .doc-summary")
    assert summary.is_visible() and f"{count} sentences" in summary.inner_text()
    pane = box(desk, "#reader .pane")
    assert pane["y"] < 0.45 * 800 and pane["y"] + pane["height"] <= 800 + 1 and pane["height"] >= 0.5 * 800
    assert desk.locator(f"{english(desk, 0)}").is_visible()

    desk.locator("[data-action=new]").click()  # editing marks the translation as out of date
    assert desk.locator("#start").is_visible()
    desk.locator("#source textarea").press("End")
    desk.locator("#source textarea").type(" وداعا")
    assert desk.locator("#source-notes .doc-stale").is_visible()
    desk.locator("#translate").click()
    desk.wait_for_function("() => !document.body.classList.contains('reader-stale') "
                           "&& !document.body.classList.contains('reader-busy')", timeout=WAIT)
    assert desk.locator("#source-notes .doc-stale").is_hidden()


def test_on_a_phone_the_translation_is_on_screen_after_translate(phone, reader, seed_text):
    reload(phone, reader.url, forget=True)
    translate(phone, seed_text)
    visible = phone.evaluate("""() => [...document.querySelectorAll('#reader .en .s:not(.pending)')]
        .filter(e => { const r = e.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight && r.height > 0; }).length""")
    assert visible >= 1


# -- 2. reading order ----------------------------------------------------------------------


def test_sentences_arrive_in_reading_order(desk, reader, seed_text):
    reload(desk, reader.url)
    text = article(seed_text, 24, seed=2)  # in no other test: nothing cached
    desk.evaluate("""() => {
        window.arrivals = [];
        new MutationObserver(() => {
            document.querySelectorAll('#reader .en .s[data-idx]:not(.pending)').forEach(e => {
                if (!e.dataset.seen) { e.dataset.seen = 1; window.arrivals.push(+e.dataset.idx); } });
        }).observe(document.querySelector('#reader'), {childList: true, subtree: true});
    }""")
    translate(desk, text)
    arrivals = desk.evaluate("() => window.arrivals")
    assert sorted(arrivals) == list(range(len(split_sentences(text))))
    assert arrivals == sorted(arrivals), f"not in reading order: {arrivals}"


# -- 3. hover and click never move the page ------------------------------------------------


def test_hover_and_click_keep_the_page_still(desk, reader, seed_text):
    reload(desk, reader.url)
    translate(desk, seed_text)
    tool(desk, "[data-view=side]")
    before = scroll_state(desk)
    hovered = 0
    for index in range(6):  # the mouse, not Playwright's hover (which scrolls an element into view first)
        x, y = first_line(desk, arabic(desk, index) if index % 2 else english(desk, index))
        if not 0 < y < 790:
            continue
        hovered += 1
        desk.mouse.move(x, y)
        assert scroll_state(desk) == before
        assert desk.locator("#reader .s.hl").evaluate_all("els => els.map(e => +e.dataset.idx)") == [index, index]
    assert hovered >= 3
    desk.mouse.click(*first_line(desk, english(desk, 1)))
    assert scroll_state(desk) == before
    assert "hl" in desk.locator(arabic(desk, 1)).get_attribute("class")


def test_a_click_brings_an_off_screen_partner_into_view_in_its_own_column(desk, reader):
    reload(desk, reader.url)
    # Latin sentences pass through untranslated, so both columns hold the same words,
    # and the Arabic column's larger type makes it the taller: partners drift apart.
    translate(desk, " ".join(f"Sentence number {n} of a long paragraph goes here." for n in range(60)))
    tool(desk, "[data-view=side]")
    desk.evaluate("() => { const c = document.querySelector('#reader .col.ar'); c.scrollTop = c.scrollHeight * 0.55; }")
    desk.wait_for_function("""() => { const [a, e] = document.querySelectorAll('#reader .col');
        return Math.abs(a.scrollTop - e.scrollTop) < 2 && a.scrollTop > 0; }""")  # the English column followed
    target = desk.evaluate("""() => {
        const [ar, en] = document.querySelectorAll('#reader .col'), a = ar.getBoundingClientRect(), e = en.getBoundingClientRect();
        const inside = (el, r) => { const b = el.getBoundingClientRect(); return b.top >= r.top && b.bottom <= r.bottom; };
        for (const s of ar.querySelectorAll('.s')) {
            const partner = en.querySelector(`.s[data-idx="${s.dataset.idx}"]`);
            if (inside(s, a) && !inside(partner, e)) return +s.dataset.idx;
        }
        return -1; }""")
    assert target >= 0, "every partner is on screen: the test text no longer makes the columns drift"
    before = scroll_state(desk)
    desk.mouse.click(*first_line(desk, arabic(desk, target)))
    desk.wait_for_function("""(i) => { const en = document.querySelectorAll('#reader .col')[1], r = en.getBoundingClientRect(),
        b = en.querySelector(`.s[data-idx="${i}"]`).getBoundingClientRect(); return b.top >= r.top && b.bottom <= r.bottom; }""",
                           arg=target)
    after = scroll_state(desk)
    # The page stays; the clicked sentence stays in view in its column (the details, opened
    # beside the text, narrow the columns, so its column moves only to keep it in view).
    assert after["page"] == before["page"]
    assert desk.evaluate("""(i) => { const ar = document.querySelectorAll('#reader .col')[0], r = ar.getBoundingClientRect(),
        b = ar.querySelector(`.s[data-idx="${i}"]`).getClientRects()[0]; return b.top >= r.top && b.bottom <= r.bottom; }""",
                         target)  # its first line, at least
    assert after["cols"][1] != before["cols"][1]  # the other column moved to bring the partner into view


# -- 4. views, font size, remembered -----------------------------------------------------


def test_four_views_and_a_font_size_that_the_browser_remembers(desk, reader, seed_text):
    reload(desk, reader.url, forget=True)
    translate(desk, seed_text)
    # Side by side, each paragraph starts level with its translation, all the way down.
    gaps = desk.evaluate("""() => { const [ar, en] = document.querySelectorAll('#reader .col');
        const tops = c => [...c.querySelectorAll(".para")].map(p => p.getBoundingClientRect().top);
        const a = tops(ar), e = tops(en); return a.map((t, k) => Math.abs(t - e[k])); }""")
    assert len(gaps) == 18 and max(gaps) <= 1, gaps
    tool(desk, "[data-view=interleaved]")
    first_pair = desk.locator("#reader .pair").first.evaluate("p => [...p.children].map(c => c.className)")
    assert first_pair == ["ar", "en"]  # each Arabic sentence with its English under it
    assert box(desk, "#reader .pair .en")["y"] > box(desk, "#reader .pair .ar")["y"]
    tool(desk, "[data-view=en]")
    assert desk.locator("#reader .ar .s").count() == 0 and desk.locator("#reader .en .s").count() == 22
    tool(desk, "[data-view=ar]")
    assert desk.locator("#reader .en .s").count() == 0 and desk.locator("#reader .ar .s").count() == 22
    size = lambda: desk.locator(arabic(desk, 0)).evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    normal = size()
    tool(desk, "[data-action=larger]")
    tool(desk, "[data-action=larger]")
    larger = size()
    assert larger > normal * 1.15

    reload(desk, reader.url)  # a new visit: the choices stay
    translate(desk, seed_text)
    assert desk.locator("[data-view=ar]").get_attribute("aria-pressed") == "true"
    assert desk.locator("#reader .en .s").count() == 0 and size() == larger
    tool(desk, "[data-view=side]")
    tool(desk, "[data-action=smaller]")
    tool(desk, "[data-action=smaller]")
    assert size() == normal


# -- 5. copy -------------------------------------------------------------------------------


def test_copy_the_english_whole_and_by_sentence_and_select_english_alone(desk, reader, seed_text):
    reload(desk, reader.url)
    translate(desk, seed_text)
    document = reader.translator.translate(seed_text)  # all cached: the page's translation
    tool(desk, "[data-action=copy]")
    copied = desk.evaluate("() => navigator.clipboard.readText()")
    assert copied == document.translation_text().strip() + "\n"
    assert copied.count("\n") == seed_text.strip().count("\n") + 1  # the paragraphs are kept

    desk.click(english(desk, 4))  # a click: the details
    desk.locator("#reader .details [data-action=copy-sentence]").click()
    assert desk.evaluate("() => navigator.clipboard.readText()") == document.sentences[4].translation
    desk.locator("#reader .details [data-action=close-details]").click()

    tool(desk, "[data-view=interleaved]")  # Arabic sits between the English sentences here
    start, end = box(desk, english(desk, 0)), box(desk, english(desk, 1))
    desk.mouse.move(start["x"] + 2, start["y"] + 4)
    desk.mouse.down()
    desk.mouse.move(end["x"] + end["width"] - 2, end["y"] + end["height"] - 4, steps=8)
    desk.mouse.up()
    selected = desk.evaluate("() => window.getSelection().toString()")
    assert document.sentences[0].translation[:12] in selected and document.sentences[1].translation[-8:] in selected
    for pair in document.sentences[:2]:
        assert pair.source[:12] not in selected, "Arabic came along with the English"
    tool(desk, "[data-view=side]")


# -- 6. Recent ------------------------------------------------------------------------------


def test_recent_documents_reopen_from_the_cache_and_can_be_removed(desk_local, local, seed_text):
    desk, reader = desk_local, local  # without a library, Recent is the browser's own
    reload(desk, reader.url, forget=True)
    other = article(seed_text, 6, seed=6)
    translate(desk, seed_text)
    translate(desk, other)
    reload(desk, reader.url)
    items = desk.locator("#recent li")
    assert items.count() == 2
    newest, oldest = items.nth(0).inner_text(), items.nth(1).inner_text()
    assert "6 sentences" in newest and "22 sentences" in oldest
    assert re.search(r"\d{1,2} [A-Z][a-z]{2} \d{4}", oldest)  # the date

    items.nth(1).locator(".recent-open").click()  # reopen the seed article: at once, from the cache
    desk.wait_for_function("() => /22 sentences, 22 from cache/.test(document.querySelector('#status').innerText)",
                           timeout=WAIT)
    assert desk.locator("#reader .en .s.pending").count() == 0

    reload(desk, reader.url)
    desk.locator("#recent li", has_text="6 sentences").locator(".recent-remove").click()
    assert desk.locator("#recent li").count() == 1
    reload(desk, reader.url)
    assert desk.locator("#recent li").count() == 1 and "22 sentences" in desk.locator("#recent li").inner_text()


# -- 7. Stop ----------------------------------------------------------------------------------


def test_stop_ends_a_translation_and_keeps_what_was_finished(browser, tiny_model, tmp_path, live_reader, seed_text):
    from spies import GatedEngine

    base = Translator.from_options(str(tiny_model), engine="ctranslate2", device="cpu", beams=1,
                                   cache_dir=str(tmp_path / "cache"))
    gated = GatedEngine(base.engine.load(), free=1)  # the first batch, then it waits for the test
    translator = Translator(gated, base.cache, settings=base.settings, quality=QualityPolicy(retry=False), batch_size=4)
    app, url = live_reader(translator)
    text = article(seed_text, 24, seed=7)
    page = open_page(browser, url, **DESKTOP)
    try:
        page.locator("#source textarea").fill(text)
        page.locator("#translate").click()
        page.locator(english(page, 0) + ":not(.pending)").wait_for(timeout=WAIT)
        assert gated.waiting.wait(60) and page.locator("#cancel").is_visible()
        page.locator("#cancel").click()
        page.locator("#status .stop-note").wait_for(timeout=WAIT)
        gated.gate.set()  # the batch under way finishes; nothing after it starts
        assert _wait(lambda: not app.reader.running), "the translation went on after Stop"
        shown = min(4, config.FIRST_BATCH_SIZE)  # the first batch, in reading order
        note = page.locator("#status .stop-note").inner_text()
        assert note.startswith(f"Stopped: {shown} of 24 sentences translated; they are kept in the cache"), note
        assert page.locator("#reader .en .s.pending").count() == 24 - shown and page.locator("#cancel").is_hidden()
        assert len(gated.batches) == 2
        first = next(translator.translate_stream(text))
        assert first.cached_count == shown + 4  # both batches that ran are in the cache
        go_on = page.locator("#status [data-action=go-on]")  # offered in place, where the note is
        assert go_on.is_visible() and go_on.inner_text() == "Go on"
        go_on.click()
        page.locator("#status .reader-status.done").wait_for(timeout=WAIT)
        assert page.locator("#reader .en .s.pending").count() == 0
        assert re.search(r"24 sentences, \d+ from cache", page.locator("#status").inner_text())
    finally:
        gated.gate.set()
        page.context.close()


def _wait(condition, timeout: float = 60.0) -> bool:
    import time

    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


# -- 8. word alignment -------------------------------------------------------------------------


def test_hovering_a_word_lights_up_the_words_it_was_translated_from(desk, reader, seed_text):
    reload(desk, reader.url)
    translate(desk, seed_text)
    tool(desk, "[data-view=side]")
    pair = reader.translator.translate(seed_text).sentences[1]
    assert pair.alignment
    source_word, target_word = pair.alignment[0]
    desk.hover(f"{english(desk, 1)} .w[data-w='{target_word}']")
    lit = desk.locator(f"{arabic(desk, 1)} .w.wl").evaluate_all("els => els.map(e => +e.dataset.w)")
    assert sorted(lit) == sorted({s for s, t in pair.alignment if t == target_word})
    assert desk.locator("#reader .en .w.wh").count() == 1
    desk.hover(f"{arabic(desk, 1)} .w[data-w='{source_word}']")
    lit = desk.locator(f"{english(desk, 1)} .w.wl").evaluate_all("els => els.map(e => +e.dataset.w)")
    assert sorted(lit) == sorted({t for s, t in pair.alignment if s == source_word})
    # Words are counted as the engine counts them (str.split), even around odd spaces.
    odd = ["a\u00a0b\u2009c", "x\u200by\ufeffz", "\x1cp\x1dq\x85r", "  ", "tab\tnew\nline\u3000end"]
    assert desk.evaluate("(texts) => texts.map(window.translateReader.words)", odd) == [t.split() for t in odd]
    assert desk.locator("#reader .en .s[data-idx='1'] .w").count() == len(pair.translation.split())


# -- 9 and 10. details, legend, keyboard ----------------------------------------------------------


def test_the_keyboard_moves_between_sentences_and_opens_their_details(desk, reader):
    reload(desk, reader.url)
    translate(desk, "في عام 2017 قصف روسي على حلب.\nوأعلنت الفصائل سيطرتها على تلة. تركيا تطالب بوقف الهجمات.")
    for _ in range(60):  # Tab from the top of the page to the first sentence
        desk.keyboard.press("Tab")
        if desk.evaluate("() => !!document.activeElement.closest('#reader .s')"):
            break
    focused = lambda: desk.evaluate("() => [+document.activeElement.dataset.idx, document.activeElement.closest('.ar') ? 'ar' : 'en']")
    assert focused()[0] == 0
    ring = desk.evaluate("() => { const s = getComputedStyle(document.activeElement); return [s.outlineStyle, parseFloat(s.outlineWidth)]; }")  # noqa: E501
    assert ring[0] != "none" and ring[1] >= 2  # focus is visible
    desk.keyboard.press("ArrowDown")
    assert focused()[0] == 1
    assert desk.locator("#reader .s.hl").evaluate_all("els => els.map(e => +e.dataset.idx)") == [1, 1]
    desk.keyboard.press("j")
    assert focused()[0] == 2
    desk.keyboard.press("k")
    desk.keyboard.press("k")
    assert focused()[0] == 0
    desk.keyboard.press("Enter")
    details = desk.locator("#reader .details")
    assert details.is_visible() and desk.evaluate("() => !!document.activeElement.closest('#reader .details')")
    text = details.inner_text()
    assert "Sentence 1 of 3" in text and "The number 2017 is missing from the English." in text
    assert "Confidence" in text and ("Translated just now." in text or "From the cache" in text)
    desk.keyboard.press("Escape")
    assert details.is_hidden() and focused()[0] == 0

    tool(desk, "[data-action=legend]")
    legend = desk.locator("#reader .legend")
    assert legend.is_visible() and "Dotted underline" in legend.inner_text()
    tool(desk, "[data-action=legend]")
    assert legend.is_hidden()


def test_a_doubtful_sentence_is_marked_with_enough_contrast(desk, reader):
    reload(desk, reader.url)
    translate(desk, "في عام 2017 قصف روسي على حلب.")
    low = desk.locator(english(desk, 0))
    assert "low" in low.get_attribute("class")
    ratio = desk.evaluate(CONTRAST + "(getComputedStyle(document.querySelector('#reader .en .s.low')).textDecorationColor, "
                          "getComputedStyle(document.body).backgroundColor)")
    assert ratio >= 3, ratio


CONTRAST = """((fg, bg) => {
    const rgb = c => c.match(/[\\d.]+/g).slice(0, 3).map(Number).map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    const lum = c => { const [r, g, b] = rgb(c); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
    const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x); return (a + 0.05) / (b + 0.05); })"""


# -- 11. accessibility -------------------------------------------------------------------------


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_axe_finds_no_serious_violation_before_and_after_a_translation(browser, reader, seed_text, theme):
    from axe_playwright_python.sync_playwright import Axe

    page = open_page(browser, f"{reader.url}?__theme={theme}", color_scheme=theme, **DESKTOP)
    try:
        area = page.locator("#source textarea")
        assert (area.get_attribute("lang"), area.get_attribute("dir")) == ("ar", "rtl")
        axe = Axe()
        found = {}
        found["before"] = axe.run(page).response["violations"]
        translate(page, seed_text)
        page.hover(english(page, 1))
        found["after"] = axe.run(page).response["violations"]
        serious = {when: [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations
                          if v["impact"] in ("serious", "critical")] for when, violations in found.items()}
        print(theme, json.dumps({when: [(v["id"], v["impact"]) for v in vs] for when, vs in found.items()}))
        assert serious == {"before": [], "after": []}
    finally:
        page.context.close()


# -- 12. phone --------------------------------------------------------------------------------


def test_on_a_phone_targets_are_large_words_say_tap_and_pairs_stack(phone, reader, seed_text):
    reload(phone, reader.url)
    small = phone.evaluate(TOO_SMALL)
    assert not small, f"touch targets under 44 px: {small}"
    words = phone.evaluate("() => document.body.innerText")
    assert "Tap a sentence" in words and "Hover" not in words and "hover" not in words
    translate(phone, seed_text)
    small = phone.evaluate(TOO_SMALL)
    assert not small, f"touch targets under 44 px: {small}"
    tool(phone, "[data-action=legend]", tap=True)
    words = phone.evaluate("() => document.body.innerText")
    # One tap opens a sentence's details (the README says so, and so does the Legend).
    assert "Tap a sentence, or press Enter on it, for its details" in words and "tapping a word" in words
    assert not re.search("[Hh]over", words)
    phone.locator("#reader .legend [data-action=close-legend]").tap()
    for index in range(5):
        above, below = box(phone, arabic(phone, index)), box(phone, english(phone, index))
        assert 0 <= below["y"] - (above["y"] + above["height"]) < 40  # the English right under its Arabic
        assert below["x"] < above["x"] + above["width"] and above["x"] < below["x"] + below["width"]
    phone.locator(f"{english(phone, 1)} .w").first.tap()
    assert phone.locator("#reader .w.wh").count() == 1


TOO_SMALL = """() => [...document.querySelectorAll('button, a[href], input, select, textarea, [role=button], [tabindex="0"]')]
    .filter(e => !e.closest('#reader .s') && e.offsetParent !== null && !e.disabled)
    .map(e => [e, e.getBoundingClientRect()])
    .filter(([e, r]) => r.width > 0 && (r.width < 44 || r.height < 44))
    .map(([e, r]) => `${e.tagName.toLowerCase()}#${e.id}.${e.className} ${Math.round(r.width)}x${Math.round(r.height)}`)"""


# -- 13. errors a reader can act on -----------------------------------------------------------


UPLOADS = {
    "windows-1256.txt": "قصف روسي على حلب".encode("cp1256"),
    "utf-16.txt": "قصف روسي على حلب".encode("utf-16"),
    "utf-16le-no-bom.txt": "قصف روسي على حلب".encode("utf-16-le"),
}


def upload(page, name: str, data: bytes) -> None:
    """Press the Upload button and choose a file, as a reader does."""
    with page.expect_file_chooser() as chooser:
        page.locator("#upload").click()
    chooser.value.set_files(files=[{"name": name, "mimeType": "application/octet-stream", "buffer": data}])


def test_uploads_in_old_encodings_are_read_and_a_bad_one_is_explained_beside_the_buttons(desk, reader):
    reload(desk, reader.url)
    area = desk.locator("#source textarea")
    for name, data in UPLOADS.items():
        area.fill("")
        upload(desk, name, data)
        desk.wait_for_function("() => document.querySelector('#source textarea').value.length > 0", timeout=WAIT)
        assert area.input_value() == "قصف روسي على حلب", name
    upload(desk, "photo.txt", bytes(range(256)) * 8)
    notice = desk.locator("#upload-note .reader-notice")
    notice.wait_for(timeout=WAIT)
    assert "binary" in notice.inner_text() and "--" not in notice.inner_text()
    assert "Error" not in desk.locator("#source").inner_text()  # nothing covers the text box
    assert area.input_value() == "قصف روسي على حلب" and area.is_editable()
    area.fill("حلب")
    assert notice.is_hidden()  # typing clears it


def test_the_character_counter_warns_before_the_limit_and_messages_name_the_page(desk, reader):
    reload(desk, reader.url)
    counter = desk.locator("#source-notes .char-count")
    desk.locator("#source textarea").fill("قصف روسي")
    assert counter.inner_text() == "8 of 100,000 characters"
    desk.locator("#source textarea").fill("حلب " * 24_000)
    assert "near" in counter.get_attribute("class")
    desk.locator("#source textarea").fill("حلب " * 25_250)
    assert "1,000 over the limit of 100,000" in counter.inner_text()
    desk.locator("#translate").click()
    status = desk.locator("#source-notes .reader-status.failed")  # beside Translate
    status.wait_for(timeout=WAIT)
    assert "up to 100,000" in status.inner_text() and "--" not in status.inner_text() and "`" not in status.inner_text()
    assert desk.locator("#start").is_visible()  # the text stays at hand to shorten


def test_samples_have_titles_and_quoted_subheadings_are_headlines(desk, reader, seed_text):
    reload(desk, reader.url)
    desk.locator("#sample input").click()
    options = desk.locator("[role=option]").all_inner_texts()
    assert options and not any(option.strip().endswith((".txt", ".md")) for option in options), options
    desk.locator("[role=option]").first.click()
    desk.wait_for_function("() => document.querySelector('#source textarea').value.length > 100", timeout=WAIT)
    assert desk.locator("#source textarea").input_value() == seed_text
    desk.locator("#translate").click()
    desk.locator("#status .reader-status.done").wait_for(timeout=WAIT)
    headings = desk.locator("#reader .col.ar .heading")
    assert headings.count() == 3
    styles = headings.evaluate_all("els => els.map(e => [getComputedStyle(e).fontWeight, getComputedStyle(e).fontSize])")
    assert len(set(map(tuple, styles))) == 1
    assert "“قصف مناطق آمنة”" in headings.all_inner_texts()


def test_html_in_the_text_is_shown_as_text(desk, reader):
    reload(desk, reader.url)
    translate(desk, "قصف روسي <b>على</b> حلب\n<script>window.hacked = 1</script>\n<img src=x onerror=\"window.hacked = 2\">")
    assert desk.locator("#reader img, #reader script, #reader b").count() == 0
    assert "<script>window.hacked = 1</script>" in desk.locator("#reader .pane").inner_text()
    assert desk.evaluate("() => window.hacked") is None


def test_a_failure_is_told_in_the_status_line_never_left_on_loading(browser, reader, live_reader):
    from spies import BrokenEngine

    broken = Translator(BrokenEngine(reader.translator.engine, ModelLoadError("cannot load the model: out of memory")),
                        reader.translator.cache, settings=reader.translator.settings)
    _, url = live_reader(broken)
    page = open_page(browser, url, **DESKTOP)
    try:
        page.locator("#source textarea").fill("وقال المرصد إن الاشتباكات مستمرة في ريف إدلب الجنوبي منذ أيام.")
        page.locator("#translate").click()
        status = page.locator("#status .reader-status.failed")
        status.wait_for(timeout=WAIT)
        assert "out of memory" in status.inner_text() and "Loading" not in page.locator("#status").inner_text()
        assert page.locator("#cancel").is_hidden() and page.locator("#reader .pane[aria-busy]").count() == 0
    finally:
        page.context.close()


# -- 14. documents: uploads, a web address, downloads ---------------------------------------


def test_a_word_document_is_read_translated_and_downloaded_as_tmx(desk, reader):
    from lxml import etree
    from sample_documents import DATA, DOCX_TITLE, make_docx

    reload(desk, reader.url)
    upload(desk, "report.ar.docx", make_docx()[0])
    loaded = desk.locator("#upload-note .reader-loaded")
    loaded.wait_for(timeout=WAIT)
    assert "Word document" in loaded.inner_text() and DOCX_TITLE in loaded.inner_text()
    assert desk.locator("#source textarea").input_value().startswith(DOCX_TITLE + "\n")
    assert desk.locator("#downloads").is_hidden()
    before = desk.evaluate("() => window.translateReader.state().run")
    desk.locator("#translate").click()
    desk.wait_for_function("""(before) => window.translateReader.state().run !== before
        && document.querySelector('#status .reader-status.done')""", arg=before, timeout=WAIT)
    assert desk.locator("#bar .doc-title").inner_text() == DOCX_TITLE
    assert desk.locator("#reader .col.ar .heading").count() == 3  # the title and two headings
    assert desk.locator("#reader .en .s.pending").count() == 0
    row = desk.locator("#downloads")
    assert row.is_hidden()
    desk.locator("#bar-tools [data-action=downloads]").click()  # the downloads are one menu
    assert row.is_visible()
    assert [b.strip() for b in row.locator("button").all_inner_texts()] == [
        "Word .docx", "TMX", "XLIFF", "Bilingual .html", "Markdown", "Pairs .jsonl"]
    with desk.expect_download() as download:
        desk.locator("#download-tmx").click()
    assert download.value.suggested_filename == "report.en.tmx"
    tmx = etree.fromstring(Path(download.value.path()).read_bytes())
    dtd = etree.DTD(str(DATA / "tmx14.dtd"))
    assert dtd.validate(tmx), dtd.error_log.filter_from_errors()
    assert len(list(tmx.iter("tu"))) == desk.locator("#reader .en .s").count()


def test_each_bad_upload_gives_one_notice_and_keeps_the_document_in_the_box(desk, reader):
    from sample_documents import make_docx, make_scanned_pdf

    reload(desk, reader.url)
    upload(desk, "report.ar.docx", make_docx()[0])
    desk.locator("#upload-note .reader-loaded").wait_for(timeout=WAIT)
    area = desk.locator("#source textarea")
    kept = area.input_value()
    bad = [("photo.txt", bytes(range(256)) * 8, "binary"),
           ("scan.pdf", make_scanned_pdf(), "no text layer"),
           ("photo.png", b"\x89PNG\r\n\x1a\n" + bytes(64), "not a format the page reads"),
           ("broken.docx", make_docx()[0][:3000], "damaged Word document"),
           ("huge.pdf", b"%PDF-1.4\n" + bytes(reader.app.reader.max_upload), "the page takes files up to 5.0 MB")]
    for name, data, words in bad:
        upload(desk, name, data)
        notice = desk.locator("#upload-note [role=alert]:visible", has_text=name)
        notice.wait_for(timeout=WAIT)
        assert words in notice.inner_text() and "--" not in notice.inner_text(), name
        assert desk.locator("#upload-note [role=alert]:visible, #upload-note .reader-loaded:visible").count() == 1, name
        assert desk.locator(".toast-body").count() == 0, name  # no bare "Error" toast
        assert area.input_value() == kept and area.is_editable()
    assert desk.locator("#source").inner_text().count("Error") == 0


def test_a_web_address_is_fetched_and_translated_and_local_ones_are_refused(browser, reader, live_reader, news_site):
    article = f"{news_site}/news/aleppo-offensive"
    refused = open_page(browser, reader.url, **DESKTOP)  # served without --allow-private-urls
    _, url = live_reader(reader.translator, allow_private_urls=True)
    page = open_page(browser, url, **DESKTOP)
    try:
        refused.locator("#url input, #url textarea").fill(article)
        refused.locator("#fetch").click()
        notice = refused.locator("#url-note [role=alert]")
        notice.wait_for(timeout=WAIT)
        assert "private or local address" in notice.inner_text()
        assert refused.locator("#source textarea").input_value() == ""

        page.locator("#url input, #url textarea").fill(article)
        page.locator("#url input, #url textarea").press("Enter")
        page.locator("#status .reader-status.done").wait_for(timeout=WAIT)
        title = page.locator("#bar .doc-title").inner_text()
        assert title and page.locator("#source textarea").input_value().startswith(title)
        assert page.locator("#start").is_hidden()  # the reading screen, as after Translate
        page.locator("#bar-tools [data-action=downloads]").click()
        assert page.locator("#download-same").inner_text().strip() == "English web page"
    finally:
        refused.context.close()
        page.context.close()


@pytest.mark.parametrize("ci, outcome", [("", pytest.skip.Exception), ("true", pytest.fail.Exception)])
def test_a_missing_chromium_is_a_skip_with_its_reason_except_under_ci(monkeypatch, ci, outcome):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    monkeypatch.setenv("CI", ci)
    with pytest.raises(outcome, match="Chromium is not installed.*apt-get install chromium"):
        chromium_path()


def test_the_bilingual_download_is_headed_by_the_documents_title_and_says_tap_on_a_phone(browser, reader, tmp_path):
    from sample_documents import DOCX_TITLE, make_docx

    from translate.readers import read_document
    from translate.writers.bilingual import to_html

    report = read_document(make_docx()[0], "report.ar.docx")
    *_, document = reader.translator.translate_stream(report, name="report.ar.docx")
    page = browser.new_context(**PHONE).new_page()
    try:
        page.set_content(to_html(document))
        assert page.locator("h1").inner_text() == DOCX_TITLE  # its title, not "report.ar.docx"
        english = page.locator(".page-english").inner_text()
        assert english == document.sentences[0].translation and page.title() == english
        words = page.evaluate("() => document.body.innerText")
        assert "report.ar.docx · Arabic → English" in words
        assert "Tap a sentence" in words and not re.search("[Hh]over", words)
    finally:
        page.context.close()
    desk = browser.new_context(**DESKTOP).new_page()
    try:
        desk.set_content(to_html(document))
        assert "Hover over a sentence" in desk.evaluate("() => document.body.innerText")
    finally:
        desk.context.close()


def test_recent_reopens_a_sample_as_it_came(desk_local, local):
    desk, reader = desk_local, local
    reload(desk, reader.url, forget=True)
    desk.locator("#sample input").click()
    desk.locator("[role=option]").first.click()
    desk.wait_for_function("() => document.querySelector('#source textarea').value.length > 100", timeout=WAIT)
    desk.locator("#translate").click()
    desk.locator("#status .reader-status.done").wait_for(timeout=WAIT)
    reload(desk, reader.url)
    entry = desk.locator("#recent li").first
    assert "Sample article" in entry.inner_text()
    entry.locator(".recent-open").click()  # from the server's samples again, not as pasted text
    desk.wait_for_function("() => /22 sentences, 22 from cache/.test(document.querySelector('#status').innerText)",
                           timeout=WAIT)
    tool(desk, "[data-action=copy]")  # the menus close, and the downloads are named after the sample
    desk.locator("#bar-tools [data-action=downloads]").click()
    with desk.expect_download() as download:
        desk.locator("#download-same").click()
    assert download.value.suggested_filename == "aleppo-offensive.en.txt"


def test_recent_fetches_a_web_article_again_and_one_gone_reopens_as_its_text(browser, reader, live_reader, news_site):
    _, url = live_reader(reader.translator, allow_private_urls=True, library=None)  # Recent: the browser's
    page = open_page(browser, url, **DESKTOP)
    try:
        page.evaluate("() => localStorage.clear()")
        page.locator("#url input").fill(f"{news_site}/news/aleppo-offensive")
        page.locator("#url input").press("Enter")
        page.wait_for_function("() => document.querySelector('#status .reader-status.done')", timeout=WAIT)
        text, title = page.locator("#source textarea").input_value(), page.locator("#bar .doc-title").inner_text()
        reload(page, url)
        assert "Web article" in page.locator("#recent li").first.inner_text()
        before = page.evaluate("() => window.translateReader.state().run")
        page.locator("#recent .recent-open").first.click()  # fetched again, translated at once
        page.wait_for_function("""(before) => window.translateReader.state().run !== before
            && document.querySelector('#status .reader-status.done')""", arg=before, timeout=WAIT)
        assert page.locator("#bar .doc-title").inner_text() == title
        page.locator("#bar-tools [data-action=downloads]").click()
        assert page.locator("#download-same").inner_text().strip() == "English web page"
        gone = f"{news_site}/news/gone"  # as if the site had taken the article down since
        page.evaluate("""(gone) => { const key = 'translate-reader.recent', list = JSON.parse(localStorage.getItem(key));
            list[0].source.url = gone; localStorage.setItem(key, JSON.stringify(list)); }""", gone)
        reload(page, url)
        page.locator("#recent .recent-open").first.click()
        note = page.locator("#recent .recent-note [role=status]")
        note.wait_for(timeout=WAIT)
        assert "Could not open the article as it came" in note.inner_text() and "404" in note.inner_text()
        page.wait_for_function("(text) => document.querySelector('#source textarea').value === text", arg=text,
                               timeout=WAIT)  # the text kept in the browser, in the box
        assert note.is_visible() and page.locator("#translate").is_visible()  # said where it is seen
        translate(page, text)
        assert page.locator("#reader .en .s.pending").count() == 0
        assert re.search(r"(\d+) sentences, \1 from cache", page.locator("#status").inner_text())  # at once
    finally:
        page.context.close()


def test_links_and_emphasis_show_in_both_columns_and_open_in_a_new_tab(desk, reader):
    reload(desk, reader.url)
    markdown = ("# قصف **روسي** على [حلب](https://example.org/aleppo)\n\n"
                "تدور اشتباكات _عنيفة_ في [مدينة حلب](https://example.org/city?a=1&b=2) "
                "و[المصدر](javascript:alert(1)).\n")
    upload(desk, "notes.md", markdown.encode())
    desk.wait_for_function("() => document.querySelector('#source textarea').value.length > 0", timeout=WAIT)
    translate(desk, desk.locator("#source textarea").input_value())
    for side in ("ar", "en"):
        links = desk.locator(f"#reader .{side} .s a")
        assert links.count() == 2, side  # placed on words, or kept after the sentence as [source]
        hrefs = sorted(links.nth(k).get_attribute("href") for k in range(2))
        assert hrefs == ["https://example.org/aleppo", "https://example.org/city?a=1&b=2"], side
        assert all(links.nth(k).get_attribute("rel") == "noopener noreferrer"
                   and links.nth(k).get_attribute("target") == "_blank" for k in range(2))
    assert desk.locator("#reader .ar .s b").count() == 1 and desk.locator("#reader .ar .s i").inner_text() == "عنيفة"
    assert desk.locator("#reader a[href^=javascript]").count() == 0


# -- the Library --------------------------------------------------------------------------------


def test_the_library_searches_as_you_type_marks_hits_and_opens_a_document_at_once(browser, desk, reader, seed_text):
    from translate.store.library import DATASET, Library, Source
    from translate.text.document import segment_document
    from translate.translation import Translation

    reload(desk, reader.url, forget=True)
    translate(desk, seed_text)
    hostile = "<img src=x onerror=window.pwned=1>"
    document = segment_document(f"وأعلنت تركيا وقف الهجمات على إدلب.\nوقال مسؤول {hostile}.", "archive#1")
    document = document.with_translations({pair.index: pair.filled(Translation(english, -0.4, (), ()))
                                           for pair, english in zip(document.sentences, [
                                               "Turkey announced an end to the attacks on Idlib.",
                                               f"An official said {hostile}."])})
    Library(reader.translator.cache.folder).record([(Source(DATASET, f"archive.jsonl#{hostile}"), document)])

    other = open_page(browser, reader.url, **DESKTOP)  # another browser: the same list, newest first
    try:
        entries = other.locator("#library .library-entry")
        entries.first.wait_for(timeout=WAIT)
        assert "archive.jsonl#<img" in entries.nth(0).inner_text() and "22 sentences" in entries.nth(1).inner_text()
        other.locator("#library-query input").click()
        other.keyboard.type("بإدلب attacks")  # searched as it is typed: the last value
        other.wait_for_function("() => document.querySelector('#library .library-hits .hit-en mark')", timeout=WAIT)
        found = other.locator("#library .library-entry")
        assert found.count() == 1
        assert other.locator("#library .hit-ar mark").all_inner_texts() == ["إدلب"]
        assert other.locator("#library .hit-en mark").all_inner_texts() == ["attacks"]
        assert other.evaluate("() => getComputedStyle(document.querySelector('#library .hit-ar')).textAlign") == "right"
        assert other.evaluate("() => window.pwned === undefined && !document.querySelector('#library img')")
        found.first.locator(".library-open").click()  # into the reading view, from the library
        other.wait_for_function("() => /2 sentences, opened from the library/.test(document.querySelector('#status')"
                                ".innerText)", timeout=WAIT)
        assert other.locator("#reader .en .s").all_inner_texts() == ["Turkey announced an end to the attacks on Idlib.",
                                                                      f"An official said {hostile}."]
        assert other.evaluate("() => window.pwned === undefined && !document.querySelector('#reader img')")
        assert other.locator("body.reader-reading").count() == 1 and not other.errors, other.errors
    finally:
        other.context.close()
