"""PDF documents, through ``pypdf``: the text layer, page by page, in reading order.

A PDF holds positioned glyphs, not paragraphs, so the reader rebuilds them:

* **Lines.** pypdf returns each line's text with the glyphs of an Arabic run
  already in logical order, but the runs of a line (Arabic, a number, Arabic)
  in their left-to-right order on the page. A line that is mostly Arabic is
  right-to-left, so its runs are put back in reverse order (a run of Latin
  letters and digits keeps its own order): "أحياء في | 10 | جنوب ... أكثر من"
  becomes "جنوب ... أكثر من 10 أحياء في".
* **Paragraphs.** Consecutive lines of one font size belong to one paragraph
  unless the gap above a line is clearly wider than the page's usual line
  spacing; a paragraph that runs on to the next page (no closing punctuation at
  the foot of the page) is continued there. Lines are joined with a space.
* **Headings.** A paragraph set larger than the body text is a heading.
* **Page numbers** (a line of only a number at the head or foot of a page) are
  left out.
* **Shaped letters.** Some PDF writers map glyphs to Arabic presentation forms
  (ﻻ, ﺣ); they are turned back into plain letters.

A PDF without any text (a scan) is refused with "no text layer: run OCR first",
never translated as an empty document. Each block's meta has ``page`` (1-based,
where it starts).
"""
from __future__ import annotations

import io
import logging
import re
import statistics
import unicodedata
from dataclasses import dataclass, field

from ..errors import InputError, describe
from ..text.arabic import has_letter, is_letter
from ..text.document import HEADING, PARAGRAPH, Block, Document, segment_blocks
from .base import Reader, because
from .budget import Budget

FORMAT = "pdf"
WHAT = "PDF"
_PARAGRAPH_GAP = 1.4  # a gap this many times the usual line spacing starts a paragraph
_HEADING_SIZE = 1.15  # text this many times the body size is a heading
_SIZE_CHANGE = 0.1  # a font size change larger than this (relative) starts a paragraph
_PAGE_NUMBER = re.compile(r"\W*\d{1,4}\W*")
_ENDS_SENTENCE = tuple(".!?؟…:\"”»)")
_PRESENTATION = re.compile("[\ufb50-\ufdff\ufe70-\ufeff]+")
_MIRROR = str.maketrans("()[]{}<>«»", ")(][}{><»«")


def sniff(data: bytes) -> bool:
    """The PDF header within the first kilobyte (as PDF readers accept it)."""
    return b"%PDF-" in data[:1024]


@dataclass
class _Line:
    text: str
    y: float  # baseline, in page units from the bottom
    size: float  # font size in page units
    page: int


@dataclass
class _Paragraph:
    lines: list[_Line] = field(default_factory=list)

    @property
    def size(self) -> float:
        return statistics.median(line.size for line in self.lines)

    @property
    def text(self) -> str:
        text = ""
        for line in self.lines:
            if text.endswith("-") and len(text) > 1 and text[-2].isascii() and text[-2].isalpha() \
                    and line.text[:1].islower():
                text = text[:-1] + line.text  # a Latin word hyphenated at the line end
            else:
                text = f"{text} {line.text}" if text else line.text
        return text


def read(data: bytes, name: str, encoding: str | None = None, max_chars: int | None = None) -> Document:
    """The PDF's text as headings and paragraphs.

    With a budget (``max_chars``), pages are read until there is more text than it
    allows, and the drawing operators of the pages read so far (their decompressed
    content) must fit its markup: one content stream that every page draws again
    is counted every time.

    Raises:
        InputError: damaged, encrypted with a password, without a text layer
            (scanned), or over the budget.
    """
    budget = Budget(name, WHAT, max_chars)
    import pypdf
    from pypdf.errors import DependencyError, PyPdfError

    limit_reached = getattr(pypdf.errors, "LimitReachedError", ())  # pypdf's own limits (7.x): too complex
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # it warns about every small defect
    try:
        reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise InputError(f"{name}: the PDF is encrypted with a password; save an unprotected copy "
                             "and try again")
        lines = []
        for number, page in enumerate(reader.pages, 1):
            if budget.max_chars is not None:
                contents = page.get_contents()
                budget.spend_markup(len(contents.get_data()) if contents is not None else 0)
            found = _page_lines(page, number)
            budget.spend_text(sum(len(line.text) for line in found))
            lines += found
    except InputError:
        raise
    except limit_reached as error:
        words = describe(error).rstrip(".") or "it is beyond the PDF reader's limits"
        raise budget.too_complex(words[:1].lower() + words[1:] if words[1:2].islower() else words) from None
    except DependencyError as error:  # AES encryption without the cryptography package
        raise InputError(f"{name}: the PDF is encrypted and this installation cannot decrypt "
                         f"it{because(error)}") from None
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError,
            RecursionError, NotImplementedError, ZeroDivisionError) as error:
        if "decrypt" in str(error).lower() or "encrypt" in str(error).lower():
            raise InputError(f"{name}: the PDF is encrypted and cannot be opened{because(error)}; save an "
                             "unprotected copy and try again") from None
        raise InputError(f"{name}: a damaged PDF{because(error)}; open it and save it again, or export it "
                         "anew") from None
    if not lines:
        raise InputError(f"{name}: no text layer: run OCR first (the PDF holds only images, "
                         "as a scan does)")
    title = _metadata_title(reader)
    return segment_blocks(_blocks(_paragraphs(lines)), name, title=title, format=FORMAT)


