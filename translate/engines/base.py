"""The translation engine interface, generation settings, and planning an engine.

An engine turns a batch of source sentences into :class:`~translate.translation.Translation` s
(text, score and word links; origin ``model``).
Choosing one is split in two: :func:`plan_engine` decides name, device and
precision without importing any heavy library, so the cache signature is known
before anything is loaded; :mod:`translate.engines.factory` then builds it.
"""
from __future__ import annotations

import importlib.metadata
import importlib.util
import os
from abc import ABC, abstractmethod
from dataclasses import dataclass

from .. import config
from ..errors import InputError, UsageError
from ..translation import Translation
from .model_files import LocalModel, ModelLimits


@dataclass(frozen=True)
class GenerationSettings:
    """Everything about decoding that changes the output (all of it is in the signature).

    Attributes:
        beams: beam size.
        max_length_ratio, max_length_slack: the output budget is ratio × the
            input's length bucket + slack tokens, capped by the model's positions.
        no_repeat_ngram_size: forbid repeating n-grams of this size (0: allow).
        min_new_tokens: decode at least this many tokens (0: stop when the model
            ends; benchmarks force fixed lengths with it).
    """

    beams: int = config.DEFAULT_BEAMS
    max_length_ratio: float = 2.0
    max_length_slack: int = 10
    no_repeat_ngram_size: int = 0
    min_new_tokens: int = 0

    def max_new_tokens(self, longest_input: int, limits: ModelLimits) -> int:
        """The output budget for a batch whose longest input has that many tokens.

        The budget grows with the input's *length bucket* (powers of two), and the
        pipeline never mixes buckets in one batch (unless the engine budgets each
        sentence by itself, :attr:`Engine.budget_per_sentence`), so a sentence
        gets the same budget, and the same translation, whatever batch it lands in.
        It never exceeds what the model's positions allow.
        """
        wanted = int(self.max_length_ratio * length_bucket(longest_input)) + self.max_length_slack
        return max(1, min(limits.max_new_tokens, max(wanted, self.min_new_tokens)))

    def describe(self) -> str:
        text = (f"beams={self.beams},ratio={self.max_length_ratio},slack={self.max_length_slack},"
                f"no_repeat={self.no_repeat_ngram_size}")
        return text + (f",min_new={self.min_new_tokens}" if self.min_new_tokens else "")


def length_bucket(tokens: int) -> int:
    """The smallest power of two ≥ ``tokens`` (at least 16)."""
    bucket = 16
    while bucket < tokens:
        bucket *= 2
    return bucket


@dataclass(frozen=True)
class Continuation:
    """What the model writes after a beginning it was made to start with.

    Attributes:
        text: the continuation alone; it starts with a space when its first
            piece begins a new word, and without one when it carries on the
            beginning's last word (``"ar"`` + ``"my"``).
        score: a log-probability, for ranking continuations of one beginning:
            the mean per token of the best continuation; for the alternatives
            at a position, CTranslate2 gives the mean of each whole
            continuation and transformers that of its first piece.
    """

    text: str
    score: float | None


@dataclass(frozen=True)
class EnginePlan:
    """Which engine will run, where, at what precision — known before loading it."""

    name: str  # "transformers" or "ctranslate2"
    device: str  # "cpu" or "cuda"
    precision: str  # "float32", "float16", "int8", ...
    version: str  # the engine library's version

    def describe(self) -> str:
        return f"{self.name}-{self.version}-{self.precision}"


