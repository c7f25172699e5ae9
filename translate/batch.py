"""The batch job as a library call: :func:`translate_files`.

Read every input, decide every output before the (slow) model is touched,
translate all documents together (shared batches, shared cache), write each
output as soon as its document is complete, and report per file. One bad file
never stops the others; nothing already translated is lost (it is in the cache).
"""
from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from . import config, readers, writers
from .errors import OutputError, TranslateError
from .inputs import Source, find_sources
from .outputs import OutputManifest, OutputState, digest, output_path, write_atomically
from .pipeline.translator import Progress, Translator
from .signature import signature_key
from .store.library import FILE, URL, Library
from .store.library import Source as LibrarySource
from .text.document import Document
from .wording import plural

log = logging.getLogger("translate")

TRANSLATED, UP_TO_DATE, FAILED = "translated", "up to date", "failed"


@dataclass
class FileResult:
    """What became of one input.

    Attributes:
        label: the input as named by the caller (``<stdin>`` for standard input).
        status: ``translated``, ``up to date`` or ``failed``.
        outputs: the files written (or found up to date), by format.
        rendered: with no output folder, each format's text, by format.
        error: why it failed (status ``failed``).
        sentences, cached: its sentences, and how many came from the cache.
        blocks_read, blocks_translated: its blocks (paragraphs, headings, cues,
            cells…) as read, and how many of them came out translated.
        document: the translated document (None when up to date or failed).
    """

    label: str
    status: str
    outputs: dict[str, Path] = field(default_factory=dict)
    rendered: dict[str, str] = field(default_factory=dict)
    error: TranslateError | None = None
    sentences: int = 0
    cached: int = 0
    blocks_read: int = 0
    blocks_translated: int = 0
    document: Document | None = None


@dataclass
class BatchReport:
    """The outcome of :func:`translate_files`: one :class:`FileResult` per input
    (and per path that gave none), and the totals."""

    files: list[FileResult] = field(default_factory=list)
    seconds: float = 0.0

    def count(self, status: str) -> int:
        return sum(result.status == status for result in self.files)

    @property
    def errors(self) -> list[TranslateError]:
        return [result.error for result in self.files if result.error is not None]

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def sentences(self) -> int:
        """Sentences of the inputs translated in this run (up-to-date files not counted)."""
        return sum(result.sentences for result in self.files if result.status == TRANSLATED)

    @property
    def cached(self) -> int:
        return sum(result.cached for result in self.files if result.status == TRANSLATED)

    def summary(self) -> str:
        """``translated N sentences (M from cache) in X.Y s``, and the files up to date."""
        up_to_date = self.count(UP_TO_DATE)
        text = f"translated {plural(self.sentences, 'sentence')} ({self.cached:,} from cache) in {self.seconds:.1f} s"
        if up_to_date:
            text += f"; {plural(up_to_date, 'file')} up to date"
        return text


def parse_formats(formats: str | Iterable[str]) -> tuple[str, ...]:
    """``"same,tmx"`` or ``["txt", "html"]`` → ``("same", "tmx")``, checked
    (the names of :data:`translate.writers.FORMATS`, and ``same``).

    Raises:
        UsageError: an unknown format, or none at all.
    """
    return writers.parse_formats(formats if isinstance(formats, str) else ",".join(formats))


@dataclass
class _Job:
    source: Source
    data: bytes  # the input as read: the docx and epub writers rebuild it
    document: Document
    input_digest: str
    formats: tuple[str, ...]  # concrete formats ("same" resolved for this document)
    targets: dict[str, Path]  # empty without an output folder
    result: FileResult


