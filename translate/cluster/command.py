"""The ``batch`` command's cluster and dataset options, and its dataset branch.

``translate batch archive.jsonl --out out/`` translates a dataset here;
``--cluster ray`` (or ``--ray-address ADDRESS``) runs it, or a folder of
articles, on Ray. The CLI calls :func:`add_options`, :func:`dataset_job` /
:func:`run_dataset` and :func:`on_cluster`; everything else stays in the library.
"""
from __future__ import annotations

import argparse
import sys

from ..options import library_from_args, positive, translator_from_args
from . import parts
from .job import DEFAULT_BLOCK_ROWS, DEFAULT_ROWS_PER_PART, DatasetProgress, RayCluster, translate_dataset


def add_options(parser: argparse.ArgumentParser) -> None:
    """``--cluster``, ``--ray-address``, ``--actors``, ``--threads``, ``--worker-model``,
    ``--worker-cache-dir``, ``--id-column``, ``--text-column``, ``--rows-per-part``, ``--block-rows``."""
    group = parser.add_argument_group(
        "datasets and clusters",
        "A .jsonl/.parquet file (or a folder of them) is a dataset of {id, text} rows: its translations go "
        "to --out as part-NNNNN.jsonl (or .parquet with --format parquet); a rerun skips the rows written.")
    group.add_argument("--cluster", choices=("ray",), default=None,
                       help="run the model on Ray: a local Ray, or the cluster named by --ray-address")
    group.add_argument("--ray-address", default=None, metavar="ADDRESS",
                       help="join this Ray cluster (HOST:PORT of the head, or auto); implies --cluster ray")
    group.add_argument("--actors", type=positive, default=None, metavar="N",
                       help="translating actors (default: one per --threads CPUs of the cluster)")
    group.add_argument("--threads", type=positive, default=1, metavar="N",
                       help="CPU threads per actor (default: %(default)s)")
    group.add_argument("--worker-model", default=None, metavar="ID_OR_PATH",
                       help="the model as the workers find it, when not at the same place as here")
    group.add_argument("--worker-cache-dir", default=None, metavar="DIR",
                       help="where workers keep the converted model (default: this cache folder)")
    group.add_argument("--id-column", default="id", metavar="NAME", help="the rows' id column (default: id)")
    group.add_argument("--text-column", default="text", metavar="NAME",
                       help="the rows' Arabic text column (default: text)")
    group.add_argument("--rows-per-part", type=positive, default=DEFAULT_ROWS_PER_PART, metavar="N",
                       help="rows per output part (default: %(default)s)")
    group.add_argument("--block-rows", type=positive, default=DEFAULT_BLOCK_ROWS, metavar="N",
                       help="rows translated together, and taken by an actor at a time; runs that must give "
                            "the same bytes use the same value (default: %(default)s)")


def cluster_of(args: argparse.Namespace) -> RayCluster | None:
    """The cluster the options ask for (None: run here)."""
    if not (args.cluster or args.ray_address):
        return None
    return RayCluster(address=args.ray_address, actors=args.actors, threads=args.threads,
                      worker_model=args.worker_model, worker_cache_dir=args.worker_cache_dir,
                      verbose=getattr(args, "verbose", False))


def dataset_job(args: argparse.Namespace) -> bool:
    """True when the inputs are datasets (JSONL or Parquet), not articles."""
    return any(path != "-" and parts.dataset_kind(path) for path in args.paths)


def on_cluster(args: argparse.Namespace, translator):
    """The translator ``translate_files`` should use: its model step on Ray when asked, else ``translator``."""
    cluster = cluster_of(args)
    if cluster is None:
        return translator
    from .ray_executor import RayExecutor

    return translator.variant(executor=RayExecutor(cluster))


def run_dataset(args: argparse.Namespace) -> int:
    """The dataset branch of ``translate batch``; returns the exit code.

    Raises:
        TranslateError: as the library raises it (the CLI prints it).
    """
    from ..errors import UsageError

    if args.out is None:
        raise UsageError("a dataset needs --out DIR for its output parts", reason="no-out")
    fmt = parts.JSONL if args.format in ("txt", parts.JSONL) else args.format
    bar = _RowsBar(quiet=args.quiet)
    report = None
    try:
        report = translate_dataset(args.paths, args.out, translator=translator_from_args(args),
                                   cluster=cluster_of(args), id_column=args.id_column, text_column=args.text_column,
                                   output_format=fmt, rows_per_part=args.rows_per_part,
                                   block_rows=args.block_rows, force=args.force, library=library_from_args(args),
                                   progress=bar.update if bar.enabled else None)
    except BaseException as error:
        report = getattr(error, "partial_report", None)
        raise
    finally:
        bar.close()
        if report is not None:
            for message in report.errors:  # one line per bad row, as for bad files
                print(f"translate: error: {message}", file=sys.stderr)
            if report.failed > len(report.errors):
                print(f"translate: error: … and {report.failed - len(report.errors):,} more bad rows "
                      f"(their errors are in the output)", file=sys.stderr)
            print(report.summary(), file=sys.stderr)
    return 0 if not report.failed else 1


class _RowsBar:
    """Rows done (with ETA) and sentences per second, on stderr when it is a terminal."""

    def __init__(self, quiet: bool):
        self.enabled = not quiet and sys.stderr.isatty()
        self._bar = None

    def update(self, progress: DatasetProgress) -> None:
        if not self.enabled:
            return
        if self._bar is None:
            from tqdm import tqdm

            self._bar = tqdm(total=progress.total, unit="row", file=sys.stderr, leave=False, dynamic_ncols=True)
        self._bar.update(progress.rows - self._bar.n)
        self._bar.set_postfix_str(f"{progress.sentences:,} sentences, {progress.rate:.1f} sentences/s")

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
