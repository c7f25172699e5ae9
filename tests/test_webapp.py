"""The bilingual reader, served for real on a free localhost port with the tiny
model, and called the way a user's script would call it: with ``gradio_client``."""
from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import gradio as gr
import httpx
import pytest
from gradio_client import Client, handle_file
from gradio_client.exceptions import AppError

from translate import Translator, config, split_sentences
from translate.web.serve import build_parser, is_local
from translate.writers.bilingual import bilingual_view

ROOT = Path(__file__).resolve().parent.parent

# Two paragraphs, a headline first: quick with the tiny model, and enough to align.
SHORT = "قصف روسي على حلب\nوأعلنت فصائل المعارضة السيطرة على مبنى القصر البلدي. كما أعلنت الفصائل سيطرتها على تلة."
SPAN = re.compile(r'<span class="s[^"]*" data-idx="(\d+)"')


def columns(page: str) -> tuple[list[int], list[int]]:
    """The data-idx of every sentence element in the Arabic and the English column
    of a server-rendered page (the .html download)."""
    arabic = [int(i) for block in re.findall(r'class="ar"[^>]*>(.*?)</(?:p|h2)>', page) for i in SPAN.findall(block)]
    english = [int(i) for block in re.findall(r'class="en"[^>]*>(.*?)</(?:p|h2)>', page) for i in SPAN.findall(block)]
    return arabic, english


def pending(view: dict) -> list[int]:
    """The pairs of a streamed view that are not translated yet."""
    return [i for i, (_, _, result) in enumerate(view["pairs"]) if result is None]


@pytest.fixture(scope="module")
def reader_translator(tiny_model, tmp_path_factory) -> Translator:
    # Greedy decoding keeps the random model quick; the page does not care.
    return Translator.from_options(str(tiny_model), cache_dir=str(tmp_path_factory.mktemp("reader-cache")),
                      engine="transformers", device="cpu", beams=1)


@pytest.fixture(scope="module")
def live_app(reader_translator, live_reader):
    return live_reader(reader_translator)


@pytest.fixture(scope="module")
def client(live_app, tmp_path_factory) -> Client:
    return Client(live_app[1], verbose=False, download_files=str(tmp_path_factory.mktemp("downloads")))


def test_text_in_aligned_pairs_out(client):
    result = client.predict(SHORT, api_name="/translate")
    sentences = split_sentences(SHORT)
    assert result["sentences"] == len(result["pairs"]) == len(sentences) == 3
    assert [p["source"] for p in result["pairs"]] == sentences
    assert [p["index"] for p in result["pairs"]] == [0, 1, 2]
    assert [p["paragraph"] for p in result["pairs"]] == [0, 1, 1]
    assert all(p["translation"] for p in result["pairs"])
    assert result["english"].count("\n") == SHORT.count("\n")

    view, status, *_ = client.predict(SHORT, api_name="/translate_page")
    assert [source for _, source, _ in view["pairs"]] == sentences
    assert [paragraph for paragraph, _, _ in view["pairs"]] == [0, 1, 1]
    assert [kind for kind, _ in view["paragraphs"]] == ["h", "p"]  # the headline line
    assert view["state"] == "done" and not pending(view)
    assert [r["t"] for _, _, r in view["pairs"]] == [p["translation"] for p in result["pairs"]]


def test_second_call_is_fully_cached(client):
    text = "وقالت الوزارة إن الحفاظ على الهدوء أولوية.\nتركيا تطالب بوقف الهجمات على إدلب"
    client.predict(text, api_name="/translate")
    again = client.predict(text, api_name="/translate")
    assert again["cached"] == again["sentences"] == 2
    _, status, *_ = client.predict(text, api_name="/translate_page")
    assert re.search(r"2 sentences, 2 from cache, \d+\.\d s", status)


