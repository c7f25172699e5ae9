"""Running a function in a worker process with a deadline and a memory ceiling.

A document can be made to cost its reader minutes and gigabytes; read in the
server's own process, it would hold a worker thread for that long, and the
server would keep the memory. So the page reads every upload through
:func:`call`: in one of a few worker processes (:func:`config.read_workers`),
each under a ceiling on its address space (``RLIMIT_AS``, set in the worker for
each call) and a deadline. A worker past its deadline is killed; one that ran
out of memory, or that grew, is replaced; the caller gets :class:`OverTime`,
:class:`OverMemory` or :class:`WorkerDied`, and the server's own memory never
holds more than the arguments and the result.

A worker is a fresh interpreter (never a fork of a server full of threads)
running only this module, on the same ``translate`` package as the caller; it
talks over two pipes of its own, so nothing a library prints can garble the
answers. Workers start when first needed and are reused: a call on a warm worker
costs the pickling of its arguments and result, not a process start.
"""
from __future__ import annotations

import functools
import logging
import os
import pickle
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

try:
    import resource
except ImportError:  # Windows: deadlines only
    resource = None

from . import config

#: A worker whose memory has grown past this after a call is replaced: what a bomb
#: took comes back to the system (Python keeps freed memory for itself).
RETIRE_ABOVE_BYTES = 256 * 1024 * 1024
#: Modules a worker imports before it says it is ready, so that no call pays for them.
PRELOAD = ("translate.readers", "translate.readers.html", "pypdf", "docx", "ebooklib.epub", "trafilatura")
_START_TIMEOUT_S = 120.0  # a worker's start on a loaded machine: imports, not the caller's document
_GRACE_S = 5.0  # a worker outlives a deadline its caller missed by this much at most
_OUT_OF_MEMORY = re.compile(r"memory allocation failed|out of memory|cannot allocate memory", re.IGNORECASE)


class Exhausted(Exception):
    """The call was stopped, or its worker died: the function was too costly to finish."""


class OverTime(Exhausted):
    """The call ran past its deadline; its worker was killed."""

    def __init__(self, seconds: float):
        super().__init__(f"more than {seconds:g} s")
        self.seconds = seconds


class OverMemory(Exhausted):
    """The call ran out of the memory it was given; its worker was replaced."""

    def __init__(self, memory_bytes: int):
        super().__init__(f"more than {memory_bytes // 2**20:,} MB of memory")
        self.memory_bytes = memory_bytes


class WorkerDied(Exhausted):
    """The worker died during the call (killed from outside, or a crash in a C library)."""

    def __init__(self, exitcode: int | None):
        super().__init__(f"its worker died (exit code {exitcode})")
        self.exitcode = exitcode


def call(function: Callable, *args: Any, seconds: float, memory_bytes: int | None, **kwargs: Any) -> Any:
    """``function(*args, **kwargs)`` in a worker process of the shared pool.

    Args:
        function: a module-level function (it travels by name), whose arguments
            and result can be pickled.
        seconds: the deadline, from when the worker has the call.
        memory_bytes: the worker's address-space ceiling during the call (None: none).

    Returns:
        What ``function`` returned.

    Raises:
        OverTime, OverMemory, WorkerDied: the call was too costly.
        Exception: whatever ``function`` raised, as it raised it.
    """
    if os.name != "posix":  # workers talk over inherited pipes (pass_fds): POSIX only
        _warn_unbounded()
        return function(*args, **kwargs)
    return shared_pool().call(function, *args, seconds=seconds, memory_bytes=memory_bytes, **kwargs)


@functools.cache
def _warn_unbounded() -> None:
    logging.getLogger("translate").warning("documents are read without a deadline or a memory ceiling here: "
                                           "bounded reading needs a POSIX system (Linux, macOS)")


_SHARED: WorkerPool | None = None
_SHARED_LOCK = threading.Lock()


def shared_pool() -> WorkerPool:
    """The process's pool of workers (``config.read_workers()`` of them, started when needed)."""
    global _SHARED
    with _SHARED_LOCK:
        if _SHARED is None:
            _SHARED = WorkerPool(config.read_workers())
        return _SHARED


class WorkerPool:
    """At most ``size`` worker processes, each doing one call at a time; a call waits
    for a free one (every call holding one ends by its deadline)."""

    def __init__(self, size: int):
        self.size = size
        self._slots = threading.BoundedSemaphore(size)
        self._idle: list[_Worker] = []
        self._lock = threading.Lock()

    def call(self, function: Callable, *args: Any, seconds: float, memory_bytes: int | None, **kwargs: Any) -> Any:
        with self._slots:
            worker = self._take()
            try:
                kind, value, grown = worker.run((function, args, kwargs, memory_bytes, seconds), seconds)
            except BaseException:
                worker.stop()
                raise
            if grown or kind == "memory":
                worker.stop()
            else:
                with self._lock:
                    self._idle.append(worker)
        if kind == "memory":
            raise OverMemory(memory_bytes or 0)
        if kind == "error":
            raise value
        return value

    def workers(self) -> list[int]:
        """The process ids of the idle workers (for tests and benchmarks)."""
        with self._lock:
            return [worker.pid for worker in self._idle]

    def close(self) -> None:
        """Stop the idle workers (a busy one finishes its call first)."""
        with self._lock:
            idle, self._idle = self._idle, []
        for worker in idle:
            worker.stop()

    def _take(self) -> _Worker:
        with self._lock:
            while self._idle:
                worker = self._idle.pop()
                if worker.alive():
                    return worker
                worker.stop()
        return _Worker()


