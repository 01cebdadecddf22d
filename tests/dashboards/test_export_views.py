"""Dashboard exports (dashboards/export_views.py): links on the pages, role and case checks, audit before send,
safe file names, hostile text defused in the files served."""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest
from openpyxl import load_workbook

from onionwatch.dashboards.app import DashboardApp
from onionwatch.dashboards.cases import Cases
from onionwatch.indexer.store import open_store
from onionwatch.paths import data_dir
from tests.dashboards.client import call, login
from tests.onionwatch.exports.hostile import EVIL_NAME, EVIL_TITLE, make_store


@pytest.fixture
def app(tmp_path: Path) -> Iterator[DashboardApp]:
    store = open_store(make_store(tmp_path), create=False)
    yield DashboardApp(store)
    store.close()


def _exports(app: DashboardApp) -> list[dict]:
    return [e for e in app.audit.entries() if e["action"] == "export"]


def _links(html: str) -> list[str]:
    return [h.replace("&amp;", "&") for h in re.findall(r'href="(/export/[^"]+)"', html)]


def test_search_page_links_keep_the_query_and_drop_paging(app: DashboardApp) -> None:
    page = call(app, "/", {"q": "мефедрон", "market": "klad", "page": "1", "per_page": "10"})
    links = _links(page.text)
    assert len(links) == 3 and all("q=%D0%BC%D0%B5" in h and "market=klad" in h for h in links)
    assert not any("per_page" in h or "page=" in h.replace("per_page", "") for h in links)
    assert [h.rsplit("format=", 1)[1] for h in links] == ["csv", "csv-ru", "xlsx"]
    assert "Export" in page.text and not _links(call(app, "/", {"q": "nosuchword"}).text)


def test_every_search_page_link_downloads(app: DashboardApp) -> None:
    """Multi-select facets, sorting and places travel from the page to its export links, which accept them."""
    page = call(app, "/", urlencode([("q", "мефедрон"), ("market", "klad"), ("market", "alpha"), ("sort", "price_asc")]))
    links = _links(page.text)
    assert links and all("market=klad&market=alpha" in h and "sort=price_asc" in h for h in links)
    for href in links:
        r = call(app, href.split("?", 1)[0], href.split("?", 1)[1].replace("&amp;", "&"))
        assert r.status == 200 and "attachment" in r.headers["content-disposition"], href


def test_search_csv_download(app: DashboardApp) -> None:
    r = call(app, "/export/search", {"q": "мефедрон", "market": "klad", "format": "csv"})
    assert r.status == 200 and r.headers["content-type"].startswith("text/csv")
    disposition = r.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="onionwatch-search-_-') and disposition.isascii()
    assert "filename*=UTF-8''onionwatch-search-%D0%BC%D0%B5%D1%84" in disposition
    body = r.text.encode("utf-8")
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(r.text.lstrip("\ufeff"), newline="")))
    assert "'" + EVIL_TITLE in [row[2] for row in rows] and r.headers["x-export-truncated"] == "no"
    [entry] = _exports(app)
    assert entry["actor"] == "analyst1" and entry["details"]["sha256"] == hashlib.sha256(body).hexdigest()
    assert entry["details"]["via"] == "dashboard" and entry["details"]["rows"] == len(rows) - 1
    spool = data_dir() / "exports-tmp"
    assert spool.stat().st_mode & 0o777 == 0o700 and list(spool.iterdir()) == []  # removed once sent


def test_vendor_xlsx_and_identifier_formats(app: DashboardApp) -> None:
    page = call(app, "/vendor", {"market": "klad", "id": "k-evil"})
    assert [h.rsplit("format=", 1)[1] for h in _links(page.text)] == ["csv", "csv-ru", "xlsx", "misp", "stix",
                                                                       "maltego"]  # fmt: skip
    raw = login(app, "ana", "analyst").get("/export/vendor?market=klad&id=k-evil&format=xlsx")
    assert raw.status_code == 200 and raw.headers["content-disposition"].endswith(".xlsx")
    book = load_workbook(io.BytesIO(raw.content))
    assert ["name", "'" + EVIL_NAME] in [list(row) for row in book["profile"].iter_rows(values_only=True)]
    for fmt in ("misp", "stix", "maltego"):
        assert call(app, "/export/vendor", {"market": "klad", "id": "k-evil", "format": fmt}).status == 200
    assert [e["details"]["format"] for e in _exports(app)] == ["xlsx", "misp", "stix", "maltego"]


@pytest.mark.parametrize("query, status, message", [
    ({"q": "nosuchword", "format": "csv"}, 404, "matched no listings"),
    ({"q": "x", "format": "pdf"}, 400, "format: one of"),
    ({"q": "x", "format": "misp"}, 400, "only for a vendor or a case"),
    ({"q": "x", "format": "csv", "min_price": "abc"}, 400, "min_price"),
    ({"q": "x", "format": "csv", "bogus": "1"}, 400, "unknown parameter"),
])  # fmt: skip
def test_bad_or_empty_search_exports(app: DashboardApp, query: dict, status: int, message: str) -> None:
    r = call(app, "/export/search", query)
    assert r.status == status and message in r.text and "text/html" in r.headers["content-type"]
    assert _exports(app) == []


def test_alerts_export(app: DashboardApp) -> None:
    assert call(app, "/export/alerts", {"format": "csv"}).status == 404
    app.store.add_watch({"name": "meph", "substance": "mephedrone"})
    from tests.indexer import data

    app.store.write_batch([data.listing("klad", "n1", "=2+2", at="2024-03-01T10:00:00Z", vendor="x", vendor_id=None,
                                        sub="mephedrone", cls="stimulant", usd=5)], [])  # fmt: skip
    assert _links(call(app, "/alerts").text)
    r = call(app, "/export/alerts", {"format": "csv", "since": "2024-01-01"})
    assert r.status == 200 and "'=2+2" in r.text


def test_case_export_only_for_members(app: DashboardApp) -> None:
    cases = Cases(app.accounts.db)
    case = cases.add("Операция")
    cases.file(case.id, "vendor", "klad:k-evil", "", "", "sue")
    query = {"id": str(case.id), "format": "stix"}
    r = call(app, "/export/case", query)  # analyst1 is no member
    assert r.status == 403 and _exports(app) == []
    assert any(e["action"] == "case.refused" for e in app.audit.entries())
    cases.member(case.id, "analyst1")
    assert _links(call(app, "/cases/view", {"id": str(case.id)}).text)
    r = call(app, "/export/case", query)
    assert r.status == 200 and "bc1qevilexample" in r.text
    assert call(app, "/export/case", {"id": "999", "format": "csv"}).status == 404
    sup = call(app, "/export/case", {"id": str(case.id), "format": "xlsx"}, user="sue", role="supervisor")
    assert sup.status == 200


def test_roles_and_methods(app: DashboardApp) -> None:
    assert call(app, "/export/search", {"format": "csv"}, user="aud", role="auditor").status == 403
    refused = call(app, "/export/search", {"format": "csv"}, method="HEAD")
    assert refused.status == 405 and refused.headers["allow"] == "GET"
    anonymous = login(app, "x", "analyst")
    anonymous.cookies.clear()
    assert anonymous.get("/export/search?format=csv").status_code in (303, 401)
