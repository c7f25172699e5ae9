"""The document: blocks of text (paragraphs, headings, cues…) split into sentence pairs.

Every reader (plain text, and the document formats) turns its input into
:class:`Block` s; :func:`segment_blocks` (or :func:`segment_document` for plain
text) cuts them into sentences. A pair keeps the character offsets of its source
sentence in :attr:`Document.text`, so the original can always be rebuilt and
nothing is lost between the two columns.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

from .. import config
from ..errors import InputError
from ..translation import CACHE, Translation
from . import segment
from . import spans as formatting
from .spans import Placement, Span

#: The kinds of block a reader may produce.
TITLE, HEADING, PARAGRAPH, LIST_ITEM, TABLE_CELL, CUE = (
    "title", "heading", "paragraph", "list_item", "table_cell", "cue")
BLOCK_KINDS = (TITLE, HEADING, PARAGRAPH, LIST_ITEM, TABLE_CELL, CUE)
HEADLINE_KINDS = frozenset({TITLE, HEADING})

# In plain text, a heading is a one-sentence line with no closing punctuation
# ("قصف روسي على حلب"), or a short line wholly in quotes (“…”, a quoted subheading).
_SENTENCE_END = tuple(".!?؟…:\"”»)'")
_HEADING_MAX_CHARS = 120
_QUOTE_PAIRS = (("“", "”"), ("«", "»"), ('"', '"'))


@dataclass(frozen=True)
class Block:
    """One unit of a document as a reader found it.

    Attributes:
        text: its text (line breaks inside become spaces when it is segmented).
        kind: one of :data:`BLOCK_KINDS`.
        meta: what the reader needs to write the block back (cue timings, a
            position in the original file, a style name); opaque to the pipeline.
        spans: its inline formatting (bold, links…), as offsets into ``text``
            (:mod:`translate.text.spans`).
    """

    text: str
    kind: str = PARAGRAPH
    meta: dict[str, Any] = field(default_factory=dict, compare=False)
    spans: tuple[Span, ...] = ()


@dataclass(frozen=True)
class SentencePair:
    """One source sentence and its translation.

    ``result`` is None while the sentence is still being translated (a partial
    document from :meth:`Translator.translate_stream`); the properties below read
    it: ``translation`` (its text), ``score``, ``flags``, ``alignment``, ``origin``
    and ``cached``. ``spans`` is the source sentence's formatting (offsets into
    ``source``); :attr:`placement` puts it on the English.
    """

    index: int  # position of the pair in the whole document, 0-based
    paragraph: int  # index of its paragraph
    source: str
    start: int  # offsets of ``source`` in the document's text
    end: int
    result: Translation | None = None
    spans: tuple[Span, ...] = ()

    def filled(self, translation: Translation) -> SentencePair:
        """This pair with its translation."""
        return replace(self, result=translation)

    @property
    def done(self) -> bool:
        return self.result is not None

    @property
    def translation(self) -> str | None:
        """The English (None while pending)."""
        return None if self.result is None else self.result.text

    @property
    def score(self) -> float | None:
        """The model's mean log-probability per target token (≤ 0), if it scored it."""
        return None if self.result is None else self.result.score

    @property
    def flags(self) -> tuple[str, ...]:
        """Doubts a retry did not clear: ``repetition``, ``length`` (far longer or shorter
        than the source), ``numbers`` (a number is missing); ``term:<Arabic term>``: a
        glossary term the alignment could not place (translate.glossary); ``format:<kind>``:
        formatting the alignment could not place (translate.text.spans)."""
        if self.result is None:
            return ()
        if not self.spans:
            return self.result.flags
        return tuple(dict.fromkeys(self.result.flags + self.placement.flags))

    @cached_property
    def placement(self) -> Placement | None:
        """The source's formatting on the English (None while pending)."""
        if self.result is None:
            return None
        return formatting.place(self.spans, self.source, self.result.text, self.result.alignment)

    @property
    def alignment(self) -> tuple[tuple[int, int], ...]:
        """Word links (source word, target word): words split at whitespace, 0-based."""
        return () if self.result is None else self.result.alignment

    @property
    def origin(self) -> str:
        """Where the translation came from: ``model``, ``cache``, ``yours`` (the reader's
        own, from the translation memory) or ``passed-through`` (no Arabic word);
        "" while pending."""
        return "" if self.result is None else self.result.origin

    @property
    def cached(self) -> bool:
        """True when the model's translation came from the cache."""
        return self.origin == CACHE


