"""The report HTML in real headless Chromium: renders, runs no scraped script, fetches nothing."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from onionwatch.reports.jobs import emerging
from onionwatch.reports.period import Period
from tests.browser import BROWSER_MARKS, CHROMIUM, CHROMIUM_ARGS, IN_CI

pytestmark = BROWSER_MARKS


def test_report_in_chromium(store, tmp_path: Path) -> None:
    if IN_CI:
        from playwright.sync_api import sync_playwright
    else:
        sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright
    html = emerging(store, Period(date(2024, 3, 18), date(2024, 3, 25)), out_dir=tmp_path, generated_at="x",
                    pdf=False)[0]  # fmt: skip
    requests: list[str] = []
    dialogs: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1100, "height": 900})
            page.on("request", lambda r: requests.append(r.url))
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.goto(html.as_uri())
            headings = page.locator("h2").all_inner_texts()
            cards = page.locator(".card .n").all_inner_texts()
            evil = page.locator("td", has_text="alert('vendor')").first.inner_text()
            page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
        finally:
            browser.close()
    assert headings[:4] == ["Key points", "Emerging test", "Method", "Substances first seen this period"]
    assert cards == ["–", "2", "6", "4", "1"]  # no baseline yet: nothing can be flagged
    assert "<script>alert('vendor')</script>" in evil  # shown as text, never run
    assert dialogs == [] and requests == [html.as_uri()]
    assert (tmp_path / "report.png").stat().st_size > 10_000
