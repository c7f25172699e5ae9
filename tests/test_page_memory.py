"""The reader's own translations on the page, through its API with gradio_client and
the tiny model: the model's alternatives, a completion from the reader's beginning,
the next word's choices, saving into the translation memory ("yours" on the next
translation and in the downloads), the page's memory switch, a glossary uploaded
for one browser session, and bad input."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from gradio_client import Client, handle_file
from gradio_client.exceptions import AppError
from lxml import etree
from test_page_inputs import call_raw

from translate import Translator

SENTENCE = "قصف روسي على حلب"
# A headline and two sentences; the second is the one the tests correct.
TEXT = "قصف روسي على حلب\nوأعلنت فصائل المعارضة السيطرة على مبنى القصر البلدي. كما أعلنت الفصائل سيطرتها على تلة."
CORRECTED = "وأعلنت فصائل المعارضة السيطرة على مبنى القصر البلدي."


@pytest.fixture(scope="module")
def translator(tiny_model, tmp_path_factory) -> Translator:
    return Translator.from_options(str(tiny_model), cache_dir=str(tmp_path_factory.mktemp("memory-page")),
                                   engine="transformers", device="cpu", beams=1)


@pytest.fixture(scope="module")
def url(translator, live_reader) -> str:
    return live_reader(translator)[1]


@pytest.fixture(scope="module")
def client(url, tmp_path_factory) -> Client:
    return Client(url, verbose=False, download_files=str(tmp_path_factory.mktemp("downloads")))


def translate_page(client: Client, text: str, use_memory: bool = True) -> tuple[dict, dict[str, Path]]:
    """The memory switch, then the Translate button: the final view data, and the downloads by suffix."""
    client.predict(use_memory, api_name="/use_memory")
    view, _, *downloads = client.predict(text, api_name="/translate_page")
    return view, {Path(d["value"]).suffix: Path(d["value"]) for d in downloads if d and d.get("value")}


def results(view: dict) -> dict[str, dict]:
    return {source: result for _, source, result in view["pairs"]}


# -- the model's alternatives, a completion, the next word ------------------------------------


def test_alternatives_are_distinct_scored_and_best_first(client):
    found = client.predict(SENTENCE, 4, api_name="/alternatives")
    assert len(found) == 4 and len({a["text"] for a in found}) == 4
    scores = [a["score"] for a in found]
    assert scores == sorted(scores, reverse=True) and all(s <= 0 for s in scores)
    assert client.predict(SENTENCE, 4, api_name="/alternatives") == found  # the same call, the same answer


@pytest.mark.parametrize("prefix", ["", "The", "Russian shelling of ", "Zürich “quoted” ar"])
def test_a_completion_starts_with_the_readers_beginning(client, prefix):
    done = client.predict(SENTENCE, prefix, api_name="/complete")
    assert done["text"].startswith(prefix) and len(done["text"]) > len(prefix)
    assert done["score"] <= 0


def test_the_next_words_choices_each_complete_the_sentence_after_them(client):
    words = client.predict(SENTENCE, "The", 4, api_name="/word_alternatives")
    assert 1 <= len(words) <= 4 and len(set(words)) == len(words)
    assert all(w and not re.search(r"\s", w) for w in words)
    done = client.predict(SENTENCE, f"The {words[0]} ", api_name="/complete")
    assert done["text"].startswith(f"The {words[0]} ")


# -- the memory: saved, used, marked, downloaded, switched off, forgotten ----------------------


def test_a_saved_translation_is_yours_on_the_next_translation_and_in_the_downloads(client, translator):
    view, _ = translate_page(client, TEXT)
    model = results(view)[CORRECTED]["t"]
    assert "o" not in results(view)[CORRECTED]
    saved = client.predict(CORRECTED, "The opposition took the town hall.", model, api_name="/remember")
    assert saved == {"source": CORRECTED, "translation": "The opposition took the town hall.", "replaced": model,
                     "origin": "yours"}
    assert translator.memory.lookup([CORRECTED])[CORRECTED].replaced == model

    view, files = translate_page(client, TEXT)  # translated again: the reader's own, marked
    mine = results(view)[CORRECTED]
    assert mine == {"t": "The opposition took the town hall.", "o": "yours"}
    assert all("o" not in r for s, r in results(view).items() if s != CORRECTED)
    rows = [json.loads(line) for line in files[".jsonl"].read_text(encoding="utf-8").splitlines()[1:]]
    assert [r["origin"] for r in rows] == ["cache", "yours", "cache"]
    tmx = etree.fromstring(files[".tmx"].read_bytes())
    origins = [[p.text for p in tu.iter("prop") if p.get("type") == "x-origin"] for tu in tmx.iter("tu")]
    assert origins == [[], ["yours"], []]
    api_pairs = client.predict(TEXT, api_name="/translate")["pairs"]
    assert [p["origin"] for p in api_pairs] == ["cache", "yours", "cache"]

    view, _ = translate_page(client, TEXT, use_memory=False)  # the page's switch off: the model's
    assert results(view)[CORRECTED]["t"] == model and "o" not in results(view)[CORRECTED]

    forgotten = client.predict(CORRECTED, api_name="/forget")
    assert forgotten["forgotten"] is True and forgotten["translation"] == model and forgotten["origin"] == "cache"
    view, _ = translate_page(client, TEXT)
    assert results(view)[CORRECTED]["t"] == model and "o" not in results(view)[CORRECTED]
    assert client.predict(CORRECTED, api_name="/forget")["forgotten"] is False


def test_a_completion_saved_is_yours(client):
    done = client.predict(SENTENCE, "Russian shelling", api_name="/complete")
    client.predict(SENTENCE, done["text"], None, api_name="/remember")
    try:
        view, _ = translate_page(client, SENTENCE)
        assert results(view)[SENTENCE] == {"t": done["text"], "o": "yours"}
    finally:
        client.predict(SENTENCE, api_name="/forget")




# -- a glossary for this browser session ----------------------------------------------------------


def test_an_uploaded_glossary_changes_this_sessions_translations_only(url, tmp_path):
    glossary = tmp_path / "names.tsv"
    glossary.write_text("حلب\tALEPPO-CITY\nالمعارضة\tthe OPPOSITION\n", encoding="utf-8")
    mine, other = Client(url, verbose=False), Client(url, verbose=False)
    before, _ = translate_page(mine, TEXT)
    summary = mine.predict(handle_file(str(glossary)), api_name="/load_glossary")
    assert summary["name"] == "names.tsv" and summary["terms"] == 2
    view, files = translate_page(mine, TEXT)
    headline = results(view)[SENTENCE]
    # The rendering is in place, or the sentence says the term could not be placed.
    assert "ALEPPO-CITY" in headline["t"] or "term:حلب" in headline.get("f", []), headline
    assert results(view) != results(before)
    header = json.loads(files[".jsonl"].read_text(encoding="utf-8").splitlines()[0])
    assert "glossary" in header["signature"]
    untouched, _ = translate_page(other, TEXT)  # another browser: no glossary
    assert results(untouched) == results(before)


GLOSSARIES = {
    "empty.tsv": ("", "holds no terms"),
    "duplicate.tsv": ("حلب\tAleppo\nحلب\tHalab\n", "two renderings"),
    "punctuation.tsv": ("حلب\tAleppo\n؟!\tnothing\n", "line 2"),
    "photo.png": ("not a glossary", "not a glossary the page reads"),
}


@pytest.mark.parametrize("name", GLOSSARIES)
def test_a_bad_glossary_gets_one_clear_message(client, tmp_path, name):
    content, words = GLOSSARIES[name]
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(AppError, match=words) as refused:
        client.predict(handle_file(str(path)), api_name="/load_glossary")
    assert "Traceback" not in str(refused.value) and "--" not in str(refused.value)


# -- bad input ----------------------------------------------------------------------------------

BAD = {
    "number": ([42], "must be one Arabic sentence as text, not a number"),
    "list": ([["قصف"]], "not a list"),
    "null": ([None], "not a NoneType|No sentence given"),
    "empty": (["  "], "No sentence given"),
    "lone surrogate": (["قصف \ud800 حلب"], r"The sentence holds a lone surrogate \(U\+D800\)"),
    "too long": (["حلب " * 6000], "24,000 characters, above the 20,000 of one sentence"),
    "no Arabic": (["Hello there."], "has no Arabic word"),
    "two sentences": ([TEXT], "holds 3 sentences"),
}
ENDPOINTS = {"alternatives": [5], "complete": ["The"], "word_alternatives": ["The", 5],
             "remember": ["Mine.", None], "forget": []}


@pytest.mark.parametrize("case", BAD)
@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_bad_input_gets_a_message_never_a_traceback(url, endpoint, case):
    args, words = BAD[case]
    event, data = call_raw(url, endpoint, json.dumps({"data": args + ENDPOINTS[endpoint]}))
    message = json.loads(data)["error"] if data != "null" else None
    assert event == "error" and message and re.search(words, message), (endpoint, case, message)
    assert "Traceback" not in message


@pytest.mark.parametrize("endpoint, args, words", [
    ("alternatives", [SENTENCE, 0], "whole number from 1 to 16"),
    ("alternatives", [SENTENCE, "5"], "whole number from 1 to 16"),
    ("word_alternatives", [SENTENCE, "The", 99], "whole number from 1 to 16"),
    ("complete", [SENTENCE, 7], "The beginning must be text, not a number"),
    ("complete", [SENTENCE, "word " * 400], "give a shorter beginning"),
    ("remember", [SENTENCE, "   ", None], "Your translation is empty"),
    ("remember", [SENTENCE, "Mine \ud800", None], "Your translation holds a lone surrogate"),
    ("remember", [SENTENCE, "Mine.", ["old"]], "The replaced translation must be text"),
])
def test_bad_numbers_and_english_get_a_message(url, endpoint, args, words):
    event, data = call_raw(url, endpoint, json.dumps({"data": args}))
    assert event == "error" and re.search(words, json.loads(data)["error"]), data
