"""Readers: every format gives the blocks a person sees in the file, in order, and
every bad input one clear InputError."""
from __future__ import annotations

import io
import re
import zipfile

import pytest
from sample_documents import (
    BOILERPLATE,
    DOCX_TITLE,
    SAVED_PAGES,
    SEED_LINES,
    blocks_of,
    make_docx,
    make_encrypted_pdf,
    make_epub,
    make_pdf,
    make_scanned_pdf,
    make_srt,
    saved_page,
    seed_blocks,
)

from translate import InputError
from translate.readers import READERS, SUFFIXES, detect_format, read_document
from translate.readers.html import read_html
from translate.readers.pdf import _logical_order, unshape
from translate.text.document import CUE, TITLE, Block
from translate.text.segment import split_sentences

# -- format detection ------------------------------------------------------------------


@pytest.mark.parametrize("data, name, expected", [
    (b"%PDF-1.7\n...", "report.pdf", "pdf"),
    (b"%PDF-1.4\n...", "report.txt", "pdf"),  # content wins over the extension
    (b"<!DOCTYPE html><html><body><p>x</p></body></html>", "page.txt", "html"),
    (b"\xef\xbb\xbf<html lang=ar>", "saved", "html"),
    ("1\n00:00:01,000 --> 00:00:02,000\nنص\n".encode(), "film.txt", "srt"),
    (b"1\r\n00:00:01,000 --> 00:00:02,000\r\n", "film", "srt"),
    ("قصف روسي على حلب".encode(), "news.ar.txt", "txt"),
    ("# عنوان".encode(), "notes.md", "md"),
    ("قصف".encode(), "page.html", "html"),  # nothing certain in the content: the extension decides
    ("قصف".encode(), "film.srt", "srt"),
    (b"not a zip", "report.docx", "docx"),  # the .docx reader then says what is wrong
    ("قصف".encode(), "no-extension", "txt"),
])
def test_format_comes_from_content_first_then_extension(data, name, expected):
    assert detect_format(data, name) == expected


def test_zip_based_formats_are_told_apart_by_their_content():
    docx_bytes, _ = make_docx()
    epub_bytes, _ = make_epub()
    assert detect_format(docx_bytes, "x.epub") == "docx"
    assert detect_format(epub_bytes, "x.docx") == "epub"


@pytest.mark.parametrize("data, message", [
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "old binary Office file"),
    (b"PK\x03\x04" + b"\0" * 100, r"not a Word \(\.docx\) or EPUB"),
])
def test_other_binary_documents_get_a_clear_message(data, message):
    with pytest.raises(InputError, match=message):
        read_document(data, "report.bin")


def test_every_reader_is_registered_with_its_extensions():
    assert set(READERS) == {"txt", "html", "docx", "pdf", "srt", "epub", "md"}
    assert {".txt", ".md", ".html", ".htm", ".docx", ".pdf", ".srt", ".epub"} <= set(SUFFIXES)


def test_plain_text_reads_as_before(seed_text):
    document = read_document(seed_text.encode("utf-8"), "aleppo.ar.txt")
    assert document.format == "txt"
    assert blocks_of(document) == seed_blocks()


def test_a_file_over_the_limit_is_refused_before_reading():
    with pytest.raises(InputError, match=r"above the 0\.0 MB input limit"):
        read_document(b"%PDF-" + b"x" * 100, "big.pdf", max_bytes=50)


# -- web pages ----------------------------------------------------------------------


def _article_sentences() -> list[str]:
    return [s for line in SEED_LINES for s in split_sentences(line)]


@pytest.mark.parametrize("page", sorted(SAVED_PAGES))
def test_saved_news_page_gives_the_article_and_nothing_else(page):
    document = read_document(saved_page(page), page)
    assert document.format == "html"
    assert document.title == SAVED_PAGES[page]
    assert blocks_of(document) == [Block(SAVED_PAGES[page], TITLE), *seed_blocks()]
    # The closing figures: article sentences kept, boilerplate sentences dropped.
    read_sentences = {pair.source for pair in document.sentences}
    article = _article_sentences()
    kept = sum(sentence in read_sentences for sentence in article)
    leaked = [text for text in BOILERPLATE[page] if text in document.text]
    assert (kept, len(leaked)) == (len(article), 0), f"{page}: kept {kept}/{len(article)}, leaked {leaked}"


