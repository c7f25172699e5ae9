"""How the program words things for people, defined once."""
from __future__ import annotations


def plural(count: int, noun: str) -> str:
    """A count with its noun: ``1 sentence``, ``2,000 sentences``."""
    return f"{count:,} {noun}{'' if count == 1 else 's'}"
