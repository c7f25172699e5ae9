"""Subtitles (``.srt``), through the ``srt`` library: cues in, the same timings out.

**A sentence split across cues is translated as one sentence.** Subtitlers
break a long sentence over two or three cues; translated cue by cue, each half
would be a fragment the model mistranslates. So consecutive cues are merged into
one block while the text so far does not end a sentence (no closing ``. ! ? ؟ …``),
the next cue follows within :data:`MAX_JOIN_GAP_S` seconds, does not open a new
speaker's line (``-``), and the block has fewer than :data:`MAX_JOINED_CUES` cues.

The block's text is the cues' texts (each cue's lines joined by a space) joined
by a space; its meta lists the cues::

    {"cues": [{"index": 7, "start": "00:00:12,400", "end": "00:00:14,100",
               "span": [0, 38], "lines": 2, "prefix": ""}, ...]}

``span`` is where each cue's text lies in the block's text, so after
segmentation every sentence knows which cues it covers. The writer
(:func:`translate.writers.srt.share_over_cues`) gives a sentence inside one cue
to that cue, and shares the English of a sentence that spans several cues over
them in proportion to how much of the Arabic each holds, cutting at word
boundaries. A leading position tag (``{\\an8}``) is kept as the cue's
``prefix``; other inline tags (``<i>``, ``<font>``) are dropped.
"""
from __future__ import annotations

import re
from datetime import timedelta

from ..errors import InputError
from ..inputs import decode
from ..text.document import CUE, Block, Document, segment_blocks
from .base import Reader
from .budget import Budget

FORMAT = "srt"
WHAT = "subtitle file"
MAX_JOIN_GAP_S = 1.5  # a longer pause between cues ends the sentence anyway
MAX_JOINED_CUES = 6
_TIMING = re.compile(r"^\s*\d+\s*\r?\n\s*\d{1,2}:\d{2}:\d{2}[,.]\d{1,3}\s*-->", re.MULTILINE)
_TAG = re.compile(r"</?[a-zA-Z][^>]*>|\{\\[^}]*\}")
_POSITION = re.compile(r"^\{\\an?\d\}")
_ENDS_SENTENCE = re.compile(r"[.!?؟…۔][\"'”»)\]’]*$")


def sniff(data: bytes) -> bool:
    """A cue number followed by a ``HH:MM:SS,mmm -->`` line at the start."""
    head = data[:600].decode("utf-8", errors="ignore").lstrip("\ufeff")
    match = _TIMING.search(head)
    return match is not None and not head[: match.start()].strip()


def timestamp(value: timedelta) -> str:
    """``HH:MM:SS,mmm`` as in .srt files."""
    import srt

    return srt.timedelta_to_srt_timestamp(value)


def read(data: bytes, name: str, encoding: str | None = None, max_chars: int | None = None) -> Document:
    """Cues merged into sentence-long blocks (see the module's description).

    Raises:
        InputError: undecodable, no cues, broken timings, a cue ending before it
            starts, or over the budget ``max_chars``.
    """
    budget = Budget(name, WHAT, max_chars)
    import srt

    text = decode(data, name, encoding)
    try:
        cues = list(srt.parse(text))
    except srt.SRTParseError as error:
        line = text.count("\n", 0, error.expected_start) + 1
        raise InputError(f"{name}: broken subtitle timing at line {line}; each cue needs a number, then "
                         "a line 'HH:MM:SS,mmm --> HH:MM:SS,mmm', then its text") from None
    except (ValueError, OverflowError) as error:  # a timestamp with impossible values
        raise InputError(f"{name}: broken subtitle timing ({error}); fix the cue's times") from None
    if not cues:
        raise InputError(f"{name}: no subtitle cues found")
    for cue in cues:
        if cue.end < cue.start:
            raise InputError(f"{name}: cue {cue.index} ends ({timestamp(cue.end)}) before it starts "
                             f"({timestamp(cue.start)}); fix its times")
    blocks = _blocks(cues)
    budget.spend_text(sum(len(block.text) for block in blocks))
    return segment_blocks(blocks, name, format=FORMAT)


def _cue_text(content: str) -> tuple[str, str, int]:
    """(prefix tag, plain text on one line, number of lines) of a cue's content."""
    lines = [line.strip() for line in content.splitlines() if line.strip()]
    prefix = ""
    if lines and _POSITION.match(lines[0]):
        prefix = _POSITION.match(lines[0]).group(0)
    plain = " ".join(" ".join(_TAG.sub("", line).split()) for line in lines).strip()
    return prefix, " ".join(plain.split()), max(1, len(lines))


def _blocks(cues) -> list[Block]:
    blocks: list[Block] = []
    run: list[tuple[object, str, str, int]] = []

    def close() -> None:
        if not run:
            return
        text, entries = "", []
        for cue, prefix, plain, lines in run:
            if plain and text:
                text += " "
            start = len(text)
            text += plain
            entries.append({"index": cue.index, "start": timestamp(cue.start), "end": timestamp(cue.end),
                            "span": [start, len(text)], "lines": lines, "prefix": prefix,
                            "original": cue.content})
        blocks.append(Block(text, CUE, {"cues": entries}))
        run.clear()

    for cue in cues:
        prefix, plain, lines = _cue_text(cue.content)
        if run and plain and not _joins(run, cue, plain):
            close()
        run.append((cue, prefix, plain, lines))  # a cue without text rides along, written back as it was
    close()
    return blocks


def _joins(run: list, cue, plain: str) -> bool:
    """Whether ``cue`` continues the sentence of the cues in ``run``."""
    texts = [entry for entry in run if entry[2]]
    if not texts:
        return True
    last_cue, _, last_text, _ = texts[-1]
    return (not _ENDS_SENTENCE.search(last_text)
            and not plain.startswith(("-", "–", "—"))
            and (cue.start - last_cue.end).total_seconds() <= MAX_JOIN_GAP_S
            and len(run) < MAX_JOINED_CUES)


READER = Reader(FORMAT, (".srt",), read, sniff, WHAT)
