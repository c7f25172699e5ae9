"""Fetching web articles: saved pages served from a local HTTP server (allowed with
``allow_private``), and every refusal the page's URL box needs."""
from __future__ import annotations

import gzip
import http.server
import socket
import threading

import pytest
from sample_documents import SAVED_PAGES, blocks_of, saved_page, seed_blocks

from translate import InputError
from translate.readers import read_url
from translate.readers.fetch import fetch_url, is_public_address
from translate.text.document import TITLE, Block

NO_ARTICLE = "<html><body><nav><a href='/'>الرئيسية</a> <a href='/news'>أخبار</a></nav></body></html>".encode()
BOMB = gzip.compress(b"<html>" + b" " * 3_000_000)  # 3 MB of blanks in a few kilobytes


class _Handler(http.server.BaseHTTPRequestHandler):
    """The routes the tests ask for; ``server.stop`` ends the slow answers."""

    headers_sent = threading.Event()  # set once /slow-headers has sent all its headers

    def do_GET(self):  # noqa: N802 (the name http.server expects)
        port = self.server.server_address[1]
        routes = {
            "/araby": lambda: self._send(200, saved_page("news-araby.ar.html"), "text/html; charset=utf-8"),
            "/portal": lambda: self._send(200, saved_page("news-portal.ar.html"), "text/html"),
            "/redirect": lambda: self._redirect("/araby"),
            "/loop": lambda: self._redirect("/loop"),
            "/to-file": lambda: self._redirect("file:///etc/passwd"),
            "/to-other-host": lambda: self._redirect(f"http://127.0.0.2:{port}/araby"),
            "/pdf": lambda: self._send(200, b"%PDF-1.7\n%%EOF\n", "application/pdf"),
            "/no-article": lambda: self._send(200, NO_ARTICLE, "text/html; charset=utf-8"),
            "/big": lambda: self._send(200, b"<html>" + b" " * 300_000, "text/html"),
            "/big-unannounced": lambda: self._send(200, b"<html>" + b" " * 300_000, "text/html", length=False),
            "/bomb": lambda: self._send(200, BOMB, "text/html", encoding="gzip"),
            "/slow": self._slow,
            "/slow-headers": self._slow_headers,
        }
        routes.get(self.path, lambda: self._send(404, b"not found", "text/plain"))()

    def _send(self, status, body, content_type, length=True, encoding=None):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        if encoding:
            self.send_header("Content-Encoding", encoding)
        if length:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, location):
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _slow(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        try:
            while not self.server.stop.wait(0.05):  # a byte now and then, never the whole page
                self.wfile.write(b" ")
                self.wfile.flush()
        except OSError:  # the client gave up: what the test waits for
            pass

    def _slow_headers(self):
        """Headers a byte at a time (every read of the client's is answered in time),
        for longer than any test waits; then :attr:`headers_sent`."""
        head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Padding: " + b"x" * 2000 + b"\r\n\r\n"
        try:
            for byte in head:
                if self.server.stop.wait(0.01):
                    return
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
            self.headers_sent.set()
            self.wfile.write(saved_page("news-araby.ar.html"))
        except OSError:  # the client gave up: what the test waits for
            pass
        self.close_connection = True

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    httpd.stop = threading.Event()
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.stop.set()
    httpd.shutdown()
    httpd.server_close()


@pytest.mark.parametrize("path, page", [("/araby", "news-araby.ar.html"), ("/portal", "news-portal.ar.html")])
def test_a_served_article_reads_like_the_saved_page(server, path, page):
    document = read_url(server + path, allow_private=True)
    assert document.name == server + path
    assert blocks_of(document) == [Block(SAVED_PAGES[page], TITLE), *seed_blocks()]


def test_redirects_are_followed(server):
    data, content_type, final = fetch_url(server + "/redirect", allow_private=True)
    assert final == server + "/araby" and content_type.startswith("text/html") and data == saved_page(
        "news-araby.ar.html")


@pytest.mark.parametrize("url", ["{server}/araby", "http://localhost:{port}/araby", "http://[::1]:{port}/araby",
                                 "http://0.0.0.0:{port}/araby", "http://169.254.169.254/latest/meta-data/",
                                 "http://10.0.0.1/", "http://[::ffff:127.0.0.1]:{port}/",
                                 # IPv6 addresses that lead to a private IPv4 one: NAT64, 6to4, IPv4-compatible
                                 "http://[64:ff9b::7f00:1]:{port}/", "http://[2002:7f00:1::1]:{port}/",
                                 "http://[::127.0.0.1]:{port}/", "http://[64:ff9b::a9fe:a9fe]/latest/meta-data/"])
def test_private_and_local_addresses_are_refused_without_the_option(server, url):
    url = url.format(server=server, port=server.rsplit(":", 1)[1])
    with pytest.raises(InputError, match="private or local address"):
        read_url(url)


@pytest.mark.parametrize("url, message", [
    ("file:///etc/passwd", "a file: address"),
    ("ftp://example.com/a.html", "a ftp: address"),
    ("data:text/html,<p>x</p>", "a data: address"),
    ("javascript:alert(1)", "a javascript: address"),
    ("example.com/news", "not a web address"),
    ("http:///news", "no valid host name"),
])
def test_only_http_and_https_are_fetched(url, message):
    with pytest.raises(InputError, match=message):
        fetch_url(url, allow_private=True)


def test_a_redirect_to_a_file_is_refused(server):
    with pytest.raises(InputError, match=r"redirected to file:///etc/passwd\): a file: address"):
        fetch_url(server + "/to-file", allow_private=True)


def test_every_redirect_target_is_checked(server, monkeypatch):
    # Here 127.0.0.1 counts as public, so the first hop passes; the redirect to
    # 127.0.0.2 must be checked on its own.
    monkeypatch.setattr("translate.readers.fetch.is_public_address", lambda address: address == "127.0.0.1")
    with pytest.raises(InputError, match=r"redirected to .*127\.0\.0\.2 is a private or local address"):
        fetch_url(server + "/to-other-host")


def test_a_name_that_changes_its_address_after_the_check_is_caught(server, monkeypatch):
    real = socket.getaddrinfo
    answers = iter(["93.184.216.34"])  # public for the check, then loopback (DNS rebinding)

    def rebinding(host, port, *args, **kwargs):
        if host == "rebind.test":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (next(answers, "127.0.0.1"), port))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    with pytest.raises(InputError, match=r"connected to a private or local address \(127\.0\.0\.1\)"):
        fetch_url(f"http://rebind.test:{server.rsplit(':', 1)[1]}/araby")


