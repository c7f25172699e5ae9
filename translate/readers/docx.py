"""Word ``.docx`` documents, through ``python-docx``.

Every paragraph of the body is read in document order: the title, headings, list
items, ordinary paragraphs, and the paragraphs of table cells (nested tables and
text boxes included). Each block's meta holds ``p``, the paragraph's position in
:func:`body_paragraphs`, so the writer can put the English into the very same
paragraph of the original file, and ``style``, the paragraph style's name.
Its spans (:mod:`translate.text.spans`) are the runs' direct formatting (bold,
italic, underline, superscript, subscript), their character style, and the
hyperlinks with their targets (an address, or ``#bookmark`` inside the document).
Headers, footers, footnotes and comments are not read.
"""
from __future__ import annotations

import io
import re
import zipfile

from lxml import etree

from ..errors import InputError
from ..text.document import HEADING, LIST_ITEM, PARAGRAPH, TABLE_CELL, TITLE, Block, Document, segment_blocks
from ..text.spans import BOLD, ITALIC, LINK, STYLE, SUBSCRIPT, SUPERSCRIPT, UNDERLINE, Span, clean
from .base import Reader, because, open_zip
from .budget import Budget, scan_xml

FORMAT = "docx"
WHAT = "Word document"
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_HEADING_STYLE = re.compile(r"heading\s*(\d)", re.IGNORECASE)
_OFF = ("0", "false", "off")
_TOGGLES = (("b", BOLD), ("i", ITALIC))
_VERTICAL = {"superscript": SUPERSCRIPT, "subscript": SUBSCRIPT}


def w(tag: str) -> str:
    """The qualified name of a WordprocessingML tag (``w("p")``)."""
    return f"{{{_W}}}{tag}"


def sniff(data: bytes) -> bool:
    """A zip holding ``word/document.xml``."""
    return data.startswith(b"PK\x03\x04") and b"word/document.xml" in data[:200_000] + data[-200_000:]


def open_document(data: bytes, name: str, budget: Budget | None = None):
    """The python-docx document, or a clear InputError (also when the body has more
    text, or markup, than ``budget`` allows: found by streaming it, before python-docx
    parses it whole)."""
    import docx  # python-docx
    from docx.opc.exceptions import PackageNotFoundError

    archive = open_zip(data, name, WHAT, budget)  # not a zip, damaged, or a zip bomb: a clear message first
    if budget is not None and budget.max_chars is not None and "word/document.xml" in archive.namelist():
        try:
            with archive.open("word/document.xml") as body:
                scan_xml(body, budget, text_tag=w("t"), skip_tags=frozenset({f"{{{_MC}}}Fallback"}))
        except (zipfile.BadZipFile, EOFError, ValueError, OSError) as error:  # bad CRC, truncated
            raise InputError(f"{name}: a damaged {WHAT}{because(error)}; open it in Word and save it again") from None
    try:
        return docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, etree.XMLSyntaxError) as error:
        raise InputError(f"{name}: not a readable {WHAT}{because(error)}; open it in Word and save it "
                         "as .docx") from None
    except Exception as error:  # python-docx raises many kinds on damaged parts
        raise InputError(f"{name}: a damaged {WHAT}{because(error)}; open it in Word and save it again") from None


def body_paragraphs(document) -> list[etree._Element]:
    """The body's ``<w:p>`` elements in reading order, skipping the duplicate copies
    that Word keeps for old readers (``mc:Fallback``)."""
    fallback = f"{{{_MC}}}Fallback"
    return [p for p in document.element.body.iter(w("p"))
            if not any(ancestor.tag == fallback for ancestor in p.iterancestors())]


def paragraph_text(p: etree._Element) -> str:
    """The visible text of one paragraph: runs, hyperlinks, insertions, fields and
    content controls; tabs and breaks as characters; not deleted text, and not the
    paragraphs of text boxes inside it (they are read as paragraphs of their own)."""
    parts: list[str] = []
    _collect(p, parts)
    return "".join(parts)


