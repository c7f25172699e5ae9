"""Cutting a sentence too long for the model into parts it can take.

A pure function over offsets, like :mod:`translate.text.segment`: every part is a
``(start, end)`` span into the sentence, stripped of surrounding whitespace,
and together the parts cover all of its non-space text.

Cuts go at the best clause marks available: ``؛ ;``, then ``، ,``, then a
space before a word opening with the conjunction ``و``, then any space, and
only then between characters. Neighbouring pieces are packed back together
while they still fit, so the model sees as much context as it can.

The caller's ``too_long`` is a token count, and costly: each call reads the
whole piece it is given. So a part is found by galloping from the length of
the part before it, never by asking about the rest of the sentence: cutting
a 20,000-character sentence asks about pieces of about one part's length only,
a few times for each part.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from .segment import Span, strip_span

#: The most combining marks a cut steps back over to keep them with their
#: letter. A letter carries a few (shadda, a vowel, a Quranic sign); a longer
#: run belongs to no letter and is cut where the length says, so a run of
#: 20,000 harakat still comes out in parts as long as the model takes.
MAX_MARKS_PER_LETTER = 8

_SEMICOLON_RE = re.compile(r"[;؛]")
_COMMA_RE = re.compile(r"[,،]")
# A space before a word opening with the conjunction و ("... وقال"), the usual
# start of a new clause in Arabic news prose.
_WA_RE = re.compile(r"\s+(?=و\S{2})")
_SPACE_RE = re.compile(r"\s+")


def _mark_cuts(pattern: re.Pattern[str]) -> Callable[[str, int, int], list[int]]:
    def cuts(text: str, start: int, end: int) -> list[int]:
        found = []
        for match in pattern.finditer(text, start, end):
            pos = match.start()
            if 0 < pos < len(text) - 1 and text[pos - 1].isdecimal() and text[pos + 1].isdecimal():
                continue  # 3,000
            found.append(match.end())
        return found

    return cuts


def _space_cuts(pattern: re.Pattern[str]) -> Callable[[str, int, int], list[int]]:
    def cuts(text: str, start: int, end: int) -> list[int]:
        return [match.start() for match in pattern.finditer(text, start, end)]

    return cuts


# Clause marks, best first: ؛ then ، then " و…" then any space.
_CUT_LEVELS = (
    _mark_cuts(_SEMICOLON_RE),
    _mark_cuts(_COMMA_RE),
    _space_cuts(_WA_RE),
    _space_cuts(_SPACE_RE),
)


def split_long(sentence: str, too_long: Callable[[str], bool]) -> list[Span]:
    """Cut a sentence the model cannot take whole into parts it can.

    Args:
        sentence: one sentence.
        too_long: tells whether a piece is too long for the model (the
            caller measures in model tokens); assumed to grow with length.
            Asked about the whole sentence once, then about a few pieces per
            part, none much longer than two parts.

    Returns:
        Offsets into ``sentence`` of the parts, in order, stripped of
        surrounding whitespace, together covering all non-space text. A
        sentence that fits comes back as one span; ``[]`` for blank input.
        Every part fits, except a single character that is too long alone.
        Parts are as long as fits, less at most the
        :data:`MAX_MARKS_PER_LETTER` marks kept with their letter, so even a
        sentence without any space or letter (harakat, ``ﷺﷺﷺ…``) comes back
        in parts of the model's size, never in one-character crumbs.
    """
    start, end = strip_span(sentence, 0, len(sentence))
    if start == end:
        return []
    return _Cutter(sentence, too_long).split(start, end, 0)


class _Cutter:
    """One sentence being cut; remembers every answer of ``too_long``."""

    def __init__(self, text: str, too_long: Callable[[str], bool]):
        self.text = text
        self.too_long = too_long
        self.answers: dict[Span, bool] = {}
        self.pieces_per_part = 1  # galloping starts from the last part's size
        self.chars_per_part = 32

    def fits(self, start: int, end: int) -> bool:
        if (start, end) not in self.answers:
            self.answers[start, end] = not self.too_long(self.text[start:end])
        return self.answers[start, end]

    def split(self, start: int, end: int, level: int) -> list[Span]:
        """Parts of ``text[start:end]`` (stripped), cutting at ``level`` or finer marks."""
        if self.fits(start, end):
            return [(start, end)]
        for lvl in range(level, len(_CUT_LEVELS)):
            cuts = [c for c in _CUT_LEVELS[lvl](self.text, start, end) if start < c < end]
            if not cuts:
                continue
            pieces = []
            for a, b in zip([start, *cuts], [*cuts, end]):
                piece = strip_span(self.text, a, b)
                if piece[0] < piece[1]:
                    pieces.append(piece)
            if len(pieces) > 1:
                return self.pack(pieces, lvl + 1)
        return self.hard_cut(start, end)

    def pack(self, pieces: list[Span], level: int) -> list[Span]:
        """Join neighbouring pieces while they fit; cut further those that never fit.

        The tail of a piece that had to be cut may join the next pieces
        ("خلال ثمانية" + "وأربعين ساعة،"), so no part is shorter than it must be.
        """
        out: list[Span] = []
        tail: Span | None = None  # the last part of a cut piece, not yet placed
        i = 0
        while i < len(pieces):
            start = tail[0] if tail else pieces[i][0]

            def fits_count(m: int, start: int = start, first: int = i) -> bool:
                return self.fits(start, pieces[first + m - 1][1])  # from start to the end of m pieces

            count = _largest(fits_count, len(pieces) - i, self.pieces_per_part)
            if count:
                out.append((start, pieces[i + count - 1][1]))
                self.pieces_per_part = count
                tail = None
                i += count
            elif tail:
                out.append(tail)  # it joins nothing: a part of its own
                tail = None
            else:  # this piece alone is too long: cut it at finer marks
                parts = self.split(*pieces[i], level)
                out.extend(parts[:-1])
                tail = parts[-1]
                i += 1
        if tail:
            out.append(tail)
        return out

    def hard_cut(self, start: int, end: int) -> list[Span]:
        """Last resort: the longest prefixes that fit, kept off a letter's marks."""
        out = []
        text = self.text
        while start < end:
            def fits_length(m: int, start: int = start) -> bool:
                return self.fits(start, start + m)

            length = max(1, _largest(fits_length, end - start, self.chars_per_part))
            cut = start + length
            self.chars_per_part = length
            # Keep harakat with their letter, unless they are too many for one.
            back = cut
            while back - start > 1 and cut - back < MAX_MARKS_PER_LETTER and back < end \
                    and unicodedata.combining(text[back]):
                back -= 1
            if back < end and not unicodedata.combining(text[back]):
                cut = back
            piece = strip_span(text, start, cut)
            if piece[0] < piece[1]:
                out.append(piece)
            start = strip_span(text, cut, end)[0]
        return out


def _largest(fits: Callable[[int], bool], limit: int, guess: int) -> int:
    """The largest ``m`` in ``[0, limit]`` with ``fits(m)``, for ``fits`` true
    up to some value and false beyond (``fits(0)`` is taken as true).

    Gallops from ``guess`` (the size of the part before), then halves the gap:
    about ``2 log2(|answer - guess|)`` calls, none far beyond the answer.
    """
    if limit <= 0:
        return 0
    guess = min(max(guess, 1), limit)
    step = 1
    if fits(guess):
        low = guess
        while True:  # gallop up
            if low == limit:
                return limit
            high = min(low + step, limit)
            if not fits(high):
                break
            low, step = high, step * 2
    else:
        high = guess
        while True:  # gallop down
            low = max(high - step, 0)
            if low == 0 or fits(low):
                break
            high, step = low, step * 2
    while high - low > 1:  # fits(low), not fits(high)
        mid = (low + high) // 2
        if fits(mid):
            low = mid
        else:
            high = mid
    return low
