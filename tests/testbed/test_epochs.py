"""Markets that change between crawls (testbed/epochs.py) and the server's /__testbed/epoch hook."""

from __future__ import annotations

import httpx
import pytest

from onionwatch.testbed.epochs import evolve
from onionwatch.testbed.generate import build_market
from onionwatch.testbed.server import start_market
from onionwatch.testbed.truth import market_truth

SIZE = {"n_vendors": 20, "n_listings": 200}


@pytest.mark.parametrize("name", ["abyss", "kladmen"])
def test_one_step_changes_exactly_what_it_reports(name: str) -> None:
    m0 = build_market(name, 2026, **SIZE)
    m1, ch = evolve(m0, 1)
    before, after = m0.listing_by_id, m1.listing_by_id
    assert all(getattr(ch, k) for k in ("price", "title", "removed", "added", "vendors"))
    assert set(before) - set(after) == ch.removed and set(after) - set(before) == ch.added
    for lid in set(before) & set(after):
        b, a = before[lid], after[lid]
        assert (a.price != b.price) is (lid in ch.price)
        assert (a.price_text != b.price_text) is (lid in ch.price)
        assert (a.title != b.title) is (lid in ch.title)
    for v in m0.vendors:
        assert (m1.vendor_by_id[v.vendor_id].contacts != v.contacts) is (v.vendor_id in ch.vendors)
    for lid in ch.added:
        assert after[lid].url.endswith(lid) and after[lid].vendor in m1.vendors
    assert len(m0.listings) == 200  # the cached epoch 0 is untouched


def test_epochs_are_deterministic_and_cached() -> None:
    assert build_market("abyss", 2026, **SIZE, epoch=2) is build_market("abyss", 2026, **SIZE, epoch=2)
    assert market_truth("abyss", 2026, **SIZE, epoch=2)["changes"] == evolve(
        build_market("abyss", 2026, **SIZE), 2)[1].to_dict()
    assert "changes" not in market_truth("abyss", 2026, **SIZE)


def test_server_switches_epoch_and_serves_the_changed_pages() -> None:
    server = start_market("kladmen", **SIZE)
    try:
        changes = market_truth("kladmen", 2026, **SIZE, epoch=1)["changes"]
        removed, priced = changes["removed"][0], changes["price"][0]
        assert httpx.get(f"{server.url}/tovar/{removed}").status_code == 200
        r = httpx.get(f"{server.url}/__testbed/epoch?n=1")
        assert r.json() == {"ok": True, "epoch": 1, "listings": len(build_market("kladmen", 2026, **SIZE, epoch=1)
                                                                      .listings)}
        assert httpx.get(f"{server.url}/tovar/{removed}").status_code == 404
        page = httpx.get(f"{server.url}/tovar/{priced}").text
        assert build_market("kladmen", 2026, **SIZE, epoch=1).listing_by_id[priced].price_text in page
        assert httpx.get(f"{server.url}/__testbed/epoch?n=x").status_code == 400
        assert httpx.get(f"{server.url}/__testbed/epoch?n=0").json()["epoch"] == 0
        assert httpx.get(f"{server.url}/tovar/{removed}").status_code == 200
    finally:
        server.stop()
