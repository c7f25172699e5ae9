"""The CTranslate2 engine on the tiny real model: same tokens and same greedy
output as transformers, one conversion reused, interrupted conversions ignored."""
from __future__ import annotations

import importlib.metadata
import json
import os
import subprocess
import sys
from dataclasses import replace

import pytest

# Imported before anything loads torch: both bring an OpenMP runtime, and this
# order is the one the CLI has (torch only ever loads for a first conversion).
ctranslate2 = pytest.importorskip("ctranslate2")

from translate import Translator, split_sentences  # noqa: E402
from translate.engines import conversion as ct2_convert  # noqa: E402
from translate.engines.base import EnginePlan, GenerationSettings, length_bucket, plan_engine  # noqa: E402
from translate.engines.conversion import converted_path  # noqa: E402
from translate.engines.ctranslate2 import CTranslate2Engine  # noqa: E402
from translate.engines.model_files import locate_model  # noqa: E402
from translate.engines.tokenizer import MarianPieces  # noqa: E402
from translate.errors import ModelLoadError  # noqa: E402

VERSION = importlib.metadata.version("ctranslate2")
FLOAT32 = EnginePlan("ctranslate2", "cpu", "float32", VERSION)
GREEDY = GenerationSettings(beams=1)

# Inputs where a tokenizer could go wrong: nothing, blanks, special tokens and a
# language code written in the text, characters the vocabulary lacks, odd spaces.
EDGE_CASES = [
    "",
    " ",
    "\t\n",
    "قصف روسي على حلب",
    "  قصف   روسي  ",
    "قصف</s>روسي",
    "a<unk>b<pad>c",
    ">>eng<< قصف روسي",
    "«قصف» “روسي” — 😀",
    "Aleppo 2024, ١٢:٣٠",
    "\u200fقصف\u200f روسي",
]


@pytest.fixture(scope="module")
def cache(tmp_path_factory):
    return tmp_path_factory.mktemp("ct2-cache")


@pytest.fixture(scope="module")
def local(tiny_model):
    return locate_model(str(tiny_model))


@pytest.fixture(scope="module")
def ct2(local, cache):
    return CTranslate2Engine(local, FLOAT32, cache)


@pytest.fixture(scope="module")
def reference(local):
    from translate.engines.transformers import TransformersEngine

    return TransformersEngine(local, EnginePlan("transformers", "cpu", "float32", "reference"))


@pytest.fixture(scope="module")
def marian_tokenizer(tiny_model):
    from transformers import MarianTokenizer

    return MarianTokenizer.from_pretrained(tiny_model)


@pytest.fixture(scope="module")
def seed_sentences(seed_text):
    return split_sentences(seed_text)


# -- tokenization -------------------------------------------------------------------


def test_token_ids_equal_marian_tokenizer_on_the_seed(tiny_model, marian_tokenizer, seed_sentences):
    pieces = MarianPieces(tiny_model)
    assert [pieces.encode(s) for s in seed_sentences] == marian_tokenizer(seed_sentences)["input_ids"]


@pytest.mark.parametrize("text", EDGE_CASES)
def test_token_ids_equal_marian_tokenizer_on_edge_cases(tiny_model, marian_tokenizer, text):
    assert MarianPieces(tiny_model).encode(text) == marian_tokenizer(text)["input_ids"]


def test_decoding_equals_marian_tokenizer(tiny_model, marian_tokenizer):
    import random

    pieces, size = MarianPieces(tiny_model), len(marian_tokenizer)
    rng = random.Random(0)
    for length in [0, 1, 2, 5, 20] * 20:
        ids = [rng.randrange(size) for _ in range(length)]
        assert pieces.decode(ids) == marian_tokenizer.decode(ids, skip_special_tokens=True), ids


def test_count_tokens_agrees_with_transformers(ct2, reference, seed_sentences):
    sentences = seed_sentences + EDGE_CASES
    assert ct2.count_tokens(sentences) == reference.count_tokens(sentences)


# -- translation --------------------------------------------------------------------


def test_greedy_output_equals_transformers(ct2, reference, seed_sentences):
    # transformers budgets a batch by its longest input, so it gets one length bucket at a time
    by_bucket: dict[int, list[str]] = {}
    for sentence, count in zip(seed_sentences, reference.count_tokens(seed_sentences)):
        by_bucket.setdefault(length_bucket(count), []).append(sentence)
    assert len(by_bucket) > 1
    for batch in by_bucket.values():
        ours = ct2.translate_batch(batch, GREEDY)
        theirs = reference.translate_batch(batch, GREEDY)
        assert [h.text for h in ours] == [h.text for h in theirs]
    outputs = {h.text for h in ct2.translate_batch(seed_sentences, GREEDY)}
    assert len(outputs) > len(seed_sentences) // 2


