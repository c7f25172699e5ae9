"""Bad input a reader can type or upload, through the real page and gradio_client."""
from __future__ import annotations

import pytest
from gradio_client import Client, handle_file
from gradio_client.exceptions import AppError

from translate import Translator

ARABIC = "قصف روسي على حلب"


@pytest.fixture(scope="module")
def client(tiny_model, tmp_path_factory, live_reader):
    translator = Translator.from_options(str(tiny_model), cache_dir=str(tmp_path_factory.mktemp("cache")),
                                         engine="transformers", beams=1)
    _, url = live_reader(translator)
    return Client(url, verbose=False)


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
