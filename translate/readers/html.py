"""Web articles and saved HTML pages: the main text, through ``trafilatura``.

Menus, share buttons, comments, related-article lists, footers and ads are
dropped by trafilatura's extraction; headings, paragraphs, lists and tables of
the article are kept, in order, with the page's title as a TITLE block.

Old portals lay pages out with ``<table>``: extracted with tables, such a page
comes back as one table whose cells hold the article *and* the sidebar and
comments. A cell holding headings or several paragraphs is layout, not data,
so the page is extracted again without tables, which keeps only the article.

Inline formatting is kept: bold, italics, underline, superscript and subscript
from trafilatura's ``<hi rend>``, and links from the page itself, become each
block's spans (:mod:`translate.text.spans`). Links are not asked of trafilatura:
with links on, it drops link-dense blocks (a heading that is one link), so the
article's text would depend on its links. Each ``<a href>`` of the page is found
instead in the block that holds its text and the words just before it
(:func:`_link_spans`). A relative link of a fetched page is made absolute against
the page's address, so it still leads somewhere from the English copy.
"""
from __future__ import annotations

import logging
import re
from urllib.parse import urljoin

from lxml import etree

from ..errors import InputError
from ..text.document import HEADING, LIST_ITEM, PARAGRAPH, TABLE_CELL, TITLE, Block, Document, segment_blocks
from ..text.spans import BOLD, ITALIC, LINK, SUBSCRIPT, SUPERSCRIPT, UNDERLINE, Span, clean, safe_target
from .base import Reader
from .budget import Budget

FORMAT = "html"
WHAT = "web page"
_MARKUP = re.compile(rb"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]", re.IGNORECASE)
_LAYOUT_PARAGRAPHS = 2  # more paragraphs than this in one table cell: a layout table
#: trafilatura's ``<hi rend>`` values and the formatting they stand for.
_RENDS = {"#b": BOLD, "#i": ITALIC, "#u": UNDERLINE, "#sup": SUPERSCRIPT, "#sub": SUBSCRIPT, "#t": None}


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
    blocks = _with_links(list(_blocks(extracted.body)), page, url)
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
                                           favor_precision=True, with_metadata=True, deduplicate=False,
                                           include_formatting=True)
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


def _block(element: etree._Element, kind: str, meta: dict | None = None, skip: tuple[str, ...] = ()) -> Block:
    """The element as a block of ``kind``, its ``<hi>`` as spans (its links come later: :func:`_with_links`)."""
    found: list[Span] = []
    text = _text(element, skip)
    _spans(element, 0, found, skip)
    return Block(text, kind, meta or {}, clean(found, text))


def _spans(element: etree._Element, position: int, found: list[Span], skip: tuple[str, ...]) -> int:
    """Add the formatting inside ``element`` (its text from ``position``, as :func:`_text`
    counts it) to ``found``; returns the position after its text."""
    position += len(element.text or "")
    for child in element:
        if child.tag in skip:
            position += len(child.tail or "")
            continue
        if child.tag == "lb":
            end = position + 1
        else:
            end = _spans(child, position, found, skip)
            kind = _RENDS.get(child.get("rend", "")) if child.tag == "hi" else None
            if kind is not None:
                found.append(Span(position, end, kind))
        position = end + len(child.tail or "")
    return position


def _blocks(body: etree._Element):
    """Blocks from trafilatura's output tree (p, head, list/item, table/row/cell, quote...)."""
    table = -1
    for element in body:
        tag = element.tag
        if tag == "head":
            rend = element.get("rend", "h2")
            level = int(rend[1]) if re.fullmatch(r"h[1-6]", rend) else 2
            yield _block(element, HEADING, {"level": level})
        elif tag == "list":
            yield from _list_items(element, 1)
        elif tag == "table":
            table += 1
            for r, row in enumerate(element.iter("row")):
                for c, cell in enumerate(row.iter("cell")):
                    yield _block(cell, TABLE_CELL, {"table": table, "row": r, "col": c,
                                                    "header": cell.get("role") == "head"})
        elif tag in ("div", "quote", "main", "body", "section"):
            if element.text and element.text.strip():
                yield Block(element.text, PARAGRAPH)
            yield from _blocks(element)
        elif tag in ("graphic", "lb", "comments"):
            pass
        else:  # p, code, and anything new: its text as a paragraph
            yield _block(element, PARAGRAPH)
        if element.tail and element.tail.strip():
            yield Block(element.tail, PARAGRAPH)


