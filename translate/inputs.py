"""Reading input: finding text files under the given paths and decoding them.

Every problem becomes an :class:`InputError` with a one-line message that says
what to do, so one bad file never stops the others.
"""
from __future__ import annotations

import codecs
import logging
import os
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from . import config
from .errors import InputError

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
        label: how messages name it (the path as given, or ``<stdin>``).
        path: the file, or None for standard input.
        relative: its path relative to the folder it was found in (names the output).
    """

    label: str
    path: Path | None
    relative: Path | None

    def read(self, encoding: str | None = None, max_bytes: int | None = None) -> str:
        limit = config.max_input_bytes() if max_bytes is None else max_bytes
        if self.path is None:
            data = sys.stdin.buffer.read(limit + 1)
        else:
            try:
                if self.path.stat().st_size > limit:
                    raise InputError(_too_big(self.label, self.path.stat().st_size, limit))
                data = self.path.read_bytes()
            except OSError as error:
                raise InputError(f"{self.label}: cannot read it ({error.strerror or error})") from error
        if len(data) > limit:
            raise InputError(_too_big(self.label, len(data), limit))
        return decode(data, self.label, encoding)


def read_text(path: str | os.PathLike, encoding: str | None = None) -> str:
    """Read a text file the way the CLI does (size limit, BOMs, clear errors).

    Raises:
        InputError: missing, too big, empty, binary or undecodable.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such file" if not path.exists() else f"{path}: not a regular file")
    return Source(str(path), path, Path(path.name)).read(encoding)


def find_sources(paths: list[str]) -> tuple[list[Source], list[InputError]]:
    """Expand files and folders (recursively, ``.txt``/``.md``) into sources.

    ``-`` stands for standard input. Returns the sources found and one error per
    path that gave nothing.
    """
    sources, problems = [], []
    for given in paths:
        if given == "-":
            sources.append(Source("<stdin>", None, None))
            continue
        path = Path(given)
        if path.is_dir():
            found = sorted(
                p for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in config.TEXT_SUFFIXES
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            if not found:
                problems.append(InputError(f"{given}: no .txt or .md files in this folder"))
            sources.extend(Source(str(p), p, p.relative_to(path)) for p in found)
        elif path.is_file():
            sources.append(Source(given, path, Path(path.name)))
        elif path.exists():
            problems.append(InputError(f"{given}: not a regular file or folder"))
        else:
            problems.append(InputError(f"{given}: no such file or folder"))
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
            raise InputError(f"unknown encoding {encoding!r}; try utf-8 or cp1256") from None
        except UnicodeDecodeError as error:
            raise InputError(f"{label}: not valid {encoding} (byte {error.start}); check --encoding") from None
    else:
        text = _decode_guessing(data, label)
    text = text.lstrip("\ufeff")
    controls = sum(ord(ch) in _CONTROL for ch in text)
    if controls > max(8, _BINARY_CONTROL_SHARE * len(text)):
        raise InputError(f"{label}: looks like a binary file, not text; pass a UTF-8 .txt or .md file")
    if controls:  # a few stray NULs or escapes in real text: drop them, keep the words
        text = "".join(ch for ch in text if ord(ch) not in _CONTROL)
        log.warning("%s: removed %d control characters (NUL and the like)", label, controls)
    if not has_visible_text(text):
        raise InputError(f"{label}: is empty" if not text else f"{label}: holds only whitespace")
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
                raise InputError(f"{label}: starts with a {codec} byte-order mark but is not valid {codec}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        if _looks_like_cp1256(data):
            raise InputError(
                f"{label}: not UTF-8; it looks like Windows-1256 Arabic: rerun with --encoding cp1256"
            ) from None
        if b"\0" in data:
            raise InputError(f"{label}: looks like a binary file, not text; pass a UTF-8 .txt or .md file") from None
        raise InputError(
            f"{label}: not valid UTF-8 (byte {error.start}); convert it to UTF-8 or pass --encoding"
        ) from None


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
    return (
        f"{label}: {size / 1e6:.1f} MB is above the {limit / 1e6:.1f} MB input limit; "
        f"split it, or raise {config.MAX_INPUT_BYTES_ENV}"
    )


def output_path(source: Source, out_dir: Path, fmt: str) -> Path:
    """``out/<relative folder>/<name>.en.<fmt>``: ``x.ar.txt`` becomes ``x.en.txt``."""
    relative = source.relative or Path("stdin.txt")
    name = relative.name
    for suffix in config.TEXT_SUFFIXES:
        if name.lower().endswith(suffix):
            name = name[: -len(suffix)]
            break
    if name.lower().endswith(".ar"):
        name = name[:-3]
    return out_dir / relative.parent / f"{name}.en.{fmt}"


def write_atomically(path: Path, text: str) -> None:
    """Write via a temporary file and rename, so no half-written output is left."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)
    finally:
        if temporary.exists():
            temporary.unlink()
