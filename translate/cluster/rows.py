"""Dataset rows: one article in, one output record out (pure functions).

A dataset is rows of ``{id, text}`` (the column names are options): the lines
of JSONL files, or the rows of a Parquet dataset. :func:`prepare` turns one row
into an :class:`Item` (a segmented document, or the reason it cannot be
translated); :func:`record` turns a translated item into the output row
``{id, translation, sentences, flags, signature, error}``. The local run and
the cluster run call the same two functions, so a row becomes the same bytes
wherever it is translated.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import Any

from ..cache import TranslationCache
from ..document import Document, segment_document
from ..engine import Hypothesis
from ..errors import InputError
from ..inputs import decode
from ..pipeline import Translator, needs_translation
from ..signature import signature_key
from ..sizes import megabytes

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


def fill(document: Document, found: dict[str, Hypothesis], signature: str) -> Document:
    """``document`` with the translations in ``found`` (from the cache) filled in,
    marked as cached."""
    updates = {}
    for pair in document.sentences:
        hypothesis = None if pair.done else found.get(pair.source)
        if hypothesis is not None:
            updates[pair.index] = replace(pair, translation=hypothesis.text, score=hypothesis.score, cached=True,
                                          flags=hypothesis.flags, alignment=hypothesis.alignment)
    return replace(document.with_translations(updates), signature=signature) if updates else document


def wanted(document: Document) -> list[str]:
    """The sentences of ``document`` that still need a model (or the cache)."""
    return [pair.source for pair in document.sentences if not pair.done and needs_translation(pair.source)]


def fresh(document: Document) -> dict[str, Hypothesis]:
    """The translations the model made for ``document`` in this run (not from the
    cache, not passed through, not the reader's own from the memory): what goes
    into the cache, which holds only the model's output."""
    return {pair.source: Hypothesis(pair.translation, pair.score, pair.flags, pair.alignment)
            for pair in document.sentences
            if pair.done and not pair.cached and not pair.origin and needs_translation(pair.source)}


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


# -- a block of rows: the unit the local run and each Ray task work on -------------------


def prepare_block(block: list[tuple[str, Any]], **options) -> list[Item]:
    """:func:`prepare` each (where, row) of a block; rows already written are left out."""
    return [item for where, row in block if (item := prepare(row, where=where, **options)) is not None]


def look_up(items: list[Item], cache: TranslationCache, signature: str) -> list[Item]:
    """Fill in the sentences that ``cache`` holds for ``signature`` (the text form)."""
    sources = list(dict.fromkeys(s for item in items if item.document for s in wanted(item.document)))
    found = cache.get_many(signature_key(signature), sources) if sources else {}
    if not found:
        return items
    hits = {s: Hypothesis(c.translation, c.score, c.flags, c.alignment) for s, c in found.items()}
    return [item if item.document is None else Item(item.id, fill(item.document, hits, signature)) for item in items]


def translate_block(translator: Translator, items: list[Item]) -> list[Item]:
    """Translate what the block's documents still miss, together (each unique
    sentence once) with ``translator`` (one without a cache: the driver owns it)."""
    documents = [item.document for item in items if item.document is not None]
    if all(document.done for document in documents):
        return items
    translated = iter(translator.translate_documents(documents))
    return [item if item.document is None else Item(item.id, next(translated)) for item in items]
