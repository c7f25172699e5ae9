"""The job on Ray Data: read → segment → look up the cache → translate → back to the driver.

* **read**: the driver cuts the dataset into blocks (:func:`parts.block_refs`:
  byte offsets of JSONL lines, row numbers of Parquet files); each block is one
  Ray block, read by whichever worker takes it (the files must be on storage
  every node sees);
* **segment**: a plain map (:func:`translate.cluster.rows.prepare`), on any node;
* **look up**: a map pinned to the driver's machine, in a snapshot of the
  driver's SQLite cache taken when the job started: sentences found there are
  filled in and never reach a translator (the file is opened only on its own
  disk, never over a network share);
* **translate**: an actor pool (``map_batches`` with a callable class); each
  actor builds the driver's translator without a cache, once
  (:class:`~translate.cluster.workers.WorkerSpec`), and loads the model on the
  first sentence it is given;
* the driver takes the blocks back in input order, puts their new translations
  into its cache in bulk and writes the outputs.

An actor that dies (a node lost, a process killed) is restarted by Ray and its
unfinished blocks run again; the driver writes each row once, when it arrives.
Nothing here is imported unless Ray is used.
"""
from __future__ import annotations

import contextlib
import logging
import os
import pickle
import sys
import tempfile
import warnings
from dataclasses import dataclass
from typing import Any, Iterator

from .. import config
from ..errors import TranslateError, UsageError, causes, first_line
from ..store.cache import CachedTranslation, TranslationCache
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


@dataclass(frozen=True)
class Pool:
    """The Ray a job runs on, and the translating actors it gets there."""

    ray: Any
    actors: int
    gpus: float


@contextlib.contextmanager
def connected(cluster, spec: WorkerSpec):
    """Ray, joined or started for the length of a job, with its pool of actors
    decided; says in one line of ours what started (Ray's own logs, warnings and
    notices stay out of the user's terminal unless ``cluster.verbose``).

    Args:
        cluster: the :class:`~translate.cluster.job.RayCluster` (``address``: ``auto``,
            ``HOST:PORT`` of a head node, or None: a Ray already started in this
            process, else a local Ray on this machine's cores).
        spec: what the actors build (its device decides CPU or GPU actors).

    Raises:
        UsageError: Ray Data is not installed, or the cluster cannot be reached.
    """
    ray = _ray()
    address, verbose = cluster.address, cluster.verbose
    started = False
    with _quiet(verbose):
        if not ray.is_initialized():
            options: dict[str, Any] = dict(log_to_driver=verbose, include_dashboard=False,
                                           logging_level=logging.INFO if verbose else logging.ERROR)
            try:
                with _stderr_kept_unless(verbose):  # what Ray's C++ side says while it starts
                    ray.init(address=address, **options)
            except (ConnectionError, RuntimeError, ValueError) as error:
                raise UsageError(f"cannot join the Ray cluster at {address}: {error}", reason="ray-unreachable",
                                 address=address) from None
            started = True
        elif address not in (None, "auto"):
            log.info("Ray is already running in this process; using it rather than %s", address)
        if not verbose:
            for name in ("ray", "ray.data"):
                logging.getLogger(name).setLevel(logging.ERROR)
        try:
            gpus = 1 if spec.device == "cuda" else 0
            actors = cluster.actors or default_actors(cluster.threads, gpus)
            where = ("started a local Ray" if started and address is None else
                     f"joined the Ray cluster at {address}" if started else "using the Ray of this process")
            each = "one GPU each" if gpus else f"{_plural(cluster.threads, 'CPU thread')} each"
            log.log(config.NOTICE, "%s: %s (%s)", where, _plural(actors, "translating actor"), each)
            yield Pool(ray, actors, gpus)
        finally:
            if started:
                ray.shutdown()