def paragraph_spans(p: etree._Element, document=None) -> tuple[str, tuple[Span, ...]]:
    """The paragraph's text (as :func:`paragraph_text`) and its formatting: each run's
    direct bold, italic, underline, superscript and subscript, its character style
    (named from ``document``'s styles), and hyperlinks with their targets."""
    parts = _Parts()
    found: list[Span] = []
    _collect(p, parts, found, document)
    text = "".join(parts)
    return text, clean(found, text)


class _Parts(list):
    """Pieces of text that know their total length (runs' offsets, without re-adding), and
    the fields open at the end of them (``[instruction, start of its result]``)."""

    length = 0

    def __init__(self):
        super().__init__()
        self.fields: list[list] = []

    def append(self, piece: str) -> None:
        super().append(piece)
        self.length += len(piece)


def _run_spans(run: etree._Element, start: int, end: int, document) -> list[Span]:
    properties = run.find(w("rPr"))
    if properties is None or start >= end:
        return []
    found = []
    for tag, kind in _TOGGLES:
        element = properties.find(w(tag))
        if element is not None and (element.get(w("val")) or "true").lower() not in _OFF:
            found.append(Span(start, end, kind))
    underline = properties.find(w("u"))
    if underline is not None and (underline.get(w("val")) or "single").lower() != "none":
        found.append(Span(start, end, UNDERLINE))
    vertical = properties.find(w("vertAlign"))
    if vertical is not None and vertical.get(w("val")) in _VERTICAL:
        found.append(Span(start, end, _VERTICAL[vertical.get(w("val"))]))
    style = properties.find(w("rStyle"))
    if style is not None and style.get(w("val")):
        found.append(Span(start, end, STYLE, style=_character_style(style.get(w("val")), document)))
    return found


def _character_style(style_id: str, document) -> str:
    try:
        return document.styles.get_by_id(style_id, 2).name  # 2: WD_STYLE_TYPE.CHARACTER
    except (KeyError, ValueError, AttributeError):
        return style_id


def _link_target(link: etree._Element, document) -> str | None:
    anchor = link.get(w("anchor"))
    relation = link.get(f"{{{RELATIONSHIPS}}}id")
    if relation and document is not None:
        try:
            target = document.part.rels[relation].target_ref
        except (KeyError, AttributeError):
            target = None
        if target:
            return f"{target}#{anchor}" if anchor and "#" not in target else target
    return f"#{anchor}" if anchor else None


_HYPERLINK_FIELD = re.compile(r"^\s*HYPERLINK\b(.*)$", re.IGNORECASE | re.DOTALL)
_FIELD_ARGUMENT = re.compile(r'(\\[a-zA-Z])?\s*"([^"]*)"|(\\[a-zA-Z])|(\S+)')


def field_target(instruction: str) -> str | None:
    """The target of a ``HYPERLINK "address" \\l "bookmark"`` field, None for any other field."""
    found = _HYPERLINK_FIELD.match(instruction)
    if not found:
        return None
    address = anchor = None
    switch = None
    for quoted_switch, quoted, bare_switch, bare in _FIELD_ARGUMENT.findall(found.group(1)):
        if bare_switch:
            switch = bare_switch
            continue
        value, switch = (quoted if quoted_switch or quoted else bare), (quoted_switch or switch)
        if switch == "\\l":
            anchor = value
        elif switch is None and address is None:
            address = value
        switch = None
    if address:
        return f"{address}#{anchor}" if anchor else address
    return f"#{anchor}" if anchor else None


def _field(element: etree._Element, parts: _Parts, spans: list[Span]) -> None:
    """A field's begin, instruction, separator or end (Word's complex fields): the text
    between a HYPERLINK field's separator and its end is its link."""
    if element.tag == w("instrText"):
        if parts.fields:
            parts.fields[-1][0] += element.text or ""
        return
    kind = element.get(w("fldCharType"))
    if kind == "begin":
        parts.fields.append(["", None])
    elif kind == "separate" and parts.fields:
        parts.fields[-1][1] = parts.length
    elif kind == "end" and parts.fields:
        instruction, start = parts.fields.pop()
        target = field_target(instruction)
        if target is not None and start is not None and start < parts.length:
            spans.append(Span(start, parts.length, LINK, target))