def test_a_page_in_windows_1256_is_decoded_from_its_meta_charset():
    data = saved_page("news-portal.ar.html")
    data.decode("cp1256")  # the saved page really is in Windows-1256
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert read_document(data, "portal.html").paragraphs[1].sentences[0].source == split_sentences(SEED_LINES[0])[0]


def test_a_wrong_charset_header_gives_way_to_the_pages_own():
    document = read_html(saved_page("news-portal.ar.html"), "portal", charset="utf-8")
    assert blocks_of(document)[1:] == seed_blocks()


@pytest.mark.parametrize("page", [
    b"<html><head><title>x</title></head><body></body></html>",
    "<html><body><nav><a href='/'>الرئيسية</a> <a href='/news'>أخبار</a></nav></body></html>".encode(),
])
def test_a_page_without_article_text_is_refused(page):
    with pytest.raises(InputError, match="no article text"):
        read_document(page, "empty.html")


def test_html_lists_and_tables_keep_their_kinds():
    article = " ".join(SEED_LINES[:2])
    page = (f"<html><head><title>جدول</title></head><body><article><h1>جدول</h1><p>{article}</p>"
            "<ul><li>البند الأول من القائمة</li><li>البند الثاني من القائمة</li></ul>"
            "<table><tr><th>المدينة</th><th>الوضع</th></tr><tr><td>حلب</td><td>اشتباكات</td></tr></table>"
            f"<p>{SEED_LINES[3]}</p></article></body></html>").encode()
    kinds = [p.kind for p in read_document(page, "t.html").paragraphs]
    assert kinds == ["title", "paragraph", "list_item", "list_item", "table_cell", "table_cell", "table_cell",
                     "table_cell", "paragraph"]


# -- Word ---------------------------------------------------------------------------


def test_docx_gives_title_headings_paragraphs_list_items_and_table_cells_in_order():
    data, expected = make_docx()
    document = read_document(data, "report.docx")
    assert document.format == "docx"
    assert document.title == DOCX_TITLE
    assert blocks_of(document) == expected
    cells = [p.meta for p in document.paragraphs if p.kind == "table_cell"]
    assert [(m["row"], m["col"]) for m in cells] == [(0, 0), (0, 1), (1, 0), (1, 1)]
    assert [p.meta["style"] for p in document.paragraphs][:3] == ["Title", "Normal", "Heading 1"]


def _damaged_zip(data: bytes) -> bytes:
    return data[: len(data) // 2]


@pytest.mark.parametrize("data, message", [
    ("قصف روسي على حلب".encode(), r"not a Word document \(it is not a zip archive\)"),
    (b"", r"not a Word document"),
    (None, "damaged Word document"),
])
def test_bad_docx_files_get_one_clear_message(data, message):
    data = _damaged_zip(make_docx()[0]) if data is None else data
    with pytest.raises(InputError, match=message):
        read_document(data, "report.docx")


def test_a_zip_without_a_word_document_inside_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "x")
    with pytest.raises(InputError, match="report.docx: not a readable Word document"):
        read_document(out.getvalue(), "report.docx")


def test_a_zip_bomb_is_refused(monkeypatch):
    monkeypatch.setattr("translate.config.MAX_UNZIPPED_BYTES", 1000)
    with pytest.raises(InputError, match="unpacks to"):
        read_document(make_docx()[0], "report.docx")


# -- PDF ----------------------------------------------------------------------------


def test_pdf_lines_are_rejoined_into_paragraphs_in_reading_order():
    data, expected = make_pdf()
    document = read_document(data, "report.pdf")
    assert document.format == "pdf"
    assert blocks_of(document) == expected
    # The paragraph that runs on to page 2 is one block; the rest of page 2 follows it.
    assert [p.meta["page"] for p in document.paragraphs][-3:] == [1, 2, 2]


@pytest.mark.parametrize("chunks, expected", [
    (["قصف روسي على حلب"], "قصف روسي على حلب"),
    ([" أحياء في المدينة.", "10 ", "حلب، إضافة إلى أكثر من"], "حلب، إضافة إلى أكثر من 10 أحياء في المدينة."),
    ([".", "2017 ", "أستانا” لعام"], "أستانا” لعام 2017."),
    ([".”", "المدنيين”، لتركيا"], "المدنيين”، لتركيا”."),
    (["(", "X ", "منصة"], "منصة X)"),
    (["Hello ", "world"], "Hello world"),  # a left-to-right line keeps its order
    (["ﻻ ﺣﻠﺐ"], "لا حلب"),  # presentation forms become letters
])
def test_pdf_runs_are_put_in_reading_order(chunks, expected):
    assert unshape(_logical_order(chunks)) == expected


