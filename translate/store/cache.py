"""The on-disk translation cache: one SQLite file, text only.

Keys are (signature, exact source sentence). The signature names everything that
changes a translation (model and revision, engine and precision, generation
settings, segmenter version), so changing any of them simply stops old entries
from matching.

A cache problem never fails a translation: ``get_many`` and ``put_many`` never
raise. A damaged file is moved aside (``translations.sqlite3.corrupt-*``) with
one warning and a new one is started; a file deleted while the program runs is
recreated on the next write; a read-only cache (say, a shared one on a read-only
mount) serves its translations and stores none, with one warning; any other
failure turns the cache off for the rest of the process, with one warning.
The maintenance actions (``stats``, ``clear``, ``clear_cache``) raise
:class:`~translate.errors.CacheError` instead, with a one-line message.
"""
from __future__ import annotations

import enum
import logging
import os
import shutil
import sqlite3
import threading
import time
import warnings
from collections.abc import Callable, Iterable, Mapping
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from .. import config
from ..errors import CacheError
from ..translation import CACHE, Translation, alignment_text, parse_alignment
from ..wording import plural
from .sqlite import CHUNK, CORRUPT_MARK, PROBLEMS, SIDE_FILES, SqliteFile, describe, encodable

log = logging.getLogger("translate")

CACHE_FILE = "translations.sqlite3"
#: 1: signatures and translations; 2: translations.alignment (version-1 files
#: are migrated in place, keeping their entries).
SCHEMA_VERSION = 2

_SCHEMA_ATTEMPTS = 50  # about 25 s of waiting in all
_ATTEMPTS = 3  # tries of one get/put: a recovery (move aside, recreate, read-only) then a retry
#: What the maintenance actions say of a damaged or read-only cache.
_DAMAGED = "`translate cache clear` removes it, and the next translation starts a new one"
_READ_ONLY = ("its translations are used but it cannot be changed here; clear it where it is writable, "
              "or use --cache-dir for a cache of your own")

_TABLES = (
    """CREATE TABLE IF NOT EXISTS signatures (
        id TEXT PRIMARY KEY,
        description TEXT NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS translations (
        signature TEXT NOT NULL,
        source TEXT NOT NULL,
        translation TEXT NOT NULL,
        score REAL,
        flags TEXT NOT NULL DEFAULT '',
        created REAL NOT NULL,
        alignment TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (signature, source)
    ) WITHOUT ROWID""",
)
# An existing entry is kept; it only gains word links it was stored without
# (entries from version-1 files) when the same translation comes again with them.
_INSERT = """
INSERT INTO translations (signature, source, translation, score, flags, alignment, created)
VALUES (?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (signature, source) DO UPDATE SET alignment = excluded.alignment
WHERE translations.alignment = '' AND excluded.alignment != ''
  AND translations.translation = excluded.translation
"""


@dataclass(frozen=True)
class CachedTranslation:
    """Deprecated (0.3): the cache now keeps and gives :class:`~translate.translation.Translation`
    records (:meth:`TranslationCache.find`, :meth:`TranslationCache.keep`)."""

    source: str
    translation: str
    score: float | None = None  # mean log-probability per target token
    flags: tuple[str, ...] = ()  # doubts found by translate.quality
    #: word links (source word index, target word index), stored as text "0-0 1-2 2-1"
    alignment: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class CacheStats:
    """What a cache file holds."""

    path: Path
    entries: int
    bytes: int  # the file and its write-ahead log
    signatures: list[tuple[str, int]]  # (description, entries), largest first
    state: str  # "ok", "missing" or "read-only"


