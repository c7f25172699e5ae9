"""The reader as a reader meets it: times in the browser, bytes on the wire, and
what word alignment costs.

1. **First sentence and whole article, in the browser.** The page is served with
   the full-size twin of opus-mt-ar-en (random weights, real size; see speed.py)
   on CTranslate2 int8, the model already loaded and nothing cached. Headless
   Chromium presses Translate on the seed article (22 sentences, beam 4, every
   output forced to ``--new-tokens`` steps as in speed.py, no quality retries);
   a MutationObserver in the page notes when the first English sentence element
   appears and when the last one does, from the click. Two orders, alternating,
   in the same run: *reading order* (the page's: top first, a small first batch)
   and *length-sorted* (the most efficient order, what the page did before). The
   server's CPU seconds are noted too, and the model's CPU seconds per order are
   measured apart: on a shared machine wall time varies with the neighbours' load,
   CPU time hardly does.
2. **Bytes streamed.** A 100,000-character text through the real HTTP stream,
   as the browser receives it, against the size of the final page rendered as
   HTML (``formats.bilingual_view``), and what re-sending that page at every
   step (the old page) would have cost. Tiny model: bytes do not depend on speed.
3. **Word alignment's cost.** ``engine.translate_batch`` on the seed sentences with
   and without word links (``engine.align``), CTranslate2 and transformers.

Usage (from the repository root)::

    python benchmarks/reader.py                  # everything, about 5 minutes on 2 cores
    python benchmarks/reader.py --repeat 3 --only timing
    python benchmarks/reader.py --json out.json
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import harness
from harness import SEED_ARTICLE, free_port

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]

OBSERVE = """() => {
    window.bench = {shown: null, first: null, last: null};
    const total = () => document.querySelectorAll('#reader .en .s[data-idx]').length;
    new MutationObserver(() => {
        if (window.bench.shown === null && total()) window.bench.shown = performance.now();
        const done = document.querySelectorAll('#reader .en .s[data-idx]:not(.pending)').length;
        if (done && window.bench.first === null) window.bench.first = performance.now();
        if (done && done === total() && window.bench.last === null) window.bench.last = performance.now();
    }).observe(document.querySelector('#reader'), {childList: true, subtree: true});
    window.bench.click = performance.now();
    document.querySelector('#translate').click();
}"""


def twin() -> Path:
    """The full-size twin of opus-mt-ar-en (built once, under benchmarks/.models/)."""
    return harness.twin()[0]


def seed_sentences() -> list[str]:
    from translate import split_sentences

    return split_sentences(SEED_ARTICLE.read_text(encoding="utf-8"))


def forced_translator(model: Path, new_tokens: int, reading_order: bool, cache_dir: str):
    """A page translator on ``model`` whose outputs all take ``new_tokens`` steps."""
    from translate import Translator
    from translate.engines.base import GenerationSettings
    from translate.quality import QualityPolicy

    class LengthSorted(Translator):
        """The order the page used before: the most efficient one, shortest first."""

        def translate_stream(self, text, *, name=None):
            from translate.text.document import segment_document

            document = segment_document(text, name)
            for documents in self.stream_documents([document], reading_order=False):
                yield documents[0]

    base = Translator.from_options(str(model), engine="ctranslate2", device="cpu", use_cache=False,
                                   cache_dir=cache_dir)
    settings = GenerationSettings(beams=4, max_length_ratio=0.0, max_length_slack=new_tokens,
                                  min_new_tokens=new_tokens)
    kind = Translator if reading_order else LengthSorted
    return kind(base.engine, None, settings=settings, quality=QualityPolicy(retry=False))


def browser_timing(repeat: int, new_tokens: int) -> dict:
    from playwright.sync_api import sync_playwright

    from translate.web.serve import serve

    model = twin()
    text = SEED_ARTICLE.read_text(encoding="utf-8")
    cache_dir = tempfile.mkdtemp(prefix="reader-bench-")
    servers, results = {}, {"reading order": [], "length-sorted": []}
    for label in results:
        translator = forced_translator(model, new_tokens, label == "reading order", cache_dir)
        translator.translate("قصف روسي على حلب")  # load (and convert) the model: "with the model loaded"
        servers[label] = serve(translator, port=free_port(), prevent_thread_lock=True, quiet=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        for run in range(repeat + 1):  # the first round warms the browser and the page up
            for label, (_, url) in servers.items():
                page.goto(url)
                page.wait_for_function("() => window.translateReader")
                page.locator("#source textarea").fill(text)
                cpu = time.process_time()  # the server's CPU (it runs in this process), the browser's not
                page.evaluate(OBSERVE)
                page.wait_for_function("() => window.bench.last !== null", timeout=300_000)
                cpu = time.process_time() - cpu
                bench = page.evaluate("() => window.bench")
                if run:
                    results[label].append(((bench["first"] - bench["click"]) / 1000,
                                           (bench["last"] - bench["click"]) / 1000, cpu,
                                           (bench["shown"] - bench["click"]) / 1000))
        browser.close()
    for app, _ in servers.values():
        app.close()
    summary = {}
    for label, runs in results.items():
        first = statistics.median(r[0] for r in runs)
        total = statistics.median(r[1] for r in runs)
        cpu = statistics.median(r[2] for r in runs)
        shown = statistics.median(r[3] for r in runs)
        summary[label] = {"arabic_shown_s": round(shown, 3), "first_sentence_s": round(first, 3),
                          "total_s": round(total, 3), "server_cpu_s": round(cpu, 2),
                          "runs (first, total, cpu)": [[round(a, 3), round(b, 3), round(c, 2)] for a, b, c, _ in runs]}
    reading, sorted_ = summary["reading order"], summary["length-sorted"]
    summary["first/total (reading order)"] = round(reading["first_sentence_s"] / reading["total_s"], 3)
    summary["first/total (length-sorted)"] = round(sorted_["first_sentence_s"] / sorted_["total_s"], 3)
    summary["total, reading order / length-sorted"] = round(reading["total_s"] / sorted_["total_s"], 3)
    summary["server CPU, reading order / length-sorted"] = round(reading["server_cpu_s"] / sorted_["server_cpu_s"], 3)
    return summary


def batch_plans(repeat: int, new_tokens: int) -> dict:
    """The model's CPU seconds for the seed article in each order: CPU time hardly
    moves when other processes share the cores, wall time does."""
    from translate import config
    from translate.engines.base import GenerationSettings

    sentences = seed_sentences()
    translator = forced_translator(twin(), new_tokens, True, tempfile.mkdtemp(prefix="reader-bench-"))
    engine = translator.engine.load()
    settings = GenerationSettings(beams=4, max_length_ratio=0.0, max_length_slack=new_tokens, min_new_tokens=new_tokens)
    size, first = config.DEFAULT_BATCH_SIZE, config.FIRST_BATCH_SIZE
    shortest = sorted(sentences, key=lambda s: len(engine.tokenizer.pieces(s)))
    plans = {
        f"length-sorted {size}": [shortest[i : i + size] for i in range(0, len(shortest), size)],
        f"reading order, first {first}": [sentences[:first]] + [sentences[i : i + size]
                                                                 for i in range(first, len(sentences), size)],
    }
    engine.translate_batch(sentences[:4], settings)  # warm-up
    seconds: dict[str, list[tuple[float, float]]] = {name: [] for name in plans}
    for _ in range(repeat):
        for name, batches in plans.items():
            used = []
            for batch in batches:
                started = time.process_time()
                engine.translate_batch(batch, settings)
                used.append(time.process_time() - started)
            seconds[name].append((used[0], sum(used)))
    out = {}
    for name, runs in seconds.items():
        out[name] = {"batches": [len(b) for b in plans[name]],
                     "first_batch_cpu_s": round(statistics.median(r[0] for r in runs), 2),
                     "total_cpu_s": round(statistics.median(r[1] for r in runs), 2)}
    reading, sorted_ = out[f"reading order, first {first}"], out[f"length-sorted {size}"]
    out["first/total (reading order)"] = round(reading["first_batch_cpu_s"] / reading["total_cpu_s"], 3)
    out["total, reading order / length-sorted"] = round(reading["total_cpu_s"] / sorted_["total_cpu_s"], 3)
    return out


def streamed_bytes(chars: int) -> dict:
    import random
    import re

    import httpx

    from translate import Translator
    from translate.web.serve import serve
    from translate.writers.bilingual import bilingual_view

    folder = Path(tempfile.mkdtemp(prefix="reader-bench-tiny-"))
    tiny = harness.tiny_model(folder)
    words = re.findall(r"[\u0621-\u064A]+", SEED_ARTICLE.read_text(encoding="utf-8"))
    rng, lines = random.Random(1), []
    while sum(len(line) + 1 for line in lines) < chars:
        lines.append(" ".join(" ".join(rng.choices(words, k=rng.randint(5, 14))) + "." for _ in range(3)))
    text = "\n".join(lines)[:chars].rsplit(" ", 1)[0] + "."
    translator = Translator.from_options(str(tiny), engine="ctranslate2", device="cpu", beams=1,
                                         cache_dir=str(folder / "cache"))
    app, url = serve(translator, port=free_port(), prevent_thread_lock=True, quiet=True)
    try:
        config = httpx.get(f"{url}config", timeout=30).json()
        dependency = next(d for d in config["dependencies"] if d.get("api_name") == "translate_page")
        session = uuid.uuid4().hex[:10]
        states = [None] * (len(dependency["inputs"]) - 1)  # the page's session state, kept by the server
        httpx.post(f"{url}gradio_api/queue/join", timeout=30, json={
            "data": [text, *states], "event_data": None, "fn_index": dependency["id"],
            "trigger_id": dependency["targets"][0][0], "session_hash": session}).raise_for_status()
        received, steps = 0, 0
        started = time.perf_counter()
        with httpx.stream("GET", f"{url}gradio_api/queue/data", params={"session_hash": session},
                          timeout=1800) as response:
            for line in response.iter_lines():
                received += len(line.encode("utf-8")) + 1
                steps += '"process_generating"' in line
                if '"process_completed"' in line:
                    break
        seconds = time.perf_counter() - started
    finally:
        app.close()
    rendered = len(bilingual_view(translator.translate(text)).encode("utf-8"))
    # What the old page sent: the whole page again at every step.
    resent = sum(len(bilingual_view(step).encode("utf-8"))
                 for step in Translator.from_options(str(tiny), engine="ctranslate2", device="cpu", beams=1,
                                                     use_cache=False).translate_stream(text))
    return {"characters": len(text), "sentences": len(translator.translate(text).sentences), "steps": steps,
            "bytes_streamed": received, "bytes_rendered": rendered, "ratio": round(received / rendered, 2),
            "bytes_if_the_page_were_resent_each_step": resent, "seconds": round(seconds, 1)}


def alignment_cost(repeat: int) -> dict:
    model, sentences = twin(), seed_sentences()
    return {name: _alignment_cost(model, name, sentences, repeat) for name in ("ctranslate2", "transformers")}


def _alignment_cost(model: Path, engine_name: str, sentences: list[str], repeat: int) -> dict:
    """The seed sentences in batches of 16, without and with word links, best of ``repeat``."""
    from translate import Translator
    from translate.engines.base import GenerationSettings

    settings = GenerationSettings(beams=4, max_length_ratio=0.0, max_length_slack=40, min_new_tokens=40)
    engine = Translator.from_options(str(model), engine=engine_name, device="cpu", use_cache=False,
                                     cache_dir=tempfile.mkdtemp(prefix="reader-bench-")).engine.load()
    batches = [sentences[i : i + 16] for i in range(0, len(sentences), 16)]

    def article():
        for batch in batches:
            engine.translate_batch(batch, settings)

    times = {}
    for align in (False, True, False, True):  # alternate, so load changes hit both
        engine.align = align
        runs = harness.timed_runs(article, repeat, warm_up=article)
        times.setdefault(align, []).extend(run.wall for run in runs)
    plain, aligned = min(times[False]), min(times[True])
    return {"plain_s": round(plain, 3), "with_links_s": round(aligned, 3),
            "overhead": f"{100 * (aligned / plain - 1):+.1f}%"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--new-tokens", type=int, default=40)
    parser.add_argument("--chars", type=int, default=100_000)
    parser.add_argument("--only", choices=["timing", "bytes", "alignment"])
    parser.add_argument("--first-batch", type=int, metavar="N",
                        help="try another first batch size in reading order (default: config.FIRST_BATCH_SIZE)")
    parser.add_argument("--json", metavar="PATH")
    args = parser.parse_args(argv)
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    if args.first_batch:
        from translate import config

        config.FIRST_BATCH_SIZE = args.first_batch
    from translate import config

    results = {"machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
                          f"load {os.getloadavg()[0]:.1f}", "first batch": config.FIRST_BATCH_SIZE}
    if args.only in (None, "timing"):
        results["browser timing (seed article, full-size twin, CTranslate2 int8, beam 4)"] = \
            browser_timing(args.repeat, args.new_tokens)
        results["model CPU time per order (seed article, same settings)"] = batch_plans(args.repeat, args.new_tokens)
    if args.only in (None, "bytes"):
        results[f"bytes streamed ({args.chars:,} characters, tiny model)"] = streamed_bytes(args.chars)
    if args.only in (None, "alignment"):
        results["word alignment cost (seed sentences, full-size twin, beam 4)"] = alignment_cost(args.repeat)
    results["load after"] = round(os.getloadavg()[0], 1)
    print(json.dumps(results, indent=2, ensure_ascii=False))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
