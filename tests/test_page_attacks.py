"""The page under attack, served for real: while one client's upload is a bomb or its
address a server that never finishes its headers, another client's normal upload is
answered at once; the attack gets one clear message, on time, and the server's own
memory does not grow."""
from __future__ import annotations

import http.server
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import wait_until
from gradio_client import Client, handle_file
from gradio_client.exceptions import AppError
from gradio_client.utils import Status
from hostile_documents import docx_bomb, pdf_page_tree_bomb
from sample_documents import SEED_LINES

from translate import Translator

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads the server's memory in /proc")


@pytest.fixture(scope="module")
def page(tiny_model, tmp_path_factory, live_reader) -> str:
    translator = Translator.from_options(str(tiny_model), cache_dir=str(tmp_path_factory.mktemp("cache")),
                                         engine="transformers", beams=1)
    return live_reader(translator, allow_private_urls=True)[1]


@pytest.fixture
def normal_upload(tmp_path) -> Path:
    path = tmp_path / "news.ar.txt"
    path.write_text("\n".join(SEED_LINES[:3]), encoding="utf-8")
    return path


def started(page: str, value, api_name: str):
    """The attack, submitted, once the server is working on it (not merely queued)."""
    job = Client(page, verbose=False).submit(value, api_name=api_name)
    wait_until(lambda: job.status().code in (Status.PROCESSING, Status.FINISHED), 60,
               lambda: f"the attack never started: {job.status()}")
    return job


def answered_while(job, page: str, normal_upload: Path) -> float:
    """Seconds a second client waits for its normal upload while ``job`` runs; it must
    be answered before the attack is."""
    began = time.monotonic()
    text = Client(page, verbose=False).predict(handle_file(str(normal_upload)), api_name="/load_file")
    waited = time.monotonic() - began
    assert text == normal_upload.read_text(encoding="utf-8")
    assert not job.done(), "the attack was over before the second client was answered"
    return waited


def test_a_second_user_is_answered_while_a_pdf_bomb_is_read(page, tmp_path, normal_upload, monkeypatch):
    monkeypatch.setenv("TRANSLATE_READ_TIMEOUT_S", "10")
    bomb = tmp_path / "tree.pdf"
    bomb.write_bytes(pdf_page_tree_bomb((30, 30, 100), text=False))  # 90,000 empty pages in a kilobyte
    began = time.monotonic()
    job = started(page, handle_file(str(bomb)), "/load_file")
    waited = answered_while(job, page, normal_upload)
    with pytest.raises(AppError, match=r"tree\.pdf: this PDF is too complex to read here: reading it takes more "
                                       r"than 10 s"):
        job.result(timeout=120)
    attack = time.monotonic() - began
    assert waited < attack / 3, (waited, attack)


class _SlowHeaders(http.server.BaseHTTPRequestHandler):
    """Headers a byte every 10 ms for a minute and more: every read of the fetcher's is answered in time."""

    sent_all = threading.Event()
    stop = threading.Event()

    def do_GET(self):  # noqa: N802 (the name http.server expects)
        head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Padding: " + b"x" * 6000 + b"\r\n\r\n"
        try:
            for byte in head:
                if self.stop.wait(0.01):
                    return
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
            self.sent_all.set()
        except OSError:  # the fetcher gave up
            pass
        self.close_connection = True

    def log_message(self, *args):
        pass


@pytest.fixture
def slow_site():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _SlowHeaders)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/news"
    _SlowHeaders.stop.set()
    server.shutdown()
    server.server_close()


def test_a_second_user_is_answered_while_addresses_trickle_their_headers(page, slow_site, news_site,
                                                                         normal_upload, monkeypatch):
    """Four such addresses at once once held every fetch of the page for minutes; now
    each ends at the fetch's deadline (the default, 20 s), and others are fetched meanwhile."""
    monkeypatch.delenv("TRANSLATE_FETCH_TIMEOUT_S", raising=False)
    began = time.monotonic()
    jobs = [started(page, slow_site, "/load_url") for _ in range(4)]
    waited = answered_while(jobs[-1], page, normal_upload)
    fetched = time.monotonic()
    text = Client(page, verbose=False).predict(f"{news_site}/news/aleppo-offensive", api_name="/load_url")
    fetched = time.monotonic() - fetched
    assert text and not any(job.done() for job in jobs), "the attacks were over before the second user's fetch"
    for job in jobs:
        with pytest.raises(AppError, match=r"no complete answer within 20 s"):
            job.result(timeout=120)
    attack = time.monotonic() - began
    assert not _SlowHeaders.sent_all.is_set()  # cut off by the deadline, not by the end of the headers
    assert waited < attack / 3 and fetched < attack / 3, (waited, fetched, attack)


def resident_mb() -> float:
    status = Path("/proc/self/status").read_text()
    return int(status.split("VmRSS:")[1].split()[0]) / 1024


def test_a_zip_bomb_never_reaches_the_servers_memory(page, tmp_path, normal_upload):
    client = Client(page, verbose=False)
    client.predict(handle_file(str(normal_upload)), api_name="/load_file")  # warmed up: the reader is running
    bomb = tmp_path / "bomb.docx"
    bomb.write_bytes(docx_bomb(50_000_000))  # 50 MB of paragraphs in a few hundred kilobytes
    before = resident_mb()
    with pytest.raises(AppError) as refused:
        client.predict(handle_file(str(bomb)), api_name="/load_file")
    assert resident_mb() - before < 0.5 * 50
    assert "bomb.docx: this Word document is too complex to read here" in str(refused.value)
