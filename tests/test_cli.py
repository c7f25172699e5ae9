"""The CLI, in-process and as real subprocesses, on the tiny model."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from translate.cli import main

ROOT = Path(__file__).resolve().parent.parent
SUMMARY = re.compile(r"^translated (\d+) sentences \((\d+) from cache\) in \d+\.\d s$")


def run_cli(capsys, *args) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def summary(stderr: str) -> tuple[int, int]:
    match = SUMMARY.match(stderr.strip().splitlines()[-1])
    assert match, f"last stderr line is not the summary: {stderr!r}"
    return int(match[1]), int(match[2])


@pytest.fixture
def model_args(tiny_model):
    return ["--model", tiny_model, "--engine", "transformers", "--quiet"]


def test_batch_translates_a_folder_then_serves_it_from_cache(capsys, tmp_path, model_args, seed_text):
    out = tmp_path / "out"
    code, stdout, stderr = run_cli(capsys, ROOT / "seeds", "--out", out, *model_args, "--verbose")
    assert code == 0, stderr
    english = (out / "aleppo-offensive.en.txt").read_text(encoding="utf-8")
    assert english.count("\n") == seed_text.count("\n") + (0 if seed_text.endswith("\n") else 1)
    assert summary(stderr) == (22, 0)
    assert "loaded" in stderr

    code, _, stderr = run_cli(capsys, ROOT / "seeds", "--out", out, "--force", *model_args, "--verbose")
    assert code == 0
    assert summary(stderr) == (22, 22)
    assert "loaded" not in stderr  # fully cached: the model is not even loaded
    assert (out / "aleppo-offensive.en.txt").read_text(encoding="utf-8") == english


def test_existing_output_needs_force(capsys, tmp_path, model_args):
    out = tmp_path / "out"
    (out).mkdir()
    (out / "aleppo-offensive.en.txt").write_text("keep me")
    code, _, stderr = run_cli(capsys, ROOT / "seeds", "--out", out, *model_args)
    assert code == 1 and "pass --force" in stderr
    assert (out / "aleppo-offensive.en.txt").read_text() == "keep me"


def test_bad_inputs_get_one_line_each_and_the_rest_is_translated(capsys, tmp_path, model_args):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.ar.txt").write_text("قصف روسي على حلب\n", encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 20)
    (folder / "cp1256.txt").write_bytes("تدور اشتباكات عنيفة في مدينة حلب.".encode("cp1256"))
    out = tmp_path / "out"
    code, _, stderr = run_cli(capsys, folder, tmp_path / "missing.txt", "--out", out, *model_args)
    assert code == 1
    assert "Traceback" not in stderr
    errors = [line for line in stderr.splitlines() if line.startswith("translate: error:")]
    assert len(errors) == 4, stderr
    assert any("empty.txt: is empty" in e for e in errors)
    assert any("binary.txt" in e and "binary" in e for e in errors)
    assert any("cp1256.txt" in e and "--encoding cp1256" in e for e in errors)
    assert any("missing.txt: no such file" in e for e in errors)
    assert (out / "good.en.txt").read_text(encoding="utf-8").strip()
    assert summary(stderr) == (1, 0)


def test_encoding_option_reads_windows_1256(capsys, tmp_path, model_args):
    source = tmp_path / "old.txt"
    source.write_bytes("قصف روسي على حلب".encode("cp1256"))
    code, stdout, stderr = run_cli(capsys, source, "--encoding", "cp1256", *model_args)
    assert code == 0 and stdout.strip()


def test_stdin_to_stdout(capsys, monkeypatch, model_args):
    import io

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO("قصف روسي على حلب\nتركيا تطالب بوقف الهجمات".encode())))
    code, stdout, stderr = run_cli(capsys, "-", *model_args)
    assert code == 0
    assert len(stdout.strip().splitlines()) == 2
    assert summary(stderr) == (2, 0)


def test_jsonl_has_one_object_per_sentence(capsys, tmp_path, model_args):
    out = tmp_path / "out"
    code, _, _ = run_cli(capsys, ROOT / "seeds", "--out", out, "--format", "jsonl", *model_args)
    assert code == 0
    rows = [json.loads(line) for line in (out / "aleppo-offensive.en.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 22
    assert set(rows[0]) == {"document", "paragraph", "index", "source", "translation", "score", "cached", "flags"}
    assert [r["index"] for r in rows] == list(range(22))


def test_html_output_is_bilingual_and_escaped(capsys, tmp_path, model_args):
    source = tmp_path / "x.ar.txt"
    source.write_text("قال <script>alert(1)</script> المتحدث.\n", encoding="utf-8")
    out = tmp_path / "out"
    code, _, _ = run_cli(capsys, source, "--out", out, "--format", "html", *model_args)
    assert code == 0
    page = (out / "x.en.html").read_text(encoding="utf-8")
    assert 'dir="rtl" lang="ar"' in page
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_missing_model_offline_is_one_clear_line(capsys, tmp_path):
    source = tmp_path / "a.txt"
    source.write_text("قصف روسي على حلب", encoding="utf-8")
    code, _, stderr = run_cli(capsys, source, "--offline", "--engine", "transformers")
    assert code == 1
    assert stderr.strip().splitlines()[-1].startswith(
        "translate: error: model Helsinki-NLP/opus-mt-ar-en is not in the local Hugging Face cache")
    assert "Traceback" not in stderr


def test_unwritable_output_folder(capsys, tmp_path, model_args):
    source = tmp_path / "a.txt"
    source.write_text("قصف روسي على حلب", encoding="utf-8")
    code, _, stderr = run_cli(capsys, source, "--out", "/proc/self/out", *model_args)
    assert code == 1 and "cannot create output folder /proc/self/out" in stderr


def test_cache_stats_and_clear(capsys, tmp_path, model_args):
    cache = tmp_path / "c"
    run_cli(capsys, ROOT / "seeds", "--cache-dir", cache, *model_args)
    code, stdout, _ = run_cli(capsys, "cache", "stats", "--cache-dir", cache)
    assert code == 0 and "22 translations" in stdout
    code, stdout, _ = run_cli(capsys, "cache", "clear", "--cache-dir", cache)
    assert code == 0 and "removed 22" in stdout


@pytest.mark.parametrize("command", [[], ["download"], ["cache"]])
def test_every_command_has_help(capsys, command):
    with pytest.raises(SystemExit) as exit_:
        main(command + ["--help"])
    assert exit_.value.code == 0
    assert len(capsys.readouterr().out) > 100


@pytest.mark.parametrize("bad", [["--beams", "0", "x.txt"], ["--format", "pdf", "x.txt"], []])
def test_bad_options_exit_2(capsys, bad):
    try:
        code = main(bad)
    except SystemExit as exit_:  # argparse's own usage errors
        code = exit_.code
    assert code == 2
    assert "Traceback" not in capsys.readouterr().err


@pytest.mark.parametrize(
    "launcher",
    [[sys.executable, "app.py", "--batch"], [sys.executable, "-m", "translate"],
     [str(Path(sys.executable).with_name("translate"))]],
    ids=["app.py --batch", "python -m translate", "console script"],
)
def test_subprocess_faces(tiny_model, tmp_path, launcher):
    if not Path(launcher[0]).exists():
        pytest.fail(f"console script {launcher[0]} is missing: run `pip install -e .`")
    out = tmp_path / "out"
    command = launcher + ["seeds/", "--out", str(out), "--model", str(tiny_model), "--engine", "transformers"]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300,
                            env=_env(tmp_path))
    assert result.returncode == 0, result.stderr
    assert (out / "aleppo-offensive.en.txt").exists()
    assert summary(result.stderr) == (22, 0)
    again = subprocess.run(command + ["--force"], cwd=ROOT, capture_output=True, text=True, timeout=300,
                           env=_env(tmp_path))
    assert summary(again.stderr) == (22, 22)


def _env(tmp_path):
    import os

    return dict(os.environ, TRANSLATE_CACHE_DIR=str(tmp_path / "cache"))


def test_download_without_network_is_one_clear_line(capsys):
    # The test session is offline (HF_HUB_OFFLINE=1), as a machine without internet would be.
    code, stdout, stderr = run_cli(capsys, "download", "Helsinki-NLP/opus-mt-ar-en")
    assert code == 1
    assert stderr.startswith("translate: error: could not download model Helsinki-NLP/opus-mt-ar-en")
    assert "--model PATH" in stderr and "Traceback" not in stderr
