"""What every writer shares: the writer record and the checks before writing."""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from ..errors import OutputError
from ..text.document import Document, paragraph_translation

#: Characters XML 1.0 cannot hold (C0 controls but tab and line breaks, lone
#: surrogates, U+FFFE/FFFF); dropped from text written into XML formats.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class Writer:
    """One output format.

    Attributes:
        name: what ``--format`` and the page call it.
        suffix: the file ending of its output (with the dot).
        write: ``write(document, original, signature) -> bytes``.
        bilingual: True when it shows Arabic and English together (md, html, jsonl,
            tmx, xliff); False for the translated document alone.
        description: one line for help texts.
        marks_doubt: it marks doubtful sentences, and so takes the translator's
            quality policy as a fourth argument.
    """

    name: str
    suffix: str
    write: Callable[[Document, bytes | None, str | None], bytes]
    bilingual: bool
    description: str
    marks_doubt: bool = False


def require_translated(document: Document, fmt: str) -> None:
    """Raises OutputError when a sentence of ``document`` has no translation yet."""
    missing = sum(not pair.done for pair in document.sentences)
    if missing:
        raise OutputError(f"{document.name or 'document'}: {missing} sentences are not translated yet; "
                          f"translate the whole document before writing {fmt}")


def english(paragraph) -> str:
    """A paragraph's English (its sentences' translations joined by a space)."""
    return paragraph_translation(paragraph)


def xml_text(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot hold."""
    return _NOT_XML.sub("", text)
