"""EPUB books, through ``ebooklib``: the chapters in spine (reading) order.

Each chapter is an XHTML file. Its text is cut into *runs*: the text of a block
element (``p``, ``h1``-``h6``, ``li``, ``td``, ``div``...) up to the next block
element inside it, inline markup (``<b>``, ``<a>``, ``<span>``) included, ``<br>``
as a line break; the run's inline formatting (``<b>``/``<strong>``, ``<i>``/``<em>``,
``<u>``, ``<sup>``, ``<sub>``, ``<a href>``) becomes its spans
(:mod:`translate.text.spans`). A leaf block (``<p>`` with only inline content) is one run; a
``<div>`` with loose text around a ``<p>`` has one run before and one after it,
so no text is left out. Headings keep their level; list items and table cells
keep their kind.

Each block's meta has ``path`` (the chapter's file inside the zip), ``run`` (its
position in :func:`chapter_runs` of that file) and ``chapter`` (0-based spine
position): the writer parses the original chapter again, finds the same runs
and puts the English in their place. The navigation document (table of
contents) is not read as a chapter; the writer translates its entries that
repeat a heading. The book's title (from its metadata) comes first, as a TITLE
block with meta ``{"metadata": "title"}``.
"""
from __future__ import annotations

import io
import posixpath
import zipfile
from dataclasses import dataclass, field

from lxml import etree

from ..errors import InputError
from ..text.document import HEADING, LIST_ITEM, PARAGRAPH, TABLE_CELL, TITLE, Block, Document, segment_blocks
from ..text.spans import BOLD, ITALIC, LINK, SUBSCRIPT, SUPERSCRIPT, UNDERLINE, Span, clean, nest
from .base import Reader, because, open_zip, parse_xml
from .budget import Budget, scan_xml

FORMAT = "epub"
WHAT = "EPUB book"
CHAPTER_TYPES = ("application/xhtml+xml", "text/html")
BLOCK_TAGS = frozenset(
    "address article aside blockquote body caption dd details div dl dt fieldset figcaption figure footer "
    "form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section summary table tbody td tfoot th thead "
    "tr ul".split())
SKIP_TAGS = frozenset("script style head title template rt rp svg math object".split())
_CHAPTER_FILES = (".xhtml", ".html", ".htm")  # what a budget counts: every file that may be a chapter
#: Inline tags and the formatting they carry (``<a href>`` is a link).
INLINE_KINDS = {"b": BOLD, "strong": BOLD, "i": ITALIC, "em": ITALIC, "cite": ITALIC, "u": UNDERLINE,
                "ins": UNDERLINE, "sup": SUPERSCRIPT, "sub": SUBSCRIPT}
_NOT_TEXT = frozenset(f"{namespace}{tag}" for namespace in ("", "{http://www.w3.org/1999/xhtml}")
                      for tag in ("head", "nav", "script", "style"))


def sniff(data: bytes) -> bool:
    """A zip whose first entry is ``mimetype`` with ``application/epub+zip``."""
    return data.startswith(b"PK\x03\x04") and b"mimetypeapplication/epub+zip" in data[:100]


def local(element: etree._Element) -> str:
    """The tag without its namespace ("" for comments and processing instructions)."""
    return etree.QName(element).localname.lower() if isinstance(element.tag, str) else ""


