"""Uploads and addresses made to exhaust the page, against the page as it was and as it is.

For each attack the page is started afresh in a process of its own (the tiny random
model; nothing here translates), the attack is sent with ``gradio_client`` as a
script would send it, and once the server is working on it a second client sends a
normal request. Measured:

* **server peak / after**: the page's own resident memory at its highest (its ``VmHWM``;
  the server is new, and has read one normal upload before) and once the attack is over;
* **workers peak**: the highest total of its reading workers' memory (the page as it
  is reads uploads in worker processes; the page as it was has none);
* **attack**: seconds until the attacker had an answer, and what it was;
* **second user**: seconds a second client waited for its normal request to the same
  endpoint (a three-line text upload, or an article's address), sent once the server
  is working on the attack; and what the same request takes with nothing else going on.

An attack still running after ``--cap`` seconds, or a server above ``--max-rss-gb``,
is stopped (the server is killed) and shown as ``>`` that figure: the page as it was
would otherwise take hours, or all the machine's memory.

Then the seed-like documents of ``tests/sample_documents.py`` (docx, pdf, epub) are
read both ways, in-process (the page as it was) and in a warm bounded worker (as it
is): the cost of the worker.

Usage (from the repository root)::

    git archive d0cd098 | tar -x -C /tmp/landed      # the page as it was (any checkout)
    python benchmarks/hostile_uploads.py --before /tmp/landed --json benchmarks/hostile-results.json
    python benchmarks/hostile_uploads.py --only pdf-tree,slow-headers     # some attacks, the page as it is
"""
from __future__ import annotations

import argparse
import http.server
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import hostile_documents as hostile  # noqa: E402
from sample_documents import SEED_LINES, saved_page  # noqa: E402

#: The page, served from the code at argv[1], with the model at argv[2]; prints its address.
SERVE = """
import sys, threading
sys.path.insert(0, sys.argv[1])
from translate import Translator
try:
    from translate.web.serve import serve
except ImportError:  # the revision before the page became translate.web
    from translate.webapp import serve
translator = Translator.from_options(sys.argv[2], cache_dir=sys.argv[3], engine="transformers", beams=1)
app, url = serve(translator, port=int(sys.argv[4]), prevent_thread_lock=True, quiet=True, allow_private_urls=True)
print(url, flush=True)
threading.Event().wait()
"""


class SlowHeaders(http.server.BaseHTTPRequestHandler):
    """``/news``: response headers a byte every ``interval`` seconds (a few minutes of
    them); ``/article``: a news article, at once."""

    interval = 0.5
    stop = threading.Event()

    def do_GET(self):  # noqa: N802
        if self.path == "/article":
            body = saved_page("news-portal.ar.html")
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Padding: " + b"x" * 400 + b"\r\n\r\n"
        try:
            for byte in head:
                if self.stop.wait(self.interval):
                    return
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
        except OSError:
            pass
        self.close_connection = True

    def log_message(self, *args):
        pass


