"""Show that sentence segmentation grows linearly with its input.

Times ``translate.text.segment.sentence_spans`` on degenerate inputs (no spaces, one
repeated letter, only punctuation, only harakat, a huge number, a huge URL,
nested quotes, mixes of them...) at 1k, 10k, 100k and 1M characters, and prints
the time ratio for each tenfold growth. Linear work gives about 10; the script
exits with status 1 when any ratio exceeds ``--max-ratio`` (15), or when a size
had to be skipped because the previous one was already too slow.

Usage (from the repository root)::

    python benchmarks/segmentation_growth.py                 # the full table
    python benchmarks/segmentation_growth.py --sizes 1000 10000 100000
    python benchmarks/segmentation_growth.py --shapes digits url

Each cell is the best of ``--repeat`` runs, taken in turns over the sizes; small
inputs are run in a loop long enough (100 ms) for the clock to be trusted.
Times are the CPU time of the process, so other work on a shared machine
counts as little as it can.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable
from itertools import pairwise

import harness
from harness import SEED_ARTICLE

from translate.text.segment import sentence_spans

ARABIC_LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
HARAKAT = "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652"
PUNCTUATION = ".!?؟…،,؛;:"
QUOTES = "“”«»()[]\"'’‘"


def _cycle(unit: str, n: int) -> str:
    return (unit * (n // len(unit) + 1))[:n]


def _random(alphabet: str, n: int) -> str:
    rng = random.Random(n)  # the same text on every run
    return "".join(rng.choices(alphabet, k=n))


def _nested_quotes(n: int) -> str:
    # «««…« ب!» ب!» …: every "!»" closes a quote opened far back in the same sentence.
    half = n // 4
    return ("كلمة " + "«" * half + _cycle("ب!»", n))[:n]


def _leading_blank(n: int) -> str:
    # An invisible mark, a long run of spaces, then many abbreviations.
    return ("\u200f" + " " * (n // 2) + _cycle("وقال د. ", n))[:n]


def _blocks(block: int | None) -> Callable[[int], str]:
    """Every other shape in turn, in one line: each one block of ``block``
    characters, or (``None``) each as long as an equal share of the input, so
    that the mix is the same at every size."""

    def text(n: int) -> str:
        shapes = [s for name, s in SHAPES.items() if not name.startswith("blocks") and name != "prose"]
        size = block or -(-n // len(shapes))
        out, i = [], 0
        while sum(map(len, out)) < n:
            out.append(shapes[i % len(shapes)](size))
            i += 1
        return "".join(out)[:n]

    return text


SHAPES: dict[str, Callable[[int], str]] = {
    "no-spaces": lambda n: _cycle(ARABIC_LETTERS, n),
    "one-letter": lambda n: "ب" * n,
    "latin-letters": lambda n: "a" * n,
    "periods": lambda n: "." * n,
    "question-marks": lambda n: "؟" * n,
    "punctuation": lambda n: _cycle(PUNCTUATION, n),
    "harakat": lambda n: _cycle(HARAKAT, n),
    "ligatures": lambda n: "ﷺ" * n,
    "bidi-marks": lambda n: _cycle("\u200f\u202b\u202c\u200e", n),
    "digits": lambda n: _cycle("1234567890", n),
    "number-groups": lambda n: _cycle("1.234,5", n),
    "url": lambda n: ("https://example.com/" + _cycle("path/a.b?x=1&y=ب.", n))[:n],
    "url-no-scheme": lambda n: ("example.com/get?token=" + _cycle("aB3xY9_-", n))[:n],
    "email-like": lambda n: _cycle("user.name+ب-1", n - 13) + "@example.com.",
    "at-signs": lambda n: _cycle("ب@ب.", n),
    "hashtags": lambda n: _cycle("#ب.", n),
    "initials": lambda n: _cycle("ب.", n),
    "latin-initials": lambda n: _cycle("U.", n),
    "quotes": lambda n: _cycle(QUOTES, n),
    "nested-quotes": _nested_quotes,
    "exclamations-glued": lambda n: _cycle("ب!»", n),
    "leading-blank": _leading_blank,
    "list-numbers": lambda n: _cycle("1. 2. ", n),
    "mix-no-space": lambda n: _random(ARABIC_LETTERS + HARAKAT + PUNCTUATION + QUOTES + "0123456789@#/_-", n),
    "mix-spaced": lambda n: _random(ARABIC_LETTERS + HARAKAT + PUNCTUATION + QUOTES + "0123456789@#/_-" + "  ", n),
    "blocks": _blocks(None),
    "blocks-small": _blocks(40),
    "prose": lambda n: _cycle(" ".join(SEED_ARTICLE.read_text(encoding="utf-8").split()) + " ", n),
}


def _time(text: str) -> float:
    """CPU seconds per call of ``sentence_spans(text)``, looped for 100 ms at least.

    CPU time of this process, not wall time: on a shared machine the waits for
    a core would be counted otherwise, and ratios between sizes are what matter.
    """
    loops, start = 0, time.process_time()
    while True:
        sentence_spans(text)
        loops += 1
        elapsed = time.process_time() - start
        if elapsed >= 0.1:
            return elapsed / loops


def _check(text: str) -> None:
    """Spans in order, non-overlapping, covering every non-space character."""
    covered = 0
    previous = 0
    for start, end in sentence_spans(text):
        assert previous <= start < end <= len(text), "spans out of order"
        covered += sum(not c.isspace() for c in text[start:end])
        previous = end
    assert covered == sum(not c.isspace() for c in text), "spans do not cover the text"


def _format_time(seconds: float | None) -> str:
    if seconds is None:
        return "skipped"
    if seconds < 1:
        return f"{seconds * 1000:.2f} ms"
    return f"{seconds:.2f} s"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000, 1_000_000])
    parser.add_argument("--shapes", nargs="+", choices=sorted(SHAPES), default=list(SHAPES))
    parser.add_argument("--repeat", type=int, default=5, help="runs per cell; the best counts (default 5)")
    parser.add_argument("--max-ratio", type=float, default=15.0,
                        help="largest time ratio allowed for a tenfold input (default 15)")
    parser.add_argument("--budget", type=float, default=60.0,
                        help="skip a size when the previous one times 15 would take longer (seconds, default 60)")
    args = parser.parse_args(argv)
    sizes = sorted(args.sizes)

    header = ["shape"] + [f"{size:,}" for size in sizes] + [f"×{b // a}" for a, b in pairwise(sizes)]
    rows, failed = [], []
    for name in args.shapes:
        texts: list[str] = []
        times: list[float | None] = []
        for size in sizes:
            if times and (times[-1] is None or times[-1] * args.max_ratio > args.budget):
                times.append(None)
                continue
            texts.append(SHAPES[name](size))
            assert len(texts[-1]) == size, (name, size, len(texts[-1]))
            _check(texts[-1])
            times.append(_time(texts[-1]))
        # The other runs go round all sizes in turn, so that a burst of load
        # on a shared machine slows one run of every size, not every run of one.
        for _ in range(args.repeat - 1):
            for index, text in enumerate(texts):
                times[index] = min(times[index], _time(text))
        ratios = []
        for (a, b), (size_a, size_b) in zip(pairwise(times), pairwise(sizes), strict=True):
            if a is None or b is None:
                ratios.append("—")
                failed.append(name)
                continue
            # Allowed growth scales with the size step: 15 for a tenfold input.
            allowed = args.max_ratio * (size_b / size_a) / 10
            ratio = b / a
            ratios.append(f"{ratio:.1f}" + (" !" if ratio > allowed else ""))
            if ratio > allowed:
                failed.append(name)
        rows.append([name] + [_format_time(t) for t in times] + ratios)
        print("  ".join(rows[-1]), file=sys.stderr, flush=True)  # progress

    print(harness.markdown_table(header, rows))
    if failed:
        print(f"\nnot linear (ratio above {args.max_ratio:g} per tenfold, or skipped): "
              + ", ".join(dict.fromkeys(failed)))
        return 1
    print(f"\nevery shape grows linearly (ratio at most {args.max_ratio:g} per tenfold input)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
