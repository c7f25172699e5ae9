"""A glossary of names and terms: "حلب → Aleppo" every time.

A :class:`Glossary` is read from a ``.tsv`` or ``.csv`` file (Arabic term,
English rendering) or built from pairs. It finds its terms in a source sentence
(:meth:`Glossary.find`) and enforces their renderings in the translation
(:meth:`Glossary.enforce`), using the word alignment the engines return.

Matching works on words as ``str.split()`` cuts them (the alignment's words).
Harakat and tatweel are ignored, the forms of alef are one
(:func:`translate.text.arabic.fold`), punctuation around a word is ignored, and the
first word of a term may carry the joined conjunctions و ف, prepositions ب ل ك
and the article ال: the term حلب matches وحلب, بحلب, لحلب; the term الرقة
matches والرقة and للرقة. A term written without the article also matches it
(معارضة matches المعارضة); one written with it needs it. Longer terms win,
matches never overlap. Terms are indexed by their first word, so matching costs
a few dictionary look-ups per word of the sentence, whatever the glossary's size.

Enforcing a term: the English words aligned to the term's source words, from
the first to the last (a contiguous span), are replaced by the rendering, once
per occurrence. Leading English words that translate the stripped clitics
("and", "in", "to", "the"…) stay in front of it, and punctuation around the span
stays around the rendering. Nothing is done when the rendering already appears
(as many times as the term). When the alignment cannot place a term (no aligned
English word, a span far longer than the term, or a span overlapping another
term's), the translation is kept as it is and the sentence gets the flag
``term:<term>`` ("this term may be rendered differently"). After a
replacement the sentence's alignment is updated: English word indices after the
span shift, the term's source words link to every word of the rendering, and
links of other source words into the replaced words are dropped.

Why the cache holds raw model output: a glossary is applied after the model, on
every fill of a sentence, cached or not. So the cache is keyed by the signature
*without* the glossary layer (:attr:`translate.pipeline.Translator.raw_signature`),
while the signature written into outputs and printed by ``translate info``
carries the glossary's hash (:attr:`Glossary.digest`). Changing a glossary then
never serves stale results (the new glossary is applied to cached sentences)
and never re-runs the model; outputs made with another glossary are told apart
by their signature (and re-written by ``translate batch``).
"""
from __future__ import annotations

import csv
import hashlib
import io
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from .engines.alignment import word_spans
from .errors import InputError
from .sizes import megabytes
from .text.arabic import ARTICLE, CONJUNCTIONS, PREPOSITIONS, fold, has_letter
from .translation import Translation

#: The signature layer naming the glossary (its value: :attr:`Glossary.digest`).
LAYER = "glossary"
#: Flag prefix of a sentence in which a term could not be placed: ``term:حلب``.
FLAG_PREFIX = "term:"
#: A glossary file above this size is refused: 100,000 lines are 3 to 6 MB and take
#: about 90 MB of memory while loading (benchmarks/glossary_scale.py).
MAX_BYTES = 16 * 1024 * 1024

#: Outcomes of one occurrence of a term in :meth:`Glossary.enforce`.
PLACED, PRESENT, FLAGGED = "placed", "present", "flagged"

# English words that translate a joined clitic, kept before the rendering when
# the aligned span starts with them ("بحلب" → "in Aleppo").
_CLITIC_WORDS = {
    "\u0648": {"and"},
    "\u0641": {"and", "so", "then"},
    "\u0628": {"in", "with", "by", "at", "on", "into", "through", "via"},
    "\u0644": {"to", "for", "of"},
    "\u0643": {"as", "like"},
    ARTICLE: {"the"},
}
_MIN_STEM = 2  # letters left after stripping clitics: و or بل alone are not words
_NOT_WORD = re.compile(r"^\W+|\W+$")
_LEAD = re.compile(r"^\W*")
_TRAIL = re.compile(r"(?:['\u2019]s)?\W*$")


