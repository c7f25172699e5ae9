"""Crashes and concurrency on real processes and a real SQLite file."""
from __future__ import annotations

import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

from conftest import cache_with_converted_model, wait_until

ROOT = Path(__file__).resolve().parent.parent
SUMMARY = re.compile(r"translated (\d+) sentences? \((\d+) from cache\)")


def _article(seed_text: str, count: int, seed: int) -> str:
    """``count`` distinct Arabic sentences made of the seed's words."""
    words = re.findall(r"[\u0621-\u064A]+", seed_text)
    rng = random.Random(seed)
    return "\n".join(" ".join(rng.choices(words, k=rng.randint(4, 12))) + "." for _ in range(count)) + "\n"


def _cli(tiny_model, *args) -> list[str]:
    # CTranslate2 with the model converted beforehand: processes start without torch.
    return [sys.executable, "-m", "translate", *map(str, args), "--model", str(tiny_model),
            "--engine", "ctranslate2", "--device", "cpu", "--quiet", "--beams", "2"]


def _rows(cache: Path) -> int:
    try:
        with sqlite3.connect(cache / "translations.sqlite3", timeout=30) as connection:
            return connection.execute("SELECT count(*) FROM translations").fetchone()[0]
    except sqlite3.Error:
        return 0


def _integrity(cache: Path) -> str:
    with sqlite3.connect(cache / "translations.sqlite3") as connection:
        return connection.execute("PRAGMA integrity_check").fetchone()[0]


def test_kill_9_halfway_loses_nothing(tiny_model, tiny_converted, tmp_path, seed_text):
    source = tmp_path / "long.ar.txt"
    source.write_text(_article(seed_text, 400, seed=1), encoding="utf-8")
    cache = cache_with_converted_model(tiny_converted, tmp_path / "cache")
    out = tmp_path / "out"
    env = dict(os.environ, TRANSLATE_CACHE_DIR=str(cache))
    command = _cli(tiny_model, source, "--out", out, "--batch-size", "2")
    process = subprocess.Popen(command, env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL)
    # Kill it as soon as some sentences are stored: a condition, not a time.
    wait_until(lambda: _rows(cache) >= 6 or process.poll() is not None, 240)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL, "the run finished before it could be killed"
    finished_before = _rows(cache)
    assert 6 <= finished_before < 400
    assert _integrity(cache) == "ok"
    # No output, and no half-written one, is left by the killed run.
    assert not out.exists() or [p.name for p in out.iterdir()] == []

    rerun = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    total, from_cache = map(int, SUMMARY.search(rerun.stderr).groups())
    assert total == 400
    assert from_cache == finished_before  # every sentence finished before the kill: none translated twice
    assert _rows(cache) == 400
    assert _integrity(cache) == "ok"
    assert len((out / "long.en.txt").read_text(encoding="utf-8").splitlines()) == 400


def test_four_processes_on_overlapping_inputs_share_one_cache(tiny_model, tiny_converted, tmp_path, seed_text):
    inputs = tmp_path / "in"
    inputs.mkdir()
    for name, seed in zip("abcd", range(4)):
        (inputs / f"{name}.ar.txt").write_text(_article(seed_text, 12, seed), encoding="utf-8")
    groups = [("a", "b"), ("b", "c"), ("c", "d"), ("d", "a")]

    # Reference: one process, its own cache.
    reference = tmp_path / "reference"
    reference_cache = cache_with_converted_model(tiny_converted, tmp_path / "reference-cache")
    subprocess.run(_cli(tiny_model, inputs, "--out", reference), check=True, capture_output=True,
                   env=dict(os.environ, TRANSLATE_CACHE_DIR=str(reference_cache)))

    cache = cache_with_converted_model(tiny_converted, tmp_path / "cache")
    env = dict(os.environ, TRANSLATE_CACHE_DIR=str(cache))
    processes = [
        subprocess.Popen(_cli(tiny_model, *(inputs / f"{n}.ar.txt" for n in group), "--out",
                              tmp_path / f"out{i}", "--batch-size", "4"),
                         env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
        for i, group in enumerate(groups)
    ]
    for process in processes:
        _, stderr = process.communicate(timeout=600)
        assert process.returncode == 0, stderr
        assert "locked" not in stderr and "warning" not in stderr, stderr
    for i, group in enumerate(groups):
        for name in group:
            produced = (tmp_path / f"out{i}" / f"{name}.en.txt").read_text(encoding="utf-8")
            assert produced == (reference / f"{name}.en.txt").read_text(encoding="utf-8")
    assert _integrity(cache) == "ok"
    assert _rows(cache) == 48
