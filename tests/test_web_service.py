"""The page's handlers without Gradio (translate.web.service, validate, view): documents
in, plain data out, the library's errors raised, with the tiny model."""
from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

import pytest

from translate import InputError, Translator
from translate.errors import ModelLoadError
from translate.web import validate
from translate.web.service import ReaderService, sample_title
from translate.web.view import status_html, step_view, view_data
from translate.writers.bilingual import names

ROOT = Path(__file__).resolve().parent.parent
SHORT = "قصف روسي على حلب\nوأعلنت فصائل المعارضة السيطرة على مبنى القصر البلدي. كما أعلنت الفصائل سيطرتها على تلة."


@pytest.fixture(scope="module")
def page_translator(tiny_model, tmp_path_factory) -> Translator:
    return Translator.from_options(str(tiny_model), cache_dir=str(tmp_path_factory.mktemp("service-cache")),
                                   engine="transformers", device="cpu", beams=1)


def pending(view: dict) -> list[int]:
    return [i for i, (_, _, result) in enumerate(view["pairs"]) if result is None]


def test_the_service_and_the_view_never_import_gradio():
    code = ("import sys, translate.web.service, translate.web.view, translate.web.validate\n"
            "assert 'gradio' not in sys.modules, 'gradio was imported'\n")
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr


def test_a_translation_streams_steps_and_ends_with_the_downloads(page_translator, tmp_path):
    (tmp_path / "news.ar.txt").write_text(SHORT, encoding="utf-8")
    service = ReaderService(page_translator, samples_dir=tmp_path)
    loaded = service.load_sample("news.ar.txt")
    steps = list(service.translate_page(loaded.text, loaded))
    assert [step.state for step in steps[:-1]] == ["working"] * (len(steps) - 1) and steps[-1].state == "done"
    last = steps[-1]
    assert [path.name for _, path in last.downloads] == ["news.en.txt", "news.en.tmx", "news.en.xlf", "news.en.html",
                                                         "news.en.md", "news.en.jsonl"]
    assert last.source == {"kind": "sample", "name": "news.ar.txt"} and last.title == "قصف روسي على حلب"
    assert step_view(last)["source"] == last.source
    *_, edited = service.translate_page(loaded.text + " وداعا", loaded)  # edited since: no longer that file
    assert edited.downloads[0][1].name == "translation.en.txt" and edited.source is None


def test_downloads_live_outside_the_cache(page_translator):
    service = ReaderService(page_translator)
    document = page_translator.translate("قصف روسي على حلب")
    cache = page_translator.cache.folder.resolve()
    files, failed = service.write_downloads(document)
    assert len(files) == 6 and not failed
    for _, path in files:
        assert path.is_file() and cache not in path.resolve().parents


def test_a_refused_text_is_a_failed_step_that_shows_nothing(page_translator):
    (step,) = ReaderService(page_translator, max_chars=10).translate_page("حلب " * 5)
    assert step.state == "failed" and not step.document.sentences
    assert "The text has 20 characters; the page translates up to 10" in step.message
    view = step_view(step)
    assert view["state"] == "failed" and not view["pairs"] and view["message"] == step.message


def test_a_model_failure_is_a_clear_message_and_keeps_what_was_shown(page_translator):
    from spies import BrokenEngine

    page_translator.translate("قصف روسي على حلب")
    broken = Translator(BrokenEngine(page_translator.engine, ModelLoadError("cannot load the model: out of memory")),
                        page_translator.cache, settings=page_translator.settings)
    # The second line is in no other test, so it is not cached and needs the model.
    steps = list(ReaderService(broken).translate_page("قصف روسي على حلب\nوأفاد مراسل التلفزيون العربي باندلاع مواجهات."))
    assert pending(step_view(steps[0])) == [1]  # the cached headline is on the page
    last = steps[-1]  # the stream ends with the reason, not with an exception
    view, status = step_view(last), status_html(last)
    assert view["state"] == "failed" and pending(view) == [1] and view["pairs"][0][2]["t"]
    assert 'role="alert"' in status and "out of memory" in status and "Loading" not in status
    assert "1 of 2 sentences were translated and are kept" in status


