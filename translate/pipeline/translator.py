"""The pipeline: segment → the lookup chain (memory, cache) → the model for what is missing → store → glossary.

:class:`Translator` is assembled from parts (an engine, a cache, generation
settings, a quality policy, a translation memory, a glossary, an executor);
:meth:`Translator.from_options` builds the usual one. Where each translation
comes from is decided by the lookup chain (:mod:`translate.pipeline.chain`); the
model step (:mod:`translate.pipeline.model_step`) runs where the executor says
(:mod:`translate.pipeline.executors`: here, or on a Ray cluster), and the cache is
read and written only here. :meth:`Translator.alternatives`,
:meth:`~Translator.complete` and :meth:`~Translator.word_alternatives` are the
interactive side (:mod:`translate.interactive`). The CLI, the page, the batch job
and the dataset job are thin layers over it. With the usual lazy engine the model
loads on the first sentence that is not in the cache, so a fully cached run
never imports torch or CTranslate2.
"""
from __future__ import annotations

import copy
import logging
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace

from .. import config, interactive
from ..engines.base import Engine, GenerationSettings
from ..engines.factory import LazyEngine
from ..errors import UsageError
from ..glossary import LAYER as GLOSSARY_LAYER
from ..glossary import Glossary
from ..glossary import load as load_glossary
from ..interactive import Alternative
from ..quality import QualityPolicy
from ..signature import Signature
from ..store.cache import TranslationCache
from ..store.memory import TranslationMemory
from ..text.document import Document, segment_document
from ..translation import TEAM, YOURS, Translation
from .chain import CacheLayer, Chain, Layer, MemoryLayer, needs_translation
from .executors import Executor, Local
from .fair_lock import FairLock
from .model_step import ModelStep

log = logging.getLogger("translate")

__all__ = ["Progress", "Translator", "needs_translation"]

#: Called after each step with (sentences done, sentences in all).
Progress = Callable[[int, int], None]


