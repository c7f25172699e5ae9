"""What stands before every handler of the page: which hosts it answers, whose
pages may change it, how much one client may send, and whose downloads are whose.

:class:`Guard` is an ASGI middleware on the page's server (``serve`` passes it to
Gradio's FastAPI app). It answers, before Gradio sees the request:

- **421** to a ``Host`` the page does not listen as. A web page on
  ``evil.example`` that re-points its name at 127.0.0.1 (DNS rebinding) sends
  ``Host: evil.example``; an address (``127.0.0.1:7860``, ``[::1]``) cannot be
  re-pointed, so addresses, ``localhost`` and ``--allowed-hosts`` are answered.
- **403** to a call that changes something (any method but GET, HEAD, OPTIONS)
  from a page of another origin (``Origin``, or ``Sec-Fetch-Site: cross-site``).
  A script (curl, gradio_client) sends no ``Origin`` and is let through.
- **413** to a request body over its limit (uploads: the upload limit; any other
  call: :func:`translate.config.max_body_bytes`), counted as it arrives, so a
  body without ``Content-Length`` is cut off too.
- **429** to uploads beyond a client's budget in a window (a signed-in user's,
  else an address's), and to any upload while the page's uploads on disk are
  over their total.
- **404** to a download (a file Gradio serves from its cache) that another
  user's translation made (:class:`Downloads`).
"""
from __future__ import annotations

import ipaddress
import json
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .. import config
from ..sizes import limit_megabytes
from .accounts import NOBODY, Accounts

#: The calls that change nothing, let through from any origin.
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
#: Where files are uploaded: the page's uploads and LibreTranslate's /translate_file.
_UPLOAD_PATHS = frozenset({"/gradio_api/upload", "/translate_file"})
_FILE_PREFIX = "/gradio_api/file="
_DISK_WALK_S = 5.0  # how often the uploads folder is walked for its size


def host_name(value: str) -> str:
    """The host of a ``Host`` header or an origin (no port, no brackets, lower case)."""
    value = value.strip().lower()
    if "://" in value:
        return (urlsplit(value).hostname or "").lower()
    if value.startswith("["):
        return value[1:].split("]", 1)[0]
    if value.count(":") == 1:
        return value.split(":", 1)[0]
    return value


