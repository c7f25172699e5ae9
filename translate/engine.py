"""The translation engine interface, generation settings, and choosing an engine.

An engine turns a batch of source sentences into hypotheses (text + score).
Choosing one is split in two: :func:`plan_engine` decides name, device and
precision without importing any heavy library, so the cache signature is known
before anything is loaded; :func:`load_engine` then builds it.
"""
from __future__ import annotations

import importlib.metadata
import importlib.util
import os
from abc import ABC, abstractmethod
from dataclasses import dataclass, replace

from . import config
from .errors import UsageError
from .model import LocalModel


@dataclass(frozen=True)
class GenerationSettings:
    """Everything about decoding that changes the output (all of it goes into cache keys)."""

    beams: int = config.DEFAULT_BEAMS
    #: max new tokens = ratio × longest input in the batch + slack, capped at the model's limit
    max_length_ratio: float = 2.0
    max_length_slack: int = 10
    no_repeat_ngram_size: int = 0

    def max_new_tokens(self, longest_input: int) -> int:
        """The output budget for a batch whose longest input has that many tokens.

        The budget grows with the input's *length bucket* (powers of two), and the
        pipeline never mixes buckets in one batch (unless the engine budgets each
        sentence by itself, :attr:`Engine.budget_per_sentence`), so a sentence
        gets the same budget, and the same translation, whatever batch it lands in.
        """
        return min(
            config.MODEL_MAX_POSITIONS,
            int(self.max_length_ratio * length_bucket(longest_input)) + self.max_length_slack,
        )

    def describe(self) -> str:
        return (
            f"beams={self.beams},ratio={self.max_length_ratio},slack={self.max_length_slack},"
            f"no_repeat={self.no_repeat_ngram_size}"
        )

    def safer(self) -> "GenerationSettings":
        """Settings for a retry of a degenerate output: beam search without repeats."""
        return replace(self, beams=max(self.beams, 4), no_repeat_ngram_size=3, max_length_ratio=1.6)


def length_bucket(tokens: int) -> int:
    """The smallest power of two ≥ ``tokens`` (at least 16)."""
    bucket = 16
    while bucket < tokens:
        bucket *= 2
    return bucket


@dataclass(frozen=True)
class Hypothesis:
    text: str
    score: float | None  # mean log-probability per target token
    flags: tuple[str, ...] = ()  # doubts found by translate.quality (repetition, length, numbers)


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
    ) -> list[Hypothesis]:
        """Translate sentences (one batch, any order) into hypotheses, in order."""


def cuda_present() -> bool:
    """A cheap guess that an NVIDIA GPU is usable, without importing torch.

    The engine checks for real when it loads and falls back to the CPU.
    """
    if os.environ.get("CUDA_VISIBLE_DEVICES", None) in ("", "-1"):
        return False
    return os.path.exists("/dev/nvidiactl") or os.path.exists("/dev/nvidia0")


def _installed(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


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
    if engine == "auto":
        engine = "ctranslate2" if _ctranslate2_available() else "transformers"
    if engine == "ctranslate2":
        if not _installed("ctranslate2"):
            raise UsageError("engine ctranslate2 is not installed; `pip install ctranslate2` or use --engine transformers")
        precision = "float16" if device == "cuda" else "int8"
        return EnginePlan("ctranslate2", device, precision, _version("ctranslate2"))
    precision = "float16" if device == "cuda" else "float32"
    return EnginePlan("transformers", device, precision, _version("transformers"))


def _ctranslate2_available() -> bool:
    return _installed("ctranslate2") and _installed("translate.ct2_engine")


def load_engine(plan: EnginePlan, model: LocalModel, cache_dir) -> Engine:
    """Build the planned engine for ``model``; ``cache_dir`` holds converted models."""
    if plan.name == "ctranslate2":
        from .ct2_engine import CTranslate2Engine

        return CTranslate2Engine(model, plan, cache_dir)
    from .hf_engine import TransformersEngine

    return TransformersEngine(model, plan)
