"""Arabic→English translation, sentence by sentence, with an on-disk cache.

>>> from translate import Translator
>>> document = Translator.from_options().translate("قصف روسي على حلب")   # doctest: +SKIP
>>> document.translation_text()                             # doctest: +SKIP

Nothing heavy is imported here: torch, transformers and CTranslate2 load only
when a sentence actually needs the model.
"""
import importlib
from typing import TYPE_CHECKING

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
from .pipeline.chain import Layer
from .pipeline.executors import Executor
from .pipeline.translator import Translator
from .quality import QualityPolicy
from .signature import Signature
from .store.cache import CachedTranslation, TranslationCache
from .store.memory import MemoryEntry, TranslationMemory
from .text.document import Block, Document, Paragraph, SentencePair, segment_blocks, segment_document
from .text.segment import split_sentences
from .translation import Translation

__all__ = [
    "Translator", "Translation", "Layer", "Executor", "Alternative", "TranslationMemory", "MemoryEntry",
    "translate_files", "BatchReport", "FileResult", "Signature",
    "GenerationSettings", "QualityPolicy", "TranslationCache", "LazyEngine",
    "CachedTranslation",  # deprecated (0.3): TranslationCache.find/keep take Translation records
    "Block", "Document", "Paragraph", "SentencePair", "segment_blocks", "segment_document", "split_sentences",
    "read_text",
    "TranslateError", "InputError", "ModelLoadError", "ModelNotFoundError", "OutputError", "CacheError",
    "UsageError",
]

if TYPE_CHECKING:
    from .batch import BatchReport, FileResult, translate_files

#: Names whose modules load the document readers and writers (lxml, python-docx,
#: pypdf…): imported on first use, so ``import translate`` and the pipeline stay light.
_LAZY = {"translate_files": ".batch", "BatchReport": ".batch", "FileResult": ".batch"}


def __getattr__(name: str):
    if name not in _LAZY:
        raise AttributeError(f"module 'translate' has no attribute {name!r}")
    value = getattr(importlib.import_module(_LAZY[name], __name__), name)
    globals()[name] = value
    return value
