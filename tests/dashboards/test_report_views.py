"""Report downloads from the Emerging page: XLSX in-process (the PDF is downloaded in Chromium by
tests/dashboards/test_browser_trends.py), audited first, bad parameters refused."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from openpyxl import load_workbook

from onionwatch.dashboards.web import make_app
from onionwatch.indexer.store import open_store
from tests.dashboards.client import call
from tests.indexer import data


@pytest.fixture
def app(tmp_path) -> Iterator[Any]:
    s = open_store(f"sqlite://{tmp_path}/dash.sqlite")
    for listings, vendors in data.batches():
        s.write_batch(listings, vendors)
    yield make_app(s)
    s.close()


def test_xlsx_download_is_a_workbook_named_for_the_inclusive_period_and_audited(app) -> None:
    r = call(app, "/emerging/report.xlsx", {"days": "10", "ref": "2024-02-10"})
    assert r.status == 200 and r.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert r.headers["content-disposition"] == 'attachment; filename="emerging_2024-02-01_2024-02-10.xlsx"'
    wb = load_workbook(io.BytesIO(r.body))
    assert wb.sheetnames[:2] == ["summary", "signals"]
    exports = [e for e in app.audit.entries() if e["action"] == "report.export"]
    assert exports[-1]["target"] == "emerging_2024-02-01_2024-02-10.xlsx" and exports[-1]["details"]["sha256"]


@pytest.mark.parametrize(("query", "needle"), [({"days": "0"}, "days"), ({"ref": "soon"}, "ref"),
                                               ({"ref": "0001-01-01"}, "ref"), ({"x": "1"}, "x")])  # fmt: skip
def test_bad_parameters_are_400(app, query: dict, needle: str) -> None:
    r = call(app, "/emerging/report.xlsx", query)
    assert r.status == 400 and needle in r.text


def test_the_emerging_page_links_the_downloads(app) -> None:
    r = call(app, "/emerging", {"days": "10", "ref": "2024-02-10"})
    assert 'href="/emerging/report.pdf?days=10&amp;ref=2024-02-10"' in r.text
    assert call(app, "/emerging/report.pdf", method="POST").status == 405