@dataclass(frozen=True)
class Paragraph:
    """A block of the document with its sentences (``kind`` and ``meta`` as in :class:`Block`)."""

    index: int
    start: int
    end: int
    sentences: tuple[SentencePair, ...]
    kind: str = PARAGRAPH
    meta: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def is_heading(self) -> bool:
        """A title or heading: shown as a headline."""
        return self.kind in HEADLINE_KINDS


@dataclass(frozen=True)
class Document:
    """The input text, split into paragraphs of sentence pairs."""

    text: str
    paragraphs: tuple[Paragraph, ...]
    name: str | None = None  # file name or other label, for outputs
    seconds: float = 0.0  # wall time spent translating it
    title: str | None = None  # the document's own title, when its format has one
    format: str = "txt"  # the format it was read from
    signature: str | None = None  # what translated it (translate.signature.Signature, as text)

    @property
    def sentences(self) -> list[SentencePair]:
        return [pair for paragraph in self.paragraphs for pair in paragraph.sentences]

    @property
    def cached_count(self) -> int:
        return sum(pair.cached for pair in self.sentences)

    @property
    def done_count(self) -> int:
        """Sentences translated so far."""
        return sum(pair.done for pair in self.sentences)

    @property
    def done(self) -> bool:
        return all(pair.done for pair in self.sentences)

    def with_translations(self, translated: dict[int, SentencePair]) -> Document:
        """A copy in which the pairs whose index is in ``translated`` are replaced."""
        paragraphs = tuple(
            replace(p, sentences=tuple(translated.get(s.index, s) for s in p.sentences))
            if any(s.index in translated for s in p.sentences) else p
            for p in self.paragraphs
        )
        return replace(self, paragraphs=paragraphs)

    def translation_text(self) -> str:
        """The English text laid out like the input: each paragraph's sentences
        joined by a space, line breaks and blank lines kept where they were."""
        out, position = [], 0
        for paragraph in self.paragraphs:
            out.append(self.text[position : paragraph.start])
            out.append(paragraph_translation(paragraph))
            position = paragraph.end
        out.append(self.text[position:])
        return "".join(out)


def paragraph_translation(paragraph: Paragraph) -> str:
    """A paragraph's English: its sentences' translations joined by a space."""
    return " ".join(pair.translation or "" for pair in paragraph.sentences)


def paragraph_formatted(paragraph: Paragraph) -> tuple[str, tuple[Span, ...]]:
    """A paragraph's English with its formatting: the text (its sentences' translations
    joined by a space, with a marker after a sentence for each link kept by fallback)
    and its spans (:func:`translate.text.spans.place`)."""
    return formatting.join([pair.placement or Placement(pair.translation or "") for pair in paragraph.sentences])


def segment_document(text: str, name: str | None = None) -> Document:
    """Split plain ``text`` into paragraphs (its lines) of untranslated sentence pairs.

    A short line without closing punctuation, or wholly in quotes, is a heading.

    Raises:
        InputError: not text, text with lone surrogates, or a sentence longer
            than ``config.MAX_SENTENCE_CHARS``.
    """
    check_text(text, name)
    paragraphs = []
    for p_index, (p_start, p_end) in enumerate(segment.paragraph_spans(text)):
        line = text.count("\n", 0, p_start) + 1
        pairs = _sentence_pairs(text[p_start:p_end], p_start, line, p_index, _first_index(paragraphs), name)
        kind = HEADING if _looks_like_heading(text[p_start:p_end], len(pairs)) else PARAGRAPH
        paragraphs.append(Paragraph(p_index, p_start, p_end, pairs, kind))
    return Document(text, tuple(paragraphs), name=name)


