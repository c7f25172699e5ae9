"""Shared fixtures: a tiny real MarianMT model, and state kept out of the user's folders."""
from __future__ import annotations

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

from translate.random_model import install_in_hub_cache  # noqa: E402,F401 (after the settings; tests import it from here)


@pytest.fixture(autouse=True)
def _private_cache(tmp_path, monkeypatch):
    """Every test gets its own translation cache folder."""
    monkeypatch.setenv("TRANSLATE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("TRANSLATE_MODEL", raising=False)


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory) -> Path:
    """A tiny MarianMT model: random weights, SentencePiece vocabulary trained on seeds/."""
    from translate.random_model import build_random_marian, seed_corpus

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


def free_port() -> int:
    """A TCP port free on localhost right now."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


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


@pytest.fixture(scope="session")
def news_site():
    """A web server on 127.0.0.1 with one article (``/news/aleppo-offensive``), as a
    news site sends it, boilerplate and all; any other path is a 404. Yields its base URL."""
    import http.server
    import threading

    from sample_documents import saved_page

    class Pages(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (the name http.server expects)
            found = self.path == "/news/aleppo-offensive"
            body = saved_page("news-portal.ar.html") if found else b"not here"
            self.send_response(200 if found else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Pages)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


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
