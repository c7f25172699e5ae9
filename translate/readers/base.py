"""What every reader shares: the reader record, size limits, and safe zip and XML opening."""
from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from lxml import etree

from .. import config
from ..errors import InputError, describe
from ..sizes import megabytes
from ..text.document import Document
from .budget import Budget


@dataclass(frozen=True)
class Reader:
    """One input format.

    Attributes:
        format: its name, also ``Document.format`` of what it reads.
        suffixes: file name endings it claims (lower case, with the dot).
        read: ``read(data, name, encoding, max_chars) -> Document``; raises InputError.
            ``max_chars``: the reading's budget of characters (None: read it all;
            see :mod:`translate.readers.budget`).
        sniff: ``sniff(data) -> bool``, True when the bytes are surely this format.
        what: what messages call the format ("Word document").
    """

    format: str
    suffixes: tuple[str, ...]
    read: Callable[[bytes, str, str | None, int | None], Document]
    sniff: Callable[[bytes], bool] | None = None
    what: str = "document"


def too_big(name: str, size: int, limit: int) -> str:
    shown, limit_shown = megabytes(size, limit)
    return (f"{name}: {shown} MB is above the {limit_shown} MB input limit; "
            f"split it, or raise {config.MAX_INPUT_BYTES_ENV}")


def because(error: BaseException) -> str:
    """`` (what the error says)`` for a message, or "" when it says nothing."""
    words = describe(error)
    return f" ({words})" if words else ""


def open_zip(data: bytes, name: str, what: str, budget: Budget | None = None) -> zipfile.ZipFile:
    """Open a zip-based document (``what``: "Word document", "EPUB book"), refusing
    damaged archives and ones that would unpack to more than ``config.MAX_UNZIPPED_BYTES``
    (or than the markup ``budget`` allows: a zip member never unpacks past the size
    it declares, so the declared sizes bound what reading it takes).

    Raises:
        InputError: not a zip, damaged, or a zip bomb.
    """
    if not data.startswith(b"PK"):
        article = "an" if what[:1] in "AEIOU" else "a"
        raise InputError(f"{name}: not {article} {what} (it is not a zip archive); check the file or its extension")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError) as error:
        raise InputError(f"{name}: a damaged {what}{because(error)}; open and save it again") from None
    if unpacked > config.MAX_UNZIPPED_BYTES:
        shown, limit_shown = megabytes(unpacked, config.MAX_UNZIPPED_BYTES)
        raise InputError(f"{name}: unpacks to {shown} MB, above the {limit_shown} MB limit for a {what}")
    if budget is not None and budget.max_markup is not None and unpacked > budget.max_markup:
        shown, limit_shown = megabytes(unpacked, budget.max_markup)
        raise budget.too_complex(f"it unpacks to {shown} MB, above the {limit_shown} MB read here")
    return archive


def read_member(archive: zipfile.ZipFile, member: str, name: str, what: str) -> bytes:
    """One file inside the archive, with a clear error when it is missing or damaged."""
    try:
        return archive.read(member)
    except KeyError:
        raise InputError(f"{name}: a damaged {what}: {member} is missing") from None
    except (zipfile.BadZipFile, EOFError, ValueError, OSError) as error:  # bad CRC, truncated, bad compression
        raise InputError(f"{name}: a damaged {what} ({member}: {describe(error) or 'unreadable'}); "
                         "open and save it again") from None


def safe_xml_parser(recover: bool = True) -> etree.XMLParser:
    """An XML parser for documents from strangers: it never reads other files or the
    network (no external entities, no DTD loading) and survives small errors."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, recover=recover,
                           huge_tree=False, remove_comments=False)


def parse_xml(data: bytes, name: str, member: str, what: str) -> etree._ElementTree:
    """Parse XML from inside a document with :func:`safe_xml_parser`.

    Raises:
        InputError: nothing could be parsed.
    """
    try:
        root = etree.fromstring(data, safe_xml_parser())
    except etree.XMLSyntaxError as error:
        raise InputError(f"{name}: a damaged {what} ({member}: {describe(error) or 'not XML'})") from None
    if root is None:
        raise InputError(f"{name}: a damaged {what} ({member} is not XML)")
    return root.getroottree()
