"""bench_search's "fields" shape (``market:M price:A..B seen:>=D``, indexer/sqlite_search.py `market_since`) on a
re-crawled store equals a raw count over the listings rows: total, market/country/city facets and the newest page,
at dates before, inside and after the crawls (most listings seen recently, few, none), on a market with gone and
returning listings and on the half-purged market. (test_sqlite_market_since compares the same path with the
planner's path.)"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from onionwatch.indexer.query import sorted_counts
from onionwatch.indexer.sqlite import SQLiteStore
from onionwatch.indexer.store import SearchQuery
from tests.indexer.test_sqlite_since_until import build

WHERE = "market = ? AND last_seen >= ? AND price_usd IS NOT NULL AND price_usd >= ? AND price_usd <= ?"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SQLiteStore]:
    s = build(tmp_path_factory.mktemp("fields") / "f.sqlite", n=300)
    yield s
    s.close()


CASES = [
    ("alphabay", date(2024, 6, 1), 10, 100),  # bench_search's shape: after the last crawls
    ("alphabay", date(2024, 1, 1), 10, 100),  # every listing of the market
    ("alphabay", date(2024, 4, 15), 1, 10_000),
    ("dream", date(2024, 6, 30), 20, 60),  # only the latest sightings
    ("hydra", date(2024, 8, 1), 1, 10_000),  # after everything: no hit
    ("oldmarket", date(2024, 2, 1), 1, 10_000),  # the half-purged market
]


@pytest.mark.parametrize("market,day,low,high", CASES, ids=lambda v: str(v))
def test_fields_equal_the_raw_listings(store: SQLiteStore, market: str, day: date, low: int, high: int) -> None:
    conn = store._conn
    args = (market, day.isoformat() + "T00:00:00Z", low, high)
    text = f"market:{market} price:{low}..{high} seen:>={day.strftime('%d.%m.%Y')}"
    got = store.search(SearchQuery(text=text, sort="newest", limit=15, facets=("market", "country", "city"),
                                   facets_exact=True))  # fmt: skip
    assert got.total == conn.execute(f"SELECT count(*) FROM listings WHERE {WHERE}", args).fetchone()[0]
    for facet in ("country", "city"):
        raw = conn.execute(f"SELECT {facet}, count(*) FROM listings WHERE {WHERE} AND {facet} IS NOT NULL"
                           f" GROUP BY {facet}", args).fetchall()  # fmt: skip
        assert got.facets[facet] == sorted_counts([tuple(r) for r in raw])
    page = conn.execute(f"SELECT listing_id FROM listings WHERE {WHERE} ORDER BY last_seen DESC, market, listing_id"
                        " LIMIT 15", args).fetchall()  # fmt: skip
    assert [h.listing["listing_id"] for h in got.hits] == [r[0] for r in page]


def test_the_cases_cover_many_few_and_no_hits(store: SQLiteStore) -> None:
    totals = [store.search(SearchQuery(text=f"market:{m} price:{a}..{b} seen:>={d.strftime('%d.%m.%Y')}",
                                       limit=0)).total for m, d, a, b in CASES]  # fmt: skip
    assert totals[1] >= totals[0] > 0 and totals[2] > 0 and totals[4] == 0 and totals[5] > 0
    assert store._conn.execute("SELECT count(*) FROM listings WHERE market = 'alphabay' AND status = 'gone'"
                               ).fetchone()[0] > 0  # fmt: skip
