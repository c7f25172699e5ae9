"""Run a Python program as ``python`` would, and record the process's own peak memory.

Usage (from the repository root)::

    python benchmarks/peak_memory.py REPORT.json -m translate FILE ...
    python benchmarks/peak_memory.py REPORT.json app.py --batch FILE ...
    python benchmarks/peak_memory.py REPORT.json -c "import torch"

When the program exits (normally, through ``sys.exit`` or an exception),
REPORT.json gets ``peak_mb``, the process's peak resident memory, and
``imported``, which of torch, transformers, ctranslate2 and gradio it imported.

The peak is ``VmHWM`` from ``/proc/self/status``, read in the process itself.
``wait4``'s ``ru_maxrss`` would not do: Linux carries the parent's memory at
``fork`` (and its high-water mark at ``exec``) into the child's figure, so every
child of a big process reports at least the parent's size.
"""
from __future__ import annotations

import atexit
import os
import sys

HEAVY = ("torch", "transformers", "ctranslate2", "gradio")


def own_peak_mb() -> float | None:
    """This process's peak resident memory in MB (``VmHWM``), or None off Linux.

    Returns:
        Megabytes (MiB), or None where ``/proc/self/status`` has no ``VmHWM``.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    return None


def imported_heavy() -> list[str]:
    """The heavy libraries this process has imported."""
    return [name for name in HEAVY if name in sys.modules]


def _report(path: str) -> None:
    import json  # here, not at start-up: the measured program may never import it

    with open(path, "w", encoding="utf-8") as out:
        json.dump({"peak_mb": own_peak_mb(), "imported": imported_heavy()}, out)


def main(argv: list[str]) -> None:
    """Run ``argv[1:]`` as ``python`` would run it, with ``argv[0]`` as the report path.

    Raises:
        SystemExit: a usage error, or the program's own exit.
    """
    if len(argv) < 2 or (argv[1] in ("-m", "-c") and len(argv) < 3):
        raise SystemExit("usage: peak_memory.py REPORT.json (-m MODULE | -c CODE | SCRIPT) [ARGS...]")
    report, program = argv[0], argv[1:]
    atexit.register(_report, report)
    import runpy

    if program[0] == "-m":
        sys.argv = [program[1], *program[2:]]  # runpy puts the module's path first
        sys.path[0] = os.getcwd()  # as `python -m` does
        runpy.run_module(program[1], run_name="__main__", alter_sys=True)
    elif program[0] == "-c":
        sys.argv = ["-c", *program[2:]]
        sys.path[0] = ""  # as `python -c` does
        exec(compile(program[1], "<string>", "exec"), {"__name__": "__main__"})
    else:
        sys.argv = list(program)
        sys.path[0] = os.path.dirname(os.path.abspath(program[0]))  # as `python SCRIPT` does
        runpy.run_path(program[0], run_name="__main__")


if __name__ == "__main__":
    main(sys.argv[1:])
