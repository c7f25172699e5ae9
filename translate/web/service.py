"""The page's handlers as plain Python: what each control and each API endpoint does,
with no Gradio in it. They call the library as a user's script would, return plain
data, and raise the library's errors (:class:`~translate.errors.TranslateError`;
the page's own refusals are :class:`~translate.errors.InputError` with the page's
words); the components turn those into messages beside the control that caused them.

>>> service = ReaderService(Translator.from_options())                    # doctest: +SKIP
>>> loaded = service.load_upload("report.docx")                          # doctest: +SKIP
>>> *_, last = service.translate_page(loaded.text, loaded)               # doctest: +SKIP
>>> last.state, [label for label, _ in last.downloads]                   # doctest: +SKIP
('done', ['Word .docx', 'TMX', 'XLIFF', 'Bilingual .html', 'Markdown', 'Pairs .jsonl'])
"""
from __future__ import annotations

import hashlib
import logging
import re
import shutil
import tempfile
import time
import weakref
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .. import config, readers, writers
from ..errors import InputError, TranslateError, first_line
from ..glossary import Glossary
from ..inputs import read_text, url_name
from ..outputs import output_path
from ..pipeline import Translator
from ..pipeline.chain import TeamMemoryLayer
from ..quality import QualityPolicy
from ..sizes import megabytes
from ..store.library import FILE, PAGE, URL, Found, Library
from ..store.library import Entry as LibraryEntry
from ..store.library import Source as LibrarySource
from ..store.memory import TranslationMemory
from ..text.document import Document, segment_document
from ..writers.bilingual import names, pair_record
from . import validate
from .accounts import NOBODY
from .glossaries import SessionGlossaries
from .messages import message_for, plural
from .validate import refuse

log = logging.getLogger("translate")

#: The sample articles offered in the page's list (the repository's seeds/).
SAMPLES_DIR = Path(__file__).resolve().parent.parent.parent / "seeds"
#: The downloads, in order: the document in its own format (``same``), then the
#: translation memories and the bilingual views (:mod:`translate.writers`).
DOWNLOAD_FORMATS = ("same", "tmx", "xliff", "html", "md", "jsonl")
#: Each download's words; ``same`` is named after the format it resolves to.
DOWNLOAD_LABELS = {"txt": "English .txt", "docx": "Word .docx", "srt": "Subtitles .srt", "epub": "EPUB book",
                   "page": "English web page", "markdown": "English .md", "tmx": "TMX", "xliff": "XLIFF",
                   "html": "Bilingual .html", "md": "Markdown", "jsonl": "Pairs .jsonl"}
#: The file endings the Upload button offers: every one a reader claims.
UPLOAD_SUFFIXES = tuple(readers.SUFFIXES)
UPLOAD_KINDS = ".txt, .md, .docx, .pdf, .html, .srt or .epub"
#: The glossary files the page takes (as ``--glossary``: Arabic term, English rendering).
GLOSSARY_SUFFIXES = (".tsv", ".csv", ".txt")
#: What the page says of a file it does not take ({name}; {size} and {limit} in MB, one
#: decimal); the browser says the same before sending one (components.browser_settings).
NOT_A_DOCUMENT = ("{name} is not a format the page reads. Upload a " + UPLOAD_KINDS + " file, or paste the text "
                  "into the box.")
NOT_A_GLOSSARY = ("{name} is not a glossary the page reads: upload a .tsv or .csv file with the Arabic term, then the "
                  "English rendering, on each line.")
TOO_BIG = "{name} is {size} MB; the page takes files up to {limit} MB. Upload a smaller part of it."
#: How many alternatives the details ask for.
PAGE_ALTERNATIVES = 5
#: Per-request download folders older than this are removed (seconds).
DOWNLOADS_KEPT_S = config.UPLOADS_KEPT_S
#: How many documents the Library view lists (newest first), and finds at most for one search.
LIBRARY_SHOWN = 20
#: The longest search the Library view takes.
MAX_QUERY_CHARS = 500
#: What a document opened from the library says it came from (``PageStep.source["kind"]``).
FROM_LIBRARY = "library"
#: Around each hit in the library's search results (private-use characters, never in a text we keep).
LIBRARY_MARK = ("\ue000", "\ue001")