@dataclass(frozen=True, slots=True)
class Entry:
    """One glossary line.

    Attributes:
        term: the Arabic term as written.
        rendering: its English rendering.
        line: its line in the file (its position, from 1, for :meth:`Glossary.from_pairs`).
        words: the term's words in compared form (folded, punctuation around them removed).
        article: the term's first word starts with the article, which the text must then have.
    """

    term: str
    rendering: str
    line: int
    words: tuple[str, ...]
    article: bool

    @property
    def key(self) -> str:
        """The first word as looked up: without its article."""
        return self.words[0][len(ARTICLE):] if self.article else self.words[0]


@dataclass(frozen=True)
class Match:
    """An occurrence of a term in a source sentence: its words ``start`` to ``end``
    (exclusive), and the clitics joined to its first word (``"وب"``, ``"ال"``…)."""

    entry: Entry
    start: int
    end: int
    clitics: str = ""


@dataclass(frozen=True)
class Outcome:
    """What :meth:`Glossary.enforce` did with one occurrence.

    Attributes:
        match: the occurrence.
        status: ``placed`` (the rendering replaced the aligned span), ``present``
            (the rendering was already there) or ``flagged`` (not placed).
        reason: why it was flagged: ``no-links``, ``too-long`` or ``overlap``.
    """

    match: Match
    status: str
    reason: str | None = None


@dataclass(frozen=True)
class Enforced:
    """A translation after the glossary: its text and alignment, the flags to add
    (``term:<term>`` for each term not placed) and one outcome per occurrence."""

    text: str
    alignment: tuple[tuple[int, int], ...]
    flags: tuple[str, ...]
    outcomes: tuple[Outcome, ...]


def _core(word: str) -> str:
    """A word in compared form: folded, punctuation around it removed."""
    return _NOT_WORD.sub("", fold(word))


def _analyses(core: str) -> Iterable[tuple[str, str, bool]]:
    """The ways ``core`` may split into joined clitics and a stem: (stem, clitics, has article)."""
    yield core, "", False
    for conj in ("", *CONJUNCTIONS):
        if not core.startswith(conj):
            continue
        after_conj = core[len(conj):]
        for prep in ("", *PREPOSITIONS):
            if not after_conj.startswith(prep) or not (conj or prep or after_conj.startswith(ARTICLE)):
                continue
            rest = _NOT_WORD.sub("", after_conj[len(prep):])  # بـ”متطرفين”: a quote after the clitic
            if conj or prep:
                yield rest, conj + prep, False
            if rest.startswith(ARTICLE):
                yield rest[len(ARTICLE):], conj + prep + ARTICLE, True
            if prep == "\u0644" and rest.startswith("\u0644"):  # li + al- is written لل
                yield rest[1:], conj + prep + ARTICLE, True


