"""The library: every translated document, searchable in both languages.

Whatever translated it (the page, ``translate FILE…``, a folder, a dataset row),
a document is recorded in ``<cache folder>/library.sqlite3``: its title, where it
came from (a path, an address, a dataset and row id, or the text pasted on the
page), who translated it (a user of a shared reader; ``""``: everyone's), when,
its signature, its layout and its sentence pairs. A rerun of the same source
updates its entry. The file is SQLite on the stores' base
(:mod:`translate.store.sqlite`), with an FTS5 index of the pairs:

* English: FTS5's ``porter`` tokenizer, so ``attack`` finds "attacks" and "attacked";
* Arabic: each word indexed by its *stem*: harakat stripped, the forms of alef
  folded (the glossary's normalisation, :func:`translate.text.arabic.fold`), then
  a leading و or ف, a leading ب ك or ل, and the article ال removed while at least
  two letters remain. A query word is reduced the same way, so إدلب finds وإدلب,
  بإدلب and لإدلب (a word that merely starts with those letters is reduced alike on
  both sides: a light stemmer's usual trade);
* a query is words and "quoted phrases" (a phrase within one sentence); a document
  is found when every one of them is in it; results come newest first, and show the
  matching sentence pairs with the hits marked in both languages.

A dataset job *stages* its documents instead (:meth:`Library.staging`, on files of
:mod:`translate.store.staging`): stemming and indexing them, which costs several
times what the job itself spends on a row it finds in the cache, is left to
:meth:`Library.index`, run by a process of its own that the job starts when it
ends (``translate library index``, which the command line's ``library`` actions
also run first). A staged document is listed and found once it is indexed.

Recording never fails a translation: a library that cannot be written gives one
warning and the work goes on. The reader's actions (list, search, show, remove,
export) raise :class:`~translate.errors.CacheError` with a message instead.
"""
from __future__ import annotations

import functools
import json
import logging
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import CacheError, InputError
from ..text.arabic import ARTICLE, CONJUNCTIONS, MARK_CLASS, PREPOSITIONS, fold, has_letter
from ..text.document import Document, Paragraph, SentencePair
from ..translation import Translation, alignment_text, parse_alignment
from . import staging as stage_files
from .sqlite import PROBLEMS, SqliteFile, describe, encodable

log = logging.getLogger("translate")

LIBRARY_FILE = "library.sqlite3"
SCHEMA_VERSION = 1
#: Where a document came from.
FILE, URL, PAGE, DATASET = "file", "url", "page", "dataset"
KINDS = (FILE, URL, PAGE, DATASET)

_TABLES = (
    """CREATE TABLE IF NOT EXISTS documents (
        id INTEGER PRIMARY KEY,
        key TEXT NOT NULL UNIQUE,
        owner TEXT NOT NULL,
        kind TEXT NOT NULL,
        source TEXT NOT NULL,
        title TEXT,
        format TEXT NOT NULL,
        translated REAL NOT NULL,
        signature TEXT,
        sentences INTEGER NOT NULL,
        layout TEXT NOT NULL
    )""",
    # Lists (newest first) and filters read this index, not the rows (a document's row holds its whole text).
    "DROP INDEX IF EXISTS documents_by_time",  # (what files written before it had)
    "CREATE INDEX IF NOT EXISTS documents_newest ON documents (translated, owner, kind, source)",
    """CREATE TABLE IF NOT EXISTS pairs (
        document INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        paragraph INTEGER NOT NULL,
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        stems TEXT NOT NULL,
        translation TEXT NOT NULL,
        score REAL,
        flags TEXT NOT NULL,
        origin TEXT NOT NULL,
        alignment TEXT NOT NULL
    )""",
    "CREATE INDEX IF NOT EXISTS pairs_by_document ON pairs (document, idx)",
    """CREATE VIRTUAL TABLE IF NOT EXISTS pairs_index USING fts5(
        stems, translation, content='pairs', content_rowid='rowid', tokenize='porter unicode61')""",
    # The index follows the pairs (the pattern of SQLite's FTS5 documentation for external content).
    """CREATE TRIGGER IF NOT EXISTS pairs_added AFTER INSERT ON pairs BEGIN
        INSERT INTO pairs_index (rowid, stems, translation) VALUES (new.rowid, new.stems, new.translation);
    END""",
    """CREATE TRIGGER IF NOT EXISTS pairs_removed AFTER DELETE ON pairs BEGIN
        INSERT INTO pairs_index (pairs_index, rowid, stems, translation)
        VALUES ('delete', old.rowid, old.stems, old.translation);
    END""",
)
#: Staged documents indexed in one transaction.
INDEX_BATCH = 200
#: A library starts at most one indexing process this often (seconds).
INDEX_SPAWN_INTERVAL_S = 10.0
_WORD = re.compile(r"\w+")
_WORD_WITH_MARKS = re.compile(f"(?:\\w|[{MARK_CLASS}])+")  # a word as it is written, harakat and all
_TERM = re.compile(r'"([^"]*)"|(\S+)')
_MARK_OPEN, _MARK_CLOSE = "\ue000", "\ue001"  # private-use marks around hits, turned into the caller's


