"""The page as a daily reader meets it, laid out with realistic English: a journalist at
a laptop (1366×768) and on a phone (390×844), in the light and the dark scheme. The
seed article is answered with its reference English (tests/reference_engine.py), so
the lengths on screen are those of real English; the tiny model does the rest.

Asserted: the text's share of the window after Translate; every message in view,
beside the control that caused it, with Translate in view; a sentence's details never
covering it, their actions in view; Recent above the fold after a reload; axe without
serious or critical violations in each of these states. With $READER_SCREENS set, each
state is also saved there as a PNG, to be looked at.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from reference_engine import reference_translator, seed_references
from sample_documents import DOCX_TITLE, make_docx, make_scanned_pdf
from test_browser import CHROMIUM_FLAGS, WAIT, browser, open_page, reload, translate, upload  # noqa: F401

LAPTOP = dict(viewport={"width": 1366, "height": 768}, locale="en-US")
PHONE = dict(viewport={"width": 390, "height": 844}, locale="en-US", is_mobile=True, has_touch=True,
             device_scale_factor=2)
SCREENS = {"laptop": LAPTOP, "phone": PHONE}
#: The share of the window's height the text gets once Translate is pressed (the issue's floor).
TEXT_SHARE = 0.85
#: How far (px) a message may stand from the control that caused it.
BESIDE = 140

IN_VIEW = """(s) => { const e = document.querySelector(s); if (!e) return false; const r = e.getBoundingClientRect();
    return r.height > 0 && r.top >= 0 && r.bottom <= innerHeight && r.left >= 0 && r.right <= innerWidth; }"""
# Not hidden under the bars fixed to the screen's edges either.
UNCOVERED = """(s) => { const e = document.querySelector(s); if (!e) return false; const r = e.getBoundingClientRect();
    const x = Math.min(Math.max(r.left + 8, 0), innerWidth - 1), y = Math.min(Math.max(r.top + r.height / 2, 0), innerHeight - 1);
    const top = document.elementFromPoint(x, y); return !!top && (e.contains(top) || top.contains(e)); }"""
GAP = """([a, b]) => { const r = document.querySelector(a).getBoundingClientRect(), s = document.querySelector(b).getBoundingClientRect();
    return Math.max(0, Math.max(r.top, s.top) - Math.min(r.bottom, s.bottom)); }"""
TEXT_SHARE_JS = """() => { const r = document.querySelector('#reader .pane').getBoundingClientRect();
    return (Math.min(r.bottom, innerHeight) - Math.max(r.top, 0)) / innerHeight; }"""


@pytest.fixture(scope="module")
def served(tiny_model, tmp_path_factory, live_reader):
    translator = reference_translator(tiny_model, tmp_path_factory.mktemp("layout-cache"))
    app, url = live_reader(translator, allow_private_urls=True)
    return url


def shot(page, name: str) -> None:
    folder = os.environ.get("READER_SCREENS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"))


def in_view(page, selector: str) -> bool:
    return page.evaluate(IN_VIEW, selector) and page.evaluate(UNCOVERED, selector)


def gap(page, a: str, b: str) -> float:
    """The vertical distance between two elements (0 when they overlap in height)."""
    return page.evaluate(GAP, [a, b])


def said_beside(page, message: str, control: str) -> None:
    assert in_view(page, message), f"{message} is not in view"
    assert gap(page, message, control) <= BESIDE, f"{message} is {gap(page, message, control)} px from {control}"
    assert in_view(page, "#translate"), "Translate left the screen"


@pytest.mark.parametrize("screen", ["laptop", "phone"])
@pytest.mark.parametrize("theme", ["light", "dark"])
def test_a_readers_session_keeps_messages_beside_their_controls_and_gives_the_text_the_window(browser, served,
                                                                                             seed_text, screen, theme):
    page = open_page(browser, served, color_scheme=theme, **SCREENS[screen])
    name = f"{screen}-{theme}"
    try:
        page.evaluate("() => localStorage.clear()")
        reload(page, served)
        shot(page, f"{name}-01-start")
        assert in_view(page, "#translate") and in_view(page, "#source textarea")

        upload(page, "report.ar.docx", make_docx()[0])  # a Word report: its note beside Upload
        page.locator("#upload-note .reader-loaded").wait_for(timeout=WAIT)
        said_beside(page, "#upload-note .reader-loaded", "#upload")
        shot(page, f"{name}-02-word")

        upload(page, "scan.pdf", make_scanned_pdf())  # a broken PDF: said beside Upload, the report kept
        page.locator("#upload-note .reader-notice").wait_for(timeout=WAIT)
        said_beside(page, "#upload-note .reader-notice", "#upload")
        assert page.locator("#source textarea").input_value().startswith(DOCX_TITLE)
        shot(page, f"{name}-03-broken-pdf")

        page.locator("#url input").fill("http://127.0.0.1:9/nothing-here")  # an address that does not answer
        page.locator("#fetch").click()
        page.locator("#url-note .reader-notice").wait_for(timeout=WAIT)
        said_beside(page, "#url-note .reader-notice", "#url")

        with page.expect_file_chooser() as chooser:  # a glossary with a term twice: said beside its button
            page.locator("#glossary").click()
        chooser.value.set_files(files=[{"name": "twice.tsv", "mimeType": "text/tab-separated-values",
                                        "buffer": "حلب\tAleppo\nحلب\tHalab\n".encode()}])
        page.locator("#glossary-note .reader-notice").wait_for(timeout=WAIT)
        said_beside(page, "#glossary-note .reader-notice", "#glossary")

        page.locator("#source textarea").fill("حلب " * 25_250)  # over the limit: the counter and why, by Translate
        page.locator("#translate").click()
        page.locator("#source-notes .reader-status.failed").wait_for(timeout=WAIT)
        said_beside(page, "#source-notes .reader-status.failed", "#translate")
        assert in_view(page, "#source-notes .char-count.over")
        shot(page, f"{name}-04-over-limit")

        translate(page, seed_text)  # the reading screen: one slim bar, and the text gets the window
        share = page.evaluate(TEXT_SHARE_JS)
        print(name, "text share", round(share, 3))
        assert share >= TEXT_SHARE, share
        bar = page.locator("#bar").bounding_box()
        assert bar["y"] <= 0.5 and bar["height"] <= 0.12 * SCREENS[screen]["viewport"]["height"]
        assert page.evaluate("() => document.querySelector('#bar').scrollWidth <= innerWidth")  # nothing sticks out
        assert page.locator("#start").is_hidden() and page.locator("#reader-title").is_hidden()
        english = list(seed_references().values())
        assert page.locator("#reader .en .s[data-idx='2']").inner_text() == english[2]
        shot(page, f"{name}-05-reading")

        page.locator("#reader .en .s[data-idx='3']").click()  # one click: the details, beside or under it
        details = page.locator("#reader .details")
        details.wait_for(timeout=WAIT)
        assert "Sentence 4 of 22" in details.inner_text()
        check_details_leave_the_sentence_in_view(page, 3, screen)
        shot(page, f"{name}-06-details")

        page.locator("#bar-tools [data-action=downloads]").click()  # the downloads: one menu
        menu = page.locator("#downloads")
        assert menu.is_visible() and in_view(page, "#download-same")
        assert [b.strip() for b in menu.locator("button").all_inner_texts()] == [
            "English .txt", "TMX", "XLIFF", "Bilingual .html", "Markdown", "Pairs .jsonl"]
        shot(page, f"{name}-07-downloads")
        page.keyboard.press("Escape")
        assert menu.is_hidden()

        reload(page, served)  # the next day: Recent (the Library's newest) is there, above the fold, in both languages
        first = "#library .library-entry:first-child .library-open"
        page.locator(first).wait_for(timeout=WAIT)
        assert in_view(page, first)
        entry = page.locator(first).inner_text()
        assert seed_references()[split_first(seed_text)].split()[0] in entry and "22 sentences" in entry
        assert re.search(r"[\u0621-\u064A]", entry)
        shot(page, f"{name}-08-recent")
    finally:
        page.context.close()


def split_first(text: str) -> str:
    from translate import split_sentences

    return split_sentences(text)[0]


def check_details_leave_the_sentence_in_view(page, index: int, screen: str) -> None:
    """The sentence's details cover neither language of it, and their actions are in view
    without scrolling inside the panel."""
    overlaps = page.evaluate("""(i) => { const d = document.querySelector('#reader .details').getBoundingClientRect();
        return [...document.querySelectorAll(`#reader .pane .s[data-idx="${i}"]`)].map(s => { const r = s.getBoundingClientRect();
            return r.left < d.right && d.left < r.right && r.top < d.bottom && d.top < r.bottom; }); }""", index)
    assert overlaps and not any(overlaps), overlaps
    first_line = page.evaluate("""(i) => { const s = document.querySelector(`#reader .pane .en .s[data-idx="${i}"]`).getClientRects()[0];
        return s.top >= 0 && s.bottom <= innerHeight; }""", index)
    assert first_line, "the sentence left the screen"
    panel = page.evaluate("""() => { const d = document.querySelector('#reader .details');
        return [d.scrollTop, d.scrollHeight - d.clientHeight, getComputedStyle(d).overflowY]; }""")
    if screen == "laptop":  # beside the text: every action in view, the panel not scrolled
        assert panel[0] == 0
        for action in ("copy-sentence", "close-details", "complete", "next-word", "save", "alternatives"):
            assert in_view(page, f"#reader .details [data-action={action}]"), action
    else:  # under the sentence, in its column: no panel of its own to scroll, its head in view
        assert panel[1] <= 1, panel
        assert in_view(page, "#reader .details [data-action=close-details]")


def test_on_a_phone_only_the_views_that_differ_are_offered(browser, served, seed_text):
    page = open_page(browser, served, **PHONE)
    try:
        translate(page, seed_text)
        page.locator("#bar-tools [data-action=menu]").tap()
        offered = [b.get_attribute("data-view") for b in page.locator("#bar-tools [data-view]").all() if b.is_visible()]
        assert offered == ["interleaved", "en", "ar"]  # side by side is interleaved on a phone
        pressed = page.locator("#bar-tools [data-view][aria-pressed=true]")
        assert pressed.count() == 1 and pressed.get_attribute("data-view") == "interleaved" and pressed.is_visible()
        page.locator("#bar-tools [data-view=en]").tap()
        assert page.locator("#reader .ar .s").count() == 0
    finally:
        page.context.close()


def test_after_a_reload_a_word_report_reopens_from_the_library_as_word(browser, served):
    """Recent is the Library's newest: the report, by its title and file name, opened again
    from the library, with its Word download."""
    page = open_page(browser, served, **LAPTOP)
    try:
        page.evaluate("() => localStorage.clear()")
        upload(page, "report.ar.docx", make_docx()[0])
        page.locator("#upload-note .reader-loaded").wait_for(timeout=WAIT)
        page.locator("#translate").click()
        page.locator("#status .reader-status.done").wait_for(timeout=WAIT)
        reload(page, served)
        entry = page.locator("#library .library-entry").first
        assert DOCX_TITLE in entry.inner_text() and "report.ar.docx" in entry.inner_text()
        before = page.evaluate("() => window.translateReader.state().run")
        entry.locator(".library-open").click()
        page.wait_for_function("""(before) => window.translateReader.state().run !== before
            && document.querySelector('#status .reader-status.done')""", arg=before, timeout=WAIT)
        assert page.locator("#bar .doc-title").inner_text() == DOCX_TITLE
        page.locator("#bar-tools [data-action=downloads]").click()
        assert page.locator("#download-same").inner_text().strip() == "Word .docx"  # not "English .txt"
        with page.expect_download() as download:
            page.locator("#download-same").click()
        assert download.value.suggested_filename == "report.en.docx"
    finally:
        page.context.close()


def test_a_word_upload_clears_the_sample_picker_and_samples_are_named_plainly(browser, served, seed_text):
    page = open_page(browser, served, **LAPTOP)
    try:
        page.locator("#sample input").click()
        options = page.locator("[role=option]").all_inner_texts()
        assert options and all(re.fullmatch(r"[^·]+ · \d+ sentences", o.strip()) for o in options), options
        page.locator("[role=option]").first.click()
        page.wait_for_function("() => document.querySelector('#source textarea').value.length > 100", timeout=WAIT)
        assert page.locator("#sample input").input_value()
        upload(page, "report.ar.docx", make_docx()[0])
        page.locator("#upload-note .reader-loaded").wait_for(timeout=WAIT)
        page.wait_for_function("() => document.querySelector('#sample input').value === ''", timeout=WAIT)
    finally:
        page.context.close()


def test_a_score_says_what_to_do_and_keeps_the_number_behind_why(browser, served):
    page = open_page(browser, served, **LAPTOP)
    try:
        translate(page, "قصف روسي على حلب")
        page.locator("#reader .en .s[data-idx='0']").click()
        facts = page.locator("#reader .details .confidence")
        facts.wait_for(timeout=WAIT)
        said = facts.inner_text()
        assert re.match(r"Confidence: (high|fair|low)\. ", said) and "log-probability" not in said
        assert not re.search(r"−?\d\.\d\d", said)  # the number is behind "Why?"
        page.locator("#reader .details .why summary").click()
        why = page.locator("#reader .details .why p").inner_text()
        assert re.search(r"score for this sentence is −?\d\.\d\d", why) and "log-probability" in why
    finally:
        page.context.close()


def test_the_changed_text_note_is_not_squeezed_and_never_says_to_press_translate_again(browser, served, seed_text):
    page = open_page(browser, served, **PHONE)
    try:
        translate(page, seed_text)
        page.locator("[data-action=new]").tap()
        page.locator("#source textarea").fill("حلب " * 25_250)  # then a refused Translate
        page.locator("#translate").tap()
        page.locator("#source-notes .reader-status.failed").wait_for(timeout=WAIT)
        stale = page.locator("#source-notes .doc-stale")
        assert stale.is_visible() and "press Translate" not in stale.inner_text()
        assert stale.bounding_box()["width"] >= 0.6 * 390  # a line of its own, not a column of a word or two
        assert in_view(page, "#source-notes .doc-stale") and in_view(page, "#source-notes .doc-back")
        page.locator("#source-notes .doc-back").tap()  # back to the translation, untouched
        assert page.locator("#reader .en .s").count() == 22 and page.locator("#start").is_hidden()
    finally:
        page.context.close()


def test_the_bar_and_the_controls_line_up(browser, served, seed_text):
    page = open_page(browser, served, **LAPTOP)
    try:
        lefts = page.evaluate("""() => ['#upload', '#glossary', '#memory-switch .switch']
            .map(s => Math.round(document.querySelector(s).getBoundingClientRect().left))""")
        assert max(lefts) - min(lefts) <= 1, lefts  # the memory switch in line with the buttons
        translate(page, seed_text)
        pads = page.evaluate("""() => [...document.querySelectorAll('#bar button.rbtn')].filter(b => b.offsetParent)
            .map(b => { const s = getComputedStyle(b); return [b.textContent.trim(), parseFloat(s.paddingLeft),
              b.scrollWidth <= b.clientWidth]; })""")
        assert pads and all(pad >= 8 and fits for _, pad, fits in pads), pads  # no label touches its border
        page.locator("#bar-tools [data-action=menu]").click()
        pressed = page.evaluate("""() => getComputedStyle(document.querySelector('#bar-tools [aria-pressed=true]')).backgroundColor""")
        red, green, blue = map(int, re.findall(r"\d+", pressed)[:3])
        assert max(red, green, blue) - min(red, green, blue) <= 24, pressed  # a neutral, not a bright blue
    finally:
        page.context.close()


AXE_SCREEN = dict(viewport={"width": 1280, "height": 800}, locale="en-US")


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_axe_finds_no_serious_violation_in_any_state(browser, served, seed_text, theme):
    """axe-core (axe-playwright-python) at 1280×800 with prefers-color-scheme alone deciding
    the theme, in each state a reader passes through."""
    from axe_playwright_python.sync_playwright import Axe

    axe, found = Axe(), {}
    page = open_page(browser, served, color_scheme=theme, **AXE_SCREEN)

    def check(state: str) -> None:
        violations = axe.run(page).response["violations"]
        found[state] = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in violations
                        if v["impact"] in ("serious", "critical")]

    try:
        page.evaluate("() => localStorage.clear()")
        reload(page, served)
        check("landed")
        upload(page, "report.ar.docx", make_docx()[0])
        page.locator("#upload-note .reader-loaded").wait_for(timeout=WAIT)
        check("a document's note")
        page.locator("#source textarea").fill("حلب " * 25_250)
        page.locator("#translate").click()
        page.locator("#source-notes .reader-status.failed").wait_for(timeout=WAIT)
        check("a refusal beside Translate")
        translate(page, seed_text)
        page.hover("#reader .en .s[data-idx='1']")
        check("reading")
        page.locator("#reader .en .s[data-idx='1']").click()
        page.locator("#reader .details [data-action=alternatives]").click()
        page.locator("#reader .details .alt-list li").first.wait_for(timeout=WAIT)
        page.locator("#reader .details .why summary").click()
        check("details, alternatives and why")
        page.locator("#bar-tools [data-action=downloads]").click()
        check("the downloads menu")
        page.locator("#bar-tools [data-action=menu]").click()
        check("the view menu")
        page.locator("#bar-tools [data-action=legend]").click()
        check("the legend")
        page.locator("[data-action=new]").click()
        page.locator("#source textarea").press("End")
        page.locator("#source textarea").type(" وداعا")
        check("the start screen, the text changed")
        reload(page, served)
        check("Recent after a reload")
        print(theme, found)
        assert found == {state: [] for state in found}
    finally:
        page.context.close()
