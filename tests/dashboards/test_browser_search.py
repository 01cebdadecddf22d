"""Chromium: the query language (NOT, OR, a Russian word form), two facet values picked, sorting, an error
that keeps the search (issue 13)."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from tests.browser import BROWSER_MARKS
from tests.dashboards.browsing import chromium_page
from tests.dashboards.client import PASSWORD

pytestmark = BROWSER_MARKS


def test_query_language_facets_and_sort_in_chromium(base_url: str, tmp_path: Path) -> None:
    with chromium_page(viewport={"width": 1280, "height": 900}) as (page, seen):
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
    hosts = {urlsplit(u).hostname for u in seen.requests if not u.startswith(("data:", "about:"))}
    assert hosts == {"127.0.0.1"}, seen.requests
    assert [p for p in seen.problems if "400" not in p] == []  # the bad-value page answers 400 (console notes it)