def test_a_pdf_protected_by_an_owner_password_only_opens():
    assert blocks_of(read_document(make_encrypted_pdf(user_password=""), "report.pdf")) == make_pdf()[1]


@pytest.mark.parametrize("make, message", [
    (make_scanned_pdf, "no text layer: run OCR first"),
    (make_encrypted_pdf, "encrypted with a password"),
    (lambda: make_pdf()[0][:3000], "damaged PDF"),
    (lambda: b"%PDF-1.7\n" + b"\0" * 50, "damaged PDF"),
])
def test_bad_pdf_files_get_one_clear_message(make, message):
    with pytest.raises(InputError, match=message):
        read_document(make(), "report.pdf")


# -- subtitles ----------------------------------------------------------------------


def test_srt_cues_of_one_sentence_are_read_as_one_block_with_their_timings():
    data, expected = make_srt()
    document = read_document(data, "film.srt")
    assert document.format == "srt"
    assert blocks_of(document) == expected
    assert all(p.kind == CUE for p in document.paragraphs)
    second = document.paragraphs[1].meta["cues"]
    assert [(c["index"], c["start"], c["end"]) for c in second] == [(2, "00:00:04,000", "00:00:06,000"),
                                                                   (3, "00:00:06,100", "00:00:08,500")]
    text = document.text[document.paragraphs[1].start:document.paragraphs[1].end]
    assert [text[a:b] for a, b in (c["span"] for c in second)] == ["تدور اشتباكات عنيفة بين فصائل المعارضة",
                                                                   "وقوات النظام في مدينة حلب."]
    # The sentence split over cues 2 and 3 is one sentence to translate.
    assert [pair.source for pair in document.paragraphs[1].sentences] == [text]


@pytest.mark.parametrize("text, message", [
    ("1\n00:00:01,000 --> 00:00:02,000\nنص\n\n2\n00:00:0x,000 --> 00:00:04,000\nنص\n", "broken subtitle timing"),
    ("1\n00:00:05,000 --> 00:00:02,000\nنص\n", "cue 1 ends"),
    ("1\n00:00:01,000 -> 00:00:02,000\nنص\n", "broken subtitle timing at line 1"),
    ("", "is empty"),
])
def test_bad_subtitles_get_one_clear_message(text, message):
    with pytest.raises(InputError, match=message):
        read_document(text.encode("utf-8"), "film.srt")


# -- EPUB ---------------------------------------------------------------------------


def test_epub_chapters_come_in_spine_order_with_headings():
    data, expected = make_epub(spine_reversed=True)
    document = read_document(data, "book.epub")
    assert document.format == "epub"
    assert blocks_of(document) == expected
    assert {p.meta.get("path") for p in document.paragraphs} == {None, "EPUB/one.xhtml", "EPUB/two.xhtml"}


@pytest.mark.parametrize("make, message", [
    (lambda: make_epub(with_chapters=False)[0], "without chapters"),
    (lambda: b"not an epub", r"not an EPUB book \(it is not a zip archive\)"),
    (lambda: make_epub()[0][:1500], "damaged EPUB book"),
])
def test_bad_epub_files_get_one_clear_message(make, message):
    with pytest.raises(InputError, match=message):
        read_document(make(), "book.epub")


# -- a budget of characters (the page's) --------------------------------------------------

from hostile_documents import docx_bomb, epub_bomb, pdf_page_tree_bomb, pdf_shared_stream_bomb  # noqa: E402

#: One document per format: (bytes, name).
DOCUMENTS = {
    "txt": lambda: ("\n".join(SEED_LINES).encode("utf-8"), "news.txt"),
    "html": lambda: (saved_page("news-araby.ar.html"), "news.html"),
    "docx": lambda: (make_docx()[0], "report.docx"),
    "pdf": lambda: (make_pdf()[0], "report.pdf"),
    "srt": lambda: (make_srt()[0], "film.srt"),
    "epub": lambda: (make_epub()[0], "book.epub"),
}


