"""Executors: where the model step runs. The pipeline is the same wherever it runs.

The pipeline (:class:`~translate.pipeline.translator.Translator`) owns the lookup
chain, the cache and the memory, on this machine. Only the step "translate these
unique sentences with the model" (:class:`~translate.pipeline.model_step.ModelStep`)
is handed to an executor: :class:`Local` runs it here, in the calling thread
(several callers take turns at the model, batch by batch); the cluster's
:class:`~translate.cluster.ray_executor.RayExecutor` sends its work units to a
pool of Ray actors.
"""
from __future__ import annotations

import contextlib
from abc import ABC, abstractmethod
from collections.abc import Iterator

from ..translation import Translation
from .model_step import ModelStep


class Executor(ABC):
    """Runs the model step.

    Attributes:
        parallel: how many of its calls may usefully run at once (a dataset job
            keeps that many blocks in flight).
    """

    parallel: int = 1

    @abstractmethod
    def translate(self, step: ModelStep, sources: list[str], *, reading_order: bool = False
                  ) -> Iterator[dict[str, Translation]]:
        """The model's translations of ``sources``, yielded as they are finished."""

    def session(self) -> contextlib.AbstractContextManager:
        """The span of a job that makes many calls (what an executor starts is kept
        for it, and stopped after it); calls outside one make their own."""
        return contextlib.nullcontext()


class Local(Executor):
    """The model step in this process."""

    def translate(self, step: ModelStep, sources: list[str], *, reading_order: bool = False
                  ) -> Iterator[dict[str, Translation]]:
        yield from step.translate(sources, reading_order=reading_order)
