"""The SQLite cache on real files: batch get/put, damage, deletion, read-only
caches, migration, maintenance, concurrency."""
from __future__ import annotations

import json
import logging
import multiprocessing
import os
import random
import shutil
import sqlite3
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest

from translate import Translator, config
from translate.errors import CacheError, TranslateError
from translate.signature import signature_key
from translate.store.cache import CACHE_FILE, CacheStats, TranslationCache, clear_cache
from translate.translation import CACHE, Translation

ROOT = Path(__file__).resolve().parent.parent
SIG = "model=x@1|engine=test"
KEY = signature_key(SIG)


def record(source: str, translation: str | None = None, **fields) -> dict[str, Translation]:
    """One cached sentence, as the cache gives it back: ``{source: Translation(origin cache)}``."""
    return {source: Translation(translation or f"<{source}>", origin=CACHE, **fields)}


def populate(folder: Path, count: int) -> list[str]:
    """A cache of ``count`` entries, checkpointed so every page is in the main file."""
    sources = [f"جملة رقم {i} في النص" for i in range(count)]
    TranslationCache(folder).keep(KEY, SIG, {s: Translation(f"sentence number {i} " * 3)
                                             for i, s in enumerate(sources)})
    with sqlite3.connect(folder / CACHE_FILE) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return sources