def _metadata_title(reader) -> str | None:
    try:
        title = reader.metadata.title if reader.metadata else None
    except Exception:  # a damaged information dictionary: the title is not worth failing for
        return None
    return title.strip() or None if isinstance(title, str) else None


def _page_lines(page, number: int) -> list[_Line]:
    """The page's lines, each in logical order, without page numbers."""
    lines: list[_Line] = []
    chunks: list[tuple[str, float, float]] = []

    def flush() -> None:
        if chunks:
            text = " ".join(unshape(_logical_order([c[0] for c in chunks])).split())
            if text:
                placed = [c for c in chunks if c[0].strip()]
                lines.append(_Line(text, placed[0][1], statistics.median(c[2] for c in placed), number))
            chunks.clear()

    def visit(text, cm, tm, font, size) -> None:
        pieces = text.split("\n")
        for i, piece in enumerate(pieces):
            if i:
                flush()
            if piece:
                y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                scale = abs(tm[3] * cm[3] + tm[2] * cm[1]) or 1.0
                chunks.append((piece, y, abs(size) * scale))

    page.extract_text(visitor_text=visit)
    flush()
    for edge in (0, -1):
        if lines and _PAGE_NUMBER.fullmatch(lines[edge].text):
            lines.pop(edge)
    return lines


def unshape(text: str) -> str:
    """Arabic presentation forms (the shaped glyphs some PDF writers map their text
    to: ﻻ ﺣ ﻠ) back to plain letters (لا ح ل); nothing else is touched."""
    return _PRESENTATION.sub(lambda m: unicodedata.normalize("NFKC", m.group(0)), text)


def _is_rtl(text: str) -> bool:
    arabic = sum(is_letter(ch) for ch in text)
    latin = sum(ch.isascii() and ch.isalpha() for ch in text)
    return arabic > latin


def _logical_order(chunks: list[str]) -> str:
    """A line's text from pypdf's runs.

    In a right-to-left line the runs come in page order (left to right), so they
    are reversed; consecutive runs of Latin letters or digits (a number, an
    English phrase) keep their order among themselves, and the blanks around such
    a run change sides with it ("2017 " left of an Arabic word reads " 2017"). A
    run of punctuation alone (".”" at the left end of a line) is read right to
    left, brackets mirrored.
    """
    line = "".join(chunks)
    if len(chunks) < 2 or not _is_rtl(line):
        return line
    groups: list[list[str]] = []  # [direction, chunk, chunk...]
    for chunk in chunks:
        direction = "rtl" if has_letter(chunk) else "ltr" if any(ch.isalnum() for ch in chunk) else "neutral"
        if groups and direction == "ltr" and groups[-1][0] == "ltr":
            groups[-1].append(chunk)
        else:
            groups.append([direction, chunk])
    out = []
    for direction, *parts in reversed(groups):
        text = "".join(parts)
        if direction == "neutral":  # punctuation between runs is laid out right to left too
            text = text[::-1].translate(_MIRROR)
        elif direction == "ltr":
            core = text.strip()
            lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()):]
            text = trail + core + lead if core else text
        out.append(text)
    return "".join(out)


def _paragraphs(lines: list[_Line]) -> list[_Paragraph]:
    spacing = _usual_spacing(lines)
    paragraphs: list[_Paragraph] = []
    previous: _Line | None = None
    for line in lines:
        if previous is None or not _continues(previous, line, spacing):
            paragraphs.append(_Paragraph())
        paragraphs[-1].lines.append(line)
        previous = line
    return paragraphs


def _usual_spacing(lines: list[_Line]) -> dict[int, float]:
    """Per page, the median distance between consecutive lines of equal size."""
    gaps: dict[int, list[float]] = {}
    for a, b in zip(lines, lines[1:]):
        if a.page == b.page and abs(a.size - b.size) <= _SIZE_CHANGE * a.size and a.y > b.y:
            gaps.setdefault(a.page, []).append(a.y - b.y)
    return {page: statistics.median(values) for page, values in gaps.items()}


def _continues(previous: _Line, line: _Line, spacing: dict[int, float]) -> bool:
    if abs(previous.size - line.size) > _SIZE_CHANGE * max(previous.size, line.size):
        return False
    if previous.page != line.page:  # a paragraph running on to the next page
        return not previous.text.endswith(_ENDS_SENTENCE)
    gap = previous.y - line.y
    usual = spacing.get(line.page)
    if gap <= 0:  # back up the page: a new column or a text box
        return False
    return usual is None or gap <= _PARAGRAPH_GAP * usual


def _body_size(paragraphs: list[_Paragraph]) -> float:
    """The font size of most of the text (the median size, weighted by characters)."""
    weighted = sorted((p.size, len(p.text)) for p in paragraphs)
    half, seen = sum(n for _, n in weighted) / 2, 0
    for size, n in weighted:
        seen += n
        if seen >= half:
            return size
    return 0.0


def _blocks(paragraphs: list[_Paragraph]) -> list[Block]:
    body = _body_size(paragraphs)
    return [Block(p.text, HEADING if body and p.size > _HEADING_SIZE * body else PARAGRAPH,
                  {"page": p.lines[0].page}) for p in paragraphs]


READER = Reader(FORMAT, (".pdf",), read, sniff, WHAT)
