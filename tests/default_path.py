"""Run the plain install's main jobs here, with only the plain install's packages visible.

``python tests/default_path.py MODEL_FOLDER WORK_FOLDER ALLOWED_JSON``: every
installed distribution not named in ``ALLOWED_JSON`` (a JSON list of names) is
hidden, as if it were not installed: a module of one cannot be imported, nor
found by ``importlib.util.find_spec``. So a library that imports an optional
package when it is there (IPython, scipy) carries on without it, as in a fresh
``pip install -e .``, while one that needs it fails, as there: sentencepiece's
lazy import of protobuf, at the first word alignment, raised ImportError.

The jobs, with their default options: the CLI on the seed article, the Python
API's ``translate``, and the page's ``/translate`` answered by a real server
over HTTP (the client side uses only the standard library, so it adds nothing).
Exits 0 when all of them translated; the modules asked for but hidden are listed
in ``WORK_FOLDER/hidden.json``.
"""
from __future__ import annotations

import importlib.machinery
import importlib.metadata
import json
import os
import site
import socket
import sys
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = "قصف روسي على حلب. وأعلنت تركيا وقف الهجمات."


def hide_all_but(allowed: set[str]) -> list[str]:
    """Hide the modules of every installed distribution outside ``allowed`` (canonical
    names); returns the list that fills with the names asked for and hidden."""
    site_folders = tuple(os.path.realpath(p) + os.sep for p in [*site.getsitepackages(), site.getusersitepackages()])
    hidden_files = set()
    for distribution in importlib.metadata.distributions():
        name = (distribution.metadata["Name"] or "").lower().replace("_", "-").replace(".", "-")
        if name not in allowed:
            hidden_files.update(os.path.realpath(distribution.locate_file(f)) for f in distribution.files or [])
    asked: list[str] = []

    class PlainInstall(importlib.machinery.PathFinder):
        @classmethod
        def find_spec(cls, fullname, path=None, target=None):
            spec = super().find_spec(fullname, path, target)
            origin = spec is not None and spec.origin and os.path.realpath(spec.origin)
            if origin and origin.startswith(site_folders) and origin in hidden_files:
                asked.append(fullname)
                return None
            return spec

    sys.meta_path[:] = [PlainInstall if finder is importlib.machinery.PathFinder else finder
                        for finder in sys.meta_path]
    sys.path_importer_cache.clear()
    return asked


def call_page(url: str, api_name: str, *data) -> list:
    """One call of a page endpoint through Gradio's HTTP API (POST, then read the event stream)."""
    request = urllib.request.Request(f"{url}gradio_api/call/{api_name}", data=json.dumps({"data": data}).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=300) as response:
        event = json.load(response)["event_id"]
    with urllib.request.urlopen(f"{url}gradio_api/call/{api_name}/{event}", timeout=300) as response:
        lines = response.read().decode("utf-8").splitlines()
    kinds = [line.removeprefix("event: ") for line in lines if line.startswith("event: ")]
    payloads = [line.removeprefix("data: ") for line in lines if line.startswith("data: ")]
    if "complete" not in kinds:
        raise SystemExit(f"/{api_name} did not complete: {lines}")
    return json.loads(payloads[kinds.index("complete")])


def main(model: str, work: str, allowed: str) -> None:
    work_folder = Path(work)
    asked = hide_all_but(set(json.loads(Path(allowed).read_text(encoding="utf-8"))))
    os.environ["TRANSLATE_CACHE_DIR"] = str(work_folder / "cache")

    from translate.cli import main as cli

    code = cli([str(ROOT / "seeds" / "aleppo-offensive.ar.txt"), "--model", model, "--out", str(work_folder / "out")])
    if code != 0:
        raise SystemExit(f"the CLI exited with {code}")

    from translate import Translator

    document = Translator.from_options(model).translate(EXAMPLE)
    if not document.done:
        raise SystemExit("the Python API left sentences untranslated")

    from translate.web.serve import serve

    with socket.socket() as probe:  # a free port
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    app, url = serve(Translator.from_options(model, cache_dir=str(work_folder / "page-cache")), port=port,
                     prevent_thread_lock=True, quiet=True)
    try:
        result = call_page(url, "translate", EXAMPLE)[0]
        if result.get("sentences") != 2 or not result.get("english"):
            raise SystemExit(f"the page's /translate answered {result}")
    finally:
        app.close()
    (work_folder / "hidden.json").write_text(json.dumps(sorted(set(asked))), encoding="utf-8")


if __name__ == "__main__":
    main(*sys.argv[1:])
