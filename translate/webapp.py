"""The bilingual reader: a Gradio page over :class:`Translator`, Arabic and
English side by side (or interleaved, or one language), sentence by sentence.

``python app.py`` serves it on http://127.0.0.1:7860. :func:`build_app` makes the
page without serving it; :func:`serve` serves it with the safety settings (local
address, upload and queue limits, no monitoring endpoint). This is the only module
that imports Gradio: the CLI and the library never load it.

The page streams the translation as *data* (:func:`view_data`: the sentence
pairs, their scores, doubts and word links), and ``translate/static/reader.js``
renders it in the browser; Gradio sends each step as a diff of that data, so a
step costs the sentences it finished, not the whole page again.

The page shares its translation cache with the CLI, and the model loads once per
process, on the first sentence that is not in the cache.
"""
from __future__ import annotations

import argparse
import contextlib
import hashlib
import html
import ipaddress
import json
import logging
import os
import re
import shutil
import sys
import tempfile
import time
import weakref
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import gradio as gr
from gradio.data_classes import FileData

from . import arabic, config, readers, writers
from .document import Document, SentencePair, check_text, segment_document
from .errors import InputError, TranslateError, crash_report
from .formats import asset, pair_record
from .glossary import Glossary
from .inputs import has_visible_text, read_text, url_name
from .interactive import MAX_ALTERNATIVES
from .options import add_model_options, port_number, translator_from_args
from .outputs import output_path
from .pipeline import Translator
from .quality import NUMBERS, QualityPolicy, missing_numbers
from .segment import split_sentences
from .sizes import megabytes

log = logging.getLogger("translate")

#: The sample articles offered in the page's list (the repository's seeds/).
SAMPLES_DIR = Path(__file__).resolve().parent.parent / "seeds"
#: The download buttons, in order: the document in its own format (``same``), then
#: the translation memories and the bilingual views (:mod:`translate.writers`).
DOWNLOAD_FORMATS = ("same", "tmx", "xliff", "html", "md", "jsonl")
#: Each button's words; ``same`` is named after the format it resolves to.
DOWNLOAD_LABELS = {"txt": "English .txt", "docx": "Word .docx", "srt": "Subtitles .srt", "epub": "EPUB book",
                   "page": "English web page", "tmx": "TMX", "xliff": "XLIFF", "html": "Bilingual .html",
                   "md": "Markdown", "jsonl": "Pairs .jsonl"}
#: The file endings the Upload button offers: every one a reader claims.
UPLOAD_SUFFIXES = tuple(readers.SUFFIXES)
UPLOAD_KINDS = ".txt, .md, .docx, .pdf, .html, .srt or .epub"
#: The glossary files the page takes (as ``--glossary``: Arabic term, English rendering).
GLOSSARY_SUFFIXES = (".tsv", ".csv", ".txt")
#: How many alternatives the details panel asks for.
PAGE_ALTERNATIVES = 5
#: What the page calls each input format in its messages.
FORMAT_NAMES = {"txt": "text file", "docx": "Word document", "pdf": "PDF", "html": "web page",
                "srt": "subtitle file", "epub": "EPUB book"}
_DOWNLOADS_KEPT_S = 3600  # per-request download folders older than this are removed
_TITLE_WORDS = 8  # words of a first line that make a sample's title

#: The page's advice for each kind of library error (``TranslateError.reason``):
#: it names buttons and limits, never command-line flags.
PAGE_HINTS = {
    "wrong-encoding": "save the file as UTF-8 text (in most editors: Save as… → Encoding: UTF-8) and upload it again",
    "unknown-encoding": "save the file as UTF-8 text and upload it again",
    "binary": "upload a text, Word, PDF, web page, subtitle or EPUB file, or paste the text into the box",
    "empty": "paste Arabic text into the box, upload a document, or pick a sample article",
    "not-text": "paste the text again; if it came from another program, save it as UTF-8 text first",
    "too-big": "upload a smaller file, or paste the part you need",
    "model-not-found": "the reader's model is missing on this server: whoever runs the reader needs to download "
                       "it (see the README) and restart the reader",
    "model-broken": "the reader's model files are damaged: whoever runs the reader needs to download them again",
    "converted-broken": "whoever runs the reader should clear the converted models and restart it",
    "convert-failed": "whoever runs the reader can restart it with the transformers engine",
    "convert-unwritable": "whoever runs the reader needs a writable cache folder",
    "engine-missing": "whoever runs the reader can restart it with the transformers engine",
}


@dataclass(frozen=True)
class Loaded:
    """What was last put in the text box from a file, a sample or a web address.

    While the box still holds ``text`` unchanged (same ``digest``), Translate
    translates ``document`` (its blocks, and the original file for the downloads
    in its own format); once the text is edited, it is plain text again.

    Attributes:
        name: the file name the downloads are named after.
        digest: SHA-256 of the text put in the box.
        title: what the page calls it (the document's own title, else its name).
        document: the document as its reader read it (None: plain text).
        original: the uploaded file's bytes (the docx and epub writers rebuild it).
    """

    name: str
    digest: str
    title: str | None = None
    document: Document | None = None
    original: bytes | None = None