@dataclass(frozen=True)
class Loaded:
    """What was last put in the text box from a file, a sample or a web address.

    While the box still holds ``text`` unchanged, Translate translates ``document``
    (its blocks, and the original file for the downloads in its own format); once
    the text is edited, it is plain text again.

    Attributes:
        kind: ``"file"``, ``"url"`` or ``"sample"``.
        name: the file name the downloads are named after.
        text: the text put in the box.
        title: what the page calls it (the document's own title, else its name).
        document: the document as its reader read it (None: a sample's plain text).
        original: the uploaded file's bytes (the docx and epub writers rebuild it).
        address: the web address it was fetched from (``kind == "url"``).
    """

    kind: str
    name: str
    text: str
    title: str | None = None
    document: Document | None = None
    original: bytes | None = None
    address: str | None = None

    @property
    def digest(self) -> str:
        return _digest(self.text)

    def holds(self, text: Any) -> bool:
        """True while the box still holds what was loaded."""
        return isinstance(text, str) and _digest(text) == self.digest

    def source(self) -> dict:
        """Where it came from, as the browser keeps it (the Recent list reopens it from there)."""
        found = {"kind": self.kind, "name": self.name}
        if self.document is not None:
            found["format"] = self.document.format
        if self.address:
            found["url"] = self.address
        return found


@dataclass(frozen=True)
class PageStep:
    """One step of a translation on the page.

    Attributes:
        run: an id for this translation; a new id tells the browser a new text began.
        document: the document so far (sentences not translated yet have no English).
        state: ``"working"``, ``"done"`` or ``"failed"``.
        title: what the text is called (a loaded document's title), if known.
        source: :meth:`Loaded.source` of a loaded document (None: typed text).
        loading: the model is being loaded (its first use since the page started).
        seconds: since Translate was pressed.
        message: why it failed, or (done) which downloads could not be written.
        quality: the translator's quality policy (what the view marks as doubtful).
        downloads: ``(label, path)`` per :data:`DOWNLOAD_FORMATS` once done (path None:
            that format could not be written).
    """

    run: str
    document: Document
    state: str
    title: str | None = None
    source: dict | None = None
    loading: bool = False
    seconds: float = 0.0
    message: str | None = None
    quality: QualityPolicy = QualityPolicy()
    downloads: tuple[tuple[str, Path | None], ...] = ()