def translate_files(inputs: Iterable[str | os.PathLike], out_dir: str | os.PathLike | None = None, *,
                    translator: Translator | None = None, formats: str | Iterable[str] = config.DEFAULT_FORMAT,
                    force: bool = False, encoding: str | None = None, progress: Progress | None = None,
                    on_file: Callable[[FileResult], None] | None = None,
                    allow_private_urls: bool = False, library: Library | None = None) -> BatchReport:
    """Translate documents (files, folders, web addresses), writing ``<name>.en.<format>``
    files into ``out_dir``.

    Every format :mod:`translate.readers` reads is taken (plain text, web pages,
    Word, PDF, subtitles, EPUB); folders are searched recursively and their layout
    is kept under ``out_dir``; ``-`` reads standard input (``stdin.en.<format>``);
    an ``http(s)://`` address is fetched and its article read. An output that is complete,
    made from the same input with the same translator (signature) and not edited
    since is skipped ("up to date"); one made from another input or translator is
    made again (its unchanged sentences come from the cache); a file that was
    edited by hand, or that this job did not write, is never overwritten unless
    ``force``. Outputs are never read as inputs.

    Args:
        inputs: files, folders, or ``-``.
        out_dir: the output folder; None keeps each output's text in
            :attr:`FileResult.rendered` instead of writing it.
        translator: the translator (default: :meth:`Translator.from_options`).
        formats: output formats (:data:`translate.writers.FORMATS`, or ``same``
            for the input's own format), as ``"same,tmx"`` or a list.
        force: rewrite every output, even up-to-date, edited or foreign ones.
        encoding: the inputs' encoding (default: UTF-8 or UTF-16, detected).
        progress: called with (sentences done, sentences in all) as they finish.
        on_file: called with each file's result as soon as it is known.
        allow_private_urls: also fetch addresses on this machine or its private
            network (off: a server must not be made to reach inside its network).
        library: record each translated document there (:mod:`translate.store.library`;
            None: nowhere), so the reader can open and search it.

    Returns:
        The per-file results and totals; per-file problems are in it, not raised.

    Raises:
        UsageError: an unknown format.
        OutputError: the output folder cannot be created or written.
        ModelNotFoundError, ModelLoadError: the model is needed and cannot be had.
    """
    started = time.perf_counter()
    formats = parse_formats(formats)
    translator = translator or Translator.from_options()
    out = Path(out_dir) if out_dir is not None else None
    manifest = None
    if out is not None:
        _check_writable(out)
        manifest = OutputManifest(out)
    report = BatchReport()

    def finish(result: FileResult) -> None:
        report.files.append(result)
        if on_file:
            on_file(result)

    inputs = list(inputs)
    sources, problems = find_sources(inputs, suffixes=readers.SUFFIXES, exclude=_outputs_of(out, manifest, inputs))
    for problem in problems:
        finish(FileResult(str(problem).split(":")[0], FAILED, error=problem))

    jobs = _read_all(sources, out, formats, encoding, force, manifest, translator, finish, allow_private_urls)
    try:
        _translate_jobs(jobs, translator, manifest, progress, finish, library)
    except BaseException as error:  # the CLI still prints what was done
        error.partial_report = report
        report.seconds = time.perf_counter() - started
        raise
    report.seconds = time.perf_counter() - started
    return report


def _read_all(sources: list[Source], out: Path | None, formats: tuple[str, ...], encoding: str | None,
              force: bool, manifest: OutputManifest | None, translator: Translator,
              finish: Callable[[FileResult], None], allow_private_urls: bool) -> list[_Job]:
    """Read and segment every input and settle its outputs, before any model work."""
    jobs, claimed = [], {}
    key = None
    for source in sources:
        result = FileResult(source.label, TRANSLATED)
        try:
            data, document = _read(source, encoding, allow_private_urls)
            result.blocks_read = len(document.paragraphs)
            concrete = tuple(dict.fromkeys(writers.resolve(fmt, document) for fmt in formats))
            targets = {}
            if out is not None:
                targets = {fmt: output_path(source.relative, out, writers.FORMATS[fmt].suffix) for fmt in concrete}
                for target in targets.values():
                    if target in claimed:
                        raise OutputError(f"{source.label}: {claimed[target]} also writes {target}; rename one",
                                          reason="output-clash")
                    claimed[target] = source.label
                input_digest = _with_memory(digest(data or document.text.encode("utf-8")), translator, document)
                if key is None and not force:
                    key = translator.signature.key  # locates the model, never loads it
                states = {fmt: (OutputState.ABSENT if force else manifest.state(target, input_digest, key))
                          for fmt, target in targets.items()}
                for fmt, state in states.items():
                    if state is OutputState.EDITED:
                        raise OutputError(f"{source.label}: {targets[fmt]} was edited since it was written; "
                                          f"not overwriting it", reason="output-edited", path=targets[fmt])
                    if state is OutputState.FOREIGN:
                        raise OutputError(f"{source.label}: {targets[fmt]} exists and was not written by this "
                                          f"tool; not overwriting it", reason="output-exists", path=targets[fmt])
                if all(state is OutputState.UP_TO_DATE for state in states.values()):
                    result.status, result.outputs = UP_TO_DATE, targets
                    result.sentences = len(document.sentences)
                    finish(result)
                    continue
            else:
                input_digest = digest(data or document.text.encode("utf-8"))  # an article: its text
            jobs.append(_Job(source, data, document, input_digest, concrete, targets, result))
        except TranslateError as error:
            result.status, result.error = FAILED, error
            finish(result)
    return jobs


