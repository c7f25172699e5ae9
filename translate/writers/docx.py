"""The translated document as a Word ``.docx``.

From the original file (a ``.docx`` input): every translated paragraph of the
original gets its English in place of the Arabic, keeping its style (Title,
Heading 1, List Bullet, a table cell's style), the formatting of its first run,
and its pictures, with the formatting inside it (bold, italics, hyperlinks,
character styles) put on the English words aligned to it
(:func:`translate.text.document.paragraph_formatted`); it is set left-to-right (``w:bidi`` off, a right alignment
becomes left, runs lose their right-to-left mark and get ``en-US``). Tables and
sections are set left-to-right too. Untouched paragraphs (empty ones, or those
the reader skipped) stay as they were.

Without an original (any other input), a new document is built from the block
kinds: Title, Heading n, List Bullet, tables from the cells' row and column,
and a page break where a PDF's page changes.
"""
from __future__ import annotations

import copy
import io
from itertools import groupby

from lxml import etree

from ..errors import InputError, OutputError
from ..readers.docx import RELATIONSHIPS, body_paragraphs, open_document, paragraph_text, w
from ..text.document import HEADING, LIST_ITEM, TABLE_CELL, TITLE, Document, paragraph_formatted
from ..text.spans import BOLD, ITALIC, LINK, STYLE, SUBSCRIPT, SUPERSCRIPT, UNDERLINE, Span, nest
from .base import english, require_translated, xml_text

_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_KEEP = (w("drawing"), w("pict"), w("object"))  # pictures and embedded objects inside runs
_ALWAYS_KEPT = (w("pPr"), w("bookmarkStart"), w("bookmarkEnd"), w("commentRangeStart"), w("commentRangeEnd"))
_HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
# The formatting a span sets, as run properties; the first run's own are taken off the base.
_RUN_FORMATTING = ("rStyle", "b", "bCs", "i", "iCs", "u", "vertAlign")
_RPR_ORDER = ("rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike", "outline",
              "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden", "color", "spacing",
              "w", "kern", "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText",
              "vertAlign", "rtl", "cs", "em", "lang", "eastAsianLayout", "specVanish", "oMath")


def write(document: Document, original: bytes | None = None, signature: str | None = None) -> bytes:
    """The document in English as .docx bytes (from ``original`` when it is a .docx).

    Raises:
        OutputError: untranslated sentences, or an original that does not match the document.
    """
    require_translated(document, "docx")
    if original is not None and document.format == "docx":
        return _into_original(document, original)
    return _new_document(document, signature)


def _into_original(document: Document, original: bytes) -> bytes:
    try:
        word = open_document(original, document.name or "original")
    except InputError as error:
        raise OutputError(f"{document.name}: cannot reopen the original .docx ({error})") from None
    paragraphs = body_paragraphs(word)
    alignments = _style_alignments(word)
    default_style = next((s.get(w("styleId")) for s in word.styles.element.iter(w("style"))
                          if s.get(w("type")) == "paragraph" and s.get(w("default")) in ("1", "true")), None)
    links = _Links(word)
    for paragraph in document.paragraphs:
        position = paragraph.meta.get("p")
        if position is None or position >= len(paragraphs):
            raise OutputError(f"{document.name}: the original .docx does not match the document read from it")
        p = paragraphs[position]
        source = document.text[paragraph.start:paragraph.end]
        if " ".join(paragraph_text(p).split()) != " ".join(source.split()):
            raise OutputError(f"{document.name}: the original .docx does not match the document read from it")
        style = p.find(f"{w('pPr')}/{w('pStyle')}")
        text, spans = paragraph_formatted(paragraph)
        _set_text(p, text, alignments.get(style.get(w("val")) if style is not None else default_style),
                  spans, links)
    body = word.element.body
    for table_properties in body.iter(w("tblPr")):
        for flag in table_properties.findall(w("bidiVisual")):
            table_properties.remove(flag)
    for section in body.iter(w("sectPr")):
        for flag in section.findall(w("bidi")):
            section.remove(flag)
    word.core_properties.language = "en-US"
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


# Word wants the children of pPr and rPr in schema order: each new element goes
# before the first of the elements that must follow it.
_AFTER_BIDI = ("adjustRightInd", "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents",
               "suppressOverlap", "jc", "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl",
               "divId", "cnfStyle", "rPr", "sectPr", "pPrChange")
