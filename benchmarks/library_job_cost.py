"""What recording in the library costs a dataset job: ``translate ARCHIVE.jsonl --out DIR``
timed with the library and with ``--no-library``, the rows all in the cache.

All cached is the case where the library weighs most: no model time to hide its
writes. The archive is made of the seed article's lines, as benchmarks/library_scale.py
makes its articles (20 lines in an order of their own, and one numbered line); a first
run (``--no-library``) fills the cache, then the two runs alternate, each into a fresh
output folder with a copy of that cache and no library yet (so every row is a new
document, as in a first job), ``--repeat`` times; the best of each is compared.
The job stages its documents and starts ``translate library index`` in the
background as it ends: after each run with the library the script waits for that
process to index them all (so no run overlaps another's indexing) and reports how
long after the job the library held them all.
``--uncached``: each run starts from an empty cache instead (the tiny model translates
every sentence: a job's usual case, with a model far faster than a real one). Every
run is a whole process (``python -m translate``), as a user starts it.

Usage::

    python benchmarks/library_job_cost.py                      # 2,000 rows, best of 3
    python benchmarks/library_job_cost.py --rows 500 --repeat 1 --uncached
    python benchmarks/library_job_cost.py --format parquet      # Parquet parts (the library's copy: JSON)
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import harness

from translate.store.library import Library


def archive(path: Path, rows: int) -> int:
    """``rows`` articles of the seed's lines, as JSON lines; returns their characters."""
    lines = [line for line in harness.SEED_ARTICLE.read_text(encoding="utf-8").splitlines() if line.strip()]
    size = 0
    with path.open("w", encoding="utf-8") as out:
        for number in range(rows):
            chosen = random.Random(number).sample(lines, min(20, len(lines)))
            text = "\n".join([*chosen, f"هذا هو الخبر رقم {number}."])
            size += len(text)
            out.write(json.dumps({"id": number, "text": text}, ensure_ascii=False) + "\n")
    return size


def run(model: Path, cache: Path, data: Path, out: Path, *options: str) -> float:
    command = [sys.executable, "-m", "translate", str(data), "--out", str(out), "--model", str(model),
               "--cache-dir", str(cache), "--engine", "ctranslate2", "--device", "cpu", "--beams", "1", *options]
    began = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=os.environ | {"HF_HUB_OFFLINE": "1"})
    seconds = time.perf_counter() - began
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr[-2000:]}")
    return seconds


def indexed_after(cache: Path, documents: int) -> float:
    """Seconds until the library in ``cache`` holds ``documents`` and nothing staged (polled)."""
    library, began = Library(cache), time.perf_counter()
    while library.pending() or len(library) < documents:
        if time.perf_counter() - began > 600:
            raise SystemExit(f"the library in {cache} was not indexed within 10 minutes")
        time.sleep(0.05)
    return time.perf_counter() - began


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--uncached", action="store_true", help="each run from an empty cache (the model works)")
    parser.add_argument("--format", default="jsonl", choices=("jsonl", "parquet"), help="the job's output parts")
    args = parser.parse_args()
    formatted = ("--format", args.format)
    print(harness.load_line(), "(start)")
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        model = harness.tiny_model(folder)
        data, cache = folder / "archive.jsonl", folder / "cache"
        chars = archive(data, args.rows)
        warm = 0.0 if args.uncached else run(model, cache, data, folder / "warm", "--no-library", *formatted)

        def fresh(name: str) -> Path:  # the filled cache without a library, or an empty cache
            copy = folder / f"cache-{name}"
            if not args.uncached:
                shutil.copytree(cache, copy, ignore=shutil.ignore_patterns("library.sqlite3*"))
            return copy

        times: dict[str, list[float]] = {"with the library": [], "--no-library": []}
        later: list[float] = []
        for k in range(args.repeat):
            times["with the library"].append(run(model, fresh(f"with-{k}"), data, folder / f"with-{k}", *formatted))
            later.append(indexed_after(folder / f"cache-with-{k}", args.rows))
            times["--no-library"].append(run(model, fresh(f"without-{k}"), data, folder / f"without-{k}",
                                             "--no-library", *formatted))
        documents = len(Library(folder / "cache-with-0"))
        best = {name: min(values) for name, values in times.items()}
        ratio = best["with the library"] / best["--no-library"]
        how = "each run from an empty cache" if args.uncached else f"all cached (the first run {warm:.1f} s)"
        print(f"{args.rows:,} rows ({chars:,} characters) into {args.format} parts, {how}; "
              f"{documents:,} documents in the library")
        print(harness.markdown_table(["run", "best s", "all runs s"],
                                     [[name, f"{best[name]:.2f}", " ".join(f"{t:.2f}" for t in values)]
                                      for name, values in times.items()]))
        print(f"with the library / without: {ratio:.3f} ({(ratio - 1) * 100:+.1f} %)")
        print(f"all {documents:,} documents searchable, after each job with the library ended (s): "
              + " ".join(f"{t:.2f}" for t in later))
    print(harness.load_line(), "(end)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
