"""The persisted crawl frontier: pages to fetch, the seen-set, and the raw items waiting for the index stage.

One SQLite file per crawl (`<data dir>/crawls/<market>/<crawl id>-<store>.sqlite`, WAL): every parsed page is
ONE transaction — the page marked done, the links it found inserted (INSERT OR IGNORE: the URL table is the
seen-set) and its raw item appended — so a `kill -9` at any moment leaves either all of a page or none of
it, and the crawl resumes from exactly there. Pages in flight when the process died are still `queued`
and are fetched again (at most the in-flight window).

The crawl side (`Frontier`) and the stage side (`RawQueue`) are two small protocols; `SQLiteFrontier`
implements both for one machine, `RedisFrontier` (crawler/frontier_redis.py) for several worker processes.
Dependency-free apart from the standard library (no Scrapy): the index stage runs in its own
process and reads the same file.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import IntEnum
from pathlib import Path
from typing import Any, Protocol

from onionwatch.private import open_private, private_dir


class PageState(IntEnum):
    QUEUED = 0
    DONE = 1  # fetched and parsed (its item, if any, was appended)
    FAILED = 2  # download failed after retries (re-queued when a crawl resumes)
    MISMATCH = 3  # a listing/vendor page that did not match its definition: skipped, counted
    BEYOND_DEPTH = 4  # found, not followed: deeper than the depth limit
    REFUSED = 5  # refused by the egress guard (never fetched)
    BEYOND_PAGINATION = 6  # found, not followed: a next-page link past the pagination limit
    GONE = 7  # a listing/vendor page answered 404/410: removed since it was linked (not a failure; never re-queued)


@dataclass(frozen=True)
class QueuedPage:
    url: str
    depth: int


@dataclass
class RawItem:
    seq: int
    kind: str  # "listing" | "vendor" | "rows" ({"listings": [...]}: the listing rows of one navigation page)
    data: dict[str, Any]


@dataclass
class FrontierCounts:
    queued: int = 0
    done: int = 0
    failed: int = 0
    mismatch: int = 0
    beyond_depth: int = 0
    refused: int = 0
    beyond_pagination: int = 0
    gone: int = 0
    listings: int = 0  # listings collected: listing pages parsed, plus row_listings
    vendors: int = 0
    row_listings: int = 0  # listings read as rows of navigation pages (`listing_rows`)
    items_waiting: int = 0  # raw items appended, not yet indexed

    @property
    def detail_pages(self) -> int:
        """Listing and vendor pages examined: the base of the mismatch share."""
        return self.listings - self.row_listings + self.vendors + self.mismatch


@dataclass
class StageProgress:
    """What the index stage has done for this crawl (kept with its cursor, so it survives kill -9)."""

    cursor: int = 0  # the last item seq written to the store
    listings: int = 0
    vendors: int = 0
    observations: int = 0
    extract_errors: int = 0
    fills: dict[str, int] = field(default_factory=dict)  # raw listing field -> listings where it was non-empty
    extract_seconds: float = 0.0
    index_seconds: float = 0.0
    error: str | None = None  # the store refused the writes: the stage stopped, items wait on disk


class Frontier(Protocol):
    """The crawl side: what to fetch next, and what a fetched page produced (atomically)."""

    def seed(self, urls: Sequence[str]) -> None:
        """Start pages (depth 0); already-known URLs are left as they are (a resumed crawl)."""
        ...

    def next_batch(self, n: int) -> list[QueuedPage]:
        """Up to n queued pages not handed out before by this object (oldest first: breadth first)."""
        ...

    def rewind(self) -> None:
        """Hand out every queued page again (pages handed out earlier and lost on the way)."""
        ...

    def page_done(self, url: str, links: Iterable[str], depth: int, item: tuple[str, dict[str, Any]] | None = None,
                  state: PageState = PageState.DONE, note: str | None = None, next_pages: Iterable[str] = ()) -> None:
        """In ONE transaction: mark `url` (state), insert its links at depth + 1 and its next-page links at the
        same depth one step further along its pagination chain, append its raw item."""
        ...

    def page_failed(self, url: str, state: PageState = PageState.FAILED, note: str | None = None) -> None: ...

    def counts(self) -> FrontierCounts: ...

    def note(self, key: str) -> str | None:
        """The first note recorded for a state (e.g. the first mismatch message), or None."""
        ...


class RawQueue(Protocol):
    """The index stage's side: raw items in order, and its progress recorded with them."""

    def pending(self, after: int, limit: int) -> list[RawItem]: ...

    def indexed(self, progress: StageProgress) -> None:
        """Record the stage's progress (cursor and counters) and drop the items up to its cursor."""
        ...

    def progress(self) -> StageProgress: ...

    def get_meta(self, key: str) -> str | None: ...


