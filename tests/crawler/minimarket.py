"""A tiny market server for the crawler's own tests: login, categories, pagination, items, sellers."""

from __future__ import annotations

import html
import threading
import time
from http.cookies import SimpleCookie
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlsplit

from tests.crawler.loopback import LoopbackServer

PER_PAGE = 5
CATEGORIES = {"a": list(range(1, 13)), "b": list(range(13, 21))}  # 20 items, 2 categories
SELLERS = ["alice", "bob", "carol"]
USER, PASSWORD = "tester", "s3cret"
SESSION = "sess-0123456789"


def item_title(i: int) -> str:
    return f"Item {i} - 1g cocaine" if i != 20 else "<script>alert(1)</script> Item 20"


class _Handler(BaseHTTPRequestHandler):
    server: MiniMarket

    def log_message(self, *args: object) -> None:  # keep test output clean
        pass

    def _send(self, body: str, status: int = 200, headers: dict[str, str] | None = None) -> None:
        data = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def _logged_in(self) -> bool:
        cookie = SimpleCookie(self.headers.get("Cookie", ""))
        return "sid" in cookie and cookie["sid"].value == self.server.session

    def do_POST(self) -> None:  # noqa: N802
        self.server.requests.append(("POST", self.path))
        length = int(self.headers.get("Content-Length", "0"))
        self._login(parse_qs(self.rfile.read(length).decode()))

    def _login(self, form: dict[str, list[str]]) -> None:
        if form.get("user") == [USER] and form.get("pass") == [PASSWORD]:
            self.server.logins += 1
            self.server.session = f"{SESSION}-{self.server.logins}"
            cookie = {"Set-Cookie": f"sid={self.server.session}; Path=/; HttpOnly"}
            if self.command == "GET":  # this variant answers the login with a welcome page, no redirect
                return self._send('<a class="logout" href="/logout">out</a><p>welcome back</p>', 200, cookie)
            self._send("", 302, {"Location": "/", **cookie})
        else:
            self._send("<p>bad login</p>" + self.server.login_page, 200)

    def do_GET(self) -> None:  # noqa: N802
        self.server.requests.append(("GET", self.path))
        parts = urlsplit(self.path)
        path, query = parts.path, parse_qs(parts.query)
        if path == "/login" and "user" in query:  # a market whose login form uses method="get"
            return self._login(query)
        if path == "/login":
            return self._send(self.server.login_page)
        if not self._logged_in():
            return self._send("", 302, {"Location": "/login"})
        if self.server.gate:  # an entry gate this crawler cannot pass: every page is the gate
            return self._send('<a class="logout" href="/logout">out</a><p>solve the puzzle to enter</p>')
        if path == "/":
            cats = "".join(f'<li><a href="/cat/{c}">{c}</a></li>' for c in CATEGORIES)
            if self.server.loop_pages:
                cats += '<li><a href="/cat/loop">loop</a></li>'
            return self._send(f'<a class="logout" href="/logout">out</a><ul class="cats">{cats}</ul>'
                              '<a href="http://evil.example.com/x">offsite</a>')
        if path == "/cat/loop" and self.server.loop_pages:  # a pagination that goes on (and on)
            page = int(query.get("page", ["1"])[0])
            nxt = f'<a class="next" href="/cat/loop?page={page + 1}">next</a>' if page < self.server.loop_pages else ""
            return self._send(f"<table></table>{nxt}")
        if path.startswith("/cat/") and path[5:] in CATEGORIES:
            items = CATEGORIES[path[5:]]
            page = int(query.get("page", ["1"])[0])
            chunk = items[(page - 1) * PER_PAGE: page * PER_PAGE]
            rows = "".join(f'<tr><td class="item"><a href="/item/{i}">{i}</a></td></tr>' for i in chunk)
            nxt = f'<a class="next" href="{path}?page={page + 1}">next</a>' if page * PER_PAGE < len(items) else ""
            return self._send(f"<table>{rows}</table>{nxt}")
        if path.startswith("/item/"):
            i = int(path[6:])
            with self.server.lock:
                self.server.item_hits += 1
                hit = self.server.item_hits
            if self.server.item_delay:  # no sleep(0): it would change the thread interleaving of other tests
                time.sleep(self.server.item_delay)
            if hit in self.server.expire_at:  # the market drops every session
                self.server.session = "expired"
                return self._send("", 302, {"Location": "/login"})
            if i in self.server.broken:
                return self._send("<html><body><p>maintenance</p></body></html>")
            if i in self.server.fail:
                return self._send("<p>internal error</p>", 500)
            if i in self.server.gone:  # removed after the category page linked it
                return self._send("<p>no such item</p>", 404 if i % 2 else 410)
            if i == 3 and self.server.bad_urls:
                return self._send("", 302, {"Location": "http://[::1"})
            seller = SELLERS[i % len(SELLERS)]
            href = "http://[::1" if i == 4 and self.server.bad_urls else f"/seller/{seller}"
            return self._send(
                f'<div class="item-page"><h1>{html.escape(item_title(i))}</h1>'
                f'<div class="desc"><p>line one</p><p>line two &amp; more</p></div>'
                + (f'<span class="price">USD {10 * i}.00</span>' if not self.server.no_price else "")
                + '<span class="cat">Drugs</span>'
                f'<a class="seller" href="{href}">{seller}</a>'
                f'<ul class="tiers"><li>1 g - USD {10 * i}.00</li><li>5 g - USD {45 * i}.00</li></ul></div>'
            )
        if path.startswith("/seller/") and path[8:] in SELLERS:
            name = path[8:]
            return self._send(
                f'<div class="seller-page"><h1>{name}</h1><pre class="pgp">-----BEGIN PGP PUBLIC KEY BLOCK-----\n'
                f'\nabc\n-----END PGP PUBLIC KEY BLOCK-----</pre>'
                f'<ul class="contacts"><li>Telegram: @{name}_shop</li><li>{name}@example.org</li></ul></div>'
            )
        return self._send("not found", 404)


