"""What cutting one over-long sentence costs with a real token counter.

``split_long`` asks ``too_long`` about candidate parts; in the pipeline that is
a SentencePiece count, the expensive part. This script builds the tiny test
model (a SentencePiece vocabulary trained on ``seeds/``) in a temporary folder
and cuts 20,000-character sentences of several shapes the way the pipeline
does (``count > config.MAX_SENTENCE_PIECES``), printing for each: the parts
made, the calls to the counter, the characters it was given, the shortest and
longest part, and the time.

Usage (from the repository root)::

    python benchmarks/long_sentences_cost.py
    python benchmarks/long_sentences_cost.py --chars 5000 --shapes harakat ligatures
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import harness
from harness import SEED_ARTICLE

from translate import config
from translate.engines.ctranslate2 import MarianPieces
from translate.text.long_sentences import split_long


def _cycle(unit: str, n: int) -> str:
    return (unit * (n // len(unit) + 1))[:n]


def _prose(n: int) -> str:
    words = " ".join(SEED_ARTICLE.read_text(encoding="utf-8").split()).replace(".", "،") + " "
    return _cycle(words, n)


SHAPES: dict[str, Callable[[int], str]] = {
    "prose-commas": _prose,
    "words": lambda n: _cycle(" ".join(w.strip("،.") for w in _prose(2000).split()) + " ", n),
    "no-spaces": lambda n: _cycle("ابتثجحخدذرزسشصضطظعغفقكلمنهوي", n),
    "letters-harakat": lambda n: _cycle("بَّ", n),
    "harakat": lambda n: _cycle("\u064e\u0651\u0650", n),
    "ligatures": lambda n: "ﷺ" * n,
    "ligatures-spaced": lambda n: _cycle("ﷺ ", n),
    "digits": lambda n: _cycle("1234567890", n),
    "url": lambda n: ("https://example.com/" + _cycle("path/a.b?x=1&y=2", n))[:n],
}


def _measure(folder: Path, text: str) -> dict:
    tokenizer = MarianPieces(folder)  # a fresh one: its cache starts empty
    calls = chars = 0

    def too_long(piece: str) -> bool:
        nonlocal calls, chars
        calls += 1
        chars += len(piece)
        return len(tokenizer.pieces(piece)) > config.MAX_SENTENCE_PIECES

    start = time.perf_counter()
    spans = split_long(text, too_long)
    seconds = time.perf_counter() - start
    sizes = [end - start for start, end in spans[:-1]] or [spans[0][1] - spans[0][0]]
    longest_pieces = max(len(tokenizer.pieces(text[a:b])) for a, b in spans)
    return {"parts": len(spans), "calls": calls, "chars": chars, "shortest": min(sizes),
            "longest": max(sizes), "pieces": longest_pieces, "seconds": seconds}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--chars", type=int, default=20_000, help="sentence length (default 20,000)")
    parser.add_argument("--shapes", nargs="+", choices=sorted(SHAPES), default=list(SHAPES))
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        folder = harness.tiny_model(tmp)
        header = ["shape", "parts", "calls", "chars counted", "part chars (min-max, last part aside)",
                  "max pieces", "time"]
        rows = []
        for name in args.shapes:
            r = _measure(folder, SHAPES[name](args.chars))
            rows.append([name, str(r["parts"]), str(r["calls"]), f"{r['chars']:,}",
                         f"{r['shortest']}-{r['longest']}", str(r["pieces"]), f"{r['seconds']:.2f} s"])
            print("  ".join(rows[-1]), file=sys.stderr, flush=True)  # progress
    print(f"{args.chars:,}-character sentences, limit {config.MAX_SENTENCE_PIECES} pieces")
    print(harness.markdown_table(header, rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
