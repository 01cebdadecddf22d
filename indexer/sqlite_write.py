"""The body of SQLiteStore.write_batch: upserts with out-of-order protection, observations, substances.

Semantics (shared with every backend):
- A record's time is its normalised ``scraped_at``. Within a batch, the latest record per key wins
  (ties: the later one in the batch).
- A new key is inserted (``*_new``). An existing key is replaced only by a record at least as recent as
  its ``last_seen``; it counts as ``*_updated`` only if its content (everything but scraped_at) changed.
  An older record never overwrites the current state; it only moves ``first_seen`` back.
- Change-only observations (indexer/changes.py): a listing sighting appends an observation at its
  scraped_at only when the listing is new, its change key (title, price, tiers) differs from its latest
  observation at or before that time, or it reappears after being marked gone (then it is live again).
  Replays add nothing (unique (market, listing_id, observed_at)). ``observations`` counts rows added.
- A newer vendor profile whose name, PGP fingerprint/key id, contacts or crypto addresses differ from the
  stored one appends one vendor_history row per changed field at the newer profile's time.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from onionwatch.extractors.records import Listing, Vendor
from onionwatch.indexer.changes import change_key, vendor_diff, vendor_fields
from onionwatch.indexer.query import INTERVALS, listing_substances, period_start
from onionwatch.indexer.sqlite_rows import LISTING_COLUMNS, VENDOR_COLUMNS, PreparedRow
from onionwatch.indexer.store import WriteStats

_STORED = ", ".join(LISTING_COLUMNS[2:])  # the content a changed listing's new values are compared with


def latest_per_key(rows: Iterable[PreparedRow]) -> dict[tuple[str, str], PreparedRow]:
    out: dict[tuple[str, str], PreparedRow] = {}
    for row in rows:
        cur = out.get(row.key)
        if cur is None or row.seen >= cur.seen:
            out[row.key] = row
    return out


def earliest_per_key(rows: Iterable[PreparedRow]) -> dict[tuple[str, str], str]:
    """The earliest sighting of each key in a batch (a batch may hold several sightings of one record)."""
    out: dict[tuple[str, str], str] = {}
    for row in rows:
        if row.key not in out or row.seen < out[row.key]:
            out[row.key] = row.seen
    return out


def _existing(conn: sqlite3.Connection, sql: str, keys: Iterable[tuple[str, str]]) -> dict:
    found = {}
    for key in keys:
        hit = conn.execute(sql, key).fetchone()
        if hit is not None:
            found[key] = hit
    return found


def _plan(conn, sql, rows: dict[tuple[str, str], PreparedRow], existing: dict | None = None):
    """Split rows against the stored state (``existing``, else read with ``sql``): (new, changed, reseen, older).

    changed: at least as recent and different content (full update); reseen: newer, same content
    (only last_seen/scraped_at move); older: before last_seen (only first_seen may move back).
    """
    existing = _existing(conn, sql, rows) if existing is None else existing
    new, changed, reseen, older, same = [], [], [], [], []
    for key, row in rows.items():
        cur = existing.get(key)
        if cur is None:
            new.append(row)
        elif row.seen < cur["last_seen"]:
            older.append((row, cur))
        elif row.values["doc_hash"] != cur["doc_hash"]:
            changed.append((row, cur))
        elif row.seen > cur["last_seen"]:
            reseen.append((row, cur))
        else:
            same.append((row, cur))
    return new, changed, reseen, older, same


def write_vendors(conn: sqlite3.Connection, vendors: list[PreparedRow], stats: WriteStats,
                  stored: list[PreparedRow] | None = None) -> None:
    """Upsert vendors; the rows whose content was inserted or replaced are appended to ``stored``."""
    rows = latest_per_key(vendors)
    sql = "SELECT * FROM vendors WHERE market = ? AND vendor_id = ?"
    new, changed, reseen, older, _ = _plan(conn, sql, rows)
    if stored is not None:
        stored.extend([*new, *(r for r, _ in changed)])
    _vendor_history(conn, changed)
    cols = ", ".join(VENDOR_COLUMNS)
    marks = ", ".join(f":{c}" for c in VENDOR_COLUMNS)
    conn.executemany(
        f"INSERT INTO vendors ({cols}, first_seen, last_seen) VALUES ({marks}, :seen, :seen)",
        [{**r.values, "seen": r.seen} for r in new],
    )
    sets = ", ".join(f"{c} = :{c}" for c in VENDOR_COLUMNS[2:])
    conn.executemany(
        f"UPDATE vendors SET {sets}, last_seen = :seen WHERE market = :market AND vendor_id = :vendor_id",
        [{**r.values, "seen": r.seen} for r, _ in changed],
    )
    conn.executemany(
        "UPDATE vendors SET last_seen = ?, scraped_at = ? WHERE market = ? AND vendor_id = ?",
        [(r.seen, r.values["scraped_at"], *r.key) for r, _ in reseen],
    )
    conn.executemany(
        "UPDATE vendors SET first_seen = min(first_seen, ?) WHERE market = ? AND vendor_id = ?",
        [(r.seen, *r.key) for r, _ in older]
        + [(seen, *key) for key, seen in earliest_per_key(vendors).items() if seen < rows[key].seen],
    )
    stats.vendors_new += len(new)
    stats.vendors_updated += len(changed)


def _stored_fields(m: Any) -> dict[str, str | None]:
    """History-tracked fields of a vendor row or of a prepared row's values (both cleaned the same way)."""
    return vendor_fields(Vendor(m["market"], m["vendor_id"], m["name"], m["url"], pgp_fingerprint=m["pgp_fingerprint"],
                                pgp_key_id=m["pgp_key_id"], contacts=json.loads(m["contacts"]),
                                crypto_addresses=json.loads(m["crypto_addresses"])))


