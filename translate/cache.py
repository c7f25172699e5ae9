"""The on-disk translation cache: one SQLite file, text only.

Keys are (signature, exact source sentence). The signature names everything that
changes a translation (model and revision, engine and precision, generation
settings, segmenter version), so changing any of them simply stops old entries
from matching. A cache problem never fails a translation: it logs one warning
and the cache turns itself off for the rest of the process.
"""
from __future__ import annotations

import logging
import os
import sqlite3
import threading
import time
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

log = logging.getLogger("translate")

CACHE_FILE = "translations.sqlite3"
SCHEMA_VERSION = 1
_BUSY_TIMEOUT_MS = 30_000  # writers from several processes wait rather than fail
_CHUNK = 500  # stays below SQLite's host-parameter limit
_SCHEMA_ATTEMPTS = 50  # about 25 s of waiting in all

_SCHEMA = """
CREATE TABLE IF NOT EXISTS signatures (
    id TEXT PRIMARY KEY,
    description TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS translations (
    signature TEXT NOT NULL,
    source TEXT NOT NULL,
    translation TEXT NOT NULL,
    score REAL,
    flags TEXT NOT NULL DEFAULT '',
    created REAL NOT NULL,
    PRIMARY KEY (signature, source)
) WITHOUT ROWID;
"""


@dataclass(frozen=True)
class CachedTranslation:
    """One cached translation of one source sentence."""

    source: str
    translation: str
    score: float | None = None
    flags: tuple[str, ...] = ()
    #: word links (source word index, target word index)
    alignment: tuple[tuple[int, int], ...] = ()


class TranslationCache:
    """Batch get/put of translations keyed by (signature, source sentence).

    Opens one short-lived connection per call, so it is safe to share between
    threads, and SQLite's WAL mode makes it safe between processes.

    Args:
        folder: the cache folder; created on first write, not before.
    """

    def __init__(self, folder: str | os.PathLike):
        self.folder = Path(folder)
        self.path = self.folder / CACHE_FILE
        self.disabled_reason: str | None = None
        self._ready = False
        self._lock = threading.Lock()

    # -- connection management -------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        connection = sqlite3.connect(self.path, timeout=_BUSY_TIMEOUT_MS / 1000)
        connection.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")
        return connection

    def _prepare(self) -> None:
        """Create or check the file once per process; move a corrupt one aside."""
        if self._ready:
            return
        with self._lock:
            if self._ready:
                return
            self.folder.mkdir(parents=True, exist_ok=True)
            try:
                self._create_schema()
            except sqlite3.DatabaseError as error:
                if not _is_corruption(error):
                    raise
                aside = self.path.with_name(f"{CACHE_FILE}.corrupt-{int(time.time())}")
                log.warning(
                    "cache file %s is damaged (%s); moved it to %s and started a new one",
                    self.path, error, aside.name,
                )
                for suffix in ("", "-wal", "-shm"):
                    part = Path(f"{self.path}{suffix}")
                    if part.exists():
                        part.replace(Path(f"{aside}{suffix}"))
                self._create_schema()
            self._ready = True

    def _create_schema(self) -> None:
        # Switching to WAL needs a moment alone with the file, and SQLite does not
        # wait for that: processes that start together take turns here.
        for attempt in range(_SCHEMA_ATTEMPTS):
            try:
                return self._create_schema_once()
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) or attempt == _SCHEMA_ATTEMPTS - 1:
                    raise
                time.sleep(0.02 * (attempt + 1))

    def _create_schema_once(self) -> None:
        with closing(self._connect()) as connection:
            version = connection.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise sqlite3.DatabaseError(
                    f"cache schema {version} is newer than this program's {SCHEMA_VERSION}"
                )
            if connection.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                connection.execute("PRAGMA journal_mode = WAL")
            with connection:
                connection.executescript(_SCHEMA)
                connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            # Reading a page of each table finds most corruption up front.
            connection.execute("SELECT count(*) FROM signatures").fetchone()
            connection.execute("SELECT * FROM translations LIMIT 1").fetchall()

    def _guard(self, action: str, run, default):
        """Run a cache operation; on any failure warn once and disable the cache."""
        if self.disabled_reason is not None:
            return default
        try:
            self._prepare()
            return run()
        except (sqlite3.Error, OSError) as error:
            self.disabled_reason = f"{type(error).__name__}: {error}"
            log.warning(
                "cache %s failed to %s (%s); translating without the cache",
                self.path, action, error,
            )
            return default

    # -- public API -------------------------------------------------------------

    def get_many(self, signature: str, sources: Iterable[str]) -> dict[str, CachedTranslation]:
        """The cached translation of each source sentence found."""
        wanted = list(dict.fromkeys(sources))
        if not wanted or not self.path.exists():
            return {}

        def run():
            found = {}
            with closing(self._connect()) as connection:
                for start in range(0, len(wanted), _CHUNK):
                    chunk = wanted[start : start + _CHUNK]
                    marks = ",".join("?" * len(chunk))
                    rows = connection.execute(
                        f"SELECT source, translation, score, flags FROM translations "
                        f"WHERE signature = ? AND source IN ({marks})",
                        [signature, *chunk],
                    )
                    found.update((source, CachedTranslation(source, text, score, tuple(filter(None, flags.split(",")))))
                                 for source, text, score, flags in rows)
            return found

        return self._guard("read", run, {})

    def put_many(self, signature: str, description: str, records: Iterable[CachedTranslation]) -> None:
        """Store translations; existing entries are kept."""
        rows = [(signature, r.source, r.translation, r.score, ",".join(r.flags), time.time()) for r in records]
        if not rows:
            return

        def run():
            with closing(self._connect()) as connection, connection:
                connection.execute(
                    "INSERT INTO signatures (id, description) VALUES (?, ?) "
                    "ON CONFLICT DO NOTHING",
                    (signature, description),
                )
                connection.executemany(
                    "INSERT INTO translations (signature, source, translation, score, flags, created) "
                    "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                    rows,
                )

        self._guard("write", run, None)

    def stats(self) -> dict:
        """Entry counts per signature and the file size."""
        if not self.path.exists():
            return {"path": str(self.path), "entries": 0, "bytes": 0, "signatures": []}

        def run():
            with closing(self._connect()) as connection:
                rows = connection.execute(
                    "SELECT s.description, count(t.source) FROM signatures s "
                    "LEFT JOIN translations t ON t.signature = s.id GROUP BY s.id ORDER BY 2 DESC"
                ).fetchall()
            size = sum(
                Path(f"{self.path}{suffix}").stat().st_size
                for suffix in ("", "-wal")
                if Path(f"{self.path}{suffix}").exists()
            )
            return {
                "path": str(self.path),
                "entries": sum(count for _, count in rows),
                "bytes": size,
                "signatures": [{"signature": d, "entries": c} for d, c in rows],
            }

        return self._guard("read statistics", run, {"path": str(self.path), "entries": 0,
                                                    "bytes": 0, "signatures": []})

    def clear(self) -> int:
        """Delete every cached translation; returns how many there were."""
        if not self.path.exists():
            return 0
        self._prepare()
        with closing(self._connect()) as connection:
            with connection:
                count = connection.execute("SELECT count(*) FROM translations").fetchone()[0]
                connection.execute("DELETE FROM translations")
                connection.execute("DELETE FROM signatures")
            connection.execute("VACUUM")
        return count


def _is_corruption(error: sqlite3.DatabaseError) -> bool:
    text = str(error).lower()
    return any(
        word in text
        for word in ("malformed", "not a database", "corrupt", "file is encrypted", "newer than")
    )