_LOGIN = ('<form id="login" method="post" action="/login"><input name="user"><input name="pass" type="password">'
          '<input type="hidden" name="csrf" value="tok"></form>')


class MiniMarket(LoopbackServer):
    def __init__(self, broken: set[int] | None = None, expire_at: set[int] | None = None,
                 item_delay: float = 0.0, login_method: str = "post", fail: set[int] | None = None,
                 loop_pages: int = 0, no_price: bool = False, gate: bool = False, bad_urls: bool = False,
                 login_action: str = "/login", gone: set[int] | None = None) -> None:
        super().__init__(_Handler)
        self.login_page = _LOGIN.replace('method="post"', f'method="{login_method}"').replace(
            'action="/login"', f'action="{login_action}"')
        self.item_delay = item_delay  # seconds each item page takes (interrupt tests)
        self.requests: list[tuple[str, str]] = []
        self.broken = broken or set()
        self.fail = fail or set()
        self.gone = gone or set()  # item ids answered 404 (odd) or 410 (even): removed since linked  # item ids answered with HTTP 500 (failed pages, after retries)
        self.loop_pages = loop_pages  # > 0: a category whose pagination runs this many pages deep
        self.no_price = no_price  # the price element is gone (a market redesign: selector drift)
        self.gate = gate
        self.bad_urls = bad_urls  # item 3 redirects to, and item 4 links its seller at, "http://[::1" (no URL)
        self.expire_at = expire_at or set()  # item request numbers at which all sessions expire
        self.item_hits = 0
        self.lock = threading.Lock()
        self.logins = 0
        self.session = SESSION


if __name__ == "__main__":
    import sys
    import time

    with MiniMarket(broken={int(x) for x in sys.argv[1:]}) as m:
        print(m.url, flush=True)
        while True:
            time.sleep(3600)
