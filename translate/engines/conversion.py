"""Converting a transformers Marian checkpoint for CTranslate2, once per model.

The conversion (CTranslate2's own converter, which imports torch and
transformers that one time) is written into ``<cache>/models/<name>/``
atomically: into a ``.partial-*`` folder first, renamed into place when
complete, so an interrupted conversion is never loaded.
"""
from __future__ import annotations

import logging
import os
import re
import shutil
import tempfile
import time
from pathlib import Path

from .. import config
from ..errors import ModelLoadError
from .base import EnginePlan
from .model_files import LocalModel

log = logging.getLogger("translate")

#: Converted models live in this sub-folder of the cache folder.
MODELS_DIR = config.MODELS_DIR
#: Conversions in progress are written under names starting with this, and
#: renamed into place only when complete; nothing ever loads such a folder.
PARTIAL_PREFIX = ".partial-"
_STALE_PARTIAL_SECONDS = 24 * 3600


def converted_name(model: LocalModel, plan: EnginePlan) -> str:
    """The converted folder's name: model, revision, CTranslate2 version, precision.

    Generation settings are not in it: one conversion serves them all.
    """
    base = re.sub(r"[^\w.-]+", "_", Path(model.name).name or "model").strip("._") or "model"
    return f"{base}@{model.revision}-ctranslate2-{plan.version}-{plan.precision}"


def converted_path(cache_dir: str | os.PathLike, model: LocalModel, plan: EnginePlan) -> Path:
    """Where ``model`` converted for ``plan`` lives (whether or not it exists yet)."""
    return Path(cache_dir) / MODELS_DIR / converted_name(model, plan)


def ensure_converted(model: LocalModel, plan: EnginePlan, cache_dir: str | os.PathLike) -> Path:
    """The converted model folder, converting it first if it does not exist.

    The conversion is written to a ``.partial-*`` folder beside the target and
    renamed into place when complete, so an interrupted conversion is never
    used; when two processes convert at once, the first rename wins.

    Raises:
        ModelLoadError: the checkpoint could not be converted, or the cache
            folder is not writable.
    """
    target = converted_path(cache_dir, model, plan)
    if target.is_dir():
        return target
    started = time.perf_counter()
    log.info("converting %s for CTranslate2 (%s), once, into %s", model.name, plan.precision, target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale_partials(target.parent)
        partial = Path(tempfile.mkdtemp(prefix=f"{PARTIAL_PREFIX}{target.name}-", dir=target.parent))
    except OSError as error:
        raise ModelLoadError(
            f"cannot write the converted model under {target.parent}: {error.strerror or error}; "
            f"a writable cache folder is needed, or the transformers engine", reason="convert-unwritable",
        ) from None
    try:
        _convert(model, plan, partial / "model")
        try:
            os.rename(partial / "model", target)
        except OSError:
            if not (target / "model.bin").is_file():  # not a lost race: a real failure
                raise
    except Exception as error:
        raise ModelLoadError(
            f"could not convert {model.name} ({model.path}) for CTranslate2: {error}",
            reason="convert-failed",
        ) from error
    finally:
        shutil.rmtree(partial, ignore_errors=True)
    log.info("converted %s in %.1f s", model.name, time.perf_counter() - started)
    return target


def _convert(model: LocalModel, plan: EnginePlan, output: Path) -> None:
    """Run CTranslate2's transformers converter (imports torch and transformers)."""
    import ctranslate2
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()
    converter = ctranslate2.converters.TransformersConverter(str(model.path))
    converter.convert(str(output), quantization=plan.precision)


def _remove_stale_partials(folder: Path) -> None:
    """Delete what long-dead conversions left behind (a crash or a kill -9)."""
    now = time.time()
    for path in folder.glob(f"{PARTIAL_PREFIX}*"):
        try:
            if now - path.stat().st_mtime > _STALE_PARTIAL_SECONDS:
                shutil.rmtree(path, ignore_errors=True)
        except OSError:
            pass
