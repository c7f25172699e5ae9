"""Sentence segmentation for Arabic news text.

Pure functions over offsets: every span is ``(start, end)`` into the caller's
string, stripped of surrounding whitespace, so a sentence is always an exact
substring of the input and nothing is ever dropped or rewritten.

The rules, in short (each one is tested in ``tests/test_segment.py``):

* A line break always ends a sentence: news articles put one paragraph per
  line, and headlines, datelines and list items carry no final period.
* A sentence ends after ``. ! ? ؟ …`` (and ``...``, ``?!``), together with the
  closing quotes and brackets that follow; those stay with the sentence they
  close.
* ``،`` ``,`` ``؛`` ``;`` and ``:`` never end a sentence: Arabic prose chains
  clauses with commas for a whole paragraph, so a comma is a clause mark, not a
  full stop (``translate.text.long_sentences`` uses them only to cut over-long
  sentences).
* A period is not an end inside numbers, URLs, e-mails, hashtags, after single
  letter abbreviations and initials (``د.`` ``أ.د.`` ``ص.ب.`` ``أ. محمد``),
  after a list number at line start, or before a lowercase Latin word.
* An abbreviation keeps that status with a one-letter proclitic glued on
  (``و`` ``ف`` ``ب`` ``ل``): ``وأ.د.`` ``ود.`` ``وم.`` ``لـU.N.`` (and
  ``وبـU.N.``, two proclitics, before dotted initials or Latin). After a
  proclitic a lone title letter (``د`` ``م`` ``أ``) never ends a sentence,
  any other lone letter is ambiguous (``وع. الحسيني``), and the pronoun
  letters ``ا ى ه ك ي`` make a word, not an initial (``به.`` ``له.`` ``لا.``).
* Era, unit and currency marks after a number (``عام 2024 م.``, ``1442 هـ.``,
  ``100 ر.س.``) and ``إلخ.`` are ambiguous: they end the sentence only when the
  next word looks like a sentence start (a ``و``/``ف`` conjunction, ``كما``,
  ``لكن``, a quote...). ``م. أحمد`` (an engineer's title) never splits.
* A mark right after an opening bracket is a remark, not an end: ``(؟)``
  ``(!)`` ``(…)``; an ellipsis standing apart (``قال ... إن``) marks an
  omission; a terminator followed by ``،`` or ``:`` stays inside its clause
  (``“يسقط النظام!”، قبل``).
* ``!»`` ``؟»`` ``!”`` ``؟”`` closing a quote that opened mid-sentence (not at
  the sentence start, not after ``:``) is a quoted slogan or question inside
  the clause (``وهتفوا «ارحل!» أمام البرلمان``): it ends the sentence only when
  the next word looks like a sentence start (``«…!» وأضاف``, ``«…؟» ثم``).
  A quote opened after ``:`` or at the sentence start is reported speech and
  still ends there (``قال: «هل من مجيب؟» ثم صمت.``).
* A single letter followed by a period is always taken as an abbreviation or
  initial (Arabic has no one-letter words standing alone), so ``فيتامين د.``
  at the end of a line-internal sentence does not split: the price of never
  cutting ``أ. محمد``; likewise ``بكل ود.`` (affection) is read as
  ``و`` + ``د.``, the price of never cutting ``ود. ريم``.
* A period glued to the next Arabic word (``المدينة.وقال``, a frequent typo)
  still ends the sentence when the left word is not an abbreviation.
* Bidi controls, tatweel and harakat are invisible to all of the above.

Time is linear in the text whatever it holds (100,000 letters without a space,
only periods, nested quotes...): every look back or ahead is bounded or
answered from one pass over the line (``_protected_spans``, ``_LineFacts``);
``benchmarks/segmentation_growth.py`` shows it.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

from .arabic import MARK_CLASS, is_letter

SEGMENTER_VERSION = "3"

Span = tuple[int, int]

# Marks that change nothing about where a sentence ends: bidi controls,
# zero-width joiners, the Arabic letter mark, BOM, and the marks written on
# Arabic letters (harakat, Quranic marks, the dagger alef, tatweel). They are
# removed from a "skeleton" of each line before the rules look at it, so
# "حلب.\u200f”" reads as "حلب.”".
_INVISIBLE_CLASS = "\u200b-\u200f\u061c\ufeff\u202a-\u202e\u2066-\u2069"
_IGNORABLE_RUN_RE = re.compile(f"[{_INVISIBLE_CLASS}{MARK_CLASS}]+")

# Exactly the line boundaries of str.splitlines(); all of them are whitespace.
_LINE_RE = re.compile(r"[^\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]+")

_PERIOD = "."
_STRONG = "!?؟‼⁇⁈⁉۔"  # unambiguous ends; ۔ is the Urdu/Persian full stop
_TERMINATORS = _PERIOD + "…" + _STRONG
_TERMINATOR_RE = re.compile(f"[{re.escape(_TERMINATORS)}]")
# Closing quotes and brackets that belong to the sentence they close.
# Straight quotes count only here, right after a terminator.
_CLOSERS = "”»)]}\"'’›"
_BRACKET_OPENERS = "([{"
_QUOTE_OPENERS = "“«\"'‘‹"
# A terminator followed by one of these is inside a clause: “…!”، قال
_CONTINUATION = ",،;؛:"


# Spans where no terminator counts. Trailing punctuation is given back to
# the sentence afterwards, so "https://example.com/a.b?x=1." ends at the last ".".
_URL = r"(?:https?://|ftp://|www\.)\S+"
_EMAIL = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
_TAG = r"[#@][\w.]*\w"  # hashtag, mention
# An e-mail is looked for only where a run of its characters starts: tried at
# every letter of a long run without "@", it would read to the run's end each
# time (100,000 letters: 47 s). See _protected_spans for the one exception.
_PROTECTED_RE = re.compile(f"{_URL}|(?<![\\w.+-]){_EMAIL}|{_TAG}")
_PROTECTED_HERE_RE = re.compile(f"{_URL}|{_EMAIL}|{_TAG}")
_EMAIL_CHAR_RE = re.compile(r"[\w.+-]")
_URL_TRAILING = ".,;:!?؟،؛)]}»”\"'’…"

_NUMBER_RE = re.compile(r"\d+(?:[.,٫٬/:]\d+)*")
# Single letters joined by periods: initials and abbreviations such as
# د / أ.د / ص.ب / ق.م / U.S (the final period is the one being judged).
_INITIALS_RE = re.compile(r"(?:[^\W\d_]\.)*[^\W\d_]")
# A number with an era/unit mark glued on: 1950م، 1442هـ، 500ق.م
_NUMBER_MARK_RE = re.compile(r"\d+(?:[^\W\d_]\.)*[^\W\d_]")
# "1." "2.3." "iv." opening a line are list markers, not sentences.
_LIST_MARKER_RE = re.compile(r"\d{1,3}(?:\.\d{1,3})*|[ivxIVX]{1,4}")
_INLINE_ITEM_RE = re.compile(r"(?:^|\s)(\d{1,2})\.(?=\s)")

# Era marks (هـ after tatweel removal, ق.م) are mostly years, even without a
# number right before them ("القرن الخامس ق.م.").
_ERA_MARKS = frozenset({"ه", "ق.م"})
# Multi-letter Arabic abbreviations that may or may not end a sentence.
_AMBIGUOUS_WORDS = frozenset({"إلخ", "الخ", "اه", "انتهى"})
# Latin abbreviations that never end a sentence (titles, "e.g.").
_LATIN_TITLES = frozenset(
    "mr mrs ms dr prof sr jr st gen col lt sgt capt cpt maj rep sen gov pres "
    "mt no nos vs fig figs vol p pp approx dept est e.g i.e cf ca al".split()
)
_LATIN_AMBIGUOUS = frozenset("inc ltd co corp etc bros".split())
_LATIN_ABBREVIATIONS = _LATIN_TITLES | _LATIN_AMBIGUOUS
# Words that typically open an Arabic sentence; used only to decide the
# ambiguous abbreviations above. Words starting with the conjunctions و / ف
# count as well, except these common adverbs.
_STARTERS = frozenset(
    "كما لكن ثم أما قد لقد إن إنه إنها هذا هذه ذلك تلك يذكر يشار تجدر كان كانت "
    "تم يأتي يعد يعتبر بينما حيث أيضا".split()
)
_NUMBER_WORDS = frozenset("مئة مائة ألف آلاف مليون ملايين مليار مليارات".split())
_NOT_STARTERS = frozenset("فقط فوق وسط وفق وفقا وراء".split())
# One-letter proclitics glued to an abbreviation: وأ.د. ود. لـU.N. وبـU.N.
# ("ـ" is gone from the skeleton). Two are allowed only before dotted initials
# or Latin, never before a lone Arabic letter ("ولد" "فلم" are words).
_PROCLITIC_RE = re.compile(r"[وف]?[بل]|[وف]")
# Lone letters that are titles: د. (doctor) م. (engineer) أ. (ustadh).
_TITLE_LETTERS = frozenset("دمأ")
# After a proclitic these letters are a pronoun or a word: به له لك بي لا.
_PRONOUN_LETTERS = frozenset("اهكيى")
# A quote closed right after ! or ?: "«ارحل!»". ” may open a quote as well
# (Arabic copy often writes بـ”…” with the same mark on both sides).
_QUOTE_PAIRS = {"»": "«", "”": "“”"}
_COLONS = ":：﹕"


def strip_span(text: str, start: int, end: int) -> Span:
    """Shrink ``[start, end)`` until it neither starts nor ends with whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def paragraph_spans(text: str) -> list[Span]:
    """Split text into paragraphs: every non-blank line is one.

    Args:
        text: any text; all line boundaries of ``str.splitlines`` count.

    Returns:
        ``(start, end)`` offsets into ``text`` of each non-blank line,
        stripped of surrounding whitespace, in order.
    """
    spans = []
    for match in _LINE_RE.finditer(text):
        start, end = strip_span(text, match.start(), match.end())
        if start < end:
            spans.append((start, end))
    return spans


