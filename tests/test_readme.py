"""Every command and snippet of the README runs as written.

The README's fenced ``bash`` and ``python`` blocks are extracted and run in a
fresh folder holding a copy of ``seeds/`` and ``app.py``. The hub cannot be
reached here, so the tiny model is laid out in a private Hugging Face cache under
the real model's name (``Helsinki-NLP/opus-mt-ar-en``): the commands run exactly
as a reader would type them, offline. A command that cannot run here (it needs
the network or a GPU) is checked for what it can be, and says why in CHECKS.
A new command in the README without an entry in CHECKS fails the test.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from conftest import ROOT, free_port, install_in_hub_cache, wait_until
from sample_documents import make_docx

from translate.store.memory import TranslationMemory

README = ROOT / "README.md"
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.M | re.S)

# How each command of the README is checked:
#   run      run it; it must exit 0 (and may be given a file on standard input)
#   serve    start it; the page must answer on its port; then stop it
#   fails    run it; it must fail with one clear error line and no traceback (why: in the comment)
#   ci       .ci/run runs exactly this line (it is the test command itself)
#   network  needs a host this machine cannot reach; checked by running pip's own --help on it
#   elsewhere:TEST  needs a cluster of its own; TEST (which must exist) runs it
CHECKS = {
    "pip install torch --index-url https://download.pytorch.org/whl/cpu": "network",  # download.pytorch.org
    "pip install -e . && python app.py": "serve",  # `pip install -e .` is the CI install without the test extra
    'pip install -e ".[test,cluster]" && pytest': "ci",
    "python app.py": "serve",
    "python app.py --port 8080 --model Helsinki-NLP/opus-mt-tc-big-ar-en --cache-dir ~/.cache/translate": "serve",
    "translate seeds/ --out out/": "run",
    "python app.py --batch seeds/ --out out/": "run",
    "python -m translate seeds/aleppo-offensive.ar.txt": "run",
    "cat seeds/aleppo-offensive.ar.txt | translate -": "run",
    "translate seeds/ --out out/ --format html,jsonl": "run",
    "translate info": "run",
    "translate cache stats": "run",
    "translate cache clear": "run",
    # The hub is unreachable, but the model is in the (private) Hugging Face cache: nothing to fetch.
    "translate download Helsinki-NLP/opus-mt-ar-en": "run",
    "hf download Helsinki-NLP/opus-mt-ar-en": "run",
    "translate report.docx --out out/ --format same,tmx": "run",  # report.docx: a Word file made by the test
    # The web is unreachable from here: one clear error line, nothing else.
    "translate https://www.alaraby.co.uk/politics/some-article --out out/": "fails",
    "printf 'a long passphrase\\n' | translate users add amira --users team.sqlite3": "run",
    "printf 'another long passphrase\\n' | translate users add bilal --users team.sqlite3 --editor": "run",
    "translate users list --users team.sqlite3": "run",
    # Other machines may reach it: sign-in is on (team.sqlite3 is made by the commands above).
    "python app.py --host 0.0.0.0 --users team.sqlite3 --team-memory team-memory.sqlite3": "serve",
    "translate memory list": "run",
    "translate memory export my-translations.tmx": "run",
    "translate memory import colleague.tmx": "run",  # colleague.tmx: a TMX 1.4 file made by the test
    "translate seeds/aleppo-offensive.ar.txt --glossary names.tsv": "run",  # names.tsv: the seed's names
    "pip install -e \".[cluster]\"": "network",  # the cluster extra, from PyPI
    "translate archive.jsonl --out archive-en/": "run",  # archive.jsonl: rows made from the seeds by the test
    "translate archive.jsonl --out archive-en/ --cluster ray": "run",
    "ray start --head": "elsewhere:tests/test_cluster.py::ray_head",
    "translate archive.jsonl --out archive-en/ --ray-address auto --worker-model /models/opus-mt-ar-en":
        "elsewhere:tests/test_cluster.py::test_the_cli_joins_a_ray_head_and_writes_the_local_bytes",
    "curl -s http://127.0.0.1:7860/translate -H \"Content-Type: application/json\" -d '{\"q\": \"قصف روسي على حلب.\", \"source\": \"ar\", \"target\": \"en\"}'":  # noqa: E501 (the README's command, as written)
        "elsewhere:tests/test_libretranslate.py::test_the_readme_curl_example_runs_as_written",
    "translate library index": "run",  # the README's dataset jobs ran before it: it indexes their rows
    "translate library list": "run",
    "translate library search 'إدلب \"محادثات أستانا\"'": "run",  # the seed article is in the library by now
    "translate library search 'Idlib talks' --since 2024-01-01 --source seeds": "run",
    "translate library show 1 --format html > aleppo.html": "run",
    "translate library export library.jsonl": "run",
    # DuckDB's full-text search on a job's Parquet parts (the snippet after it skips without duckdb).
    "pip install duckdb==1.5.5 duckdb-extension-fts==1.5.5": "network",
    "translate archive.jsonl --out archive-parquet/ --format parquet": "run",
    # /models/opus-mt-ar-en is the reader's own folder; here it does not exist: one clear line.
    "translate seeds/ --out out/ --model /models/opus-mt-ar-en --offline": "fails",
}


def readme_blocks(language: str) -> list[str]:
    return [body for lang, body in FENCE.findall(README.read_text(encoding="utf-8")) if lang == language]


def readme_commands() -> list[str]:
    """Each command of the README's bash blocks; a comment's "or: COMMAND" counts too."""
    commands = []
    for block in readme_blocks("bash"):
        for line in block.splitlines():
            command, _, comment = line.partition(" #")
            if command.strip():
                commands.append(" ".join(command.split()))
            alternative = re.search(r"\bor: (.+)$", comment)
            if alternative:
                commands.append(alternative.group(1).strip())
    return commands


@pytest.fixture(scope="module")
def reader_world(tiny_model, tmp_path_factory):
    """A working folder and an environment in which the README's commands run offline."""
    work = tmp_path_factory.mktemp("readme")
    shutil.copytree(ROOT / "seeds", work / "seeds")
    shutil.copy(ROOT / "app.py", work / "app.py")
    (work / "report.docx").write_bytes(make_docx()[0])
    shutil.copy(ROOT / "benchmarks" / "seed_glossary.tsv", work / "names.tsv")
    colleague = TranslationMemory(tmp_path_factory.mktemp("colleague"))
    colleague.remember("وأعلنت تركيا وقف الهجمات.", "Turkey announced an end to the attacks.")
    colleague.export_tmx(work / "colleague.tmx")
    articles = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    (work / "archive.jsonl").write_text("".join(json.dumps({"id": f"a{i}", "text": text}, ensure_ascii=False) + "\n"
                                                for i, text in enumerate(articles)), encoding="utf-8")
    hub = tmp_path_factory.mktemp("hub")
    install_in_hub_cache(tiny_model, "Helsinki-NLP/opus-mt-ar-en", hub)
    cache = tmp_path_factory.mktemp("readme-cache")
    env = dict(os.environ, HF_HUB_CACHE=str(hub), HF_HUB_OFFLINE="1", TRANSLATE_CACHE_DIR=str(cache),
               HOME=str(tmp_path_factory.mktemp("home")), PYTHONPATH=str(ROOT), PYTHONIOENCODING="utf-8",
               RAY_USAGE_STATS_ENABLED="0")
    env.pop("TRANSLATE_MODEL", None)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    # The library's commands name document 1: the seed article, translated before any of them runs.
    subprocess.run(["translate", "seeds/aleppo-offensive.ar.txt"], cwd=work, env=env, capture_output=True,
                   check=True, timeout=300)
    return work, env


