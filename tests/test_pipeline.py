"""The pipeline on the tiny real model: batching, duplicates, the cache, long sentences."""
from __future__ import annotations

import pytest
from spies import spy_translator

from translate import Translator, segment_document, split_sentences
from translate.engines.base import GenerationSettings
from translate.quality import QualityPolicy


def test_document_keeps_every_sentence_in_order(translator, seed_text):
    document = translator.translate(seed_text, name="seed")
    assert [p.source for p in document.sentences] == split_sentences(seed_text)
    assert all(p.translation for p in document.sentences)
    assert all(seed_text[p.start : p.end] == p.source for p in document.sentences)
    assert [p.index for p in document.sentences] == list(range(len(document.sentences)))
    # Paragraphs are the article's lines; the English keeps the same line layout.
    assert len(document.paragraphs) == len([line for line in seed_text.splitlines() if line.strip()])
    assert document.translation_text().count("\n") == seed_text.count("\n")


def test_batched_output_equals_one_sentence_at_a_time(tiny_model, tmp_path, seed_text):
    sentences = split_sentences(seed_text)
    # Beam 2 and no retries keep it quick; the length buckets are what is under test.
    options = dict(use_cache=False, engine="transformers", beams=2, quality=QualityPolicy(retry=False))
    batched = Translator.from_options(str(tiny_model), batch_size=8, **options)
    single = Translator.from_options(str(tiny_model), batch_size=1, **options)
    a = [p.translation for p in batched.translate(seed_text).sentences]
    b = [p.translation for p in single.translate(seed_text).sentences]
    assert a == b
    assert len(set(a)) > len(sentences) // 2, "the tiny model should give different outputs for different inputs"


def test_duplicates_are_translated_once(translator):
    text = "قصف روسي على حلب\nقصف روسي على حلب\nتركيا تطالب بوقف الهجمات على إدلب\nقصف روسي على حلب"
    translator, spy = spy_translator(translator)
    document = translator.translate(text)
    assert sorted(spy.sentences) == sorted({"قصف روسي على حلب", "تركيا تطالب بوقف الهجمات على إدلب"})
    first, second, _, fourth = document.sentences
    assert first.translation == second.translation == fourth.translation


def test_second_run_is_fully_cached_and_loads_no_model(tiny_model, tmp_path, seed_text):
    cache = str(tmp_path / "shared-cache")
    first = Translator.from_options(str(tiny_model), cache_dir=cache, engine="transformers").translate(seed_text)
    assert first.cached_count == 0
    again = Translator.from_options(str(tiny_model), cache_dir=cache, engine="transformers")
    second = again.translate(seed_text)
    assert not again.engine_loaded
    assert second.cached_count == len(second.sentences)
    assert [p.translation for p in second.sentences] == [p.translation for p in first.sentences]
    assert [p.score for p in second.sentences] == pytest.approx([p.score for p in first.sentences])


def test_stream_shows_cached_sentences_first(translator):
    translator.translate("قصف روسي على حلب")
    steps = list(translator.translate_stream("قصف روسي على حلب\nتركيا تطالب بوقف الهجمات على إدلب"))
    assert [p.done for p in steps[0].sentences] == [True, False]
    assert steps[0].sentences[0].cached
    assert steps[-1].done and not steps[-1].sentences[1].cached


@pytest.mark.parametrize(
    "change",
    [dict(beams=2), dict(engine="ctranslate2"), dict(model="other")],
    ids=["settings", "engine", "model"],
)
def test_signature_changes_with_model_engine_and_settings(tiny_model, tmp_path, change):
    import shutil

    base = Translator.from_options(str(tiny_model), engine="transformers")
    model = str(tiny_model)
    if change.get("model"):
        other = tmp_path / "other-model"
        shutil.copytree(tiny_model, other)
        (other / "generation_config.json").write_text('{"num_beams": 2}')
        model = str(other)
    options = dict(engine="transformers") | {k: v for k, v in change.items() if k != "model"}
    if options["engine"] == "ctranslate2":
        pytest.importorskip("ctranslate2")
    assert Translator.from_options(model, **options).signature != base.signature
    assert Translator.from_options(str(tiny_model), engine="transformers").signature == base.signature


def test_settings_change_means_retranslation(tiny_model, tmp_path):
    cache = str(tmp_path / "c")
    Translator.from_options(str(tiny_model), cache_dir=cache, engine="transformers").translate("قصف روسي على حلب")
    other = Translator.from_options(str(tiny_model), cache_dir=cache, engine="transformers", beams=1)
    assert other.translate("قصف روسي على حلب").cached_count == 0


