"""Writers: each output, read back with an independent reader, has one translation
per source sentence, in order; TMX and XLIFF are valid against their published
DTD and schema."""
from __future__ import annotations

import io
import json
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from lxml import html as lxml_html
from sample_documents import DATA, make_docx, make_epub, make_pdf, make_srt, saved_page

from translate import OutputError, Translator, UsageError
from translate.readers import read_document
from translate.text.document import Document, paragraph_translation
from translate.translation import Translation
from translate.writers import FORMATS, SAME, parse_formats, resolve, suffix, write
from translate.writers.srt import share_over_cues, split_by_weights

TMX_DTD = DATA / "tmx14.dtd"
XLIFF_XSD = DATA / "xliff-2.0" / "xliff_core_2.0.xsd"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
XLIFF = "{urn:oasis:names:tc:xliff:document:2.0}"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

INPUTS = {
    "docx": lambda: (make_docx()[0], "report.docx"),
    "pdf": lambda: (make_pdf()[0], "report.pdf"),
    "srt": lambda: (make_srt()[0], "film.srt"),
    "epub": lambda: (make_epub()[0], "book.epub"),
    "html": lambda: (saved_page("news-araby.ar.html"), "news-araby.ar.html"),
    "txt": lambda: ((Path(__file__).parent.parent / "seeds" / "aleppo-offensive.ar.txt").read_bytes(), "a.ar.txt"),
}


@pytest.fixture(scope="module")
def shared_translator(tiny_model, tmp_path_factory) -> Translator:
    """One tiny-model translator for the module: its cache spares the sentences the inputs share."""
    return Translator.from_options(str(tiny_model), cache_dir=tmp_path_factory.mktemp("cache"),
                                   engine="transformers", device="cpu")


@pytest.fixture(scope="module")
def translated(shared_translator):
    """``translated(fmt) -> (original bytes, translated document)``, each made once."""
    made: dict[str, tuple[bytes, Document]] = {}

    def get(fmt: str) -> tuple[bytes, Document]:
        if fmt not in made:
            data, name = INPUTS[fmt]()
            document = read_document(data, name)
            made[fmt] = data, shared_translator.translate_documents([document])[0]
        return made[fmt]

    return get


def english(document: Document) -> list[str]:
    """Each paragraph's English: its sentences' translations, in order, joined by a space."""
    return [paragraph_translation(p) for p in document.paragraphs]


def squeeze(text: str) -> str:
    return " ".join(text.split())


# -- the translated document in its own format ---------------------------------------


def test_docx_keeps_the_original_styles_and_turns_left_to_right(translated):
    import docx

    original, document = translated("docx")
    out = write(document, "same", original=original)
    word, before = docx.Document(io.BytesIO(out)), docx.Document(io.BytesIO(original))
    assert [p.style.name for p in word.paragraphs] == [p.style.name for p in before.paragraphs]
    back = read_document(out, "report.en.docx")
    assert [p.kind for p in back.paragraphs] == [p.kind for p in document.paragraphs]
    assert [squeeze(back.text[p.start:p.end]) for p in back.paragraphs] == [squeeze(t) for t in english(document)]
    body = word.element.body  # no right-to-left mark left anywhere
    assert all(b.get(f"{W}val") == "0" for b in body.iter(f"{W}bidi", f"{W}rtl"))
    assert not list(body.iter(f"{W}bidiVisual"))
    assert all(jc.get(f"{W}val") != "right" for jc in body.iter(f"{W}jc"))


def test_docx_from_the_wrong_original_is_refused(translated):
    import docx

    original, document = translated("docx")
    word = docx.Document(io.BytesIO(original))
    word.paragraphs[1].text = "نص آخر تماما"  # the same file with one paragraph changed
    changed = io.BytesIO()
    word.save(changed)
    with pytest.raises(OutputError, match="does not match"):
        write(document, "docx", original=changed.getvalue())


