"""Error types, defined once.

Messages are written for whoever called the library: they say what is wrong in
the library's own terms. A ``reason`` (a short fixed code) and ``details`` let
each face add its own advice in one place: the CLI names flags and commands
(:mod:`translate.cli`), the page names buttons and limits (:mod:`translate.web.messages`).
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any


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


def describe(error: BaseException) -> str:
    """What another library's error says, in its own words, for a message about an
    input: its first line, never its class name ("" when it says nothing). A
    ``KeyError`` names only its key, so it reads "no /Root"."""
    if isinstance(error, KeyError) and len(error.args) == 1:
        key = str(error.args[0])
        return key if " " in key else f"no {key}"
    lines = [line.strip() for line in str(error).strip().splitlines() if line.strip()]
    return lines[0] if lines else ""


def crash_report(error: BaseException, doing: str, *, verbose: bool = False) -> str:
    """One line for an error that is not the library's own (a bug, a broken install):
    ``<doing> failed unexpectedly: <its first line> (the details are in FILE)``.

    The traceback goes to a new log file in the temporary folder, named in the line
    (and to standard error as well when ``verbose``): a user never meets a traceback,
    and a bug report can still carry one.
    """
    import sys
    import tempfile
    import time
    import traceback

    from .config import VERSION

    details = "".join(traceback.format_exception(error))
    if verbose:
        sys.stderr.write(details)
    try:
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", prefix=f"translate-{time.strftime('%Y%m%d-%H%M%S')}-",
                                         suffix=".log", delete=False) as log_file:
            log_file.write(f"translate-ar-en {VERSION}, {doing}:\n{details}")
        where = f"the details are in {log_file.name}"
    except OSError:
        where = "rerun with --verbose for the details"
    return f"{doing} failed unexpectedly: {first_line(error)} ({where})"
