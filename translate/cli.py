"""The command line: ``translate [batch] FILE_OR_DIR... [--out DIR]`` and its other commands.

Parses arguments, calls the library and prints results. Every
:class:`TranslateError` becomes one ``translate: error: …`` line (with the CLI's
own advice from :data:`HINTS`) and an exit code, never a traceback.
``python app.py --batch ...`` and ``python -m translate`` land here.
"""
from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys

from . import config
from .cluster import command as cluster_command
from .errors import TranslateError, crash_report
from .options import add_cache_dir_option, add_model_options, library_from_args, positive, translator_from_args
from .wording import plural

log = logging.getLogger("translate")
PROG = "translate"

#: The CLI's advice for each kind of library error (``TranslateError.reason``),
#: formatted with the error's details. The page has its own, naming buttons.
HINTS = {
    "wrong-encoding": "pass --encoding {encoding}",
    "unknown-encoding": "pass --encoding with an encoding Python knows",
    "binary": "pass a text file (UTF-8 or UTF-16)",
    "model-not-found": "run `translate download {model}` on a connected machine (and copy the Hugging Face "
                       "cache here), or pass --model PATH to a folder holding the model",
    "no-such-model-folder": "pass --model with an existing folder or a hub id",
    "not-a-model-folder": "pass --model a model folder, or a hub id such as Helsinki-NLP/opus-mt-ar-en",
    "download-failed": "check the model name and the network, or copy a downloaded model folder here and "
                       "pass --model PATH",
    "output-exists": "pass --force to overwrite it",
    "output-edited": "pass --force to overwrite it",
    "convert-failed": "try --engine transformers",
    "convert-unwritable": "pass a writable --cache-dir, or --engine transformers",
    "converted-broken": "or run `translate cache clear --models`",
    "engine-missing": "or pass --engine transformers",
    "too-big": "or split the file",
    "binary-to-stdout": "pass --out DIR",
    "glossary-missing": "check the path given to --glossary",
    "glossary-too-big": "split the glossary, or keep the terms your texts use",
    "glossary-binary": "pass a .tsv or .csv text file to --glossary (from a spreadsheet: save as CSV UTF-8)",
    "glossary-encoding": "save the glossary as UTF-8 (from a spreadsheet: save as CSV UTF-8)",
    "glossary-empty": "write one term per line: the Arabic term, a tab (a comma in .csv), its English rendering",
    "glossary-line": "write one term per line: the Arabic term, a {separator}, its English rendering",
    "glossary-term": "the first column holds the Arabic term; fix line {line} of the glossary",
    "glossary-rendering": "the second column holds the English rendering; fix line {line} of the glossary",
    "glossary-duplicate": "keep one of the two lines in the glossary",
}


def error_line(error: TranslateError) -> str:
    """``translate: error: <message>; <hint>``."""
    hint = HINTS.get(error.reason or "")
    if hint:
        details = {k: ("NAME" if v is None else v) for k, v in error.details.items()}
        with contextlib.suppress(KeyError, IndexError):
            return f"{PROG}: error: {error}; {hint.format(**details)}"
    return f"{PROG}: error: {error}"


#: What each command was doing, for the line that reports an unexpected failure.
DOING = {"batch": "translating", "download": "downloading the model", "cache": "working on the cache",
         "memory": "working on your translation memory", "info": "reading the signature",
         "users": "working on the accounts", "library": "working on the library"}


def unexpected_line(error: BaseException, command: str, *, verbose: bool = False) -> str:
    """``translate: error: …`` for an error that is not the library's own."""
    return f"{PROG}: error: {crash_report(error, DOING.get(command, command), verbose=verbose)}"


class _Formatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        if record.levelno == config.NOTICE:  # what started: no level word
            return f"{PROG}: {record.getMessage()}"
        return f"{PROG}: {record.levelname.lower()}: {record.getMessage()}"