def _list_items(element: etree._Element, depth: int):
    for item in element.findall("item"):
        yield _block(item, LIST_ITEM, {"depth": depth}, skip=("list",))
        for sublist in item.findall("list"):
            yield from _list_items(sublist, depth + 1)


_CONTEXT = 12  # characters before a link's text that must match too (fewer at a block's start)
_LOOK_AHEAD = 1000  # links of the page tried for each block, from the last one found
_PAGE_BLOCKS = frozenset("p h1 h2 h3 h4 h5 h6 li td th dd dt blockquote div section article caption figcaption "
                         "pre body".split())


def _with_links(blocks: list[Block], page: bytes | str, url: str | None) -> list[Block]:
    """``blocks`` with the page's links as spans (see :func:`_link_spans`)."""
    anchors = _anchors(page, url)
    if not anchors:
        return blocks
    out, cursor = [], 0
    for block in blocks:
        found, cursor = _link_spans(block.text, anchors, cursor)
        out.append(Block(block.text, block.kind, block.meta, clean((*block.spans, *found), block.text))
                   if found else block)
    return out


def _anchors(page: bytes | str, url: str | None) -> list[tuple[str, str, str]]:
    """``(the text before it in its block, its text, its target)`` for each ``<a href>`` of
    the page with a safe target, in order, whitespace collapsed; in one pass over the page.
    Links to a place in the page itself (``#…``) are left out: the English copy has no such place."""
    from trafilatura import load_html  # decodes the page as the extraction did

    try:
        root = load_html(page)
    except (ValueError, TypeError, etree.LxmlError):
        return []
    if root is None:
        return []
    anchors: list[tuple[str, str, str]] = []
    buffers = [""]  # the last characters of each open block's text

    def add(text: str | None) -> None:
        if text:
            buffers[-1] = (buffers[-1] + text)[-4 * _CONTEXT:]

    for event, element in etree.iterwalk(root, events=("start", "end")):
        tag = element.tag if isinstance(element.tag, str) else ""
        if event == "start":
            if tag in _PAGE_BLOCKS:
                buffers.append("")
            if tag == "a":
                target = safe_target(element.get("href"))
                text = " ".join(element.text_content().split())
                if target is not None and text and not target.startswith("#"):
                    anchors.append((" ".join(buffers[-1].split())[-_CONTEXT:].lstrip(), text,
                                    urljoin(url, target) if url else target))
            if tag and tag not in ("script", "style"):
                add(element.text)
        else:
            if tag in _PAGE_BLOCKS and len(buffers) > 1:
                buffers.pop()
            add(element.tail)
    return anchors


def _link_spans(text: str, anchors: list[tuple[str, str, str]], cursor: int) -> tuple[list[Span], int]:
    """The links of ``anchors`` (from ``cursor`` on) found in ``text``, and the cursor after the
    last one found. A link is found where its text follows the words it follows in the page
    (for a block that starts inside the page's block: the end of those words); a link that
    starts its block in the page must start the block here too."""
    collapsed, where = _collapse(text)
    found, position, last = [], 0, None
    for number in range(cursor, min(len(anchors), cursor + _LOOK_AHEAD)):
        before, anchor_text, target = anchors[number]
        start = -1
        if before:
            at = collapsed.find(before + " " + anchor_text, position)
            at_tight = collapsed.find(before + anchor_text, position)
            if at >= 0 and (at_tight < 0 or at <= at_tight):
                start = at + len(before) + 1
            elif at_tight >= 0:
                start = at_tight + len(before)
            else:
                at = collapsed.find(anchor_text, position)
                if at >= 0 and before.endswith(collapsed[:at].rstrip()):
                    start = at
        elif collapsed.startswith(anchor_text, position) and position == 0:
            start = 0
        if start < 0:
            continue
        end = start + len(anchor_text)
        found.append(Span(where[start], where[end - 1] + 1, LINK, target))
        position, last = end, number
    return found, (cursor if last is None else last + 1)


def _collapse(text: str) -> tuple[str, list[int]]:
    """``text`` with each run of whitespace as one space (and none at its ends), and for each
    of its characters, its offset in ``text``."""
    out, where = [], []
    for match in re.finditer(r"\S+", text):
        if out:
            out.append(" ")
            where.append(match.start() - 1)
        out.append(match.group())
        where.extend(range(match.start(), match.end()))
    return "".join(out), where


READER = Reader(FORMAT, (".html", ".htm", ".xhtml"), read, sniff, WHAT)