_AFTER_JC = _AFTER_BIDI[_AFTER_BIDI.index("jc") + 1:]
_AFTER_LANG = ("eastAsianLayout", "specVanish", "oMath")
_AFTER_RTL = ("cs", "em", "lang") + _AFTER_LANG


def _insert(parent: etree._Element, element: etree._Element, followers: tuple[str, ...]) -> None:
    following = next((child for child in parent if child.tag in {w(tag) for tag in followers}), None)
    if following is not None:
        following.addprevious(element)
    else:
        parent.append(element)


class _Links:
    """What a run needs from the document: hyperlink relationships and character style ids."""

    def __init__(self, word):
        self.part = word.part
        self.styles = {s.get(w("styleId")): s for s in word.styles.element.iter(w("style"))}
        self.by_name = {}
        for style_id, style in self.styles.items():
            name = style.find(w("name"))
            if style.get(w("type")) == "character" and name is not None:
                self.by_name[name.get(w("val"))] = style_id

    def relation(self, target: str) -> str:
        return self.part.relate_to(target, _HYPERLINK, is_external=True)

    def style_id(self, name: str | None) -> str | None:
        if name in self.by_name:
            return self.by_name[name]
        return name if name in self.styles else None


def _set_text(p: etree._Element, text: str, style_alignment: str | None, spans: tuple[Span, ...] = (),
              links: _Links | None = None) -> None:
    """Replace the paragraph's text by ``text``, left to right: one run per stretch of
    the same formatting (``spans``), hyperlinks around theirs."""
    first_run = next((r for r in p.iter(w("r")) if r.find(w("t")) is not None), None)
    run_properties = first_run.find(w("rPr")) if first_run is not None else None
    insert_at = None
    for child in list(p):
        if child.tag in _ALWAYS_KEPT:
            continue
        if any(True for tag in _KEEP for _ in child.iter(tag)):
            for t in list(child.iter(w("t"))):  # keep the picture, drop its run's text
                t.getparent().remove(t)
            continue
        if insert_at is None:
            insert_at = p.index(child)
        p.remove(child)
    properties = copy.deepcopy(run_properties) if run_properties is not None else etree.Element(w("rPr"))
    for tag in ("rtl", "cs", "lang", *(_RUN_FORMATTING if spans else ())):
        for element in properties.findall(w(tag)):
            properties.remove(element)
    _insert(properties, etree.Element(w("rtl"), {w("val"): "0"}), _AFTER_RTL)
    _insert(properties, etree.Element(w("lang"), {w("val"): "en-US"}), _AFTER_LANG)
    position = insert_at if insert_at is not None else len(p)
    for element in _runs(text, spans if links is not None else (), properties, links):
        p.insert(position, element)
        position += 1
    _left_to_right(p, style_alignment)


def _runs(text: str, spans: tuple[Span, ...], base: etree._Element, links: _Links | None) -> list[etree._Element]:
    """``text`` as runs on ``base`` properties, each with its spans' formatting; the runs
    of a link inside a ``w:hyperlink``."""
    out: list[etree._Element] = []
    active: list[Span] = []
    hyperlink = None
    for event, value in nest(text, spans):
        if event == "open":
            active.append(value)
            if value.kind == LINK and links is not None:
                hyperlink = _hyperlink(value.target or "", links)
                out.append(hyperlink)
        elif event == "close":
            active.remove(value)
            if value.kind == LINK:
                hyperlink = None
        elif value:
            run = etree.Element(w("r"))
            run.append(_formatted(base, active, links))
            t = etree.SubElement(run, w("t"), {_XML_SPACE: "preserve"})
            t.text = xml_text(value)
            (hyperlink if hyperlink is not None else out).append(run)
    if not out:  # an empty paragraph still gets its one run
        run = etree.Element(w("r"))
        run.append(base)
        etree.SubElement(run, w("t"), {_XML_SPACE: "preserve"}).text = xml_text(text)
        out.append(run)
    return out


def _hyperlink(target: str, links: _Links) -> etree._Element:
    if target.startswith("#"):
        return etree.Element(w("hyperlink"), {w("anchor"): target[1:], w("history"): "1"})
    return etree.Element(w("hyperlink"), {f"{{{RELATIONSHIPS}}}id": links.relation(target), w("history"): "1"})


