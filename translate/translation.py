"""The one record of a translation, from the engine to the document.

An engine makes a :class:`Translation`; the cache keeps it and gives it back;
the translation memory answers with one; the glossary rewrites one; a
:class:`~translate.text.document.SentencePair` holds one. Where it came from is
its :attr:`~Translation.origin`, set in one place, the pipeline's lookup chain
(:mod:`translate.pipeline.chain`).

Word links have one text form, ``"0-0 1-2 2-1"`` (source word, English word;
the Pharaoh format of alignment tools), for every store and page that keeps
them as text (:func:`alignment_text`, :func:`parse_alignment`).
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

#: Where a translation came from.
MODEL = "model"  # made by the model in this run
CACHE = "cache"  # the model's, from the cache
YOURS = "yours"  # the reader's own, from the translation memory
TEAM = "team"  # a team's, from the memory a shared reader offers everyone (--team-memory)
PASSED = "passed-through"  # no Arabic word in it: kept as it is, never sent to a model
ORIGINS = (MODEL, CACHE, YOURS, TEAM, PASSED)

#: A word link: (source word, English word), words as ``str.split()`` cuts them, 0-based.
Link = tuple[int, int]


@dataclass(frozen=True)
class Translation:
    """One sentence's translation.

    Attributes:
        text: the English.
        score: the model's mean log-probability per target token (≤ 0); None when
            no model scored it (the reader's own, a passed-through sentence).
        flags: doubts about it (:mod:`translate.quality`: ``repetition``,
            ``length``, ``numbers``; :mod:`translate.glossary`: ``term:<term>``).
        alignment: word links (:data:`Link`).
        origin: one of :data:`ORIGINS`.
    """

    text: str
    score: float | None = None
    flags: tuple[str, ...] = ()
    alignment: tuple[Link, ...] = ()
    origin: str = MODEL

    def came_from(self, origin: str) -> Translation:
        """This translation, marked as coming from ``origin``."""
        return self if self.origin == origin else replace(self, origin=origin)


class ReadLinks(tuple):
    """Word links read from their text form, which they keep: a job that finds every
    sentence in the cache writes the links again (into the library) without
    formatting each one again."""

    text: str


def alignment_text(links: Iterable[Link]) -> str:
    """Word links as text: ``"0-0 1-2"``."""
    if type(links) is ReadLinks:
        return links.text
    return " ".join(f"{source}-{target}" for source, target in links)


def parse_alignment(text: str) -> tuple[Link, ...]:
    """Word links from their text form; text that is not one gives no links (never an error)."""
    try:
        links = ReadLinks((int(source), int(target)) for source, target in (link.split("-") for link in text.split()))
    except ValueError:
        return ()
    links.text = text
    return links
