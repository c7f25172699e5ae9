"""The reading surface: the translation in one of four views, with the details of a
sentence beside it (wide screens) or under it (phones). The browser draws it from
the view data Translate streams (translate.web.view.view_data); Gradio sends each
step as a diff of that data, so a step costs the sentences it finished. It carries
the settings every part of the page reads (components.browser_settings)."""
from __future__ import annotations

from . import Page, html

READER = "reader"


def render(page: Page, settings: dict) -> None:
    page.add(view=html(None, elem_id=READER, part="reader", html_template='<div class="reader-root"></div>',
                       settings=settings))


def listen(page: Page) -> None:
    """Nothing to listen to: the browser handles the surface's clicks and keys."""