@dataclass(frozen=True)
class ClearReport:
    """What :func:`clear_cache` removed."""

    folder: Path
    translations: int = 0
    models: int = 0  # converted-model folders removed
    damaged_files: int = 0  # damaged cache files removed (the live one, or ones moved aside)
    bytes_freed: int = 0
    models_kept: int = 0  # converted-model folders left in place (``models=False``)

    def summary(self) -> str:
        """One line for people: what went, from where, and how much space it freed."""
        parts = [
            plural(self.translations, "cached translation") if self.translations else "",
            plural(self.models, "converted model") if self.models else "",
            plural(self.damaged_files, "damaged cache file") if self.damaged_files else "",
        ]
        parts = [part for part in parts if part]
        kept = (f"; kept {plural(self.models_kept, 'converted model')} (--models removes them)"
                if self.models_kept else "")
        if not parts:
            return f"nothing to remove in {self.folder}{kept}"
        return (f"removed {' and '.join(parts)} from {self.folder} "
                f"({self.bytes_freed / 1e6:.1f} MB freed){kept}")



class _State(enum.Enum):
    UNOPENED = "unopened"  # not checked yet, or to be (re)created on the next write
    WRITABLE = "writable"
    READ_ONLY = "read-only"
    OFF = "off"


T = TypeVar("T")


