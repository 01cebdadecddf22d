"""The index stage process (indexer/stage.py): a real spawned process drains a real frontier into a real SQLite
store, runs below the crawl's CPU priority, and reports a store it cannot open as an error."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from onionwatch.crawler.frontier import SQLiteFrontier
from onionwatch.crawler.items import RawListing
from onionwatch.errors import OnionwatchError
from onionwatch.indexer.stage import STAGE_NICE, StageProcess
from onionwatch.indexer.store import open_store

pytestmark = pytest.mark.integration


def _frontier(tmp_path: Path, n: int) -> SQLiteFrontier:
    f = SQLiteFrontier.create(tmp_path / "crawl.sqlite", 5, {"market": "m"})
    for i in range(n):
        raw = RawListing(market="m", listing_id=str(i), url=f"/l/{i}", title=f"Mephedrone crystals {i + 1}g",
                         price_text=f"${20 * (i + 1)}", scraped_at="2026-01-01T00:00:00Z")
        f.page_done(f"/l/{i}", [], 1, item=("listing", raw.to_dict()))
    return f


def test_stage_drains_the_frontier_into_the_store_below_the_crawls_priority(tmp_path: Path) -> None:
    store_url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    frontier = _frontier(tmp_path, 450)  # more than two batches
    stage = StageProcess(frontier, store_url)
    stage.start()
    try:
        assert stage.process.pid is not None
        assert os.getpriority(os.PRIO_PROCESS, stage.process.pid) >= os.getpriority(os.PRIO_PROCESS, 0) + min(
            STAGE_NICE, 19 - os.getpriority(os.PRIO_PROCESS, 0))
    finally:
        error = stage.finish()
    assert error is None
    assert stage.process.exitcode == 0
    progress = frontier.progress()
    assert progress.listings == 450 and progress.cursor > 0
    store = open_store(store_url, create=False)
    try:
        doc = store.get_listing("m", "7")
        assert doc is not None and doc["title"] == "Mephedrone crystals 8g"
        assert store.counts("m")["listings"] == 450
    finally:
        store.close()


def test_a_store_the_stage_cannot_open_fails_its_start(tmp_path: Path) -> None:
    frontier = _frontier(tmp_path, 1)
    stage = StageProcess(frontier, "ftp://127.0.0.1/nowhere")
    with pytest.raises(OnionwatchError, match="unsupported scheme"):
        stage.start()
    stage.kill()