def segment_blocks(blocks: Iterable[Block], name: str | None = None, *, title: str | None = None,
                   format: str = "txt") -> Document:
    """Split a reader's blocks into paragraphs of untranslated sentence pairs.

    Each non-blank block becomes one paragraph of its kind (line breaks inside a
    block become spaces); blank blocks are dropped. The document's text is the
    blocks joined by line breaks.

    Raises:
        InputError: a sentence longer than ``config.MAX_SENTENCE_CHARS``.
    """
    parts, paragraphs, position = [], [], 0
    for block in blocks:
        check_text(block.text, name)
        text = " ".join(block.text.split("\n")).replace("\r", " ")
        spans = segment.paragraph_spans(text)
        if not spans:
            continue
        start, end = spans[0][0], spans[-1][1]
        if parts:
            parts.append("\n")
            position += 1
        parts.append(text[start:end])
        p_start, p_end = position, position + end - start
        position = p_end
        pairs = _sentence_pairs(text[start:end], p_start, len(paragraphs) + 1, len(paragraphs),
                                _first_index(paragraphs), name)
        if block.spans:
            pairs = tuple(replace(pair, spans=formatting.within(block.spans, start + pair.start - p_start,
                                                           start + pair.end - p_start, pair.source))
                          for pair in pairs)
        paragraphs.append(Paragraph(len(paragraphs), p_start, p_end, pairs, block.kind, dict(block.meta)))
    return Document("".join(parts), tuple(paragraphs), name=name, title=title, format=format)


def check_text(text, name: str | None = None) -> None:
    """Refuse what is not text: a non-string, or a string with lone surrogates
    (half of a UTF-16 pair, which no file or model can hold).

    Raises:
        InputError: saying which and where.
    """
    if not isinstance(text, str):
        raise InputError(f"{name or 'input'}: expected text, got {type(text).__name__}", reason="not-text")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise InputError(f"{name or 'input'}: holds a lone surrogate (U+{ord(text[error.start]):04X}) at "
                         f"character {error.start:,}, which is not text", reason="not-text") from None


def _first_index(paragraphs: list[Paragraph]) -> int:
    for paragraph in reversed(paragraphs):
        if paragraph.sentences:
            return paragraph.sentences[-1].index + 1
    return 0


def _sentence_pairs(paragraph: str, offset: int, line: int, p_index: int, first: int,
                    name: str | None) -> tuple[SentencePair, ...]:
    """The sentences of one paragraph (its text starts at ``offset`` in the document,
    on line ``line``), numbered from ``first``."""
    pairs = []
    for s_start, s_end in segment.sentence_spans(paragraph):
        start, end = offset + s_start, offset + s_end
        if end - start > config.MAX_SENTENCE_CHARS:
            raise InputError(
                f"{name or 'input'}: line {line} has a sentence of {end - start:,} characters, "
                f"above the {config.MAX_SENTENCE_CHARS:,} limit; break it into sentences or paragraphs"
            )
        pairs.append(SentencePair(first + len(pairs), p_index, paragraph[s_start:s_end], start, end))
    return tuple(pairs)


def _looks_like_heading(line: str, sentences: int) -> bool:
    line = line.strip()
    if sentences != 1 or len(line) > _HEADING_MAX_CHARS:
        return False
    if any(line.startswith(a) and line.endswith(b) and len(line) > 2 for a, b in _QUOTE_PAIRS):
        return True  # “…” on a line of its own: a quoted subheading
    return not line.endswith(_SENTENCE_END)
