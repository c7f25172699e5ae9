"""The translated document as an EPUB book.

From the original book (an ``.epub`` input): the same zip, every file copied as
it was, except that each chapter's runs (:func:`translate.readers.epub.chapter_runs`)
hold the English (with their bold, italics and links put on the English words
aligned to them, :func:`translate.text.document.paragraph_formatted`), chapters are
marked ``lang="en" dir="ltr"``, the package says ``<dc:language>en</dc:language>``,
the translated title and a left-to-right page progression, and table-of-contents
entries that repeat a heading are translated with it.

Without an original (any other input): a new book built with ``ebooklib``, one
chapter per original chapter (or one for the whole document).
"""
from __future__ import annotations

import io
import posixpath
import zipfile
from itertools import groupby

from lxml import etree

from ..errors import InputError, OutputError
from ..readers.base import open_zip, parse_xml
from ..readers.epub import WHAT, chapter_runs, local
from ..text.document import TITLE, Document, paragraph_formatted
from . import page
from .base import english, require_translated, xml_text

_OPF = "http://www.idpf.org/2007/opf"
_DC = "http://purl.org/dc/elements/1.1/"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def write(document: Document, original: bytes | None = None, signature: str | None = None) -> bytes:
    """The book in English as .epub bytes (from ``original`` when it is an .epub).

    Raises:
        OutputError: untranslated sentences, or an original that does not match the document.
    """
    require_translated(document, "epub")
    if original is not None and document.format == "epub":
        return _into_original(document, original)
    return _new_book(document, signature)


def _mismatch(document: Document) -> OutputError:
    return OutputError(f"{document.name}: the original .epub does not match the document read from it")


def _into_original(document: Document, original: bytes) -> bytes:
    try:
        archive = open_zip(original, document.name or "original", WHAT)
    except InputError as error:
        raise OutputError(f"{document.name}: cannot reopen the original .epub ({error})") from None
    replaced: dict[str, bytes] = {}
    headings: dict[str, str] = {}  # Arabic heading → English, for the table of contents
    title = None
    by_path = groupby((p for p in document.paragraphs if "path" in p.meta), key=lambda p: p.meta["path"])
    for path, paragraphs in by_path:
        tree = _parse(archive, path, document)
        runs = chapter_runs(tree.getroot())
        for paragraph in paragraphs:
            index = paragraph.meta["run"]
            source = document.text[paragraph.start:paragraph.end]
            if index >= len(runs) or " ".join(runs[index].text.split()) != " ".join(source.split()):
                raise _mismatch(document)
            text, spans = paragraph_formatted(paragraph)
            runs[index].replace(text, spans, xml_text)
            if paragraph.is_heading:
                headings[" ".join(source.split())] = english(paragraph)
        _left_to_right(tree)
        replaced[path] = etree.tostring(tree, xml_declaration=True, encoding="utf-8")
    for paragraph in document.paragraphs:
        if paragraph.meta.get("metadata") == "title":
            title = english(paragraph)
    opf_path = _opf_path(archive, document)
    replaced[opf_path] = _package(archive, opf_path, title, document)
    for path in _navigation_files(archive, opf_path, document):
        if path not in replaced:
            replaced[path] = _navigation(archive, path, headings, document)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as book:
        infos = sorted(archive.infolist(), key=lambda info: info.filename != "mimetype")  # mimetype first
        for info in infos:
            data = replaced.get(info.filename)
            if data is None:
                data = archive.read(info.filename)
            method = zipfile.ZIP_STORED if info.filename == "mimetype" else zipfile.ZIP_DEFLATED
            book.writestr(zipfile.ZipInfo(info.filename, date_time=info.date_time), data, compress_type=method)
    return out.getvalue()


def _parse(archive: zipfile.ZipFile, path: str, document: Document) -> etree._ElementTree:
    try:
        return parse_xml(archive.read(path), document.name or "original", path, WHAT)
    except (KeyError, InputError):
        raise _mismatch(document) from None


