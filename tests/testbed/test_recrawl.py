"""Change-only recrawls end to end: `onionwatch crawl kladmen` (subprocess, plain HTTP) three times against a
testbed market that changes between crawls (/__testbed/epoch), checked against the epoch's ground truth."""

from __future__ import annotations

import json
import os
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from onionwatch.testbed.server import MarketServer, start_market
from onionwatch.testbed.truth import market_truth
from tests.crawler.conftest import ROOT, run

pytestmark = pytest.mark.integration
SIZE = {"n_vendors": 20, "n_listings": 200}


@pytest.fixture
def kladmen() -> Iterator[MarketServer]:
    server = start_market("kladmen", **SIZE)
    yield server
    server.stop()


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    out = dict(os.environ)
    out.update({"ONIONWATCH_DATA_DIR": str(tmp_path / "data"), "ONIONWATCH_CONFIG_DIR": str(tmp_path / "config"),
                "ONIONWATCH_TRANSPORT": "direct"})
    out.pop("ONIONWATCH_MARKETS_DIR", None)
    return out


def crawl(server: MarketServer, env: dict[str, str], store: Path) -> dict:
    proc = run([sys.executable, "-m", "onionwatch.cli", "crawl", "kladmen", "--mirror", server.url, "--transport",
                "direct", "--store", f"sqlite:///{store}", "--json", "--no-progress"], env, timeout=300)
    assert proc.stdout, proc.stderr
    out: dict = json.loads(proc.stdout)[0]
    out["returncode"] = proc.returncode
    return out


def rows(store: Path, sql: str, *args: object) -> list[tuple]:
    with sqlite3.connect(store) as db:
        return db.execute(sql, args).fetchall()


def observations(store: Path) -> int:
    return int(rows(store, "SELECT count(*) FROM observations")[0][0])


def last_crawl_counters(store: Path) -> dict:
    return json.loads(rows(store, "SELECT counters FROM crawls ORDER BY id DESC LIMIT 1")[0][0])


def test_recrawls_record_only_changes_and_mark_removed_listings_gone(kladmen: MarketServer, env: dict,
                                                                      tmp_path: Path) -> None:
    store = tmp_path / "s.sqlite"
    truth0 = market_truth("kladmen", **SIZE)
    first = crawl(kladmen, env, store)
    assert first["status"] == "complete", first
    n0 = len(truth0["listings"])
    assert observations(store) == n0

    # recrawl 1: nothing changed on the market -> no observation, every listing re-seen, nothing gone
    seen_before = dict(rows(store, "SELECT listing_id, last_seen FROM listings"))
    again = crawl(kladmen, env, store)
    assert again["status"] == "complete", again
    assert observations(store) == n0
    assert last_crawl_counters(store)["observations"] == 0
    assert last_crawl_counters(store)["listings_gone"] == 0
    seen_after = dict(rows(store, "SELECT listing_id, last_seen FROM listings"))
    assert all(seen_after[k] >= v for k, v in seen_before.items())
    assert rows(store, "SELECT count(*) FROM listings WHERE status = 'gone'") == [(0,)]

    # the market changes: prices, titles, listings removed and added, vendor contacts
    assert httpx.get(f"{kladmen.url}/__testbed/epoch?n=1").json()["ok"]
    truth1 = market_truth("kladmen", **SIZE, epoch=1)
    changes = truth1["changes"]
    assert all(changes[k] for k in ("price", "title", "removed", "added", "vendors")), changes
    last_seen_removed = dict(rows(store, "SELECT listing_id, last_seen FROM listings"))
    third = crawl(kladmen, env, store)
    assert third["status"] == "complete", third
    recorded = rows(store, "SELECT listing_id FROM observations WHERE observed_at > ? ORDER BY listing_id",
                    max(seen_after.values()))
    expected = sorted(changes["price"] + changes["title"] + changes["added"])
    assert sorted(r[0] for r in recorded) == expected  # exactly the changed and the new listings
    assert last_crawl_counters(store)["observations"] == len(expected)
    gone = dict(rows(store, "SELECT listing_id, last_seen FROM listings WHERE status = 'gone'"))
    assert sorted(gone) == changes["removed"]
    assert all(gone[k] == last_seen_removed[k] for k in gone)  # their last sighting, not this crawl
    assert last_crawl_counters(store)["listings_gone"] == len(changes["removed"])
    live = {r[0] for r in rows(store, "SELECT listing_id FROM listings WHERE status = 'live'")}
    assert live == {li["listing_id"] for li in truth1["listings"]}
    history = rows(store, "SELECT vendor_id, field, old_value, new_value FROM vendor_history ORDER BY vendor_id")
    assert sorted({h[0] for h in history}) == changes["vendors"]
    assert {h[1] for h in history} == {"contacts"}
    by_id = {v["vendor_id"]: v for v in truth1["vendors"]}
    for vendor_id, _, _, new in history:
        assert json.loads(new)["telegram"] == by_id[vendor_id]["contacts"]["telegram"]

    # a removed listing that comes back (epoch 0 again) is live again, with an observation
    httpx.get(f"{kladmen.url}/__testbed/epoch?n=0")
    fourth = crawl(kladmen, env, store)
    assert fourth["status"] == "complete", fourth
    back = changes["removed"][0]
    assert rows(store, "SELECT status, gone_at FROM listings WHERE listing_id = ?", back) == [("live", None)]
    assert rows(store, "SELECT count(*) FROM observations WHERE listing_id = ?", back) == [(2,)]


def test_a_partial_crawl_marks_nothing_gone(kladmen: MarketServer, env: dict, tmp_path: Path) -> None:
    store = tmp_path / "s.sqlite"
    assert crawl(kladmen, env, store)["status"] == "complete"
    markets = tmp_path / "markets"
    markets.mkdir()
    text = (ROOT / "config" / "markets" / "kladmen.yaml").read_text(encoding="utf-8")
    (markets / "kladmen.yaml").write_text(text.replace("navigation:", "limits:\n  max_pages: 60\nnavigation:", 1),
                                          encoding="utf-8")
    env["ONIONWATCH_MARKETS_DIR"] = str(markets)
    httpx.get(f"{kladmen.url}/__testbed/epoch?n=1")
    capped = crawl(kladmen, env, store)
    assert capped["status"] == "partial" and "cap_pages" in capped["shortfalls"], capped
    assert rows(store, "SELECT count(*) FROM listings WHERE status = 'gone'") == [(0,)]
    assert "listings_gone" not in last_crawl_counters(store)