_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS pages (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL UNIQUE,
    depth INTEGER NOT NULL,
    state INTEGER NOT NULL DEFAULT 0,
    kind TEXT,
    chain INTEGER NOT NULL DEFAULT 0  -- next-page hops from the first page of its pagination
);
CREATE INDEX IF NOT EXISTS pages_queued ON pages (id) WHERE state = 0;
CREATE INDEX IF NOT EXISTS pages_state ON pages (state, kind);
CREATE TABLE IF NOT EXISTS items (seq INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS notes (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


class SQLiteFrontier:
    """Frontier + RawQueue on one SQLite file. One object per process; not shared between threads."""

    def __init__(self, path: Path | str, depth_limit: int = 50, timeout: float = 60.0,
                 pagination_limit: int = 10_000) -> None:
        self.path = Path(path)
        self.depth_limit = depth_limit
        self.pagination_limit = pagination_limit
        self._handed = 0  # the highest page id handed out by next_batch in this process
        self._conn = sqlite3.connect(str(self.path), isolation_level=None, timeout=timeout, check_same_thread=False)
        self._conn.execute("PRAGMA journal_mode = WAL")
        self._conn.execute("PRAGMA synchronous = NORMAL")  # a commit survives kill -9 of the process
        self._conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
        self._conn.executescript(_SCHEMA)
        if "chain" not in {row[1] for row in self._conn.execute("PRAGMA table_info(pages)")}:
            self._conn.execute("ALTER TABLE pages ADD COLUMN chain INTEGER NOT NULL DEFAULT 0")  # an older frontier

    @classmethod
    def create(cls, path: Path, depth_limit: int, meta: dict[str, str],
               pagination_limit: int = 10_000) -> SQLiteFrontier:
        private_dir(path.parent)
        if path.exists():
            path.unlink()
        os.close(open_private(path, os.O_RDWR | os.O_CREAT))  # SQLite keeps the mode (and gives it -wal/-shm)
        f = cls(path, depth_limit, pagination_limit=pagination_limit)
        with f._tx():
            f._conn.executemany("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", meta.items())
        return f

    def _tx(self) -> _Transaction:
        return _Transaction(self._conn)

    # --- meta

    def get_meta(self, key: str) -> str | None:
        row = self._conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        with self._tx():
            self._conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    def note(self, key: str) -> str | None:
        row = self._conn.execute("SELECT value FROM notes WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    # --- crawl side

    def seed(self, urls: Sequence[str]) -> None:
        with self._tx():
            self._conn.executemany("INSERT OR IGNORE INTO pages (url, depth) VALUES (?, 0)", [(u,) for u in urls])

    def requeue_failed(self) -> int:
        """A resumed crawl tries its failed pages again."""
        with self._tx():
            return self._conn.execute("UPDATE pages SET state = 0 WHERE state = ?", (int(PageState.FAILED),)).rowcount

    def next_batch(self, n: int) -> list[QueuedPage]:
        if n <= 0:
            return []
        rows = self._conn.execute("SELECT id, url, depth FROM pages WHERE state = 0 AND id > ? ORDER BY id LIMIT ?",
                                  (self._handed, n)).fetchall()
        if rows:
            self._handed = rows[-1][0]
        return [QueuedPage(url, depth) for _, url, depth in rows]

    def rewind(self) -> None:
        self._handed = 0

    def page_done(self, url: str, links: Iterable[str], depth: int, item: tuple[str, dict[str, Any]] | None = None,
                  state: PageState = PageState.DONE, note: str | None = None, next_pages: Iterable[str] = ()) -> None:
        """Pagination does not deepen a crawl: a next-page link keeps its page's depth (a category 5,000 pages
        long is not 5,000 links deep) and counts against `pagination_limit` instead, which stops endless loops."""
        child = depth + 1
        link_state = int(PageState.QUEUED if child <= self.depth_limit else PageState.BEYOND_DEPTH)
        next_pages = list(dict.fromkeys(next_pages))
        rows = [(link, child, link_state, 0) for link in dict.fromkeys(links) if link not in next_pages]
        kind = item[0] if item is not None else None
        with self._tx():
            if next_pages:
                found = self._conn.execute("SELECT chain FROM pages WHERE url = ?", (url,)).fetchone()
                chain = (found[0] if found else 0) + 1
                next_state = int(PageState.QUEUED if chain <= self.pagination_limit else PageState.BEYOND_PAGINATION)
                rows += [(link, depth, next_state, chain) for link in next_pages]
            self._conn.execute("INSERT INTO pages (url, depth, state, kind) VALUES (?, ?, ?, ?) ON CONFLICT (url) DO "
                               "UPDATE SET state = excluded.state, kind = excluded.kind",
                               (url, depth, int(state), kind))
            # a URL found before only beyond a limit becomes queued when found again within the limits
            self._conn.executemany(
                "INSERT INTO pages (url, depth, state, chain) VALUES (?, ?, ?, ?) ON CONFLICT (url) DO UPDATE SET"
                " state = 0, depth = excluded.depth, chain = excluded.chain"
                " WHERE pages.state IN (4, 6) AND excluded.state = 0", rows)
            if item is not None:
                self._conn.execute("INSERT INTO items (kind, body) VALUES (?, ?)",
                                   (item[0], json.dumps(item[1], ensure_ascii=False)))
                if item[0] == "rows":
                    self._conn.execute("INSERT INTO meta (key, value) VALUES ('row_listings', ?) ON CONFLICT (key) "
                                       "DO UPDATE SET value = CAST(value AS INTEGER) + excluded.value",
                                       (len(item[1]["listings"]),))
            if note is not None:
                self._conn.execute("INSERT OR IGNORE INTO notes (key, value) VALUES (?, ?)", (state.name.lower(), note))

    def page_failed(self, url: str, state: PageState = PageState.FAILED, note: str | None = None) -> None:
        with self._tx():
            self._conn.execute("UPDATE pages SET state = ? WHERE url = ?", (int(state), url))
            if note is not None:
                self._conn.execute("INSERT OR IGNORE INTO notes (key, value) VALUES (?, ?)", (state.name.lower(), note))

    def counts(self) -> FrontierCounts:
        c = FrontierCounts()
        for state, kind, n in self._conn.execute("SELECT state, kind, count(*) FROM pages GROUP BY state, kind"):
            name = PageState(state).name.lower()
            setattr(c, name, getattr(c, name) + n)
            if state == PageState.DONE and kind == "listing":
                c.listings += n
            elif state == PageState.DONE and kind == "vendor":
                c.vendors += n
        c.items_waiting = self._conn.execute("SELECT count(*) FROM items").fetchone()[0]
        c.row_listings = int(self.get_meta("row_listings") or 0)
        c.listings += c.row_listings
        return c

    # --- stage side

    def pending(self, after: int, limit: int) -> list[RawItem]:
        rows = self._conn.execute("SELECT seq, kind, body FROM items WHERE seq > ? ORDER BY seq LIMIT ?",
                                  (after, limit)).fetchall()
        return [RawItem(seq, kind, json.loads(body)) for seq, kind, body in rows]

    def indexed(self, progress: StageProgress) -> None:
        with self._tx():
            self._conn.execute("DELETE FROM items WHERE seq <= ?", (progress.cursor,))
            self._conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('stage', ?)",
                               (json.dumps(progress.__dict__),))

    def progress(self) -> StageProgress:
        raw = self.get_meta("stage")
        return StageProgress(**json.loads(raw)) if raw else StageProgress()

    @property
    def locator(self) -> str:
        """What another process opens this frontier with (`open_frontier`)."""
        return str(self.path)

    def drop(self) -> None:
        """The crawl ended for good: close and delete the file."""
        self.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)

    # --- checks

    def integrity(self) -> str:
        return str(self._conn.execute("PRAGMA integrity_check").fetchone()[0])

    def close(self) -> None:
        self._conn.close()


def open_frontier(locator: str) -> Any:
    """The frontier another process named by its `locator`: a SQLite path, or `redis://…#prefix`."""
    if locator.startswith(("redis://", "rediss://", "unix://")):
        from onionwatch.crawler.frontier_redis import RedisFrontier

        return RedisFrontier.from_locator(locator)
    return SQLiteFrontier(locator)


class _Transaction:
    """BEGIN IMMEDIATE … COMMIT (ROLLBACK on error); retried while another process holds the write lock."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def __enter__(self) -> sqlite3.Connection:
        for attempt in range(50):
            try:
                self.conn.execute("BEGIN IMMEDIATE")
                return self.conn
            except sqlite3.OperationalError as e:
                if "locked" not in str(e) or attempt == 49:
                    raise
                time.sleep(0.05)
        return self.conn

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if exc_type is None:
            self.conn.execute("COMMIT")
        else:
            self.conn.execute("ROLLBACK")
