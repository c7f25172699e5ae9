"""The reader page's ES modules (translate/web/static/*.js) tested on their own, with
node's built-in test runner (tests/js/*.test.js, no npm package), against what the
Python side computes: the settings the page sends, words as str.split() cuts them,
the view data and the English of a real (tiny-model) translation, the word links.

Node missing is a skip with its reason on a developer's machine, and a failure
under CI (CI=true), as for Chromium.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import program_or_skip

from translate.inputs import has_visible_text
from translate.web.layout import element_ids
from translate.web.service import ReaderService
from translate.web.view import view_data

ROOT = Path(__file__).resolve().parent.parent
TESTS = sorted((ROOT / "tests" / "js").glob("*.test.js"))
ODD_TEXTS = ["a\u00a0b\u2009c", "x\u200by\ufeffz", "\x1cp\x1dq\x85r", "  ", "", "tab\tnew\nline\u3000end",
             "قصف\u202fروسي على\u2028حلب", "\u200f\u200e", "\u061c", "حلب 2017."]


def node_path() -> str:
    """Node.js (a skip without it, a failure under CI: conftest.program_or_skip)."""
    return program_or_skip(("node",), "Node.js", "apt-get install nodejs", "test the page's modules with node --test")


def test_the_pages_modules_pass_their_own_tests(translator, tmp_path):
    node = node_path()
    document = translator.translate("قصف روسي على حلب\nفي عام 2017 قصف روسي. وأعلنت الفصائل سيطرتها على تلة.\n\n"
                                    "<b>Latin</b> & more.")
    view = view_data(document, "run-1")
    fixtures = {
        "settings": _settings(translator),
        "splits": [[text, text.split()] for text in ODD_TEXTS],
        "visible": [[text, has_visible_text(text)] for text in ODD_TEXTS],
        "view": view,
        "english": document.translation_text(),
        "links": [[result, [list(link) for link in pair.alignment]]
                  for pair, (_, _, result) in zip(document.sentences, view["pairs"])],
    }
    path = tmp_path / "fixtures.json"
    path.write_text(json.dumps(fixtures, ensure_ascii=False), encoding="utf-8")
    assert TESTS, "no module tests found under tests/js"
    run = subprocess.run([node, "--test", *map(str, TESTS)], cwd=ROOT, capture_output=True, text=True, timeout=300,
                         env={**os.environ, "READER_FIXTURES": str(path)})
    print(run.stdout[-3000:])
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-3000:]
    passed = re.search(r"^# pass (\d+)$", run.stdout, re.M)
    assert "# fail 0" in run.stdout and passed and int(passed.group(1)) > len(TESTS)  # several tests a file


def _settings(translator) -> dict:
    from translate.web.components import browser_settings

    return browser_settings(ReaderService(translator, samples_dir=None), element_ids())


@pytest.mark.parametrize("ci, outcome", [("", pytest.skip.Exception), ("true", pytest.fail.Exception)])
def test_a_missing_node_is_a_skip_with_its_reason_except_under_ci(monkeypatch, ci, outcome):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    monkeypatch.setenv("CI", ci)
    with pytest.raises(outcome, match="Node.js is not installed"):
        node_path()