@contextlib.contextmanager
def _quiet(verbose: bool):
    """Ray's own voice off for a job: its C++ log lines (``RAY_BACKEND_LOG_LEVEL``,
    read when Ray starts; the user's own setting is kept) and its Python warnings."""
    if verbose:
        yield
        return
    saved = os.environ.get("RAY_BACKEND_LOG_LEVEL")
    os.environ.setdefault("RAY_BACKEND_LOG_LEVEL", "fatal")
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", module=r"ray(\.|$)")
            yield
    finally:
        if saved is None:
            os.environ.pop("RAY_BACKEND_LOG_LEVEL", None)


@contextlib.contextmanager
def _stderr_kept_unless(verbose: bool):
    """Standard error, at the file-descriptor level, into a temporary file for the
    length of the block (unless ``verbose``): Ray's C++ logger writes there
    directly, and says at start which log level it read. The file is kept, and
    named, only when the block fails."""
    if verbose:
        yield
        return
    sys.stderr.flush()
    saved = os.dup(2)
    sink = tempfile.NamedTemporaryFile(prefix="translate-ray-", suffix=".log", delete=False)
    os.dup2(sink.fileno(), 2)
    failed = False
    try:
        yield
    except BaseException:
        failed = True
        raise
    finally:
        sys.stderr.flush()
        os.dup2(saved, 2)
        os.close(saved)
        sink.close()
        if failed and os.path.getsize(sink.name):
            log.warning("what Ray said while starting is in %s", sink.name)
        else:
            os.unlink(sink.name)


