"""XLIFF 2.0, the OASIS exchange format for translation work.

One ``<file>`` for the document and one ``<unit>`` per sentence pair, in order,
each with one ``<segment state="translated">`` holding ``<source>`` (Arabic) and
``<target>`` (English). The signature of the model is a ``<note
category="signature">`` of the file and of every unit; a unit's notes also carry
its confidence score, doubts and paragraph. Only the core namespace is used, so
the file is valid against the OASIS XLIFF 2.0 core schema (checked in the tests).
"""
from __future__ import annotations

from lxml import etree

from ..text.document import Document
from .base import require_translated, xml_text

NAMESPACE = "urn:oasis:names:tc:xliff:document:2.0"
SOURCE_LANG, TARGET_LANG = "ar", "en"


def _tag(name: str) -> str:
    return f"{{{NAMESPACE}}}{name}"


def write(document: Document, original: bytes | None = None, signature: str | None = None) -> bytes:
    """The sentence pairs as an XLIFF 2.0 document.

    Raises:
        OutputError: the document is not fully translated.
    """
    require_translated(document, "xliff")
    root = etree.Element(_tag("xliff"), {"version": "2.0", "srcLang": SOURCE_LANG, "trgLang": TARGET_LANG},
                         nsmap={None: NAMESPACE})
    attributes = {"id": "f1"}
    if document.name:
        attributes["original"] = document.name
    file = etree.SubElement(root, _tag("file"), attributes)
    if signature:
        _notes(file, [("signature", signature)])
    for pair in document.sentences:
        unit = etree.SubElement(file, _tag("unit"), id=f"u{pair.index + 1}")
        notes = [("signature", signature)] if signature else []
        notes.append(("paragraph", str(pair.paragraph)))
        if pair.score is not None:
            notes.append(("score", f"{pair.score:.4f}"))
        if pair.flags:
            notes.append(("flags", ",".join(pair.flags)))
        _notes(unit, notes)
        segment = etree.SubElement(unit, _tag("segment"), id=f"s{pair.index + 1}", state="translated")
        etree.SubElement(segment, _tag("source")).text = xml_text(pair.source)
        etree.SubElement(segment, _tag("target")).text = xml_text(pair.translation or "")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _notes(parent: etree._Element, notes: list[tuple[str, str]]) -> None:
    holder = etree.SubElement(parent, _tag("notes"))
    for category, text in notes:
        etree.SubElement(holder, _tag("note"), category=category).text = xml_text(text)