@contextlib.contextmanager
def _logging_to_stderr(verbose: bool):
    """Library warnings as ``translate: warning: …`` lines for the length of a
    command; the logger is left as it was found (main() may run in-process)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_Formatter())
    saved = log.level, log.propagate
    log.addHandler(handler)
    log.setLevel(logging.INFO if verbose else config.NOTICE)
    log.propagate = False
    try:
        yield
    finally:
        log.removeHandler(handler)
        log.setLevel(saved[0])
        log.propagate = saved[1]


COMMANDS = ("batch", "download", "cache", "memory", "info", "users", "library")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Translate Arabic text files to English, sentence by sentence, with an on-disk cache. "
                    f"`{PROG} FILE...` is short for `{PROG} batch FILE...`.",
    )
    parser.add_argument("--version", action="version", version=f"translate-ar-en {config.VERSION}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    batch = commands.add_parser(
        "batch", help="translate files, folders and web articles (the default command)",
        description="Translate documents: .txt/.md, web pages (.html, or an http(s) address), Word .docx, "
                    "PDF, subtitles .srt and EPUB; folders are searched recursively.",
        formatter_class=argparse.RawDescriptionHelpFormatter, epilog=_formats_help())
    batch.add_argument("paths", nargs="+", metavar="FILE_DIR_OR_URL",
                       help="files, folders or web addresses; - reads standard input")
    batch.add_argument("--out", default=None, metavar="DIR",
                       help="write <name>.en.<format> files here (default: print to standard output)")
    batch.add_argument("--format", default=config.DEFAULT_FORMAT, metavar="FORMATS",
                       help="output formats, several with commas, e.g. same,tmx (default: %(default)s; "
                            "see the list below)")
    batch.add_argument("--force", action="store_true",
                       help="rewrite every output, even up-to-date ones and files edited by hand")
    batch.add_argument("--encoding", default=None,
                       help="input encoding, e.g. cp1256 (default: UTF-8 or UTF-16, detected)")
    batch.add_argument("--quiet", action="store_true", help="no progress bar")
    batch.add_argument("--verbose", action="store_true",
                       help="say what is loaded, how long it took, and each file's blocks")
    batch.add_argument("--allow-private-urls", action="store_true",
                       help="also fetch addresses on this machine or its private network (off by default)")
    add_model_options(batch)
    cluster_command.add_options(batch)

    download = commands.add_parser("download", help="fetch a model into the Hugging Face cache",
                                   description="Fetch a model into the Hugging Face cache (needs the network).")
    download.add_argument("model", nargs="?", default=None, help=f"hub id (default: {config.DEFAULT_MODEL})")
    download.add_argument("--revision", default=None, help="branch, tag or commit")
    add_verbose_option(download)

    cache = commands.add_parser("cache", help="show or empty the translation cache",
                                description="Show or empty the translation cache.")
    cache.add_argument("action", choices=("stats", "clear"),
                       help="stats: entries per signature; clear: delete every cached translation")
    cache.add_argument("--models", action="store_true", help="with clear: also delete the converted models")
    add_cache_dir_option(cache)
    add_verbose_option(cache)

    memory = commands.add_parser(
        "memory", help="list, remove, export or import your own translations (the translation memory)",
        description="Your own translations (chosen in the reader, or imported) are used ahead of the cache and "
                    "the model wherever their Arabic sentence comes again; --no-memory leaves them out.")
    memory.add_argument("action", choices=("list", "remove", "export", "import"),
                        help="list: every entry; remove SOURCE: forget one sentence; export FILE.tmx / "
                             "import FILE.tmx: move the memory as TMX 1.4")
    memory.add_argument("target", nargs="?", default=None, metavar="SOURCE_OR_FILE",
                        help="remove: the exact Arabic sentence; export, import: the .tmx file")
    memory.add_argument("--force", action="store_true", help="with export: overwrite an existing file")
    add_cache_dir_option(memory)
    add_verbose_option(memory)

    library = commands.add_parser(
        "library", help="list, search, show, remove or export the translated documents (the library)",
        description="Every document translated here (files, folders, web pages, dataset rows, the page) is kept in "
                    "the library: search it in Arabic or English (words, and \"phrases\"; a document must hold "
                    "them all), show one, remove one, or export them all as JSON lines. A dataset job's rows are "
                    "indexed after the job, in the background; `index` (and every other action) finishes that "
                    "first.")
    library.add_argument("action", choices=("list", "search", "show", "remove", "export", "index"),
                         help="what to do")
    library.add_argument("target", nargs="?", default=None, metavar="QUERY_ID_OR_FILE",
                         help="search: the words; show, remove: the document's number (from list); export: the "
                              "file to write (default: standard output)")
    library.add_argument("--since", type=_day, default=None, metavar="YYYY-MM-DD", help="translated on or after")
    library.add_argument("--until", type=_day, default=None, metavar="YYYY-MM-DD", help="translated before")
    library.add_argument("--source", default=None, metavar="TEXT", help="whose path, address or dataset holds TEXT")
    library.add_argument("--limit", type=positive, default=50, metavar="N", help="at most N documents (50)")
    library.add_argument("--format", default=None, metavar="FORMAT",
                         help="with show: write the document in a format of `translate batch` (txt, md, html, "
                              "jsonl, tmx, xliff) instead of its pairs")
    library.add_argument("--force", action="store_true", help="with export: overwrite an existing file")
    library.add_argument("--background", action="store_true", help=argparse.SUPPRESS)  # index, as a job starts it
    add_cache_dir_option(library)
    add_verbose_option(library)

    users = commands.add_parser(
        "users", help="the accounts of a shared reader (python app.py --users FILE)",
        description="Add, remove or list the accounts that may sign in to a reader started with --users FILE. "
                    "`add` reads the password from standard input (asked twice on a terminal) and keeps only a "
                    "salted scrypt hash; `key` prints a new API key for the LibreTranslate-style endpoints once.")
    users.add_argument("action", choices=("add", "remove", "list", "key"), help="what to do")
    users.add_argument("name", nargs="?", default=None, help="the user's name (add, remove, key)")
    users.add_argument("--users", required=True, metavar="FILE", help="the accounts file (created by the first add)")
    users.add_argument("--editor", action="store_true",
                       help="with add: may also write the team memory (python app.py --team-memory)")
    users.add_argument("--replace", action="store_true", help="with add: set a new password for an existing user")
    add_verbose_option(users)

    info = commands.add_parser("info", help="print the signature: what a translation would be made with",
                               description="Print the version, the cache folder and the signature (model, "
                                           "revision, engine, settings) that translations would carry.")
    add_model_options(info)
    add_verbose_option(info)
    return parser


def add_verbose_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--verbose", action="store_true",
                        help="say more; print the traceback of an unexpected failure")


def _formats_help() -> str:
    from .writers import FORMATS

    lines = [f"  {name:<6} {writer.description}" for name, writer in FORMATS.items()]
    return "output formats:\n" + "\n".join(lines) + "\n  same   the input's own format (a .docx stays .docx, " \
        "an .srt keeps its timings)"


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns the exit code (0 ok, 1 some input failed, 2 usage, 130 interrupted)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] not in COMMANDS and argv[0] not in ("-h", "--help", "--version"):
        argv = ["batch", *argv]  # `translate FILE...`; `translate batch cache` translates a file named cache
    parser = build_parser()
    if not argv:
        parser.print_usage(sys.stderr)
        print(f"{PROG}: error: name the files or folders to translate (or see `{PROG} --help`)", file=sys.stderr)
        return 2
    args = parser.parse_args(argv)
    try:
        with _logging_to_stderr(getattr(args, "verbose", False)):
            return {"batch": _batch, "download": _download, "cache": _cache, "memory": _memory,
                    "info": _info, "users": _users, "library": _library}[args.command](args)
    except TranslateError as error:
        print(error_line(error), file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted; finished sentences are in the cache", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `translate … | head`: the reader has seen enough
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except Exception as error:  # never a traceback: one line, the traceback in a file
        print(unexpected_line(error, args.command, verbose=getattr(args, "verbose", False)), file=sys.stderr)
        return 1


def _download(args: argparse.Namespace) -> int:
    from .engines.model_files import download_model

    model = download_model(args.model or config.default_model(), args.revision)
    print(f"downloaded {model.name} (revision {model.revision}) to {model.path}")
    return 0


def _cache(args: argparse.Namespace) -> int:
    from .store.cache import TranslationCache, clear_cache

    folder = config.cache_dir(args.cache_dir)
    if args.action == "clear":
        print(clear_cache(folder, models=args.models).summary())
        print(_memory_kept(folder))
        return 0
    stats = TranslationCache(folder).stats()
    state = "" if stats.state == "ok" else f" ({stats.state})"
    print(f"{stats.path}: {stats.entries:,} translations, {stats.bytes / 1e6:.1f} MB{state}")
    for description, entries in stats.signatures:
        print(f"  {entries:>8}  {description}")
    return 0


def _memory_kept(folder) -> str:
    """The line that says `cache clear` left the translation memory alone."""
    from .errors import CacheError
    from .store.memory import TranslationMemory

    memory = TranslationMemory(folder)
    try:
        count = f"{plural(len(memory), 'translation')}, " if memory.path.exists() else ""
    except CacheError:
        count = ""
    return (f"kept your translation memory ({count}{memory.path}): `{PROG} memory list` shows it, "
            f"`{PROG} memory remove` forgets a sentence")


def _memory(args: argparse.Namespace) -> int:
    import time

    from .errors import UsageError
    from .store.memory import TranslationMemory

    memory = TranslationMemory(config.cache_dir(args.cache_dir))
    if args.action == "list":
        entries = memory.entries()
        for entry in entries:
            when = time.strftime("%Y-%m-%d %H:%M", time.localtime(entry.saved))
            sys.stdout.write(f"{when}\t{_one_line(entry.source)}\t{_one_line(entry.translation)}\n")
        print(f"{plural(len(entries), 'translation')} in {memory.path}" if entries else
              f"your translation memory is empty ({memory.path})", file=sys.stderr)
        return 0
    if not args.target:
        what = "the Arabic sentence to forget" if args.action == "remove" else "the .tmx file"
        raise UsageError(f"memory {args.action} needs {what}, e.g. `{PROG} memory {args.action} "
                         f"{'SOURCE' if args.action == 'remove' else 'memory.tmx'}`")
    if args.action == "remove":
        if not memory.remove(args.target):
            print(f"{PROG}: error: your translation memory has no entry for that sentence (it must match "
                  f"exactly; `{PROG} memory list` shows them)", file=sys.stderr)
            return 1
        print(f"removed it from {memory.path}")
        return 0
    if args.action == "export":
        count = memory.export_tmx(args.target, force=args.force)
        print(f"exported {plural(count, 'translation')} to {args.target}")
        return 0
    print(memory.import_tmx(args.target).summary())
    return 0



def _one_line(text: str) -> str:
    return " ".join(text.split())


def _day(text: str) -> float:
    """An argparse type: a day as YYYY-MM-DD, as the time its midnight starts (local time)."""
    import time

    try:
        return time.mktime(time.strptime(text, "%Y-%m-%d"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a day written YYYY-MM-DD") from None


def _index_staged(library, *, quiet: bool) -> int:
    """Index what dataset jobs staged, saying so when it is many (a library that cannot be
    written is read as it is, with a warning, except by ``library index``)."""
    from .errors import CacheError

    try:
        waiting = library.pending()
        if not waiting:
            return 0
        if waiting >= 1_000 or not quiet:
            print(f"indexing {plural(waiting, 'document')} that dataset jobs recorded…", file=sys.stderr)
        return library.index()
    except CacheError as error:
        if not quiet:
            raise
        print(f"{PROG}: warning: {error}; the documents of dataset jobs not yet indexed are left out",
              file=sys.stderr)
        return 0


def _library(args: argparse.Namespace) -> int:
    import json
    import time

    from .errors import OutputError, UsageError
    from .store.library import Library

    library = Library(config.cache_dir(args.cache_dir))
    filters = dict(since=args.since, until=args.until, source=args.source)
    if args.background:  # started by a dataset job: at a low priority, silent, and never an error
        if hasattr(os, "nice"):
            os.nice(10)
        try:
            library.index()
        except Exception:  # noqa: BLE001 - nobody reads this process's output; the next action indexes again
            pass
        return 0
    if args.action in ("list", "index") and args.target is not None:
        raise UsageError(f"library {args.action} takes no {args.target!r}; `{PROG} library search WORDS` searches")
    indexed = _index_staged(library, quiet=args.action != "index")
    if args.action == "index":
        print(f"indexed {plural(indexed, 'document')} in {library.path}" if indexed else
              f"nothing to index in {library.path}", file=sys.stderr)
        return 0

    def name(entry) -> str:
        """A document's title, else the last part of its path (its address, its dataset row: whole)."""
        return _one_line(entry.title or (os.path.basename(entry.source) if entry.kind == "file" else entry.source))

    def when(entry) -> str:
        return time.strftime("%Y-%m-%d %H:%M", time.localtime(entry.translated))

    if args.action == "list":
        entries = library.entries(limit=args.limit, **filters)
        for entry in entries:
            sys.stdout.write(f"{entry.id}\t{when(entry)}\t{entry.kind}\t{plural(entry.sentences, 'sentence')}\t"
                             f"{name(entry)}\n")
        print(f"{plural(len(entries), 'document')} listed from {library.path}" if entries else
              f"the library is empty ({library.path})", file=sys.stderr)
        return 0
    if args.action == "export":
        rows = (json.dumps(document, ensure_ascii=False) + "\n" for document in library.export())
        if args.target is None:
            count = sum(1 for row in rows if sys.stdout.write(row) is not None)
        else:
            from pathlib import Path

            from .outputs import write_atomically

            target = Path(args.target)
            if target.exists() and not args.force:
                raise OutputError(f"{target} exists; not overwriting it", reason="output-exists", path=target)
            lines = list(rows)
            try:
                write_atomically(target, "".join(lines))
            except OSError as error:
                raise OutputError(f"cannot write {target}: {error.strerror or error}", reason="unwritable") from None
            count = len(lines)
        print(f"exported {plural(count, 'document')}", file=sys.stderr)
        return 0
    if not args.target:
        what = "the words to search for" if args.action == "search" else "the document's number (see `list`)"
        raise UsageError(f"library {args.action} needs {what}")
    if args.action == "search":
        found = library.search(args.target, limit=args.limit, **filters)
        for result in found:
            entry = result.entry
            sys.stdout.write(f"{entry.id}\t{when(entry)}\t{entry.kind}\t{name(entry)}\n")
            for hit in result.hits:
                sys.stdout.write(f"  {hit.index}\t{_one_line(hit.marked_source)}\n"
                                 f"  \t{_one_line(hit.marked_translation)}\n")
        print(f"{plural(len(found), 'document')} found for {args.target!r}", file=sys.stderr)
        return 0  # finding nothing is an answer, not a failure
    if not args.target.isdigit():
        raise UsageError(f"{args.target!r} is not a document number; `{PROG} library list` shows them")
    number = int(args.target)
    if args.action == "remove":
        if not library.remove(number):
            print(f"{PROG}: error: the library has no document {number}", file=sys.stderr)
            return 1
        print(f"removed document {number} from {library.path}")
        return 0
    found = library.document(number)
    if found is None:
        print(f"{PROG}: error: the library has no document {number}", file=sys.stderr)
        return 1
    entry, document = found
    if args.format:
        from .writers import write
        from .writers.bilingual import FORMATS as TEXT_FORMATS

        if args.format not in (*TEXT_FORMATS, "tmx", "xliff"):
            raise UsageError(f"show writes txt, md, html, jsonl, tmx or xliff, not {args.format!r}")
        sys.stdout.write(write(document, args.format, signature=document.signature).decode("utf-8"))
        return 0
    print(f"{entry.id}\t{when(entry)}\t{entry.kind}\t{name(entry)}\t{entry.source}")
    for pair in document.sentences:
        sys.stdout.write(f"{pair.index}\t{_one_line(pair.source)}\t{_one_line(pair.translation or '')}\n")
    return 0


