"""The SQLite cache on real files: batch get/put, corruption, concurrency, failures."""
from __future__ import annotations

import logging
import multiprocessing
import sqlite3
import time

import pytest

from translate import Translator
from translate.cache import CACHE_FILE, TranslationCache, signature_id

SIG = "model=x@1|engine=test"


def test_put_then_get_many(tmp_path):
    cache = TranslationCache(tmp_path)
    cache.put_many(signature_id(SIG), SIG, [("أ", "a", -0.5), ("ب", "b", None)])
    assert cache.get_many(signature_id(SIG), ["أ", "ب", "ج"]) == {"أ": ("a", -0.5, ""), "ب": ("b", None, "")}
    assert cache.get_many(signature_id("another"), ["أ"]) == {}


def test_existing_entries_are_kept(tmp_path):
    cache = TranslationCache(tmp_path)
    cache.put_many(signature_id(SIG), SIG, [("أ", "first", None)])
    cache.put_many(signature_id(SIG), SIG, [("أ", "second", None)])
    assert cache.get_many(signature_id(SIG), ["أ"])["أ"][0] == "first"


def test_nothing_is_created_until_the_first_write(tmp_path):
    cache = TranslationCache(tmp_path / "not-yet")
    assert cache.get_many(signature_id(SIG), ["أ"]) == {}
    assert not (tmp_path / "not-yet").exists()


def test_many_keys_beyond_sqlite_parameter_limit(tmp_path):
    cache = TranslationCache(tmp_path)
    rows = [(f"جملة {i}", f"sentence {i}", None) for i in range(2500)]
    cache.put_many(signature_id(SIG), SIG, rows)
    assert len(cache.get_many(signature_id(SIG), [r[0] for r in rows])) == 2500


def test_schema_version_is_recorded(tmp_path):
    TranslationCache(tmp_path).put_many(signature_id(SIG), SIG, [("أ", "a", None)])
    with sqlite3.connect(tmp_path / CACHE_FILE) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == 1
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


@pytest.mark.parametrize("damage", ["garbage", "truncated"])
def test_corrupt_file_is_moved_aside_and_recreated(tmp_path, caplog, damage):
    cache = TranslationCache(tmp_path)
    cache.put_many(signature_id(SIG), SIG, [(f"جملة {i}", "x" * 200, None) for i in range(300)])
    path = tmp_path / CACHE_FILE
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = path.read_bytes()
    path.write_bytes(b"this is not a database" * 100 if damage == "garbage" else data[:100] + b"\0" * 50)
    fresh = TranslationCache(tmp_path)
    with caplog.at_level(logging.WARNING, logger="translate"):
        fresh.put_many(signature_id(SIG), SIG, [("أ", "a", None)])
    assert fresh.get_many(signature_id(SIG), ["أ"]) == {"أ": ("a", None, "")}
    assert any(p.name.startswith(CACHE_FILE + ".corrupt-") for p in tmp_path.iterdir())
    assert "damaged" in caplog.text


def test_corrupt_cache_never_fails_a_translation(tiny_model, tmp_path, caplog):
    folder = tmp_path / "cache"
    folder.mkdir()
    (folder / CACHE_FILE).write_bytes(b"\x00garbage" * 1000)
    translator = Translator.from_options(str(tiny_model), cache_dir=str(folder), engine="transformers")
    with caplog.at_level(logging.WARNING, logger="translate"):
        document = translator.translate("قصف روسي على حلب")
    assert document.sentences[0].translation
    assert Translator.from_options(str(tiny_model), cache_dir=str(folder), engine="transformers").translate(
        "قصف روسي على حلب").cached_count == 1


def test_read_only_cache_folder_degrades_to_no_cache(tiny_model, caplog):
    # /proc/self exists and refuses new files even to root: a truly read-only folder.
    with caplog.at_level(logging.WARNING, logger="translate"):
        translator = Translator.from_options(str(tiny_model), cache_dir="/proc/self", engine="transformers")
        document = translator.translate("قصف روسي على حلب\nتركيا تطالب بوقف الهجمات")
    assert all(p.translation for p in document.sentences)
    assert caplog.text.count("translating without the cache") == 1


def test_cache_path_that_is_a_file_degrades_to_no_cache(tiny_model, tmp_path, caplog):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with caplog.at_level(logging.WARNING, logger="translate"):
        translator = Translator.from_options(str(tiny_model), cache_dir=str(blocker), engine="transformers")
        document = translator.translate("قصف روسي على حلب\nتركيا تطالب بوقف الهجمات")
    assert all(p.translation for p in document.sentences)
    assert caplog.text.count("translating without the cache") == 1


def _writer(folder: str, worker: int, count: int) -> None:
    cache = TranslationCache(folder)
    for start in range(0, count, 25):
        # Overlapping keys across workers, written in small batches to interleave.
        rows = [(f"جملة {i}", f"sentence {i}", -0.1) for i in range(start, start + 25)]
        rows += [(f"عامل {worker} {i}", f"worker {worker} {i}", None) for i in range(start, start + 25)]
        cache.put_many(signature_id(SIG), SIG, rows)


def test_concurrent_writer_processes_keep_the_file_sound(tmp_path):
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_writer, args=(str(tmp_path), w, 400)) for w in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
        assert worker.exitcode == 0
    with sqlite3.connect(tmp_path / CACHE_FILE) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        total = connection.execute("SELECT count(*) FROM translations").fetchone()[0]
    assert total == 400 + 4 * 400


def test_stats_and_clear(tmp_path):
    cache = TranslationCache(tmp_path)
    cache.put_many(signature_id(SIG), SIG, [("أ", "a", None), ("ب", "b", None)])
    stats = cache.stats()
    assert stats["entries"] == 2 and stats["signatures"] == [{"signature": SIG, "entries": 2}]
    assert cache.clear() == 2
    assert cache.stats()["entries"] == 0


def _first_writer(folder: str, start) -> None:
    start.wait(30)
    cache = TranslationCache(folder)
    cache.put_many(signature_id(SIG), SIG, [("أ", "a", None)])
    raise SystemExit(1 if cache.disabled_reason else 0)


@pytest.mark.parametrize("trial", range(5))
def test_processes_creating_the_cache_together_all_keep_it(tmp_path, trial):
    # Regression: switching a new file to WAL failed with "database is locked" in
    # all but one of several processes that started at once.
    context = multiprocessing.get_context("spawn")
    start = context.Event()
    workers = [context.Process(target=_first_writer, args=(str(tmp_path), start)) for _ in range(6)]
    for worker in workers:
        worker.start()
    time.sleep(1.0)
    start.set()
    for worker in workers:
        worker.join(60)
    assert [w.exitcode for w in workers] == [0] * 6
