"""The command line: ``translate FILE_OR_DIR... [--out DIR]``.

Parses arguments, calls the library and prints results; every
:class:`TranslateError` becomes one line on stderr and an exit code, never a
traceback. ``python app.py --batch ...`` and ``python -m translate`` land here.
"""
from __future__ import annotations

import argparse
import contextlib
import logging
import sys
import time
from pathlib import Path

from . import config
from .errors import OutputError, TranslateError, UsageError

log = logging.getLogger("translate")
PROG = "translate"


class _Formatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return f"{PROG}: {record.levelname.lower()}: {record.getMessage()}"


@contextlib.contextmanager
def _logging_to_stderr(verbose: bool):
    """Library warnings as ``translate: warning: …`` lines for the length of a
    command; the logger is left as it was found (main() may run in-process)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_Formatter())
    saved = log.level, log.propagate
    log.addHandler(handler)
    log.setLevel(logging.INFO if verbose else logging.WARNING)
    log.propagate = False
    try:
        yield
    finally:
        log.removeHandler(handler)
        log.setLevel(saved[0])
        log.propagate = saved[1]


def add_model_options(parser: argparse.ArgumentParser) -> None:
    """Options shared by the CLI and the app (one source for their defaults)."""
    group = parser.add_argument_group("model and cache")
    group.add_argument("--model", default=None, metavar="ID_OR_PATH",
                       help=f"hub id or local folder of a Marian model (default: ${config.MODEL_ENV} or {config.DEFAULT_MODEL})")
    group.add_argument("--revision", default=None, help="hub branch, tag or commit of the model")
    group.add_argument("--cache-dir", default=None, metavar="DIR",
                       help=f"cache folder (default: ${config.CACHE_DIR_ENV} or ./{config.DEFAULT_CACHE_DIR})")
    group.add_argument("--no-cache", action="store_true", help="neither read nor write the cache")
    group.add_argument("--engine", default=config.DEFAULT_ENGINE, choices=config.ENGINES,
                       help="auto: CTranslate2 when installed, else transformers (default: %(default)s)")
    group.add_argument("--device", default=config.DEFAULT_DEVICE, choices=config.DEVICES,
                       help="auto: CUDA when present (default: %(default)s)")
    group.add_argument("--beams", type=int, default=config.DEFAULT_BEAMS, metavar="N",
                       help="beam size (default: %(default)s)")
    group.add_argument("--batch-size", type=int, default=config.DEFAULT_BATCH_SIZE, metavar="N",
                       help="sentences per model call (default: %(default)s)")
    group.add_argument("--offline", action="store_true",
                       help="use only local model files, never the network (also: HF_HUB_OFFLINE=1)")


def translator_from_args(args: argparse.Namespace):
    """A :class:`Translator` configured from the shared options."""
    from .pipeline import Translator

    return Translator(
        args.model, revision=args.revision, cache_dir=args.cache_dir, use_cache=not args.no_cache,
        engine=args.engine, device=args.device, beams=args.beams, batch_size=args.batch_size,
        offline=True if args.offline else None,
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Translate Arabic text files to English, sentence by sentence, with an on-disk cache.",
        epilog=f"Other commands: `{PROG} download [MODEL]` fetches a model into the Hugging Face cache; "
               f"`{PROG} cache stats|clear` shows or empties the translation cache.",
    )
    parser.add_argument("paths", nargs="+", metavar="FILE_OR_DIR",
                        help="files or folders (.txt/.md found recursively); - reads standard input")
    parser.add_argument("--out", default=None, metavar="DIR",
                        help="write <name>.en.<format> files here (default: print to standard output)")
    parser.add_argument("--format", default=config.DEFAULT_FORMAT, choices=config.FORMATS,
                        help="txt: English; md/html: bilingual side by side; jsonl: one pair per line (default: %(default)s)")
    parser.add_argument("--force", action="store_true", help="overwrite existing output files")
    parser.add_argument("--encoding", default=None,
                        help="input encoding, e.g. cp1256 (default: UTF-8, BOMs honoured)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.add_argument("--verbose", action="store_true", help="say what is loaded and how long it took")
    add_model_options(parser)
    return parser


def build_download_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=f"{PROG} download",
                                     description="Fetch a model into the Hugging Face cache (needs the network).")
    parser.add_argument("model", nargs="?", default=None, help=f"hub id (default: {config.DEFAULT_MODEL})")
    parser.add_argument("--revision", default=None, help="branch, tag or commit")
    return parser


def build_cache_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=f"{PROG} cache", description="Show or empty the translation cache.")
    parser.add_argument("action", choices=("stats", "clear"), help="stats: entries per signature; clear: delete all")
    parser.add_argument("--cache-dir", default=None, metavar="DIR",
                        help=f"cache folder (default: ${config.CACHE_DIR_ENV} or ./{config.DEFAULT_CACHE_DIR})")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns the exit code (0 ok, 1 some input failed, 2 usage)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        if argv and argv[0] == "download":
            return _download(build_download_parser().parse_args(argv[1:]))
        if argv and argv[0] == "cache":
            return _cache(build_cache_parser().parse_args(argv[1:]))
        args = build_parser().parse_args(argv)
        with _logging_to_stderr(args.verbose):
            return _translate(args)
    except TranslateError as error:
        print(f"{PROG}: error: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted; finished sentences are in the cache", file=sys.stderr)
        return 130


def _download(args: argparse.Namespace) -> int:
    from .model import download_model

    model = download_model(args.model or config.default_model(), args.revision)
    print(f"downloaded {model.name} (revision {model.revision}) to {model.path}")
    return 0


def _cache(args: argparse.Namespace) -> int:
    from .cache import TranslationCache

    cache = TranslationCache(config.cache_dir(args.cache_dir))
    if args.action == "clear":
        print(f"removed {cache.clear()} cached translations from {cache.path}")
        return 0
    stats = cache.stats()
    print(f"{stats['path']}: {stats['entries']} translations, {stats['bytes'] / 1e6:.1f} MB")
    for row in stats["signatures"]:
        print(f"  {row['entries']:>8}  {row['signature']}")
    return 0


def _translate(args: argparse.Namespace) -> int:
    from .formats import render
    from .inputs import find_sources, output_path
    from .document import segment_document

    started = time.perf_counter()
    if args.beams < 1 or args.batch_size < 1:
        raise UsageError("--beams and --batch-size must be at least 1")
    sources, problems = find_sources(args.paths)
    out_dir = Path(args.out) if args.out else None
    if out_dir is not None:
        _check_writable(out_dir)

    # Read, segment, and decide every output before the (slow) model is touched.
    jobs, claimed = [], set()
    for source in sources:
        try:
            target = None
            if out_dir is not None and source.path is not None:
                target = output_path(source, out_dir, args.format)
                if target in claimed:
                    raise OutputError(f"{source.label}: another input also writes {target}; rename one")
                if target.exists() and not args.force:
                    raise OutputError(f"{source.label}: {target} exists; pass --force to overwrite it")
                claimed.add(target)
            document = segment_document(source.read(args.encoding), name=source.relative.name if source.relative else "stdin")
            jobs.append((source, target, document))
        except TranslateError as error:
            problems.append(error)
    for problem in problems:
        print(f"{PROG}: error: {problem}", file=sys.stderr)

    total = sum(len(document.sentences) for _, _, document in jobs)
    cached = 0
    if jobs:
        translator = translator_from_args(args)
        bar = _progress_bar(total, args.quiet)
        previous = [document for _, _, document in jobs]
        try:
            for documents in translator.stream_documents(previous):
                for number, (old, document) in enumerate(zip(previous, documents)):
                    if document is old:  # untouched by this step
                        continue
                    bar.update(document.done_count - old.done_count)
                    if not document.done:
                        continue
                    cached += document.cached_count
                    source, target, _ = jobs[number]
                    try:
                        _emit(render(document, args.format), target, bar,
                              many=len(jobs) > 1 and target is None, label=source.label)
                    except OutputError as error:
                        problems.append(error)
                        print(f"{PROG}: error: {error}", file=sys.stderr)
                previous = documents
        finally:
            bar.close()
    elapsed = time.perf_counter() - started
    print(f"translated {total} sentences ({cached} from cache) in {elapsed:.1f} s", file=sys.stderr)
    return 1 if problems else 0


def _check_writable(out_dir: Path) -> None:
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(f"cannot create output folder {out_dir}: {error.strerror or error}") from None
    probe = out_dir / f".write-test-{time.time_ns()}"
    try:
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as error:
        raise OutputError(f"cannot write to output folder {out_dir}: {error.strerror or error}") from None


def _emit(text: str, target: Path | None, bar, many: bool, label: str) -> None:
    from .inputs import write_atomically

    if target is None:
        bar.clear()
        if many:
            sys.stdout.write(f"==> {label} <==\n")
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    try:
        write_atomically(target, text)
    except OSError as error:
        raise OutputError(f"cannot write {target}: {error.strerror or error}") from None


def _progress_bar(total: int, quiet: bool):
    from tqdm import tqdm

    return tqdm(total=total, unit="sentence", file=sys.stderr, disable=quiet, leave=False,
                dynamic_ncols=True)
