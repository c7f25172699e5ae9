"""The pipeline: segment → look up the memory, then the cache → translate what is missing → store.

:class:`Translator` is assembled from parts (an engine, a cache, generation
settings, a quality policy, a translation memory); :meth:`Translator.from_options`
builds the usual one. The reader's own translations (:mod:`translate.store.memory`)
outrank the cache and the model; :meth:`Translator.alternatives`,
:meth:`~Translator.complete` and :meth:`~Translator.word_alternatives` are the
interactive side (:mod:`translate.interactive`). The CLI, the page and the batch job are thin layers over it. With the
usual lazy engine the model loads on the first sentence that is not in the
cache, so a fully cached run never imports torch or CTranslate2.
"""
from __future__ import annotations

import copy
import logging
import os
import time
from dataclasses import dataclass, replace
from typing import Callable, Iterator

from .. import config, interactive
from ..engines.base import Engine, GenerationSettings, Hypothesis, length_bucket
from ..engines.factory import LazyEngine
from ..errors import UsageError
from ..glossary import LAYER as GLOSSARY_LAYER
from ..glossary import Glossary
from ..glossary import load as load_glossary
from ..interactive import Alternative
from ..quality import QualityPolicy
from ..signature import Signature
from ..store.cache import CachedTranslation, TranslationCache
from ..store.memory import TranslationMemory
from ..text import arabic
from ..text.document import Document, segment_document
from ..text.long_sentences import split_long
from .fair_lock import FairLock

log = logging.getLogger("translate")

#: Called after each step with (sentences done, sentences in all).
Progress = Callable[[int, int], None]


def needs_translation(sentence: str) -> bool:
    """Text without an Arabic word (URLs, English quotes, numbers, emoji, a wall of
    marks) is passed through as it is: an ar→en model only garbles it."""
    return arabic.has_word(sentence)