def _vendor_history(conn: sqlite3.Connection, changed: list) -> None:
    history = []
    for row, cur in changed:
        for name, before, after in vendor_diff(_stored_fields(cur), _stored_fields(row.values)):
            history.append((*row.key, name, before, after, row.seen))
    conn.executemany(
        "INSERT OR IGNORE INTO vendor_history (market, vendor_id, field, old_value, new_value, changed_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        history,
    )


_STATE = f"SELECT id, last_seen, first_seen, status, {_STORED} FROM listings WHERE market = ? AND listing_id = ?"


def stored_listings(conn: sqlite3.Connection, listings: list[PreparedRow]) -> dict[tuple[str, str], sqlite3.Row]:
    """The stored row (id, last_seen, first_seen, status and the content columns) of each listing key of a batch
    that is stored: read once before the batch is written, for the watch priors, the rollup trackers and
    write_listings."""
    return _existing(conn, _STATE, latest_per_key(listings))


def write_listings(
    conn: sqlite3.Connection, listings: list[PreparedRow], stats: WriteStats,
    reappeared: set[tuple[str, str]] | None = None, stored: list[PreparedRow] | None = None,
    existing: dict[tuple[str, str], sqlite3.Row] | None = None,
) -> dict[tuple[str, str], int]:
    """Upsert the current state of each listing; returns {(market, listing_id): listings.id}.

    A gone listing sighted after its last_seen is live again; its key is added to ``reappeared``. The rows
    whose content was inserted or replaced are appended to ``stored``. ``existing``: stored_listings of the batch,
    read before anything of it was written (else read here).
    """
    rows = latest_per_key(listings)
    new, changed, reseen, older, same = _plan(conn, _STATE, rows, existing)
    if stored is not None:  # identifiers come from the text: a price change leaves them as they are
        stored.extend([*new, *(r for r, cur in changed if _differ(r.values, cur, _TEXT))])
    back = [(r, cur) for r, cur in (*changed, *reseen) if cur["status"] == "gone" and r.seen > cur["last_seen"]]
    conn.executemany("UPDATE listings SET status = 'live', gone_at = NULL WHERE id = ?", [(c["id"],) for _, c in back])
    if reappeared is not None:
        reappeared.update(r.key for r, _ in back)
    next_id = conn.execute("SELECT coalesce(max(id), 0) + 1 FROM listings").fetchone()[0]
    inserts = []
    for i, r in enumerate(new):
        inserts.append({**r.values, "id": next_id + i, "seen": r.seen})
    cols = ", ".join(LISTING_COLUMNS)
    marks = ", ".join(f":{c}" for c in LISTING_COLUMNS)
    conn.executemany(
        f"INSERT INTO listings (id, {cols}, first_seen, last_seen) VALUES (:id, {marks}, :seen, :seen)",
        inserts,
    )
    _update_changed(conn, changed)
    conn.executemany(
        "UPDATE listings SET last_seen = ?, scraped_at = ? WHERE id = ?",
        [(r.seen, r.values["scraped_at"], cur["id"]) for r, cur in reseen],
    )
    conn.executemany(
        "UPDATE listings SET first_seen = min(first_seen, ?) WHERE id = ?",
        [(r.seen, cur["id"]) for r, cur in older],
    )
    _write_substances(conn, [(d["id"], r) for d, r in zip(inserts, new, strict=True)], changed, older)
    stats.listings_new += len(new)
    stats.listings_updated += len(changed)
    ids = {r.key: d["id"] for d, r in zip(inserts, new, strict=True)}
    for group in (changed, reseen, older, same):
        ids.update((r.key, cur["id"]) for r, cur in group)
    earlier = [(seen, ids[key]) for key, seen in earliest_per_key(listings).items() if seen < rows[key].seen]
    conn.executemany("UPDATE listings SET first_seen = min(first_seen, ?) WHERE id = ?", earlier)
    conn.executemany("UPDATE listing_substances SET first_seen = min(first_seen, ?) WHERE listing_pk = ?", earlier)
    return ids


