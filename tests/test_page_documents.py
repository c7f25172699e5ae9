"""Documents on the page, as the CLI reads and writes them: an upload in every input
format becomes the document's blocks, a web address is fetched (a real HTTP server
on 127.0.0.1, allowed only when the page is served with ``allow_private_urls``),
and every download parses back with an independent reader. The page is served for
real with the tiny model and called with ``gradio_client``, as a script would."""
from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from gradio_client import Client, handle_file
from gradio_client.exceptions import AppError
from lxml import etree
from sample_documents import (
    DATA,
    SEED_LINES,
    make_docx,
    make_epub,
    make_pdf,
    make_scanned_pdf,
    make_srt,
    saved_page,
)

from translate import Translator
from translate.readers import read_document
from translate.web.serve import build_parser

TMX_DTD = DATA / "tmx14.dtd"
XLIFF_XSD = DATA / "xliff-2.0" / "xliff_core_2.0.xsd"
XLIFF = "{urn:oasis:names:tc:xliff:document:2.0}"
ROOT = Path(__file__).resolve().parent.parent

#: One file per input format the page reads: (bytes, name).
UPLOADS = {
    "txt": lambda: ("\r\n".join(SEED_LINES[:4]).encode("utf-8"), "news.ar.txt"),
    "md": lambda: (("# " + SEED_LINES[2] + "\n\n" + SEED_LINES[3]).encode("utf-8"), "notes.md"),
    "html": lambda: (saved_page("news-araby.ar.html"), "news-araby.ar.html"),
    "docx": lambda: (make_docx()[0], "report.ar.docx"),
    "pdf": lambda: (make_pdf()[0], "report.pdf"),
    "srt": lambda: (make_srt()[0], "film.srt"),
    "epub": lambda: (make_epub()[0], "book.epub"),
}
#: The first download, the document in its own format: (button label, file ending).
SAME = {"txt": ("English .txt", ".en.txt"), "md": ("English .md", ".en.page.md"),
        "html": ("English web page", ".en.page.html"), "docx": ("Word .docx", ".en.docx"),
        "pdf": ("Word .docx", ".en.docx"), "srt": ("Subtitles .srt", ".en.srt"), "epub": ("EPUB book", ".en.epub")}
LABELS = ["TMX", "XLIFF", "Bilingual .html", "Markdown", "Pairs .jsonl"]


@pytest.fixture(scope="module")
def page_translator(tiny_model, tmp_path_factory) -> Translator:
    return Translator.from_options(str(tiny_model), engine="ctranslate2", device="cpu", beams=1,
                                   cache_dir=str(tmp_path_factory.mktemp("page-documents-cache")))


@pytest.fixture(scope="module")
def open_page(page_translator, live_reader, tmp_path_factory):
    """The page served with local addresses allowed in its URL box (tests fetch from 127.0.0.1)."""
    app, url = live_reader(page_translator, allow_private_urls=True)
    return app, url


@pytest.fixture
def client(open_page, tmp_path) -> Client:
    """A fresh session: what one loads, the next test does not see."""
    return Client(open_page[1], verbose=False, download_files=str(tmp_path / "downloads"))


@pytest.fixture(scope="module")
def site(news_site):
    return news_site


def upload(client: Client, tmp_path: Path, data: bytes, name: str) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return client.predict(handle_file(str(path)), api_name="/load_file")


def kinds(document) -> list[str]:
    return ["h" if paragraph.is_heading else "p" for paragraph in document.paragraphs]


# -- uploads -------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", sorted(UPLOADS))
def test_an_upload_in_each_format_becomes_its_blocks_and_downloads_in_every_format(client, tmp_path, fmt,
                                                                                   page_translator):
    data, name = UPLOADS[fmt]()
    expected = read_document(data, name)  # the CLI's reader
    text = upload(client, tmp_path, data, name)
    assert text == expected.text.replace("\r\n", "\n")

    view, status, *downloads = client.predict(text, api_name="/translate_page")
    assert view["state"] == "done" and "sentences" in status
    assert view["title"] == (expected.title or name)
    assert [kind for kind, _ in view["paragraphs"]] == kinds(expected)
    assert [source for _, source, _ in view["pairs"]] == [pair.source for pair in expected.sentences]
    assert [paragraph for paragraph, _, _ in view["pairs"]] == [pair.paragraph for pair in expected.sentences]
    assert all(result and result["t"] is not None for _, _, result in view["pairs"])

    # Every download, named after the upload, read back by an independent reader.
    files = [Path(d["value"]) for d in downloads]
    stem = name.rsplit(".", 1)[0].removesuffix(".ar")
    label, ending = SAME[fmt]
    assert [d["label"] for d in downloads] == [label, *LABELS]
    assert [f.name for f in files] == [stem + ending, *(stem + e for e in (".en.tmx", ".en.xlf", ".en.html",
                                                                           ".en.md", ".en.jsonl"))]
    english = [result["t"] for _, _, result in view["pairs"]]
    signature = str(page_translator.signature)
    check_same(fmt, files[0], data, len(expected.paragraphs))
    check_tmx(files[1].read_bytes(), view["pairs"], signature)
    check_xliff(files[2].read_bytes(), view["pairs"])
    page = files[3].read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>") and all(line.split()[0] in page for line in english if line.split())
    table = files[4].read_text(encoding="utf-8")
    assert len([row for row in table.splitlines() if row.startswith("| ")]) == len(english) + 2  # + head, rule
    header, *rows = files[5].read_text(encoding="utf-8").splitlines()
    assert json.loads(header)["signature"] == signature
    assert [json.loads(row)["translation"] for row in rows] == english


