"""RedisFrontier on a real redis-server: the SQLiteFrontier's semantics (states, limits, seen-set, raw items,
stage cursor) plus what several workers need (leases that lapse when a worker dies, nothing parsed twice)."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator

import pytest

from onionwatch.crawler.frontier import PageState, StageProgress, open_frontier
from onionwatch.crawler.frontier_redis import RedisFrontier, check_url, frontier_endpoint
from onionwatch.errors import CrawlRefused, InputError
from tests.redisserver import redis_url  # noqa: F401 - the fixture

pytestmark = pytest.mark.integration


@pytest.fixture
def frontier(redis_url: str) -> Iterator[RedisFrontier]:  # noqa: F811
    f = RedisFrontier.create(redis_url, f"test:{uuid.uuid4().hex}", 2, {"market": "m"}, pagination_limit=2,
                             lease_seconds=1.0, worker="a")
    yield f
    f.drop()


def other(f: RedisFrontier, worker: str) -> RedisFrontier:
    return RedisFrontier(f.url, f.prefix, f.depth_limit, f.pagination_limit, lease_seconds=1.0, worker=worker)


def test_seen_set_states_and_items(frontier: RedisFrontier) -> None:
    frontier.seed(["/", "/a"])
    frontier.seed(["/"])  # already known: left as it is
    assert [p.url for p in frontier.next_batch(10)] == ["/", "/a"]
    frontier.page_done("/", ["/a", "/b", "/c", "/b"], 0, ("listing", {"title": "x"}), next_pages=["/p2"])
    frontier.page_done("/a", [], 0, ("vendor", {"name": "v"}))
    c = frontier.counts()
    assert (c.queued, c.done, c.listings, c.vendors, c.items_waiting) == (3, 2, 1, 1, 2)
    assert [(p.url, p.depth) for p in frontier.next_batch(10)] == [("/b", 1), ("/c", 1), ("/p2", 0)]
    items = frontier.pending(0, 10)
    assert [(i.seq, i.kind, i.data) for i in items] == [(1, "listing", {"title": "x"}), (2, "vendor", {"name": "v"})]
    frontier.indexed(StageProgress(cursor=1, listings=1))
    assert [i.seq for i in frontier.pending(0, 10)] == [2]
    assert frontier.progress().listings == 1 and frontier.counts().items_waiting == 1


def test_listing_rows_are_counted_once(frontier: RedisFrontier) -> None:
    frontier.seed(["/"])
    rows = ("rows", {"listings": [{"listing_id": "a", "title": "Меф\t1г"}, {"listing_id": "b"}]})
    frontier.page_done("/", ["/l/1"], 0, rows)
    frontier.page_done("/", ["/l/1"], 0, rows)  # a second worker parsed the same page: nothing twice
    frontier.page_done("/l/1", [], 1, ("listing", {"listing_id": "1"}))
    c = frontier.counts()
    assert (c.listings, c.row_listings, c.detail_pages, c.items_waiting) == (3, 2, 1, 2)
    assert frontier.pending(0, 10)[0].data["listings"][0]["title"] == "Меф\t1г"


def test_depth_and_pagination_limits(frontier: RedisFrontier) -> None:
    frontier.seed(["/"])
    frontier.next_batch(1)
    frontier.page_done("/", ["/d1"], 0, next_pages=["/n1"])
    frontier.page_done("/d1", ["/d2"], 1)
    frontier.page_done("/d2", ["/d3"], 2)  # depth 3 > limit 2
    frontier.page_done("/n1", [], 0, next_pages=["/n2"])
    frontier.page_done("/n2", [], 0, next_pages=["/n3"])  # third hop > pagination limit 2
    c = frontier.counts()
    assert (c.beyond_depth, c.beyond_pagination) == (1, 1)
    frontier.page_done("/x", ["/d3"], 0)  # found again within the limit: queued
    assert frontier.counts().beyond_depth == 0


def test_done_twice_appends_once(frontier: RedisFrontier) -> None:
    frontier.seed(["/"])
    frontier.page_done("/", ["/a"], 0, ("listing", {"n": 1}))
    frontier.page_done("/", ["/a"], 0, ("listing", {"n": 1}))  # a second worker parsed it too
    frontier.page_failed("/", PageState.FAILED, "late")  # and a third one failed on it
    c = frontier.counts()
    assert (c.done, c.listings, c.items_waiting, c.failed) == (1, 1, 1, 0)


def test_dead_worker_pages_go_back_after_the_lease(frontier: RedisFrontier) -> None:
    frontier.seed(["/1", "/2", "/3"])
    assert len(frontier.next_batch(2)) == 2
    b = other(frontier, "b")
    assert [p.url for p in b.next_batch(10)] == ["/3"]
    time.sleep(1.5)
    assert b.next_batch(10) == []  # worker a is alive (its heartbeat renews the lease)
    frontier._alive.set()  # worker a "dies": no more heartbeats
    frontier._beat.join()  # type: ignore[union-attr]
    time.sleep(1.3)
    assert sorted(p.url for p in b.next_batch(10)) == ["/1", "/2"]
    b.close()


def test_rewind_and_a_page_nobody_parses_fails(frontier: RedisFrontier) -> None:
    frontier.max_handouts = 3
    frontier.seed(["/poison"])
    for _ in range(3):
        assert [p.url for p in frontier.next_batch(5)] == ["/poison"]
        frontier.rewind()  # dropped on the way: back to the queue
    assert frontier.next_batch(5) == []
    c = frontier.counts()
    assert (c.queued, c.failed) == (0, 1)
    assert "handed out 3 times" in (frontier.note("failed") or "")
    assert frontier.requeue_failed() == 1 and frontier.counts().queued == 1


def test_stage_opens_it_by_locator(frontier: RedisFrontier) -> None:
    frontier.set_meta("fetch_ended", "1")
    again = open_frontier(frontier.locator)
    assert isinstance(again, RedisFrontier) and again.get_meta("fetch_ended") == "1"
    again.close()


def test_urls_and_errors() -> None:
    assert frontier_endpoint("redis://127.0.0.1:6390/0#p") == ("127.0.0.1", 6390)
    assert frontier_endpoint("redis://:secret@10.0.0.5/1") == ("10.0.0.5", 6379)
    assert frontier_endpoint("/tmp/f.sqlite") is None
    with pytest.raises(InputError, match="not a redis:// URL"):
        check_url("http://127.0.0.1:6390")
    with pytest.raises(CrawlRefused, match="does not answer"):
        RedisFrontier("redis://127.0.0.1:1/0", "x")