class Engine(ABC):
    """A loaded model that translates batches of sentences."""

    plan: EnginePlan
    model: LocalModel
    #: the model's limits (positions), read from its own config
    limits: ModelLimits
    #: True when each sentence gets the output budget of its own length, so its
    #: translation does not depend on its batch: the pipeline may then put
    #: sentences of different length buckets in one batch (fewer, fuller batches).
    budget_per_sentence: bool = False

    @abstractmethod
    def count_tokens(self, sentences: list[str]) -> list[int]:
        """Source-side token counts, end-of-sentence token included."""

    @abstractmethod
    def translate_batch(
        self, sentences: list[str], settings: GenerationSettings
    ) -> list[Translation]:
        """Translate sentences (one batch, any order) into hypotheses, in order."""

    # The interactive side (translate.interactive): both real engines have it. These
    # are not abstract so that engines made only to translate (test spies,
    # benchmark wrappers) still stand; they say so if asked.

    def n_best(self, sentence: str, settings: GenerationSettings, n: int) -> list[Translation]:
        """The ``n`` best translations of one sentence, best first (beam search
        with at least ``n`` beams); texts may repeat (different pieces, same text)."""
        raise UsageError(f"{type(self).__name__} cannot give alternatives", reason="not-interactive")

    def continue_prefix(self, sentence: str, prefix: list[str], settings: GenerationSettings,
                        n: int = 1) -> list[Continuation]:
        """Continue the translation of ``sentence`` after the target pieces ``prefix``.

        Args:
            sentence: one source sentence (within the model's positions).
            prefix: target pieces (:meth:`target_pieces`) the translation must start with.
            settings: decoding settings; the output budget is counted after the prefix.
            n: 1 for the best continuation (beam search); more for the ``n`` likeliest
                pieces at the position after the prefix, most likely first, each
                continued greedily to the end.
        """
        raise UsageError(f"{type(self).__name__} cannot complete a beginning", reason="not-interactive")

    def target_pieces(self, text: str) -> list[str]:
        """English text as the model's target pieces (its ``target.spm``)."""
        raise UsageError(f"{type(self).__name__} cannot read English", reason="not-interactive")

    def links_for(self, pairs: list[tuple[str, str]]) -> list[tuple[tuple[int, int], ...]]:
        """Word links between each source sentence and an English of it that the model did
        not write (the reader's own), from the model's alignment head over that English
        forced as its output; no links for a pair whose pieces do not spell its English."""
        raise UsageError(f"{type(self).__name__} cannot align a given translation", reason="not-interactive")


def check_source_lengths(lengths: list[int], limits: ModelLimits) -> None:
    """Refuse a sentence longer than the model's positions (the pipeline cuts such
    sentences first; an engine called directly says so instead of crashing).

    Raises:
        InputError: a sentence has more pieces than the model has positions.
    """
    longest = max(lengths, default=0)
    if longest > limits.max_positions:
        raise InputError(
            f"a sentence of {longest} pieces is longer than the model's {limits.max_positions} positions; "
            f"cut it into parts first (Translator does)", reason="sentence-too-long-for-model")


def cuda_present() -> bool:
    """A cheap guess that an NVIDIA GPU is usable, without importing torch.

    The engine checks for real when it loads and falls back to the CPU.
    """
    if os.environ.get("CUDA_VISIBLE_DEVICES", None) in ("", "-1"):
        return False
    return os.path.exists("/dev/nvidiactl") or os.path.exists("/dev/nvidia0")


def _version(distribution: str) -> str:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def plan_engine(engine: str = config.DEFAULT_ENGINE, device: str = config.DEFAULT_DEVICE) -> EnginePlan:
    """Decide engine, device and precision cheaply.

    Args:
        engine: ``auto`` (CTranslate2 when installed), ``ctranslate2`` or ``transformers``.
        device: ``auto`` (CUDA when present), ``cpu`` or ``cuda``.

    Raises:
        UsageError: an unknown engine or device, or an engine that is not installed.
    """
    if engine not in config.ENGINES:
        raise UsageError(f"unknown engine {engine!r}; choose one of {', '.join(config.ENGINES)}")
    if device not in config.DEVICES:
        raise UsageError(f"unknown device {device!r}; choose one of {', '.join(config.DEVICES)}")
    if device == "auto":
        device = "cuda" if cuda_present() else "cpu"
    ctranslate2_installed = importlib.util.find_spec("ctranslate2") is not None
    if engine == "auto":
        engine = "ctranslate2" if ctranslate2_installed else "transformers"
    if engine == "ctranslate2":
        if not ctranslate2_installed:
            raise UsageError("engine ctranslate2 is not installed (pip install ctranslate2); "
                             "choose the transformers engine instead", reason="engine-missing")
        precision = "float16" if device == "cuda" else "int8"
        return EnginePlan("ctranslate2", device, precision, _version("ctranslate2"))
    precision = "float16" if device == "cuda" else "float32"
    return EnginePlan("transformers", device, precision, _version("transformers"))
