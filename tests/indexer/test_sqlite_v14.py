"""SQLite schema 14 (issue 15, emerging substances at 1M listings): substances first seen seeks per substance into
listing_substances_canonical and listing_substances_first (canonical, first_seen) instead of grouping a scan of
every row; the same rows as the grouped query of schema 13; the 13 -> 14 migration."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from onionwatch.indexer import sqlite_trends
from onionwatch.indexer.sqlite import SQLiteStore
from onionwatch.indexer.sqlite_migrate import SCHEMA_VERSION
from onionwatch.testbed.synth import reobserve
from tests.indexer.data import varied_synth

# the schema 13 query: one grouped scan with a count(DISTINCT) (the reference the seeks must agree with)
GROUPED = (
    "SELECT canonical, max(known), min(first_seen) AS first, count(DISTINCT listing_pk)"
    " FROM listing_substances GROUP BY canonical HAVING first >= ? AND (? IS NULL OR first < ?)"
    " ORDER BY first, canonical"
)
OLD_INDEX = "CREATE INDEX listing_substances_first ON listing_substances (canonical, listing_pk, known, first_seen)"
WINDOWS = [("2024-01-01", None), ("2000-01-01", None), ("2024-03-01", "2024-06-01"), ("2031-01-01", None),
           ("2024-01-01T00:00:00Z", "2024-01-01T00:20:00Z")]  # fmt: skip


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> SQLiteStore:
    s = SQLiteStore(f"sqlite:///{tmp_path_factory.mktemp('v14') / 's.sqlite'}")
    listings, vendors = varied_synth(2500, seed=5)
    s.write_batch(listings, vendors)
    s.write_batch(reobserve(listings, seed=3, days=9, share=0.3), [])
    return s


def _reference(conn: sqlite3.Connection, since: str, until: str | None) -> list[dict[str, Any]]:
    lo = sqlite_trends.bound_ts(since, end=False, field="since")
    hi = sqlite_trends.bound_ts(until, end=False, field="until") if until else None
    return [{"substance": c, "known": bool(k), "first_seen": f, "listings": n}
            for c, k, f, n in conn.execute(GROUPED, (lo, hi, hi))]  # fmt: skip


@pytest.mark.parametrize(("since", "until"), WINDOWS)
def test_rows_equal_the_grouped_scan(store: SQLiteStore, since: str, until: str | None) -> None:
    got = store.substances_first_seen(since, until)
    assert got == _reference(store._conn, since, until)
    if since == "2024-01-01":
        assert {r["substance"] for r in got} >= {"3-xmc", "ketamine", "cocaine"}
        assert next(r for r in got if r["substance"] == "3-xmc")["known"] is False


def test_a_listing_with_a_known_and_a_candidate_row_counts_once(tmp_path: Path) -> None:
    s = SQLiteStore(f"sqlite:///{tmp_path / 'dup.sqlite'}")
    s.write_batch(varied_synth(300, seed=9)[0], [])
    conn = s._conn
    pk, first = conn.execute("SELECT listing_pk, first_seen FROM listing_substances WHERE canonical = 'ketamine'"
                             " AND known = 1 LIMIT 1").fetchone()  # fmt: skip
    with conn:  # the lexicon changed between two writes: the same substance as a candidate row too
        conn.execute("INSERT INTO listing_substances (listing_pk, canonical, cls, known, first_seen)"
                     " VALUES (?, 'ketamine', NULL, 0, ?)", (pk, first))  # fmt: skip
    got = {r["substance"]: r for r in s.substances_first_seen("2000-01-01")}
    want = {r["substance"]: r for r in _reference(conn, "2000-01-01", None)}
    assert got == want
    rows = conn.execute("SELECT count(*) FROM listing_substances WHERE canonical = 'ketamine'").fetchone()[0]
    assert got["ketamine"]["listings"] == rows - 1  # the listing with both rows counts once
    s.close()


def test_no_row_of_listing_substances_is_scanned(store: SQLiteStore) -> None:
    plan = [row[3] for row in store._conn.execute("EXPLAIN QUERY PLAN " + sqlite_trends.FIRST_SEEN_SQL,
                                                    ("2024-01-01T00:00:00Z", None, None))]  # fmt: skip
    assert any("listing_substances_first" in p for p in plan)
    assert not [p for p in plan if p.startswith("SCAN") and "listing_substances" in p]


def test_version_13_store_is_migrated(tmp_path: Path) -> None:
    path = tmp_path / "v13.sqlite"
    s = SQLiteStore(f"sqlite:///{path}")
    s.write_batch(varied_synth(800, seed=2)[0], [])
    fresh = s._conn.execute("SELECT sql FROM sqlite_master WHERE name = 'listing_substances_first'").fetchone()[0]
    want = s.substances_first_seen("2024-01-01")
    s.close()
    with sqlite3.connect(path) as raw:
        raw.execute("DROP INDEX listing_substances_first")
        raw.execute(OLD_INDEX)
        raw.execute("DELETE FROM schema_version")
        raw.execute("INSERT INTO schema_version VALUES (13, '2024-01-01T00:00:00Z')")
    migrated = SQLiteStore(f"sqlite:///{path}")
    assert migrated.schema_version() == SCHEMA_VERSION == 16
    got = migrated._conn.execute("SELECT sql FROM sqlite_master WHERE name = 'listing_substances_first'").fetchone()
    assert got[0] == fresh and "listing_pk" not in got[0]
    assert migrated.substances_first_seen("2024-01-01") == want
    migrated.close()
