"""Identifier filter and pivots (indexer/identifiers.py): the same answers from SQLite and Elasticsearch.

Runs on SQLite always and on Elasticsearch when ONIONWATCH_TEST_ES_URL is set (tests/indexer/test_store_contract.py).
"""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest

from onionwatch.extractors.records import Listing, Vendor
from onionwatch.indexer.sqlite import SQLiteStore
from onionwatch.indexer.sqlite_migrate import SCHEMA_VERSION
from onionwatch.indexer.store import SearchQuery, Store, StoreError, open_store
from onionwatch.testbed.wallets import btc_base58, xmr_address
from tests.indexer.test_store_contract import store, store_url  # noqa: F401 - the two-backend fixtures

BTC = btc_base58(0, bytes(range(20)))
OTHER = btc_base58(5, bytes(range(5, 25)))
XMR = xmr_address(bytes(range(32)), bytes(range(32, 64)))
FP = "0123456789ABCDEF0123456789ABCDEF01234567"


def item(market: str, lid: str, vendor: str, vendor_id: str | None, at: str, description: str = "") -> Listing:
    return Listing(market, lid, f"http://{market}.onion/l/{lid}", f"Offer {lid}", description, vendor, vendor_id,
                   "en", None, None, scraped_at=at)  # fmt: skip


def batches() -> list[tuple[list[Listing], list[Vendor]]]:
    ice = Vendor("alpha", "v-ice", "Ice Shop", "u", pgp_fingerprint=FP, contacts={"telegram": ["@IceShop"]},
                 crypto_addresses={"BTC": [BTC]}, scraped_at="2024-01-01T00:00:00Z")  # fmt: skip
    frost = Vendor("beta", "v-frost", "Frost", "u", crypto_addresses={"XMR": [XMR]}, scraped_at="2024-01-02T00:00:00Z")
    cold = Vendor("beta", "v-cold", "Cold", "u", crypto_addresses={"BTC": [OTHER]}, scraped_at="2024-01-02T00:00:00Z")
    first = [
        item("alpha", "a1", "Ice Shop", "v-ice", "2024-01-01T00:00:00Z"),
        item("alpha", "a2", "Ice Shop", "v-ice", "2024-01-03T00:00:00Z"),
        item("beta", "b1", "Frost", "v-frost", "2024-01-02T00:00:00Z", f"pay BTC {BTC}, tg @iceshop"),
        item("beta", "b2", "Frost", "v-frost", "2024-01-05T00:00:00Z", "no address here"),
        item("beta", "b3", "Cold", "v-cold", "2024-01-04T00:00:00Z", f"wallet {OTHER}"),
        item("gamma", "g1", "Ice-Shop", None, "2024-01-06T00:00:00Z", f"<b>{BTC}</b>"),
    ]
    return [(first, [ice, frost, cold])]


@pytest.fixture
def loaded(store: Store) -> Store:  # noqa: F811
    for listings, vendors in batches():
        store.write_batch(listings, vendors)
    return store


def found(s: Store, identifier: str, **kw) -> list[str]:
    res = s.search(SearchQuery(identifier=identifier, limit=100, **kw))
    return sorted(f"{h.listing['market']}:{h.listing['listing_id']}" for h in res.hits)


def test_identifier_filter_reaches_vendor_profiles_and_listing_text(loaded: Store) -> None:
    # a1, a2: their vendor's profile has the address; b1, g1: their own text carries it
    assert found(loaded, f"btc:{BTC}") == ["alpha:a1", "alpha:a2", "beta:b1", "gamma:g1"]
    assert found(loaded, f"btc:{BTC}", market="beta") == ["beta:b1"]
    assert found(loaded, "tg:@ICESHOP") == ["alpha:a1", "alpha:a2", "beta:b1"]
    assert found(loaded, f"pgp:{FP.lower()}") == ["alpha:a1", "alpha:a2"]
    assert found(loaded, f"xmr:{XMR}") == ["beta:b1", "beta:b2"]
    assert found(loaded, "vendor:ICE SHOP") == ["alpha:a1", "alpha:a2", "gamma:g1"]
    assert found(loaded, "tg:nobody_here") == []
    assert loaded.search(SearchQuery(identifier=f"btc:{BTC}", limit=0)).total == 4


def test_pivot_lists_every_market_and_vendor_sharing_an_identifier(loaded: Store) -> None:
    p = loaded.pivot(f"btc:{BTC}")
    assert (p["kind"], p["value"], p["listings_total"]) == ("btc", BTC, 2)
    assert [(v["market"], v["vendor_id"], v["name"], v["listings"], v["matching_listings"], v["in_profile"])
            for v in p["vendors"]] == [("alpha", "v-ice", "Ice Shop", 2, 0, True),
                                       ("beta", "v-frost", "Frost", 2, 1, False),
                                       ("gamma", None, "Ice-Shop", 1, 1, False)]  # fmt: skip
    ice = p["vendors"][0]
    assert (ice["first_seen"], ice["last_seen"]) == ("2024-01-01T00:00:00Z", "2024-01-03T00:00:00Z")
    assert [(m["market"], m["vendors"], m["matching_listings"]) for m in p["markets"]] == [
        ("alpha", 1, 0), ("beta", 1, 1), ("gamma", 1, 1)]  # fmt: skip
    assert [x["listing_id"] for x in p["listings"]] == ["g1", "b1"]  # newest first
    assert loaded.pivot("tg:zzzz_none")["vendors"] == []


