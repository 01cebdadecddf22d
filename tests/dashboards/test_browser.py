"""Real headless Chromium against the dashboard served on 127.0.0.1: search, render, no outside requests."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from onionwatch.dashboards.accounts import Accounts
from onionwatch.dashboards.web import build_server
from onionwatch.indexer.store import open_store
from tests.browser import BROWSER_MARKS, CHROMIUM, CHROMIUM_ARGS, IN_CI
from tests.dashboards.client import PASSWORD
from tests.indexer import data

pytestmark = BROWSER_MARKS


@pytest.fixture
def base_url(tmp_path) -> Iterator[str]:
    url = f"sqlite://{tmp_path}/browser.sqlite"
    store = open_store(url)
    for listings, vendors in data.batches():
        store.write_batch(listings, vendors)
    store.close()
    Accounts().add("ana", "analyst", PASSWORD)
    server = build_server(url, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_search_in_chromium(base_url: str, tmp_path: Path) -> None:
    if IN_CI:
        from playwright.sync_api import sync_playwright
    else:
        sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright
    requests: list[str] = []
    problems: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.on("request", lambda req: requests.append(req.url))
            page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
            page.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
            page.goto(base_url + "/")
            page.wait_for_url("**/login")  # no session: the login page first
            page.fill("input[name=user]", "ana")
            page.fill("input[name=password]", PASSWORD)
            page.click("main button[type=submit]")
            page.wait_for_url(base_url + "/")
            assert page.locator(".hit").count() == 8
            page.fill("input[name=q]", "mdma")
            page.click("main button[type=submit]")
            page.wait_for_url("**/?q=mdma*")
            titles = page.locator(".hit .title").all_inner_texts()
            assert sorted(titles) == sorted(["Pure MDMA crystals 84%", data.HOSTILE_TITLE])
            assert page.locator(".hit mark").count() >= 2
            assert page.locator("aside a.active").count() == 0
            page.click("aside a:has-text('alpha')")
            assert page.locator(".hit").count() == 2 and "market=alpha" in page.url
            shot = Path(os.environ.get("ONIONWATCH_ARTIFACTS", tmp_path)) / "dashboard-search.png"
            shot.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(shot), full_page=True)
        finally:
            browser.close()
    hosts = {urlsplit(u).hostname for u in requests if not u.startswith(("data:", "about:"))}
    assert hosts == {"127.0.0.1"}, requests
    assert problems == []  # no script ran, no CSP violation, no console error
    assert shot.stat().st_size > 10_000
