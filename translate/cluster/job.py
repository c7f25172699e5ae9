"""Translating a dataset of articles: :func:`translate_dataset`, locally or on Ray.

One pipeline whatever runs it: the rows are cut into blocks, each block's rows
are prepared (:mod:`translate.cluster.rows`) and translated together by the
translator's own :meth:`~translate.pipeline.translator.Translator.translate_documents`,
with its memory, cache and glossary, on the driver; only the model step runs on
Ray's actors when the job is given a cluster (:mod:`translate.cluster.ray_executor`).
Every block is looked up in a snapshot of the cache taken when the job started,
so what a block finds, and so what the model translates together, never depends
on how far the others have got: the same job gives the same bytes here and on a
cluster, and a second run is served from the cache (new translations go into the
live cache as each block finishes).
"""
from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import sqlite3
import tempfile
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from .. import config
from ..errors import UsageError
from ..pipeline.translator import Translator
from ..store.cache import TranslationCache
from ..store.library import DATASET, Library, Staging
from ..store.library import Source as LibrarySource
from ..translation import CACHE, MODEL
from . import parts, rows

log = logging.getLogger("translate")

DEFAULT_ROWS_PER_PART = 1000
#: Rows per block: what is translated together (and what one actor takes at a time).
DEFAULT_BLOCK_ROWS = 64
#: The most blocks a cluster job keeps in flight (each waits in a thread of the driver).
_MAX_BLOCKS_IN_FLIGHT = 64


@dataclass(frozen=True)
class RayCluster:
    """Where and how a job runs on Ray.

    Attributes:
        address: ``auto`` (the cluster this machine belongs to), ``HOST:PORT`` of
            the head node, or None: a Ray already started in this process, else
            a local Ray on this machine's cores (the same job on a laptop).
        actors: translating actors (default: one per ``threads`` CPUs of the
            cluster; one per GPU with ``device="cuda"``).
        threads: CPU threads per actor.
        worker_model: the model as the workers find it, when not where the
            driver finds it (a folder on every node, or a hub id).
        worker_cache_dir: where workers keep converted models (default: the
            driver's cache folder, as an absolute path).
        verbose: pass the workers' log lines through.
    """

    address: str | None = None
    actors: int | None = None
    threads: int = 1
    worker_model: str | None = None
    worker_cache_dir: str | None = None
    verbose: bool = False

    def __post_init__(self):
        if self.threads < 1 or (self.actors is not None and self.actors < 1):
            raise UsageError("actors and threads must be at least 1", reason="bad-number")


@dataclass(frozen=True)
class DatasetProgress:
    """Where a dataset job stands (given to the ``progress`` callback after each block)."""

    rows: int  # rows written or waiting to be written, this run
    total: int  # rows this run has to do
    sentences: int  # sentences of those rows
    seconds: float

    @property
    def rate(self) -> float:
        """Sentences per second so far."""
        return self.sentences / self.seconds if self.seconds > 0 else 0.0


@dataclass
class DatasetReport:
    """The outcome of :func:`translate_dataset`.

    Attributes:
        out: the output folder; parts: the part files written by this run.
        signature: the translator's signature (in every output row).
        rows: rows done by this run (translated or failed); failed: of them, bad rows.
        skipped: rows an earlier run had written.
        sentences: sentences of the translated rows; cached: of them, from the cache.
        translated: sentences the model translated in this run (on the cluster
            for a Ray job: what was sent to the translators).
        errors: the first bad rows' errors (``errors_kept`` of them at most).
    """

    out: Path
    signature: str
    rows: int = 0
    failed: int = 0
    skipped: int = 0
    sentences: int = 0
    cached: int = 0
    translated: int = 0
    parts: list[Path] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0
    errors_kept: int = 100

    def summary(self) -> str:
        """``translated N rows (M sentences, K from cache, F failed) in X.Y s``."""
        text = (f"translated {self.rows - self.failed:,} rows ({self.sentences:,} sentences, {self.cached:,} from "
                f"cache) in {self.seconds:.1f} s")
        if self.failed:
            text += f"; {self.failed:,} rows failed"
        if self.skipped:
            text += f"; {self.skipped:,} rows already written"
        return text


