"""The page, composed of its parts (:mod:`.components`): the start screen (the text
box and Translate; opening a document; Recent; the Library; your translations), then the bar and
the reading surface that take the window once Translate is pressed.

:func:`build_app` makes the page without serving it (:func:`translate.web.serve.serve`
serves it). Its API endpoints, for scripts:

- ``/translate`` (text → dict): counts, the English text, and the sentence pairs as plain data;
- ``/translate_page`` (undocumented): what Translate streams: the view data
  (:func:`~translate.web.view.view_data`), the status line and the downloads;
- ``/load_file``, ``/load_url``, ``/load_sample`` (undocumented): put a document, a web
  article or a sample in the text box (and, for ``/translate_page`` in the same
  session, its blocks and original file);
- ``/alternatives``, ``/complete``, ``/word_alternatives``: the model's other translations
  of one sentence, one finished from the reader's beginning, the choices for the next word;
- ``/remember``, ``/forget``: the reader's own translations, in their translation memory;
  ``/remember_team``, ``/forget_team``: the team memory's, for its editors (``--team-memory``);
- ``/use_memory`` (bool) and ``/load_glossary`` (a .tsv/.csv file) (undocumented): the
  page's memory switch and a glossary, for ``/translate_page`` in the same session.
"""
from __future__ import annotations

from pathlib import Path

import gradio as gr

from .. import config
from ..pipeline import Translator
from ..store.library import Library
from ..store.memory import TranslationMemory
from .accounts import Accounts
from .components import STATIC, Page, api, bar, browser_settings, documents, reading, recent, source, title, yours
from .components import library as library_part
from .service import SAMPLES_DIR, ReaderService

#: The parts, in the order they are drawn; each listens once all are drawn.
PARTS = (title, source, documents, recent, library_part, yours, bar, reading, api)


def element_ids() -> dict[str, str]:
    """The ids the browser's modules find the page's elements by."""
    return {"source": source.SOURCE, "translate": source.TRANSLATE, "notes": source.NOTES,
            "upload": documents.UPLOAD, "uploadNote": documents.UPLOAD_NOTE, "url": documents.URL,
            "urlNote": documents.URL_NOTE, "sample": documents.SAMPLE, "recent": recent.RECENT,
            "memory": yours.MEMORY, "glossary": yours.GLOSSARY, "glossaryNote": yours.GLOSSARY_NOTE, "bar": bar.BAR, "status": bar.STATUS,
            "cancel": bar.CANCEL, "tools": bar.TOOLS, "downloads": bar.DOWNLOADS, "reader": reading.READER,
            "library": library_part.LIBRARY, "libraryQuery": library_part.LIBRARY_QUERY}


def build_app(translator: Translator, *, samples_dir: str | Path | None = SAMPLES_DIR,
              max_chars: int = config.MAX_PAGE_CHARS, allow_private_urls: bool = False,
              accounts: Accounts | None = None, team_memory: TranslationMemory | None = None,
              library: Library | bool | None = True) -> gr.Blocks:
    """The reader page, not launched (see the module's docstring for its endpoints).

    ``allow_private_urls`` lets the address box fetch loopback and private addresses;
    ``accounts`` names the user of each request (:mod:`.accounts`; default: none);
    ``team_memory`` is read by everyone and written by the accounts' editors;
    ``library`` is where translations are recorded and what the Library view shows
    (True: the translator's cache folder's; None: none; :class:`ReaderService`).
    """
    accounts = accounts or Accounts()
    is_editor = accounts.users.is_editor if accounts.users is not None else None
    service = ReaderService(translator, samples_dir=samples_dir, max_chars=max_chars,
                            allow_private_urls=allow_private_urls, team_memory=team_memory, is_editor=is_editor,
                            library=library)
    gr.set_static_paths([STATIC])  # the page's ES modules, served as they are
    with gr.Blocks(title="Arabic → English reader", analytics_enabled=False,
                   delete_cache=(config.UPLOADS_KEPT_S // 4, config.UPLOADS_KEPT_S)) as app:
        app.reader = service  # for tests and embedding
        page = Page(service, loaded=gr.State(None), use_memory=gr.State(service.has_memory), accounts=accounts,
                    glossary=gr.State(None, time_to_live=config.PAGE_GLOSSARY_KEPT_S))
        app.reader_page = page  # for serve and tests
        title.render(page)
        with gr.Row(elem_id="start", equal_height=False):
            with gr.Column(elem_id="write", scale=3, min_width=300):
                source.render(page)
            with gr.Column(elem_id="open", scale=2, min_width=300):
                documents.render(page)
                recent.render(page)
                library_part.render(page)
                yours.render(page)
        bar.render(page)
        reading.render(page, browser_settings(service, element_ids()))
        api.render(page)
        for part in PARTS:
            part.listen(page)
    return app
