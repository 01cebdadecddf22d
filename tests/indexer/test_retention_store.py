"""Store.purge on SQLite and (with ONIONWATCH_TEST_ES_URL) Elasticsearch: exactly the expired, unheld rows."""

from __future__ import annotations

from dataclasses import replace

from onionwatch.indexer.store import PurgeRules, SearchQuery, Store
from tests.indexer.test_store_contract import store, store_url  # noqa: F401 - both backends
from tests.onionwatch import retention_data as d

RULES = PurgeRules(listings_before=d.LISTINGS_BEFORE, vendor_personal_before=d.VENDORS_BEFORE, held=d.HELD)


def _listings(s: Store) -> set[tuple[str, str]]:
    return {(h.listing["market"], h.listing["listing_id"]) for h in s.search(SearchQuery(limit=1000)).hits}


def _personal(s: Store, market: str, vid: str) -> bool:
    v = s.get_vendor(market, vid)
    assert v is not None, (market, vid)
    return bool(v["contacts"] or v["crypto_addresses"])


def test_dry_run_answers_and_changes_nothing(store: Store) -> None:  # noqa: F811
    d.load(store)
    before = store.counts()
    result = store.purge(RULES, dry_run=True)
    assert [(x["market"], x["listing_id"]) for x in result.listings] == d.PURGED_LISTINGS
    assert [(x["market"], x["vendor_id"]) for x in result.vendors] == d.NULLED_VENDORS
    assert store.counts() == before
    assert _personal(store, "abyss", "v-gone")


def test_purge_removes_exactly_the_expired_unheld_data(store: Store) -> None:  # noqa: F811
    d.load(store)
    before = store.counts()
    result = store.purge(RULES)
    assert [(x["market"], x["listing_id"]) for x in result.listings] == d.PURGED_LISTINGS
    assert [x["observations"] for x in result.listings] == [1, 1]
    assert [(x["market"], x["vendor_id"]) for x in result.vendors] == d.NULLED_VENDORS
    assert sorted((x["kind"], x["market"], x["id"]) for x in result.held) == [
        ("listing", "abyss", "held-l"), ("listing", "abyss", "old-hv"), ("listing", "kladmen", "old-k"),
        ("vendor", "abyss", "v-held"), ("vendor", "abyss", "v-old"), ("vendor", "kladmen", "k-v"),
    ]  # fmt: skip
    assert _listings(store) == {(m, lid) for m, lid, _, _ in d.LISTINGS} - set(d.PURGED_LISTINGS)
    assert store.get_listing("abyss", "old-1") is None
    after = store.counts()
    assert after["listings"] == before["listings"] - 2
    assert after["observations"] == before["observations"] - 2
    assert after["vendors"] == before["vendors"]  # the vendor row stays
    gone = store.get_vendor("abyss", "v-gone")
    assert gone is not None and gone["contacts"] == {} and gone["crypto_addresses"] == {}
    assert gone["pgp_fingerprint"] is None and gone["name"] == "v-gone"
    for market, vid in [("abyss", "v-old"), ("abyss", "v-new"), ("abyss", "v-held"), ("kladmen", "k-v")]:
        assert _personal(store, market, vid), vid
    assert store.search(SearchQuery(text="old")).total == 0 or all(
        h.listing["listing_id"] not in ("old-1", "old-2") for h in store.search(SearchQuery(text="old")).hits)
    again = store.purge(RULES)  # idempotent: nothing left to purge
    assert again.listings == [] and again.vendors == []


def test_no_cutoff_keeps_everything(store: Store) -> None:  # noqa: F811
    d.load(store)
    result = store.purge(replace(RULES, listings_before=None, vendor_personal_before=None))
    assert result.listings == result.vendors == result.held == []