def test_cached_sentences_come_first_then_the_rest(client, reader_translator):
    cached = "ويهدف مسار أستانا إلى إنهاء النزاع في سوريا."
    reader_translator.translate(cached)
    text = f"{cached} لكن حكومة النظام لم توقع على الاتفاق.\nوبدأت تركيا عملية مصالحة مع دمشق."
    job = client.submit(text, api_name="/translate_page")
    final = job.result()
    steps = job.outputs()
    first_view, first_status = steps[0][:2]
    assert pending(first_view) == [1, 2]  # the cached one is already there
    assert first_view["pairs"][0][2]["c"] == 1
    assert "<progress" in first_status
    view, status, *downloads = final
    assert not pending(view) and "<progress" not in status
    assert re.search(r"3 sentences, 1 from cache", status)

    txt, tmx, xliff, html_page, md, jsonl = (Path(d["value"]) for d in downloads)
    assert [path.name for path in (txt, tmx, xliff, html_page, md, jsonl)] == [
        "translation.en.txt", "translation.en.tmx", "translation.en.xlf", "translation.en.html", "translation.en.md",
        "translation.en.jsonl"]
    assert txt.read_text(encoding="utf-8").count("\n") == 2
    standalone = html_page.read_text(encoding="utf-8")
    assert standalone.startswith("<!doctype html>") and "<script>" in standalone
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", standalone), "the page must open offline"
    assert columns(standalone) == ([0, 1, 2], [0, 1, 2])
    header, *rows = jsonl.read_text(encoding="utf-8").splitlines()
    assert json.loads(header)["signature"] == str(reader_translator.signature)
    assert [json.loads(line)["index"] for line in rows] == [0, 1, 2]


@pytest.mark.parametrize("text", ["", "   \n\t"])
def test_empty_input_is_a_clear_error(client, text):
    with pytest.raises(AppError, match="Nothing to translate"):
        client.predict(text, api_name="/translate")


def test_over_long_input_is_refused_not_truncated(client):
    message = r"The text has 101,000 characters; the page translates up to 100,000 at a time"
    with pytest.raises(AppError, match=message):
        client.predict("حلب " * 25_250, api_name="/translate")
    view, status, *_ = client.predict("حلب " * 25_250, api_name="/translate_page")  # the button: in the status line
    assert view["state"] == "failed" and not view["pairs"] and re.search(message, status)
    assert "--" not in status and "`" not in status  # names the page's limit, not a command or flag


def test_html_in_the_input_comes_back_escaped_in_the_download(client, reader_translator):
    attack = "قصف روسي <b>على</b> حلب\n<script>alert(1)</script>\n<img src=x onerror=alert(2)>"
    page = bilingual_view(reader_translator.translate(attack))
    assert "<script" not in page and "<img" not in page and "<b>" not in page
    # Lines without Arabic pass through untranslated: escaped in both columns.
    assert page.count("&lt;script&gt;alert(1)&lt;/script&gt;") == 2
    assert page.count("&lt;img src=x onerror=alert(2)&gt;") == 2
    assert "قصف روسي &lt;b&gt;على&lt;/b&gt; حلب" in page
    # The page's view and the API carry the raw text as JSON (the browser escapes it:
    # tests/test_browser.py); JSON is not HTML.
    pairs = client.predict(attack, api_name="/translate")["pairs"]
    assert pairs[1]["source"] == pairs[1]["translation"] == "<script>alert(1)</script>"


def test_sample_articles_are_offered(client, seed_text):
    assert client.predict("aleppo-offensive.ar.txt", api_name="/load_sample") == seed_text
    with pytest.raises(AppError):
        client.predict("../pyproject.toml", api_name="/load_sample")



def test_upload_reads_utf8_and_legacy_text_and_explains_the_rest(client, tmp_path):
    good = tmp_path / "خبر.ar.txt"
    good.write_text(SHORT, encoding="utf-8")
    assert client.predict(handle_file(str(good)), api_name="/load_file") == SHORT
    legacy = tmp_path / "legacy.txt"
    legacy.write_bytes(SHORT.encode("cp1256"))
    assert client.predict(handle_file(str(legacy)), api_name="/load_file") == SHORT  # recognised and read
    binary = tmp_path / "photo.txt"
    binary.write_bytes(bytes(range(256)) * 8)
    with pytest.raises(AppError, match="binary"):
        client.predict(handle_file(str(binary)), api_name="/load_file")


def test_server_limits(live_app):
    app, url = live_app
    assert app.reader.max_upload == config.max_input_bytes()  # the readers' limit, as for the CLI
    too_big = b"x" * (app.reader.max_upload + 1)
    response = httpx.post(f"{url}gradio_api/upload", files={"files": ("big.txt", too_big)}, timeout=30)
    assert response.status_code == 413
    assert httpx.get(f"{url}monitoring", timeout=10).status_code == 403
    assert app.enable_monitoring is False
    assert app._queue.max_size == config.QUEUE_MAX_SIZE
    assert url.startswith("http://127.0.0.1:")
    assert str(app.reader.translator.cache.folder) in app.blocked_paths




