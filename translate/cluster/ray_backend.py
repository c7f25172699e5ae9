"""The job on Ray Data: read → segment → look up the cache → translate → back to the driver.

* **read**: JSONL lines (a small datasource of our own that ends a line only at
  ``\\n`` and numbers the lines) or Parquet rows (``read_parquet``);
* **segment**: a plain map (:func:`translate.cluster.rows.prepare`), on any node;
* **look up**: a map pinned to the driver's machine, where the SQLite cache is:
  sentences found there are filled in and never reach a translator (the file is
  opened only on its own disk, never over a network share);
* **translate**: an actor pool (``map_batches`` with a callable class); each
  actor builds the driver's translator, without a cache, once
  (:class:`~translate.cluster.workers.WorkerSpec`), and loads the model on the
  first sentence it is given;
* the driver takes the translated rows in input order, puts the new
  translations into its cache in bulk and writes the outputs.

An actor that dies (a node lost, a process killed) is restarted by Ray and its
unfinished blocks run again; the driver writes each row once, when it arrives.
Nothing here is imported unless Ray is used.
"""
from __future__ import annotations

import contextlib
import io
import logging
import pickle
from pathlib import Path
from typing import Any, Iterator

from ..cache import CachedTranslation, TranslationCache
from ..engine import Hypothesis
from ..errors import TranslateError, UsageError
from ..signature import signature_key
from . import parts, rows
from .workers import WorkerSpec

log = logging.getLogger("translate")

def _ray():
    try:
        import ray
        import ray.data  # noqa: F401
    except ImportError:
        raise UsageError("the cluster needs Ray Data: pip install 'translate-ar-en[cluster]'",
                         reason="ray-missing") from None
    return ray


@contextlib.contextmanager
def connected(address: str | None, *, verbose: bool = False):
    """Ray, joined or started for the length of a job.

    Args:
        address: ``auto`` (the cluster this machine belongs to), ``HOST:PORT`` of
            a head node, or None: a Ray already started in this process, else a
            local Ray on this machine's cores.
        verbose: let the workers' log lines through to this process.

    Raises:
        UsageError: Ray Data is not installed, or the cluster cannot be reached.
    """
    ray = _ray()
    started = False
    if not ray.is_initialized():
        options: dict[str, Any] = dict(log_to_driver=verbose, include_dashboard=False,
                                       logging_level=logging.INFO if verbose else logging.WARNING)
        try:
            ray.init(address=address, **options)
        except (ConnectionError, RuntimeError, ValueError) as error:
            raise UsageError(f"cannot join the Ray cluster at {address}: {error}", reason="ray-unreachable",
                             address=address) from None
        started = True
    elif address not in (None, "auto"):
        log.info("Ray is already running in this process; using it rather than %s", address)
    if not verbose:
        logging.getLogger("ray.data").setLevel(logging.WARNING)
    try:
        yield ray
    finally:
        if started:
            ray.shutdown()


