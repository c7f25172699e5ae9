"""Reading input: finding the files under the given paths and decoding text.

Every problem becomes an :class:`InputError` with a one-line message that says
what is wrong, so one bad file never stops the others.
"""
from __future__ import annotations

import codecs
import logging
import os
import re
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from . import config
from .errors import InputError
from .sizes import megabytes

log = logging.getLogger("translate")

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Control characters that never appear in real text (tab, newlines, form feed do).
_CONTROL = {c for c in range(32) if c not in (9, 10, 12, 13)} | {127}
_BINARY_CONTROL_SHARE = 0.05


@dataclass(frozen=True)
class Source:
    """One input to translate.

    Attributes:
        label: how messages name it (the path as given, the address, or ``<stdin>``).
        path: the file, or None for standard input and addresses.
        relative: its path relative to the folder it was found in (names the output).
        url: the web address of an article to fetch, or None.
    """

    label: str
    path: Path | None
    relative: Path | None
    url: str | None = None

    def read(self, encoding: str | None = None, max_bytes: int | None = None) -> str:
        """The source's text (see :func:`decode`).

        Raises:
            InputError: unreadable, too big, empty, binary or undecodable.
        """
        return decode(self.read_bytes(max_bytes), self.label, encoding)

    def read_bytes(self, max_bytes: int | None = None) -> bytes:
        """The source's bytes, at most ``max_bytes`` (default: the input limit).

        Raises:
            InputError: unreadable or too big.
        """
        limit = config.max_input_bytes() if max_bytes is None else max_bytes
        if self.url is not None:
            raise InputError(f"{self.label}: a web address, not a file (read it with translate.readers.read_url)",
                             reason="is-url")
        if self.path is None:
            data = sys.stdin.buffer.read(limit + 1)
        else:
            try:
                if self.path.stat().st_size > limit:
                    raise InputError(_too_big(self.label, self.path.stat().st_size, limit),
                                     reason="too-big", limit=limit)
                data = self.path.read_bytes()
            except OSError as error:
                raise InputError(f"{self.label}: cannot read it ({error.strerror or error})") from error
        if len(data) > limit:
            raise InputError(_too_big(self.label, len(data), limit), reason="too-big", limit=limit)
        return data


def url_name(url: str) -> Path:
    """A file name for an article's address: its last path segment (or its host),
    with anything unsafe in a file name replaced: ``https://x.org/news/aleppo-1`` →
    ``aleppo-1.html``."""
    from urllib.parse import unquote, urlsplit

    parts = urlsplit(url)
    segment = unquote(parts.path.rstrip("/").rsplit("/", 1)[-1]) or parts.hostname or "article"
    stem = re.sub(r"[^\w.-]+", "-", segment).strip(".-")[:80] or "article"
    return Path(stem if stem.lower().endswith((".html", ".htm")) else stem + ".html")