@pytest.mark.parametrize("settings", [GREEDY, replace(GREEDY, max_length_ratio=0.0, max_length_slack=30),
                                      GenerationSettings(beams=3)])
def test_translation_does_not_depend_on_the_batch(ct2, seed_sentences, settings):
    sentences = seed_sentences[:8]  # several length buckets
    together = [h.text for h in ct2.translate_batch(sentences, settings)]
    alone = [ct2.translate_batch([s], settings)[0].text for s in sentences]
    assert together == alone


def test_pipeline_fills_batches_across_length_buckets(tiny_model, seed_text):
    from spies import spy_translator

    plain = Translator.from_options(str(tiny_model), use_cache=False, engine="ctranslate2", device="cpu",
                                    batch_size=16)
    translator, spy = spy_translator(plain)
    sentences = split_sentences(seed_text)
    translator.translate(seed_text)
    assert [len(batch) for batch, used in spy.batches if used == translator.settings] == [16, len(sentences) - 16]


def test_score_is_mean_log_probability_per_token(ct2, seed_sentences):
    sentences = seed_sentences[:4]
    tokens = [list(ct2.tokenizer.pieces(s)) for s in sentences]
    results = ct2.translator.translate_batch(
        tokens, beam_size=1, max_decoding_length=20, min_decoding_length=0, return_scores=True
    )
    outputs = [r.hypotheses[0] for r in results]
    scored = ct2.translator.score_batch(tokens, outputs)  # it appends </s> to each output
    for result, output, score in zip(results, outputs, scored):
        # An output cut at the budget has no </s>; one that ended counts its </s>.
        log_probs = score.log_probs[: len(output)] if len(output) == 20 else score.log_probs
        assert result.scores[0] == pytest.approx(sum(log_probs) / len(log_probs), rel=1e-4)
    hypotheses = ct2.translate_batch(sentences, GREEDY)
    assert all(h.score is not None and h.score < 0 for h in hypotheses)


def test_settings_are_honoured(ct2, seed_sentences):
    sentence = seed_sentences[1]
    settings = GenerationSettings(beams=2, max_length_ratio=0.0, max_length_slack=12,
                                  no_repeat_ngram_size=2)
    tokens = list(ct2.tokenizer.pieces(sentence))
    output = ct2.translator.translate_batch(
        [tokens], beam_size=2, no_repeat_ngram_size=2, max_decoding_length=11, min_decoding_length=0
    )[0].hypotheses[0]
    assert ct2.translate_batch([sentence], settings)[0].text == ct2.tokenizer.decode_pieces(output)
    assert len(output) <= 11  # the budget, less the step transformers spends on the forced </s>
    bigrams = list(zip(output, output[1:]))
    assert len(bigrams) == len(set(bigrams))


def test_empty_batch(ct2):
    assert ct2.translate_batch([], GREEDY) == []
    assert ct2.count_tokens([]) == []


# -- the converted model ------------------------------------------------------------


def test_conversion_is_reused_on_the_second_load(local, tmp_path, monkeypatch):
    calls = []
    convert = ct2_convert._convert
    monkeypatch.setattr(ct2_convert, "_convert", lambda *args: calls.append(args) or convert(*args))
    first = CTranslate2Engine(local, FLOAT32, tmp_path)
    second = CTranslate2Engine(local, FLOAT32, tmp_path)
    assert len(calls) == 1
    folder = converted_path(tmp_path, local, FLOAT32)
    assert (folder / "model.bin").is_file()
    assert local.revision in folder.name and VERSION in folder.name and "float32" in folder.name
    assert [p.name for p in (tmp_path / "models").iterdir()] == [folder.name]
    sentence = ["قصف روسي على حلب"]
    assert first.translate_batch(sentence, GREEDY) == second.translate_batch(sentence, GREEDY)