class Glossary:
    """Arabic terms and their English renderings.

    Args:
        entries: the entries (see :meth:`load`, :meth:`from_pairs`).
        name: where they come from (a file name), for messages and ``translate info``.

    Raises:
        InputError: a term given twice with two renderings (reason ``glossary-duplicate``).
    """

    def __init__(self, entries: Iterable[Entry], name: str = "glossary"):
        self.name = name
        self._entries: list[Entry] = []
        self._index: dict[str, list[Entry]] = {}
        seen: dict[tuple[str, ...], Entry] = {}
        for entry in entries:
            earlier = seen.get(entry.words)
            if earlier is not None:
                if earlier.rendering != entry.rendering:
                    raise InputError(
                        f"{_label(name)}: lines {earlier.line} and {entry.line} give the term {earlier.term!r} two "
                        f"renderings ({earlier.rendering!r}, {entry.rendering!r})", reason="glossary-duplicate",
                        lines=(earlier.line, entry.line))
                continue  # the same line twice: harmless
            seen[entry.words] = entry
            self._entries.append(entry)
            self._index.setdefault(entry.key, []).append(entry)
        for candidates in self._index.values():  # longest first; then the one needing the article
            candidates.sort(key=lambda e: (-len(e.words), not e.article))
        self.digest = hashlib.sha256("\n".join(sorted(
            " ".join(e.words) + "\t" + e.rendering for e in self._entries)).encode("utf-8")).hexdigest()[:12]

    # -- making one ------------------------------------------------------------------

    @classmethod
    def from_pairs(cls, pairs: Iterable[tuple[str, str]], name: str = "glossary") -> Glossary:
        """A glossary from (Arabic term, English rendering) pairs.

        Raises:
            InputError: a term without Arabic letters, an empty rendering, or a
                term given twice with two renderings (the messages number the pairs from 1).
        """
        return cls((_entry(term, rendering, number, name) for number, (term, rendering) in enumerate(pairs, 1)),
                   name)

    @classmethod
    def load(cls, path: str | os.PathLike) -> Glossary:
        """Read a glossary file: one term per line, the Arabic term, then a tab
        (``.tsv``, ``.txt``) or a comma (``.csv``, quoted as spreadsheets do), then
        the English rendering. Further columns (notes) are ignored, as are blank
        lines, lines starting with ``#``, and a first line without Arabic (a
        header). UTF-8 with or without a byte-order mark, or UTF-16 with one.

        Raises:
            InputError: the file is missing, unreadable, too big, binary, not
                UTF-8, empty, or has a bad line; the message names the line.
        """
        path = Path(path)
        name = path.name
        try:
            if path.is_dir():
                raise InputError(f"glossary {path} is a folder, not a file", reason="glossary-missing")
            size = path.stat().st_size
            if size > MAX_BYTES:
                shown, limit_shown = megabytes(size, MAX_BYTES)
                raise InputError(f"{_label(name)} is {shown} MB, above the {limit_shown} MB limit",
                                 reason="glossary-too-big")
            text = _decode(path.read_bytes(), name)  # the bytes are let go once decoded
        except FileNotFoundError:
            raise InputError(f"glossary {path} does not exist", reason="glossary-missing") from None
        except OSError as error:
            raise InputError(f"cannot read the glossary {path} ({error.strerror or error})",
                             reason="glossary-missing") from None
        delimiter = "," if path.suffix.lower() == ".csv" else "\t"
        glossary = cls(_parse(text, delimiter, name), name)
        if not glossary._entries:
            raise InputError(f"{_label(name)} holds no terms", reason="glossary-empty")
        return glossary

    # -- what it is ------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self):
        return iter(self._entries)

    def __repr__(self) -> str:
        return f"Glossary({self.name!r}, {len(self)} terms, {self.digest})"

    # -- using it --------------------------------------------------------------------

    def find(self, source: str) -> list[Match]:
        """The terms in ``source``, in order: longest first where they compete, never overlapping.

        Costs a few dictionary look-ups per word, whatever the number of terms.
        """
        cores = [_core(word) for word in source.split()]
        found = []
        for start, core in enumerate(cores):
            if not core:
                continue
            for stem, clitics, article in _analyses(core):
                if len(stem) < _MIN_STEM and stem != core:
                    continue
                for entry in self._index.get(stem, ()):
                    if entry.article and not article:
                        continue
                    end = start + len(entry.words)
                    if end <= len(cores) and tuple(cores[start + 1 : end]) == entry.words[1:]:
                        found.append(Match(entry, start, end, clitics))
                        break  # candidates are longest first: the rest of this stem cannot win
        found.sort(key=lambda m: (-(m.end - m.start), m.start, len(m.clitics)))
        taken: set[int] = set()
        chosen = []
        for match in found:
            words = range(match.start, match.end)
            if not taken.intersection(words):
                taken.update(words)
                chosen.append(match)
        return sorted(chosen, key=lambda m: m.start)

    def apply(self, source: str, translation: Translation) -> Translation:
        """``translation`` with the terms of ``source`` rendered (:meth:`enforce`), its
        alignment updated and the flags of terms it could not place added."""
        enforced = self.enforce(source, translation.text, translation.alignment)
        if not enforced.outcomes:
            return translation
        return replace(translation, text=enforced.text, alignment=enforced.alignment,
                       flags=tuple(dict.fromkeys(translation.flags + enforced.flags)))

    def enforce(self, source: str, translation: str, alignment: Sequence[tuple[int, int]]) -> Enforced:
        """Put each term's rendering into ``translation`` at the English words
        aligned to it (see the module's description).

        Args:
            source: the Arabic sentence.
            translation: its English translation.
            alignment: word links (source word, target word), words split at whitespace.

        Returns:
            the new text and alignment, the flags to add, and one outcome per occurrence.
        """
        matches = self.find(source)
        if not matches:
            return Enforced(translation, tuple(alignment), (), ())
        words = translation.split()
        status: dict[int, tuple[str, str | None]] = {}
        spans: dict[int, tuple[int, int]] = {}
        for term_matches in _by_entry(matches).values():
            rendering = term_matches[0].entry.rendering
            if _count(rendering, translation) >= len(term_matches):
                status.update({id(m): (PRESENT, None) for m in term_matches})
                continue
            for match in term_matches:
                targets = [t for s, t in alignment if match.start <= s < match.end and 0 <= t < len(words)]
                if not targets:
                    status[id(match)] = (FLAGGED, "no-links")
                    continue
                first, last = min(targets), max(targets)
                spans[id(match)] = (first, last)
                limit = 2 * max(len(rendering.split()), len(match.entry.words)) + 1
                if _count(rendering, " ".join(words[first : last + 1])):
                    status[id(match)] = (PRESENT, None)
                elif last - first + 1 > limit:
                    status[id(match)] = (FLAGGED, "too-long")
        placed = [m for m in matches if id(m) in spans and id(m) not in status]
        # spans that hold a rendering, or are to hold one: no two may share a word
        held = [m for m in matches if id(m) in spans and status.get(id(m), (PRESENT,))[0] == PRESENT]
        for match in placed:
            first, last = spans[id(match)]
            if any(o is not match and not (spans[id(o)][1] < first or last < spans[id(o)][0]) for o in held):
                status[id(match)] = (FLAGGED, "overlap")
        text, links = translation, list(alignment)
        for match in sorted((m for m in placed if id(m) not in status), key=lambda m: -spans[id(m)][0]):
            text, links = _replace(text, links, match, *spans[id(match)])
            status[id(match)] = (PLACED, None)
        outcomes = tuple(Outcome(m, *status[id(m)]) for m in matches)
        flags = tuple(dict.fromkeys(FLAG_PREFIX + o.match.entry.term for o in outcomes if o.status == FLAGGED))
        return Enforced(text, tuple(sorted(set(links))), flags, outcomes)


