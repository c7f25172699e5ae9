"""Dataset files: finding the input files, reading their rows, and the output folder.

Input: JSONL files (one JSON object per line) or Parquet files, given as files
or folders. Output: a folder of parts, ``part-00000.jsonl`` (or ``.parquet``),
each holding the next ``rows_per_part`` rows in input order, written
atomically (a part is either whole or absent), and ``translate-dataset.json``
naming the signature that made them. A rerun reads the ids of the parts that
exist and skips those rows (and the errors of rows without an id), so an
interrupted job goes on where it stopped.

A file or a block of rows that cannot be read at all (a damaged Parquet file)
becomes one bad row saying so, as a line that is not JSON does: the other
files are still translated.
"""
from __future__ import annotations

import io
import itertools
import json
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError, OutputError, UsageError, describe
from ..outputs import write_atomically
from . import rows

JSONL, PARQUET = "jsonl", "parquet"
#: Input file suffixes, by dataset kind.
SUFFIXES = {JSONL: (".jsonl", ".ndjson"), PARQUET: (".parquet",)}
OUTPUT_FORMATS = (JSONL, PARQUET)
MANIFEST = "translate-dataset.json"
_PART = re.compile(r"^part-(\d{5,})\.(jsonl|parquet)$")


def dataset_kind(path: str | os.PathLike) -> str | None:
    """``jsonl`` or ``parquet`` when ``path`` is such a file, or a folder holding
    such files (and no ``.txt``/``.md`` articles); None otherwise."""
    path = Path(path)
    if path.is_file():
        return next((kind for kind, suffixes in SUFFIXES.items() if path.suffix.lower() in suffixes), None)
    if path.is_dir():
        for kind in (PARQUET, JSONL):
            if _files_of(path, kind):
                return kind
    return None


def dataset_files(paths: Iterable[str | os.PathLike]) -> tuple[str, list[Path]]:
    """The kind of the dataset and its files, in the order their rows are read.

    Raises:
        InputError: a path that is not a dataset, or datasets of two kinds.
    """
    kinds, files = set(), []
    for given in paths:
        kind = dataset_kind(given)
        if kind is None:
            raise InputError(f"{given}: not a JSONL or Parquet file, nor a folder of them", reason="no-such-file")
        kinds.add(kind)
        path = Path(given)
        files.extend([path] if path.is_file() else _files_of(path, kind))
    if len(kinds) != 1:
        raise InputError("give JSONL files or Parquet files, not both", reason="mixed-datasets")
    return kinds.pop(), files


def _files_of(folder: Path, kind: str) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES[kind]
                  and not any(part.startswith((".", "_")) for part in p.relative_to(folder).parts))


# -- reading rows -------------------------------------------------------------------


def jsonl_lines(stream, name: str, first: int = 1) -> Iterator[tuple[str, bytes]]:
    """(where, line) for each non-blank line of a JSONL stream whose first line is
    line ``first``: only ``\\n`` ends a line (a JSON string may hold U+2028 or a lone ``\\r``)."""
    for number, line in enumerate(stream, first):
        line = line.rstrip(b"\r\n")
        if line.strip():
            yield f"{name} line {number}", line


@dataclass(frozen=True)
class BlockRef:
    """Where one block of rows lies: ``rows`` rows of ``path`` from ``start``
    (a byte offset in a JSONL file, at line ``line``; a row number in a Parquet file).
    ``error``: why the file cannot be read (the block is then that one bad row)."""

    kind: str
    path: str
    start: int
    rows: int
    line: int = 1
    error: str | None = None


def block_refs(kind: str, files: list[Path], block_rows: int) -> list[BlockRef]:
    """Cut the dataset into blocks of ``block_rows`` rows, never across files.

    The local run and the cluster run read the same blocks, so the model gets
    the same batches in both (a quick scan: line breaks, or Parquet footers).
    """
    refs = []
    for path in files:
        if kind == PARQUET:
            parquet = _pyarrow_parquet()
            try:
                total = parquet.ParquetFile(path).metadata.num_rows
            except _arrow_errors() as error:
                refs.append(BlockRef(kind, str(path), 0, 1, error=_unreadable(path.name, error)))
                continue
            refs += [BlockRef(kind, str(path), start, min(block_rows, total - start))
                     for start in range(0, total, block_rows)]
            continue
        offset, first, count = 0, None, 0
        with open(path, "rb") as stream:
            for number, line in enumerate(stream, 1):
                if line.strip():
                    if first is None:
                        first = (offset, number)
                    count += 1
                    if count == block_rows:
                        refs.append(BlockRef(kind, str(path), first[0], count, first[1]))
                        first, count = None, 0
                offset += len(line)
        if first is not None:
            refs.append(BlockRef(kind, str(path), first[0], count, first[1]))
    return refs