def test_interrupted_conversion_is_not_used(local, tmp_path, monkeypatch):
    def interrupted(model, plan, output):
        output.mkdir(parents=True)
        (output / "model.bin").write_bytes(b"half a model")
        raise KeyboardInterrupt

    monkeypatch.setattr(ct2_convert, "_convert", interrupted)
    with pytest.raises(KeyboardInterrupt):
        CTranslate2Engine(local, FLOAT32, tmp_path)
    assert list((tmp_path / "models").iterdir()) == []  # nothing half-written is left to load

    # A conversion killed outright leaves its .partial folder behind: it is ignored.
    folder = converted_path(tmp_path, local, FLOAT32)
    leftover = folder.with_name(f"{ct2_convert.PARTIAL_PREFIX}{folder.name}-killed") / "model"
    leftover.mkdir(parents=True)
    (leftover / "model.bin").write_bytes(b"half a model")
    monkeypatch.undo()
    engine = CTranslate2Engine(local, FLOAT32, tmp_path)
    assert engine.translate_batch(["قصف روسي على حلب"], GREEDY)[0].text
    assert (folder / "model.bin").stat().st_size > 1000


def test_failed_conversion_says_what_to_do(local, tmp_path, monkeypatch):
    def broken(model, plan, output):
        raise ValueError("unsupported architecture")

    monkeypatch.setattr(ct2_convert, "_convert", broken)
    with pytest.raises(ModelLoadError, match="unsupported architecture") as caught:
        CTranslate2Engine(local, FLOAT32, tmp_path)
    assert caught.value.reason == "convert-failed"  # the CLI adds "try --engine transformers"
    assert list((tmp_path / "models").iterdir()) == []


def test_unwritable_cache_says_what_to_do(local, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(ModelLoadError, match="cannot write the converted model") as caught:
        CTranslate2Engine(local, FLOAT32, blocker)
    assert caught.value.reason == "convert-unwritable"


def test_unicode_cache_path(local, tmp_path):
    engine = CTranslate2Engine(local, FLOAT32, tmp_path / "ذاكرة مؤقتة")
    assert engine.translate_batch(["قصف روسي على حلب"], GREEDY)[0].text


@pytest.mark.skipif(ctranslate2.get_cuda_device_count() > 0, reason="CUDA is usable here")
def test_cuda_plan_falls_back_to_cpu_int8(local, cache):
    engine = CTranslate2Engine(local, EnginePlan("ctranslate2", "cuda", "float16", VERSION), cache)
    assert (engine.plan.device, engine.plan.precision) == ("cpu", "int8")
    assert engine.translate_batch(["قصف روسي على حلب"], GREEDY)[0].text


# -- through the pipeline -----------------------------------------------------------


def test_auto_engine_is_ctranslate2_int8_and_in_the_signature(tiny_model, tmp_path, seed_text):
    translator = Translator.from_options(str(tiny_model), cache_dir=str(tmp_path), engine="auto", device="cpu")
    assert translator.engine.plan == plan_engine("ctranslate2", "cpu")
    assert f"engine:ctranslate2-{VERSION}-int8" in str(translator.signature)
    document = translator.translate(seed_text)
    assert all(p.translation for p in document.sentences)
    assert (converted_path(tmp_path, translator.engine.model, translator.engine.plan) / "model.bin").is_file()
    again = Translator.from_options(str(tiny_model), cache_dir=str(tmp_path), engine="auto",
                                    device="cpu").translate(seed_text)
    assert again.cached_count == len(again.sentences)


def test_converted_model_loads_without_torch_or_transformers(local, cache, ct2):
    """Once converted, a fresh process translates importing neither torch nor transformers."""
    script = (
        "import sys, json\n"
        "from translate.engines.ctranslate2 import CTranslate2Engine\n"
        "from translate.engines.base import EnginePlan, GenerationSettings\n"
        "from translate.engines.model_files import locate_model\n"
        f"engine = CTranslate2Engine(locate_model({str(local.path)!r}), "
        f"EnginePlan(*{list(FLOAT32.__dict__.values())!r}), {str(cache)!r})\n"
        "text = engine.translate_batch(['قصف روسي على حلب'], GenerationSettings(beams=1))[0].text\n"
        "print(json.dumps([text, [m for m in ('torch', 'transformers') if m in sys.modules]]))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            env=dict(os.environ, PYTHONIOENCODING="utf-8"), timeout=120)
    assert result.returncode == 0, result.stderr
    text, heavy = json.loads(result.stdout)
    assert heavy == []
    assert text == ct2.translate_batch(["قصف روسي على حلب"], GREEDY)[0].text
