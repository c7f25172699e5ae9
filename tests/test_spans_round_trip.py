"""Formatting through the whole pipeline and back: a .docx with bold, italics and
hyperlinks through ``translate FILE --format same``, read back with python-docx; an
HTML article through the page's URL box (a real server on 127.0.0.1), its downloads
read back; EPUB and the bilingual views. With the tiny model the alignment is noise,
so only what must hold whatever the alignment is checked there (no link lost, targets
unchanged, the rest placed or flagged); with the hand-made alignment
(formatted_documents.GOLD) each span must land on its English words."""
from __future__ import annotations

import io
import json

import pytest
from conftest import serving
from formatted_documents import GOLD, LINKS, PARAGRAPHS, gold_translator, make_docx, make_epub, make_html
from lxml import html

from translate.cli import main
from translate.readers import read_document
from translate.text.spans import MARKER
from translate.writers import write

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
ALL_LINKS = sorted(LINKS)
EXPECTED_BOLD = {english for _, _, spans in GOLD.values() for (kind, _), english in spans.items() if kind == "bold"}
EXPECTED_ITALIC = {english for _, _, spans in GOLD.values() for (kind, _), english in spans.items()
                   if kind == "italic"}
EXPECTED_LINKS = {(english, target) for _, _, spans in GOLD.values() for (kind, arabic), english in spans.items()
                  if kind == "link" for _, pieces in PARAGRAPHS for text, f in pieces if text == arabic
                  and f and f[0] == "link" for target in [f[1]]}


def docx_read_back(data: bytes) -> dict:
    """What python-docx finds in a .docx: bold and italic runs' text, hyperlinks with targets."""
    import docx

    word = docx.Document(io.BytesIO(data))
    bold, italic, links = [], [], []
    for paragraph in word.paragraphs:
        for run in paragraph.runs:
            if run.bold:
                bold.append(run.text)
            if run.italic:
                italic.append(run.text)
        for link in paragraph._p.iter(f"{_W}hyperlink"):
            text = "".join(t.text or "" for t in link.iter(f"{_W}t"))
            links.append((text, word.part.rels[link.get(f"{_R}id")].target_ref))
    return {"bold": bold, "italic": italic, "links": links, "text": "\n".join(p.text for p in word.paragraphs)}


def test_a_docx_through_the_command_line_keeps_every_link_and_places_or_flags_the_rest(tmp_path, tiny_model,
                                                                                        capsys):
    (tmp_path / "report.docx").write_bytes(make_docx())
    out = tmp_path / "out"
    code = main([str(tmp_path / "report.docx"), "--format", "same,jsonl", "--out", str(out), "--model",
                 str(tiny_model), "--engine", "transformers", "--beams", "1", "--quiet"])
    assert code == 0, capsys.readouterr().err
    back = docx_read_back((out / "report.en.docx").read_bytes())
    assert sorted(target for _, target in back["links"]) == ALL_LINKS  # none lost, none changed
    assert "arabic" not in back["text"] and all(text.strip() for text, _ in back["links"])
    # Each bold or italic span is on the English or flagged in the pairs.
    pairs = [json.loads(line) for line in (out / "report.en.jsonl").read_text(encoding="utf-8").splitlines()[1:]]
    flags = {flag for pair in pairs for flag in pair["flags"]}
    assert back["bold"] or "format:bold" in flags
    assert back["italic"] or "format:italic" in flags
    kept = sum(text == MARKER for text, _ in back["links"])
    assert (kept > 0) == ("format:link" in flags)


@pytest.fixture(scope="module")
def gold(tiny_model, tmp_path_factory):
    return gold_translator(tiny_model, tmp_path_factory.mktemp("gold-cache"))


def test_a_docx_with_the_hand_made_alignment_comes_back_with_each_span_on_its_words(gold):
    data = make_docx()
    document = gold.translate_documents([read_document(data, "report.docx")])[0]
    back = docx_read_back(write(document, "same", original=data))
    assert set(back["bold"]) == EXPECTED_BOLD and set(back["italic"]) == EXPECTED_ITALIC
    assert set(back["links"]) == EXPECTED_LINKS and len(back["links"]) == len(LINKS)
    assert "Violent clashes are raging between Syrian opposition factions" in back["text"]
    assert not any(flag.startswith("format:") for pair in document.sentences for flag in pair.flags)


