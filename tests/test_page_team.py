"""A reader a team shares: accounts (``--users``), each user's memory and downloads
their own, a team memory written by its editors only, and a page that answers only
its own host and its own pages (DNS rebinding, cross-site calls), with bounded
bodies and uploads. Everything runs against a real server on 127.0.0.1."""
from __future__ import annotations

import gc
import http.client
import json
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from gradio_client import Client
from gradio_client.exceptions import AppError

from translate import Translator
from translate.store.memory import TranslationMemory
from translate.store.users import UserStore
from translate.web.accounts import Accounts
from translate.web.glossaries import SessionGlossaries

SENTENCE = "وأعلنت الفصائل سيطرتها على تلة جديدة."
PASSWORDS = {"amira": "amira-pass-1", "bilal": "bilal-pass-1"}


@pytest.fixture(scope="module")
def team(tiny_model, tmp_path_factory, live_reader):
    folder = tmp_path_factory.mktemp("team")
    users = UserStore(folder / "users.sqlite3")
    users.add("amira", PASSWORDS["amira"])
    users.add("bilal", PASSWORDS["bilal"], editor=True)
    translator = Translator.from_options(str(tiny_model), cache_dir=str(folder / "cache"), engine="transformers",
                                         device="cpu")
    team_memory = TranslationMemory.at(folder / "team.sqlite3")
    app, url = live_reader(translator, accounts=Accounts(users), team_memory=team_memory)
    return app, url, translator


def signed_in(url: str, name: str) -> httpx.Client:
    client = httpx.Client(base_url=url, timeout=60)
    answer = client.post("login", data={"username": name, "password": PASSWORDS[name]})
    assert answer.status_code == 200, answer.text
    return client


def call(client: httpx.Client, api: str, *data):
    """A page endpoint through Gradio's HTTP API: its result, or its error message."""
    started = client.post(f"gradio_api/call/{api}", json={"data": list(data)})
    assert started.status_code == 200, started.text
    events = client.get(f"gradio_api/call/{api}/{started.json()['event_id']}").text
    kind, payload = None, None
    for line in events.splitlines():
        if line.startswith("event: "):
            kind = line[7:]
        elif line.startswith("data: "):
            payload = json.loads(line[6:])
    return (payload[0] if kind == "complete" else {"error": payload and payload.get("error")})


def test_the_page_asks_for_a_sign_in_and_refuses_wrong_passwords(team):
    _, url, _ = team
    assert httpx.get(url + "config").status_code == 401
    assert httpx.post(url + "gradio_api/call/translate", json={"data": [SENTENCE]}).status_code == 401
    refused = httpx.post(url + "login", data={"username": "amira", "password": "wrong"})
    assert refused.status_code == 400
    assert signed_in(url, "amira").get("config").status_code == 200


def test_the_libretranslate_api_needs_a_key_of_the_same_accounts(team):
    """The API is mounted beside Gradio's routes, not behind its sign-in: with accounts, it takes
    their keys, so it never reaches the owner's memory without one."""
    app, url, _ = team
    fields = {"q": SENTENCE, "source": "ar", "target": "en"}
    refused = httpx.post(url + "translate", json=fields)
    assert refused.status_code == 403 and "needs an API key" in refused.json()["error"]
    key = app.reader_page.accounts.users.new_key("amira")
    assert httpx.post(url + "translate", json=fields | {"api_key": key}).status_code == 200


def test_each_user_reads_and_changes_only_their_own_memory(team):
    _, url, _ = team
    amira, bilal = signed_in(url, "amira"), signed_in(url, "bilal")
    assert call(amira, "remember", SENTENCE, "Amira's own wording.", None)["origin"] == "yours"
    mine = call(amira, "translate", SENTENCE)["pairs"][0]
    assert (mine["translation"], mine["origin"]) == ("Amira's own wording.", "yours")
    # Before accounts: B's /translate returned A's text marked "yours", and B's /forget deleted it.
    theirs = call(bilal, "translate", SENTENCE)["pairs"][0]
    assert theirs["translation"] != "Amira's own wording." and theirs["origin"] != "yours"
    assert call(bilal, "forget", SENTENCE)["forgotten"] is False
    assert call(amira, "translate", SENTENCE)["pairs"][0]["translation"] == "Amira's own wording."