def test_an_unexpected_failure_is_told_in_words_and_logged(page_translator, caplog):
    from spies import BrokenEngine

    broken = Translator(BrokenEngine(page_translator.engine, KeyError("vocab")), page_translator.cache,
                        settings=page_translator.settings)
    with caplog.at_level(logging.ERROR, logger="translate"):
        *_, last = ReaderService(broken).translate_page("وأعلنت الفصائل سيطرتها على تلة جديدة.")
    assert last.state == "failed" and "Something went wrong on the server (reference " in last.message
    assert "KeyError" not in last.message and "vocab" not in last.message
    assert "press Translate to try again" in last.message
    assert any(record.exc_info and record.exc_info[0] is KeyError for record in caplog.records)
    with pytest.raises(KeyError):  # the script's endpoint raises; the page's face words it (test_webapp)
        ReaderService(broken).translate("وأعلنت الفصائل سيطرتها على تلة جديدة.")


def test_view_data_carries_pairs_scores_doubts_and_links(page_translator):
    text = "\nقصف روسي على حلب\n\nفي عام 2017 قصف روسي. وأعلنت الفصائل سيطرتها على تلة.\n"
    document = page_translator.translate(text)
    view = view_data(document, "run-1", title="News")
    assert (view["run"], view["state"], view["title"]) == ("run-1", "working", "News")
    assert view["paragraphs"] == [["h", "\n"], ["p", "\n\n"]] and view["tail"] == "\n"
    assert [(p, s) for p, s, _ in view["pairs"]] == [(0, "قصف روسي على حلب"), (1, "في عام 2017 قصف روسي."),
                                                      (1, "وأعلنت الفصائل سيطرتها على تلة.")]
    for pair, (_, _, result) in zip(document.sentences, view["pairs"]):
        assert result["t"] == pair.translation and result["s"] == round(pair.score, 3)
        assert result.get("f", []) == list(pair.flags)
        assert result.get("a", "") == " ".join(f"{s}-{t}" for s, t in pair.alignment)
    numbers = view["pairs"][1][2]
    assert "2017" not in numbers["t"] and numbers["m"] == ["2017"] and "numbers" in numbers["f"]
    # Rebuilt as the page's "Copy English" does, it is the document's English.
    english = "".join(gap + " ".join(r["t"] for p, _, r in view["pairs"] if p == k)
                      for k, (_, gap) in enumerate(view["paragraphs"])) + view["tail"]
    assert english == document.translation_text()


def test_every_document_is_named_the_same_way_in_both_languages(page_translator, tmp_path):
    from sample_documents import DOCX_TITLE, make_docx

    pasted = page_translator.translate("تدور اشتباكات عنيفة بين فصائل المعارضة السورية وقوات النظام في مدينة حلب.")
    named = names(pasted)
    assert named["ar"] == "تدور اشتباكات عنيفة بين فصائل المعارضة السورية وقوات النظام في…"
    assert named["en"] == " ".join(pasted.sentences[0].translation.split()[:10]) + "…"
    upload = tmp_path / "report.ar.docx"
    upload.write_bytes(make_docx()[0])
    loaded = ReaderService(page_translator, samples_dir=None).load_upload(str(upload))
    *_, report = page_translator.translate_stream(loaded.document)
    named = names(report, loaded.title)
    assert named == {"ar": DOCX_TITLE, "en": report.sentences[0].translation}  # its title, and the English of it
    assert names(loaded.document, loaded.title) == {"ar": DOCX_TITLE, "en": None}  # before the English is there


