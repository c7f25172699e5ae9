"""The library on a real SQLite file with FTS5: every translated document recorded
once (a rerun updates it), searched in English (stemmed) and Arabic (clitics and
harakat aside), opened again, removed, exported; and the CLI session around it."""
from __future__ import annotations

import json
import logging
import time

import pytest
from conftest import ROOT

from translate.cli import main
from translate.errors import InputError
from translate.store.library import DATASET, FILE, PAGE, Library, Source, parse_query, stem
from translate.text.document import segment_document
from translate.translation import Translation

ARTICLE = ("قصف روسي على حلب.\n"
           "وأعلنت تركيا وقف الهجمات على إدلب، ودعت إلى استئناف محادثات أستانا.\n"
           "وقال مسؤول إن القصف استهدف بإدلب مستشفى.")
ENGLISH = ["Russian shelling on Aleppo.",
           "Turkey announced an end to the attacks on Idlib, and called for the Astana talks to resume.",
           "An official said the shelling targeted a hospital in Idlib."]
OTHER = "اجتماع في جنيف.\nناقش الوزراء الوضع في الرقة."
OTHER_ENGLISH = ["A meeting in Geneva.", "The ministers discussed the situation in Raqqa."]


def translated(text: str, english: list[str], name: str = "a.txt"):
    document = segment_document(text, name)
    return document.with_translations({pair.index: pair.filled(Translation(words, -0.5, (), ((0, 0),)))
                                       for pair, words in zip(document.sentences, english)})


@pytest.fixture
def library(tmp_path):
    library = Library(tmp_path / "cache")
    library.record([(Source(FILE, "/news/aleppo.txt"), translated(ARTICLE, ENGLISH)),
                    (Source(FILE, "/news/geneva.txt"), translated(OTHER, OTHER_ENGLISH, "geneva.txt"))])
    return library


@pytest.mark.parametrize("word, expected", [
    ("إدلب", "ادلب"), ("وإدلب", "ادلب"), ("بإدلب", "ادلب"), ("لإدلب", "ادلب"), ("فبإدلب", "ادلب"),
    ("الرقة", "رقة"), ("والرقة", "رقة"), ("للرقة", "رقة"), ("إِدْلِب", "ادلب"), ("إدلب،", "ادلب"),
    ("Attacks", "attacks"),
])
def test_a_word_and_its_clitics_share_a_stem(word, expected):
    assert stem(word) == expected


def test_a_rerun_of_a_source_updates_its_entry(library):
    assert len(library) == 2
    number = library.entries(source="aleppo")[0].id
    changed = translated(ARTICLE, [e.replace("Idlib", "Idleb") for e in ENGLISH])
    assert library.record([(Source(FILE, "/news/aleppo.txt"), changed)]) == 1
    assert len(library) == 2 and library.entries(source="aleppo")[0].id == number  # the same number
    assert library.search("Idleb") and not library.search("Idlib")


def test_english_words_are_found_by_their_stem_and_marked(library):
    [found] = library.search("attack")
    assert found.entry.source == "/news/aleppo.txt"
    assert [hit.marked_translation for hit in found.hits] == [
        "Turkey announced an end to the [attacks] on Idlib, and called for the Astana talks to resume."]


def test_arabic_words_are_found_with_their_clitics_and_marked_in_the_arabic(library):
    [found] = library.search("إدلب")
    marked = sorted(hit.marked_source for hit in found.hits)
    assert len(marked) == 2 and "[إدلب]،" in marked[0] and "[بإدلب]" in marked[1]
    assert library.search("والرقة")[0].entry.source == "/news/geneva.txt"


def test_every_word_of_a_search_must_be_in_the_document_and_a_phrase_in_one_sentence(library):
    assert [f.entry.source for f in library.search("Aleppo Astana")] == ["/news/aleppo.txt"]  # two sentences
    assert library.search("Aleppo Geneva") == []
    assert library.search('"Astana talks"') and not library.search('"talks Astana"')
    assert library.search('"محادثات أستانا"') and library.search("حلب Idlib")


def test_filters_by_date_and_source_and_who_may_see(library, tmp_path):
    library.record([(Source(PAGE, "pasted text", owner="amira", identity="x"), translated(ARTICLE, ENGLISH))])
    assert len(library.search("Idlib")) == 2
    assert {f.entry.owner for f in library.search("Idlib", owner="bilal")} == {""}  # everyone's, not Amira's
    assert len(library.search("Idlib", owner="amira")) == 2
    assert library.search("Idlib", source="aleppo")[0].entry.source == "/news/aleppo.txt"
    assert library.search("Idlib", since=time.time() + 60) == []
    assert len(library.entries(until=time.time() + 60)) == 3 and library.entries(kind=PAGE)[0].owner == "amira"
    assert not library.remove(library.entries(kind=PAGE)[0].id, owner="bilal")  # not his to remove


@pytest.mark.parametrize("query", ['"Idlib', "NEAR(a b)", "a OR b", "-x", "x*", "^a", "الرقة:",
                                   "'; DROP TABLE pairs; --"])
def test_nothing_a_user_types_is_search_syntax(library, query):
    library.search(query)  # no error, whatever it finds


@pytest.mark.parametrize("query", ["", "   ", "!!!", '"', "^", None])
def test_an_empty_search_is_refused_in_words(library, query):
    with pytest.raises(InputError, match="no word"):
        library.search(query)


def test_a_document_opens_again_with_its_translations_and_can_be_removed(library):
    entry = library.entries(source="aleppo")[0]
    found_entry, document = library.document(entry.id)
    assert found_entry == entry and document.text == ARTICLE
    assert [p.translation for p in document.sentences] == ENGLISH
    assert [p.kind for p in document.paragraphs] == [p.kind for p in segment_document(ARTICLE).paragraphs]
    assert document.translation_text() == translated(ARTICLE, ENGLISH).translation_text()
    assert library.remove(entry.id) and library.document(entry.id) is None and not library.search("Astana")


