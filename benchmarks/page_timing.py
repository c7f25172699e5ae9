"""The reader's two waits a reader feels, this checkout against another revision, in
one run: **click → first English** (Translate pressed on the seed article, nothing
cached, the model loaded) and **reopen from Recent** (after a reload, a click on the
seed in Recent → its first English, from the cache).

Both pages are served the way a user serves them (``python app.py --model … --cache-dir
…``), each from its own copy of the code (the other revision is unpacked with ``git
archive``), on the tiny random model this checkout builds (a full-size model would take
longer, the same for both; these figures are for comparing the two pages, not for speed
claims). Headless Chromium at 1366×768 drives both, in turns, round after round; a
MutationObserver in the page notes when the first English sentence appears, from the
click. Before each "first English" round the cache's translations are cleared (the
converted model stays), so the model translates.

Usage (from the repository root)::

    python benchmarks/page_timing.py                       # against the revision this branch started from
    python benchmarks/page_timing.py --against main --rounds 7 --json out.json
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "aleppo-offensive.ar.txt"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"]

# Notes, from the click, when the first English sentence of the view is there, and when all are.
OBSERVE = """(click) => {
    window.bench = {first: null, last: null};
    const done = () => document.querySelectorAll('#reader .en .s[data-idx]:not(.pending)').length;
    const total = () => document.querySelectorAll('#reader .en .s[data-idx]').length;
    new MutationObserver(() => {
        const n = done();
        if (n && window.bench.first === null) window.bench.first = performance.now();
        if (n && n === total() && window.bench.last === null) window.bench.last = performance.now();
    }).observe(document.querySelector('#reader'), {childList: true, subtree: true});
    window.bench.click = performance.now();
    document.querySelector(click).click();
}"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def unpack(revision: str, into: Path) -> Path:
    """The code of ``revision``, as ``git archive`` gives it."""
    into.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", revision], cwd=ROOT, capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


class Page:
    """``python app.py`` of one checkout, on the tiny model, with a cache of its own."""

    def __init__(self, label: str, code: Path, model: Path, work: Path):
        self.label, self.code = label, code
        self.cache = work / f"cache-{label}"
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.env = {**os.environ, "PYTHONPATH": str(code), "OMP_NUM_THREADS": "1", "TRANSLATE_CACHE_DIR": str(self.cache)}
        self.process = subprocess.Popen([sys.executable, "app.py", "--model", str(model), "--port", str(self.port),
                                         "--samples", str(work / "no-samples")], cwd=code, env=self.env,
                                        stderr=subprocess.PIPE, text=True, start_new_session=True)

    def wait(self) -> None:
        import httpx

        deadline = time.monotonic() + 300
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.label}: the page did not start: {self.process.stderr.read()[-2000:]}")
            try:
                if httpx.get(self.url, timeout=5).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"{self.label}: not up in 300 s")
            time.sleep(0.2)

    def load_model(self) -> None:
        from gradio_client import Client

        Client(self.url, verbose=False).predict("وقالت الوزارة إن الحفاظ على الهدوء أولوية.", api_name="/translate")

    def clear_cache(self) -> None:
        subprocess.run([sys.executable, "-m", "translate", "cache", "clear", "--cache-dir", str(self.cache)],
                       cwd=ROOT, env={**self.env, "PYTHONPATH": str(ROOT)}, capture_output=True, check=True)

    def stop(self) -> None:
        os.killpg(self.process.pid, 15)
        self.process.wait(timeout=60)


def measure(browser, page: Page, text: str) -> tuple[float, float, float, float]:
    """(click → first English, click → all English) for Translate, then for a reopen from Recent."""
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="en-US")
    tab = context.new_page()
    try:
        tab.goto(page.url)
        tab.wait_for_function("() => window.translateReader && window.translateReader.ready()", timeout=120_000)
        tab.locator("#source textarea").fill(text)
        tab.evaluate(OBSERVE, "#translate")
        tab.wait_for_function("() => window.bench.last !== null", timeout=600_000)
        translated = tab.evaluate("() => [window.bench.first - window.bench.click, window.bench.last - window.bench.click]")
        tab.wait_for_function("() => document.querySelector('#status .reader-status.done')", timeout=600_000)
        tab.reload()
        tab.wait_for_function("() => window.translateReader && window.translateReader.ready()", timeout=120_000)
        tab.locator("#recent .recent-open").first.wait_for(timeout=60_000)
        tab.evaluate(OBSERVE, "#recent .recent-open")
        tab.wait_for_function("() => window.bench.last !== null", timeout=600_000)
        reopened = tab.evaluate("() => [window.bench.first - window.bench.click, window.bench.last - window.bench.click]")
    finally:
        context.close()
    return tuple(round(ms / 1000, 3) for ms in (*translated, *reopened))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--against", default=None,
                        help="the other revision (default: where this branch left main: git merge-base HEAD main)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--json", metavar="PATH")
    args = parser.parse_args(argv)
    against = args.against or subprocess.run(["git", "merge-base", "HEAD", "main"], cwd=ROOT, capture_output=True,
                                             text=True, check=True).stdout.strip()
    sys.path.insert(0, str(ROOT))
    from playwright.sync_api import sync_playwright

    from translate.testing import build_random_marian, seed_corpus

    work = Path(tempfile.mkdtemp(prefix="page-timing-"))
    (work / "no-samples").mkdir()
    model = build_random_marian(work / "tiny", seed_corpus(ROOT / "seeds"))
    pages = [Page("this checkout", ROOT, model, work), Page(f"{against[:12]}", unpack(against, work / "other"), model, work)]
    text = SEED.read_text(encoding="utf-8")
    runs: dict[str, list] = {page.label: [] for page in pages}
    try:
        for page in pages:
            page.wait()
            page.load_model()  # "the model loaded": converted and in memory before the first round
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium",
                                                 args=CHROMIUM_FLAGS)
            for round_ in range(args.rounds + 1):  # the first round warms the browser and both pages up
                for page in pages if round_ % 2 else reversed(pages):  # in turns, neither always first
                    page.clear_cache()
                    figures = measure(browser, page, text)
                    if round_:
                        runs[page.label].append(figures)
            browser.close()
    finally:
        for page in pages:
            page.stop()
        shutil.rmtree(work, ignore_errors=True)
    names = ("click → first English (s)", "click → all English (s)", "reopen → first English (s)",
             "reopen → all English (s)")
    results = {"machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
                          f"load {os.getloadavg()[0]:.1f}", "model": "tiny random MarianMT (CTranslate2, beam 4)",
               "text": "seeds/aleppo-offensive.ar.txt (22 sentences)", "rounds": args.rounds, "pages": {}}
    for label, figures in runs.items():
        results["pages"][label] = {name: statistics.median(f[k] for f in figures) for k, name in enumerate(names)}
        results["pages"][label]["runs"] = figures
    print(json.dumps(results, indent=2, ensure_ascii=False))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
