"""SQLite schema migrations: statements that bring an older onionwatch database to SCHEMA_VERSION."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from onionwatch.indexer import sqlite_facet_days, sqlite_facet_totals, sqlite_identifiers, sqlite_rollups
from onionwatch.indexer.query import now_ts
from onionwatch.indexer.sqlite_mirrors import MIRROR_HEALTH_V5
from onionwatch.paths import package_file

SCHEMA_VERSION = 16

# version -> statements (or functions of the connection) taking a database at version - 1 to that version
MIGRATIONS: dict[int, list[str | Callable[[sqlite3.Connection], None]]] = {
    2: [
        "ALTER TABLE observations ADD COLUMN listing_pk INTEGER NOT NULL DEFAULT 0",
        "UPDATE observations SET listing_pk = (SELECT l.id FROM listings l"
        " WHERE l.market = observations.market AND l.listing_id = observations.listing_id)",
        "ALTER TABLE observations ADD COLUMN day TEXT",
        "ALTER TABLE observations ADD COLUMN week TEXT",
        "ALTER TABLE observations ADD COLUMN month TEXT",
        "UPDATE observations SET day = substr(observed_at, 1, 10),"
        " week = date(substr(observed_at, 1, 10), 'weekday 0', '-6 days'),"
        " month = substr(observed_at, 1, 7) || '-01'",
        "ALTER TABLE listing_substances ADD COLUMN first_seen TEXT",
        "UPDATE listing_substances SET first_seen = (SELECT l.first_seen FROM listings l WHERE l.id = listing_pk)",
        "DROP INDEX IF EXISTS listing_substances_cls",
        "CREATE INDEX listing_substances_cls ON listing_substances (cls, known, listing_pk)",
    ],
    3: ["CREATE INDEX IF NOT EXISTS listings_narrow ON listings (id, market, last_seen, listing_id)"],
    4: [
        "CREATE TABLE IF NOT EXISTS crawls (id INTEGER PRIMARY KEY, market TEXT NOT NULL CHECK (market <> ''),"
        " status TEXT NOT NULL, started_at TEXT NOT NULL, updated_at TEXT NOT NULL, ended_at TEXT,"
        " counters TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(counters)),"
        " reasons TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(reasons)),"
        " fill_rates TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(fill_rates)))",
        "CREATE INDEX IF NOT EXISTS crawls_market ON crawls (market, id DESC)",
    ],
}


def _v5_listing_places() -> list[str]:
    """Version 5 (issue 11, definition schema): a listing's city and district, shown apart from the location.
    Existing rows keep NULL until their market is crawled or re-extracted again."""
    return [
        "ALTER TABLE listings ADD COLUMN city TEXT",
        "ALTER TABLE listings ADD COLUMN district TEXT",
    ]


def change_only_v5() -> list[str]:
    """Issue 11 item 6 (change-only recrawls): listing status/gone_at, observation change keys, vendor history."""
    return [
        "ALTER TABLE listings ADD COLUMN status TEXT NOT NULL DEFAULT 'live' CHECK (status IN ('live', 'gone'))",
        "ALTER TABLE listings ADD COLUMN gone_at TEXT",
        "CREATE INDEX IF NOT EXISTS listings_market_status ON listings (market, status, last_seen)",
        "ALTER TABLE observations ADD COLUMN change_key TEXT",
        "CREATE INDEX IF NOT EXISTS observations_listing ON observations (listing_pk, observed_at)",
        VENDOR_HISTORY_TABLE,
        VENDOR_HISTORY_INDEX,
    ]


VENDOR_HISTORY_TABLE = (
    "CREATE TABLE IF NOT EXISTS vendor_history (id INTEGER PRIMARY KEY, market TEXT NOT NULL,"
    " vendor_id TEXT NOT NULL, field TEXT NOT NULL, old_value TEXT, new_value TEXT, changed_at TEXT NOT NULL,"
    " UNIQUE (market, vendor_id, field, changed_at))"
)
VENDOR_HISTORY_INDEX = (
    "CREATE INDEX IF NOT EXISTS vendor_history_vendor ON vendor_history (market, vendor_id, changed_at)"
)
# version 5 (issue 11): city/district, change-only recrawls, the mirror-health time series (indexer/sqlite_mirrors.py)
MIGRATIONS[5] = [*_v5_listing_places(), *change_only_v5(), *MIRROR_HEALTH_V5]
# version 7 (issue 13, pivots): the identifier index, filled from every stored listing and vendor
MIGRATIONS[7] = [sqlite_identifiers.backfill]



def search_keys_v6() -> list[str]:
    """Version 6 (issue 13 search): stemmed columns + listings_stem, country and place keys, filled for
    existing rows through the ow_* functions SQLiteStore registers (indexer/search_keys.py)."""
    script = package_file("onionwatch.indexer", "schema.sql").read_text(encoding="utf-8")
    start = script.index("CREATE VIRTUAL TABLE IF NOT EXISTS listings_stem")
    end = script.index("CREATE TABLE IF NOT EXISTS watches")
    stem_objects = [s.strip() + (";" if s.strip().startswith("CREATE TRIGGER") else "")
                    for s in _split(script[start:end])]  # fmt: skip
    return [
        *(f"ALTER TABLE listings ADD COLUMN {c} TEXT NOT NULL DEFAULT ''"
          for c in ("title_stems", "description_stems", "vendor_stems")),  # fmt: skip
        *(f"ALTER TABLE listings ADD COLUMN {c} TEXT" for c in ("country", "city_key", "district_key")),
        "UPDATE listings SET title_stems = ow_stem(title), description_stems = ow_stem(description),"
        " vendor_stems = ow_stem(vendor), country = ow_country(city, location, ships_from),"
        " city_key = ow_place(city), district_key = ow_place(district)",
        *stem_objects,
        "INSERT INTO listings_stem (listings_stem) VALUES ('rebuild')",
    ]


def _split(script: str) -> list[str]:
    """Statements of a schema fragment (trigger bodies end with END;)."""
    out, buf = [], []
    for line in script.splitlines():
        if line.startswith("--") or not line.strip():
            continue
        buf.append(line)
        text = "\n".join(buf)
        if line.rstrip().endswith(";") and (not text.startswith("CREATE TRIGGER") or line.strip() == "END;"):
            out.append(text.rstrip().rstrip(";") if not text.startswith("CREATE TRIGGER") else text[:-1])
            buf = []
    return out


def split_statements(script: str) -> list[str]:
    """The statements of a fragment of schema.sql, ready to execute (triggers included)."""
    return [s.strip() for s in _split(script)]


MIGRATIONS[6] = [*search_keys_v6()]


# versions 6 and 7 belong to other issue-13 parts (placeholders in this branch: the merge replaces them)
MIGRATIONS.setdefault(6, [])
MIGRATIONS.setdefault(7, [])


def alerts_v8() -> list[str]:
    """Version 8 (issue 13, alerts that reach people): alert kinds (new listing / price change), a listing
    snapshot, acknowledgement and delivery marks; one 'new' alert per (watch, listing) as before, price
    alerts keyed by their observation. Existing alerts become 'new' alerts with their listing's snapshot."""
    return [
        "CREATE TABLE alerts_v8 (id INTEGER PRIMARY KEY,"
        " watch_id INTEGER NOT NULL REFERENCES watches (id) ON DELETE CASCADE,"
        " kind TEXT NOT NULL DEFAULT 'new' CHECK (kind IN ('new', 'price')), market TEXT NOT NULL,"
        " listing_id TEXT NOT NULL, url TEXT NOT NULL DEFAULT '', title TEXT NOT NULL DEFAULT '',"
        " vendor TEXT NOT NULL DEFAULT '', price_usd REAL, old_price_usd REAL, price_amount REAL,"
        " price_currency TEXT, observed_at TEXT NOT NULL, created_at TEXT NOT NULL, acked_at TEXT, acked_by TEXT,"
        " notified_at TEXT, digest_at TEXT, UNIQUE (watch_id, market, listing_id, kind, observed_at))",
        "INSERT INTO alerts_v8 (id, watch_id, kind, market, listing_id, url, title, vendor, price_usd, price_amount,"
        " price_currency, observed_at, created_at)"
        " SELECT a.id, a.watch_id, 'new', a.market, a.listing_id, coalesce(l.url, ''), coalesce(l.title, ''),"
        " coalesce(l.vendor, ''), l.price_usd, l.price_amount, l.price_currency, a.observed_at, a.created_at"
        " FROM alerts a LEFT JOIN listings l ON l.market = a.market AND l.listing_id = a.listing_id",
        "DROP TABLE alerts",
        "ALTER TABLE alerts_v8 RENAME TO alerts",
        "CREATE INDEX IF NOT EXISTS alerts_created ON alerts (created_at)",
        "CREATE INDEX IF NOT EXISTS alerts_listing ON alerts (watch_id, market, listing_id, id)",
    ]