def test_export_gives_every_document_with_its_pairs(library):
    exported = list(library.export())
    assert [d["source"] for d in exported] == ["/news/geneva.txt", "/news/aleppo.txt"]  # newest first
    assert [p["translation"] for p in exported[1]["pairs"]] == ENGLISH


def test_a_library_that_cannot_be_written_warns_once_and_translation_goes_on(tmp_path, caplog):
    folder = tmp_path / "cache"
    folder.mkdir()
    (folder / "library.sqlite3").write_bytes(b"this is not a database" * 100)
    library = Library(folder)
    with caplog.at_level(logging.WARNING, logger="translate"):
        assert library.record([(Source(FILE, "/a"), translated(ARTICLE, ENGLISH))]) == 0
        assert library.record([(Source(FILE, "/b"), translated(ARTICLE, ENGLISH))]) == 0
    assert len([r for r in caplog.records if "library" in r.getMessage()]) == 1


def test_a_query_becomes_fts5_terms_on_the_right_column():
    assert parse_query('Idlib "Astana talks" إدلب') == [
        'translation : ("idlib")', 'translation : ("astana talks")', 'stems : ("ادلب")']


# -- the CLI session ---------------------------------------------------------------------------


def test_the_cli_records_a_folder_and_a_dataset_and_searches_shows_and_removes(capsys, tmp_path, tiny_model):
    folder, out = tmp_path / "articles", tmp_path / "out"
    folder.mkdir()
    (folder / "aleppo.ar.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "rows.jsonl").write_text(json.dumps({"id": 7, "text": OTHER}, ensure_ascii=False) + "\n",
                                         encoding="utf-8")
    model = ["--model", str(tiny_model), "--engine", "transformers", "--quiet"]
    assert main([str(folder), "--out", str(out), *model]) == 0
    assert main([str(tmp_path / "rows.jsonl"), "--out", str(tmp_path / "rows-en"), *model]) == 0
    assert main([str(folder), "--out", str(tmp_path / "again"), *model]) == 0  # the same file: updated
    capsys.readouterr()

    assert main(["library", "list"]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert len(listed) == 2 and listed[0].endswith("aleppo.ar.txt") and f"\t{DATASET}\t" in listed[1]
    assert listed[1].endswith("rows.jsonl#7")

    assert main(["library", "search", "بإدلب"]) == 0
    out_lines = capsys.readouterr().out.splitlines()
    assert out_lines[0].endswith("aleppo.ar.txt") and "[إدلب]" in out_lines[1] + out_lines[3]
    assert main(["library", "search", "الرقة"]) == 0 and "rows.jsonl#7" in capsys.readouterr().out
    assert main(["library", "search", "nowhere"]) == 0 and "0 documents found" in capsys.readouterr().err

    number = listed[0].split("\t")[0]
    assert main(["library", "show", number]) == 0
    shown = capsys.readouterr().out.splitlines()
    assert len(shown) == 1 + 3 and shown[1].startswith("0\tقصف روسي على حلب.\t")
    assert main(["library", "show", number, "--format", "html"]) == 0
    assert capsys.readouterr().out.startswith("<!doctype html>")
    assert main(["library", "export", str(tmp_path / "all.jsonl")]) == 0
    assert len((tmp_path / "all.jsonl").read_text(encoding="utf-8").splitlines()) == 2
    assert main(["library", "remove", number]) == 0 and main(["library", "remove", number]) == 1
    capsys.readouterr()

    assert main([str(folder), "--out", str(tmp_path / "quiet"), "--force", "--no-library", *model]) == 0
    capsys.readouterr()
    assert main(["library", "list"]) == 0 and len(capsys.readouterr().out.splitlines()) == 1


@pytest.mark.parametrize("argv, message", [
    (["library", "show"], "needs the document's number"),
    (["library", "show", "twelve"], "not a document number"),
    (["library", "search"], "needs the words"),
    (["library", "list", "--since", "yesterday"], "not a day written YYYY-MM-DD"),
    (["library", "search", "!!!"], "no word in it"),
    (["library", "list", "Idlib"], "takes no 'Idlib'"),  # words given to the wrong action
    (["library", "index", "archive.jsonl"], "takes no 'archive.jsonl'"),
])
def test_the_cli_refuses_bad_input_in_one_line(capsys, argv, message):
    try:
        code = main(argv)
    except SystemExit as stopped:  # argparse's own refusal of an option
        code = stopped.code
    err = capsys.readouterr().err
    assert code != 0 and message in err and "Traceback" not in err
    assert len([line for line in err.splitlines() if "error" in line]) == 1


def test_the_library_is_where_the_readme_says(tmp_path):
    assert "library.sqlite3" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_a_common_word_narrowed_by_source_is_found_through_the_filter(tmp_path, monkeypatch):
    import translate.store.library as library_module

    monkeypatch.setattr(library_module, "_COUNT_CAP", 3)  # "Aleppo" is common here: in every document
    library = Library(tmp_path / "cache")
    library.record([(Source(DATASET, f"wire.jsonl#{n}" if n % 4 else f"special.jsonl#{n}"),
                     translated(ARTICLE, ENGLISH, f"{n}.txt")) for n in range(12)])
    found = library.search("Aleppo", source="special")
    assert [f.entry.source for f in found] == [f"special.jsonl#{n}" for n in (8, 4, 0)]  # newest first
    assert all("[Aleppo]" in f.hits[0].marked_translation for f in found)
    assert len(library.search("Aleppo")) == 12 and library.search("Aleppo", source="nowhere") == []
