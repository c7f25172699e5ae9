"""Fetching a web page for translation, safely: the server side of the URL box.

A URL typed into the page makes *our* server send a request, so it must not be a
way into the machine's own network (server-side request forgery). The rules:

* only ``http:`` and ``https:`` (no ``file:``, ``ftp:``, ``data:``...);
* the host must resolve to public addresses only, checked before connecting, on
  every redirect hop, and again on the socket actually connected (so a name that
  resolves to a public address first and a private one next, DNS rebinding, is
  caught too); loopback, private, link-local, shared, multicast and reserved
  ranges are refused unless the caller passes ``allow_private=True`` (tests, or a
  server started with an explicit option), and so is an IPv6 address that carries
  such an IPv4 address (NAT64, 6to4, IPv4-mapped or -compatible);
* the body is read in chunks and refused as soon as it passes ``max_bytes``
  (after decompression, so a gzip bomb is cut off too); the whole fetch,
  redirects included, must finish within ``timeout`` seconds: a watchdog shuts
  the fetch's sockets down at its deadline, so a server that trickles its
  headers or body a byte at a time (urllib3's timeouts are per read) is cut off
  on time too.

Every failure is an :class:`InputError` that names the URL and says what to do.
"""
from __future__ import annotations

import contextvars
import ipaddress
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin, urlsplit

import urllib3
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from .. import config
from ..errors import InputError
from ..sizes import limit_megabytes, megabytes

USER_AGENT = f"translate-ar-en/{config.VERSION} (article fetcher)"
_CHUNK = 64 * 1024
_REDIRECTS = (301, 302, 303, 307, 308)
_HEADERS = {"User-Agent": USER_AGENT, "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5",
            "Accept-Encoding": "gzip, deflate"}


def fetch_url(url: str, *, allow_private: bool = False, max_bytes: int | None = None,
              timeout: float | None = None) -> tuple[bytes, str, str]:
    """Download ``url`` within the safety rules above.

    Args:
        url: an ``http://`` or ``https://`` address.
        allow_private: also allow loopback, private and link-local addresses.
        max_bytes: refuse a body larger than this (default ``config.FETCH_MAX_BYTES``).
        timeout: seconds for the whole fetch, redirects included
            (default ``config.FETCH_TIMEOUT_S``).

    Returns:
        ``(body, content_type, final_url)``: the bytes, the Content-Type header
        ("" when absent) and the address after redirects.

    Raises:
        InputError: a refused scheme or address, no answer, an HTTP error status,
            too many redirects, a body too large, or the time limit passed.
    """
    limit = config.FETCH_MAX_BYTES if max_bytes is None else max_bytes
    seconds = config.fetch_timeout_s() if timeout is None else timeout
    url = current = url.strip()
    with _Deadline(seconds, url) as deadline:
        for _ in range(config.FETCH_MAX_REDIRECTS + 1):
            scheme, host, port, target = _check_url(current, url, allow_private)
            pool, response = _request(scheme, host, port, target, url, allow_private, deadline)
            try:
                if response.status in _REDIRECTS and response.headers.get("Location"):
                    current = urljoin(current, response.headers["Location"])
                    continue
                if response.status >= 400:
                    raise InputError(f"{url}: the server answered {response.status} {response.reason or ''}".rstrip()
                                     + "; check the address")
                if response.status != 200:
                    raise InputError(f"{url}: the server answered {response.status}, not a page; check the address")
                body = _read_body(response, url, limit, deadline)
                return body, response.headers.get("Content-Type", ""), current
            finally:
                response.release_conn()
                pool.close()
    raise InputError(f"{url}: more than {config.FETCH_MAX_REDIRECTS} redirects; open it in a browser "
                     "and pass the final address")