@functools.lru_cache(maxsize=1 << 18)  # words repeat (a news vocabulary is small): each is stemmed once
def stem(word: str) -> str:
    """An Arabic word as the library indexes it (see the module's description); other words lowered."""
    core = "".join(_WORD.findall(fold(word)))
    if not has_letter(core):
        return core.lower()
    for prefixes in (CONJUNCTIONS, PREPOSITIONS):
        if core[:1] in prefixes and len(core) > 3:
            core = core[1:]
    if core.startswith(ARTICLE) and len(core) > 3:
        core = core[2:]
    elif core.startswith("\u0644") and len(core) > 3 and core[:1] in PREPOSITIONS:  # li + al- written لل
        core = core[1:]
    return core


def stems(text: str) -> str:
    """The Arabic text's words as stems, in order, for the index."""
    return " ".join(s for s in (stem(word) for word in text.split()) if s)


@dataclass(frozen=True)
class Source:
    """Where a document came from, and who translated it.

    Attributes:
        kind: one of :data:`KINDS`.
        source: the path (absolute), the address, ``DATASET#ID`` or, for text pasted
            on the page, its first words.
        owner: the user of a shared reader who translated it; "" for everyone's (the
            command line, and a reader without accounts).
        identity: what makes two recordings the same document (default: ``source``;
            pasted text: a digest of it).
    """

    kind: str
    source: str
    owner: str = ""
    identity: str | None = None

    @property
    def key(self) -> str:
        return f"{self.owner}\0{self.kind}\0{self.identity or self.source}"


@dataclass(frozen=True)
class Entry:
    """One document of the library (without its pairs)."""

    id: int
    owner: str
    kind: str
    source: str
    title: str | None
    format: str
    translated: float
    signature: str | None
    sentences: int


@dataclass(frozen=True)
class Hit:
    """A sentence pair that matched a search, the hits marked in both languages."""

    index: int
    source: str
    translation: str
    marked_source: str
    marked_translation: str


@dataclass(frozen=True)
class Found:
    """A document that matched a search, with its matching pairs (best first)."""

    entry: Entry
    hits: list[Hit] = field(default_factory=list)


