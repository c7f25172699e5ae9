"""The parts of the page. Each module renders one part (``render(page)``) and wires its
events (``listen(page)``), as facefusion's UI components do; :mod:`translate.web.layout`
composes them. A :class:`Page` holds what the parts share: the service, the browser
session's states, every part's Gradio components by name, and the events other parts
refer to (Stop cancels Translate).

The parts the browser draws are ``gr.HTML`` components whose ``js_on_load`` imports
the page's ES module (``static/reader.js``) and mounts that part (:func:`mount`); the
module reads the element ids, the word pattern and the wording from
:func:`browser_settings`, so none of them is copied into JavaScript.
"""
from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import gradio as gr
from gradio.data_classes import FileData

from ...engines.alignment import SPACE
from ..accounts import Accounts
from ..guard import Downloads
from ..messages import message_for
from ..service import (
    GLOSSARY_SUFFIXES,
    NOT_A_DOCUMENT,
    NOT_A_GLOSSARY,
    PAGE_ALTERNATIVES,
    TOO_BIG,
    UPLOAD_SUFFIXES,
    ReaderService,
)
from ..validate import kind
from ..view import CONFIDENCE_WORDS, FLAG_WORDS, HIGH_SCORE

#: The page's CSS and ES modules, served as they are (``gr.set_static_paths``).
STATIC = Path(__file__).resolve().parent.parent / "static"
#: What the browser remembers, under these names (localStorage, IndexedDB).
STORAGE = {"choices": "translate-reader.settings", "recent": "translate-reader.recent",
           "files": "translate-reader.files", "max": 30}
#: Below this width the page is laid out for a phone (one column, details under the sentence);
#: static/reader.css lays it out at the same width (a style sheet cannot read it from here).
NARROW = "(max-width: 760px)"


@dataclass
class Page:
    """What the parts of one page share."""

    service: ReaderService
    #: the document, sample or article in the text box (a :class:`~translate.web.service.Loaded`)
    loaded: gr.State
    #: the glossary uploaded in this browser session (a :class:`~translate.glossary.Glossary`)
    glossary: gr.State
    #: the page's "Use my translations" switch
    use_memory: gr.State
    #: who is reading (:meth:`user` of a request)
    accounts: Accounts = field(default_factory=Accounts)
    #: whose each download is (the server serves one to its user only)
    downloads: Downloads = field(default_factory=Downloads)
    parts: dict[str, Any] = field(default_factory=dict)
    events: dict[str, Any] = field(default_factory=dict)

    def user(self, request: Any) -> str:
        """The user a handler's ``gr.Request`` came from (``""`` without accounts)."""
        return self.accounts.user(request)

    def add(self, **parts: Any) -> None:
        self.parts.update(parts)

    def __getitem__(self, name: str) -> Any:
        return self.parts[name]


def module_url(name: str = "reader.js") -> str:
    """A static file's address, relative to the page (so it works under a proxy's path too)."""
    return f"gradio_api/file={STATIC / name}"


def mount(part: str) -> str:
    """``js_on_load`` for a part the browser draws: the module mounts it (no polling:
    the import resolves once the module is there)."""
    return (f"import(new URL({json.dumps(module_url())}, document.baseURI).href)"
            f".then((m) => m.mount({json.dumps(part)}, element, props, trigger, watch));")


def module_call(function: str) -> str:
    """An event's ``js``: call one function of the page's module."""
    return f"() => import(new URL({json.dumps(module_url())}, document.baseURI).href).then((m) => m.{function}())"


def html(value: Any = "", *, elem_id: str, part: str | None = None, **options: Any) -> gr.HTML:
    """A ``gr.HTML`` of ours: no Gradio styling (class ``reader-part``), mounted by the module
    when ``part`` is given."""
    classes = ["reader-part", *([options.pop("elem_classes")] if "elem_classes" in options else [])]
    return gr.HTML(value, elem_id=elem_id, js_on_load=mount(part) if part else None, apply_default_css=False,
                   elem_classes=classes, **options)


def page_error(error: BaseException) -> gr.Error:
    """A failure as the page shows it: the page's words, no traceback in the server log
    for the reader's own mistakes (an unexpected one is logged, with its traceback)."""
    return gr.Error(message_for(error), print_exception=False)


def for_scripts(function):
    """An endpoint for scripts: the library's errors (and any other) become a
    ``gr.Error`` with the page's words; the docstring stays the API's description."""
    @functools.wraps(function)
    def endpoint(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except gr.Error:
            raise
        except Exception as error:
            raise page_error(error) from None

    return endpoint


class FileOnly(FileData):
    """An uploaded file as Gradio describes it; anything else sent to an endpoint
    that takes a file gets a message saying how to send one, not a bare "Error".
    (Set as the upload buttons' data model: a subclass of the button would be a
    "custom component" to Gradio.)"""

    @classmethod
    def model_validate(cls, obj, *args, **kwargs):
        try:
            return super().model_validate(obj, *args, **kwargs)
        except ValueError:  # pydantic's ValidationError
            raise gr.Error("Send a file: from Python, gradio_client's handle_file(path); from the page, the Upload "
                           f"button. Got {kind(obj)}.", print_exception=False) from None


def browser_settings(service: ReaderService, ids: dict[str, str]) -> dict:
    """What the browser's modules read: element ids, the word pattern, the wording of
    doubts and confidence, the limits and where the browser keeps things."""
    return {
        "ids": ids,
        "space": SPACE,
        "words": {"flags": FLAG_WORDS, "confidence": CONFIDENCE_WORDS},
        "high": HIGH_SCORE,
        "limits": {"chars": service.max_chars, "upload": service.max_upload},
        # What each upload button takes, said in the browser before a file is sent.
        "uploads": {ids["upload"]: {"note": ids["uploadNote"], "suffixes": list(UPLOAD_SUFFIXES), "refusal": NOT_A_DOCUMENT},
                    ids["glossary"]: {"note": ids["glossaryNote"], "suffixes": list(GLOSSARY_SUFFIXES),
                                      "refusal": NOT_A_GLOSSARY}},
        "tooBig": TOO_BIG,
        "alternatives": PAGE_ALTERNATIVES,
        "hasMemory": service.has_memory,
        "library": service.library is not None,  # the server keeps Recent (the Library view)
        "storage": STORAGE,
        "narrow": NARROW,
    }
