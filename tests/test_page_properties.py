"""A property of the page's API that holds for any input (Hypothesis), sent as raw
HTTP the way any client may send it: random Unicode with controls, bidi marks,
lone surrogates and combining marks gives one translation per sentence, in order,
or a clear error, and never a bare one."""
from __future__ import annotations

import json

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from translate import Translator, split_sentences
from translate.errors import InputError
from translate.inputs import has_visible_text
from translate.text.document import check_text

ARABIC_WORDS = ["قصف", "روسي", "على", "حلب", "وقال", "المرصد", "د.", "2024", "١٢:٣٠", "https://x.org/a.b"]
MARKS = ["\u064e", "\u0651", "\u0301", "\u200f", "\u200e", "\u202b", "\u202c", "\u2067", "\u2069", "\u061c", "\ufeff"]
PUNCTUATION = list(".!?؟…،؛:«»“”\"'()") + ["\n", "\r\n", "\u2028", " ", "\t"]
CONTROLS = ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\x0b", "\x0c"]
SURROGATES = ["\ud800", "\udfff", "\udc00"]

texts = st.lists(st.one_of(st.sampled_from(ARABIC_WORDS + MARKS + PUNCTUATION + CONTROLS + SURROGATES),
                           st.text(max_size=5)), max_size=30).map("".join)
EXAMPLES = 120


@pytest.fixture(scope="module")
def url(tiny_model, tmp_path_factory, live_reader):
    translator = Translator.from_options(str(tiny_model), engine="ctranslate2", device="cpu", beams=1,
                                         cache_dir=str(tmp_path_factory.mktemp("cache")))
    return live_reader(translator)[1]


def translate_raw(client: httpx.Client, url: str, text: str) -> tuple[str, object]:
    # json.dumps escapes lone surrogates ("\ud800"), as JavaScript's JSON.stringify does.
    started = client.post(f"{url}gradio_api/call/translate", content=json.dumps({"data": [text]}),
                          headers={"content-type": "application/json"})
    assert started.status_code == 200, started.text
    lines = client.get(f"{url}gradio_api/call/translate/{started.json()['event_id']}").text.splitlines()
    event = next(line[7:] for line in lines if line.startswith("event: "))
    data = json.loads(next(line[6:] for line in lines if line.startswith("data: ")))
    return event, data


def expected_refusal(text: str) -> str | None:
    """The reason the page must refuse ``text``, if any."""
    try:
        check_text(text)
    except InputError:
        return "lone surrogate"
    if not has_visible_text(text):
        return "Nothing to translate"
    return None


def test_any_text_gives_one_translation_per_sentence_or_a_clear_error(url):
    tried = []
    with httpx.Client(timeout=120) as client:

        @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                  suppress_health_check=[HealthCheck.too_slow])
        @given(text=texts)
        def check(text):
            tried.append(text)
            event, data = translate_raw(client, url, text)
            refusal = expected_refusal(text)
            if event == "error":
                assert data["error"], f"a bare error for {text!r}"
                assert refusal and refusal in data["error"], data["error"]
                return
            assert event == "complete" and refusal is None, (event, data)
            (result,) = data
            sources = [pair["source"] for pair in result["pairs"]]
            assert sources == split_sentences(text)
            assert [pair["index"] for pair in result["pairs"]] == list(range(len(sources)))
            assert all(isinstance(pair["translation"], str) for pair in result["pairs"])
            assert result["sentences"] == len(sources)

        check()
    print(f"{len(tried)} examples tried through the page's API")
    assert len(tried) >= EXAMPLES
