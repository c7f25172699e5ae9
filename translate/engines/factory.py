"""Building engines: the registry of engine classes, and an engine that loads itself lazily.

Kept apart from :mod:`translate.engines.base` (the interface), so the interface never
imports the engines that implement it.
"""
from __future__ import annotations

import importlib
import logging
import os
import threading
import time

from .. import config
from ..translation import Translation
from .base import Continuation, Engine, EnginePlan, GenerationSettings, plan_engine
from .model_files import LocalModel, ModelLimits, locate_model

log = logging.getLogger("translate")

#: Engine name → "module:class". Adding an engine is one module and one line here.
ENGINES = {
    "ctranslate2": "translate.engines.ctranslate2:CTranslate2Engine",
    "transformers": "translate.engines.transformers:TransformersEngine",
}


def load_engine(plan: EnginePlan, model: LocalModel, cache_dir: str | os.PathLike, *,
                threads: int | None = None) -> Engine:
    """Build the planned engine for ``model``; ``cache_dir`` holds converted models;
    ``threads`` caps CTranslate2's CPU threads (default: every core).

    Raises:
        ModelLoadError: the model could not be loaded (or converted).
    """
    module, _, name = ENGINES[plan.name].partition(":")
    engine_class = getattr(importlib.import_module(module), name)
    if plan.name == "ctranslate2":
        return engine_class(model, plan, cache_dir, threads=threads)
    return engine_class(model, plan)


class LazyEngine(Engine):
    """An engine that finds its model and loads it only when a sentence needs it.

    Its :attr:`model` (located on first use, without loading weights) and
    :attr:`plan` are known before loading, so a translator can compute its
    signature and serve a fully cached document without importing torch or
    CTranslate2. After loading, :attr:`plan` is the loaded engine's own (it may
    have fallen back from CUDA to the CPU).

    Args:
        model: hub id or local folder of a Marian model.
        revision: hub branch, tag or commit.
        engine: ``auto``, ``ctranslate2`` or ``transformers``.
        device: ``auto``, ``cpu`` or ``cuda``.
        offline: use only local model files.
        models_dir: the cache folder that holds converted models (CTranslate2).
        threads: CPU threads for CTranslate2 (default: every core; a cluster
            worker sharing its node with others takes fewer).

    Raises:
        UsageError: an unknown engine or device (at construction).
        ModelNotFoundError, ModelLoadError: when the model is first needed.
    """

    def __init__(self, model: str, *, revision: str | None = None, engine: str = config.DEFAULT_ENGINE,
                 device: str = config.DEFAULT_DEVICE, offline: bool = False,
                 models_dir: str | os.PathLike | None = None, threads: int | None = None):
        self.model_name, self.revision, self.offline, self.threads = model, revision, offline, threads
        self.models_dir = config.cache_dir(models_dir)
        self._plan = plan_engine(engine, device)
        self._model: LocalModel | None = None
        self._loaded: Engine | None = None
        self._lock = threading.Lock()

    @property
    def model(self) -> LocalModel:  # type: ignore[override]
        """The model on disk (located once; may download unless offline)."""
        if self._model is None:
            self._model = locate_model(self.model_name, self.revision, self.offline)
        return self._model

    @property
    def plan(self) -> EnginePlan:  # type: ignore[override]
        return self._loaded.plan if self._loaded is not None else self._plan

    @property
    def limits(self) -> ModelLimits:  # type: ignore[override]
        return self.model.limits

    @property
    def budget_per_sentence(self) -> bool:  # type: ignore[override]
        return self.load().budget_per_sentence

    @property
    def loaded(self) -> bool:
        return self._loaded is not None

    def load(self) -> Engine:
        """The real engine, loaded on first call (thread-safe)."""
        with self._lock:
            if self._loaded is None:
                started = time.perf_counter()
                self._loaded = load_engine(self._plan, self.model, self.models_dir, threads=self.threads)
                log.info("loaded %s (%s) in %.1f s", self.model_name, self._loaded.plan.describe(),
                         time.perf_counter() - started)
            return self._loaded

    def count_tokens(self, sentences: list[str]) -> list[int]:
        return self.load().count_tokens(sentences)

    def translate_batch(self, sentences: list[str], settings: GenerationSettings) -> list[Translation]:
        return self.load().translate_batch(sentences, settings)

    def n_best(self, sentence: str, settings: GenerationSettings, n: int) -> list[Translation]:
        return self.load().n_best(sentence, settings, n)

    def continue_prefix(self, sentence: str, prefix: list[str], settings: GenerationSettings,
                        n: int = 1) -> list[Continuation]:
        return self.load().continue_prefix(sentence, prefix, settings, n)

    def target_pieces(self, text: str) -> list[str]:
        return self.load().target_pieces(text)

    def links_for(self, pairs: list[tuple[str, str]]) -> list[tuple[tuple[int, int], ...]]:
        return self.load().links_for(pairs)
