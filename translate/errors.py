"""Error types, defined once.

Messages are written for whoever called the library: they say what is wrong in
the library's own terms. A ``reason`` (a short fixed code) and ``details`` let
each face add its own advice in one place: the CLI names flags and commands
(:mod:`translate.cli`), the page names buttons and limits (:mod:`translate.webapp`).
"""
from __future__ import annotations

from typing import Any, Iterator


class TranslateError(Exception):
    """Base class: a problem the caller can fix; its message says what is wrong.

    Args:
        message: one line, in library terms.
        reason: a short code naming the kind of problem (``"wrong-encoding"``,
            ``"model-not-found"``, ``"output-exists"`` …), for the faces' hints.
        details: values a hint may mention (``encoding="cp1256"``, ``model=…``).
    """

    exit_code = 1

    def __init__(self, message: str, *, reason: str | None = None, **details: Any):
        super().__init__(message)
        self.reason = reason
        self.details = details


class ModelNotFoundError(TranslateError):
    """The model is neither a local folder nor in the local Hugging Face cache."""


class ModelLoadError(TranslateError):
    """The model files exist but could not be loaded."""


class InputError(TranslateError):
    """An input file or text that cannot be translated (empty, binary, wrong encoding...)."""


class OutputError(TranslateError):
    """An output that cannot be written, or would overwrite a file it should not."""


class UsageError(TranslateError):
    """Options that do not fit together."""

    exit_code = 2


class CacheError(TranslateError):
    """A cache maintenance action (stats, clear) that cannot be done: the cache
    file is damaged, read-only, or unreadable. Translating never raises this: a
    cache problem there only turns the cache off, with one warning."""


def causes(error: BaseException) -> Iterator[BaseException]:
    """``error``, then what caused it (``__cause__`` or ``__context__``), down to the first."""
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        yield error
        error = error.__cause__ or error.__context__


def first_line(error: BaseException) -> str:
    """The first non-blank line of an error's message (its type's name when it has none)."""
    lines = [line for line in str(error).strip().splitlines() if line.strip()]
    return lines[0] if lines else type(error).__name__
