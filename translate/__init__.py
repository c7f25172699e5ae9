"""Arabic→English translation, sentence by sentence, with an on-disk cache.

>>> from translate import Translator
>>> document = Translator.from_options().translate("قصف روسي على حلب")   # doctest: +SKIP
>>> document.translation_text()                             # doctest: +SKIP

Nothing heavy is imported here: torch, transformers and CTranslate2 load only
when a sentence actually needs the model.
"""
from .batch import BatchReport, FileResult, translate_files
from .config import VERSION as __version__  # noqa: F401 (the package's version, as usual)
from .engines.base import GenerationSettings
from .engines.factory import LazyEngine
from .errors import (
    CacheError,
    InputError,
    ModelLoadError,
    ModelNotFoundError,
    OutputError,
    TranslateError,
    UsageError,
)
from .inputs import read_text
from .interactive import Alternative
from .pipeline.translator import Translator
from .quality import QualityPolicy
from .signature import Signature
from .store.cache import CachedTranslation, TranslationCache
from .store.memory import MemoryEntry, TranslationMemory
from .text.document import Block, Document, Paragraph, SentencePair, segment_blocks, segment_document
from .text.segment import split_sentences

__all__ = [
    "Translator", "Alternative", "TranslationMemory", "MemoryEntry", "translate_files", "BatchReport", "FileResult", "Signature",
    "GenerationSettings", "QualityPolicy", "TranslationCache", "CachedTranslation", "LazyEngine",
    "Block", "Document", "Paragraph", "SentencePair", "segment_blocks", "segment_document", "split_sentences",
    "read_text",
    "TranslateError", "InputError", "ModelLoadError", "ModelNotFoundError", "OutputError", "CacheError",
    "UsageError",
]
