"""Shared fixtures: a tiny real MarianMT model, and state kept out of the user's folders."""
from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED_ARTICLE = SEEDS / "aleppo-offensive.ar.txt"

# Before anything imports huggingface_hub (it reads these once): a private, empty
# hub cache, and no network — tests must never touch the user's model cache.
os.environ["HF_HUB_CACHE"] = tempfile.mkdtemp(prefix="translate-test-hub-")
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
# The tiny model gains nothing from threads, and torch's spinning OpenMP threads
# slow it down a hundredfold when other processes share the cores.
os.environ.setdefault("OMP_NUM_THREADS", "1")

# After the settings; tests import these from here.
from translate.testing import free_port, install_in_hub_cache  # noqa: E402,F401

#: The slow tests, marked in this one place: real browsers, a real Ray, many processes,
#: the README's commands, the plain install, big inputs. `pytest -m "not slow"` is the
#: fast loop to run while working; CI runs every test.
SLOW_MODULES = {
    "test_browser.py", "test_browser_memory.py", "test_cluster.py", "test_crash.py", "test_dependencies.py",
    "test_documents_cli.py", "test_libretranslate.py", "test_page_documents.py", "test_page_load.py",
    "test_page_memory.py",
    "test_page_attacks.py", "test_page_layout.py", "test_page_stream.py", "test_readme.py", "test_sandbox.py",
    # Each starts real servers or a command-line process for most of its tests.
    "test_page_team.py", "test_page_library.py", "test_page_inputs.py", "test_layers.py", "test_spans_round_trip.py",
    "test_webapp.py",
}
SLOW_TESTS = {
    "test_alignment.py::test_retried_and_split_sentences_keep_links_that_fit_their_text",
    "test_alignment.py::test_source_pieces_keep_their_places_in_the_text",
    "test_alternatives.py::test_a_completion_starts_with_the_exact_beginning",
    "test_alternatives.py::test_word_alternatives_are_distinct_whole_words_that_complete",
    "test_cache.py::test_concurrent_writer_processes_keep_the_file_sound",
    "test_cache.py::test_processes_creating_or_migrating_the_cache_together_all_keep_it",
    "test_cli.py::test_batch_translates_a_folder_then_serves_it_from_cache",
    "test_cli.py::test_cache_stats_and_clear",
    "test_cli.py::test_jsonl_has_one_object_per_sentence",
    "test_cli.py::test_rerun_skips_what_is_up_to_date_and_redoes_what_changed",
    "test_cli.py::test_subprocess_faces",
    "test_ct2_engine.py::test_auto_engine_is_ctranslate2_int8_and_in_the_signature",
    "test_ct2_engine.py::test_greedy_output_equals_transformers",
    "test_ct2_engine.py::test_pipeline_fills_batches_across_length_buckets",
    "test_fetch.py::test_a_served_article_reads_like_the_saved_page",
    "test_fetch.py::test_bad_answers_get_one_clear_message",
    "test_glossary.py::test_cli_glossary_end_to_end",
    "test_glossary.py::test_the_tiny_model_translation_has_every_term_rendered_or_flagged",
    "test_library.py::test_the_cli_records_a_folder_and_a_dataset_and_searches_shows_and_removes",
    "test_memory.py::test_an_import_killed_mid_way_adds_nothing_and_leaves_the_memory_usable",
    "test_page_inputs.py::test_api_refuses_what_is_not_text_in_words",
    "test_page_properties.py::test_any_text_gives_one_translation_per_sentence_or_a_clear_error",
    "test_pipeline.py::test_batched_output_equals_one_sentence_at_a_time",
    "test_pipeline.py::test_document_keeps_every_sentence_in_order",
    "test_pipeline.py::test_limits_come_from_the_model",
    "test_pipeline.py::test_long_sentence_is_cut_at_clause_marks_not_truncated",
    "test_pipeline.py::test_second_run_is_fully_cached_and_loads_no_model",
    "test_web_service.py::test_every_document_is_named_the_same_way_in_both_languages",
    "test_webapp.py::test_cached_sentences_come_first_then_the_rest",
    "test_webapp.py::test_text_in_aligned_pairs_out",
    "test_writers.py::test_docx_from_other_inputs_is_built_from_the_block_kinds",
    "test_writers.py::test_epub_from_other_inputs",
    "test_writers.py::test_page_is_the_english_document_in_order",
    "test_readers.py::test_a_page_in_windows_1256_is_decoded_from_its_meta_charset",
    "test_alignment.py::test_every_link_points_inside_both_sentences",  # converts the model for CTranslate2
    "test_bad_inputs.py::test_cli",  # a command-line process per case; the library's cases stay fast
    "test_writers.py::test_epub_rebuilt_from_the_original_in_english",
    "test_readers.py::test_saved_news_page_gives_the_article_and_nothing_else",
    "test_writers.py::test_docx_keeps_the_original_styles_and_turns_left_to_right",
    "test_writers.py::test_docx_from_the_wrong_original_is_refused",
    "test_writers.py::test_srt_keeps_every_cue_and_timing_and_shares_split_sentences",
    "test_writers.py::test_srt_only_for_subtitle_inputs",
}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.path.name in SLOW_MODULES or f"{item.path.name}::{item.originalname}" in SLOW_TESTS:
            item.add_marker(pytest.mark.slow)


