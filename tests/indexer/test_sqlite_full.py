"""A disk-full COMMIT on a real tmpfs: one StoreError naming the cause, the store intact and readable."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from onionwatch.indexer.sqlite import SQLiteStore
from onionwatch.indexer.store import StoreError
from tests.indexer import data
from tests.tmpfs import fill, tmpfs

pytestmark = pytest.mark.integration


def _many(n: int, start: int) -> list:
    base = data.base_listings()["a1"]
    pad = "lab tested, stealth shipping, escrow only " * 60  # ~2.5 KB of text per listing (and its FTS rows)
    return [replace(base, listing_id=f"x{i}", title=f"MDMA crystals lot {i}", description=f"{pad} {i}")
            for i in range(start, start + n)]


def test_disk_full_commit_is_one_store_error_and_the_store_stays_intact(tmp_path: Path) -> None:
    with tmpfs(tmp_path / "disk", size="2m") as disk:
        url = f"sqlite:///{disk / 'store.sqlite'}"
        store = SQLiteStore(url)
        first, vendors = data.batches()[0]
        store.write_batch(first, vendors)
        before = store.counts()
        fill(disk, leave=64 * 1024)  # room for a few pages, not for 400 listings
        with pytest.raises(StoreError) as err:
            for k in range(8):  # until the disk is full (the first batch may still fit)
                store.write_batch(_many(400, 400 * k), [])
        message = str(err.value)
        assert "disk full" in message and "nothing written" in message, message
        assert "\n" not in message and "cannot rollback" not in message
        after_error = store.counts()
        assert after_error["listings"] >= before["listings"]  # earlier data still readable on the same connection
        store.close()
        (disk / "filler").unlink()  # whatever a user frees: the store opens and checks clean
        with sqlite3.connect(disk / "store.sqlite") as db:
            assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            titles = {r[0] for r in db.execute("SELECT listing_id FROM listings")}
        assert {item.listing_id for item in first} <= titles
        reopened = SQLiteStore(url)
        assert reopened.counts() == after_error  # nothing of the failed batch was half-written
        reopened.write_batch(_many(5, 10_000), [])  # and it takes writes again
        reopened.close()
