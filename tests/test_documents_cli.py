"""Documents through the batch job and the CLI: a folder of mixed formats, web
addresses, --format same,tmx, and bad files that leave the rest translated."""
from __future__ import annotations

import pytest
from lxml import etree
from sample_documents import make_docx, make_epub, make_pdf, make_srt, saved_page

from translate import Translator, translate_files
from translate.cli import main
from translate.readers import read_document


@pytest.fixture(scope="module")
def fast(tiny_model, tiny_converted):
    import tempfile
    from pathlib import Path

    from conftest import cache_with_converted_model

    cache = cache_with_converted_model(tiny_converted, Path(tempfile.mkdtemp()) / "cache")
    return Translator.from_options(str(tiny_model), engine="ctranslate2", device="cpu", beams=1,
                                   cache_dir=str(cache))


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("mixed")
    (folder / "report.ar.docx").write_bytes(make_docx()[0])
    (folder / "statement.pdf").write_bytes(make_pdf()[0])
    (folder / "clip.srt").write_bytes(make_srt()[0])
    (folder / "book.epub").write_bytes(make_epub()[0])
    (folder / "saved.html").write_bytes(saved_page("news-araby.ar.html"))
    (folder / "note.txt").write_text("قصف روسي على حلب.\n", encoding="utf-8")
    (folder / "broken.docx").write_bytes(b"this is not a zip")
    return folder


def test_a_mixed_folder_comes_out_in_each_own_format_and_tmx(fast, mixed, tmp_path):
    out = tmp_path / "out"
    report = translate_files([mixed], out, translator=fast, formats="same,tmx")
    by_label = {r.label.rsplit("/", 1)[-1]: r for r in report.files}
    assert by_label["broken.docx"].status == "failed" and "not a Word document" in str(by_label["broken.docx"].error)
    written = sorted(p.name for p in out.iterdir() if not p.name.startswith("."))
    assert written == sorted([
        "report.en.docx", "report.en.tmx", "statement.en.docx", "statement.en.tmx", "clip.en.srt", "clip.en.tmx",
        "book.en.epub", "book.en.tmx", "saved.en.page.html", "saved.en.tmx", "note.en.txt", "note.en.tmx"])
    for name in ("report.ar.docx", "statement.pdf", "clip.srt", "book.epub", "saved.html", "note.txt"):
        result = by_label[name]
        assert result.status == "translated" and result.blocks_read == result.blocks_translated > 0
        # One translation unit per source sentence, in order.
        stem = name.split(".")[0]
        units = etree.parse(str(out / f"{stem}.en.tmx")).findall(".//tu")
        assert len(units) == result.sentences
        sources = [u.findall("tuv")[0].findtext("seg") for u in units]
        assert sources == [p.source for p in result.document.sentences]
    # The Word document read back is English, one paragraph per block, in order.
    back = read_document((out / "report.en.docx").read_bytes(), "report.en.docx")
    assert len(back.paragraphs) == by_label["report.ar.docx"].blocks_read
    again = translate_files([mixed], out, translator=fast, formats="same,tmx")
    assert again.count("up to date") == 6 and again.count("failed") == 1


@pytest.fixture(scope="module")
def site(news_site):
    return news_site


def test_web_addresses_on_the_command_line(capsys, site, tiny_model, tmp_path):
    out = tmp_path / "out"
    args = [f"{site}/news/aleppo-offensive", f"{site}/missing", "--out", str(out), "--model", str(tiny_model),
            "--engine", "transformers", "--beams", "1", "--quiet"]
    code = main(args)  # a local address is refused unless asked for
    stderr = capsys.readouterr().err
    assert code == 1 and "Traceback" not in stderr
    assert stderr.count("translate: error:") == 2 and "private" in stderr, stderr
    code = main(args + ["--allow-private-urls"])
    stderr = capsys.readouterr().err
    assert code == 1 and "404" in stderr and stderr.count("translate: error:") == 1
    english = (out / "aleppo-offensive.en.txt").read_text(encoding="utf-8")
    assert len(english.strip().splitlines()) > 10


def test_binary_formats_need_an_output_folder(capsys, fast, mixed, tiny_model):
    code = main([str(mixed / "report.ar.docx"), "--format", "docx", "--model", str(tiny_model),
                 "--engine", "transformers", "--beams", "1", "--quiet"])
    stderr = capsys.readouterr().err
    assert code == 1 and "docx is a binary format" in stderr and "output folder" in stderr, stderr
