"""Writing a translated document: one writer per output format, one registry.

>>> from translate.writers import write
>>> write(document, "same", original=data, signature=str(translator.signature))   # doctest: +SKIP
b'PK...'

Formats, by what they show:

* the translated document alone: ``txt`` (the English laid out like the input),
  ``docx`` (same styles, left to right), ``srt`` (same timings; subtitle inputs
  only), ``epub``, ``page`` (an English web page; named ``page`` because
  ``html`` is already the bilingual page) and ``markdown`` (``md`` is the bilingual table);
* the bilingual views, for every input: ``html`` (side by side), ``md``, ``jsonl``;
* translation exchange: ``tmx`` (TMX 1.4) and ``xliff`` (XLIFF 2.0), one unit per
  sentence pair with the signature of the model;
* ``same``: the input's own format where one exists (:data:`SAME`).

Every writer returns bytes; text formats are UTF-8.
"""
from __future__ import annotations

import importlib

from ..errors import UsageError
from ..quality import QualityPolicy
from ..text.document import Document
from . import bilingual as formats
from .base import Writer

#: ``same`` for each input format: its own format, or the nearest that exists
#: (a web page becomes an English page; a PDF becomes an English Word document).
SAME: dict[str, str] = {"txt": "txt", "html": "page", "docx": "docx", "pdf": "docx", "srt": "srt",
                        "epub": "epub", "md": "markdown"}


def _lazy(module: str):
    """A format module's ``write``, imported on its first use: the registry stays light
    (the memory imports the TMX module without loading python-docx and pypdf)."""
    def write(*args):
        return importlib.import_module(f"{__name__}.{module}").write(*args)

    return write


def _text_format(name: str):
    def write(document: Document, original: bytes | None = None, signature: str | None = None,
              quality: QualityPolicy | None = None) -> bytes:
        return formats.render(document, name, quality or QualityPolicy()).encode("utf-8")

    return write


#: Every output format by name (``same`` is resolved by :func:`resolve`).
FORMATS: dict[str, Writer] = {
    writer.name: writer
    for writer in (
        Writer("txt", ".txt", _text_format("txt"), False, "the English text, laid out like the input"),
        Writer("md", ".md", _text_format("md"), True, "a two-column Markdown table, a row per sentence"),
        Writer("html", ".html", _text_format("html"), True, "the bilingual page, Arabic and English side by side",
               marks_doubt=True),
        Writer("jsonl", ".jsonl", _text_format("jsonl"), True, "one JSON object per sentence pair"),
        Writer("page", ".page.html", _lazy("page"), False, "the translated document as an English web page"),
        Writer("docx", ".docx", _lazy("docx"), False, "a Word document in English (the original's styles for a .docx)"),
        Writer("srt", ".srt", _lazy("srt"), False, "subtitles in English with the original timings (.srt inputs)"),
        Writer("epub", ".epub", _lazy("epub"), False, "an EPUB book in English"),
        Writer("markdown", ".page.md", _lazy("markdown"), False,
               "the Markdown file in English, its formatting kept (.md inputs: their other lines as they were)"),
        Writer("tmx", ".tmx", _lazy("tmx"), True, "TMX 1.4 translation memory, a unit per sentence pair"),
        Writer("xliff", ".xlf", _lazy("xliff"), True, "XLIFF 2.0, a unit per sentence pair"),
    )
}


def resolve(fmt: str, document: Document) -> str:
    """The concrete format for ``fmt``: ``same`` becomes the document's own format.

    Raises:
        UsageError: an unknown format name.
    """
    name = fmt.strip().lower()
    if name == "same":
        return SAME.get(document.format, "txt")
    if name not in FORMATS:
        raise UsageError(f"unknown output format {fmt!r}; choose from {', '.join([*FORMATS, 'same'])}")
    return name


def parse_formats(spec: str) -> tuple[str, ...]:
    """``"same,tmx"`` → ``("same", "tmx")``: names checked, duplicates dropped, order kept.

    Raises:
        UsageError: an empty list or an unknown name.
    """
    names = [part.strip().lower() for part in spec.split(",") if part.strip()]
    if not names:
        raise UsageError("no output format given; choose from " + ", ".join([*FORMATS, "same"]))
    for name in names:
        if name != "same" and name not in FORMATS:
            raise UsageError(f"unknown output format {name!r}; choose from {', '.join([*FORMATS, 'same'])}")
    return tuple(dict.fromkeys(names))


def write(document: Document, fmt: str, *, original: bytes | None = None, signature: str | None = None,
          quality: QualityPolicy | None = None) -> bytes:
    """The document in ``fmt``.

    Args:
        document: a translated document (from :func:`translate.readers.read_document`
            or plain text, then a Translator).
        fmt: a name in :data:`FORMATS`, or ``same``.
        original: the input file's bytes; the docx and epub writers rebuild the
            original file from it, keeping everything they do not translate.
        signature: the translator's signature (``str(Translator.signature)``), recorded
            in the formats that have a place for it (tmx, xliff, docx, epub, page).
        quality: the translator's quality policy, whose ``low_score`` the views that mark
            doubtful sentences use (the bilingual ``html``; default: the default policy).

    Returns:
        The file's bytes.

    Raises:
        UsageError: an unknown format.
        OutputError: a format this document cannot have (srt from a non-subtitle
            input), untranslated sentences, or an original that does not match.
    """
    writer = FORMATS[resolve(fmt, document)]
    if writer.marks_doubt:
        return writer.write(document, original, signature, quality)
    return writer.write(document, original, signature)


def suffix(fmt: str, document: Document) -> str:
    """The file ending for ``fmt`` (``same`` resolved): ``.docx``, ``.page.html``..."""
    return FORMATS[resolve(fmt, document)].suffix


__all__ = ["FORMATS", "SAME", "Writer", "parse_formats", "resolve", "suffix", "write"]
