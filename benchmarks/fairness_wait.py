"""How long a second client waits while another translates a 100,000-character text.

The same public pieces as tests/test_page_load.py::test_a_short_text_does_not_wait_for_a_long_one:
the tiny random MarianMT model (harness.tiny_model: translate.testing.build_random_marian, as
tests/conftest.py builds it), a real page served on 127.0.0.1 by translate.web.serve.serve,
and two gradio_client clients. Client A streams a long text through /translate_page;
once A has had two updates, client B sends a two-sentence text to /translate.
Prints B's wait, whether A was still running when B was answered, A's total, and
for reference B's time on an idle page (the cost of one batch).

Beam 1 as in the test; CTranslate2 and batch 16 by default, as the page runs
(``--engine transformers --batch-size 4`` is the test's setting, but a
100,000-character text of the random model then takes over 10 minutes).

    python benchmarks/fairness_wait.py [--model DIR] [--chars 100000]
"""
from __future__ import annotations

import argparse
import os
import random
import re
import tempfile
import time
from pathlib import Path

# Before anything imports huggingface_hub or an OpenMP runtime (they read these once).
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import harness  # noqa: E402
from gradio_client import Client  # noqa: E402
from harness import SEED_ARTICLE, free_port  # noqa: E402

from translate import Translator, split_sentences  # noqa: E402
from translate.web.serve import serve  # noqa: E402

WORDS = re.compile(r"[\u0621-\u064A]+")


def text_of(words: list[str], chars: int, seed: int) -> str:
    """Random sentences of seed words (as the test's ``articles``), up to ``chars`` characters."""
    rng = random.Random(seed)
    lines, size = [], 0
    while True:
        line = " ".join(rng.choices(words, k=rng.randint(4, 9))) + "."
        if size + len(line) + 1 > chars:
            return "\n".join(lines)
        lines.append(line)
        size += len(line) + 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", help="a tiny model folder (default: build one in a temporary folder)")
    parser.add_argument("--chars", type=int, default=100_000)
    parser.add_argument("--engine", default="ctranslate2",
                        help="ctranslate2 (the page's default engine; default) or transformers (the test's)")
    parser.add_argument("--batch-size", type=int, default=16, help="sentences per model batch (default 16, "
                        "the page's; the test uses 4)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="fairness-"))
    model = args.model or str(harness.tiny_model(work))
    seed_text = SEED_ARTICLE.read_text(encoding="utf-8")
    words = WORDS.findall(seed_text)
    long_text = text_of(words, args.chars, seed=3)
    short_text = "\n".join(" ".join(random.Random(4 + i).choices(words, k=6)) + "." for i in range(2))
    idle_text = "\n".join(" ".join(random.Random(40 + i).choices(words, k=6)) + "." for i in range(2))

    translator = Translator.from_options(model, cache_dir=str(work / "cache"), engine=args.engine,
                                         device="cpu", beams=1, batch_size=args.batch_size)
    app, url = serve(translator, port=free_port(), prevent_thread_lock=True, quiet=True)
    try:
        Client(url, verbose=False).predict("قصف روسي على حلب", api_name="/translate")  # load the model
        started = time.monotonic()
        idle = Client(url, verbose=False).predict(idle_text, api_name="/translate")
        idle_seconds = time.monotonic() - started

        started = time.monotonic()
        long_job = Client(url, verbose=False).submit(long_text, api_name="/translate_page")
        while len(long_job.outputs()) < 2:  # the long job is translating, batch after batch
            time.sleep(0.05)
        asked = time.monotonic()
        short = Client(url, verbose=False).predict(short_text, api_name="/translate")
        answered = time.monotonic()
        long_running = not long_job.done()
        print(f"short text's wait while the long one translates: {answered - asked:.2f} s "
              f"(idle page: {idle_seconds:.2f} s; long job still running: {long_running})", flush=True)
        _, status, *_ = long_job.result()
        finished = time.monotonic()
    finally:
        app.close()
    assert [p["source"] for p in short["pairs"]] == split_sentences(short_text)
    assert len(idle["pairs"]) == 2
    print(f"long text: {len(long_text):,} characters, {len(split_sentences(long_text)):,} sentences; "
          f"batch size {args.batch_size}, {args.engine}, beam 1, tiny model, {os.cpu_count()} CPUs, "
          f"load {os.getloadavg()[0]:.1f}")
    print(f"long job status: {status}")
    print(f"short text (2 sentences) alone on an idle page:       {idle_seconds:6.2f} s")
    print(f"short text's wait while the long one translates:      {answered - asked:6.2f} s "
          f"(long job still running when it was answered: {long_running})")
    print(f"long job's total, submit to last update:              {finished - started:6.2f} s "
          f"({finished - answered:.2f} s after the short text was answered)")


if __name__ == "__main__":
    main()