def damage_middle_pages(path: Path, pages: int = 4) -> None:
    """Write garbage over a few pages in the middle of the file, not its header."""
    with sqlite3.connect(path) as connection:
        page_size = connection.execute("PRAGMA page_size").fetchone()[0]
    total = path.stat().st_size // page_size
    assert total > 20, "the cache should span many pages"
    with open(path, "r+b") as file:
        file.seek((total // 2) * page_size)
        file.write(random.Random(0).randbytes(pages * page_size))


def warnings(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "translate" and r.levelno >= logging.WARNING]


def moved_aside(folder: Path) -> list[Path]:
    """Damaged cache files moved aside (not counting their -wal and -shm files)."""
    return sorted(p for p in folder.iterdir()
                  if p.name.startswith(CACHE_FILE + ".corrupt-") and not p.name.endswith(("-wal", "-shm")))


# -- get and put ----------------------------------------------------------------------


def test_put_then_get_many_gives_typed_records(tmp_path):
    cache = TranslationCache(tmp_path)
    stored = record("أ", "a", score=-0.5, flags=("repetition", "length"), alignment=((0, 0), (1, 2), (2, 1)))
    stored |= record("ب", "b")
    cache.keep(KEY, SIG, stored)
    assert cache.find(KEY, ["أ", "ب", "ج"]) == stored
    assert cache.find(signature_key("another"), ["أ"]) == {}


def test_alignment_is_stored_as_text(tmp_path):
    TranslationCache(tmp_path).keep(KEY, SIG, record("أ", alignment=((0, 0), (1, 2), (2, 1))))
    with sqlite3.connect(tmp_path / CACHE_FILE) as connection:
        assert connection.execute("SELECT alignment FROM translations").fetchone()[0] == "0-0 1-2 2-1"


def test_existing_entries_are_kept(tmp_path):
    cache = TranslationCache(tmp_path)
    cache.keep(KEY, SIG, record("أ", "first"))
    cache.keep(KEY, SIG, record("أ", "second", alignment=((0, 0),)))
    assert cache.find(KEY, ["أ"]) == record("أ", "first")


def test_nothing_is_created_until_the_first_write(tmp_path):
    cache = TranslationCache(tmp_path / "not-yet")
    assert cache.find(KEY, ["أ"]) == {}
    assert cache.stats().state == "missing"
    assert not (tmp_path / "not-yet").exists()


def test_many_keys_beyond_sqlite_parameter_limit(tmp_path):
    cache = TranslationCache(tmp_path)
    records = {source: t for i in range(2500) for source, t in record(f"جملة {i}").items()}
    cache.keep(KEY, SIG, records)
    assert len(cache.find(KEY, list(records))) == 2500


def test_text_sqlite_cannot_store_is_skipped_not_raised(tmp_path):
    cache = TranslationCache(tmp_path)
    cache.keep(KEY, SIG, record("\ud800 lone surrogate") | record("أ"))
    assert cache.find(KEY, ["\ud800 lone surrogate", "أ"]) == record("أ")


def test_schema_version_is_recorded(tmp_path):
    TranslationCache(tmp_path).keep(KEY, SIG, record("أ"))
    with sqlite3.connect(tmp_path / CACHE_FILE) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == 2
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


_VERSION_1 = """
CREATE TABLE signatures (id TEXT PRIMARY KEY, description TEXT NOT NULL);
CREATE TABLE translations (
    signature TEXT NOT NULL, source TEXT NOT NULL, translation TEXT NOT NULL, score REAL,
    flags TEXT NOT NULL DEFAULT '', created REAL NOT NULL, PRIMARY KEY (signature, source)
) WITHOUT ROWID;
PRAGMA user_version = 1;
"""


def write_version_1(folder: Path, count: int) -> None:
    """A cache file as version 1 of this program wrote it."""
    folder.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(folder / CACHE_FILE) as connection:
        connection.execute("PRAGMA journal_mode = WAL")
        connection.executescript(_VERSION_1)
        connection.execute("INSERT INTO signatures VALUES (?, ?)", (KEY, SIG))
        connection.executemany("INSERT INTO translations VALUES (?, ?, ?, ?, ?, ?)",
                               [(KEY, f"جملة {i}", f"sentence {i}", -0.25, "length", 0.0)
                                for i in range(count)])


def test_version_1_file_is_migrated_in_place_keeping_its_entries(tmp_path):
    write_version_1(tmp_path, 300)
    cache = TranslationCache(tmp_path)
    found = cache.find(KEY, [f"جملة {i}" for i in range(300)])
    assert len(found) == 300
    assert found["جملة 7"] == Translation("sentence 7", -0.25, ("length",), (), CACHE)
    with sqlite3.connect(tmp_path / CACHE_FILE) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == 2
        assert "alignment" in {row[1] for row in connection.execute("PRAGMA table_info(translations)")}
    # An entry stored without word links gains them when the same translation comes with them.
    cache.keep(KEY, SIG, {"جملة 7": Translation("sentence 7", -0.25, ("length",), ((0, 1),))})
    assert cache.find(KEY, ["جملة 7"])["جملة 7"].alignment == ((0, 1),)
    assert cache.stats().entries == 300
    assert moved_aside(tmp_path) == []


# -- item 6: damage deep inside the file --------------------------------------------------


@pytest.mark.parametrize("first_call", ["get", "put"])
@pytest.mark.parametrize("when", ["before opening", "after opening"])
def test_damage_deep_in_the_file_is_moved_aside_once_and_caching_goes_on(tmp_path, caplog, first_call, when):
    sources = populate(tmp_path, 3000)
    cache = TranslationCache(tmp_path)
    if when == "after opening":  # the object has checked the file already: a statement finds it
        assert len(cache.find(KEY, sources[:10])) == 10
    damage_middle_pages(tmp_path / CACHE_FILE)
    with caplog.at_level(logging.WARNING, logger="translate"):
        if first_call == "get":
            assert cache.find(KEY, sources) == {}
        else:
            cache.keep(KEY, SIG, record("أ"))
        # ...and translation-style use goes on: look up, store what was missing, find it.
        missing = [s for s in sources[:50] if s not in cache.find(KEY, sources[:50])]
        cache.keep(KEY, SIG, {source: t for s in missing for source, t in record(s).items()})
        assert len(cache.find(KEY, sources[:50])) == 50
    [warning] = warnings(caplog)
    assert "is damaged" in warning and "moved it to translations.sqlite3.corrupt-" in warning
    assert len(moved_aside(tmp_path)) == 1
    assert cache.disabled_reason is None
    with sqlite3.connect(tmp_path / CACHE_FILE) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


@pytest.mark.parametrize("damage", ["garbage", "truncated"])
def test_file_damaged_in_its_header_is_moved_aside_and_recreated(tmp_path, caplog, damage):
    populate(tmp_path, 300)
    path = tmp_path / CACHE_FILE
    data = path.read_bytes()
    path.write_bytes(b"this is not a database" * 100 if damage == "garbage" else data[:100] + b"\0" * 50)
    fresh = TranslationCache(tmp_path)
    with caplog.at_level(logging.WARNING, logger="translate"):
        fresh.keep(KEY, SIG, record("أ"))
    assert fresh.find(KEY, ["أ"]) == record("أ")
    assert len(moved_aside(tmp_path)) == 1
    assert len(warnings(caplog)) == 1 and "damaged" in caplog.text


def test_damage_that_comes_back_turns_the_cache_off_after_one_move(tmp_path, caplog):
    sources = populate(tmp_path, 3000)
    cache = TranslationCache(tmp_path)
    damage_middle_pages(tmp_path / CACHE_FILE)
    with caplog.at_level(logging.WARNING, logger="translate"):
        cache.find(KEY, sources)
        populate(tmp_path, 3000)  # a failing disk: the new file is damaged too
        damage_middle_pages(tmp_path / CACHE_FILE)
        assert cache.find(KEY, sources) == {}
        cache.keep(KEY, SIG, record("أ"))
    assert len(moved_aside(tmp_path)) == 1
    assert [("damaged" in w, "translating without the cache" in w) for w in warnings(caplog)] == [
        (True, False), (False, True)]


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


# -- item 7: the file deleted while the program runs ------------------------------------------


@pytest.mark.parametrize("deleted", ["file", "folder"])
def test_cache_deleted_while_running_is_recreated_on_the_next_write(tmp_path, caplog, deleted):
    folder = tmp_path / "cache"
    cache = TranslationCache(folder)
    cache.keep(KEY, SIG, record("أ"))
    assert cache.find(KEY, ["أ"]) == record("أ")
    if deleted == "file":
        for part in folder.glob(CACHE_FILE + "*"):
            part.unlink()
    else:
        shutil.rmtree(folder)
    with caplog.at_level(logging.WARNING, logger="translate"):
        assert cache.find(KEY, ["أ"]) == {}
        assert not (folder / CACHE_FILE).exists()  # a read creates nothing
        cache.keep(KEY, SIG, record("ب"))
        assert cache.find(KEY, ["أ", "ب"]) == record("ب")
    assert warnings(caplog) == []
    assert TranslationCache(folder).stats().entries == 1


def test_cache_replaced_by_an_empty_file_is_recreated(tmp_path, caplog):
    cache = TranslationCache(tmp_path)
    cache.keep(KEY, SIG, record("أ"))
    (tmp_path / CACHE_FILE).unlink()
    sqlite3.connect(tmp_path / CACHE_FILE).close()  # what an old version's reader left behind
    with caplog.at_level(logging.WARNING, logger="translate"):
        cache.keep(KEY, SIG, record("ب"))
    assert cache.find(KEY, ["ب"]) == record("ب")
    assert warnings(caplog) == []


# -- item 8: read-only caches -------------------------------------------------------------------
#
# Tests run as root here, and chmod does not stop root. The kernel's immutable
# attribute (chattr +i) does: writing such a file or creating a file in such a
# folder fails with EPERM even for root, and os.access says so, as it does for a
# file on a read-only mount. So: chattr +i as root, chmod a-w otherwise; a real
# read-only bind mount (the deployment) is tested in a subprocess where allowed.


@contextmanager
def read_only(path: Path):
    """Make ``path`` (a file or folder) truly read-only for this process."""
    if os.geteuid() != 0:
        mode = path.stat().st_mode
        path.chmod(mode & ~0o222)
        try:
            yield
        finally:
            path.chmod(mode)
        return
    if not shutil.which("chattr") or subprocess.run(["chattr", "+i", path],
                                                    capture_output=True).returncode != 0:
        pytest.skip("running as root where the immutable attribute cannot be set")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", path], check=True)


@pytest.mark.parametrize("what", ["file", "folder"])
def test_read_only_cache_serves_hits_stores_nothing_and_warns_once(tmp_path, caplog, what):
    folder = tmp_path / "shared"
    TranslationCache(folder).keep(KEY, SIG, record("أ") | record("ب"))
    with read_only(folder / CACHE_FILE if what == "file" else folder):
        cache = TranslationCache(folder)
        with caplog.at_level(logging.WARNING, logger="translate"):
            assert cache.find(KEY, ["أ", "ب", "ج"]) == record("أ") | record("ب")
            cache.keep(KEY, SIG, record("ج"))
            assert cache.find(KEY, ["ج"]) == {}
            cache.keep(KEY, SIG, record("د"))
            assert cache.find(KEY, ["أ"]) == record("أ")
        assert cache.read_only and cache.disabled_reason is None
        [warning] = warnings(caplog)
        assert "is read-only" in warning and "new ones are not stored" in warning
        stats = cache.stats()
        assert (stats.state, stats.entries) == ("read-only", 2)
        for action in (cache.clear, lambda: clear_cache(folder, models=True)):
            with pytest.raises(CacheError, match="is read-only") as raised:
                action()
            assert "\n" not in str(raised.value)
    assert TranslationCache(folder).stats().entries == 2


def test_cache_that_becomes_read_only_while_running_keeps_serving(tmp_path, caplog):
    cache = TranslationCache(tmp_path)
    cache.keep(KEY, SIG, record("أ"))
    with read_only(tmp_path / CACHE_FILE):
        with caplog.at_level(logging.WARNING, logger="translate"):
            cache.keep(KEY, SIG, record("ب"))  # access said writable; the write says otherwise
            assert cache.find(KEY, ["أ", "ب"]) == record("أ")
            cache.keep(KEY, SIG, record("ج"))
        assert cache.read_only
        assert len(warnings(caplog)) == 1 and "is read-only" in caplog.text


def test_read_only_version_1_cache_is_read_without_migrating(tmp_path, caplog):
    write_version_1(tmp_path, 5)
    with read_only(tmp_path):
        cache = TranslationCache(tmp_path)
        with caplog.at_level(logging.WARNING, logger="translate"):
            assert cache.find(KEY, ["جملة 1"]) == record("جملة 1", "sentence 1", score=-0.25, flags=("length",))
    with sqlite3.connect(tmp_path / CACHE_FILE) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == 1
    assert len(warnings(caplog)) == 1


_PROBE = """
import json, logging, sys
logging.basicConfig(level=logging.WARNING, format="WARNING %(message)s")
from translate.store.cache import TranslationCache
from translate.signature import signature_key
from translate.translation import Translation
cache = TranslationCache(sys.argv[1])
key = signature_key("model=x@1|engine=test")
hits = cache.find(key, ["أ", "ب", "ج"])
cache.keep(key, "model=x@1|engine=test", {"ج": Translation("c")})
print(json.dumps({"hits": sorted(hits), "after_put": sorted(cache.find(key, ["ج"])),
                  "read_only": cache.read_only, "state": cache.stats().state}))
"""


def test_cache_on_a_read_only_mount(tmp_path):
    folder = tmp_path / "shared"
    TranslationCache(folder).keep(KEY, SIG, record("أ") | record("ب"))
    script = (f'mount --bind "{folder}" "{folder}" && mount -o remount,ro,bind "{folder}" && '
              f'exec "{sys.executable}" -c \'{_PROBE}\' "{folder}"')
    if not shutil.which("unshare") or subprocess.run(
            ["unshare", "-m", "true"], capture_output=True).returncode != 0:
        pytest.skip("cannot make a private mount namespace here (needs root)")
    done = subprocess.run(["unshare", "-m", "sh", "-c", script], capture_output=True, text=True,
                          env=dict(os.environ, PYTHONPATH=str(ROOT)), timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"hits": ["أ", "ب"], "after_put": [], "read_only": True,
                                       "state": "read-only"}
    assert done.stderr.count("WARNING") == 1 and "is read-only" in done.stderr


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


def test_newer_schema_is_left_alone_and_not_used(tmp_path, caplog):
    populate(tmp_path, 10)
    with sqlite3.connect(tmp_path / CACHE_FILE) as connection:
        connection.execute("PRAGMA user_version = 3")
    cache = TranslationCache(tmp_path)
    with caplog.at_level(logging.WARNING, logger="translate"):
        assert cache.find(KEY, ["جملة رقم 1 في النص"]) == {}
        cache.keep(KEY, SIG, record("أ"))
    [warning] = warnings(caplog)
    assert "newer version" in warning and moved_aside(tmp_path) == []
    with pytest.raises(CacheError, match="newer version"):
        cache.stats()


# -- item 9: stats and clear ---------------------------------------------------------------------


def test_stats_and_clear(tmp_path):
    cache = TranslationCache(tmp_path)
    cache.keep(KEY, SIG, record("أ") | record("ب"))
    cache.keep(signature_key("other"), "other", record("أ"))
    stats = cache.stats()
    assert isinstance(stats, CacheStats)
    assert (stats.path, stats.entries, stats.signatures, stats.state) == (
        tmp_path / CACHE_FILE, 3, [(SIG, 2), ("other", 1)], "ok")
    assert stats.bytes > 0
    assert cache.clear() == 3
    assert cache.stats().entries == 0
    cache.keep(KEY, SIG, record("ج"))  # the same object goes on after a clear
    assert cache.find(KEY, ["ج"]) == record("ج")


def test_stats_and_clear_of_a_missing_cache(tmp_path):
    cache = TranslationCache(tmp_path / "none")
    assert cache.stats() == CacheStats(tmp_path / "none" / CACHE_FILE, 0, 0, [], "missing")
    assert cache.clear() == 0
    report = clear_cache(tmp_path / "none", models=True)
    assert report.summary() == f"nothing to remove in {tmp_path / 'none'}"
    assert not (tmp_path / "none").exists()


def test_stats_and_clear_of_a_damaged_cache(tmp_path):
    populate(tmp_path, 3000)
    damage_middle_pages(tmp_path / CACHE_FILE)
    cache = TranslationCache(tmp_path)
    for action in (cache.stats, cache.clear):
        with pytest.raises(CacheError) as raised:
            action()
        message = str(raised.value)
        assert "is damaged" in message and "translate cache clear" in message and "\n" not in message
    report = clear_cache(tmp_path)
    assert (report.translations, report.damaged_files) == (0, 1) and report.bytes_freed > 0
    assert report.summary().startswith(f"removed 1 damaged cache file from {tmp_path} (")
    assert not (tmp_path / CACHE_FILE).exists()
    assert cache.stats().state == "missing"


def test_clear_cache_removes_translations_damaged_leftovers_and_models_when_asked(tmp_path):
    populate(tmp_path, 3000)
    damage_middle_pages(tmp_path / CACHE_FILE)
    TranslationCache(tmp_path).find(KEY, ["أ"])  # moves the damaged file aside
    TranslationCache(tmp_path).keep(KEY, SIG, record("أ") | record("ب"))
    models = tmp_path / config.MODELS_DIR
    for name in ("opus-mt-ar-en@abc-ctranslate2-4.6.0-int8", "opus-mt-ar-en@abc-ctranslate2-4.6.0-float32"):
        (models / name).mkdir(parents=True)
        (models / name / "model.bin").write_bytes(b"\0" * 100_000)

    kept = clear_cache(tmp_path)
    assert (kept.translations, kept.damaged_files, kept.models, kept.models_kept) == (2, 1, 0, 2)
    assert kept.summary().startswith(f"removed 2 cached translations and 1 damaged cache file from {tmp_path} (")
    assert kept.summary().endswith("; kept 2 converted models (--models removes them)")
    assert moved_aside(tmp_path) == [] and len(list(models.iterdir())) == 2

    removed = clear_cache(tmp_path, models=True)
    assert (removed.translations, removed.models, removed.models_kept) == (0, 2, 0)
    assert removed.bytes_freed >= 200_000
    assert removed.summary() == f"removed 2 converted models from {tmp_path} (0.2 MB freed)"
    assert list(models.iterdir()) == []


def test_cache_error_is_a_translate_error():
    assert issubclass(CacheError, TranslateError)


def test_models_folder_is_where_the_engine_puts_converted_models():
    from translate.engines import conversion as ct2_convert

    assert config.MODELS_DIR == ct2_convert.MODELS_DIR


# -- several processes ----------------------------------------------------------------------------


def _writer(folder: str, worker: int, count: int) -> None:
    cache = TranslationCache(folder)
    for start in range(0, count, 25):
        # Overlapping keys across workers, written in small batches to interleave.
        records = {f"جملة {i}": Translation(f"sentence {i}", -0.1) for i in range(start, start + 25)}
        records |= {f"عامل {worker} {i}": Translation(f"worker {worker} {i}") for i in range(start, start + 25)}
        cache.keep(KEY, SIG, records)
    raise SystemExit(1 if cache.disabled_reason else 0)


def test_concurrent_writer_processes_keep_the_file_sound(tmp_path):
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_writer, args=(str(tmp_path), w, 400)) for w in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
    assert [w.exitcode for w in workers] == [0] * 4
    with sqlite3.connect(tmp_path / CACHE_FILE) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        total = connection.execute("SELECT count(*) FROM translations").fetchone()[0]
    assert total == 400 + 4 * 400


def _first_writer(folder: str, start) -> None:
    start.wait(60)  # all six open the file at once
    cache = TranslationCache(folder)
    cache.keep(KEY, SIG, record("أ"))
    raise SystemExit(1 if cache.disabled_reason else 0)


@pytest.mark.parametrize("existing", [None, "version 1"])
@pytest.mark.parametrize("trial", range(3))
def test_processes_creating_or_migrating_the_cache_together_all_keep_it(tmp_path, trial, existing):
    # Regression: switching a new file to WAL failed with "database is locked" in
    # all but one of several processes that started at once.
    if existing:
        write_version_1(tmp_path, 100)
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(6)
    workers = [context.Process(target=_first_writer, args=(str(tmp_path), start)) for _ in range(6)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    assert [w.exitcode for w in workers] == [0] * 6
    assert TranslationCache(tmp_path).stats().entries == (101 if existing else 1)


def test_the_deprecated_get_many_and_put_many_still_work(tmp_path):
    """0.2's record-based calls keep working (with a DeprecationWarning) for old scripts."""
    from translate.store.cache import CachedTranslation

    cache = TranslationCache(tmp_path)
    with pytest.warns(DeprecationWarning, match="put_many"):
        cache.put_many(KEY, SIG, [CachedTranslation("أ", "a", -0.5, ("length",), ((0, 0),))])
    with pytest.warns(DeprecationWarning, match="get_many"):
        assert cache.get_many(KEY, ["أ", "ب"]) == {"أ": CachedTranslation("أ", "a", -0.5, ("length",), ((0, 0),))}
    assert cache.find(KEY, ["أ"]) == record("أ", "a", score=-0.5, flags=("length",), alignment=((0, 0),))
