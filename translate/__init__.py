"""Arabic→English translation, sentence by sentence, with an on-disk cache.

>>> from translate import Translator
>>> document = Translator().translate("قصف روسي على حلب")   # doctest: +SKIP
>>> document.translation_text()                             # doctest: +SKIP

Nothing heavy is imported here: torch, transformers and CTranslate2 load only
when a sentence actually needs the model.
"""
__version__ = "0.2.0"  # before the imports: translate.signature reads it

from .document import Block, Document, Paragraph, SentencePair, segment_blocks, segment_document
from .errors import (
    InputError,
    ModelLoadError,
    ModelNotFoundError,
    OutputError,
    TranslateError,
    UsageError,
)
from .inputs import read_text
from .pipeline import Translator
from .segment import split_sentences

__all__ = [
    "read_text", "Block", "Document", "segment_blocks", "Paragraph", "SentencePair", "Translator", "segment_document", "split_sentences",
    "TranslateError", "InputError", "ModelLoadError", "ModelNotFoundError", "OutputError", "UsageError",
]