@pytest.mark.parametrize("path, options, message", [
    ("/missing", {}, "the server answered 404 Not Found"),
    ("/loop", {}, "more than 5 redirects"),
    ("/pdf", {}, "the answer is application/pdf, not a web page"),
    ("/no-article", {}, "no article text found"),
    ("/big", {"max_bytes": 100_000}, r"0\.3 MB, above the 0\.1 MB limit"),
    ("/big", {"max_bytes": 300_005}, r"0\.300006 MB, above the 0\.3 MB limit"),  # figures that read apart
    ("/big-unannounced", {"max_bytes": 100_000}, r"larger than the 0\.1 MB limit"),
    ("/bomb", {"max_bytes": 1_000_000}, r"larger than the 1\.0 MB limit"),
    ("/slow", {"timeout": 0.5}, r"no (complete )?answer within 0\.5 s"),
])
def test_bad_answers_get_one_clear_message(server, path, options, message):
    with pytest.raises(InputError, match=message):
        read_url(server + path, allow_private=True, **options)


def test_the_time_limit_holds_for_headers_sent_a_byte_at_a_time(server):
    """urllib3's timeouts are per read: a byte every 10 ms would keep a fetch going for
    the whole 20 s of these headers (and for ever, with endless ones)."""
    with pytest.raises(InputError, match=r"no complete answer within 0\.5 s"):
        read_url(server + "/slow-headers", allow_private=True, timeout=0.5)
    assert not _Handler.headers_sent.is_set()  # cut off while the headers were still coming


def test_a_server_that_does_not_answer(server):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(InputError, match="does not answer"):
        read_url(f"http://127.0.0.1:{port}/", allow_private=True)


def test_https_to_a_server_that_does_not_speak_it(server):
    with pytest.raises(InputError, match="the secure connection to 127.0.0.1 failed"):
        read_url(server.replace("http:", "https:") + "/araby", allow_private=True)


def test_a_name_that_does_not_resolve():
    with pytest.raises(InputError, match="cannot find the server"):
        read_url("http://no-such-host.invalid/news")


@pytest.mark.parametrize("address, public", [
    ("93.184.216.34", True), ("2606:2800:220:1:248:1893:25c8:1946", True),
    ("127.0.0.1", False), ("10.1.2.3", False), ("172.16.0.1", False), ("192.168.1.1", False),
    ("169.254.169.254", False), ("100.64.0.1", False), ("0.0.0.0", False), ("224.0.0.1", False),
    ("::1", False), ("fe80::1%eth0", False), ("fc00::1", False), ("::ffff:10.0.0.1", False),
    ("::ffff:93.184.216.34", True),
    # An IPv6 address that carries an IPv4 address is as public as that address.
    ("64:ff9b::7f00:1", False), ("64:ff9b::a00:1", False), ("64:ff9b::a9fe:a9fe", False),
    ("64:ff9b::5db8:d822", True), ("64:ff9b:1::a00:1", False), ("64:ff9b:1::5db8:d822", False),
    ("2002:7f00:1::1", False), ("2002:c0a8:101::1", False), ("2002:5db8:d822::1", True),
    ("::127.0.0.1", False), ("::10.0.0.1", False), ("::93.184.216.34", True),
    ("::ffff:0:10.0.0.1", False), ("::ffff:0:93.184.216.34", True),
    ("2001:0:4136:e378:8000:63bf:3fff:fdd2", False),  # Teredo
])
def test_public_addresses(address, public):
    assert is_public_address(address) is public
