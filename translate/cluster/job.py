"""Translating a dataset of articles: :func:`translate_dataset`, locally or on Ray.

Both runs cut the rows into the same blocks, prepare them with the same
function, look them up in the same snapshot of the cache, translate them with
the same translator (the driver's, rebuilt without a cache on each Ray worker)
and write them with the same writer, so a job gives the same bytes on a laptop
and on a cluster. The driver owns the cache: sentences it held when the job
started are never sent to a translator, and new translations come back into it
(in bulk, a block at a time), so a second run is served from it.
"""
from __future__ import annotations

import contextlib
import logging
import os
import shutil
import sqlite3
import tempfile
import time
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .. import config
from ..cache import CachedTranslation, TranslationCache
from ..errors import UsageError
from ..pipeline import Translator
from . import parts, rows
from .workers import WorkerSpec

log = logging.getLogger("translate")

DEFAULT_ROWS_PER_PART = 1000
#: Rows per block: what is translated together (and what one actor takes at a time).
DEFAULT_BLOCK_ROWS = 64


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
                      force: bool = False, progress: Callable[[DatasetProgress], None] | None = None
                      ) -> DatasetReport:
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
    signature = str(translator.signature)
    folder = parts.OutputFolder(Path(out), output_format)
    written = folder.open(signature, force)
    report = DatasetReport(folder.path, signature, skipped=len(written.ids))
    writer = parts.PartWriter(folder, rows_per_part, written.next_part, id_type=written.id_type)
    limit = config.max_input_bytes() if max_row_bytes is None else max_row_bytes
    refs = parts.block_refs(kind, files, block_rows)
    total = sum(ref.rows for ref in refs) - len(written.ids) - len(written.errors)
    options = dict(id_column=id_column, text_column=text_column, max_bytes=limit, done=frozenset(written.ids))
    try:
        with _snapshot(translator.cache) as snapshot:
            if cluster is None:
                blocks = _local_blocks(refs, translator, snapshot, **options)
            else:
                blocks = _cluster_blocks(refs, translator, snapshot, cluster, **options)
            try:
                _write_all(blocks, report, writer, written.errors, translator, started, total, progress)
            finally:
                blocks.close()  # an interrupted job stops the cluster's work while still joined
        writer.flush()
    except BaseException as error:  # the caller still learns what was done
        report.parts, report.seconds = list(writer.written), time.perf_counter() - started
        error.partial_report = report
        raise
    report.parts, report.seconds = list(writer.written), time.perf_counter() - started
    return report


@contextlib.contextmanager
def _snapshot(cache: TranslationCache | None):
    """A copy of the cache as it is when the job starts, deleted after it.

    Every block is looked up in this copy, not in the live cache that the job
    fills as it goes: what a block finds, and so what the model translates
    together, does not depend on how far the other blocks have got. The blocks
    are then translated alike here and on any cluster, and give the same bytes.
    """
    if cache is None or not cache.path.exists():
        yield None
        return
    folder = Path(tempfile.mkdtemp(prefix=".snapshot-", dir=cache.folder))
    try:
        copy = TranslationCache(folder)
        try:
            with closing(sqlite3.connect(cache.path)) as live, closing(sqlite3.connect(copy.path)) as target:
                live.backup(target)
        except sqlite3.Error as error:  # a cache problem never fails a translation
            log.warning("cannot read the cache %s (%s); translating without it", cache.path, error)
            copy = None
        yield copy
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _local_blocks(refs: list[parts.BlockRef], translator: Translator, snapshot: TranslationCache | None,
                  **options) -> Iterator[list[rows.Item]]:
    """The dataset translated here, block by block, with the steps of the Ray
    job: prepare, look up in the snapshot, translate without a cache."""
    bare = Translator(translator.engine, None, settings=translator.settings, quality=translator.quality,
                      batch_size=translator.batch_size)
    signature = str(translator.signature)
    for ref in refs:
        items = rows.prepare_block(parts.read_block(ref, options["id_column"], options["text_column"]), **options)
        if snapshot is not None:
            items = rows.look_up(items, snapshot, signature)
        yield rows.translate_block(bare, items)


def _cluster_blocks(refs: list[parts.BlockRef], translator: Translator, snapshot: TranslationCache | None,
                    cluster: RayCluster, **options) -> Iterator[list[rows.Item]]:
    """The dataset translated on Ray, block by block. Ray starts only with the first
    block that the snapshot does not wholly answer: the blocks before it are
    prepared and looked up here (as on Ray: the same functions, the same bytes),
    so a job that is all in the cache never starts a cluster for nothing."""
    signature = str(translator.signature)
    for number, ref in enumerate(refs):
        items = rows.prepare_block(parts.read_block(ref, options["id_column"], options["text_column"]), **options)
        if snapshot is not None:
            items = rows.look_up(items, snapshot, signature)
        if any(item.document is not None and not item.document.done for item in items):
            break
        yield items
    else:
        return
    from . import ray_backend

    spec = WorkerSpec.of(translator, model=cluster.worker_model, cache_dir=cluster.worker_cache_dir,
                         threads=cluster.threads)
    with ray_backend.connected(cluster, spec) as pool:
        remote = ray_backend.run_rows(refs[number:], spec=spec, snapshot=snapshot, actors=pool.actors,
                                      gpus=pool.gpus, **options)
        try:
            yield from remote
        finally:
            remote.close()


def _write_all(blocks: Iterator[list[rows.Item]], report: DatasetReport, writer: parts.PartWriter,
               written_errors: set, translator: Translator, started: float, total: int | None,
               progress: Callable[[DatasetProgress], None] | None) -> None:
    """Take translated blocks as they come: their new translations into the
    driver's cache (in bulk, a block at a time), their rows into parts (a bad row
    without an id that an earlier run wrote, ``written_errors``, is not written again)."""
    seen: set = set()
    signature = report.signature
    for block in blocks:
        fresh: dict = {}
        for item in block:
            if item.document is not None:
                fresh.update(rows.fresh(item.document))
        if fresh and translator.cache is not None:
            translator.cache.put_many(translator.signature.key, signature, [
                CachedTranslation(s, h.text, h.score, h.flags, h.alignment) for s, h in fresh.items()])
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
                report.cached += sum(pair.cached for pair in pairs)
                report.translated += sum(1 for pair in pairs if not pair.cached and pair.source in fresh)
            writer.add(rows.record(item, signature))
        if progress:
            progress(DatasetProgress(report.rows, total, report.sentences, time.perf_counter() - started))
