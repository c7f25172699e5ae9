"""A page many clients share, attacked as issue 18 measured it: against the page as it was and as it is.

Each attack runs on a page started afresh in a process of its own (the tiny random
model, ``benchmarks/hostile_uploads.py``'s :class:`Page`), sent from 127.0.0.1 only,
in bounded loops:

* **glossaries**: 14 browser sessions (``gradio_client`` clients) each upload a 5 MB
  glossary, then 14 more a 0.9 MB one (under the page's limit of one);
* **upload flood**: 40 uploads of 5 MB to ``/gradio_api/upload`` from a client with no
  session;
* **huge body**: one 200 MB JSON body to ``/gradio_api/call/translate``;
* **rebinding**: ``/remember`` with ``Host: evil.example`` and a foreign ``Origin``.

Measured: what the attacker got, the seconds it took, the server's resident memory
after, the bytes the uploads left on disk, and how long a second client's
``/translate`` of a cached sentence waited while the attack ran.

Usage (from the repository root)::

    git worktree add /tmp/before18 12e37d5           # the page before accounts and the guard
    python benchmarks/shared_page.py --before /tmp/before18 --json benchmarks/shared-page-results.json
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "tests"))

from hostile_uploads import Page, resident_mb  # noqa: E402

SENTENCE = "وأعلنت الفصائل سيطرتها على تلة جديدة."


def second_user(url: str, results: list, stop: threading.Event) -> None:
    """A normal client's /translate, again and again while the attack runs (its longest wait)."""
    client = httpx.Client(base_url=url, timeout=300)
    while not stop.is_set():
        started = time.perf_counter()
        answer = client.post("gradio_api/call/translate", json={"data": [SENTENCE]})
        if answer.status_code == 200:
            client.get(f"gradio_api/call/translate/{answer.json()['event_id']}")
        results.append(time.perf_counter() - started)
        stop.wait(0.2)


def during(page: Page, attack) -> dict:
    """Run ``attack(url)`` with a second user beside it; the figures."""
    waits: list[float] = []
    stop = threading.Event()
    beside = threading.Thread(target=second_user, args=(page.url, waits, stop), daemon=True)
    beside.start()
    started = time.perf_counter()
    try:
        outcome = attack(page.url)
    except Exception as error:  # the attacker's view: what came back
        outcome = f"{type(error).__name__}: {str(error)[:120]}"
    took = time.perf_counter() - started
    stop.set()
    beside.join(timeout=300)
    return {"outcome": outcome, "took_s": round(took, 2), "server_after_mb": round(resident_mb(page.process.pid)),
            "second_user_longest_s": round(max(waits), 2) if waits else None}


def glossaries(size: int, sessions: int = 14):
    def attack(url: str) -> str:
        from gradio_client import Client, handle_file

        folder = Path(tempfile.mkdtemp())
        path = folder / f"terms-{size}.tsv"
        line_count = size // 40
        path.write_text("".join(f"مصطلح{number:07d}\tterm number {number:07d}\n" for number in range(line_count)),
                        encoding="utf-8")
        kept = refused = 0
        clients = []
        for _ in range(sessions):
            client = Client(url, verbose=False)
            clients.append(client)  # each session stays open, as the attack's did
            try:
                client.predict(handle_file(str(path)), api_name="/load_glossary")
                kept += 1
            except Exception:
                refused += 1
        return f"{kept} kept, {refused} refused ({path.stat().st_size / 1e6:.1f} MB each)"

    return attack


def upload_flood(url: str) -> str:
    client = httpx.Client(base_url=url, timeout=120)
    codes = []
    for number in range(40):
        answer = client.post("gradio_api/upload", files={"files": (f"part{number}.txt", b"a" * 5_000_000)})
        codes.append(answer.status_code)
    return f"{codes.count(200)} of 40 kept, {codes.count(429)} refused (429)"


def huge_body(url: str) -> str:
    def body():
        yield b'{"data": ["'
        for _ in range(200):
            yield b"a" * 1_000_000
        yield b'"]}'

    answer = httpx.post(url + "gradio_api/call/translate", content=body(), timeout=300,
                        headers={"content-type": "application/json"})
    return f"{answer.status_code} {answer.text[:80]}"


def rebinding(url: str) -> str:
    port = urlsplit(url).port
    answer = httpx.post(url + "gradio_api/call/remember", json={"data": [SENTENCE, "Planted.", None]},
                        headers={"Host": f"evil.example:{port}", "Origin": f"http://evil.example:{port}"})
    return f"{answer.status_code}, origin echoed: {answer.headers.get('access-control-allow-origin') is not None}"


ATTACKS = {"glossaries 14 x 5 MB": glossaries(5_000_000), "glossaries 14 x 0.9 MB": glossaries(900_000),
           "upload flood 40 x 5 MB": upload_flood, "huge body 200 MB": huge_body, "rebinding": rebinding}


def disk_mb(folder: Path) -> float:
    return round(sum(path.stat().st_size for path in folder.rglob("*") if path.is_file()) / 1e6, 1)


def side(root: Path, model: Path) -> dict:
    results = {}
    for name, attack in ATTACKS.items():
        folder = Path(tempfile.mkdtemp(prefix="shared-page-"))
        uploads = folder / "gradio"
        import os

        os.environ["GRADIO_TEMP_DIR"] = str(uploads)  # the page's uploads, counted on their own
        page = Page(root, model, folder, max_rss_mb=16_000)
        try:
            warm = httpx.Client(base_url=page.url, timeout=300)  # the model loaded, the sentence cached
            event = warm.post("gradio_api/call/translate", json={"data": [SENTENCE]}).json()["event_id"]
            warm.get(f"gradio_api/call/translate/{event}")
            results[name] = during(page, attack) | {"uploads_on_disk_mb": disk_mb(uploads) if uploads.exists() else 0}
        finally:
            page.process.kill()
            page.process.wait()
        print(name, results[name], flush=True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", type=Path, help="a checkout of the page as it was")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    from harness import tiny_model

    model = tiny_model(Path(tempfile.mkdtemp()))
    results = {}
    if args.before:
        print("== before", flush=True)
        results["before"] = side(args.before, model)
    print("== now", flush=True)
    results["now"] = side(ROOT, model)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
