"""Arabic→English translation, sentence by sentence, with an on-disk cache.

>>> from translate import Translator
>>> document = Translator.from_options().translate("قصف روسي على حلب")   # doctest: +SKIP
>>> document.translation_text()                             # doctest: +SKIP

Nothing heavy is imported here: torch, transformers and CTranslate2 load only
when a sentence actually needs the model.
"""
from .config import VERSION as __version__  # noqa: F401 (the package's version, as usual)
from .document import Block, Document, Paragraph, SentencePair, segment_blocks, segment_document
from .errors import (
    CacheError,
    InputError,
    ModelLoadError,
    ModelNotFoundError,
    OutputError,
    TranslateError,
    UsageError,
)
from .batch import BatchReport, FileResult, translate_files
from .cache import CachedTranslation, TranslationCache
from .engine import GenerationSettings
from .engine_factory import LazyEngine
from .inputs import read_text
from .interactive import Alternative
from .memory import MemoryEntry, TranslationMemory
from .pipeline import Translator
from .quality import QualityPolicy
from .segment import split_sentences
from .signature import Signature

__all__ = [
    "Translator", "Alternative", "TranslationMemory", "MemoryEntry", "translate_files", "BatchReport", "FileResult", "Signature",
    "GenerationSettings", "QualityPolicy", "TranslationCache", "CachedTranslation", "LazyEngine",
    "Block", "Document", "Paragraph", "SentencePair", "segment_blocks", "segment_document", "split_sentences",
    "read_text",
    "TranslateError", "InputError", "ModelLoadError", "ModelNotFoundError", "OutputError", "CacheError",
    "UsageError",
]
