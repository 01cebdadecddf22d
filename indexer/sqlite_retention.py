"""Retention on SQLite: purge expired listings (with observations, alerts) and vendors' personal data."""

from __future__ import annotations

import sqlite3

from onionwatch.indexer import sqlite_facet_days, sqlite_rollups
from onionwatch.indexer.store import PERSONAL_FIELDS, PurgeResult, PurgeRules

# a vendor whose personal data is already gone is not purged again (and not logged again)
_HAS_PERSONAL = ("(contacts <> '{}' OR crypto_addresses <> '{}' OR pgp_fingerprint IS NOT NULL"
                 " OR pgp_key_id IS NOT NULL)")  # fmt: skip


def held_listing_vendors(conn: sqlite3.Connection, rules: PurgeRules) -> set[tuple[str, str]]:
    """(market, vendor_id) of every vendor with a listing on hold (its personal data is case material)."""
    out: set[tuple[str, str]] = set()
    for market, listing_id in rules.held.listings:
        row = conn.execute("SELECT vendor_id FROM listings WHERE market = ? AND listing_id = ?",
                           (market, listing_id)).fetchone()  # fmt: skip
        if row and row[0]:
            out.add((market, row[0]))
    return out


def purge(conn: sqlite3.Connection, rules: PurgeRules, dry_run: bool) -> PurgeResult:
    """Run inside the caller's transaction (rolled back whole on any error)."""
    result = PurgeResult()
    if rules.listings_before is not None:
        _listings(conn, rules, dry_run, result)
    if rules.vendor_personal_before is not None:
        _vendors(conn, rules, dry_run, result)
    return result


def _listings(conn: sqlite3.Connection, rules: PurgeRules, dry_run: bool, result: PurgeResult) -> None:
    rows = conn.execute(
        "SELECT id, market, listing_id, vendor_id, last_seen FROM listings WHERE last_seen < ?"
        " ORDER BY market, listing_id", (rules.listings_before,)
    ).fetchall()
    for pk, market, listing_id, vendor_id, last_seen in rows:
        if rules.held.listing_held(market, listing_id, vendor_id):
            result.held.append({"kind": "listing", "market": market, "id": listing_id, "last_seen": last_seen})
            continue
        n = conn.execute("SELECT count(*) FROM observations WHERE market = ? AND listing_id = ?",
                         (market, listing_id)).fetchone()[0]  # fmt: skip
        result.listings.append({"market": market, "listing_id": listing_id, "last_seen": last_seen,
                                "observations": n})  # fmt: skip
        if not dry_run:
            sqlite_rollups.remove(conn, [pk])  # out of the trend rollups first (schema 9)
            sqlite_facet_days.remove(conn, [pk])  # and out of the day facet counts (schema 12)
            conn.execute("DELETE FROM observations WHERE market = ? AND listing_id = ?", (market, listing_id))
            conn.execute("DELETE FROM alerts WHERE market = ? AND listing_id = ?", (market, listing_id))
            conn.execute("DELETE FROM listings WHERE id = ?", (pk,))  # substances cascade, FTS by trigger


def _vendors(conn: sqlite3.Connection, rules: PurgeRules, dry_run: bool, result: PurgeResult) -> None:
    held_via_listing = held_listing_vendors(conn, rules)
    rows = conn.execute(
        f"SELECT market, vendor_id, last_seen FROM vendors WHERE last_seen < ? AND {_HAS_PERSONAL}"
        " ORDER BY market, vendor_id", (rules.vendor_personal_before,)
    ).fetchall()
    for market, vendor_id, last_seen in rows:
        if rules.held.vendor_held(market, vendor_id, held_via_listing):
            result.held.append({"kind": "vendor", "market": market, "id": vendor_id, "last_seen": last_seen})
            continue
        result.vendors.append({"market": market, "vendor_id": vendor_id, "last_seen": last_seen,
                               "fields": list(PERSONAL_FIELDS)})  # fmt: skip
        if not dry_run:  # doc_hash '' : the next sighting writes the vendor in full again
            conn.execute(
                "UPDATE vendors SET contacts = '{}', crypto_addresses = '{}', pgp_fingerprint = NULL,"
                " pgp_key_id = NULL, doc_hash = '' WHERE market = ? AND vendor_id = ?", (market, vendor_id)
            )
