"""Finding a Marian model on disk: a local folder, or a hub id in the Hugging Face cache.

Both end as a local folder, so every engine loads through one code path. The
model's *revision* (the hub commit, or a hash of the folder's files) goes into
the cache signature, so a new model version never reuses old translations.
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from .. import config
from ..errors import ModelLoadError, ModelNotFoundError, causes, first_line

# What a Marian checkpoint needs; we skip the TF/Flax/Rust weights the hub also holds.
MODEL_FILES = ["*.json", "*.spm", "*.safetensors", "pytorch_model.bin"]
_HUB_ID = re.compile(r"^[A-Za-z0-9][\w.-]*/[\w.-]+$")
_SMALL_FILE = 4_000_000  # hashed by content; larger files by size and mtime


@dataclass(frozen=True)
class ModelLimits:
    """What a model can take, read from its own ``config.json``.

    Attributes:
        max_positions: positions of the encoder and the decoder
            (``max_position_embeddings``: 512 for opus-mt, 1024 for some).
        vocab_size: entries of the model's vocabulary.
    """

    max_positions: int
    vocab_size: int | None = None

    @property
    def max_source_pieces(self) -> int:
        """Sentences above this many source pieces are cut into parts: the house
        limit (well before quality collapses), and at most half the positions so
        that the English, usually longer, still fits."""
        return max(8, min(config.MAX_SENTENCE_PIECES, self.max_positions // 2))

    @property
    def max_new_tokens(self) -> int:
        """The most target tokens one sentence may get (the decoder's start token
        takes a position too)."""
        return self.max_positions - 1


def read_limits(folder: Path) -> ModelLimits:
    """The limits in ``folder/config.json``.

    Raises:
        ModelLoadError: the config is missing, not JSON, or names no positions.
    """
    try:
        settings = json.loads((Path(folder) / "config.json").read_text(encoding="utf-8"))
        positions = int(settings.get("max_position_embeddings") or settings["max_source_positions"])
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise ModelLoadError(f"cannot read the model's limits from {folder}/config.json: {error}") from None
    if positions < 16:
        raise ModelLoadError(f"{folder}/config.json gives the model only {positions} positions")
    vocab = settings.get("vocab_size")
    return ModelLimits(positions, int(vocab) if isinstance(vocab, int) else None)


@dataclass(frozen=True)
class LocalModel:
    """A model available on this machine.

    Attributes:
        name: what the user asked for (hub id, or the folder as given).
        path: the folder holding config.json, the weights and the vocabularies.
        revision: the hub commit hash, or ``folder-<hash of its files>``.
    """

    name: str
    path: Path
    revision: str

    @property
    def label(self) -> str:
        """The model's name in signatures: the hub id, or a folder's own name (the
        same model in another place gives the same signature; the revision hash
        tells apart different folders of the same name)."""
        return self.name if self.revision and not self.revision.startswith("folder-") else self.path.name

    @cached_property
    def limits(self) -> ModelLimits:
        return read_limits(self.path)


def hub_cache_dir() -> Path:
    from huggingface_hub import constants

    return Path(constants.HF_HUB_CACHE)


def locate_model(model: str, revision: str | None = None, offline: bool = False) -> LocalModel:
    """Find ``model`` locally, downloading it first when allowed and needed.

    Args:
        model: a hub id such as ``Helsinki-NLP/opus-mt-ar-en`` or a folder path.
        revision: a hub branch, tag or commit (ignored for folders).
        offline: use only local files, never the network.

    Returns:
        The local model.

    Raises:
        ModelNotFoundError: with a message naming where we looked and how to fix it.
    """
    folder = Path(model).expanduser()
    if folder.is_dir():
        if not (folder / "config.json").is_file():
            raise ModelNotFoundError(
                f"folder {folder} holds no model (no config.json); a model folder is one saved by "
                f"`save_pretrained` or downloaded from the Hugging Face hub", reason="not-a-model-folder",
                model=model,
            )
        return LocalModel(model, folder.resolve(), "folder-" + folder_hash(folder))
    if not _HUB_ID.match(model) or model.startswith((".", "/", "~")):
        raise ModelNotFoundError(
            f"model folder {model} does not exist; give an existing folder or a hub id "
            f"such as Helsinki-NLP/opus-mt-ar-en", reason="no-such-model-folder", model=model,
        )

    from huggingface_hub import snapshot_download

    try:
        path = snapshot_download(
            model, revision=revision, allow_patterns=MODEL_FILES, local_files_only=True
        )
    except Exception as local_error:  # not in the local cache (or the cache is unreadable)
        if offline:
            raise ModelNotFoundError(_missing_message(model, revision, offline=True),
                                     reason="model-not-found", model=model) from local_error
        try:
            path = snapshot_download(model, revision=revision, allow_patterns=MODEL_FILES)
        except Exception as error:
            raise ModelNotFoundError(
                _missing_message(model, revision, offline=False) + f"; the download failed: {_download_problem(error)}",
                reason="model-not-found", model=model,
            ) from error
    path = Path(path)
    if not (path / "config.json").is_file():
        raise ModelNotFoundError(_missing_message(model, revision, offline), reason="model-not-found", model=model)
    return LocalModel(model, path, path.name)


def download_model(model: str, revision: str | None = None) -> LocalModel:
    """Fetch ``model`` into the Hugging Face cache (needs the network)."""
    from huggingface_hub import snapshot_download

    try:
        path = Path(snapshot_download(model, revision=revision, allow_patterns=MODEL_FILES))
    except Exception as error:
        raise ModelNotFoundError(
            f"could not download model {model}: {_download_problem(error)}",
            reason="download-failed", model=model,
        ) from error
    return LocalModel(model, path, path.name)


def folder_hash(folder: Path) -> str:
    """A hash of a model folder's files: names and sizes, plus contents of the
    small ones (config, vocabularies) and modification times of the big ones."""
    digest = hashlib.sha256()
    for file in sorted(p for p in folder.rglob("*") if p.is_file()):
        stat = file.stat()
        digest.update(f"{file.relative_to(folder)}\0{stat.st_size}\0".encode())
        if stat.st_size <= _SMALL_FILE:
            digest.update(file.read_bytes())
        else:
            digest.update(str(stat.st_mtime_ns).encode())
    return digest.hexdigest()[:16]


def _missing_message(model: str, revision: str | None, offline: bool) -> str:
    where = hub_cache_dir()
    wanted = f"{model}@{revision}" if revision else model
    how = " (offline mode is on, so nothing was downloaded)" if offline else ""
    return f"model {wanted} is not in the local Hugging Face cache ({where}){how}"


def _download_problem(error: Exception) -> str:
    """What went wrong with a download, in words (not "Got: ConnectError")."""
    names = {type(e).__name__ for e in causes(error)}
    text = first_line(error)
    if names & {"ConnectError", "ConnectionError", "ConnectTimeout", "NewConnectionError",
                "MaxRetryError", "NameResolutionError", "gaierror", "OfflineModeIsEnabled"}:
        return f"could not reach the Hugging Face hub ({text})"
    if names & {"ReadTimeout", "Timeout", "TimeoutException", "TimeoutError"}:
        return f"the Hugging Face hub did not answer in time ({text})"
    if names & {"RepositoryNotFoundError", "GatedRepoError"}:
        return "no such model on the Hugging Face hub (check the name), or it needs a login"
    if names & {"RevisionNotFoundError"}:
        return "the hub has no such revision of it"
    return text