@dataclass
class Run:
    """Text of a block element up to its next block child.

    ``anchor`` is None when the run starts the element (its text is
    ``parent.text``), else the block child it follows (its text starts in that
    child's tail); ``nodes`` are the inline children inside the run.
    """

    parent: etree._Element
    anchor: etree._Element | None
    nodes: list[etree._Element] = field(default_factory=list)

    @property
    def text(self) -> str:
        parts = [(self.parent.text if self.anchor is None else self.anchor.tail) or ""]
        for node in self.nodes:
            parts.append(_inline_text(node))
            parts.append(node.tail or "")
        return "".join(parts)

    @property
    def spans(self) -> tuple[Span, ...]:
        """The run's inline formatting, as offsets into :attr:`text`."""
        found: list[Span] = []
        position = len((self.parent.text if self.anchor is None else self.anchor.tail) or "")
        for node in self.nodes:
            position = inline_spans(node, position, found)
            position += len(node.tail or "")
        return clean(found, self.text)

    def replace(self, text: str, spans: tuple[Span, ...] = (), clean_text=lambda piece: piece) -> None:
        """Put ``text`` in place of the run: inline markup holding text goes, markup
        without text (an image, a script) stays, after the new text. ``spans`` become
        ``<b>``, ``<i>``, ``<u>``, ``<sup>``, ``<sub>`` and ``<a href>`` around their text;
        each piece of text goes through ``clean_text``."""
        for node in self.nodes:
            if _inline_text(node).strip() or local(node) in ("br", ""):
                self.parent.remove(node)  # lxml removes its tail with it: part of this run too
            else:
                node.tail = None
        namespace = etree.QName(self.parent).namespace
        tag = (lambda name: f"{{{namespace}}}{name}") if namespace else (lambda name: name)
        lead: list[str] = []
        top: list[etree._Element] = []
        stack: list[etree._Element] = []

        def add(piece: str) -> None:
            holder = stack[-1] if stack else None
            if holder is not None and len(holder):
                holder[-1].tail = (holder[-1].tail or "") + piece
            elif holder is not None:
                holder.text = (holder.text or "") + piece
            elif top:
                top[-1].tail = (top[-1].tail or "") + piece
            else:
                lead.append(piece)

        for event, value in nest(text, spans):
            if event == "text":
                add(clean_text(value))
            elif event == "close":
                if value.kind in _OUTPUT_TAGS:
                    stack.pop()
            elif value.kind in _OUTPUT_TAGS:
                element = etree.Element(tag(_OUTPUT_TAGS[value.kind]))
                if value.kind == LINK:
                    element.set("href", value.target or "")
                (stack[-1].append(element) if stack else top.append(element))
                stack.append(element)
        if self.anchor is None:
            self.parent.text = "".join(lead)
            position = 0
        else:
            self.anchor.tail = "".join(lead)
            position = self.parent.index(self.anchor) + 1
        for offset, element in enumerate(top):
            self.parent.insert(position + offset, element)


_OUTPUT_TAGS = {BOLD: "b", ITALIC: "i", UNDERLINE: "u", SUPERSCRIPT: "sup", SUBSCRIPT: "sub", LINK: "a"}


def inline_spans(node: etree._Element, position: int, found: list[Span]) -> int:
    """Add the formatting of ``node`` (its text starting at ``position``) to ``found``;
    returns the position after its text (as :func:`_inline_text` counts it)."""
    name = local(node)
    if name == "br":
        return position + 1
    if not name or name in SKIP_TAGS:
        return position
    start = position + len(node.text or "")
    end = start
    for child in node:
        end = inline_spans(child, end, found) + len(child.tail or "")
    if name in INLINE_KINDS:
        found.append(Span(position, end, INLINE_KINDS[name]))
    elif name == "a" and node.get("href"):
        found.append(Span(position, end, LINK, node.get("href")))
    return end


