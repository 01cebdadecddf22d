"""Trends, drill-down and the report PDF in real headless Chromium against the served dashboard."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from onionwatch.indexer.store import open_store
from tests.browser import BROWSER_MARKS
from tests.dashboards.browsing import chromium_page, log_in, served
from tests.reports import planted
from tests.reports.test_outputs import first_page_ink

pytestmark = BROWSER_MARKS


@pytest.fixture
def base_url(tmp_path: Path) -> Iterator[str]:
    url = f"sqlite://{tmp_path}/trends.sqlite"
    store = open_store(url)
    planted.fill(store, planted.PLANTED_RATES, planted.PLANTED_BOOST)
    store.close()
    with served(url) as base_url:
        yield base_url


def test_trends_chart_drill_down_and_report_pdf(base_url: str, tmp_path: Path) -> None:
    with chromium_page(viewport={"width": 1280, "height": 900}, accept_downloads=True) as (page, seen):
        log_in(page, base_url)

        page.goto(base_url + "/trends?end=2026-10-18&weeks=6")
        chart = page.locator("svg.chart").first
        assert page.locator("svg.chart").count() == 3 and chart.bounding_box()["width"] > 600
        texts = chart.locator("text").all_text_contents()
        assert "listings live in the week" in texts and "12 Oct 2026" in texts and "ketamine" in texts
        cell = page.locator("table.trend tr", has_text="ketamine").first.locator("td.num a").nth(5)
        shown = int(cell.inner_text())
        cell.click()
        page.wait_for_url("**/?*")
        query = parse_qs(urlsplit(page.url).query)
        assert query == {"substance": ["ketamine"], "since": ["2026-10-12"], "until": ["2026-10-18"]}
        assert page.input_value("input[name=since]") == "2026-10-12"
        total = re.search(r"(\d+)\s+listings?", page.locator("main").inner_text())
        assert total and int(total.group(1)) == shown

        page.goto(base_url + "/emerging?days=7&ref=2026-10-18")
        assert page.locator("tr", has_text="ketamine").first.locator(".pill").inner_text() == "emerging"
        assert page.locator("h3", has_text="Method").count() == 1
        with page.expect_download(timeout=60_000) as info:
            page.click("text=Report (PDF)")
        download = info.value
        assert download.suggested_filename == "emerging_2026-10-12_2026-10-18.pdf"
        pdf = tmp_path / download.suggested_filename
        download.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF-") and first_page_ink(pdf, tmp_path) > 0.01
    hosts = {urlsplit(u).hostname for u in seen.requests if not u.startswith(("data:", "about:"))}
    assert hosts == {"127.0.0.1"}, seen.requests
    assert seen.problems == []  # no CSP violation (no style attributes in the SVG), no console error
