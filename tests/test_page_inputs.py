"""Bad input a reader can type or upload, through the real page and gradio_client."""
from __future__ import annotations

import json
import re

import httpx
import pytest
from gradio_client import Client, handle_file
from gradio_client.exceptions import AppError

from translate import Translator

ARABIC = "قصف روسي على حلب"


@pytest.fixture(scope="module")
def url(tiny_model, tmp_path_factory, live_reader):
    translator = Translator.from_options(str(tiny_model), cache_dir=str(tmp_path_factory.mktemp("cache")),
                                         engine="transformers", beams=1)
    return live_reader(translator)[1]


@pytest.fixture(scope="module")
def client(url):
    return Client(url, verbose=False)


def call_raw(url: str, endpoint: str, body: str) -> tuple[str, str]:
    """POST a raw JSON body to the page's API and read the answer: (event, data)."""
    started = httpx.post(f"{url}gradio_api/call/{endpoint}", content=body.encode("utf-8"),
                         headers={"content-type": "application/json"}, timeout=30)
    assert started.status_code == 200, started.text
    stream = httpx.get(f"{url}gradio_api/call/{endpoint}/{started.json()['event_id']}", timeout=120).text
    event = next(line[7:] for line in stream.splitlines() if line.startswith("event: "))
    data = next(line[6:] for line in stream.splitlines() if line.startswith("data: "))
    return event, data


NOT_TEXT = {
    "list": (["قصف"], "not a list"),
    "number": (42, "not a number"),
    "true": (True, "not true/false"),
    "object": ({"text": "قصف"}, "not an object"),
    "null": (None, "Nothing to translate"),
    "lone surrogate": ("قصف \ud800 حلب", r"The text holds a lone surrogate \(U\+D800\) at character 4"),
    "huge string": ("حلب " * 62_500, "250,000 characters; the page translates up to 100,000"),
}


@pytest.mark.parametrize("case", NOT_TEXT, ids=list(NOT_TEXT))
def test_api_refuses_what_is_not_text_in_words(client, url, case):
    value, message = NOT_TEXT[case]
    if case != "lone surrogate":  # gradio_client cannot send one (its JSON goes out as strict UTF-8)
        with pytest.raises(AppError, match=message):
            client.predict(value, api_name="/translate")
    # The same through raw HTTP, lone surrogates escaped as JSON allows ("\ud800").
    event, data = call_raw(url, "translate", json.dumps({"data": [value]}))
    assert event == "error"
    assert re.search(message, json.loads(data)["error"] or "no message")


def test_a_body_over_the_limit_is_refused_in_words_before_it_is_read(url):
    """A million characters is a body of 4.75 MB as JSON: over the page's 2 MB, refused as it arrives."""
    answer = httpx.post(url + "gradio_api/call/translate", content=json.dumps({"data": ["حلب " * 250_000]}),
                        headers={"Content-Type": "application/json"}, timeout=120)
    assert answer.status_code == 413
    assert answer.json() == {"error": "The request is larger than the reader takes (2.0 MB)."}


@pytest.mark.parametrize("value", [42, ["a.txt"], {"name": "a.txt"}, "../pyproject.toml"])
def test_api_refuses_a_sample_that_is_not_offered(url, value):
    event, data = call_raw(url, "load_sample", json.dumps({"data": [value]}))
    assert event == "error" and "There is no sample article called" in json.loads(data)["error"]


@pytest.mark.parametrize("value", [42, "notes.txt", {"path": "/etc/passwd"}, [1]])
def test_api_refuses_an_upload_that_is_not_a_file(url, value):
    event, data = call_raw(url, "load_file", json.dumps({"data": [value]}))
    assert event == "error" and "Send a file" in json.loads(data)["error"]


TYPED = {
    "English only": ("The fighters entered Aleppo. Turkey called for calm.",
                     lambda pairs: all(p["translation"] == p["source"] for p in pairs)),
    "Latin lines inside Arabic": (f"{ARABIC}\nhttps://example.com/news?id=1\nprint('hi')",
                                  lambda pairs: [p["translation"] == p["source"] for p in pairs] == [False, True, True]),
    "emoji only": ("🙂🙂 🇸🇾 👍", lambda pairs: pairs[0]["translation"] == "🙂🙂 🇸🇾 👍"),
    "bidi controls": (f"\u202b{ARABIC}.\u202c \u200fتركيا تطالب.\u200f",
                      lambda pairs: len(pairs) == 2 and all(p["translation"] for p in pairs)),
    "NUL inside text": (f"{ARABIC}\0.", lambda pairs: len(pairs) == 1 and pairs[0]["translation"]),
}


@pytest.mark.parametrize("case", TYPED, ids=list(TYPED))
def test_typed(client, case):
    text, check = TYPED[case]
    assert check(client.predict(text, api_name="/translate")["pairs"])


@pytest.mark.parametrize("text", ["", " \n\t ", "\u200f\u200e"], ids=["empty", "whitespace", "only bidi marks"])
def test_typed_nothing(client, text):
    with pytest.raises(AppError, match="Nothing to translate"):
        client.predict(text, api_name="/translate")


UPLOADS = {
    "UTF-8 with BOM": (b"\xef\xbb\xbf" + ARABIC.encode(), ARABIC),
    "UTF-16 with BOM": (ARABIC.encode("utf-16"), ARABIC),
    "empty": (b"", AppError("is empty")),
    "whitespace only": (b"  \n\n", AppError("holds only whitespace")),
    # The page has no encoding option: an old Windows Arabic file is recognised and read.
    "Windows-1256": (ARABIC.encode("cp1256"), ARABIC),
    "UTF-16LE without BOM": (ARABIC.encode("utf-16-le"), ARABIC),
    "binary": (bytes(range(256)) * 8, AppError("binary")),
}


@pytest.mark.parametrize("case", UPLOADS, ids=list(UPLOADS))
def test_uploaded(client, tmp_path, case):
    data, expected = UPLOADS[case]
    path = tmp_path / "upload.txt"
    path.write_bytes(data)
    if isinstance(expected, AppError):
        with pytest.raises(AppError, match=str(expected).replace("-", r"\-")):
            client.predict(handle_file(str(path)), api_name="/load_file")
    else:
        assert client.predict(handle_file(str(path)), api_name="/load_file") == expected
