"""The translated document: paragraphs of aligned sentence pairs.

A pair keeps the character offsets of its source sentence in the input, so the
original can always be rebuilt and nothing is lost between the two columns.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

# A heading is a one-sentence line with no closing punctuation ("قصف روسي على حلب").
_SENTENCE_END = tuple(".!?؟…:\"”»)'")
_HEADING_MAX_CHARS = 120


@dataclass(frozen=True)
class SentencePair:
    """One source sentence and its translation.

    ``translation`` is None while the sentence is still being translated (a
    partial document from :meth:`Translator.translate_stream`).
    """

    index: int  # position of the pair in the whole document, 0-based
    paragraph: int  # index of its paragraph
    source: str
    start: int  # offsets of ``source`` in the input text
    end: int
    translation: str | None = None
    score: float | None = None  # mean log-probability per target token (≤ 0)
    cached: bool = False
    #: doubts about the translation that a retry did not clear: "repetition",
    #: "length" (far longer/shorter than the source), "numbers" (a number is missing)
    flags: tuple[str, ...] = ()

    @property
    def done(self) -> bool:
        return self.translation is not None


@dataclass(frozen=True)
class Paragraph:
    index: int
    start: int
    end: int
    sentences: tuple[SentencePair, ...]

    @property
    def is_heading(self) -> bool:
        """A short single-sentence line without final punctuation: a headline."""
        if len(self.sentences) != 1:
            return False
        source = self.sentences[0].source.rstrip()
        return len(source) <= _HEADING_MAX_CHARS and not source.endswith(_SENTENCE_END)


@dataclass(frozen=True)
class Document:
    """The input text, split into paragraphs of sentence pairs."""

    text: str
    paragraphs: tuple[Paragraph, ...]
    name: str | None = None  # file name or other label, for outputs
    seconds: float = 0.0  # wall time spent translating it
    stats: dict = field(default_factory=dict, compare=False)

    @property
    def sentences(self) -> list[SentencePair]:
        return [pair for paragraph in self.paragraphs for pair in paragraph.sentences]

    @property
    def cached_count(self) -> int:
        return sum(pair.cached for pair in self.sentences)

    @property
    def done(self) -> bool:
        return all(pair.done for pair in self.sentences)

    def with_translations(self, translated: dict[int, SentencePair]) -> "Document":
        """A copy in which the pairs whose index is in ``translated`` are replaced."""
        paragraphs = tuple(
            replace(p, sentences=tuple(translated.get(s.index, s) for s in p.sentences))
            for p in self.paragraphs
        )
        return replace(self, paragraphs=paragraphs)

    def translation_text(self) -> str:
        """The English text laid out like the input: each paragraph's sentences
        joined by a space, line breaks and blank lines kept where they were."""
        out, position = [], 0
        for paragraph in self.paragraphs:
            out.append(self.text[position : paragraph.start])
            out.append(" ".join(pair.translation or "" for pair in paragraph.sentences))
            position = paragraph.end
        out.append(self.text[position:])
        return "".join(out)
