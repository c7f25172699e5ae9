"""The CTranslate2 engine: MarianMT converted once (:mod:`translate.engines.conversion`),
then run without torch, int8 on the CPU and float16 on CUDA.

Text is cut into pieces by :class:`translate.engines.tokenizer.MarianPieces`
exactly as transformers' ``MarianTokenizer`` does, so both engines feed the
model the same tokens.
"""
from __future__ import annotations

import logging
import os
from dataclasses import replace
from pathlib import Path

from ..errors import ModelLoadError
from ..translation import Translation
from .alignment import links_from_attention, target_words, word_at, word_spans
from .base import Continuation, Engine, EnginePlan, GenerationSettings, check_source_lengths
from .conversion import ensure_converted
from .model_files import LocalModel
from .tokenizer import MarianPieces, read_json

log = logging.getLogger("translate")


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class CTranslate2Engine(Engine):
    """MarianMT through CTranslate2: int8 on the CPU, float16 on CUDA.

    Each sentence gets the output budget of its own length, whatever its batch
    (``budget_per_sentence``), so the pipeline can fill batches across lengths.

    Args:
        model: the local model folder (from :func:`translate.engines.model_files.locate_model`).
        plan: the planned device and precision; when CUDA turns out to be
            unusable it falls back to int8 on the CPU (``self.plan`` then says so).
        cache_dir: the cache folder; converted models go in its ``models/``.
        threads: CPU cores to use (default: every core this process may use). Each
            batch is cut in that many parts decoded in parallel, one thread each:
            on a small machine that beats threads sharing one batch, and it does
            not collapse when another process takes a core (no OpenMP barriers).

    Raises:
        ModelLoadError: the model could not be converted or loaded.
    """

    budget_per_sentence = True
    #: compute word links (False: translations only, a little faster)
    align = True

    def __init__(self, model: LocalModel, plan: EnginePlan, cache_dir: str | os.PathLike,
                 *, threads: int | None = None):
        import ctranslate2

        if plan.device == "cuda" and ctranslate2.get_cuda_device_count() == 0:
            log.warning("CUDA is not usable here; translating on the CPU")
            plan = replace(plan, device="cpu", precision="int8")
        self.model, self.plan = model, plan
        self.limits = model.limits
        self.parallel = 1 if plan.device == "cuda" else (threads or available_cores())
        try:
            self.tokenizer = MarianPieces(model.path)
        except (OSError, ValueError, KeyError, RuntimeError) as error:
            raise ModelLoadError(f"could not load the vocabulary of {model.name} from {model.path}: {error}",
                                 reason="model-broken") from error
        self._forced_end = _forced_end(model.path)
        try:
            self.translator = self._load(ensure_converted(model, self.plan, cache_dir))
        except RuntimeError as error:
            if self.plan.device != "cuda":
                raise
            log.warning("CUDA failed (%s); translating on the CPU", error)
            self.plan = replace(self.plan, device="cpu", precision="int8")
            self.parallel = threads or available_cores()
            self.translator = self._load(ensure_converted(model, self.plan, cache_dir))

    def _load(self, folder: Path):
        import ctranslate2

        try:
            return ctranslate2.Translator(str(folder), device=self.plan.device,
                                          compute_type=self.plan.precision,
                                          intra_threads=1, inter_threads=self.parallel)
        except RuntimeError as error:
            if self.plan.device == "cuda":
                raise
            raise ModelLoadError(
                f"could not load the converted model {folder}: {error}; delete that folder "
                f"and it will be converted again", reason="converted-broken",
            ) from error

    def count_tokens(self, sentences: list[str]) -> list[int]:
        return [len(self.tokenizer.pieces(s)) for s in sentences]

    def translate_batch(self, sentences: list[str], settings: GenerationSettings) -> list[Translation]:
        if not sentences:
            return []
        tokens = [list(self.tokenizer.pieces(s)) for s in sentences]
        check_source_lengths([len(t) for t in tokens], self.limits)
        # Each sentence's own budget (transformers spends the last step of it on
        # the forced </s>). The batch decodes up to the largest; a sentence with a
        # smaller budget that ended two steps or more before it got exactly what it
        # would get alone, and the rare one that ran that long is decoded again
        # with its own budget. So a translation never depends on its batch.
        caps = [max(1, settings.max_new_tokens(len(t), self.limits) - self._forced_end) for t in tokens]
        results = self._decode(tokens, settings, max(caps))
        again: dict[int, list[int]] = {}
        for index, (result, cap) in enumerate(zip(results, caps)):
            if cap < max(caps) and len(result.hypotheses[0]) >= cap - 1:
                again.setdefault(cap, []).append(index)
        for cap, indexes in again.items():
            for index, result in zip(indexes, self._decode([tokens[i] for i in indexes], settings, cap)):
                results[index] = result
        if not self.align:
            return [Translation(self.tokenizer.decode_pieces(r.hypotheses[0]), float(r.scores[0])) for r in results]
        shared = -(-len(tokens) // self.parallel) > 1  # some sentences share a CTranslate2 batch
        first_rows = self._first_step_attention(tokens) if settings.beams > 1 and shared else None
        hypotheses = []
        for number, (sentence, result) in enumerate(zip(sentences, results)):
            pieces = result.hypotheses[0]
            text = self.tokenizer.decode_pieces(pieces)
            attention = list(result.attention[0])
            if first_rows is not None and attention:
                attention[0] = first_rows[number]
            hypotheses.append(Translation(text, float(result.scores[0]),
                                         alignment=self._links(sentence, pieces, text, attention)))
        return hypotheses

    # -- the interactive side (translate.interactive) ------------------------------

    def n_best(self, sentence: str, settings: GenerationSettings, n: int) -> list[Translation]:
        tokens = self._source(sentence)
        cap = max(1, settings.max_new_tokens(len(tokens), self.limits) - self._forced_end)
        result = self.translator.translate_batch(
            [tokens], **self._options(settings, cap), beam_size=max(settings.beams, n), num_hypotheses=n)[0]
        return [Translation(self.tokenizer.decode_pieces(pieces), float(score))
                for pieces, score in zip(result.hypotheses, result.scores)]

    def continue_prefix(self, sentence: str, prefix: list[str], settings: GenerationSettings,
                        n: int = 1) -> list[Continuation]:
        tokens = self._source(sentence)
        # The decoding length counts the forced pieces too, and all must fit the model's positions.
        budget = min(settings.max_new_tokens(len(tokens), self.limits), self.limits.max_new_tokens - len(prefix))
        cap = len(prefix) + max(1, budget - self._forced_end)
        options = self._options(settings, cap) | dict(target_prefix=[list(prefix)] if prefix else None)
        if n == 1:
            result = self.translator.translate_batch([tokens], **options, beam_size=settings.beams)[0]
        else:
            # The alternatives are the likeliest pieces at the first position after
            # the prefix, each decoded greedily from there.
            result = self.translator.translate_batch([tokens], **options, beam_size=1, num_hypotheses=n,
                                                     return_alternatives=True)[0]
        return [Continuation(self.tokenizer.decode_continuation(pieces[len(prefix):]), float(score))
                for pieces, score in zip(result.hypotheses, result.scores)]

    def target_pieces(self, text: str) -> list[str]:
        return self.tokenizer.target_pieces(text)

    def links_for(self, pairs: list[tuple[str, str]]) -> list[tuple[tuple[int, int], ...]]:
        if not pairs:
            return []
        tokens = [self._source(sentence) for sentence, _ in pairs]
        prefixes = [self.tokenizer.target_pieces(english) for _, english in pairs]
        # The English forced as the output: the attention of each of its steps is the link.
        results = self.translator.translate_batch(
            tokens, target_prefix=prefixes, beam_size=1, max_input_length=0, return_attention=True,
            max_decoding_length=max(len(prefix) for prefix in prefixes) + 1)
        links = []
        for (sentence, english), prefix, result in zip(pairs, prefixes, results):
            attention = list(result.attention[0])[: len(prefix)] if result.attention else []
            links.append(self._links(sentence, prefix, english, attention) if len(attention) == len(prefix) else ())
        return links

    def _source(self, sentence: str) -> list[str]:
        tokens = list(self.tokenizer.pieces(sentence))
        check_source_lengths([len(tokens)], self.limits)
        return tokens

    def _options(self, settings: GenerationSettings, cap: int) -> dict:
        return dict(no_repeat_ngram_size=settings.no_repeat_ngram_size, max_decoding_length=cap,
                    min_decoding_length=min(settings.min_new_tokens, cap), max_input_length=0,
                    return_scores=True)

    def _first_step_attention(self, tokens: list[list[str]]) -> list[list[float]]:
        """The attention of each sentence's first decoding step.

        CTranslate2 (4.8) reports, for the first step of a batch decoded with beam
        search, the attention of the batch's longest sentence for every sentence
        (later steps are right). The first step starts from the same state
        whatever the beam, so one greedy step gives the true row.
        """
        results = self.translator.translate_batch(
            tokens, beam_size=1, max_decoding_length=1, max_input_length=0, return_attention=True,
            max_batch_size=-(-len(tokens) // self.parallel))
        return [r.attention[0][0] if r.attention and r.attention[0] else [] for r in results]

    def _links(self, sentence: str, pieces: list[str], text: str, attention: list) -> tuple:
        """Word links of one translation (none when its pieces cannot be placed)."""
        targets = target_words(pieces, text, self.tokenizer.special)
        if targets is None or not attention:
            return ()
        sources = word_at(word_spans(sentence), self.tokenizer.piece_spans(sentence))
        return links_from_attention(attention, sources, targets)

    def _decode(self, tokens: list[list[str]], settings: GenerationSettings, cap: int) -> list:
        options = dict(
            beam_size=settings.beams,
            no_repeat_ngram_size=settings.no_repeat_ngram_size,
            max_decoding_length=cap,
            min_decoding_length=min(settings.min_new_tokens, cap),
            max_input_length=0,  # never truncate silently (the pipeline splits long sentences)
            return_scores=True,  # with length_penalty=1: mean log-probability per token
            return_attention=self.align,  # the alignment head's attention: word links (translate.engines.alignment)
            max_batch_size=-(-len(tokens) // self.parallel),  # one part per thread
        )
        return self.translator.translate_batch(tokens, **options)


def _forced_end(folder: Path) -> int:
    """1 when transformers would force ``</s>`` as the last token of the budget, else 0."""
    generation = read_json(folder / "generation_config.json")
    forced = generation.get("forced_eos_token_id", read_json(folder / "config.json").get("forced_eos_token_id"))
    return 0 if forced is None else 1
