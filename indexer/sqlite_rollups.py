"""SQLite trend rollups (schema version 9), maintained on write: trends read a few thousand rows, not 10M.

A listing contributes to the trends through its *segments* (indexer/changes.py `segments`): the period
ranges [lo, hi] in which each of its observations is its latest one, up to the period of its last_seen.
The rollups store those ranges as +1 at lo and -1 at hi + 1 ("deltas"), summed over listings, per interval
(day, week, month; periods as consecutive integers, changes.period_index):

- trend_counts (interval, substance, market, period, delta): listings per carried primary substance
  and market. A running sum over periods gives the count of every period: EXACT, the same numbers as
  the raw computation (changes.listings_per_substance).
- trend_prices (interval, substance, bucket, period, delta, micros): the same for listings with a price
  per gram, split by price bucket (a log scale, BUCKETS_PER_E buckets per factor e, i.e. about 2 % wide)
  with the sum of their prices in millionths of a dollar (integers: sums stay exact under +/-).
  The running sum gives, per period and substance, a histogram of the carried prices with each bucket's
  count and sum. How the median is served: the count ("observations") is EXACT; the median takes the
  middle rank (the two middle ranks for an even count, averaged, as the raw median does) and answers
  with the MEAN PRICE OF THE BUCKET holding that rank. That is the exact median whenever that bucket
  holds one distinct price in that period (always so on small stores: tests/indexer/test_sqlite_rollups.py
  compares with the raw query), and otherwise within the bucket, i.e. within about 2 % of the exact
  median. Prices are kept to the micro-dollar (1e-6 USD).
- trend_vendors (interval, market, vendor_key, period, delta), schema version 11: the same deltas per vendor
  key (listings with a vendor key only): a running sum gives how many of the vendor's listings are carried
  in each period, so the vendor is active where it is > 0.
- trend_vendor_counts (interval, market, period, delta), version 11: +1 where a vendor's active range starts,
  -1 after it ends, summed over vendors: a running sum gives the distinct active vendors per period and
  market, EXACT (changes.active_vendors). Kept from trend_vendors on write: the vendors a batch touches are
  read back, their active ranges compared before and after the batch's deltas, and the difference added.

Write path: `Tracker.before` reads the stored contribution of every listing a batch touches, `after` the
new one, and the difference is added in the same transaction (so a rollup never disagrees with the rows
it summarises, even when a write fails: it rolls back with them). Retention purges subtract a listing
before deleting it (`remove`). `backfill` (the version 9 migration) recomputes everything from the rows.
"""

from __future__ import annotations

import math
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Iterator
from itertools import groupby
from typing import Any

from onionwatch.indexer import changes
from onionwatch.indexer.changes import ObsRow
from onionwatch.indexer.query import INTERVALS, check_interval

BUCKETS_PER_E = 50  # bucket = floor(ln(price per gram) * 50): neighbouring buckets differ by e**(1/50) ~ 2 %
MICROS = 1_000_000
CHUNK = 500  # listing ids per IN (...) look-up

TABLES = [
    "CREATE TABLE IF NOT EXISTS trend_counts (interval TEXT NOT NULL, substance TEXT NOT NULL, market TEXT NOT NULL,"
    " period INTEGER NOT NULL, delta INTEGER NOT NULL, PRIMARY KEY (interval, substance, market, period))"
    " WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS trend_prices (interval TEXT NOT NULL, substance TEXT NOT NULL,"
    " bucket INTEGER NOT NULL, period INTEGER NOT NULL, delta INTEGER NOT NULL, micros INTEGER NOT NULL,"
    " PRIMARY KEY (interval, substance, bucket, period)) WITHOUT ROWID",
]
VENDOR_TABLES = [  # version 11: active vendors
    "CREATE TABLE IF NOT EXISTS trend_vendors (interval TEXT NOT NULL, market TEXT NOT NULL,"
    " vendor_key TEXT NOT NULL, period INTEGER NOT NULL, delta INTEGER NOT NULL,"
    " PRIMARY KEY (interval, market, vendor_key, period)) WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS trend_vendor_counts (interval TEXT NOT NULL, market TEXT NOT NULL,"
    " period INTEGER NOT NULL, delta INTEGER NOT NULL, PRIMARY KEY (interval, market, period)) WITHOUT ROWID",
]

_ROWS_SQL = (
    "SELECT o.listing_pk, o.observed_at, o.market, o.substance, o.price_per_gram_usd, o.vendor_key, l.last_seen"
    " FROM observations o JOIN listings l ON l.id = o.listing_pk {where} ORDER BY o.listing_pk, o.observed_at"
)

CountKey = tuple[str, str, str, int]  # interval, substance, market, period
PriceKey = tuple[str, str, int, int]  # interval, substance, bucket, period
VendorKey = tuple[str, str, str]  # interval, market, vendor_key