MIGRATIONS[8] = [*alerts_v8()]
# version 9 (issue 15, speed at 1M listings): trend rollups maintained on write, backfilled from the rows
# and facet totals kept by triggers (indexer/sqlite_facet_totals.py); the same statements as schema.sql
MIGRATIONS[9] = [
    *sqlite_rollups.TABLES,
    sqlite_rollups.backfill,
    sqlite_facet_totals.create,
    sqlite_facet_totals.backfill,
    "CREATE INDEX IF NOT EXISTS listings_facets ON listings (id, market, country, city, district)",
    "CREATE INDEX IF NOT EXISTS listings_recent ON listings (last_seen DESC, market, listing_id)",
]


def review_v10(conn: sqlite3.Connection) -> None:
    """Version 10 (issue 14, the trained drug-class component): where a listing's class came from and why
    an analyst should review it. Stored classes came from the lexicon. Columns already there are kept."""
    columns = {row[1] for row in conn.execute("PRAGMA table_info(listings)")}
    for column in ("class_source", "review_reason"):
        if column not in columns:
            conn.execute(f"ALTER TABLE listings ADD COLUMN {column} TEXT")
    conn.execute("UPDATE listings SET class_source = 'lexicon' WHERE substance_class IS NOT NULL"
                 " AND class_source IS NULL")  # fmt: skip
    conn.execute("CREATE INDEX IF NOT EXISTS listings_review ON listings (review_reason)"
                 " WHERE review_reason IS NOT NULL")  # fmt: skip


