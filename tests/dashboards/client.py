"""In-process dashboard clients (Starlette's TestClient over the real ASGI app): log in as a user of a role,
then request pages. The users are created in the app's own auth database (the test's private data dir)."""

from __future__ import annotations

import io
import re
from typing import Any
from urllib.parse import urlencode

from starlette.testclient import TestClient

from onionwatch.dashboards.app import DashboardApp

PASSWORD = "correct horse battery staple"
BASE = "http://127.0.0.1"


class Response:
    def __init__(self, status: int, headers: dict[str, str], body: bytes, errors: str) -> None:
        self.status = status
        self.headers = {k.lower(): v for k, v in headers.items()}
        self.body = body
        self.text = body.decode("utf-8", "replace")
        self.errors = errors


def client(app: DashboardApp) -> TestClient:
    return TestClient(app, base_url=BASE, follow_redirects=False)


def form_token(text: str, name: str = "csrf") -> str:
    match = re.search(rf'name="{name}" value="([^"]+)"', text)
    assert match, text[:500]
    return match.group(1)


def login(app: DashboardApp, user: str = "analyst1", role: str = "analyst", **post: str) -> TestClient:
    """A client logged in as ``user`` (created with ``role`` if new)."""
    if app.accounts.get(user) is None:
        app.accounts.add(user, role, PASSWORD)
    c = client(app)
    token = form_token(c.get("/login").text)
    r = c.post("/login", data={"csrf": token, "user": user, "password": PASSWORD, **post})
    assert r.status_code == 303, r.text[:500]
    return c


def call(app: Any, path: str, query: dict[str, Any] | str = "", method: str = "GET",
         user: str = "analyst1", role: str = "analyst") -> Response:  # fmt: skip
    """Request ``path`` as a logged-in user (an app gets one cached analyst client; a client is used as is)."""
    if isinstance(app, DashboardApp):
        if not isinstance(app.errors, io.StringIO):
            app.errors = io.StringIO()
        cached = getattr(app, "_test_clients", {})
        app._test_clients = cached  # type: ignore[attr-defined]
        if user not in cached:
            cached[user] = login(app, user, role)
        c, errors = cached[user], app.errors
    else:
        c, errors = app, None
    q = query if isinstance(query, str) else urlencode(query)
    r = c.request(method, path + (f"?{q}" if q else ""))
    return Response(r.status_code, dict(r.headers), r.content, errors.getvalue() if errors else "")