def bucket_of(ppg: float) -> int:
    return math.floor(math.log(ppg) * BUCKETS_PER_E) if ppg > 0 else -(10**6)  # free (0) in a bucket of its own


class Deltas:
    """Pending +/- changes to both rollups (added up in memory, written once)."""

    def __init__(self) -> None:
        self.counts: dict[CountKey, int] = defaultdict(int)
        self.prices: dict[PriceKey, list[int]] = defaultdict(lambda: [0, 0])
        self.vendors: dict[VendorKey, dict[int, int]] = defaultdict(lambda: defaultdict(int))

    def add(self, rows: Iterable[ObsRow], sign: int) -> None:
        rows = list(rows)
        for interval in INTERVALS:
            for lo, hi, r in changes.segments(rows, interval):
                if r.vendor_key:
                    v = self.vendors[(interval, r.market, r.vendor_key)]
                    v[lo] += sign
                    v[hi + 1] -= sign
                if r.substance is None:
                    continue
                self.counts[(interval, r.substance, r.market, lo)] += sign
                self.counts[(interval, r.substance, r.market, hi + 1)] -= sign
                if r.price_per_gram_usd is not None:
                    b, micros = bucket_of(r.price_per_gram_usd), round(r.price_per_gram_usd * MICROS)
                    for period, s in ((lo, sign), (hi + 1, -sign)):
                        cell = self.prices[(interval, r.substance, b, period)]
                        cell[0] += s
                        cell[1] += s * micros

    def write(self, conn: sqlite3.Connection) -> None:
        conn.executemany(
            "INSERT INTO trend_counts (interval, substance, market, period, delta) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT DO UPDATE SET delta = delta + excluded.delta",
            [(*k, d) for k, d in self.counts.items() if d],
        )
        conn.executemany(
            "INSERT INTO trend_prices (interval, substance, bucket, period, delta, micros) VALUES (?, ?, ?, ?, ?, ?)"
            " ON CONFLICT DO UPDATE SET delta = delta + excluded.delta, micros = micros + excluded.micros",
            [(*k, n, m) for k, (n, m) in self.prices.items() if n or m],
        )
        self.write_vendors(conn)

    def write_vendors(self, conn: sqlite3.Connection) -> None:
        """Per-vendor deltas into trend_vendors, and the change of each touched vendor's active ranges into
        trend_vendor_counts (read before the per-vendor deltas are added)."""
        touched = {k: {p: d for p, d in v.items() if d} for k, v in self.vendors.items()}
        touched = {k: v for k, v in touched.items() if v}
        if not touched:
            return
        counts: dict[tuple[str, str, int], int] = defaultdict(int)
        for key, stored in _stored_vendor_deltas(conn, sorted(touched)):
            interval, market, _ = key
            new = dict(stored)
            for p, d in touched[key].items():
                new[p] = new.get(p, 0) + d
            for sign, deltas in ((-1, stored), (1, new)):
                for lo, end in _active_ranges(deltas):
                    counts[(interval, market, lo)] += sign
                    counts[(interval, market, end)] -= sign
        conn.executemany(
            "INSERT INTO trend_vendors (interval, market, vendor_key, period, delta) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT DO UPDATE SET delta = delta + excluded.delta",
            [(*k, p, d) for k, v in touched.items() for p, d in v.items()],
        )
        conn.executemany(
            "DELETE FROM trend_vendors WHERE interval = ? AND market = ? AND vendor_key = ? AND delta = 0",
            list(touched),
        )
        conn.executemany(
            "INSERT INTO trend_vendor_counts (interval, market, period, delta) VALUES (?, ?, ?, ?)"
            " ON CONFLICT DO UPDATE SET delta = delta + excluded.delta",
            [(*k, d) for k, d in counts.items() if d],
        )


def _stored_vendor_deltas(
    conn: sqlite3.Connection, keys: list[VendorKey]
) -> Iterator[tuple[VendorKey, dict[int, int]]]:
    """(key, {period: delta}) stored in trend_vendors for each of these (sorted) keys, empty when none."""
    cur = conn.cursor()
    cur.row_factory = None
    groups: dict[tuple[str, str], list[str]] = defaultdict(list)
    for interval, market, vendor in keys:
        groups[(interval, market)].append(vendor)
    for (interval, market), vendors in groups.items():
        for i in range(0, len(vendors), CHUNK):
            part = vendors[i : i + CHUNK]
            found: dict[str, dict[int, int]] = {v: {} for v in part}
            rows = cur.execute(
                "SELECT vendor_key, period, delta FROM trend_vendors WHERE interval = ? AND market = ?"
                f" AND vendor_key IN ({','.join('?' * len(part))})",
                [interval, market, *part],
            )
            for vendor, period, delta in rows:
                found[vendor][period] = delta
            for vendor in part:
                yield (interval, market, vendor), found[vendor]