def check_same(fmt: str, path: Path, original: bytes, blocks: int) -> None:
    """The document in its own format opens with the library real files are read with."""
    data = path.read_bytes()
    if fmt in ("docx", "pdf"):
        import docx

        opened = docx.Document(io.BytesIO(data))  # python-docx opens it
        texts = [p.text for p in opened.paragraphs if p.text.strip()]
        texts += [cell.text for table in opened.tables for row in table.rows for cell in row.cells if cell.text]
        assert len(texts) == blocks  # one per block of the original
    elif fmt == "srt":
        import srt

        english, arabic = list(srt.parse(data.decode("utf-8"))), list(srt.parse(original.decode("utf-8")))
        assert [(s.start, s.end) for s in english] == [(s.start, s.end) for s in arabic]  # the timings kept
    elif fmt == "epub":
        import zipfile

        assert zipfile.ZipFile(io.BytesIO(data)).read("mimetype") == b"application/epub+zip"
    elif fmt == "html":
        assert read_document(data, path.name).paragraphs
    else:
        assert len([line for line in data.decode("utf-8").splitlines() if line.strip()]) == blocks


def check_tmx(data: bytes, pairs: list, signature: str) -> None:
    tree = etree.fromstring(data)
    dtd = etree.DTD(str(TMX_DTD))
    assert dtd.validate(tree), dtd.error_log.filter_from_errors()
    units = [tuple(tuv.findtext("seg") for tuv in unit.iter("tuv")) for unit in tree.iter("tu")]
    assert units == [(source, result["t"]) for _, source, result in pairs]
    assert {unit.findtext("prop[@type='x-signature']") for unit in tree.iter("tu")} == {signature}


def check_xliff(data: bytes, pairs: list) -> None:
    import xmlschema

    xmlschema.XMLSchema(str(XLIFF_XSD)).validate(data.decode())
    segments = [(s.findtext(f"{XLIFF}source"), s.findtext(f"{XLIFF}target"))
                for s in etree.fromstring(data).iter(f"{XLIFF}segment")]
    assert segments == [(source, result["t"]) for _, source, result in pairs]


def test_an_edited_document_is_translated_as_the_text_in_the_box(client, tmp_path):
    data, name = UPLOADS["docx"]()
    text = upload(client, tmp_path, data, name)
    view, _, same, *_ = client.predict(text + "\nوداعا", api_name="/translate_page")
    assert view["title"] is None and same["label"] == "English .txt"  # no longer the Word document
    assert Path(same["value"]).name == "translation.en.txt"


BAD_UPLOADS = {
    "binary": (lambda: bytes(range(256)) * 8, "photo.txt", "binary"),
    "scanned": (make_scanned_pdf, "scan.pdf", "no text layer"),
    "unknown format": (lambda: b"\x89PNG\r\n\x1a\n" + bytes(64), "photo.png", "not a format the page reads"),
    "damaged docx": (lambda: make_docx()[0][:3000], "broken.docx", "damaged Word document"),
    "old Word": (lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "old.docx", "old binary Office file"),
}


@pytest.mark.parametrize("case", sorted(BAD_UPLOADS))
def test_a_bad_upload_is_a_clear_message(client, tmp_path, case):
    make, name, words = BAD_UPLOADS[case]
    with pytest.raises(AppError, match=words) as raised:
        upload(client, tmp_path, make(), name)
    assert "Traceback" not in str(raised.value) and "--" not in str(raised.value)



# -- web addresses ---------------------------------------------------------------------------


def test_a_web_article_is_fetched_read_and_translated(client, site):
    url = f"{site}/news/aleppo-offensive"
    expected = read_document(saved_page("news-portal.ar.html"), "aleppo-offensive.html")
    text = client.predict(url, api_name="/load_url")
    assert text == expected.text and expected.title and text.startswith(expected.title)
    view, _, same, *_ = client.predict(text, api_name="/translate_page")
    assert view["title"] == expected.title and view["state"] == "done"
    assert [kind for kind, _ in view["paragraphs"]] == kinds(expected)
    assert same["label"] == "English web page" and Path(same["value"]).name == "aleppo-offensive.en.page.html"
    with pytest.raises(AppError, match="404"):
        client.predict(f"{site}/missing", api_name="/load_url")
    with pytest.raises(AppError, match="only http:// and https://|not a web address"):
        client.predict("file:///etc/passwd", api_name="/load_url")


def test_local_addresses_are_refused_unless_the_server_allows_them(page_translator, live_reader, site, tmp_path):
    _, url = live_reader(page_translator)  # served without the option
    guarded = Client(url, verbose=False, download_files=str(tmp_path))
    with pytest.raises(AppError, match="private or local address"):
        guarded.predict(f"{site}/news/aleppo-offensive", api_name="/load_url")
    assert build_parser().parse_args([]).allow_private_urls is False
    assert build_parser().parse_args(["--allow-private-urls"]).allow_private_urls is True


def test_the_option_reaches_the_server(monkeypatch, tiny_model):
    from translate.web import serve as webapp

    calls = []

    class Served:
        share_url = None

        def block_thread(self):
            pass

    monkeypatch.setattr(webapp, "serve", lambda translator, **options: (calls.append(options), (Served(), "u"))[1])
    assert webapp.main(["--model", str(tiny_model), "--allow-private-urls"]) == 0
    assert webapp.main(["--model", str(tiny_model)]) == 0
    assert [call["allow_private_urls"] for call in calls] == [True, False]
