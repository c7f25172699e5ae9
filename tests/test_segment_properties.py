"""Properties of segmentation that hold for every input (Hypothesis).

Whatever the text (Arabic, harakat, every terminator and quote, URL and e-mail
fragments, every kind of line break and space, bidi and zero-width marks,
control characters, any other code point), sentences are exact, ordered,
stripped substrings that rejoin to the input with only whitespace between them,
and ``split_long`` cuts a sentence into parts that fit. Examples are derived
from a fixed seed, so a run takes a few seconds and never flakes.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from translate.text import segment
from translate.text.long_sentences import MAX_MARKS_PER_LETTER, split_long
from translate.text.segment import paragraph_spans, sentence_spans, split_sentences

ARABIC = "ابتثجحخدذرزسشصضطظعغفقكلمنهويءآأإؤئةى" "ﷺﻻ"
MARKS = "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0670\u0640"
LATIN = "aAbZiIvVxX"
DIGITS = "0123456789٠١٢٣٤٥٦٧٨٩½²"
TERMINATORS = ".!?؟…‼۔"
CLAUSE_MARKS = "،,؛;:"
QUOTES = "«»“”‘’\"'()[]{}‹›"
SYMBOLS = "#@/_-+%&=~"
SPACES = " \t\n\r\v\f\x1c\x85\u2028\u2029\u00a0\u3000"
INVISIBLE = "\u200b\u200c\u200d\u200e\u200f\u061c\ufeff\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
CONTROLS = "\x00\x07\x1b\x7f\x9f"
ALPHABET = (ARABIC + MARKS + LATIN + DIGITS + TERMINATORS + CLAUSE_MARKS + QUOTES + SYMBOLS + SPACES + INVISIBLE
            + CONTROLS)

# Pieces the rules look for: URLs, e-mails, tags, abbreviations, list numbers,
# quotes after a colon, ellipses, glued terminators.
FRAGMENTS = [
    "https://", "http://", "www.", "ftp://", "example.com", ".org/", "?x=1&y=2", "user.name+tag",
    "@example.com", "#وسم", "@حساب", "...", "…", "؟!", "!»", "؟”", "«", "“", "”", ": ", "د. ", "أ.د. ",
    "ود.", "لـU.N. ", "U.S. ", "Dr. ", "approx. ", "1. ", "2. ", "3. ", "1950م. ", "ق.م. ", "إلخ. ", "وقال ",
    "ثم ", "كما ", "(…)", "(؟)", "3,000", "8.5", "2024.12.09", "\r\n", "\u2028", "\u200f", "\u064e",
]

_ANY_CHAR = st.characters(exclude_categories=("Cs",))  # any code point but a lone surrogate
_PIECE = st.one_of(
    st.sampled_from(FRAGMENTS),
    st.text(alphabet=ALPHABET, min_size=1, max_size=8),
    st.builds(lambda char, count: char * count, st.sampled_from(ALPHABET), st.integers(1, 40)),  # runs
    _ANY_CHAR,
)
TEXT = st.one_of(
    st.lists(_PIECE, max_size=40).map("".join),
    st.text(alphabet=ALPHABET, max_size=200),
    st.text(alphabet=_ANY_CHAR, max_size=50),
)


def check_spans(text: str, spans: list[tuple[int, int]], *, lines: bool = True) -> None:
    """Exact, ordered, non-overlapping, stripped spans, with only whitespace between them."""
    previous = 0
    for start, end in spans:
        assert previous <= start < end <= len(text)
        assert text[previous:start].strip() == ""  # the gap holds whitespace only
        piece = text[start:end]
        assert piece == piece.strip() and piece
        if lines:
            assert piece.splitlines() == [piece]
        previous = end
    assert text[previous:].strip() == ""
    # so every non-space character lies in exactly one span
    inside = sum(not c.isspace() for start, end in spans for c in text[start:end])
    assert inside == sum(not c.isspace() for c in text)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(TEXT)
def test_sentences_rejoin_to_the_input(text):
    spans = sentence_spans(text)
    check_spans(text, spans)
    assert split_sentences(text) == [text[s:e] for s, e in spans]


@settings(max_examples=100, deadline=None, derandomize=True)
@given(TEXT)
def test_sentences_are_found_line_by_line(text):
    paragraphs = paragraph_spans(text)
    check_spans(text, paragraphs)
    expected = [(p_start + s, p_start + e)
                for p_start, p_end in paragraphs for s, e in sentence_spans(text[p_start:p_end])]
    assert sentence_spans(text) == expected


def _weight(char: str) -> int:
    # A SentencePiece-like measure: a ligature such as ﷺ spells a whole phrase.
    return 12 if char in "ﷺﻻ" else 1


@settings(max_examples=200, deadline=None, derandomize=True)
@given(TEXT, st.integers(min_value=1, max_value=60), st.booleans())
def test_split_long_parts_cover_the_sentence_and_fit(sentence, limit, weighted):
    def too_long(piece):
        return (sum(map(_weight, piece)) if weighted else len(piece)) > limit

    spans = split_long(sentence, too_long)
    check_spans(sentence, spans, lines=False)
    # every part fits, unless it is a single character too long alone
    assert all(not too_long(sentence[s:e]) or e - s == 1 for s, e in spans)


_NO_CUT = ARABIC + MARKS + LATIN + DIGITS + TERMINATORS + QUOTES + SYMBOLS + INVISIBLE


@settings(max_examples=150, deadline=None, derandomize=True)
@given(st.text(alphabet=_NO_CUT, min_size=1, max_size=400), st.integers(min_value=1, max_value=60))
def test_split_long_parts_are_bounded_below(sentence, limit):
    # Nothing to cut at: every part but the last is as long as fits, less at
    # most the marks kept with their letter.
    parts = [sentence[s:e] for s, e in split_long(sentence, lambda piece: len(piece) > limit)]
    assert "".join(parts) == sentence
    assert all(limit - MAX_MARKS_PER_LETTER <= len(p) <= limit for p in parts[:-1])


# --- the one-pass lookups agree with the scans they replace -------------------


def _opener_by_scanning(line: str, start: int, i: int, closer: str):
    """The backward scan the segmenter once made for every closing quote."""
    openers = segment._QUOTE_PAIRS[closer]
    depth, pos = 0, i - 1
    while pos >= start:
        if line[pos] in openers:
            if depth == 0:
                break
            depth -= 1
        elif line[pos] == closer:
            depth += 1
        pos -= 1
    else:
        return None
    return pos


@settings(max_examples=150, deadline=None, derandomize=True)
@given(st.text(alphabet="«»“”ب :", max_size=60), st.data())
def test_quote_openers_match_a_backward_scan(line, data):
    openers = segment._QuoteOpeners(line)
    positions = sorted(data.draw(st.lists(st.integers(0, len(line)), max_size=8)))
    for i in positions:
        for closer in ("»", "”"):
            assert openers.opener(closer, i) == _opener_by_scanning(line, 0, i, closer)


def _near_by_scanning(line: str, number: int, token_start: int, period: int) -> bool:
    """The two 300-character windows the segmenter once read for every list number."""
    window = 300
    earlier = segment._INLINE_ITEM_RE.finditer(line[max(0, token_start - window):token_start])
    later = segment._INLINE_ITEM_RE.finditer(line, period + 1, period + 1 + window)
    return number - 1 in {int(m.group(1)) for m in earlier} or number + 1 in {int(m.group(1)) for m in later}


_ITEMS_TEXT = st.lists(st.one_of(st.sampled_from(["1. ", "2. ", "3. ", "12. ", "٣. ", " ", "x", "4.\n", "123. "]),
                                 st.builds(lambda n: "ب" * n, st.integers(1, 320))), max_size=30).map("".join)


@settings(max_examples=100, deadline=None, derandomize=True)
@given(_ITEMS_TEXT)
def test_list_items_match_the_window_scan(line):
    items = segment._ListItems(line)
    for match in re.finditer(r"(?<!\S)(\d{1,2})\.(?=\s)", line):
        token_start, period = match.start(), match.end() - 1
        number = int(match.group(1))
        assert items.near(number, token_start, period) == _near_by_scanning(line, number, token_start, period)