def _active_ranges(deltas: dict[int, int]) -> Iterator[tuple[int, int]]:
    """(first period, period after the last) of every maximal run of periods where the running sum is > 0."""
    n, start = 0, 0
    for p in sorted(deltas):
        before, n = n, n + deltas[p]
        if before <= 0 < n:
            start = p
        elif n <= 0 < before:
            yield start, p


def listing_rows(conn: sqlite3.Connection, pks: Iterable[int]) -> Iterator[ObsRow]:
    """The observations of these listings with their last_seen, sorted by listing then time."""
    ids = sorted(set(pks))
    cur = conn.cursor()
    cur.row_factory = None
    for i in range(0, len(ids), CHUNK):
        part = ids[i : i + CHUNK]
        where = f"WHERE o.listing_pk IN ({','.join('?' * len(part))})"
        for row in cur.execute(_ROWS_SQL.format(where=where), part):
            yield ObsRow._make(row)


def _by_listing(rows: Iterable[ObsRow]) -> dict[Any, list[ObsRow]]:
    return {pk: list(group) for pk, group in groupby(rows, key=lambda r: r.listing)}


def changed_tails(old: list[ObsRow], new: list[ObsRow]) -> tuple[list[ObsRow], list[ObsRow]]:
    """The rows of one listing whose segments may differ before (``old``) and after (``new``) a write.

    A segment (changes.segments) depends on its observation, the next one's period and, for the last one, the
    listing's last_seen. When the old observations are the first ones of the new (a re-observation appends:
    the common case; a row's values are fixed by its (listing, observed_at)), every segment but the old last
    one is unchanged, so only the rows from the old last on need subtracting and adding. Otherwise all rows.
    """
    m = len(old)
    if m and len(new) >= m and all(a.observed_at == b.observed_at for a, b in zip(old, new, strict=False)):
        return old[m - 1 :], new[m - 1 :]
    return old, new


class Tracker:
    """One write batch: `before(pks)` ahead of the writes, `after(pks)` behind them, in one transaction.

    Only the segments a write can change are subtracted and added again (`changed_tails`): the rollup work per
    re-observed listing does not grow with its history, and the deltas written are those of subtracting every
    old segment and adding every new one (the unchanged ones cancel).
    """

    def __init__(self) -> None:
        self.deltas = Deltas()
        self.old: dict[Any, list[ObsRow]] = {}

    def before(self, conn: sqlite3.Connection, pks: Iterable[int]) -> None:
        self.old = _by_listing(listing_rows(conn, pks))

    def after(self, conn: sqlite3.Connection, pks: Iterable[int]) -> None:
        out: list[ObsRow] = []
        into: list[ObsRow] = []
        for pk, rows in _by_listing(listing_rows(conn, pks)).items():
            a, b = changed_tails(self.old.pop(pk, []), rows)
            out.extend(a)
            into.extend(b)
        for rows in self.old.values():  # a listing no longer there (not a write's doing; kept exact anyway)
            out.extend(rows)
        self.deltas.add(sorted(out, key=lambda r: r.listing), -1)
        self.deltas.add(into, +1)
        self.deltas.write(conn)


def existing_ids(conn: sqlite3.Connection, keys: Iterable[tuple[str, str]]) -> list[int]:
    """listings.id of the (market, listing_id) keys already stored."""
    out = []
    for key in keys:
        hit = conn.execute("SELECT id FROM listings WHERE market = ? AND listing_id = ?", key).fetchone()
        if hit is not None:
            out.append(hit[0])
    return out


def remove(conn: sqlite3.Connection, pks: Iterable[int]) -> None:
    """Subtract these listings (before a purge deletes them)."""
    deltas = Deltas()
    deltas.add(listing_rows(conn, pks), -1)
    deltas.write(conn)


def backfill(conn: sqlite3.Connection) -> None:
    """Rebuild every rollup from every stored observation (migration to version 9; `onionwatch` never
    needs it otherwise)."""
    for sql in (*TABLES, *VENDOR_TABLES):
        conn.execute(sql)
    for table in ("trend_counts", "trend_prices", "trend_vendors", "trend_vendor_counts"):
        conn.execute(f"DELETE FROM {table}")
    _all_deltas(conn).write(conn)


def backfill_vendors(conn: sqlite3.Connection) -> None:
    """(Re)build the version 11 vendor rollups alone from every stored observation (migration to version 11;
    a version 8 store rebuilt them in its version 9 step already, and is rebuilt once more: the same rows)."""
    for sql in VENDOR_TABLES:
        conn.execute(sql)
    conn.execute("DELETE FROM trend_vendors")
    conn.execute("DELETE FROM trend_vendor_counts")
    deltas = _all_deltas(conn)
    deltas.write_vendors(conn)


