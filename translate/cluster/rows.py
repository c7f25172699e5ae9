"""Dataset rows: one article in, one output record out (pure functions).

A dataset is rows of ``{id, text}`` (the column names are options): the lines
of JSONL files, or the rows of a Parquet dataset. :func:`prepare` turns one row
into an :class:`Item` (a segmented document, or the reason it cannot be
translated); the pipeline translates the documents; :func:`record` turns a
translated item into the output row ``{id, translation, sentences, flags,
signature, error}``, the same bytes wherever its model step ran.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ..errors import InputError
from ..inputs import decode
from ..sizes import megabytes
from ..text.document import Document, segment_document

#: The fields of an output record, in the order they are written.
FIELDS = ("id", "translation", "sentences", "flags", "signature", "error")
#: The fields of each sentence of a record.
SENTENCE_FIELDS = ("paragraph", "index", "start", "end", "source", "translation", "score", "flags")


@dataclass(frozen=True)
class Item:
    """One row on its way through the job.

    Attributes:
        id: the row's id (None when the row has none: it is then an error).
        document: the segmented (later: translated) article; None for a bad row.
        error: why the row cannot be translated; None for a good one.
    """

    id: Any
    document: Document | None = None
    error: str | None = None


def parse_line(line: bytes, where: str) -> dict | str:
    """One JSONL line → its object, or the reason it is not one (a message).

    Args:
        line: the line's bytes, without its line break.
        where: how messages name the line (``part-1.jsonl line 17``).
    """
    try:
        value = json.loads(line.decode("utf-8"))
    except UnicodeDecodeError as error:
        return f"{where}: not UTF-8 (byte {error.start})"
    except ValueError as error:
        return f"{where}: not a JSON object ({error})"
    except RecursionError:  # json's parser recurses once per [ or {
        return f"{where}: not a JSON object (its values are nested too deeply)"
    if not isinstance(value, dict):
        return f"{where}: not a JSON object but {type(value).__name__}"
    return value


def prepare(row: dict | str, *, where: str, id_column: str, text_column: str, max_bytes: int,
            done: frozenset = frozenset()) -> Item | None:
    """Check and segment one row.

    Args:
        row: the row's columns, or (from :func:`parse_line`) why there are none.
        where: how messages name the row when it has no id (file and line).
        id_column, text_column: the columns holding the id and the Arabic text.
        max_bytes: a text above this many bytes (UTF-8) is refused.
        done: ids already written by an earlier run: such a row is skipped.

    Returns:
        The item (a bad row is an item with an error), or None to skip the row.
    """
    if isinstance(row, str):
        return Item(None, error=row)
    key = row.get(id_column)
    if key is None:
        return Item(None, error=f"{where}: no {id_column!r} column; every row needs an id")
    if not isinstance(key, (str, int)) or isinstance(key, bool):
        return Item(None, error=f"{where}: the id must be a string or an integer, not {type(key).__name__}")
    if key in done:
        return None
    label = f"id {key!r}"
    text = row.get(text_column)
    if text is None:
        return Item(key, error=f"{label}: no {text_column!r} column")
    if isinstance(text, str):
        data = text.encode("utf-8", "surrogatepass")
    elif isinstance(text, (bytes, bytearray, memoryview)):
        data = bytes(text)
    else:
        return Item(key, error=f"{label}: the text must be a string, not {type(text).__name__}")
    if len(data) > max_bytes:
        shown, limit_shown = megabytes(len(data), max_bytes)
        return Item(key, error=f"{label}: {shown} MB is above the {limit_shown} MB input limit; split the article")
    try:
        return Item(key, segment_document(decode(data, label), name=str(key)))
    except InputError as error:
        return Item(key, error=str(error))


def record(item: Item, signature: str) -> dict:
    """The output row of a translated (or bad) item.

    ``cached`` is left out on purpose: whether a sentence came from the cache
    depends on what ran before, and the same job must give the same bytes.
    """
    document = item.document
    if item.error is not None or document is None:
        return dict(id=item.id, translation=None, sentences=[], flags=[], signature=signature, error=item.error)
    sentences = [
        dict(paragraph=pair.paragraph, index=pair.index, start=pair.start, end=pair.end, source=pair.source,
             translation=pair.translation, score=None if pair.score is None else round(pair.score, 4),
             flags=list(pair.flags))
        for pair in document.sentences
    ]
    flags = list(dict.fromkeys(flag for pair in document.sentences for flag in pair.flags))
    return dict(id=item.id, translation=document.translation_text(), sentences=sentences, flags=flags,
                signature=signature, error=None)


def jsonl_line(record_: dict) -> str:
    """A record as one JSONL line (fields in :data:`FIELDS` order, UTF-8 text kept as is)."""
    return json.dumps(record_, ensure_ascii=False) + "\n"


def prepare_block(block: list[tuple[str, Any]], **options) -> list[Item]:
    """:func:`prepare` each (where, row) of a block; rows already written are left out."""
    return [item for where, row in block if (item := prepare(row, where=where, **options)) is not None]
