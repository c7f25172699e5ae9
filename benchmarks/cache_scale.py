"""The translation cache at size: what opening a file costs (the quick_check that
finds damage deep inside it reads every page), and how get/put scale.

For each size it fills a fresh cache in a temporary folder with sentence-like
rows, then times, in a fresh object each time (as a new process would):
the first call (quick_check, plus the migration check), a get of 1,000
sentences, a put of 1,000 new ones, and ``stats``. Best of ``--repeat``.

Usage (from the repository root)::

    python benchmarks/cache_scale.py                       # 10k, 100k, 300k entries
    python benchmarks/cache_scale.py --sizes 1000 1000000
"""
from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from translate.signature import signature_key  # noqa: E402
from translate.store.cache import CACHE_FILE, TranslationCache  # noqa: E402
from translate.translation import Translation  # noqa: E402

SIG = "model=bench@1|engine=none"
KEY = signature_key(SIG)


def rows(start: int, count: int) -> dict[str, Translation]:
    # About the length of a news sentence and its translation, with word links.
    return {f"قالت مصادر محلية إن القصف استهدف الحي رقم {i} في المدينة صباح اليوم":
            Translation(f"Local sources said the shelling targeted neighbourhood number {i} in the city this morning",
                        -0.42, (), tuple((j, j) for j in range(12)))
            for i in range(start, start + count)}


def best(action, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 300_000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"sqlite {sqlite3.sqlite_version}, load {os.getloadavg()[0]:.2f}")
    print(f"{'entries':>9} {'file MB':>8} {'open ms':>8} {'get 1k ms':>10} {'put 1k ms':>10} {'stats ms':>9}")
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as folder:
            for start in range(0, size, 50_000):
                TranslationCache(folder).keep(KEY, SIG, rows(start, min(50_000, size - start)))
            with sqlite3.connect(Path(folder) / CACHE_FILE) as connection:
                connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            mb = (Path(folder) / CACHE_FILE).stat().st_size / 1e6
            wanted = list(rows(size // 2, 1000))
            open_s = best(lambda: TranslationCache(folder).find(KEY, wanted[:1]), args.repeat)
            opened = TranslationCache(folder)
            opened.find(KEY, wanted[:1])
            get_s = best(lambda: opened.find(KEY, wanted), args.repeat)
            fresh = iter(range(args.repeat))
            put_s = best(lambda: opened.keep(KEY, SIG, rows(size + 1000 * next(fresh), 1000)), args.repeat)
            stats_s = best(lambda: TranslationCache(folder).stats(), args.repeat)
            print(f"{size:>9,} {mb:>8.1f} {open_s * 1e3:>8.0f} {get_s * 1e3:>10.1f} "
                  f"{put_s * 1e3:>10.1f} {stats_s * 1e3:>9.0f}")


if __name__ == "__main__":
    main()
