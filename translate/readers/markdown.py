"""Markdown files (``.md``): headings, list items and paragraphs, with their inline
formatting as spans.

Each block is read without its markup: ``# `` and ``- `` or ``1. `` at the start of
a line, ``**bold**`` and ``__bold__``, ``*italics*`` and ``_italics_``, ``[text](address)``
and ``<address>`` links, ``<u>``, ``<sup>`` and ``<sub>``; backslash escapes give
the character itself, and ``code`` keeps its text, markup included. What is not
prose (fenced or indented code, tables, HTML blocks, thematic breaks) is not read,
and stays in the file as it is.

Each block's meta holds ``lines``, the first and last line of the original it came
from, and ``prefix``, its line's markup (``"## "``, ``"- "``): the writer
(:mod:`translate.writers.markdown`) puts the English, with its formatting written
back as Markdown, in place of those lines and copies every other line. The parser
is deliberately small: delimiters without their closer are left as text.
"""
from __future__ import annotations

import re

from ..inputs import decode
from ..text.document import HEADING, LIST_ITEM, PARAGRAPH, Block, Document, segment_blocks
from ..text.spans import BOLD, ITALIC, LINK, SUBSCRIPT, SUPERSCRIPT, UNDERLINE, Span, clean
from .base import Reader
from .budget import Budget

FORMAT = "md"
WHAT = "Markdown file"
_HEADING = re.compile(r"^( {0,3}#{1,6}[ \t]+)(.*?)(?:[ \t]+#+)?[ \t]*$")
_ITEM = re.compile(r"^([ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+)(.*)$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_NOT_PROSE = re.compile(r"^(?: {4}|\t| {0,3}(?:\||<[a-zA-Z!/]|(?:[-*_][ \t]*){3,}$|>))")
_ESCAPABLE = "\\`*_{}[]()#+-.!|<>~\""
_TAGS = {"u": UNDERLINE, "sup": SUPERSCRIPT, "sub": SUBSCRIPT, "b": BOLD, "strong": BOLD, "i": ITALIC, "em": ITALIC}
_LINK_TAIL = re.compile(r"\(\s*<?((?:[^\s<>()]|\([^\s<>()]*\))*)>?(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)")
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^\s<>]+)>")
_MAX_DEPTH = 16  # nesting of links and emphasis
_MAX_SPAN = 4000  # characters searched for a closing delimiter: unclosed ones cost no more
_TAG = re.compile(r"<(/?)(u|sup|sub|b|strong|i|em)>", re.IGNORECASE)


def sniff(data: bytes) -> bool:
    return False  # Markdown is plain text: only its extension says it is Markdown


def read(data: bytes, name: str, encoding: str | None = None, max_chars: int | None = None) -> Document:
    """The file's headings, list items and paragraphs as blocks.

    Raises:
        InputError: undecodable or empty, or more text than ``max_chars``.
    """
    text = decode(data, name, encoding)
    Budget(name, WHAT, max_chars).spend_text(len(text))
    return segment_blocks(list(blocks(text)), name, format=FORMAT)


def blocks(text: str):
    """The blocks of a Markdown text, each with its ``lines`` and ``prefix``."""
    lines = text.split("\n")
    fence = None
    paragraph: list[int] = []

    def flush():
        if paragraph:
            joined = "\n".join(lines[n].strip() for n in paragraph)
            yield block(joined, PARAGRAPH, {"lines": (paragraph[0], paragraph[-1]), "prefix": ""})
            paragraph.clear()

    for number, line in enumerate(lines):
        line = line.rstrip("\r")
        opened = _FENCE.match(line)
        if fence is not None:
            if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence):
                fence = None
            continue
        if opened:
            yield from flush()
            fence = opened.group(1)
            continue
        if not line.strip() or (not paragraph and _NOT_PROSE.match(line)):
            yield from flush()
            continue
        heading, item = _HEADING.match(line), _ITEM.match(line)
        if heading:
            yield from flush()
            level = heading.group(1).count("#")
            yield block(heading.group(2), HEADING, {"lines": (number, number), "prefix": heading.group(1),
                                                    "level": level})
        elif item:
            yield from flush()
            yield block(item.group(2), LIST_ITEM, {"lines": (number, number), "prefix": item.group(1)})
        else:
            paragraph.append(number)
    yield from flush()


