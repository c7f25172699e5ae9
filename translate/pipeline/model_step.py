"""The model step: unique sentences in, the model's translations out.

The one step of the pipeline an executor may run elsewhere
(:mod:`translate.pipeline.executors`). The sentences are cut into work units
(:data:`translate.config.UNIT_SENTENCES` each, in the order given), and each
unit is translated alike wherever it runs: sentences longer than the model can
take are cut at clause marks and translated in parts (the limit read from the
model's own config), parts are batched, and doubtful outputs (loops, odd
lengths, lost numbers) are retried once with safer settings under the quality
policy. So a unit gives the same translations in this process and on a
cluster's actor.
"""
from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import replace

from .. import config
from ..engines.base import Engine, GenerationSettings, length_bucket
from ..quality import QualityPolicy
from ..text.long_sentences import split_long
from ..translation import PASSED, Translation
from .chain import needs_translation
from .fair_lock import FairLock

log = logging.getLogger("translate")


class ModelStep:
    """Translates unique sentences with an engine.

    Args:
        engine: the engine (a lazy one loads its model on the first sentence).
        settings: decoding settings.
        quality: what counts as doubtful, and the retry.
        batch_size: sentences per model call.
        turns: the model's turns, shared by everything that uses this engine: one
            batch at a time, in the order asked, so concurrent users interleave.
    """

    def __init__(self, engine: Engine, settings: GenerationSettings, quality: QualityPolicy,
                 batch_size: int = config.DEFAULT_BATCH_SIZE, turns: FairLock | None = None):
        self.engine, self.settings, self.quality, self.batch_size = engine, settings, quality, batch_size
        self.turns = turns or FairLock()

    @staticmethod
    def units(sources: list[str]) -> list[list[str]]:
        """``sources`` cut into work units, in order: what one executor call (or actor task) translates."""
        size = config.UNIT_SENTENCES
        return [sources[start : start + size] for start in range(0, len(sources), size)]

    def translate(self, sources: list[str], *, reading_order: bool = False) -> Iterator[dict[str, Translation]]:
        """Translate ``sources`` unit by unit; yields the sentences each batch finishes.

        Args:
            sources: unique sentences, each with an Arabic word.
            reading_order: batches in the order the sentences are read, the first one
                small (the top of a page shows first), rather than by length.
        """
        for number, unit in enumerate(self.units(sources)):
            yield from self._translate_unit(unit, reading_order, first=number == 0)

    def translate_unit(self, unit: list[str]) -> dict[str, Translation]:
        """One work unit, all of it at once (what a cluster's actor does)."""
        done: dict[str, Translation] = {}
        for finished in self._translate_unit(unit, reading_order=False, first=False):
            done.update(finished)
        return done

    def _translate_unit(self, sources: list[str], reading_order: bool, first: bool
                        ) -> Iterator[dict[str, Translation]]:
        engine = self.engine
        limit = engine.limits.max_source_pieces
        with self.turns:
            counts = engine.count_tokens(sources)

        def too_long(piece: str) -> bool:
            with self.turns:
                return engine.count_tokens([piece])[0] > limit

        parts_of: dict[str, list[str]] = {}
        for source, count in zip(sources, counts):
            if count <= limit:
                parts_of[source] = [source]
            else:
                spans = split_long(source, too_long)
                parts_of[source] = [source[a:b] for a, b in spans]
                log.info("sentence of %d pieces translated in %d parts", count, len(spans))
        done: dict[str, Translation] = {}
        units = []
        for part in dict.fromkeys(p for parts in parts_of.values() for p in parts):
            if needs_translation(part):
                units.append(part)
            else:  # a part without Arabic words (a URL, a wall of marks) stays as it is
                done[part] = Translation(part, origin=PASSED)
        with self.turns:
            lengths = dict(zip(units, engine.count_tokens(units)))
        waiting = dict(parts_of)
        for batch in self._batches(units, lengths, engine.budget_per_sentence, reading_order and first):
            with self.turns:
                done.update(self._translate_checked(batch))
            finished = {}
            for source, parts in list(waiting.items()):
                if all(part in done for part in parts):
                    finished[source] = join(parts, [done[part] for part in parts])
                    del waiting[source]
            yield finished

    def _batches(self, units: list[str], lengths: dict[str, int], mix_buckets: bool,
                 small_first: bool) -> Iterator[list[str]]:
        """Batches of at most ``batch_size`` units.

        With ``small_first`` (reading order, on an engine that budgets each sentence
        alone), batches follow the text, the first one small so the top shows
        quickly. Otherwise units are sorted by length, and length buckets are never
        mixed unless the engine budgets each sentence on its own, so a sentence's
        output budget, and so its translation, never depends on its batch.
        """
        if small_first and mix_buckets:
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

    def _translate_checked(self, batch: list[str]) -> dict[str, Translation]:
        """Translate a batch; under the quality policy, retry the degenerate outputs
        (loops, odd lengths, lost numbers) once with safer settings, and keep
        whichever has fewer doubts."""
        engine, results = self.engine, {}
        for source, translation in zip(batch, engine.translate_batch(batch, self.settings)):
            results[source] = replace(translation, flags=self.quality.problems(source, translation.text))
        doubtful = [source for source, t in results.items() if t.flags]
        if doubtful and self.quality.retry:
            retried = engine.translate_batch(doubtful, self.quality.safer(self.settings))
            for source, translation in zip(doubtful, retried):
                flags = self.quality.problems(source, translation.text)
                if len(flags) < len(results[source].flags):
                    results[source] = replace(translation, flags=flags)
            log.info("retried %d doubtful translations with safer settings", len(doubtful))
        return results


def join(parts: list[str], translations: list[Translation]) -> Translation:
    """One translation from a long sentence's parts: texts joined, scores averaged,
    word links shifted to the joined sentence's word positions."""
    if len(translations) == 1:
        return translations[0]
    scores = [t.score for t in translations if t.score is not None]
    flags = tuple(dict.fromkeys(flag for t in translations for flag in t.flags))
    links, source_offset, target_offset = [], 0, 0
    for part, translation in zip(parts, translations):
        links.extend((s + source_offset, t + target_offset) for s, t in translation.alignment)
        source_offset += len(part.split())
        target_offset += len(translation.text.split())
    text = " ".join(t.text for t in translations if t.text)
    return Translation(text, sum(scores) / len(scores) if scores else None, flags, tuple(links))