def _label(name: str) -> str:
    """How messages name a glossary: ``glossary terms.tsv``."""
    return name if name.startswith("glossary") else f"glossary {name}"


def _by_entry(matches: list[Match]) -> dict[int, list[Match]]:
    groups: dict[int, list[Match]] = {}
    for match in matches:
        groups.setdefault(id(match.entry), []).append(match)
    return groups


def _count(rendering: str, text: str) -> int:
    """How many times ``rendering`` appears in ``text`` as whole words, ignoring case."""
    return len(re.findall(rf"(?<!\w){re.escape(rendering)}(?!\w)", text, re.IGNORECASE))


def _replace(text: str, links: list[tuple[int, int]], match: Match, first: int,
             last: int) -> tuple[str, list[tuple[int, int]]]:
    """``text`` with its words ``first``..``last`` replaced by the match's rendering
    (leading words that translate its clitics kept), and the links to match."""
    spans = word_spans(text)
    words = [text[a:b] for a, b in spans]
    keep = set().union(*(_CLITIC_WORDS.get(c, set()) for c in _clitic_parts(match.clitics)))
    while first <= last and _NOT_WORD.sub("", words[first]).lower() in keep:
        first += 1
    rendering = match.entry.rendering
    if first > last:  # the span is only "in", "and"…: the model left the name out; put it after them
        start = end = spans[last][1]
        new = " " + rendering
    else:
        start, end = spans[first][0], spans[last][1]
        lead = _LEAD.match(words[first]).group()
        trail = _TRAIL.search(words[last]).group()
        if first == 0 and words[0][:1].isupper() and rendering[:1].islower():
            rendering = rendering[0].upper() + rendering[1:]  # it starts the sentence
        new = lead + rendering + trail
    added = len(new.split())
    removed = last - first + 1 if first <= last else 0
    shift = added - removed
    new_first = first if first <= last else last + 1
    term_words = range(match.start, match.end)
    result = []
    for s, t in links:
        if t < new_first:
            result.append((s, t))
        elif t > last:
            result.append((s, t + shift))
        # links into the replaced words are dropped; the term's words are linked below
    result.extend((s, new_first + j) for s in term_words for j in range(added))
    return text[:start] + new + text[end:], result


