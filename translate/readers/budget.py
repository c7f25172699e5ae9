"""How much one reading may take: a budget of characters, and of the markup that carries them.

The page translates at most ``config.MAX_PAGE_CHARS`` characters, so it reads a
document with that budget: a reader stops as soon as it has more text than that
(and refuses the document, never truncating it), and never unpacks, parses or
holds much more than that text needs: at most ``config.MAX_MARKUP_BYTES`` of
markup (XML, PDF drawing operators, a zip's unpacked members). The command line
reads whole files (no budget).
"""
from __future__ import annotations

from lxml import etree

from .. import config
from ..errors import InputError
from ..sizes import limit_megabytes


class Budget:
    """What one reading of ``name`` (a ``what``: "PDF", "Word document"…) may take.

    Args:
        name: the document's name, for messages.
        what: what the format is called, for messages.
        max_chars: the most characters of text; None: no budget at all.
    """

    def __init__(self, name: str, what: str, max_chars: int | None):
        self.name, self.what, self.max_chars = name, what, max_chars
        self.chars = self.markup = 0

    @property
    def max_markup(self) -> int | None:
        """The most bytes of markup (None: no limit)."""
        return None if self.max_chars is None else config.MAX_MARKUP_BYTES

    def spend_text(self, count: int) -> None:
        """Count ``count`` characters of text.

        Raises:
            InputError: more text than the budget (reason ``too-long``).
        """
        self.chars += count
        if self.max_chars is not None and self.chars > self.max_chars:
            raise InputError(f"{self.name}: more than {self.max_chars:,} characters of text, the most read at a "
                             "time here; split it, or translate the whole file with the translate command",
                             reason="too-long", limit=self.max_chars)

    def spend_markup(self, count: int) -> None:
        """Count ``count`` bytes of markup.

        Raises:
            InputError: more than the budget allows (reason ``too-complex``).
        """
        self.markup += count
        if self.max_markup is not None and self.markup > self.max_markup:
            raise self.too_complex(f"it holds more than {limit_megabytes(self.max_markup)} MB of markup "
                                   "(drawing, layout) for its text")

    def too_complex(self, why: str) -> InputError:
        return too_complex(self.name, self.what, why, bounded=self.max_chars is not None)


def too_complex(name: str, what: str, why: str, *, bounded: bool = True) -> InputError:
    """The error for a document a reading will not finish: ``why`` says which limit it
    met; ``bounded``: a reading with the page's limits (the translate command has none)."""
    if not bounded:
        return InputError(f"{name}: this {what} is too complex to read: {why}", reason="too-complex")
    return InputError(f"{name}: this {what} is too complex to read here: {why}; translate it with the translate "
                      "command, or a part of it here", reason="too-complex")


def scan_xml(stream, budget: Budget, *, text_tag: str | None = None, skip_tags: frozenset[str] = frozenset()) -> None:
    """Stream an XML file (a zip member) through the parser, spending its text and its
    bytes from ``budget``: a document with too much of either is refused before any
    tree of it is built (the parser builds none here, and keeps nothing).

    Args:
        stream: the file, opened for reading bytes.
        budget: what may be spent (nothing happens without a budget).
        text_tag: count only the text inside this element (``w:t``); None: all text.
        skip_tags: elements whose text never reaches the document (``mc:Fallback``).

    Raises:
        InputError: over the budget.
    """
    if budget.max_chars is None:
        return
    counter = _TextCounter(budget, text_tag, skip_tags)
    parser = etree.XMLParser(target=counter, resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False, recover=True)
    while chunk := stream.read(1 << 16):
        budget.spend_markup(len(chunk))
        parser.feed(chunk)
    try:
        parser.close()
    except etree.XMLSyntaxError:  # the reader proper says what is wrong with the file
        pass


class _TextCounter:
    """An lxml parser target: spends the characters of text it is given."""

    def __init__(self, budget: Budget, text_tag: str | None, skip_tags: frozenset[str]):
        self.budget, self.text_tag, self.skip_tags = budget, text_tag, skip_tags
        self.inside = 0 if text_tag else 1  # depth inside text_tag elements
        self.skipped = 0  # depth inside skipped elements

    def start(self, tag, attrib) -> None:
        self.inside += tag == self.text_tag
        self.skipped += tag in self.skip_tags

    def end(self, tag) -> None:
        self.inside -= tag == self.text_tag
        self.skipped -= tag in self.skip_tags

    def data(self, text: str) -> None:
        if self.inside > 0 and not self.skipped and not text.isspace():  # not the markup's own line breaks
            self.budget.spend_text(len(text))

    def close(self) -> None:
        return None
