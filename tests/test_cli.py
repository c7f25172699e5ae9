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
SUMMARY = re.compile(r"^translated (\d+) sentences? \((\d+) from cache\) in \d+\.\d s(; (\d+) files? up to date)?$")


def run_cli(capsys, *args) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def summary(stderr: str) -> tuple[int, int]:
    """(sentences translated, from cache) of the last stderr line."""
    match = SUMMARY.match(stderr.strip().splitlines()[-1])
    assert match, f"last stderr line is not the summary: {stderr!r}"
    return int(match[1]), int(match[2])


def up_to_date(stderr: str) -> int:
    match = SUMMARY.match(stderr.strip().splitlines()[-1])
    return int(match[4] or 0)


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


def test_rerun_skips_what_is_up_to_date_and_redoes_what_changed(capsys, tmp_path, model_args):
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    (folder / "a.ar.txt").write_text("قصف روسي على حلب\nتركيا تطالب بوقف الهجمات\n", encoding="utf-8")
    (folder / "b.ar.txt").write_text("وأعلنت فصائل المعارضة السيطرة على مبنى القصر البلدي.\n", encoding="utf-8")
    code, _, stderr = run_cli(capsys, folder, "--out", out, *model_args)
    assert code == 0 and summary(stderr) == (3, 0)
    # The same command again: nothing to do, and it says so (it used to exit 1: "exists").
    code, _, stderr = run_cli(capsys, folder, "--out", out, *model_args)
    assert code == 0 and summary(stderr) == (0, 0) and up_to_date(stderr) == 2
    # A changed input is translated again, its unchanged sentence from the cache.
    (folder / "a.ar.txt").write_text("قصف روسي على حلب\nوقال المرصد إن القصف استمر\n", encoding="utf-8")
    code, _, stderr = run_cli(capsys, folder, "--out", out, *model_args)
    assert code == 0 and summary(stderr) == (2, 1) and up_to_date(stderr) == 1
    # Other settings (beams) make a different translation: everything again.
    code, _, stderr = run_cli(capsys, folder, "--out", out, *model_args, "--beams", "2")
    assert code == 0 and summary(stderr) == (3, 0) and up_to_date(stderr) == 0
    # Another format is another output; the txt ones stay up to date.
    code, _, stderr = run_cli(capsys, folder, "--out", out, *model_args, "--beams", "2", "--format", "txt,md")
    assert code == 0 and summary(stderr) == (3, 3)
    assert (out / "a.en.md").exists() and (out / "b.en.md").exists()


def test_output_edited_by_hand_is_never_overwritten_without_force(capsys, tmp_path, model_args):
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    (folder / "a.ar.txt").write_text("قصف روسي على حلب\n", encoding="utf-8")
    assert run_cli(capsys, folder, "--out", out, *model_args)[0] == 0
    (out / "a.en.txt").write_text("Russian shelling of Aleppo (checked by an editor)\n", encoding="utf-8")
    (folder / "a.ar.txt").write_text("قصف روسي على حلب اليوم\n", encoding="utf-8")
    code, _, stderr = run_cli(capsys, folder, "--out", out, *model_args)
    assert code == 1 and "edited since it was written" in stderr and "pass --force" in stderr
    assert "checked by an editor" in (out / "a.en.txt").read_text(encoding="utf-8")
    code, _, stderr = run_cli(capsys, folder, "--out", out, *model_args, "--force")
    assert code == 0 and "editor" not in (out / "a.en.txt").read_text(encoding="utf-8")


def test_existing_file_not_written_by_us_needs_force(capsys, tmp_path, model_args):
    out = tmp_path / "out"
    (out).mkdir()
    (out / "aleppo-offensive.en.txt").write_text("keep me")
    code, _, stderr = run_cli(capsys, ROOT / "seeds", "--out", out, *model_args)
    assert code == 1 and "not written by this tool" in stderr and "pass --force" in stderr
    assert (out / "aleppo-offensive.en.txt").read_text() == "keep me"


