"""A spy engine for tests: the real engine, recording every batch it is given.

It implements the engine interface by delegation, so tests assemble a
``Translator(SpyEngine(real), cache)`` through the public constructor instead of
reaching into a translator's private attributes.
"""
from __future__ import annotations

from translate.engines.base import Engine, GenerationSettings


class SpyEngine(Engine):
    def __init__(self, engine: Engine):
        self.engine = engine
        self.model, self.plan, self.limits = engine.model, engine.plan, engine.limits
        self.budget_per_sentence = engine.budget_per_sentence
        self.batches: list[tuple[list[str], GenerationSettings]] = []

    def count_tokens(self, sentences):
        return self.engine.count_tokens(sentences)

    def translate_batch(self, sentences, settings):
        self.batches.append((list(sentences), settings))
        return self.engine.translate_batch(sentences, settings)

    def sentences_with(self, settings: GenerationSettings) -> list[str]:
        return [s for batch, used in self.batches for s in batch if used == settings]

    @property
    def sentences(self) -> list[str]:
        """Sentences sent with the default settings (not the retries of doubtful ones)."""
        return self.sentences_with(GenerationSettings())

    @property
    def retried(self) -> list[str]:
        return [s for batch, used in self.batches for s in batch if used != GenerationSettings()]


def spy_translator(translator, **options):
    """A translator like ``translator`` (same cache, memory and settings) whose engine is a
    loaded spy; returns (translator, spy)."""
    from translate import Translator
    from translate.engines.factory import LazyEngine

    engine = translator.engine.load() if isinstance(translator.engine, LazyEngine) else translator.engine
    spy = SpyEngine(engine)
    settings = dict(settings=translator.settings, quality=translator.quality, batch_size=translator.batch_size,
                    memory=translator.memory)
    return Translator(spy, translator.cache, **(settings | options)), spy


class BrokenEngine(Engine):
    """An engine whose model fails when it is first needed (out of memory, a broken
    file...): it knows its model and plan, so cached sentences are still served."""

    def __init__(self, engine: Engine, error: Exception):
        self.model, self.plan, self.limits = engine.model, engine.plan, engine.limits
        self.error = error
        self.loaded = False

    def load(self):
        raise self.error

    def count_tokens(self, sentences):
        raise self.error

    def translate_batch(self, sentences, settings):
        raise self.error


class GatedEngine(SpyEngine):
    """The real engine, holding every batch after the first ``free`` ones until the
    test opens ``gate``: a translation that is still running when the test acts.
    ``waiting`` is set once a batch is held."""

    def __init__(self, engine: Engine, free: int = 1):
        import threading

        super().__init__(engine)
        self.free = free
        self.gate, self.waiting = threading.Event(), threading.Event()

    def translate_batch(self, sentences, settings):
        if len(self.batches) >= self.free:
            self.waiting.set()
            if not self.gate.wait(120):
                raise TimeoutError("the test never opened the gate")
        return super().translate_batch(sentences, settings)