def read_block(ref: BlockRef, id_column: str, text_column: str) -> list[tuple[str, Any]]:
    """The rows of one block, as (where, row) pairs for :func:`rows.prepare` (a row
    that cannot be parsed is the message saying why).

    Raises:
        InputError: a Parquet file without the text column.
    """
    path = Path(ref.path)
    if ref.error is not None:
        return [(path.name, ref.error)]
    if ref.kind == JSONL:
        with open(path, "rb") as stream:
            stream.seek(ref.start)
            lines = itertools.islice(jsonl_lines(stream, path.name, ref.line), ref.rows)
            return [(where, rows.parse_line(line, where)) for where, line in lines]
    where = f"{path.name} rows {ref.start + 1}-{ref.start + ref.rows}"
    try:
        source = _pyarrow_parquet().ParquetFile(path)
        columns = _columns(source.schema_arrow.names, id_column, text_column, path)
        groups, first, seen = [], 0, 0
        for number in range(source.metadata.num_row_groups):
            size = source.metadata.row_group(number).num_rows
            if seen + size > ref.start and seen < ref.start + ref.rows:
                if not groups:
                    first = ref.start - seen
                groups.append(number)
            seen += size
        table = source.read_row_groups(groups, columns=columns).slice(first, ref.rows)
        found = table.to_pylist()
    except _arrow_errors() as error:  # a damaged row group: these rows are one bad row
        return [(where, _unreadable(where, error))]
    return [(f"{path.name} row {ref.start + number}", row) for number, row in enumerate(found, 1)]


def _unreadable(where: str, error: BaseException) -> str:
    return f"{where}: not a readable Parquet file ({describe(error) or 'damaged'}); write it again"


def _arrow_errors() -> tuple[type[BaseException], ...]:
    """What pyarrow raises for a damaged file (ArrowInvalid, ArrowIOError, …), and a file that cannot be read."""
    import pyarrow

    return pyarrow.ArrowException, OSError


def _columns(names: list[str], id_column: str, text_column: str, path: Path) -> list[str]:
    if text_column not in names:
        raise InputError(f"{path}: no column {text_column!r} (it has {', '.join(names)}); name the text column",
                         reason="no-text-column")
    return [name for name in (id_column, text_column) if name in names]


def _pyarrow_parquet():
    try:
        import pyarrow.parquet as parquet
    except ImportError:
        raise UsageError("Parquet needs pyarrow: pip install 'translate-ar-en[cluster]'",
                         reason="pyarrow-missing") from None
    return parquet


# -- the output folder --------------------------------------------------------------


@dataclass(frozen=True)
class OutputFolder:
    """A dataset job's output folder: its parts, and what made them.

    Args:
        path: the folder.
        fmt: ``jsonl`` or ``parquet``.
    """

    path: Path
    fmt: str

    def parts(self) -> list[Path]:
        """This job's part files, in order."""
        if not self.path.is_dir():
            return []
        found = [p for p in self.path.iterdir() if _PART.match(p.name) and p.suffix == f".{self.fmt}"]
        return sorted(found, key=lambda p: int(_PART.match(p.name).group(1)))

    def open(self, signature: str, force: bool) -> Written:
        """Get the folder ready for a run: returns what earlier runs wrote into it.

        Raises:
            OutputError: the folder holds parts made by another translator, in
                another format, or files this job did not write (unless ``force``,
                which deletes the old parts and starts over).
        """
        manifest = self.path / MANIFEST
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            known = json.loads(manifest.read_text(encoding="utf-8")) if manifest.exists() else None
        except (OSError, ValueError) as error:
            raise OutputError(f"cannot use output folder {self.path}: {error}", reason="unwritable") from None
        others = [p for p in self.path.iterdir() if _PART.match(p.name)]
        if force:
            for part in others:
                part.unlink()
            others = []
        elif others and (known is None or known.get("signature") != signature or known.get("format") != self.fmt):
            why = ("was not written by this tool" if known is None else
                   f"holds {known.get('format')} parts made with another translator ({known.get('signature')})"
                   if known.get("signature") != signature else f"holds {known.get('format')} parts")
            raise OutputError(f"{self.path} {why}; not adding to it", reason="output-exists", path=self.path)
        try:
            write_atomically(manifest, json.dumps({"signature": signature, "format": self.fmt},
                                                  ensure_ascii=False, indent=1) + "\n")
        except OSError as error:
            raise OutputError(f"cannot write to output folder {self.path}: {error.strerror or error}",
                              reason="unwritable") from None
        parts = self.parts()
        written = Written(set(), set(), int(_PART.match(parts[-1].name).group(1)) + 1 if parts else 0)
        for part in parts:
            for key, error in read_ids(part):
                if key is not None:
                    written.ids.add(key)
                elif error:
                    written.errors.add(error)
        return written


@dataclass(frozen=True)
class Written:
    """What earlier runs wrote into an output folder.

    Attributes:
        ids: the ids of the rows written.
        errors: the errors of the bad rows written without an id (each names its
            row: ``archive.jsonl line 17: not a JSON object``).
        next_part: the number of the next part.
    """

    ids: set
    errors: set
    next_part: int

    @property
    def id_type(self) -> type | None:
        """The type of the ids written (None when none was, or the parts disagree)."""
        types = {type(key) for key in self.ids}
        return types.pop() if len(types) == 1 else None