def block(markup: str, kind: str, meta: dict) -> Block:
    text, spans = inline(markup)
    return Block(text, kind, meta, clean(spans, text))


def inline(markup: str) -> tuple[str, list[Span]]:
    """Markdown inline markup → its text and spans."""
    out = _Parts()
    spans: list[Span] = []
    _parse(markup, out, spans, 0)
    return "".join(out), spans


class _Parts(list):
    """Pieces of text that know their total length."""

    length = 0

    def append(self, piece: str) -> None:
        super().append(piece)
        self.length += len(piece)


def _length(out: _Parts) -> int:
    return out.length


def _parse(markup: str, out: _Parts, spans: list[Span], depth: int) -> None:
    if depth > _MAX_DEPTH:  # [[[[… or **_**_… nested past reason: the rest is text
        out.append(markup)
        return
    position, size = 0, len(markup)
    open_tags: dict[str, list[int]] = {}
    while position < size:
        char = markup[position]
        if char == "\\" and position + 1 < size and markup[position + 1] in _ESCAPABLE:
            out.append(markup[position + 1])
            position += 2
        elif char == "`":
            ticks = len(markup[position:]) - len(markup[position:].lstrip("`"))
            end = markup.find("`" * ticks, position + ticks)
            if end < 0:
                out.append(markup[position:position + ticks])
                position += ticks
            else:
                out.append(markup[position + ticks:end])
                position = end + ticks
        elif char == "[":
            close = _closing_bracket(markup, position)
            tail = _LINK_TAIL.match(markup, close + 1) if close > 0 else None
            if tail is None:
                out.append(char)
                position += 1
                continue
            start = _length(out)
            _parse(markup[position + 1:close], out, spans, depth + 1)
            if tail.group(1):
                spans.append(Span(start, _length(out), LINK, tail.group(1)))
            position = tail.end()
        elif char == "<" and (auto := _AUTOLINK.match(markup, position)):
            start = _length(out)
            out.append(auto.group(1))
            spans.append(Span(start, _length(out), LINK, auto.group(1)))
            position = auto.end()
        elif char == "<" and (tag := _TAG.match(markup, position)):
            name = tag.group(2).lower()
            if not tag.group(1):
                open_tags.setdefault(name, []).append(_length(out))
            elif open_tags.get(name):
                spans.append(Span(open_tags[name].pop(), _length(out), _TAGS[name]))
            position = tag.end()
        elif char in "*_":
            run = len(markup[position:]) - len(markup[position:].lstrip(char))
            width = 2 if run >= 2 else 1
            delimiter = char * width
            end = _closer(markup, position + width, delimiter)
            if end < 0 or (char == "_" and _intraword(markup, position, end + width)):
                out.append(markup[position:position + run])
                position += run
                continue
            start = _length(out)
            _parse(markup[position + width:end], out, spans, depth + 1)
            spans.append(Span(start, _length(out), BOLD if width == 2 else ITALIC))
            position = end + width
        else:
            following = re.compile(r"[\\`\[<*_]").search(markup, position + 1)
            stop = following.start() if following else size
            out.append(markup[position:stop])
            position = stop


def _closing_bracket(markup: str, start: int) -> int:
    depth, position = 0, start
    while position < min(len(markup), start + _MAX_SPAN):
        char = markup[position]
        if char == "\\":
            position += 2
            continue
        if char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
            if depth == 0:
                return position
        position += 1
    return -1


def _closer(markup: str, start: int, delimiter: str) -> int:
    """Where ``delimiter`` closes what opens before ``start``: not after a space, not at the
    very start (an empty span), not part of a longer run of the same character."""
    if start >= len(markup) or markup[start].isspace():
        return -1
    position, stop = start + 1, start + _MAX_SPAN
    while True:
        found = markup.find(delimiter, position, stop)
        if found < 0:
            return -1
        longer = markup[found + len(delimiter):found + len(delimiter) + 1] == delimiter[0]
        if not markup[found - 1].isspace() and markup[found - 1] != "\\" and (not longer or len(delimiter) == 2):
            return found
        position = found + 1


def _intraword(markup: str, start: int, end: int) -> bool:
    before = markup[start - 1] if start > 0 else " "
    after = markup[end] if end < len(markup) else " "
    return before.isalnum() or after.isalnum()


READER = Reader(FORMAT, (".md", ".markdown"), read, sniff, WHAT)
