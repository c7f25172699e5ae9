"""The seed article's reference English and the engine that answers with it (for
layout tests and screenshots): it pairs every seed sentence, answers through the
real pipeline, and is never read as an input or offered as a sample."""
from __future__ import annotations

from conftest import SEED_ARTICLE, SEEDS
from reference_engine import REFERENCE, reference_translator, seed_references

from translate import readers, split_sentences
from translate.inputs import find_sources


def test_every_seed_sentence_has_its_reference_english(seed_text):
    references = seed_references()
    assert list(references) == split_sentences(seed_text)
    assert all(english.strip() and not any("\u0621" <= c <= "\u064a" for c in english)
               for english in references.values())
    assert references["قصف روسي على حلب"] == "Russian bombardment of Aleppo"


def test_the_engine_answers_the_seed_with_its_reference_and_the_rest_with_the_model(tiny_model, tmp_path, seed_text):
    translator = reference_translator(tiny_model, tmp_path / "cache")
    document = translator.translate(seed_text + "\nوقالت الوزارة إن الحفاظ على الهدوء أولوية.")
    references = seed_references()
    *seed, other = document.sentences
    assert [pair.translation for pair in seed] == list(references.values())
    assert other.translation not in references.values() and other.translation
    for pair in seed:  # word links stay the model's, within the reference's words
        assert all(0 <= target < len(pair.translation.split()) for _, target in pair.alignment)
    assert "+reference" in str(translator.signature)  # never the model's own cache entries


def test_the_reference_is_neither_an_input_nor_a_sample(tiny_model):
    from translate.web.service import ReaderService

    sources, _ = find_sources([str(SEEDS)], suffixes=readers.SUFFIXES)
    assert [source.path.name for source in sources] == [SEED_ARTICLE.name]
    assert REFERENCE.is_file() and REFERENCE.parent == SEEDS
    from translate import Translator

    service = ReaderService(Translator.from_options(str(tiny_model), engine="transformers"), samples_dir=SEEDS)
    assert list(service.samples) == [SEED_ARTICLE.name]
