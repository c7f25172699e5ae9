"""The signature: one value naming everything that made a translation.

As sacrebleu prints a signature with every score, every translation here
carries one: the model and its revision, the engine, its version and
precision, the generation settings, the quality policy, the segmenter's
version, the long-sentence limit and this package's version. It keys the cache
(change any part and old entries simply stop matching), it is written into
every output, and ``translate info`` prints it, so any translation can be
reproduced.
"""
from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, replace

from . import config
from .engines.base import EnginePlan, GenerationSettings
from .engines.model_files import LocalModel
from .quality import QualityPolicy
from .text.segment import SEGMENTER_VERSION


def signature_key(text: str) -> str:
    """The short key of a signature written as text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


@dataclass(frozen=True)
class Signature:
    """Everything that changes a translation.

    Attributes:
        model: the hub id, or a local folder's name.
        revision: the hub commit, or ``folder-<hash of its files>``.
        engine, engine_version, precision: which engine ran it, and how.
        generation: the decoding settings.
        quality: the retry policy and its thresholds.
        max_pieces: sentences above this many pieces are cut into parts.
        segmenter: the sentence segmenter's version.
        version: this package's version.
        layers: further parts added by optional layers (a glossary's hash…), as
            (name, value) pairs.
    """

    model: str
    revision: str
    engine: str
    engine_version: str
    precision: str
    generation: GenerationSettings
    quality: QualityPolicy
    max_pieces: int
    segmenter: str = SEGMENTER_VERSION
    version: str = config.VERSION
    layers: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, model: LocalModel, plan: EnginePlan, generation: GenerationSettings,
           quality: QualityPolicy, layers: tuple[tuple[str, str], ...] = ()) -> Signature:
        return cls(model.label, model.revision, plan.name, plan.version, plan.precision, generation,
                   quality, model.limits.max_source_pieces, layers=layers)

    def __str__(self) -> str:
        text = (f"translate-ar-en:{self.version}|model:{self.model}@{self.revision}"
                f"|engine:{self.engine}-{self.engine_version}-{self.precision}"
                f"|gen:{self.generation.describe()}|quality:{self.quality.describe()}"
                f"|seg:{self.segmenter}|pieces:{self.max_pieces}")
        return text + "".join(f"|{name}:{value}" for name, value in self.layers)

    def without(self, *names: str) -> Signature:
        """This signature without the layers called ``names`` (a layer applied after
        the model, like the glossary, does not key the cache of raw model output)."""
        return replace(self, layers=tuple((n, v) for n, v in self.layers if n not in names))

    @property
    def key(self) -> str:
        """A short stable key for the cache: a hash of the whole signature."""
        return signature_key(str(self))

    def to_dict(self) -> dict:
        """The signature as plain data (for JSON outputs)."""
        data = asdict(self)
        data["layers"] = dict(self.layers)
        data["text"] = str(self)
        return data
