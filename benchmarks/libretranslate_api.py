"""Time per request: LibreTranslate's API against the page's own API, for the seed article, one run.

One reader served on 127.0.0.1 (the tiny model, CTranslate2, beam 1) answers both:
``POST /translate`` (LibreTranslate's, raw HTTP with httpx) and the page's
``/translate`` (through gradio_client, as a script uses it). Each is timed on the
seed article, cached (the article translated once before) and fresh (a new cache
folder, so every sentence goes to the model), best and median of ``--repeat``.

Usage::

    python benchmarks/libretranslate_api.py --repeat 5
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time

import harness
import httpx
from gradio_client import Client

from translate import Translator
from translate.web.serve import serve


def timed(action, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    text = harness.SEED_ARTICLE.read_text(encoding="utf-8")
    model = harness.tiny_model(tempfile.mkdtemp(prefix="lt-bench-"))
    print(harness.load_line(), "(start)")
    rows = []
    for state in ("cached", "fresh"):
        for face in ("LibreTranslate /translate", "page /translate (gradio_client)"):
            times = []
            for _ in range(args.repeat):
                translator = Translator.from_options(str(model), engine="ctranslate2", device="cpu", beams=1,
                                                     cache_dir=tempfile.mkdtemp(prefix="lt-bench-cache-"))
                translator.translate("قصف روسي على حلب.")  # the model loaded (and converted) before timing
                if state == "cached":
                    translator.translate(text)
                app, url = serve(translator, port=harness.free_port(), prevent_thread_lock=True, quiet=True)
                try:
                    if face.startswith("LibreTranslate"):
                        def action(url=url):
                            answer = httpx.post(f"{url}translate", timeout=600,
                                                json={"q": text, "source": "ar", "target": "en"})
                            assert answer.status_code == 200, answer.text
                    else:
                        client = Client(url, verbose=False)

                        def action(client=client):
                            client.predict(text, api_name="/translate")
                    times += timed(action, 1)
                finally:
                    app.close()
            rows.append([state, face, f"{min(times) * 1e3:.0f}", f"{statistics.median(times) * 1e3:.0f}"])
    print(harness.markdown_table(["seed article", "API", "best ms", "median ms"], rows))
    print(harness.load_line(), "(end)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
