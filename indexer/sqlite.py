"""SQLiteStore: the embedded default Store (one file, WAL, FTS5), opened from `sqlite:///PATH`."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

from onionwatch.extractors.records import Listing, Vendor
from onionwatch.indexer import (
    sqlite_changes,
    sqlite_crawls,
    sqlite_facet_days,
    sqlite_identifiers,
    sqlite_mirrors,
    sqlite_places,
    sqlite_retention,
    sqlite_rollups,
    sqlite_trends,
    sqlite_watch,
)
from onionwatch.indexer.query import QueryError, now_ts
from onionwatch.indexer.sqlite_migrate import SCHEMA_VERSION, migrate
from onionwatch.indexer.sqlite_rows import PreparedRow, prepare_listing, prepare_vendor, vendor_from_row
from onionwatch.indexer.sqlite_search import search as _search
from onionwatch.indexer.sqlite_write import stored_listings, write_listings, write_observations, write_vendors
from onionwatch.indexer.store import PurgeResult, PurgeRules, SearchQuery, SearchResult, StoreError, WriteStats
from onionwatch.paths import package_file
from onionwatch.private import private_dir

SCHEMA_FILE = package_file("onionwatch.indexer", "schema.sql")


def path_from_url(url: str) -> str:
    """`sqlite:///abs/path` (or `sqlite:////abs/path`) -> `/abs/path`; `sqlite:///:memory:` -> `:memory:`."""
    if not url.startswith("sqlite:"):
        raise StoreError(f"store URL {url!r}: expected sqlite:///PATH")
    rest = url[len("sqlite:") :].split("?", 1)[0]
    if rest.startswith("//"):
        rest = rest[2:]
    if rest.startswith("//"):
        rest = rest[1:]
    if rest in ("/:memory:", ":memory:"):
        return ":memory:"
    if not rest or rest == "/":
        raise StoreError(f"store URL {url!r}: missing database path")
    return rest


class SQLiteStore:
    """The Store protocol on one SQLite file. Safe to share between threads (calls are serialised)."""

    def __init__(self, url: str, *, create: bool = True) -> None:
        self.url = url
        self.path = path_from_url(url)
        self.create = create
        self._lock = threading.RLock()
        self._conn = self._connect()
        self._migrate()

    # --- connection and schema

    def _connect(self) -> sqlite3.Connection:
        if self.path != ":memory:" and not self.create and not Path(self.path).is_file():
            raise StoreError(f"store {self.path}: no such store file (check --store or ONIONWATCH_STORE)")
        if self.path != ":memory:" and self.create:
            try:
                private_dir(Path(self.path).parent)
                # investigation data: readable by its owner only (SQLite gives -wal/-shm the same mode)
                os.close(os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600))
            except OSError as e:
                raise StoreError(f"store URL {self.url!r}: cannot create directory: {e}") from e
        try:
            target, uri = self.path, False
            if self.path != ":memory:" and not self.create:  # mode=rw: never creates the file
                target, uri = f"file:{quote(str(Path(self.path).resolve()))}?mode=rw", True
            conn = sqlite3.connect(target, isolation_level=None, check_same_thread=False, timeout=30, uri=uri)
            conn.row_factory = sqlite3.Row
            if self.path != ":memory:":
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA busy_timeout = 30000")
            conn.execute("PRAGMA temp_store = MEMORY")
            conn.execute("PRAGMA cache_size = -65536")
            conn.execute("CREATE TEMP TABLE IF NOT EXISTS hits (id INTEGER PRIMARY KEY)")
            register_functions(conn)
            conn.execute("CREATE TEMP TABLE IF NOT EXISTS fhits (id INTEGER PRIMARY KEY)")  # disjunctive facets
            conn.execute("CREATE TEMP TABLE IF NOT EXISTS rank (id INTEGER PRIMARY KEY, r REAL)")  # relevance
            conn.execute("CREATE TEMP TABLE IF NOT EXISTS base (id INTEGER PRIMARY KEY)")  # all but the selections
            conn.execute("CREATE TEMP TABLE IF NOT EXISTS words (id INTEGER PRIMARY KEY)")  # a word id set
            conn.execute("CREATE TEMP TABLE IF NOT EXISTS part (id INTEGER PRIMARY KEY)")  # one group of id_groups
            for sample in ("sample", "fsample"):  # sampled facets of broad searches (sqlite_facet_sample.py)
                conn.execute(f"CREATE TEMP TABLE IF NOT EXISTS {sample} (id INTEGER PRIMARY KEY)")
        except sqlite3.Error as e:
            raise StoreError(f"store URL {self.url!r}: cannot open database: {e}") from e
        return conn

    def _migrate(self) -> None:
        """Create the schema in a new database, or migrate an older one; refuse a newer one."""
        with self._lock:
            try:
                version = self.schema_version()
                if version is not None and version > SCHEMA_VERSION:
                    raise StoreError(
                        f"store {self.url!r}: schema version {version} is newer than this onionwatch "
                        f"({SCHEMA_VERSION}); upgrade onionwatch"
                    )
                if version == SCHEMA_VERSION:
                    return
                self._conn.execute("BEGIN IMMEDIATE")
                try:
                    version = self.schema_version()  # another process may have won the race
                    if version is None:
                        self._apply_schema()
                    elif version < SCHEMA_VERSION:
                        migrate(self._conn, version)
                    self._conn.execute("COMMIT")
                except BaseException:
                    self._rollback()
                    raise
            except sqlite3.Error as e:
                raise StoreError(f"store {self.url!r}: cannot initialise schema: {_cause(e)}") from e

    def _apply_schema(self) -> None:
        script = SCHEMA_FILE.read_text(encoding="utf-8")
        for statement in _statements(script):
            self._conn.execute(statement)
        self._conn.execute("INSERT INTO schema_version (version, applied_at) VALUES (?, ?)", (SCHEMA_VERSION, now_ts()))

    def schema_version(self) -> int | None:
        """The schema version stored in the database, None before initialisation."""
        exists = self._conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
        ).fetchone()
        if not exists:
            return None
        row = self._conn.execute("SELECT max(version) FROM schema_version").fetchone()
        return row[0]

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            try:
                yield self._conn
            except QueryError as e:
                raise StoreError(str(e)) from e
            except sqlite3.Error as e:
                raise StoreError(f"store {self.url!r}: {e}") from e

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE … COMMIT; any exception rolls everything back and surfaces as StoreError."""
        with self._lock:
            try:
                self._conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as e:
                raise StoreError(f"store {self.url!r}: cannot start a write: {e}") from e
            try:
                yield self._conn
                self._conn.execute("COMMIT")
            except BaseException as e:
                self._rollback()
                if isinstance(e, QueryError):
                    raise StoreError(str(e)) from e
                if isinstance(e, sqlite3.Error):
                    raise StoreError(f"store {self.url!r}: {_cause(e)}: nothing written") from None
                raise

    def _rollback(self) -> None:
        """Undo the open transaction, if SQLite has not already: on SQLITE_FULL or an I/O error during a
        statement or the COMMIT it rolls back by itself, and a second ROLLBACK would hide the real cause
        ("cannot rollback - no transaction is active"). The database file stays as the last COMMIT left it."""
        if self._conn.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                self._conn.execute("ROLLBACK")

    # --- writes

    def write_batch(self, listings: Sequence[Listing], vendors: Sequence[Vendor]) -> WriteStats:
        """Upsert vendors and listings, append one observation per listing and raise watch alerts,
        all in ONE transaction: on any error nothing is written and StoreError is raised.

        Idempotent: replaying a batch adds no listing, vendor, observation or alert. See
        indexer/sqlite_write.py for the out-of-order and counting rules.
        """
        return self._write_prepared([_prepare(listings, vendors)])

    def write_batches(self, batches: Iterable[tuple[Sequence[Listing], Sequence[Vendor]]]) -> WriteStats:
        """`write_batch` of each batch in turn, all in ONE transaction (the summed stats): a large import writes
        a bounded chunk at a time and is still all-or-nothing. `batches` is consumed inside the transaction, so
        it may be a generator reading from disk; anything it raises (or a rejected batch, or a store error)
        rolls every batch back and is raised again (a StoreError for the store's own errors)."""
        return self._write_prepared(_prepare(listings, vendors) for listings, vendors in batches)

    def _write_prepared(self, batches: Iterable[tuple[list[PreparedRow], list[PreparedRow]]]) -> WriteStats:
        stats = WriteStats()
        with self._transaction() as conn:
            for prepared_l, prepared_v in batches:
                self._write_one(conn, prepared_l, prepared_v, stats)
        return stats

    @staticmethod
    def _write_one(conn: sqlite3.Connection, prepared_l: list[PreparedRow], prepared_v: list[PreparedRow],
                   stats: WriteStats) -> None:
        stored_v: list[PreparedRow] = []
        stored_l: list[PreparedRow] = []
        write_vendors(conn, prepared_v, stats, stored_v)
        reappeared: set[tuple[str, str]] = set()
        existing = stored_listings(conn, prepared_l)  # one read of each stored listing, before any write
        before = sqlite_watch.priors(existing)
        rollups = sqlite_rollups.Tracker()  # trend rollups: out with the old contribution, in with the new
        days = sqlite_facet_days.Tracker()  # facet counts per day (schema 12): the same
        stored_ids = [row["id"] for row in existing.values()]
        rollups.before(conn, stored_ids)
        days.before(conn, stored_ids)
        ids = write_listings(conn, prepared_l, stats, reappeared, stored_l, existing)
        sqlite_identifiers.write(conn, stored_l, stored_v)
        write_observations(conn, prepared_l, ids, stats, reappeared)
        rollups.after(conn, ids.values())
        days.after(conn, ids.values())
        sqlite_watch.evaluate(conn, prepared_l, before)

    # --- reads

    def search(self, query: SearchQuery) -> SearchResult:
        with self._read() as conn:
            return _search(conn, query)

    def get_vendor(self, market: str, vendor_id: str) -> dict[str, Any] | None:
        with self._read() as conn:
            row = conn.execute(
                "SELECT * FROM vendors WHERE market = ? AND vendor_id = ?", (market, vendor_id)
            ).fetchone()
            return vendor_from_row(row) if row else None

    def get_listing(self, market: str, listing_id: str) -> dict[str, Any] | None:
        """One listing (search-hit shape) with its observation history under "observations"."""
        with self._read() as conn:
            return sqlite_trends.listing_detail(conn, market, listing_id)

    def counts(self, market: str | None = None) -> dict[str, int]:
        """{"listings", "vendors", "observations"}: stored rows, optionally for one market."""
        out = {}
        with self._read() as conn:
            for table in ("listings", "vendors", "observations"):
                if market is None:
                    n = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                else:
                    n = conn.execute(f"SELECT count(*) FROM {table} WHERE market = ?", (market,)).fetchone()[0]
                out[table] = n
        return out

    # --- trends and profiles (semantics in indexer/sqlite_trends.py)

    def listings_per_substance(self, interval: str = "week", market: str | None = None) -> list[dict[str, Any]]:
        with self._read() as conn:
            return sqlite_trends.listings_per_substance(conn, interval, market)

    def price_per_gram(self, substance: str | None = None, interval: str = "month") -> list[dict[str, Any]]:
        with self._read() as conn:
            return sqlite_trends.price_per_gram(conn, substance, interval)

    def active_vendors(self, interval: str = "week", market: str | None = None) -> list[dict[str, Any]]:
        with self._read() as conn:
            return sqlite_trends.active_vendors(conn, interval, market)

    def substances_first_seen(self, since: str, until: str | None = None) -> list[dict[str, Any]]:
        with self._read() as conn:
            return sqlite_trends.substances_first_seen(conn, since, until)

    def vendor_profile(self, market: str, vendor_id: str) -> dict[str, Any] | None:
        with self._read() as conn:
            return sqlite_trends.vendor_profile(conn, market, vendor_id)

    def pivot(self, identifier: str) -> dict[str, Any]:
        with self._read() as conn:
            return sqlite_identifiers.pivot(conn, identifier)

    def places(self, market: str | None = None) -> list[dict[str, Any]]:
        with self._read() as conn:
            return sqlite_places.places(conn, market)

    def city_summary(self, cities: Sequence[str], limit: int = 20, offset: int = 0) -> dict[str, Any]:
        with self._read() as conn:
            return sqlite_places.city_summary(conn, cities, limit, offset)

    # --- watchlists (semantics in indexer/sqlite_watch.py)

    def add_watch(self, watch: dict[str, Any]) -> str:
        with self._transaction() as conn:
            return sqlite_watch.add_watch(conn, watch)

    def watches(self) -> list[dict[str, Any]]:
        with self._read() as conn:
            return sqlite_watch.watches(conn)

    def update_watch(self, watch_id: str, watch: dict[str, Any]) -> None:
        with self._transaction() as conn:
            sqlite_watch.update_watch(conn, watch_id, watch)

    def remove_watch(self, watch_id: str) -> bool:
        with self._transaction() as conn:
            return sqlite_watch.remove_watch(conn, watch_id)

    def alerts(self, since: str | None = None, *, unacked: bool = False, watch_id: str | None = None,
               unmarked: str | None = None) -> list[dict[str, Any]]:
        with self._read() as conn:
            return sqlite_watch.alerts(conn, since, unacked=unacked, watch_id=watch_id, unmarked=unmarked)

    def acknowledge_alerts(self, alert_ids: Sequence[str], actor: str) -> int:
        with self._transaction() as conn:
            return sqlite_watch.acknowledge(conn, alert_ids, actor)

    def mark_alerts(self, alert_ids: Sequence[str], field: str) -> int:
        with self._transaction() as conn:
            return sqlite_watch.mark(conn, alert_ids, field)

    # --- crawl state (indexer/sqlite_crawls.py)

    def begin_crawl(self, market: str) -> str:
        if not market:
            raise StoreError("begin_crawl: empty market name")
        with self._transaction() as conn:
            return sqlite_crawls.begin_crawl(conn, market)

    def update_crawl(self, crawl_id: str, status: str, counters: dict[str, Any], reasons: Sequence[str],
                     fill_rates: dict[str, float] | None = None) -> None:
        try:
            sqlite_crawls.check_status(status)
        except ValueError as e:
            raise StoreError(str(e)) from e
        with self._transaction() as conn:
            if not sqlite_crawls.update_crawl(conn, crawl_id, status, counters, list(reasons), fill_rates):
                raise StoreError(f"store {self.url!r}: no crawl {crawl_id!r}")

    def crawls(self, market: str | None = None) -> list[dict[str, Any]]:
        with self._read() as conn:
            return sqlite_crawls.crawls(conn, market)

    # --- mirror health (indexer/sqlite_mirrors.py)

    def record_mirror_health(self, samples: Sequence[dict[str, Any]]) -> int:
        with self._transaction() as conn:
            return sqlite_mirrors.record(conn, samples)

    def mirror_health(self, market: str | None = None, since: str | None = None) -> list[dict[str, Any]]:
        with self._read() as conn:
            return sqlite_mirrors.samples(conn, market, since)

    # --- change-only recrawls (indexer/sqlite_changes.py)

    def mark_gone(self, crawl_id: str) -> int:
        with self._transaction() as conn:
            return sqlite_changes.mark_gone(conn, crawl_id)

    def vendor_history(self, market: str, vendor_id: str) -> list[dict[str, Any]]:
        with self._read() as conn:
            return sqlite_changes.vendor_history(conn, market, vendor_id)

    # --- retention (indexer/sqlite_retention.py)

    def purge(self, rules: PurgeRules, dry_run: bool = False) -> PurgeResult:
        with self._transaction() as conn:
            return sqlite_retention.purge(conn, rules, dry_run)

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> SQLiteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


