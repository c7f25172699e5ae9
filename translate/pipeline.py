"""The pipeline: segment → look up the cache → translate what is missing → store.

:class:`Translator` is the public entry point; the CLI and the app are thin
layers over it. The model is loaded lazily, on the first sentence that is not
in the cache, so a fully cached run never imports torch or CTranslate2.
"""
from __future__ import annotations

import logging
import threading
import time
from dataclasses import replace
from typing import Callable, Iterator

from . import arabic, config, quality, segment
from .cache import TranslationCache, signature_id
from .document import Document, segment_document
from .errors import InputError, UsageError
from .engine import Engine, GenerationSettings, Hypothesis, length_bucket, load_engine, plan_engine
from .model import LocalModel, locate_model

log = logging.getLogger("translate")

Progress = Callable[[int], None]  # called with the number of sentences just finished


def needs_translation(sentence: str) -> bool:
    """Text without an Arabic word (URLs, English quotes, numbers, emoji, a wall of
    marks) is passed through as it is: an ar→en model only garbles it."""
    return arabic.has_word(sentence)


class Translator:
    """Translates Arabic text sentence by sentence, with an on-disk cache.

    Args:
        model: hub id or local folder of a Marian model (default: $TRANSLATE_MODEL
            or Helsinki-NLP/opus-mt-ar-en).
        revision: hub branch, tag or commit.
        cache_dir: cache folder (default: $TRANSLATE_CACHE_DIR or ./cache).
        use_cache: False translates everything afresh and stores nothing.
        engine: ``auto``, ``ctranslate2`` or ``transformers``.
        device: ``auto``, ``cpu`` or ``cuda``.
        beams: beam size.
        batch_size: sentences per model call.
        offline: use only local model files (default: $HF_HUB_OFFLINE).

    Raises:
        UsageError: an unknown engine or device (at construction).
        ModelNotFoundError, ModelLoadError: when the model is first needed.
    """

    def __init__(
        self,
        model: str | None = None,
        *,
        revision: str | None = None,
        cache_dir: str | None = None,
        use_cache: bool = True,
        engine: str = config.DEFAULT_ENGINE,
        device: str = config.DEFAULT_DEVICE,
        beams: int = config.DEFAULT_BEAMS,
        batch_size: int = config.DEFAULT_BATCH_SIZE,
        offline: bool | None = None,
    ):
        if beams < 1 or batch_size < 1:
            raise UsageError("--beams and --batch-size must be at least 1")
        self.model_name = model or config.default_model()
        self.revision = revision
        self.cache_dir = config.cache_dir(cache_dir)
        self.cache = TranslationCache(self.cache_dir) if use_cache else None
        self.plan = plan_engine(engine, device)
        self.settings = GenerationSettings(beams=beams)
        self.batch_size = batch_size
        self.offline = config.offline_by_env() if offline is None else offline
        self._local_model: LocalModel | None = None
        self._engine: Engine | None = None
        self._lock = threading.Lock()

    # -- model and signature ----------------------------------------------------

    @property
    def local_model(self) -> LocalModel:
        """The model on disk (located once; may download unless offline)."""
        if self._local_model is None:
            self._local_model = locate_model(self.model_name, self.revision, self.offline)
        return self._local_model

    @property
    def engine_loaded(self) -> bool:
        return self._engine is not None

    def engine(self) -> Engine:
        """The loaded engine; loads it on first use (thread-safe)."""
        with self._lock:
            if self._engine is None:
                started = time.perf_counter()
                self._engine = load_engine(self.plan, self.local_model, self.cache_dir)
                self.plan = self._engine.plan  # the engine may have fallen back to the CPU
                log.info("loaded %s (%s) in %.1f s", self.model_name, self.plan.describe(),
                         time.perf_counter() - started)
            return self._engine

    def signature(self, settings: GenerationSettings | None = None) -> str:
        """Everything that changes a translation, as one readable line."""
        model = self.local_model
        return (
            f"model={model.name}@{model.revision}|engine={self.plan.describe()}"
            f"|gen={(settings or self.settings).describe()}|seg={segment.SEGMENTER_VERSION}"
            f"|maxpieces={config.MAX_SENTENCE_PIECES}"
        )

    # -- public API ---------------------------------------------------------------

    def translate(self, text: str, *, name: str | None = None, progress: Progress | None = None) -> Document:
        """Translate ``text``; returns the complete document."""
        return self.translate_documents([segment_document(text, name)], progress=progress)[0]

    def translate_stream(self, text: str, *, name: str | None = None) -> Iterator[Document]:
        """Yield the document as it fills: first with the cached sentences, then
        after each model batch; the last one yielded is complete."""
        for documents in self.stream_documents([segment_document(text, name)]):
            yield documents[0]

    def translate_documents(self, documents: list[Document], *, progress: Progress | None = None) -> list[Document]:
        """Translate several segmented documents together (shared batches and cache)."""
        result = documents
        for step in self.stream_documents(documents):
            if progress:
                newly = sum(new.done_count - old.done_count for old, new in zip(result, step) if new is not old)
                if newly:
                    progress(newly)
            result = step
        return result

    # -- the work -----------------------------------------------------------------

    def stream_documents(self, documents: list[Document]) -> Iterator[list[Document]]:
        """Yield all documents after each step (cache lookup, then each model
        batch); the last yield has every sentence translated.

        A document that a step did not change is yielded as the same object as
        before, so callers can skip it (``new is old``) instead of rescanning.
        """
        started = time.perf_counter()
        current = list(documents)
        holders: dict[str, list[int]] = {}  # source → the documents waiting for it
        for number, document in enumerate(documents):
            for pair in document.sentences:
                if not pair.done and number not in holders.setdefault(pair.source, [number]):
                    holders[pair.source].append(number)
        results: dict[str, tuple[Hypothesis, bool]] = {}  # source → (hypothesis, from cache)

        def fill(found: dict[str, tuple[Hypothesis, bool]]) -> list[Document]:
            """Add ``found`` to the results and refill only the documents it touches."""
            results.update(found)
            for number in {n for source in found for n in holders.get(source, ())}:
                current[number] = self._fill(current[number], results, started)
            return list(current)

        sources = [s for s in holders if needs_translation(s)]
        passed = {s: (Hypothesis(s, None), False) for s in holders if not needs_translation(s)}
        if sources:
            passed.update(self._cache_get(self.signature(), sources))
        yield fill(passed)

        missing = [s for s in sources if s not in results]
        if not missing:
            return
        planned = self.signature()
        engine = self.engine()
        signature = self.signature()
        if signature != planned:  # the engine changed plan (e.g. no CUDA after all)
            yield fill(self._cache_get(signature, missing))
            missing = [s for s in missing if s not in results]
        for finished in self._translate_sources(engine, missing):
            self._cache_put(signature, finished)
            yield fill({s: (h, False) for s, h in finished.items()})

    def _translate_sources(self, engine: Engine, sources: list[str]) -> Iterator[dict[str, Hypothesis]]:
        """Translate unique sentences in length-sorted batches; yields each batch's
        finished sentences. Over-long sentences go in parts and are joined back."""
        limit = config.MAX_SENTENCE_PIECES
        parts_of: dict[str, list[str]] = {}
        for source, count in zip(sources, engine.count_tokens(sources)):
            if count <= limit:
                parts_of[source] = [source]
            else:
                spans = segment.split_long(source, lambda piece: engine.count_tokens([piece])[0] > limit)
                parts_of[source] = [source[a:b] for a, b in spans]
                log.info("sentence of %d pieces translated in %d parts", count, len(spans))
        units = list(dict.fromkeys(part for parts in parts_of.values() for part in parts))
        lengths = dict(zip(units, engine.count_tokens(units)))
        units.sort(key=lambda unit: lengths[unit])
        done: dict[str, Hypothesis] = {}
        waiting = dict(parts_of)
        for batch in _batches(units, lengths, self.batch_size, mix_buckets=engine.budget_per_sentence):
            done.update(self._translate_checked(engine, batch))
            finished = {}
            for source, parts in list(waiting.items()):
                if all(part in done for part in parts):
                    finished[source] = _join([done[part] for part in parts])
                    del waiting[source]
            yield finished

    def _translate_checked(self, engine: Engine, batch: list[str]) -> dict[str, Hypothesis]:
        """Translate a batch; retry the degenerate outputs (loops, odd lengths,
        lost numbers) once with safer settings, and keep whichever has fewer doubts."""
        results = {}
        for source, hypothesis in zip(batch, engine.translate_batch(batch, self.settings)):
            results[source] = replace(hypothesis, flags=quality.problems(source, hypothesis.text))
        doubtful = [source for source, h in results.items() if h.flags]
        if doubtful:
            retried = engine.translate_batch(doubtful, self.settings.safer())
            for source, hypothesis in zip(doubtful, retried):
                flags = quality.problems(source, hypothesis.text)
                if len(flags) < len(results[source].flags):
                    results[source] = replace(hypothesis, flags=flags)
            log.info("retried %d doubtful translations with safer settings", len(doubtful))
        return results

    @staticmethod
    def _fill(document: Document, results: dict, started: float) -> Document:
        """``document`` with every pending pair whose source has a result filled in."""
        updates = {
            pair.index: replace(pair, translation=results[pair.source][0].text,
                                score=results[pair.source][0].score, cached=results[pair.source][1],
                                flags=results[pair.source][0].flags)
            for pair in document.sentences
            if not pair.done and pair.source in results
        }
        return replace(document.with_translations(updates), seconds=time.perf_counter() - started)

    def _cache_get(self, signature: str, sources: list[str]) -> dict[str, tuple[Hypothesis, bool]]:
        """Cached hypotheses, as (hypothesis, True) results."""
        if self.cache is None:
            return {}
        found = self.cache.get_many(signature_id(signature), sources)
        return {
            source: (Hypothesis(text, score, tuple(filter(None, flags.split(",")))), True)
            for source, (text, score, flags) in found.items()
        }

    def _cache_put(self, signature: str, finished: dict[str, Hypothesis]) -> None:
        if self.cache is not None and finished:
            self.cache.put_many(signature_id(signature), signature,
                                [(s, h.text, h.score, ",".join(h.flags)) for s, h in finished.items()])


def _batches(units: list[str], lengths: dict[str, int], size: int,
             mix_buckets: bool = False) -> Iterator[list[str]]:
    """Consecutive batches of at most ``size`` length-sorted units, never mixing
    length buckets (so each sentence's output budget does not depend on its batch)
    unless the engine budgets each sentence on its own (``mix_buckets``)."""
    batch: list[str] = []
    for unit in units:
        if batch and (len(batch) == size or (
                not mix_buckets and length_bucket(lengths[unit]) != length_bucket(lengths[batch[0]]))):
            yield batch
            batch = []
        batch.append(unit)
    if batch:
        yield batch


def _join(parts: list[Hypothesis]) -> Hypothesis:
    """One hypothesis from a long sentence's parts: texts joined, scores averaged."""
    if len(parts) == 1:
        return parts[0]
    scores = [p.score for p in parts if p.score is not None]
    flags = tuple(dict.fromkeys(flag for p in parts for flag in p.flags))
    return Hypothesis(" ".join(p.text for p in parts), sum(scores) / len(scores) if scores else None, flags)
