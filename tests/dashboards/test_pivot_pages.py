"""Pivot, vendor history and identifier links in the dashboard (dashboards/pivot_pages.py), in-process over SQLite."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from onionwatch.dashboards.app import DashboardApp
from onionwatch.dashboards.pivot_pages import pivot_url
from onionwatch.extractors.records import Vendor
from onionwatch.indexer.store import open_store
from tests.dashboards.client import call
from tests.indexer.test_pivots import BTC, FP, batches, item

HOSTILE = '<img src=x onerror=alert(1)>'


def _warc(path: Path, uris: list[str]) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as f:
        writer = WARCWriter(f, gzip=True)
        for uri in uris:
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(uri, "response", payload=io.BytesIO(b"<p>x</p>"),
                                                          http_headers=headers))  # fmt: skip


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Any]:
    s = open_store(f"sqlite:///{tmp_path}/dash.sqlite")
    for listings, vendors in batches():
        s.write_batch(listings, vendors)
    many = [item("beta", f"h{i:02d}", "Frost", "v-frost", f"2024-03-{i + 1:02d}T00:00:00Z") for i in range(23)]
    odd = Vendor("beta", "v-odd", HOSTILE, "u", contacts={"telegram": ["@odd_shop"], "threema": [HOSTILE]},
                 crypto_addresses={"BTC": [BTC, HOSTILE]}, scraped_at="2024-01-02T00:00:00Z")  # fmt: skip
    s.write_batch(many, [odd])
    yield s
    s.close()


@pytest.fixture
def app(store: Any, tmp_path: Path) -> DashboardApp:
    _warc(tmp_path / "archive" / "beta" / "crawl-1.warc.gz", ["http://beta.onion/l/b1", "http://beta.onion/l/h05"])
    return DashboardApp(store, archive_root=tmp_path / "archive")


def test_listing_page_links_its_identifiers_and_its_archived_page(app: DashboardApp) -> None:
    r = call(app, "/listing", {"market": "beta", "id": "b1"})
    assert r.status == 200
    link = f'href="/pivot?kind=btc&amp;value={BTC}"'
    assert link in r.text and 'href="/pivot?kind=tg&amp;value=iceshop"' in r.text
    assert 'href="/pivot?kind=vendor&amp;value=frost"' in r.text
    assert 'href="/archive?market=beta&amp;kind=listing&amp;id=b1"' in r.text
    assert "Open the archived page of this listing" in r.text
    assert "none in the archive" in call(app, "/listing", {"market": "alpha", "id": "a1"}).text


def test_pivot_page_lists_every_market_and_is_audited(app: DashboardApp) -> None:
    r = call(app, "/pivot", {"kind": "btc", "value": BTC})
    assert r.status == 200, r.text[:300]
    assert 'href="/vendor?market=alpha&amp;id=v-ice"' in r.text
    assert 'href="/vendor?market=beta&amp;id=v-frost"' in r.text
    assert 'href="/?market=gamma&amp;vendor=Ice-Shop"' in r.text  # a name without a profile: its search
    assert HOSTILE not in r.text and "&lt;img src=x onerror=alert(1)&gt;" in r.text  # v-odd's name, escaped
    assert ("analyst1", "view.pivot", f"btc:{BTC}") in [(e["actor"], e["action"], e["target"])
                                                         for e in app.audit.entries()]  # fmt: skip


@pytest.mark.parametrize(("query", "message"), [
    ({"kind": "btc", "value": "nope"}, "not a valid BTC address"),
    ({"kind": "zzz", "value": "x"}, "KIND:VALUE"),
    ({"kind": "btc"}, "value: required"),
])  # fmt: skip
def test_bad_pivot_requests_are_400(app: DashboardApp, query: dict[str, str], message: str) -> None:
    r = call(app, "/pivot", query)
    assert r.status == 400 and message in r.text


def test_vendor_page_links_identifiers_and_pages_its_full_history(app: DashboardApp) -> None:
    r = call(app, "/vendor", {"market": "alpha", "id": "v-ice"})
    assert f'href="/pivot?kind=pgp&amp;value={FP}"' in r.text and 'href="/pivot?kind=tg&amp;value=iceshop"' in r.text
    assert f'href="/pivot?kind=btc&amp;value={BTC}"' in r.text
    odd = call(app, "/vendor", {"market": "beta", "id": "v-odd"})
    assert HOSTILE not in odd.text and "&lt;img src=x onerror=alert(1)&gt;" in odd.text  # threema, junk address

    first = call(app, "/vendor", {"market": "beta", "id": "v-frost", "per_page": "10"})
    assert "Listing history (25)" in first.text and "page 1 of 3" in first.text
    rows = re.findall(r'href="/listing\?market=beta&amp;id=(\w+)"', first.text)
    assert rows == [f"h{i:02d}" for i in range(22, 12, -1)]  # newest first
    assert 'href="/vendor?market=beta&amp;id=v-frost&amp;per_page=10&amp;page=2#history"' in first.text
    third = call(app, "/vendor", {"market": "beta", "id": "v-frost", "per_page": "10", "page": "3"})
    assert re.findall(r'href="/listing\?market=beta&amp;id=(\w+)"', third.text) == ["h02", "h01", "h00", "b2", "b1"]
    assert 'href="/archive?market=beta&amp;kind=listing&amp;id=b1"' in third.text
    second = call(app, "/vendor", {"market": "beta", "id": "v-frost", "per_page": "10", "page": "2"})
    assert 'href="/archive?market=beta&amp;kind=listing&amp;id=h05"' in second.text
    assert 'id=h06"' in second.text and 'kind=listing&amp;id=h06' not in second.text
    assert call(app, "/vendor", {"market": "beta", "id": "v-frost", "page": "9"}).status == 400


def test_pivot_url_maps_extractor_keys_and_refuses_junk() -> None:
    assert pivot_url("telegram", "@Shop_1") == "/pivot?kind=tg&value=shop_1"
    assert pivot_url("BTC", BTC) == f"/pivot?kind=btc&value={BTC}"
    assert pivot_url("threema", "ABCDEFGH") == "" and pivot_url("btc", HOSTILE) == ""
