"""The plain install translates: the main jobs need nothing that only an extra brings.

``pip install -e .`` (no extras) must translate. A dependency missing from
``pyproject.toml`` stays hidden wherever something else happens to install it:
protobuf came only with Ray (the cluster extra), and sentencepiece imports it
lazily, at the first word alignment, so no reading of our own imports finds it.
So the jobs are run for real in a fresh process (tests/default_path.py) that sees
only the distributions the declared dependencies bring (their own requirements
followed, with the extras each asks for), as a fresh virtual environment would.
.ci/run also runs the README's commands in such an environment, for real.
"""
from __future__ import annotations

import importlib.metadata
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

tomllib = pytest.importorskip("tomllib")


def declared(pyproject: Path = ROOT / "pyproject.toml") -> list[Requirement]:
    """The plain install's requirements: ``[project] dependencies``, no extras."""
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    return [Requirement(line) for line in project["dependencies"]]


def installed_closure(requirements: list[Requirement]) -> set[str]:
    """The distributions the requirements bring, following each installed one's own
    requirements (with the extras asked of it; markers evaluated for this machine)."""
    brought: set[str] = set()
    todo = [(canonicalize_name(r.name), frozenset(r.extras)) for r in requirements
            if r.marker is None or r.marker.evaluate({"extra": ""})]
    seen = set()
    while todo:
        name, extras = todo.pop()
        if (name, extras) in seen:
            continue
        seen.add((name, extras))
        try:
            distribution = importlib.metadata.distribution(name)
        except importlib.metadata.PackageNotFoundError:
            continue  # a requirement this machine does not need (or lacks: the job would fail first)
        brought.add(name)
        for line in distribution.requires or []:
            requirement = Requirement(line)
            if requirement.marker is None or any(requirement.marker.evaluate({"extra": extra})
                                                 for extra in extras | {""}):
                todo.append((canonicalize_name(requirement.name), frozenset(requirement.extras)))
    return brought


def run_main_jobs(model: Path, work: Path, requirements: list[Requirement]) -> subprocess.CompletedProcess:
    """tests/default_path.py in a fresh process, seeing only what ``requirements`` bring
    (and this checkout, the package under test)."""
    work.mkdir(parents=True, exist_ok=True)
    allowed = work / "allowed.json"
    allowed.write_text(json.dumps(sorted(installed_closure(requirements))), encoding="utf-8")
    return subprocess.run([sys.executable, str(ROOT / "tests" / "default_path.py"), str(model), str(work),
                           str(allowed)], capture_output=True, text=True, timeout=600,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})


def test_the_main_jobs_run_with_only_what_the_plain_install_brings(tiny_model, tmp_path):
    run = run_main_jobs(tiny_model, tmp_path, declared())
    hidden = json.loads((tmp_path / "hidden.json").read_text()) if (tmp_path / "hidden.json").exists() else []
    assert run.returncode == 0, f"the CLI, the library or the page failed without the extras:\n{run.stderr[-3000:]}"
    # The run was not vacuous: libraries did look for packages outside the plain install, and did without them.
    assert hidden, "nothing was hidden from the jobs, so this test proves nothing on this machine"


def test_the_check_fails_without_a_dependency_the_jobs_need(tiny_model, tmp_path):
    """The pyproject.toml of issue 17, without protobuf: the word alignment's ImportError."""
    without = [r for r in declared() if canonicalize_name(r.name) != "protobuf"]
    if "protobuf" in installed_closure(without):
        pytest.skip("another declared dependency brings protobuf on this machine")
    run = run_main_jobs(tiny_model, tmp_path, without)
    assert run.returncode != 0 and "protobuf" in run.stderr


@pytest.mark.parametrize("line, extras_brought", [
    ("packaging>=20", {"packaging"}),
    ("pypdf[crypto]>=5.0", {"pypdf", "cryptography"}),
])
def test_the_closure_follows_requirements_and_their_extras(line, extras_brought):
    assert extras_brought <= installed_closure([Requirement(line)])