def _all_deltas(conn: sqlite3.Connection) -> Deltas:
    """The contribution of every stored listing. Reads listing by listing, adds every 20,000 listings."""
    cur = conn.cursor()
    cur.row_factory = None
    deltas, seen = Deltas(), 0
    batch: list[ObsRow] = []
    last = None
    for row in cur.execute(_ROWS_SQL.format(where="")):
        r = ObsRow._make(row)
        if r.listing != last:
            seen += 1
            if seen % 20_000 == 0:
                deltas.add(batch, +1)
                batch = []
            last = r.listing
        batch.append(r)
    deltas.add(batch, +1)
    return deltas


# --- reads


def _running(rows: Iterable[tuple[str, int, int]]) -> Iterator[tuple[str, int, int]]:
    """(key, period, n) for every period with n > 0 from (key, boundary period, delta) sorted by key, period."""
    key, n, prev = None, 0, 0
    for k, period, delta in rows:
        if k != key:
            key, n, prev = k, 0, period
        if n > 0:
            for p in range(prev, period):
                yield key, p, n  # type: ignore[misc]
        n += delta
        prev = period


def _running_totals(conn: sqlite3.Connection, table: str, key: str, what: str, interval: str,
                    market: str | None) -> list[dict[str, Any]]:
    """Per (key, period) running totals of a +1/-1 rollup table: [{"period", key: ..., what: n}] in period order."""
    check_interval(interval)
    where, args = ("AND market = ?", [interval, market]) if market else ("", [interval])
    rows = conn.execute(
        f"SELECT {key}, period, sum(delta) FROM {table} WHERE interval = ? {where}"
        f" GROUP BY {key}, period ORDER BY {key}, period",
        args,
    ).fetchall()
    out = [{"period": changes.period_label(p, interval), key: k, what: n} for k, p, n in _running(rows)]
    return sorted(out, key=lambda x: (x["period"], x[key]))


def listings_per_substance(conn: sqlite3.Connection, interval: str, market: str | None) -> list[dict[str, Any]]:
    return _running_totals(conn, "trend_counts", "substance", "listings", interval, market)


def price_per_gram(conn: sqlite3.Connection, substance: str | None, interval: str) -> list[dict[str, Any]]:
    check_interval(interval)
    where, args = ("AND substance = ?", [interval, substance]) if substance else ("", [interval])
    rows = conn.execute(
        f"SELECT substance, period, bucket, delta, micros FROM trend_prices WHERE interval = ? {where}"
        " AND (delta <> 0 OR micros <> 0) ORDER BY substance, period",
        args,
    )
    return medians(rows, interval)


def medians(rows: Iterable[tuple[str, int, int, int, int]], interval: str) -> list[dict[str, Any]]:
    """price_per_gram rows from (substance, period, bucket, delta, micros) deltas sorted by substance, period
    (also the Elasticsearch rollups' reader)."""
    out: list[dict[str, Any]] = []
    hist: dict[int, list[int]] = {}
    current: str | None = None
    prev = 0

    def emit(upto: int) -> None:
        if current is None:
            return
        for p in range(prev, upto):
            row = _median_row(hist, current, p, interval)
            if row is None:
                break  # nothing carried in this period, nor (no deltas until `upto`) in the next ones
            out.append(row)

    for sub, period, b, n, micros in rows:
        if sub != current:
            emit(prev + 1)
            current, hist, prev = sub, {}, period
        if period != prev:
            emit(period)
            prev = period
        cell = hist.setdefault(b, [0, 0])
        cell[0] += n
        cell[1] += micros
        if cell == [0, 0]:
            del hist[b]
    emit(prev + 1)
    return sorted(out, key=lambda x: (x["period"], x["substance"]))


def _median_row(hist: dict[int, list[int]], substance: str, period: int, interval: str) -> dict[str, Any] | None:
    total = sum(n for n, _ in hist.values())
    if total <= 0:
        return None
    ranks = (total // 2, total // 2 + 1) if total % 2 == 0 else (total // 2 + 1,)
    values: list[float] = []
    seen = 0
    for b in sorted(hist):
        n, micros = hist[b]
        if n <= 0:
            continue
        while len(values) < len(ranks) and ranks[len(values)] <= seen + n:
            values.append(micros / n)
        seen += n
        if len(values) == len(ranks):
            break
    median = sum(values) / len(values) / MICROS
    return {"period": changes.period_label(period, interval), "substance": substance,
            "median_usd_per_gram": median, "observations": total}  # fmt: skip


def active_vendors(conn: sqlite3.Connection, interval: str, market: str | None) -> list[dict[str, Any]]:
    """From the version 11 rollup: the same rows as changes.active_vendors over every observation."""
    return _running_totals(conn, "trend_vendor_counts", "market", "vendors", interval, market)
