"""Real headless Chromium: a BTC address on a listing page → its pivot → the other market's vendor → page 2 of
that vendor's listing history; the map → a city view. No outside request, no script, no console error."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from onionwatch.indexer.store import open_store
from tests.browser import BROWSER_MARKS
from tests.dashboards.browsing import chromium_page, log_in, served
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
    with served(url) as base_url:
        yield base_url


def test_pivot_from_a_listing_to_another_markets_vendor_and_the_map(base_url: str, tmp_path: Path) -> None:
    shots = Path(os.environ.get("ONIONWATCH_ARTIFACTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    with chromium_page(viewport={"width": 1280, "height": 900}) as (page, seen):
        log_in(page, base_url)

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
    hosts = {urlsplit(u).hostname for u in seen.requests if not u.startswith(("data:", "about:"))}
    assert hosts == {"127.0.0.1"}, seen.requests
    assert seen.problems == []
    assert (shots / "dashboard-pivot.png").stat().st_size > 10_000