def translate_dataset(source: str | os.PathLike | Iterable[str | os.PathLike], out: str | os.PathLike, *,
                      translator: Translator | None = None, cluster: RayCluster | None = None,
                      id_column: str = "id", text_column: str = "text", output_format: str = parts.JSONL,
                      rows_per_part: int = DEFAULT_ROWS_PER_PART, block_rows: int = DEFAULT_BLOCK_ROWS,
                      max_row_bytes: int | None = None,
                      force: bool = False, progress: Callable[[DatasetProgress], None] | None = None,
                      library: Library | None = None) -> DatasetReport:
    """Translate a dataset of ``{id, text}`` rows into a folder of output parts.

    Each output row is ``{id, translation, sentences, flags, signature, error}``
    (``sentences``: paragraph, index, offsets, source, translation, score and
    flags of each sentence; ``error``: why a bad row was not translated). Rows
    keep their input order; ``out/part-00000.jsonl`` holds the first
    ``rows_per_part`` of them, and so on. Rows whose id an earlier run wrote
    into ``out`` are skipped, so an interrupted job goes on where it stopped.

    Args:
        source: a JSONL file, a Parquet file, a folder of either, or a list of them.
        out: the output folder.
        translator: the translator (default: :meth:`Translator.from_options`);
            on Ray, each worker rebuilds it without the cache.
        cluster: run on Ray (None: here, in this process).
        id_column, text_column: the columns holding the id and the Arabic text.
        output_format: ``jsonl`` or ``parquet``.
        rows_per_part: rows per output file.
        block_rows: rows translated together, never across input files (on
            Ray: what one actor takes at a time). With CTranslate2 a sentence's
            text does not depend on its batch, but its score can differ in the
            last digits: the same blocks, looked up in the same snapshot of the
            cache, give the model the same batches here and on Ray, and so the
            same bytes. Runs that are compared must use the same value.
        max_row_bytes: a text above this is a bad row (default: the input-file limit).
        force: delete the parts already in ``out`` and start over.
        progress: called after each block of rows.
        library: record each translated row there as a document (``DATASET#ID``):
            staged a block at a time, then indexed by a process of its own started when
            the job ends (:meth:`Library.index_in_background`; None: nowhere).

    Returns:
        The report; bad rows are in it (and in the output), not raised.

    Raises:
        InputError: the source is not a dataset, or lacks the text column.
        OutputError: ``out`` cannot be written, or holds parts made otherwise.
        UsageError: a bad option, or Ray / pyarrow missing when needed.
        ModelNotFoundError, ModelLoadError: the model cannot be had (here, or on a worker).
    """
    started = time.perf_counter()
    if output_format not in parts.OUTPUT_FORMATS:
        raise UsageError(f"unknown dataset output format {output_format!r}; choose jsonl or parquet",
                         reason="unknown-format")
    if rows_per_part < 1 or block_rows < 1:
        raise UsageError("rows per part and rows per block must be at least 1", reason="bad-number")
    kind, files = parts.dataset_files([source] if isinstance(source, (str, os.PathLike)) else source)
    translator = translator or Translator.from_options()
    if cluster is not None:
        from .ray_executor import RayExecutor

        translator = translator.variant(executor=RayExecutor(cluster))
    signature = str(translator.signature)
    folder = parts.OutputFolder(Path(out), output_format)
    written = folder.open(signature, force)
    report = DatasetReport(folder.path, signature, skipped=len(written.ids))
    writer = parts.PartWriter(folder, rows_per_part, written.next_part, id_type=written.id_type)
    limit = config.max_input_bytes() if max_row_bytes is None else max_row_bytes
    refs = parts.block_refs(kind, files, block_rows)
    total = sum(ref.rows for ref in refs) - len(written.ids) - len(written.errors)
    options = dict(id_column=id_column, text_column=text_column, max_bytes=limit, done=frozenset(written.ids))
    staging = library.staging() if library is not None else contextlib.nullcontext(None)
    try:
        with _snapshot(translator.cache) as snapshot, translator.executor.session(), staging as stage:
            job = translator.variant(cache_reads=snapshot)
            blocks = _translated_blocks(refs, job, options)
            try:
                _write_all(blocks, report, writer, written.errors, started, total, progress, stage,
                           _dataset_name(files))
            finally:
                blocks.close()  # an interrupted job stops the cluster's work while still joined
        writer.flush()
    except BaseException as error:  # the caller still learns what was done
        report.parts, report.seconds = list(writer.written), time.perf_counter() - started
        error.partial_report = report
        raise
    finally:  # what was staged, even by an interrupted job, is indexed after it
        if library is not None:
            library.index_in_background()
    report.parts, report.seconds = list(writer.written), time.perf_counter() - started
    return report