@pytest.mark.parametrize("fmt", sorted(DOCUMENTS))
def test_a_budget_reads_what_fits_whole_and_refuses_what_does_not(fmt):
    data, name = DOCUMENTS[fmt]()
    whole = read_document(data, name)
    assert blocks_of(read_document(data, name, max_chars=len(whole.text))) == blocks_of(whole)
    with pytest.raises(InputError, match=rf"^{re.escape(name)}: more than 100 characters of text") as refused:
        read_document(data, name, max_chars=100)
    assert refused.value.reason == "too-long"


@pytest.fixture
def unpacked_bytes(monkeypatch) -> list[int]:
    """Counts the bytes read out of any zip member from now on."""
    counted = [0]
    read = zipfile.ZipExtFile.read

    def counting(self, n=-1):
        data = read(self, n)
        counted[0] += len(data)
        return data

    monkeypatch.setattr(zipfile.ZipExtFile, "read", counting)
    return counted


@pytest.mark.parametrize("bomb, name", [(docx_bomb, "bomb.docx"), (epub_bomb, "bomb.epub")])
def test_a_budget_stops_unpacking_at_the_text_it_allows(unpacked_bytes, bomb, name):
    data = bomb(15_000_000)  # under the budget's 20 MB of markup: its text stops it
    before = unpacked_bytes[0]
    with pytest.raises(InputError, match="more than 100,000 characters of text"):
        read_document(data, name, max_chars=100_000)
    assert 0 < unpacked_bytes[0] - before < 15_000_000 / 20


@pytest.mark.parametrize("bomb, name", [(docx_bomb, "bomb.docx"), (epub_bomb, "bomb.epub")])
def test_a_budget_refuses_a_zip_that_unpacks_to_far_more_than_its_text_needs(unpacked_bytes, bomb, name):
    data = bomb(199_000_000)  # under the 200 MB cap for any zip
    before = unpacked_bytes[0]
    with pytest.raises(InputError, match=r"too complex to read here: it unpacks to 19\d\.\d+ MB, above the 20\.0 MB"):
        read_document(data, name, max_chars=100_000)
    assert unpacked_bytes[0] == before  # refused from the zip's directory, before unpacking anything


@pytest.fixture
def pages_read(monkeypatch) -> list[int]:
    """Counts the PDF pages whose text is extracted from now on."""
    import pypdf

    counted = [0]
    extract = pypdf.PageObject.extract_text

    def counting(self, *args, **kwargs):
        counted[0] += 1
        return extract(self, *args, **kwargs)

    monkeypatch.setattr(pypdf.PageObject, "extract_text", counting)
    return counted


def test_a_budget_counts_a_content_stream_every_time_a_page_draws_it(pages_read):
    data = pdf_shared_stream_bomb(pages=5_000, stream_bytes=70_000_000)  # a 70 MB stream, drawn 5,000 times
    with pytest.raises(InputError, match=r"this PDF is too complex to read here: it holds more than 20\.0 MB of markup"):
        read_document(data, "bomb.pdf", max_chars=100_000)
    assert pages_read[0] == 0


def test_a_budget_stops_reading_pages_at_the_text_it_allows(pages_read):
    data = pdf_page_tree_bomb((10, 10, 100))  # 10,000 pages from a kilobyte, "Aleppo" on each
    with pytest.raises(InputError, match="more than 10,000 characters of text"):
        read_document(data, "tree.pdf", max_chars=10_000)
    assert pages_read[0] == 10_000 // len("Aleppo") + 1


def test_a_pdf_beyond_pypdfs_own_limits_is_too_complex_not_damaged():
    import pypdf

    if not hasattr(pypdf, "apply_configuration"):
        pytest.skip("pypdf before 7 has no configurable limits")
    with pypdf.apply_configuration(stream_parsing_work_maximum_count=100):  # as a 70 MB stream meets 2,000,000
        with pytest.raises(InputError, match=r"^report\.pdf: this PDF is too complex to read: reached maximum"):
            read_document(make_pdf()[0], "report.pdf")
        with pytest.raises(InputError, match=r"^report\.pdf: this PDF is too complex to read here: reached maximum"):
            read_document(make_pdf()[0], "report.pdf", max_chars=100_000)