@dataclass(frozen=True)
class Result:
    """The translation found for one unique source sentence, and where it came from."""

    hypothesis: Hypothesis
    cached: bool = False
    origin: str = ""  # "yours": from the translation memory


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

    Raises:
        UsageError: a batch size or beam size below 1.
    """

    def __init__(self, engine: Engine, cache: TranslationCache | None = None, *,
                 settings: GenerationSettings = GenerationSettings(),
                 quality: QualityPolicy = QualityPolicy(),
                 batch_size: int = config.DEFAULT_BATCH_SIZE,
                 glossary: Glossary | None = None, memory: TranslationMemory | None = None):
        if settings.beams < 1 or batch_size < 1:
            raise UsageError("the beam size and the batch size must be at least 1", reason="bad-number")
        self.engine, self.cache, self.memory = engine, cache, memory
        self.settings, self.quality, self.batch_size = settings, quality, batch_size
        self.glossary = glossary
        # One model batch at a time, in the order callers asked: concurrent users
        # interleave batch by batch.
        self._turns = FairLock()

    @classmethod
    def from_options(cls, model: str | None = None, *, revision: str | None = None,
                     engine: str = config.DEFAULT_ENGINE, device: str = config.DEFAULT_DEVICE,
                     cache_dir: str | os.PathLike | None = None, use_cache: bool = True,
                     beams: int = config.DEFAULT_BEAMS, batch_size: int = config.DEFAULT_BATCH_SIZE,
                     offline: bool | None = None, quality: QualityPolicy | None = None,
                     glossary: str | os.PathLike | Glossary | None = None,
                     use_memory: bool = True) -> "Translator":
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
                   memory=TranslationMemory(folder) if use_memory else None)

    def variant(self, *, glossary: Glossary | None | object = ..., memory: TranslationMemory | None | object = ...,
                ) -> "Translator":
        """This translator with another glossary or memory (None: none; left out: the same),
        sharing its engine, cache, settings and its turns at the model, so a variant's
        batches and interactive calls take turns with this translator's own.

        >>> page_translator = translator.variant(glossary=Glossary.from_pairs([("حلب", "Aleppo")]))  # doctest: +SKIP
        """
        other = copy.copy(self)  # a shallow copy: the same engine, cache and FairLock
        if glossary is not ...:
            other.glossary = glossary
        if memory is not ...:
            other.memory = memory
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
        engine = self.engine.load() if hasattr(self.engine, "load") else self.engine
        with self._turns:  # one model call at a time, like the batches
            return action(engine, sentence, *args, settings=self.settings, **options)

    # -- the work -----------------------------------------------------------------------

    def stream_documents(self, documents: list[Document], *, reading_order: bool = False) -> Iterator[list[Document]]:
        """Yield all documents after each step (cache lookup, then each model
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
        results: dict[str, Result] = {}

        def fill(found: dict[str, Result], signature: Signature | None) -> list[Document]:
            """Add ``found`` to the results and refill only the documents it touches."""
            results.update(self._with_glossary(found))
            for number in {n for source in found for n in holders.get(source, ())}:
                current[number] = _fill(current[number], results, started, signature)
            return list(current)

        sources = [s for s in holders if needs_translation(s)]
        passed = {s: Result(Hypothesis(s, None)) for s in holders if not needs_translation(s)}
        signature = self.signature if sources else None
        passed.update(self._memory_get(sources))  # the reader's own come first
        sources = [s for s in sources if s not in passed]
        if sources:
            passed.update(self._cache_get(signature, sources))
        yield fill(passed, signature)

        missing = [s for s in sources if s not in results]
        if not missing:
            return
        engine = self.engine
        if hasattr(engine, "load"):  # a lazy engine: load it now, and use the real one
            engine = engine.load()
        if self.signature != signature:  # the engine changed plan (e.g. no CUDA after all)
            signature = self.signature
            yield fill(self._cache_get(signature, missing), signature)
            missing = [s for s in missing if s not in results]
        for finished in self._translate_sources(engine, missing, reading_order):
            self._cache_put(signature, finished)
            yield fill({s: Result(h) for s, h in finished.items()}, signature)

    def _translate_sources(self, engine: Engine, sources: list[str],
                           reading_order: bool) -> Iterator[dict[str, Hypothesis]]:
        """Translate unique sentences in batches; yields each batch's finished
        sentences. Over-long sentences go in parts and are joined back."""
        limit = engine.limits.max_source_pieces
        with self._turns:
            counts = engine.count_tokens(sources)

        def too_long(piece: str) -> bool:
            with self._turns:
                return engine.count_tokens([piece])[0] > limit

        parts_of: dict[str, list[str]] = {}
        for source, count in zip(sources, counts):
            if count <= limit:
                parts_of[source] = [source]
            else:
                spans = split_long(source, too_long)
                parts_of[source] = [source[a:b] for a, b in spans]
                log.info("sentence of %d pieces translated in %d parts", count, len(spans))
        done: dict[str, Hypothesis] = {}
        units = []
        for part in dict.fromkeys(p for parts in parts_of.values() for p in parts):
            if needs_translation(part):
                units.append(part)
            else:  # a part without Arabic words (a URL, a wall of marks) stays as it is
                done[part] = Hypothesis(part, None)
        with self._turns:
            lengths = dict(zip(units, engine.count_tokens(units)))
        waiting = dict(parts_of)
        for batch in self._batches(units, lengths, engine.budget_per_sentence, reading_order):
            with self._turns:
                done.update(self._translate_checked(engine, batch))
            finished = {}
            for source, parts in list(waiting.items()):
                if all(part in done for part in parts):
                    finished[source] = _join(parts, [done[part] for part in parts])
                    del waiting[source]
            yield finished

    def _batches(self, units: list[str], lengths: dict[str, int], mix_buckets: bool,
                 reading_order: bool) -> Iterator[list[str]]:
        """Batches of at most ``batch_size`` units.

        In reading order (engines that budget each sentence alone), the first
        batch is small so the top of the text shows quickly. Otherwise units are
        sorted by length, and length buckets are never mixed unless the engine
        budgets each sentence on its own, so a sentence's output budget, and so
        its translation, never depends on its batch.
        """
        if reading_order and mix_buckets:
            first = min(self.batch_size, config.FIRST_BATCH_SIZE)
            yield from (batch for batch in [units[:first]] if batch)
            for start in range(first, len(units), self.batch_size):
                yield units[start : start + self.batch_size]
            return
        batch: list[str] = []
        for unit in sorted(units, key=lambda u: lengths[u]):
            if batch and (len(batch) == self.batch_size or (
                    not mix_buckets and length_bucket(lengths[unit]) != length_bucket(lengths[batch[0]]))):
                yield batch
                batch = []
            batch.append(unit)
        if batch:
            yield batch

    def _translate_checked(self, engine: Engine, batch: list[str]) -> dict[str, Hypothesis]:
        """Translate a batch; under the quality policy, retry the degenerate outputs
        (loops, odd lengths, lost numbers) once with safer settings, and keep
        whichever has fewer doubts."""
        results = {}
        for source, hypothesis in zip(batch, engine.translate_batch(batch, self.settings)):
            results[source] = replace(hypothesis, flags=self.quality.problems(source, hypothesis.text))
        doubtful = [source for source, h in results.items() if h.flags]
        if doubtful and self.quality.retry:
            retried = engine.translate_batch(doubtful, self.quality.safer(self.settings))
            for source, hypothesis in zip(doubtful, retried):
                flags = self.quality.problems(source, hypothesis.text)
                if len(flags) < len(results[source].flags):
                    results[source] = replace(hypothesis, flags=flags)
            log.info("retried %d doubtful translations with safer settings", len(doubtful))
        return results

    def _memory_get(self, sources: list[str]) -> dict[str, Result]:
        """The reader's own translations (never stored in the cache: they are not the model's)."""
        if self.memory is None or not sources:
            return {}
        return {source: Result(Hypothesis(entry.translation, None), origin=entry.origin)
                for source, entry in self.memory.lookup(sources).items()}

    def _with_glossary(self, found: dict[str, Result]) -> dict[str, Result]:
        """``found`` with the glossary's renderings put in (and its flags added);
        the reader's own translations (from the memory) are left as they are."""
        if self.glossary is None:
            return found
        applied = {}
        for source, result in found.items():
            if result.origin:
                applied[source] = result
                continue
            h = result.hypothesis
            enforced = self.glossary.enforce(source, h.text, h.alignment)
            applied[source] = replace(result, hypothesis=replace(
                h, text=enforced.text, alignment=enforced.alignment,
                flags=tuple(dict.fromkeys(h.flags + enforced.flags)))) if enforced.outcomes else result
        return applied

    def _cache_get(self, signature: Signature, sources: list[str]) -> dict[str, Result]:
        if self.cache is None:
            return {}
        return {
            source: Result(Hypothesis(row.translation, row.score, row.flags, row.alignment), cached=True)
            for source, row in self.cache.get_many(signature.without(GLOSSARY_LAYER).key, sources).items()
        }

    def _cache_put(self, signature: Signature, finished: dict[str, Hypothesis]) -> None:
        if self.cache is not None and finished:
            signature = signature.without(GLOSSARY_LAYER)  # the cache keeps the model's own output
            self.cache.put_many(signature.key, str(signature), [
                CachedTranslation(s, h.text, h.score, h.flags, h.alignment) for s, h in finished.items()
            ])


def _fill(document: Document, results: dict[str, Result], started: float,
          signature: Signature | None) -> Document:
    """``document`` with every pending pair whose source has a result filled in."""
    updates = {}
    for pair in document.sentences:
        if not pair.done and pair.source in results:
            found = results[pair.source]
            hypothesis = found.hypothesis
            updates[pair.index] = replace(pair, translation=hypothesis.text, score=hypothesis.score,
                                          cached=found.cached, flags=hypothesis.flags,
                                          alignment=hypothesis.alignment, origin=found.origin)
    document = document.with_translations(updates)
    return replace(document, seconds=time.perf_counter() - started,
                   signature=str(signature) if signature is not None else document.signature)


def _join(parts: list[str], hypotheses: list[Hypothesis]) -> Hypothesis:
    """One hypothesis from a long sentence's parts: texts joined, scores averaged,
    word links shifted to the joined sentence's word positions."""
    if len(hypotheses) == 1:
        return hypotheses[0]
    scores = [h.score for h in hypotheses if h.score is not None]
    flags = tuple(dict.fromkeys(flag for h in hypotheses for flag in h.flags))
    links, source_offset, target_offset = [], 0, 0
    for part, hypothesis in zip(parts, hypotheses):
        links.extend((s + source_offset, t + target_offset) for s, t in hypothesis.alignment)
        source_offset += len(part.split())
        target_offset += len(hypothesis.text.split())
    text = " ".join(h.text for h in hypotheses if h.text)
    return Hypothesis(text, sum(scores) / len(scores) if scores else None, flags, tuple(links))