def _clitic_parts(clitics: str) -> list[str]:
    parts = []
    if clitics.endswith(ARTICLE):
        parts.append(ARTICLE)
        clitics = clitics[: -len(ARTICLE)]
    return parts + list(clitics)


def _entry(term: str, rendering: str, line: int, name: str) -> Entry:
    """One checked entry.

    Raises:
        InputError: a term without Arabic letters, or an empty rendering.
    """
    term, rendering = " ".join(str(term).split()), " ".join(str(rendering).split())
    if not has_letter(term):
        raise InputError(f"{_label(name)}: line {line}: the term {term!r} has no Arabic letters",
                         reason="glossary-term", line=line)
    if not rendering:
        raise InputError(f"{_label(name)}: line {line}: the term {term!r} has no English rendering",
                         reason="glossary-rendering", line=line)
    words = tuple(_core(word) for word in term.split())
    article = words[0].startswith(ARTICLE) and len(words[0]) - len(ARTICLE) >= _MIN_STEM
    return Entry(term, rendering, line, words, article)


def _decode(data: bytes, name: str) -> str:
    """The text of a glossary file: UTF-8 (a byte-order mark allowed) or UTF-16 with one.

    Raises:
        InputError: a binary file, or one that is not UTF-8.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise InputError(f"{_label(name)} is not valid UTF-16", reason="glossary-encoding") from None
    if b"\x00" in data[:65536]:
        raise InputError(f"{_label(name)} is a binary file, not a text table", reason="glossary-binary")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise InputError(f"{_label(name)} is not UTF-8 (line {line})", reason="glossary-encoding",
                         line=line) from None


def _parse(text: str, delimiter: str, name: str) -> Iterable[Entry]:
    """The entries of a glossary's text.

    Raises:
        InputError: a line without a delimiter, a term without Arabic letters,
            an empty rendering; the message names the line.
    """
    separator = "comma" if delimiter == "," else "tab"
    first = True
    for line, fields in _rows(text, delimiter, name):
        if not any(field.strip() for field in fields) or fields[0].lstrip().startswith("#"):
            continue
        if len(fields) < 2:
            shown = fields[0] if len(fields[0]) <= 60 else fields[0][:60] + "…"
            raise InputError(f"{_label(name)}: line {line} has no {separator} between the term and its rendering: "
                             f"{shown!r}", reason="glossary-line", line=line, separator=separator)
        if first and not has_letter(fields[0]):
            first = False
            continue  # a header: "term<TAB>rendering"
        first = False
        yield _entry(fields[0], fields[1], line, name)


def _rows(text: str, delimiter: str, name: str) -> Iterable[tuple[int, list[str]]]:
    """(line number, fields) for each row. Tab-separated lines are split at tabs
    (a field wholly in double quotes is unquoted); CSV is read as spreadsheets write it."""
    if delimiter == "\t":
        for number, line in enumerate(io.StringIO(text, newline=None), 1):  # lazily: no list of all lines
            yield number, [_unquote(field) for field in line.rstrip("\n").split("\t")]
        return
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        for fields in reader:
            yield reader.line_num, fields
    except csv.Error as error:
        raise InputError(f"{_label(name)}: line {reader.line_num} is not valid CSV ({error})", reason="glossary-line",
                         line=reader.line_num, separator="comma") from None


def _unquote(field: str) -> str:
    field = field.strip()
    if len(field) >= 2 and field[0] == field[-1] == '"':
        return field[1:-1].replace('""', '"')
    return field


def load(path: str | os.PathLike | Glossary | None) -> Glossary | None:
    """A glossary from a path (None and glossaries pass through): what
    ``Translator.from_options(glossary=...)`` accepts."""
    if path is None or isinstance(path, Glossary):
        return path
    return Glossary.load(path)
