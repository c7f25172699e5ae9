"""LibreTranslate's API on the reader's own server, driven by the real client
(libretranslatepy) and by raw requests, against a real server on 127.0.0.1:
a string, a list, HTML, alternatives, detect, languages, a file, keys, limits,
the same pipeline as the page, and fairness between keys."""
from __future__ import annotations

import io
import json
import re
import subprocess
import threading
import urllib.error

import httpx
import pytest
from conftest import ROOT, wait_until
from libretranslatepy import LibreTranslateAPI as Client

from translate import Translator
from translate.store.memory import TranslationMemory
from translate.store.users import UserStore
from translate.web.libretranslate import LibreTranslateAPI, translate_html

TEXT = "قصف روسي على حلب. وأعلنت تركيا وقف الهجمات."


@pytest.fixture(scope="module")
def translator(tiny_model, tmp_path_factory):
    return Translator.from_options(str(tiny_model), engine="ctranslate2", device="cpu", beams=1,
                                   cache_dir=str(tmp_path_factory.mktemp("lt-cache")))


@pytest.fixture(scope="module")
def open_server(translator, live_reader):
    """The reader as a single user runs it: no keys."""
    _, url = live_reader(translator)
    return url


@pytest.fixture(scope="module")
def keyed(translator, live_reader, tmp_path_factory):
    """A shared reader: keys required, each key its user's memory, 3 requests a minute."""
    folder = tmp_path_factory.mktemp("keyed")
    users = UserStore(folder / "users.sqlite3")
    users.add("amira", "secret one")
    users.add("bilal", "secret two")
    keys = {name: users.new_key(name) for name in ("amira", "bilal")}
    memories = {name: TranslationMemory.of_user(translator.cache.folder, name) for name in keys}

    def translator_for(user):
        return translator.variant(memory=memories[user])

    api = LibreTranslateAPI(translator_for, keys=users, req_limit=3, char_limit=500)
    _, url = live_reader(translator, api=api)
    return url, keys, memories


def test_the_real_client_translates_detects_and_lists_languages(open_server, translator):
    client = Client(open_server)
    english = client.translate(TEXT, "ar", "en")
    assert english == translator.translate(TEXT).translation_text() and english.strip()
    assert client.detect("قصف روسي على حلب") == [{"confidence": 100.0, "language": "ar"}]
    assert client.detect("Hello, world")[0]["language"] == "und"
    assert client.languages() == [{"code": "ar", "name": "Arabic", "targets": ["en"]},
                                  {"code": "en", "name": "English", "targets": []}]


def test_a_list_html_auto_and_alternatives(open_server, translator):
    answer = httpx.post(f"{open_server}translate", json={"q": [TEXT, "حلب"], "source": "auto", "target": "en"},
                        timeout=120).json()
    assert answer["translatedText"] == [translator.translate(t).translation_text() for t in (TEXT, "حلب")]
    assert answer["detectedLanguage"] == [{"confidence": 100.0, "language": "ar"}] * 2

    markup = '<p>قصف روسي <b>على حلب</b>.</p><pre>حلب &lt;x&gt;</pre><script>var a = "حلب";</script>'
    html = httpx.post(f"{open_server}translate", data={"q": markup, "source": "ar", "target": "en",
                                                       "format": "html"}, timeout=120).json()["translatedText"]
    assert html == translate_html(translator, markup)
    assert re.fullmatch(r'<p>[^<>]+<b>[^<>]+</b>[^<>]*</p><pre>حلب &lt;x&gt;</pre><script>var a = "حلب";</script>', html)
    assert "قصف" not in html  # the prose was translated; the code and the script were not

    alternatives = httpx.post(f"{open_server}translate", json={"q": TEXT, "source": "ar", "target": "en",
                                                              "alternatives": 2}, timeout=120).json()
    assert 1 <= len(alternatives["alternatives"]) <= 2
    assert all(a != alternatives["translatedText"] for a in alternatives["alternatives"])


def test_a_file_is_translated_in_its_own_format(open_server):
    from docx import Document as Word
    from sample_documents import make_docx

    data, _ = make_docx()
    answer = httpx.post(f"{open_server}translate_file", data={"source": "ar", "target": "en"},
                        files={"file": ("report.docx", data)}, timeout=300).json()
    url = answer["translatedFileUrl"]
    assert url.startswith(open_server) and url.endswith("/report.en.docx")
    word = Word(io.BytesIO(httpx.get(url, timeout=60).content))
    assert any(p.text.strip() for p in word.paragraphs)
    assert httpx.get(url.rsplit("/", 2)[0] + "/other/report.en.docx").status_code == 404


def test_a_file_as_large_as_an_upload_passes_the_guard(open_server):
    """The page's guard takes uploads up to the upload limit on /translate_file, not the 2 MB of a call."""
    data = ("حلب " * 400_000).encode()  # 2.8 MB of text: more characters than a request may hold
    answer = httpx.post(f"{open_server}translate_file", data={"source": "ar", "target": "en"},
                        files={"file": ("long.txt", data)}, timeout=300)
    assert answer.status_code == 400 and "characters" in answer.json()["error"], answer.text


