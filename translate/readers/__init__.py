"""Reading documents: one reader per format, all returning the same :class:`Document`.

>>> from translate.readers import read_document
>>> document = read_document(Path("report.docx").read_bytes(), "report.docx")   # doctest: +SKIP
>>> document.format, [p.kind for p in document.paragraphs][:3]                     # doctest: +SKIP
('docx', ['title', 'heading', 'paragraph'])

The format is found from the content first (a PDF header, a zip holding a Word
document or an EPUB book, HTML markup, subtitle timings) and from the file name's
extension second; anything else is plain text. Every reader turns its input into
:class:`~translate.text.document.Block` s (title, heading, paragraph, list item, table
cell, cue) and puts into ``Block.meta`` what its writer needs to rebuild the file
(:mod:`translate.writers`). Adding a format is one module and one line in
:data:`READERS`.

Documents from strangers (the page's uploads and fetched pages) are read with a
budget of characters, ``max_chars`` (:mod:`translate.readers.budget`: reading
stops, and refuses, once there is more text than that, and never unpacks or
parses much more than it needs), and ``bounded=True``: in a worker process with
a deadline and a memory ceiling (:mod:`translate.sandbox`). The command line
reads whole files, in its own process.
"""
from __future__ import annotations

from pathlib import PurePath

from .. import config
from ..errors import InputError
from ..inputs import decode
from ..text.document import Document, segment_document
from . import docx, epub, html, markdown, pdf, srt
from .base import Reader, too_big
from .budget import Budget, too_complex


def _read_text(data: bytes, name: str, encoding: str | None, max_chars: int | None = None) -> Document:
    text = decode(data, name, encoding)
    Budget(name, "text file", max_chars).spend_text(len(text))
    return segment_document(text, name)


#: The readers, by format name. Plain text (``txt``) is the fallback.
READERS: dict[str, Reader] = {
    reader.format: reader
    for reader in (
        pdf.READER,
        docx.READER,
        epub.READER,
        html.READER,
        srt.READER,
        markdown.READER,
        Reader("txt", (".txt",), _read_text, None, "text file"),
    )
}

#: Every file ending a reader claims: what a folder search should pick up.
SUFFIXES: tuple[str, ...] = tuple(suffix for reader in READERS.values() for suffix in reader.suffixes)

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary Office formats (.doc, .xls)


def detect_format(data: bytes, name: str) -> str:
    """The format of ``data``: from its content when that is certain, else from the
    extension of ``name``, else ``txt``.

    Raises:
        InputError: an old binary Word file, or a zip that is neither .docx nor .epub.
    """
    for reader in READERS.values():
        if reader.sniff and reader.sniff(data):
            return reader.format
    if data.startswith(_OLE):
        raise InputError(f"{name}: an old binary Office file (.doc); save it as .docx and try again")
    suffix = PurePath(name).suffix.lower()
    by_suffix = next((r.format for r in READERS.values() if suffix in r.suffixes), None)
    if data.startswith(b"PK\x03\x04") and by_suffix not in ("docx", "epub"):
        raise InputError(f"{name}: a zip archive, but not a Word (.docx) or EPUB document; unpack it first")
    return by_suffix or "txt"


def read_document(data: bytes, name: str, *, encoding: str | None = None, max_bytes: int | None = None,
                  max_chars: int | None = None, bounded: bool = False) -> Document:
    """Read any supported document into blocks and sentences (untranslated).

    Args:
        data: the file's bytes.
        name: its name or label (the extension helps find the format; messages use it).
        encoding: the text encoding, for plain text, HTML and subtitles (default: detect).
        max_bytes: refuse larger input (default ``config.max_input_bytes()``).
        max_chars: a budget of characters (the page passes ``config.MAX_PAGE_CHARS``):
            reading stops, and refuses the document, as soon as it has more text
            than this, and unpacks or parses little more than that text needs
            (:mod:`translate.readers.budget`). None (the CLI): read it all.
        bounded: read in a worker process, within ``config.read_timeout_s()`` and
            ``config.read_memory_bytes()`` (:mod:`translate.sandbox`): for documents
            from strangers, as the page reads them.

    Returns:
        The document; ``document.format`` says which reader read it.

    Raises:
        InputError: too large, over the budget or the bounds (reason ``too-long`` or
            ``too-complex``), or unreadable in its format (the message says why and
            what to do).
    """
    limit = config.max_input_bytes() if max_bytes is None else max_bytes
    if len(data) > limit:
        raise InputError(too_big(name, len(data), limit))
    reader = READERS[detect_format(data, name)]
    if bounded:
        return _in_worker(reader.what, name, reader.read, data, name, encoding, max_chars)
    return reader.read(data, name, encoding, max_chars)


def read_url(url: str, *, allow_private: bool = False, max_bytes: int | None = None,
             timeout: float | None = None, max_chars: int | None = None, bounded: bool = False) -> Document:
    """Fetch a web article and read its main text (see :mod:`translate.readers.fetch` for the rules).

    Args:
        url: an ``http://`` or ``https://`` address.
        allow_private: also allow loopback, private and link-local addresses.
        max_bytes: refuse a larger page (default ``config.FETCH_MAX_BYTES``).
        timeout: seconds for the whole fetch (default ``config.fetch_timeout_s()``).
        max_chars: a budget of characters, as for :func:`read_document`.
        bounded: read the page (once fetched) in a bounded worker, as for :func:`read_document`.

    Returns:
        The article as a document named after ``url`` (``format`` is ``html``).

    Raises:
        InputError: a refused address, no answer, an HTTP error, an answer that is not
            an HTML page, or a page without article text.
    """
    from .fetch import fetch_url  # urllib3 loads only when a URL is read

    data, content_type, final_url = fetch_url(url, allow_private=allow_private, max_bytes=max_bytes,
                                              timeout=timeout)
    media_type = content_type.split(";", 1)[0].strip().lower()
    if media_type and media_type not in ("text/html", "application/xhtml+xml") and not html.sniff(data):
        raise InputError(f"{url}: the answer is {media_type}, not a web page; download the file "
                         "and pass it as a file")
    options = dict(charset=_charset(content_type), url=final_url, max_chars=max_chars)
    if bounded:
        return _in_worker(html.WHAT, url, html.read_html, data, url, **options)
    return html.read_html(data, url, **options)


def _in_worker(what: str, name: str, read, *args, **kwargs) -> Document:
    """``read(*args, **kwargs)`` in a bounded worker; a reading it stops is "too complex to read here"."""
    from .. import sandbox

    try:
        return sandbox.call(read, *args, seconds=config.read_timeout_s(), memory_bytes=config.read_memory_bytes(),
                            **kwargs)
    except sandbox.OverTime as over:
        raise too_complex(name, what, f"reading it takes more than {over.seconds:g} s") from None
    except sandbox.OverMemory as over:
        raise too_complex(name, what, f"reading it takes more than {over.memory_bytes // 2**20:,} MB of "
                                      "memory") from None
    except sandbox.WorkerDied:
        raise too_complex(name, what, "reading it stopped the process that was reading it") from None


def _charset(content_type: str) -> str | None:
    for parameter in content_type.split(";")[1:]:
        key, _, value = parameter.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            return value.strip().strip('"').lower()
    return None


__all__ = ["READERS", "SUFFIXES", "Reader", "detect_format", "read_document", "read_url"]
