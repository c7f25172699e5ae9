"""An engine for layout tests and screenshots: the seed article's sentences come back
as their reference English (``seeds/aleppo-offensive.reference.en``, a faithful
translation, line by line), everything else as the model's.

The tiny random model writes noise two or three times longer than real English, so
a page laid out with it looks nothing like the page a reader meets. This engine is
the real :class:`~translate.engines.base.Engine` interface around a real engine: scores,
word links (cut to the reference's words) and the interactive calls stay the
model's. Never use it for speed or quality claims.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from translate import split_sentences
from translate.engines.base import Engine, EnginePlan, GenerationSettings
from translate.translation import Translation

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
REFERENCE = SEEDS / "aleppo-offensive.reference.en"


def seed_references(article: Path = SEEDS / "aleppo-offensive.ar.txt", reference: Path = REFERENCE) -> dict[str, str]:
    """Each Arabic sentence of the seed article and its reference English, paired line
    by line and, within a line, sentence by sentence (both are cut by the segmenter).

    Raises:
        ValueError: a line whose Arabic and English do not hold as many sentences.
    """
    pairs: dict[str, str] = {}
    arabic_lines = article.read_text(encoding="utf-8").splitlines()
    english_lines = reference.read_text(encoding="utf-8").splitlines()
    for number, (arabic, english) in enumerate(zip(arabic_lines, english_lines, strict=True), 1):
        sources, targets = split_sentences(arabic), split_sentences(english)
        if len(sources) != len(targets):
            raise ValueError(f"line {number}: {len(sources)} Arabic sentences, {len(targets)} English")
        pairs.update(zip(sources, targets))
    return pairs


class ReferenceEngine(Engine):
    """``engine`` with the reference English put in for the sentences it knows.

    Its plan names it (``+reference``), so its translations never share cache
    entries with the model's own.
    """

    def __init__(self, engine: Engine, references: dict[str, str] | None = None):
        self.engine = engine
        self.references = seed_references() if references is None else references
        self.model, self.limits = engine.model, engine.limits
        self.plan = EnginePlan(engine.plan.name, engine.plan.device, engine.plan.precision,
                               engine.plan.version + "+reference")
        self.budget_per_sentence = engine.budget_per_sentence

    def count_tokens(self, sentences: list[str]) -> list[int]:
        return self.engine.count_tokens(sentences)

    def translate_batch(self, sentences: list[str], settings: GenerationSettings) -> list[Translation]:
        found = self.engine.translate_batch(sentences, settings)
        return [self._reference(source, hypothesis) for source, hypothesis in zip(sentences, found)]

    def _reference(self, source: str, hypothesis: Translation) -> Translation:
        english = self.references.get(source)
        if english is None:
            return hypothesis
        words = len(english.split())
        return replace(hypothesis, text=english, flags=(),
                       alignment=tuple(link for link in hypothesis.alignment if link[1] < words))

    def n_best(self, sentence, settings, n):
        return self.engine.n_best(sentence, settings, n)

    def continue_prefix(self, sentence, prefix, settings, n=1):
        return self.engine.continue_prefix(sentence, prefix, settings, n)

    def target_pieces(self, text):
        return self.engine.target_pieces(text)


def reference_translator(tiny_model: Path, cache_dir: Path, **options):
    """A translator on the tiny model (CTranslate2, as the page runs by default) whose
    engine answers the seed article with its reference English."""
    from translate import Translator

    base = Translator.from_options(str(tiny_model), engine="ctranslate2", device="cpu", beams=1,
                                   cache_dir=str(cache_dir), **options)
    return Translator(ReferenceEngine(base.engine.load()), base.cache, settings=base.settings,
                      quality=base.quality, batch_size=base.batch_size, memory=base.memory)
