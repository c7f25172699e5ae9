"""Bounded reading: every document read in a worker process with a deadline and a
memory ceiling, as the page reads uploads. A normal document reads as in-process;
one that takes too long or too much memory is one clear message, its worker is
killed or replaced, and the memory it took never reaches the caller."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from conftest import wait_until
from hostile_documents import docx_bomb, pdf_page_tree_bomb
from sample_documents import SEED_LINES, blocks_of, make_docx, make_epub, make_pdf, make_srt, saved_page

from translate import InputError, sandbox
from translate.readers import read_document

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads processes and memory in /proc")

DOCUMENTS = {
    "txt": lambda: ("\n".join(SEED_LINES).encode("utf-8"), "news.txt"),
    "html": lambda: (saved_page("news-araby.ar.html"), "news.html"),
    "docx": lambda: (make_docx()[0], "report.docx"),
    "pdf": lambda: (make_pdf()[0], "report.pdf"),
    "srt": lambda: (make_srt()[0], "film.srt"),
    "epub": lambda: (make_epub()[0], "book.epub"),
}


def reader_processes() -> list[int]:
    """This process's bounded-reading workers that are alive (zombies included: a worker
    killed but never reaped would show here)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
            command = Path(f"/proc/{entry}/cmdline").read_bytes()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == os.getpid() and b"translate.sandbox" in command:
            found.append(int(entry))
    return found


def resident_mb() -> float:
    status = Path("/proc/self/status").read_text()
    return int(status.split("VmRSS:")[1].split()[0]) / 1024


@pytest.fixture
def fresh_pool():
    """No idle worker before the test: every worker it sees, it started."""
    sandbox.shared_pool().close()
    assert reader_processes() == []
    yield sandbox.shared_pool()
    sandbox.shared_pool().close()


@pytest.mark.parametrize("fmt", sorted(DOCUMENTS))
def test_a_normal_document_reads_the_same_in_a_worker(fmt):
    data, name = DOCUMENTS[fmt]()
    alone = read_document(data, name, bounded=True)
    assert alone == read_document(data, name) and blocks_of(alone) == blocks_of(read_document(data, name))
    assert [p.meta for p in alone.paragraphs] == [p.meta for p in read_document(data, name).paragraphs]


def test_the_readers_own_errors_come_back_as_they_are():
    with pytest.raises(InputError, match=r"^report\.pdf: a damaged PDF") as raised:
        read_document(make_pdf()[0][:3000], "report.pdf", bounded=True)
    assert raised.value.reason is None
    with pytest.raises(InputError, match=r"more than 100 characters") as raised:
        read_document(make_docx()[0], "report.docx", bounded=True, max_chars=100)
    assert (raised.value.reason, raised.value.details) == ("too-long", {"limit": 100})


def test_a_reading_past_its_deadline_is_refused_and_its_worker_killed(fresh_pool, monkeypatch):
    monkeypatch.setenv("TRANSLATE_READ_TIMEOUT_S", "1")
    # 90,000 empty pages from a kilobyte: no text to stop a budget, a minute of reading.
    bomb = pdf_page_tree_bomb((30, 30, 100), text=False)
    with pytest.raises(InputError, match=r"^tree\.pdf: this PDF is too complex to read here: reading it takes "
                                         r"more than 1 s"):
        read_document(bomb, "tree.pdf", bounded=True, max_chars=100_000)
    assert reader_processes() == []  # killed and reaped, not left reading
    assert blocks_of(read_document(*DOCUMENTS["docx"](), bounded=True)) == make_docx()[1]  # a new one reads


def test_a_reading_past_its_memory_is_refused_and_the_memory_never_reaches_the_caller(fresh_pool, monkeypatch):
    monkeypatch.setenv("TRANSLATE_READ_MEMORY_MB", "300")
    bomb = docx_bomb(15_000_000, text=False)  # all markup, no text: under the budget, a big tree
    before = resident_mb()
    with pytest.raises(InputError, match=r"^bomb\.docx: this Word document is too complex to read here: reading "
                                         r"it takes more than 300 MB of memory"):
        read_document(bomb, "bomb.docx", bounded=True, max_chars=100_000)
    assert resident_mb() - before < 0.1 * 300
    assert reader_processes() == []  # replaced: the next reading gets a fresh worker
    assert blocks_of(read_document(*DOCUMENTS["pdf"](), bounded=True)) == make_pdf()[1]


def test_a_worker_that_grew_is_replaced_so_its_memory_comes_back(fresh_pool):
    bomb = docx_bomb(15_000_000, text=False)  # within the ceiling, but the worker grows past a few hundred MB
    with pytest.raises(InputError, match="has no text in its body"):
        read_document(bomb, "bomb.docx", bounded=True, max_chars=100_000)
    assert reader_processes() == [] and fresh_pool.workers() == []
    read_document(*DOCUMENTS["txt"](), bounded=True)
    assert len(fresh_pool.workers()) == 1  # a normal reading keeps its worker for the next


def test_a_worker_killed_while_reading_is_one_message(fresh_pool):
    read_document(*DOCUMENTS["txt"](), bounded=True)
    [worker] = fresh_pool.workers()
    outcome = []

    def read() -> None:
        try:
            read_document(pdf_page_tree_bomb((30, 30, 100), text=False), "tree.pdf", bounded=True)
        except InputError as error:
            outcome.append(str(error))

    reading = threading.Thread(target=read)
    reading.start()
    wait_until(lambda: fresh_pool.workers() == [], 60)  # the worker has the call
    os.kill(worker, signal.SIGKILL)  # as the kernel's out-of-memory killer would
    reading.join(60)
    assert outcome and "reading it stopped the process that was reading it" in outcome[0]
    assert reader_processes() == []


def test_a_worker_whose_caller_is_gone_ends_with_its_deadline(tmp_path):
    """The caller kills a worker at the deadline; a worker whose caller died (kill -9)
    ends by itself a few seconds later, rather than reading on for an hour."""
    script = tmp_path / "caller.py"
    script.write_text(f"""
import os, sys
sys.path[:0] = [{str(Path(__file__).parent)!r}, {str(Path(__file__).parent.parent)!r}]
from hostile_documents import pdf_page_tree_bomb
from translate import sandbox
from translate.readers import pdf
pool = sandbox.WorkerPool(1)
worker = pool._take()
print(worker.pid, flush=True)
pool._idle.append(worker)
pool.call(pdf.read, pdf_page_tree_bomb((30, 30, 100), text=False), "tree.pdf", seconds=2, memory_bytes=None)
""")
    caller = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    worker = int(caller.stdout.readline())
    wait_until(lambda: _cpu_seconds(worker) > 0.5, 60)  # it is reading
    caller.kill()
    caller.wait()
    wait_until(lambda: not _alive(worker), 60, "the orphaned worker read on past its deadline")


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"
