"""A since-only search sorted newest (indexer/sqlite_search.py `_from_days`, `_walk_bounded`): after re-crawls most
listings share a few recent last_seen days, and the page is walked from listings_recent instead of filling every
hit. Same total, facets and page as the filled path."""

from __future__ import annotations

from pathlib import Path

import pytest

from onionwatch.indexer import sqlite_facet_days, sqlite_search
from onionwatch.indexer.store import SearchQuery
from tests.indexer.test_sqlite_rollups_cancel import _crawl_clock, recrawled  # noqa: F401 (autouse fixture)


def page(result) -> list[tuple[str, str]]:
    return [(h.listing["market"], h.listing["listing_id"]) for h in result.hits]


@pytest.mark.parametrize(("since", "limit", "offset"), [("2024-01-15", 50, 0), ("2024-03-01", 20, 7),
                                                        ("2024-02-01", 40, 30)])  # fmt: skip
def test_since_walk_equals_the_filled_hits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, since: str, limit: int,
                                           offset: int) -> None:  # fmt: skip
    store = recrawled(tmp_path / "s.sqlite")
    q = SearchQuery(since=since, sort="newest", limit=limit, offset=offset)
    days = sqlite_facet_days.per_day(store._conn, sqlite_facet_days.plan_of(sqlite_search.base_conds(q, None), {}))
    first = sqlite_facet_days.first_day(days, limit + offset)
    monkeypatch.setattr(sqlite_search, "WALK", limit + offset)
    assert sqlite_facet_days.listings_since(store._conn, first) > sqlite_search.WALK  # the old bound refused it
    walked = store.search(q)
    calls: list[str] = []
    with monkeypatch.context() as m:
        m.setattr(sqlite_search, "_fill", lambda *a, **k: calls.append("fill") or original_fill(*a, **k))
        m.setattr(sqlite_facet_days, "first_day", lambda *a: None)  # forces the filled path
        filled = store.search(q)
    assert calls == ["fill"]
    assert walked.total == filled.total > limit + offset
    assert page(walked) == page(filled) and len(page(walked)) == limit
    assert walked.facets == filled.facets


original_fill = sqlite_search._fill


def test_a_plan_of_two_markets_keeps_the_old_bound(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = recrawled(tmp_path / "s.sqlite")
    q = SearchQuery(since="2024-01-15", market=["alphabay", "hydra"], sort="newest", limit=10)
    monkeypatch.setattr(sqlite_search, "WALK", 10)
    calls: list[str] = []
    monkeypatch.setattr(sqlite_search, "_fill", lambda *a, **k: calls.append("fill") or original_fill(*a, **k))
    result = store.search(q)
    assert calls == ["fill"] and len(result.hits) == 10


@pytest.mark.parametrize(("market", "limit", "offset"), [("alphabay", 10, 0), ("hydra", 15, 12)])
def test_one_market_walks_its_own_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, market: str, limit: int,
                                        offset: int) -> None:  # fmt: skip
    """One market, no substance: walked down listings_market_last_seen (every listing passed is of the market), within
    WALK = offset + limit where the old bound (every listing since the day) refused; the same page as filled."""
    store = recrawled(tmp_path / "s.sqlite")
    q = SearchQuery(since="2024-01-15", market=market, sort="newest", limit=limit, offset=offset)
    monkeypatch.setattr(sqlite_search, "WALK", limit + offset)
    calls: list[str] = []
    with monkeypatch.context() as m:
        m.setattr(sqlite_search, "_fill", lambda *a, **k: calls.append("fill") or original_fill(*a, **k))
        walked = store.search(q)
    assert calls == []
    with monkeypatch.context() as m:
        m.setattr(sqlite_facet_days, "first_day", lambda *a: None)  # forces the filled path
        filled = store.search(q)
    assert walked.total == filled.total > limit + offset
    assert page(walked) == page(filled) and len(page(walked)) == limit
    assert walked.facets == filled.facets
