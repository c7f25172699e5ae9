"""The README's main job on the plain install: run by .ci/run, with the Python of a
fresh virtual environment that holds only the CPU torch and ``pip install -e .``.

It builds the tiny model there, lays it out in a private Hugging Face cache under
the real model's name (the hub is out of reach, so the commands run exactly as
the README writes them, offline), then, in a fresh folder holding a copy of the
seeds:

1. ``translate seeds/ --out out/`` must exit 0 and write the seed article's English,
   line for line, with the summary as its last line and no traceback;
2. ``python app.py --port FREE`` must start, and its ``/translate`` must translate
   the README's two-sentence example through ``gradio_client`` (which gradio
   brings); then the page is stopped.

Each step says what it did; a failure says what failed, with what the command
printed, and the script exits 1.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from translate.testing import build_random_marian, free_port, install_in_hub_cache, seed_corpus

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = "قصف روسي على حلب. وأعلنت تركيا وقف الهجمات."


def fail(step: str, why: str, output: str = "") -> None:
    print(f"plain install: FAILED: {step}: {why}", file=sys.stderr)
    if output:
        print(output[-6000:], file=sys.stderr)
    sys.exit(1)


def main() -> None:
    started = time.monotonic()
    work = Path(tempfile.mkdtemp(prefix="plain-install-"))
    model = build_random_marian(work / "tiny", seed_corpus(ROOT / "seeds"))
    install_in_hub_cache(model, "Helsinki-NLP/opus-mt-ar-en", work / "hub")
    shutil.copytree(ROOT / "seeds", work / "seeds")
    env = dict(os.environ, HF_HUB_CACHE=str(work / "hub"), HF_HUB_OFFLINE="1",
               TRANSLATE_CACHE_DIR=str(work / "cache"), PYTHONIOENCODING="utf-8",
               PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    env.pop("TRANSLATE_MODEL", None)

    step = "translate seeds/ --out out/"
    done = subprocess.run(["translate", "seeds/", "--out", "out/"], cwd=work, env=env, capture_output=True,
                          text=True, timeout=900)
    printed = done.stdout + done.stderr
    if done.returncode != 0:
        fail(step, f"exit {done.returncode}", printed)
    if "Traceback" in printed:
        fail(step, "a traceback", printed)
    article, english = work / "seeds" / "aleppo-offensive.ar.txt", work / "out" / "aleppo-offensive.en.txt"
    if not english.is_file():
        fail(step, f"no {english.relative_to(work)}", printed)
    lines = english.read_text(encoding="utf-8").splitlines()
    if len(lines) != len(article.read_text(encoding="utf-8").splitlines()) or not any(lines):
        fail(step, f"{english.name} is not laid out like the article ({len(lines)} lines)", printed)
    last = done.stderr.strip().splitlines()[-1]
    if not last.startswith("translated "):
        fail(step, f"the last line is not the summary: {last!r}", printed)
    print(f"plain install: {step}: {last}")

    port = free_port()
    step = f"python app.py --port {port}"
    log = (work / "app.log").open("w+", encoding="utf-8")
    page = subprocess.Popen([sys.executable, "app.py", "--port", str(port)], cwd=ROOT, env=env, stdout=log,
                            stderr=subprocess.STDOUT, start_new_session=True)
    try:
        url = f"http://127.0.0.1:{port}/"
        deadline = time.monotonic() + 300
        while True:  # the page's own line says when it listens
            log.seek(0)
            if f"open {url}" in log.read():
                break
            if page.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                fail(step, "the page did not start" if page.poll() is not None else "not up in 300 s", log.read())
            time.sleep(0.2)
        from gradio_client import Client

        try:
            result = Client(url, verbose=False).predict(EXAMPLE, api_name="/translate")
        except Exception as error:  # what the client met is the report
            log.seek(0)
            fail(step, f"/translate failed: {error}", log.read())
        if result.get("sentences") != 2 or not result.get("english", "").strip():
            fail(step, f"/translate answered {result!r}")
        print(f"plain install: {step}: /translate gave {result['sentences']} sentences: {result['english']!r}")
    finally:
        page.terminate()
        try:
            page.wait(timeout=30)
        except subprocess.TimeoutExpired:
            page.kill()
        log.close()
    shutil.rmtree(work, ignore_errors=True)
    print(f"plain install: the README's main job works ({time.monotonic() - started:.0f} s)")


if __name__ == "__main__":
    main()
