"""Recent: the documents translated in this browser, newest first, kept by the browser
(static/store.js) and reopened the way they came. Typed text and uploaded files are
reopened by the browser itself; a sample or a web article is asked of the server
here, and if it cannot be had as it came (the sample is gone, the address does not
answer), the text kept in the browser is put in the box instead, and the note beside
Recent says so."""
from __future__ import annotations

import gradio as gr

from ... import config
from ..messages import message_for
from ..service import Loaded
from . import Page, html
from .documents import NOTES, opened, outputs

RECENT = "recent"


def render(page: Page) -> None:
    page.add(recent=html(None, elem_id=RECENT, part="recent", html_template='<div class="recent" hidden></div>'))


def asked(event: gr.EventData, key: str):
    """One value the browser sent with the event (its data's keys are the event's attributes)."""
    try:
        return getattr(event, key, None)
    except TypeError:  # an event sent without data
        return None


def listen(page: Page) -> None:
    service = page.service

    def reopen(event: gr.EventData):
        """A Recent entry's sample or web article (the browser sends {kind, name, url, text})."""
        kind, text = asked(event, "kind"), asked(event, "text")
        try:
            found = service.load_sample(asked(event, "name")) if kind == "sample" else service.load_url(asked(event, "url"))
        except Exception as error:
            if not isinstance(text, str):
                return (*(gr.skip() for _ in outputs(page)), {"opened": False, "message": message_for(error)})
            what = "sample" if kind == "sample" else "article"
            plain = Loaded("text", "translation.txt", service.check(text))
            answer = {"opened": True, "as_text": True,
                      "message": f"Could not open the {what} as it came ({message_for(error)}). Its text, kept in this "
                                 "browser, is in the box: press Translate to read it (its downloads will be English text)."}
            return (plain.text, None, *(None for _ in NOTES), None, answer)
        return (*opened(found, "url_note" if kind == "url" else "sample_note"), {"opened": True})

    page["recent"].click(reopen, None, [*outputs(page), page["recent"]], api_visibility="private",
                         show_progress="hidden", concurrency_limit=config.PAGE_WORKERS)
