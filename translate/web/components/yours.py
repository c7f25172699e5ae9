"""Your translations: the switch that uses (or leaves out) your translation memory on
this page, and a glossary uploaded for this browser session, with its note."""
from __future__ import annotations

import gradio as gr

from ..messages import message_for
from ..view import glossary_note, notice
from . import FileOnly, Page, html

GLOSSARY, GLOSSARY_NOTE, GLOSSARY_CLEAR, MEMORY = "glossary", "glossary-note", "glossary-clear", "memory-switch"

#: The glossary's note: why it could not be used, or the one in use (view.glossary_note).
GLOSSARY_TEMPLATE = (
    '{{#if value.error}}<div class="reader-notice" role="alert" data-at="{{value.at}}">{{value.error}}</div>{{/if}}'
    '{{#if value.name}}<div class="reader-loaded glossary-loaded" role="status">Glossary: <span class="loaded-title">'
    '{{value.name}}</span> · {{value.size}}, used for your translations on this page until you reload it. '
    'Press Translate to apply it.</div>{{/if}}')
#: The memory switch, drawn from its value (True: the memory is used).
SWITCH_TEMPLATE = (
    '<div class="memory-switch"><button type="button" class="rbtn switch" role="switch" aria-checked="${value}" '
    'data-action="memory" aria-describedby="memory-switch-help"><span class="switch-track" aria-hidden="true"></span>'
    'Use my translations (memory)</button><span class="switch-help" id="memory-switch-help">${value ? '
    '"Sentences you corrected are shown as you saved them, marked ✎." : '
    '"Off: the model’s translations only. Press Translate to apply it."}</span></div>')


def render(page: Page) -> None:
    html('<h2 class="yours-title">Your translations</h2>', elem_id="yours-title")
    button = gr.UploadButton("Glossary (.tsv, .csv)", type="filepath", size="md", variant="secondary",
                             elem_id=GLOSSARY)  # any file: one it does not take is told beside it
    button.data_model = FileOnly
    note = html(None, elem_id=GLOSSARY_NOTE, part="note", html_template=GLOSSARY_TEMPLATE, elem_classes="reader-note")
    clear = gr.Button("No glossary", variant="secondary", size="md", visible=False, elem_id=GLOSSARY_CLEAR)
    # The server keeps no memory (--no-memory): no switch, but its endpoint stays.
    switch = html(page.service.has_memory, elem_id=MEMORY, part="memory", html_template=SWITCH_TEMPLATE,
                  visible=page.service.has_memory)
    page.add(glossary_button=button, glossary_note=note, glossary_clear=clear, memory=switch)


def listen(page: Page) -> None:
    service = page.service

    def glossary_loaded(path, request: gr.Request):
        """Keep an uploaded glossary for this session and say so, or say why it cannot be used."""
        try:
            found = service.load_glossary(path)
        except Exception as error:  # said beside the button, never a bare "Error"
            return gr.skip(), notice(message_for(error)), gr.skip()
        return found, glossary_note(found), gr.Button(visible=True)

    quiet = {"api_visibility": "private", "show_progress": "hidden"}
    page["glossary_button"].upload(glossary_loaded, page["glossary_button"],
                                   [page.glossary, page["glossary_note"], page["glossary_clear"]], **quiet)
    page["glossary_clear"].click(lambda: (None, None, gr.Button(visible=False)), None,
                                 [page.glossary, page["glossary_note"], page["glossary_clear"]], **quiet)
    # The browser sets the switch's value and fires its change (static/page.js); scripts call
    # /use_memory with true or false before /translate_page.
    page["memory"].change(lambda on: on is True, page["memory"], page.use_memory, api_name="use_memory",
                          api_visibility="undocumented", show_progress="hidden", queue=False)