class Reader:
    """The page's handlers, apart from its layout, so tests can call them directly.

    Args:
        translator: the translator (and with it, the cache) the page uses.
        samples_dir: folder of sample ``.txt``/``.md`` articles offered in a list.
        max_chars: the longest text one request may translate.
        allow_private_urls: let the URL box fetch loopback, private and link-local
            addresses (off: a URL typed into the page must not reach into the
            server's own network).
    """

    def __init__(self, translator: Translator, *, samples_dir: str | Path | None = SAMPLES_DIR,
                 max_chars: int = config.MAX_PAGE_CHARS, allow_private_urls: bool = False):
        self.translator = translator
        self.max_chars = max_chars
        self.allow_private_urls = allow_private_urls
        #: the largest upload, in bytes: the readers' input limit, as for the CLI
        self.max_upload = config.max_input_bytes()
        folder = Path(samples_dir) if samples_dir else None
        self.samples: dict[str, Path] = {}
        self.sample_titles: dict[str, str] = {}
        self._sample_labels: dict[str, str] = {}
        if folder is not None and folder.is_dir():
            for path in sorted(folder.iterdir()):
                if path.is_file() and path.suffix.lower() in config.TEXT_SUFFIXES:
                    self.samples[path.name] = path
                    self.sample_titles[path.name], self._sample_labels[path.name] = sample_title(path)
        #: translations streaming now (their run ids); a cancelled one leaves at once
        self.running: set[str] = set()
        # Downloads go to a private temporary folder, never next to the cache.
        self.downloads = Path(tempfile.mkdtemp(prefix="translate-reader-"))
        weakref.finalize(self, shutil.rmtree, self.downloads, ignore_errors=True)

    # -- inputs -------------------------------------------------------------------

    def check(self, text: Any) -> str:
        """The text to translate, or a ``gr.Error`` saying why there is none.

        Anything may arrive through the API: ``None``, numbers, lists, dicts,
        strings with lone surrogates, huge strings; each gets a message.
        """
        if text is None or (isinstance(text, str) and not has_visible_text(text)):
            raise _error("Nothing to translate: paste Arabic text into the box, upload a document, "
                         "or pick a sample article.")
        if not isinstance(text, str):
            raise _error(f"The text must be a string of Arabic text, not {_kind(text)}.")
        if len(text) > self.max_chars:
            raise _error(f"The text has {len(text):,} characters; the page translates up to {self.max_chars:,} "
                         "at a time. Remove some of it, or translate it in parts.")
        try:
            check_text(text, "The text")
        except InputError as error:  # "The text: holds a lone surrogate…" reads better without the colon
            raise _error(page_message(error).replace("The text: ", "The text ", 1)) from None
        return text

    def sample_choices(self) -> list[tuple[str, str]]:
        """(title, file name) for each sample article, for the picker."""
        return [(label, name) for name, label in self._sample_labels.items()]

    def load_sample(self, name: Any) -> tuple[str, Loaded | None]:
        """The text of a sample article (by its file name), and what was loaded."""
        if not name:
            return "", None
        if not isinstance(name, str) or name not in self.samples:
            raise _error(f"There is no sample article called {_shown(name)}; pick one from the list.")
        with _user_errors():
            text = read_text(self.samples[name]).replace("\r\n", "\n")
        return text, Loaded(name, _digest(text), self.sample_titles.get(name) or name)

    def load_upload(self, path: Any) -> tuple[str, Loaded | None]:
        """An uploaded document, read as the CLI reads it (:func:`translate.readers.read_document`:
        text, Markdown, HTML, Word, PDF, subtitles, EPUB): its text for the box, and
        what was loaded (the document's blocks and the file, for the downloads).

        Raises:
            gr.Error: a format the page does not read, a file too big, or one its
                reader cannot read (the message says why and what to do).
        """
        if not path:
            return "", None
        if not isinstance(path, (str, Path)):
            raise _error("The upload did not arrive as a file; use the Upload button.")
        upload = Path(path)
        name = _safe_name(upload.name, "upload.txt")
        if upload.suffix.lower() not in readers.SUFFIXES:
            raise _error(f"{name} is not a format the page reads. Upload a {UPLOAD_KINDS} file, "
                         "or paste the text into the box.")
        with _user_errors():
            size = upload.stat().st_size
            if size > self.max_upload:  # Gradio refuses these first; this guards direct callers
                raise _error("{} is {} MB; the page takes files up to {} MB. Upload a smaller part of it."
                             .format(name, *megabytes(size, self.max_upload)))
            data = upload.read_bytes()
            document = _read_upload(data, name, self.max_upload, self.max_chars)
        return self._loaded_document(document, name, data)

    def load_url(self, url: Any) -> tuple[str, Loaded | None]:
        """A web article, fetched and read as the CLI does (:func:`translate.readers.read_url`:
        size and time bounded, main text only): its text for the box, and what was loaded.

        Raises:
            gr.Error: not an http(s) address, a refused (private) address, no answer,
                or a page without article text.
        """
        if not isinstance(url, str) or not url.strip():
            raise _error("Paste the address of a web article (https://…) into the box first.")
        url = url.strip()
        if not url.lower().startswith(("http://", "https://")):
            if "://" in url or url.lower().startswith(("file:", "data:", "javascript:")):
                raise _error(f"{_shown(url)} is not a web address the page fetches: give one that starts "
                             "with https:// or http://.")
            url = "https://" + url  # "example.org/news" as people type it
        with _user_errors():
            document = readers.read_url(url, allow_private=self.allow_private_urls, max_chars=self.max_chars,
                                        bounded=True)
        return self._loaded_document(document, url_name(url).name, None)

    def _loaded_document(self, document: Document, name: str, original: bytes | None) -> tuple[str, Loaded]:
        """The text box's text for a read document, and what was loaded."""
        if document.format == "txt":  # as the text box will hold it (a browser sends "\n")
            document = segment_document(document.text.replace("\r\n", "\n"), name)
        text = self.check(document.text)
        return text, Loaded(name, _digest(text), document.title or name, document, original)

    # -- translation --------------------------------------------------------------

    def stream(self, text: Any, name: str | None = None, *, document: Document | None = None,
               translator: Translator | None = None) -> Iterator[tuple[Document, str]]:
        """Yield (partial document, status HTML): cached sentences first, then one
        step per model batch, in reading order; the last one is complete.

        Args:
            text: the text to translate.
            name: what it is called (names the downloads).
            document: ``text`` as a reader read it (its blocks); translated instead of
                segmenting ``text`` again.
            translator: the translator to use (default: the page's own).

        Raises:
            gr.Error: empty or over-long input, or a translation error (what was
                already shown stays on the page and in the cache).
        """
        text = self.check(text)
        translator = translator or self.translator
        started = time.perf_counter()
        with _user_errors():
            for step in translator.translate_stream(document or text, name=name):
                if step.done:
                    yield step, _final_status(step, time.perf_counter() - started)
                    return
                loading = not translator.engine_loaded
                yield step, _progress_status(step, loading)

    def translate_page(self, text: Any, loaded: Loaded | None = None, use_memory: Any = True,
                       glossary: Glossary | None = None):
        """The Translate button: yields (view data, status HTML, one value per download button).

        The view is :func:`view_data` (rendered in the browser). A failure ends
        the stream with the reason in the status line, never an "Error" badge,
        and what was already translated stays on the page and in the cache.
        ``loaded`` is the file, sample or article last put in the text box: while
        the text is still the one loaded, its document (blocks, title) is translated
        and the downloads take its name and its own format. ``use_memory`` (the page's
        switch) and ``glossary`` (the one uploaded in this browser session) choose
        the translator (:meth:`translator_for`).
        """
        hidden = [gr.DownloadButton(visible=False)] * len(DOWNLOAD_FORMATS)
        translator = self.translator_for(use_memory, glossary)
        run = f"{time.time_ns():x}"
        if not (isinstance(loaded, Loaded) and isinstance(text, str) and loaded.digest == _digest(text)):
            loaded = None
        name, title = (loaded.name, loaded.title) if loaded else (None, None)
        document = None
        self.running.add(run)
        try:
            for document, status in self.stream(text, name, document=loaded and loaded.document,
                                                translator=translator):
                if not document.done:
                    yield view_data(document, run, title=title), status, *hidden
                    continue
                files, failed = self.write_downloads(document, original=loaded and loaded.original, name=name,
                                                     signature=str(translator.signature))
                if failed:
                    status = _with_note(status, failed)
                yield view_data(document, run, title=title, state="done"), status, *(
                    gr.DownloadButton(label=label, value=str(path), visible=True) if path else gr.DownloadButton(
                        visible=False) for label, path in files)
        except gr.Error as error:
            if document is None:  # refused before it began: the browser keeps what it shows
                document = Document("", ())
            yield (view_data(document, run, title=title, state="failed"), _failed_status(error.message, document),
                   *hidden)
        finally:
            self.running.discard(run)

    def translate(self, text: Any) -> dict:
        """The API endpoint: the whole translation as plain data (no HTML)."""
        for document, _ in self.stream(text):
            pass
        return {
            "sentences": len(document.sentences),
            "cached": document.cached_count,
            "seconds": round(document.seconds, 3),
            "english": document.translation_text(),
            # The same records as the .jsonl download, one per sentence pair.
            "pairs": [pair_record(document, pair) for pair in document.sentences],
        }

    def write_downloads(self, document: Document, *, original: bytes | None = None, name: str | None = None,
                        signature: str | None = None) -> tuple[list[tuple[str, Path | None]], str]:
        """The files of :data:`DOWNLOAD_FORMATS`, in a fresh folder of their own,
        written by :func:`translate.writers.write` with the translator's signature.

        Returns:
            ``(label, path)`` per format (path None where that format could not be
            written), and a sentence naming those that could not ("" when all were).
        """
        self._remove_old_downloads()
        folder = Path(tempfile.mkdtemp(dir=self.downloads))
        relative = Path(_safe_name(name or document.name or "translation.txt"))
        signature = document.signature or signature or str(self.translator.signature)
        files, failed = [], []
        for fmt in DOWNLOAD_FORMATS:
            concrete = writers.resolve(fmt, document)
            label = DOWNLOAD_LABELS[concrete]
            try:
                data = writers.write(document, concrete, original=original, signature=signature)
            except TranslateError as error:
                log.warning("reader: no %s download: %s", concrete, error)
                files.append((label, None))
                failed.append(f"{label} ({_first_line(error)})")
                continue
            path = output_path(relative, folder, writers.FORMATS[concrete].suffix)
            path.write_bytes(data)
            files.append((label, path))
        note = f"Could not write {', '.join(failed)}." if failed else ""
        return files, note

    # -- the reader's own translations ------------------------------------------------

    @property
    def has_memory(self) -> bool:
        """True when the server keeps a translation memory (not started with ``--no-memory``)."""
        return self.translator.memory is not None

    def translator_for(self, use_memory: Any = True, glossary: Any = None) -> Translator:
        """The translator for one browser session: the page's own, without the memory
        when the page's switch is off, and with the glossary uploaded in that session
        (instead of the server's). It shares the page's engine, cache and turns at the
        model (:meth:`Translator.variant`): nothing is loaded again.
        """
        changes: dict[str, Any] = {}
        if use_memory is False:
            changes["memory"] = None
        if isinstance(glossary, Glossary):
            changes["glossary"] = glossary
        return self.translator.variant(**changes) if changes else self.translator

    def alternatives(self, sentence: Any, n: Any = 5) -> list[dict]:
        """The model's ``n`` best translations of one sentence, best first:
        ``[{"text", "score"}]`` (distinct texts; scores are mean log-probabilities, ≤ 0)."""
        sentence, n = _sentence(sentence), _count(n)
        with _user_errors():
            found = self.translator.alternatives(sentence, n)
        return [{"text": a.text, "score": _rounded(a.score)} for a in found]

    def complete(self, sentence: Any, prefix: Any) -> dict:
        """The translation of ``sentence`` that starts with ``prefix`` (the reader's
        beginning, kept exactly), finished by the model: ``{"text", "score"}``."""
        sentence, prefix = _sentence(sentence), _english(prefix, "The beginning", empty=True)
        with _user_errors():
            found = self.translator.complete(sentence, prefix)
        return {"text": found.text, "score": _rounded(found.score)}

    def word_alternatives(self, sentence: Any, prefix: Any, n: Any = 5) -> list[str]:
        """The choices for the word after ``prefix`` (whole words, likeliest first)."""
        sentence, prefix, n = _sentence(sentence), _english(prefix, "The beginning", empty=True), _count(n)
        with _user_errors():
            return self.translator.word_alternatives(sentence, prefix, n)

    def remember(self, sentence: Any, translation: Any, replaced: Any = None) -> dict:
        """Keep ``translation`` as the reader's own for ``sentence`` in the translation
        memory; it is used wherever the sentence comes again, marked "yours".

        Returns:
            ``{"source", "translation", "replaced", "origin"}`` as stored.
        """
        memory = self._memory()
        sentence, translation = _sentence(sentence), _english(translation, "Your translation")
        replaced = None if replaced in (None, "") else _english(replaced, "The replaced translation")
        with _user_errors():
            entry = memory.remember(sentence, translation, replaced=replaced)
        return {"source": entry.source, "translation": entry.translation, "replaced": entry.replaced,
                "origin": entry.origin}

    def forget(self, sentence: Any) -> dict:
        """Forget the reader's own translation of ``sentence``; returns the model's
        (from the cache, or translated now) as a ``.jsonl`` pair record
        (:func:`translate.formats.pair_record`), and ``"forgotten"``: whether there was one."""
        memory = self._memory()
        sentence = _sentence(sentence)
        with _user_errors():
            forgotten = memory.remove(sentence)
            document = self.translator.variant(memory=None).translate(sentence)
        pair = document.sentences[0]
        return pair_record(document, pair) | {"forgotten": forgotten}

    def load_glossary(self, path: Any) -> Glossary | None:
        """A glossary uploaded on the page (``.tsv`` or ``.csv``), read as
        ``--glossary`` reads one (:meth:`Glossary.load`).

        Raises:
            gr.Error: not a file, another kind of file, or one the glossary reader
                refuses (empty, a bad line, a duplicate term…); the message says which.
        """
        if not path:
            return None
        if not isinstance(path, (str, Path)):
            raise _error("The glossary did not arrive as a file; use the Glossary button.")
        upload = Path(path)
        name = _safe_name(upload.name, "glossary.tsv")
        if upload.suffix.lower() not in GLOSSARY_SUFFIXES:
            raise _error(f"{name} is not a glossary the page reads: upload a .tsv or .csv file with the Arabic "
                         "term, then the English rendering, on each line.")
        with _user_errors():
            glossary = Glossary.load(upload)
        glossary.name = name  # not Gradio's temporary path
        return glossary

    def _memory(self):
        if self.translator.memory is None:
            raise _error("This reader keeps no translation memory, so your translations cannot be saved; whoever "
                         "runs the reader can restart it with the memory on.")
        return self.translator.memory

    def _remove_old_downloads(self) -> None:
        # Gradio copies returned files into its own cache, so old folders can go.
        limit = time.time() - _DOWNLOADS_KEPT_S
        for folder in self.downloads.iterdir():
            if folder.stat().st_mtime < limit:
                shutil.rmtree(folder, ignore_errors=True)