class TranslationCache:
    """Batch get/put of translations keyed by (signature key, source sentence).

    Opens one short-lived connection per call, so it is safe to share between
    threads, and SQLite's WAL mode makes it safe between processes. The file is
    checked (``PRAGMA quick_check``) and migrated the first time it is used.

    Args:
        folder: the cache folder; nothing on disk is touched before the first
            call, and nothing is created before the first write.
    """

    def __init__(self, folder: str | os.PathLike) -> None:
        self.folder = Path(folder)
        self.path = self.folder / CACHE_FILE
        self.file = SqliteFile(self.path, what="cache", schema_version=SCHEMA_VERSION)
        #: Why the cache turned itself off in this process, or None.
        self.disabled_reason: str | None = None
        self._state = _State.UNOPENED
        self._generation = 0  # bumped on every state change, so threads recover once
        self._read_mode = "ro"  # how a read-only file is opened: ro, or immutable
        self._alignment_column = True  # False for a version-1 file that could not be migrated
        self._moved_aside = False
        self._lock = threading.RLock()

    @property
    def read_only(self) -> bool:
        """True once the cache found it can only read its file."""
        return self._state is _State.READ_ONLY

    # -- public API -------------------------------------------------------------

    def find(self, key: str, sources: Iterable[str]) -> dict[str, Translation]:
        """The cached translation of each source sentence found. Never raises.

        Args:
            key: the signature key (:attr:`translate.signature.Signature.key`).
            sources: source sentences; repeats are looked up once.

        Returns:
            source sentence → its translation (origin ``cache``), for the sentences found.
        """
        wanted = [source for source in dict.fromkeys(sources) if encodable(source)]
        if not wanted:
            return {}

        def read(connection: sqlite3.Connection) -> dict[str, Translation]:
            alignment = "alignment" if self._alignment_column else "''"
            found = {}
            for start in range(0, len(wanted), CHUNK):
                chunk = wanted[start : start + CHUNK]
                rows = connection.execute(
                    f"SELECT source, translation, score, flags, {alignment} FROM translations "
                    f"WHERE signature = ? AND source IN ({','.join('?' * len(chunk))})",
                    [key, *chunk],
                )
                for source, translation, score, flags, links in rows:
                    found[source] = Translation(translation, score, tuple(filter(None, flags.split(","))),
                                                parse_alignment(links), CACHE)
            return found

        return self._use("read", read, {}, write=False)

    def keep(self, key: str, description: str, translations: Mapping[str, Translation]) -> None:
        """Store translations of the model; an entry already there is kept (it only
        gains word links it was stored without). Never raises.

        Args:
            key: the signature key (:func:`translate.signature.signature_key` of ``description``).
            description: the full signature, kept once per key for ``stats``.
            translations: source sentence → its translation.
        """
        now = time.time()
        rows = [
            (key, source, t.text, t.score, ",".join(t.flags), alignment_text(t.alignment), now)
            for source, t in translations.items()
            if encodable(source, t.text, *t.flags)
        ]
        if not rows or not encodable(key, description):
            return

        def write(connection: sqlite3.Connection) -> None:
            connection.execute("BEGIN IMMEDIATE")
            connection.execute(
                "INSERT INTO signatures (id, description) VALUES (?, ?) ON CONFLICT DO NOTHING",
                (key, description))
            connection.executemany(_INSERT, rows)
            connection.execute("COMMIT")

        self._use("write", write, None, write=True)

    def get_many(self, key: str, sources: Iterable[str]) -> dict[str, CachedTranslation]:
        """Deprecated (0.3): :meth:`find`, which gives :class:`~translate.translation.Translation` records."""
        warnings.warn("TranslationCache.get_many is deprecated; use find()", DeprecationWarning, stacklevel=2)
        return {source: CachedTranslation(source, t.text, t.score, t.flags, t.alignment)
                for source, t in self.find(key, sources).items()}

    def put_many(self, key: str, description: str, records: Iterable[CachedTranslation]) -> None:
        """Deprecated (0.3): :meth:`keep`, which takes ``{source: Translation}``."""
        warnings.warn("TranslationCache.put_many is deprecated; use keep()", DeprecationWarning, stacklevel=2)
        self.keep(key, description, {r.source: Translation(r.translation, r.score, r.flags, r.alignment)
                                     for r in records})

    def stats(self) -> CacheStats:
        """Entry counts per signature and the file size; writes nothing.

        Returns:
            the statistics; a missing file gives state "missing", not an error.

        Raises:
            CacheError: the file is damaged, from a newer version, or unreadable.
        """
        if not self.path.exists():
            return CacheStats(self.path, 0, 0, [], "missing")
        state = "ok" if self.file.writable else "read-only"
        try:
            connection, _ = self.file.open_read_only()
            with closing(connection):
                self.file.check_version(connection)
                self.file.check_sound(connection)
                if not self.file.has_tables(connection, "signatures", "translations"):
                    return CacheStats(self.path, 0, self.file.bytes(), [], state)
                entries = connection.execute("SELECT count(*) FROM translations").fetchone()[0]
                rows = connection.execute(
                    "SELECT s.description, count(t.source) FROM signatures s "
                    "LEFT JOIN translations t ON t.signature = s.id "
                    "GROUP BY s.id ORDER BY 2 DESC, 1").fetchall()
        except PROBLEMS as error:
            raise self._maintenance_error(error) from None
        return CacheStats(self.path, entries, self.file.bytes(), [(d, c) for d, c in rows], state)

    def clear(self) -> int:
        """Delete every cached translation, keeping the (emptied) file.

        Returns:
            how many translations there were; 0 for a missing file.

        Raises:
            CacheError: the file is damaged, read-only, from a newer version, or
                unusable (:func:`clear_cache` removes a damaged file instead).
        """
        return self._clear(remove_damaged=False)[0]

    # -- opening, checking, recovering --------------------------------------------

    def _use(self, action: str, work: Callable[[sqlite3.Connection], T], default: T, *,
             write: bool) -> T:
        """Run ``work`` on a connection; recover from what can be recovered, else degrade."""
        error: BaseException | None = None
        for _ in range(_ATTEMPTS):
            with self._lock:
                generation = self._generation
            try:
                connection = self._open(write)
                if connection is None:
                    return default
                with closing(connection):
                    return work(connection)
            except PROBLEMS as caught:
                error = caught
                if not self._recover(caught, action, generation):
                    return default
        with self._lock:
            self._turn_off(action, error)
        return default

    def _open(self, write: bool) -> sqlite3.Connection | None:
        """A connection for one call, or None when the call has nothing to do."""
        with self._lock:
            if self._state is _State.OFF:
                return None
            if self._state is _State.WRITABLE and not self.path.exists():
                self._state = _State.UNOPENED  # deleted under us: the next write recreates it
            if self._state is _State.UNOPENED:
                if not self.path.exists() and not write:
                    return None
                self._prepare()
            if self._state is _State.READ_ONLY:
                return None if write else self.file.connect(self._read_mode)
            # mode=rw never creates a file: one deleted meanwhile fails, and is recreated.
            return self.file.connect("rw")

    def _prepare(self) -> None:
        """Check (quick_check), create or migrate the file; note if it is read-only."""
        if self.path.exists() and not self.file.writable:
            self._enter_read_only("it cannot be written")
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        _create_schema(self.file)
        self._state = _State.WRITABLE
        self._alignment_column = True

    def _recover(self, error: BaseException, action: str, generation: int) -> bool:
        """Deal with a failed call; True when it is worth trying again."""
        with self._lock:
            if generation != self._generation:
                return True  # another thread already dealt with it
            problem = self.file.classify(error)
            if (problem == "damaged" and self._state is not _State.READ_ONLY
                    and not self._moved_aside):
                return self._move_aside(error)
            if problem == "read-only" and self._state is not _State.READ_ONLY and self.path.exists():
                try:
                    self._enter_read_only(str(error))
                except PROBLEMS as read_error:
                    self._turn_off(action, read_error)
                    return False
                return True
            if problem == "missing":
                self._state = _State.UNOPENED
                return True
            self._turn_off(action, error)
            return False

    def _enter_read_only(self, why: str) -> None:
        """Serve reads from a file this process cannot write; warn once."""
        connection, mode = self.file.open_read_only()
        with closing(connection):
            self.file.check_version(connection)
            self.file.check_sound(connection)
            columns = {row[1] for row in connection.execute("PRAGMA table_info(translations)")}
        self._read_mode = mode
        self._alignment_column = "alignment" in columns
        self._state = _State.READ_ONLY
        self._generation += 1
        log.warning("cache %s is read-only (%s): cached translations are used, new ones are not "
                    "stored", self.path, why)

    def _move_aside(self, error: BaseException) -> bool:
        """Rename a damaged file (once per process) so the next call starts a new one."""
        self._generation += 1
        self._state = _State.UNOPENED
        if not self.file.still_damaged():
            return True  # another process replaced it already
        try:
            aside = self.file.move_aside()
        except OSError as move_error:
            self._turn_off("move the damaged file aside", move_error)
            return False
        self._moved_aside = True
        log.warning("cache file %s is damaged (%s); moved it to %s and started a new one",
                    self.path, describe(error), aside.name)
        return True

    def _turn_off(self, action: str, error: BaseException | None) -> None:
        self._state = _State.OFF
        self._generation += 1
        self.disabled_reason = f"{type(error).__name__}: {describe(error)}"
        if error is not None and self.file.classify(error) == "newer":
            log.warning("cache file %s was written by a newer version of translate (%s); translating "
                        "without the cache (upgrade, or use another cache folder)",
                        self.path, describe(error))
        else:
            log.warning("cache %s failed to %s (%s); translating without the cache",
                        self.path, action, describe(error))

    def _maintenance_error(self, error: BaseException) -> CacheError:
        return self.file.error(error, damaged=_DAMAGED, read_only=_READ_ONLY)

    def _clear(self, *, remove_damaged: bool) -> tuple[int, bool]:
        """(translations deleted, whether a damaged file was removed instead)."""
        with self._lock:
            if not self.path.exists():
                return 0, False
            if not self.file.writable:
                raise self._maintenance_error(PermissionError("read-only"))
            try:
                with closing(self.file.connect("rw")) as connection:
                    self.file.check_version(connection)
                    self.file.check_sound(connection)
                    if not self.file.has_tables(connection, "signatures", "translations"):
                        return 0, False
                    connection.execute("BEGIN IMMEDIATE")
                    count = connection.execute("SELECT count(*) FROM translations").fetchone()[0]
                    connection.execute("DELETE FROM translations")
                    connection.execute("DELETE FROM signatures")
                    connection.execute("COMMIT")
                    connection.execute("VACUUM")
                    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except PROBLEMS as error:
                if remove_damaged and self.file.classify(error) == "damaged":
                    self._generation += 1
                    self._state = _State.UNOPENED
                    for suffix in ("", *SIDE_FILES):
                        Path(f"{self.path}{suffix}").unlink(missing_ok=True)
                    return 0, True
                raise self._maintenance_error(error) from None
            return count, False