def sentence_spans(text: str) -> list[Span]:
    """Find the sentences of ``text``.

    Args:
        text: Arabic (or mixed) text, one paragraph per line.

    Returns:
        ``(start, end)`` offsets into ``text`` of each sentence, in order,
        non-overlapping, stripped of surrounding whitespace and together
        covering every non-whitespace character. ``[]`` for blank text.
    """
    spans: list[Span] = []
    for start, end in paragraph_spans(text):
        spans.extend(_line_sentences(text, start, end))
    return spans


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text`` as exact substrings (see ``sentence_spans``)."""
    return [text[start:end] for start, end in sentence_spans(text)]


def _line_sentences(text: str, start: int, end: int) -> list[Span]:
    """Sentences of the single line ``text[start:end]``."""
    # Judge a skeleton without ignorable marks, then map cuts back.
    skeleton = text[start:end]
    at: list[int] = []  # where each run of marks stood in the skeleton
    removed: list[int] = []  # how many marks were removed up to the end of that run
    for run in _IGNORABLE_RUN_RE.finditer(text, start, end):
        at.append(run.start() - start - (removed[-1] if removed else 0))
        removed.append((removed[-1] if removed else 0) + run.end() - run.start())
    if at:
        skeleton = _IGNORABLE_RUN_RE.sub("", skeleton)
    spans = []
    previous = start
    for cut in _line_cuts(skeleton):
        # Back to the text: past the marks before the cut, and past those right
        # after it too (an RLM after the period stays with its sentence).
        runs = bisect.bisect_right(at, cut)
        pos = start + cut + (removed[runs - 1] if runs else 0)
        span = strip_span(text, previous, pos)
        if span[0] < span[1]:
            spans.append(span)
        previous = pos
    span = strip_span(text, previous, end)
    if span[0] < span[1]:
        spans.append(span)
    return spans


def _protected_spans(line: str) -> Iterator[Span]:
    """URLs, e-mails, hashtags and mentions: the matches of
    ``_PROTECTED_HERE_RE.finditer(line)``, found in linear time.

    ``_PROTECTED_RE`` starts an e-mail only at the start of a run of e-mail
    characters. That finds the same matches: inside a run the local part always
    reads to the run's end, so an e-mail found from inside a run is found from
    its start, which comes first. The one exception is a search resuming inside
    a run (right after a hashtag or an e-mail: ``#وسم.+a@b.c``); there the full
    pattern is tried once, at that position.
    """
    pos, n = 0, len(line)
    while pos < n:
        match = None
        if 0 < pos and _EMAIL_CHAR_RE.match(line, pos - 1) and _EMAIL_CHAR_RE.match(line, pos):
            match = _PROTECTED_HERE_RE.match(line, pos)
            if match is None:
                pos += 1  # an e-mail from any later position of this run fails as well
        if match is None:
            match = _PROTECTED_RE.search(line, pos)
            if match is None:
                return
        yield match.start(), match.end()
        pos = match.end()  # matches are never empty


def _protected_mask(line: str) -> bytearray:
    mask = bytearray(len(line))
    for start, end in _protected_spans(line):
        while end > start and line[end - 1] in _URL_TRAILING:
            end -= 1
        mask[start:end] = b"\x01" * (end - start)
    return mask


def _line_cuts(line: str) -> list[int]:
    """Positions in ``line`` (a skeleton, no line breaks) after which a sentence ends."""
    protected = _protected_mask(line)
    facts = _LineFacts(line)
    cuts = []
    i, n = 0, len(line)
    while True:
        found = _TERMINATOR_RE.search(line, i)
        if found is None:
            break
        i = found.start()
        if protected[i]:
            i += 1
            continue
        # A run like "؟!" or ".”" or "!»." ends (or does not end) as a whole.
        j = i
        while j < n and (line[j] in _TERMINATORS or line[j] in _CLOSERS) and not protected[j]:
            j += 1
        if _is_end(line, i, j, cuts[-1] if cuts else 0, facts):
            cuts.append(j)
        i = j
    return cuts


def _is_arabic_letter(char: str) -> bool:
    return is_letter(char)


def _is_end(line: str, i: int, j: int, start: int, facts: _LineFacts) -> bool:
    """Whether the terminator run ``line[i:j]`` ends a sentence.

    ``start`` is where the current sentence began (after the last cut); runs
    are judged left to right, ``facts`` being the same for the whole line.
    """
    n = len(line)
    k = j
    while k < n and line[k].isspace():
        k += 1
    if k == n or i == 0:
        return False  # the line end cuts anyway; a line never starts with an empty sentence
    before, after = line[i - 1], line[k]
    if before in _BRACKET_OPENERS:
        return False  # "(؟)" "(!)" "(…)": a remark or an omission inside the sentence
    if after in _CONTINUATION:
        return False
    run = line[i:j]
    strong = any(c in _STRONG for c in run)
    ellipsis = not strong and (run[0] == "…" or run.startswith(".."))

    if k == j:  # nothing between the mark and the next character
        if not _is_arabic_letter(after):
            return False  # 8.5, 2024.12.09, example.com, file.pdf, v1.2
        right = _alnum_after(line, k)
        if ellipsis and right in _AMBIGUOUS_WORDS:
            return False  # "النزوح...إلخ." the list goes on
        if strong:
            return not _closes_inner_quote(line, start, i, j, facts) or _starts_sentence(line, k)
        if ellipsis:
            return True
        # "المدينة.وقال": a typo for ". " unless the left word is an abbreviation
        word_end = i
        while word_end > 0 and line[word_end - 1] in _CLOSERS:
            word_end -= 1  # “قرارنا”.وأضاف
        left = _alnum_before(line, word_end)
        if len(right) < 2 or not left:
            return False
        if left[-1].isdecimal():
            return True
        kind = _prefixed_kind(left, "")
        if kind is not None:  # "ود.ريم"
            return kind == "ambiguous" and _starts_sentence(line, k)
        return len(left) >= 2 and left not in _AMBIGUOUS_WORDS and left.lower() not in _LATIN_ABBREVIATIONS

    if after.isalpha() and after.islower():
        return False  # "approx. three": a lowercase Latin word continues the sentence
    if strong:
        # "«ارحل!» أمام": a quoted slogan inside the clause; "«…!» وأضاف": an end.
        return not _closes_inner_quote(line, start, i, j, facts) or _starts_sentence(line, k)
    if ellipsis:
        # An ellipsis standing apart ("قال ... إن") or opening a quote marks an
        # omission; attached to a word ("انتظرنا... وقال") it ends the sentence.
        return not (before.isspace() or before in _QUOTE_OPENERS)
    return _period_ends(line, i, k, facts)


def _period_ends(line: str, i: int, k: int, facts: _LineFacts) -> bool:
    """Whether the single period at ``line[i]`` (next word at ``k``) ends a sentence."""
    if line[i - 1].isspace():
        return True  # "سيعود ." a detached period is still a full stop
    token_start = _token_start(line, i)
    if token_start == facts.first_visible and _LIST_MARKER_RE.fullmatch(line[token_start:i]):
        return False  # "1. نص البند" at line start
    token = line[token_start:i].lstrip(_BRACKET_OPENERS + _QUOTE_OPENERS + "”")
    if not token or token[-1] in _CLOSERS:
        return True
    if token.isdecimal() and len(token) <= 2 and facts.list_items().near(int(token), token_start, i):
        return False  # "أسباب: 1. الجفاف 2. الحرب": numbers in sequence are list markers
    if _alnum_before(line, i) in _AMBIGUOUS_WORDS:
        token = _alnum_before(line, i)  # "النزوح...إلخ."
    kind = _abbreviation_kind(token, _previous_token(line, token_start))
    if kind is None:
        return True
    if kind == "ambiguous":
        return _starts_sentence(line, k)
    return False


def _abbreviation_kind(token: str, previous: str) -> str | None:
    """``"always"`` (never ends), ``"ambiguous"`` or ``None`` (not an abbreviation).

    ``previous`` is the word before ``token`` ("" at the start of the line).
    """
    kind = _bare_kind(token, previous)
    if kind is None:
        kind = _prefixed_kind(token, previous)
    return kind


def _prefixed_kind(token: str, previous: str) -> str | None:
    """The kind of an abbreviation with a proclitic glued on: "وأ.د" "ود" "لU.N"."""
    for size in (1, 2):
        prefix, rest = token[:size], token[size:]
        if not rest or not _PROCLITIC_RE.fullmatch(prefix):
            continue
        if len(rest) == 1 and _is_arabic_letter(rest):
            if size == 2 or rest in _PRONOUN_LETTERS:
                return None  # "ولد" "به" "لا": words
            return "always" if rest in _TITLE_LETTERS else "ambiguous"
        if "." in rest or not _is_arabic_letter(rest[0]):
            kind = _bare_kind(rest, previous)  # "أ.د" "U.N" "Dr"
            if kind is not None:
                return kind
    return None


def _bare_kind(token: str, previous: str) -> str | None:
    lower = token.lower()
    if lower in _LATIN_TITLES:
        return "always"
    if lower in _LATIN_AMBIGUOUS or token in _AMBIGUOUS_WORDS:
        return "ambiguous"
    if _NUMBER_MARK_RE.fullmatch(token):
        return "ambiguous"  # "1950م." "1442هـ."
    if _INITIALS_RE.fullmatch(token):
        after_number = bool(_NUMBER_RE.fullmatch(previous)) or previous in _NUMBER_WORDS
        # After a number a letter is an era, unit or currency ("2024 م." "100 ر.س.");
        # anywhere else it is a title or initial ("م. أحمد" "أ. محمد" "د.").
        if token in _ERA_MARKS or after_number:
            return "ambiguous"
        return "always"
    return None


def _closes_inner_quote(line: str, start: int, i: int, j: int, facts: _LineFacts) -> bool:
    """Whether the run ``line[i:j]`` ("!»" "؟”") closes a quote opened mid-sentence.

    The opening quote must lie in the current sentence (from ``start``) and
    follow a word, not a colon: "هتفوا «ارحل!»" is a slogan inside the clause,
    "قال: «ارحل!»" and a sentence opening with the quote are reported speech.
    """
    run = line[i:j]
    closer = run[-1]
    if closer not in _QUOTE_PAIRS or not all(c in _STRONG for c in run[:-1]):
        return False
    opener = facts.quotes.opener(closer, i)
    if opener is None or opener < start:
        return False  # opened in an earlier sentence, or not at all
    # (each opening quote is the answer for one closing quote at most, so this
    # look back reads every space once)
    before = opener - 1
    while before >= start and line[before].isspace():
        before -= 1
    return before >= start and line[before] not in _COLONS


def _starts_sentence(line: str, k: int) -> bool:
    """Whether the word at ``line[k]`` looks like the start of a new sentence."""
    if line[k] in _QUOTE_OPENERS or line[k].isupper():
        return True
    word = _alnum_after(line, k)
    if word in _STARTERS:
        return True
    return word[:1] in ("و", "ف") and len(word) >= 3 and word not in _NOT_STARTERS


def _token_start(line: str, i: int) -> int:
    """Start of the whitespace-delimited token that ends at ``i``."""
    while i > 0 and not line[i - 1].isspace():
        i -= 1
    return i


def _previous_token(line: str, i: int) -> str:
    """The whitespace-delimited token before the one starting at ``i``."""
    end = i
    while end > 0 and line[end - 1].isspace():
        end -= 1
    return line[_token_start(line, end) : end]


def _first_non_space(line: str) -> int:
    i = 0
    while i < len(line) and line[i].isspace():
        i += 1
    return i


# --- Facts about a whole line, each found in one pass -----------------------
# Judging a terminator looks back (where did this quote open? is this "2." a
# list item?). Scanned anew for every terminator, a long line full of them
# costs quadratic time; these answer the same questions from one pass.


class _LineFacts:
    """What the rules look up about one skeleton line, made once per line."""

    def __init__(self, line: str):
        self.line = line
        self.first_visible = _first_non_space(line)
        self.quotes = _QuoteOpeners(line)
        self._list_items: _ListItems | None = None

    def list_items(self) -> _ListItems:
        if self._list_items is None:  # most lines never ask
            self._list_items = _ListItems(self.line)
        return self._list_items


class _QuoteOpeners:
    """Where a closing quote was opened, asked at increasing positions.

    The same answer as scanning back from the closer and counting nested
    pairs (``«أ» … «ب!»``): for ``»`` the last ``«`` after which as many ``»``
    as ``«`` follow; for ``”`` the last ``“`` or ``”`` (Arabic copy often opens
    with ``”`` too). Tracked in one pass as the positions grow.
    """

    _MARK_RE = re.compile("[«»“”]")

    def __init__(self, line: str):
        self.line = line
        self.pos = 0  # line[:pos] has been read
        self.depth = 0  # count of » minus count of « in line[:pos]
        self.guillemets: dict[int, int] = {}  # depth -> the last « after which it was that
        self.curly: int | None = None  # the last “ or ”

    def opener(self, closer: str, i: int) -> int | None:
        """Position of the opening quote of ``closer`` standing right after
        ``line[:i]``, or ``None``. ``i`` never decreases between calls."""
        if i < self.pos:
            raise ValueError("positions must be asked in increasing order")
        for mark in self._MARK_RE.finditer(self.line, self.pos, i):
            char = mark.group()
            if char == "«":
                self.depth -= 1
                self.guillemets[self.depth] = mark.start()
            elif char == "»":
                self.depth += 1
            else:
                self.curly = mark.start()
        self.pos = i
        if closer == "»":
            return self.guillemets.get(self.depth)
        return self.curly


class _ListItems:
    """Numbered items inside a line ("الأسباب: 1. الجفاف 2. الحرب"), by number.

    Answers what ``_INLINE_ITEM_RE`` finds in a window of ``WINDOW``
    characters on each side of a number, without scanning the windows: a line
    of 100,000 "1. 2. " would otherwise read 600 characters per number.
    """

    WINDOW = 300  # neighbouring items count only nearby
    _HEAD_RE = re.compile(r"(\d{1,2})\.(?=\s)")  # an item cut at the window's start

    def __init__(self, line: str):
        self.line = line
        # number -> positions of the space before each item and of the space
        # after its period; items never overlap, so both lists grow together.
        self.items: dict[int, tuple[list[int], list[int]]] = {}
        for match in _INLINE_ITEM_RE.finditer(line):
            if match.start(1) == 0:
                continue  # the start of the line is handled as a window start
            spaces, ends = self.items.setdefault(int(match.group(1)), ([], []))
            spaces.append(match.start(1) - 1)
            ends.append(match.end())

    def near(self, number: int, token_start: int, period: int) -> bool:
        """Whether item ``number - 1`` ends in the window before ``token_start``
        or item ``number + 1`` in the window after ``period``.

        Exactly ``_INLINE_ITEM_RE.finditer(line[max(0, token_start - WINDOW):token_start])``
        and ``_INLINE_ITEM_RE.finditer(line, period + 1, period + 1 + WINDOW)``.
        """
        window_start = max(0, token_start - self.WINDOW)
        head = self._HEAD_RE.match(self.line, window_start, token_start)  # "^" of the slice
        if head and int(head.group(1)) == number - 1:
            return True
        if self._within(number - 1, window_start, token_start):
            return True
        return self._within(number + 1, period + 1, period + 1 + self.WINDOW)

    def _within(self, number: int, start: int, end: int) -> bool:
        """An item ``number`` with its space at ``start`` or later and the
        space after its period before ``end``."""
        spaces, ends = self.items.get(number, ((), ()))
        first = bisect.bisect_left(spaces, start)
        return first < len(spaces) and ends[first] < end


def _alnum_before(line: str, i: int) -> str:
    start = i
    while start > 0 and line[start - 1].isalnum():
        start -= 1
    return line[start:i]


def _alnum_after(line: str, k: int) -> str:
    end = k
    while end < len(line) and line[end].isalnum():
        end += 1
    return line[k:end]