def is_address(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


class HostRule:
    """The ``Host`` names the page answers: any address, ``localhost``, the name it
    listens on, and the names given (``--allowed-hosts``)."""

    def __init__(self, listen: str, allowed: Iterable[str] = ()):
        self.names = {"localhost", host_name(listen), *(host_name(name) for name in allowed if name.strip())}

    def allows(self, host: str | None) -> bool:
        if not host:
            return False
        name = host_name(host)
        return is_address(name) or name in self.names or name.endswith(".localhost")

    def same_origin(self, origin: str, host: str) -> bool:
        """True when a page at ``origin`` belongs to the page itself (same host and port)."""
        parts = urlsplit(origin.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return False
        port = parts.port or (443 if parts.scheme == "https" else 80)
        return f"{parts.hostname.lower()}:{port}" == _host_and_port(host, parts.scheme)


def _host_and_port(host: str, scheme: str) -> str:
    parts = urlsplit(f"{scheme}://{host.strip()}")
    port = parts.port or (443 if scheme == "https" else 80)
    return f"{(parts.hostname or '').lower()}:{port}"


class Downloads:
    """Whose each download is: Gradio serves a returned file from its cache at a
    path named after its content's (seeded) hash; the page records that hash with
    the user it was made for, and :class:`Guard` serves it to no one else."""

    def __init__(self, kept_s: float = config.UPLOADS_KEPT_S):
        self.kept_s = kept_s
        self._owners: dict[str, tuple[set[str], float]] = {}
        self._lock = threading.Lock()

    def add(self, path: str | Path, user: str) -> None:
        from gradio.processing_utils import hash_file  # the name Gradio will give it in its cache

        digest = hash_file(path)
        now = time.monotonic()
        with self._lock:
            for key in [key for key, (_, at) in self._owners.items() if now - at > self.kept_s]:
                del self._owners[key]
            users, _ = self._owners.get(digest, (set(), now))
            users.add(user)
            self._owners[digest] = (users, now)

    def allowed(self, file_path: str, user: str | None) -> bool:
        """False when ``file_path`` is a download recorded for others only."""
        parts = Path(unquote(file_path)).parts
        with self._lock:
            for part in parts:
                if part in self._owners:
                    return user in self._owners[part][0]
        return True


class UploadBudget:
    """The bytes of uploads each client sent in the last window."""

    def __init__(self, budget: int, window_s: float = config.UPLOAD_WINDOW_S):
        self.budget, self.window_s = budget, window_s
        self._sent: dict[str, deque[tuple[float, int]]] = {}
        self._lock = threading.Lock()

    def take(self, client: str, size: int) -> bool:
        """Count ``size`` bytes for ``client``; False (and nothing counted) when over its budget."""
        now = time.monotonic()
        with self._lock:
            sent = self._sent.setdefault(client, deque())
            while sent and now - sent[0][0] > self.window_s:
                sent.popleft()
            if sum(size for _, size in sent) + size > self.budget:
                return False
            sent.append((now, size))
            if len(self._sent) > 10_000:  # forget idle clients; the map stays small
                for key in [key for key, value in self._sent.items() if not value]:
                    del self._sent[key]
            return True


def folder_bytes(folder: Path) -> int:
    total = 0
    try:
        for path in folder.rglob("*"):
            try:
                if path.is_file():
                    total += path.stat().st_size
            except OSError:
                continue
    except OSError:
        return total
    return total


class Guard:
    """The ASGI middleware (see the module's docstring).

    Args:
        app: the next ASGI application.
        hosts: the names answered.
        max_upload: the largest upload, in bytes.
        downloads: whose downloads are whose.
        accounts: who is reading (without accounts, every request is the one reader's).
        upload_folder: where Gradio keeps uploads (a callable: it is known once Gradio starts).
    """

    def __init__(self, app, *, hosts: HostRule, max_upload: int, downloads: Downloads | None = None,
                 accounts: Accounts | None = None, upload_folder: Callable[[], Path | None] | None = None,
                 max_body: int | None = None, upload_budget: int | None = None, upload_disk: int | None = None):
        self.app, self.hosts, self.downloads = app, hosts, downloads
        self.max_upload = max_upload
        self.max_body = max_body or config.max_body_bytes()
        # An upload's body is the file and its form; a little over the file itself.
        self.max_upload_body = max_upload + 64_000
        self.budget = UploadBudget(upload_budget or config.upload_budget_bytes())
        self.upload_disk = upload_disk or config.upload_disk_bytes()
        self.accounts = accounts or Accounts()
        self.user_header = self.accounts.user_header.lower() if self.accounts.user_header else None
        self.upload_folder = upload_folder
        self._disk: tuple[float, int] | None = None  # (when walked, bytes) of the uploads on disk

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {key.decode("latin-1").lower(): value.decode("latin-1") for key, value in scope["headers"]}
        host = headers.get("host")
        if not self.hosts.allows(host):
            await _refuse(send, 421, f"This reader does not answer for the host {host!r}. Open it at the address "
                                     "it was started on, or start it with --allowed-hosts naming this host.")
            return
        method, path = scope["method"], scope.get("path", "")
        if method not in _SAFE_METHODS and self._foreign(headers, host):
            await _refuse(send, 403, "A page of another site cannot change this reader: open the reader itself.")
            return
        if method in ("GET", "HEAD") and path.startswith(_FILE_PREFIX) and self.downloads is not None:
            if not self.downloads.allowed(path[len(_FILE_PREFIX):], self._user(scope, headers)):
                await _refuse(send, 404, "There is no such file.")
                return
        limit = self.max_body
        if path.rstrip("/") in _UPLOAD_PATHS and method == "POST":
            limit = self.max_upload_body
            refusal = self._upload_refusal(scope, headers)
            if refusal:
                await _refuse(send, 429, refusal)
                return
        declared = headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await _refuse(send, 413, _too_large(limit))
            return
        await self._bounded(scope, receive, send, limit)

    def _foreign(self, headers: dict[str, str], host: str) -> bool:
        origin = headers.get("origin")
        if origin is not None:
            return origin == "null" or not self.hosts.same_origin(origin, host)
        return headers.get("sec-fetch-site") == "cross-site"

    def _user(self, scope, headers: dict[str, str]) -> str | None:
        if not self.accounts.on:
            return NOBODY
        if self.user_header:
            return headers.get(self.user_header)
        app = scope.get("app")
        tokens, cookie_id = getattr(app, "tokens", None), getattr(app, "cookie_id", None)
        if tokens is None or cookie_id is None:
            return None
        cookies = _cookies(headers.get("cookie", ""))
        token = cookies.get(f"access-token-{cookie_id}") or cookies.get(f"access-token-unsecure-{cookie_id}")
        return tokens.get(token) if token else None

    def _client(self, scope, headers: dict[str, str]) -> str:
        user = self._user(scope, headers) if self.accounts.on else None
        if user:
            return f"user:{user}"
        client = scope.get("client")
        return f"address:{client[0] if client else '?'}"

    def _upload_refusal(self, scope, headers: dict[str, str]) -> str | None:
        size = headers.get("content-length")
        size = int(size) if size and size.isdigit() else self.max_upload_body
        folder = self.upload_folder() if self.upload_folder else None
        if folder is not None and self._on_disk(Path(folder)) + size > self.upload_disk:
            return "The reader holds as many uploads as it can keep for now; try again in a while."
        if not self.budget.take(self._client(scope, headers), size):
            minutes = round(config.UPLOAD_WINDOW_S / 60)
            return (f"You have uploaded as much as the reader takes from one person in {minutes} minutes; "
                    "try again in a while.")
        if self._disk is not None:
            self._disk = (self._disk[0], self._disk[1] + size)
        return None

    def _on_disk(self, folder: Path) -> int:
        """The uploads' bytes on disk, walked at most once a few seconds (not once an upload)
        and counted up by what is let through in between."""
        now = time.monotonic()
        if self._disk is None or now - self._disk[0] > _DISK_WALK_S:
            self._disk = (now, folder_bytes(folder))
        return self._disk[1]

    async def _bounded(self, scope, receive, send, limit: int):
        """Pass the request on, counting its body; once it is over ``limit``, answer 413
        and tell the application the client has gone (so nothing it read is kept)."""
        received = 0
        state = {"started": False, "refused": False}

        async def counted():
            nonlocal received
            if state["refused"]:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    state["refused"] = True
                    if not state["started"]:
                        await _refuse(send, 413, _too_large(limit))
                        state["started"] = True
                    return {"type": "http.disconnect"}
            return message

        async def tracked(message):
            if state["refused"]:
                return  # the 413 was the answer
            if message["type"] == "http.response.start":
                state["started"] = True
            await send(message)

        await self.app(scope, counted, tracked)


def _too_large(limit: int) -> str:
    return f"The request is larger than the reader takes ({limit_megabytes(limit)} MB)."


def _cookies(header: str) -> dict[str, str]:
    found = {}
    for part in header.split(";"):
        name, _, value = part.strip().partition("=")
        if name:
            found[name] = value
    return found


async def _refuse(send, status: int, message: str) -> None:
    body = json.dumps({"error": message}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