def read_ids(part: Path) -> list[tuple[Any, str | None]]:
    """(id, error) of each row in one part file."""
    if part.suffix == ".parquet":
        table = _pyarrow_parquet().read_table(part, columns=["id", "error"])
        return list(zip(table.column("id").to_pylist(), table.column("error").to_pylist()))
    with open(part, encoding="utf-8") as stream:
        return [(record["id"], record["error"]) for record in map(json.loads, filter(str.strip, stream))]


class PartWriter:
    """Writes records into numbered parts of ``rows_per_part`` rows, atomically.

    Args:
        folder: the output folder.
        rows_per_part: rows per part file (the last one may hold fewer).
        first: the number of the first part to write.
        id_type: the type of the ids already in the folder's Parquet parts (see :meth:`claim_id`).
    """

    def __init__(self, folder: OutputFolder, rows_per_part: int, first: int = 0, id_type: type | None = None):
        self.folder, self.rows_per_part, self.number = folder, rows_per_part, first
        self.id_type = id_type
        self.pending: list[dict] = []
        self._lines: list[bytes | None] = []  # each pending record's JSONL line (UTF-8), when its caller had it
        self.written: list[Path] = []

    def claim_id(self, key: Any) -> str | None:
        """Why the id ``key`` cannot be written as it is (None: it can).

        JSON keeps every id as it is. A Parquet column holds one type and 64-bit
        integers, so there the first id written decides the type of them all, and
        an id of another type, or an integer too large, is refused (the row is then
        a bad row, never an id turned into another: 1 and "1" stay two rows).
        """
        if key is None or self.folder.fmt != PARQUET:
            return None
        if isinstance(key, int) and not _INT64.start <= key < _INT64.stop:
            return (f"id {key} is beyond the 64-bit integers of a Parquet column; give it as a string, "
                    "or write JSONL")
        if self.id_type is None:
            self.id_type = type(key)
        elif type(key) is not self.id_type:
            kind, kinds = _KINDS[type(key)][0], _KINDS[self.id_type][1]
            return (f"id {key!r} is {kind}, but this dataset's ids are {kinds} (a Parquet column holds one "
                    f"type); give every id as one type, or write JSONL")
        return None

    def add(self, record: dict, line: bytes | None = None) -> Path | None:
        """Add a record (``line``: the record as :func:`rows.jsonl_line` writes it, in UTF-8,
        when the caller has it already); returns the part written when this one completed it."""
        self.pending.append(record)
        self._lines.append(line)
        return self.flush() if len(self.pending) >= self.rows_per_part else None

    @property
    def next_path(self) -> Path:
        """The part the pending records will be written to (absolute)."""
        return (self.folder.path / f"part-{self.number:05d}.{self.folder.fmt}").absolute()

    def flush(self) -> Path | None:
        """Write the pending records as the next part (nothing when there are none)."""
        if not self.pending:
            return None
        target = self.folder.path / f"part-{self.number:05d}.{self.folder.fmt}"
        data = (render_parquet(self.pending) if self.folder.fmt == PARQUET
                else b"".join(rows.jsonl_line(r).encode("utf-8") if line is None else line
                              for r, line in zip(self.pending, self._lines)))
        try:
            write_atomically(target, data)
        except OSError as error:
            raise OutputError(f"cannot write {target}: {error.strerror or error}", reason="unwritable") from None
        self.pending, self._lines, self.number = [], [], self.number + 1
        self.written.append(target)
        return target


_INT64 = range(-(2 ** 63), 2 ** 63)
_KINDS = {int: ("an integer", "integers"), str: ("a string", "strings")}


def render_parquet(records: list[dict]) -> bytes:
    """Records as the bytes of one Parquet file (a fixed schema, but the id's type
    follows the ids: 64-bit integers or strings, as :meth:`PartWriter.claim_id` lets them)."""
    import pyarrow as pa

    parquet = _pyarrow_parquet()
    ids = [r["id"] for r in records]
    id_type = pa.int64() if all(isinstance(i, int) for i in ids if i is not None) else pa.string()
    sentence = pa.struct([("paragraph", pa.int32()), ("index", pa.int32()), ("start", pa.int32()),
                          ("end", pa.int32()), ("source", pa.string()), ("translation", pa.string()),
                          ("score", pa.float64()), ("flags", pa.list_(pa.string()))])
    schema = pa.schema([("id", id_type), ("translation", pa.string()), ("sentences", pa.list_(sentence)),
                        ("flags", pa.list_(pa.string())), ("signature", pa.string()), ("error", pa.string())])
    columns = {name: [r[name] for r in records] for name in rows.FIELDS}
    columns["id"] = ids
    table = pa.table(columns, schema=schema)
    sink = io.BytesIO()
    parquet.write_table(table, sink)
    return sink.getvalue()