class ReaderService:
    """The page's handlers, apart from its layout.

    Args:
        translator: the translator (and with it, the cache and the memory) the page uses.
        samples_dir: folder of sample ``.txt``/``.md`` articles offered in a list.
        max_chars: the longest text one request may translate.
        allow_private_urls: let the address box fetch loopback, private and link-local
            addresses (off: an address typed into the page must not reach into the
            server's own network).
        team_memory: a memory shared on purpose (``--team-memory``): everyone's
            translations come from it after their own; only ``is_editor`` users write it.
        is_editor: whether a user may write the team memory.
        library: where what the page translates is recorded, and what the Library view
            lists, searches and reopens (:mod:`translate.store.library`). True: the
            library of the translator's cache folder (none when it has no cache);
            False or None: none (``--no-library``).

    Users: every handler that reads or keeps a reader's own things takes ``user``
    (:data:`~translate.web.accounts.NOBODY` on a reader without accounts, whose memory
    is the translator's own; a named user's is theirs alone,
    :meth:`TranslationMemory.of_user`).
    """

    def __init__(self, translator: Translator, *, samples_dir: str | Path | None = SAMPLES_DIR,
                 max_chars: int = config.MAX_PAGE_CHARS, allow_private_urls: bool = False,
                 team_memory: TranslationMemory | None = None, is_editor=None,
                 library: Library | bool | None = True):
        self.translator = translator
        self.team_memory = team_memory
        self.is_editor = is_editor or (lambda user: False)
        self._memories: dict[str, TranslationMemory] = {}
        #: the glossaries browser sessions uploaded, within one budget of bytes
        self.glossaries = SessionGlossaries()
        if library is True:
            library = Library(translator.cache.folder) if translator.cache is not None else None
        #: the library (None: the page records nothing and has no Library view)
        self.library: Library | None = library if isinstance(library, Library) else None  # (an empty one is falsy)
        self.max_chars = max_chars
        self.allow_private_urls = allow_private_urls
        #: the largest upload, in bytes: the readers' input limit, as for the CLI
        self.max_upload = config.max_input_bytes()
        folder = Path(samples_dir) if samples_dir else None
        self.samples: dict[str, Path] = {}
        self.sample_titles: dict[str, tuple[str, str]] = {}
        if folder is not None and folder.is_dir():
            for path in sorted(folder.iterdir()):
                if path.is_file() and path.suffix.lower() in config.TEXT_SUFFIXES:
                    self.samples[path.name] = path
                    self.sample_titles[path.name] = sample_title(path)
        #: translations streaming now (their run ids)
        self.running: set[str] = set()
        # Downloads go to a private temporary folder, never next to the cache.
        self.downloads = Path(tempfile.mkdtemp(prefix="translate-reader-"))
        weakref.finalize(self, shutil.rmtree, self.downloads, ignore_errors=True)

    # -- inputs -------------------------------------------------------------------

    def check(self, text: Any) -> str:
        """The text to translate (:func:`validate.text` with the page's limit)."""
        return validate.text(text, self.max_chars)

    def sample_choices(self) -> list[tuple[str, str]]:
        """(label, file name) for each sample article, for the picker."""
        return [(label, name) for name, (_, label) in self.sample_titles.items()]

    def load_sample(self, name: Any) -> Loaded:
        """A sample article, by its file name."""
        if not isinstance(name, str) or name not in self.samples:
            raise refuse(f"There is no sample article called {validate.shown(name)}; pick one from the list.")
        text = read_text(self.samples[name]).replace("\r\n", "\n")
        return Loaded("sample", name, text, self.sample_titles[name][0])

    def load_upload(self, path: Any) -> Loaded:
        """An uploaded document, read as the CLI reads it (:func:`translate.readers.read_document`:
        text, Markdown, HTML, Word, PDF, subtitles, EPUB).

        Raises:
            InputError: a format the page does not read, a file too big, or one its
                reader cannot read (the message says why and what to do).
        """
        if not isinstance(path, (str, Path)) or not str(path):
            raise refuse("The upload did not arrive as a file; use the Upload button.")
        upload = Path(path)
        name = safe_name(upload.name, "upload.txt")
        if upload.suffix.lower() not in readers.SUFFIXES:
            raise refuse(NOT_A_DOCUMENT.format(name=name))
        try:
            size = upload.stat().st_size
            if size > self.max_upload:  # Gradio refuses these first; this guards direct callers
                shown_size, shown_limit = megabytes(size, self.max_upload)
                raise refuse(TOO_BIG.format(name=name, size=shown_size, limit=shown_limit))
            data = upload.read_bytes()
        except OSError as error:
            raise refuse(f"{name} could not be read ({error.strerror or error}); upload it again.") from None
        return self._loaded("file", read_upload(data, name, self.max_upload, self.max_chars), name, data)

    def load_url(self, url: Any) -> Loaded:
        """A web article, fetched and read as the CLI does (:func:`translate.readers.read_url`:
        size and time bounded, main text only).

        Raises:
            InputError: not an http(s) address, a refused (private) address, no answer,
                or a page without article text.
        """
        if not isinstance(url, str) or not url.strip():
            raise refuse("Paste the address of a web article (https://…) into the box first.")
        url = url.strip()
        if not url.lower().startswith(("http://", "https://")):
            if "://" in url or url.lower().startswith(("file:", "data:", "javascript:")):
                raise refuse(f"{validate.shown(url)} is not a web address the page fetches: give one that starts "
                             "with https:// or http://.")
            url = "https://" + url  # "example.org/news" as people type it
        document = readers.read_url(url, allow_private=self.allow_private_urls, max_chars=self.max_chars,
                                    bounded=True)
        return self._loaded("url", document, url_name(url).name, None, address=url)

    def _loaded(self, kind: str, document: Document, name: str, original: bytes | None,
                address: str | None = None) -> Loaded:
        if document.format == "txt":  # as the text box will hold it (a browser sends "\n")
            document = segment_document(document.text.replace("\r\n", "\n"), name)
        text = self.check(document.text)
        return Loaded(kind, name, text, document.title or name, document, original, address)

    # -- translation --------------------------------------------------------------

    def translate_page(self, text: Any, loaded: Loaded | None = None, use_memory: Any = True,
                       glossary: Glossary | None = None, *, user: str = NOBODY) -> Iterator[PageStep]:
        """The Translate button: cached sentences first, then one step per model batch,
        in reading order; the last step is done (with the downloads) or failed.

        A failure ends the stream with a failed step saying why; what was already
        translated stays in the step (and in the cache). ``loaded`` is what was last
        put in the box: while the box still holds it, its document (blocks, title) is
        translated and the downloads take its name and its own format. ``use_memory``
        (the page's switch) and ``glossary`` (the one uploaded in this browser
        session) choose the translator (:meth:`translator_for`), with ``user``'s memory. The
        finished document is recorded in the library as ``user``'s (:meth:`record`).
        """
        translator = self.translator_for(use_memory, glossary, user=user)
        run = f"{time.time_ns():x}"
        if not (isinstance(loaded, Loaded) and loaded.holds(text)):
            loaded = None
        title, source = (loaded.title, loaded.source()) if loaded else (None, None)
        name = loaded.name if loaded else None
        document = Document("", ())  # refused before it began: nothing to show
        started = time.perf_counter()
        self.running.add(run)
        try:
            text = self.check(text)
            for document in translator.translate_stream(loaded.document if loaded and loaded.document else text,
                                                        name=name):
                if not document.done:
                    yield PageStep(run, document, "working", title, source, loading=not translator.engine_loaded,
                                   seconds=time.perf_counter() - started, quality=translator.quality)
                    continue
                seconds = time.perf_counter() - started
                files, failed = self.write_downloads(document, original=loaded and loaded.original, name=name,
                                                     signature=str(translator.signature))
                self.record(document, loaded, user)
                yield PageStep(run, document, "done", title, source, seconds=seconds, message=failed or None,
                               downloads=tuple(files), quality=translator.quality)
                return
        except Exception as error:  # every failure is told in the status line, never a traceback
            yield PageStep(run, document, "failed", title, source, seconds=time.perf_counter() - started,
                           message=message_for(error), quality=translator.quality)
        finally:
            self.running.discard(run)

    def translate(self, text: Any, *, user: str = NOBODY) -> dict:
        """The ``/translate`` endpoint: the whole translation as plain data (with ``user``'s memory)."""
        document = self.translator_for(user=user).translate(self.check(text))
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
        relative = Path(safe_name(name or document.name or "translation.txt"))
        signature = document.signature or signature or str(self.translator.signature)
        files, failed = [], []
        for fmt in DOWNLOAD_FORMATS:
            concrete = writers.resolve(fmt, document)
            label = DOWNLOAD_LABELS[concrete]
            try:
                data = writers.write(document, concrete, original=original, signature=signature,
                                     quality=self.translator.quality)
            except TranslateError as error:
                log.warning("reader: no %s download: %s", concrete, error)
                files.append((label, None))
                failed.append(f"{label} ({first_line(error)[:200]})")
                continue
            path = output_path(relative, folder, writers.FORMATS[concrete].suffix)
            path.write_bytes(data)
            files.append((label, path))
        note = f"Could not write {', '.join(failed)}." if failed else ""
        return files, note

    def _remove_old_downloads(self) -> None:
        # Gradio copies returned files into its own cache, so old folders can go.
        limit = time.time() - DOWNLOADS_KEPT_S
        for folder in self.downloads.iterdir():
            if folder.stat().st_mtime < limit:
                shutil.rmtree(folder, ignore_errors=True)

    # -- the library ---------------------------------------------------------------------

    def record(self, document: Document, loaded: Loaded | None = None, user: str = "") -> None:
        """Record a document the page translated in the library, as ``user``'s: a web
        article by its address, an upload by its name and text, a sample or pasted text
        by its text (never raises: :meth:`Library.record`)."""
        if self.library is None:
            return
        digest = _digest(document.text)
        if loaded is not None and loaded.kind == "url" and loaded.address:
            source = LibrarySource(URL, loaded.address, owner=user)
        elif loaded is not None and loaded.kind == "file":
            source = LibrarySource(FILE, loaded.name, owner=user, identity=f"{loaded.name}:{digest}")
        else:  # a sample or pasted text: named by its first words
            first = " ".join(document.text.split())[:60]
            shown = f"sample {loaded.name}" if loaded is not None and loaded.kind == "sample" else first
            source = LibrarySource(PAGE, shown, owner=user, identity=digest)
        if loaded is not None and loaded.title and not document.title:
            document = replace(document, title=loaded.title)
        self.library.record([(source, document)])

    def library_entries(self, user: str = "", limit: int = LIBRARY_SHOWN) -> list[LibraryEntry]:
        """The documents ``user`` may see (theirs and everyone's), newest first. Documents
        a dataset job staged and nothing indexed yet (a job stopped with its machine)
        are indexed in the background, and listed as they are."""
        if self.library is None:
            return []
        self.library.index_in_background()
        return self.library.entries(owner=user, limit=limit)

    def library_names(self, entries: list[LibraryEntry], user: str = "") -> dict[int, dict]:
        """What each listed document is called in Arabic and in English, as Recent names
        them (:func:`translate.writers.bilingual.names`), by number."""
        found = {}
        for entry in entries if self.library is not None else ():
            opened = self.library.document(entry.id, owner=user)
            if opened is not None:
                found[entry.id] = names(opened[1], entry.title)
        return found

    def library_search(self, query: Any, user: str = "", limit: int = LIBRARY_SHOWN) -> list[Found]:
        """The documents ``user`` may see that hold every word and phrase of ``query``,
        with their matching pairs, hits between :data:`LIBRARY_MARK`.

        Raises:
            InputError: a query with no word in it, or one too long.
        """
        if not isinstance(query, str):
            raise refuse(f"The search must be text, not {validate.kind(query)}.")
        if len(query) > MAX_QUERY_CHARS:
            raise refuse(f"The search has {len(query):,} characters; give at most {MAX_QUERY_CHARS:,}: a few words "
                         "or a \"phrase\".")
        if self.library is None:
            return []
        return self.library.search(query.replace(LIBRARY_MARK[0], "").replace(LIBRARY_MARK[1], ""), owner=user,
                                   limit=limit, mark=LIBRARY_MARK)

    def open_document(self, number: Any, user: str = "") -> PageStep:
        """A document of the library, as the done step of its translation: rebuilt from
        the library, with its downloads; nothing is translated again.

        Raises:
            InputError: no library, or no such document that ``user`` may see.
        """
        found = None
        if self.library is not None and isinstance(number, int) and not isinstance(number, bool):
            found = self.library.document(number, owner=user)
        if found is None:
            raise refuse("That document is not in the library any more (or not one you can open); pick another "
                         "from the list.")
        entry, document = found
        name = Path(entry.source).name if entry.kind == FILE else None
        files, failed = self.write_downloads(document, name=name or document.name, signature=entry.signature)
        source = {"kind": FROM_LIBRARY, "id": entry.id, "name": entry.source, "translated": entry.translated}
        return PageStep(f"library-{entry.id}-{time.time_ns():x}", document, "done", entry.title, source,
                        message=failed or None, downloads=tuple(files), quality=self.translator.quality)

    # -- the reader's own translations ------------------------------------------------

    @property
    def has_memory(self) -> bool:
        """True when the server keeps a translation memory (not started with ``--no-memory``)."""
        return self.translator.memory is not None

    def translator_for(self, use_memory: Any = True, glossary: Any = None, *, user: str = NOBODY) -> Translator:
        """The translator for one browser session: the page's own with ``user``'s memory
        (and after it the team's), without either when the page's switch is off, and
        with the glossary uploaded in that session (instead of the server's). It shares
        the page's engine, cache and turns at the model (:meth:`Translator.variant`):
        nothing is loaded again.
        """
        changes: dict[str, Any] = {}
        if use_memory is False:
            changes["memory"] = None
        else:
            if user != NOBODY:
                changes["memory"] = self.memory_of(user)
            if self.team_memory is not None:
                changes["layers"] = (*self.translator.layers, TeamMemoryLayer(self.team_memory))
        if isinstance(glossary, Glossary):
            changes["glossary"] = glossary
        return self.translator.variant(**changes) if changes else self.translator

    def memory_of(self, user: str) -> TranslationMemory | None:
        """``user``'s translation memory (None: the reader keeps none, ``--no-memory``)."""
        memory = self.translator.memory
        if memory is None or user == NOBODY:
            return memory
        if user not in self._memories:
            self._memories[user] = TranslationMemory.of_user(memory.folder, user)
        return self._memories[user]

    def alternatives(self, sentence: Any, n: Any = PAGE_ALTERNATIVES) -> list[dict]:
        """The model's ``n`` best translations of one sentence, best first:
        ``[{"text", "score"}]`` (distinct texts; scores are mean log-probabilities, ≤ 0)."""
        sentence, n = validate.sentence(sentence), validate.count(n)
        return [{"text": a.text, "score": _rounded(a.score)} for a in self.translator.alternatives(sentence, n)]

    def complete(self, sentence: Any, prefix: Any) -> dict:
        """The translation of ``sentence`` that starts with ``prefix`` (the reader's
        beginning, kept exactly), finished by the model: ``{"text", "score"}``."""
        sentence, prefix = validate.sentence(sentence), validate.english(prefix, "The beginning", empty=True)
        found = self.translator.complete(sentence, prefix)
        return {"text": found.text, "score": _rounded(found.score)}

    def word_alternatives(self, sentence: Any, prefix: Any, n: Any = PAGE_ALTERNATIVES) -> list[str]:
        """The choices for the word after ``prefix`` (whole words, likeliest first)."""
        sentence = validate.sentence(sentence)
        prefix, n = validate.english(prefix, "The beginning", empty=True), validate.count(n)
        return self.translator.word_alternatives(sentence, prefix, n)

    def remember(self, sentence: Any, translation: Any, replaced: Any = None, *, user: str = NOBODY,
                 team: Any = False) -> dict:
        """Keep ``translation`` as the reader's own for ``sentence`` in ``user``'s translation
        memory (``team``: in the team memory, for an editor); it is used wherever the
        sentence comes again, marked "yours" (or "team").

        Returns:
            ``{"source", "translation", "replaced", "origin"}`` as stored.
        """
        memory = self._memory(user, team)
        sentence, translation = validate.sentence(sentence), validate.english(translation, "Your translation")
        replaced = None if replaced in (None, "") else validate.english(replaced, "The replaced translation")
        entry = memory.remember(sentence, translation, replaced=replaced)
        return {"source": entry.source, "translation": entry.translation, "replaced": entry.replaced,
                "origin": entry.origin}

    def forget(self, sentence: Any, *, user: str = NOBODY, team: Any = False) -> dict:
        """Forget the reader's own translation of ``sentence``; returns the model's
        (from the cache, or translated now) as a ``.jsonl`` pair record
        (:func:`translate.writers.bilingual.pair_record`), and ``"forgotten"``: whether there was one."""
        memory = self._memory(user, team)
        sentence = validate.sentence(sentence)
        forgotten = memory.remove(sentence)
        document = self.translator.variant(memory=None).translate(sentence)
        return pair_record(document, document.sentences[0]) | {"forgotten": forgotten}

    def load_glossary(self, path: Any) -> Glossary:
        """A glossary uploaded on the page (``.tsv`` or ``.csv``), read as
        ``--glossary`` reads one (:meth:`Glossary.load`).

        Raises:
            InputError: not a file, another kind of file, or one the glossary reader
                refuses (empty, a bad line, a duplicate term…); the message says which.
        """
        if not isinstance(path, (str, Path)) or not str(path):
            raise refuse("The glossary did not arrive as a file; use the Glossary button.")
        upload = Path(path)
        name = safe_name(upload.name, "glossary.tsv")
        if upload.suffix.lower() not in GLOSSARY_SUFFIXES:
            raise refuse(NOT_A_GLOSSARY.format(name=name))
        glossary = self.glossaries.load(upload, name)
        glossary.name = name  # not the server's temporary path
        return glossary

    def _memory(self, user: str, team: Any = False) -> TranslationMemory:
        if team is True:
            if self.team_memory is None:
                raise refuse("This reader has no team memory; save the translation as your own.")
            if not self.is_editor(user):
                raise refuse("Only the team memory's editors can change it; save the translation as your own.")
            return self.team_memory
        memory = self.memory_of(user)
        if memory is None:
            raise refuse("This reader keeps no translation memory, so your translations cannot be saved; whoever "
                         "runs the reader can restart it with the memory on.")
        return memory


