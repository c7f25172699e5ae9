"""Formatting inside a paragraph: bold, italics, links… as spans of its text, carried
through translation by the word alignment.

A reader records each inline run of a block as a :class:`Span` (character offsets
into the block's text); segmentation cuts them per sentence (:func:`within`).
Sentences are still translated as plain text, so one cached translation serves
every formatting of the same sentence. A writer asks :func:`place` for the spans
on the English: each source span covers the English words aligned to its words,
from the first to the last.

A span over every word of its sentence covers the whole English, whatever the
alignment says. When the alignment cannot place a span (no link from its words;
an English range far longer than the span; or one that overlaps the range of a
span that does not overlap it in the Arabic), the span falls back:

* a link is never lost: it goes on a footnote-style marker after the sentence,
  ``"… [source]"``. Not on the whole sentence, because a sentence may hold several
  links (some placed), links cannot nest, and a whole-sentence link would claim a
  place the alignment could not find; the marker says plainly "this sentence cites
  that address" and leaves the model's words as they are;
* other formatting is dropped, and the sentence gets the flag ``format:<kind>``
  (``format:bold``), as a glossary term gets ``term:<term>``.

Link targets are kept as written, except that addresses with a scheme other than
:data:`SAFE_SCHEMES` (``javascript:``, ``data:``, ``vbscript:``, ``file:``…) are
dropped when read (:func:`safe_target`). Rendering (:func:`nest`, :func:`to_html`,
:func:`to_markdown`) turns text and possibly overlapping spans into properly
nested markup. Everything here is pure.
"""
from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from urllib.parse import quote

from ..engines.alignment import word_spans

#: The kinds of span.
BOLD, ITALIC, UNDERLINE, SUPERSCRIPT, SUBSCRIPT, LINK, STYLE = (
    "bold", "italic", "underline", "superscript", "subscript", "link", "style")
KINDS = (LINK, STYLE, BOLD, ITALIC, UNDERLINE, SUPERSCRIPT, SUBSCRIPT)  # outermost first when nested
_RANK = {kind: rank for rank, kind in enumerate(KINDS)}

#: Flag prefix of a sentence whose formatting could not be placed: ``format:bold``.
FLAG_PREFIX = "format:"
#: What a link that could not be placed is put on, after its sentence.
MARKER = "[source]"
#: The schemes a link may have (an address without a scheme, "#note" or "/path", is kept too).
SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel", "ftp"})

_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]")  # browsers ignore these inside a scheme ("java\tscript:")
_MAX_SPREAD = 2  # an English range may hold at most 2n + 2 words for a span over n words


@dataclass(frozen=True, order=True)
class Span:
    """A run of formatting: characters ``start`` to ``end`` (exclusive) of its text.

    Attributes:
        kind: one of :data:`KINDS`.
        target: a link's address (kind ``link``).
        style: a Word character style's name (kind ``style``).
    """

    start: int
    end: int
    kind: str
    target: str | None = None
    style: str | None = None

    def moved(self, offset: int) -> Span:
        return replace(self, start=self.start + offset, end=self.end + offset)


@dataclass(frozen=True)
class Placement:
    """A sentence's formatting on its English.

    Attributes:
        text: the English, with a :data:`MARKER` after it for each link kept by fallback.
        spans: the spans on ``text``.
        flags: ``format:<kind>`` for each kind that could not be placed.
        placed: source spans placed on aligned English words.
        kept: links kept by fallback (on a marker).
        dropped: other spans dropped (flagged).
    """

    text: str
    spans: tuple[Span, ...] = ()
    flags: tuple[str, ...] = ()
    placed: int = 0
    kept: int = 0
    dropped: int = 0


def safe_target(href: str | None) -> str | None:
    """``href`` when a link may point there (no scheme, or one of :data:`SAFE_SCHEMES`), else None."""
    if not href or not href.strip():
        return None
    href = href.strip()
    found = _SCHEME.match(_INVISIBLE.sub("", href))
    if found and found.group(1).lower() not in SAFE_SCHEMES:
        return None
    return href