class Library:
    """The library of a cache folder.

    Args:
        folder: the cache folder; nothing is created before the first :meth:`record`.
    """

    def __init__(self, folder: str | os.PathLike):
        self.folder = Path(folder)
        self.path = self.folder / LIBRARY_FILE
        #: where dataset jobs stage their documents (:mod:`translate.store.staging`)
        self.staged_folder = self.folder / stage_files.FOLDER
        self.file = SqliteFile(self.path, what="library", schema_version=SCHEMA_VERSION)
        #: Why recording is off in this process (after one warning), or None.
        self.disabled_reason: str | None = None
        self._lock = threading.Lock()
        self._spawned = -INDEX_SPAWN_INTERVAL_S  # when this library last started an indexing process

    # -- recording: never raises -------------------------------------------------------------

    def record(self, documents: Iterable[tuple[Source, Document]]) -> int:
        """Record translated documents, all in one transaction (a rerun of a source
        replaces its entry). Never raises: a library that cannot be written gives one
        warning and records nothing more in this process.

        Returns:
            how many were recorded.
        """
        rows = [(source, document) for source, document in documents if document.done]
        if not rows or self.disabled_reason is not None:
            return 0
        now = time.time()

        def write(connection) -> int:
            for source, document in rows:
                plain = _plain(source, document)
                if plain is not None:
                    self._insert(connection, source.key, source.owner, source.kind, source.source, now, plain)
            return len(rows)

        try:
            return self._write(write)
        except CacheError as error:
            self._disable(error)
            return 0

    def _disable(self, error: CacheError) -> None:
        with self._lock:
            if self.disabled_reason is None:
                self.disabled_reason = str(error)
                log.warning("%s; translated documents are not recorded in the library", error)

    def _insert(self, connection, key: str, owner: str, kind: str, source: str, translated: float,
                plain: dict) -> None:
        """Write one document (as :func:`_plain` gives it): a new entry, or new pairs for its own."""
        text = plain["text"]
        layout = json.dumps({"text": text, "name": plain["name"], "paragraphs": plain["paragraphs"]},
                            ensure_ascii=False)
        values = (owner, kind, source, plain["title"], plain["format"], translated, plain["signature"],
                  len(plain["pairs"]), layout)
        known = connection.execute("SELECT id, translated FROM documents WHERE key = ?", (key,)).fetchone()
        if known is not None and known[1] > translated:  # staged before what is there (two indexers at once)
            return
        if known is None:
            number = connection.execute(
                "INSERT INTO documents (owner, kind, source, title, format, translated, signature, sentences, "
                "layout, key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", (*values, key)).lastrowid
        else:  # a rerun: the same number, new pairs
            number = known[0]
            connection.execute("DELETE FROM pairs WHERE document = ?", (number,))
            connection.execute("UPDATE documents SET owner = ?, kind = ?, source = ?, title = ?, format = ?, "
                               "translated = ?, signature = ?, sentences = ?, layout = ? WHERE id = ?",
                               (*values, number))
        connection.executemany(
            "INSERT INTO pairs (document, idx, paragraph, start, end, stems, translation, score, flags, "
            "origin, alignment) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(number, idx, paragraph, start, end, stems(text[start:end]), *rest)
             for idx, paragraph, start, end, *rest in plain["pairs"]])

    # -- a dataset job's documents: staged, then indexed -------------------------------------

    @contextmanager
    def staging(self) -> Iterator[Staging]:
        """Where a dataset job puts its documents (:class:`Staging`); when it ends,
        they wait for :meth:`index` (or :meth:`index_in_background`)."""
        staging = Staging(self)
        try:
            yield staging
        finally:
            staging.close()

    def pending(self) -> int:
        """How many staged documents wait to be indexed."""
        return stage_files.documents_waiting(self.staged_folder)

    def index(self, *, batch: int = INDEX_BATCH) -> int:
        """Index the staged documents, ``batch`` a transaction, the oldest file first
        (several processes may run this at once: each takes files of its own). Returns
        how many this call indexed.

        Raises:
            CacheError: the library cannot be written (the file being indexed is given back).
        """
        done = 0
        while (claimed := stage_files.claim(self.staged_folder)) is not None:
            try:
                documents: list[stage_files.Staged] = []
                for staged in stage_files.read(claimed):
                    if isinstance(staged, str):
                        log.warning("the library's staged %s cannot be read (a job stopped while writing it?); "
                                    "left out", staged)
                        continue
                    documents.append(staged)
                    if len(documents) == batch:
                        done += self._write(functools.partial(self._insert_staged, documents))
                        documents = []
                if documents:
                    done += self._write(functools.partial(self._insert_staged, documents))
            except BaseException:
                stage_files.release(claimed)
                raise
            claimed.unlink(missing_ok=True)
        return done

    def _insert_staged(self, documents: list[stage_files.Staged], connection) -> int:
        for staged in documents:
            plain = staged.plain
            if not encodable(staged.key, staged.source, plain["title"] or ""):
                continue
            plain["pairs"] = [pair for pair in plain["pairs"] if encodable(pair[4], pair[6])]
            self._insert(connection, staged.key, staged.owner, staged.kind, staged.source, staged.translated, plain)
        return len(documents)

    def index_in_background(self) -> bool:
        """Start ``translate library index`` in a process of its own (at a low priority,
        outliving this one) when documents are staged; at most once every
        :data:`INDEX_SPAWN_INTERVAL_S` per library. Returns whether one was started."""
        with self._lock:
            if (time.monotonic() - self._spawned < INDEX_SPAWN_INTERVAL_S or self.disabled_reason is not None
                    or not stage_files.waiting(self.staged_folder)):
                return False
            self._spawned = time.monotonic()
        command = [sys.executable, "-m", "translate", "library", "index", "--background",
                   "--cache-dir", str(self.folder.absolute())]
        try:
            subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL, start_new_session=True, close_fds=True)
        except OSError as error:
            log.warning("cannot start indexing the library (%s); `translate library index` does it", error)
            return False
        return True

    # -- reading -------------------------------------------------------------------------------

    def entries(self, *, owner: str | None = None, since: float | None = None, until: float | None = None,
                kind: str | None = None, source: str | None = None, limit: int = 100, offset: int = 0
                ) -> list[Entry]:
        """Documents, newest first.

        Args:
            owner: only what ``owner`` may see: theirs and everyone's (None: all).
            since, until: translated in this span (seconds since the epoch).
            kind: from this kind of source; source: whose source contains this text.
        """
        where, values = _filters(owner, since, until, kind, source)
        return self._read(lambda c: [Entry(*row) for row in c.execute(
            f"SELECT {_ENTRY} FROM documents d {where} ORDER BY d.translated DESC, d.id DESC LIMIT ? OFFSET ?",
            [*values, limit, offset])], [])

    def document(self, number: int, *, owner: str | None = None) -> tuple[Entry, Document] | None:
        """A recorded document, rebuilt with its translations (None: no such document, or not one
        ``owner`` may see)."""
        def read(connection):
            where, values = _filters(owner, None, None, None, None, extra="d.id = ?")
            row = connection.execute(f"SELECT {_ENTRY}, d.layout FROM documents d {where}",
                                     [*values, number]).fetchone()
            if row is None:
                return None
            entry, layout = Entry(*row[:-1]), json.loads(row[-1])
            pairs = connection.execute(
                "SELECT idx, paragraph, start, end, translation, score, flags, origin, alignment "
                "FROM pairs WHERE document = ? ORDER BY idx", (number,)).fetchall()
            return entry, _rebuilt(entry, layout, pairs)

        return self._read(read, None)

    def search(self, query: str, *, owner: str | None = None, since: float | None = None,
               until: float | None = None, kind: str | None = None, source: str | None = None,
               limit: int = 20, hits_per_document: int = 3, mark: tuple[str, str] = ("[", "]")) -> list[Found]:
        """The documents holding every word and phrase of ``query`` (in either language),
        newest first, each with its best matching pairs, hits marked.

        How it stays fast at a million documents: whichever is rarer drives, the documents
        that pass the filters or the matches of the rarest term (each counted up to a cap),
        newest first; each new document is checked against the filters and, within its
        own pairs (an index range), the other terms; it stops at ``limit`` documents.
        Nothing is ranked over all matches.

        Raises:
            InputError: a query with no word in it.
        """
        terms = parse_query(query)
        if not terms:
            raise InputError("the search has no word in it; give Arabic or English words, or a \"phrase\"",
                             reason="empty-query")
        where, values = _filters(owner, since, until, kind, source, extra="d.id = ?")
        any_term = " OR ".join(f"({term})" for term in terms)
        wanted = {s for term in terms for s in _term_stems(term)}

        def read(connection):
            def count(query: str, values: list, cap: int) -> int:
                return connection.execute(f"SELECT count(*) FROM ({query} LIMIT ?)", [*values, cap]).fetchone()[0]

            matches = "SELECT rowid FROM pairs_index WHERE pairs_index MATCH ?"
            counts = [count(matches, [term], _COUNT_CAP) for term in terms]
            if not all(counts):
                return []
            narrow, narrow_values = _filters(owner, since, until, kind, source)
            # (The filters are counted on an index that holds every column they read.)
            filtered = count(f"SELECT 1 FROM documents d {narrow}", narrow_values, _FILTER_CAP) if narrow_values \
                else _FILTER_CAP
            if min(counts) == _COUNT_CAP and filtered < _FILTER_CAP:  # common words, narrow filters: which is rarer
                counts = [count(matches, [term], _FILTER_CAP) for term in terms]
            if filtered < min(counts):  # few documents pass the filters: they drive, newest first
                others = terms
                documents = (row[0] for row in connection.execute(
                    f"SELECT d.id FROM documents d {narrow} ORDER BY d.translated DESC, d.id DESC", narrow_values))
            else:  # the rarest term drives: the documents its matches land in, newest first
                driver = terms[counts.index(min(counts))]
                others = [term for term in terms if term != driver]
                documents = (connection.execute("SELECT document FROM pairs WHERE rowid = ?", (rowid,)).fetchone()[0]
                             for (rowid,) in connection.execute(
                                 "SELECT rowid FROM pairs_index WHERE pairs_index MATCH ? ORDER BY rowid DESC",
                                 (driver,)))
            results, seen = [], set()
            for number in documents:
                if number in seen:
                    continue
                seen.add(number)
                row = connection.execute(f"SELECT {_ENTRY} FROM documents d {where}", [*values, number]).fetchone()
                if row is None:
                    continue
                low, high = connection.execute("SELECT min(rowid), max(rowid) FROM pairs WHERE document = ?",
                                               (number,)).fetchone()
                if low is None or not all(connection.execute(_IN_RANGE, (term, low, high)).fetchone()
                                          for term in others):
                    continue
                # The document's matching pairs, the best first: most words marked, then in their order.
                # (Not FTS5's rank: its bm25 counts each term's matches over the whole index, once a
                # search, which at a million documents costs seconds.)
                matching = connection.execute(
                    f"SELECT p.idx, p.start, p.end, p.translation, highlight(pairs_index, 1, '{_MARK_OPEN}', "
                    f"'{_MARK_CLOSE}') FROM pairs_index JOIN pairs p ON p.rowid = pairs_index.rowid "
                    f"WHERE pairs_index MATCH ? AND pairs_index.rowid BETWEEN ? AND ? LIMIT ?",
                    (any_term, low, high, _HITS_READ)).fetchall()
                text = json.loads(connection.execute("SELECT layout FROM documents WHERE id = ?",
                                                     (number,)).fetchone()[0])["text"]
                hits = [(idx, text[start:end], en, _mark_arabic(text[start:end], wanted, (_MARK_OPEN, _MARK_CLOSE)),
                         marked) for idx, start, end, en, marked in matching]
                hits.sort(key=lambda hit: (-(hit[3].count(_MARK_OPEN) + hit[4].count(_MARK_OPEN)), hit[0]))
                results.append(Found(Entry(*row), [
                    Hit(idx, source, en, *(m.replace(_MARK_OPEN, mark[0]).replace(_MARK_CLOSE, mark[1])
                                           for m in (marked_source, marked)))
                    for idx, source, en, marked_source, marked in hits[:hits_per_document]]))
                if len(results) == limit:
                    break
            return results

        return self._read(read, [])

    def __len__(self) -> int:
        return self._read(lambda c: c.execute("SELECT count(*) FROM documents").fetchone()[0], 0)

    # -- the reader's actions --------------------------------------------------------------------

    def remove(self, number: int, *, owner: str | None = None) -> bool:
        """Remove a document; False when there is none (or none ``owner`` may remove: their own)."""
        if not self.path.exists():
            return False
        clause, values = ("id = ?", [number]) if owner is None else ("id = ? AND owner = ?", [number, owner])
        return self._write(lambda c: c.execute(f"DELETE FROM documents WHERE {clause}", values).rowcount > 0)

    def export(self, *, owner: str | None = None) -> Iterable[dict]:
        """Every document (``owner``: those they may see) as plain data, with its pairs:
        ``{id, kind, source, owner, title, format, translated, signature, pairs: [...]}``."""
        for entry in self.entries(owner=owner, limit=-1):
            found = self.document(entry.id, owner=owner)
            if found is None:
                continue
            document = found[1]
            yield {"id": entry.id, "kind": entry.kind, "source": entry.source, "owner": entry.owner,
                   "title": entry.title, "format": entry.format, "translated": entry.translated,
                   "signature": entry.signature,
                   "pairs": [{"index": p.index, "paragraph": p.paragraph, "source": p.source,
                              "translation": p.translation, "score": p.score, "flags": list(p.flags),
                              "origin": p.origin} for p in document.sentences]}

    # -- the file ---------------------------------------------------------------------------------

    def _read(self, work, default):
        if not self.path.exists():
            return default
        try:
            connection, _ = self.file.open_to_read()
            with closing(connection):
                self.file.check_version(connection)
                if not self.file.has_tables(connection, "documents", "pairs"):
                    return default
                return work(connection)
        except PROBLEMS as error:
            raise self._error(error) from None

    def _write(self, work):
        try:
            with closing(self._connect_to_write()) as connection:
                return self.file.transaction(connection, _TABLES, work)
        except PROBLEMS as error:
            raise self._error(error) from None

    def _connect_to_write(self):
        if self.path.exists() and not self.file.writable:
            raise PermissionError("read-only")
        self.folder.mkdir(parents=True, exist_ok=True)
        connection = self.file.connect("rwc")
        try:
            if self.file.check_version(connection) == 0:
                connection.execute("PRAGMA journal_mode = WAL")  # readers (the page) never wait for a job
            # A power cut may lose the last blocks recorded, never the file: the library can be made again.
            connection.execute("PRAGMA synchronous = NORMAL")
            connection.execute("PRAGMA foreign_keys = ON")
        except BaseException:
            connection.close()
            raise
        return connection

    def _error(self, error: BaseException) -> CacheError:
        return self.file.error(error, damaged="move it away: the next translation starts a new one (the "
                                              "documents in it can be translated again from the cache)",
                               read_only="its documents can be listed and searched but not changed here")


