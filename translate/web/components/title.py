"""The page's heading and one line on what it does (on the start screen only). It
brings the page's style sheet, first, so nothing is drawn unstyled."""
from __future__ import annotations

from . import STATIC, Page, html

TITLE = "reader-title"


def render(page: Page) -> None:
    css = (STATIC / "reader.css").read_text(encoding="utf-8")
    html('<div class="reader-title"><h1>Arabic → English reader</h1><p>The Arabic beside its English, sentence by '
         'sentence. <span class="on-hover">Hover over</span><span class="on-touch">Tap</span> a sentence or a word to see '
         'its counterpart.</p></div>', elem_id=TITLE,
         head=f"<style>{css}</style>")


def listen(page: Page) -> None:
    """Nothing to listen to."""