def test_every_readme_command_has_a_check():
    missing = [c for c in readme_commands() if c not in CHECKS]
    assert not missing, f"README commands without a check in CHECKS: {missing}"
    stale = [c for c in CHECKS if c not in readme_commands()]
    assert not stale, f"CHECKS entries no longer in the README: {stale}"


def test_quick_start_has_exactly_two_commands_and_ci_runs_the_test_one():
    quick = README.read_text(encoding="utf-8").split("## Quick start", 1)[1].split("\n## ", 1)[0]
    lines = [line.partition(" #")[0].strip() for block in FENCE.findall(quick) for line in block[1].splitlines()]
    lines = [line for line in lines if line]
    assert len(lines) == 2, lines
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert lines[1] in ci
    # The first command's install, no extras, in a fresh virtual environment, then the main job there.
    assert lines[0].startswith("pip install -e . && ")
    assert '"$plain/bin/pip" install -q -e .' in ci and '"$plain/bin/python" .ci/plain_install.py' in ci
    assert ci.index('"$plain/bin/python" .ci/plain_install.py') < ci.index(lines[1])


@pytest.mark.parametrize("command", [c for c, how in CHECKS.items() if how.startswith("elsewhere:")])
def test_readme_cluster_command_has_its_test(command):
    path, _, name = CHECKS[command].removeprefix("elsewhere:").partition("::")
    assert re.search(rf"^def {name}\(", (ROOT / path).read_text(encoding="utf-8"), re.M), CHECKS[command]


