"""A since + until page sorted newest (indexer/sqlite_search.py `_from_days`): walked from listings_recent down to the
day where the listings since (facet_days) reach offset + limit + |B| (B: first seen after until) instead of filling
every hit; the same total, page and facets as the hits path, on the re-crawled store of test_sqlite_since_until."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from onionwatch.indexer import sqlite_facet_days, sqlite_search
from onionwatch.indexer.sqlite import SQLiteStore
from onionwatch.indexer.store import SearchQuery
from onionwatch.reports import emerging
from onionwatch.reports.period import Period
from tests.indexer.test_sqlite_since_until import _hits_path, _shape, build

ORIGINAL_FILL = sqlite_search._fill


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SQLiteStore]:
    s = build(tmp_path_factory.mktemp("until_walk") / "u.sqlite")
    yield s
    s.close()


def _counting_fill(calls: list[str]) -> Any:
    return lambda *a, **k: calls.append("fill") or ORIGINAL_FILL(*a, **k)


PAGES = [
    SearchQuery(since="2024-06-03", until="2024-06-09", limit=50),  # a week: most listings live, few first seen later
    SearchQuery(since="2024-06-03", until="2024-06-09", limit=20, offset=180),
    SearchQuery(since="2024-01-10", until="2024-01-20", limit=30, offset=7),  # many first seen after until (B large)
    SearchQuery(until="2024-01-31", limit=25, offset=100),  # until alone
    SearchQuery(since="2024-04-01", until="2024-05-31", market=["alphabay", "hydra"], limit=10, offset=3),
    SearchQuery(since="2024-06-03", until="2024-06-09", market="alphabay", limit=20, offset=5),  # one market's index
    SearchQuery(since="2024-01-10", until="2024-01-20", market="hydra", limit=10, facets=("city", "substance")),
    SearchQuery(since="2024-04-01", until="2024-05-31", substance="heroin", limit=10,
                facets=("market", "substance", "substance_class", "city")),
    SearchQuery(since="2024-03-01", until="2024-03-01", limit=40),  # one day
    SearchQuery(since="2024-05-01", until="2024-06-30", limit=1000, offset=500),  # past the last hit
]  # fmt: skip


@pytest.mark.parametrize("q", PAGES, ids=lambda q: f"{q.since}|{q.until}|{q.market}|{q.substance}|{q.offset}")
def test_until_page_is_walked_and_equals_the_hits_path(store: SQLiteStore, q: SearchQuery,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    want = _hits_path(store, q, monkeypatch)
    calls: list[str] = []
    with monkeypatch.context() as m:
        m.setattr(sqlite_search, "_fill", _counting_fill(calls))
        got = store.search(q)
    assert calls == []  # the page came from the walk: no hit was filled
    assert _shape(got) == _shape(want)


def test_the_pages_are_not_trivial(store: SQLiteStore) -> None:
    results = [store.search(q) for q in PAGES]
    assert sum(1 for r in results if r.hits) >= 8
    assert any(len(r.hits) == q.limit and r.total > q.offset + q.limit for q, r in zip(PAGES, results, strict=True))
    conn = store._conn
    week = sqlite_facet_days.plan_of(*_conds(PAGES[2]))
    assert week is not None
    later = sum(n for _, n in sqlite_facet_days.per_day(conn, week)) - sqlite_facet_days.total(conn, week)
    assert later > PAGES[2].limit + PAGES[2].offset  # |B| matters: a walk to offset + limit alone would stop short


def _conds(q: SearchQuery) -> Any:
    from tests.indexer.test_sqlite_facet_days import _conds as conds

    return conds(q)


@pytest.mark.parametrize("walk", [0, 60])
def test_beyond_the_walk_bound_the_page_is_filled(store: SQLiteStore, monkeypatch: pytest.MonkeyPatch,
                                                  walk: int) -> None:  # fmt: skip
    q = SearchQuery(since="2024-01-10", until="2024-01-20", limit=30, offset=7)
    want = _hits_path(store, q, monkeypatch)
    calls: list[str] = []
    with monkeypatch.context() as m:
        m.setattr(sqlite_search, "WALK", walk)
        m.setattr(sqlite_search, "_fill", _counting_fill(calls))
        got = store.search(q)
    assert calls == ["fill"]
    assert _shape(got) == _shape(want)


def test_live_listings_pages_without_filling(store: SQLiteStore, monkeypatch: pytest.MonkeyPatch) -> None:
    period = Period(date(2024, 6, 3), date(2024, 6, 10))
    with monkeypatch.context() as m:
        m.setattr(sqlite_facet_days, "plan_of", lambda base, selected: None)
        m.setattr(emerging, "MAX_LIMIT", 70)  # several pages on a store of ~600 listings
        want = emerging._live_listings(store, period)
    calls: list[str] = []
    with monkeypatch.context() as m:
        m.setattr(sqlite_search, "_fill", _counting_fill(calls))
        m.setattr(emerging, "MAX_LIMIT", 70)
        got = emerging._live_listings(store, period)
    assert calls == []
    assert [(x["market"], x["listing_id"]) for x in got[0]] == [(x["market"], x["listing_id"]) for x in want[0]]
    assert got == want and len(got[0]) > 3 * 70


def test_one_market_walk_passes_only_that_market(store: SQLiteStore, monkeypatch: pytest.MonkeyPatch) -> None:
    """With WALK = offset + limit + that market's |B| the one-market walk is allowed (the old bound, every listing since
    the day, refused it) and gives the hits path's page."""
    q = SearchQuery(since="2024-01-10", until="2024-01-20", market="hydra", limit=10, offset=4)
    plan = sqlite_facet_days.plan_of(*_conds(q))
    assert plan is not None
    conn = store._conn
    days = sqlite_facet_days.per_day(conn, plan)
    later = sum(n for _, n in days) - sqlite_facet_days.total(conn, plan)
    first = sqlite_facet_days.first_day(days, 14 + later)
    assert first is not None and sqlite_facet_days.listings_since(conn, first) > 14 + later
    want = _hits_path(store, q, monkeypatch)
    calls: list[str] = []
    with monkeypatch.context() as m:
        m.setattr(sqlite_search, "WALK", 14 + later)
        m.setattr(sqlite_search, "_fill", _counting_fill(calls))
        got = store.search(q)
    assert calls == [] and _shape(got) == _shape(want) and len(got.hits) == 10