def clean(spans: Iterable[Span], text: str) -> tuple[Span, ...]:
    """Spans fit for ``text``: inside it, without whitespace at their edges, links only to
    safe targets, touching runs of the same formatting merged; sorted."""
    kept = []
    for span in spans:
        start, end = max(0, span.start), min(len(text), span.end)
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start >= end or span.kind not in _RANK:
            continue
        if span.kind == LINK:
            target = safe_target(span.target)
            if target is None:
                continue
            span = replace(span, target=target)
        kept.append(replace(span, start=start, end=end))
    kept.sort(key=lambda s: (s.kind, s.target or "", s.style or "", s.start))
    merged: list[Span] = []
    for span in kept:
        last = merged[-1] if merged else None
        if (last is not None and (last.kind, last.target, last.style) == (span.kind, span.target, span.style)
                and not text[last.end:span.start].strip()):  # touching, or apart by spaces only
            merged[-1] = replace(last, end=max(last.end, span.end))
        else:
            merged.append(span)
    return tuple(sorted(merged, key=_order))


def within(spans: Iterable[Span], start: int, end: int, text: str) -> tuple[Span, ...]:
    """The parts of ``spans`` inside characters ``start``…``end``, as offsets into
    ``text`` (the characters ``start``…``end`` themselves)."""
    return clean((replace(s, start=s.start - start, end=s.end - start) for s in spans
                  if s.start < end and s.end > start), text)


def place(spans: Sequence[Span], source: str, english: str,
          alignment: Iterable[tuple[int, int]]) -> Placement:
    """The source sentence's ``spans`` on its ``english``, through the word ``alignment``
    (source word, English word; words as ``str.split()`` cuts them).

    Returns:
        The English (with a marker per link kept by fallback), its spans and flags.
    """
    if not spans:
        return Placement(english)
    if english == source:  # passed through, or the reader wrote the same words
        return Placement(english, tuple(spans), (), placed=len(spans))
    source_words, english_words = word_spans(source), word_spans(english)
    targets_of: dict[int, set[int]] = {}
    for s, t in alignment:
        if 0 <= t < len(english_words):
            targets_of.setdefault(s, set()).add(t)
    placed: list[tuple[Span, int, int]] = []  # source span, first and last English word
    failed: list[Span] = []
    for span in sorted(spans, key=_order):
        words = [k for k, (a, b) in enumerate(source_words) if a < span.end and b > span.start]
        if len(words) == len(source_words) and english_words:  # the whole sentence: no alignment needed
            placed.append((span, 0, len(english_words) - 1))
            continue
        targets = set().union(*(targets_of.get(k, set()) for k in words)) if words else set()
        if not targets:
            failed.append(span)
            continue
        first, last = min(targets), max(targets)
        crosses = any((span.end <= other.start or other.end <= span.start) and first <= o_last and o_first <= last
                      for other, o_first, o_last in placed)
        if crosses or last - first + 1 > _MAX_SPREAD * len(words) + 2:
            failed.append(span)
            continue
        placed.append((span, first, last))
    out = [_on_words(span, source, english, english_words[first][0], english_words[last][1])
           for span, first, last in placed]
    text, flags, kept = english, [], 0
    for span in failed:
        flags.append(FLAG_PREFIX + span.kind)
        if span.kind == LINK:
            text += " "
            out.append(Span(len(text), len(text) + len(MARKER), LINK, span.target))
            text += MARKER
            kept += 1
    flags = sorted(set(flags), key=lambda f: _RANK.get(f[len(FLAG_PREFIX):], 0))
    return Placement(text, tuple(sorted(out, key=_order)), tuple(flags), len(placed), kept, len(failed) - kept)


def join(placements: Sequence[Placement], separator: str = " ") -> tuple[str, tuple[Span, ...]]:
    """Sentences' placements joined into their paragraph's text and spans."""
    parts, spans, position = [], [], 0
    for number, placement in enumerate(placements):
        if number:
            parts.append(separator)
            position += len(separator)
        parts.append(placement.text)
        spans.extend(span.moved(position) for span in placement.spans)
        position += len(placement.text)
    return "".join(parts), tuple(spans)


