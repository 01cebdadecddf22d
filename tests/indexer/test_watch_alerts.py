"""indexer/watch_alerts.py: when a watch alerts (pure rules, no store)."""

from __future__ import annotations

import pytest

from onionwatch.indexer.query import check_watch
from onionwatch.indexer.watch_alerts import Prior, change_pct, decide, snapshot
from tests.indexer import data

A1 = data.base_listings()["a1"]  # MDMA, USD 40
W = check_watch({"name": "w", "substance": "mdma"})


def test_a_new_matching_listing_alerts() -> None:
    assert decide(W, A1, None, A1.scraped_at, None, None) == ("new", None)


def test_a_non_matching_listing_never_alerts() -> None:
    assert decide(check_watch({"name": "w", "substance": "heroin"}), A1, None, A1.scraped_at, None, None) is None


@pytest.mark.parametrize(
    ("prior", "last", "price", "expected"),
    [
        (Prior("2024-01-01T00:00:00Z", 40.0), None, 40.0, None),  # re-sighting, unchanged
        (Prior("2024-01-01T00:00:00Z", 40.0), None, 43.0, None),  # +7.5 % < 10 %
        (Prior("2024-01-01T00:00:00Z", 40.0), None, 44.0, ("price", 40.0)),  # +10 %: inclusive
        (Prior("2024-01-01T00:00:00Z", 40.0), None, 30.0, ("price", 40.0)),  # a drop
        (Prior("2024-01-01T00:00:00Z", 43.0), 40.0, 44.0, ("price", 40.0)),  # drift from the alerted price
        (Prior("2024-01-01T00:00:00Z", None), None, 44.0, None),  # no price before: nothing to compare
        (Prior("2024-01-01T00:00:00Z", 0.0), None, 5.0, ("price", 0.0)),
        (Prior("2099-01-01T00:00:00Z", 40.0), None, 10.0, None),  # an older sighting
    ],
)
def test_price_changes(prior: Prior, last: float | None, price: float, expected: tuple | None) -> None:
    listing = data.at(A1, "2024-02-01T00:00:00Z", price_usd=price)
    assert decide(W, listing, None, "2024-02-01T00:00:00Z", prior, last) == expected


def test_snapshot_and_change() -> None:
    snap = snapshot(A1)
    assert snap["title"] == A1.title and snap["price_usd"] == A1.price_usd and snap["url"] == A1.url
    assert change_pct({"kind": "price", "old_price_usd": 40.0, "price_usd": 30.0}) == -25.0
    assert change_pct({"kind": "new", "old_price_usd": None, "price_usd": 30.0}) is None