def test_the_team_memory_is_read_by_everyone_and_written_by_editors_only(team):
    _, url, _ = team
    amira, bilal = signed_in(url, "amira"), signed_in(url, "bilal")
    sentence = "قصف روسي على حلب."
    refused = call(amira, "remember_team", sentence, "Amira for the team.", None)
    assert "Only the team memory's editors can change it" in refused["error"]
    assert call(bilal, "remember_team", sentence, "The team's wording.", None)["translation"] == "The team's wording."
    found = call(amira, "translate", sentence)["pairs"][0]
    assert (found["translation"], found["origin"]) == ("The team's wording.", "team")
    # One's own wording comes before the team's.
    call(amira, "remember", sentence, "Amira's wording.", None)
    assert call(amira, "translate", sentence)["pairs"][0]["origin"] == "yours"


def test_a_download_is_served_to_its_user_only(team):
    app, url, _ = team
    result = Client(url, auth=("amira", PASSWORDS["amira"]), verbose=False).predict(
        "قصف روسي على حلب. وأعلنت الفصائل سيطرتها.", api_name="/translate_page")
    assert result[0]["state"] == "done"
    digests = list(app.reader_page.downloads._owners)
    files = [path for digest in digests for path in (Path(app.GRADIO_CACHE) / digest).glob("*") if path.is_file()]
    assert files, "the downloads should be in Gradio's cache"
    address = f"gradio_api/file={files[0]}"
    assert signed_in(url, "amira").get(address).status_code == 200
    assert signed_in(url, "bilal").get(address).status_code == 404


def raw(url: str, method: str, path: str, headers: dict[str, str], body: bytes = b"") -> tuple[int, str]:
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    connection.request(method, path, body=body or None, headers=headers)
    answer = connection.getresponse()
    text = answer.read().decode("utf-8", "replace")
    connection.close()
    return answer.status, text


def test_a_rebound_host_and_a_foreign_page_are_refused(tiny_model, tmp_path, live_reader):
    """DNS rebinding: a page on evil.example re-points its name at 127.0.0.1; before the
    guard, its requests were answered (200) and /remember stored what it sent."""
    translator = Translator.from_options(str(tiny_model), cache_dir=str(tmp_path / "cache"), engine="transformers",
                                         device="cpu")
    app, url = live_reader(translator)
    port = urlsplit(url).port
    body = json.dumps({"data": [SENTENCE, "Planted by a stranger.", None]}).encode()
    json_type = {"Content-Type": "application/json"}
    status, text = raw(url, "POST", "/gradio_api/call/remember", {
        "Host": f"evil.example:{port}", "Origin": f"http://evil.example:{port}", **json_type}, body)
    assert status == 421 and "does not answer for the host" in text and "Access-Control" not in text
    status, _ = raw(url, "GET", "/config", {"Host": f"evil.example:{port}"})
    assert status == 421
    refused = httpx.post(url + "gradio_api/call/remember", content=body, headers={
        "Host": f"evil.example:{port}", "Origin": f"http://evil.example:{port}", **json_type})
    assert refused.status_code == 421 and "access-control-allow-origin" not in refused.headers  # the origin not echoed
    status, text = raw(url, "POST", "/gradio_api/call/remember", {
        "Host": f"127.0.0.1:{port}", "Origin": "http://evil.example", **json_type}, body)
    assert status == 403 and "another site" in text
    status, _ = raw(url, "POST", "/gradio_api/call/remember", {
        "Host": f"127.0.0.1:{port}", "Sec-Fetch-Site": "cross-site", **json_type}, body)
    assert status == 403
    assert translator.memory.lookup([SENTENCE]) == {}, "nothing was stored"
    # The page itself, and scripts (no Origin), are answered.
    status, _ = raw(url, "POST", "/gradio_api/call/remember", {
        "Host": f"127.0.0.1:{port}", "Origin": f"http://127.0.0.1:{port}", **json_type}, body)
    assert status == 200
    assert raw(url, "GET", "/config", {"Host": f"localhost:{port}"})[0] == 200
    assert raw(url, "GET", "/config", {"Host": f"[::1]:{port}"})[0] == 200