def _formatted(base: etree._Element, active: list[Span], links: _Links | None) -> etree._Element:
    properties = copy.deepcopy(base)
    for span in active:
        if span.kind in (BOLD, ITALIC):
            tag = "b" if span.kind == BOLD else "i"
            _in_order(properties, etree.Element(w(tag)))
            _in_order(properties, etree.Element(w(tag + "Cs")))
        elif span.kind == UNDERLINE:
            _in_order(properties, etree.Element(w("u"), {w("val"): "single"}))
        elif span.kind in (SUPERSCRIPT, SUBSCRIPT):
            _in_order(properties, etree.Element(w("vertAlign"), {w("val"): span.kind}))
        elif span.kind == STYLE and links is not None and (style_id := links.style_id(span.style)):
            _in_order(properties, etree.Element(w("rStyle"), {w("val"): style_id}))
    return properties


def _in_order(properties: etree._Element, element: etree._Element) -> None:
    """Put ``element`` into run properties in schema order, replacing one of its kind."""
    for old in properties.findall(element.tag):
        properties.remove(old)
    name = etree.QName(element).localname
    _insert(properties, element, _RPR_ORDER[_RPR_ORDER.index(name) + 1:])


def _left_to_right(p: etree._Element, style_alignment: str | None) -> None:
    """Direct paragraph formatting that overrides a right-to-left paragraph or style:
    no bidi, and a right (or start/end) alignment becomes left; centred and
    justified paragraphs stay so."""
    properties = p.find(w("pPr"))
    if properties is None:
        properties = etree.Element(w("pPr"))
        p.insert(0, properties)
    for element in properties.findall(w("bidi")):
        properties.remove(element)
    _insert(properties, etree.Element(w("bidi"), {w("val"): "0"}), _AFTER_BIDI)
    justification = properties.find(w("jc"))
    if justification is not None:
        if justification.get(w("val")) in ("right", "end", "start"):
            justification.set(w("val"), "left")
    elif style_alignment in ("right", "end", "start"):
        _insert(properties, etree.Element(w("jc"), {w("val"): "left"}), _AFTER_JC)


def _style_alignments(word) -> dict[str, str | None]:
    """Each paragraph style's alignment, following ``basedOn`` (None: not set)."""
    styles = {s.get(w("styleId")): s for s in word.styles.element.iter(w("style"))}

    def alignment(style_id: str | None, depth: int = 0) -> str | None:
        style = styles.get(style_id)
        if style is None or depth > 20:
            return None
        jc = style.find(f"{w('pPr')}/{w('jc')}")
        if jc is not None:
            return jc.get(w("val"))
        based_on = style.find(w("basedOn"))
        return alignment(based_on.get(w("val")) if based_on is not None else None, depth + 1)

    return {style_id: alignment(style_id) for style_id in styles}


def _new_document(document: Document, signature: str | None) -> bytes:
    import docx  # python-docx
    from docx.enum.text import WD_BREAK

    word = docx.Document()
    word.core_properties.language = "en-US"
    if signature:
        word.core_properties.comments = signature
    title = _title(document)
    if title:
        word.core_properties.title = title
    page, links = None, None
    groups = groupby(document.paragraphs,
                     key=lambda p: ("table", p.meta.get("table", 0)) if p.kind == TABLE_CELL else ("block", p.index))
    for (what, _), members in groups:
        members = list(members)
        first = members[0].meta.get("page")
        if first is not None and page is not None and first != page and word.paragraphs:
            word.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)
        page = members[-1].meta.get("page", page)
        if what == "table":
            _add_table(word, members)
            continue
        paragraph = members[0]
        if paragraph.kind == TITLE:
            added = word.add_paragraph(style="Title")
        elif paragraph.kind == HEADING:
            added = word.add_heading(level=min(max(int(paragraph.meta.get("level", 1)), 1), 9))
        elif paragraph.kind == LIST_ITEM:
            added = word.add_paragraph(style="List Bullet")
        else:
            added = word.add_paragraph()
        links = links or _Links(word)
        for element in _runs(*paragraph_formatted(paragraph), etree.Element(w("rPr")), links):
            added._p.append(element)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def _add_table(word, cells) -> None:
    """A table from cell paragraphs with ``row``/``col`` meta (one row per cell without)."""
    places = [(p.meta.get("row", n), p.meta.get("col", 0)) for n, p in enumerate(cells)]
    table = word.add_table(rows=max(r for r, _ in places) + 1, cols=max(c for _, c in places) + 1)
    table.style = "Table Grid"
    for paragraph, (row, col) in zip(cells, places):
        cell = table.cell(row, col)
        text = xml_text(english(paragraph))
        if cell.text:
            cell.add_paragraph(text)
        else:
            cell.text = text


def _title(document: Document) -> str | None:
    return next((english(p) for p in document.paragraphs if p.kind == TITLE), None) or None