# -- the data the browser renders ------------------------------------------------------

_POLICY = QualityPolicy()


def view_data(document: Document, run: str, *, title: str | None = None, state: str = "working") -> dict:
    """The reading view as plain data, for ``reader.js``.

    Args:
        document: the (partial) document.
        run: an id for this translation; a new id tells the browser a new text began.
        title: what the text is called (a sample's title, a file's name), if known.
        state: ``working``, ``done`` or ``failed``.

    Returns:
        ``{"run", "state", "title", "low", "paragraphs", "pairs", "tail"}``:
        ``paragraphs`` holds ``[kind, gap]`` (``"h"`` headline or ``"p"``, and
        the text between it and the previous one, so the English can be copied
        laid out like the input); ``pairs`` holds ``[paragraph, source, result]``
        where ``result`` is None until translated, then ``{"t": English, "s":
        score, "c": 1 if cached, "f": [flags], "m": [missing numbers],
        "a": "0-0 1-2" word links (source-target), "o": "yours" from the reader's
        translation memory}`` (empty keys left out).
    """
    paragraphs, position = [], 0
    for paragraph in document.paragraphs:
        paragraphs.append(["h" if paragraph.is_heading else "p", document.text[position : paragraph.start]])
        position = paragraph.end
    return {
        "run": run,
        "state": state,
        "title": title,
        "low": _POLICY.low_score,
        "paragraphs": paragraphs,
        "pairs": [[pair.paragraph, pair.source, _result(pair)] for pair in document.sentences],
        "tail": document.text[position:],
    }


