"""The translated document as Markdown (format ``markdown``; ``same`` for a ``.md`` input).

Not to be confused with ``md``, the bilingual two-column table of
:mod:`translate.writers.bilingual`. From the original file: each block's lines
(:mod:`translate.readers.markdown`) become one line, its markup (``## ``, ``- ``)
and then its English, with bold, italics and links written back where the word
alignment puts them (:func:`translate.text.document.paragraph_formatted`); every
other line (code, tables, blank lines) is copied as it was. Without an original: a
heading, item or paragraph per block.
"""
from __future__ import annotations

import re

from ..errors import OutputError
from ..inputs import decode
from ..text.document import HEADING, LIST_ITEM, TITLE, Document, paragraph_formatted
from ..text.spans import to_markdown
from .base import require_translated

_SPECIAL = re.compile(r"([\\`*_\[\]<>])")
_LINE_START = re.compile(r"^(\s*)(?:([#>+\-])|(\d+)([.)]))")


def write(document: Document, original: bytes | None = None, signature: str | None = None) -> bytes:
    """The document in English as Markdown.

    Raises:
        OutputError: untranslated sentences, or an original that does not match the document.
    """
    require_translated(document, "markdown")
    if original is not None and document.format == "md":
        return _into_original(document, original)
    out = []
    for paragraph in document.paragraphs:
        if paragraph.kind in (TITLE, HEADING):
            prefix = "#" * min(max(int(paragraph.meta.get("level", 1 if paragraph.kind == TITLE else 2)), 1), 6) + " "
        else:
            prefix = "- " if paragraph.kind == LIST_ITEM else ""
        out.append(prefix + english(paragraph))
    return ("\n\n".join(out) + "\n").encode("utf-8")


def english(paragraph) -> str:
    """A paragraph's English as one line of Markdown, its formatting included."""
    text, spans = paragraph_formatted(paragraph)
    line = to_markdown(" ".join(text.split("\n")), spans, lambda piece: _SPECIAL.sub(r"\\\1", piece))
    # What would start a heading, quote or list item at the start of a line is escaped.
    return _LINE_START.sub(lambda m: m.group(1) + (f"\\{m.group(2)}" if m.group(2) else f"{m.group(3)}\\{m.group(4)}"),
                           line, count=1)


def _into_original(document: Document, original: bytes) -> bytes:
    try:
        lines = decode(original, document.name or "original").split("\n")
    except Exception:
        raise OutputError(f"{document.name}: cannot reopen the original Markdown file") from None
    for paragraph in sorted(document.paragraphs, key=lambda p: p.meta.get("lines", (0, 0))[0], reverse=True):
        first, last = paragraph.meta.get("lines", (None, None))
        if first is None or last >= len(lines):
            raise OutputError(f"{document.name}: the original Markdown file does not match the document read from it")
        ending = "\r" if lines[last].endswith("\r") else ""
        lines[first:last + 1] = [paragraph.meta.get("prefix", "") + english(paragraph) + ending]
    return "\n".join(lines).encode("utf-8")
