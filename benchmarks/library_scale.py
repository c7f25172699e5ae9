"""The library at archive scale: index size, build time and query time, from 10 k to 1 M articles.

A synthetic archive made from the seed article: each article is 20 of the seed's
sentence pairs (its Arabic lines, with the reference English line by line, so the
English is real English), drawn in a shuffled order of its own, plus one line
that names the article's number in both languages (so no two articles are the
same). Articles are recorded through :meth:`translate.store.library.Library.record`
in blocks of 64, one transaction each: the page's and the command line's way, and
the same writes as the indexer that a dataset job starts (``Library.index``, which
takes the job's staged rows 200 a transaction). At each size the script reports the file's size, the build time
per 100 k articles, and the best-of-N time of a handful of searches: one English
word, one Arabic word written with a clitic, a two-word AND across sentences, a
phrase, and a word narrowed by source.

Usage::

    python benchmarks/library_scale.py                       # 10 k, 100 k, 1 M articles (an hour or more)
    python benchmarks/library_scale.py --sizes 10000 100000  # quicker
    python benchmarks/library_scale.py --results benchmarks/library-scale-results.json

With ``--results`` each size's figures are written to that JSON file as soon as they
are measured (a run stopped at 1 M keeps those of 10 k and 100 k). ``--measure FOLDER``
measures the searches, and the size, of a library already there (say, the one a stopped
run left in ``--folder``), as it is: its own number of articles.
"""
from __future__ import annotations

import argparse
import json
import random
import sqlite3
import sys
import tempfile
import time
from contextlib import closing
from pathlib import Path

import harness

from translate.store.library import DATASET, Library, Source
from translate.text.document import Block, segment_blocks
from translate.translation import Translation

REFERENCE = harness.ROOT / "seeds" / "aleppo-offensive.reference.en"
SENTENCES_PER_ARTICLE = 20
BLOCK = 64
QUERIES = {
    "one English word": ("attacks", {}),
    "an Arabic word with a clitic": ("بإدلب", {}),
    "two words in two sentences": ("Aleppo Idlib", {}),
    "a phrase": ('"opposition factions"', {}),
    "a word, one source": ("Turkey", {"source": "archive#123"}),  # (results: at most 20 documents a search)
}
LIST = "the 50 newest (the Library view)"


def seed_pairs() -> list[tuple[str, str]]:
    """The seed article's non-blank lines with their reference English."""
    arabic = harness.SEED_ARTICLE.read_text(encoding="utf-8").splitlines()
    english_file = REFERENCE if REFERENCE.exists() else harness.ROOT.parent / "shared/seeds/aleppo-offensive.en.txt"
    english = english_file.read_text(encoding="utf-8").splitlines()
    return [(a, e) for a, e in zip(arabic, english) if a.strip() and e.strip()]


def article(number: int, pairs: list[tuple[str, str]]):
    """Article ``number``: 20 seed pairs in an order of its own, and its numbered line."""
    chosen = random.Random(number).sample(pairs, min(SENTENCES_PER_ARTICLE, len(pairs)))
    chosen.append((f"هذا هو الخبر رقم {number}.", f"This is news item number {number}."))
    document = segment_blocks([Block(arabic) for arabic, _ in chosen], name=f"archive#{number}")
    updates = {}
    for paragraph, (_, words) in zip(document.paragraphs, chosen):
        for k, pair in enumerate(paragraph.sentences):  # a line of several sentences: its English on the first
            updates[pair.index] = pair.filled(Translation(words if k == 0 else "", -0.4, (), ()))
    return document.with_translations(updates)


def build(library: Library, start: int, stop: int, pairs) -> float:
    began = time.perf_counter()
    for first in range(start, stop, BLOCK):
        library.record((Source(DATASET, f"archive#{n}"), article(n, pairs))
                       for n in range(first, min(stop, first + BLOCK)))
    return time.perf_counter() - began


def counted(library: Library) -> tuple[int, int]:
    """The library's articles and sentence pairs, counted."""
    with closing(sqlite3.connect(f"file:{library.path}?mode=ro", uri=True)) as connection:
        return tuple(connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                     for table in ("documents", "pairs"))


def searched(library: Library, repeat: int) -> tuple[dict, dict]:
    """Each search's best-of time and how many documents it found; and the newest 50's listing."""
    times = {name: harness.best_of(lambda q=q, f=f: library.search(q, **f), repeat) for name, (q, f) in QUERIES.items()}
    found = {name: len(library.search(q, **f)) for name, (q, f) in QUERIES.items()}
    times[LIST] = harness.best_of(lambda: library.entries(limit=50), repeat)
    found[LIST] = len(library.entries(limit=50))
    return times, found


def measure(library: Library, repeat: int) -> int:
    """The file's size, its articles and pairs, and the searches' best-of times, as found."""
    articles, pairs = counted(library)
    mb = library.file.bytes() / 1e6
    times, found = searched(library, repeat)
    print(harness.load_line())
    print(json.dumps({"articles": articles, "pairs": pairs, "file MB": round(mb),
                      "queries": {name: {"ms": round(times[name] * 1e3, 1), "documents": found[name]}
                                  for name in times}}, indent=1, ensure_ascii=False))
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--folder", default=None, help="build here (default: a temporary folder, removed after)")
    parser.add_argument("--measure", default=None, metavar="FOLDER", help="measure the library there; build nothing")
    parser.add_argument("--results", default=None, metavar="FILE.json",
                        help="write each size's figures here as soon as they are measured")
    args = parser.parse_args()
    if args.measure:
        return measure(Library(args.measure), args.repeat)
    pairs = seed_pairs()
    print(harness.load_line(), f"(start); {len(pairs)} seed lines, {min(SENTENCES_PER_ARTICLE, len(pairs)) + 1} "
                               "lines per article")
    with tempfile.TemporaryDirectory(dir=args.folder) as folder:
        library = Library(folder)
        built, seconds = 0, 0.0
        rows, measured = [], {"machine": harness.load_line(), "sizes": {}}
        for size in sorted(args.sizes):
            seconds += build(library, built, size, pairs)
            built = size
            mb = library.file.bytes() / 1e6
            times, found = searched(library, args.repeat)
            pair_count = counted(library)[1]
            rows.append([f"{size:,}", f"{pair_count:,}", f"{mb:,.0f}",
                         f"{seconds / size * 100_000:.0f}",
                         *(f"{times[name] * 1e3:.0f} ({found[name]})" for name in times)])
            print(f"{size:,} articles: {mb:,.0f} MB, {seconds:.0f} s to build so far; "
                  + ", ".join(f"{name} {times[name] * 1e3:.0f} ms" for name in times), file=sys.stderr, flush=True)
            if args.results:
                measured["sizes"][str(size)] = {
                    "pairs": pair_count, "file MB": round(mb),
                    "build s so far": round(seconds), "build s per 100 k": round(seconds / size * 100_000),
                    "queries": {name: {"ms": round(times[name] * 1e3, 1), "documents": found[name]}
                                for name in times}}
                Path(args.results).write_text(json.dumps(measured, indent=1, ensure_ascii=False) + "\n",
                                              encoding="utf-8")
        print(harness.markdown_table(["articles", "pairs", "file MB", "build s per 100 k",
                                      *(f"{name} ms (docs)" for name in (*QUERIES, LIST))], rows))
    print(harness.load_line(), "(end)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