def test_an_unexpected_failure_is_told_in_words_and_logged(reader_translator, caplog, live_reader):
    """The script's endpoint words a failure that is not the reader's, and logs its traceback
    (the page's own stream: test_web_service)."""
    from spies import BrokenEngine

    broken = Translator(BrokenEngine(reader_translator.engine, KeyError("vocab")), reader_translator.cache,
                        settings=reader_translator.settings)
    _, url = live_reader(broken)
    with caplog.at_level(logging.ERROR, logger="translate"):
        with pytest.raises(AppError, match=r"Something went wrong on the server \(reference [0-9a-f]{8}\)") as raised:
            Client(url, verbose=False).predict("وأعلنت الفصائل سيطرتها على تلة جديدة.", api_name="/translate")
        view, status, *_ = Client(url, verbose=False).predict("وأعلنت الفصائل سيطرتها على تلة جديدة.",
                                                              api_name="/translate_page")
    assert view["state"] == "failed" and "Something went wrong on the server (reference " in status
    assert "press Translate to try again" in status and "Loading" not in status
    # No exception's name or text reaches the reader; the log has them, under the reference.
    assert "KeyError" not in status and "vocab" not in status and "KeyError" not in str(raised.value)
    reference = re.search(r"reference ([0-9a-f]{8})", str(raised.value)).group(1)
    assert any(record.exc_info and record.exc_info[0] is KeyError and reference in record.getMessage()
               for record in caplog.records)
    from translate.web.components import page_error

    error = page_error(KeyError("vocab"))
    assert isinstance(error, gr.Error) and error.message.startswith("Something went wrong on the server")



def test_public_host_warns_and_share_is_off_by_default(monkeypatch, capsys, tiny_model):
    import translate.web.serve as webapp

    calls = []

    class Served:
        share_url = None

        def block_thread(self):
            pass

    def fake_serve(translator, **options):
        calls.append(options)
        return Served(), "http://127.0.0.1:7860/"

    monkeypatch.setattr(webapp, "serve", fake_serve)
    # Other machines, no sign-in: refused, unless --no-auth says so, and then warned on every start.
    assert webapp.main(["--host", "0.0.0.0", "--model", str(tiny_model)]) == 2
    err = capsys.readouterr().err
    assert "--host 0.0.0.0 lets other machines reach the reader, and it has no sign-in" in err and not calls
    assert "Traceback" not in err
    assert webapp.main(["--host", "0.0.0.0", "--no-auth", "--model", str(tiny_model)]) == 0
    assert "warning: --no-auth: anyone who can reach 0.0.0.0" in capsys.readouterr().err
    assert calls[0]["host"] == "0.0.0.0" and calls[0]["share"] is False
    assert not calls[0]["accounts"].on
    monkeypatch.delenv("GRADIO_SERVER_PORT", raising=False)
    args = build_parser().parse_args([])
    assert (args.host, args.port, args.share) == ("127.0.0.1", 7860, False)
    assert is_local("127.0.0.1") and is_local("localhost") and is_local("::1") and not is_local("0.0.0.0")


@pytest.mark.parametrize("argv, message", [
    (["--port", "99999"], "99999 is not a port number (1-65535)"),
    (["--port", "http"], "'http' is not a port number"),
])
def test_a_bad_port_is_one_line_not_a_traceback(argv, message, capsys):
    with pytest.raises(SystemExit) as exit_:
        build_parser().parse_args(argv)
    assert exit_.value.code == 2 and message in capsys.readouterr().err


def test_a_bad_gradio_server_port_is_one_line_not_a_traceback():
    # Gradio reads $GRADIO_SERVER_PORT when it is imported, before our options are parsed.
    env = {k: v for k, v in os.environ.items() if k != "GRADIO_SERVER_PORT"}
    env |= {"PYTHONPATH": str(ROOT), "GRADIO_SERVER_PORT": "0x"}
    run = subprocess.run([sys.executable, "app.py"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 2 and "'0x' is not a port number" in run.stderr and "Traceback" not in run.stderr, \
        run.stderr


def test_batch_mode_and_library_never_import_gradio():
    code = (
        "import sys, app, translate, translate.cli, translate.writers.bilingual\n"
        "try:\n    app.main(['--batch', '--help'])\nexcept SystemExit:\n    pass\n"
        "assert 'gradio' not in sys.modules, 'gradio was imported'\n"
    )
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("usage: translate batch")  # the batch command answered
