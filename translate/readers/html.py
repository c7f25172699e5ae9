"""Web articles and saved HTML pages: the main text, through ``trafilatura``.

Menus, share buttons, comments, related-article lists, footers and ads are
dropped by trafilatura's extraction; headings, paragraphs, lists and tables of
the article are kept, in order, with the page's title as a TITLE block.

Old portals lay pages out with ``<table>``: extracted with tables, such a page
comes back as one table whose cells hold the article *and* the sidebar and
comments. A cell holding headings or several paragraphs is layout, not data,
so the page is extracted again without tables, which keeps only the article.
"""
from __future__ import annotations

import logging
import re

from lxml import etree

from ..errors import InputError
from ..text.document import HEADING, LIST_ITEM, PARAGRAPH, TABLE_CELL, TITLE, Block, Document, segment_blocks
from .base import Reader
from .budget import Budget

FORMAT = "html"
WHAT = "web page"
_MARKUP = re.compile(rb"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]", re.IGNORECASE)
_LAYOUT_PARAGRAPHS = 2  # more paragraphs than this in one table cell: a layout table


def sniff(data: bytes) -> bool:
    """HTML markup near the start (after a byte-order mark, blanks or comments)."""
    return bool(_MARKUP.search(data[:4096]))


def read(data: bytes, name: str, encoding: str | None = None, max_chars: int | None = None) -> Document:
    return read_html(data, name, charset=encoding, max_chars=max_chars)


def read_html(data: bytes, name: str, *, charset: str | None = None, url: str | None = None,
              max_chars: int | None = None) -> Document:
    """The article in an HTML page.

    Args:
        data: the page's bytes.
        name: its name or address, for messages and the document's name.
        charset: its encoding when known (an HTTP header, or given); else found in the page.
        url: the address it came from (recorded in the title block's meta as ``url``).
        max_chars: the reading's budget of characters (None: no limit).

    Raises:
        InputError: undecodable, no article text found, or over the budget.
    """
    budget = Budget(name, WHAT, max_chars)
    budget.spend_markup(len(data))
    page: bytes | str = data
    if charset:
        try:
            page = data.decode(charset)
        except (LookupError, UnicodeDecodeError):
            page = data  # a wrong header: let the page's own <meta charset> decide
    extracted = _extract(page, url, tables=True)
    if extracted is not None and _has_layout_table(extracted.body):
        extracted = _extract(page, url, tables=False) or extracted
    if extracted is None or extracted.body is None:
        raise InputError(f"{name}: no article text found on this page; open it in a browser, copy the "
                         "article and translate the text")
    blocks = list(_blocks(extracted.body))
    if not any(block.text.strip() for block in blocks):
        raise InputError(f"{name}: no article text found on this page; open it in a browser, copy the "
                         "article and translate the text")
    title = (extracted.title or "").strip() or None
    if title:
        if blocks and blocks[0].kind == HEADING and _same(blocks[0].text, title):
            blocks.pop(0)  # the page's <h1> repeats its title
        blocks.insert(0, Block(title, TITLE, {"url": url or extracted.url}))
    budget.spend_text(sum(len(block.text) for block in blocks))
    return segment_blocks(blocks, name, title=title, format=FORMAT)


def _extract(page: bytes | str, url: str | None, tables: bool):
    import trafilatura  # heavy: loads only when a page is read

    logging.getLogger("trafilatura").setLevel(logging.ERROR)  # its warnings are not the user's business
    try:
        return trafilatura.bare_extraction(page, url=url, include_comments=False, include_tables=tables,
                                           favor_precision=True, with_metadata=True, deduplicate=False)
    except (ValueError, TypeError, etree.LxmlError):  # an unparsable page
        return None


def _has_layout_table(body: etree._Element | None) -> bool:
    if body is None:
        return False
    return any(cell.find("head") is not None or len(cell.findall("p")) > _LAYOUT_PARAGRAPHS
               for cell in body.iter("cell"))


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()) == " ".join(b.split())


def _text(element: etree._Element, skip: tuple[str, ...] = ()) -> str:
    """The element's text, a line break for each <lb/>, without the subtrees named in ``skip``."""
    parts = [element.text or ""]
    for child in element:
        if child.tag in skip:
            parts.append(child.tail or "")
            continue
        parts.append("\n" if child.tag == "lb" else _text(child, skip))
        parts.append(child.tail or "")
    return "".join(parts)


def _blocks(body: etree._Element):
    """Blocks from trafilatura's output tree (p, head, list/item, table/row/cell, quote...)."""
    table = -1
    for element in body:
        tag = element.tag
        if tag == "head":
            rend = element.get("rend", "h2")
            level = int(rend[1]) if re.fullmatch(r"h[1-6]", rend) else 2
            yield Block(_text(element), HEADING, {"level": level})
        elif tag == "list":
            yield from _list_items(element, 1)
        elif tag == "table":
            table += 1
            for r, row in enumerate(element.iter("row")):
                for c, cell in enumerate(row.iter("cell")):
                    yield Block(_text(cell), TABLE_CELL, {"table": table, "row": r, "col": c,
                                                          "header": cell.get("role") == "head"})
        elif tag in ("div", "quote", "main", "body", "section"):
            if element.text and element.text.strip():
                yield Block(element.text, PARAGRAPH)
            yield from _blocks(element)
        elif tag in ("graphic", "lb", "comments"):
            pass
        else:  # p, code, and anything new: its text as a paragraph
            yield Block(_text(element), PARAGRAPH)
        if element.tail and element.tail.strip():
            yield Block(element.tail, PARAGRAPH)


def _list_items(element: etree._Element, depth: int):
    for item in element.findall("item"):
        yield Block(_text(item, skip=("list",)), LIST_ITEM, {"depth": depth})
        for sublist in item.findall("list"):
            yield from _list_items(sublist, depth + 1)


READER = Reader(FORMAT, (".html", ".htm", ".xhtml"), read, sniff, WHAT)
