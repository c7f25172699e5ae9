"""The Library: every document this reader may show (the user's own and everyone's),
newest first, with a search box that searches as you type, in Arabic or English.
A result shows its matching sentence pairs, the hits marked in both languages; a
document opens in the reading view at once, rebuilt from the library (nothing is
translated again), and corrections made there go to the memory as usual.

Its newest entries are the page's Recent list, kept by the server, so they follow
the user to another browser; without a library (``--no-library``, or no cache
folder) the part is not drawn and the browser keeps Recent itself (:mod:`.recent`).
The browser draws the list from the data of :func:`translate.web.view.library_data`
(static/library.js).
"""
from __future__ import annotations

import gradio as gr

from ... import config
from ..messages import message_for
from ..view import library_data, status_html, step_view
from . import Page, html
from .recent import asked

LIBRARY, LIBRARY_QUERY = "library", "library-query"


def render(page: Page) -> None:
    on = page.service.library is not None
    with gr.Column(elem_id="library-part", visible=on):
        html('<h2 class="library-title" id="library-title">Library</h2>', elem_id="library-head")
        query = gr.Textbox(label="Search the library", info="Arabic or English words, or a \"phrase\".",
                           placeholder="إدلب، Astana, \"opposition factions\"…", lines=1, max_lines=1,
                           elem_id=LIBRARY_QUERY, autoscroll=False, type="text",
                           html_attributes=gr.InputHTMLAttributes(autocapitalize="off", spellcheck=False,
                                                                  enterkeyhint="search"))
        found = html(None, elem_id=LIBRARY, part="library", html_template='<div class="library"></div>')
    page.add(library_query=query, library=found)


def listen(page: Page) -> None:
    service = page.service
    if service.library is None:
        return

    def shown(query, request: gr.Request):
        """The newest documents, or (a query typed) the documents that hold it."""
        user = page.user(request)
        query = query if isinstance(query, str) else ""
        try:
            entries = service.library_entries(user)
            found = service.library_search(query, user) if query.strip() else None
            titles = service.library_names([*entries, *(result.entry for result in found or ())], user)
        except Exception as error:  # said in the list, never a bare "Error"
            return library_data([], None, query=query, message=message_for(error))
        return library_data(entries, found, query=query, titles=titles)

    def first_list(request: gr.Request):
        return shown("", request)

    def open_it(event: gr.EventData, request: gr.Request):
        """A document the browser asked for ({id}), into the reading view."""
        try:
            step = service.open_document(asked(event, "id"), page.user(request))
        except Exception as error:
            return (gr.skip(), gr.skip(), *(gr.skip() for _ in page["downloads"]),
                    library_data(service.library_entries(page.user(request)), None, message=message_for(error))
                    | {"failed": True})
        downloads = [gr.DownloadButton(label=label, value=str(path), visible=True) if path
                     else gr.DownloadButton(visible=False) for label, path in step.downloads]
        return step_view(step), status_html(step), *downloads, gr.skip()

    quiet = {"api_visibility": "private", "show_progress": "hidden", "concurrency_limit": config.PAGE_WORKERS,
             "concurrency_id": "library"}
    # Searches as you type: only the last of the values typed while one ran is searched. (Its
    # change, not its input: Gradio's input event is not sent for text put in without keys,
    # as an input method or a paste may.)
    gr.on([page["library_query"].change, page["library_query"].submit], shown, page["library_query"],
          page["library"], trigger_mode="always_last", **quiet)
    gr.on(None, first_list, None, page["library"], **quiet)  # the page's first list
    page.events["translate"].then(shown, page["library_query"], page["library"], **quiet)
    page["library"].click(open_it, None, [page["view"], page["status"], *page["downloads"], page["library"]],
                          **quiet)
