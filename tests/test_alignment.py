"""Word alignment: pure functions on pieces and attention, then both engines with
the tiny model (random weights: the links mean nothing, the mechanism is checked)."""
from __future__ import annotations

import json

import pytest

from translate import Translator
from translate.engines.alignment import check_links, links_from_attention, target_words, word_at, word_spans
from translate.engines.base import GenerationSettings
from translate.engines.tokenizer import MarianPieces
from translate.writers.bilingual import render

SENTENCES = [
    "قصف روسي على حلب.",
    "وأعلنت فصائل المعارضة السيطرة على مبنى القصر البلدي وسط مدينة حلب، فيما أفادت إدارة العمليات.",
    "حلب",
    "واعتبرت أنقرة أن “الهجمات الأخيرة على إدلب” لعام 2017.",
]


@pytest.mark.parametrize("text", [
    "قصف روسي على حلب", "  leading and trailing  ", "tab\there\nnew line", "no\u00a0break\u2009thin\u3000ideographic",
    "marks\u200f stay\u200b inside\ufeff words", "\x1c\x1d\x1e\x1fcontrol separators\x85next line", "", "   ",
])
def test_words_are_what_str_split_makes_them(text):
    assert [text[a:b] for a, b in word_spans(text)] == text.split()


def test_a_piece_belongs_to_the_word_it_ends_in():
    text = "فصائل\u200f المعارضة"  # the mark is glued to the first word; the piece "▁ال" starts at it
    spans = word_spans(text)
    assert word_at(spans, [(0, 5), (5, 9), (9, 15), (5, 6), (6, 7), None, (3, 3)]) == [0, 1, 1, 0, None, None, None]


@pytest.mark.parametrize("pieces, text, expected", [
    (["▁The", "▁fight", "ers", "▁entered", "."], "The fighters entered.", [0, 1, 1, 2, 2]),
    (["▁It", "▁is", "▁n", "'t", "</s>"], "It isn't", [0, 1, 1, 1, None]),  # clean-up joins words
    (["▁a", "<unk>", "▁b"], "a b", [0, None, 1]),  # special pieces are dropped by decoding
    (["▁a", "▁c"], "a b", None),  # pieces that do not spell the text: no links at all
    (["▁a"], "a b", None),
])
def test_target_pieces_are_placed_in_the_decoded_text(pieces, text, expected):
    assert target_words(pieces, text, {"</s>", "<unk>"}) == expected


def test_each_target_piece_links_to_the_source_word_it_attends_to_most():
    attention = [[0.1, 0.6, 0.2, 0.1], [0.5, 0.1, 0.3, 0.1], [0.1, 0.3, 0.1, 0.5], [0.0, 0.0, 0.0, 1.0]]
    source = [0, 1, 1, None]  # the last source piece is </s>: never a word
    target = [0, 0, 1, None]
    assert links_from_attention(attention, source, target) == ((0, 0), (1, 0), (1, 1))
    assert links_from_attention(attention, [None] * 4, target) == ()


def test_source_pieces_keep_their_places_in_the_text(tiny_model):
    pieces = MarianPieces(tiny_model)
    for text in SENTENCES + ["ﻻ ﷺ 2017", ">>eng<< قصف </s> حلب", "  spaces  "]:
        spans = pieces.piece_spans(text)
        assert len(spans) == len(pieces.pieces(text)) and spans[-1] is None  # the closing </s>
        for span in spans[:-1]:
            assert 0 <= span[0] <= span[1] <= len(text)


@pytest.fixture(scope="module", params=["ctranslate2", "transformers"])
def engine(request, tiny_model, tmp_path_factory):
    translator = Translator.from_options(str(tiny_model), engine=request.param, device="cpu", use_cache=False,
                                         cache_dir=str(tmp_path_factory.mktemp("models")))
    return translator.engine.load()


@pytest.mark.parametrize("beams", [1, 4])
def test_every_link_points_inside_both_sentences(engine, beams):
    hypotheses = engine.translate_batch(SENTENCES, GenerationSettings(beams=beams))
    for source, hypothesis in zip(SENTENCES, hypotheses):
        assert hypothesis.alignment, f"no links for {source!r} → {hypothesis.text!r}"
        assert check_links(hypothesis.alignment, source, hypothesis.text)
        assert list(hypothesis.alignment) == sorted(set(hypothesis.alignment))
        # Pieces merge into words: every English word with a visible piece has a link.
        assert {t for _, t in hypothesis.alignment} == set(range(len(hypothesis.text.split())))


def test_links_do_not_depend_on_the_batch(tiny_model, tmp_path):
    # CTranslate2's translations do not depend on their batch, and nor do its links
    # (its first step's attention in a beam-search batch is taken from a greedy step).
    engine = Translator.from_options(str(tiny_model), engine="ctranslate2", device="cpu", use_cache=False,
                                     cache_dir=str(tmp_path)).engine.load()
    settings = GenerationSettings(beams=4)
    together = engine.translate_batch(SENTENCES, settings)
    alone = [engine.translate_batch([sentence], settings)[0] for sentence in SENTENCES]
    assert [(h.text, h.alignment) for h in together] == [(h.text, h.alignment) for h in alone]


def test_links_survive_the_cache_and_reach_the_jsonl(tiny_model, tmp_path):
    text = "\n".join(SENTENCES)
    options = dict(engine="ctranslate2", device="cpu", cache_dir=str(tmp_path / "cache"))
    first = Translator.from_options(str(tiny_model), **options).translate(text)
    again = Translator.from_options(str(tiny_model), **options).translate(text)
    assert all(pair.cached for pair in again.sentences)
    assert [p.alignment for p in again.sentences] == [p.alignment for p in first.sentences]
    assert all(pair.alignment for pair in again.sentences)
    records = [json.loads(line) for line in render(again, "jsonl").splitlines()[1:]]
    assert [tuple(map(tuple, r["alignment"])) for r in records] == [p.alignment for p in first.sentences]


def test_retried_and_split_sentences_keep_links_that_fit_their_text(tiny_model):
    # Random weights make most outputs doubtful, so most sentences are retried with
    # other settings; a long sentence is translated in parts and its links shifted.
    from spies import spy_translator

    base = Translator.from_options(str(tiny_model), engine="ctranslate2", device="cpu", use_cache=False)
    translator, spy = spy_translator(base)
    long_sentence = "، ".join(["وأعلنت فصائل المعارضة السيطرة على مبنى القصر البلدي وسط مدينة حلب"] * 12) + "."
    document = translator.translate("\n".join(SENTENCES + [long_sentence]))
    assert spy.retried, "no sentence was retried: the retry path went untested"
    assert len(spy.sentences) > len(SENTENCES) + 1, "the long sentence was not cut into parts"
    for pair in document.sentences:
        assert pair.alignment and check_links(pair.alignment, pair.source, pair.translation)
    last = document.sentences[-1]
    assert max(s for s, _ in last.alignment) >= len(last.source.split()) // 2  # links reach the later parts