def _result(pair: SentencePair) -> dict | None:
    if not pair.done:
        return None
    result: dict[str, Any] = {"t": pair.translation}
    if pair.score is not None:
        result["s"] = round(pair.score, 3)
    if pair.cached:
        result["c"] = 1
    if pair.flags:
        result["f"] = list(pair.flags)
    if NUMBERS in pair.flags:
        result["m"] = missing_numbers(pair.source, pair.translation or "")
    if pair.alignment:
        result["a"] = " ".join(f"{s}-{t}" for s, t in pair.alignment)
    if pair.origin:
        result["o"] = pair.origin
    return result


def sample_title(path: Path) -> tuple[str, str]:
    """A sample's title, and its label in the picker.

    The title is the first line when that is a headline (or a Markdown ``# title``),
    else the file's name in words ("aleppo-offensive.ar.txt" → "Aleppo offensive");
    the label adds the opening words and the number of sentences.
    """
    words = re.sub(r"[-_.]+", " ", path.name.split(".")[0]).strip()
    named = words[:1].upper() + words[1:] if words else path.name
    try:
        text = read_text(path)
        document = segment_document(text)
    except TranslateError:
        return named, named
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    count = _plural(len(document.sentences), "sentence")
    if first.startswith("#"):
        title = first.lstrip("#").strip() or named
        return title, f"{title} ({count})"
    if document.paragraphs and document.paragraphs[0].is_heading:
        return first, f"{first} ({count})"
    return named, f"{named}: {' '.join(first.split()[:_TITLE_WORDS])}… ({count})"


# -- messages ----------------------------------------------------------------------------


class _user_errors(contextlib.AbstractContextManager):
    """Turns the library's errors into ``gr.Error`` with the page's advice
    (:data:`PAGE_HINTS`); anything unexpected is logged with its traceback and
    shown in words."""

    def __exit__(self, kind, error, traceback):
        if isinstance(error, TranslateError):
            raise _error(page_message(error)) from None
        if isinstance(error, Exception) and not isinstance(error, gr.Error):
            log.error("reader: unexpected error", exc_info=(kind, error, traceback))
            raise _error(f"Something went wrong on the server ({type(error).__name__}: {_first_line(error)}). "
                         "What was already translated is kept; press Translate to try again. If it happens again, "
                         "the reader's server log has the details.") from None
        return False


def page_message(error: TranslateError) -> str:
    """The library's message with the page's advice: what to press or change."""
    message = str(error)
    message = message[:1].upper() + message[1:] if re.match(r"[a-z]+ ", message) else message  # not a name's case
    hint = PAGE_HINTS.get(error.reason or "")
    if error.reason == "wrong-encoding" and error.details.get("encoding"):
        hint = None  # the page reads it in that encoding itself (see _decode_upload)
    return f"{message.rstrip('.')}. {hint[:1].upper() + hint[1:]}." if hint else message


def _read_upload(data: bytes, name: str, max_bytes: int, max_chars: int) -> Document:
    """An upload read by its format's reader. The page has no encoding option, so
    text recognised as another encoding (old Windows Arabic) is simply read in it;
    UTF-16 with or without a byte-order mark is recognised by the readers.

    Raises:
        InputError: the reader's reason (binary, damaged, no text layer, too big…).
    """
    try:
        return readers.read_document(data, name, max_bytes=max_bytes, max_chars=max_chars, bounded=True)
    except InputError as error:
        if error.reason == "wrong-encoding" and error.details.get("encoding"):
            return readers.read_document(data, name, encoding=error.details["encoding"], max_bytes=max_bytes,
                                         max_chars=max_chars, bounded=True)
        raise


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _error(message: str) -> gr.Error:
    """A message for the page; no traceback in the server log (it is the user's to fix)."""
    return gr.Error(message, print_exception=False)