def test_long_sentence_is_cut_at_clause_marks_not_truncated(translator):
    clause = "وأعلنت فصائل المعارضة السيطرة على مبنى القصر البلدي وسط مدينة حلب"
    sentence = "، ".join([clause] * 40) + "."
    translator, spy = spy_translator(translator)
    assert spy.count_tokens([sentence])[0] > 200
    document = translator.translate(sentence)
    assert len(document.sentences) == 1
    parts = spy.sentences
    assert len(parts) > 1
    assert all(n <= 200 for n in spy.engine.count_tokens(parts))
    # Nothing dropped: every word of the sentence went to the model in some part.
    assert set(" ".join(parts).split()) == set(sentence.split())
    assert document.sentences[0].translation


def test_text_without_arabic_passes_through(translator):
    document = translator.translate("https://example.com/a?b=1\nقصف روسي على حلب")
    url, arabic = document.sentences
    assert url.translation == url.source and url.score is None
    assert arabic.translation and arabic.translation != arabic.source


def test_empty_text_gives_an_empty_document(translator):
    assert translator.translate("").sentences == []
    assert translator.translate("  \n\n ").sentences == []
    assert not translator.engine_loaded


def test_greedy_scores_are_mean_log_probabilities(tiny_model):
    translator = Translator.from_options(str(tiny_model), use_cache=False, engine="transformers", beams=1)
    scores = [p.score for p in translator.translate("قصف روسي على حلب\nتركيا تطالب").sentences]
    assert all(s is not None and s <= 0 for s in scores)


def test_segment_document_offsets_rebuild_the_text(seed_text):
    document = segment_document(seed_text)
    for paragraph in document.paragraphs:
        assert paragraph.sentences[0].start == paragraph.start
        assert paragraph.sentences[-1].end == paragraph.end
    assert document.paragraphs[2].is_heading  # "قصف روسي على حلب"
    assert not document.paragraphs[0].is_heading


def test_generation_settings_bound_output_length():
    from translate.engines.model_files import ModelLimits

    settings, limits = GenerationSettings(), ModelLimits(512)
    assert settings.max_new_tokens(10, limits) == 2 * 16 + 10
    assert settings.max_new_tokens(17, limits) == settings.max_new_tokens(32, limits) == 2 * 32 + 10
    assert settings.max_new_tokens(400, limits) == 511  # the decoder's start token takes one position
    assert settings.max_new_tokens(400, ModelLimits(256)) == 255


def test_doubtful_outputs_are_retried_with_safer_settings(translator):
    # The tiny random model loops ("يةيةية…"), so its first outputs are doubtful.
    translator, spy = spy_translator(translator)
    pair = translator.translate("قصف روسي على حلب").sentences[0]
    assert spy.retried == ["قصف روسي على حلب"]
    assert [s for _, s in spy.batches][1] == QualityPolicy().safer(GenerationSettings())
    assert "repetition" not in pair.flags  # no_repeat_ngram_size cleared the loop


def test_still_doubtful_after_retry_is_kept_and_marked(translator):
    # The random model never writes "2017": the missing number survives the retry.
    pair = translator.translate("وقعت الاتفاقية عام 2017 في أستانا.").sentences[0]
    assert pair.translation and "numbers" in pair.flags
    cached = translator.translate("وقعت الاتفاقية عام 2017 في أستانا.").sentences[0]
    assert cached.cached and cached.flags == pair.flags


@pytest.fixture(scope="module")
def model_256(tmp_path_factory):
    """A tiny model with 256 positions (opus-mt has 512, others 1024)."""
    from conftest import SEEDS

    from translate.testing import build_random_marian, seed_corpus

    return build_random_marian(tmp_path_factory.mktemp("marian-256"), seed_corpus(SEEDS), max_positions=256)


@pytest.mark.parametrize("engine", ["transformers", "ctranslate2"])
def test_limits_come_from_the_model(model_256, tmp_path, engine, seed_text):
    """A 400-piece sentence on a 256-position model: cut against the model's own limit,
    every part translated in order, no budget beyond its positions (it used to crash)."""
    if engine == "ctranslate2":
        pytest.importorskip("ctranslate2")
    translator = Translator.from_options(str(model_256), engine=engine, device="cpu",
                                         cache_dir=str(tmp_path / "cache"))
    assert translator.engine.limits.max_positions == 256
    assert translator.engine.limits.max_source_pieces == 128
    clauses = [s.rstrip(".") for s in split_sentences(seed_text) if len(s) > 60]
    sentence = "، ".join(clauses) + "."
    translator, spy = spy_translator(translator)
    assert spy.count_tokens([sentence])[0] >= 400
    document = translator.translate(sentence)
    pair, = document.sentences
    parts = spy.sentences
    assert len(parts) >= 3 and all(n <= 128 for n in spy.count_tokens(parts))
    # Nothing dropped: the parts, put back in place, rejoin to the sentence.
    assert " ".join(sorted(parts, key=sentence.index)).split() == sentence.split()
    assert pair.translation
