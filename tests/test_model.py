"""Finding models: local folders, the Hugging Face cache layout, clear errors."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import install_in_hub_cache

from translate import ModelNotFoundError, Translator
from translate.engines.model_files import folder_hash, locate_model


def _install_in_hub_cache(tiny_model: Path, repo_id: str, commit: str = "a" * 40) -> Path:
    return install_in_hub_cache(tiny_model, repo_id, Path(os.environ["HF_HUB_CACHE"]), commit)


def test_local_folder_is_used_with_a_hash_revision(tiny_model):
    model = locate_model(str(tiny_model))
    assert model.path == tiny_model.resolve()
    assert model.revision == "folder-" + folder_hash(tiny_model)


def test_folder_hash_changes_when_a_file_changes(tiny_model, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(tiny_model, copy)
    before = folder_hash(copy)
    (copy / "generation_config.json").write_text('{"num_beams": 1}')
    assert folder_hash(copy) != before


def test_hub_id_resolves_to_its_snapshot_and_commit(tiny_model):
    snapshot = _install_in_hub_cache(tiny_model, "test-org/tiny-ar-en", "b" * 40)
    model = locate_model("test-org/tiny-ar-en", offline=True)
    assert model.path == snapshot and model.revision == "b" * 40


def test_hub_id_translates_through_the_same_path(tiny_model, tmp_path):
    _install_in_hub_cache(tiny_model, "test-org/tiny-ar-en", "b" * 40)
    by_id = Translator.from_options("test-org/tiny-ar-en", engine="transformers", offline=True, use_cache=False)
    by_folder = Translator.from_options(str(tiny_model), engine="transformers", use_cache=False)
    text = "قصف روسي على حلب"
    assert by_id.translate(text).sentences[0].translation == by_folder.translate(text).sentences[0].translation
    assert "test-org/tiny-ar-en@" + "b" * 40 in str(by_id.signature)


def test_missing_model_offline_names_model_place_and_fix():
    with pytest.raises(ModelNotFoundError) as error:
        locate_model("Helsinki-NLP/opus-mt-ar-en", offline=True)
    message = str(error.value)
    assert "Helsinki-NLP/opus-mt-ar-en" in message
    assert os.environ["HF_HUB_CACHE"] in message
    assert "offline mode is on" in message
    # The library says what is wrong; the CLI adds the commands that fix it.
    from translate.cli import error_line

    line = error_line(error.value)
    assert "translate download Helsinki-NLP/opus-mt-ar-en" in line and "--model PATH" in line


@pytest.mark.parametrize("model", ["./no/such/folder", "/no/such/folder", "not a model"])
def test_missing_folder_is_a_clear_error(model):
    with pytest.raises(ModelNotFoundError, match="does not exist"):
        locate_model(model)


def test_folder_without_a_model(tmp_path):
    with pytest.raises(ModelNotFoundError, match="no config.json"):
        locate_model(str(tmp_path))