def _sentence(value: Any) -> str:
    """One Arabic sentence, as the page shows it, for the interactive endpoints; or a
    ``gr.Error`` saying what is wrong with it."""
    if not isinstance(value, str):
        raise _error(f"The sentence must be one Arabic sentence as text, not {_kind(value)}.")
    if not has_visible_text(value):
        raise _error("No sentence given: open a sentence's details (click it twice, or press Enter on it) and "
                     "ask again.")
    if len(value) > config.MAX_SENTENCE_CHARS:
        raise _error(f"The sentence has {len(value):,} characters, above the {config.MAX_SENTENCE_CHARS:,} of "
                     "one sentence: give one sentence as the page shows it.")
    _text_or_error(value, "The sentence")
    if not arabic.has_word(value):
        raise _error("The sentence has no Arabic word: alternatives and your own translations are for the "
                     "Arabic sentences of a translation (other text is shown as it is).")
    found = split_sentences(value)
    if len(found) != 1:
        raise _error(f"That is not a sentence of a translation: it holds {len(found)} sentences. Give one "
                     "sentence as the page shows it.")
    return value


def _english(value: Any, what: str, *, empty: bool = False) -> str:
    """English text the reader typed: ``what`` names it in the messages."""
    if value is None and empty:
        return ""
    if not isinstance(value, str):
        raise _error(f"{what} must be text, not {_kind(value)}.")
    if not empty and not has_visible_text(value):
        raise _error(f"{what} is empty: type the English, or pick one of the alternatives.")
    if len(value) > config.MAX_SENTENCE_CHARS:
        raise _error(f"{what} has {len(value):,} characters, above the {config.MAX_SENTENCE_CHARS:,} of one "
                     "sentence.")
    _text_or_error(value, what)
    return value


def _text_or_error(value: str, what: str) -> None:
    try:
        check_text(value, what)
    except InputError as error:  # "The sentence: holds a lone surrogate…" reads better without the colon
        raise _error(page_message(error).replace(f"{what}: ", f"{what} ", 1)) from None


def _count(value: Any) -> int:
    """How many alternatives: a whole number from 1 to :data:`MAX_ALTERNATIVES`."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # JSON numbers may arrive as 5.0
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_ALTERNATIVES:
        raise _error(f"The number of alternatives must be a whole number from 1 to {MAX_ALTERNATIVES}, "
                     f"not {_shown(value)}.")
    return value


def _rounded(score: float | None) -> float | None:
    return None if score is None else round(score, 3)


def _kind(value: Any) -> str:
    names = {list: "a list", tuple: "a list", dict: "an object", bool: "true/false", int: "a number",
             float: "a number", bytes: "bytes", str: "text"}
    return names.get(type(value), f"a {type(value).__name__}")


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=True, default=str) if not isinstance(value, str) else repr(value)
    return text if len(text) <= 60 else text[:57] + "…"


def _first_line(error: BaseException) -> str:
    lines = str(error).strip().splitlines()
    return lines[0][:200] if lines else "no message"


def _safe_name(name: str, fallback: str = "translation.txt") -> str:
    """A file name fit for a download (no folders, no odd characters)."""
    cleaned = re.sub(r"[^\w.\-]+", "-", Path(name).name).strip(".-")
    return cleaned or fallback


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}" if count == 1 else f"{count:,} {word}s"


def _final_status(document: Document, seconds: float) -> str:
    return (f'<div class="reader-status done" role="status">{_plural(len(document.sentences), "sentence")}, '
            f"{document.cached_count:,} from cache, {seconds:.1f} s</div>")


def _progress_status(document: Document, loading: bool) -> str:
    total = len(document.sentences)
    done = document.done_count
    what = ("Loading the model (first use since the reader started)…" if loading
            else f"Translating… {done:,} of {_plural(total, 'sentence')}")
    return (f'<div class="reader-status busy" role="status"><progress max="{total}" value="{done}" '
            f'aria-label="Sentences translated">{done} / {total}</progress><span>{what}</span></div>')


def _with_note(status: str, note: str) -> str:
    """The final status line with a sentence added (a download that could not be made)."""
    return status.replace("</div>", f" {html.escape(note, quote=False)}</div>", 1)


def _failed_status(message: str, document: Document | None) -> str:
    kept = ""
    if document is not None and document.done_count:
        kept = (f" {document.done_count:,} of {_plural(len(document.sentences), 'sentence')} were translated "
                "and are kept.")
    return f'<div class="reader-status failed" role="alert">{html.escape(message, quote=False)}{html.escape(kept, quote=False)}</div>'


# -- the page ---------------------------------------------------------------------------

EMPTY_VIEW = None  # the reader's value before the first translation: reader.js shows the intro

_TOOLBAR = """
<div class="reader-toolbar" role="toolbar" aria-label="Reading view">
  <div class="doc-summary" aria-live="polite">
    <span class="doc-title"></span><span class="doc-count"></span>
    <button type="button" class="rbtn doc-edit" data-action="edit">Edit text</button>
    <span class="doc-stale" hidden>The text has changed since this translation: press Translate to update it.</span>
  </div>
  <div class="views" role="group" aria-label="Layout">
    <button type="button" class="rbtn" data-view="side" aria-pressed="true">Side by side</button>
    <button type="button" class="rbtn" data-view="interleaved" aria-pressed="false">Interleaved</button>
    <button type="button" class="rbtn" data-view="en" aria-pressed="false">English</button>
    <button type="button" class="rbtn" data-view="ar" aria-pressed="false">Arabic</button>
  </div>
  <div class="sizes" role="group" aria-label="Text size">
    <button type="button" class="rbtn" data-action="smaller" aria-label="Smaller text">A−</button>
    <button type="button" class="rbtn" data-action="larger" aria-label="Larger text">A+</button>
  </div>
  <button type="button" class="rbtn" data-action="copy">Copy English</button>
  <button type="button" class="rbtn" data-action="legend" aria-expanded="false" aria-controls="reader-legend">Legend</button>