def default_actors(threads: int, gpus: float = 0) -> int:
    """One actor per ``threads`` CPUs of the cluster (per GPU when on GPUs)."""
    resources = _ray().cluster_resources()
    if gpus:
        return max(1, int(resources.get("GPU", 1)))
    return max(1, int(resources.get("CPU", 1)) // threads)


# -- the stages -----------------------------------------------------------------------


def _read(kind: str, files: list[Path], id_column: str, text_column: str, block_rows: int):
    """The dataset as Ray blocks of (where, pickled row), cut exactly as the local
    run cuts it (:func:`parts.blocks_of`): ``block_rows`` rows, never across files."""
    ray = _ray()
    from ray.data.datasource import FileBasedDatasource

    class Rows(FileBasedDatasource):
        def _read_stream(self, stream, path: str):
            import pyarrow as pa

            # Parquet needs to seek: its files are read whole (they are cut into row groups anyway).
            source = io.BytesIO(stream.read()) if kind == parts.PARQUET else _Lines(stream)
            for block in parts.blocks_of(kind, source, Path(path).name, id_column, text_column, block_rows):
                yield pa.table({"where": [where for where, _ in block],
                                "row": pa.array([pickle.dumps(row) for _, row in block], pa.binary())})

    # One read task per file and no splitting of its blocks: the blocks stay as cut.
    return ray.data.read_datasource(Rows([str(f) for f in files]), num_cpus=0, override_num_blocks=len(files))


class _Lines:
    """The lines of a pyarrow input stream, each with its ``\\n``, as a binary file gives them."""

    def __init__(self, stream):
        self.stream = stream

    def __iter__(self) -> Iterator[bytes]:
        rest = b""
        while chunk := self.stream.read(1 << 20):
            pieces = (rest + chunk).split(b"\n")
            rest = pieces.pop()
            yield from (piece + b"\n" for piece in pieces)
        if rest:
            yield rest


_DONE: dict[str, frozenset] = {}


def _prepare(batch, *, kind: str, id_column: str, text_column: str, max_bytes: int, done) -> dict:
    """Ray map: raw rows → pickled :class:`rows.Item` s (bad rows included)."""
    ray = _ray()
    key = done.hex()
    if key not in _DONE:  # once per worker process, not once per block
        _DONE[key] = ray.get(done)
    items = []
    for raw in batch.to_pylist():
        item = rows.prepare(pickle.loads(raw["row"]), where=raw["where"], id_column=id_column,
                            text_column=text_column, max_bytes=max_bytes, done=_DONE[key])
        if item is not None:
            items.append(pickle.dumps(item))
    return {"item": items}


def _lookup(batch, *, folder: str, signature: str) -> dict:
    """Ray map on the driver's machine: fill in the sentences the cache holds."""
    items = [pickle.loads(b) for b in batch["item"].to_pylist()]
    sources = list(dict.fromkeys(s for item in items if item.document for s in rows.wanted(item.document)))
    found = TranslationCache(folder).get_many(signature_key(signature), sources) if sources else {}
    hits = {s: Hypothesis(c.translation, c.score, c.flags, c.alignment) for s, c in found.items()}
    if hits:
        items = [item if item.document is None else
                 rows.Item(item.id, rows.fill(item.document, hits, signature)) for item in items]
    return {"item": [pickle.dumps(item) for item in items]}


class Translate:
    """Ray actor: translates the sentences of its rows that are still missing.

    Built once per actor (the translator, and so the model, once); rows are
    translated together, each unique sentence once, as the local pipeline does.
    """

    def __init__(self, spec: WorkerSpec):
        self.translator = spec.build()

    def __call__(self, batch) -> dict:
        items = [pickle.loads(b) for b in batch["item"].to_pylist()]
        documents = [item.document for item in items if item.document is not None]
        if any(not document.done for document in documents):
            translated = iter(self.translator.translate_documents(documents))
            items = [item if item.document is None else rows.Item(item.id, next(translated)) for item in items]
        return {"item": [pickle.dumps(item) for item in items]}


# -- the job ------------------------------------------------------------------------


def run_rows(kind: str, files: list[Path], *, spec: WorkerSpec, cache: TranslationCache | None,
             id_column: str, text_column: str, max_bytes: int, done: set, actors: int, gpus: float = 0,
             block_rows: int) -> Iterator[list[rows.Item]]:
    """Run the dataset through Ray Data; yields the items of each block, in input
    order, translated (or with their errors).

    Raises:
        TranslateError: from a worker (the model cannot be found or loaded, a
            worker's signature differs), re-raised here.
    """
    ray = _ray()
    context = ray.data.DataContext.get_current()
    saved = context.execution_options.preserve_order, context.enable_progress_bars
    context.execution_options.preserve_order = True  # rows come back, and are written, in input order
    context.enable_progress_bars = False  # the caller shows rows and sentences
    try:
        dataset = _read(kind, files, id_column, text_column, block_rows)
        dataset = dataset.map_batches(
            _prepare, batch_format="pyarrow", batch_size=None, num_cpus=0,
            compute=ray.data.TaskPoolStrategy(size=max(1, actors)),
            fn_kwargs=dict(kind=kind, id_column=id_column, text_column=text_column, max_bytes=max_bytes,
                           done=ray.put(frozenset(done))))
        if cache is not None:
            here = ray.util.get_node_ip_address()
            dataset = dataset.map_batches(
                _lookup, batch_format="pyarrow", batch_size=None, num_cpus=0, compute=ray.data.TaskPoolStrategy(size=1),
                resources={f"node:{here}": 0.001}, fn_kwargs=dict(folder=str(cache.folder), signature=spec.signature))
        dataset = dataset.map_batches(
            Translate, batch_format="pyarrow", batch_size=None, compute=ray.data.ActorPoolStrategy(size=actors),
            num_cpus=0 if gpus else spec.threads, num_gpus=gpus or None, fn_constructor_kwargs=dict(spec=spec))
        batches = iter(dataset.iter_batches(batch_size=None, batch_format="pyarrow", prefetch_batches=1))
        try:
            with _worker_errors():
                for batch in batches:
                    yield [pickle.loads(b) for b in batch.column("item").to_pylist()]
        finally:  # an interrupted job stops Ray's execution now, not at exit
            getattr(batches, "close", lambda: None)()
    finally:
        context.execution_options.preserve_order, context.enable_progress_bars = saved


@contextlib.contextmanager
def _worker_errors():
    """A library error raised on a worker comes out here as itself, not wrapped
    in Ray's exceptions; anything else as one line naming its first cause."""
    try:
        yield
    except TranslateError:
        raise
    except Exception as error:
        causes = list(_causes(error))
        for cause in causes:
            if isinstance(cause, TranslateError):
                raise type(cause)(_first_line(cause), reason=cause.reason, **cause.details) from None
        # Ray wraps the worker's error (and ends the chain with its own markers):
        # name the first error that is not Ray's.
        root = next((c for c in causes if not type(c).__module__.startswith("ray.")), error)
        raise TranslateError(f"the cluster job failed: {type(root).__name__}: {_first_line(root)}",
                             reason="cluster-failed") from error


def _causes(error: BaseException) -> Iterator[BaseException]:
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        yield error
        error = error.__cause__ or error.__context__


def _first_line(error: BaseException) -> str:
    lines = [line for line in str(error).strip().splitlines() if line.strip()]
    return lines[0] if lines else type(error).__name__


class RayTranslator:
    """A translator whose model work runs on Ray, for :func:`translate.batch.translate_files`.

    It has the two things ``translate_files`` uses: :attr:`signature` and
    :meth:`stream_documents`. The driver's translator looks the documents up in
    its cache (as a local run does, once, at the start); the documents still
    missing sentences go to the actor pool; their new translations come back
    into the cache. So a folder gives the same output files as a local run.

    Args:
        translator: the driver's translator (its cache, model and settings).
        cluster: where and how to run (:class:`translate.cluster.RayCluster`).
    """

    def __init__(self, translator, cluster):
        self.local, self.cluster = translator, cluster
        self.cache, self.settings, self.quality = translator.cache, translator.settings, translator.quality
        self.translated = 0  # sentences sent to the actors

    @property
    def signature(self):
        return self.local.signature

    def stream_documents(self, documents, *, reading_order: bool = False):
        """Yield all documents after the cache lookup, then as blocks come back."""
        steps = self.local.stream_documents(documents)
        found = next(steps)  # the cache lookup alone: the model is loaded only by a further step
        steps.close()
        yield found
        current = list(found)  # a copy: the caller compares each step with the one before
        waiting = [number for number, document in enumerate(current) if not document.done]
        if not waiting:
            return
        with connected(self.cluster.address, verbose=self.cluster.verbose) as ray:
            spec = WorkerSpec.of(self.local, model=self.cluster.worker_model,
                                 cache_dir=self.cluster.worker_cache_dir, threads=self.cluster.threads)
            gpus = 1 if spec.device == "cuda" else 0
            actors = self.cluster.actors or default_actors(self.cluster.threads, gpus)
            context = ray.data.DataContext.get_current()
            saved = context.enable_progress_bars
            context.enable_progress_bars = False
            try:
                items = [{"item": pickle.dumps(rows.Item(n, current[n]))} for n in waiting]
                dataset = ray.data.from_items(items, override_num_blocks=min(len(items), max(4 * actors, 1)))
                dataset = dataset.map_batches(
                    Translate, batch_format="pyarrow", batch_size=None, compute=ray.data.ActorPoolStrategy(size=actors),
                    num_cpus=0 if gpus else spec.threads, num_gpus=gpus or None, fn_constructor_kwargs=dict(spec=spec))
                key = self.local.signature.key
                with _worker_errors():
                    for batch in dataset.iter_batches(batch_size=None, batch_format="pyarrow", prefetch_batches=1):
                        fresh = {}
                        for blob in batch.column("item").to_pylist():
                            item = pickle.loads(blob)
                            current[item.id] = item.document
                            fresh.update(rows.fresh(item.document))
                        self.translated += len(fresh)
                        if self.cache is not None and fresh:
                            self.cache.put_many(key, spec.signature, [
                                CachedTranslation(s, h.text, h.score, h.flags, h.alignment) for s, h in fresh.items()])
                        yield list(current)
            finally:
                context.enable_progress_bars = saved
