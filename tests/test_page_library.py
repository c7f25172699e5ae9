"""The page's Library (translate.web.service, view): what the page translates is
recorded as its user's, listed newest first, searched with the hits marked in both
languages, and opened again from the library without the model; each user sees
their own documents and everyone's, never another user's. With the tiny model."""
from __future__ import annotations

import pytest
from spies import spy_translator

from translate import InputError, Translator
from translate.store.library import DATASET, FILE, Library, Source
from translate.text.document import segment_document
from translate.translation import Translation
from translate.web.service import LIBRARY_MARK, ReaderService
from translate.web.view import library_data, marked_runs, status_html, step_view

ARTICLE = "قصف روسي على حلب\nوأعلنت تركيا وقف الهجمات على إدلب. ودعت إلى استئناف محادثات أستانا."
OTHER = "اجتماع في جنيف.\nناقش الوزراء الوضع في الرقة."


@pytest.fixture
def page_translator(tiny_model, tmp_path) -> Translator:
    return Translator.from_options(str(tiny_model), cache_dir=str(tmp_path / "cache"), engine="transformers",
                                   device="cpu", beams=1)


def translated(service: ReaderService, text: str, user: str = "", loaded=None):
    *_, last = service.translate_page(text, loaded, user=user)
    assert last.state == "done", last.message
    return last


def published(library: Library, source: str, text: str, english: list[str]) -> None:
    """A document a batch job recorded for everyone (owner "")."""
    document = segment_document(text, source)
    document = document.with_translations({pair.index: pair.filled(Translation(words, -0.5, (), ((0, 0),)))
                                           for pair, words in zip(document.sentences, english)})
    library.record([(Source(DATASET, source), document)])


def test_the_page_records_what_it_translates_newest_first(page_translator, tmp_path):
    (tmp_path / "samples").mkdir()
    (tmp_path / "samples" / "geneva.ar.txt").write_text(OTHER, encoding="utf-8")
    service = ReaderService(page_translator, samples_dir=tmp_path / "samples")
    assert service.library is not None and service.library.folder == page_translator.cache.folder
    translated(service, ARTICLE)
    sample = service.load_sample("geneva.ar.txt")
    translated(service, sample.text, loaded=sample)
    newest, oldest = service.library_entries()
    assert (newest.kind, newest.source, newest.title, newest.sentences) == ("page", "sample geneva.ar.txt",
                                                                            "Geneva", 2)
    assert oldest.source.startswith("قصف روسي على حلب") and oldest.sentences == 3
    translated(service, ARTICLE)  # again: the same entry, now the newest
    assert [entry.id for entry in service.library_entries()] == [oldest.id, newest.id]
    data = library_data(service.library_entries())
    assert [entry["id"] for entry in data["entries"]] == [oldest.id, newest.id] and data["found"] is None
    titles = service.library_names(service.library_entries())
    assert titles[newest.id]["ar"] == "اجتماع في جنيف." and titles[oldest.id]["ar"] == "قصف روسي على حلب"
    data = library_data(service.library_entries(), titles=titles)
    assert data["entries"][1] | {"translated": 0} == {"id": newest.id, "title": "Geneva", "kind": "page",
                                                      "source": "sample geneva.ar.txt", "translated": 0,
                                                      "sentences": 2, "everyone": True,
                                                      "names": titles[newest.id]}


@pytest.mark.parametrize("library", [False, None])
def test_without_a_library_nothing_is_recorded_or_listed(page_translator, library):
    service = ReaderService(page_translator, library=library)
    translated(service, ARTICLE)
    assert service.library is None and service.library_entries() == [] and service.library_search("حلب") == []
    assert not (page_translator.cache.folder / "library.sqlite3").exists()


def test_a_translator_without_a_cache_has_no_library(tiny_model):
    service = ReaderService(Translator.from_options(str(tiny_model), use_cache=False, engine="transformers",
                                                    device="cpu", beams=1))
    assert service.library is None


def test_a_search_marks_the_hits_in_both_languages(page_translator):
    service = ReaderService(page_translator)
    published(service.library, "archive#1", ARTICLE, ["Russian shelling on Aleppo",
                                                      "Turkey announced an end to the attacks on Idlib.",
                                                      "It called for the Astana talks to resume."])
    [found] = service.library_search("بإدلب attack")
    assert found.entry.source == "archive#1"
    hit = next(hit for hit in found.hits if "Idlib" in hit.translation)
    assert hit.marked_source.count(LIBRARY_MARK[0]) == 1
    assert f"{LIBRARY_MARK[0]}إدلب{LIBRARY_MARK[1]}" in hit.marked_source
    assert f"{LIBRARY_MARK[0]}attacks{LIBRARY_MARK[1]}" in hit.marked_translation
    data = library_data([], service.library_search("بإدلب attack"), query="بإدلب attack")
    runs = next(h for h in data["found"][0]["hits"] if h["index"] == hit.index)
    assert ["attacks", 1] in runs["en"] and ["إدلب", 1] in runs["ar"]
    assert "".join(text for text, _ in runs["ar"]) == hit.source  # nothing lost around the marks
    assert service.library_search("جنيف") == []


