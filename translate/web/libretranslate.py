"""LibreTranslate's HTTP API, on the reader's own server: Mastodon, Weblate, browser
add-ons and the LibreTranslate clients can use this tool as their Arabic→English.

The endpoints are LibreTranslate's, at the root (``POST /translate``, ``GET
/languages``, ``POST /detect``, ``GET /frontend/settings``, ``POST /translate_file``
and the ``GET /download_file/…`` its answer names), with its fields (JSON or form)
and its answers; errors are ``{"error": "…"}`` with LibreTranslate's statuses (400
for a bad or missing field or a pair this server has not, 403 for a missing or
wrong key when keys are required, 429 over a key's rate), in our own words.

It is the same pipeline as the page and the CLI, never a second code path: each
request is translated by the translator of the key's user (their translation
memory and glossary; one cache for everyone), so a sentence translated here is a
cache hit on the page and in ``translate``. Requests wait their turn at the model
batch by batch (:class:`~translate.pipeline.fair_lock.FairLock`), so a long text
from one key never holds another key's short one for more than one batch.
"""
from __future__ import annotations

import argparse
import collections
import html
import re
import secrets
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, JSONResponse
from starlette.datastructures import UploadFile  # what a form gives (FastAPI's UploadFile is a subclass)

from .. import config, readers, writers
from ..errors import TranslateError
from ..pipeline import Translator
from ..store.users import UserStore
from ..text import arabic
from ..text.document import segment_document
from ..translation import Translation

#: The one pair this server translates.
SOURCE, TARGET = "ar", "en"
LANGUAGES = [{"code": SOURCE, "name": "Arabic", "targets": [TARGET]},
             {"code": TARGET, "name": "English", "targets": []}]
#: A translated file stays downloadable this long (seconds), then it is removed.
FILE_LIFETIME_S = 3600
#: Elements whose text is not prose: their contents are kept as they are in ``format=html``.
_NOT_PROSE = {"script", "style", "code", "pre", "kbd", "samp", "var", "template"}
_SAFE_NAME = re.compile(r"[^\w.\-]+")