def _dataset_name(files: list[Path]) -> str:
    """How the library names the dataset a row came from: its file, or its files' folder."""
    folders = {file.resolve().parent for file in files}
    return str(files[0].resolve()) if len(files) == 1 else str(folders.pop() if len(folders) == 1 else files[0])


@contextlib.contextmanager
def _snapshot(cache: TranslationCache | None):
    """A copy of the cache as it is when the job starts (an empty one when there is no
    cache file yet), deleted after it; None without a cache."""
    if cache is None:
        yield None
        return
    folder = Path(tempfile.mkdtemp(prefix=".snapshot-", dir=cache.folder if cache.folder.is_dir() else None))
    try:
        copy = TranslationCache(folder)
        if cache.path.exists():
            try:
                with closing(sqlite3.connect(cache.path)) as live, closing(sqlite3.connect(copy.path)) as target:
                    live.backup(target)
            except sqlite3.Error as error:  # a cache problem never fails a translation
                log.warning("cannot read the cache %s (%s); translating without it", cache.path, error)
                shutil.rmtree(folder, ignore_errors=True)
                folder.mkdir()
        yield copy
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _translated_blocks(refs: list[parts.BlockRef], translator: Translator, options: dict
                       ) -> Iterator[list[rows.Item]]:
    """The dataset's blocks, prepared and translated, in input order. With an executor
    that runs several calls at once (a cluster), that many blocks are in flight, each
    in a thread of its own waiting for its units; here, one after the other."""
    def translate(ref: parts.BlockRef) -> list[rows.Item]:
        items = rows.prepare_block(parts.read_block(ref, options["id_column"], options["text_column"]), **options)
        documents = [item.document for item in items if item.document is not None]
        translated = iter(translator.translate_documents(documents) if documents else ())
        return [item if item.document is None else rows.Item(item.id, next(translated)) for item in items]

    if translator.executor.parallel <= 1:
        for ref in refs:
            yield translate(ref)
        return
    threads = ThreadPoolExecutor(max_workers=_MAX_BLOCKS_IN_FLIGHT, thread_name_prefix="dataset-block")
    pending: deque = deque()
    remaining = iter(refs)
    try:
        while True:
            while len(pending) < min(translator.executor.parallel, _MAX_BLOCKS_IN_FLIGHT):
                ref = next(remaining, None)
                if ref is None:
                    break
                pending.append(threads.submit(translate, ref))
            if not pending:
                return
            yield pending.popleft().result()
    finally:  # stopped early: what is queued never starts, and nothing waits for the rest
        threads.shutdown(wait=False, cancel_futures=True)


def _write_all(blocks: Iterator[list[rows.Item]], report: DatasetReport, writer: parts.PartWriter,
               written_errors: set, started: float, total: int | None,
               progress: Callable[[DatasetProgress], None] | None, stage: Staging | None = None,
               dataset: str = "") -> None:
    """Take translated blocks as they come, their rows into parts (and the library's stage), and count
    them (a bad row without an id that an earlier run wrote, ``written_errors``, is not written again)."""
    seen: set = set()
    for block in blocks:
        for item in block:
            if item.id is not None and item.id in seen:
                item = rows.Item(item.id, error=f"id {item.id!r} appears more than once; the first row was kept")
            seen.add(item.id)
            refused = writer.claim_id(item.id)
            if refused is not None:
                item = rows.Item(None, error=refused)
            if item.id is None and item.error in written_errors:
                report.skipped += 1
                continue
            report.rows += 1
            if item.error is not None:
                report.failed += 1
                if len(report.errors) < report.errors_kept:
                    report.errors.append(item.error)
            elif item.document is not None:
                pairs = item.document.sentences
                report.sentences += len(pairs)
                report.cached += sum(pair.origin == CACHE for pair in pairs)
                report.translated += sum(pair.origin == MODEL for pair in pairs)
            record = rows.record(item, report.signature)
            line = None
            if stage is not None and item.error is None and item.document is not None:
                source = LibrarySource(DATASET, f"{dataset}#{json.dumps(item.id, ensure_ascii=False)}")
                if writer.folder.fmt == parts.JSONL:  # the library's copy reuses the part's line
                    line = rows.jsonl_line(record).encode("utf-8")
                    stage.add(source, item.document, row_line=line)
                else:  # read from the part when it is indexed
                    stage.add(source, item.document, part=(writer.next_path, len(writer.pending), item.id))
            writer.add(record, line)
        if stage is not None:  # a block's documents written together
            stage.flush()
        if progress:
            progress(DatasetProgress(report.rows, total, report.sentences, time.perf_counter() - started))
