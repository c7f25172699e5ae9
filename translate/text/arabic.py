"""Facts about Arabic script, defined once: letters, marks, and what counts as a word.

Every module that asks "is this Arabic?" asks here, so the segmenter, the
pipeline and the readers never disagree.
"""
from __future__ import annotations

import re

#: Arabic letters (base block, supplements, extended-A, presentation forms),
#: without tatweel (U+0640, a stretching stroke) and without the harakat.
LETTER_CLASS = (
    "\u0620-\u063f\u0641-\u064a\u066e\u066f\u0671-\u06d3\u06d5\u06ee\u06ef"
    "\u06fa-\u06fc\u06ff\u0750-\u077f\u08a0-\u08c9\ufb50-\ufdfb\ufe70-\ufefc"
)
#: Marks written on or between letters: harakat, Quranic marks, the dagger alef, tatweel.
MARK_CLASS = "\u0610-\u061a\u0640\u064b-\u065f\u0670\u06d6-\u06ed\u08ca-\u08ff"

LETTER = re.compile(f"[{LETTER_CLASS}]")
_LETTERS_AND_MARKS = re.compile(f"[{LETTER_CLASS}{MARK_CLASS}]+")

#: The longest run of letters still taken for a word. Real words are far shorter
#: (أفاستسقيناكموها has 15 letters); a longer run is a paste accident or a wall of
#: ligatures (ﷺﷺﷺ…), which a model can only garble, one piece at a time.
MAX_WORD_LETTERS = 40


def is_letter(char: str) -> bool:
    """True for one Arabic letter (not a mark, not tatweel)."""
    return LETTER.match(char) is not None


def has_letter(text: str) -> bool:
    """True when ``text`` holds at least one Arabic letter."""
    return LETTER.search(text) is not None


def has_word(text: str) -> bool:
    """True when ``text`` holds an Arabic word: a run of letters (harakat and
    tatweel allowed inside) with 1 to :data:`MAX_WORD_LETTERS` letters.

    Text without one (English, numbers, URLs, emoji, a run of harakat, 20,000
    ligature signs) is passed through untranslated. Linear in ``len(text)``.
    """
    for run in _LETTERS_AND_MARKS.finditer(text):
        letters = len(LETTER.findall(run.group()))
        if 1 <= letters <= MAX_WORD_LETTERS:
            return True
    return False


_MARKS = re.compile(f"[{MARK_CLASS}]")
#: One letter written several ways: alef with hamza above or below, with madda,
#: alef wasla. Spellings of one name vary between them (أنقرة / انقرة).
#: Alef maqsura (ى) is kept apart from ya: folding it would make على ("on") علي (Ali).
_ALEF_FOLD = str.maketrans({"\u0623": "\u0627", "\u0625": "\u0627", "\u0622": "\u0627", "\u0671": "\u0627"})

#: Letters written joined to the word after them: the conjunctions wa and fa
#: (and, so), then the prepositions bi, li, ka (in/with, to/for, as), in that order.
CONJUNCTIONS = ("\u0648", "\u0641")
PREPOSITIONS = ("\u0628", "\u0644", "\u0643")
#: The definite article al-; after li- its alef is dropped: لِ + الرقة = للرقة.
ARTICLE = "\u0627\u0644"


def strip_marks(text: str) -> str:
    """``text`` without harakat, Quranic marks and tatweel (:data:`MARK_CLASS`)."""
    return _MARKS.sub("", text)


def fold(text: str) -> str:
    """``text`` in the form used to compare spellings: marks stripped, the
    forms of alef made one. Same length or shorter; letters keep their order."""
    return strip_marks(text).translate(_ALEF_FOLD)