def test_an_epub_and_the_bilingual_views_keep_the_spans(gold):
    data = make_epub()
    document = gold.translate_documents([read_document(data, "book.epub")])[0]
    back = read_document(write(document, "same", original=data), "book.en.epub")
    found = {(s.kind, pair.source[s.start:s.end], s.target) for pair in back.sentences for s in pair.spans}
    assert {text for kind, text, _ in found if kind == "bold"} == EXPECTED_BOLD
    assert {(text, target) for kind, text, target in found if kind == "link"} == EXPECTED_LINKS
    page = html.fromstring(write(document, "html").decode())
    arabic = [(a.text_content(), a.get("href"), a.get("rel"), a.get("target"))
              for a in page.xpath('//*[@class="ar"]//a')]
    english = {(a.text_content(), a.get("href")) for a in page.xpath('//*[@class="en"]//a')}
    assert len(arabic) == len(LINKS) and all(rel == "noopener noreferrer" and t == "_blank" for *_, rel, t in arabic)
    assert english == EXPECTED_LINKS
    markdown = write(document, "md").decode()
    assert "| **[Turkey](<https://www.mfa.gov.tr/statement>) demands a halt to the attacks on [Idlib]" in markdown
    assert "between **Syrian opposition factions** and" in markdown and "of *large parts* of" in markdown


@pytest.fixture(scope="module")
def article_site():
    with serving({"/news/aleppo": make_html()}) as url:
        yield f"{url}/news/aleppo"


def test_an_article_through_the_url_box_keeps_its_links_in_the_page_and_its_downloads(gold, article_site):
    from translate.web.service import ReaderService

    service = ReaderService(gold, samples_dir=None, allow_private_urls=True)
    loaded = service.load_url(article_site)
    *_, last = service.translate_page(loaded.text, loaded)
    assert last.state == "done"
    files = {path.name.split(".", 2)[-1]: path for _, path in last.downloads if path is not None}
    page = html.fromstring(files["page.html"].read_bytes())
    links = {(a.text_content(), a.get("href")) for a in page.xpath("//p/a|//h2/a|//h1/a")}
    assert EXPECTED_LINKS <= links
    assert {b.text_content() for b in page.xpath("//b")} == EXPECTED_BOLD
    bilingual = html.fromstring(files["html"].read_bytes())
    assert {(a.text_content(), a.get("href")) for a in bilingual.xpath('//*[@class="en"]//a')} == EXPECTED_LINKS


def test_the_page_is_sent_each_sentence_s_formatting_on_both_sides(gold, article_site):
    from translate.web.service import ReaderService
    from translate.web.view import step_view

    service = ReaderService(gold, samples_dir=None, allow_private_urls=True)
    loaded = service.load_url(article_site)
    *_, last = service.translate_page(loaded.text, loaded)
    view = step_view(last)
    arabic = {(pair[1][s[0]:s[1]], s[3]) for index, spans in view["spans"].items() for s in spans
              for pair in [view["pairs"][int(index)]] if s[2] == "link"}
    english = {(pair[2]["t"][s[0]:s[1]], s[3]) for pair in view["pairs"] if pair[2] and "k" in pair[2]
               for s in pair[2]["k"] if s[2] == "link"}
    assert {target for _, target in arabic} == set(LINKS) and english == EXPECTED_LINKS
    assert not any("l" in pair[2] for pair in view["pairs"] if pair[2])  # all placed: none kept after


def test_utf16_offsets_for_the_browser():
    from translate.text.spans import Span
    from translate.web.view import _spans

    # An emoji is one character here, two UTF-16 code units in the browser.
    assert _spans("😀 حلب", [Span(2, 5, "link", "https://e.org/")]) == [[3, 6, "link", "https://e.org/"]]