class ApiError(Exception):
    """An answer other than 200: its status and ``{"error": message}``."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


def add_options(parser: argparse.ArgumentParser) -> None:
    """``--api-keys-file``, ``--req-limit`` and ``--char-limit`` (LibreTranslate's names)."""
    group = parser.add_argument_group("the LibreTranslate API (POST /translate …)")
    group.add_argument("--api-keys-file", default=None, metavar="FILE",
                       help="require an API key, from this accounts file (`translate users key NAME`; default: the "
                            "--users file, when there is one)")
    group.add_argument("--req-limit", type=int, default=-1, metavar="N",
                       help="requests a minute per key (per address without keys); -1: no limit (default)")
    group.add_argument("--char-limit", type=int, default=config.MAX_PAGE_CHARS, metavar="N",
                       help="characters per request (default: %(default)s, as on the page)")


class LibreTranslateAPI:
    """The endpoints and their state (keys, rates, files to download).

    Args:
        translator_for: the translator of a user (None: no accounts, the server's own); None:
            the page's (:func:`translate.web.serve.serve` sets it).
        keys: the accounts whose API keys are required (None: no key needed).
        req_limit: requests a minute per key, or per client address without keys (-1: none).
        char_limit: characters per request (-1: none).
    """

    def __init__(self, translator_for: Callable[[str | None], Translator] | None, *, keys: UserStore | None = None,
                 req_limit: int = -1, char_limit: int = config.MAX_PAGE_CHARS):
        self.translator_for, self.keys = translator_for, keys
        self.req_limit, self.char_limit = req_limit, char_limit
        self._recent: collections.OrderedDict[str, collections.deque] = collections.OrderedDict()
        self._lock = threading.Lock()
        self.downloads = Path(tempfile.mkdtemp(prefix="translate-api-files-"))

    # -- the checks every request passes -------------------------------------------------------

    def user_of(self, fields: dict, client: str) -> str | None:
        """The key's user (None without accounts); counts the request against its rate.

        Raises:
            ApiError: 403 for a missing or unknown key where keys are required; 429 over the rate.
        """
        key = fields.get("api_key")
        user = None
        if self.keys is not None:
            if not isinstance(key, str) or not key:
                raise ApiError(403, "this server needs an API key (api_key); its owner makes them with "
                                    "`translate users key NAME`")
            user = self.keys.user_of_key(key)
            if user is None:
                raise ApiError(403, "this API key is not one of this server's")
        self._count(f"key:{user}" if user is not None else f"address:{client}")
        return user

    def _count(self, who: str) -> None:
        if self.req_limit < 0:
            return
        now = time.monotonic()
        with self._lock:
            window = self._recent.pop(who, None) or collections.deque()
            while window and now - window[0] > 60:
                window.popleft()
            self._recent[who] = window  # most recent last; the oldest clients are forgotten first
            while len(self._recent) > 10_000:
                self._recent.popitem(last=False)
            if len(window) >= self.req_limit:
                raise ApiError(429, f"Slowdown: this key has made {self.req_limit} requests in the last minute, "
                                    f"its limit; wait a moment and try again")
            window.append(now)

    def _texts(self, fields: dict) -> tuple[list[str], bool]:
        q = fields.get("q")
        if q is None or q == "" or q == []:
            raise ApiError(400, "Invalid request: missing q parameter (the text to translate)")
        many = isinstance(q, list)
        texts = q if many else [q]
        if not all(isinstance(text, str) for text in texts):
            raise ApiError(400, "Invalid request: q must be a string or a list of strings")
        chars = sum(len(text) for text in texts)
        if 0 <= self.char_limit < chars:
            raise ApiError(400, f"Invalid request: the text has {chars:,} characters, above this server's limit of "
                                f"{self.char_limit:,}; send it in parts")
        return texts, many

    @staticmethod
    def _pair(fields: dict) -> str:
        source, target = fields.get("source"), fields.get("target")
        if not source:
            raise ApiError(400, "Invalid request: missing source parameter (ar, or auto)")
        if not target:
            raise ApiError(400, "Invalid request: missing target parameter (en)")
        if source not in (SOURCE, "auto") or target != TARGET:
            raise ApiError(400, f"this server translates Arabic to English only (source ar or auto, target en), "
                                f"not {source} to {target}")
        return source

    # -- the endpoints, as plain Python ------------------------------------------------------------

    def translate(self, fields: dict, client: str = "") -> dict:
        """``POST /translate``: ``{"translatedText": text or [texts], "alternatives"?, "detectedLanguage"?}``."""
        source = self._pair(fields)
        texts, many = self._texts(fields)
        text_format = fields.get("format") or "text"
        if text_format not in ("text", "html"):
            raise ApiError(400, f"{text_format} format is not supported: send text or html")
        alternatives = _count(fields.get("alternatives"))
        user = self.user_of(fields, client)
        detected = [_detected(text) for text in texts]
        if source == "auto" and not any(d["language"] == SOURCE for d in detected):
            raise ApiError(400, "the text is not Arabic: this server translates Arabic to English only")
        translator = self.translator_for(user)
        try:
            if text_format == "html":
                english = [translate_html(translator, text) for text in texts]
                others = [[] for _ in texts]
            else:
                documents = translator.translate_documents([segment_document(text) for text in texts])
                english = [document.translation_text() for document in documents]
                others = [_alternatives(translator, document, alternatives) if alternatives else []
                          for document in documents]
        except TranslateError as error:
            raise ApiError(400, str(error)) from None
        answer: dict[str, Any] = {"translatedText": english if many else english[0]}
        if alternatives:
            answer["alternatives"] = others if many else others[0]
        if source == "auto":
            answer["detectedLanguage"] = detected if many else detected[0]
        return answer

    def detect(self, fields: dict, client: str = "") -> list[dict]:
        """``POST /detect``: Arabic or not, with a confidence, from the text's letters."""
        q = fields.get("q")
        if not isinstance(q, str) or not q:
            raise ApiError(400, "Invalid request: missing q parameter (the text whose language to detect)")
        self.user_of(fields, client)
        return [_detected(q)]

    def settings(self) -> dict:
        """``GET /frontend/settings``, which some clients read first."""
        return {"charLimit": self.char_limit, "frontendTimeout": 500, "apiKeys": self.keys is not None,
                "keyRequired": self.keys is not None, "suggestions": False, "filesTranslation": True,
                "supportedFilesFormat": sorted(readers.SUFFIXES),
                "language": {"source": {"code": SOURCE, "name": "Arabic"},
                             "target": {"code": TARGET, "name": "English"}}}

    def translate_file(self, fields: dict, name: str, data: bytes, base_url: str, client: str = "") -> dict:
        """``POST /translate_file``: the document translated in its own format, at ``translatedFileUrl``."""
        self._pair(fields)
        user = self.user_of(fields, client)
        name = _SAFE_NAME.sub("-", Path(name or "").name).strip(".-")
        if not name or Path(name).suffix.lower() not in readers.SUFFIXES:
            raise ApiError(400, f"Invalid request: send a file of one of these kinds: "
                                f"{', '.join(sorted(readers.SUFFIXES))}")
        translator = self.translator_for(user)
        try:
            document = readers.read_document(data, name, max_chars=None if self.char_limit < 0 else self.char_limit,
                                             bounded=True)
            [translated] = translator.translate_documents([document])
            output = writers.write(translated, "same", original=data, signature=str(translator.signature),
                                   quality=translator.quality)
        except TranslateError as error:
            raise ApiError(400, str(error)) from None
        self._expire()
        token = secrets.token_urlsafe(16)
        stem = name[: -len(Path(name).suffix)].removesuffix(".ar")
        filename = f"{stem}.en{writers.suffix('same', translated)}"
        folder = self.downloads / token
        folder.mkdir()
        (folder / filename).write_bytes(output)
        return {"translatedFileUrl": f"{base_url.rstrip('/')}/download_file/{token}/{filename}"}

    def download(self, token: str, filename: str) -> Path:
        """The file a ``translatedFileUrl`` names (the token is its only key)."""
        path = (self.downloads / token / filename).resolve()
        if path.parent.parent != self.downloads.resolve() or not path.is_file():
            raise ApiError(404, "no such file (a translated file is kept for an hour)")
        return path

    def _expire(self) -> None:
        limit = time.time() - FILE_LIFETIME_S
        for folder in self.downloads.iterdir():
            if folder.stat().st_mtime < limit:
                shutil.rmtree(folder, ignore_errors=True)

    # -- on the server -------------------------------------------------------------------------------

    def mount(self, app) -> None:
        """Add the endpoints to the page's FastAPI app."""
        def answer(work):
            async def endpoint(request: Request):
                try:
                    fields, upload = await _fields(request)
                    client = request.client.host if request.client else ""
                    return JSONResponse(await run_in_threadpool(work, fields, upload, request, client),
                                        headers=_CORS)
                except ApiError as error:
                    return JSONResponse({"error": str(error)}, status_code=error.status, headers=_CORS)
            return endpoint

        async def read_upload(upload) -> tuple[str, bytes]:
            if not isinstance(upload, UploadFile):
                raise ApiError(400, "Invalid request: missing file parameter (the document to translate)")
            data = await upload.read(config.max_input_bytes() + 1)
            if len(data) > config.max_input_bytes():
                raise ApiError(400, f"Invalid request: the file is above this server's "
                                    f"{config.max_input_bytes() / 1e6:.1f} MB limit")
            return upload.filename or "", data

        async def translate_file(request: Request):
            try:
                fields, upload = await _fields(request)
                name, data = await read_upload(upload)
                client = request.client.host if request.client else ""
                found = await run_in_threadpool(self.translate_file, fields, name, data, str(request.base_url), client)
                return JSONResponse(found, headers=_CORS)
            except ApiError as error:
                return JSONResponse({"error": str(error)}, status_code=error.status, headers=_CORS)

        def download_file(token: str, filename: str):
            try:
                return FileResponse(self.download(token, filename), filename=filename, headers=_CORS)
            except ApiError as error:
                return JSONResponse({"error": str(error)}, status_code=error.status, headers=_CORS)

        app.add_api_route("/translate", answer(lambda f, u, r, c: self.translate(f, c)), methods=["POST"])
        app.add_api_route("/detect", answer(lambda f, u, r, c: self.detect(f, c)), methods=["POST"])
        app.add_api_route("/languages", lambda: JSONResponse(LANGUAGES, headers=_CORS), methods=["GET"])
        app.add_api_route("/frontend/settings", lambda: JSONResponse(self.settings(), headers=_CORS),
                          methods=["GET"])
        app.add_api_route("/translate_file", translate_file, methods=["POST"])
        app.add_api_route("/download_file/{token}/{filename}", download_file, methods=["GET"])


#: LibreTranslate answers every origin: its clients are other servers and browser add-ons.
_CORS = {"Access-Control-Allow-Origin": "*"}


async def _fields(request) -> tuple[dict, Any]:
    """A request's fields (JSON, or a form) and its uploaded file, if any.

    Raises:
        ApiError: a body that is neither.
    """
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind == "application/json":
        try:
            fields = await request.json()
        except ValueError:
            raise ApiError(400, "Invalid request: the body is not JSON") from None
        if not isinstance(fields, dict):
            raise ApiError(400, "Invalid request: the JSON body must be an object of fields")
        return fields, None
    if kind in ("application/x-www-form-urlencoded", "multipart/form-data"):
        form = await request.form()
        upload = form.get("file")
        values: dict[str, Any] = {}
        for key, value in form.multi_items():
            if isinstance(value, str):
                values[key] = [*values[key], value] if key == "q" and key in values else value
        return values, upload
    if request.method == "GET" or not kind:
        return dict(request.query_params), None
    raise ApiError(400, f"Invalid request: send JSON or a form, not {kind}")


def _count(value) -> int:
    if value in (None, "", 0, "0", False):
        return 0
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ApiError(400, "Invalid request: alternatives must be a whole number") from None
    if not 0 <= number <= 16:
        raise ApiError(400, "Invalid request: alternatives must be between 0 and 16")
    return number


def _detected(text: str) -> dict:
    """Arabic, with the share of the text's letters that are Arabic as the confidence (0-100)."""
    letters = [c for c in text if c.isalpha()]
    share = sum(arabic.is_letter(c) for c in letters) / len(letters) if letters else 0.0
    return {"confidence": round(100 * share, 1), "language": SOURCE if share >= 0.5 else "und"}


def _alternatives(translator: Translator, document, n: int) -> list[str]:
    """``n`` other translations of a text: the k-th best of each of its sentences, joined as the text is."""
    choices = {}
    for pair in document.sentences:
        if pair.origin in ("model", "cache") and pair.source not in choices:
            found = [a.text for a in translator.alternatives(pair.source, n + 1) if a.text != pair.translation]
            choices[pair.source] = found
    others = []
    for k in range(n):
        updates = {pair.index: pair.filled(Translation(choices[pair.source][k], origin=pair.origin))
                   for pair in document.sentences if len(choices.get(pair.source, ())) > k}
        if updates:
            others.append(document.with_translations(updates).translation_text())
    return others


def translate_html(translator: Translator, markup: str) -> str:
    """HTML with its tags kept and the text between them translated: each run of text
    between tags is translated as it stands (LibreTranslate's own way), the contents of
    code, script and style elements left as they are. Text is escaped on the way out."""
    from lxml import etree
    from lxml import html as lxml_html

    try:
        root = lxml_html.fragment_fromstring(markup, create_parent="div")
    except (etree.ParserError, ValueError):
        return html.escape(markup)  # nothing a parser can read: no markup to keep
    runs: list[tuple[Any, str]] = []
    for element in root.iter():
        prose = isinstance(element.tag, str) and element.tag.lower() not in _NOT_PROSE
        if prose and element.text and arabic.has_word(element.text):
            runs.append((element, "text"))
        if element is not root and element.tail and arabic.has_word(element.tail):
            runs.append((element, "tail"))
    if runs:
        texts = [getattr(element, side) for element, side in runs]
        documents = translator.translate_documents([segment_document(text.strip()) for text in texts])
        for (element, side), text, document in zip(runs, texts, documents):
            lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()):]
            setattr(element, side, f"{lead}{document.translation_text()}{trail}")
    inner = html.escape(root.text or "", quote=False)
    return inner + "".join(lxml_html.tostring(child, encoding="unicode") for child in root)


__all__ = ["LANGUAGES", "LibreTranslateAPI", "ApiError", "add_options", "translate_html"]
