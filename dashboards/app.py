"""The dashboard WSGI application: routing, Jinja2 rendering (autoescaped), errors and security headers."""

from __future__ import annotations

import base64
import hashlib
import sys
import traceback
from collections.abc import Callable, Iterable
from http import HTTPStatus
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from onionwatch.dashboards import pages
from onionwatch.dashboards.captcha import CaptchaPages
from onionwatch.dashboards.params import BadRequest, Params
from onionwatch.indexer.store import Store, StoreError
from onionwatch.paths import package_file
from onionwatch.visible import finalize, reveal_html

TEMPLATES = package_file("onionwatch.dashboards", "templates")
Page = Callable[[Store, Params], tuple[str, dict[str, Any]]]
SEARCH_PARAMS = {"q", "market", "vendor", "substance", "class", "min_price", "max_price", "since", "until",
                 "page", "per_page"}  # fmt: skip
ROUTES: dict[str, tuple[Page, set[str]]] = {
    "/": (pages.search_page, SEARCH_PARAMS),
    "/listing": (pages.listing_page, {"market", "id"}),
    "/vendor": (pages.vendor_page, {"market", "id"}),
    "/trends": (pages.trends_page, {"market", "weeks", "months", "substance"}),
    "/emerging": (pages.emerging_page, {"days", "ref"}),
    "/alerts": (pages.alerts_page, {"since", "limit"}),
}
NAV = (("/", "Search"), ("/trends", "Trends"), ("/emerging", "Emerging"), ("/alerts", "Alerts"),
       ("/captcha", "Captchas"))


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html", "svg"], default_for_string=True, default=True),
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=finalize,  # hidden characters in scraped text are shown, never rendered (onionwatch/visible.py)
    )
    env.filters["visible"] = reveal_html  # the same, as styled <span class="ctl"> markers
    env.filters["money"] = lambda v: "" if v is None else f"{v:,.2f}"
    env.filters["qty"] = _qty
    env.filters["day"] = lambda ts: (ts or "")[:10]
    env.filters["when"] = lambda ts: (ts or "").replace("T", " ").replace("Z", " UTC")
    return env


def _qty(q: dict[str, Any] | None) -> str:
    if not q or q.get("value") is None:
        return ""
    unit = q.get("unit") or ""
    return f"{q['value']:g} {'pcs' if unit == 'unit' else unit}".strip()


class DashboardApp:
    """WSGI callable over one store. Only GET/HEAD; unknown paths 404; bad parameters 400 (no traceback)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.env = _environment()
        css = (TEMPLATES / "app.css").read_text(encoding="utf-8")
        self.env.globals.update(css=css, nav=NAV)
        digest = base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode()
        self.headers = [
            (
                "Content-Security-Policy",
                f"default-src 'self'; style-src 'sha256-{digest}'; img-src 'self'; script-src 'none';"
                " object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
            ),
            ("X-Content-Type-Options", "nosniff"),
            ("X-Frame-Options", "DENY"),
            ("Referrer-Policy", "no-referrer"),
            ("Cache-Control", "no-store"),
            ("Cross-Origin-Opener-Policy", "same-origin"),
            ("Cross-Origin-Resource-Policy", "same-origin"),
        ]
        self.captcha = CaptchaPages(self.render)  # the one page taking POST (dashboards/captcha.py)

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        special = self.captcha.handle(environ)
        if special is not None:
            status, own, data = special
        else:
            status, body = self.handle(environ)
            own, data = [("Content-Type", "text/html; charset=utf-8")], body.encode("utf-8")
        headers = [*own, ("Content-Length", str(len(data))), *self.headers]
        if status == 405:
            headers.append(("Allow", "GET, HEAD"))
        start_response(f"{status} {HTTPStatus(status).phrase}", headers)
        return [b""] if environ.get("REQUEST_METHOD") == "HEAD" else [data]

    def handle(self, environ: dict[str, Any]) -> tuple[int, str]:
        path = environ.get("PATH_INFO") or "/"
        if environ.get("REQUEST_METHOD", "GET") not in ("GET", "HEAD"):
            return self.error(405, "only GET and HEAD are supported")
        if path == "/favicon.ico":
            return 204, ""
        route = ROUTES.get(path)
        if route is None:
            return self.error(404, "no such page")
        page, allowed = route
        try:
            params = Params(environ.get("QUERY_STRING", ""))
            pages.check_known(params, allowed)
            template, context = page(self.store, params)
            return 200, self.render(template, path=path, **context)
        except BadRequest as exc:
            return self.error(400, str(exc))
        except pages.NotFound as exc:
            return self.error(404, str(exc))
        except StoreError as exc:
            self._log(environ, exc)
            return self.error(503, f"the store could not answer: {exc}")
        except Exception as exc:  # noqa: BLE001 - one page fails, the server keeps serving; logged below
            self._log(environ, exc)
            return self.error(500, "internal error (logged on the server)")

    def render(self, template: str, **context: Any) -> str:
        return self.env.get_template(template).render(**context)

    def error(self, status: int, message: str) -> tuple[int, str]:
        title = HTTPStatus(status).phrase
        return status, self.render("error.html", status=status, title=title, message=message, path="")

    @staticmethod
    def _log(environ: dict[str, Any], exc: BaseException) -> None:
        stream = environ.get("wsgi.errors") or sys.stderr
        stream.write("".join(traceback.format_exception(exc)))


def make_app(store: Store) -> DashboardApp:
    """The WSGI application serving ``store`` (for tests and any WSGI server)."""
    return DashboardApp(store)
