"""The re-crawl write path (indexer/sqlite_write.py): a changed listing sets only the columns whose value differs,
keeps its identifiers when its text is unchanged and its listing_substances rows when they are already the ones it
would get. Every table ends as the full replacement (the old path: every column set, identifiers and substance rows
rewritten) leaves it, on a re-crawled store with price, text, place and substance changes, gone and returning
listings, out-of-order sightings, a replay and a purge."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from bench.bench_write_ab import tables
from onionwatch.indexer import sqlite_write
from onionwatch.indexer.sqlite import SQLiteStore
from onionwatch.indexer.store import SearchQuery
from onionwatch.testbed.synth import synth_batch
from tests.indexer.test_sqlite_since_until import build


def _full_replacement(m: pytest.MonkeyPatch) -> None:
    """The old path: every column differs, no substance row is kept."""
    m.setattr(sqlite_write, "_differ", lambda values, cur, columns: list(columns))
    m.setattr(sqlite_write, "_same_substances", lambda conn, want: set())


def test_every_table_equals_the_full_replacement(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    new = build(tmp_path / "new.sqlite", n=400)
    new.close()
    with monkeypatch.context() as m:
        _full_replacement(m)
        old = build(tmp_path / "old.sqlite", n=400)
        old.close()
    got, want = tables(tmp_path / "new.sqlite"), tables(tmp_path / "old.sqlite")
    assert got.pop("schema_version")[0] == want.pop("schema_version")[0]  # applied_at: the time each was built
    assert got == want
    for table in ("listings", "observations", "listing_substances", "identifiers", "facet_days", "trend_prices"):
        assert got[table][0] > 0, table


def _statements(store: SQLiteStore) -> list[str]:
    seen: list[str] = []
    store._conn.set_trace_callback(seen.append)
    return seen


def test_a_price_change_sets_the_price_and_keeps_text_rows(tmp_path: Path) -> None:
    listings, vendors = synth_batch(30, seed=3, start="2024-01-01", days=5)
    store = SQLiteStore(f"sqlite:///{tmp_path / 's.sqlite'}")
    store.write_batch(listings, vendors)
    before = tables(tmp_path / "s.sqlite")
    seen = _statements(store)
    priced = [replace(x, scraped_at="2024-03-01T00:00:00Z", price_usd=(x.price_usd or 1) * 2) for x in listings]
    stats = store.write_batch(priced, [])
    store._conn.set_trace_callback(None)
    assert stats.listings_updated == 30
    updates = [s for s in seen if s.startswith("UPDATE listings SET") and "last_seen = " in s]
    assert updates and all("title" not in s and "description" not in s and "price_usd" in s for s in updates)
    assert not [s for s in seen if s.startswith(("DELETE FROM identifiers", "DELETE FROM listing_substances"))]
    after = tables(tmp_path / "s.sqlite")
    assert after["identifiers"] == before["identifiers"] and after["listing_substances"] == before["listing_substances"]
    assert after["listings"] != before["listings"]
    got = store.get_listing(listings[0].market, listings[0].listing_id)
    assert got is not None and got["price_usd"] == (listings[0].price_usd or 1) * 2
    store.close()


def test_a_text_change_rewrites_identifiers_and_substances(tmp_path: Path) -> None:
    listings, vendors = synth_batch(20, seed=4, start="2024-01-01", days=5)
    store = SQLiteStore(f"sqlite:///{tmp_path / 's.sqlite'}")
    store.write_batch(listings, vendors)
    seen = _statements(store)
    changed = [replace(x, scraped_at="2024-03-01T00:00:00Z", title=x.title + " btc 1BoatSLRHtKNngkdXEeobR76b53LETtpyT",
                       substance="ketamine", substance_class="dissociative") for x in listings]  # fmt: skip
    store.write_batch(changed, [])
    store._conn.set_trace_callback(None)
    assert [s for s in seen if s.startswith("DELETE FROM identifiers")]
    assert [s for s in seen if s.startswith("DELETE FROM listing_substances")]
    assert store.pivot("btc:1BoatSLRHtKNngkdXEeobR76b53LETtpyT")["listings_total"] == 20
    assert store.search(SearchQuery(substance="ketamine", limit=0)).total == 20
    store.close()