def test_samples_are_offered_by_title(tmp_path):
    (tmp_path / "aleppo-offensive.ar.txt").write_text("تدور اشتباكات عنيفة في حلب. وأفاد مراسل.\nقصف روسي", encoding="utf-8")
    (tmp_path / "news.md").write_text("# عنوان الخبر\nقصف روسي على حلب.", encoding="utf-8")
    (tmp_path / "headline.txt").write_text("قصف روسي على حلب\nوأعلنت الفصائل سيطرتها.", encoding="utf-8")
    # The title and the count; an Arabic title isolated, so that the count stays after it.
    assert sample_title(tmp_path / "aleppo-offensive.ar.txt") == ("Aleppo offensive", "Aleppo offensive · 3 sentences")
    assert sample_title(tmp_path / "news.md") == ("عنوان الخبر", "\u2068عنوان الخبر\u2069 · 2 sentences")
    assert sample_title(tmp_path / "headline.txt") == ("قصف روسي على حلب", "\u2068قصف روسي على حلب\u2069 · 2 sentences")


def test_a_file_over_the_limit_is_refused_with_the_limit_in_words(page_translator, tmp_path):
    from sample_documents import make_docx

    service = ReaderService(page_translator, samples_dir=None)
    service.max_upload = 1000  # the server refuses larger uploads first; this guards direct callers
    big = tmp_path / "big.docx"
    big.write_bytes(make_docx()[0])
    # The size reads apart from the limit (it once read "0.0 MB; … up to 0.0 MB").
    with pytest.raises(InputError, match=r"big\.docx is 0\.0\d+ MB; the page takes files up to 0\.0 MB"):
        service.load_upload(str(big))


def test_a_reader_without_memory_says_corrections_cannot_be_saved(page_translator):
    service = ReaderService(page_translator.variant(memory=None), samples_dir=None)
    assert not service.has_memory
    with pytest.raises(InputError, match="keeps no translation memory"):
        service.remember("قصف روسي على حلب", "Mine.")
    assert service.alternatives("قصف روسي على حلب", 2)  # the alternatives are still there to read


def test_the_sessions_translators_take_turns_with_the_page(page_translator):
    from translate.glossary import Glossary

    service = ReaderService(page_translator, samples_dir=None)
    glossary = Glossary.from_pairs([("حلب", "Aleppo")])
    variant = service.translator_for(False, glossary)
    assert variant.memory is None and variant.glossary is glossary
    assert variant.engine is page_translator.engine and variant.cache is page_translator.cache
    assert variant._turns is page_translator._turns  # one fair lock for the model, whoever asks
    assert service.translator_for(True, None) is page_translator


@pytest.mark.parametrize("check, value, message", [
    (lambda v: validate.text(v, 100), None, "Nothing to translate"),
    (lambda v: validate.text(v, 100), "\u200f\u200e ", "Nothing to translate"),
    (lambda v: validate.text(v, 100), ["قصف"], "not a list"),
    (lambda v: validate.text(v, 100), "حلب " * 30, "120 characters; the page translates up to 100"),
    (lambda v: validate.text(v, 100), "قصف \ud800", r"The text holds a lone surrogate \(U\+D800\) at character 4"),
    (validate.sentence, 42, "must be one Arabic sentence as text, not a number"),
    (validate.sentence, "Hello there.", "has no Arabic word"),
    (validate.sentence, "قصف روسي. وأعلنت تركيا.", "holds 2 sentences"),
    (lambda v: validate.english(v, "Your translation"), "  ", "Your translation is empty"),
    (validate.count, 0, "whole number from 1 to 16, not 0"),
    (validate.count, True, "whole number from 1 to 16, not true"),
])
def test_bad_input_is_refused_in_the_pages_words(check, value, message):
    with pytest.raises(InputError, match=message) as refused:
        check(value)
    assert "--" not in str(refused.value)


@pytest.mark.parametrize("check, value, accepted", [
    (lambda v: validate.text(v, 100), "قصف روسي", "قصف روسي"),
    (validate.count, 5.0, 5),
    (lambda v: validate.english(v, "The beginning", empty=True), None, ""),
])
def test_good_input_passes(check, value, accepted):
    assert check(value) == accepted
