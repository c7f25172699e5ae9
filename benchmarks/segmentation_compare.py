"""Compare our Arabic sentence segmenter with sentencex and pysbd.

Scores every segmenter on the hand-labelled cases in ``segmentation_gold.txt``
and, apart, on the sample article in ``seeds/``:

* exact: share of cases whose whole sentence list is right;
* P / R / F1: precision, recall and F1 of sentence boundaries *inside* lines.
  Line breaks are given to every segmenter (each is fed one line at a time),
  so they are not counted: they would flatter everyone equally.

Usage (from the repository root)::

    python benchmarks/segmentation_compare.py            # the table
    python benchmarks/segmentation_compare.py --errors   # plus every wrong case
    python benchmarks/segmentation_compare.py --gold FILE  # score another file in the same format
"""

from __future__ import annotations

import argparse
import importlib.metadata
import os
import re
import sys
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from harness import BENCH, ROOT, SEED_ARTICLE

from translate.text import segment

GOLD_PATH = BENCH / "segmentation_gold.txt"
SEED_ID = "seed"
BOUNDARY = "‖"

Span = tuple[int, int]
Segmenter = Callable[[str], list[Span]]


@dataclass
class Case:
    id: str
    note: str
    text: str
    gold: list[Span]


def _unescape(line: str) -> str:
    return re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), line)


def _locate(text: str, pieces: list[str]) -> list[Span]:
    """Offsets of ``pieces`` found in order in ``text`` (stripped; blanks skipped)."""
    spans, cursor = [], 0
    for piece in pieces:
        piece = piece.strip()
        if not piece:
            continue
        start = text.find(piece, cursor)
        if start < 0:
            raise ValueError(f"segment not found in the input: {piece[:40]!r}")
        spans.append((start, start + len(piece)))
        cursor = start + len(piece)
    return spans


def load_gold(path: Path = GOLD_PATH) -> list[Case]:
    """Parse the gold file (its format is described at its top)."""
    cases: list[Case] = []
    header: str | None = None
    lines: list[str] = []

    def close() -> None:
        if header is None:
            return
        case_id, _, note = header.partition(":")
        raw = [_unescape(line) for line in lines]
        text = "\n".join(line.replace(f" {BOUNDARY} ", " ").replace(BOUNDARY, "") for line in raw)
        sentences = [s for line in raw for s in line.split(BOUNDARY)]
        cases.append(Case(case_id.strip(), note.strip(), text, _locate(text, sentences)))

    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            close()
            header, lines = line[3:], []
        elif not line.strip():
            close()
            header, lines = None, []
        elif header is not None:
            lines.append(line)
        elif not line.startswith("#"):
            raise ValueError(f"{path.name}: text outside a case: {line[:40]!r}")
    close()
    return cases


def line_by_line(split: Callable[[str], list[str]]) -> Segmenter:
    """Run a string-returning segmenter on each line and map its output to offsets."""

    def spans(text: str) -> list[Span]:
        out: list[Span] = []
        for start, end in segment.paragraph_spans(text):
            line = text[start:end]
            out.extend((start + s, start + e) for s, e in _locate(line, split(line)))
        return out

    return spans


def _sentencex(text: str) -> list[str]:
    import sentencex

    return list(sentencex.segment("ar", text))


def _pysbd() -> Callable[[str], list[str]]:
    import pysbd

    segmenter = pysbd.Segmenter(language="ar", clean=False)
    return segmenter.segment


def segmenters() -> dict[str, Segmenter]:
    return {
        f"ours {segment.SEGMENTER_VERSION}": segment.sentence_spans,
        f"sentencex {importlib.metadata.version('sentencex')}": line_by_line(_sentencex),
        f"pysbd {importlib.metadata.version('pysbd')}": line_by_line(_pysbd()),
    }


def _invisible(char: str) -> bool:
    return char.isspace() or unicodedata.category(char) == "Cf"


