"""One SQLite file of this program's: opened, checked and described the same way for every store.

The cache (:mod:`translate.store.cache`) and the translation memory
(:mod:`translate.store.memory`) each keep one file, and share what makes a file
safe to use from several processes and robust to what happens to files:

* connections in autocommit mode (transactions are begun and ended explicitly),
  each writer waiting up to :data:`BUSY_TIMEOUT_S` for another;
* reading a file this process may write opens it read-write, so SQLite rolls
  back the hot journal a killed writer left (a read-only connection cannot, and
  fails with "attempt to write a readonly database"); a file it may not write is
  read read-only, or, in a read-only folder, as ``immutable``;
* a version check (``PRAGMA user_version``: a file written by a newer version of
  this program is never read) and a soundness check (``PRAGMA quick_check``);
* one classification of SQLite's errors (damaged, newer, read-only, missing) and
  one way to describe them, so both stores' messages say the same thing the same way;
* moving a damaged file aside (``NAME.corrupt-<time>``), for a store that can
  start afresh (the cache; never the memory, which holds the reader's work).
"""
from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

from ..errors import CacheError

#: Writers from several processes (the page and a batch run) wait this long for each other.
BUSY_TIMEOUT_S = 30.0
#: Keeps every IN (...) list below SQLite's host-parameter limit.
CHUNK = 500
#: A damaged file is renamed to ``<name>.corrupt-<time>``.
CORRUPT_MARK = ".corrupt-"
SIDE_FILES = ("-wal", "-shm", "-journal")
# SQLite's primary result codes (sqlite3.h) that say what went wrong.
_SQLITE_READONLY, _SQLITE_CORRUPT, _SQLITE_CANTOPEN, _SQLITE_NOTADB = 8, 11, 14, 26
_READONLY_ROLLBACK = _SQLITE_READONLY | (3 << 8)  # SQLITE_READONLY_ROLLBACK: a hot journal, no right to roll it back


class Damaged(Exception):
    """The file failed SQLite's quick_check."""


class Newer(Exception):
    """The file was written by a newer version of this program."""


#: What a store's file can raise besides its own work's errors.
PROBLEMS = (sqlite3.Error, OSError, Damaged, Newer)