def _translate_jobs(jobs: list[_Job], translator: Translator, manifest: OutputManifest | None,
                    progress: Progress | None, finish: Callable[[FileResult], None],
                    library: Library | None = None) -> None:
    if not jobs:
        return
    total = sum(len(job.document.sentences) for job in jobs)
    done = 0
    previous = [job.document for job in jobs]
    for documents in translator.stream_documents(previous):
        for number, (old, document) in enumerate(zip(previous, documents)):
            if document is old:  # untouched by this step
                continue
            done += document.done_count - old.done_count
            if document.done:
                _complete(jobs[number], document, manifest, translator, finish)
                if library is not None:
                    library.record([(_library_source(jobs[number]), document)])
        if progress:
            progress(done, total)
        previous = documents


def _complete(job: _Job, document: Document, manifest: OutputManifest | None, translator: Translator,
              finish: Callable[[FileResult], None]) -> None:
    """Render a finished document and write its outputs (or keep their text)."""
    result = job.result
    result.document, result.sentences, result.cached = document, len(document.sentences), document.cached_count
    result.blocks_translated = sum(all(pair.done for pair in p.sentences) for p in document.paragraphs)
    key = signature_key(document.signature) if document.signature else ""
    written = {}
    try:
        for fmt in job.formats:
            data = writers.write(document, fmt, original=job.data, signature=document.signature,
                                 quality=translator.quality)
            target = job.targets.get(fmt)
            if target is None:
                result.rendered[fmt] = _as_text(data, fmt)
                continue
            try:
                write_atomically(target, data)
            except OSError as error:
                raise OutputError(f"cannot write {target}: {error.strerror or error}", reason="unwritable") from None
            written[target] = (job.input_digest, key, data)
            result.outputs[fmt] = target
    except TranslateError as error:
        result.status, result.error = FAILED, error
    finally:
        if manifest is not None:
            manifest.record(written)
    finish(result)


def _library_source(job: _Job) -> LibrarySource:
    """Where the library says a document came from: its address, its absolute path, or
    standard input (one entry per text)."""
    source = job.source
    if source.url is not None:
        return LibrarySource(URL, source.url)
    if source.path is not None:
        return LibrarySource(FILE, str(source.path.resolve()))
    return LibrarySource(FILE, source.label, identity=f"{source.label}:{job.input_digest}")


def _read(source: Source, encoding: str | None, allow_private_urls: bool) -> tuple[bytes, Document]:
    """An input's bytes (empty for a web address) and its document."""
    if source.url is not None:
        return b"", readers.read_url(source.url, allow_private=allow_private_urls)
    data = source.read_bytes()
    name = source.relative.name if source.relative else "stdin"
    return data, readers.read_document(data, name, encoding=encoding)


def _with_memory(input_digest: str, translator: Translator, document: Document) -> str:
    """The input's digest (an article: its text's), joined with the reader's own
    translations of its sentences: an output made before the memory changed is
    made again, and one made with the same memory is still up to date."""
    memory = getattr(translator, "memory", None)
    found = memory.lookup(pair.source for pair in document.sentences) if memory is not None else {}
    if not found:
        return input_digest
    mine = "".join(f"\0{source}\0{entry.translation}" for source, entry in sorted(found.items()))
    return digest(f"{input_digest}{mine}".encode())


def _as_text(data: bytes, fmt: str) -> str:
    """A rendered output as text, for standard output; binary formats need a folder."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise OutputError(f"{fmt} is a binary format; give an output folder to write it",
                          reason="binary-to-stdout", format=fmt) from None


def _outputs_of(out: Path | None, manifest: OutputManifest | None,
                inputs: list) -> Callable[[Path], bool]:
    """Tells the files that are this job's outputs, never to be read as inputs:
    those the output folder's manifest records, and everything in an output
    folder that lies inside an input folder."""
    if out is None or manifest is None:
        return lambda path: False
    out = out.resolve()
    folders = [Path(given).resolve() for given in inputs if str(given) != "-" and Path(given).is_dir()]
    nested = any(out != folder and out.is_relative_to(folder) for folder in folders)
    return lambda path: manifest.is_output(path) or (nested and path.resolve().is_relative_to(out))


def _check_writable(out_dir: Path) -> None:
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(f"cannot create output folder {out_dir}: {error.strerror or error}",
                          reason="unwritable") from None
    probe = out_dir / f".write-test-{time.time_ns()}"
    try:
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as error:
        raise OutputError(f"cannot write to output folder {out_dir}: {error.strerror or error}",
                          reason="unwritable") from None