def _users(args: argparse.Namespace) -> int:
    import getpass
    import time

    from .errors import UsageError
    from .store.users import UserStore

    store = UserStore(args.users)
    if args.action == "list":
        accounts = store.users()
        for user in accounts:
            when = time.strftime("%Y-%m-%d %H:%M", time.localtime(user.created))
            role = "editor" if user.editor else "reader"
            sys.stdout.write(f"{user.name}\t{role}\t{when}\t{plural(user.keys, 'API key')}\n")
        print(f"{plural(len(accounts), 'user')} in {store.path}", file=sys.stderr)
        return 0
    if not args.name:
        raise UsageError(f"users {args.action} needs a name, e.g. `{PROG} users {args.action} amira --users FILE`")
    if args.action == "remove":
        if not store.remove(args.name):
            print(f"{PROG}: error: {store.path} has no user {args.name}", file=sys.stderr)
            return 1
        print(f"removed {args.name} (and their API keys) from {store.path}")
        return 0
    if args.action == "key":
        key = store.new_key(args.name)
        print(key)
        print(f"a new API key for {args.name}: it is shown this once; {store.path} keeps only its hash",
              file=sys.stderr)
        return 0
    if sys.stdin.isatty():
        password = getpass.getpass(f"password for {args.name}: ")
        if getpass.getpass("again: ") != password:
            raise UsageError("the two passwords differ; nothing was changed", reason="password-mismatch")
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    user = store.add(args.name, password, editor=args.editor, replace=args.replace)
    print(f"{'set the password of' if args.replace else 'added'} {user.name} "
          f"({'editor' if user.editor else 'reader'}) in {store.path}")
    return 0


