"""Alternatives and interactive correction on the tiny model, with both engines:
n distinct alternatives in score order, completions that always start with the
reader's beginning, next-word choices, the same answer twice, and bad input."""
from __future__ import annotations

import logging

import pytest
from conftest import cache_with_converted_model
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spies import SpyEngine

from translate import Alternative, InputError, Translator, UsageError
from translate.interactive import MAX_ALTERNATIVES, glue, split_partial_word

SENTENCE = "قصف روسي على حلب"
OTHER = "وقالت وزارة الخارجية التركية إن الهجمات يجب أن تتوقف."
ENGINES = ["transformers", "ctranslate2"]


@pytest.fixture(scope="module", params=ENGINES)
def translator(request, tiny_model, tmp_path_factory) -> Translator:
    """A translator on the tiny model, loaded once per engine for the module."""
    folder = tmp_path_factory.mktemp(f"cache-{request.param}")
    if request.param == "ctranslate2":
        folder = cache_with_converted_model(request.getfixturevalue("tiny_converted"), folder / "cache")
    translator = Translator.from_options(str(tiny_model), engine=request.param, device="cpu", cache_dir=folder,
                                         use_cache=False, use_memory=False)
    translator.engine.load()
    return translator


# -- n-best alternatives ----------------------------------------------------------------------


@pytest.mark.parametrize("sentence", [SENTENCE, OTHER])
def test_alternatives_are_n_distinct_texts_in_score_order(translator, sentence):
    found = translator.alternatives(sentence, 4)
    assert len(found) == 4
    assert all(isinstance(a, Alternative) and a.text.strip() == a.text and a.text for a in found)
    assert len({a.text for a in found}) == 4
    scores = [a.score for a in found]
    assert scores == sorted(scores, reverse=True)
    assert all(score <= 0 for score in scores)


def test_the_same_call_gives_the_same_result(translator):
    assert translator.alternatives(SENTENCE, 5) == translator.alternatives(SENTENCE, 5)
    assert translator.complete(SENTENCE, "The Russian ar") == translator.complete(SENTENCE, "The Russian ar")
    assert translator.word_alternatives(SENTENCE, "The") == translator.word_alternatives(SENTENCE, "The")


def test_too_many_alternatives_are_capped_and_said(translator, caplog):
    with caplog.at_level(logging.WARNING, logger="translate"):
        found = translator.alternatives(SENTENCE, 10_000)
    assert 1 <= len(found) <= MAX_ALTERNATIVES
    assert f"giving at most {MAX_ALTERNATIVES}" in caplog.text


# -- completion from a beginning ------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["", "The", "The ", "The Russian army", "The Russian ar", "Aleppo, 12 %",
                                    "  two  spaces", "“quoted” — dash", "Zürich café", "ÆØ unknown ☃ pieces",
                                    "حلب in Arabic", "line\nbreak"])
def test_a_completion_starts_with_the_exact_beginning(translator, prefix):
    completed = translator.complete(SENTENCE, prefix)
    assert completed.text.startswith(prefix)
    assert len(completed.text) > len(prefix)  # the model wrote something after it
    assert completed.score is not None and completed.score <= 0


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(prefix=st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40))
def test_any_beginning_is_kept_exactly(translator, prefix):
    if translator.engine.plan.name != "ctranslate2":
        pytest.skip("the property runs on the fast engine; the table above covers both")
    assert translator.complete(SENTENCE, prefix).text.startswith(prefix)


def test_a_beginning_near_the_models_length_still_completes(translator):
    prefix = "The " * 240  # 480 pieces of the model's 511
    assert translator.complete(SENTENCE, prefix).text.startswith(prefix)


def test_a_half_typed_word_is_finished_by_the_likeliest_word_that_fits(translator):
    """"The x" becomes "The x…" with the first of the model's likeliest words at
    that place that starts with "x", not "x" carried on from."""
    engine, head = translator.engine.load(), "The "
    candidates = [glue(head, c.text)[len(head):].split()
                  for c in engine.continue_prefix(SENTENCE, engine.target_pieces(head), translator.settings, 16)]
    words = [first[0] for first in candidates if first]
    for partial in sorted({word[:1] for word in words})[:3]:
        expected = next(word for word in words if word.startswith(partial))
        completed = translator.complete(SENTENCE, head + partial).text
        assert completed[len(head):].startswith(expected)


def test_without_a_beginning_the_completion_is_the_models_translation(translator):
    engine = translator.engine.load()
    assert translator.complete(SENTENCE, "").text == engine.translate_batch([SENTENCE], translator.settings)[0].text


# -- the next word -----------------------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["", "The", "The Russian "])
def test_word_alternatives_are_distinct_whole_words_that_complete(translator, prefix):
    words = translator.word_alternatives(SENTENCE, prefix, 5)
    assert 1 <= len(words) <= 5
    assert len(set(words)) == len(words)
    assert all(word and not any(c.isspace() for c in word) for word in words)
    for word in words[:2]:
        chosen = (prefix.rstrip() + " " + word).lstrip()
        assert translator.complete(SENTENCE, chosen).text.startswith(chosen)


# -- bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize("call, error, message", [
    (lambda t: t.alternatives("", 3), InputError, "empty"),
    (lambda t: t.alternatives("   \n", 3), InputError, "empty"),
    (lambda t: t.alternatives("The Russian army", 3), InputError, "no Arabic word"),
    (lambda t: t.alternatives(" ".join(["قصف روسي على حلب"] * 200), 3), InputError, "pieces, above"),
    (lambda t: t.alternatives(SENTENCE, 0), UsageError, "at least 1"),
    (lambda t: t.alternatives(SENTENCE, -2), UsageError, "at least 1"),
    (lambda t: t.alternatives(SENTENCE, 2.5), UsageError, "whole number"),
    (lambda t: t.alternatives(None, 3), InputError, "expected text"),
    (lambda t: t.alternatives("قصف \ud800", 3), InputError, "lone surrogate"),
    (lambda t: t.complete(SENTENCE, None), InputError, "expected text"),
    (lambda t: t.complete(SENTENCE, "x\udc00"), InputError, "lone surrogate"),
    (lambda t: t.complete(SENTENCE, "word " * 600), InputError, "shorter beginning"),
    (lambda t: t.complete("", "The"), InputError, "empty"),
    (lambda t: t.word_alternatives(SENTENCE, "The", 0), UsageError, "at least 1"),
    (lambda t: t.word_alternatives("hello", "The"), InputError, "no Arabic word"),
])
def test_bad_input_gets_one_clear_error(translator, call, error, message):
    with pytest.raises(error, match=message):
        call(translator)


def test_an_engine_without_the_interactive_side_says_so(translator):
    spy = Translator(SpyEngine(translator.engine.load()))
    with pytest.raises(UsageError, match="cannot give alternatives"):
        spy.alternatives(SENTENCE, 2)


# -- the pure text helpers ------------------------------------------------------------------------


@pytest.mark.parametrize("prefix, expected", [
    ("", ("", "")), ("The", ("", "The")), ("The ", ("The ", "")), ("The Russian ar", ("The Russian ", "ar")),
    ("a\nb", ("a\n", "b")), ("x\u00a0y", ("x\u00a0", "y")),
])
def test_split_partial_word(prefix, expected):
    assert split_partial_word(prefix) == expected


@pytest.mark.parametrize("head, continuation, expected", [
    ("", " The army", "The army"), ("The ", " army", "The army"), ("The", " army", "The army"),
    ("The ar", "my said", "The army said"), ("The ", "s", "The s"), ("", "", ""),
])
def test_glue(head, continuation, expected):
    assert glue(head, continuation) == expected
