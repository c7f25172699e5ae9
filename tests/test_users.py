"""The accounts of a shared reader, on a real SQLite file: salted scrypt hashes only,
API keys kept as hashes, names safe as folder names, and the CLI's `translate users`."""
from __future__ import annotations

import io
import sqlite3
import sys

import pytest

from translate.cli import main
from translate.errors import InputError, UsageError
from translate.store.memory import TranslationMemory
from translate.store.users import KEY_PREFIX, UserStore, hash_password, password_matches


@pytest.fixture
def store(tmp_path):
    return UserStore(tmp_path / "users.sqlite3")


def test_a_password_is_kept_only_as_a_salted_scrypt_hash(store):
    store.add("amira", "correct horse battery")
    store.add("bilal", "correct horse battery")
    with sqlite3.connect(store.path) as connection:
        rows = dict(connection.execute("SELECT name, hash FROM users"))
    assert all(row.startswith("scrypt$") and "correct horse" not in row for row in rows.values())
    assert rows["amira"] != rows["bilal"]  # the same password, another salt
    assert store.check("amira", "correct horse battery") and not store.check("amira", "correct horse")
    assert not store.check("nobody", "correct horse battery") and not store.check("amira", None)


@pytest.mark.parametrize("stored", ["", "plain", "scrypt$x$8$1$00$00", "md5$abc", hash_password("other")])
def test_a_hash_that_is_not_ours_never_matches(stored):
    assert not password_matches("secret", stored)


@pytest.mark.parametrize("name", ["", "../evil", "a/b", ".hidden", "x" * 65, "سامي", "a b", None])
def test_names_are_safe_as_folder_names(store, name):
    with pytest.raises(UsageError, match="is not a user name"):
        store.add(name, "secret")


def test_an_empty_password_is_refused_and_an_existing_user_needs_replace(store):
    with pytest.raises(InputError, match="empty"):
        store.add("amira", "  ")
    store.add("amira", "one")
    with pytest.raises(UsageError, match="--replace"):
        store.add("amira", "two")
    store.add("amira", "two", replace=True)
    assert store.check("amira", "two") and not store.check("amira", "one")


def test_api_keys_are_shown_once_kept_hashed_and_go_with_their_user(store):
    store.add("amira", "secret")
    key = store.new_key("amira")
    assert key.startswith(KEY_PREFIX) and store.user_of_key(key) == "amira"
    assert store.user_of_key(key + "x") is None and store.user_of_key("secret") is None
    with sqlite3.connect(store.path) as connection:
        assert key not in str(connection.execute("SELECT * FROM api_keys").fetchall())
    with pytest.raises(UsageError, match="no user"):
        store.new_key("nobody")
    assert store.remove("amira") and store.user_of_key(key) is None and not store.remove("amira")


def test_each_user_has_a_memory_of_their_own(tmp_path):
    folder = tmp_path / "cache"
    TranslationMemory.of_user(folder, "amira").remember("قصف روسي على حلب.", "Amira's wording.")
    assert TranslationMemory.of_user(folder, "bilal").lookup(["قصف روسي على حلب."]) == {}
    assert TranslationMemory(folder).lookup(["قصف روسي على حلب."]) == {}
    with pytest.raises(UsageError):
        TranslationMemory.of_user(folder, "../amira")


def test_the_cli_adds_lists_keys_and_removes_users(capsys, monkeypatch, tmp_path):
    users = str(tmp_path / "users.sqlite3")
    monkeypatch.setattr(sys, "stdin", io.StringIO("a long passphrase\n"))
    assert main(["users", "add", "amira", "--users", users, "--editor"]) == 0
    assert "added amira (editor)" in capsys.readouterr().out
    assert UserStore(users).check("amira", "a long passphrase") and UserStore(users).is_editor("amira")
    assert main(["users", "key", "amira", "--users", users]) == 0
    key = capsys.readouterr().out.strip()
    assert UserStore(users).user_of_key(key) == "amira"
    assert main(["users", "list", "--users", users]) == 0
    out = capsys.readouterr().out
    assert out.startswith("amira\teditor\t") and out.rstrip().endswith("1 API key") and "passphrase" not in out
    assert main(["users", "remove", "bilal", "--users", users]) == 1
    assert "has no user bilal" in capsys.readouterr().err
    assert main(["users", "remove", "amira", "--users", users]) == 0


@pytest.mark.parametrize("argv, message", [
    (["users", "add", "--users", "U"], "needs a name"),
    (["users", "add", "../x", "--users", "U"], "is not a user name"),
])
def test_the_cli_refuses_bad_input_in_one_line(capsys, monkeypatch, tmp_path, argv, message):
    monkeypatch.setattr(sys, "stdin", io.StringIO("secret\n"))
    code = main([str(tmp_path / a) if a == "U" else a for a in argv])
    err = capsys.readouterr().err
    assert code == 2 and message in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
