"""Chromium: the query language (NOT, OR, a Russian word form), two facet values picked, sorting, an error
that keeps the search (issue 13)."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

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


def test_query_language_facets_and_sort_in_chromium(base_url: str, tmp_path: Path) -> None:
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
            page.goto(base_url + "/")
            page.wait_for_url("**/login")
            page.fill("input[name=user]", "ana")
            page.fill("input[name=password]", PASSWORD)
            page.click("main button[type=submit]")
            page.wait_for_url(base_url + "/")

            def search(text: str) -> list[str]:
                page.fill("input[name=q]", text)
                page.click("main form.search button[type=submit]")
                page.wait_for_load_state()
                return page.locator(".hit .title").all_inner_texts()

            assert search("mdma -pills") == ["Pure MDMA crystals 84%"]  # NOT
            assert len(search("mdma OR гашиш")) == 3  # OR
            russian = search("мефедрона")  # a Russian word form finds "мефедрон"
            assert len(russian) == 2 and all("ефедрон" in t for t in russian)
            assert page.locator(".hit mark").count() >= 2

            search("")  # every listing; pick two markets: values OR together, both stay visible
            page.click("aside a:has-text('☐ klad')")
            assert page.locator(".hit").count() == 3
            assert page.locator("aside a:has-text('☐ alpha')").count() == 1  # the other value stays visible
            page.click("aside a:has-text('☐ alpha')")
            assert page.locator(".hit").count() == 8
            assert parse_qs(urlsplit(page.url).query)["market"] == ["klad", "alpha"]
            page.click("aside a:has-text('☐ mephedrone')")  # a second facet narrows (AND between facets)
            assert page.locator(".hit").count() == 2

            page.select_option("select[name=sort]", "price_asc")  # the hidden inputs keep the facet picks
            page.click("main form.search button[type=submit]")
            page.wait_for_load_state()
            prices = page.locator(".hit .price b").all_inner_texts()
            assert prices == sorted(prices, key=lambda p: float(p.strip("$").replace(",", ""))) and len(prices) == 2
            assert "sort=price_asc" in page.url and "market=klad" in page.url

            page.fill("input[name=min_price]", "abc")  # a bad value: an error next to the kept search
            page.click("main form.search button[type=submit]")
            page.wait_for_load_state()
            assert "min_price" in page.locator("#search-errors").inner_text()
            assert page.locator("input[name=min_price]").input_value() == "abc"
            assert page.locator("aside a.active").count() >= 1  # the facet picks survived
            shot = Path(os.environ.get("ONIONWATCH_ARTIFACTS", tmp_path)) / "dashboard-search-language.png"
            shot.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(shot), full_page=True)
        finally:
            browser.close()
    hosts = {urlsplit(u).hostname for u in requests if not u.startswith(("data:", "about:"))}
    assert hosts == {"127.0.0.1"}, requests
    assert [p for p in problems if "400" not in p] == []  # the bad-value page answers 400 (console notes it)
