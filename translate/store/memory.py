"""The translation memory: the reader's own translations, which outrank the model.

A reader who picks an alternative, completes a sentence or edits the English
makes a choice that should stick: :meth:`TranslationMemory.remember` keeps it,
keyed on the exact source sentence, with the time and the text it replaced.
Whenever that sentence comes again, in any document, page or batch run, the
:class:`~translate.pipeline.translator.Translator` takes the memory's translation ahead
of the cache and the model, and marks it ``"yours"``.

The memory is its own SQLite file beside the cache (``<cache folder>/memory.sqlite3``):
never evicted, and ``translate cache clear`` leaves it alone. TMX 1.4 moves it
between machines and CAT tools (:meth:`~TranslationMemory.export_tmx`,
:meth:`~TranslationMemory.import_tmx`).

Translating never fails because of the memory: a damaged or unreadable file
gives one warning and the translation goes on without it. The reader's own
actions (remember, remove, list, export, import) raise instead, with a message
that says what to do.

>>> memory = TranslationMemory(config.cache_dir())                              # doctest: +SKIP
>>> memory.remember("قصف روسي على حلب", "Russian shelling of Aleppo")           # doctest: +SKIP
"""
from __future__ import annotations

import logging
import os
import sqlite3
import threading
import time
from collections.abc import Iterable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from ..errors import CacheError, InputError, OutputError
from ..outputs import write_atomically
from ..text.document import check_text
from ..translation import YOURS
from ..writers import tmx
from .sqlite import CHUNK, PROBLEMS, SqliteFile, describe, encodable

log = logging.getLogger("translate")

MEMORY_FILE = "memory.sqlite3"
#: The folder, in the cache folder, of the users of a shared reader (one folder each).
USERS_DIR = "users"
SCHEMA_VERSION = 1
#: A TMX file above this size is refused rather than parsed whole.
MAX_TMX_BYTES = 200_000_000

_TABLE = """CREATE TABLE IF NOT EXISTS memory (
    source TEXT PRIMARY KEY,
    translation TEXT NOT NULL,
    replaced TEXT,
    saved REAL NOT NULL,
    origin TEXT NOT NULL DEFAULT 'yours'
) WITHOUT ROWID"""
_UPSERT = """INSERT INTO memory (source, translation, replaced, saved, origin) VALUES (?, ?, ?, ?, ?)
ON CONFLICT (source) DO UPDATE SET translation = excluded.translation, replaced = excluded.replaced,
    saved = excluded.saved, origin = excluded.origin"""


@dataclass(frozen=True)
class MemoryEntry:
    """One remembered translation.

    Attributes:
        source: the exact Arabic sentence it is for.
        translation: the reader's English.
        replaced: the English it replaced (the model's, or an earlier choice), if known.
        saved: when it was saved (seconds since the epoch).
        origin: where it came from: :data:`YOURS`.
    """

    source: str
    translation: str
    replaced: str | None = None
    saved: float = 0.0
    origin: str = YOURS


@dataclass(frozen=True)
class ImportReport:
    """What :meth:`TranslationMemory.import_tmx` did."""

    path: Path
    added: int = 0
    updated: int = 0  # sources already remembered with another translation
    unchanged: int = 0  # sources already remembered with the same translation
    skipped: int = 0  # units without both an Arabic and an English text

    def summary(self) -> str:
        parts = [f"{self.added:,} added", f"{self.updated:,} updated", f"{self.unchanged:,} already there"]
        skipped = (f"; skipped {self.skipped:,} units without both Arabic and English text"
                   if self.skipped else "")
        return f"imported {self.path.name}: {', '.join(parts)}{skipped}"