def clear_cache(folder: str | os.PathLike, *, models: bool = False) -> ClearReport:
    """Empty a cache folder: its translations, damaged files, and optionally models.

    A damaged cache file is removed whole (its entries cannot be counted), as are
    damaged files moved aside earlier. Run it while nothing is translating with
    this cache if ``models`` is set: a model being converted would be removed.

    Args:
        folder: the cache folder.
        models: also remove the converted CTranslate2 models (``models/*``).

    Returns:
        what was removed; a missing cache gives an empty report, not an error.

    Raises:
        CacheError: the cache is read-only, from a newer version, or cannot be
            changed.
    """
    folder = Path(folder)
    cache = TranslationCache(folder)
    before = cache.file.bytes()
    translations, damaged = cache._clear(remove_damaged=True)
    freed = before - cache.file.bytes()
    damaged_files = int(damaged)
    removed_models = kept_models = 0
    try:
        for aside in sorted(folder.glob(f"{CACHE_FILE}{CORRUPT_MARK}*")):
            freed += aside.stat().st_size
            aside.unlink()
            damaged_files += not aside.name.endswith(SIDE_FILES)
        models_dir = folder / config.MODELS_DIR
        entries = sorted(models_dir.iterdir()) if models_dir.is_dir() else []
        for entry in entries:
            if not models:
                kept_models += entry.is_dir()
                continue
            size = _tree_bytes(entry)
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
                removed_models += 1
            else:
                entry.unlink()
            freed += size
    except OSError as error:
        raise CacheError(
            f"cannot remove {error.filename or folder} from the cache ({error.strerror or error}); "
            "check its permissions, or remove it yourself") from None
    return ClearReport(folder, translations, removed_models, damaged_files, max(freed, 0),
                       kept_models)


