"""Login, sessions, CSRF, Host allow-list, roles and case limits, in-process over the real ASGI app."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from onionwatch.audit import AuditLog
from onionwatch.dashboards.accounts import MAX_FAILURES
from onionwatch.dashboards.app import DashboardApp, make_app
from onionwatch.dashboards.sessions import IDLE, Sessions
from onionwatch.errors import ServeError
from onionwatch.indexer.store import open_store
from tests.dashboards.client import PASSWORD, client, form_token, login
from tests.indexer import data


class Clock:
    now = 2_000_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def app(tmp_path: Path, clock: Clock) -> Iterator[DashboardApp]:
    store = open_store(f"sqlite://{tmp_path}/dash.sqlite")
    for listings, vendors in data.batches():
        store.write_batch(listings, vendors)
    yield make_app(store, audit=AuditLog(tmp_path / "audit.jsonl"), sessions=Sessions(clock))
    store.close()


def actions(app: DashboardApp) -> list[tuple[str, str]]:
    return [(e["actor"], e["action"]) for e in app.audit.entries()]


def post(c: TestClient, path: str, **form: str) -> Any:
    return c.post(path, data=form)


def csrf(c: TestClient) -> str:
    return form_token(c.get("/trends").text)


@pytest.mark.parametrize(("method", "path", "status"), [
    ("GET", "/", 303), ("GET", "/listing?market=alpha&id=a1", 303), ("GET", "/cases", 303), ("GET", "/audit", 303),
    ("GET", "/captcha/image?market=x", 401), ("POST", "/cases/new", 401), ("POST", "/captcha", 401),
    ("GET", "/cases/view?id=1", 303), ("GET", "/nosuchpage", 303), ("POST", "/logout", 401),
])
def test_everything_needs_a_session(app: DashboardApp, method: str, path: str, status: int) -> None:
    r = client(app).request(method, path)
    assert r.status_code == status
    assert "MDMA" not in r.text
    if status == 303:
        assert r.headers["location"] == "/login"


def test_login_logout_audited(app: DashboardApp) -> None:
    c = login(app, "ana", "analyst")
    assert c.get("/").status_code == 200
    token = csrf(c)
    assert post(c, "/logout").status_code == 403  # no token
    assert post(c, "/logout", csrf=token).status_code == 303
    assert c.get("/").status_code == 303
    assert actions(app) == [("ana", "login"), ("ana", "search"), ("ana", "csrf.refused"), ("ana", "logout")]


def test_login_csrf_refused(app: DashboardApp) -> None:
    app.accounts.add("ana", "analyst", PASSWORD)
    c = client(app)
    token = form_token(c.get("/login").text)
    assert post(c, "/login", csrf="forged", user="ana", password=PASSWORD).status_code == 403
    fresh = client(app)  # has no login-CSRF cookie: a cross-site form
    assert post(fresh, "/login", csrf=token, user="ana", password=PASSWORD).status_code == 403
    r = c.post("/login", data={"csrf": token, "user": "ana", "password": PASSWORD},
               headers={"origin": "http://evil.example"})
    assert r.status_code == 403 and c.get("/").status_code == 303
    assert [a for _, a in actions(app)] == ["login.csrf-refused"] * 3


def test_lock_out_over_the_web(app: DashboardApp) -> None:
    app.accounts.add("ana", "analyst", PASSWORD)
    c = client(app)
    for _ in range(MAX_FAILURES):
        token = form_token(c.get("/login").text)
        r = post(c, "/login", csrf=token, user="ana", password="wrong password!")
        assert r.status_code == 401 and "login refused" in r.text
    token = form_token(c.get("/login").text)
    assert post(c, "/login", csrf=token, user="ana", password=PASSWORD).status_code == 401
    assert [a for _, a in actions(app)] == ["login.failed"] * (MAX_FAILURES - 1) + ["login.locked-out"] * 2
    assert "wrong password" not in app.audit.path.read_text()  # passwords never reach the trail


def test_idle_timeout_logs_out(app: DashboardApp, clock: Clock) -> None:
    c = login(app, "ana", "analyst")
    clock.now += IDLE - 5
    assert c.get("/trends").status_code == 200
    clock.now += IDLE + 5
    assert c.get("/trends").status_code == 303


def test_host_header_refused(app: DashboardApp) -> None:
    c = login(app, "ana", "analyst")
    assert c.get("/trends", headers={"host": "evil.example"}).status_code == 400
    assert c.get("/trends", headers={"host": "localhost"}).status_code == 200


@pytest.mark.parametrize(("role", "path", "status"), [
    ("auditor", "/", 403), ("auditor", "/listing?market=alpha&id=a1", 403), ("auditor", "/cases", 403),
    ("auditor", "/audit", 200), ("analyst", "/audit", 403), ("analyst", "/", 200), ("analyst", "/cases", 200),
    ("supervisor", "/audit", 403), ("supervisor", "/cases", 200), ("admin", "/audit", 200), ("admin", "/", 200),
])
def test_role_limits(app: DashboardApp, role: str, path: str, status: int) -> None:
    c = login(app, f"u-{role}", role)
    r = c.get(path)
    assert r.status_code == status
    if status == 403:
        assert "Pure MDMA" not in r.text


def test_only_supervisors_open_cases(app: DashboardApp) -> None:
    ana = login(app, "ana", "analyst")
    assert post(ana, "/cases/new", csrf=csrf(ana), title="mine").status_code == 403
    sue = login(app, "sue", "supervisor")
    assert post(sue, "/cases/new", title="no token").status_code == 403
    r = post(sue, "/cases/new", csrf=csrf(sue), title="Op <b>One</b>")
    assert r.status_code == 200 and "Op &lt;b&gt;One&lt;/b&gt;" in r.text


def test_analyst_sees_only_own_cases(app: DashboardApp) -> None:
    ana, bob, sue = login(app, "ana", "analyst"), login(app, "bob", "analyst"), login(app, "sue", "supervisor")
    token = csrf(sue)
    for number, (title, member) in enumerate((("Op Ana", "ana"), ("Op Bob", "bob")), 1):
        assert post(sue, "/cases/new", csrf=token, title=title).status_code == 200
        assert post(sue, "/cases/members", csrf=token, case=str(number), user=member).status_code == 200
    r = post(ana, "/cases/file", csrf=csrf(ana), case="1", kind="listing", key="alpha:a1", tags="t", note="n1")
    assert r.status_code == 200 and "alpha:a1" in r.text
    assert post(bob, "/cases/file", csrf=csrf(bob), case="2", kind="search", key="secret bob term").status_code == 200
    assert "Op Bob" not in ana.get("/cases").text and "Op Ana" in ana.get("/cases").text
    r = ana.get("/cases/view?id=2")  # by URL
    assert r.status_code == 403 and "secret bob term" not in r.text
    assert post(ana, "/cases/file", csrf=csrf(ana), case="2", kind="listing", key="alpha:a2").status_code == 403
    assert ana.get("/cases/view?id=1").status_code == 200
    assert ana.get("/cases/view?id=99").status_code == 404 and ana.get("/cases/view?id=x").status_code == 400
    assert "secret bob term" in sue.get("/cases/view?id=2").text  # supervisors see every case
    listing = ana.get("/listing?market=alpha&id=a1").text
    assert "File in a case" in listing and "Op Ana" in listing and "Op Bob" not in listing
    assert ("ana", "case.refused") in actions(app)


def test_non_loopback_needs_tls(tmp_path: Path) -> None:
    from onionwatch.dashboards.web import build_server

    url = f"sqlite://{tmp_path}/s.sqlite"
    with pytest.raises(ServeError, match="not a loopback address"):
        build_server(url, "0.0.0.0", 0)  # noqa: S104 - the refusal under test
    with pytest.raises(ServeError, match="go together"):
        build_server(url, "127.0.0.1", 0, tls_cert=str(tmp_path / "c.pem"))
    with pytest.raises(ServeError, match="not a readable file"):
        build_server(url, "0.0.0.0", 0, tls_cert=str(tmp_path / "c.pem"), tls_key=str(tmp_path / "k.pem"))  # noqa: S104


def test_disable_and_role_change_apply_to_live_sessions(app: DashboardApp) -> None:
    """`onionwatch users disable|role` run in another process: the next request of a live session obeys."""
    from onionwatch.dashboards.accounts import Accounts

    c = login(app, "ana", "analyst")
    other = Accounts()  # a second connection to the same auth database, as the CLI would open
    other.set_role("ana", "auditor")
    assert c.get("/").status_code == 403 and c.get("/audit").status_code == 200
    other.disable("ana")
    assert c.get("/audit").status_code == 401
    other.db.execute("UPDATE users SET disabled = 0 WHERE name = 'ana'")
    assert c.get("/audit").status_code == 303  # the session was dropped: log in again
    other.close()


def test_saved_searches_of_ones_own(app: DashboardApp) -> None:
    ana, bob = login(app, "ana", "analyst"), login(app, "bob", "analyst")
    page = ana.get("/?q=mdma").text
    assert 'action="/searches/save"' in page
    r = post(ana, "/searches/save", csrf=form_token(page), q="mdma <x>", name="my mdma")
    assert r.status_code == 200 and "my mdma" in r.text
    assert "my mdma" not in bob.get("/cases").text
    assert post(bob, "/searches/save", q="x").status_code == 403  # no token
    assert ("ana", "search.save") in actions(app)


def test_admin_manages_users_others_cannot(app: DashboardApp) -> None:
    root, ana, sue = login(app, "root", "admin"), login(app, "ana", "analyst"), login(app, "sue", "supervisor")
    assert ana.get("/users").status_code == 403 and sue.get("/users").status_code == 403
    assert post(sue, "/users/role", csrf=csrf(sue), user="ana", role="admin").status_code == 403
    page = root.get("/users")
    assert page.status_code == 200 and "sue" in page.text
    token = form_token(page.text)
    assert post(root, "/users/role", user="ana", role="supervisor").status_code == 403  # no token
    assert post(root, "/users/role", csrf=token, user="ana", role="god").status_code == 400
    assert post(root, "/users/role", csrf=token, user="root", role="analyst").status_code == 400  # not oneself
    assert post(root, "/users/role", csrf=token, user="ana", role="supervisor").status_code == 200
    assert ana.get("/cases").status_code == 200 and app.accounts.get("ana").role == "supervisor"  # type: ignore[union-attr]
    assert post(root, "/users/disable", csrf=token, user="sue").status_code == 200
    assert sue.get("/").status_code == 303  # her session ended
    assert [(a, t) for a, t in actions(app) if t.startswith("user.")] == [("root", "user.role"),
                                                                          ("root", "user.disable")]


def test_totp_login_over_the_web(app: DashboardApp) -> None:
    import pyotp

    app.accounts.add("ana", "analyst", PASSWORD)
    secret = app.accounts.enrol_totp("ana")
    c = client(app)
    token = form_token(c.get("/login").text)
    assert post(c, "/login", csrf=token, user="ana", password=PASSWORD).status_code == 401  # no code
    token = form_token(c.get("/login").text)
    r = post(c, "/login", csrf=token, user="ana", password=PASSWORD, code=pyotp.TOTP(secret).now())
    assert r.status_code == 303 and c.get("/trends").status_code == 200
    assert [a for _, a in actions(app)] == ["login.failed", "login"]
    assert secret not in app.audit.path.read_text()