class TranslationMemory:
    """The reader's own translations, in ``<folder>/memory.sqlite3``.

    One short connection per call: safe to share between threads, and between
    processes (SQLite's locking). Nothing is created before the first
    :meth:`remember` or :meth:`import_tmx`.

    Args:
        folder: the cache folder (:func:`translate.config.cache_dir`).
        file_name: the file's name in it (a team memory has its own: ``--team-memory``).
    """

    @classmethod
    def of_user(cls, folder: str | os.PathLike, user: str) -> TranslationMemory:
        """The memory of one user of a shared reader (``--users``): ``<folder>/users/<user>/``,
        used only for them. ``user`` is a checked name (:func:`translate.store.users.check_name`)."""
        from .users import check_name

        return cls(Path(folder) / USERS_DIR / check_name(user))

    @classmethod
    def at(cls, path: str | os.PathLike) -> TranslationMemory:
        """The memory in the file ``path`` (a team memory shared on purpose: ``--team-memory FILE``)."""
        path = Path(path)
        return cls(path.parent, file_name=path.name)

    def __init__(self, folder: str | os.PathLike, *, file_name: str = MEMORY_FILE):
        self.folder = Path(folder)
        self.path = self.folder / file_name
        self.file = SqliteFile(self.path, what="translation memory", schema_version=SCHEMA_VERSION)
        #: Why lookups are off in this process (after one warning), or None.
        self.disabled_reason: str | None = None
        self._checked = False
        self._lock = threading.Lock()

    # -- translating: never raises ---------------------------------------------------

    def lookup(self, sources: Iterable[str]) -> dict[str, MemoryEntry]:
        """The remembered translation of each source sentence found. Never raises:
        a damaged or unreadable file gives one warning, then no lookups.

        Returns:
            source sentence → its entry, for the sentences remembered.
        """
        wanted = [source for source in dict.fromkeys(sources) if encodable(source)]
        if not wanted or self.disabled_reason is not None or not self.path.exists():
            return {}
        try:
            with closing(self._read()) as connection:
                if not self.file.has_tables(connection, "memory"):
                    return {}
                found = {}
                for start in range(0, len(wanted), CHUNK):
                    chunk = wanted[start : start + CHUNK]
                    rows = connection.execute(
                        f"SELECT source, translation, replaced, saved, origin FROM memory "
                        f"WHERE source IN ({','.join('?' * len(chunk))})", chunk)
                    found.update((row[0], MemoryEntry(*row)) for row in rows)
                return found
        except PROBLEMS as error:
            with self._lock:
                if self.disabled_reason is None:
                    self.disabled_reason = describe(error)
                    log.warning("translation memory %s cannot be read (%s); translating without it "
                                "(`translate memory list` says more)", self.path, self.disabled_reason)
            return {}

    # -- the reader's actions: raise with a clear message ------------------------------

    def remember(self, source: str, translation: str, replaced: str | None = None) -> MemoryEntry:
        """Keep ``translation`` as the reader's own for ``source`` (replacing any
        earlier one for the same sentence).

        Args:
            source: the exact source sentence, as the document has it.
            translation: the reader's English.
            replaced: the English it replaces; by default the earlier remembered
                translation, if there is one.

        Returns:
            the stored entry.

        Raises:
            InputError: an empty source or translation, or one that is not text.
            CacheError: the memory file is read-only, damaged or from a newer version.
        """
        entry = self._entry(source, translation, replaced)

        def write(connection: sqlite3.Connection) -> MemoryEntry:
            stored = entry
            if replaced is None:
                row = connection.execute("SELECT translation, replaced FROM memory WHERE source = ?",
                                         (source,)).fetchone()
                if row is not None:
                    stored = MemoryEntry(source, entry.translation,
                                         row[1] if row[0] == entry.translation else row[0], entry.saved)
            connection.execute(_UPSERT, _row(stored))
            return stored

        return self._write(write)

    def remove(self, source: str) -> bool:
        """Forget the translation of ``source``; False when there was none.

        Raises:
            CacheError: the memory file is read-only, damaged or from a newer version.
        """
        if not self.path.exists():
            return False
        return self._write(lambda connection: connection.execute(
            "DELETE FROM memory WHERE source = ?", (source,)).rowcount > 0)

    def entries(self) -> list[MemoryEntry]:
        """Every remembered translation, oldest first.

        Raises:
            CacheError: the memory file is damaged, from a newer version, or unreadable.
        """
        if not self.path.exists():
            return []
        try:
            with closing(self._read(check=True)) as connection:
                if not self.file.has_tables(connection, "memory"):
                    return []
                rows = connection.execute(
                    "SELECT source, translation, replaced, saved, origin FROM memory ORDER BY saved, source")
                return [MemoryEntry(*row) for row in rows]
        except PROBLEMS as error:
            raise self._error(error) from None

    def __len__(self) -> int:
        return len(self.entries())

    def export_tmx(self, path: str | os.PathLike, *, force: bool = False) -> int:
        """Write every entry to a TMX 1.4 file (``x-origin`` and ``x-replaced``
        props, the time as ``changedate``).

        Args:
            path: the file to write.
            force: overwrite an existing file.

        Returns:
            how many entries were written.

        Raises:
            OutputError: the file exists (without ``force``) or cannot be written.
            CacheError: the memory file is damaged or unreadable.
        """
        path = Path(path)
        if path.is_dir():
            raise OutputError(f"{path} is a folder; give a file name such as memory.tmx", reason="unwritable")
        if path.exists() and not force:
            raise OutputError(f"{path} exists; not overwriting it", reason="output-exists", path=path)
        entries = self.entries()
        units = [tmx.Unit(entry.source, entry.translation,
                          (("x-origin", entry.origin),) + ((("x-replaced", entry.replaced),) if entry.replaced else ()),
                          time.strftime(tmx.DATE_FORMAT, time.gmtime(entry.saved)))
                 for entry in entries]
        try:
            write_atomically(path, tmx.write_units(units))
        except OSError as error:
            raise OutputError(f"cannot write {path}: {error.strerror or error}", reason="unwritable") from None
        return len(entries)

    def import_tmx(self, path: str | os.PathLike) -> ImportReport:
        """Remember the Arabic→English pairs of a TMX file (1.4, or older ones that
        write ``lang``); a sentence already remembered takes the file's translation.

        Raises:
            InputError: the file is missing, unreadable, not well-formed TMX, holds no
                units, or no Arabic→English pairs.
            CacheError: the memory file is read-only, damaged or from a newer version.
        """
        path = Path(path)
        pairs, skipped = read_tmx_pairs(_read_file(path), path.name)
        now = time.time()

        def write(connection: sqlite3.Connection) -> ImportReport:
            added = updated = unchanged = 0
            for entry in pairs:
                row = connection.execute("SELECT translation FROM memory WHERE source = ?",
                                         (entry.source,)).fetchone()
                if row is not None and row[0] == entry.translation:
                    unchanged += 1
                    continue
                added += row is None
                updated += row is not None
                connection.execute(_UPSERT, _row(MemoryEntry(
                    entry.source, entry.translation, row[0] if row else entry.replaced, entry.saved or now)))
            return ImportReport(path, added, updated, unchanged, skipped)

        return self._write(write)

    # -- files ----------------------------------------------------------------------------

    def _entry(self, source: str, translation: str, replaced: str | None) -> MemoryEntry:
        for name, text in (("source sentence", source), ("translation", translation)):
            check_text(text, name)
            if not text.strip():
                raise InputError(f"the {name} is empty; give both the sentence and its translation "
                                 "(remove() forgets a sentence)", reason="empty")
        if replaced is not None:
            check_text(replaced, "replaced translation")
        return MemoryEntry(source, translation.strip(), replaced, time.time())

    def _read(self, *, check: bool = False) -> sqlite3.Connection:
        """A connection to read, checked once per process (or every time with ``check``).
        Read-write when the file is writable, so a hot journal left by a killed
        import is rolled back, never read as "attempt to write a readonly database"."""
        connection, _ = self.file.open_to_read()
        try:
            self.file.check_version(connection)
            if check or not self._checked:
                self.file.check_sound(connection)
                self._checked = True
        except BaseException:
            connection.close()
            raise
        return connection

    def _write(self, work):
        """Run ``work`` in one write transaction (all of it or nothing); create the file if needed."""
        if self.path.exists() and not self.file.writable:
            raise self._error(PermissionError("read-only"))
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            with closing(self.file.connect("rwc")) as connection:
                self.file.check_version(connection)
                self.file.check_sound(connection)
                result = self.file.transaction(connection, (_TABLE,), work)
        except PROBLEMS as error:
            raise self._error(error) from None
        with self._lock:
            self.disabled_reason, self._checked = None, True
        return result

    def _error(self, error: BaseException) -> CacheError:
        return self.file.error(
            error, damaged="move it away (an export made earlier can be imported into a new one); translations "
                           "go on without it",
            read_only="its translations are used but nothing can be saved to it here; make it writable, or "
                      "use --cache-dir for another folder")


