"""What the page's API accepts. Anything may arrive through it (``None``, numbers,
lists, objects, strings with lone surrogates, huge strings): each check returns the
value it accepts, or raises :class:`~translate.errors.InputError` saying, in the
page's words, what is wrong with it.
"""
from __future__ import annotations

import json
from typing import Any

from .. import config
from ..errors import InputError
from ..inputs import has_visible_text
from ..interactive import MAX_ALTERNATIVES
from ..text import arabic
from ..text.document import check_text
from ..text.segment import split_sentences
from .messages import PAGE_REASON, page_message


def refuse(message: str) -> InputError:
    """An input error whose message is already the page's own."""
    return InputError(message, reason=PAGE_REASON)


def text(value: Any, max_chars: int) -> str:
    """Text to translate: a string with something visible in it, at most ``max_chars`` long."""
    if value is None or (isinstance(value, str) and not has_visible_text(value)):
        raise refuse("Nothing to translate: paste Arabic text into the box, upload a document, "
                     "or pick a sample article.")
    if not isinstance(value, str):
        raise refuse(f"The text must be a string of Arabic text, not {kind(value)}.")
    if len(value) > max_chars:
        raise refuse(f"The text has {len(value):,} characters; the page translates up to {max_chars:,} "
                     "at a time. Remove some of it, or translate it in parts.")
    _is_text(value, "The text")
    return value


def sentence(value: Any) -> str:
    """One Arabic sentence, as the page shows it, for the details' model calls."""
    if not isinstance(value, str):
        raise refuse(f"The sentence must be one Arabic sentence as text, not {kind(value)}.")
    if not has_visible_text(value):
        raise refuse("No sentence given: open a sentence's details (click it, or press Enter on it) and ask again.")
    if len(value) > config.MAX_SENTENCE_CHARS:
        raise refuse(f"The sentence has {len(value):,} characters, above the {config.MAX_SENTENCE_CHARS:,} of "
                     "one sentence: give one sentence as the page shows it.")
    _is_text(value, "The sentence")
    if not arabic.has_word(value):
        raise refuse("The sentence has no Arabic word: alternatives and your own translations are for the "
                     "Arabic sentences of a translation (other text is shown as it is).")
    found = split_sentences(value)
    if len(found) != 1:
        raise refuse(f"That is not a sentence of a translation: it holds {len(found)} sentences. Give one "
                     "sentence as the page shows it.")
    return value


def english(value: Any, what: str, *, empty: bool = False) -> str:
    """English the reader typed (``what`` names it in the messages); ``empty``: may be
    blank (a beginning to complete), and None counts as blank."""
    if value is None and empty:
        return ""
    if not isinstance(value, str):
        raise refuse(f"{what} must be text, not {kind(value)}.")
    if not empty and not has_visible_text(value):
        raise refuse(f"{what} is empty: type the English, or pick one of the alternatives.")
    if len(value) > config.MAX_SENTENCE_CHARS:
        raise refuse(f"{what} has {len(value):,} characters, above the {config.MAX_SENTENCE_CHARS:,} of one "
                     "sentence.")
    _is_text(value, what)
    return value


def count(value: Any) -> int:
    """How many alternatives: a whole number from 1 to :data:`MAX_ALTERNATIVES`."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # JSON numbers may arrive as 5.0
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_ALTERNATIVES:
        raise refuse(f"The number of alternatives must be a whole number from 1 to {MAX_ALTERNATIVES}, "
                     f"not {shown(value)}.")
    return value


def kind(value: Any) -> str:
    """What a value is, in words ("a list", "a number")."""
    names = {list: "a list", tuple: "a list", dict: "an object", bool: "true/false", int: "a number",
             float: "a number", bytes: "bytes", str: "text"}
    return names.get(type(value), f"a {type(value).__name__}")


def shown(value: Any) -> str:
    """A value as a message quotes it, cut to 60 characters."""
    quoted = json.dumps(value, ensure_ascii=True, default=str) if not isinstance(value, str) else repr(value)
    return quoted if len(quoted) <= 60 else quoted[:57] + "…"


def _is_text(value: str, what: str) -> None:
    try:
        check_text(value, what)
    except InputError as error:  # "The sentence: holds a lone surrogate…" reads better without the colon
        raise refuse(page_message(error).replace(f"{what}: ", f"{what} ", 1)) from None