@pytest.mark.parametrize("where", ["inside", "same"])
def test_outputs_are_never_read_as_inputs(capsys, tmp_path, model_args, where):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.ar.txt").write_text("قصف روسي على حلب\n", encoding="utf-8")
    out = folder / "english" if where == "inside" else folder
    for _ in range(3):
        code, _, stderr = run_cli(capsys, folder, "--out", out, *model_args)
        assert code == 0, stderr
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.txt"))
    assert "a.en.txt" in written and not any(".en.en." in name for name in written)


def test_stdin_with_out_writes_stdin_file(capsys, tmp_path, monkeypatch, model_args):
    import io

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO("قصف روسي على حلب".encode())))
    code, stdout, stderr = run_cli(capsys, "-", "--out", tmp_path / "out", *model_args)
    assert code == 0 and stdout == ""
    assert (tmp_path / "out" / "stdin.en.txt").read_text(encoding="utf-8").strip()


def test_a_file_named_like_a_command_can_be_translated(capsys, tmp_path, monkeypatch, model_args):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "cache").write_text("قصف روسي على حلب", encoding="utf-8")
    code, stdout, stderr = run_cli(capsys, "batch", "cache", *model_args)
    assert code == 0 and stdout.strip(), stderr
    assert summary(stderr) == (1, 0)


def test_summary_is_printed_on_errors_too(capsys, tmp_path):
    source = tmp_path / "a.txt"
    source.write_text("قصف روسي على حلب", encoding="utf-8")
    code, _, stderr = run_cli(capsys, source, "--offline", "--model", "test-org/missing", "--engine", "transformers")
    assert code == 1
    assert summary(stderr) == (0, 0)


def test_info_prints_the_signature(capsys, model_args):
    code, stdout, _ = run_cli(capsys, "info", *model_args[:-1])
    assert code == 0
    assert "signature: translate-ar-en:" in stdout and "engine:transformers-" in stdout and "gen:beams=4" in stdout


def test_version(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0 and re.fullmatch(r"translate-ar-en \d+\.\d+\.\d+\n", capsys.readouterr().out)


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

    text = "قصف روسي على حلب\nتركيا تطالب بوقف الهجمات"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode())))
    code, stdout, stderr = run_cli(capsys, "-", *model_args)
    assert code == 0
    assert len(stdout.strip().splitlines()) == 2
    assert summary(stderr) == (2, 0)


def test_jsonl_has_one_object_per_sentence(capsys, tmp_path, model_args):
    out = tmp_path / "out"
    code, _, _ = run_cli(capsys, ROOT / "seeds", "--out", out, "--format", "jsonl", *model_args)
    assert code == 0
    rows = [json.loads(line) for line in (out / "aleppo-offensive.en.jsonl").read_text(encoding="utf-8").splitlines()]
    header, rows = rows[0], rows[1:]
    assert header["sentences"] == 22 and header["signature"].startswith("translate-ar-en:")
    assert len(rows) == 22
    assert set(rows[0]) == {"document", "paragraph", "index", "source", "translation", "score", "cached", "flags",
                            "alignment", "origin"}
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
    assert stderr.strip().splitlines()[-2].startswith(
        "translate: error: model Helsinki-NLP/opus-mt-ar-en is not in the local Hugging Face cache")
    assert summary(stderr) == (0, 0)
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


@pytest.mark.parametrize("command", [[], ["batch"], ["download"], ["cache"], ["info"]])
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
def test_subprocess_faces(tiny_model, tiny_converted, tmp_path, launcher):
    from conftest import cache_with_converted_model

    if not Path(launcher[0]).exists():
        pytest.fail(f"console script {launcher[0]} is missing: run `pip install -e .`")
    out = tmp_path / "out"
    cache_with_converted_model(tiny_converted, tmp_path / "cache")
    command = launcher + ["seeds/", "--out", str(out), "--model", str(tiny_model), "--engine", "ctranslate2",
                          "--device", "cpu"]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300,
                            env=_env(tmp_path))
    assert result.returncode == 0, result.stderr
    assert (out / "aleppo-offensive.en.txt").exists()
    assert summary(result.stderr) == (22, 0)
    again = subprocess.run(command + ["--force"], cwd=ROOT, capture_output=True, text=True, timeout=300,
                           env=_env(tmp_path))
    assert summary(again.stderr) == (22, 22)
    assert "\r" not in again.stderr  # no progress bar drawn into a file