class Staging:
    """A dataset job's documents on their way into the library (:meth:`Library.staging`):
    added a row at a time with the job's output line, written a block at a time.
    Never raises: a staging file that cannot be written gives the library's one warning."""

    def __init__(self, library: Library):
        self.library = library
        self.file = stage_files.StageFile(library.staged_folder)

    def add(self, source: Source, document: Document, **row) -> None:
        """Stage one translated document (``row``: where its output row is, as
        :meth:`translate.store.staging.StageFile.add` takes it)."""
        if self.library.disabled_reason is None and document.done:
            self.file.add(source.key, source.owner, source.kind, source.source, document, **row)

    def flush(self) -> None:
        """Write what was added (a block's documents)."""
        try:
            self.file.flush()
        except OSError as error:
            self.library._disable(self.library._error(error))

    def close(self) -> None:
        try:
            self.file.flush()
            self.file.close()
        except OSError as error:
            self.library._disable(self.library._error(error))


def _plain(source: Source, document: Document) -> dict | None:
    """What the library keeps of a document, as plain data (None: nothing SQLite can hold)."""
    if not encodable(source.key, source.source, document.title or ""):
        return None
    return {"title": document.title, "format": document.format, "signature": document.signature,
            "name": document.name, "text": document.text,
            "paragraphs": [[p.kind, p.start, p.end] for p in document.paragraphs],
            "pairs": [[pair.index, pair.paragraph, pair.start, pair.end, pair.translation or "", pair.score,
                       ",".join(pair.flags), pair.origin, alignment_text(pair.alignment)]
                      for pair in document.sentences if encodable(pair.source, pair.translation or "", *pair.flags)]}