def _inline_text(node: etree._Element) -> str:
    name = local(node)
    if name == "br":
        return "\n"
    if not name or name in SKIP_TAGS:
        return ""
    parts = [node.text or ""]
    for child in node:
        parts.append(_inline_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _is_block(element: etree._Element) -> bool:
    name = local(element)
    if name in BLOCK_TAGS:
        return True
    return bool(name) and name not in SKIP_TAGS and any(local(d) in BLOCK_TAGS for d in element.iterdescendants())


def chapter_runs(root: etree._Element) -> list[Run]:
    """Every run of the chapter's body, in document order."""
    body = next((e for e in root.iter() if local(e) == "body"), root)
    runs: list[Run] = []
    _walk(body, runs)
    return runs


def _walk(element: etree._Element, runs: list[Run]) -> None:
    run = Run(element, None)
    for child in element:
        if _is_block(child):
            runs.append(run)
            _walk(child, runs)
            run = Run(element, child)
        else:
            run.nodes.append(child)
    runs.append(run)


def kind_of(run: Run) -> tuple[str, dict]:
    """The block kind of a run, from its nearest block element."""
    for element in (run.parent, *run.parent.iterancestors()):
        name = local(element)
        if len(name) == 2 and name[0] == "h" and name[1] in "123456":
            return HEADING, {"level": int(name[1])}
        if name in ("li", "dt", "dd"):
            return LIST_ITEM, {}
        if name in ("td", "th", "caption"):
            return TABLE_CELL, {}
        if name in BLOCK_TAGS:
            return PARAGRAPH, {}
    return PARAGRAPH, {}


def open_book(data: bytes, name: str, budget: Budget | None = None):
    """``(book, opf folder)`` from ebooklib, or a clear InputError (also when its
    chapters hold more text, or markup, than ``budget`` allows: found by streaming
    them, before ebooklib unpacks the book)."""
    from ebooklib import epub

    archive = open_zip(data, name, WHAT, budget)
    if budget is not None and budget.max_chars is not None:
        try:
            for member in archive.namelist():
                if member.lower().endswith(_CHAPTER_FILES):
                    with archive.open(member) as chapter:
                        scan_xml(chapter, budget, skip_tags=_NOT_TEXT)
        except (zipfile.BadZipFile, EOFError, ValueError, OSError) as error:  # bad CRC, truncated
            raise InputError(f"{name}: a damaged {WHAT}{because(error)}; open it in an e-book editor and save it "
                             "again") from None
    try:
        reader = epub.EpubReader(io.BytesIO(data))
        book = reader.load()
        reader.process()
    except (epub.EpubException, KeyError, ValueError, AttributeError, IndexError, TypeError,
            etree.LxmlError) as error:
        raise InputError(f"{name}: a damaged {WHAT}{because(error)}; open it in an e-book editor and save it "
                         "again") from None
    return book, reader.opf_dir


def chapters(book, opf_dir: str) -> list[tuple[str, bytes]]:
    """``(path inside the zip, content)`` of each chapter, in spine order (navigation left out)."""
    from ebooklib import epub

    found = []
    for entry in book.spine:
        idref = entry[0] if isinstance(entry, (tuple, list)) else entry
        item = book.get_item_with_id(idref)
        if item is None or isinstance(item, epub.EpubNav) or item.media_type not in CHAPTER_TYPES:
            continue
        found.append((posixpath.join(opf_dir, item.file_name) if opf_dir else item.file_name, item.get_content()))
    return found


def read(data: bytes, name: str, encoding: str | None = None, max_chars: int | None = None) -> Document:
    """The book's chapters as blocks, in reading order.

    Raises:
        InputError: not a zip, damaged, without chapters, or over the budget ``max_chars``.
    """
    book, opf_dir = open_book(data, name, Budget(name, WHAT, max_chars))
    blocks: list[Block] = []
    found = chapters(book, opf_dir)
    for number, (path, content) in enumerate(found):
        root = parse_xml(content, name, path, WHAT).getroot()
        for index, run in enumerate(chapter_runs(root)):
            kind, meta = kind_of(run)
            blocks.append(Block(run.text, kind, {"path": path, "run": index, "chapter": number, **meta}, run.spans))
    if not found or not any(block.text.strip() for block in blocks):
        raise InputError(f"{name}: an {WHAT} without chapters (its spine lists no text); check the file")
    titles = book.get_metadata("DC", "title")
    title = titles[0][0].strip() if titles and titles[0][0] else None
    if title:  # the book's title, from its metadata: translated too, and written back there
        blocks.insert(0, Block(title, TITLE, {"metadata": "title"}))
    return segment_blocks(blocks, name, title=title, format=FORMAT)


READER = Reader(FORMAT, (".epub",), read, sniff, WHAT)
