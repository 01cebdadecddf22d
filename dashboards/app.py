"""The dashboard ASGI application (Starlette): login, roles, routing, Jinja2 rendering (autoescaped), errors
and security headers. Served by uvicorn (dashboards/web.py); tested in-process with Starlette's TestClient.

Every path but /login needs a session (dashboards/sessions.py): pages redirect to /login, anything else gets
401. State-changing requests are POSTs carrying the session's CSRF token from the same origin. What a role
may open is in ``ALLOWED``; case material is further limited to a case's members (dashboards/cases.py).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import sys
import traceback
from collections.abc import Callable
from contextvars import ContextVar
from http import HTTPStatus
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import parse_qs, urlsplit

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from onionwatch.audit import AuditLog, current_operator
from onionwatch.dashboards import (
    archive_views,
    caseviews,
    city_pages,
    export_views,
    pages,
    pivot_pages,
    report_views,
    trends,
    userviews,
    watchviews,
)
from onionwatch.dashboards.accounts import Accounts, LoginRefused
from onionwatch.dashboards.archive_index import archived_urls
from onionwatch.dashboards.captcha import CaptchaPages
from onionwatch.dashboards.captcha import Request as CaptchaRequest
from onionwatch.dashboards.mirror_page import mirrors_page
from onionwatch.dashboards.params import SEARCH_PARAMS, BadRequest, Params
from onionwatch.dashboards.sessions import COOKIE, Session, Sessions
from onionwatch.errors import AuditError, InputError
from onionwatch.i18n import (
    LANGUAGES,
    NAMES,
    check_language,
    format_date,
    format_datetime,
    format_money,
    format_number,
    get_locale,
    negotiate,
    set_locale,
)
from onionwatch.i18n import gettext as _
from onionwatch.i18n import ngettext as _n
from onionwatch.indexer.store import Store, StoreError
from onionwatch.paths import package_file
from onionwatch.visible import finalize, reveal_html

TEMPLATES = package_file("onionwatch.dashboards", "templates")
Page = Callable[[Store, Params], tuple[str, dict[str, Any]]]
ROUTES: dict[str, tuple[Page, set[str]]] = {
    "/": (pages.search_page, SEARCH_PARAMS),
    "/listing": (pages.listing_page, {"market", "id"}),
    "/vendor": (pivot_pages.vendor_page, {"market", "id", "page", "per_page"}),
    "/pivot": (pivot_pages.pivot_page, {"kind", "value"}),
    "/city": (city_pages.city_page, {"name", "page"}),
    "/map": (city_pages.map_page, {"market"}),
    "/trends": (trends.trends_page, {"market", "weeks", "months", "substance", "end"}),
    "/emerging": (trends.emerging_page, {"days", "ref"}),
    "/alerts": (pages.alerts_page, {"since", "limit", "unacked", "watch"}),
    "/mirrors": (mirrors_page, {"market", "days"}),
}
# pages whose every successful view is written to the audit trail (onionwatch/audit.py) before it is sent
AUDITED = {"/": "search", "/listing": "view.listing", "/vendor": "view.vendor", "/pivot": "view.pivot",
           "/city": "view.city",
           "/alerts": "alerts.view"}
ANALYSIS = ("analyst", "supervisor", "admin")
# path prefix -> roles allowed; the first matching prefix wins (longest first)
ALLOWED: dict[str, tuple[str, ...]] = {
    "/audit": ("auditor", "admin"),
    "/users": ("admin",),
    "/cases/new": ("supervisor", "admin"),
    "/cases/members": ("supervisor", "admin"),
    "/cases/hold": ("supervisor", "admin"),
    "/": ANALYSIS,
}
def N_(message: str) -> str:  # noqa: N802 - gettext's name: marks a msgid for extraction, translated later
    return message


# labels are msgids, translated when a page is rendered (base.html)
NAV = {"analysis": (("/", N_("Search")), ("/trends", N_("Trends")), ("/emerging", N_("Emerging")),
                    ("/map", N_("Map")), ("/alerts", N_("Alerts")), ("/watches", N_("Watches")),
                    ("/captcha", N_("Captchas")), ("/mirrors", N_("Mirrors")), ("/cases", N_("Cases"))),
       "audit": (("/audit", N_("Audit trail")),), "admin": (("/users", N_("Users")),)}  # fmt: skip
# msgids shown through a variable, listed here for `scripts/i18n` to extract: error.html's titles, roles, kinds
DYNAMIC_MESSAGES = (N_("Bad Request"), N_("Unauthorized"), N_("Forbidden"), N_("Not Found"), N_("Method Not Allowed"),
                    N_("Request Entity Too Large"), N_("Internal Server Error"), N_("Service Unavailable"),
                    N_("admin"), N_("supervisor"), N_("analyst"), N_("auditor"),
                    N_("listing"), N_("vendor"), N_("search"))  # fmt: skip
LOGIN_CSRF = "ow_login_csrf"
METHODS = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE"]  # all answered by us (405s too)
CURRENT: ContextVar[Session | None] = ContextVar("onionwatch_session", default=None)  # per request (task)
NO_REDIRECT = {"/captcha/image"}  # not pages: without a session they get 401, not the login page
MAX_FORM = 8192


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        extensions=["jinja2.ext.i18n"],
        autoescape=select_autoescape(["html", "svg"], default_for_string=True, default=True),
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=finalize,  # hidden characters in scraped text are shown, never rendered (onionwatch/visible.py)
    )
    env.filters["visible"] = reveal_html  # the same, as styled <span class="ctl"> markers
    # `_`/gettext/ngettext follow the request's language (onionwatch/i18n.py); {{ _("%(n)s x")|format(n=n) }}
    env.install_gettext_callables(_, _n, newstyle=False)  # type: ignore[attr-defined]
    env.globals["_"] = _
    env.filters["money"] = format_money  # locale-aware: 1,234.50 / 1 234,50
    env.filters["number"] = lambda v, digits=None: format_number(v, digits)  # 1,234.5 / 1 234,5
    env.filters["qty"] = _qty
    env.filters["day"] = format_date  # 2026-12-01 / 01.12.2026
    env.filters["when"] = lambda ts: format_datetime(ts, seconds=True)
    env.filters["epoch"] = lambda t: format_datetime(float(t)) if t else ""
    env.globals["export_links"] = export_views.links  # the "Export" block (templates/export_links.html)
    env.globals["pivot_url"] = pivot_pages.pivot_url  # every identifier shown links to its pivot
    return env


def _qty(q: dict[str, Any] | None) -> str:
    if not q or q.get("value") is None:
        return ""
    unit = q.get("unit") or ""
    label = _("pcs") if unit == "unit" else unit
    return f"{format_number(q['value'])} {label}".strip()


def role_allowed(role: str, path: str) -> bool:
    for prefix in sorted(ALLOWED, key=len, reverse=True):
        if path == prefix or path.startswith(prefix.rstrip("/") + "/") or prefix == "/":
            return role in ALLOWED[prefix]
    return False


class DashboardApp:
    """The dashboard over one store; ``asgi`` is the Starlette application (also callable as ``self``)."""

    def __init__(self, store: Store, audit: AuditLog | None = None, operator: str | None = None,
                 accounts: Accounts | None = None, sessions: Sessions | None = None,
                 allowed_hosts: list[str] | None = None, secure_cookies: bool = False,
                 archive_root: Path | None = None) -> None:  # fmt: skip
        self.store = store
        self.audit = audit or AuditLog()
        self.operator = operator or current_operator()  # the server's operator, named in server-side entries
        self.accounts = accounts or Accounts()
        self.sessions = sessions or Sessions()
        self.secure_cookies = secure_cookies
        self.errors: TextIO = sys.stderr
        self.env = _environment()
        css = (TEMPLATES / "app.css").read_text(encoding="utf-8")
        self.env.globals.update(css=css)
        digest = base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode()
        self.headers = {
            "Content-Security-Policy": f"default-src 'self'; style-src 'sha256-{digest}'; img-src 'self';"
            " script-src 'none'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-src 'self';"
            " frame-ancestors 'none'",
            "X-Content-Type-Options": "nosniff",
            "X-Frame-Options": "DENY",
            # not no-referrer: with it Chromium sends "Origin: null" on our own forms, and POSTs check Origin
            "Referrer-Policy": "same-origin",
            "Cache-Control": "no-store",
            "Cross-Origin-Opener-Policy": "same-origin",
            "Cross-Origin-Resource-Policy": "same-origin",
        }
        self.captcha = CaptchaPages(self.render)  # the crawl-facing form (dashboards/captcha.py)
        self.cases = caseviews.CaseViews(self)
        self.users = userviews.UserViews(self)
        self.archive = archive_views.ArchiveViews(self, archive_root)  # archived pages, bundle downloads
        self.exports = export_views.ExportViews(self)  # /export/*: audited file downloads
        self.reports = report_views.ReportViews(self)  # report PDF/XLSX downloads (audited)
        self.watches = watchviews.WatchViews(self)  # /watches, /alerts/ack
        hosts = allowed_hosts or ["127.0.0.1", "localhost"]
        self.asgi = Starlette(
            routes=[Route("/{path:path}", self.endpoint, methods=METHODS)],
            middleware=[Middleware(TrustedHostMiddleware, allowed_hosts=hosts)],
        )

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        await self.asgi(scope, receive, send)

    # --- request handling -----------------------------------------------------------------------------------

    async def endpoint(self, request: Request) -> Response:
        response = await self.dispatch(request)
        for name, value in self.headers.items():
            response.headers.setdefault(name, value)
        if response.status_code == 405 and request.url.path not in watchviews.PATHS:  # those set their own
            response.headers["Allow"] = "POST" if request.url.path == "/evidence/bundle" else \
                "GET" if request.url.path in export_views.PATHS else \
                "GET, HEAD, POST" if request.url.path in ("/captcha", "/login") \
                else "GET, HEAD"
        return response

    async def dispatch(self, request: Request) -> Response:
        path = request.url.path
        set_locale(negotiate(request.headers.get("accept-language")))  # until a user is known: the browser's
        if path == "/favicon.ico":
            return Response(status_code=204)
        if path == "/login":
            return await self.login(request)
        sid = request.cookies.get(COOKIE)
        session = self.sessions.get(sid)
        if session is None:
            if request.method in ("GET", "HEAD") and path not in NO_REDIRECT:
                return RedirectResponse("/login", status_code=303)
            return self.html(*self.error(401, _("log in first (/login)")))
        current = self.accounts.get(session.user)  # `users disable`/`users role` apply to live sessions too
        if current is None or current.disabled:
            self.sessions.drop(sid)
            return self.html(*self.error(401, _("this account is disabled; log in again")))
        session.role = current.role
        set_locale(current.lang if current.lang in LANGUAGES else None)  # None: $ONIONWATCH_LANG or English
        CURRENT.set(session)  # pages rendered without it (captcha, errors) still show the nav and logout
        if path == "/logout":
            return await self.logout(request, session, sid)
        if path == "/language":
            return await self.switch_language(request, session)
        if not role_allowed(session.role, path):
            return self.html(*self.error(403, _("the %(role)s role cannot open this page") % {"role": _(session.role)}))
        body: bytes | None = b""
        if request.method == "POST":
            body = await _read_limited(request, MAX_FORM)
            if body is None:
                return self.html(*self.error(413, _("the form must be at most %(n)s bytes") % {"n": MAX_FORM}))
        captcha = CaptchaRequest(path, request.method, request.url.query, _same_origin(request), body)
        special = self.captcha.handle(captcha)
        if special is not None:
            status, own, data = special
            return Response(data, status_code=status, headers=dict(own), media_type=None)
        if path in archive_views.PATHS:
            form: dict[str, list[str]] = {}
            if request.method == "POST":
                refusal = self._check_form(request, session, body or b"")
                if refusal is not None:
                    return refusal
                form = parse_qs((body or b"").decode("utf-8", "replace"))
            return await run_in_threadpool(self.archive.handle, path, request.method, request.url.query, session,
                                           form)  # fmt: skip
        if path in export_views.PATHS:
            return await run_in_threadpool(self.exports.handle, path, request.method, request.url.query, session)
        if path in report_views.PATHS:
            return await run_in_threadpool(self.reports.handle, path, request.method, request.url.query, session)
        if path in watchviews.PATHS:
            form = {}
            if request.method == "POST":
                refusal = self._check_form(request, session, body or b"")
                if refusal is not None:
                    return refusal
                form = parse_qs((body or b"").decode("utf-8", "replace"))
            return await run_in_threadpool(self.watches.handle, path, request.method, request.url.query, session,
                                           form)  # fmt: skip
        if path == "/cases" or path.startswith(("/cases/", "/users")) or path in ("/audit", "/searches/save"):
            if request.method == "POST":
                refusal = self._check_form(request, session, body or b"")
                if refusal is not None:
                    return refusal
            if path.startswith("/users"):
                form = parse_qs((body or b"").decode("utf-8", "replace"))
                return self.html(*self.users.handle(path, request.method, session, form))
            return self.html(*self.cases.handle(request, session, parse_qs((body or b"").decode("utf-8",
                                                                                                   "replace"))))
        # store queries block: in a worker thread, so one slow search does not stall every other request
        return self.html(*await run_in_threadpool(self.handle, path, request.method, request.url.query, session))

    def _check_form(self, request: Request, session: Session, body: bytes) -> Response | None:
        form = parse_qs(body.decode("utf-8", "replace"))
        token = form.get("csrf", [""])[0]
        if not _same_origin(request) or not hmac.compare_digest(token.encode(), session.csrf.encode()):
            self._audit_safe(session.user, "csrf.refused", request.url.path, {})
            return self.html(*self.error(403, _("refused: the form is stale or not from this dashboard")))
        return None

    def handle(self, path: str, method: str, query: str, session: Session) -> tuple[int, str]:
        if method not in ("GET", "HEAD"):
            return self.error(405, _("only GET and HEAD are supported"))
        route = ROUTES.get(path)
        if route is None:
            return self.error(404, _("no such page"))
        page, allowed = route
        try:
            params = Params(query)
            pages.check_known(params, allowed)
            template, context = page(self.store, params)
            self._audit(session.user, path, params)
            if path in ("/listing", "/vendor"):
                context["file_form"] = self.cases.file_form(session, path[1:], params)
                context["evidence_form"] = self.archive.form(session, path[1:], params)
                context["archived"] = archived_urls(self.archive.root or archive_views.archive_root(),
                                                    params.values.get("market", ""))  # fmt: skip
            if path == "/listing":
                context.update(pivot_pages.listing_page_extras(context["l"]))
            status = 400 if context.get("errors") else 200  # a page that shows its own input errors
            return status, self.render(template, path=path, session=session, **context)
        except BadRequest as exc:
            return self.error(400, str(exc))
        except pages.NotFound as exc:
            return self.error(404, str(exc))
        except StoreError as exc:
            self.log(exc)
            return self.error(503, _("the store could not answer: %(error)s") % {"error": exc})
        except AuditError as exc:  # fail closed: what cannot be audited is not shown
            self.log(exc)
            return self.error(503, _("the audit trail cannot be written; the page is refused (logged on the server)"))
        except Exception as exc:  # noqa: BLE001 - one page fails, the server keeps serving; logged below
            self.log(exc)
            return self.error(500, _("internal error (logged on the server)"))

    # --- login / logout -------------------------------------------------------------------------------------

    async def login(self, request: Request) -> Response:
        if request.method in ("GET", "HEAD"):
            return self._login_page(200, "")
        if request.method != "POST":
            return self.html(*self.error(405, _("GET, HEAD or POST")))
        body = await _read_limited(request, MAX_FORM)
        form = parse_qs((body or b"").decode("utf-8", "replace"))
        token, cookie = form.get("csrf", [""])[0], request.cookies.get(LOGIN_CSRF, "")
        if not _same_origin(request) or not cookie or not hmac.compare_digest(token.encode(), cookie.encode()):
            self._audit_safe("-", "login.csrf-refused", "", {})
            return self._login_page(403, _("refused: the form is stale or not from this dashboard; try again"))
        name = form.get("user", [""])[0][:64]
        try:
            user = await run_in_threadpool(self.accounts.login, name, form.get("password", [""])[0][:1024],
                                           form.get("code", [""])[0][:12])  # argon2: off the event loop
        except LoginRefused as exc:
            action = "login.locked-out" if "locked-out" in exc.reason else "login.failed"
            try:
                self.audit.append(name or "-", action, name, {"reason": exc.reason, "via": "dashboard"})
            except AuditError as err:
                self.log(err)
            return self._login_page(401, _("login refused: wrong name, password or code, locked out or disabled"))
        try:
            self.audit.append(user.name, "login", user.name, {"role": user.role, "via": "dashboard"})
        except AuditError as exc:
            self.log(exc)
            return self.html(*self.error(503, _("the audit trail cannot be written; login refused")))
        sid = self.sessions.create(user.name, user.role)
        response = RedirectResponse("/audit" if user.role == "auditor" else "/", status_code=303)
        response.set_cookie(COOKIE, sid, httponly=True, samesite="strict", secure=self.secure_cookies, path="/")
        response.delete_cookie(LOGIN_CSRF, path="/login")
        return response

    def _login_page(self, status: int, message: str) -> Response:
        token = secrets.token_urlsafe(24)
        response = self.html(status, self.render("login.html", path="/login", csrf=token, message=message,
                                                 session=None))
        response.set_cookie(LOGIN_CSRF, token, httponly=True, samesite="strict", secure=self.secure_cookies,
                            path="/login")
        return response

    async def logout(self, request: Request, session: Session, sid: str | None) -> Response:
        if request.method != "POST":
            return self.html(*self.error(405, _("log out with the button (POST)")))
        refusal = self._check_form(request, session, await _read_limited(request, MAX_FORM) or b"")
        if refusal is not None:
            return refusal
        self.sessions.drop(sid)
        self._audit_safe(session.user, "logout", session.user, {"via": "dashboard"})
        response = RedirectResponse("/login", status_code=303)
        response.delete_cookie(COOKIE, path="/")
        return response

    async def switch_language(self, request: Request, session: Session) -> Response:
        """POST /language (the header's form): the user's interface language, kept in their account."""
        if request.method != "POST":
            return self.html(*self.error(405, _("choose the language with the form in the header (POST)")))
        body = await _read_limited(request, MAX_FORM) or b""
        refusal = self._check_form(request, session, body)
        if refusal is not None:
            return refusal
        form = parse_qs(body.decode("utf-8", "replace"))
        try:
            lang = check_language(form.get("lang", [""])[0], "lang")
        except InputError as exc:
            return self.html(*self.error(400, str(exc)))
        try:
            self.audit.append(session.user, "user.lang", session.user, {"lang": lang, "via": "dashboard"})
        except AuditError as exc:
            self.log(exc)
            return self.html(*self.error(503, _("the audit trail cannot be written; refused (logged on the server)")))
        await run_in_threadpool(self.accounts.set_language, session.user, lang)
        return RedirectResponse(_back(request), status_code=303)

    # --- helpers --------------------------------------------------------------------------------------------

    def _audit(self, actor: str, path: str, params: Params) -> None:
        action = AUDITED.get(path)
        if action is None:
            return
        if action == "alerts.view":
            self.audit.append(actor, action, "", {"params": dict(params.values), "via": "dashboard"})
            return
        if action == "search":
            kept = {k: v if len(v) > 1 else v[0] for k, v in params.lists.items()}  # every facet value
            self.audit.append(actor, action, params.values.get("q", ""), {"params": kept, "via": "dashboard"})
            return
        if action == "view.pivot":
            target = f"{params.values.get('kind', '')}:{params.values.get('value', '')}"
        elif action == "view.city":
            target = params.values.get("name", "")
        else:
            target = f"{params.values.get('market', '')}:{params.values.get('id', '')}"
        self.audit.append(actor, action, target, {"via": "dashboard"})

    def _audit_safe(self, actor: str, action: str, target: str, details: dict[str, Any]) -> None:
        try:
            self.audit.append(actor, action, target, details)
        except AuditError as exc:
            self.log(exc)

    def render(self, template: str, **context: Any) -> str:
        session = context.get("session") or CURRENT.get()
        context["session"] = session
        nav = () if session is None else NAV["audit"] if session.role == "auditor" else \
            NAV["analysis"] + (NAV["audit"] + NAV["admin"] if session.role == "admin" else ())
        languages = [(code, NAMES[code]) for code in LANGUAGES]
        return self.env.get_template(template).render(nav=nav, lang=get_locale(), languages=languages, **context)

    def error(self, status: int, message: str) -> tuple[int, str]:
        title = HTTPStatus(status).phrase
        return status, self.render("error.html", status=status, title=title, message=message, path="")

    @staticmethod
    def html(status: int, body: str) -> Response:
        return Response(body, status_code=status, media_type="text/html; charset=utf-8")

    def log(self, exc: BaseException) -> None:
        self.errors.write("".join(traceback.format_exception(exc)))


async def _read_limited(request: Request, limit: int) -> bytes | None:
    """The request body, or None when it is over ``limit`` bytes (read no further)."""
    data = bytearray()
    async for chunk in request.stream():
        data += chunk
        if len(data) > limit:
            return None
    return bytes(data)


def _back(request: Request) -> str:
    """Where the language form was sent from (path and query of a same-host Referer), else the search page."""
    referer = urlsplit(request.headers.get("referer", "")[:2000])
    host = request.headers.get("host", "")
    if referer.netloc != host or not referer.path.startswith("/") or referer.path.startswith("//"):
        return "/"
    if referer.path in ("/language", "/logout", "/login"):
        return "/"
    return referer.path + (f"?{referer.query}" if referer.query else "")


def _same_origin(request: Request) -> bool:
    """No Origin header (older clients), or one naming this very host."""
    origin = request.headers.get("origin")
    host = request.headers.get("host", "")
    return origin is None or origin in (f"http://{host}", f"https://{host}")


def make_app(store: Store, audit: AuditLog | None = None, operator: str | None = None, **options: Any) -> DashboardApp:
    """The ASGI application serving ``store``; views are audited to ``audit`` (default: the data dir's audit
    trail) as the logged-in user. ``options``: accounts, sessions, allowed_hosts, secure_cookies."""
    return DashboardApp(store, audit, operator, **options)