def _info(args: argparse.Namespace) -> int:
    translator = translator_from_args(args)
    print(f"translate-ar-en {config.VERSION}")
    print(f"cache: {translator.cache.folder if translator.cache else 'off'}")
    signature = translator.signature
    if translator.glossary is not None:
        print(f"glossary: {translator.glossary.name} ({len(translator.glossary):,} terms, "
              f"{translator.glossary.digest})")
    print(f"signature: {signature}")
    print(f"cache key: {translator.raw_signature.key}")
    return 0


def _batch(args: argparse.Namespace) -> int:
    from .batch import BatchReport, translate_files

    if cluster_command.dataset_job(args):  # JSONL/Parquet rows, here or on Ray
        return cluster_command.run_dataset(args)
    report = BatchReport()
    bar = _ProgressBar(quiet=args.quiet)

    def on_file(result) -> None:
        if result.error is not None:
            bar.clear()
            print(error_line(result.error), file=sys.stderr)
            return
        if result.blocks_translated < result.blocks_read or args.verbose:
            bar.clear()
            level = "warning" if result.blocks_translated < result.blocks_read else "info"
            print(f"{PROG}: {level}: {result.label}: {result.blocks_read:,} blocks read, "
                  f"{result.blocks_translated:,} translated", file=sys.stderr)
        elif result.rendered:
            bar.clear()
            if len(args.paths) > 1 or any(os.path.isdir(p) for p in args.paths):
                sys.stdout.write(f"==> {result.label} <==\n")
            for text in result.rendered.values():
                sys.stdout.write(text)
            sys.stdout.flush()

    # The summary is the last line on stderr, whatever happens.
    code = 1
    try:
        translator = cluster_command.on_cluster(args, translator_from_args(args))  # --cluster ray: on Ray
        report = translate_files(args.paths, args.out, translator=translator, formats=args.format,
                                 force=args.force, encoding=args.encoding, progress=bar.update, on_file=on_file,
                                 allow_private_urls=args.allow_private_urls, library=library_from_args(args))
        code = 0 if report.ok else 1
    except TranslateError as error:
        report = getattr(error, "partial_report", report)
        bar.close()
        print(error_line(error), file=sys.stderr)
        code = error.exit_code
    except KeyboardInterrupt as error:
        report = getattr(error, "partial_report", report)
        bar.close()
        print(f"{PROG}: interrupted; finished sentences are in the cache", file=sys.stderr)
        code = 130
    except Exception as error:  # a bug or a broken install: one line, and the summary still last
        report = getattr(error, "partial_report", report)
        bar.close()
        print(unexpected_line(error, "batch", verbose=args.verbose), file=sys.stderr)
        code = 1
    finally:
        bar.close()
        print(report.summary(), file=sys.stderr)
    return code


class _ProgressBar:
    """A tqdm bar on stderr, drawn only on a terminal and only once the model has
    work to do (a fully cached run shows none)."""

    def __init__(self, quiet: bool):
        self.enabled = not quiet and sys.stderr.isatty()
        self._bar = None

    def update(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        if self._bar is None:
            if done >= total:
                return
            from tqdm import tqdm

            self._bar = tqdm(total=total, initial=done, unit="sentence", file=sys.stderr, leave=False,
                             dynamic_ncols=True)
        else:
            self._bar.update(done - self._bar.n)

    def clear(self) -> None:
        if self._bar is not None:
            self._bar.clear()

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
