"""Request routing of the two market templates (login/session for abyss, open klad shop for kladmen)."""

from __future__ import annotations

import re
import secrets
import threading
from dataclasses import dataclass, field
from urllib.parse import parse_qs, unquote

from onionwatch.testbed import html_abyss, html_kladmen
from onionwatch.testbed.model import Market

TESTBED_USERNAME = "analyst"  # the testbed account (abyss login); not a real secret
TESTBED_PASSWORD = "testbed-analyst"
SESSION_COOKIE = "abyss_session"


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes = b""
    cookies: dict[str, str] = field(default_factory=dict)

    def param(self, name: str, default: str = "") -> str:
        values = self.query.get(name)
        return values[0] if values else default


@dataclass
class Response:
    status: int
    body: str
    content_type: str = "text/html; charset=utf-8"
    headers: list[tuple[str, str]] = field(default_factory=list)


def redirect(location: str, *headers: tuple[str, str]) -> Response:
    return Response(302, f'<a href="{location}">moved</a>', headers=[("Location", location), *headers])


def not_found() -> Response:
    return Response(404, "<html><body><h1>404 Not Found</h1></body></html>")


def _page_number(req: Request) -> int | None:
    raw = req.param("page", "1") if "page" in req.query else req.param("str", "1")
    return int(raw) if raw.isdigit() and len(raw) < 7 else None


_CSS_ABYSS = "body{background:#111;color:#ddd;font-family:sans-serif}.listing-card{border:1px solid #333}"
_CSS_KLADMEN = "body{background:#fff;color:#222;font-family:Verdana}.tovar{border-bottom:1px dotted #999}"


class AbyssSite:
    """English market: everything but /login and /static/ needs a session cookie."""

    def __init__(self, market: Market, username: str = TESTBED_USERNAME, password: str = TESTBED_PASSWORD):
        self.market = market
        self.username, self.password = username, password
        self._csrf: set[str] = set()
        self._sessions: dict[str, str] = {}
        self._lock = threading.Lock()
        self.set_market(market)

    def set_market(self, market: Market) -> None:
        """Serve `market` from now on (a changed epoch); sessions stay valid."""
        by_vendor: dict[str, list] = {}
        for li in market.listings:
            by_vendor.setdefault(li.vendor.vendor_id, []).append(li)
        self.market, self._by_vendor = market, by_vendor

    def expire_sessions(self) -> None:
        with self._lock:
            self._sessions.clear()

    def _new_csrf(self) -> str:
        token = secrets.token_urlsafe(18)
        with self._lock:
            self._csrf.add(token)
        return token

    def _login(self, req: Request) -> Response:
        form = parse_qs(req.body.decode("utf-8", "replace"))
        csrf = (form.get("csrf_token") or [""])[0]
        with self._lock:
            valid_csrf = csrf in self._csrf
            self._csrf.discard(csrf)
        if not valid_csrf:
            return Response(200, html_abyss.login_page(self._new_csrf(), "Invalid form token, please retry."))
        user = (form.get("username") or [""])[0]
        if user != self.username or (form.get("password") or [""])[0] != self.password:
            return Response(200, html_abyss.login_page(self._new_csrf(), "Wrong username or password."))
        token = secrets.token_hex(16)
        with self._lock:
            self._sessions[token] = user
        return redirect("/", ("Set-Cookie", f"{SESSION_COOKIE}={token}; Path=/; HttpOnly"))

    def handle(self, req: Request) -> Response:
        if req.path == "/login":
            if req.method == "POST":
                return self._login(req)
            return Response(200, html_abyss.login_page(self._new_csrf()))
        if req.path == "/static/abyss.css":
            return Response(200, _CSS_ABYSS, "text/css")
        with self._lock:
            user = self._sessions.get(req.cookies.get(SESSION_COOKIE, ""))
        if user is None:
            return redirect("/login")
        if req.path == "/logout":
            with self._lock:
                self._sessions.pop(req.cookies.get(SESSION_COOKIE, ""), None)
            return redirect("/login")
        return self._page(req, user) or not_found()

    def _page(self, req: Request, user: str) -> Response | None:
        m = self.market
        if req.path == "/":
            return Response(200, html_abyss.home_page(m, user))
        if match := re.fullmatch(r"/category/([a-z0-9-]+)", req.path):
            page = _page_number(req)
            html = html_abyss.category_page(m, match.group(1), page, user) if page else None
            return Response(200, html) if html else None
        if match := re.fullmatch(r"/listing/(\d+)", req.path):
            li = m.listing_by_id.get(match.group(1))
            return Response(200, html_abyss.listing_page(li, user)) if li else None
        if match := re.fullmatch(r"/vendor/([^/]+)", req.path):
            v = m.vendor_by_id.get(unquote(match.group(1)))
            return Response(200, html_abyss.vendor_page(v, self._by_vendor.get(v.vendor_id, []), user)) if v else None
        return None


class KladmenSite:
    """Russian klad shop: open, city -> district -> product list; shop pages."""

    def __init__(self, market: Market):
        self.set_market(market)

    def set_market(self, market: Market) -> None:
        """Serve `market` from now on (a changed epoch)."""
        by_vendor: dict[str, list] = {}
        for li in market.listings:
            by_vendor.setdefault(li.vendor.vendor_id, []).append(li)
        self.market, self._by_vendor = market, by_vendor

    def expire_sessions(self) -> None:
        """No sessions on this market."""

    def handle(self, req: Request) -> Response:
        m = self.market
        if req.path == "/static/kladmen.css":
            return Response(200, _CSS_KLADMEN, "text/css")
        if req.path == "/":
            return Response(200, html_kladmen.home_page(m))
        if match := re.fullmatch(r"/g/([a-z0-9-]+)", req.path):
            html = html_kladmen.city_page(m, match.group(1))
            return Response(200, html) if html else not_found()
        if match := re.fullmatch(r"/g/([a-z0-9-]+)/([a-z0-9-]+)", req.path):
            page = _page_number(req)
            html = html_kladmen.district_page(m, match.group(1), match.group(2), page) if page else None
            return Response(200, html) if html else not_found()
        if match := re.fullmatch(r"/tovar/(\d+)", req.path):
            li = m.listing_by_id.get(match.group(1))
            return Response(200, html_kladmen.product_page(li)) if li else not_found()
        if match := re.fullmatch(r"/shop/([a-z0-9-]+)", req.path):
            v = m.vendor_by_id.get(match.group(1))
            if v is None:
                return not_found()
            return Response(200, html_kladmen.shop_page(v, self._by_vendor.get(v.vendor_id, [])))
        return not_found()
