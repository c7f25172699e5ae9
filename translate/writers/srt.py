"""Subtitles back out: the same cues, numbers and timings, the English as text.

The reader (:mod:`translate.readers.srt`) merged cues that carry one sentence
into one block and recorded where each cue's text lies in it. Here each
sentence's English goes back over the cues its Arabic covers
(:func:`share_over_cues`), and each cue's English is wrapped into at most two
lines of about :data:`LINE_CHARS` characters (never cut: a long line stays long).
"""
from __future__ import annotations

from ..errors import OutputError
from ..text.document import Document, Paragraph
from .base import require_translated

LINE_CHARS = 42  # the usual subtitle line length


def write(document: Document, original: bytes | None = None, signature: str | None = None) -> bytes:
    """The subtitles with English text; cues without text are written as they were.

    Raises:
        OutputError: the document was not read from an .srt file, or is not fully translated.
    """
    import srt

    if document.format != "srt":
        raise OutputError(f"{document.name or 'document'}: subtitles (.srt) can only be written for a "
                          "subtitle input; choose another format")
    require_translated(document, "srt")
    cues = []
    for paragraph in document.paragraphs:
        entries = paragraph.meta["cues"]
        shares = cue_english(document, paragraph)
        for entry, text in zip(entries, shares):
            content = entry["prefix"] + wrap(text) if text else entry.get("original", "")
            cues.append(srt.Subtitle(entry["index"], srt.srt_timestamp_to_timedelta(entry["start"]),
                                     srt.srt_timestamp_to_timedelta(entry["end"]), content))
    if original is not None:  # cues the document does not hold (no text at all) keep their place
        from ..inputs import decode

        known = {cue.index for cue in cues}
        cues += [cue for cue in srt.parse(decode(original, document.name or "original")) if cue.index not in known]
        cues.sort(key=lambda cue: (cue.start, cue.index))
    return srt.compose(cues, reindex=False).encode("utf-8")


def cue_english(document: Document, paragraph: Paragraph) -> list[str]:
    """The English of each cue of one block (a paragraph of CUE kind)."""
    entries = paragraph.meta["cues"]
    cue_spans = [tuple(entry["span"]) for entry in entries]
    sentences = [(pair.start - paragraph.start, pair.end - paragraph.start, pair.translation or "")
                 for pair in paragraph.sentences]
    return share_over_cues(sentences, cue_spans)


def share_over_cues(sentences: list[tuple[int, int, str]], cue_spans: list[tuple[int, int]]) -> list[str]:
    """Share translated sentences over the cues their sources cover.

    Args:
        sentences: ``(start, end, english)`` per source sentence, offsets into the
            block's Arabic text, in order.
        cue_spans: ``(start, end)`` of each cue's text in the same block text, in order.

    Returns:
        The English of each cue. A sentence inside one cue goes to that cue whole;
        a sentence spanning several cues is cut at word boundaries into parts
        proportional to the number of its Arabic characters in each cue (every
        cue gets at least one word while words last). Joined with spaces, the
        cues' English is exactly the sentences' English joined with spaces.
    """
    pieces: list[list[str]] = [[] for _ in cue_spans]
    for start, end, text in sentences:
        overlaps = [(n, min(end, b) - max(start, a)) for n, (a, b) in enumerate(cue_spans)
                    if min(end, b) - max(start, a) > 0]
        if not overlaps:  # cannot happen for spans from the reader; keep the text anyway
            nearest = min(range(len(cue_spans)), key=lambda n: abs(cue_spans[n][0] - start)) if cue_spans else None
            if nearest is not None:
                pieces[nearest].append(text)
            continue
        if len(overlaps) == 1:
            pieces[overlaps[0][0]].append(text)
            continue
        for (n, _), part in zip(overlaps, split_by_weights(text, [size for _, size in overlaps])):
            if part:
                pieces[n].append(part)
    return [" ".join(parts) for parts in pieces]


def split_by_weights(text: str, weights: list[int]) -> list[str]:
    """Cut ``text`` at spaces into ``len(weights)`` consecutive parts whose lengths
    follow ``weights``; parts are non-empty while there are enough words."""
    words = text.split()
    parts_count = len(weights)
    if parts_count == 1:
        return [" ".join(words)]
    total_weight = sum(weights) or parts_count
    # Each word's end position in the joined text; cut after the word whose end is
    # closest to each cumulative share.
    ends, position = [], 0
    for word in words:
        position += len(word) + (1 if ends else 0)
        ends.append(position)
    length = position
    cuts, cumulative, previous = [], 0, 0
    for k, weight in enumerate(weights[:-1]):
        cumulative += weight
        target = length * cumulative / total_weight
        lowest = previous + 1 if previous < len(words) else previous  # at least one word per part
        highest = max(lowest, len(words) - (parts_count - 1 - k))  # leave a word for each later part
        best = min(range(lowest, min(highest, len(words)) + 1),
                   key=lambda cut: abs((ends[cut - 1] if cut else 0) - target), default=previous)
        cuts.append(best)
        previous = best
    bounds = [0, *cuts, len(words)]
    return [" ".join(words[bounds[i]:bounds[i + 1]]) for i in range(parts_count)]


def wrap(text: str) -> str:
    """One line, or two lines cut at the space nearest the middle when the text is
    longer than :data:`LINE_CHARS`."""
    if len(text) <= LINE_CHARS or " " not in text:
        return text
    spaces = [i for i, ch in enumerate(text) if ch == " "]
    cut = min(spaces, key=lambda i: abs(i - len(text) / 2))
    return text[:cut] + "\n" + text[cut + 1:]
