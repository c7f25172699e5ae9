"""TMX 1.4 (Translation Memory eXchange), the translation-memory format of CAT tools.

One ``<tu>`` per sentence pair, in document order: ``<tuv xml:lang="ar">`` with
the Arabic, ``<tuv xml:lang="en">`` with the English. The signature of the model
that made the translations is in the header and in every unit (``<prop
type="x-signature">``), so units pooled into a larger memory keep it; a unit also
carries its confidence score and doubts (``x-score``, ``x-flags``). Valid against
the TMX 1.4b DTD (checked in the tests); no DOCTYPE line, so no reader goes
looking for the DTD.
"""
from __future__ import annotations

from lxml import etree

from .. import __version__
from ..document import Document
from .base import require_translated, xml_text

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SOURCE_LANG, TARGET_LANG = "ar", "en"


def write(document: Document, original: bytes | None = None, signature: str | None = None) -> bytes:
    """The sentence pairs as a TMX 1.4 document.

    Raises:
        OutputError: the document is not fully translated.
    """
    require_translated(document, "tmx")
    root = etree.Element("tmx", version="1.4")
    header = etree.SubElement(root, "header", {
        "creationtool": "translate-ar-en", "creationtoolversion": __version__, "segtype": "sentence",
        "o-tmf": "translate-ar-en", "adminlang": "en", "srclang": SOURCE_LANG, "datatype": "plaintext"})
    if document.name:
        _prop(header, "x-document", document.name)
    if signature:
        _prop(header, "x-signature", signature)
    body = etree.SubElement(root, "body")
    for pair in document.sentences:
        unit = etree.SubElement(body, "tu", tuid=str(pair.index + 1))
        if signature:
            _prop(unit, "x-signature", signature)
        _prop(unit, "x-paragraph", str(pair.paragraph))
        if pair.score is not None:
            _prop(unit, "x-score", f"{pair.score:.4f}")
        if pair.flags:
            _prop(unit, "x-flags", ",".join(pair.flags))
        for lang, text in ((SOURCE_LANG, pair.source), (TARGET_LANG, pair.translation or "")):
            variant = etree.SubElement(unit, "tuv", {_XML_LANG: lang})
            etree.SubElement(variant, "seg").text = xml_text(text)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _prop(parent: etree._Element, kind: str, value: str) -> None:
    etree.SubElement(parent, "prop", type=kind).text = xml_text(value)
