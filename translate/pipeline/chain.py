"""The lookup chain: where a sentence's translation comes from, decided in one place.

For the unique sentences of a job, the chain says, in this order:

1. a sentence without an Arabic word is passed through as it is (``passed-through``);
2. each :class:`Layer` in turn finds what it holds (the translation memory:
   ``yours``; the cache: ``cache``; any layer added between them), and what one
   finds is never asked of the next;
3. the rest goes to the model (:mod:`translate.pipeline.model_step`, run by an
   executor); what it makes is marked ``model``, and each layer may keep it (the
   cache does);
4. the rewrites (the glossary) are applied to what came from the cache and the
   model, never to the reader's own translations.

A layer is one small class::

    class TeamMemory(Layer):
        origin = "team"

        def find(self, sources, signature):
            return {s: Translation(self.rows[s]) for s in sources if s in self.rows}

    translator = Translator.from_options(layers=[TeamMemory()])   # after yours, before the cache
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence

from ..glossary import Glossary
from ..signature import Signature
from ..store.cache import TranslationCache
from ..store.memory import TranslationMemory
from ..text import arabic
from ..translation import CACHE, MODEL, PASSED, TEAM, YOURS, Translation


def needs_translation(sentence: str) -> bool:
    """Text without an Arabic word (URLs, English quotes, numbers, emoji, a wall of
    marks) is passed through as it is: an ar→en model only garbles it."""
    return arabic.has_word(sentence)


class Layer(ABC):
    """One place translations can come from before the model: it finds what it holds.

    Attributes:
        origin: what the translations it finds are marked with.
    """

    origin: str = "layer"

    @abstractmethod
    def find(self, sources: Sequence[str], signature: Signature) -> dict[str, Translation]:
        """The translations this layer holds for some of ``sources`` (never raises for a
        store problem: a store that cannot be read finds nothing, and says so once).

        Args:
            sources: unique sentences, each with an Arabic word.
            signature: the model's own signature (without the rewrites' layers): what
                made the translations a store may hold.
        """

    def keep(self, made: dict[str, Translation], signature: Signature) -> None:  # noqa: B027 (optional)
        """The model's new translations, for a layer that stores them (most keep nothing)."""


class MemoryLayer(Layer):
    """The reader's own translations (:class:`~translate.store.memory.TranslationMemory`):
    they outrank everything, and are never stored anywhere else."""

    origin = YOURS

    def __init__(self, memory: TranslationMemory):
        self.memory = memory

    def find(self, sources: Sequence[str], signature: Signature) -> dict[str, Translation]:
        return {source: Translation(entry.translation, origin=YOURS)
                for source, entry in self.memory.lookup(sources).items()}


class TeamMemoryLayer(MemoryLayer):
    """A team's translation memory, shared on purpose (``--team-memory FILE``): read by
    everyone after their own, written only by its editors (never by the pipeline)."""

    origin = TEAM


class CacheLayer(Layer):
    """The model's earlier translations (:class:`~translate.store.cache.TranslationCache`),
    keyed by the model's signature; it keeps what the model makes.

    Args:
        cache: where new translations go.
        reads: where lookups go (default: ``cache``); a dataset job reads a snapshot
            taken when it started, so what one block finds never depends on how far
            the others have got (:mod:`translate.cluster.job`).
    """

    origin = CACHE

    def __init__(self, cache: TranslationCache, reads: TranslationCache | None = None):
        self.cache, self.reads = cache, reads or cache

    def find(self, sources: Sequence[str], signature: Signature) -> dict[str, Translation]:
        return self.reads.find(signature.key, sources)

    def keep(self, made: dict[str, Translation], signature: Signature) -> None:
        self.cache.keep(signature.key, str(signature), made)


class Chain:
    """The layers, in the order they are asked, and the glossary applied after them.

    Args:
        layers: asked in order; the first to find a sentence answers for it.
        glossary: enforced in what came from the cache and the model (None: none).
    """

    def __init__(self, layers: Iterable[Layer], glossary: Glossary | None = None):
        self.layers, self.glossary = tuple(layers), glossary

    def look_up(self, sources: Iterable[str], signature: Signature | None) -> tuple[dict[str, Translation], list[str]]:
        """What the chain has for ``sources`` before the model, and what is left for it.

        Args:
            sources: unique sentences.
            signature: the model's own signature; None when no sentence needs it.

        Returns:
            (source → translation, finished; the sentences the model must translate, in order).
        """
        found: dict[str, Translation] = {}
        missing = []
        for source in sources:
            if needs_translation(source):
                missing.append(source)
            else:
                found[source] = Translation(source, origin=PASSED)
        for layer in self.layers:
            if not missing:
                break
            hits = layer.find(missing, signature)
            found.update((source, hits[source].came_from(layer.origin)) for source in missing if source in hits)
            missing = [source for source in missing if source not in hits]
        return self.finish(found), missing

    def made(self, made: dict[str, Translation], signature: Signature) -> dict[str, Translation]:
        """The model's translations: marked ``model``, kept by the layers that store them
        (as the model made them), then finished."""
        made = {source: translation.came_from(MODEL) for source, translation in made.items()}
        for layer in self.layers:
            layer.keep(made, signature)
        return self.finish(made)

    def finish(self, found: dict[str, Translation]) -> dict[str, Translation]:
        """``found`` with the glossary's renderings put in (and its flags added), in what
        came from the cache and the model only."""
        if self.glossary is None:
            return found
        return {source: self.glossary.apply(source, translation) if translation.origin in (CACHE, MODEL)
                else translation for source, translation in found.items()}
