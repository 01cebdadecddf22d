"""SQLite specifics: URLs, on-disk file and WAL, schema version, FTS sync, rollback, concurrent readers."""

from __future__ import annotations

import sqlite3
import threading
import time

import pytest

from onionwatch.errors import OnionwatchError
from onionwatch.indexer import sqlite_watch
from onionwatch.indexer.query import MAX_LIMIT, MAX_WINDOW, page_bounds
from onionwatch.indexer.sqlite import SCHEMA_VERSION, SQLiteStore, path_from_url
from onionwatch.indexer.store import SearchQuery, StoreError, open_store
from tests.indexer import data


@pytest.mark.parametrize(
    ("url", "path"),
    [
        ("sqlite:///tmp/x/store.sqlite", "/tmp/x/store.sqlite"),
        ("sqlite:////tmp/x/store.sqlite", "/tmp/x/store.sqlite"),
        ("sqlite:///:memory:", ":memory:"),
        ("sqlite:///tmp/a.db?mode=rw", "/tmp/a.db"),
    ],
)
def test_path_from_url(url: str, path: str) -> None:
    assert path_from_url(url) == path


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///", "postgres:///x"])
def test_bad_urls_raise_store_error(url: str) -> None:
    with pytest.raises(StoreError):
        path_from_url(url)


def _load(store: SQLiteStore) -> None:
    for listings, vendors in data.batches():
        store.write_batch(listings, vendors)


def test_on_disk_file_in_new_dirs_with_wal(tmp_path) -> None:
    db = tmp_path / "deep" / "er" / "store.sqlite"
    store = open_store(f"sqlite://{db}")
    _load(store)
    assert db.exists()
    assert (tmp_path / "deep" / "er" / "store.sqlite-wal").exists()
    with sqlite3.connect(db) as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    store.close()
    again = open_store(f"sqlite://{db}")
    assert again.counts() == {"listings": 8, "vendors": 5, "observations": 11}
    again.close()


def test_memory_store_works(tmp_path) -> None:
    store = open_store("sqlite:///:memory:")
    _load(store)
    assert store.counts()["listings"] == 8
    store.close()


def test_schema_version_recorded_once(tmp_path) -> None:
    url = f"sqlite://{tmp_path}/s.sqlite"
    SQLiteStore(url).close()
    store = SQLiteStore(url)
    assert store.schema_version() == SCHEMA_VERSION
    with sqlite3.connect(store.path) as raw:
        assert raw.execute("SELECT count(*) FROM schema_version").fetchone()[0] == 1
    store.close()


def test_newer_schema_is_refused(tmp_path) -> None:
    url = f"sqlite://{tmp_path}/s.sqlite"
    SQLiteStore(url).close()
    with sqlite3.connect(f"{tmp_path}/s.sqlite") as raw:
        raw.execute("INSERT INTO schema_version VALUES (?, '2030-01-01T00:00:00Z')", (SCHEMA_VERSION + 1,))
    with pytest.raises(StoreError, match="newer"):
        SQLiteStore(url)


def test_fts_index_stays_consistent_through_updates(tmp_path) -> None:
    store = SQLiteStore(f"sqlite://{tmp_path}/s.sqlite")
    _load(store)
    b = data.base_listings()
    store.write_batch([data.at(b["a3"], "2024-03-01T10:00:00Z", title="Brown heroin #3")], [])
    store._conn.execute("INSERT INTO listings_fts (listings_fts) VALUES ('integrity-check')")
    assert [h.listing["listing_id"] for h in store.search(SearchQuery(text="brown")).hits] == ["a3"]
    assert store.search(SearchQuery(text="white")).total == 0
    store.close()