def _on_words(span: Span, source: str, english: str, start: int, end: int) -> Span:
    """``span`` on English characters ``start``…``end``, without the punctuation at its
    edges that the source span does not have ("Aleppo," for a bold "حلب")."""
    text = source[span.start:span.end]
    if not _punctuation(text[-1:]):
        while end > start + 1 and _punctuation(english[end - 1]):
            end -= 1
    if not _punctuation(text[:1]):
        while start < end - 1 and _punctuation(english[start]):
            start += 1
    return replace(span, start=start, end=end)


def _punctuation(char: str) -> bool:
    return bool(char) and unicodedata.category(char).startswith("P")


def _order(span: Span) -> tuple:
    return span.start, -span.end, _RANK.get(span.kind, len(_RANK)), span.target or "", span.style or ""


# -- rendering ------------------------------------------------------------------------

#: Events of :func:`nest`: ("open", span), ("text", characters), ("close", span).
Event = tuple[str, object]


def nest(text: str, spans: Iterable[Span]) -> list[Event]:
    """``text`` with its spans as properly nested open and close events: a span that
    overlaps another without holding it is closed and opened again around it."""
    spans = [s for s in spans if 0 <= s.start < s.end <= len(text)]
    cuts = sorted({0, len(text), *(s.start for s in spans), *(s.end for s in spans)})
    events: list[Event] = []
    stack: list[Span] = []
    for a, b in zip(cuts, cuts[1:]):
        active = sorted((s for s in spans if s.start <= a and s.end >= b), key=_order)
        keep = 0
        while keep < min(len(stack), len(active)) and stack[keep] == active[keep]:
            keep += 1
        for span in reversed(stack[keep:]):
            events.append(("close", span))
        for span in active[keep:]:
            events.append(("open", span))
        stack = active
        events.append(("text", text[a:b]))
    for span in reversed(stack):
        events.append(("close", span))
    return events


_HTML_TAGS = {BOLD: "b", ITALIC: "i", UNDERLINE: "u", SUPERSCRIPT: "sup", SUBSCRIPT: "sub", LINK: "a"}


def to_html(text: str, spans: Iterable[Span], escape: Callable[[str], str] = html.escape,
            new_tab: bool = False) -> str:
    """``text`` as HTML (each piece through ``escape``) with its spans as ``<b>``, ``<i>``,
    ``<u>``, ``<sup>``, ``<sub>`` and ``<a href rel="noopener noreferrer">`` (with
    ``target="_blank"`` when ``new_tab``); Word character styles are not shown."""
    out = []
    for event, value in nest(text, spans):
        if event == "text":
            out.append(escape(value))
            continue
        tag = _HTML_TAGS.get(value.kind)
        if tag is None:
            continue
        if event == "close":
            out.append(f"</{tag}>")
        elif tag == "a":
            blank = ' target="_blank"' if new_tab else ""
            out.append(f'<a href="{html.escape(value.target or "", quote=True)}" rel="noopener noreferrer"{blank}>')
        else:
            out.append(f"<{tag}>")
    return "".join(out)


_MD_OPEN = {BOLD: "**", ITALIC: "*", UNDERLINE: "<u>", SUPERSCRIPT: "<sup>", SUBSCRIPT: "<sub>", LINK: "["}
_MD_CLOSE = {BOLD: "**", ITALIC: "*", UNDERLINE: "</u>", SUPERSCRIPT: "</sup>", SUBSCRIPT: "</sub>"}


def to_markdown(text: str, spans: Iterable[Span], escape: Callable[[str], str]) -> str:
    """``text`` as Markdown (each piece through ``escape``, which must escape ``*``, ``_``,
    ``[``, ``]`` and ``<``) with ``**bold**``, ``*italics*`` (which, unlike ``_``, works
    inside a word: و*حلب*), ``[links](<address>)`` and
    HTML tags for underline, superscript and subscript."""
    out = []
    for event, value in nest(text, spans):
        if event == "text":
            out.append(escape(value))
        elif value.kind in _MD_OPEN:
            if event == "open":
                out.append(_MD_OPEN[value.kind])
            elif value.kind == LINK:
                out.append(f"](<{_md_address(value.target or '')}>)")
            else:
                out.append(_MD_CLOSE[value.kind])
    return "".join(out)


def _md_address(target: str) -> str:
    return re.sub(r"[\s<>|\\]", lambda m: quote(m.group(), safe=""), target)
