"""The bar over the text while reading: one slim line with New document, the
document's name, the status line (Stop while it runs, Go on after Stop), the views
and the text size, Copy English, the Legend, and the downloads as one menu."""
from __future__ import annotations

import gradio as gr

from ..service import DOWNLOAD_FORMATS, DOWNLOAD_LABELS
from . import Page, html, module_call

BAR, BAR_START, STATUS, CANCEL, TOOLS, DOWNLOADS = "bar", "bar-start", "status", "cancel", "bar-tools", "downloads"

_START = """<div class="bar-start">
  <button type="button" class="rbtn doc-new" data-action="new" aria-label="New document: open or paste another">
    <span class="wide-only" aria-hidden="true">New document</span><span class="narrow-only" aria-hidden="true">New</span></button>
  <div class="doc-summary" aria-live="polite"><bdi class="doc-title" lang="ar" dir="rtl"></bdi><span class="doc-count"></span></div>
</div>"""

_TOOLS = """<div class="bar-tools">
  <button type="button" class="rbtn menu-toggle" data-action="menu" aria-expanded="false" aria-controls="bar-menu">View</button>
  <div class="bar-menu" id="bar-menu" role="group" aria-label="Reading view">
    <h2 class="menu-title">The view</h2>
    <div class="views" role="group" aria-label="Layout">
      <button type="button" class="rbtn view-side" data-view="side" aria-pressed="true">Side by side</button>
      <button type="button" class="rbtn" data-view="interleaved" aria-pressed="false">Interleaved</button>
      <button type="button" class="rbtn" data-view="en" aria-pressed="false">English</button>
      <button type="button" class="rbtn" data-view="ar" aria-pressed="false">Arabic</button>
    </div>
    <div class="sizes" role="group" aria-label="Text size">
      <button type="button" class="rbtn" data-action="smaller" aria-label="Smaller text">A−</button>
      <button type="button" class="rbtn" data-action="larger" aria-label="Larger text">A+</button>
    </div>
    <button type="button" class="rbtn" data-action="copy">Copy English</button>
    <button type="button" class="rbtn" data-action="legend" aria-expanded="false" aria-controls="reader-legend">Legend</button>
  </div>
  <button type="button" class="rbtn" data-action="downloads" aria-expanded="false" aria-controls="downloads" disabled>Download</button>
</div>"""


def render(page: Page) -> None:
    with gr.Row(elem_id=BAR, equal_height=False):
        bar = html(_START, elem_id=BAR_START, part="bar", scale=1, min_width=0)
        status = html('<div class="reader-status"></div>', elem_id=STATUS, part="status", scale=1, min_width=0)
        cancel = gr.Button("Stop", variant="secondary", size="md", scale=0, min_width=80, elem_id=CANCEL)
        tools = html(_TOOLS, elem_id=TOOLS, part="tools", scale=0, min_width=0)
        with gr.Column(elem_id=DOWNLOADS, scale=0, min_width=0):
            html('<h2 class="downloads-title" id="downloads-title">Download the translation</h2>', elem_id="downloads-head")
            downloads = [
                gr.DownloadButton(DOWNLOAD_LABELS[fmt if fmt != "same" else "txt"], visible=False, size="md",
                                  elem_id=f"download-{fmt}", elem_classes="download")
                for fmt in DOWNLOAD_FORMATS
            ]
    page.add(bar=bar, status=status, cancel=cancel, tools=tools, downloads=downloads)


def listen(page: Page) -> None:
    page["cancel"].click(None, None, None, cancels=[page.events["translate"]], js=module_call("stopped"),
                         api_visibility="private")
