"""The page's words for what went wrong: the library's message with the page's
advice (which button to press, which limit applies), never a command-line flag.

The library's errors carry a ``reason``; :data:`PAGE_HINTS` holds the page's advice
for each, as the CLI holds its own for the same reasons.
"""
from __future__ import annotations

import logging
import re
import secrets

from ..errors import TranslateError, first_line

log = logging.getLogger("translate")

#: The page's advice for each kind of library error (``TranslateError.reason``):
#: it names buttons and limits, never command-line flags.
PAGE_HINTS = {
    "wrong-encoding": "save the file as UTF-8 text (in most editors: Save as… → Encoding: UTF-8) and upload it again",
    "unknown-encoding": "save the file as UTF-8 text and upload it again",
    "binary": "upload a text, Word, PDF, web page, subtitle or EPUB file, or paste the text into the box",
    "empty": "paste Arabic text into the box, upload a document, or pick a sample article",
    "not-text": "paste the text again; if it came from another program, save it as UTF-8 text first",
    "too-big": "upload a smaller file, or paste the part you need",
    "model-not-found": "the reader's model is missing on this server: whoever runs the reader needs to download "
                       "it (see the README) and restart the reader",
    "model-broken": "the reader's model files are damaged: whoever runs the reader needs to download them again",
    "converted-broken": "whoever runs the reader should clear the converted models and restart it",
    "convert-failed": "whoever runs the reader can restart it with the transformers engine",
    "convert-unwritable": "whoever runs the reader needs a writable cache folder",
    "engine-missing": "whoever runs the reader can restart it with the transformers engine",
}

#: The reason of the errors the page writes itself: their message is already the page's.
PAGE_REASON = "page"


def page_message(error: TranslateError) -> str:
    """The library's message with the page's advice: what to press or change."""
    message = str(error)
    message = message[:1].upper() + message[1:] if re.match(r"[a-z]+ ", message) else message  # a name keeps its case
    hint = PAGE_HINTS.get(error.reason or "")
    if error.reason == "wrong-encoding" and error.details.get("encoding"):
        hint = None  # the page reads it in that encoding itself (service.read_upload)
    return f"{message.rstrip('.')}. {hint[:1].upper() + hint[1:]}." if hint else message


def unexpected_message(error: BaseException) -> str:
    """What the page says about a failure that is not the reader's to fix (a bug, a
    broken install); the traceback goes to the server's log."""
    # The reader sees no exception's name or text (they tell strangers about the server's
    # insides); the log has both, under a reference the reader can quote.
    reference = secrets.token_hex(4)
    log.error("reader: unexpected error %s: %s", reference, first_line(error)[:200],
              exc_info=(type(error), error, error.__traceback__))
    return (f"Something went wrong on the server (reference {reference}). What was already translated is "
            "kept; press Translate to try again. If it happens again, give whoever runs the reader this "
            "reference: their server log has the details.")


def message_for(error: BaseException) -> str:
    """The page's words for any failure: a library error's message and advice, or,
    for anything else, :func:`unexpected_message` (logged with its traceback)."""
    return page_message(error) if isinstance(error, TranslateError) else unexpected_message(error)


def plural(count: int, word: str) -> str:
    return f"{count:,} {word}" if count == 1 else f"{count:,} {word}s"
