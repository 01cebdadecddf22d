"""Real headless Chromium against the dashboard served on 127.0.0.1: search, render, no outside requests."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

from tests.browser import BROWSER_MARKS
from tests.dashboards.browsing import chromium_page
from tests.dashboards.client import PASSWORD
from tests.indexer import data

pytestmark = BROWSER_MARKS


def test_search_in_chromium(base_url: str, tmp_path: Path) -> None:
    with chromium_page(viewport={"width": 1280, "height": 900}) as (page, seen):
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
    hosts = {urlsplit(u).hostname for u in seen.requests if not u.startswith(("data:", "about:"))}
    assert hosts == {"127.0.0.1"}, seen.requests
    assert seen.problems == []  # no script ran, no CSP violation, no console error
    assert shot.stat().st_size > 10_000
