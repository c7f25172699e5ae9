"""The glossaries browser sessions upload, within one budget of memory.

A session keeps the glossary it uploaded (a ``gr.State`` with a time to live;
Gradio also drops a session's state when its tab closes). Each file is at most
:func:`translate.config.page_glossary_bytes`, and all the glossaries held at once
at most :func:`translate.config.page_glossaries_bytes`: a glossary's bytes count
from its loading until nothing holds it any more, so sessions that never close
cannot grow the server past the budget.
"""
from __future__ import annotations

import threading
import weakref
from pathlib import Path

from .. import config
from ..glossary import Glossary
from ..sizes import megabytes
from .validate import refuse


class SessionGlossaries:
    """Loads session glossaries and counts the bytes of those still held."""

    def __init__(self, each: int | None = None, total: int | None = None):
        self.each = each or config.page_glossary_bytes()
        self.total = total or config.page_glossaries_bytes()
        self.held = 0
        self._lock = threading.Lock()

    def load(self, path: Path, name: str) -> Glossary:
        """The glossary in ``path`` (shown as ``name``), counted while it is held.

        Raises:
            InputError: the file is over the limit for one glossary, or the server
                holds as many glossaries as it may (the message says which).
        """
        size = path.stat().st_size
        if size > self.each:
            shown, limit = megabytes(size, self.each)
            raise refuse(f"{name} is {shown} MB; the page takes glossaries up to {limit} MB. Keep the terms you "
                         "need for this document, or pass a large glossary to `translate --glossary`.")
        with self._lock:
            if self.held + size > self.total:
                raise refuse("The reader holds as many glossaries as it can for now; try again once other "
                             "readers have closed their pages, or use it without a glossary.")
            self.held += size
        try:
            glossary = Glossary.load(path)
        except BaseException:
            self._release(size)
            raise
        weakref.finalize(glossary, self._release, size)
        return glossary

    def _release(self, size: int) -> None:
        with self._lock:
            self.held -= size
