"""Glossary hits on the seed articles: how many term occurrences the glossary
finds, how many the word alignment lets it place, how many are flagged.

Translates seeds/*.txt once without the glossary (the model's own output, as the
cache keeps it), then enforces the glossary on each sentence and counts the
outcome of every occurrence: ``placed`` (the rendering replaced the aligned
span), ``present`` (the model already wrote the rendering), ``flagged`` (no
aligned word, a span too long, or overlapping another term's). It then checks
that a Translator with the glossary gives the same text from the cache.

The default model is the tiny random-weight MarianMT of the tests: its
alignment is noise, so the figures show the mechanism, not the quality. Pass
``--model`` a real opus-mt-ar-en folder for real figures.

    python benchmarks/glossary_hits.py [--model PATH] [--glossary benchmarks/seed_glossary.tsv]
"""
from __future__ import annotations

import argparse
import os
import tempfile
from collections import Counter
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

import harness  # noqa: E402
from harness import BENCH, SEEDS  # noqa: E402

from translate import Translator  # noqa: E402
from translate.glossary import FLAGGED, PLACED, PRESENT, Glossary  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=None, help="model folder (default: build the tiny random model)")
    parser.add_argument("--engine", default="transformers")
    parser.add_argument("--glossary", default=str(BENCH / "seed_glossary.tsv"))
    args = parser.parse_args()
    glossary = Glossary.load(args.glossary)
    with tempfile.TemporaryDirectory() as folder:
        model = args.model
        if model is None:
            model = str(harness.tiny_model(folder))
        raw = Translator.from_options(model, engine=args.engine, device="cpu", cache_dir=Path(folder) / "cache")
        glossed = Translator(raw.engine, raw.cache, settings=raw.settings, quality=raw.quality, glossary=glossary)
        outcomes, reasons, per_term = Counter(), Counter(), {}
        sentences = with_terms = flagged_sentences = 0
        for path in sorted(SEEDS.glob("*.txt")):
            text = path.read_text(encoding="utf-8")
            document = raw.translate(text, name=path.name)
            for pair in document.sentences:
                sentences += 1
                enforced = glossary.enforce(pair.source, pair.translation, pair.alignment)
                with_terms += bool(enforced.outcomes)
                flagged_sentences += bool(enforced.flags)
                for outcome in enforced.outcomes:
                    outcomes[outcome.status] += 1
                    reasons[outcome.reason] += outcome.status == FLAGGED
                    per_term.setdefault(outcome.match.entry.term, Counter())[outcome.status] += 1
            again = glossed.translate(text, name=path.name)  # from the cache, with the glossary on fill
            assert all(p.cached for p in again.sentences)
            assert [p.translation for p in again.sentences] == [
                glossary.enforce(p.source, p.translation, p.alignment).text for p in document.sentences]
    total = sum(outcomes.values())
    print(f"model: {model if args.model else 'tiny random MarianMT (alignment is noise)'}")
    print(f"glossary: {glossary.name}, {len(glossary)} terms ({glossary.digest})")
    print(f"sentences: {sentences}, with a term: {with_terms}, flagged: {flagged_sentences}")
    print(f"term occurrences: {total}; placed {outcomes[PLACED]}, already present {outcomes[PRESENT]}, "
          f"flagged {outcomes[FLAGGED]} (no links {reasons['no-links']}, span too long {reasons['too-long']}, "
          f"overlap {reasons['overlap']})")
    print(f"\n{'term':<28} {'seen':>4} {'placed':>6} {'present':>7} {'flagged':>7}")
    for term, counts in sorted(per_term.items(), key=lambda item: -sum(item[1].values())):
        print(f"{term:<28} {sum(counts.values()):>4} {counts[PLACED]:>6} {counts[PRESENT]:>7} {counts[FLAGGED]:>7}")


if __name__ == "__main__":
    main()