_ENTRY = ("d.id, d.owner, d.kind, d.source, d.title, d.format, d.translated, d.signature, d.sentences")
#: Whether a term occurs among one document's pairs (a range of the index's rowids).
_IN_RANGE = "SELECT 1 FROM pairs_index WHERE pairs_index MATCH ? AND rowid BETWEEN ? AND ? LIMIT 1"
#: Matches counted up to this, to find the rarest term of a search; and, against filters that
#: let fewer documents through than the larger cap, up to that.
_COUNT_CAP, _FILTER_CAP = 2_000, 100_000
#: A document's matching pairs read to choose its best hits from.
_HITS_READ = 200


def _filters(owner, since, until, kind, source, extra: str | None = None) -> tuple[str, list]:
    clauses, values = [], []
    if owner is not None:
        clauses.append("d.owner IN (?, '')")
        values.append(owner)
    if since is not None:
        clauses.append("d.translated >= ?")
        values.append(since)
    if until is not None:
        clauses.append("d.translated < ?")
        values.append(until)
    if kind is not None:
        clauses.append("d.kind = ?")
        values.append(kind)
    if source:
        clauses.append("instr(d.source, ?) > 0")
        values.append(source)
    if extra:
        clauses.append(extra)
    return ("WHERE " + " AND ".join(clauses)) if clauses else "WHERE 1", values


