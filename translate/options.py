"""The model and cache options that the CLI and the page share, and the
:class:`Translator` they describe (one source for their names, help and defaults)."""
from __future__ import annotations

import argparse

from . import config
from .pipeline.translator import Translator


def add_model_options(parser: argparse.ArgumentParser) -> None:
    """``--model``, ``--revision``, ``--cache-dir``, ``--no-cache``, ``--no-memory``, ``--no-library``,
    ``--engine``, ``--device``, ``--beams``, ``--batch-size``, ``--offline``, ``--glossary``."""
    group = parser.add_argument_group("model and cache")
    group.add_argument("--model", default=None, metavar="ID_OR_PATH",
                       help=f"hub id or local folder of a Marian model "
                            f"(default: ${config.MODEL_ENV} or {config.DEFAULT_MODEL})")
    group.add_argument("--revision", default=None, help="hub branch, tag or commit of the model")
    add_cache_dir_option(group)
    group.add_argument("--no-cache", action="store_true", help="neither read nor write the cache")
    group.add_argument("--no-memory", action="store_true",
                       help="leave out your translation memory (`translate memory`): the model's translations only")
    group.add_argument("--no-library", action="store_true",
                       help="do not record the translated documents in the library (`translate library`)")
    group.add_argument("--engine", default=config.DEFAULT_ENGINE, choices=config.ENGINES,
                       help="auto: CTranslate2 when installed, else transformers (default: %(default)s)")
    group.add_argument("--device", default=config.DEFAULT_DEVICE, choices=config.DEVICES,
                       help="auto: CUDA when present (default: %(default)s)")
    group.add_argument("--beams", type=positive, default=config.DEFAULT_BEAMS, metavar="N",
                       help="beam size (default: %(default)s)")
    group.add_argument("--batch-size", type=positive, default=config.DEFAULT_BATCH_SIZE, metavar="N",
                       help="sentences per model call (default: %(default)s)")
    group.add_argument("--offline", action="store_true",
                       help="use only local model files, never the network (also: HF_HUB_OFFLINE=1)")
    group.add_argument("--glossary", default=None, metavar="FILE",
                       help="names and terms to render the same every time: a .tsv or .csv of Arabic term, "
                            "English rendering (one per line)")


def add_cache_dir_option(parser) -> None:
    parser.add_argument("--cache-dir", default=None, metavar="DIR",
                        help=f"cache folder (default: ${config.CACHE_DIR_ENV}, else the checkout's cache/ "
                             f"or your user cache folder)")


def positive(text: str) -> int:
    """An argparse type: an integer of at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is below 1")
    return value


def port_number(text: str) -> int:
    """An argparse type: a TCP port number, 1-65535."""
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port number (1-65535)")
    return port


def library_from_args(args: argparse.Namespace):
    """The library the translated documents go into (None with ``--no-library``)."""
    if getattr(args, "no_library", False):
        return None
    from .store.library import Library

    return Library(config.cache_dir(args.cache_dir))


def translator_from_args(args: argparse.Namespace) -> Translator:
    """The :class:`Translator` the shared options describe."""
    return Translator.from_options(
        args.model, revision=args.revision, cache_dir=args.cache_dir, use_cache=not args.no_cache,
        engine=args.engine, device=args.device, beams=args.beams, batch_size=args.batch_size,
        offline=True if args.offline else None, glossary=getattr(args, "glossary", None),
        use_memory=not getattr(args, "no_memory", False),
    )
