"""Finding a Marian model on disk: a local folder, or a hub id in the Hugging Face cache.

Both end as a local folder, so every engine loads through one code path. The
model's *revision* (the hub commit, or a hash of the folder's files) goes into
the cache signature, so a new model version never reuses old translations.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import ModelNotFoundError

# What a Marian checkpoint needs; we skip the TF/Flax/Rust weights the hub also holds.
MODEL_FILES = ["*.json", "*.spm", "*.safetensors", "pytorch_model.bin"]
_HUB_ID = re.compile(r"^[A-Za-z0-9][\w.-]*/[\w.-]+$")
_SMALL_FILE = 4_000_000  # hashed by content; larger files by size and mtime


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
                f"folder {folder} holds no model (no config.json); pass a folder saved by "
                f"`save_pretrained` or downloaded with `translate download`"
            )
        return LocalModel(model, folder.resolve(), "folder-" + folder_hash(folder))
    if not _HUB_ID.match(model) or model.startswith((".", "/", "~")):
        raise ModelNotFoundError(
            f"model folder {model} does not exist; pass an existing folder or a hub id "
            f"such as Helsinki-NLP/opus-mt-ar-en"
        )

    from huggingface_hub import snapshot_download

    try:
        path = snapshot_download(
            model, revision=revision, allow_patterns=MODEL_FILES, local_files_only=True
        )
    except Exception as local_error:  # not in the local cache (or the cache is unreadable)
        if offline:
            raise ModelNotFoundError(_missing_message(model, revision, offline=True)) from local_error
        try:
            path = snapshot_download(model, revision=revision, allow_patterns=MODEL_FILES)
        except Exception as error:
            raise ModelNotFoundError(
                _missing_message(model, revision, offline=False) + f" (download failed: {_first_line(error)})"
            ) from error
    path = Path(path)
    if not (path / "config.json").is_file():
        raise ModelNotFoundError(_missing_message(model, revision, offline))
    return LocalModel(model, path, path.name)


def download_model(model: str, revision: str | None = None) -> LocalModel:
    """Fetch ``model`` into the Hugging Face cache (needs the network)."""
    from huggingface_hub import snapshot_download

    try:
        path = Path(snapshot_download(model, revision=revision, allow_patterns=MODEL_FILES))
    except Exception as error:
        raise ModelNotFoundError(
            f"could not download model {model}: {_first_line(error)}; check the name and "
            f"the network, or copy a downloaded folder here and pass --model PATH"
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
    how = "offline mode is on, so nothing was downloaded; " if offline else ""
    return (
        f"model {wanted} is not in the local Hugging Face cache ({where}); {how}"
        f"run `translate download {model}` on a connected machine (and copy {where} here), "
        f"or pass --model PATH to a folder holding the model"
    )


def _first_line(error: Exception) -> str:
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__