def default_actors(threads: int, gpus: float = 0) -> int:
    """One actor per ``threads`` CPUs of the cluster (per GPU when on GPUs)."""
    resources = _ray().cluster_resources()
    if gpus:
        return max(1, int(resources.get("GPU", 1)))
    return max(1, int(resources.get("CPU", 1)) // threads)


def _plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


# -- the stages -----------------------------------------------------------------------


_DONE: dict[str, frozenset] = {}


def _blocks(batch) -> list:
    return [pickle.loads(blob) for blob in batch.column("block").to_pylist()]


def _rows(blocks: list) -> dict:
    return {"block": [pickle.dumps(block) for block in blocks]}


def _prepare(batch, *, id_column: str, text_column: str, max_bytes: int, done) -> dict:
    """Ray map: where a block lies → its rows, checked and segmented (:class:`rows.Item` s)."""
    key = done.hex()
    if key not in _DONE:  # once per worker process and job, not once per block
        _DONE.clear()
        _DONE[key] = _ray().get(done)
    return _rows([rows.prepare_block(parts.read_block(ref, id_column, text_column), id_column=id_column,
                                     text_column=text_column, max_bytes=max_bytes, done=_DONE[key])
                  for ref in _blocks(batch)])


def _lookup(batch, *, folder: str, signature: str) -> dict:
    """Ray map on the driver's machine: fill in what the cache snapshot holds."""
    cache = TranslationCache(folder)
    return _rows([rows.look_up(items, cache, signature) for items in _blocks(batch)])


class Translate:
    """Ray actor: translates the sentences still missing, block by block.

    Built once per actor (the translator, and so the model, once); each block is
    translated as the local run translates it (:func:`rows.translate_block`).
    """

    def __init__(self, spec: WorkerSpec):
        self.translator = spec.build()

    def __call__(self, batch) -> dict:
        return _rows([rows.translate_block(self.translator, items) for items in _blocks(batch)])


# -- the job ------------------------------------------------------------------------


def run_rows(refs: list[parts.BlockRef], *, spec: WorkerSpec, snapshot: TranslationCache | None,
             id_column: str, text_column: str, max_bytes: int, done: set, actors: int,
             gpus: float = 0) -> Iterator[list[rows.Item]]:
    """Run the dataset through Ray Data; yields the items of each block, in input
    order, translated (or with their errors). ``snapshot``: the driver's cache as
    it was when the job started (on the driver's machine), or None.

    Raises:
        TranslateError: from a worker (the model cannot be found or loaded, a
            worker's signature differs), re-raised here.
    """
    if not refs:
        return
    ray = _ray()
    context = ray.data.DataContext.get_current()
    saved = context.execution_options.preserve_order, context.enable_progress_bars
    context.execution_options.preserve_order = True  # rows come back, and are written, in input order
    context.enable_progress_bars = False  # the caller shows rows and sentences
    try:
        # One Ray block per block of rows: each is a task of its own (any worker's),
        # and each worker reads its rows from the files (on storage every node sees).
        dataset = ray.data.from_items([{"block": pickle.dumps(ref)} for ref in refs],
                                      override_num_blocks=max(1, len(refs)))
        dataset = dataset.map_batches(
            _prepare, batch_format="pyarrow", batch_size=None, num_cpus=0,
            compute=ray.data.TaskPoolStrategy(size=max(1, actors)),
            fn_kwargs=dict(id_column=id_column, text_column=text_column, max_bytes=max_bytes,
                           done=ray.put(frozenset(done))))
        if snapshot is not None:
            here = ray.util.get_node_ip_address()
            dataset = dataset.map_batches(
                _lookup, batch_format="pyarrow", batch_size=None, num_cpus=0, compute=ray.data.TaskPoolStrategy(size=1),
                resources={f"node:{here}": 0.001},
                fn_kwargs=dict(folder=str(snapshot.folder), signature=spec.signature))
        dataset = dataset.map_batches(
            Translate, batch_format="pyarrow", batch_size=None, compute=ray.data.ActorPoolStrategy(size=actors),
            num_cpus=0 if gpus else spec.threads, num_gpus=gpus or None, fn_constructor_kwargs=dict(spec=spec))
        batches = iter(dataset.iter_batches(batch_size=None, batch_format="pyarrow", prefetch_batches=1))
        try:
            with _worker_errors():
                for batch in batches:
                    yield from _blocks(batch)
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
        chain = list(causes(error))
        for cause in chain:
            if isinstance(cause, TranslateError):
                raise type(cause)(first_line(cause), reason=cause.reason, **cause.details) from None
        # Ray wraps the worker's error (and ends the chain with its own markers):
        # name the first error that is not Ray's.
        root = next((c for c in chain if not type(c).__module__.startswith("ray.")), error)
        raise TranslateError(f"the cluster job failed: {type(root).__name__}: {first_line(root)}",
                             reason="cluster-failed") from error


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
        spec = WorkerSpec.of(self.local, model=self.cluster.worker_model,
                             cache_dir=self.cluster.worker_cache_dir, threads=self.cluster.threads)
        with connected(self.cluster, spec) as pool:
            ray, actors, gpus = pool.ray, pool.actors, pool.gpus
            context = ray.data.DataContext.get_current()
            saved = context.enable_progress_bars
            context.enable_progress_bars = False
            try:
                items = [{"block": pickle.dumps([rows.Item(n, current[n])])} for n in waiting]
                dataset = ray.data.from_items(items, override_num_blocks=len(items))
                dataset = dataset.map_batches(
                    Translate, batch_format="pyarrow", batch_size=None, compute=ray.data.ActorPoolStrategy(size=actors),
                    num_cpus=0 if gpus else spec.threads, num_gpus=gpus or None, fn_constructor_kwargs=dict(spec=spec))
                key = self.local.signature.key
                with _worker_errors():
                    for batch in dataset.iter_batches(batch_size=None, batch_format="pyarrow", prefetch_batches=1):
                        fresh = {}
                        for item in (item for block in _blocks(batch) for item in block):
                            current[item.id] = item.document
                            fresh.update(rows.fresh(item.document))
                        self.translated += len(fresh)
                        if self.cache is not None and fresh:
                            self.cache.put_many(key, spec.signature, [
                                CachedTranslation(s, h.text, h.score, h.flags, h.alignment) for s, h in fresh.items()])
                        yield list(current)
            finally:
                context.enable_progress_bars = saved