def read_tmx_pairs(data: bytes, name: str = "TMX file") -> tuple[list[MemoryEntry], int]:
    """The Arabic→English pairs of a TMX file as memory entries, and how many units
    had no such pair (see :func:`translate.writers.tmx.read_units`).

    Returns:
        the entries (``saved``: the unit's change or creation time, 0 when it has
        none; ``replaced``: its ``x-replaced`` prop); a source that occurs twice takes its last unit.

    Raises:
        InputError: not well-formed XML, not TMX, no units, or no Arabic→English pair.
    """
    units, skipped = tmx.read_units(data, name)
    found = {unit.source: MemoryEntry(unit.source, unit.translation, dict(unit.props).get("x-replaced") or None,
                                      _tmx_time(unit.changed) or 0.0)
             for unit in units}
    return list(found.values()), skipped


# -- helpers ------------------------------------------------------------------------------





def _row(entry: MemoryEntry) -> tuple:
    return entry.source, entry.translation, entry.replaced, entry.saved, entry.origin


def _read_file(path: Path) -> bytes:
    try:
        if path.is_dir():
            raise InputError(f"{path} is a folder; give a .tmx file", reason="not-a-file")
        size = path.stat().st_size
        if size > MAX_TMX_BYTES:
            raise InputError(f"{path} is {size / 1e6:.0f} MB, above the {MAX_TMX_BYTES / 1e6:.0f} MB a "
                             "memory import takes; split it", reason="too-big")
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"no such file: {path}", reason="no-such-file") from None
    except OSError as error:
        raise InputError(f"cannot read {path}: {error.strerror or error}", reason="unreadable") from None



def _tmx_time(text: str | None) -> float | None:
    if not text:
        return None
    import calendar

    try:
        return float(calendar.timegm(time.strptime(text.strip(), tmx.DATE_FORMAT)))
    except ValueError:
        return None


