"""TMX 1.4 (Translation Memory eXchange), the translation-memory format of CAT tools.

One ``<tu>`` per sentence pair, in document order: ``<tuv xml:lang="ar">`` with
the Arabic, ``<tuv xml:lang="en">`` with the English. The signature of the model
that made the translations is in the header and in every unit (``<prop
type="x-signature">``), so units pooled into a larger memory keep it; a unit also
carries its confidence score and doubts (``x-score``, ``x-flags``), and a
translation that is not the model's says where it came from (``x-origin``:
``yours`` for the reader's own, from the translation memory; ``passed-through``
for a sentence without an Arabic word, kept as it is). The memory's
export (:func:`write_units`) uses the same layout. Valid against the TMX 1.4b
DTD (checked in the tests); no DOCTYPE line, so no reader goes looking for the DTD.
The memory's import reads TMX files back with :func:`read_units`: this is the one
TMX module, reading and writing.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .. import config
from ..errors import InputError
from ..text.document import Document
from ..translation import PASSED, TEAM, YOURS
from .base import require_translated, xml_text

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SOURCE_LANG, TARGET_LANG = "ar", "en"
#: How TMX writes a time (always UTC): ``20240501T120000Z``.
DATE_FORMAT = "%Y%m%dT%H%M%SZ"
_INLINE_CODES = frozenset({"bpt", "ept", "it", "ph", "ut"})  # TMX markup inside <seg>, not text


@dataclass(frozen=True)
class Unit:
    """One translation unit: the Arabic, the English, and its ``<prop>`` s.

    Attributes:
        source, translation: the two sides.
        props: (type, value) pairs, written in order.
        changed: when it was last changed, as :data:`DATE_FORMAT` (None: unknown).
    """

    source: str
    translation: str
    props: tuple[tuple[str, str], ...] = ()
    changed: str | None = None


def write(document: Document, original: bytes | None = None, signature: str | None = None) -> bytes:
    """The sentence pairs as a TMX 1.4 document.

    Raises:
        OutputError: the document is not fully translated.
    """
    require_translated(document, "tmx")
    header = [("x-document", document.name)] if document.name else []
    if signature:
        header.append(("x-signature", signature))
    units = []
    for pair in document.sentences:
        props = [("x-signature", signature)] if signature else []
        props.append(("x-paragraph", str(pair.paragraph)))
        if pair.score is not None:
            props.append(("x-score", f"{pair.score:.4f}"))
        if pair.flags:
            props.append(("x-flags", ",".join(pair.flags)))
        if pair.origin in (YOURS, TEAM, PASSED):  # not the model's; the model's is the signature's
            props.append(("x-origin", pair.origin))
        units.append(Unit(pair.source, pair.translation or "", tuple(props)))
    return write_units(units, header)


def write_units(units: Iterable[Unit], header_props: Iterable[tuple[str, str]] = ()) -> bytes:
    """Translation units as a TMX 1.4 document (``tuid`` s numbered from 1)."""
    from lxml import etree  # here: the memory imports this module for every lookup, and needs no XML then

    root = etree.Element("tmx", version="1.4")
    header = etree.SubElement(root, "header", {
        "creationtool": "translate-ar-en", "creationtoolversion": config.VERSION, "segtype": "sentence",
        "o-tmf": "translate-ar-en", "adminlang": "en", "srclang": SOURCE_LANG, "datatype": "plaintext"})
    for kind, value in header_props:
        _prop(header, kind, value)
    body = etree.SubElement(root, "body")
    for number, unit in enumerate(units, start=1):
        element = etree.SubElement(body, "tu", tuid=str(number))
        if unit.changed:
            element.set("changedate", unit.changed)
        for kind, value in unit.props:
            _prop(element, kind, value)
        for lang, text in ((SOURCE_LANG, unit.source), (TARGET_LANG, unit.translation)):
            variant = etree.SubElement(element, "tuv", {_XML_LANG: lang})
            etree.SubElement(variant, "seg").text = xml_text(text)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def read_units(data: bytes, name: str = "TMX file") -> tuple[list[Unit], int]:
    """The Arabic→English units of a TMX file (1.4, or older ones that write ``lang``),
    and how many units had no such pair.

    A variant's language is its ``xml:lang`` (or TMX 1.1's ``lang``), matched on
    the primary subtag (``ar-SY`` is Arabic); inline markup codes in ``<seg>`` are
    left out of the text. Entities are never expanded, nor a DTD or anything on
    the network loaded. A unit keeps its ``<prop>`` s and its change (or creation) time.

    Raises:
        InputError: not well-formed XML, not TMX, no units, or no Arabic→English pair.
    """
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        raise InputError(f"{name} is not well-formed XML ({error}); export it again as TMX",
                         reason="bad-tmx") from None
    if not isinstance(root.tag, str) or etree.QName(root).localname != "tmx":
        raise InputError(f"{name} is not a TMX file (its root element is <{etree.QName(root).localname}>, "
                         "not <tmx>)", reason="bad-tmx")
    elements = list(root.iter("{*}tu"))
    if not elements:
        raise InputError(f"{name} holds no translation units; there is nothing to import", reason="empty-tmx")
    units: list[Unit] = []
    languages: set[str] = set()
    for element in elements:
        sides: dict[str, str] = {}
        for variant in element.iter("{*}tuv"):
            lang = (variant.get(_XML_LANG) or variant.get("lang") or "").strip().lower()
            primary = lang.split("-")[0].split("_")[0]
            languages.add(lang or "none")
            segment = variant.find("{*}seg")
            if primary in (SOURCE_LANG, TARGET_LANG) and primary not in sides and segment is not None:
                sides[primary] = _segment_text(segment)
        source, translation = sides.get(SOURCE_LANG, "").strip(), sides.get(TARGET_LANG, "").strip()
        if source and translation:
            props = tuple((prop.get("type") or "", prop.text or "") for prop in element.iterfind("{*}prop"))
            units.append(Unit(source, translation, props, element.get("changedate") or element.get("creationdate")))
    if not units:
        raise InputError(f"{name} holds no Arabic→English pairs (its languages: {', '.join(sorted(languages))}); "
                         "the memory is for Arabic sentences and their English", reason="wrong-languages")
    return units, len(elements) - len(units)


def _segment_text(segment) -> str:
    """A ``<seg>``'s text without its inline codes (their tails are text)."""
    from lxml import etree

    parts = [segment.text or ""]
    for child in segment:
        if isinstance(child.tag, str) and etree.QName(child).localname not in _INLINE_CODES:
            parts.append(_segment_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _prop(parent, kind: str, value: str) -> None:
    from lxml import etree

    etree.SubElement(parent, "prop", type=kind).text = xml_text(value)