class _Deadline:
    """The one wall-clock limit of a fetch, connection, headers and body included.

    urllib3's timeouts bound each read, and a server can answer every read in time
    with one byte; so a watchdog thread shuts down every socket of the fetch when
    its time is up, and whatever was waiting on them returns at once.
    """

    def __init__(self, seconds: float, url: str):
        self.seconds, self.url = seconds, url
        self.at = time.monotonic() + seconds
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> _Deadline:
        self._token = _DEADLINE.set(self)
        self._timer.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._timer.cancel()
        _DEADLINE.reset(self._token)
        with self._lock:
            for sock in self._sockets:
                sock.close()
            self._sockets.clear()

    def remaining(self) -> float:
        """Seconds left; raises the time-limit InputError when there are none."""
        left = self.at - time.monotonic()
        if left <= 0 or self.expired:
            raise self.error()
        return left

    def error(self) -> InputError:
        return InputError(f"{self.url}: no complete answer within {self.seconds:g} s; try again later")

    def watch(self, sock: socket.socket) -> None:
        """Shut ``sock`` down at the deadline. A duplicate of it is kept, since TLS
        takes the original over (shutting down either ends the connection)."""
        with self._lock:
            copy = sock.dup()
            self._sockets.append(copy)
            if self.expired:
                _shut(copy)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                _shut(sock)