def _collect(element: etree._Element, parts: list[str], spans: list[Span] | None = None,
             document=None) -> None:
    """Append the element's text to ``parts`` and, when ``spans`` is a list, its runs'
    formatting, as offsets into the text so far."""
    for child in element:
        tag = child.tag
        if spans is not None and tag in (w("r"), w("hyperlink")):
            start = parts.length
            _collect(child, parts, spans, document)
            end = parts.length
            if tag == w("r"):
                spans.extend(_run_spans(child, start, end, document))
            elif (target := _link_target(child, document)) is not None and start < end:
                spans.append(Span(start, end, LINK, target))
        elif spans is not None and tag == w("fldSimple"):
            start = parts.length
            _collect(child, parts, spans, document)
            target = field_target(child.get(w("instr")) or "")
            if target is not None and start < parts.length:
                spans.append(Span(start, parts.length, LINK, target))
        elif spans is not None and tag in (w("fldChar"), w("instrText")):
            _field(child, parts, spans)
        elif tag == w("t"):
            parts.append(child.text or "")
        elif tag == w("tab"):
            parts.append("\t")
        elif tag in (w("br"), w("cr")):
            parts.append("\n")
        elif tag == w("noBreakHyphen"):
            parts.append("\u2011")
        elif tag in (w("del"), w("txbxContent"), w("pPr"), w("rPr"), f"{{{_MC}}}Fallback", w("instrText")):
            continue
        elif isinstance(tag, str):
            _collect(child, parts, spans, document)


def style_name(p: etree._Element, document) -> str:
    """The paragraph's style name ("Normal" when none is set)."""
    style_id = p.find(f"{w('pPr')}/{w('pStyle')}")
    if style_id is None:
        return "Normal"
    try:
        return document.styles.get_by_id(style_id.get(w("val")), 1).name  # 1: WD_STYLE_TYPE.PARAGRAPH
    except (KeyError, ValueError, AttributeError):
        return style_id.get(w("val")) or "Normal"


def block_of(p: etree._Element, index: int, document, tables: dict[etree._Element, int]) -> Block:
    """One paragraph as a block: its kind from its style, list numbering or table cell."""
    style = style_name(p, document)
    meta: dict = {"p": index, "style": style}
    cell = next((a for a in p.iterancestors(w("tc"))), None)
    heading = _HEADING_STYLE.fullmatch(style.strip())
    if cell is not None:
        row = cell.getparent()
        table = row.getparent()
        # Keyed by the element itself: lxml may give a table a new proxy (and id) each time.
        meta.update(table=tables.setdefault(table, len(tables)),
                    row=list(table.iterchildren(w("tr"))).index(row),
                    col=list(row.iterchildren(w("tc"))).index(cell))
        kind = TABLE_CELL
    elif style.lower() == "title":
        kind = TITLE
    elif heading:
        kind, meta["level"] = HEADING, int(heading.group(1))
    elif style.lower() == "subtitle":
        kind, meta["level"] = HEADING, 1
    elif style.lower().startswith("list") or p.find(f"{w('pPr')}/{w('numPr')}") is not None:
        kind = LIST_ITEM
    else:
        kind = PARAGRAPH
    text, spans = paragraph_spans(p, document)
    return Block(text, kind, meta, spans)


def read(data: bytes, name: str, encoding: str | None = None, max_chars: int | None = None) -> Document:
    """The document's paragraphs as blocks, in order.

    Raises:
        InputError: not a zip, damaged, without text, or over the budget ``max_chars``.
    """
    document = open_document(data, name, Budget(name, WHAT, max_chars))
    tables: dict[etree._Element, int] = {}
    blocks = [block_of(p, i, document, tables) for i, p in enumerate(body_paragraphs(document))]
    if not any(block.text.strip() for block in blocks):
        raise InputError(f"{name}: this Word document has no text in its body")
    title = next((b.text.strip() for b in blocks if b.kind == TITLE and b.text.strip()), None)
    title = title or (document.core_properties.title or "").strip() or None
    return segment_blocks(blocks, name, title=title, format=FORMAT)


READER = Reader(FORMAT, (".docx",), read, sniff, WHAT)