def test_failure_after_rows_are_written_rolls_back(tmp_path, monkeypatch) -> None:
    store = SQLiteStore(f"sqlite://{tmp_path}/s.sqlite")

    def boom(conn, listings, *_):
        assert conn.execute("SELECT count(*) FROM listings").fetchone()[0] == 7  # written, not committed
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(sqlite_watch, "evaluate", boom)
    listings, vendors = data.batches()[0]
    with pytest.raises(RuntimeError):
        store.write_batch(listings, vendors)
    assert store.counts() == {"listings": 0, "vendors": 0, "observations": 0}
    assert store.search(SearchQuery(text="mdma")).total == 0
    monkeypatch.undo()
    assert store.write_batch(listings, vendors).listings_new == 7  # the store is usable afterwards
    store.close()


def test_vendor_constraint_failure_rolls_back_listings(tmp_path) -> None:
    store = SQLiteStore(f"sqlite://{tmp_path}/s.sqlite")
    listings, vendors = data.batches()[0]
    bad = data.vendors()[0]
    bad.vendor_id = ""
    with pytest.raises(StoreError, match="nothing written"):
        store.write_batch(listings, [*vendors, bad])
    assert store.counts() == {"listings": 0, "vendors": 0, "observations": 0}
    store.close()


@pytest.mark.slow  # wall clock: a blocked reader would wait for the 30 s busy timeout
def test_reader_is_not_blocked_by_an_open_write(tmp_path) -> None:
    url = f"sqlite://{tmp_path}/s.sqlite"
    store = SQLiteStore(url)
    _load(store)
    writer = sqlite3.connect(store.path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("DELETE FROM listings WHERE market = 'alpha'")
    reader = SQLiteStore(url)
    started = time.monotonic()
    assert reader.search(SearchQuery()).total == 8  # sees the last committed state
    assert time.monotonic() - started < 10.0
    writer.execute("COMMIT")
    assert reader.search(SearchQuery()).total == 3
    writer.close()
    reader.close()
    store.close()


def test_concurrent_reader_sees_whole_batches_only(tmp_path) -> None:
    url = f"sqlite://{tmp_path}/s.sqlite"
    store = SQLiteStore(url)
    _load(store)
    template = data.base_listings()["k3"]
    batch = [data.at(template, "2024-03-01T10:00:00Z", listing_id=f"bulk-{i}") for i in range(3000)]
    reader = SQLiteStore(url)
    seen: set[int] = set()
    errors: list[BaseException] = []
    done = threading.Event()

    def read() -> None:
        try:
            while not done.is_set():
                seen.add(reader.search(SearchQuery(limit=1)).total)
        except BaseException as exc:  # noqa: BLE001 - surfaced by the assertion below
            errors.append(exc)

    thread = threading.Thread(target=read)
    thread.start()
    try:
        store.write_batch(batch, [])
    finally:
        time.sleep(0.05)
        done.set()
        thread.join()
    assert errors == []
    assert seen and seen <= {8, 3008}  # never a half-written batch
    assert reader.search(SearchQuery()).total == 3008
    reader.close()
    store.close()


def test_highlight_sentinels_cannot_be_spoofed(tmp_path) -> None:
    store = SQLiteStore(f"sqlite://{tmp_path}/s.sqlite")
    a1 = data.base_listings()["a1"]
    tricky = "\ue000\ue001 <mark>fake</mark> \ue002\ue003 mdma"
    store.write_batch([data.at(a1, "2024-01-01T10:00:00Z", title=tricky)], [])
    hl = store.search(SearchQuery(text="mdma")).hits[0].highlight
    assert hl is not None
    assert hl.count("<mark>") == 1 and "&lt;mark&gt;fake&lt;/mark&gt;" in hl
    store.close()


def test_page_bounds() -> None:
    assert page_bounds(5000, 0) == (MAX_LIMIT, 0)
    assert page_bounds(-3, -9) == (0, 0)
    assert page_bounds(50, MAX_WINDOW - 10) == (10, MAX_WINDOW - 10)
    assert page_bounds(50, MAX_WINDOW + 10) == (0, MAX_WINDOW + 10)


@pytest.mark.slow  # the speed figure is `python -m bench.bench_store`, not a timed test
def test_bulk_write_of_10k_listings_in_one_batch(tmp_path) -> None:
    from onionwatch.testbed.synth import synth_batch

    store = SQLiteStore(f"sqlite://{tmp_path}/s.sqlite")
    listings, vendors = synth_batch(10_000, seed=1)
    stats = store.write_batch(listings, vendors)
    assert stats.listings_new == 10_000
    assert store.search(SearchQuery(limit=1)).total == 10_000
    store.close()


def test_version_1_database_is_migrated(tmp_path) -> None:
    url = f"sqlite://{tmp_path}/old.sqlite"
    store = SQLiteStore(url)
    _load(store)
    expected = (store.listings_per_substance("week"), store.substances_first_seen("2024-01-01"))
    store.close()
    with sqlite3.connect(f"{tmp_path}/old.sqlite") as raw:  # turn it back into a version 1 file
        _downgrade_v5(raw)
        for column in ("listing_pk", "day", "week", "month"):
            raw.execute(f"ALTER TABLE observations DROP COLUMN {column}")
        raw.execute("DROP INDEX listing_substances_first")  # version 11
        raw.execute("ALTER TABLE listing_substances DROP COLUMN first_seen")
        raw.execute("DELETE FROM schema_version")
        raw.execute("INSERT INTO schema_version VALUES (1, '2024-01-01T00:00:00Z')")
        raw.execute("DROP INDEX listings_narrow")
        raw.execute("DROP TABLE crawls")
    migrated = SQLiteStore(url)
    assert migrated.schema_version() == SCHEMA_VERSION
    assert (migrated.listings_per_substance("week"), migrated.substances_first_seen("2024-01-01")) == expected
    assert migrated.crawls() == [] and migrated.begin_crawl("m") == "1"  # the crawls table came with version 4
    migrated.close()


def _downgrade_v10(raw: sqlite3.Connection) -> None:
    """Remove what version 10 added (class source and review reason); a no-op on a file without them."""
    columns = {r[1] for r in raw.execute("PRAGMA table_info(listings)")}
    if "class_source" in columns:
        raw.execute("DROP INDEX listings_review")
        raw.execute("ALTER TABLE listings DROP COLUMN class_source")
        raw.execute("ALTER TABLE listings DROP COLUMN review_reason")


def _downgrade_v9(raw: sqlite3.Connection) -> None:
    """Remove what version 9 added (trend rollups, facet totals and their triggers, two indexes)."""
    for trigger in ("facet_totals_ai", "facet_totals_ad", "facet_totals_au", "facet_totals_sub_ai",
                    "facet_totals_sub_ad"):  # fmt: skip
        raw.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    for table in ("facet_totals", "trend_counts", "trend_prices"):
        raw.execute(f"DROP TABLE IF EXISTS {table}")
    raw.execute("DROP INDEX IF EXISTS listings_facets")
    raw.execute("DROP INDEX IF EXISTS listings_recent")


def _downgrade_v6(raw: sqlite3.Connection) -> None:
    """Remove what version 6 added (stemmed full text, country and place keys), and versions 9 and 10 first."""
    _downgrade_v10(raw)
    _downgrade_v9(raw)
    for trigger in ("listings_stem_ai", "listings_stem_ad", "listings_stem_au"):
        raw.execute(f"DROP TRIGGER {trigger}")
    raw.execute("DROP TABLE listings_stem")
    raw.execute("DROP INDEX listings_places")
    raw.execute("DROP INDEX listings_city_key")
    for column in ("title_stems", "description_stems", "vendor_stems", "country", "city_key", "district_key"):
        raw.execute(f"ALTER TABLE listings DROP COLUMN {column}")


V5_ALERTS = (
    "CREATE TABLE alerts (id INTEGER PRIMARY KEY, watch_id INTEGER NOT NULL REFERENCES watches (id) ON DELETE"
    " CASCADE, market TEXT NOT NULL, listing_id TEXT NOT NULL, observed_at TEXT NOT NULL, created_at TEXT NOT NULL,"
    " UNIQUE (watch_id, market, listing_id))"
)


def _downgrade_v8(raw: sqlite3.Connection) -> None:
    """Give the file version 5's alerts table back (version 8: alert kinds, snapshot, acknowledgement)."""
    _downgrade_v10(raw)
    rows = raw.execute("SELECT id, watch_id, market, listing_id, observed_at, created_at FROM alerts"
                       " WHERE kind = 'new'").fetchall()
    raw.execute("DROP TABLE alerts")
    raw.execute(V5_ALERTS)
    raw.execute("CREATE INDEX alerts_created ON alerts (created_at)")
    raw.executemany("INSERT INTO alerts VALUES (?, ?, ?, ?, ?, ?)", rows)


def _downgrade_v5(raw: sqlite3.Connection) -> None:
    """Remove what versions 5 to 8 added (city and district; change-only recrawls; mirror health; search keys;
    the identifier index and the city index; alert kinds and acknowledgement)."""
    _downgrade_v8(raw)
    raw.execute("DROP TABLE identifiers")
    raw.execute("DROP INDEX listings_city")
    _downgrade_v6(raw)
    raw.execute("DROP TABLE mirror_health")
    raw.execute("ALTER TABLE listings DROP COLUMN city")
    raw.execute("ALTER TABLE listings DROP COLUMN district")
    raw.execute("DROP INDEX listings_market_status")
    raw.execute("ALTER TABLE listings DROP COLUMN status")
    raw.execute("ALTER TABLE listings DROP COLUMN gone_at")
    raw.execute("DROP INDEX observations_listing")
    raw.execute("ALTER TABLE observations DROP COLUMN change_key")
    raw.execute("DROP TABLE vendor_history")


def test_version_4_database_is_migrated_to_change_only(tmp_path) -> None:
    url = f"sqlite://{tmp_path}/v4.sqlite"
    store = SQLiteStore(url)
    _load(store)
    store.close()
    with sqlite3.connect(f"{tmp_path}/v4.sqlite") as raw:
        _downgrade_v5(raw)
        raw.execute("UPDATE schema_version SET version = 4")
    migrated = SQLiteStore(url)
    assert migrated.schema_version() == SCHEMA_VERSION
    assert {h.listing["status"] for h in migrated.search(SearchQuery(limit=50)).hits} == {"live"}
    assert migrated.vendor_history("alpha", "v-green") == []
    a1 = data.at(data.base_listings()["a1"], "2024-03-01T10:00:00Z", price_usd=36.0)
    # observations from before version 5 carry no change key: the first sighting after it records one
    assert migrated.write_batch([a1], []).observations == 1
    assert migrated.write_batch([data.at(a1, "2024-03-02T10:00:00Z")], []).observations == 0


def test_version_5_database_gets_stems_and_places(tmp_path) -> None:
    """Migration 6 stems the listings already stored and derives their country and place keys."""
    from dataclasses import replace

    url = f"sqlite://{tmp_path}/v5.sqlite"
    store = SQLiteStore(url)
    _load(store)
    store.write_batch([replace(data.base_listings()["k1"], listing_id="k9", city="Караганда", district="Майкудук")], [])
    store.close()
    with sqlite3.connect(f"{tmp_path}/v5.sqlite") as raw:
        _downgrade_v6(raw)
        raw.execute("DELETE FROM schema_version")
        raw.execute("INSERT INTO schema_version VALUES (5, '2024-01-01T00:00:00Z')")
    migrated = SQLiteStore(url)
    assert migrated.schema_version() == SCHEMA_VERSION
    found = migrated.search(SearchQuery(text="Москвы", limit=50))  # stems of rows from before version 6
    assert {h.listing["listing_id"] for h in found.hits} == {"k1", "k3", "k9"}
    assert {h.listing["listing_id"] for h in migrated.search(SearchQuery(text="кристаллов")).hits} == {"k1", "k9"}
    assert [h.listing["listing_id"] for h in migrated.search(SearchQuery(text="city:караганда")).hits] == ["k9"]
    assert migrated.search(SearchQuery(country="Kazakhstan")).facets["district"] == {"Майкудук": 1}
    assert migrated.write_batch([data.at(data.base_listings()["a1"], "2024-03-05T10:00:00Z")], []).listings_new == 0
    migrated.close()


def test_version_4_database_gets_city_and_district(tmp_path) -> None:
    from dataclasses import replace

    url = f"sqlite://{tmp_path}/v4.sqlite"
    store = SQLiteStore(url)
    store.close()
    with sqlite3.connect(f"{tmp_path}/v4.sqlite") as raw:  # a version 4 file: no city/district columns
        _downgrade_v5(raw)
        raw.execute("DELETE FROM schema_version")
        raw.execute("INSERT INTO schema_version VALUES (4, '2024-01-01T00:00:00Z')")
    migrated = SQLiteStore(url)
    assert migrated.schema_version() == SCHEMA_VERSION
    listing = replace(data.base_listings()["a1"], city="Алматы", district="Бостандыкский")
    migrated.write_batch([listing], [])
    got = migrated.get_listing(listing.market, listing.listing_id)
    assert (got["city"], got["district"]) == ("Алматы", "Бостандыкский")
    migrated.close()


def test_hostile_text_is_stored_and_searchable(tmp_path) -> None:
    store = SQLiteStore(f"sqlite://{tmp_path}/s.sqlite")
    a1 = data.base_listings()["a1"]
    nasty = data.at(
        a1,
        "2024-01-01T10:00:00Z",
        title="bad\udcff bytes\x00 nul mdma",
        description="filler " * 150_000 + "needle",
        vendor="Ven\udcffdor",
    )
    assert store.write_batch([nasty], []).listings_new == 1
    hit = store.search(SearchQuery(text="needle")).hits[0].listing
    assert hit["title"] == "bad\ufffd bytes nul mdma"
    assert hit["vendor"] == "Ven\ufffddor"
    assert store.search(SearchQuery(vendor="ven\ufffddor")).total == 1
    assert store.write_batch([nasty], []).observations == 0  # still idempotent
    store.close()


def test_new_store_is_private_to_its_owner(tmp_path) -> None:
    import stat

    from onionwatch.indexer.sqlite import SQLiteStore

    path = tmp_path / "new" / "store.sqlite"
    store = SQLiteStore(f"sqlite:///{path}")
    store.close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_mirror_health_series(tmp_path) -> None:
    store = SQLiteStore(f"sqlite://{tmp_path}/m.sqlite")
    base = {"market": "m", "source": "probe", "status": 200, "requests": 1, "failures": 0, "error": None}
    samples = [base | {"mirror": "http://a.onion", "checked_at": "2026-01-02T00:00:00Z", "up": True, "latency_ms": 9.5},
               base | {"mirror": "http://a.onion", "checked_at": "2026-01-01T00:00:00Z", "up": False,
                       "latency_ms": None, "status": None, "error": "x" * 2000},
               base | {"market": "n", "mirror": "http://b.onion", "checked_at": "2026-01-03T00:00:00Z", "up": True,
                       "latency_ms": 1.0, "source": "crawl"}]
    assert store.record_mirror_health(samples) == 3
    got = store.mirror_health("m")
    assert [(s["checked_at"], s["up"]) for s in got] == [("2026-01-01T00:00:00Z", False), ("2026-01-02T00:00:00Z", True)]
    assert len(got[0]["error"]) == 500
    assert [s["market"] for s in store.mirror_health(since="2026-01-02T00:00:00Z")] == ["m", "n"]
    with pytest.raises(StoreError, match="nothing written"):
        store.record_mirror_health([samples[1], samples[0] | {"source": "guess"}])
    assert len(store.mirror_health()) == 3
    store.close()


def test_version_7_alerts_are_migrated_to_version_8(tmp_path) -> None:
    url = f"sqlite://{tmp_path}/v5.sqlite"
    store = SQLiteStore(url)
    store.add_watch({"name": "stims", "substance_class": "stimulant"})
    _load(store)
    before = [(a["watch_id"], a["market"], a["listing_id"], a["created_at"]) for a in store.alerts()
              if a["kind"] == "new"]
    store.close()
    with sqlite3.connect(f"{tmp_path}/v5.sqlite") as raw:
        _downgrade_v8(raw)
        raw.execute("DELETE FROM schema_version")
        raw.execute("INSERT INTO schema_version VALUES (7, '2024-01-01T00:00:00Z')")
    migrated = SQLiteStore(url)
    assert migrated.schema_version() == SCHEMA_VERSION == 16
    rows = migrated.alerts()
    assert [(a["watch_id"], a["market"], a["listing_id"], a["created_at"]) for a in rows] == before
    assert {a["kind"] for a in rows} == {"new"} and all(a["title"] for a in rows)
    assert migrated.acknowledge_alerts([rows[0]["id"]], "anna") == 1
    migrated.close()


def test_version_8_database_gets_class_source_and_review(tmp_path) -> None:
    """Migration 10: stored classes came from the lexicon; a listing the model classed is flagged, filterable."""
    from dataclasses import replace

    url = f"sqlite://{tmp_path}/v8.sqlite"
    store = SQLiteStore(url)
    _load(store)
    store.close()
    with sqlite3.connect(f"{tmp_path}/v8.sqlite") as raw:
        _downgrade_v10(raw)
        raw.execute("DELETE FROM schema_version")
        raw.execute("INSERT INTO schema_version VALUES (8, '2024-01-01T00:00:00Z')")
    migrated = SQLiteStore(url)
    assert migrated.schema_version() == SCHEMA_VERSION == 16
    hits = migrated.search(SearchQuery(limit=50)).hits
    assert {h.listing["class_source"] for h in hits if h.listing["substance_class"]} == {"lexicon"}
    assert not any(h.listing["review"] for h in hits)
    a1 = data.base_listings()["a1"]
    flagged = replace(a1, listing_id="m1", substance=None, substances=[], substance_class="cannabinoid",
                      class_source="model", review=True, review_reason="model_class")
    assert migrated.write_batch([flagged], []).listings_new == 1
    got = migrated.get_listing(a1.market, "m1")
    assert got is not None and (got["class_source"], got["review"], got["review_reason"]) == (
        "model", True, "model_class")
    for text, want in (("review:yes", ["m1"]), ("review:да", ["m1"]), ("review:model_class", ["m1"]),
                       ("review:model_disagrees", [])):
        assert [h.listing["listing_id"] for h in migrated.search(SearchQuery(text=text, limit=50)).hits] == want
    assert "m1" not in {h.listing["listing_id"] for h in migrated.search(SearchQuery(text="review:no", limit=50)).hits}
    with pytest.raises(OnionwatchError, match="review"):
        migrated.search(SearchQuery(text="review:maybe"))
    migrated.close()


def test_write_batches_one_transaction_rolled_back_by_a_failing_source(tmp_path) -> None:
    """write_batches consumes its batches inside one transaction: what the source raises after two batches
    were written (an error, Ctrl-C, a batch the store refuses) undoes both; the store stays usable."""
    store = SQLiteStore(f"sqlite:///{tmp_path}/s.sqlite")
    first, *rest = data.batches()
    store.write_batch(*first)
    before = store.counts()

    def source(fail: BaseException | None):
        yield from rest
        if fail is not None:
            assert store.counts() != before  # the batches are in (inside the open transaction)
            raise fail
        bad = data.vendors()[0]
        bad.vendor_id = ""  # refused by SQLite's constraints when written
        yield [], [bad]

    for fail, raised in ((RuntimeError("source died"), RuntimeError), (KeyboardInterrupt(), KeyboardInterrupt),
                         (None, StoreError)):
        with pytest.raises(raised):
            store.write_batches(source(fail))
        assert store.counts() == before
    assert store.write_batches(iter(rest)).observations == 4
    store.close()
