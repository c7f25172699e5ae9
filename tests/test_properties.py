"""Properties of the pipeline that hold for every input (Hypothesis).

Random Unicode, controls, bidi marks, lone surrogates and combining marks
included: either one translation per sentence, in order, or a clear InputError,
never another exception.
"""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from translate import InputError, Translator, split_sentences
from translate.pipeline.translator import needs_translation

ARABIC_WORDS = ["قصف", "روسي", "على", "حلب", "وقال", "المرصد", "د.", "أ.د.", "2024", "١٢:٣٠", "https://x.org/a.b"]
MARKS = ["\u064e", "\u0651", "\u0640", "\u200f", "\u200e", "\u202b", "\u202c", "\u061c", "\ufeff", "\u200d"]
PUNCTUATION = list(".!?؟…،؛:«»“”\"'()[]") + ["...", "?!", "\n", "\r\n", "\u2028", " ", "  ", "\t"]
CONTROLS = ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\x0b", "\x0c"]
SURROGATES = ["\ud800", "\udfff"]

pieces = st.one_of(
    st.sampled_from(ARABIC_WORDS + MARKS + PUNCTUATION + CONTROLS + SURROGATES),
    st.text(max_size=6),  # any Unicode at all (Hypothesis includes surrogates and controls)
)
texts = st.lists(pieces, max_size=40).map("".join)


@pytest.fixture(scope="module")
def fast_translator(tiny_model):
    pytest.importorskip("ctranslate2")
    return Translator.from_options(str(tiny_model), engine="ctranslate2", device="cpu", use_cache=False, beams=1)


@settings(max_examples=150, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(text=texts)
def test_one_translation_per_sentence_or_a_clear_error(fast_translator, text):
    try:
        document = fast_translator.translate(text)
    except InputError as error:
        assert str(error)  # a message, and nothing but the library's own error
        return
    sources = [pair.source for pair in document.sentences]
    assert sources == split_sentences(text)
    assert [pair.index for pair in document.sentences] == list(range(len(sources)))
    for pair in document.sentences:
        assert isinstance(pair.translation, str)
        assert text[pair.start : pair.end] == pair.source
        if not needs_translation(pair.source):
            assert pair.translation == pair.source


@pytest.mark.parametrize("value", [None, 42, ["قصف"], b"\xd9\x82"], ids=["None", "int", "list", "bytes"])
def test_what_is_not_text_is_a_clear_error(fast_translator, value):
    with pytest.raises(InputError, match="expected text"):
        fast_translator.translate(value)


def test_lone_surrogate_is_a_clear_error(fast_translator):
    with pytest.raises(InputError, match=r"lone surrogate \(U\+D800\) at character 4"):
        fast_translator.translate("قصف \ud800 حلب")