def _env(tmp_path):
    import os

    return dict(os.environ, TRANSLATE_CACHE_DIR=str(tmp_path / "cache"))


def test_download_without_network_is_one_clear_line(capsys):
    # The test session is offline (HF_HUB_OFFLINE=1), as a machine without internet would be.
    code, stdout, stderr = run_cli(capsys, "download", "Helsinki-NLP/opus-mt-ar-en")
    assert code == 1
    assert stderr.startswith("translate: error: could not download model Helsinki-NLP/opus-mt-ar-en")
    assert "--model PATH" in stderr and "Traceback" not in stderr
    assert "Got:" not in stderr


def test_the_summary_counts_in_words():
    from translate.batch import BatchReport, FileResult

    def summary(sentences, cached, up_to_date):
        files = [FileResult(label="a", status="translated", sentences=sentences, cached=cached)]
        files += [FileResult(label=f"u{i}", status="up to date") for i in range(up_to_date)]
        return BatchReport(files=files, seconds=0.25).summary()

    assert summary(1, 0, 0) == "translated 1 sentence (0 from cache) in 0.2 s"
    assert summary(2, 1, 1) == "translated 2 sentences (1 from cache) in 0.2 s; 1 file up to date"
    assert summary(1234, 0, 12) == "translated 1,234 sentences (0 from cache) in 0.2 s; 12 files up to date"


def _bug(*args, **kwargs):
    raise RuntimeError("a bug deep in the library")


@pytest.mark.parametrize("target, argv, doing", [
    ("translate.readers.read_document", ["seeds/aleppo-offensive.ar.txt", "--out", "OUT"], "translating"),
    ("translate.cluster.parts.dataset_files", ["archive.jsonl", "--out", "OUT"], "translating"),
    ("translate.store.memory.TranslationMemory.entries", ["memory", "list"], "working on your translation memory"),
    ("translate.store.cache.TranslationCache.stats", ["cache", "stats"], "working on the cache"),
    ("translate.engines.model_files.download_model", ["download", "Helsinki-NLP/opus-mt-ar-en"],
     "downloading the model"),
])
def test_an_unexpected_failure_is_one_line_naming_a_log_with_the_traceback(capsys, tmp_path, monkeypatch, target,
                                                                            argv, doing, model_args):
    monkeypatch.setattr(target, _bug)
    (tmp_path / "archive.jsonl").write_text('{"id": 1, "text": "قصف روسي على حلب"}\n', encoding="utf-8")
    argv = [str(ROOT / a) if a.startswith("seeds/") else str(tmp_path / a) if a in ("archive.jsonl", "OUT") else a
            for a in argv]
    code, stdout, stderr = run_cli(capsys, *argv, *(model_args if "--out" in argv else []))
    assert code == 1 and "Traceback" not in stderr + stdout
    errors = [line for line in stderr.splitlines() if line.startswith("translate: error: ")]
    assert len(errors) == 1, stderr
    match = re.fullmatch(rf"translate: error: {doing} failed unexpectedly: a bug deep in the library "
                         r"\(the details are in (\S+\.log)\)", errors[0])
    assert match, errors[0]
    log_file = Path(match[1])
    assert "Traceback" in log_file.read_text(encoding="utf-8") and "RuntimeError" in log_file.read_text()
    log_file.unlink()


def test_verbose_prints_the_traceback_of_an_unexpected_failure(capsys, monkeypatch):
    monkeypatch.setattr("translate.store.cache.TranslationCache.stats", _bug)
    code, _, stderr = run_cli(capsys, "cache", "stats", "--verbose")
    assert code == 1
    assert "Traceback" in stderr and stderr.strip().splitlines()[-1].startswith("translate: error: working on")
    Path(re.search(r"the details are in (\S+\.log)", stderr)[1]).unlink()
