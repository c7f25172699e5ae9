"""The pipeline: segment, look up (memory, then cache), translate what is missing
with the model, store, then apply the glossary: :class:`Translator`."""
from .translator import Translator, needs_translation

__all__ = ["Translator", "needs_translation"]