def read_text(path: str | os.PathLike, encoding: str | None = None) -> str:
    """Read a text file the way the CLI does (size limit, BOMs, clear errors).

    Raises:
        InputError: missing, too big, empty, binary or undecodable.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such file" if not path.exists() else f"{path}: not a regular file",
                         reason="no-such-file")
    return Source(str(path), path, Path(path.name)).read(encoding)


def find_sources(paths: list[str | os.PathLike], *, suffixes: tuple[str, ...] = config.TEXT_SUFFIXES,
                 exclude=lambda path: False) -> tuple[list[Source], list[InputError]]:
    """Expand files and folders (recursively, files with one of ``suffixes``) into sources.

    ``-`` stands for standard input; ``http://`` and ``https://`` addresses are
    sources too (:attr:`Source.url`). Hidden files and folders are skipped, and so
    is every file for which ``exclude(path)`` is true (the batch job's own outputs).
    Returns the sources found and one error per path that gave nothing.
    """
    sources, problems = [], []
    kinds = "/".join(suffixes)
    for given in map(str, paths):
        if given == "-":
            sources.append(Source("<stdin>", None, None))
            continue
        if given.lower().startswith(("http://", "https://")):
            sources.append(Source(given, None, url_name(given), url=given))
            continue
        path = Path(given)
        if path.is_dir():
            found = sorted(
                p for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in suffixes
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
                and not exclude(p)
            )
            if not found:
                problems.append(InputError(f"{given}: no {kinds} files in this folder", reason="empty-folder"))
            sources.extend(Source(str(p), p, p.relative_to(path)) for p in found)
        elif path.is_file():
            sources.append(Source(given, path, Path(path.name)))
        elif path.exists():
            problems.append(InputError(f"{given}: not a regular file or folder", reason="not-a-file"))
        else:
            problems.append(InputError(f"{given}: no such file or folder", reason="no-such-file"))
    return sources, problems


def decode(data: bytes, label: str = "input", encoding: str | None = None) -> str:
    """Bytes → text: BOMs honoured, UTF-8 by default, a clear error otherwise.

    Raises:
        InputError: undecodable, binary, empty or whitespace-only input.
    """
    if encoding:
        try:
            text = data.decode(encoding)
        except LookupError:
            raise InputError(f"unknown encoding {encoding!r}; try utf-8 or cp1256", reason="unknown-encoding",
                             encoding=encoding) from None
        except UnicodeDecodeError as error:
            raise InputError(f"{label}: not valid {encoding} (byte {error.start})", reason="wrong-encoding",
                             encoding=None) from None
    else:
        text = _decode_guessing(data, label)
    text = text.lstrip("\ufeff")
    controls = sum(ord(ch) in _CONTROL for ch in text)
    if controls > max(8, _BINARY_CONTROL_SHARE * len(text)):
        raise InputError(f"{label}: looks like a binary file, not text", reason="binary")
    if controls:  # a few stray NULs or escapes in real text: drop them, keep the words
        text = "".join(ch for ch in text if ord(ch) not in _CONTROL)
        log.warning("%s: removed %d control characters (NUL and the like)", label, controls)
    if not has_visible_text(text):
        raise InputError(f"{label}: is empty" if not text else f"{label}: holds only whitespace", reason="empty")
    return text


def has_visible_text(text: str) -> bool:
    """True when ``text`` holds more than whitespace and invisible format marks
    (bidi controls, zero-width joiners, byte-order marks)."""
    return any(not ch.isspace() and unicodedata.category(ch) != "Cf" for ch in text)


def _decode_guessing(data: bytes, label: str) -> str:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                raise InputError(f"{label}: starts with a {codec} byte-order mark but is not valid {codec}",
                                 reason="wrong-encoding", encoding=None) from None
    # Before UTF-8: Arabic in UTF-16LE is mostly bytes below 0x80, valid UTF-8 full of NULs.
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        return utf16
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        if _looks_like_cp1256(data):
            raise InputError(f"{label}: not UTF-8; it looks like Windows-1256 Arabic (encoding cp1256)",
                             reason="wrong-encoding", encoding="cp1256") from None
        if b"\0" in data:
            raise InputError(f"{label}: looks like a binary file, not text", reason="binary") from None
        raise InputError(f"{label}: not valid UTF-8 (byte {error.start}); convert it to UTF-8 or name its encoding",
                         reason="wrong-encoding", encoding=None) from None


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text without a byte-order mark, told by its zero bytes: spaces, digits
    and punctuation put a zero in every other byte, all on the same side (odd
    positions for little-endian, even for big-endian), and text has many of them."""
    if len(data) < 4 or len(data) % 2 or b"\0" not in data:
        return None
    pairs = len(data) // 2
    zero_even, zero_odd = data[0::2].count(0), data[1::2].count(0)
    for codec, zeros, others in (("utf-16-le", zero_odd, zero_even), ("utf-16-be", zero_even, zero_odd)):
        if zeros >= 0.05 * pairs and others <= 0.01 * pairs:
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                return None
            return text if has_visible_text(text) else None
    return None


def _looks_like_cp1256(data: bytes) -> bool:
    """Windows-1256 Arabic: decodes, and most high bytes become Arabic letters."""
    try:
        text = data.decode("cp1256")
    except UnicodeDecodeError:
        return False
    high = [ch for ch in text if ord(ch) > 127]
    arabic = sum("\u0600" <= ch <= "\u06ff" for ch in high)
    return bool(high) and arabic >= 0.7 * len(high)


def _too_big(label: str, size: int, limit: int) -> str:
    shown, limit_shown = megabytes(size, limit)
    return f"{label}: {shown} MB is above the {limit_shown} MB input limit; split it, or raise {config.MAX_INPUT_BYTES_ENV}"
