"""The translator a worker builds: the driver's, without its cache.

A :class:`WorkerSpec` is what travels to the workers (plain values, no loaded
model, no open file): the model as the workers find it, the engine, the
generation settings, the quality policy and the signature the driver expects.
A worker builds the same :class:`~translate.pipeline.translator.Translator` from it and
refuses to work when its own signature differs (another model file, another
CTranslate2 version, another version of this package): the results of a job are
the same wherever its rows are translated, or the job stops and says why.
"""
from __future__ import annotations

import os
import platform
from dataclasses import dataclass
from pathlib import Path

from .. import config
from ..engines.base import GenerationSettings
from ..engines.factory import LazyEngine
from ..errors import ModelLoadError
from ..pipeline.model_step import ModelStep
from ..quality import QualityPolicy
from ..signature import Signature


@dataclass(frozen=True)
class WorkerSpec:
    """Everything a worker needs to rebuild the driver's translator.

    Attributes:
        model: hub id or folder of the model, as the workers find it.
        revision: the hub commit the driver uses (None for a folder).
        engine, device: the engine and device the driver planned.
        offline: the workers use only local model files.
        cache_dir: where the workers keep converted models (``<cache_dir>/models``).
        settings, quality, batch_size: as the driver's translator.
        threads: CPU threads per worker (CTranslate2 on the CPU).
        signature: the driver's model signature (without the glossary, which the driver
            applies), as text; a worker whose own differs stops.
    """

    model: str
    revision: str | None
    engine: str
    device: str
    offline: bool
    cache_dir: str
    settings: GenerationSettings
    quality: QualityPolicy
    batch_size: int
    threads: int
    signature: str

    @classmethod
    def of(cls, step: ModelStep, *, model: str | os.PathLike | None = None,
           cache_dir: str | os.PathLike | None = None, threads: int = 1) -> WorkerSpec:
        """The spec of the driver's model step (its model is located here, not loaded).

        Args:
            step: the driver's model step (:attr:`Translator.model_step`).
            model: the model as the workers find it (default: where the driver
                finds it: the same hub id, or the same folder path).
            cache_dir: the workers' cache folder for converted models (default:
                the driver's, as an absolute path).
            threads: CPU threads per worker.

        Raises:
            ModelNotFoundError: the driver cannot find the model.
        """
        engine = step.engine
        located = engine.model
        hub = not located.revision.startswith("folder-")
        given = getattr(engine, "model_name", None) or (located.name if hub else str(located.path))
        if cache_dir is None:
            cache_dir = getattr(engine, "models_dir", None) or config.cache_dir()
        signature = Signature.of(located, engine.plan, step.settings, step.quality)
        return cls(
            model=str(model or given), revision=located.revision if hub else None,
            engine=engine.plan.name, device=engine.plan.device,
            offline=bool(getattr(engine, "offline", config.offline_by_env())),
            cache_dir=str(Path(cache_dir).absolute()), settings=step.settings, quality=step.quality,
            batch_size=step.batch_size, threads=threads, signature=str(signature),
        )

    def build(self) -> ModelStep:
        """The actor's model step: the same engine and settings; the model is located
        now and loaded on the first sentence that needs it.

        Raises:
            ModelNotFoundError: the model is not where the spec says.
            ModelLoadError: this worker's signature differs from the driver's.
        """
        # Ray does not pin a worker to its CPUs: without a set number of threads,
        # each worker's CTranslate2 would use every core of its node.
        lazy = LazyEngine(self.model, revision=self.revision, engine=self.engine, device=self.device,
                          offline=self.offline, models_dir=self.cache_dir, threads=self.threads)
        mine = str(Signature.of(lazy.model, lazy.plan, self.settings, self.quality))
        if mine != self.signature:
            raise ModelLoadError(
                f"a worker ({platform.node()}) would translate with {mine}, not with the driver's "
                f"{self.signature}; give every node the same model files (copy folders with their times: "
                f"rsync -a) and the same versions of translate-ar-en and CTranslate2", reason="worker-differs")
        return ModelStep(lazy, self.settings, self.quality, self.batch_size)