_TEXT = ("title", "description", "vendor")  # what a listing's identifiers are read from (identifiers.from_listing)


def _same(a: Any, b: Any) -> bool:
    """A stored value equal to the one a write would store (the same type too: 1 and 1.0 are not)."""
    return type(a) is type(b) and a == b


def _differ(values: dict[str, Any], cur: sqlite3.Row, columns: Iterable[str]) -> list[str]:
    return [c for c in columns if not _same(values[c], cur[c])]


def _update_changed(conn: sqlite3.Connection, changed: list[tuple[PreparedRow, sqlite3.Row]]) -> None:
    """Replace the changed listings' content: only the columns whose value differs are set (grouped by which), so
    SQLite updates only the indexes on those columns (a re-crawl's price change touches the price and last_seen
    indexes, not the other ~10) and the rows end as a full replacement would leave them."""
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for r, cur in changed:
        columns = tuple(_differ(r.values, cur, LISTING_COLUMNS[2:]))
        groups.setdefault(columns, []).append({**r.values, "id": cur["id"], "seen": r.seen})
    for columns, params in groups.items():
        sets = "".join(f"{c} = :{c}, " for c in columns)
        conn.executemany(f"UPDATE listings SET {sets}last_seen = :seen WHERE id = :id", params)


def substance_rows(listing: Listing) -> list[tuple[str, str | None, int, int]]:
    """(canonical, cls, known, class_first) of a listing's listing_substances rows (query.listing_substances, one
    per canonical and known); class_first 1 on the known row of the smallest canonical of each class (schema 15)."""
    rows = listing_substances(listing)
    first: dict[str, str] = {}
    for canonical, cls, known in rows:
        if known and cls is not None and (cls not in first or canonical < first[cls]):
            first[cls] = canonical
    return [(c, cls, int(k), int(bool(k) and cls is not None and first[cls] == c)) for c, cls, k in rows]


