"""Real headless Chromium as three users (supervisor, two analysts) against the dashboard served on 127.0.0.1:
login, lock-out, a cross-origin form refused (CSRF), an analyst cannot open another case by URL."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from onionwatch.audit import AuditLog
from onionwatch.dashboards.accounts import MAX_FAILURES, Accounts
from onionwatch.dashboards.cases import Cases
from onionwatch.dashboards.web import build_server
from onionwatch.indexer.store import open_store
from tests.browser import BROWSER_MARKS, CHROMIUM, CHROMIUM_ARGS, IN_CI
from tests.dashboards.client import PASSWORD
from tests.indexer import data

pytestmark = BROWSER_MARKS
BOB_NOTE = "bob-only-secret-note"


@pytest.fixture
def base_url(tmp_path: Path) -> Iterator[str]:
    url = f"sqlite://{tmp_path}/browser.sqlite"
    store = open_store(url)
    for listings, vendors in data.batches():
        store.write_batch(listings, vendors)
    store.close()
    accounts = Accounts()
    for name, role in (("sue", "supervisor"), ("ana", "analyst"), ("bob", "analyst")):
        accounts.add(name, role, PASSWORD)
    cases = Cases(accounts.db)
    for title, member in (("Op Ana", "ana"), ("Op Bob", "bob")):
        case = cases.add(title)
        cases.member(case.id, member)
    cases.file(2, "listing", "alpha:a3", "opioid", BOB_NOTE, "bob")
    accounts.close()
    server = build_server(url, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def attacker(base_url: str) -> Iterator[str]:
    """Another origin (another port) with a form posting to the dashboard, without the CSRF token."""
    page = (f'<!doctype html><form method="post" action="{base_url}/cases/file">'
            '<input name="case" value="1"><input name="kind" value="listing"><input name="key" value="alpha:planted">'
            '<button id="go" type="submit">go</button></form>').encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()


def _login(page: Any, base_url: str, user: str, password: str = PASSWORD) -> None:
    page.goto(base_url + "/login")
    page.fill("input[name=user]", user)
    page.fill("input[name=password]", password)
    page.click("main button[type=submit]")


def test_three_users_in_chromium(base_url: str, attacker: str, private_data_dir: Path) -> None:
    if IN_CI:
        from playwright.sync_api import sync_playwright
    else:
        sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright
    problems: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            contexts = {name: browser.new_context() for name in ("sue", "ana", "bob")}
            pages = {name: ctx.new_page() for name, ctx in contexts.items()}
            for p in pages.values():
                p.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)

            # ana logs in, sees only her case, files a listing in it from the listing page
            ana = pages["ana"]
            _login(ana, base_url, "ana")
            ana.wait_for_url(base_url + "/")
            ana.goto(base_url + "/cases")
            assert ana.locator("tr.case").all_inner_texts() == [ana.locator("tr.case").first.inner_text()]
            assert "Op Ana" in ana.content() and "Op Bob" not in ana.content()
            ana.goto(base_url + "/listing?market=alpha&id=a1")
            ana.fill("input[name=note]", "<b>seen twice</b>")
            ana.click("form[action='/cases/file'] button[type=submit]")
            assert ana.locator("tr.item").count() == 1 and "<b>seen twice</b>" in ana.locator("tr.item").inner_text()
            # ... and cannot open bob's case by URL
            response = ana.goto(base_url + "/cases/view?id=2")
            assert response is not None and response.status == 403
            assert BOB_NOTE not in ana.content()

            # a form on another origin, sent with ana's cookie but without the token: refused
            ana.goto(attacker)
            ana.click("#go")
            assert "stale or not from this dashboard" in ana.content()
            ana.goto(base_url + "/cases/view?id=1")
            assert ana.locator("tr.item").count() == 1 and "planted" not in ana.content()

            # the supervisor sees every case
            sue = pages["sue"]
            _login(sue, base_url, "sue")
            sue.goto(base_url + "/cases/view?id=2")
            assert BOB_NOTE in sue.content()

            # bob mistypes his password until locked out; then the right one is refused too
            bob = pages["bob"]
            for _ in range(MAX_FAILURES):
                _login(bob, base_url, "bob", "not his password")
                assert "login refused" in bob.content()
            _login(bob, base_url, "bob")
            assert "login refused" in bob.content() and bob.url.endswith("/login")
            bob.goto(base_url + "/cases/view?id=2")
            assert bob.url.endswith("/login")
        finally:
            browser.close()
    assert problems == [] or all("403" in p or "401" in p for p in problems), problems
    entries = list(AuditLog(private_data_dir / "audit" / "audit.jsonl").entries())
    got = {(e["actor"], e["action"]) for e in entries}
    assert {("ana", "login"), ("ana", "case.file"), ("ana", "case.refused"), ("ana", "csrf.refused"),
            ("sue", "view.case"), ("bob", "login.failed"), ("bob", "login.locked-out")} <= got
    assert ("bob", "login") not in got