@pytest.mark.parametrize("fmt", ["html", "pdf", "txt"])
def test_docx_from_other_inputs_is_built_from_the_block_kinds(translated, fmt):
    _, document = translated(fmt)
    back = read_document(write(document, "docx"), "x.docx")
    assert [squeeze(back.text[p.start:p.end]) for p in back.paragraphs] == [squeeze(t) for t in english(document)]
    assert [p.kind for p in back.paragraphs] == [p.kind for p in document.paragraphs]


def test_srt_keeps_every_cue_and_timing_and_shares_split_sentences(translated):
    import srt

    original, document = translated("srt")
    before, after = list(srt.parse(original.decode())), list(srt.parse(write(document, "same").decode()))
    assert [(c.index, c.start, c.end) for c in after] == [(c.index, c.start, c.end) for c in before]
    assert all(c.content.strip() for c in after)
    # Read back cue by cue, the English is every sentence's translation, in order.
    assert squeeze(" ".join(c.content for c in after)) == squeeze(" ".join(p.translation for p in document.sentences))
    # A sentence over three cues came back over the same three cues.
    assert len(document.paragraphs[3].sentences) == 1 and len(document.paragraphs[3].meta["cues"]) == 3


def test_srt_only_for_subtitle_inputs(translated):
    _, document = translated("txt")
    with pytest.raises(OutputError, match="subtitle input"):
        write(document, "srt")


def test_epub_rebuilt_from_the_original_in_english(translated):
    original, document = translated("epub")
    out = write(document, "same", original=original)
    back = read_document(out, "book.en.epub")
    assert [p.kind for p in back.paragraphs] == [p.kind for p in document.paragraphs]
    assert [squeeze(back.text[p.start:p.end]) for p in back.paragraphs] == [squeeze(t) for t in english(document)]
    archive = zipfile.ZipFile(io.BytesIO(out))
    first = archive.infolist()[0]
    assert (first.filename, first.compress_type) == ("mimetype", zipfile.ZIP_STORED)
    package = archive.read("EPUB/content.opf").decode()
    assert "<dc:language>en</dc:language>" in package
    chapter = etree.fromstring(archive.read("EPUB/one.xhtml"))
    assert (chapter.get("lang"), chapter.get("dir")) == ("en", "ltr")
    navigation = archive.read("EPUB/nav.xhtml").decode()
    heading = next(p for p in document.paragraphs if p.kind == "heading")
    assert paragraph_translation(heading) in navigation  # the table of contents follows the headings


@pytest.mark.parametrize("fmt", ["html", "docx"])
def test_epub_from_other_inputs(translated, fmt):
    _, document = translated(fmt)
    back = read_document(write(document, "epub"), "x.epub")
    title = english(document)[0] if document.paragraphs[0].kind == "title" else document.name
    assert [squeeze(back.text[p.start:p.end]) for p in back.paragraphs] == \
        [squeeze(t) for t in [title, *english(document)]]  # the book's title, then the chapters


