"""Detectors for degenerate translations, and the policy that acts on them.

Marian models sometimes loop ("I'm sorry I'm sorry…"), stop early, or drop a
number. The detectors are pure functions on (source, translation). The pipeline,
following a :class:`QualityPolicy`, retries a flagged sentence with safer
settings and, if it is still flagged, keeps it marked as doubtful for the reader
rather than hiding it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .engines.base import GenerationSettings

REPETITION = "repetition"
LENGTH = "length"
NUMBERS = "numbers"

# Arabic-Indic and Persian digits → ASCII, Arabic decimal/thousands marks → . and ,
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹٫٬", "01234567890123456789.,")
_NUMBER = re.compile(r"\d+(?:[.,:/]\d+)*")
# A unit of 2–12 characters repeated six times or more in a row ("يةيةيةيةيةية", "lalalalala...").
_CHAR_LOOP = re.compile(r"(.{2,12}?)\1{5,}", re.DOTALL)
_WORD = re.compile(r"\w+", re.UNICODE)

#: English runs about 0.8–1.6 × the characters of its Arabic source; far outside
#: that band, something was dropped or invented.
MIN_LENGTH_RATIO = 0.3
MAX_LENGTH_RATIO = 3.5
_MIN_CHARS_FOR_RATIO = 25


def _repeats(words: list[str], n: int, needed: int) -> bool:
    for start in range(len(words) - n * needed + 1):
        unit = words[start : start + n]
        if all(words[start + k * n : start + (k + 1) * n] == unit for k in range(1, needed)):
            return True
    return False


def has_repetition(translation: str) -> bool:
    """True when the translation loops: a word n-gram (n ≤ 4) back to back —
    a single word four times, a longer n-gram three times — or a short
    character unit six times."""
    if _CHAR_LOOP.search(translation):
        return True
    words = [w.lower() for w in _WORD.findall(translation)]
    return any(_repeats(words, n, 4 if n == 1 else 3) for n in range(1, 5))


def has_odd_length(source: str, translation: str, min_ratio: float = MIN_LENGTH_RATIO,
                   max_ratio: float = MAX_LENGTH_RATIO) -> bool:
    """True when the translation is far longer or shorter than the source warrants."""
    if len(source) < _MIN_CHARS_FOR_RATIO:
        return not translation.strip()
    ratio = len(translation) / len(source)
    return ratio < min_ratio or ratio > max_ratio


def numbers_in(text: str) -> list[str]:
    """The numbers written in digits, Eastern Arabic digits normalised,
    thousands separators dropped (``٣٬٠٠٠`` and ``3,000`` are both ``3000``)."""
    text = text.translate(_DIGITS)
    return [re.sub(r"(?<=\d),(?=\d{3}\b)", "", n) for n in _NUMBER.findall(text)]


def missing_numbers(source: str, translation: str) -> list[str]:
    """Numbers of the source that the translation does not contain."""
    found = set()
    for number in numbers_in(translation):
        found.add(number)
        found.update(re.findall(r"\d+", number))  # "12/9/2024" also covers "2024"
    missing = []
    for number in numbers_in(source):
        parts = re.findall(r"\d+", number)
        # A date or time may be reworded ("12/9/2024" → "9 December 2024"): most of its parts suffice.
        if number not in found and 2 * sum(part in found for part in parts) < len(parts) + (len(parts) == 1):
            missing.append(number)
    return missing


def problems(source: str, translation: str, min_ratio: float = MIN_LENGTH_RATIO,
             max_ratio: float = MAX_LENGTH_RATIO) -> tuple[str, ...]:
    """The flags a translation earns: any of repetition, length, numbers."""
    flags = []
    if has_repetition(translation):
        flags.append(REPETITION)
    if has_odd_length(source, translation, min_ratio, max_ratio):
        flags.append(LENGTH)
    if missing_numbers(source, translation):
        flags.append(NUMBERS)
    return tuple(flags)


@dataclass(frozen=True)
class QualityPolicy:
    """What counts as doubtful, and what is done about it (all of it is in the signature).

    Attributes:
        retry: retry doubtful sentences once with :meth:`safer` settings.
        min_length_ratio, max_length_ratio: English/Arabic character ratios
            outside which a translation is doubtful.
        retry_beams, retry_no_repeat_ngram_size, retry_length_ratio: the safer
            settings of the retry.
        low_score: a mean log-probability per token below which the reader marks
            a sentence as doubtful (display only; it triggers no retry).
    """

    retry: bool = True
    min_length_ratio: float = MIN_LENGTH_RATIO
    max_length_ratio: float = MAX_LENGTH_RATIO
    retry_beams: int = 4
    retry_no_repeat_ngram_size: int = 3
    retry_length_ratio: float = 1.6
    low_score: float = -1.5

    def problems(self, source: str, translation: str) -> tuple[str, ...]:
        """The flags ``translation`` earns under this policy."""
        return problems(source, translation, self.min_length_ratio, self.max_length_ratio)

    def safer(self, settings: GenerationSettings) -> GenerationSettings:
        """Settings for the retry of a degenerate output: beam search without repeats,
        a tighter length bound."""
        return replace(settings, beams=max(settings.beams, self.retry_beams),
                       no_repeat_ngram_size=self.retry_no_repeat_ngram_size,
                       max_length_ratio=self.retry_length_ratio)

    def is_doubtful(self, score: float | None, flags: tuple[str, ...]) -> bool:
        """Whether the reader should mark a sentence with this score and flags."""
        return bool(flags) or (score is not None and score < self.low_score)

    def describe(self) -> str:
        retry = (f"retry=beams{self.retry_beams},no_repeat{self.retry_no_repeat_ngram_size},"
                 f"ratio{self.retry_length_ratio}" if self.retry else "retry=off")
        return f"length={self.min_length_ratio}-{self.max_length_ratio},{retry}"
