"""The text box, Translate beside it, and what is said about them: the character
count, a text changed since its translation, and why Translate refused a text.

Translate streams the translation into the reading view (:mod:`.reading`), the
status line and the downloads (:mod:`.bar`); Stop, in the bar, cancels it.
"""
from __future__ import annotations

import gradio as gr

from ... import config
from ..service import DOWNLOAD_FORMATS
from ..view import status_html, step_view
from . import Page, html

SOURCE, NOTES, TRANSLATE, ACTIONS = "source", "source-notes", "translate", "actions"

_NOTES = """<div class="source-notes">
  <span class="char-count" id="char-count-text" aria-live="polite">0 of {limit:,} characters</span>
  <div class="translate-note" hidden></div>
  <div class="doc-stale" hidden>The text has changed since the translation you were reading.</div>
  <button type="button" class="rbtn doc-back" data-action="back">Back to the translation</button>
</div>"""


def render(page: Page) -> None:
    text = gr.Textbox(label="Arabic text", lines=6, max_lines=12, rtl=True, elem_id=SOURCE,
                      placeholder="الصق النص العربي هنا", autoscroll=False,
                      html_attributes=gr.InputHTMLAttributes(lang="ar", spellcheck=False))
    with gr.Row(elem_id=ACTIONS, equal_height=True):
        notes = html(_NOTES.format(limit=page.service.max_chars), elem_id=NOTES, part="notes", scale=1, min_width=0)
        button = gr.Button("Translate", variant="primary", elem_id=TRANSLATE, scale=0, min_width=130)
    page.add(text=text, notes=notes, translate=button)


def listen(page: Page) -> None:
    service = page.service
    hidden = [gr.DownloadButton(visible=False)] * len(DOWNLOAD_FORMATS)

    def translate_page(text, loaded, use_memory, glossary, request: gr.Request):
        """What Translate streams: the view data, the status line, one value per download."""
        for step in service.translate_page(text, loaded, use_memory, glossary, user=page.user(request)):
            downloads = hidden if step.state != "done" else [
                gr.DownloadButton(label=label, value=str(path), visible=True) if path else gr.DownloadButton(visible=False)
                for label, path in step.downloads]
            yield step_view(step), status_html(step), *downloads

    # Several translations run at once, taking turns at the model batch by batch
    # (the translator's fair lock), so a short text never waits for a long one.
    page.events["translate"] = page["translate"].click(
        translate_page, [page["text"], page.loaded, page.use_memory, page.glossary],
        [page["view"], page["status"], *page["downloads"]], api_name="translate_page",
        api_visibility="undocumented", show_progress="hidden", concurrency_limit=config.PAGE_WORKERS,
        concurrency_id="model")