class SqliteFile:
    """A store's SQLite file.

    Args:
        path: the file (nothing is touched before the first call that needs it).
        what: how messages name the store ("cache", "translation memory").
        schema_version: the newest ``user_version`` this program writes and reads.
    """

    def __init__(self, path: str | os.PathLike, *, what: str, schema_version: int):
        self.path = Path(path)
        self.what = what
        self.schema_version = schema_version

    # -- connections ------------------------------------------------------------------

    def connect(self, mode: str) -> sqlite3.Connection:
        """A connection in ``mode``: ``ro``, ``immutable`` (read-only, ignoring locks and
        the WAL: a file in a read-only folder), ``rw`` (never creates the file) or ``rwc``."""
        flags = "mode=ro&immutable=1" if mode == "immutable" else f"mode={mode}"
        return sqlite3.connect(f"{self.path.absolute().as_uri()}?{flags}", uri=True, timeout=BUSY_TIMEOUT_S,
                               isolation_level=None)

    def open_to_read(self) -> tuple[sqlite3.Connection, str]:
        """A connection to read the file, and its mode: read-write when this process may
        write the file (see the module's notes), else :meth:`open_read_only`.

        Raises:
            sqlite3.Error, OSError: the file cannot be opened at all.
        """
        return (self.connect("rw"), "rw") if self.writable else self.open_read_only()

    def open_read_only(self) -> tuple[sqlite3.Connection, str]:
        """A read-only connection and its mode. Reading a WAL file needs its ``-shm``
        index, which a read-only folder cannot hold; ``immutable`` reads it without.

        Raises:
            sqlite3.Error: the file cannot be read.
        """
        error: sqlite3.OperationalError | None = None
        for mode in ("ro", "immutable"):
            connection = self.connect(mode)
            try:
                connection.execute("PRAGMA user_version").fetchone()
                return connection, mode
            except sqlite3.OperationalError as caught:
                connection.close()
                if "locked" in str(caught).lower() or getattr(caught, "sqlite_errorcode", None) == _READONLY_ROLLBACK:
                    # Busy, or a hot journal that only a writer can roll back: never read a
                    # file being written, or half written, as immutable.
                    raise
                error = caught
        assert error is not None
        raise error

    @property
    def writable(self) -> bool:
        """Whether this process may change the file (and the files SQLite keeps beside it).

        ``os.access`` answers for the real user and knows read-only mounts (root
        may write anything else, and does).
        """
        return os.access(self.path, os.W_OK) and os.access(self.path.parent, os.W_OK | os.X_OK)

    # -- checks --------------------------------------------------------------------------

    def check_version(self, connection: sqlite3.Connection) -> int:
        """The file's schema version. Raises :class:`Newer` for a newer program's file."""
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        if version > self.schema_version:
            raise Newer(f"schema {version}; this program reads up to {self.schema_version}")
        return version

    @staticmethod
    def check_sound(connection: sqlite3.Connection) -> None:
        """Raise :class:`Damaged` unless every page of the file is sound (reads the whole file)."""
        rows = [row[0] for row in connection.execute("PRAGMA quick_check(2)")]
        if rows != ["ok"]:
            problems = [line for row in rows for line in row.splitlines()
                        if line.strip() and not line.startswith("***")]
            raise Damaged(f"quick_check: {problems[0] if problems else rows[0]}"
                          f"{', and more' if len(problems) > 1 else ''}")

    def transaction(self, connection: sqlite3.Connection, schema: tuple[str, ...], work):
        """``work(connection)`` in one write transaction, all of it or nothing, after the
        ``schema`` statements (``CREATE … IF NOT EXISTS``) and this program's version."""
        connection.execute("BEGIN IMMEDIATE")
        try:
            for statement in schema:
                connection.execute(statement)
            connection.execute(f"PRAGMA user_version = {self.schema_version}")
            result = work(connection)
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        return result

    def has_tables(self, connection: sqlite3.Connection, *names: str) -> bool:
        found = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        return set(names) <= found

    # -- what went wrong -------------------------------------------------------------------

    def classify(self, error: BaseException) -> str:
        """``damaged``, ``newer``, ``read-only``, ``missing`` (recreate it) or ``other``."""
        if isinstance(error, Damaged):
            return "damaged"
        if isinstance(error, Newer):
            return "newer"
        text = str(error).lower()
        code = getattr(error, "sqlite_errorcode", None)  # Python 3.11+
        primary = code & 0xFF if isinstance(code, int) else None
        if primary in (_SQLITE_CORRUPT, _SQLITE_NOTADB) or any(
                words in text for words in ("malformed", "not a database", "file is encrypted")):
            return "damaged"
        if "no such table" in text or not self.path.exists():
            return "missing"
        if (primary in (_SQLITE_READONLY, _SQLITE_CANTOPEN) or "readonly" in text
                or "unable to open" in text or isinstance(error, PermissionError)):
            return "read-only"
        return "other"

    def error(self, error: BaseException, *, damaged: str, read_only: str) -> CacheError:
        """The one-line :class:`CacheError` for a failed action on this file.

        Args:
            error: what SQLite (or the file system) raised.
            damaged: what to do with a damaged file (each store has its own advice).
            read_only: what it means, and what to do, when the file cannot be written.
        """
        why, problem = describe(error), self.classify(error)
        if problem == "damaged":
            return CacheError(f"{self.what} {self.path} is damaged ({why}); {damaged}")
        if problem == "newer":
            return CacheError(f"{self.what} {self.path} was written by a newer version of translate ({why}); "
                              "upgrade translate, or use --cache-dir for another folder")
        if problem == "read-only" and not self.writable:
            return CacheError(f"{self.what} {self.path} is read-only: {read_only}")
        return CacheError(f"cannot use the {self.what} {self.path} ({why}); check the file and its folder, "
                          "or use --cache-dir for another folder")

    # -- a damaged file ----------------------------------------------------------------------

    def still_damaged(self) -> bool:
        """Whether the file on disk is (still) damaged; another process may have replaced it."""
        try:
            connection, _ = self.open_to_read()
        except sqlite3.Error as error:
            return self.classify(error) == "damaged"
        try:
            self.check_sound(connection)
        except Damaged:
            return True
        except sqlite3.Error as error:
            return self.classify(error) == "damaged"
        finally:
            connection.close()
        return False

    def move_aside(self) -> Path:
        """Rename the file and the files beside it to ``<name>.corrupt-<time>``.

        Raises:
            OSError: they cannot be renamed.
        """
        aside = self.aside_path()
        for suffix in ("", *SIDE_FILES):
            part = Path(f"{self.path}{suffix}")
            if part.exists():
                part.replace(Path(f"{aside}{suffix}"))
        return aside

    def aside_path(self) -> Path:
        stamp = time.strftime("%Y%m%dT%H%M%S")
        aside = self.path.with_name(f"{self.path.name}{CORRUPT_MARK}{stamp}")
        number = 1
        while aside.exists():
            number += 1
            aside = self.path.with_name(f"{self.path.name}{CORRUPT_MARK}{stamp}.{number}")
        return aside

    def bytes(self) -> int:
        """The file's size with its write-ahead log."""
        return sum(Path(f"{self.path}{suffix}").stat().st_size
                   for suffix in ("", "-wal") if Path(f"{self.path}{suffix}").exists())


def describe(error: BaseException | None) -> str:
    """An error on one line (quick_check reports span several)."""
    text = " ".join(str(error).replace("*** in database main ***", "").split())
    return text or type(error).__name__


def encodable(*texts: str) -> bool:
    """SQLite stores UTF-8: a lone surrogate (possible only from Python callers), or
    something that is not text, is never stored."""
    try:
        for text in texts:
            text.encode("utf-8")
    except (UnicodeEncodeError, AttributeError):
        return False
    return True