@pytest.mark.parametrize("command", [c for c, how in CHECKS.items() if how in ("run", "fails")])
def test_readme_command(reader_world, command):
    work, env = reader_world
    result = subprocess.run(command, shell=True, cwd=work, env=env, capture_output=True, text=True, timeout=300)
    assert "Traceback" not in result.stderr, result.stderr
    if CHECKS[command] == "run":
        assert result.returncode == 0, result.stderr
    else:
        errors = [line for line in result.stderr.splitlines() if "error" in line.lower()]
        assert result.returncode != 0 and errors, result.stderr


@pytest.mark.parametrize("command", [c for c, how in CHECKS.items() if how == "network"])
def test_readme_network_command_is_a_valid_pip_command(command):
    # The index cannot be reached here; pip parses the very same options.
    args = command.split()
    assert args[:2] == ["pip", "install"]
    result = subprocess.run([sys.executable, "-m", "pip", *args[1:], "--dry-run", "--no-index", "--no-deps",
                             "--quiet", "--help"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("command", [c for c, how in CHECKS.items() if how == "serve"])
def test_readme_serve_command(reader_world, command):
    work, env = reader_world
    serve = command.split("&&")[-1].strip()
    # The command as written, on a port free now (another program may hold the README's).
    port = free_port()
    if "--port" in serve:
        serve = re.sub(r"--port \d+", f"--port {port}", serve)
    else:
        env = {**env, "GRADIO_SERVER_PORT": str(port)}
    if "--users team.sqlite3" in serve and not (work / "team.sqlite3").exists():  # when run alone
        from translate.store.users import UserStore

        UserStore(work / "team.sqlite3").add("amira", "a long passphrase")
    process = subprocess.Popen(serve, shell=True, cwd=work, env=env, stderr=subprocess.PIPE, text=True,
                               start_new_session=True)
    try:
        _wait_for_page(f"http://127.0.0.1:{port}/", process)
        if serve == "python app.py":
            _run_client_snippet(env, work, port)
    finally:
        os.killpg(process.pid, 15)
        process.wait(timeout=60)


def _run_client_snippet(env, work, port: int) -> None:
    client_snippet = next(b for b in readme_blocks("python") if "gradio_client" in b)
    client_snippet = client_snippet.replace("127.0.0.1:7860", f"127.0.0.1:{port}")
    result = subprocess.run([sys.executable, "-c", client_snippet], cwd=work, env=env, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "→" in result.stdout


@pytest.mark.parametrize("snippet", [b for b in readme_blocks("python") if "gradio_client" not in b],
                         ids=lambda b: b.splitlines()[0][:40])
def test_readme_python_snippet(reader_world, snippet):
    work, env = reader_world
    if "import duckdb" in snippet:  # the Parquet outputs' search: DuckDB is not in the test extra (70 MB)
        pytest.importorskip("duckdb_extension_fts", reason="pip install duckdb==1.5.5 duckdb-extension-fts==1.5.5")
        if not (work / "archive-parquet").exists():  # the README's command before it, when run alone
            subprocess.run("translate archive.jsonl --out archive-parquet/ --format parquet", shell=True, cwd=work,
                           env=env, check=True, capture_output=True, timeout=300)
    result = subprocess.run([sys.executable, "-c", snippet], cwd=work, env=env, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr
    if "import duckdb" in snippet:  # both searches found the seed article (its Arabic, at least)
        assert "إدلب" in result.stdout, result.stdout


def _wait_for_page(url: str, process: subprocess.Popen, timeout: float = 180) -> None:
    def answers() -> bool:
        assert process.poll() is None, process.stderr.read()
        try:
            return httpx.get(url, timeout=5).status_code == 200
        except httpx.TransportError:
            return False

    wait_until(answers, timeout, f"{url} did not answer in time")