def normalize(text: str, spans: list[Span]) -> list[Span]:
    """Trim bidi and other format marks off span edges too.

    Whether an RLM between two sentences goes with the one before or the one
    after is a convention, not an error, so it must not cost a peer a point.
    """
    out = []
    for start, end in spans:
        while start < end and _invisible(text[start]):
            start += 1
        while end > start and _invisible(text[end - 1]):
            end -= 1
        if start < end:
            out.append((start, end))
    return out


def _inner_starts(text: str, spans: list[Span]) -> set[int]:
    """Sentence starts that are not the start of a line: the boundaries scored."""
    line_starts = {start for start, _ in normalize(text, segment.paragraph_spans(text))}
    return {start for start, _ in spans} - line_starts


@dataclass
class Score:
    cases: int = 0
    exact: int = 0
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, text: str, gold: list[Span], predicted: list[Span]) -> None:
        gold, predicted = normalize(text, gold), normalize(text, predicted)
        g, p = _inner_starts(text, gold), _inner_starts(text, predicted)
        self.cases += 1
        self.exact += gold == predicted
        self.tp += len(g & p)
        self.fp += len(p - g)
        self.fn += len(g - p)

    def row(self) -> tuple[str, ...]:
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return (
            f"{self.cases}",
            f"{self.exact / self.cases:.1%}",
            f"{precision:.3f}",
            f"{recall:.3f}",
            f"{f1:.3f}",
            f"{self.tp}/{self.fp}/{self.fn}",
        )


def _newline_note(name: str, split: Callable[[str], list[str]], cases: list[Case]) -> str:
    """Say whether a peer, given a whole multi-line case, cuts at every line break."""
    multi = [c for c in cases if "\n" in c.text]
    ignored = 0
    for case in multi:
        starts = {s for s, _ in _locate(case.text, split(case.text))}
        if not {s for s, _ in segment.paragraph_spans(case.text)} <= starts:
            ignored += 1
    return f"{name}: misses a line break in {ignored}/{len(multi)} multi-line cases when given whole text"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--errors", action="store_true", help="print every case a segmenter gets wrong")
    parser.add_argument("--gold", type=Path, default=GOLD_PATH, help="cases file (default: %(default)s)")
    args = parser.parse_args(argv)
    gold_path = args.gold.resolve()

    cases = load_gold(gold_path)
    seed = [c for c in cases if c.id == SEED_ID]
    gold = [c for c in cases if c.id != SEED_ID]
    if (seed or gold_path == GOLD_PATH) and (
        len(seed) != 1 or seed[0].text != SEED_ARTICLE.read_text(encoding="utf-8").strip()
    ):
        raise SystemExit(f"the '{SEED_ID}' case in {gold_path.name} does not match {SEED_ARTICLE}")

    header = ("segmenter", "set", "cases", "exact", "P", "R", "F1", "tp/fp/fn")
    rows, failures = [], {}
    for name, spans_of in segmenters().items():
        for set_name, subset in (("gold", gold), ("seed", seed)):
            if not subset:
                continue
            score = Score()
            for case in subset:
                predicted = spans_of(case.text)
                score.add(case.text, case.gold, predicted)
                if normalize(case.text, predicted) != normalize(case.text, case.gold):
                    failures.setdefault(name, []).append((case, predicted))
            rows.append((name, set_name, *score.row()))

    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, None, *rows]:
        if row is None:
            print("  ".join("-" * w for w in widths))
        else:
            print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())

    print()
    seed_note = f"; seed: {SEED_ARTICLE.relative_to(ROOT)}" if seed else ""
    print(f"gold: {len(gold)} cases from {os.path.relpath(gold_path, ROOT)}{seed_note}")
    print("boundaries scored: sentence starts inside a line (line breaks are free for everyone)")
    print("peers are fed one line at a time (sentencex language='ar'; pysbd language='ar', clean=False):")
    print("  " + _newline_note("sentencex", _sentencex, gold))
    print("  " + _newline_note("pysbd", _pysbd(), gold))

    if args.errors:
        for name, wrong in failures.items():
            print(f"\n=== {name}: {len(wrong)} wrong")
            for case, predicted in wrong:
                print(f"--- {case.id}: {case.note}")
                for s, e in predicted:
                    print(f"    {case.text[s:e]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