def _write_substances(conn, inserted: list[tuple[int, PreparedRow]], replaced: list, older: list) -> None:
    """(Re)write the substance rows of new and changed listings (a changed listing whose stored rows are already
    the ones it would get, e.g. a price change, is left alone); carry first_seen back for older ones."""
    targets = [(pk, r, r.seen) for pk, r in inserted] + [(cur["id"], r, cur["first_seen"]) for r, cur in replaced]
    want = {pk: [(pk, *row, first) for row in substance_rows(r.record)] for pk, r, first in targets}
    same = _same_substances(conn, {cur["id"]: want[cur["id"]] for _, cur in replaced})
    conn.executemany("DELETE FROM listing_substances WHERE listing_pk = ?",
                     [(c["id"],) for _, c in replaced if c["id"] not in same])  # fmt: skip
    conn.executemany(
        "INSERT OR IGNORE INTO listing_substances (listing_pk, canonical, cls, known, class_first, first_seen)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        [row for pk, rows in want.items() if pk not in same for row in rows],
    )
    conn.executemany(
        "UPDATE listing_substances SET first_seen = min(first_seen, ?) WHERE listing_pk = ?",
        [(r.seen, cur["id"]) for r, cur in older],
    )


_SUBSTANCE_ROWS = "SELECT listing_pk, canonical, cls, known, class_first, first_seen FROM listing_substances"


def _same_substances(conn: sqlite3.Connection, want: dict[int, list[tuple[Any, ...]]]) -> set[int]:
    """The listings whose stored listing_substances rows are exactly ``want``'s (listing_pk, canonical, cls, known,
    class_first, first_seen) rows: deleting and inserting them again would leave the table (and the facet totals
    its triggers keep) as it is."""
    stored: dict[int, set[tuple[Any, ...]]] = {pk: set() for pk in want}
    pks = sorted(want)
    cur = conn.cursor()
    cur.row_factory = None
    for i in range(0, len(pks), 500):
        part = pks[i : i + 500]
        sql = f"{_SUBSTANCE_ROWS} WHERE listing_pk IN ({','.join('?' * len(part))})"
        for row in cur.execute(sql, part):
            stored[row[0]].add(row)
    return {pk for pk, rows in want.items() if stored[pk] == set(rows) and len(rows) == len(set(rows))}


@lru_cache(maxsize=4096)
def _periods(day: str) -> dict[str, str]:
    return {i: period_start(day, i) for i in INTERVALS}


_INSERT_OBSERVATION = (
    "INSERT OR IGNORE INTO observations (listing_pk, market, listing_id, observed_at, price, currency, price_usd,"
    " price_per_gram_usd, quantity, unit, substance, vendor, vendor_key, day, week, month, change_key)"
    " VALUES (:pk, :market, :listing_id, :seen, :price_amount, :price_currency, :price_usd,"
    " :price_per_gram_usd, :quantity_value, :quantity_unit, :substance, :vendor, :vendor_key,"
    " :day, :week, :month, :change_key)"
)
_PREVIOUS_KEY = (
    "SELECT change_key FROM observations WHERE market = ? AND listing_id = ? AND observed_at <= ?"
    " ORDER BY observed_at DESC LIMIT 1"
)


def write_observations(
    conn: sqlite3.Connection, listings: list[PreparedRow], ids: dict[tuple[str, str], int], stats: WriteStats,
    reappeared: set[tuple[str, str]] | frozenset[tuple[str, str]] = frozenset(),
) -> None:
    """Append an observation for each sighting that changed something (module docstring), oldest first."""
    before = conn.total_changes
    latest = latest_per_key(listings)
    for r in sorted(listings, key=lambda x: (x.key, x.seen)):
        key = change_key(r.record)
        prev = conn.execute(_PREVIOUS_KEY, (*r.key, r.seen)).fetchone()
        forced = r.key in reappeared and latest[r.key] is r
        if prev is not None and prev[0] == key and not forced:
            continue
        conn.execute(_INSERT_OBSERVATION, {**r.values, "pk": ids[r.key], "seen": r.seen, "change_key": key,
                                           **_periods(r.seen[:10])})
    stats.observations += conn.total_changes - before