def read_upload(data: bytes, name: str, max_bytes: int, max_chars: int | None = None) -> Document:
    """An upload read by its format's reader, in a bounded worker process with the page's
    budget of characters (:mod:`translate.sandbox`). The page has no encoding option, so
    text recognised as another encoding (old Windows Arabic) is simply read in it;
    UTF-16 with or without a byte-order mark is recognised by the readers.

    Raises:
        InputError: the reader's reason (binary, damaged, no text layer, too big, too
            complex to read here…).
    """
    try:
        return readers.read_document(data, name, max_bytes=max_bytes, max_chars=max_chars, bounded=True)
    except InputError as error:
        if error.reason == "wrong-encoding" and error.details.get("encoding"):
            return readers.read_document(data, name, encoding=error.details["encoding"], max_bytes=max_bytes,
                                         max_chars=max_chars, bounded=True)
        raise


def sample_title(path: Path) -> tuple[str, str]:
    """A sample's title, and its label in the picker.

    The title is the first line when that is a headline (or a Markdown ``# title``),
    else the file's name in words ("aleppo-offensive.ar.txt" → "Aleppo offensive");
    the label adds the number of sentences. An Arabic title is isolated (U+2068…U+2069)
    so that the English around it keeps its place.
    """
    words = re.sub(r"[-_.]+", " ", path.name.split(".")[0]).strip()
    named = words[:1].upper() + words[1:] if words else path.name
    try:
        text = read_text(path)
        document = segment_document(text)
    except TranslateError:
        return named, named
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    if first.startswith("#"):
        title = first.lstrip("#").strip() or named
    elif document.paragraphs and document.paragraphs[0].is_heading:
        title = first
    else:
        title = named
    shown = f"\u2068{title}\u2069" if title != named else title
    return title, f"{shown} · {plural(len(document.sentences), 'sentence')}"


def safe_name(name: str, fallback: str = "translation.txt") -> str:
    """A file name fit for a download (no folders, no odd characters)."""
    cleaned = re.sub(r"[^\w.\-]+", "-", Path(name).name).strip(".-")
    return cleaned or fallback


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _rounded(score: float | None) -> float | None:
    return None if score is None else round(score, 3)
