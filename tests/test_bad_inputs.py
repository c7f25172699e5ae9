"""Every kind of bad input, through the CLI and the Python API: the right
behaviour, one clear line where it is an error, never a traceback."""
from __future__ import annotations

from pathlib import Path

import pytest

from translate import InputError, Translator, read_text
from translate.cli import main

ARABIC = "قصف روسي على حلب"


def _big(path: Path) -> None:
    with path.open("wb") as handle:  # 50 MB of real Arabic text
        line = (ARABIC + ".\n").encode()
        handle.write(line * (50_000_000 // len(line) + 1))


# name → (how to make the file, expected: "error" fragment or a check of the translated document)
CASES = {
    "empty": (lambda p: p.write_bytes(b""), "is empty"),
    "whitespace only": (lambda p: p.write_text(" \n\t\n  \n"), "holds only whitespace"),
    "binary": (lambda p: p.write_bytes(bytes(range(256)) * 40), "looks like a binary file"),
    "windows-1256": (lambda p: p.write_bytes((ARABIC + ".").encode("cp1256")), "looks like Windows-1256 Arabic"),
    "50 MB": (_big, "above the 5.0 MB input limit"),
    "million-character line": (lambda p: p.write_text(("كلمة " * 200_000).strip()),
                               "above the 20,000 limit"),
    "NUL bytes inside text": (lambda p: p.write_bytes(f"{ARABIC}\0.\nتركيا\0 تطالب".encode()),
                              lambda d: len(d.sentences) == 2 and "\0" not in d.text),
    "UTF-16 with BOM": (lambda p: p.write_bytes((ARABIC + "\n").encode("utf-16")),
                        lambda d: d.sentences[0].source == ARABIC),
    "UTF-8 with BOM": (lambda p: p.write_bytes(b"\xef\xbb\xbf" + ARABIC.encode()),
                       lambda d: d.sentences[0].source == ARABIC),
    # Notepad's "Unicode" without a byte-order mark: it used to be called binary.
    "UTF-16LE without BOM": (lambda p: p.write_bytes((ARABIC + ". تركيا تطالب.\n").encode("utf-16-le")),
                             lambda d: [s.source for s in d.sentences] == [ARABIC + ".", "تركيا تطالب."]),
    "UTF-16BE without BOM": (lambda p: p.write_bytes((ARABIC + "\n").encode("utf-16-be")),
                             lambda d: d.sentences[0].source == ARABIC),
    # Walls of marks and ligature signs hold no Arabic word: passed through whole,
    # never cut into thousands of one-character model calls.
    "20,000 harakat": (lambda p: p.write_text("\u064e" * 20_000, encoding="utf-8"),
                       lambda d: len(d.sentences) == 1 and d.sentences[0].translation == d.sentences[0].source),
    "20,000 ﷺ signs": (lambda p: p.write_text("\ufdfa" * 20_000, encoding="utf-8"),
                       lambda d: len(d.sentences) == 1 and d.sentences[0].translation == d.sentences[0].source),
    "English only": (lambda p: p.write_text("The fighters entered Aleppo. Turkey called for calm."),
                     lambda d: all(s.translation == s.source for s in d.sentences)),
    "Latin lines inside Arabic": (
        lambda p: p.write_text(f"{ARABIC}\nhttps://example.com/news?id=1\n#Aleppo #حلب\nprint('hi')\n"),
        lambda d: [s.translation == s.source for s in d.sentences] == [False, True, False, True]),
    "emoji only": (lambda p: p.write_text("🙂🙂 🇸🇾 👍"),
                   lambda d: d.sentences[0].translation == "🙂🙂 🇸🇾 👍"),
    "bidi controls": (lambda p: p.write_text(f"\u202b{ARABIC}.\u202c \u200fتركيا تطالب.\u200f"),
                      lambda d: len(d.sentences) == 2 and all(s.translation for s in d.sentences)),
}


@pytest.fixture
def model_args(tiny_model):
    return ["--model", str(tiny_model), "--engine", "transformers", "--quiet"]


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_cli(case, tmp_path, capsys, model_args):
    make, expected = CASES[case]
    path = tmp_path / "input.txt"
    make(path)
    out = tmp_path / "out"
    code = main([str(path), "--out", str(out), *model_args])
    stderr = capsys.readouterr().err
    assert "Traceback" not in stderr
    if isinstance(expected, str):
        errors = [line for line in stderr.splitlines() if line.startswith("translate: error:")]
        assert code == 1 and len(errors) == 1 and expected in errors[0], stderr
        assert not out.exists() or not any(out.iterdir())
    else:
        assert code == 0, stderr
        assert (out / "input.en.txt").read_text(encoding="utf-8").strip()


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_api(case, tmp_path, tiny_model):
    make, expected = CASES[case]
    path = tmp_path / "input.txt"
    make(path)
    translator = Translator.from_options(str(tiny_model), engine="transformers")
    if isinstance(expected, str):
        with pytest.raises(InputError, match=expected.replace(".", r"\.")):
            translator.translate(read_text(path))
    else:
        assert expected(translator.translate(read_text(path)))


@pytest.mark.parametrize(
    "paths, expected",
    [(["does-not-exist.txt"], "does-not-exist.txt: no such file or folder"),
     (["EMPTY_DIR"], "files in this folder")],
    ids=["missing path", "folder without text files"],
)
def test_cli_paths(paths, expected, tmp_path, capsys, model_args, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "EMPTY_DIR").mkdir()
    (tmp_path / "EMPTY_DIR" / "photo.jpg").write_bytes(b"\xff\xd8")
    code = main([*paths, *model_args])
    stderr = capsys.readouterr().err
    assert code == 1 and expected in stderr and "Traceback" not in stderr


def test_api_missing_path():
    with pytest.raises(InputError, match="no such file"):
        read_text("does-not-exist.txt")


def test_output_folder_that_cannot_be_written(tmp_path, capsys, model_args):
    path = tmp_path / "a.txt"
    path.write_text(ARABIC)
    code = main([str(path), "--out", "/proc/self/out", *model_args])
    stderr = capsys.readouterr().err
    assert code == 1 and "cannot create output folder" in stderr and "Traceback" not in stderr
