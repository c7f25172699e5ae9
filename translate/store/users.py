"""The accounts of a shared reader: names, salted password hashes, and API keys.

``python app.py --users FILE`` asks every browser to sign in with a name and
password from FILE (a SQLite file, made and changed with ``translate users
add|remove|list|key``). Only a salted hash of each password is kept, made with
scrypt (:func:`hashlib.scrypt`, memory-hard: a stolen file is slow to attack),
compared in constant time. API keys (the LibreTranslate-style endpoints) are
random tokens shown once and kept as SHA-256 hashes: a key is a long random
secret, so a fast hash is enough, and a lookup by hash is one index probe.

Names are what a user is known by everywhere (their memory, their documents),
so they are short and safe as a folder name: letters, digits, ``. _ -``.
"""
from __future__ import annotations

import functools
import hashlib
import hmac
import os
import re
import secrets
import time
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from ..errors import CacheError, InputError, UsageError
from .sqlite import PROBLEMS, SqliteFile

SCHEMA_VERSION = 1
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
#: scrypt's cost: 16 MiB of memory and about 50 ms per check on a laptop core.
_SCRYPT = dict(n=2**14, r=8, p=1, dklen=32)
_MAX_PASSWORD = 1024  # bytes; scrypt takes any length, a sign-in form should not
_TABLES = (
    """CREATE TABLE IF NOT EXISTS users (
        name TEXT PRIMARY KEY,
        hash TEXT NOT NULL,
        editor INTEGER NOT NULL DEFAULT 0,
        created REAL NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS api_keys (
        hash TEXT PRIMARY KEY,
        name TEXT NOT NULL REFERENCES users (name) ON DELETE CASCADE,
        created REAL NOT NULL
    )""",
)
#: A key starts with this, so it can be told apart from a password in a config file.
KEY_PREFIX = "tr_"


@dataclass(frozen=True)
class User:
    """One account.

    Attributes:
        name: the user's name.
        editor: may write the team memory (``--team-memory``).
        created: when the account was made (seconds since the epoch).
        keys: how many API keys the user has.
    """

    name: str
    editor: bool = False
    created: float = 0.0
    keys: int = 0


def check_name(name: str) -> str:
    """``name`` if it is a valid user name.

    Raises:
        UsageError: it is not (what a name may hold is in the message).
    """
    if not isinstance(name, str) or not _NAME.match(name):
        raise UsageError(f"{name!r} is not a user name: use 1 to 64 letters, digits, '.', '_' or '-', starting "
                         "with a letter or digit", reason="bad-user-name")
    return name


def hash_password(password: str) -> str:
    """A salted scrypt hash of ``password``: ``scrypt$n$r$p$salt$hash`` (hex)."""
    salt = os.urandom(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, **_SCRYPT)
    return f"scrypt${_SCRYPT['n']}${_SCRYPT['r']}${_SCRYPT['p']}${salt.hex()}${digest.hex()}"


def password_matches(password: str, stored: str) -> bool:
    """Whether ``password`` is the one ``stored`` (from :func:`hash_password`) was made of."""
    try:
        kind, n, r, p, salt, digest = stored.split("$")
        if kind != "scrypt":
            return False
        expected = bytes.fromhex(digest)
        made = hashlib.scrypt(password.encode("utf-8")[:_MAX_PASSWORD], salt=bytes.fromhex(salt), n=int(n),
                              r=int(r), p=int(p), dklen=len(expected))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(made, expected)


def _key_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


