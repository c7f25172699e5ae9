"""How a glossary scales: load time, peak memory and matching time per sentence
for 1,000, 10,000 and 100,000 entries.

Each glossary is a ``.tsv`` of made-up terms (1 to 3 words of 3 to 7 random
Arabic letters) plus the seed glossary's real names, so the seed's sentences
have hits. Load time is measured without tracemalloc (it slows Python down),
then the load is repeated under tracemalloc for its peak. Matching is
:meth:`Glossary.find` and :meth:`Glossary.enforce` (with an empty alignment:
every hit is checked, none placed) on every sentence of seeds/*.txt.

    python benchmarks/glossary_scale.py [--sizes 1000,10000,100000] [--repeat 20]
"""
from __future__ import annotations

import argparse
import random
import tempfile
import time
import tracemalloc
from pathlib import Path

from harness import BENCH, SEEDS

from translate.glossary import Glossary
from translate.text.document import segment_document

LETTERS = [chr(c) for c in range(0x0627, 0x064B) if c not in (0x0640,) and not 0x063B <= c <= 0x063F]


def made_up_glossary(size: int, path: Path, seed: int = 13) -> Path:
    """A ``.tsv`` with ``size`` distinct made-up terms, then the seed glossary's lines."""
    rng = random.Random(seed)
    real = (BENCH / "seed_glossary.tsv").read_text(encoding="utf-8").splitlines()[1:]
    terms: set[str] = set()
    while len(terms) < size - len(real):
        terms.add(" ".join("".join(rng.choices(LETTERS, k=rng.randint(3, 7))) for _ in range(rng.randint(1, 3))))
    lines = ["term\trendering"] + [f"{t}\tterm {n}" for n, t in enumerate(sorted(terms))] + real
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--repeat", type=int, default=20, help="passes over the seed sentences")
    args = parser.parse_args()
    sentences = [pair.source for path in sorted(SEEDS.glob("*.txt"))
                 for pair in segment_document(path.read_text(encoding="utf-8")).sentences]
    print(f"{len(sentences)} seed sentences, {sum(len(s.split()) for s in sentences)} words")
    print(f"{'entries':>8} {'file MB':>8} {'load s':>7} {'peak MB':>8} {'find µs/sent':>13} "
          f"{'enforce µs/sent':>16} {'hits':>5}")
    with tempfile.TemporaryDirectory() as folder:
        for size in (int(s) for s in args.sizes.split(",")):
            path = made_up_glossary(size, Path(folder) / f"g{size}.tsv")
            started = time.perf_counter()
            glossary = Glossary.load(path)
            load_s = time.perf_counter() - started
            del glossary
            tracemalloc.start()
            glossary = Glossary.load(path)
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            hits = sum(len(glossary.find(s)) for s in sentences)
            started = time.perf_counter()
            for _ in range(args.repeat):
                for sentence in sentences:
                    glossary.find(sentence)
            find_us = (time.perf_counter() - started) / (args.repeat * len(sentences)) * 1e6
            started = time.perf_counter()
            for _ in range(args.repeat):
                for sentence in sentences:
                    glossary.enforce(sentence, sentence, ())
            enforce_us = (time.perf_counter() - started) / (args.repeat * len(sentences)) * 1e6
            print(f"{len(glossary):>8,} {path.stat().st_size / 1e6:>8.1f} {load_s:>7.2f} {peak / 1e6:>8.1f} "
                  f"{find_us:>13.0f} {enforce_us:>16.0f} {hits:>5}")


if __name__ == "__main__":
    main()
