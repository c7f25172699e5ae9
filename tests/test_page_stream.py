"""What the page streams to a browser, read off the real HTTP stream (Gradio's
queue protocol, as the browser speaks it): each step sends what changed, so a
document costs a small multiple of its size, not a page per batch."""
from __future__ import annotations

import json
import random
import re
import uuid

import httpx
import pytest

from translate import Translator
from translate.writers.bilingual import bilingual_view

WORDS = re.compile(r"[\u0621-\u064A]+")


@pytest.fixture(scope="module")
def page(tiny_model, tmp_path_factory, live_reader):
    # Small batches: many steps, as a long text has.
    translator = Translator.from_options(str(tiny_model), engine="ctranslate2", device="cpu", beams=1, batch_size=8,
                                         cache_dir=str(tmp_path_factory.mktemp("cache")))
    app, url = live_reader(translator)
    return translator, url


def article(seed_text: str, sentences: int, seed: int) -> str:
    words = WORDS.findall(seed_text)
    rng = random.Random(seed)
    lines = []
    for _ in range(sentences // 4):
        lines.append(" ".join(" ".join(rng.choices(words, k=rng.randint(5, 12))) + "." for _ in range(4)))
    return "\n".join(lines)


def stream_like_a_browser(url: str, text: str) -> tuple[list[dict], int]:
    """Press Translate the way the page does; returns (messages, bytes received)."""
    config = httpx.get(f"{url}config", timeout=30).json()
    dependency = next(d for d in config["dependencies"] if d.get("api_name") == "translate_page")
    session = uuid.uuid4().hex[:10]
    joined = httpx.post(f"{url}gradio_api/queue/join", timeout=30, json={
        # The text, then the page's states (the server keeps their values).
        "data": [text, None, None, None], "event_data": None, "fn_index": dependency["id"],
        "trigger_id": dependency["targets"][0][0], "session_hash": session})
    assert joined.status_code == 200, joined.text
    messages, received = [], 0
    with httpx.stream("GET", f"{url}gradio_api/queue/data", params={"session_hash": session}, timeout=300) as response:
        for line in response.iter_lines():
            received += len(line.encode("utf-8")) + 1
            if not line.startswith("data:"):
                continue
            message = json.loads(line[5:])
            messages.append(message)
            if message.get("msg") == "process_completed":
                break
    return messages, received


def test_each_step_sends_only_what_changed(page, seed_text):
    translator, url = page
    text = article(seed_text, 240, seed=11)
    messages, received = stream_like_a_browser(url, text)
    steps = [m for m in messages if m.get("msg") == "process_generating"]
    final = messages[-1]
    assert final["msg"] == "process_completed" and final["success"], final
    view = final["output"]["data"][0]
    assert view["state"] == "done" and all(result for _, _, result in view["pairs"])

    document = translator.translate(text)  # all cached by now
    rendered = len(bilingual_view(document).encode("utf-8"))
    assert len(steps) >= 20, "too few steps to show anything"
    print(f"{len(document.sentences)} sentences, {len(steps)} steps: {received:,} bytes streamed for "
          f"{rendered:,} bytes rendered ({received / rendered:.2f}x)")
    assert received <= 3 * rendered
    # After the first step (the document's sentences), each step carries the sentences it
    # finished, as edits, never the page again.
    later = [len(json.dumps(step["output"]["data"], ensure_ascii=False).encode()) for step in steps[1:]]
    assert max(later) < rendered / 10
    edits = steps[-1]["output"]["data"][0]
    assert isinstance(edits, list) and all(edit[0] in ("replace", "add", "append") for edit in edits)