class UserStore:
    """The accounts file.

    Args:
        path: the file (``--users FILE``); created by the first :meth:`add`.
    """

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        self.file = SqliteFile(self.path, what="user file", schema_version=SCHEMA_VERSION)

    # -- changing the accounts ------------------------------------------------------------

    def add(self, name: str, password: str, *, editor: bool = False, replace: bool = False) -> User:
        """Add an account (or, with ``replace``, set an existing one's password).

        Raises:
            UsageError: a bad name; the name exists (without ``replace``).
            InputError: an empty or over-long password.
            CacheError: the file cannot be written.
        """
        check_name(name)
        if not password or not password.strip():
            raise InputError("the password is empty; give one on standard input", reason="empty-password")
        if len(password.encode("utf-8")) > _MAX_PASSWORD:
            raise InputError(f"the password is longer than {_MAX_PASSWORD} bytes", reason="long-password")
        hashed, now = hash_password(password), time.time()

        def write(connection):
            if not replace and connection.execute("SELECT 1 FROM users WHERE name = ?", (name,)).fetchone():
                raise UsageError(f"user {name} exists; `translate users add {name} --replace` sets a new password",
                                 reason="user-exists")
            connection.execute("INSERT INTO users (name, hash, editor, created) VALUES (?, ?, ?, ?) "
                               "ON CONFLICT (name) DO UPDATE SET hash = excluded.hash, editor = excluded.editor",
                               (name, hashed, int(editor), now))
            return User(name, editor, now)

        return self._write(write)

    def remove(self, name: str) -> bool:
        """Remove an account and its API keys; False when there was none."""
        if not self.path.exists():
            return False
        return self._write(lambda c: c.execute("DELETE FROM users WHERE name = ?", (name,)).rowcount > 0)

    def new_key(self, name: str) -> str:
        """A new API key for ``name``: returned once, kept only as a hash.

        Raises:
            UsageError: no such user.
        """
        key = KEY_PREFIX + secrets.token_urlsafe(32)

        def write(connection):
            if not connection.execute("SELECT 1 FROM users WHERE name = ?", (name,)).fetchone():
                raise UsageError(f"no user {name} in {self.path}; `translate users add {name}` makes one",
                                 reason="no-such-user")
            connection.execute("INSERT INTO api_keys (hash, name, created) VALUES (?, ?, ?)",
                               (_key_hash(key), name, time.time()))

        self._write(write)
        return key

    # -- reading them ------------------------------------------------------------------------

    def users(self) -> list[User]:
        """Every account, by name."""
        return self._read(lambda c: [User(name, bool(editor), created, keys) for name, editor, created, keys in
                                     c.execute("SELECT u.name, u.editor, u.created, count(k.hash) FROM users u "
                                               "LEFT JOIN api_keys k ON k.name = u.name GROUP BY u.name "
                                               "ORDER BY u.name")], [])

    def check(self, name: str, password: str) -> bool:
        """Whether ``name`` signs in with ``password`` (Gradio's ``auth`` calls this).
        A wrong name costs the same time as a wrong password."""
        if not isinstance(name, str) or not isinstance(password, str):
            return False
        row = self._read(lambda c: c.execute("SELECT hash FROM users WHERE name = ?", (name,)).fetchone(), None)
        return password_matches(password, row[0] if row else _decoy())

    def user_of_key(self, key: str) -> str | None:
        """The name an API key belongs to, or None."""
        if not isinstance(key, str) or not key.startswith(KEY_PREFIX):
            return None
        row = self._read(lambda c: c.execute("SELECT name FROM api_keys WHERE hash = ?",
                                             (_key_hash(key),)).fetchone(), None)
        return row[0] if row else None

    def is_editor(self, name: str) -> bool:
        row = self._read(lambda c: c.execute("SELECT editor FROM users WHERE name = ?", (name,)).fetchone(), None)
        return bool(row and row[0])

    def __contains__(self, name: str) -> bool:
        return self._read(lambda c: c.execute("SELECT 1 FROM users WHERE name = ?", (name,)).fetchone(),
                          None) is not None

    # -- the file ------------------------------------------------------------------------------

    def _read(self, work, default):
        if not self.path.exists():
            return default
        try:
            connection, _ = self.file.open_to_read()
            with closing(connection):
                self.file.check_version(connection)
                if not self.file.has_tables(connection, "users", "api_keys"):
                    return default
                return work(connection)
        except PROBLEMS as error:
            raise self._error(error) from None

    def _write(self, work):
        if self.path.exists() and not self.file.writable:
            raise self._error(PermissionError("read-only"))
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with closing(self.file.connect("rwc")) as connection:
                self.file.check_version(connection)
                self.file.check_sound(connection)
                connection.execute("PRAGMA foreign_keys = ON")
                result = self.file.transaction(connection, _TABLES, work)
        except PROBLEMS as error:
            raise self._error(error) from None
        if os.name == "posix":
            os.chmod(self.path, 0o600)  # the hashes are for this server's owner only
        return result

    def _error(self, error: BaseException) -> CacheError:
        return self.file.error(error, damaged="restore it from a copy, or make a new one with `translate users add`",
                               read_only="the accounts are read but cannot be changed here; make it writable")


@functools.cache
def _decoy() -> str:
    """A hash checked against when a name is unknown, so that an unknown name and a
    wrong password take the same time."""
    return hash_password(secrets.token_hex(16))
