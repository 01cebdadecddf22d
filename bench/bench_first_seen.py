"""Substances first seen at 1M+ listing_substances rows: the schema 13 grouped scan vs the schema 14 seeks.

    .venv/bin/python -m bench.bench_first_seen [--rows 1000000] [--substances 400] [--repeat 15]

Builds only the listing_substances table (schema.sql's definition and each version's indexes, copied here;
rows generated in SQL: a skewed choice among --substances canonicals, candidate rows in the last tenth, first_seen
over two years) in a temporary file, then
times both queries on it and checks they return the same rows. A full store at 1M listings takes far longer
to build; this isolates the query the emerging-substances report runs.
"""

from __future__ import annotations

import argparse
import sqlite3
import tempfile
import time
from functools import partial
from pathlib import Path
from typing import Any

from bench._timing import timed
from onionwatch.indexer.sqlite_trends import FIRST_SEEN_SQL

GROUPED = (  # schema 13 (indexer/sqlite_trends.py before version 14)
    "SELECT canonical, max(known), min(first_seen) AS first, count(DISTINCT listing_pk)"
    " FROM listing_substances GROUP BY canonical HAVING first >= ? AND (? IS NULL OR first < ?)"
    " ORDER BY first, canonical"
)
TABLE = (
    "CREATE TABLE listing_substances (listing_pk INTEGER NOT NULL, canonical TEXT NOT NULL, cls TEXT,"
    " known INTEGER NOT NULL, first_seen TEXT, PRIMARY KEY (listing_pk, canonical, known)) WITHOUT ROWID"
)
INDEXES = {
    13: ["CREATE INDEX listing_substances_canonical ON listing_substances (canonical, known, listing_pk)",
         "CREATE INDEX listing_substances_first ON listing_substances (canonical, listing_pk, known, first_seen)"],
    14: ["CREATE INDEX listing_substances_canonical ON listing_substances (canonical, known, listing_pk)",
         "CREATE INDEX listing_substances_first ON listing_substances (canonical, first_seen)"],
}  # fmt: skip


def build(path: Path, rows: int, substances: int, version: int) -> float:
    started = time.perf_counter()
    conn = sqlite3.connect(path)
    conn.execute(TABLE)
    # listing i has a substance skewed toward low numbers; in the last tenth of the listings 2 % of rows are
    # candidates ("new-N", 97 of them: the emerging ones); first_seen spread over 2024-2025 by the listing number
    conn.execute(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)"
        " INSERT INTO listing_substances SELECT i,"
        " CASE WHEN i % 50 = 0 AND i * 10 > ? * 9 THEN 'new-' || (i % 97)"
        " ELSE 'sub-' || ((i * i) % ? * ((i * 7) % ?) / ?) END,"
        " 'stimulant', CASE WHEN i % 50 = 0 AND i * 10 > ? * 9 THEN 0 ELSE 1 END,"
        " strftime('%Y-%m-%dT%H:%M:%SZ', '2024-01-01', '+' || (i * 63072000 / ?) || ' seconds') FROM n",
        (rows, rows, substances, substances, substances, rows, rows),
    )
    for statement in INDEXES[version]:
        conn.execute(statement)
    conn.execute("ANALYZE")
    conn.commit()
    conn.close()
    return time.perf_counter() - started


def _rows(conn: sqlite3.Connection, sql: str) -> list[Any]:
    return conn.execute(sql, ("2025-06-01T00:00:00Z", None, None)).fetchall()


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--substances", type=int, default=400)
    ap.add_argument("--repeat", type=int, default=15)
    args = ap.parse_args(argv)
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for version, sql in ((13, GROUPED), (14, FIRST_SEEN_SQL)):
            path = Path(tmp) / f"v{version}.sqlite"
            seconds = build(path, args.rows, args.substances, version)
            conn = sqlite3.connect(path)
            query = partial(_rows, conn, sql)
            results[version] = query()
            p50, p95 = timed(query, args.repeat)
            print(
                f"schema {version}: {args.rows:,} rows (built in {seconds:.0f} s), {len(results[version])} substances"
                f" first seen since 2025-06-01: p50 {p50:.1f} ms, p95 {p95:.1f} ms"
            )
            conn.close()
    print("same rows:", results[13] == results[14])


if __name__ == "__main__":
    main()
