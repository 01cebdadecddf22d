"""Change detection and carry-forward (indexer/changes.py): pure functions, no store."""

from __future__ import annotations

from dataclasses import replace

import pytest

from onionwatch.errors import QueryError
from onionwatch.extractors.records import Price, Quantity, Tier, Vendor
from onionwatch.indexer.changes import (
    ObsRow,
    carried,
    change_key,
    check_status,
    periods_between,
    price_per_gram,
    vendor_diff,
    vendor_fields,
)
from tests.indexer import data

A1 = data.base_listings()["a1"]


@pytest.mark.parametrize(("changes", "changed"), [
    ({"scraped_at": "2030-01-01T00:00:00Z"}, False),  # a re-sighting
    ({"price_usd": 99.0, "price_per_gram_usd": 99.0}, False),  # only the USD conversion (FX) moved
    ({"description": "new text", "vendor": "Other", "category": "x"}, False),  # not observed fields
    ({"title": "Pure MDMA crystals 90%"}, True),
    ({"price": Price(41.0, "USD")}, True),
    ({"price": Price(40.0, "EUR")}, True),
    ({"price": None}, True),
    ({"tiers": [Tier(Quantity(5, "g"), Price(150, "USD"))]}, True),
])  # fmt: skip
def test_change_key_covers_title_price_and_tiers(changes: dict, changed: bool) -> None:
    assert (change_key(replace(A1, **changes)) != change_key(A1)) is changed


def test_tier_usd_conversion_is_not_a_change() -> None:
    a = replace(A1, tiers=[Tier(Quantity(5, "g"), Price(150, "USD"), price_usd=150.0)])
    assert change_key(replace(a, tiers=[Tier(Quantity(5, "g"), Price(150, "USD"), price_usd=151.0)])) == change_key(a)


def test_change_key_survives_hostile_text() -> None:
    nasty = replace(A1, title="\udcff\x00<script>" + "x" * 1_000_000)
    assert len(change_key(nasty)) == 24


def test_vendor_diff_names_each_changed_field() -> None:
    v = Vendor("m", "v1", "Green", "u", pgp_fingerprint="ab cd", contacts={"telegram": ["@b", "@a"]})
    same = replace(v, rating=5.0, sales=10, description="new", contacts={"telegram": ["@a", "@b"]},
                   pgp_fingerprint="ABCD")  # order and spacing are not changes
    assert vendor_diff(vendor_fields(v), vendor_fields(same)) == []
    other = replace(v, name="Greener", crypto_addresses={"BTC": ["bc1x"]}, pgp_key_id="ab")
    assert vendor_diff(vendor_fields(v), vendor_fields(other)) == [
        ("name", "Green", "Greener"), ("pgp_key_id", None, "AB"), ("crypto_addresses", None, '{"BTC": ["bc1x"]}')]


def test_status_values() -> None:
    assert [check_status(s) for s in ("live", "gone", "all", None, "")] == ["live", "gone", "all", "all", "all"]
    with pytest.raises(QueryError):
        check_status("deleted")


def test_periods_between_month_and_week_edges() -> None:
    assert list(periods_between("2024-11-30T23:59:59Z", "2025-02-01T00:00:00Z", "month")) == [
        "2024-11-01", "2024-12-01", "2025-01-01", "2025-02-01"]
    assert list(periods_between("2024-01-07T10:00:00Z", "2024-01-08T10:00:00Z", "week")) == [
        "2024-01-01", "2024-01-08"]


def test_carried_keeps_the_last_known_value_until_last_seen() -> None:
    obs = [("2024-01-02T00:00:00Z", 10), ("2024-01-03T00:00:00Z", 11), ("2024-03-05T00:00:00Z", 12)]
    assert list(carried(obs, "2024-05-20T00:00:00Z", "month")) == [
        ("2024-01-01", 11), ("2024-02-01", 11), ("2024-03-01", 12), ("2024-04-01", 12), ("2024-05-01", 12)]
    assert list(carried([], "2024-01-01T00:00:00Z", "day")) == []


def test_a_listing_unchanged_for_a_month_stays_in_the_price_trend() -> None:
    rows = [ObsRow(1, "2024-01-05T00:00:00Z", "m", "mdma", 40.0, "v", "2024-03-10T00:00:00Z"),
            ObsRow(2, "2024-02-05T00:00:00Z", "m", "mdma", 20.0, "w", "2024-02-06T00:00:00Z")]
    assert [(r["period"], r["median_usd_per_gram"], r["observations"]) for r in price_per_gram(rows, None, "month")] \
        == [("2024-01-01", 40.0, 1), ("2024-02-01", 30.0, 2), ("2024-03-01", 40.0, 1)]


@pytest.mark.parametrize("interval", ["day", "week", "month"])
def test_segments_equal_carried_forward_periods(interval: str) -> None:
    """The range form used by the trends gives exactly the periods and values of `carried`, on random series."""
    import random

    from onionwatch.indexer.changes import period_label, segments

    rng = random.Random(11)
    rows = []
    for pk in range(200):
        times = sorted(f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T{rng.randint(0, 23):02d}:00:00Z"
                       for _ in range(rng.randint(1, 6)))
        last = max(times[-1], f"2024-12-{rng.randint(1, 28):02d}T00:00:00Z") if rng.random() < 0.5 else times[-1]
        rows += [ObsRow(pk, t, "m", "s", float(i), "v", last) for i, t in enumerate(dict.fromkeys(times))]
    want = []
    for pk in range(200):
        mine = [r for r in rows if r.listing == pk]
        want += [(pk, p, r.price_per_gram_usd) for p, r in carried([(r.observed_at, r) for r in mine],
                                                                     mine[-1].last_seen, interval)]
    got = [(r.listing, period_label(p, interval), r.price_per_gram_usd)
           for lo, hi, r in segments(rows, interval) for p in range(lo, hi + 1)]
    assert sorted(got) == sorted(want)