def resident_mb(pid: int, field: str = "VmRSS") -> float:
    """A process's resident memory now (``VmHWM``: its highest yet), in MB."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    return int(status.split(f"{field}:")[1].split()[0]) / 1024 if f"{field}:" in status else 0.0


def children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if int(Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(entry))
            except (OSError, IndexError, ValueError):
                pass
    return found


class Page:
    """The page served from ``root`` in a process of its own, with a memory watch."""

    def __init__(self, root: Path, model: Path, folder: Path, max_rss_mb: float):
        from conftest import free_port

        self.max_rss_mb = max_rss_mb
        self.process = subprocess.Popen(
            [sys.executable, "-c", SERVE, str(root), str(model), str(folder / "cache"), str(free_port())],
            stdout=subprocess.PIPE, stderr=(folder / "server.log").open("w"), text=True, cwd=root,
            env=dict(os.environ, PYTHONPATH=str(root)), start_new_session=True)
        self.url = self.process.stdout.readline().strip()
        if not self.url.startswith("http"):
            raise SystemExit(f"the page did not start: {(folder / 'server.log').read_text()[-2000:]}")
        self.peak = self.workers_peak = 0.0
        self.over = False
        self._watching = threading.Event()

    def watch(self) -> None:
        """Sample the server's and its workers' memory until :meth:`unwatch`; kill it past the limit."""
        self.peak = self.workers_peak = 0.0
        self._watching.set()

        def sample():
            while self._watching.is_set() and self.process.poll() is None:
                mine = resident_mb(self.process.pid)
                self.peak = max(self.peak, mine)
                self.workers_peak = max(self.workers_peak, sum(resident_mb(c) for c in children(self.process.pid)))
                if mine > self.max_rss_mb:
                    self.over = True
                    self.stop()
                time.sleep(0.05)

        self._thread = threading.Thread(target=sample, daemon=True)
        self._thread.start()

    def unwatch(self) -> None:
        self._watching.clear()
        self._thread.join()
        self.peak = max(self.peak, resident_mb(self.process.pid, "VmHWM"))  # a peak between two samples

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)  # the page and its workers, nothing else
        self.process.wait()


def alone(page: Page, normal, api_name: str) -> float:
    """Seconds for the second user's normal request with nothing else going on (after
    one to warm up: imports, and the page as it is starts a reading worker)."""
    from gradio_client import Client

    client = Client(page.url, verbose=False)
    client.predict(normal, api_name=api_name)
    began = time.monotonic()
    client.predict(normal, api_name=api_name)
    return round(time.monotonic() - began, 2)


def attack(page: Page, payloads: list, api_name: str, normal, cap: float) -> dict:
    """Send the attack (several payloads at once), then the second user's normal request
    (an upload, or for an address an article's address) to the same endpoint."""
    from gradio_client import Client
    from gradio_client.utils import Status

    page.watch()
    began = time.monotonic()
    jobs = [Client(page.url, verbose=False).submit(payload, api_name=api_name) for payload in payloads]
    while not all(job.status().code in (Status.PROCESSING, Status.FINISHED) for job in jobs):
        if time.monotonic() - began > cap:
            break
        time.sleep(0.05)
    second = {}

    def second_user():
        started = time.monotonic()
        try:
            Client(page.url, verbose=False).predict(normal, api_name=api_name)
            second["seconds"] = time.monotonic() - started
        except Exception as error:  # noqa: BLE001 (a benchmark reports whatever happened)
            second["error"] = str(error)[:120]

    helper = threading.Thread(target=second_user, daemon=True)
    helper.start()
    outcome, finished = "", None
    for job in jobs:
        try:
            job.result(timeout=max(1.0, cap - (time.monotonic() - began)))
            outcome = "read"
        except TimeoutError:
            outcome = "still running"
        except Exception as error:  # noqa: BLE001
            outcome = str(error)[:150]
        if outcome == "still running" or page.over:
            break
    finished = time.monotonic() - began
    helper.join(max(1.0, cap - finished))
    stopped = outcome == "still running" or page.over
    page.unwatch()
    after = resident_mb(page.process.pid)
    return {"attack_s": round(finished, 1), "stopped": stopped, "outcome": "stopped" if page.over else outcome,
            "server_peak_mb": round(page.peak), "server_after_mb": round(after),
            "workers_peak_mb": round(page.workers_peak),
            "second_user_s": round(second["seconds"], 1) if "seconds" in second else None,
            "second_user_error": second.get("error")}


def attacks(folder: Path, slow_url: str) -> dict:
    """name → (description, payloads, endpoint)."""
    from gradio_client import handle_file

    def file(name: str, data: bytes):
        path = folder / name
        path.write_bytes(data)
        return handle_file(str(path)), len(data)

    docx, docx_size = file("bomb199.docx", hostile.docx_bomb(199_000_000))
    epub, epub_size = file("bomb199.epub", hostile.epub_bomb(199_000_000))
    small = [file(f"bomb40-{n}.docx", hostile.docx_bomb(40_000_000)) for n in range(3)]
    shared, shared_size = file("shared.pdf", hostile.pdf_shared_stream_bomb(5_000, 70_000_000))
    tree, tree_size = file("tree.pdf", hostile.pdf_page_tree_bomb((30, 30, 100)))
    empty, empty_size = file("empty-tree.pdf", hostile.pdf_page_tree_bomb((30, 30, 100), text=False))
    kb = lambda size: f"{size / 1000:,.0f} KB" if size >= 10_000 else f"{size / 1000:.1f} KB"  # noqa: E731
    return {
        "docx-bomb": (f"{kb(docx_size)} .docx, unpacks to 199 MB", [docx], "/load_file"),
        "epub-bomb": (f"{kb(epub_size)} .epub, unpacks to 199 MB", [epub], "/load_file"),
        "three-bombs": (f"three {kb(small[0][1])} .docx at once, 40 MB each", [s[0] for s in small], "/load_file"),
        "pdf-shared-stream": (f"{kb(shared_size)} PDF, 5,000 pages draw one 70 MB stream", [shared], "/load_file"),
        "pdf-tree": (f"{kb(tree_size)} PDF, 90,000 pages (a word each)", [tree], "/load_file"),
        "pdf-empty-tree": (f"{kb(empty_size)} PDF, 90,000 empty pages", [empty], "/load_file"),
        "slow-headers": ("an address whose headers come a byte every 0.5 s", [slow_url], "/load_url"),
        "four-slow-headers": ("four such addresses at once", [slow_url] * 4, "/load_url"),
    }


def reading_cost(sides: list[tuple[str, Path]], repeat: int, rounds: int = 5) -> dict:
    """Median milliseconds to read each seed-like document in-process and in a warm
    bounded worker, per side: ``rounds`` processes per side, the sides taking turns,
    so that the machine's load falls on both alike."""
    samples: dict = {side: {} for side, _ in sides}
    for _ in range(rounds):
        for side, root in sides:
            for key, times in _reading_times(root, repeat).items():
                samples[side].setdefault(key, []).extend(times)
    return {side: {key: round(statistics.median(times) * 1000, 1) for key, times in found.items()}
            for side, found in samples.items()}


def _reading_times(root: Path, repeat: int) -> dict:
    code = f"""
import json, sys, time
sys.path.insert(0, {str(root)!r}); sys.path.insert(0, {str(ROOT / 'tests')!r})
from sample_documents import make_docx, make_epub, make_pdf
from translate.readers import read_document
documents = {{"docx": (make_docx()[0], "report.docx"), "pdf": (make_pdf()[0], "report.pdf"),
             "epub": (make_epub()[0], "book.epub")}}
out = {{}}
for fmt, (data, name) in documents.items():
    for bounded in (False, True):
        options = dict(bounded=True, max_chars=100_000) if bounded else {{}}
        try:
            read_document(data, name, **options)  # warm: imports, and the worker started
        except TypeError:  # the page as it was read in its own process only
            continue
        times = []
        for _ in range({repeat}):
            began = time.perf_counter()
            read_document(data, name, **options)
            times.append(time.perf_counter() - began)
        out[f"{{fmt}} {{'bounded' if bounded else 'in-process'}}"] = times
print(json.dumps(out))
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=root,
                          env=dict(os.environ, PYTHONPATH=str(root)))
    if done.returncode:
        raise SystemExit(done.stderr[-2000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", type=Path, help="a checkout of the page as it was (e.g. the landed main)")
    parser.add_argument("--only", help="attacks to run, by name, comma-separated (reading: the reading cost)")
    parser.add_argument("--cap", type=float, default=150.0, help="seconds an attack may run (default 150)")
    parser.add_argument("--max-rss-gb", type=float, default=6.0, help="stop a server above this (default 6)")
    parser.add_argument("--repeat", type=int, default=20, help="readings per document for the cost (default 20)")
    parser.add_argument("--json", type=Path, help="also write the results here (what --only ran replaces "
                                                  "its part of a file already there)")
    args = parser.parse_args()

    from translate.testing import build_random_marian, seed_corpus

    folder = Path(tempfile.mkdtemp(prefix="hostile-"))
    model = build_random_marian(folder / "model", seed_corpus(ROOT / "seeds"))
    from gradio_client import handle_file

    (folder / "news.ar.txt").write_text("\n".join(SEED_LINES[:3]), encoding="utf-8")
    slow = http.server.ThreadingHTTPServer(("127.0.0.1", 0), SlowHeaders)
    slow.daemon_threads = True
    threading.Thread(target=slow.serve_forever, daemon=True).start()
    site = f"http://127.0.0.1:{slow.server_address[1]}"
    cases = attacks(folder, f"{site}/news")
    normal = {"/load_file": handle_file(str(folder / "news.ar.txt")), "/load_url": f"{site}/article"}
    chosen = args.only.split(",") if args.only else [*cases, "reading"]
    sides = [("before", args.before.resolve())] if args.before else []
    sides.append(("now", ROOT))

    results: dict = {"machine": f"{os.cpu_count()} CPUs", "cap_s": args.cap, "attacks": {}, "reading_ms": {}}
    if args.json and args.json.exists() and args.only:
        results = json.loads(args.json.read_text(encoding="utf-8"))
    for name in (name for name in chosen if name != "reading"):
        description, payloads, endpoint = cases[name]
        results["attacks"][name] = {"what": description}
        for side, root in sides:
            (folder / side).mkdir(exist_ok=True)
            page = Page(root, model, folder / side, args.max_rss_gb * 1024)
            try:
                quiet = alone(page, normal[endpoint], endpoint)
                figures = attack(page, payloads, endpoint, normal[endpoint], args.cap)
                figures["second_user_alone_s"] = quiet
            finally:
                page.stop()
            results["attacks"][name][side] = figures
            print(f"{name:18} {side:6} {json.dumps(figures, ensure_ascii=False)}", flush=True)
    if "reading" in chosen:
        results["reading_ms"] = reading_cost(sides, args.repeat)
        print(f"reading ms {json.dumps(results['reading_ms'])}", flush=True)
    SlowHeaders.stop.set()
    slow.shutdown()
    print_table(results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def print_table(results: dict) -> None:
    def seconds(figures: dict) -> str:
        return f">{figures['attack_s']:.0f} s (stopped)" if figures["stopped"] else f"{figures['attack_s']:.1f} s"

    def wait(figures: dict) -> str:
        if figures["second_user_s"] is None:
            return f"> {figures['attack_s']:.0f} s (no answer)"
        return f"{figures['second_user_s']:.1f} s"

    print("\n| attack | | server peak | server after | workers peak | attack took | second user waited (alone) | answer |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for row in results["attacks"].values():
        for side in ("before", "now"):
            if side in row:
                figures = row[side]
                print(f"| {row['what'] if side == 'before' or 'before' not in row else ''} | {side} | "
                      f"{figures['server_peak_mb']:,} MB | {figures['server_after_mb']:,} MB | "
                      f"{figures['workers_peak_mb']:,} MB | {seconds(figures)} | {wait(figures)} "
                      f"({figures['second_user_alone_s']:.1f} s) | "
                      f"{figures['outcome'][:90]} |")
    print("\n| document | " + " | ".join(f"{side} in-process | {side} bounded" for side in results["reading_ms"]) + " |")
    for fmt in ("docx", "pdf", "epub"):
        cells = []
        for times in results["reading_ms"].values():
            cells += [f"{times.get(f'{fmt} in-process', '–')} ms", f"{times.get(f'{fmt} bounded', '–')} ms"]
        print(f"| {fmt} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
