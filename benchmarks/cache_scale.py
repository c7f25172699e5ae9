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
import tempfile
from pathlib import Path

from harness import best_of

from translate.signature import signature_key
from translate.store.cache import CACHE_FILE, TranslationCache
from translate.translation import Translation

SIG = "model=bench@1|engine=none"
KEY = signature_key(SIG)


def rows(start: int, count: int) -> dict[str, Translation]:
    # About the length of a news sentence and its translation, with word links.
    return {f"قالت مصادر محلية إن القصف استهدف الحي رقم {i} في المدينة صباح اليوم":
            Translation(f"Local sources said the shelling targeted neighbourhood number {i} in the city this morning",
                        -0.42, (), tuple((j, j) for j in range(12)))
            for i in range(start, start + count)}


def measure(size: int, repeat: int) -> str:
    """The table's row for a fresh cache of ``size`` entries."""
    with tempfile.TemporaryDirectory() as folder:
        for start in range(0, size, 50_000):
            TranslationCache(folder).keep(KEY, SIG, rows(start, min(50_000, size - start)))
        with sqlite3.connect(Path(folder) / CACHE_FILE) as connection:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        mb = (Path(folder) / CACHE_FILE).stat().st_size / 1e6
        wanted = list(rows(size // 2, 1000))
        open_s = best_of(lambda: TranslationCache(folder).find(KEY, wanted[:1]), repeat)
        opened = TranslationCache(folder)
        opened.find(KEY, wanted[:1])
        get_s = best_of(lambda: opened.find(KEY, wanted), repeat)
        fresh = iter(range(repeat))
        put_s = best_of(lambda: opened.keep(KEY, SIG, rows(size + 1000 * next(fresh), 1000)), repeat)
        stats_s = best_of(lambda: TranslationCache(folder).stats(), repeat)
    return (f"{size:>9,} {mb:>8.1f} {open_s * 1e3:>8.0f} {get_s * 1e3:>10.1f} "
            f"{put_s * 1e3:>10.1f} {stats_s * 1e3:>9.0f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 300_000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"sqlite {sqlite3.sqlite_version}, load {os.getloadavg()[0]:.2f}")
    print(f"{'entries':>9} {'file MB':>8} {'open ms':>8} {'get 1k ms':>10} {'put 1k ms':>10} {'stats ms':>9}")
    for size in args.sizes:
        print(measure(size, args.repeat), flush=True)


if __name__ == "__main__":
    main()