def parse_query(query: str) -> list[str]:
    """A search as FTS5 terms, one per word or "phrase": Arabic ones on the stems
    column, the others on the English one; nothing a user types can be FTS5 syntax."""
    terms = []
    for phrase, word in _TERM.findall(query if isinstance(query, str) else ""):
        words = [w for w in _WORD.findall(phrase or word)]
        if not words:
            continue
        arabic = any(has_letter(w) for w in words)
        tokens = [stem(w) for w in words] if arabic else [w.lower() for w in words]
        tokens = [token for token in tokens if token]
        if tokens:  # one FTS5 string: a word, or the words of a phrase next to each other
            terms.append(f"{'stems' if arabic else 'translation'} : (\"{' '.join(tokens)}\")")
    return terms


def _term_stems(term: str) -> list[str]:
    if not term.startswith("stems"):
        return []
    return [token for token in re.findall(r'[^\s"()]+', term.split(":", 1)[1])]


def _mark_arabic(text: str, wanted: set[str], mark: tuple[str, str]) -> str:
    """``text`` with every word whose stem is wanted marked."""
    if not wanted:
        return text
    return _WORD_WITH_MARKS.sub(lambda m: f"{mark[0]}{m.group()}{mark[1]}" if stem(m.group()) in wanted
                                else m.group(), text)


def _rebuilt(entry: Entry, layout: dict, rows: list) -> Document:
    """A recorded document as the reader had it: its text and blocks, each pair with its translation."""
    by_paragraph: dict[int, list[SentencePair]] = {}
    text = layout["text"]
    for idx, paragraph, start, end, translation, score, flags, origin, alignment in rows:
        source = text[start:end]  # a pair's Arabic is kept once, in the document's text
        result = Translation(translation, score, tuple(filter(None, flags.split(","))), parse_alignment(alignment),
                             origin)
        by_paragraph.setdefault(paragraph, []).append(SentencePair(idx, paragraph, source, start, end, result))
    paragraphs = tuple(Paragraph(number, start, end, tuple(by_paragraph.get(number, ())), kind)
                       for number, (kind, start, end) in enumerate(layout["paragraphs"]))
    return Document(layout["text"], paragraphs, name=layout.get("name"), title=entry.title, format=entry.format,
                    signature=entry.signature)


def describe_error(error: BaseException) -> str:  # for faces that print a store's failure in one line
    return describe(error)
