"""Facet counts over ALL listings kept by triggers (SQLite schema version 9): a search without conditions
(the dashboard's first page, "match all") reads a few hundred rows instead of scanning 1M listings six times.

facet_totals (facet, value, n): for market, country, city and district the listings with that value
(count(*) ... GROUP BY column); for substance the listings with that known substance (listing_substances
rows with known = 1); for substance_class the listings with at least one known substance of that class
(count(DISTINCT listing_pk)). Exactly what indexer/sqlite_search.py `facet` counted by scanning; kept by
the triggers in schema.sql (inserts, updates of the four columns, deletes and their cascades), so a purge
or a failed write (rolled back with its trigger effects) never leaves them out of step. Values whose count
fell to 0 stay as rows with n = 0 and are not shown.
"""

from __future__ import annotations

import sqlite3

from onionwatch.paths import package_file

COLUMNS = ("market", "country", "city", "district")
BEGIN, END = "-- facet totals: begin", "-- facet totals: end"


def schema_statements() -> list[str]:
    """The table and triggers, as schema.sql has them (the version 9 migration runs the same text)."""
    from onionwatch.indexer.sqlite_migrate import split_statements

    script = package_file("onionwatch.indexer", "schema.sql").read_text(encoding="utf-8")
    return split_statements(script[script.index(BEGIN) : script.index(END)])


def create(conn: sqlite3.Connection) -> None:
    for statement in schema_statements():
        conn.execute(statement)


def backfill(conn: sqlite3.Connection) -> None:
    """Count everything stored (migration to version 9)."""
    conn.execute("DELETE FROM facet_totals")
    for col in COLUMNS:
        conn.execute(f"INSERT INTO facet_totals (facet, value, n) SELECT '{col}', {col}, count(*) FROM listings"
                     f" WHERE {col} IS NOT NULL GROUP BY {col}")  # fmt: skip
    conn.execute("INSERT INTO facet_totals (facet, value, n) SELECT 'substance', canonical, count(*)"
                 " FROM listing_substances WHERE known = 1 GROUP BY canonical")  # fmt: skip
    conn.execute("INSERT INTO facet_totals (facet, value, n) SELECT 'substance_class', cls,"
                 " count(DISTINCT listing_pk) FROM listing_substances WHERE known = 1 AND cls IS NOT NULL"
                 " GROUP BY cls")  # fmt: skip


def totals(conn: sqlite3.Connection, facet: str) -> list[tuple[str, int]]:
    return conn.execute("SELECT value, n FROM facet_totals WHERE facet = ? AND n > 0", (facet,)).fetchall()