@pytest.mark.parametrize("fmt", ["html", "pdf", "docx", "epub", "txt", "srt"])
def test_page_is_the_english_document_in_order(translated, fmt):
    _, document = translated(fmt)
    page = lxml_html.fromstring(write(document, "page", signature="model=tiny").decode())
    blocks = [squeeze(e.text_content()) for e in page.iter("h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "td", "th")
              if "source" not in (e.get("class") or "")]
    assert blocks == [squeeze(t) for t in english(document)]
    assert page.get("dir") == "ltr" and page.get("lang") == "en"


# -- the bilingual views, for every input ---------------------------------------------


@pytest.mark.parametrize("fmt", sorted(INPUTS))
def test_bilingual_views_for_every_input(translated, fmt):
    _, document = translated(fmt)
    header, *rows = [json.loads(line) for line in write(document, "jsonl").decode().splitlines()]
    assert header["sentences"] == len(rows) and header["signature"] == document.signature
    assert [(r["source"], r["translation"]) for r in rows] == [(p.source, p.translation) for p in document.sentences]
    page = lxml_html.fromstring(write(document, "html").decode())
    english_spans = page.xpath('//*[contains(@class, "en")]/span[@data-idx]')
    assert [s.text_content() for s in english_spans] == [p.translation for p in document.sentences]
    table = write(document, "md").decode().splitlines()
    assert len([row for row in table if row.startswith("| ")]) == len(document.sentences) + 2  # + head, rule


# -- translation memories ------------------------------------------------------------


def _tmx_pairs(data: bytes) -> list[tuple[str, str]]:
    root = etree.fromstring(data)
    return [tuple(tuv.findtext("seg") for tuv in unit.iter("tuv")) for unit in root.iter("tu")]


def _xliff_pairs(data: bytes) -> list[tuple[str, str]]:
    root = etree.fromstring(data)
    return [(segment.findtext(f"{XLIFF}source"), segment.findtext(f"{XLIFF}target"))
            for segment in root.iter(f"{XLIFF}segment")]


@pytest.mark.parametrize("fmt", sorted(INPUTS))
def test_tmx_is_valid_tmx_1_4_and_round_trips(translated, fmt, shared_translator):
    _, document = translated(fmt)
    signature = str(shared_translator.signature)
    data = write(document, "tmx", signature=signature)
    tree = etree.fromstring(data)
    dtd = etree.DTD(str(TMX_DTD))
    assert dtd.validate(tree), dtd.error_log.filter_from_errors()
    assert _tmx_pairs(data) == [(p.source, p.translation) for p in document.sentences]
    assert [[tuv.get(XML_LANG) for tuv in unit.iter("tuv")] for unit in tree.iter("tu")] == \
        [["ar", "en"]] * len(document.sentences)
    signatures = [unit.findtext("prop[@type='x-signature']") for unit in tree.iter("tu")]
    assert signatures == [signature] * len(document.sentences)


@pytest.mark.parametrize("fmt", sorted(INPUTS))
def test_xliff_is_valid_xliff_2_0_and_round_trips(translated, fmt, shared_translator):
    import xmlschema

    _, document = translated(fmt)
    signature = str(shared_translator.signature)
    data = write(document, "xliff", signature=signature)
    xmlschema.XMLSchema(str(XLIFF_XSD)).validate(data.decode())
    assert _xliff_pairs(data) == [(p.source, p.translation) for p in document.sentences]
    root = etree.fromstring(data)
    assert (root.get("srcLang"), root.get("trgLang")) == ("ar", "en")
    notes = [unit.findtext(f"{XLIFF}notes/{XLIFF}note[@category='signature']") for unit in root.iter(f"{XLIFF}unit")]
    assert notes == [signature] * len(document.sentences)


def test_the_validators_reject_broken_files(translated):
    import xmlschema

    _, document = translated("srt")
    tmx = etree.fromstring(write(document, "tmx"))
    del tmx.find("header").attrib["srclang"]
    assert not etree.DTD(str(TMX_DTD)).validate(tmx)
    xliff = write(document, "xliff").decode().replace("</target>", "</target><target>twice</target>", 1)
    assert not xmlschema.XMLSchema(str(XLIFF_XSD)).is_valid(xliff)


def test_xml_formats_survive_characters_xml_cannot_hold():
    document = read_document("قصف روسي على حلب.".encode(), "x.txt")
    pair = document.sentences[0]
    done = document.with_translations({pair.index: pair.filled(Translation("Shelling\x01 of <Aleppo> & \ufffe"))})
    assert _tmx_pairs(write(done, "tmx")) == [(pair.source, "Shelling of <Aleppo> & ")]
    assert _xliff_pairs(write(done, "xliff")) == [(pair.source, "Shelling of <Aleppo> & ")]


# -- the registry --------------------------------------------------------------------


@pytest.mark.parametrize("input_format, expected", sorted(SAME.items()))
def test_same_resolves_to_the_inputs_own_format(input_format, expected):
    document = Document("", (), format=input_format)
    assert resolve("same", document) == expected
    assert suffix("same", document) == FORMATS[expected].suffix


@pytest.mark.parametrize("spec, expected", [("same,tmx", ("same", "tmx")), ("tmx, XLIFF ,tmx", ("tmx", "xliff")),
                                            ("html", ("html",))])
def test_format_lists(spec, expected):
    assert parse_formats(spec) == expected


@pytest.mark.parametrize("spec", ["", " , ", "pdf", "same,word"])
def test_unknown_or_empty_format_lists_are_refused(spec):
    with pytest.raises(UsageError):
        parse_formats(spec)


@pytest.mark.parametrize("fmt", ["page", "docx", "srt", "epub", "tmx", "xliff"])
def test_an_untranslated_document_is_never_written_half_empty(fmt):
    document = read_document(make_srt()[0], "film.srt")  # read, not translated
    with pytest.raises(OutputError, match="not translated yet"):
        write(document, fmt)


# -- sharing a sentence's English over its cues --------------------------------------


@pytest.mark.parametrize("text, weights, expected", [
    ("one two three four", [1, 1], ["one two", "three four"]),
    ("one two three four", [3, 1], ["one two three", "four"]),
    ("one", [1, 1], ["one", ""]),
    ("a b c", [100, 1, 1], ["a", "b", "c"]),  # every cue gets a word while words last
])
def test_split_by_weights(text, weights, expected):
    assert split_by_weights(text, weights) == expected


@settings(max_examples=200, deadline=None)
@given(words=st.lists(st.text("abcdefgh", min_size=1, max_size=8), min_size=0, max_size=30),
       weights=st.lists(st.integers(0, 50), min_size=1, max_size=6))
def test_split_by_weights_keeps_every_word_in_order(words, weights):
    parts = split_by_weights(" ".join(words), weights)
    assert len(parts) == len(weights)
    assert " ".join(p for p in parts if p).split() == words
    if len(words) >= len(weights):
        assert all(parts)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 40), st.text("xyz", min_size=1, max_size=30)), min_size=1, max_size=8),
       st.data())
