"""The page under load: many clients at once, a full queue, and the page sharing
its cache with CLI processes. Real server on localhost, real clients."""
from __future__ import annotations

import os
import random
import re
import sqlite3
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

from conftest import wait_until
from gradio_client import Client

from translate import Translator, split_sentences

WORDS = re.compile(r"[\u0621-\u064A]+")


def articles(seed_text: str, count: int, sentences: int, seed: int = 0) -> list[str]:
    words = WORDS.findall(seed_text)
    rng = random.Random(seed)
    return ["\n".join(" ".join(rng.choices(words, k=rng.randint(4, 9))) + "." for _ in range(sentences))
            for _ in range(count)]


def test_sixteen_concurrent_clients_get_their_own_pairs(tiny_model, tmp_path, seed_text, live_reader):
    translator = Translator.from_options(str(tiny_model), cache_dir=str(tmp_path / "cache"), engine="transformers", beams=1)
    reference = Translator.from_options(str(tiny_model), use_cache=False, engine="transformers", beams=1)
    app, url = live_reader(translator)
    try:
        texts = articles(seed_text, 16, 2)

        def call(text):
            return Client(url, verbose=False).predict(text, api_name="/translate")

        with ThreadPoolExecutor(16) as pool:
            results = list(pool.map(call, texts))
    finally:
        app.close()
    for text, result in zip(texts, results):
        assert [p["source"] for p in result["pairs"]] == split_sentences(text)
        expected = [p.translation for p in reference.translate(text).sentences]
        assert [p["translation"] for p in result["pairs"]] == expected


def test_beyond_the_queue_bound_callers_are_told_to_retry(tiny_model, tmp_path, seed_text, live_reader):
    translator = Translator.from_options(str(tiny_model), cache_dir=str(tmp_path / "cache"), engine="transformers", beams=1)
    app, url = live_reader(translator, queue_size=2)
    try:
        texts = articles(seed_text, 10, 6, seed=1)

        def call(text):
            try:
                Client(url, verbose=False).predict(text, api_name="/translate")
                return "ok"
            except Exception as error:  # gradio_client raises the server's message
                return str(error)

        with ThreadPoolExecutor(10) as pool:
            outcomes = list(pool.map(call, texts))
    finally:
        app.close()
    refused = [o for o in outcomes if o != "ok"]
    assert outcomes.count("ok") >= 2 and refused, outcomes
    assert all("queue is full" in o.lower() and "try again" in o.lower() for o in refused), refused


def test_page_and_four_cli_processes_share_one_cache(tiny_model, tiny_converted, tmp_path, seed_text,
                                                     live_reader):
    from conftest import cache_with_converted_model

    cache = cache_with_converted_model(tiny_converted, tmp_path / "cache")
    texts = articles(seed_text, 4, 10, seed=2)
    inputs = []
    for number, text in enumerate(texts):
        inputs.append(tmp_path / f"{number}.ar.txt")
        inputs[-1].write_text(text, encoding="utf-8")
    env = dict(os.environ, TRANSLATE_CACHE_DIR=str(cache))
    # CTranslate2, converted beforehand: the four processes start without torch.
    command = [sys.executable, "-m", "translate", "--model", str(tiny_model), "--engine", "ctranslate2",
               "--device", "cpu", "--beams", "1", "--quiet", "--batch-size", "2"]
    options = dict(engine="ctranslate2", device="cpu", beams=1)
    translator = Translator.from_options(str(tiny_model), cache_dir=str(cache), **options)
    reference = Translator.from_options(str(tiny_model), use_cache=False, cache_dir=str(cache), **options)
    app, url = live_reader(translator)
    try:
        processes = [
            subprocess.Popen(command + [str(inputs[i]), str(inputs[(i + 1) % 4]), "--out", str(tmp_path / f"out{i}")],
                             env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
            for i in range(4)
        ]
        client = Client(url, verbose=False)
        page_results = [client.predict(text, api_name="/translate") for text in texts]
        for process in processes:
            _, stderr = process.communicate(timeout=600)
            assert process.returncode == 0, stderr
            assert "locked" not in stderr and "warning" not in stderr, stderr
    finally:
        app.close()
    for text, result in zip(texts, page_results):
        assert [p["translation"] for p in result["pairs"]] == [p.translation for p in reference.translate(text).sentences]
    for i in range(4):
        for j in (i, (i + 1) % 4):
            english = (tmp_path / f"out{i}" / f"{j}.en.txt").read_text(encoding="utf-8")
            assert english == reference.translate(texts[j]).translation_text() + "\n"
    with sqlite3.connect(cache / "translations.sqlite3") as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert connection.execute("SELECT count(*) FROM translations").fetchone()[0] == 40


def test_a_short_text_does_not_wait_for_a_long_one(tiny_model, tmp_path, seed_text, live_reader):
    """Jobs take turns at the model batch by batch: a two-sentence text sent while a
    long one is being translated is answered before the long one ends (it used to
    wait for all of it)."""
    translator = Translator.from_options(str(tiny_model), cache_dir=str(tmp_path / "cache"), engine="transformers",
                                         beams=1, batch_size=4)
    app, url = live_reader(translator)
    try:
        long_text = articles(seed_text, 1, 160, seed=3)[0]
        short_text = articles(seed_text, 1, 2, seed=4)[0]
        long_job = Client(url, verbose=False).submit(long_text, api_name="/translate_page")
        wait_until(lambda: len(long_job.outputs()) >= 2)  # the long job is translating, batch after batch
        short = Client(url, verbose=False).predict(short_text, api_name="/translate")
        assert not long_job.done(), "the short text waited for the whole long one"
        assert [p["source"] for p in short["pairs"]] == split_sentences(short_text)
        page, status, *_ = long_job.result()
        assert "160 sentences" in status
    finally:
        app.close()