</div>
"""

_MEMORY_SWITCH = ('<div class="memory-switch"><button type="button" class="rbtn switch" role="switch" '
                  'aria-checked="true" data-action="memory" aria-describedby="memory-switch-help">'
                  '<span class="switch-track" aria-hidden="true"></span>Use my translations (memory)</button>'
                  '<span class="switch-help" id="memory-switch-help">Sentences you corrected are shown as you '
                  'saved them, marked ✎.</span></div>')

_TITLE = ('<div class="reader-title"><h1>Arabic → English reader</h1>'
          '<p>Paste Arabic text, upload a document (.txt, .md, .docx, .pdf, .html, .srt, .epub), give a web '
          'article\'s address, or pick a sample article; the translation appears sentence by sentence beside the '
          'original. <span class="on-hover">Hover over</span><span class="on-touch">Tap</span> a sentence or a '
          'word to see its counterpart.</p></div>')


def build_app(translator: Translator, *, samples_dir: str | Path | None = SAMPLES_DIR,
              max_chars: int = config.MAX_PAGE_CHARS, allow_private_urls: bool = False) -> gr.Blocks:
    """The reader page (not launched). Its API endpoints:

    - ``/translate`` (text → dict): counts, the English text, and the sentence pairs
      as plain data;
    - ``/translate_page`` (undocumented): what the Translate button streams, the
      view data (:func:`view_data`), the status line and the download buttons;
    - ``/load_file``, ``/load_url``, ``/load_sample`` (undocumented): put a document,
      a web article or a sample in the text box (and, for ``/translate_page`` in the
      same session, its blocks and original file);
    - ``/alternatives`` (sentence, n → [{text, score}]), ``/complete`` (sentence, beginning
      → {text, score}), ``/word_alternatives`` (sentence, beginning, n → [word]): the
      model's other translations of one sentence, one finished from the reader's
      beginning, the choices for the next word (:meth:`Reader.alternatives`…);
    - ``/remember`` (sentence, translation, replaced → the stored entry) and ``/forget``
      (sentence → the model's translation): the reader's own translations, in the
      translation memory, used wherever the sentence comes again and marked "yours";
    - ``/use_memory`` (bool) and ``/load_glossary`` (a .tsv/.csv file) (undocumented):
      the page's memory switch and a glossary, for ``/translate_page`` in the same session.

    ``allow_private_urls`` lets the URL box fetch loopback and private addresses.
    """
    reader = Reader(translator, samples_dir=samples_dir, max_chars=max_chars, allow_private_urls=allow_private_urls)
    # Several translations run at once, taking turns at the model batch by batch
    # (Translator's fair lock), so a short text never waits for a long one to end.
    queue = dict(concurrency_limit=config.PAGE_WORKERS, concurrency_id="model")
    with gr.Blocks(title="Arabic → English reader", analytics_enabled=False,
                   delete_cache=(_DOWNLOADS_KEPT_S, _DOWNLOADS_KEPT_S)) as app:
        app.reader = reader  # for tests and embedding
        loaded = gr.State(None)  # the document, sample or article in the text box (a Loaded)
        glossary = gr.State(None)  # the glossary uploaded in this browser session (a Glossary)
        use_memory = gr.State(reader.has_memory)  # the page's "Use my translations" switch
        gr.HTML(_TITLE, js_on_load=None, apply_default_css=False)
        with gr.Row(equal_height=False, elem_id="input-panel"):
            with gr.Column(scale=3):
                text = gr.Textbox(label="Arabic text", lines=5, max_lines=10, rtl=True, elem_id="source",
                                  placeholder="الصق النص العربي هنا", autoscroll=False)
                gr.HTML(f'<div class="char-count" aria-live="polite">Up to {max_chars:,} characters</div>',
                        elem_id="char-count", js_on_load=_when_ready("counterMounted"), apply_default_css=False)
            with gr.Column(scale=1, min_width=240):
                sample = gr.Dropdown(choices=reader.sample_choices(), value=None, label="Sample article",
                                     visible=bool(reader.samples), elem_id="sample")
                upload = gr.UploadButton("Upload a document", file_types=list(UPLOAD_SUFFIXES),
                                         type="filepath", size="md", elem_id="upload")
                address = gr.Textbox(label="Or a web article's address", placeholder="https://…", lines=1,
                                     max_lines=1, elem_id="url", autoscroll=False)
                fetch = gr.Button("Fetch and translate", variant="secondary", size="md", elem_id="fetch")
                glossary_button = gr.UploadButton("Glossary (.tsv, .csv)", file_types=list(GLOSSARY_SUFFIXES),
                                                  type="filepath", size="md", variant="secondary", elem_id="glossary")
                glossary_note = gr.HTML("", elem_id="glossary-note", js_on_load=None, apply_default_css=False)
                glossary_clear = gr.Button("No glossary", variant="secondary", size="md", visible=False,
                                           elem_id="glossary-clear")
                gr.HTML(_MEMORY_SWITCH if reader.has_memory else "", elem_id="memory-switch",
                        js_on_load=_when_ready("switchMounted"), apply_default_css=False)
                # The switch's value reaches this session's state through a button reader.js
                # presses (hidden by the CSS: Gradio leaves hidden components out of the page).
                memory_value = gr.Checkbox(reader.has_memory, label="Use my translations (memory)",
                                           elem_id="use-memory-value", container=False)
                memory_set = gr.Button("Apply the memory switch", elem_id="memory-set")
                notice = gr.HTML("", elem_id="notice", js_on_load=None, apply_default_css=False)
                button = gr.Button("Translate", variant="primary", elem_id="translate")
                gr.HTML('<div class="recent" hidden></div>', elem_id="recent", js_on_load=_when_ready("recentMounted"),
                        apply_default_css=False)
        gr.HTML(_TOOLBAR, elem_id="toolbar", js_on_load=None, apply_default_css=False)
        with gr.Row(equal_height=True, elem_id="status-row"):
            status = gr.HTML('<div class="reader-status"></div>', elem_id="status", js_on_load=None,
                             apply_default_css=False, scale=1, min_width=240)
            cancel = gr.Button("Stop", variant="secondary", size="md", scale=0, min_width=90, elem_id="cancel")
        with gr.Row(equal_height=True, elem_id="download-row"):
            gr.HTML('<h2 class="download-title" id="download-title">Download</h2>', elem_id="download-label",
                    js_on_load=None, apply_default_css=False, scale=0, min_width=90)
            downloads = [
                gr.DownloadButton(DOWNLOAD_LABELS[fmt if fmt != "same" else "txt"], visible=False, size="md", scale=0,
                                  min_width=100, elem_id=f"download-{fmt}", elem_classes="download")
                for fmt in DOWNLOAD_FORMATS
            ]
        view = gr.HTML(EMPTY_VIEW, elem_id="reader", html_template='<div class="reader-root"></div>',
                       js_on_load="window.translateReader.mount(element, props, watch);",
                       apply_default_css=False, settings={"maxChars": max_chars, "maxUpload": reader.max_upload,
                                                             "uploadKinds": UPLOAD_KINDS,
                                                             "alternatives": PAGE_ALTERNATIVES},
                       head=f"<style>{asset('reader.css')}</style>"
                            f"<script>{asset('reader.js')}</script>")

        def loaded_from(load, value):
            """Put what ``load(value)`` read in the box with a note naming it, or say beside
            the buttons why it cannot be had (never over the text box)."""
            try:
                text_value, what = load(value)
            except gr.Error as error:
                return gr.skip(), gr.skip(), _notice(error.message)
            return text_value, what, _loaded_note(what)

        sample.input(lambda name: loaded_from(reader.load_sample, name), sample, [text, loaded, notice],
                     api_visibility="private", show_progress="hidden")
        upload.upload(lambda path: loaded_from(reader.load_upload, path), upload, [text, loaded, notice],
                      api_visibility="private", show_progress="hidden", concurrency_limit=config.PAGE_WORKERS)
        # A web article is translated as soon as it is in the box: the page presses
        # Translate itself (so Stop, the folding and the Recent list work as for any text).
        gr.on([fetch.click, address.submit], lambda url: loaded_from(reader.load_url, url), address,
              [text, loaded, notice], api_visibility="private", show_progress="minimal",
              show_progress_on=[fetch], concurrency_limit=config.PAGE_FETCHES).then(
            None, notice, None, js="(note) => { window.translateReader.fetched(note); }", api_visibility="private")
        # The same handlers for scripts, raising errors instead of showing a notice.
        def load_sample(name: str) -> str:
            """The text of a sample article, by its file name."""
            return reader.load_sample(name)[0]

        gr.api(load_sample, api_name="load_sample", api_visibility="undocumented")
        hidden_file = gr.File(visible=False, type="filepath")
        hidden_file.data_model = _FileOnly  # (a subclass of gr.File would be a "custom component" to Gradio)
        hidden_file.upload(reader.load_upload, hidden_file, [text, loaded], api_name="load_file",
                           api_visibility="undocumented", show_progress="hidden", concurrency_limit=config.PAGE_WORKERS)
        hidden_url = gr.Textbox(visible=False)
        hidden_url.submit(reader.load_url, hidden_url, [text, loaded], api_name="load_url",
                          api_visibility="undocumented", show_progress="hidden", concurrency_limit=config.PAGE_FETCHES)
        event = button.click(reader.translate_page, [text, loaded, use_memory, glossary], [view, status, *downloads],
                             api_name="translate_page", api_visibility="undocumented", show_progress="hidden",
                             **queue)
        memory_set.click(lambda on: on is True, memory_value, use_memory, api_name="use_memory",
                         api_visibility="undocumented", show_progress="hidden", queue=False,
                         js="(on) => [window.translateReader ? window.translateReader.useMemory() : on]")

        def glossary_loaded(path):
            """Keep an uploaded glossary for this session and say so, or say why it cannot be used."""
            try:
                found = reader.load_glossary(path)
            except gr.Error as error:
                return gr.skip(), gr.skip(), _notice(error.message), gr.skip()
            return found, _glossary_note(found), "", gr.Button(visible=found is not None)

        glossary_button.upload(glossary_loaded, glossary_button, [glossary, glossary_note, notice, glossary_clear],
                               api_visibility="private", show_progress="hidden")
        glossary_clear.click(lambda: (None, _glossary_note(None), gr.Button(visible=False)), None,
                             [glossary, glossary_note, glossary_clear], api_visibility="private",
                             show_progress="hidden")
        hidden_glossary = gr.File(visible=False, type="filepath")
        hidden_glossary.data_model = _FileOnly
        glossary_summary = gr.JSON(visible=False)
        def load_glossary(path):
            found = reader.load_glossary(path)
            return found, _glossary_summary(found)

        hidden_glossary.upload(load_glossary, hidden_glossary, [glossary, glossary_summary], api_name="load_glossary",
                               api_visibility="undocumented", show_progress="hidden")
        cancel.click(None, None, None, cancels=[event], js="() => window.translateReader.stopped()",
                     api_visibility="private")

        def translate(text: str) -> dict:
            """Translate Arabic text. Returns {"sentences", "cached", "seconds", "english", "pairs"}; each
            pair has index, paragraph, source, translation, score, cached, flags and alignment (word links
            [source word, English word], words split at whitespace)."""
            return reader.translate(text)

        gr.api(translate, api_name="translate", **queue)

        # The details panel's model calls: their own queue (never behind whole translations),
        # and the translator's fair lock, so they take turns with the batches.
        turns = {"concurrency_limit": config.PAGE_WORKERS, "concurrency_id": "interactive"}

        def alternatives(sentence: str, n: int = PAGE_ALTERNATIVES) -> list[dict]:
            """The model's n best translations of one Arabic sentence (1-16), best first: [{text, score}]."""
            return reader.alternatives(sentence, n)

        def complete(sentence: str, prefix: str) -> dict:
            """The translation of one Arabic sentence that starts with the given English beginning
            (kept exactly), finished by the model: {text, score}."""
            return reader.complete(sentence, prefix)

        def word_alternatives(sentence: str, prefix: str, n: int = PAGE_ALTERNATIVES) -> list[str]:
            """The model's choices for the English word after the given beginning, likeliest first."""
            return reader.word_alternatives(sentence, prefix, n)

        def remember(sentence: str, translation: str, replaced: str | None = None) -> dict:
            """Save your English for one Arabic sentence in the translation memory: it is used wherever the
            sentence comes again, marked "yours". Returns {source, translation, replaced, origin}."""
            return reader.remember(sentence, translation, replaced)

        def forget(sentence: str) -> dict:
            """Forget your English for one Arabic sentence; returns the model's translation as a pair record,
            and whether there was one to forget ("forgotten")."""
            return reader.forget(sentence)

        for endpoint in (alternatives, complete, word_alternatives, remember, forget):
            gr.api(endpoint, api_name=endpoint.__name__, **turns)
    return app


def _glossary_note(glossary: Glossary | None) -> str:
    if glossary is None:
        return ""
    return (f'<div class="reader-loaded glossary-loaded" role="status" data-at="{time.time_ns()}">Glossary: '
            f'<span class="loaded-title">{html.escape(glossary.name, quote=False)}</span> · '
            f'{_plural(len(glossary), "term")}, used for your translations on this page until you reload it. '
            'Press Translate to apply it.</div>')


def _glossary_summary(glossary: Glossary | None) -> dict | None:
    return None if glossary is None else {"name": glossary.name, "terms": len(glossary), "digest": glossary.digest}


class _FileOnly(FileData):
    """An uploaded file as Gradio describes it; anything else gets a message saying
    how to send a file, not a bare "Error"."""

    @classmethod
    def model_validate(cls, obj, *args, **kwargs):
        try:
            return super().model_validate(obj, *args, **kwargs)
        except ValueError:  # pydantic's ValidationError
            raise _error("Send a file: from Python, gradio_client's handle_file(path); from the page, the Upload "
                         f"button. Got {_kind(obj)}.") from None


def _when_ready(callback: str) -> str:
    """``js_on_load`` for a component that reader.js fills: call it once the script is there."""
    return (f"(function go() {{ if (window.translateReader) window.translateReader.{callback}(element); "
            "else setTimeout(go, 50); })();")


def _notice(message: str) -> str:
    # The time makes each notice new to the page, even when its words repeat.
    return f'<div class="reader-notice" role="alert" data-at="{time.time_ns()}">{html.escape(message, quote=False)}</div>'


def _loaded_note(loaded: Loaded | None) -> str:
    """The note beside the buttons once a document is in the box: what it is, its
    title, and how much of it there is."""
    if loaded is None:
        return ""
    document = loaded.document
    what = FORMAT_NAMES.get(document.format, "document") if document is not None else "sample article"
    size = (f" · {_plural(len(document.paragraphs), 'block')}, {_plural(len(document.sentences), 'sentence')}"
            if document is not None else "")
    # <bdi>: an Arabic title keeps its own direction inside the English sentence.
    return (f'<div class="reader-loaded" role="status" data-loaded="{html.escape(loaded.name)}" '
            f'data-at="{time.time_ns()}">{what[:1].upper()}{what[1:]}: '
            f'<bdi class="loaded-title">{html.escape(loaded.title or loaded.name, quote=False)}</bdi>{size}</div>')


def serve(translator: Translator, *, host: str = config.DEFAULT_HOST, port: int | None = config.DEFAULT_PORT,
          share: bool = False, prevent_thread_lock: bool = False, quiet: bool = False,
          samples_dir: str | Path | None = SAMPLES_DIR,
          queue_size: int = config.QUEUE_MAX_SIZE, max_chars: int = config.MAX_PAGE_CHARS,
          allow_private_urls: bool = False) -> tuple[gr.Blocks, str]:
    """Build the page and serve it with the safety settings; returns (app, local URL).

    The queue is bounded, uploads are capped (at the readers' input limit), the
    monitoring endpoint is off, the URL box fetches only public addresses unless
    ``allow_private_urls``, and the translation cache is a blocked path (no handler
    may ever serve a file from it; downloads are written to a temporary folder).
    """
    app = build_app(translator, samples_dir=samples_dir, max_chars=max_chars, allow_private_urls=allow_private_urls)
    app.queue(max_size=queue_size, default_concurrency_limit=1)
    _, url, _ = app.launch(
        server_name=host, server_port=port, share=share, prevent_thread_lock=prevent_thread_lock, quiet=quiet,
        max_file_size=app.reader.max_upload, enable_monitoring=False,
        blocked_paths=[str(translator.cache.folder)] if translator.cache else None,
        ssr_mode=False, mcp_server=False, pwa=False, footer_links=["api"],
        theme=reader_theme(),
    )
    return app, url


def reader_theme() -> gr.themes.Base:
    """Gradio's default theme with system fonts and colours that pass WCAG AA
    contrast (4.5:1 for text) in the light and the dark scheme."""
    return gr.themes.Default(
        primary_hue=gr.themes.colors.orange, font=["system-ui", "Segoe UI", "Roboto", "sans-serif"],
        font_mono=["ui-monospace", "monospace"],
    ).set(
        button_primary_background_fill="#b43c08", button_primary_background_fill_hover="#9a3412",
        button_primary_background_fill_dark="#b43c08", button_primary_background_fill_hover_dark="#9a3412",
        button_primary_text_color="#ffffff", button_primary_text_color_dark="#ffffff",
        block_label_text_color="#3f3f46", block_label_text_color_dark="#d4d4d8",
        block_info_text_color="#52525b", block_info_text_color_dark="#c4c4cc",
        body_text_color_subdued="#52525b", body_text_color_subdued_dark="#c4c4cc",
        link_text_color="#1d4ed8", link_text_color_dark="#93c5fd",
    )


def is_local(host: str) -> bool:
    """True when ``host`` is reachable only from this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python app.py",
        description="The bilingual reader: Arabic and English side by side, in the browser. "
                    "`python app.py --batch FILE...` runs the batch translator instead.",
    )
    parser.add_argument("--host", default=config.DEFAULT_HOST,
                        help="address to listen on (default: %(default)s, this machine only)")
    # GRADIO_SERVER_PORT is Gradio's own setting; honour it as the default.
    parser.add_argument("--port", type=port_number, default=os.environ.get("GRADIO_SERVER_PORT", config.DEFAULT_PORT),
                        help="port, 1-65535 (default: $GRADIO_SERVER_PORT or %s)" % config.DEFAULT_PORT)
    parser.add_argument("--share", action="store_true",
                        help="also publish a public gradio.live link (off by default)")
    parser.add_argument("--samples", default=str(SAMPLES_DIR), metavar="DIR",
                        help="folder of sample .txt/.md articles to offer (default: the repository's seeds/)")
    parser.add_argument("--allow-private-urls", action="store_true",
                        help="let the page's URL box fetch loopback and private-network addresses (off by default: "
                             "a URL typed into the page must not reach this machine's own network)")
    add_model_options(parser)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Serve the reader until interrupted; returns the exit code."""
    args = build_parser().parse_args(argv)
    if not is_local(args.host):
        print(f"warning: --host {args.host} lets other machines reach the reader; it has no login, "
              "so do this only on a network you trust", file=sys.stderr)
    if args.share:
        print("warning: --share publishes the reader on a public gradio.live address", file=sys.stderr)
    try:
        translator = translator_from_args(args)
        cache = translator.cache.folder if translator.cache else "off"
        print(f"reader: model {translator.model_name}, cache folder {cache}; the model loads on the "
              "first sentence that is not in the cache", file=sys.stderr)
        app, url = serve(translator, host=args.host, port=args.port, share=args.share, samples_dir=args.samples,
                         prevent_thread_lock=True, quiet=True, allow_private_urls=args.allow_private_urls)
        print(f"reader: open {url} (Ctrl+C stops it)", file=sys.stderr)
        if app.share_url:
            print(f"reader: public link {app.share_url}", file=sys.stderr)
        app.block_thread()
    except TranslateError as error:
        print(f"translate: error: {error}", file=sys.stderr)
        return error.exit_code
    except OSError as error:  # typically: the port is taken
        print(f"translate: error: cannot serve on {args.host}:{args.port}: {error}; "
              "pass another --port", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    except Exception as error:  # never a traceback: one line, the traceback in a file
        print(f"translate: error: {crash_report(error, 'starting the reader')}", file=sys.stderr)
        return 1
    return 0