_CAUSES = {  # SQLite's primary result codes worth a plain name (the full message follows in brackets)
    "SQLITE_FULL": "disk full",
    "SQLITE_IOERR": "I/O error",
    "SQLITE_READONLY": "store is read-only",
    "SQLITE_BUSY": "store is locked by another process",
    "SQLITE_CORRUPT": "store file is corrupt",
    "SQLITE_CANTOPEN": "cannot open the store file",
}


def _prepare(listings: Sequence[Listing], vendors: Sequence[Vendor]) -> tuple[list[PreparedRow], list[PreparedRow]]:
    """(listings, vendors) as rows, or StoreError naming the record SQLite would refuse (nothing written)."""
    try:
        prepared_v = [prepare_vendor(v) for v in vendors]
        return [prepare_listing(item) for item in listings], prepared_v
    except QueryError as e:
        raise StoreError(f"write rejected, nothing written: {e}") from e


def register_functions(conn: sqlite3.Connection) -> None:
    """The search-key functions migration 6 fills existing rows with (indexer/search_keys.py)."""
    from onionwatch.indexer.search_keys import country_of, place_key, stem_text

    conn.create_function("ow_stem", 1, stem_text, deterministic=True)
    conn.create_function("ow_country", 3, country_of, deterministic=True)
    conn.create_function("ow_place", 1, place_key, deterministic=True)


def _cause(e: sqlite3.Error) -> str:
    """The cause of a failed write in plain words: "disk full (database or disk is full)"."""
    name = getattr(e, "sqlite_errorname", "") or ""
    for code, plain in _CAUSES.items():
        if name == code or name.startswith(code + "_"):
            return f"{plain} ({e})"
    return f"write rejected ({e})"


def _statements(script: str) -> list[str]:
    """Split a schema script into complete statements (trigger bodies contain semicolons)."""
    out, buf = [], ""
    for line in script.splitlines(keepends=True):
        if line.lstrip().startswith("--") and not buf:
            continue
        buf += line
        if sqlite3.complete_statement(buf):
            out.append(buf.strip())
            buf = ""
    if buf.strip():
        out.append(buf.strip())
    return out
