"""Where the cache lives: --cache-dir, $TRANSLATE_CACHE_DIR, the checkout's cache/,
else the per-user cache folder; never the working directory by accident."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from translate import config

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def no_env(monkeypatch):
    monkeypatch.delenv(config.CACHE_DIR_ENV, raising=False)


def test_explicit_folder_comes_first(monkeypatch, tmp_path):
    monkeypatch.setenv(config.CACHE_DIR_ENV, str(tmp_path / "from-env"))
    assert config.cache_dir(tmp_path / "explicit") == tmp_path / "explicit"


def test_environment_comes_before_the_checkout(monkeypatch, tmp_path):
    monkeypatch.setenv(config.CACHE_DIR_ENV, str(tmp_path / "from-env"))
    assert config.cache_dir() == tmp_path / "from-env"


def test_a_relative_folder_is_made_absolute_once(monkeypatch, tmp_path, no_env):
    monkeypatch.chdir(tmp_path)
    assert config.cache_dir("mine") == tmp_path / "mine"


def test_from_a_checkout_the_default_is_its_cache_folder_whatever_the_working_directory(
        monkeypatch, tmp_path, no_env):
    checkout = Path(config.__file__).resolve().parents[1]  # the checkout this package was imported from
    found = []
    for where in (checkout, tmp_path, Path("/")):
        monkeypatch.chdir(where)
        found.append(config.cache_dir())
    assert found == [checkout / "cache"] * 3
    assert not (tmp_path / "cache").exists()


def _copy_package(destination: Path) -> None:
    shutil.copytree(ROOT / "translate", destination / "translate",
                    ignore=shutil.ignore_patterns("__pycache__"))


@pytest.mark.parametrize("layout", ["installed", "checkout without cache/", "checkout"])
def test_default_folder_for_each_layout(tmp_path, layout):
    site = tmp_path / "site"
    _copy_package(site)
    if layout != "installed":
        (site / "pyproject.toml").write_text("[project]\nname = 'translate-ar-en'\n")
    if layout == "checkout":
        (site / "cache").mkdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k != config.CACHE_DIR_ENV}
    env.update(PYTHONPATH=str(site), XDG_CACHE_HOME=str(tmp_path / "user-cache"))
    done = subprocess.run(
        [sys.executable, "-c", "from translate import config; print(config.cache_dir())"],
        cwd=elsewhere, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    expected = site / "cache" if layout == "checkout" else tmp_path / "user-cache" / config.CACHE_APP_NAME
    assert Path(done.stdout.strip()) == expected
    # Choosing a folder creates nothing: not the folder, not a stray ./cache.
    assert list(elsewhere.iterdir()) == [] and not (tmp_path / "user-cache").exists()