def test_share_over_cues_gives_back_all_english_in_order(sentences, data):
    # Sentences laid end to end (a space between), cues cut the same text anywhere.
    spans, position = [], 0
    for length, _ in sentences:
        spans.append((position, position + length))
        position += length + 1
    cuts = sorted(set(data.draw(st.lists(st.integers(1, position - 1), max_size=5)))) if position > 1 else []
    bounds = [0, *cuts, position]
    cues = [(a, b) for a, b in zip(bounds, bounds[1:]) if b > a]
    shared = share_over_cues([(a, b, text) for (a, b), (_, text) in zip(spans, sentences)], cues)
    assert len(shared) == len(cues)
    assert " ".join(" ".join(shared).split()) == " ".join(" ".join(t for _, t in sentences).split())


def test_markdown_shows_links_and_html_as_text_in_both_languages():

    from markdown_it import MarkdownIt

    from translate.text.document import segment_document

    evil = "[click](javascript:alert(1)) <script>alert(1)</script> **bold** | cell"
    document = segment_document(f"قال {evil} في حلب.\n\n# عنوان {evil}", name="<img src=x onerror=alert(1)>")
    document = replace(document, paragraphs=tuple(
        replace(p, sentences=tuple(s.filled(Translation(f"He said {evil}")) for s in p.sentences))
        for p in document.paragraphs))
    page = MarkdownIt("commonmark").enable("table").render(write(document, "md").decode())
    for tag in ("<a ", "<script", "<img", "<strong>bold"):
        assert tag not in page
    rows = page.count("<tr>")
    assert rows == 1 + len(document.sentences)  # the pipes stayed inside their cells
    assert page.count("javascript:alert(1)") == 2 * len(document.sentences)  # shown, as text
