"""Markets not in the repository, described by an analyst from the README alone (tests/fixtures/markets/bazaar.yaml,
zakladka.yaml), crawled for real over HTTP on 127.0.0.1 from their saved pages (tests/crawler/staticmarket.py):
every listing and vendor page is collected, with the fields its golden output.json names."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from onionwatch.indexer.sqlite import SQLiteStore
from tests.crawler.conftest import run
from tests.crawler.staticmarket import PAGES, StaticMarket

pytestmark = pytest.mark.integration

STORED = {"title": "title", "description": "description", "vendor_name": "vendor", "category": "category",
          "ships_from": "ships_from", "ships_to": "ships_to", "city": "city", "district": "district"}


def _expected(market: str, kind: str) -> dict[str, dict]:
    """{url: fields} of the market's golden listing or vendor fixtures."""
    cases = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((PAGES / market).glob(f"{kind}-*/output.json"))]
    return {case["url"]: case["fields"] for case in cases}


@pytest.mark.parametrize("market", ["bazaar", "zakladka"])
def test_unseen_layout_is_crawled_completely(market: str, crawl_env: dict, tmp_path: Path) -> None:
    store = tmp_path / "s.sqlite"
    listings, vendors = _expected(market, "listing"), _expected(market, "vendor")
    with StaticMarket(market) as site:
        proc = run([sys.executable, "-m", "onionwatch.cli", "crawl", market, "--mirror", site.url, "--transport",
                    "direct", "--store", f"sqlite:///{store}", "--json", "--no-progress"], crawl_env)
        fetched = set(site.requests)
    assert proc.returncode == 0, proc.stderr
    [out] = json.loads(proc.stdout)
    assert out["status"] == "complete" and out["reasons"] == []
    assert out["counters"]["listings_indexed"] == len(listings) and out["counters"]["vendors_indexed"] == len(vendors)
    assert fetched == set(site.pages), "every saved page, index pages of every pagination included, and no other"
    db = SQLiteStore(f"sqlite:///{store}", create=False)
    for url, fields in listings.items():
        listing_id = url.rsplit("/", 1)[1].split("-", 1)[0]
        got = db.get_listing(market, listing_id)
        assert got is not None and got["url"] == url, url
        for name, column in STORED.items():
            if name in fields:
                want = fields[name] if name != "description" else " ".join(fields[name].split())
                have = got[column] if name != "description" else " ".join((got[column] or "").split())
                assert have == want, (url, name)
        assert got["price"] is not None and got["price_usd"], url
        assert len(got["tiers"]) == len(fields["tiers"]), url
    for url, fields in vendors.items():
        got = db.get_vendor(market, url.rsplit("/", 1)[1])
        assert got is not None and got["name"] == fields["name"], url