def _left_to_right(tree: etree._ElementTree) -> None:
    root = tree.getroot()
    root.set("lang", "en")
    root.set(_XML_LANG, "en")
    root.set("dir", "ltr")
    for element in root.iter():
        if isinstance(element.tag, str) and element.get("dir") == "rtl":
            element.set("dir", "ltr")
        if isinstance(element.tag, str) and element.get("lang", "").startswith("ar"):
            element.set("lang", "en")


def _opf_path(archive: zipfile.ZipFile, document: Document) -> str:
    container = _parse(archive, "META-INF/container.xml", document).getroot()
    rootfile = next((e for e in container.iter() if local(e) == "rootfile"), None)
    if rootfile is None or not rootfile.get("full-path"):
        raise _mismatch(document)
    return rootfile.get("full-path")


def _package(archive: zipfile.ZipFile, opf_path: str, title: str | None, document: Document) -> bytes:
    tree = _parse(archive, opf_path, document)
    for element in tree.getroot().iter(f"{{{_DC}}}language"):
        element.text = "en"
    if title:
        titles = list(tree.getroot().iter(f"{{{_DC}}}title"))
        if titles:
            titles[0].text = xml_text(title)
    for spine in tree.getroot().iter(f"{{{_OPF}}}spine"):
        if spine.get("page-progression-direction") == "rtl":
            spine.set("page-progression-direction", "ltr")
    return etree.tostring(tree, xml_declaration=True, encoding="utf-8")


def _navigation_files(archive: zipfile.ZipFile, opf_path: str, document: Document) -> list[str]:
    """The EPUB 3 navigation document and the EPUB 2 NCX, as zip paths."""
    tree = _parse(archive, opf_path, document)
    folder = posixpath.dirname(opf_path)
    return [posixpath.normpath(posixpath.join(folder, item.get("href", "")))
            for item in tree.getroot().iter(f"{{{_OPF}}}item")
            if "nav" in (item.get("properties") or "").split()
            or item.get("media-type") == "application/x-dtbncx+xml"]


def _navigation(archive: zipfile.ZipFile, path: str, headings: dict[str, str], document: Document) -> bytes:
    tree = _parse(archive, path, document)
    for element in tree.getroot().iter():
        if local(element) in ("a", "text", "span") and element.text and len(element) == 0:
            english_text = headings.get(" ".join(element.text.split()))
            if english_text:
                element.text = xml_text(english_text)
    if local(tree.getroot()) == "html":
        _left_to_right(tree)
    return etree.tostring(tree, xml_declaration=True, encoding="utf-8")


def _new_book(document: Document, signature: str | None) -> bytes:
    from ebooklib import epub

    book = epub.EpubBook()
    title = next((english(p) for p in document.paragraphs if p.kind == TITLE), None) or document.name or "Translation"
    book.set_identifier(f"translate-ar-en:{document.name or 'document'}")
    book.set_title(title)
    book.set_language("en")
    if signature:
        book.add_metadata("DC", "contributor", signature)
    chapters = []
    for number, paragraphs in groupby(document.paragraphs, key=lambda p: p.meta.get("chapter", 0)):
        part = Document(document.text, tuple(paragraphs), name=document.name, format=document.format)
        heading = next((english(p) for p in part.paragraphs if p.is_heading), None) or f"Part {number + 1}"
        chapter = epub.EpubHtml(title=heading, file_name=f"chapter-{number + 1:03d}.xhtml", lang="en")
        chapter.content = _chapter_body(part)
        book.add_item(chapter)
        chapters.append(chapter)
    book.toc = chapters
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())
    book.spine = ["nav", *chapters]
    out = io.BytesIO()
    epub.write_epub(out, book)
    return out.getvalue()


def _chapter_body(part: Document) -> str:
    """The chapter as an XHTML page (the ``page`` writer's blocks)."""
    return "<html><body>" + page.body_html(part.paragraphs).replace("<br>", "<br/>") + "</body></html>"