MIGRATIONS[10] = [review_v10]
# version 11 (issue 15, speed at 1M listings): the active-vendor rollups (indexer/sqlite_rollups.py), covering
# indexes for substances first seen and for since/until (the emerging test); the same statements as schema.sql
MIGRATIONS[11] = [
    *sqlite_rollups.VENDOR_TABLES,
    sqlite_rollups.backfill_vendors,
    "CREATE INDEX IF NOT EXISTS listing_substances_first"
    " ON listing_substances (canonical, listing_pk, known, first_seen)",
    "CREATE INDEX IF NOT EXISTS listings_seen ON listings (last_seen, first_seen)",
    "DROP INDEX IF EXISTS listings_last_seen",
]

# version 12 (issue 15, facets at 1M listings): facet counts per day of last_seen, market and substance
# (indexer/sqlite_facet_days.py), counted from the stored rows
MIGRATIONS[12] = [sqlite_facet_days.TABLE, sqlite_facet_days.backfill]
# version 13 (issue 15, text + price at 1M listings): the covering index listings_facets gains price_usd, so a
# price filter on a word's hits reads the index instead of the wide rows (indexer/sqlite_search.py _narrow)
MIGRATIONS[13] = [
    "DROP INDEX IF EXISTS listings_facets",
    "CREATE INDEX listings_facets ON listings (id, market, country, city, district, price_usd)",
]
# version 14 (issue 15, emerging substances at 1M listings): substances first seen seeks the first entry per
# substance of listing_substances_first instead of scanning it whole (indexer/sqlite_trends.py FIRST_SEEN_SQL)
MIGRATIONS[14] = [
    "DROP INDEX IF EXISTS listing_substances_first",
    "CREATE INDEX listing_substances_first ON listing_substances (canonical, first_seen)",
]
# version 15 (issue 15, facets of broad searches at 1M listings): listing_substances.class_first marks the row a
# listing's class counts on, so the class facet is a sum instead of a correlated NOT EXISTS per row
# (indexer/sqlite_search.py substance_facets); set here by that NOT EXISTS, on write by sqlite_write.py
def class_first_v15(conn: sqlite3.Connection) -> None:
    """Add listing_substances.class_first (unless there: a table created from schema.sql) and set it."""
    if "class_first" not in {row[1] for row in conn.execute("PRAGMA table_info(listing_substances)")}:
        conn.execute("ALTER TABLE listing_substances ADD COLUMN class_first INTEGER NOT NULL DEFAULT 0")
    conn.execute(
        "UPDATE listing_substances SET class_first = (known = 1 AND cls IS NOT NULL AND NOT EXISTS"
        " (SELECT 1 FROM listing_substances t WHERE t.listing_pk = listing_substances.listing_pk"
        " AND t.canonical < listing_substances.canonical AND t.known = 1 AND t.cls = listing_substances.cls))"
    )


MIGRATIONS[15] = [class_first_v15]
# version 16 (issue 15, the emerging test at 1M listings after re-crawls): facet counts per day of first_seen, so
# a since + until search (reports/signals.py live_counts) is facet_days less them (indexer/sqlite_facet_days.py)
MIGRATIONS[16] = [sqlite_facet_days.FIRST_TABLE, sqlite_facet_days.backfill_first]


def migrate(conn: sqlite3.Connection, current: int) -> None:
    """Apply every migration after ``current`` (inside the caller's write transaction)."""
    for version in range(current + 1, SCHEMA_VERSION + 1):
        for statement in MIGRATIONS[version]:
            if callable(statement):
                statement(conn)
            else:
                conn.execute(statement)
        conn.execute("INSERT INTO schema_version (version, applied_at) VALUES (?, ?)", (version, now_ts()))
