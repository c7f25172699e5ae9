"""Word alignment: which source words each English word was translated from.

opus-mt models are trained with guided alignment: one attention head of the
decoder's last layer learns to point at the source piece a target piece comes
from. The engines hand that attention over (CTranslate2's ``return_attention``,
transformers' cross-attentions); this module turns it into links between
*words*, where a word is a run of text between whitespace, exactly as
``str.split()`` cuts it (and as the page's JavaScript cuts it, with
:data:`SPACE`).

Everything here is pure: pieces, offsets and attention in, links out. When
the pieces cannot be placed in the text (an unusual normalisation, a byte
piece), the sentence gets no links rather than wrong ones.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

#: The characters ``str.split()`` treats as whitespace, as a regex class body;
#: the page sends it to its browser modules, which split words with it (translate/web/static/render.js).
SPACE = "\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000"
_WORD = re.compile(f"[^{SPACE}]+")
_PIECE_MARK = "▁"  # SentencePiece's word-start mark

#: A word link: (source word index, target word index), both 0-based.
Link = tuple[int, int]


def word_spans(text: str) -> list[tuple[int, int]]:
    """The (start, end) character offsets of the words of ``text`` (``text.split()``'s words)."""
    return [match.span() for match in _WORD.finditer(text)]


def word_at(spans: list[tuple[int, int]], offsets: Iterable[tuple[int, int] | None]) -> list[int | None]:
    """For each character span, the index of the word it ends in (None for an
    empty span or one of whitespace only).

    A piece's span may begin with what SentencePiece put before its word mark
    (a space, an invisible mark glued to the previous word), so its last
    character names its word."""
    starts = {}
    for index, (start, end) in enumerate(spans):
        for position in range(start, end):
            starts[position] = index
    result = []
    for offset in offsets:
        if offset is None or offset[0] >= offset[1]:
            result.append(None)
            continue
        result.append(next((starts[p] for p in range(offset[1] - 1, offset[0] - 1, -1) if p in starts), None))
    return result


def target_words(pieces: Sequence[str], text: str,
                 special: frozenset[str] | set[str] = frozenset()) -> list[int | None] | None:
    """The word of ``text`` each target piece became, or None when the pieces do
    not spell ``text`` (then no links can be trusted).

    ``text`` is the decoded translation; decoding only drops special pieces and
    turns marks into spaces (and may then drop some spaces), so the visible
    characters of the pieces, in order, are those of ``text``.
    """
    spans = word_spans(text)
    word_of = {}
    for index, (start, end) in enumerate(spans):
        for position in range(start, end):
            word_of[position] = index
    visible = [position for position, char in enumerate(text) if not char.isspace()]
    cursor, result = 0, []
    for piece in pieces:
        if piece in special:
            result.append(None)
            continue
        first = None
        for char in piece.replace(_PIECE_MARK, " "):
            if char.isspace():
                continue
            if cursor >= len(visible) or text[visible[cursor]] != char:
                return None
            if first is None:
                first = word_of.get(visible[cursor])
            cursor += 1
        result.append(first)
    return result if cursor == len(visible) else None


def links_from_attention(attention: Sequence[Sequence[float]], source: Sequence[int | None],
                         target: Sequence[int | None]) -> tuple[Link, ...]:
    """Word links from the attention of each target piece over the source pieces.

    Each target piece is linked to the source piece it attends to most (among
    those that belong to a word: not the end-of-sentence mark); pieces of one
    word merge into that word's links.

    Args:
        attention: one row per target piece, one weight per source piece.
        source: the word of each source piece (None: not part of a word).
        target: the word of each target piece (None: not part of a word).

    Returns:
        sorted, distinct (source word, target word) links.
    """
    links = set()
    for row, target_word in zip(attention, target):
        if target_word is None:
            continue
        best, best_weight = None, -1.0
        for source_word, weight in zip(source, row):
            if source_word is not None and weight > best_weight:
                best, best_weight = source_word, weight
        if best is not None:
            links.add((best, target_word))
    return tuple(sorted(links))


def byte_to_char_offsets(text: str) -> dict[int, int]:
    """A map from each UTF-8 byte offset that starts a character (and the end) to its character offset."""
    offsets, position = {}, 0
    for index, char in enumerate(text):
        offsets[position] = index
        position += len(char.encode("utf-8", "surrogatepass"))
    offsets[position] = len(text)
    return offsets


def check_links(links: Iterable[Link], source: str, target: str) -> bool:
    """True when every link points at a word of both sentences."""
    source_count, target_count = len(source.split()), len(target.split())
    return all(0 <= s < source_count and 0 <= t < target_count for s, t in links)
