"""Real headless Chromium: a BTC address on a listing page → its pivot → the other market's vendor → page 2 of
that vendor's listing history; the map → a city view. No outside request, no script, no console error."""

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
from tests.indexer.test_pivots import BTC, batches, item
from tests.indexer.test_places import LISTINGS

pytestmark = BROWSER_MARKS


@pytest.fixture
def base_url(tmp_path: Path) -> Iterator[str]:
    url = f"sqlite://{tmp_path}/browser.sqlite"
    store = open_store(url)
    for listings, vendors in batches():
        store.write_batch(listings, vendors)
    # the alpha vendor's history spans three pages of 20
    store.write_batch([item("alpha", f"h{i:02d}", "Ice Shop", "v-ice", f"2024-03-{i + 1:02d}T00:00:00Z")
                       for i in range(28)], [])  # fmt: skip
    store.write_batch(LISTINGS, [])
    store.close()
    Accounts().add("ana", "analyst", PASSWORD)
    server = build_server(url, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_pivot_from_a_listing_to_another_markets_vendor_and_the_map(base_url: str, tmp_path: Path) -> None:
    if IN_CI:
        from playwright.sync_api import sync_playwright
    else:
        sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright
    requests: list[str] = []
    problems: list[str] = []
    shots = Path(os.environ.get("ONIONWATCH_ARTIFACTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.on("request", lambda req: requests.append(req.url))
            page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
            page.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
            page.goto(base_url + "/login")
            page.fill("input[name=user]", "ana")
            page.fill("input[name=password]", PASSWORD)
            page.click("main button[type=submit]")
            page.wait_for_url(base_url + "/")

            # a beta listing whose description carries the alpha vendor's BTC address
            page.goto(base_url + "/listing?market=beta&id=b1")
            page.click(f"a.pivot:has-text('{BTC}')")
            page.wait_for_url("**/pivot?kind=btc*")
            vendors = page.locator("table.pivot-vendors tbody tr")
            assert vendors.count() == 3
            assert "alpha" in vendors.nth(0).inner_text() and "Ice Shop" in vendors.nth(0).inner_text()
            page.screenshot(path=str(shots / "dashboard-pivot.png"), full_page=True)

            # the other market's vendor, then page 2 of its listing history
            page.click("table.pivot-vendors a:has-text('Ice Shop')")
            page.wait_for_url("**/vendor?market=alpha&id=v-ice")
            assert "Listing history (30)" in page.locator("#history h2").inner_text()
            page.click("#history a[rel=next]")
            page.wait_for_url("**/vendor?market=alpha&id=v-ice&page=2*")
            assert "page 2 of 2" in page.locator("#history .paging").inner_text()
            rows = page.locator("#history tbody tr")
            assert rows.count() == 10 and "Offer a1" in rows.last.inner_text()  # the oldest listing, last
            assert page.locator("#history a[rel=prev]").count() == 1
            page.screenshot(path=str(shots / "dashboard-vendor-history.png"), full_page=True)

            # the map, then a city
            page.click("nav a:has-text('Map')")
            page.wait_for_url("**/map")
            page.screenshot(path=str(shots / "dashboard-map.png"), full_page=True)
            page.click("svg.map a[href='/city?name=Almaty']")
            page.wait_for_url("**/city?name=Almaty")
            assert page.locator("h1").inner_text().startswith("Almaty")
            assert "mephedrone" in page.locator("table.city-substances").inner_text()
            page.screenshot(path=str(shots / "dashboard-city.png"), full_page=True)
        finally:
            browser.close()
    hosts = {urlsplit(u).hostname for u in requests if not u.startswith(("data:", "about:"))}
    assert hosts == {"127.0.0.1"}, requests
    assert problems == []
    assert (shots / "dashboard-pivot.png").stat().st_size > 10_000
