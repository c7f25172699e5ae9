"""Error types, defined once. The CLI maps them to one-line messages and exit
codes; the app maps them to ``gr.Error``."""
from __future__ import annotations


class TranslateError(Exception):
    """Base class: a problem the user can fix; its message says how."""

    exit_code = 1


class ModelNotFoundError(TranslateError):
    """The model is neither a local folder nor in the local Hugging Face cache."""


class ModelLoadError(TranslateError):
    """The model files exist but could not be loaded."""


class InputError(TranslateError):
    """An input file or text that cannot be translated (empty, binary, wrong encoding...)."""


class OutputError(TranslateError):
    """An output that cannot be written, or would overwrite a file without --force."""


class UsageError(TranslateError):
    """Options that do not fit together."""

    exit_code = 2


class CacheError(TranslateError):
    """A cache maintenance action (stats, clear) that cannot be done: the cache
    file is damaged, read-only, or unreadable. Translating never raises this: a
    cache problem there only turns the cache off, with one warning."""