#: A worker's program: the caller's ``translate`` first on the path, then :func:`_serve`.
_BOOT = "import sys; sys.path.insert(0, sys.argv[1]); from translate.sandbox import _serve; _serve(*sys.argv[2:])"


class _Worker:
    """One worker process and the two pipes to it."""

    def __init__(self):
        from_parent, to_child = os.pipe()  # (read end, write end)
        from_child, to_parent = os.pipe()
        package_root = str(Path(__file__).resolve().parent.parent)
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-c", _BOOT, package_root, str(from_parent), str(to_parent), *PRELOAD],
                pass_fds=(from_parent, to_parent), stdin=subprocess.DEVNULL)
        finally:
            os.close(from_parent)
            os.close(to_parent)
        self.requests = Connection(to_child, readable=False)
        self.answers = Connection(from_child, writable=False)
        try:
            ready = self.answers.poll(_START_TIMEOUT_S) and self.answers.recv() == "ready"  # its modules imported
        except (EOFError, OSError):
            ready = False
        if not ready:  # not the document's fault: the server's (its log has the worker's traceback)
            self.stop()
            raise RuntimeError(f"a reading worker did not start (exit code {self.process.returncode})")

    @property
    def pid(self) -> int:
        return self.process.pid

    def alive(self) -> bool:
        return self.process.poll() is None

    def run(self, request: tuple, seconds: float) -> tuple[str, Any, bool]:
        """Send one call and wait for its outcome: (kind, value, grown)."""
        try:
            self.requests.send(request)
            if not self.answers.poll(seconds):
                raise OverTime(seconds)
            return self.answers.recv()
        except (EOFError, OSError):
            self.stop()
            raise WorkerDied(self.process.returncode) from None

    def stop(self) -> None:
        """Kill the process (SIGKILL: a call in progress never finishes) and reap it."""
        if self.alive():
            self.process.kill()
        self.process.wait()
        self.requests.close()
        self.answers.close()


def _serve(from_parent: str, to_parent: str, *preload: str) -> None:
    """A worker's life: import, say it is ready, then do calls until its pipe closes."""
    import importlib

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the server; it closes the pipe
    requests, answers = Connection(int(from_parent), writable=False), Connection(int(to_parent), readable=False)
    for module in preload:
        try:
            importlib.import_module(module)
        except ImportError:  # an optional library: the call that needs it says so
            pass
    answers.send("ready")
    while True:
        try:
            function, args, kwargs, memory_bytes, seconds = requests.recv()
        except (EOFError, OSError):
            return
        _limit_memory(memory_bytes)
        # The caller kills this process at the deadline; should the caller be gone, the
        # alarm's default action ends it a little later all the same.
        signal.setitimer(signal.ITIMER_REAL, seconds + _GRACE_S)
        try:
            kind, value = "value", function(*args, **kwargs)
        except MemoryError:
            kind, value = "memory", None
        except Exception as error:  # the caller gets it as raised
            kind, value = ("memory", None) if _ran_out_of_memory(error) else ("error", error)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            _limit_memory(None)  # room to answer
        grown = kind == "memory" or _resident_bytes() > RETIRE_ABOVE_BYTES
        try:
            answers.send((kind, value, grown))
        except (pickle.PicklingError, TypeError, AttributeError):  # a value that does not pickle
            answers.send(("error", RuntimeError(f"{type(value).__name__}: {value}"[:500]), grown))
        if grown:
            return


def _limit_memory(memory_bytes: int | None) -> None:
    if resource is None:
        return
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if memory_bytes is None:
        soft = hard
    else:
        soft = memory_bytes if hard == resource.RLIM_INFINITY else min(memory_bytes, hard)
    try:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
    except (ValueError, OSError):  # a system that will not limit the address space (macOS): the deadline holds
        pass


def _ran_out_of_memory(error: BaseException) -> bool:
    """True when ``error`` comes from a failed allocation, even once a library has
    wrapped it (lxml's "Memory allocation failed", a reader's "damaged" message)."""
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, MemoryError) or _OUT_OF_MEMORY.search(str(error)):
            return True
        error = error.__cause__ or error.__context__
    return False


def _resident_bytes() -> int:
    """This process's resident memory now (its peak where /proc is missing)."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        if resource is None:
            return 0
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024