class Translator:
    """Translates Arabic text sentence by sentence, with an optional cache.

    Args:
        engine: the engine that translates batches (a loaded one, or the
            :class:`~translate.engines.factory.LazyEngine` that
            :meth:`from_options` builds).
        cache: where translations are kept between runs (None: nowhere).
        settings: decoding settings.
        quality: what counts as a doubtful translation and what is done about it.
        batch_size: sentences per model call.
        memory: the reader's own translations, used ahead of the cache and the
            model (None: none).
        glossary: names and terms whose renderings are enforced in every
            translation, cached or new (see :mod:`translate.glossary`); not in
            the memory's, which are the reader's own.
        layers: more places translations come from before the model (a team
            memory, a remote cache: :class:`~translate.pipeline.chain.Layer`),
            asked after the memory and before the cache.
        executor: where the model step runs (default: here, :class:`~translate.pipeline.executors.Local`).

    Raises:
        UsageError: a batch size or beam size below 1.
    """

    def __init__(self, engine: Engine, cache: TranslationCache | None = None, *,
                 settings: GenerationSettings = GenerationSettings(),
                 quality: QualityPolicy = QualityPolicy(),
                 batch_size: int = config.DEFAULT_BATCH_SIZE,
                 glossary: Glossary | None = None, memory: TranslationMemory | None = None,
                 layers: Iterable[Layer] = (), executor: Executor | None = None):
        if settings.beams < 1 or batch_size < 1:
            raise UsageError("the beam size and the batch size must be at least 1", reason="bad-number")
        self.engine, self.cache, self.memory = engine, cache, memory
        self.settings, self.quality, self.batch_size = settings, quality, batch_size
        self.glossary, self.layers = glossary, tuple(layers)
        self.executor = executor or Local()
        self._cache_reads: TranslationCache | None = None  # a dataset job's snapshot of the cache
        # One model batch at a time, in the order callers asked: concurrent users
        # (and variants of this translator) interleave batch by batch.
        self._turns = FairLock()

    @classmethod
    def from_options(cls, model: str | None = None, *, revision: str | None = None,
                     engine: str = config.DEFAULT_ENGINE, device: str = config.DEFAULT_DEVICE,
                     cache_dir: str | os.PathLike | None = None, use_cache: bool = True,
                     beams: int = config.DEFAULT_BEAMS, batch_size: int = config.DEFAULT_BATCH_SIZE,
                     offline: bool | None = None, quality: QualityPolicy | None = None,
                     glossary: str | os.PathLike | Glossary | None = None,
                     use_memory: bool = True, layers: Iterable[Layer] = ()) -> Translator:
        """The usual translator: a model loaded lazily, and the on-disk cache.

        Args:
            model: hub id or local folder of a Marian model (default:
                $TRANSLATE_MODEL or Helsinki-NLP/opus-mt-ar-en).
            revision: hub branch, tag or commit.
            engine: ``auto`` (CTranslate2 when installed), ``ctranslate2`` or ``transformers``.
            device: ``auto`` (CUDA when present), ``cpu`` or ``cuda``.
            cache_dir: cache folder (default: see :func:`translate.config.cache_dir`).
            use_cache: False translates everything afresh and stores nothing.
            beams: beam size.
            batch_size: sentences per model call.
            offline: use only local model files (default: $HF_HUB_OFFLINE).
            quality: the quality policy (default: retry doubtful sentences once).
            use_memory: use the translation memory of the cache folder (False:
                the model's translations only; the memory is used even with
                ``use_cache=False``, being the reader's own, not a cache).
            glossary: a glossary, or the path of a ``.tsv``/``.csv`` one.
            layers: more lookup layers, asked after the memory and before the cache.

        Raises:
            UsageError: an unknown engine or device, or a size below 1.
            InputError: a glossary file that cannot be used (the message says why).
        """
        folder = config.cache_dir(cache_dir)
        lazy = LazyEngine(model or config.default_model(), revision=revision, engine=engine, device=device,
                          offline=config.offline_by_env() if offline is None else offline, models_dir=folder)
        return cls(lazy, TranslationCache(folder) if use_cache else None,
                   settings=GenerationSettings(beams=beams), quality=quality or QualityPolicy(),
                   batch_size=batch_size, glossary=load_glossary(glossary),
                   memory=TranslationMemory(folder) if use_memory else None, layers=layers)

    def variant(self, *, glossary: Glossary | None | object = ..., memory: TranslationMemory | None | object = ...,
                executor: Executor | object = ..., cache_reads: TranslationCache | None | object = ...,
                layers: Iterable[Layer] | object = ...) -> Translator:
        """This translator with another glossary, memory, added layers or executor (None:
        none; left out: the same), sharing its engine, cache, settings and its turns at the model,
        so a variant's batches and interactive calls take turns with this translator's own.

        ``cache_reads`` makes lookups read another copy of the cache (a dataset job's
        snapshot) while new translations still go into the cache itself.

        >>> page_translator = translator.variant(glossary=Glossary.from_pairs([("حلب", "Aleppo")]))  # doctest: +SKIP
        """
        other = copy.copy(self)  # a shallow copy: the same engine, cache and FairLock
        for name, value in (("glossary", glossary), ("memory", memory), ("executor", executor),
                            ("_cache_reads", cache_reads), ("layers", layers)):
            if value is not ...:
                setattr(other, name, tuple(value) if name == "layers" else value)
        return other

    # -- what it is -------------------------------------------------------------------

    @property
    def signature(self) -> Signature:
        """Everything that makes this translator's translations what they are.

        Raises:
            ModelNotFoundError: the model cannot be found (a lazy engine locates it here).
        """
        layers = ((GLOSSARY_LAYER, self.glossary.digest),) if self.glossary is not None else ()
        return Signature.of(self.engine.model, self.engine.plan, self.settings, self.quality, layers)

    @property
    def raw_signature(self) -> Signature:
        """The signature of the model's own output, which keys the cache: without
        the glossary, applied after the model on every fill (see :mod:`translate.glossary`)."""
        return self.signature.without(GLOSSARY_LAYER)

    @property
    def chain(self) -> Chain:
        """The lookup chain: the memory, the added layers, the cache; then the glossary."""
        layers = [MemoryLayer(self.memory)] if self.memory is not None else []
        layers += self.layers
        if self.cache is not None:
            layers.append(CacheLayer(self.cache, self._cache_reads))
        return Chain(layers, self.glossary)

    @property
    def model_step(self) -> ModelStep:
        """The step the executor runs: this translator's engine, settings and policy."""
        return ModelStep(self.engine, self.settings, self.quality, self.batch_size, self._turns)

    @property
    def engine_loaded(self) -> bool:
        """False while a lazy engine has not loaded its model yet."""
        return getattr(self.engine, "loaded", True)

    @property
    def model_name(self) -> str:
        return getattr(self.engine, "model_name", None) or self.engine.model.name

    # -- public API ---------------------------------------------------------------------

    def translate(self, text: str, *, name: str | None = None, progress: Progress | None = None) -> Document:
        """Translate ``text``; returns the complete document.

        Raises:
            InputError: a sentence above the length limit.
            ModelNotFoundError, ModelLoadError: the model is needed and cannot be had.
        """
        return self.translate_documents([segment_document(text, name)], progress=progress)[0]

    def translate_stream(self, text: str | Document, *, name: str | None = None) -> Iterator[Document]:
        """Yield the document as it fills, in reading order: first with the cached
        sentences, then after each model batch (a small first one, so the top of
        the text shows first); the last one yielded is complete."""
        document = text if isinstance(text, Document) else segment_document(text, name)
        for documents in self.stream_documents([document], reading_order=True):
            yield documents[0]

    def translate_documents(self, documents: list[Document], *, progress: Progress | None = None) -> list[Document]:
        """Translate several segmented documents together (shared batches and cache)."""
        result = documents
        total = sum(len(document.sentences) for document in documents)
        done = 0
        for step in self.stream_documents(documents):
            newly = sum(new.done_count - old.done_count for old, new in zip(result, step) if new is not old)
            done += newly
            if progress and newly:
                progress(done, total)
            result = step
        return result

    # -- alternatives and interactive correction ----------------------------------------

    def alternatives(self, sentence: str, n: int = 5) -> list[Alternative]:
        """The model's ``n`` best translations of one sentence: distinct texts, best
        first, each with its score (at most :data:`translate.interactive.MAX_ALTERNATIVES`).

        Raises:
            InputError: not one translatable sentence (empty, no Arabic word, too long).
            UsageError: ``n`` below 1.
            ModelNotFoundError, ModelLoadError: the model cannot be had.
        """
        return self._interactive(interactive.alternatives, sentence, n=n)

    def complete(self, sentence: str, prefix: str) -> Alternative:
        """The translation of ``sentence`` that starts with ``prefix``, finished by
        the model; its text always starts with ``prefix`` as given (a half-typed
        last word is finished as the model would). The same call gives the same result.

        Raises:
            InputError: not one translatable sentence, or a prefix the model cannot take.
            ModelNotFoundError, ModelLoadError: the model cannot be had.
        """
        return self._interactive(interactive.complete, sentence, prefix)

    def word_alternatives(self, sentence: str, prefix: str, n: int = 5) -> list[str]:
        """The choices for the word after ``prefix`` in the translation of
        ``sentence``, likeliest first (at most ``n``; ``complete(sentence, prefix +
        " " + word)`` then finishes the sentence after the chosen one).

        Raises:
            InputError: not one translatable sentence, or a prefix the model cannot take.
            UsageError: ``n`` below 1.
            ModelNotFoundError, ModelLoadError: the model cannot be had.
        """
        return self._interactive(interactive.word_alternatives, sentence, prefix, n=n)

    def _interactive(self, action, sentence: str, *args, **options):
        with self._turns:  # one model call at a time, like the batches
            return action(self.engine, sentence, *args, settings=self.settings, **options)

    # -- the work -----------------------------------------------------------------------

    def _own_links(self, found: dict[str, Translation], documents: list[Document]) -> dict[str, Translation]:
        """``found`` with word links for the reader's own translations (and a team's) of
        sentences that have formatting to place: the model's alignment head read over
        their English (:meth:`Engine.links_for`). Without them the formatting would fall
        back; a model that cannot give them (or fails to) leaves them so."""
        formatted = _formatted_sources(documents) if any(t.origin in (YOURS, TEAM) for t in found.values()) else ()
        todo = [source for source in formatted if source in found and found[source].origin in (YOURS, TEAM)
                and not found[source].alignment and found[source].text.strip()]
        if not todo:
            return found
        try:
            with self._turns:
                links = self.engine.links_for([(source, found[source].text) for source in todo])
        except Exception as error:  # an engine without it, a model that will not load: the flags stay
            log.info("no word links for %d of your translations: %s", len(todo), error)
            return found
        return {**found, **{source: replace(found[source], alignment=tuple(found_links))
                            for source, found_links in zip(todo, links) if found_links}}

    def stream_documents(self, documents: list[Document], *, reading_order: bool = False) -> Iterator[list[Document]]:
        """Yield all documents after each step (the lookup chain, then each model
        batch); the last yield has every sentence translated.

        A document that a step did not change is yielded as the same object as
        before, so callers can skip it (``new is old``) instead of rescanning.

        Args:
            documents: segmented documents (from :func:`translate.segment_document`
                or a reader).
            reading_order: translate in the order sentences are read, starting
                with a small batch, rather than in the most efficient order.
        """
        started = time.perf_counter()
        current = list(documents)
        holders: dict[str, list[int]] = {}  # source → the documents waiting for it
        for number, document in enumerate(documents):
            for pair in document.sentences:
                if not pair.done and number not in holders.setdefault(pair.source, [number]):
                    holders[pair.source].append(number)
        results: dict[str, Translation] = {}

        def fill(found: dict[str, Translation], signature: Signature | None) -> list[Document]:
            """Add ``found`` to the results and refill only the documents it touches."""
            results.update(found)
            for number in {n for source in found for n in holders.get(source, ())}:
                current[number] = _fill(current[number], results, started, signature)
            return list(current)

        chain = self.chain
        signature = self.signature if any(needs_translation(source) for source in holders) else None
        raw = signature.without(GLOSSARY_LAYER) if signature is not None else None
        found, missing = chain.look_up(holders, raw)
        yield fill(self._own_links(found, current), signature)
        if not missing:
            return
        if isinstance(self.engine, LazyEngine):
            self.engine.load()  # now: its plan may change as it loads (no CUDA after all)
            if self.signature != signature:
                signature = self.signature
                raw = signature.without(GLOSSARY_LAYER)
                found, missing = chain.look_up(missing, raw)
                yield fill(found, signature)
        for made in self.executor.translate(self.model_step, missing, reading_order=reading_order):
            yield fill(chain.made(made, raw), signature)


def _formatted_sources(documents: list[Document]) -> set[str]:
    return {pair.source for document in documents for pair in document.sentences if pair.spans}


def _fill(document: Document, results: dict[str, Translation], started: float,
          signature: Signature | None) -> Document:
    """``document`` with every pending pair whose source has a result filled in."""
    updates = {pair.index: pair.filled(results[pair.source]) for pair in document.sentences
               if not pair.done and pair.source in results}
    document = document.with_translations(updates)
    return replace(document, seconds=time.perf_counter() - started,
                   signature=str(signature) if signature is not None else document.signature)