@pytest.mark.parametrize("fields, status, words", [
    ({"source": "ar", "target": "en"}, 400, "missing q"),
    ({"q": "حلب", "target": "en"}, 400, "missing source"),
    ({"q": "حلب", "source": "ar", "target": "fr"}, 400, "Arabic to English only"),
    ({"q": "Hello", "source": "auto", "target": "en"}, 400, "not Arabic"),
    ({"q": "حلب", "source": "ar", "target": "en", "format": "xml"}, 400, "xml format is not supported"),
    ({"q": "حلب", "source": "ar", "target": "en", "alternatives": "many"}, 400, "whole number"),
    ({"q": [1, 2], "source": "ar", "target": "en"}, 400, "list of strings"),
])
def test_bad_requests_get_libretranslates_status_and_a_message_in_words(open_server, fields, status, words):
    answer = httpx.post(f"{open_server}translate", json=fields, timeout=60)
    assert answer.status_code == status and words in answer.json()["error"]
    assert "Traceback" not in answer.text


def test_a_body_that_is_not_json_nor_a_form_is_refused(open_server):
    answer = httpx.post(f"{open_server}translate", content=b"{nope", headers={"Content-Type": "application/json"})
    assert answer.status_code == 400 and "not JSON" in answer.json()["error"]


def test_keys_are_required_and_each_key_is_its_users(keyed, translator):
    url, keys, memories = keyed
    with pytest.raises(urllib.error.HTTPError) as refused:
        Client(url).translate("حلب", "ar", "en")
    assert refused.value.code == 403 and "needs an API key" in json.loads(refused.value.read())["error"]
    with pytest.raises(urllib.error.HTTPError) as wrong:
        Client(url, api_key="tr_not-a-key").translate("حلب", "ar", "en")
    assert wrong.value.code == 403

    memories["amira"].remember("قصف روسي على حلب.", "Amira's own wording.")
    assert Client(url, api_key=keys["amira"]).translate("قصف روسي على حلب.", "ar", "en") == "Amira's own wording."
    assert Client(url, api_key=keys["bilal"]).translate("قصف روسي على حلب.", "ar", "en") != "Amira's own wording."

    answer = httpx.post(f"{url}translate", json={"q": "حلب " * 200, "source": "ar", "target": "en",
                                                 "api_key": keys["bilal"]})
    assert answer.status_code == 400 and "above this server's limit of 500" in answer.json()["error"]


def test_a_key_over_its_rate_is_told_to_slow_down(keyed):
    url, keys, _ = keyed
    statuses = [httpx.post(f"{url}detect", data={"q": "حلب", "api_key": keys["bilal"]}).status_code
                for _ in range(6)]  # a bounded loop: twice the limit
    assert 429 in statuses and statuses.index(429) <= 3
    answer = httpx.post(f"{url}detect", data={"q": "حلب", "api_key": keys["bilal"]})
    assert answer.status_code == 429 and answer.json()["error"].startswith("Slowdown:")
    settings = httpx.get(f"{url}frontend/settings").json()
    assert settings["keyRequired"] is True and settings["charLimit"] == 500


def test_it_is_the_pipeline_of_the_page_and_the_cli(open_server, translator, tmp_path):
    """One cache: a sentence translated through the API is a hit for the page and for `translate`."""
    from gradio_client import Client as PageClient

    sentence = "وقال مسؤول تركي إن الهجوم على المدينة مستمر."
    english = httpx.post(f"{open_server}translate", json={"q": sentence, "source": "ar", "target": "en"},
                         timeout=120).json()["translatedText"]
    page = PageClient(open_server, verbose=False).predict(sentence, api_name="/translate")
    assert page["cached"] == 1 and page["english"].strip() == english.strip()
    (tmp_path / "a.ar.txt").write_text(sentence + "\n", encoding="utf-8")
    cli = subprocess.run(["python", "-m", "translate", str(tmp_path / "a.ar.txt"), "--model",
                          str(translator.engine.model.path), "--engine", "ctranslate2", "--beams", "1",
                          "--cache-dir", str(translator.cache.folder)], capture_output=True, text=True, timeout=300,
                         env={**__import__("os").environ, "PYTHONPATH": str(ROOT)})
    assert cli.stdout.strip() == english.strip() and "(1 from cache)" in cli.stderr


def test_a_long_text_from_one_key_never_holds_another_keys_short_one(translator, live_reader, tmp_path):
    users = UserStore(tmp_path / "users.sqlite3")
    for name in ("long", "short"):
        users.add(name, "x")
    keys = {name: users.new_key(name) for name in ("long", "short")}
    api = LibreTranslateAPI(lambda user: translator, keys=users, char_limit=-1)
    _, url = live_reader(translator, api=api)
    words = "قصف روسي على حلب وأعلنت تركيا وقف الهجمات على مدينة إدلب".split()
    long_text = " ".join(f"{words[i % len(words)]} {words[(i * 7) % len(words)]} رقم {i}." for i in range(400))
    done: dict = {}

    def send(name, text):
        done[name] = httpx.post(f"{url}translate", json={"q": text, "source": "ar", "target": "en",
                                                         "api_key": keys[name]}, timeout=600)

    long_request = threading.Thread(target=send, args=("long", long_text))
    before = translator.cache.stats().entries if translator.cache.path.exists() else 0
    long_request.start()
    wait_until(lambda: translator.cache.stats().entries > before, 300, "the long text never began")
    send("short", "وأعلنت تركيا وقف الهجمات على حلب في الصباح.")
    assert done["short"].status_code == 200 and long_request.is_alive()  # answered while the long one runs
    long_request.join()
    assert done["long"].status_code == 200


def test_the_readme_curl_example_runs_as_written(open_server):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    [command] = [line for line in readme.splitlines() if line.startswith("curl ") and "/translate" in line]
    result = subprocess.run(command.replace("http://127.0.0.1:7860/", open_server), shell=True,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and "translatedText" in json.loads(result.stdout)
