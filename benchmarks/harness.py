"""What the benchmarks share: the repository's paths, the models they run, a free
port, whole-process runs, best-of timing, the load-average line and a Markdown
table.

Every script imports it as ``import harness`` (``python benchmarks/X.py`` puts
``benchmarks/`` first on the path) and imports ``translate`` from the installed
package (``pip install -e .``): nothing here or in the scripts edits ``sys.path``
(but ``peak_memory.py``, which sets the path of the program it runs as ``python``
would). Importing it is cheap: the heavy libraries load only in the functions
that need them, or in the child processes they start.
"""
from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from translate.testing import build_random_marian, free_port, seed_corpus

__all__ = ["ROOT", "BENCH", "SEEDS", "SEED_ARTICLE", "MODELS", "TWIN", "free_port", "tiny_model", "twin",
           "run_process", "whole_process", "Run", "timed_runs", "best_of", "load_line", "markdown_table",
           "tests_module"]

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "benchmarks"
SEEDS = ROOT / "seeds"
SEED_ARTICLE = SEEDS / "aleppo-offensive.ar.txt"
#: Built models live here, git-ignored: the twin is about 300 MB.
MODELS = BENCH / ".models"
TWIN = MODELS / "opus-mt-ar-en-twin"


# -- models ------------------------------------------------------------------------


def tiny_model(folder: str | os.PathLike) -> Path:
    """The tests' tiny random Marian model (vocabulary trained on ``seeds/``), built
    into ``folder/tiny``: seconds to build, for figures that do not depend on speed."""
    return build_random_marian(Path(folder) / "tiny", seed_corpus(SEEDS))


def twin() -> tuple[Path, str]:
    """The full-size twin of opus-mt-ar-en (its architecture and vocabulary size,
    random weights), built once into ``benchmarks/.models/`` and reused.

    It is built in a child process, so that the builder's memory (about 900 MB)
    never counts in the figures of the process that asked, and atomically (a
    partial folder renamed when complete), so that an interrupted build is never
    taken for a model.

    Returns:
        The model folder, and how it came: ``"reused"`` or ``"built in N s (...)"``.

    Raises:
        SystemExit: the build failed (with what it printed).
    """
    if (TWIN / "config.json").is_file() and (TWIN / "model.safetensors").is_file():
        return TWIN, "reused"
    MODELS.mkdir(parents=True, exist_ok=True)
    partial = Path(tempfile.mkdtemp(prefix=".partial-twin-", dir=MODELS))
    try:
        result = whole_process(
            ["-c", "import sys; from translate.testing import build_random_marian, seed_corpus; "
                   "build_random_marian(sys.argv[1], seed_corpus(sys.argv[2]), full_size=True)",
             str(partial), str(SEEDS)], "building the full-size twin")
        os.rename(partial, TWIN)
    finally:
        shutil.rmtree(partial, ignore_errors=True)
    return TWIN, f"built in {result['wall']:.0f} s (peak {result['peak_mb']:.0f} MB, its own process)"


# -- whole processes ---------------------------------------------------------------


def run_process(program: list[str]) -> dict:
    """Run ``python PROGRAM`` from the repository root under ``peak_memory.py``, as
    ``python`` would run it there (``-m translate ...``, ``app.py ...``, ``-c CODE``).

    Returns:
        ``wall`` seconds, the process's own peak memory (``peak_mb``, None where it
        could not be read), the heavy libraries it ``imported``, its exit ``code``,
        ``stdout``, ``stderr``, and the 1-minute ``load`` when it ended.
    """
    with tempfile.TemporaryDirectory(prefix="bench-process-") as folder:
        report = Path(folder) / "report.json"
        with open(Path(folder) / "out", "w+b") as out, open(Path(folder) / "err", "w+b") as err:
            started = time.perf_counter()
            code = subprocess.call([sys.executable, str(BENCH / "peak_memory.py"), str(report), *program],
                                   stdout=out, stderr=err, cwd=ROOT)
            wall = time.perf_counter() - started
            out.seek(0)
            err.seek(0)
            stdout, stderr = (f.read().decode("utf-8", "replace") for f in (out, err))
        found = json.loads(report.read_text()) if report.is_file() else {"peak_mb": None, "imported": []}
    return {"wall": wall, "code": code, "stdout": stdout, "stderr": stderr, "load": os.getloadavg()[0], **found}


def whole_process(program: list[str], what: str) -> dict:
    """:func:`run_process`, with a progress line on stderr naming ``what``.

    Raises:
        SystemExit: the program exited with a status other than 0 (with its stderr).
    """
    result = run_process(program)
    if result["code"] != 0:
        raise SystemExit(f"{what} failed ({result['code']}):\n{result['stderr'][-3000:]}")
    peak = "?" if result["peak_mb"] is None else f"{result['peak_mb']:.0f}"
    print(f"  .. {what}: {result['wall']:.2f} s, {peak} MB", file=sys.stderr, flush=True)
    return result


# -- timing ------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    """One timed run: wall-clock seconds, and the CPU seconds of this process."""

    wall: float
    cpu: float


def timed_runs(action: Callable[[], object], repeat: int, warm_up: Callable[[], object] | None = None) -> list[Run]:
    """Time ``repeat`` calls of ``action``, after one untimed call of ``warm_up``
    when given (first-call allocations, thread pools, caches)."""
    if warm_up is not None:
        warm_up()
    runs = []
    for _ in range(repeat):
        started, cpu = time.perf_counter(), time.process_time()
        action()
        runs.append(Run(time.perf_counter() - started, time.process_time() - cpu))
    return runs


def best_of(action: Callable[[], object], repeat: int, warm_up: Callable[[], object] | None = None) -> float:
    """The shortest wall time of ``repeat`` runs of ``action``: on a shared machine
    the run that other work disturbed least is the closest to the cost itself."""
    return min(run.wall for run in timed_runs(action, repeat, warm_up))


def load_line() -> str:
    """``load average 1.23 0.98 0.75``: the 1-, 5- and 15-minute load, printed
    beside figures taken on a shared machine."""
    return "load average {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


# -- tables ------------------------------------------------------------------------


def markdown_table(header: list[str], rows: list[list[str]]) -> str:
    """``header`` and ``rows`` (cells as text) as a Markdown table, every column as
    wide as its widest cell, so that it reads in a terminal and pastes into a README."""
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def line(row: list[str]) -> str:
        return "| " + " | ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)) + " |"

    rule = "|" + "|".join("-" * (width + 2) for width in widths) + "|"
    return "\n".join([line(header), rule, *map(line, rows)])


# -- test helpers ------------------------------------------------------------------


def tests_module(name: str) -> ModuleType:
    """A helper module of ``tests/`` (``sample_documents``), imported from its file.

    Test helpers are not part of the installed package (they read ``tests/data/``)
    and ``tests/`` is not on the path; importing the one file by its path leaves
    ``sys.path`` as Python set it. The module is registered under ``name``.
    """
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, ROOT / "tests" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module
