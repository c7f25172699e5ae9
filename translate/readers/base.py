"""What every reader shares: the reader record, size limits, and safe zip and XML opening."""
from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from lxml import etree

from .. import config
from ..errors import InputError
from ..text.document import Document


@dataclass(frozen=True)
class Reader:
    """One input format.

    Attributes:
        format: its name, also ``Document.format`` of what it reads.
        suffixes: file name endings it claims (lower case, with the dot).
        read: ``read(data, name, encoding) -> Document``; raises InputError.
        sniff: ``sniff(data) -> bool``, True when the bytes are surely this format.
    """

    format: str
    suffixes: tuple[str, ...]
    read: Callable[[bytes, str, str | None], Document]
    sniff: Callable[[bytes], bool] | None = None


def too_big(name: str, size: int, limit: int) -> str:
    return (f"{name}: {size / 1e6:.1f} MB is above the {limit / 1e6:.1f} MB input limit; "
            f"split it, or raise {config.MAX_INPUT_BYTES_ENV}")


def open_zip(data: bytes, name: str, what: str) -> zipfile.ZipFile:
    """Open a zip-based document (``what``: "Word document", "EPUB book"), refusing
    damaged archives and ones that would unpack to more than ``config.MAX_UNZIPPED_BYTES``.

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
        raise InputError(f"{name}: a damaged {what} ({error}); open and save it again") from None
    if unpacked > config.MAX_UNZIPPED_BYTES:
        raise InputError(f"{name}: unpacks to {unpacked / 1e6:.0f} MB, above the "
                         f"{config.MAX_UNZIPPED_BYTES / 1e6:.0f} MB limit for a {what}")
    return archive


def read_member(archive: zipfile.ZipFile, member: str, name: str, what: str) -> bytes:
    """One file inside the archive, with a clear error when it is missing or damaged."""
    try:
        return archive.read(member)
    except KeyError:
        raise InputError(f"{name}: a damaged {what}: {member} is missing") from None
    except (zipfile.BadZipFile, EOFError, ValueError, OSError) as error:  # bad CRC, truncated, bad compression
        raise InputError(f"{name}: a damaged {what} ({member}: {error}); open and save it again") from None


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
        raise InputError(f"{name}: a damaged {what} ({member}: {error})") from None
    if root is None:
        raise InputError(f"{name}: a damaged {what} ({member} is not XML)")
    return root.getroottree()
