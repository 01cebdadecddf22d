"""What every Chromium dashboard test does first: serve a store on 127.0.0.1, open Chromium (tests/browser.py
flags) with every request and console error recorded, and log in."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from onionwatch.dashboards.accounts import Accounts
from onionwatch.dashboards.web import build_server
from onionwatch.indexer.store import open_store
from tests.browser import CHROMIUM, CHROMIUM_ARGS, IN_CI
from tests.dashboards.client import PASSWORD
from tests.indexer import data


def sample_store(tmp_path: Path, name: str = "browser.sqlite") -> str:
    """A SQLite store holding tests/indexer/data.py's batches; its URL."""
    url = f"sqlite://{tmp_path}/{name}"
    store = open_store(url)
    for listings, vendors in data.batches():
        store.write_batch(listings, vendors)
    store.close()
    return url


@contextmanager
def served(url: str, user: str | None = "ana", role: str = "analyst") -> Iterator[str]:
    """The dashboard over ``url`` on a free loopback port (an account ``user`` with PASSWORD); its base URL."""
    if user:
        Accounts().add(user, role, PASSWORD)
    server = build_server(url, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


def _sync_playwright() -> Callable[[], Any]:
    if IN_CI:  # in CI a missing Playwright is a failure, not a skip
        from playwright.sync_api import sync_playwright

        return sync_playwright
    return pytest.importorskip("playwright.sync_api").sync_playwright  # type: ignore[no-any-return]


@dataclass
class Seen:
    """What the page asked for and complained about while the test ran."""

    requests: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # console errors and dialogs


@contextmanager
def chromium_page(**page_options: Any) -> Iterator[tuple[Any, Seen]]:
    """A fresh Chromium page (``page_options`` as Browser.new_page) and what it saw."""
    seen = Seen()
    with _sync_playwright()() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(**page_options)
            page.on("request", lambda req: seen.requests.append(req.url))
            page.on("console", lambda msg: seen.problems.append(msg.text) if msg.type == "error" else None)
            page.on("dialog", lambda d: (seen.problems.append(f"dialog: {d.message}"), d.dismiss()))
            yield page, seen
        finally:
            browser.close()


def log_in(page: Any, base_url: str, user: str = "ana") -> None:
    page.goto(base_url + "/login")
    page.fill("input[name=user]", user)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(base_url + "/")