@pytest.mark.parametrize("text, runs", [
    ("", []), ("plain", [["plain", 0]]), ("\ue000all\ue001", [["all", 1]]),
    ("a \ue000b\ue001 c \ue000d\ue001", [["a ", 0], ["b", 1], [" c ", 0], ["d", 1]]),
    ("<script>\ue000x\ue001", [["<script>", 0], ["x", 1]]),  # kept as text: the browser escapes it
])
def test_marked_runs(text, runs):
    assert marked_runs(text) == runs


@pytest.mark.parametrize("query, words", [(" ", None), ("x" * 501, "at most 500"), (7, "must be text")])
def test_a_search_that_is_not_one_is_refused_with_the_page_words(page_translator, query, words):
    service = ReaderService(page_translator)
    translated(service, ARTICLE)
    with pytest.raises(InputError, match=words or "no word"):
        service.library_search(query)


def test_a_document_opens_from_the_library_without_the_model(page_translator, tiny_model, tmp_path):
    service = ReaderService(page_translator)
    done = translated(service, ARTICLE, user="")
    [entry] = service.library_entries()
    # A fresh page on the same cache folder, whose model was never loaded, and a spy that sees any batch.
    fresh = Translator.from_options(str(tiny_model), cache_dir=str(page_translator.cache.folder),
                                    engine="transformers", device="cpu", beams=1)
    other = ReaderService(fresh)
    step = other.open_document(entry.id)
    assert not fresh.engine_loaded
    assert step.state == "done" and step.source["kind"] == "library" and step.source["id"] == entry.id
    opened, original = step_view(step), step_view(done)
    assert opened["pairs"] == original["pairs"] and opened["paragraphs"] == original["paragraphs"]
    assert opened["run"] != original["run"]
    assert [label for label, path in step.downloads if path] == ["English .txt", "TMX", "XLIFF", "Bilingual .html",
                                                                 "Markdown", "Pairs .jsonl"]
    assert "3 sentences, opened from the library" in status_html(step)
    spied, spy = spy_translator(fresh)
    ReaderService(spied).open_document(entry.id)
    assert spy.batches == []


def test_a_correction_in_an_opened_document_goes_to_the_memory(page_translator):
    service = ReaderService(page_translator)
    translated(service, ARTICLE)
    step = service.open_document(service.library_entries()[0].id)
    sentence = step.document.sentences[1].source
    service.remember(sentence, "Turkey announced a halt to the attacks on Idlib.")
    *_, again = service.translate_page(ARTICLE)
    assert again.document.sentences[1].translation == "Turkey announced a halt to the attacks on Idlib."
    assert again.document.sentences[1].origin == "yours"


@pytest.mark.parametrize("number", [None, "1", 1.0, True, 999])
def test_opening_what_is_not_there_is_refused(page_translator, number):
    service = ReaderService(page_translator)
    translated(service, ARTICLE)
    with pytest.raises(InputError, match="not in the library"):
        service.open_document(number)


def test_each_user_sees_their_own_documents_and_everyones(page_translator):
    service = ReaderService(page_translator)
    translated(service, ARTICLE, user="amal")
    translated(service, OTHER, user="badr")
    published(service.library, "archive#7", "مؤتمر في أستانا حول إدلب.", ["A conference in Astana on Idlib."])
    amal = next(e for e in service.library_entries("amal") if e.owner == "amal")
    badr = next(e for e in service.library_entries("badr") if e.owner == "badr")
    everyone = next(e for e in service.library_entries("amal") if e.owner == "")
    assert {e.owner for e in service.library_entries("amal")} == {"amal", ""}
    assert {e.owner for e in service.library_entries("badr")} == {"badr", ""}
    assert everyone.id in {e.id for e in service.library_entries("badr")}
    with pytest.raises(InputError):
        service.open_document(badr.id, "amal")
    with pytest.raises(InputError):
        service.open_document(amal.id, "badr")
    assert service.open_document(everyone.id, "badr").document.sentences
    assert {f.entry.id for f in service.library_search("إدلب", "amal")} == {amal.id, everyone.id}
    assert {f.entry.id for f in service.library_search("إدلب", "badr")} == {everyone.id}
    assert service.library_search("جنيف", "amal") == []
    assert [f.entry.id for f in service.library_search("جنيف", "badr")] == [badr.id]
    # the same text by two users: two entries, one each
    translated(service, OTHER, user="amal")
    assert len([e for e in service.library.entries() if e.source.startswith("اجتماع")]) == 2


def test_a_file_and_an_address_are_recorded_by_their_name_and_address(page_translator, tmp_path, news_site):
    service = ReaderService(page_translator, allow_private_urls=True)
    path = tmp_path / "report.md"
    path.write_text("# تقرير\n\n" + ARTICLE, encoding="utf-8")
    loaded = service.load_upload(path)
    translated(service, loaded.text, loaded=loaded)
    article = service.load_url(f"{news_site}/news/aleppo-offensive")
    translated(service, article.text, loaded=article)
    web, upload = service.library_entries()
    assert (upload.kind, upload.source, upload.title) == (FILE, "report.md", loaded.title)
    assert (web.kind, web.source, web.title) == ("url", f"{news_site}/news/aleppo-offensive", article.title)
