"""The model step on a Ray cluster: a pool of actors, each with the model loaded once.

:class:`RayExecutor` is an :class:`~translate.pipeline.executors.Executor`: the
pipeline stays on the driver (the machine where you type the command) with the
lookup chain, the cache and the memory; only the unique sentences the model must
translate travel, cut into work units (:meth:`ModelStep.units
<translate.pipeline.model_step.ModelStep.units>`), and their translations come back.
A unit is translated on an actor exactly as it would be here, so a job gives the
same bytes on a laptop and on a cluster.

* Ray starts (or is joined) on the first unit, never for a job that the cache
  wholly answers, and stops with the job (:meth:`RayExecutor.session`).
* The actors (``--actors``, each with ``--threads`` CPU threads, or one GPU each)
  build the driver's model step from a :class:`~translate.cluster.workers.WorkerSpec`
  and load the model on their first unit. Each unit goes to the actor with the
  fewest units waiting; results are taken back in order.
* An actor that dies (a node lost, a process killed) is restarted by Ray and its
  units are run again (``max_restarts``, ``max_task_retries``): nothing is lost,
  and the driver takes each unit's translations once.
* Ray speaks only when something is wrong: its logs, warnings and notices stay out
  of the terminal unless ``verbose``; one line of ours says what started.

Nothing here is imported unless Ray is used.
"""
from __future__ import annotations

import contextlib
import logging
import os
import sys
import tempfile
import threading
import warnings
from collections.abc import Iterator
from typing import Any

from .. import config
from ..errors import TranslateError, UsageError, causes, first_line
from ..pipeline.executors import Executor
from ..pipeline.model_step import ModelStep
from ..translation import Translation
from ..wording import plural
from .workers import WorkerSpec

log = logging.getLogger("translate")


def _ray():
    try:
        import ray
    except ImportError:
        raise UsageError("the cluster needs Ray: pip install 'translate-ar-en[cluster]'",
                         reason="ray-missing") from None
    return ray


class ModelWorker:
    """A Ray actor: the driver's model step, built on its first unit."""

    def __init__(self, spec: WorkerSpec):
        self.spec, self.step = spec, None

    def translate(self, unit: list[str]) -> dict[str, Translation]:
        if self.step is None:  # here, not in __init__: a failure is this call's error, not a dead actor
            self.step = self.spec.build()
        return self.step.translate_unit(unit)


class RayExecutor(Executor):
    """Runs the model step on Ray.

    Args:
        cluster: where and how (:class:`~translate.cluster.job.RayCluster`: the
            address, actors, threads, the model as the workers find it, verbose).
    """

    def __init__(self, cluster):
        self.cluster = cluster
        self.translated = 0  # sentences sent to the actors
        self._lock = threading.Lock()
        self._sessions = 0
        self._pool: _Pool | None = None
        self._stop: contextlib.ExitStack | None = None

    @property
    def parallel(self) -> int:  # type: ignore[override]
        """Two units waiting per actor keep every actor busy while results travel."""
        return 2 * (self._pool.size if self._pool is not None else self.cluster.actors or 1)

    @contextlib.contextmanager
    def session(self):
        """Ray, kept for the length of the block once it started; stopped after it
        when this executor started it."""
        with self._lock:
            self._sessions += 1
        try:
            yield self
        finally:
            with self._lock:
                self._sessions -= 1
                stop, self._stop = (self._stop, None) if self._sessions == 0 else (None, self._stop)
                if stop is not None:
                    self._pool = None
            if stop is not None:
                stop.close()

    def translate(self, step: ModelStep, sources: list[str], *, reading_order: bool = False
                  ) -> Iterator[dict[str, Translation]]:
        if not sources:
            return
        with self.session():
            pool = self._started(step)
            waiting = [pool.submit(unit) for unit in step.units(sources)]
            self.translated += len(sources)
            with _worker_errors():
                for ticket in waiting:
                    yield pool.result(ticket)

    def _started(self, step: ModelStep) -> _Pool:
        with self._lock:
            if self._pool is None:
                spec = WorkerSpec.of(step, model=self.cluster.worker_model, cache_dir=self.cluster.worker_cache_dir,
                                     threads=self.cluster.threads)
                stop = contextlib.ExitStack()
                try:
                    ray, where = stop.enter_context(connected(self.cluster))
                    self._pool = _Pool(ray, spec, self.cluster, where)
                except BaseException:
                    stop.close()
                    raise
                self._stop = stop
            return self._pool


class _Pool:
    """The translating actors, and how many units each has waiting."""

    def __init__(self, ray, spec: WorkerSpec, cluster, where: str):
        self.ray = ray
        gpus = 1 if spec.device == "cuda" else 0
        self.size = cluster.actors or default_actors(cluster.threads, gpus)
        resources = dict(num_cpus=0, num_gpus=1) if gpus else dict(num_cpus=spec.threads)
        actor = ray.remote(max_restarts=-1, max_task_retries=-1)(ModelWorker).options(**resources)
        self.actors = [actor.remote(spec) for _ in range(self.size)]
        self.waiting = [0] * self.size
        self._lock = threading.Lock()
        each = "one GPU each" if gpus else f"{plural(cluster.threads, 'CPU thread')} each"
        log.log(config.NOTICE, "%s: %s (%s)", where, plural(self.size, "translating actor"), each)

    def submit(self, unit: list[str]) -> tuple[int, Any]:
        with self._lock:
            number = min(range(self.size), key=self.waiting.__getitem__)
            self.waiting[number] += 1
        return number, self.actors[number].translate.remote(unit)

    def result(self, ticket: tuple[int, Any]) -> dict[str, Translation]:
        number, reference = ticket
        try:
            return self.ray.get(reference)
        finally:
            with self._lock:
                self.waiting[number] -= 1


@contextlib.contextmanager
def connected(cluster):
    """Ray, joined or started for the length of a job: yields (ray, what was done:
    "started a local Ray", "joined the Ray cluster at …").

    Args:
        cluster: ``cluster.address``: ``auto`` (the cluster this machine belongs to),
            ``HOST:PORT`` of a head node, or None: a Ray already started in this
            process, else a local Ray on this machine's cores; ``cluster.verbose``:
            let Ray's own logs through.

    Raises:
        UsageError: Ray is not installed, or the cluster cannot be reached.
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
        where = ("started a local Ray" if started and address is None else
                 f"joined the Ray cluster at {address}" if started else "using the Ray of this process")
        if not verbose:
            logging.getLogger("ray").setLevel(logging.ERROR)
        try:
            yield ray, where
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
        raise TranslateError(f"the cluster job failed: {first_line(root)}", reason="cluster-failed") from error
