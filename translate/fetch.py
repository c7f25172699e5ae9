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
  redirects included, must finish within ``timeout`` seconds.

Every failure is an :class:`InputError` that names the URL and says what to do.
"""
from __future__ import annotations

import ipaddress
import socket
import ssl
import time
from typing import Any, Iterator
from urllib.parse import urljoin, urlsplit

import urllib3
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from . import config
from .errors import InputError
from .sizes import limit_megabytes, megabytes

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
    seconds = config.FETCH_TIMEOUT_S if timeout is None else timeout
    deadline = time.monotonic() + seconds
    url = current = url.strip()
    for _ in range(config.FETCH_MAX_REDIRECTS + 1):
        scheme, host, port, target = _check_url(current, url, allow_private)
        pool, response = _request(scheme, host, port, target, url, allow_private, deadline, seconds)
        try:
            if response.status in _REDIRECTS and response.headers.get("Location"):
                current = urljoin(current, response.headers["Location"])
                continue
            if response.status >= 400:
                raise InputError(f"{url}: the server answered {response.status} {response.reason or ''}".rstrip()
                                 + "; check the address")
            if response.status != 200:
                raise InputError(f"{url}: the server answered {response.status}, not a page; check the address")
            body = _read_body(response, url, limit, deadline, seconds)
            return body, response.headers.get("Content-Type", ""), current
        finally:
            response.release_conn()
            pool.close()
    raise InputError(f"{url}: more than {config.FETCH_MAX_REDIRECTS} redirects; open it in a browser "
                     "and pass the final address")


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


class _CheckedMixin:
    """Refuses the connection when the socket's peer is not a public address."""

    def _new_conn(self) -> socket.socket:  # the one place urllib3 opens a socket
        sock = super()._new_conn()  # type: ignore[misc]
        peer = sock.getpeername()[0]
        if not is_public_address(peer):
            sock.close()
            raise _PrivatePeer(peer)
        return sock


class _PrivatePeer(OSError):
    """Raised inside urllib3 when the socket reached a private address; becomes an InputError."""


class _CheckedHTTPConnection(_CheckedMixin, HTTPConnection):
    pass


class _CheckedHTTPSConnection(_CheckedMixin, HTTPSConnection):
    pass


def _request(scheme: str, host: str, port: int, target: str, original: str, allow_private: bool,
             deadline: float, seconds: float) -> tuple[HTTPConnectionPool, Any]:
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise InputError(f"{original}: no complete answer within {seconds:g} s; try again later")
    pool_class = HTTPSConnectionPool if scheme == "https" else HTTPConnectionPool
    pool = pool_class(host, port, maxsize=1, retries=False, timeout=urllib3.Timeout(total=remaining))
    if not allow_private:
        pool.ConnectionCls = _CheckedHTTPSConnection if scheme == "https" else _CheckedHTTPConnection
    try:
        return pool, pool.urlopen("GET", target, redirect=False, preload_content=False, retries=False,
                                  headers=_HEADERS)
    except urllib3.exceptions.HTTPError as error:
        pool.close()
        raise InputError(_no_answer(original, host, error, seconds)) from None


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


def _read_body(response: Any, original: str, limit: int, deadline: float, seconds: float) -> bytes:
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > limit:
        raise InputError(_too_large(original, int(declared), limit))
    chunks, size = [], 0
    try:
        # read1: whatever has arrived (one socket read), so a server that sends a
        # byte now and then still meets the deadline check between reads.
        while chunk := response.read1(_CHUNK, decode_content=True):
            size += len(chunk)
            if size > limit:
                raise InputError(_too_large(original, None, limit))
            if time.monotonic() > deadline:
                raise InputError(f"{original}: no complete answer within {seconds:g} s; try again later")
            chunks.append(chunk)
    except urllib3.exceptions.HTTPError as error:
        if "timed out" in str(error).lower():
            raise InputError(f"{original}: no complete answer within {seconds:g} s; try again later") from None
        raise InputError(f"{original}: the answer broke off before its end; try again later") from None
    return b"".join(chunks)


def _too_large(original: str, size: int | None, limit: int) -> str:
    """``size`` is the announced length, or None when the body ran past the limit while read."""
    what = f"{megabytes(size, limit)[0]} MB, above" if size is not None else "larger than"
    return (f"{original}: the page is {what} the {limit_megabytes(limit)} MB limit for fetched pages; "
            "save it and pass the file")