# -- the schema ----------------------------------------------------------------------


def _create_schema(file: SqliteFile) -> None:
    # Switching to WAL needs a moment alone with the file, and SQLite does not
    # wait for that: processes that start together take turns here.
    for attempt in range(_SCHEMA_ATTEMPTS):
        try:
            return _create_schema_once(file)
        except sqlite3.OperationalError as error:
            if "locked" not in str(error).lower() or attempt == _SCHEMA_ATTEMPTS - 1:
                raise
            time.sleep(0.02 * (attempt + 1))


def _create_schema_once(file: SqliteFile) -> None:
    with closing(file.connect("rwc")) as connection:
        version = file.check_version(connection)
        file.check_sound(connection)
        if connection.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            connection.execute("PRAGMA journal_mode = WAL")
        if version == SCHEMA_VERSION:
            return
        connection.execute("BEGIN IMMEDIATE")  # one process migrates; the others wait, then see it done
        for statement in _TABLES:
            connection.execute(statement)
        columns = {row[1] for row in connection.execute("PRAGMA table_info(translations)")}
        if "alignment" not in columns:  # version 1
            connection.execute("ALTER TABLE translations ADD COLUMN alignment TEXT NOT NULL DEFAULT ''")
        connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        connection.execute("COMMIT")


# -- small helpers -------------------------------------------------------------------





def _tree_bytes(path: Path) -> int:
    if path.is_symlink() or path.is_file():
        return path.lstat().st_size
    return sum(p.lstat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())




