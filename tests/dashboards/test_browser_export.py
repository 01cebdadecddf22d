"""Real headless Chromium: search, then download the XLSX and CSV exports from the search page and open them."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from openpyxl import load_workbook

from onionwatch.audit import AuditLog
from tests.browser import BROWSER_MARKS
from tests.dashboards.browsing import chromium_page, log_in, served
from tests.onionwatch.exports.hostile import EVIL_TITLE, make_store

pytestmark = BROWSER_MARKS


@pytest.fixture
def base_url(tmp_path: Path) -> Iterator[str]:
    url = make_store(tmp_path)
    with served(url) as base_url:
        yield base_url


def test_download_and_open_exports(base_url: str, tmp_path: Path) -> None:
    with chromium_page(accept_downloads=True) as (page, seen):
        log_in(page, base_url)
        page.fill("input[name=q]", "мефедрон")
        page.click("main form.search button[type=submit]")
        page.wait_for_url("**/?q=*")
        page.click("aside a:has-text('☐ klad')")  # the market facet
        page.wait_for_url("**market=klad*")
        hits = page.locator(".hit").count()
        assert hits >= 2
        with page.expect_download() as info:
            page.click(".export a:text-is('XLSX')")
        xlsx = info.value
        assert xlsx.suggested_filename.startswith("onionwatch-search-мефедрон-")
        assert xlsx.suggested_filename.endswith(".xlsx")
        xlsx_path = tmp_path / "search.xlsx"
        xlsx.save_as(xlsx_path)
        with page.expect_download() as info:
            page.click(".export a:text-is('CSV')")
        csv_path = tmp_path / "search.csv"
        info.value.save_as(csv_path)
        assert page.url.startswith(base_url + "/?q=")  # a download: the search page stays
    sheet = load_workbook(xlsx_path)["listings"]
    assert sheet.freeze_panes == "A2" and sheet.max_row == hits + 1
    titles = [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert any(t.startswith("'=HYPERLINK") for t in titles) and "Мефедрон кристалл 1г" in titles
    data = csv_path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert len(rows) == hits + 1 and "'" + EVIL_TITLE in [r[2] for r in rows]
    formats = [e["details"]["format"] for e in AuditLog().entries() if e["action"] == "export"]
    assert formats == ["xlsx", "csv"]
    hosts = {urlsplit(u).hostname for u in seen.requests if not u.startswith(("data:", "about:"))}
    assert hosts == {"127.0.0.1"} and seen.problems == []