def _shut(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:  # already closed by the other side
        pass


#: The deadline of the fetch running in this thread (urllib3 opens its sockets in the caller's thread).
_DEADLINE: contextvars.ContextVar[_Deadline | None] = contextvars.ContextVar("fetch_deadline", default=None)


#: IPv6 ranges whose last 32 bits are an IPv4 address that a gateway or the host's own
#: stack may connect to: IPv4-mapped, IPv4-translated (SIIT), IPv4-compatible
#: (deprecated, ``::a.b.c.d``) and NAT64's well-known prefix.
_IPV4_IN_LAST_32_BITS = tuple(ipaddress.IPv6Network(net) for net in
                              ("::ffff:0:0/96", "::ffff:0:0:0/96", "::/96", "64:ff9b::/96"))
#: NAT64's local-use prefix (RFC 8215): where its IPv4 address sits is the local network's choice.
_LOCAL_NAT64 = ipaddress.IPv6Network("64:ff9b:1::/48")


def is_public_address(address: str) -> bool:
    """True for a globally routable unicast address (not loopback, private, link-local,
    shared, multicast, reserved or unspecified). An IPv6 address that carries an IPv4
    address (IPv4-mapped or -compatible, NAT64, 6to4) counts as that IPv4 address."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        if ip in _LOCAL_NAT64:
            return False
        ip = embedded_ipv4(ip) or ip
    return ip.is_global and not ip.is_multicast


def embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address leads to, when it carries one (see above; 6to4's
    ``2002:a.b.c.d::/48`` too); None otherwise."""
    if ip.sixtofour is not None:
        return ip.sixtofour
    if any(ip in network for network in _IPV4_IN_LAST_32_BITS):
        return ipaddress.IPv4Address(int(ip) & 0xFFFF_FFFF)
    return None


def _check_url(current: str, original: str, allow_private: bool) -> tuple[str, str, int, str]:
    """The scheme, host, port and request target of ``current``, once it passes the rules."""
    parts = urlsplit(current)
    scheme = parts.scheme.lower()
    hop = "" if current == original else f" (redirected to {current})"
    if scheme not in ("http", "https"):
        what = f"a {scheme}: address" if scheme else "not a web address"
        raise InputError(f"{original}{hop}: {what}; only http:// and https:// pages can be fetched")
    try:
        host, port = parts.hostname, parts.port
    except ValueError:
        host = port = None
    if not host:
        raise InputError(f"{original}{hop}: no valid host name in the address; check it")
    port = port or (443 if scheme == "https" else 80)
    if not allow_private:
        for address in _resolve(host, port, original):
            if not is_public_address(address):
                raise InputError(f"{original}{hop}: {host} is a private or local address ({address}); "
                                 "only public web pages can be fetched")
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return scheme, host, port, target


def _resolve(host: str, port: int, original: str) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise InputError(f"{original}: cannot find the server {host} ({error}); check the address") from None
    return sorted({info[4][0] for info in infos})


class _GuardedMixin:
    """Every socket of a fetch: shut down at its deadline, and refused when its peer
    is not a public address (unless ``check_peer`` is off: private addresses allowed)."""

    check_peer = True

    def _new_conn(self) -> socket.socket:  # the one place urllib3 opens a socket
        sock = super()._new_conn()  # type: ignore[misc]
        deadline = _DEADLINE.get()
        if deadline is not None:
            deadline.watch(sock)
        peer = sock.getpeername()[0]
        if self.check_peer and not is_public_address(peer):
            sock.close()
            raise _PrivatePeer(peer)
        return sock


class _PrivatePeer(OSError):
    """Raised inside urllib3 when the socket reached a private address; becomes an InputError."""


class _GuardedHTTPConnection(_GuardedMixin, HTTPConnection):
    pass


class _GuardedHTTPSConnection(_GuardedMixin, HTTPSConnection):
    pass


class _PrivateHTTPConnection(_GuardedHTTPConnection):
    check_peer = False


class _PrivateHTTPSConnection(_GuardedHTTPSConnection):
    check_peer = False


def _request(scheme: str, host: str, port: int, target: str, original: str, allow_private: bool,
             deadline: _Deadline) -> tuple[HTTPConnectionPool, Any]:
    remaining = deadline.remaining()
    pool_class = HTTPSConnectionPool if scheme == "https" else HTTPConnectionPool
    pool = pool_class(host, port, maxsize=1, retries=False, timeout=urllib3.Timeout(total=remaining))
    if scheme == "https":
        pool.ConnectionCls = _PrivateHTTPSConnection if allow_private else _GuardedHTTPSConnection
    else:
        pool.ConnectionCls = _PrivateHTTPConnection if allow_private else _GuardedHTTPConnection
    try:
        return pool, pool.urlopen("GET", target, redirect=False, preload_content=False, retries=False,
                                  headers=_HEADERS)
    except urllib3.exceptions.HTTPError as error:
        pool.close()
        if deadline.expired:
            raise deadline.error() from None
        raise InputError(_no_answer(original, host, error, deadline.seconds)) from None


def _no_answer(original: str, host: str, error: Exception, seconds: float) -> str:
    causes = list(_chain(error))
    peer = next((cause for cause in causes if isinstance(cause, _PrivatePeer)), None)
    if peer is not None:
        return (f"{original}: {host} connected to a private or local address ({peer.args[0]}); "
                "only public web pages can be fetched")
    if any(isinstance(cause, (urllib3.exceptions.SSLError, ssl.SSLError)) for cause in causes):
        return f"{original}: the secure connection to {host} failed ({error}); check the address"
    if any(isinstance(cause, urllib3.exceptions.NewConnectionError) for cause in causes):
        refused = next((c for c in causes if isinstance(c, ConnectionRefusedError)), None)
        why = "connection refused" if refused or "refused" in str(error) else "no connection"
        return f"{original}: the server does not answer ({why}); check the address or try again later"
    if any(isinstance(cause, (urllib3.exceptions.TimeoutError, TimeoutError)) for cause in causes):
        return f"{original}: no answer within {seconds:g} s; try again later"
    return f"{original}: the server does not answer; check the address or try again later"


def _chain(error: BaseException) -> Iterator[BaseException]:
    """The error and everything it wraps (reason, args, cause, context), each once."""
    seen: set[int] = set()
    stack = [error]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        stack.extend(arg for arg in getattr(current, "args", ()) if isinstance(arg, BaseException))
        linked = (getattr(current, "reason", None), current.__cause__, current.__context__)
        stack.extend(link for link in linked if isinstance(link, BaseException))


def _read_body(response: Any, original: str, limit: int, deadline: _Deadline) -> bytes:
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > limit:
        raise InputError(_too_large(original, int(declared), limit))
    chunks, size = [], 0
    try:
        # read1: whatever has arrived (one socket read), so a server that sends a
        # byte now and then meets the deadline check between reads.
        while chunk := response.read1(_CHUNK, decode_content=True):
            size += len(chunk)
            if size > limit:
                raise InputError(_too_large(original, None, limit))
            deadline.remaining()
            chunks.append(chunk)
    except (urllib3.exceptions.HTTPError, OSError) as error:
        if deadline.expired or "timed out" in str(error).lower():
            raise deadline.error() from None
        raise InputError(f"{original}: the answer broke off before its end; try again later") from None
    if deadline.expired:  # the watchdog's shutdown reads as the end of a body without a length
        raise deadline.error()
    return b"".join(chunks)


def _too_large(original: str, size: int | None, limit: int) -> str:
    """``size`` is the announced length, or None when the body ran past the limit while read."""
    what = f"{megabytes(size, limit)[0]} MB, above" if size is not None else "larger than"
    return (f"{original}: the page is {what} the {limit_megabytes(limit)} MB limit for fetched pages; "
            "save it and pass the file")