@pytest.fixture(autouse=True)
def _private_cache(tmp_path, monkeypatch):
    """Every test gets its own translation cache folder."""
    monkeypatch.setenv("TRANSLATE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("TRANSLATE_MODEL", raising=False)


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory) -> Path:
    """A tiny MarianMT model: random weights, SentencePiece vocabulary trained on seeds/."""
    from translate.testing import build_random_marian, seed_corpus

    return build_random_marian(tmp_path_factory.mktemp("tiny-marian"), seed_corpus(SEEDS))


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED_ARTICLE.read_text(encoding="utf-8")


@pytest.fixture
def translator(tiny_model, tmp_path):
    """A Translator on the tiny model with transformers (the reference engine)."""
    from translate import Translator

    return Translator.from_options(str(tiny_model), cache_dir=str(tmp_path / "cache"), engine="transformers",
                      device="cpu")


@pytest.fixture(scope="session")
def tiny_converted(tiny_model, tmp_path_factory) -> Path:
    """The tiny model converted for CTranslate2 (int8, CPU) once: a cache folder
    holding only ``models/``. Copy it with :func:`cache_with_converted_model` so
    processes started by a test load CTranslate2 without importing torch."""
    pytest.importorskip("ctranslate2")
    from translate import Translator

    folder = tmp_path_factory.mktemp("converted")
    Translator.from_options(str(tiny_model), engine="ctranslate2", device="cpu", cache_dir=str(folder),
                            use_cache=False).translate("قصف روسي على حلب")
    return folder


def cache_with_converted_model(converted: Path, cache: Path) -> Path:
    """A new cache folder ``cache`` that already holds the converted tiny model."""
    import shutil

    shutil.copytree(converted / "models", cache / "models")
    return cache


@pytest.fixture(scope="module")
def live_reader():
    """The reader, served for real on a free localhost port.

    ``live_reader(translator, **serve_options)`` returns ``(app, url)``; every
    server it started closes when the module's tests are done (or earlier, by
    ``app.close()``).
    """
    from translate.web.serve import serve

    started = []

    def start(translator, **options):
        app, url = serve(translator, port=free_port(), prevent_thread_lock=True, quiet=True, **options)
        started.append(app)
        return app, url

    yield start
    for app in started:
        app.close()


@contextlib.contextmanager
def serving(pages: dict[str, bytes]):
    """A web server on 127.0.0.1 answering each path of ``pages`` with its HTML (any other
    path: 404), while the ``with`` lasts; gives its base URL."""
    import http.server
    import threading

    class Pages(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (the name http.server expects)
            body = pages.get(self.path)
            self.send_response(200 if body is not None else 404)
            body = b"not here" if body is None else body
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Pages)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


@pytest.fixture(scope="session")
def news_site():
    """A web server on 127.0.0.1 with one article (``/news/aleppo-offensive``), as a
    news site sends it, boilerplate and all; any other path is a 404. Yields its base URL."""
    from sample_documents import saved_page

    with serving({"/news/aleppo-offensive": saved_page("news-portal.ar.html")}) as url:
        yield url


def program_or_skip(names: tuple[str, ...], what: str, install: str, purpose: str) -> str:
    """The first of ``names`` on the PATH. Missing, the tests that need it are skipped
    with the reason, so ``pytest`` runs the rest on a machine without it; under CI
    (``CI=true``, which .ci/run sets after installing it) it fails the run instead: a
    silently skipped test would let a broken page through."""
    import shutil

    path = next((found for found in map(shutil.which, names) if found), None)
    if path is None:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"{what} is not installed, and CI must {purpose}: {install}", pytrace=False)
        pytest.skip(f"{what} is not installed ({purpose}): {install}")
    return path


def wait_until(condition, timeout: float = 120.0, message="condition not met in time") -> None:
    """Poll ``condition`` until it holds; fail after ``timeout`` seconds with
    ``message`` (or what ``message()`` returns). The one polling loop of the tests:
    files, logs and ports give no event to wait on."""
    import time

    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, message() if callable(message) else message
        time.sleep(0.05)
