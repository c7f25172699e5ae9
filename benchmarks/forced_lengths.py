"""Translators that decode the same number of tokens for every sentence, from public parts.

A random-weight model never ends a sentence by itself, so with the usual
settings its outputs run to their full budget (twice the length bucket plus
ten tokens) and most are retried: the work would depend on each sentence's
length and on the quality checks. The benchmark forces every output to ``N``
new tokens with the real settings instead::

    GenerationSettings(beams=B, max_length_ratio=0.0, max_length_slack=N, min_new_tokens=N)

and skips the retries with ``QualityPolicy(retry=False)``.

As a script it is the benchmark's whole-process runs (``speed.py`` starts it)::

    python benchmarks/forced_lengths.py translate MODEL CACHE_DIR FILE... [--engine E --beams B ...]
    python benchmarks/forced_lengths.py fill-cli-cache MODEL CACHE_DIR FILE... [...] --cli "CLI ARGS"

``translate`` does what the CLI does (``translate_files``, a lazily loaded
engine, the on-disk cache) with forced lengths and prints the English.
``fill-cli-cache`` copies the translations of a forced run (its CACHE_DIR) into
the cache under the signature of the translator that ``translate CLI ARGS`` builds, so that the
real CLI then finds every sentence cached (a cold real CLI run on the random
twin decodes every output to its full budget: minutes, not seconds).
"""
from __future__ import annotations

import argparse
import os
import shlex
import sys
from pathlib import Path

from translate import Translator, segment_document
from translate.engines.base import GenerationSettings
from translate.engines.factory import LazyEngine
from translate.pipeline.translator import needs_translation
from translate.quality import QualityPolicy
from translate.store.cache import TranslationCache


def forced_settings(beams: int, new_tokens: int) -> GenerationSettings:
    """Settings whose output budget is ``new_tokens`` for every sentence, and which
    decode that many even where the model would stop."""
    return GenerationSettings(beams=beams, max_length_ratio=0.0, max_length_slack=new_tokens,
                              min_new_tokens=new_tokens)


def forced_policy(retries: bool = False) -> QualityPolicy:
    """No retries; or, with ``retries``, retries that keep the forced budget (the
    retry's length ratio 0 leaves the budget at the slack), to show their cost."""
    return QualityPolicy(retry_length_ratio=0.0) if retries else QualityPolicy(retry=False)


def forced_translator(model: str, cache_dir: str | os.PathLike, *, engine: str = "ctranslate2",
                      device: str = "cpu", beams: int = 4, new_tokens: int = 40, batch_size: int = 16,
                      retries: bool = False) -> Translator:
    """The translator the CLI would build (a lazy engine, the on-disk cache in
    ``cache_dir``), with forced lengths.

    Raises:
        UsageError: an unknown engine or device, or a size below 1.
    """
    return Translator(LazyEngine(model, engine=engine, device=device, models_dir=cache_dir),
                      TranslationCache(cache_dir), settings=forced_settings(beams, new_tokens),
                      quality=forced_policy(retries), batch_size=batch_size)


def _translate(args: argparse.Namespace) -> int:
    from translate.batch import translate_files

    translator = forced_translator(args.model, args.cache_dir, engine=args.engine, device=args.device,
                                   beams=args.beams, new_tokens=args.new_tokens, batch_size=args.batch_size)
    report = translate_files(args.inputs, translator=translator)
    for result in report.files:
        for text in result.rendered.values():
            sys.stdout.write(text)
    for error in report.errors:
        print(f"forced_lengths: error: {error}", file=sys.stderr)
    return 0 if report.ok else 1


def _fill_cli_cache(args: argparse.Namespace) -> int:
    from translate.cli import build_parser
    from translate.options import translator_from_args

    forced = forced_translator(args.model, args.cache_dir, engine=args.engine, device=args.device,
                               beams=args.beams, new_tokens=args.new_tokens, batch_size=args.batch_size)
    cli = translator_from_args(build_parser().parse_args(["batch", *shlex.split(args.cli)]))
    sources = [p.source for path in args.inputs
               for p in segment_document(Path(path).read_text(encoding="utf-8")).sentences]
    sources = [s for s in dict.fromkeys(sources) if needs_translation(s)]
    found = forced.cache.find(forced.signature.key, sources)
    if len(found) != len(sources):
        print(f"forced_lengths: {len(sources) - len(found)} sentences are not in {args.cache_dir}; "
              f"run `translate` with it first", file=sys.stderr)
        return 1
    cli.cache.keep(cli.signature.key, str(cli.signature), found)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    translate = commands.add_parser("translate", help="translate files like the CLI, with forced lengths")
    fill = commands.add_parser("fill-cli-cache", help="copy a forced run's translations to the CLI's signature")
    for command, cache_help in ((translate, "the cache folder"), (fill, "the forced `translate` run's cache folder")):
        command.add_argument("model")
        command.add_argument("cache_dir", help=cache_help)
        command.add_argument("inputs", nargs="+", metavar="FILE")
        command.add_argument("--engine", default="ctranslate2")
        command.add_argument("--device", default="cpu")
        command.add_argument("--beams", type=int, default=4)
        command.add_argument("--new-tokens", type=int, default=40)
        command.add_argument("--batch-size", type=int, default=16)
    fill.add_argument("--cli", required=True, metavar="ARGS",
                      help="the CLI's arguments, as one string (they name its --cache-dir)")
    args = parser.parse_args(argv)
    return _fill_cli_cache(args) if args.command == "fill-cli-cache" else _translate(args)


if __name__ == "__main__":
    sys.exit(main())
