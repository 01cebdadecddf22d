"""Elasticsearch trend rollups (indexer/elastic_rollups.py) against the raw carry-forward over every observation.

Counts and active vendors must be identical; price medians identical where the middle rank's bucket holds one
price (the hand-made contract dataset), else within the bucket (about 2 %), the observation counts identical.
Stores get re-observations, price and substance changes, delistings and reappearances, out-of-order and replayed
sightings, bulk loads (no refresh between batches), two writers, purges, a store from before the rollups and a
writer that died mid-way. Server tests use ONIONWATCH_TEST_ES_URL (tests/indexer/test_elastic.py `require_es`).
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from onionwatch.extractors.records import Listing, Price
from onionwatch.indexer import elastic_rollups
from onionwatch.indexer.changes import ObsRow
from onionwatch.indexer.query import INTERVALS
from onionwatch.indexer.store import PurgeRules
from onionwatch.testbed.synth import reobserve, synth_batch
from tests.indexer import data
from tests.indexer.test_elastic import require_es

BUCKET = 1.0205  # e ** (1 / 50): the widest a price bucket is (relative)

pytestmark = pytest.mark.elasticsearch


@pytest.fixture
def make(tmp_path: Path) -> Iterator[Any]:
    from onionwatch.indexer.elastic import ElasticStore

    url = require_es()
    prefix = f"ow-r-{uuid.uuid4().hex[:10]}"
    opened: list[ElasticStore] = []

    def open_(refresh: bool = True, create: bool = True) -> ElasticStore:
        flag = "" if refresh else "&refresh=false"
        store = ElasticStore(f"{url}/?index_prefix={prefix}{flag}", spool_dir=tmp_path / "spool", create=create)
        opened.append(store)
        return store

    yield open_
    opened[-1].drop()
    for store in opened:
        store.client.close()


def agree(store: Any, *, exact_medians: bool) -> None:
    store._refresh()
    markets = [None, *sorted({r["market"] for r in store.active_vendors("month")})]
    assert store.rollups_ready
    for interval in INTERVALS:
        for market in markets:
            assert store.listings_per_substance(interval, market) == store.raw_listings_per_substance(interval, market)
            assert store.active_vendors(interval, market) == store.raw_active_vendors(interval, market)
        got, want = store.price_per_gram(None, interval), store.raw_price_per_gram(None, interval)
        assert [(r["period"], r["substance"], r["observations"]) for r in got] == [
            (r["period"], r["substance"], r["observations"]) for r in want]  # fmt: skip
        for g, w in zip(got, want, strict=True):
            if exact_medians:
                assert g["median_usd_per_gram"] == pytest.approx(w["median_usd_per_gram"], rel=1e-9, abs=1e-6)
            else:
                assert w["median_usd_per_gram"] / BUCKET <= g["median_usd_per_gram"] <= w["median_usd_per_gram"] * BUCKET
    one = store.price_per_gram("cocaine", "week")
    assert one == [r for r in store.raw_price_per_gram(None, "week") if r["substance"] == "cocaine"] or not exact_medians


def changed(items: list[Listing], seed: int, share: float = 0.3) -> list[Listing]:
    """A later crawl in which `share` of the listings changed price amount (a new observation) and some their
    primary substance."""
    rng = random.Random(seed)
    subs = sorted({x.substance for x in items if x.substance})
    out = []
    for x in items:
        if rng.random() >= share or x.price is None:
            continue
        f = rng.choice([0.8, 0.95, 1.07, 1.3])
        usd = round((x.price_usd or 0) * f, 2) or None
        ppg = round(usd / x.quantity.value, 4) if usd and x.quantity and x.quantity.unit == "g" else None
        sub = rng.choice(subs) if rng.random() < 0.2 else x.substance
        out.append(replace(x, price=Price(round(x.price.amount * f, 2), x.price.currency), price_usd=usd,
                           price_per_gram_usd=ppg, substance=sub))  # fmt: skip
    return out


def later(items: list[Listing], days: int) -> list[Listing]:
    from datetime import datetime, timedelta

    return [replace(x, scraped_at=(datetime.fromisoformat(x.scraped_at) + timedelta(days=days))
                    .strftime("%Y-%m-%dT%H:%M:%SZ")) for x in items]  # fmt: skip


def test_contract_dataset_rollups_equal_the_raw_trends(make) -> None:
    store = make()
    for listings, vendors in data.batches():
        store.write_batch(listings, vendors)
    assert store.listings_per_substance("week")  # the dataset has trends at all
    agree(store, exact_medians=True)
    store.write_batch(*data.batches()[0])  # a replay changes nothing
    agree(store, exact_medians=True)
    assert not list(store.client.search(index=store.names.alias("rollups"), query={"term": {"kind": "dirty"}})
                    ["hits"]["hits"])  # every write flushed and cleared its marker  # fmt: skip


def test_recrawls_with_changes_delistings_out_of_order_and_replays(make) -> None:
    store = make()
    listings, vendors = synth_batch(1200, seed=3, days=120)
    second = later(changed(listings, seed=4), days=9) + reobserve(listings, seed=5, days=9, share=0.4)
    third = later(changed(second, seed=6, share=0.5), days=25)
    store.write_batch(third[:150], vendors)  # newest sightings first: older ones arrive after
    for i in range(0, len(listings), 400):
        store.write_batch(listings[i : i + 400], [])
    crawl = store.begin_crawl("alphabay")
    store.write_batch(second, [])
    store.update_crawl(crawl, "complete", {}, [])
    assert store.mark_gone(crawl)  # listings not seen by this crawl are delisted...
    store.write_batch(third, [])  # ...and some reappear (a new observation)
    store.write_batch(second[:200], [])  # replay of an older crawl
    agree(store, exact_medians=False)


def test_bulk_load_without_refresh_between_batches(make) -> None:
    """Inside bulk_loading() later batches re-observe listings not yet searchable; the rollups still agree."""
    store = make(refresh=False)
    listings, vendors = synth_batch(900, seed=8, days=60)
    sightings = listings + later(changed(listings, seed=9, share=0.6), days=12)
    order = random.Random(1).sample(sightings, len(sightings))
    with store.bulk_loading():
        for i in range(0, len(order), 97):
            store.write_batch(order[i : i + 97], vendors)
    agree(store, exact_medians=False)


def test_two_writers_add_up(make) -> None:
    one, two = make(), make()
    listings, vendors = synth_batch(600, seed=11, days=40)
    again = later(changed(listings, seed=12, share=0.5), days=5)
    for i in range(0, 600, 150):
        one.write_batch(listings[i : i + 150], vendors)
        two.write_batch(again[i // 2 : i // 2 + 75], [])
    agree(one, exact_medians=False)


def test_purge_subtracts_the_listings_it_deletes(make) -> None:
    store = make()
    for listings, vendors in data.batches():
        store.write_batch(listings, vendors)
    before = store.listings_per_substance("month")
    result = store.purge(PurgeRules(listings_before="2024-01-20T00:00:00Z"))
    assert result.listings
    agree(store, exact_medians=True)
    assert store.listings_per_substance("month") != before


def test_a_store_from_before_the_rollups_is_built_on_a_writable_open(make) -> None:
    store = make()
    for listings, vendors in data.batches():
        store.write_batch(listings, vendors)
    want = [store.listings_per_substance(i) for i in INTERVALS]
    store.client.indices.delete(index=store.names.index("rollups"))  # as made by the previous release
    reader = make(create=False)
    assert not reader.rollups_ready  # a read-only open does not build them: raw carry-forward
    assert [reader.listings_per_substance(i) for i in INTERVALS] == want
    writer = make()
    assert writer.rollups_ready
    assert [writer.listings_per_substance(i) for i in INTERVALS] == want
    agree(writer, exact_medians=True)


def test_a_writer_that_died_mid_way_is_rebuilt_on_the_next_open(make) -> None:
    store = make()
    for listings, vendors in data.batches()[:2]:
        store.write_batch(listings, vendors)
    store.rollups.pending.add([ObsRow("x:1", "2024-01-02T00:00:00Z", "x", "cocaine", 10.0, "v", "2024-01-09T00:00:00Z")], 1)
    store.rollups.flush()  # a wrong contribution, as if a crashed writer had half-flushed
    store.rollups.poison()
    assert make(create=False).rollups_ready is False  # readers do not trust them
    reopened = make()
    assert not reopened.rollups.stale_writers()
    agree(reopened, exact_medians=True)


# --- pure logic


def test_added_drops_entries_that_become_zero() -> None:
    assert elastic_rollups._added({"1": 2, "5": -1}, {"1": -2, "7": 1}) == {"5": -1, "7": 1}
    assert elastic_rollups._added({"3:4": [1, 500]}, {"3:4": [-1, -500], "3:5": [1, 7]}) == {"3:5": [1, 7]}


def test_vendor_counts_change_compares_active_ranges() -> None:
    fields = {"interval": "week", "market": "m"}
    # the vendor was active in [1, 4); a new listing extends it to [1, 6): +1 at 4, -1 at 6
    change = elastic_rollups._vendor_counts_change(fields, {"1": 1, "4": -1}, {"1": 1, "3": 1, "4": -1, "6": -1})
    assert change == {("week", "m"): {4: 1, 6: -1}}
    assert elastic_rollups._vendor_counts_change(fields, {"1": 1, "4": -1}, {}) == {("week", "m"): {1: -1, 4: 1}}


def test_batch_rows_before_and_after() -> None:
    batch = elastic_rollups.Batch()
    src = {"key": "m:1", "observed_at": "2024-01-01T00:00:00Z", "market": "m", "substance": "mdma",
           "price_per_gram_usd": 5.0, "vendor_key": "v"}  # fmt: skip
    batch.note_stored(src)
    batch.note_last_seen("m:1", "2024-01-03T00:00:00Z")
    batch.note_sighting("m:1", "2024-02-01T00:00:00Z")
    batch.note_observation("o1", {**src, "observed_at": "2024-02-01T00:00:00Z", "substance": "ketamine"})
    batch.note_sighting("m:2", "2024-02-01T00:00:00Z")  # new listing whose observation the bulk refused
    batch.note_observation("o2", {**src, "key": "m:2", "observed_at": "2024-02-01T00:00:00Z"})
    before, after = batch.rows({"o1"}, set())
    assert before == [ObsRow("m:1", "2024-01-01T00:00:00Z", "m", "mdma", 5.0, "v", "2024-01-03T00:00:00Z")]
    assert [(r.observed_at, r.substance, r.last_seen) for r in after] == [
        ("2024-01-01T00:00:00Z", "mdma", "2024-02-01T00:00:00Z"),
        ("2024-02-01T00:00:00Z", "ketamine", "2024-02-01T00:00:00Z")]  # fmt: skip
    _, refused = batch.rows(set(), {"m:1"})  # the listing document was refused: last_seen stays
    assert [r.last_seen for r in refused] == ["2024-01-03T00:00:00Z"]