def test_bodies_and_uploads_are_bounded(tiny_model, tmp_path, live_reader, monkeypatch):
    monkeypatch.setenv("TRANSLATE_UPLOAD_BUDGET_BYTES", "3000000")
    translator = Translator.from_options(str(tiny_model), cache_dir=str(tmp_path / "cache"), engine="transformers",
                                         device="cpu")
    app, url = live_reader(translator)
    client = httpx.Client(base_url=url, timeout=60)
    # Before: a 200 MB JSON body was accepted, and the server kept 430 MB more.
    too_big = client.post("gradio_api/call/translate", content=b"[" * 3_000_000,
                          headers={"content-type": "application/json"})
    assert too_big.status_code == 413 and "larger than the reader takes (2.0 MB)" in too_big.json()["error"]

    def chunks():  # no Content-Length: counted as it arrives
        for _ in range(30):
            yield b"[" * 100_000

    assert client.post("gradio_api/call/translate", content=chunks(),
                       headers={"content-type": "application/json"}).status_code == 413
    # Before: 40 uploads of 5 MB from a client without a session were all kept.
    answers = []
    for number in range(8):  # bounded: 8 x 1 MB against a budget of 3 MB
        answer = client.post("gradio_api/upload", files={"files": (f"part{number}.txt", b"a" * 1_000_000)})
        answers.append(answer.status_code)
    assert answers[:2] == [200, 200] and answers[-1] == 429
    assert "as much as the reader takes from one person" in answer.json()["error"]
    assert client.post("gradio_api/call/translate", json={"data": [SENTENCE]}).status_code == 200


def test_load_file_with_a_path_never_uploaded_says_so(tiny_model, tmp_path, live_reader):
    translator = Translator.from_options(str(tiny_model), cache_dir=str(tmp_path / "cache"), engine="transformers",
                                         device="cpu")
    _, url = live_reader(translator)
    client = httpx.Client(base_url=url, timeout=60)
    answer = call(client, "load_file", {"path": "/etc/hostname", "meta": {"_type": "gradio.FileData"}})
    assert answer["error"] and "not uploaded" in answer["error"]  # before: {"error": null}


def test_session_glossaries_stay_within_their_budget(tmp_path):
    """Before: 14 sessions with a 5 MB glossary grew the server from 0.26 to 2.14 GB."""
    path = tmp_path / "terms.tsv"
    path.write_text("".join(f"مصطلح{number}\tterm {number}\n" for number in range(2000)), encoding="utf-8")
    size = path.stat().st_size
    glossaries = SessionGlossaries(each=size, total=size * 2)
    first, second = glossaries.load(path, "terms.tsv"), glossaries.load(path, "terms.tsv")
    with pytest.raises(Exception, match="holds as many glossaries as it can"):
        glossaries.load(path, "terms.tsv")
    del first
    gc.collect()
    assert glossaries.load(path, "terms.tsv") and glossaries.held == size * 2
    del second
    gc.collect()
    small = SessionGlossaries(each=size - 1)
    with pytest.raises(Exception, match=r"terms.tsv is [0-9.]+ MB; the page takes glossaries up to"):
        small.load(path, "terms.tsv")


def test_an_unknown_user_header_is_refused_and_a_named_one_is_that_user(tiny_model, tmp_path, live_reader):
    """--trust-user-header: the proxy names the user; a request without the header is nobody's."""
    translator = Translator.from_options(str(tiny_model), cache_dir=str(tmp_path / "cache"), engine="transformers",
                                         device="cpu")
    _, url = live_reader(translator, accounts=Accounts(user_header="X-Forwarded-User"))
    as_amira = httpx.Client(base_url=url, timeout=60, headers={"X-Forwarded-User": "amira"})
    as_bilal = httpx.Client(base_url=url, timeout=60, headers={"X-Forwarded-User": "bilal"})
    call(as_amira, "remember", SENTENCE, "Amira behind the proxy.", None)
    assert call(as_amira, "translate", SENTENCE)["pairs"][0]["origin"] == "yours"
    assert call(as_bilal, "translate", SENTENCE)["pairs"][0]["origin"] != "yours"
    nobody = call(httpx.Client(base_url=url, timeout=60), "translate", SENTENCE)
    assert "Sign in to use this reader" in nobody["error"]
    with pytest.raises(AppError):
        Client(url, verbose=False, headers={"X-Forwarded-User": "../amira"}).predict(SENTENCE, api_name="/translate")
