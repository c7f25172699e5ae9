"""Opening a document: Upload, a web article's address with Fetch, or a sample article.
Each says what it put in the box, or why it could not, in a note right beside it; a
web article is translated as soon as it is in the box (the browser presses Translate
when its note comes back)."""
from __future__ import annotations

import gradio as gr

from ... import config
from ..messages import message_for
from ..service import Loaded
from ..view import loaded_note, notice
from . import FileOnly, Page, html

UPLOAD, UPLOAD_NOTE, URL, FETCH, URL_NOTE, SAMPLE, SAMPLE_NOTE = (
    "upload", "upload-note", "url", "fetch", "url-note", "sample", "sample-note")
#: The notes' template: a refusal, or what was put in the box (view.notice, view.loaded_note).
NOTE = ('{{#if value.error}}<div class="reader-notice" role="alert" data-at="{{value.at}}">{{value.error}}</div>{{/if}}'
        '{{#if value.loaded}}<div class="reader-loaded" role="status" data-loaded="{{value.name}}" '
        'data-kind="{{value.kind}}" data-at="{{value.at}}">{{value.what}}: <bdi class="loaded-title">{{value.title}}</bdi>'
        '{{value.size}}</div>{{/if}}')
#: Which note speaks for which control.
NOTES = ("upload_note", "url_note", "sample_note")


def note(elem_id: str) -> gr.HTML:
    return html(None, elem_id=elem_id, part="note", html_template=NOTE, elem_classes="reader-note")


def render(page: Page) -> None:
    html('<h2 class="open-title">Or open a document</h2>', elem_id="open-title")
    # Any file may be chosen: one the page does not read gets its message beside the button
    # (Gradio's own file_types check would answer scripts in its words, not the page's).
    upload = gr.UploadButton("Upload a document", type="filepath", size="md", elem_id=UPLOAD)
    upload.data_model = FileOnly
    upload_note = note(UPLOAD_NOTE)
    with gr.Row(elem_id="address-row", equal_height=False):
        address = gr.Textbox(label="A web article's address", info="Fetched, then translated.", placeholder="https://…",
                             lines=1, max_lines=1,
                             elem_id=URL, autoscroll=False, scale=1, min_width=160,
                             html_attributes=gr.InputHTMLAttributes(lang="en", autocapitalize="off", spellcheck=False,
                                                                    enterkeyhint="go"))
        fetch = gr.Button("Fetch", variant="secondary", size="md", elem_id=FETCH, scale=0, min_width=90)
    url_note = note(URL_NOTE)
    service = page.service
    sample = gr.Dropdown(choices=service.sample_choices(), value=None, label="A sample article",
                         visible=bool(service.samples), elem_id=SAMPLE)
    sample_note = note(SAMPLE_NOTE)
    page.add(upload=upload, upload_note=upload_note, address=address, fetch=fetch, url_note=url_note, sample=sample,
             sample_note=sample_note)


def outputs(page: Page) -> list:
    """What opening a document changes: the box, what was loaded, the notes, the sample picker."""
    return [page["text"], page.loaded, *(page[name] for name in NOTES), page["sample"]]


def opened(found: Loaded, speaker: str) -> tuple:
    """The outputs once ``found`` is in the box: the note of the control that opened it
    says so, the others are cleared, and the sample picker shows it only if it is one."""
    notes = [loaded_note(found) if name == speaker else None for name in NOTES]
    return (found.text, found, *notes, found.name if found.kind == "sample" else None)


def refused(error: BaseException, speaker: str) -> tuple:
    """The outputs when a control could not open a document: only its note changes;
    the box keeps what it holds."""
    notes = [notice(message_for(error)) if name == speaker else gr.skip() for name in NOTES]
    return (gr.skip(), gr.skip(), *notes, gr.skip())


def listen(page: Page) -> None:
    service = page.service

    def opener(load, speaker):
        def open_it(value):
            if value in (None, ""):
                return refused_nothing()
            try:
                found = load(value)
            except Exception as error:  # said beside the control, never a bare "Error"
                return refused(error, speaker)
            return opened(found, speaker)
        return open_it

    def refused_nothing():
        return tuple(gr.skip() for _ in outputs(page))

    quiet = {"api_visibility": "private", "show_progress": "hidden"}
    page["upload"].upload(opener(service.load_upload, "upload_note"), page["upload"], outputs(page), **quiet,
                          concurrency_limit=config.PAGE_WORKERS)
    # A fetch mostly waits on the network (its reading is bounded apart), so more run at once.
    gr.on([page["fetch"].click, page["address"].submit], opener(service.load_url, "url_note"), page["address"],
          outputs(page), api_visibility="private", show_progress="minimal", show_progress_on=[page["fetch"]],
          concurrency_limit=config.PAGE_FETCHES)
    page["sample"].input(opener(service.load_sample, "sample_note"), page["sample"], outputs(page), **quiet)