def test_a_changed_profile_and_listing_move_their_identifiers(loaded: Store) -> None:
    ice = Vendor("alpha", "v-ice", "Ice Shop", "u", crypto_addresses={"BTC": [OTHER]}, scraped_at="2024-02-01T00:00:00Z")
    loaded.write_batch([item("beta", "b1", "Frost", "v-frost", "2024-02-01T00:00:00Z", "address removed")], [ice])
    assert found(loaded, f"btc:{BTC}") == ["gamma:g1"]
    assert found(loaded, f"btc:{OTHER}") == ["alpha:a1", "alpha:a2", "beta:b3"]
    assert [v["vendor_id"] for v in loaded.pivot(f"btc:{OTHER}")["vendors"]] == ["v-ice", "v-cold"]


@pytest.mark.parametrize("bad", ["btc:not-an-address", "nosuch:1", "pgp:1234", "justtext"])
def test_malformed_identifiers_are_a_store_error(loaded: Store, bad: str) -> None:
    with pytest.raises(StoreError, match="identifier"):
        loaded.search(SearchQuery(identifier=bad))
    with pytest.raises(StoreError, match="identifier"):
        loaded.pivot(bad)


def test_migration_to_version_7_backfills_the_index(tmp_path) -> None:
    url = f"sqlite:///{tmp_path}/old.sqlite"
    with open_store(url) as s:
        for listings, vendors in batches():
            s.write_batch(listings, vendors)
    raw = sqlite3.connect(tmp_path / "old.sqlite")
    with raw:
        raw.execute("DROP TABLE identifiers")
        raw.execute("DELETE FROM schema_version")
        raw.execute("INSERT INTO schema_version VALUES (6, '2024-01-01T00:00:00Z')")
    raw.close()
    with SQLiteStore(url) as s:
        assert s.schema_version() == SCHEMA_VERSION
        assert found(s, f"btc:{BTC}") == ["alpha:a1", "alpha:a2", "beta:b1", "gamma:g1"]


def test_elasticsearch_backfill_gives_old_documents_their_identifiers(loaded: Store) -> None:
    if not hasattr(loaded, "client"):
        pytest.skip("Elasticsearch only (SQLite: test_migration_to_version_7_backfills_the_index)")
    from onionwatch.indexer import elastic_pivots

    es: Any = loaded
    for kind in ("listings", "vendors"):  # documents as an onionwatch before version 7 wrote them
        for h in list(es._scan(es.names.alias(kind), {"match_all": {}}, [{"_doc": "asc"}])):
            h["_source"]["ow"].pop("identifiers")
            es.client.index(index=h["_index"], id=h["_id"], document=h["_source"], refresh=True)
    assert found(loaded, f"btc:{BTC}") == []
    assert elastic_pivots.lacks_identifiers({"properties": {"ow": {"properties": {"key": {}}}}})
    assert elastic_pivots.backfill(es.client, es._scan, es.names.alias("listings"), "listings") == 6
    assert elastic_pivots.backfill(es.client, es._scan, es.names.alias("vendors"), "vendors") == 3
    assert found(loaded, f"btc:{BTC}") == ["alpha:a1", "alpha:a2", "beta:b1", "gamma:g1"]


def test_elasticsearch_index_from_before_version_7_is_backfilled_on_open(loaded: Store, store_url: str) -> None:  # noqa: F811
    if not hasattr(loaded, "client"):
        pytest.skip("Elasticsearch only")
    es: Any = loaded
    client, alias = es.client, es.names.alias("listings")
    old = f"{alias}-v0"
    mapping = client.indices.get_mapping(index=alias)
    (current, body), = mapping.items()
    props = body["mappings"]["properties"]
    props["ow"]["properties"].pop("identifiers")
    client.indices.delete_index_template(name=alias)  # an index as an older onionwatch created it
    client.indices.create(index=old, mappings={"dynamic": "false", "properties": props})
    for h in list(es._scan(alias, {"match_all": {}}, [{"_doc": "asc"}])):
        h["_source"]["ow"].pop("identifiers")
        client.index(index=old, id=h["_id"], document=h["_source"])
    client.indices.update_aliases(actions=[{"remove_index": {"index": current}}, {"add": {"index": old, "alias": alias}}])
    client.indices.refresh(index=old)
    assert found(loaded, f"btc:{BTC}") == ["alpha:a1", "alpha:a2"]  # only through the vendors' profiles
    reopened = open_store(store_url)
    try:
        assert found(reopened, f"btc:{BTC}") == ["alpha:a1", "alpha:a2", "beta:b1", "gamma:g1"]
    finally:
        reopened.close()
