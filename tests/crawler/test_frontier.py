"""The persisted frontier on a real SQLite file: the seen-set, depth and pagination limits, raw items, resume."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from onionwatch.crawler.frontier import PageState, SQLiteFrontier, StageProgress


def _frontier(tmp_path: Path, depth: int = 2, pagination: int = 3) -> SQLiteFrontier:
    return SQLiteFrontier.create(tmp_path / "f.sqlite", depth, {"market": "m"}, pagination_limit=pagination)


def _state(f: SQLiteFrontier, url: str) -> tuple[int, int, int]:
    row = f._conn.execute("SELECT depth, state, chain FROM pages WHERE url = ?", (url,)).fetchone()
    return (row[0], PageState(row[1]), row[2])


def test_links_are_a_seen_set_breadth_first(tmp_path: Path) -> None:
    f = _frontier(tmp_path)
    f.seed(["/"])
    [page] = f.next_batch(10)
    assert (page.url, page.depth) == ("/", 0)
    f.page_done("/", ["/a", "/b", "/a"], 0)
    f.page_done("/a", ["/b", "/"], 1)  # both known: not queued twice
    assert [p.url for p in f.next_batch(10)] == ["/b"]
    assert f.counts().queued == 1 and f.counts().done == 2


def test_depth_limit_and_refound_links(tmp_path: Path) -> None:
    f = _frontier(tmp_path, depth=2)
    f.seed(["/"])
    f.page_done("/x", ["/deep"], 2)  # child at depth 3 > 2
    assert _state(f, "/deep") == (3, PageState.BEYOND_DEPTH, 0)
    assert f.counts().beyond_depth == 1
    f.page_done("/y", ["/deep"], 0)  # found again at depth 1: now within the limit
    assert _state(f, "/deep") == (1, PageState.QUEUED, 0)


def test_next_pages_keep_depth_and_stop_at_the_pagination_limit(tmp_path: Path) -> None:
    f = _frontier(tmp_path, depth=2, pagination=3)
    f.seed(["/"])
    f.page_done("/", ["/cat"], 0)
    url = "/cat"
    for n in range(2, 6):
        nxt = f"/cat?page={n}"
        f.page_done(url, ["/item"], 1, next_pages=[nxt])
        url = nxt
    assert _state(f, "/cat?page=2") == (1, PageState.DONE, 1)  # fetched: same depth as the category page
    assert _state(f, "/cat?page=4") == (1, PageState.DONE, 3)
    assert _state(f, "/cat?page=5") == (1, PageState.BEYOND_PAGINATION, 4)
    assert f.counts().beyond_pagination == 1 and f.counts().beyond_depth == 0


def test_items_wait_on_disk_until_indexed(tmp_path: Path) -> None:
    f = _frontier(tmp_path)
    f.page_done("/item/1", [], 2, ("listing", {"title": "x" * 10}))
    f.page_done("/item/2", [], 2, ("listing", {"title": "y"}))
    items = f.pending(0, 10)
    assert [i.data["title"] for i in items] == ["x" * 10, "y"]
    f.indexed(StageProgress(cursor=items[0].seq, listings=1))
    assert [i.seq for i in f.pending(0, 10)] == [items[1].seq]
    reopened = SQLiteFrontier(tmp_path / "f.sqlite")
    assert reopened.progress().listings == 1 and reopened.counts().items_waiting == 1


def test_an_older_frontier_without_chains_opens(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE pages (id INTEGER PRIMARY KEY, url TEXT NOT NULL UNIQUE, depth INTEGER NOT NULL,"
                   " state INTEGER NOT NULL DEFAULT 0, kind TEXT)")
        db.execute("INSERT INTO pages (url, depth) VALUES ('/', 0)")
    f = SQLiteFrontier(path)
    assert [p.url for p in f.next_batch(5)] == ["/"]
    f.page_done("/", [], 0, next_pages=["/?page=2"])
    assert _state(f, "/?page=2") == (0, PageState.QUEUED, 1)
    assert f.integrity() == "ok"


def test_listing_rows_count_as_listings_not_as_detail_pages(tmp_path: Path) -> None:
    """A navigation page's listing rows (`listing_rows`) are one raw item; each row is a listing collected."""
    f = _frontier(tmp_path)
    f.seed(["/"])
    f.page_done("/", ["/city"], 0, ("rows", {"listings": [{"listing_id": "a"}, {"listing_id": "b"}]}))
    f.page_done("/l/1", [], 1, ("listing", {"listing_id": "1"}))
    f.page_done("/city", [], 1, ("rows", {"listings": [{"listing_id": "c"}]}))
    c = f.counts()
    assert (c.listings, c.row_listings, c.detail_pages, c.items_waiting) == (4, 3, 1, 3)
    assert [(i.kind, len(i.data.get("listings", [i.data]))) for i in f.pending(0, 10)] == \
        [("rows", 2), ("listing", 1), ("rows", 1)]
    reopened = SQLiteFrontier(tmp_path / "f.sqlite")
    assert reopened.counts().row_listings == 3  # kept on disk: a resumed crawl counts on
