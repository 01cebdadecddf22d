"""Facet counts per day of last_seen and market (SQLite schema version 12), maintained on write: a search
filtered by market, by a day-aligned `since` and/or by one substance reads its total and every facet from a
few thousand rows instead of joining ~200k hits (indexer/sqlite_search.py `search`).

facet_days (scope, facet, day, market, value, n): the listings whose last_seen falls on ``day``
('YYYY-MM-DD') with that market and facet value, among
- scope '': every listing;
- scope S (a canonical substance): the listings with any listing_substances row of S (known or not: what
  the substance filter selects, indexer/sqlite_query.py).
Facets as indexer/sqlite_search.py `facet` counts them over hits: market, country, city, district (the
column, when not NULL), substance_class (the listing has at least one known substance of that class) and,
in scope '' only, substance (the listing has that known substance). A search is exact from these rows
when its conditions are market values (any number), `since` at a day's start and at most one substance
(`plan_of`); everything else takes the hits path. Rows whose count fell to 0 stay with n = 0. The
counts per day also say how far down listings_recent a newest-first page must walk (`first_day`).

Write path (as indexer/sqlite_rollups.py): `Tracker.before` subtracts the stored contribution of every
listing a batch touches, `after` adds the new one, in the write transaction (a failed write rolls them back
with the rows); retention purges subtract a listing before deleting it (`remove`); `backfill` (the
version 12 migration) counts everything stored.

facet_first_days (schema 16): the same rows keyed by the day of first_seen instead. A search with ``until`` (a
listing first seen on or before that day, indexer/sqlite_query.py) is exact from the two tables when both
bounds are whole days and since <= until: the listings with last_seen on or after since (A, facet_days) less
those first seen after until (B, facet_first_days); B lies within A (first_seen <= last_seen), and every count
is a sum over listings, so each facet value is A's count minus B's. An ``until`` alone is everything less B.
Kept by the same Tracker, purge and (version 16 migration) `backfill_first`.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import groupby
from typing import Any

_CREATE = (
    "CREATE TABLE IF NOT EXISTS {} (scope TEXT NOT NULL, facet TEXT NOT NULL, day TEXT NOT NULL,"
    " market TEXT NOT NULL, value TEXT NOT NULL, n INTEGER NOT NULL,"
    " PRIMARY KEY (scope, facet, day, market, value)) WITHOUT ROWID"
)
LAST, FIRST = "facet_days", "facet_first_days"  # keyed by the day of last_seen (schema 12), of first_seen (16)
TABLE = _CREATE.format(LAST)
FIRST_TABLE = _CREATE.format(FIRST)
COLUMNS = ("market", "country", "city", "district")
CHUNK = 500  # listing ids per IN (...) look-up
DAY_START = "T00:00:00Z"  # a since bound at a day's start: last_seen >= it <=> last_seen's day >= that day
DAY_END = "T23:59:59Z"  # an until bound at a day's last second: first_seen <= it <=> first_seen's day <= that day
# (stored times are normalised to whole seconds, indexer/query.py normalise_ts)

Key = tuple[str, str, str, str, str, str]  # table, scope, facet, day, market, value

_ROWS = (
    "SELECT l.id, substr(l.last_seen, 1, 10), substr(l.first_seen, 1, 10), l.market, l.country, l.city, l.district,"
    " s.canonical, s.cls, s.known FROM listings l LEFT JOIN listing_substances s ON s.listing_pk = l.id {where}"
    " ORDER BY l.id"
)


def _add(counts: Counter[Key], rows: Iterable[tuple[Any, ...]], sign: int, tables: tuple[str, ...] = (LAST, FIRST)
         ) -> None:  # fmt: skip
    """The contribution of each listing (rows of _ROWS, grouped by id) times sign, to each of ``tables``."""
    for _, group in groupby(rows, key=lambda r: r[0]):
        items = list(group)
        _, last, first, market, *cols = items[0][:7]
        days = [(t, last if t == LAST else first) for t in tables]
        subs = [(c, cls, known) for *_, c, cls, known in items if c is not None]
        values = [(f, v) for f, v in zip(COLUMNS, (market, *cols), strict=True) if v is not None]
        classes = {cls for _, cls, known in subs if known == 1 and cls is not None}
        for table, day in days:
            for scope in ("", *{c for c, _, _ in subs}):
                for facet, value in values:
                    counts[(table, scope, facet, day, market, value)] += sign
                for cls in classes:
                    counts[(table, scope, "substance_class", day, market, cls)] += sign
            for canonical in {c for c, _, known in subs if known == 1}:
                counts[(table, "", "substance", day, market, canonical)] += sign


def _chunks(pks: Iterable[int]) -> Iterator[list[int]]:
    ids = sorted(set(pks))
    for i in range(0, len(ids), CHUNK):
        yield ids[i : i + CHUNK]


def contributions(conn: sqlite3.Connection, pks: Iterable[int], sign: int, counts: Counter[Key]) -> None:
    for chunk in _chunks(pks):
        where = f"WHERE l.id IN ({','.join('?' * len(chunk))})"
        _add(counts, conn.execute(_ROWS.format(where=where), chunk), sign)


def write(conn: sqlite3.Connection, counts: Counter[Key]) -> None:
    for table in (LAST, FIRST):
        conn.executemany(
            f"INSERT INTO {table} (scope, facet, day, market, value, n) VALUES (?, ?, ?, ?, ?, ?)"
            " ON CONFLICT DO UPDATE SET n = n + excluded.n",
            [(*k[1:], n) for k, n in counts.items() if n and k[0] == table],
        )


class Tracker:
    """One write batch: `before(pks)` ahead of the writes, `after(pks)` behind them, in one transaction."""

    def __init__(self) -> None:
        self.counts: Counter[Key] = Counter()

    def before(self, conn: sqlite3.Connection, pks: Iterable[int]) -> None:
        contributions(conn, pks, -1, self.counts)

    def after(self, conn: sqlite3.Connection, pks: Iterable[int]) -> None:
        contributions(conn, pks, +1, self.counts)
        write(conn, self.counts)


def remove(conn: sqlite3.Connection, pks: Iterable[int]) -> None:
    """Subtract these listings (before a purge deletes them)."""
    counts: Counter[Key] = Counter()
    contributions(conn, pks, -1, counts)
    write(conn, counts)


def backfill(conn: sqlite3.Connection, table: str = LAST) -> None:
    """Count every stored listing into ``table`` (facet_days: migration to version 12)."""
    conn.execute(_CREATE.format(table))
    conn.execute(f"DELETE FROM {table}")
    counts: Counter[Key] = Counter()
    _add(counts, conn.execute(_ROWS.format(where="")), +1, (table,))
    write(conn, counts)


def backfill_first(conn: sqlite3.Connection) -> None:
    """Count every stored listing by the day of its first_seen (migration to version 16)."""
    backfill(conn, FIRST)


@dataclass(frozen=True)
class Plan:
    """A search these counts answer exactly: market values, since (a day), until (a day, not before since), at most
    one substance."""

    markets: tuple[str, ...]
    day: str | None  # listings with last_seen on this day or later
    since: str | None  # the since bound (day + DAY_START)
    substance: str | None  # casefolded, as the substance filter takes it
    until: str | None = None  # less the listings first seen after this day (facet_first_days)

    def scope(self, facet: str) -> str:
        return "" if facet == "substance" or self.substance is None else self.substance


def where(plan: Plan, facet: str, table: str = LAST) -> tuple[str, list[Any]]:
    """Rows of one facet under every condition but the facet's own selection (disjunctive facets): in facet_days
    the days from since on, in facet_first_days the days after until."""
    sql, args = "scope = ? AND facet = ?", [plan.scope(facet), facet]
    day, op = (plan.day, ">=") if table == LAST else (plan.until, ">")
    if day is not None:
        sql += f" AND day {op} ?"
        args.append(day)
    if plan.markets and facet != "market":
        sql += f" AND market IN ({','.join('?' * len(plan.markets))})"
        args.extend(plan.markets)
    return sql, args


def _net(plan: Plan, facet: str, extra: str = "", extra_args: tuple[Any, ...] = ()) -> tuple[str, list[Any]]:
    """(value, n) rows of one facet: facet_days' rows, less facet_first_days' rows when the plan has until."""
    sql, args = where(plan, facet)
    union = f"SELECT value, n FROM {LAST} WHERE {sql}{extra}"
    args = [*args, *extra_args]
    if plan.until is not None:
        first, first_args = where(plan, facet, FIRST)
        union += f" UNION ALL SELECT value, -n FROM {FIRST} WHERE {first}{extra}"
        args += [*first_args, *extra_args]
    return union, args


def counts(conn: sqlite3.Connection, plan: Plan, facet: str) -> list[tuple[str, int]]:
    sql, args = _net(plan, facet)
    return conn.execute(f"SELECT value, sum(n) FROM ({sql}) GROUP BY value HAVING sum(n) > 0", args).fetchall()


def total(conn: sqlite3.Connection, plan: Plan) -> int:
    """The listings meeting every condition (every listing has one market: the market rows of the selected
    markets)."""
    extra, extra_args = "", tuple(plan.markets)
    if plan.markets:
        extra = f" AND value IN ({','.join('?' * len(plan.markets))})"
    sql, args = _net(plan, "market", extra, extra_args)
    return int(conn.execute(f"SELECT coalesce(sum(n), 0) FROM ({sql})", args).fetchone()[0])


def per_day(conn: sqlite3.Connection, plan: Plan) -> list[tuple[str, int]]:
    """(day, listings meeting every condition whose last_seen is that day), newest day first (every listing
    has one market: the market rows of the selected markets)."""
    sql, args = where(plan, "market")
    if plan.markets:
        sql += f" AND value IN ({','.join('?' * len(plan.markets))})"
        args.extend(plan.markets)
    return conn.execute(f"SELECT day, sum(n) FROM facet_days WHERE {sql} GROUP BY day HAVING sum(n) > 0"
                        " ORDER BY day DESC", args).fetchall()  # fmt: skip


def first_day(days: list[tuple[str, int]], needed: int) -> str | None:
    """The oldest day a newest-first page needs to reach ``needed`` hits (None: no hit at all)."""
    seen = 0
    for day, n in days:
        seen += n
        if seen >= needed:
            return str(day)
    return str(days[-1][0]) if days else None


def listings_since(conn: sqlite3.Connection, day: str) -> int:
    """Every listing whose last_seen is on or after the day: what a newest-first walk down to it passes."""
    sql = "SELECT coalesce(sum(n), 0) FROM facet_days WHERE scope = '' AND facet = 'market' AND day >= ?"
    return int(conn.execute(sql, (day,)).fetchone()[0])


def conds(plan: Plan, day: str) -> tuple[str, list[Any]]:
    """The same conditions over ``listings l``, for a newest-first page that needs no hit before ``day`` (with
    until: first seen on or before its last second)."""
    parts, args = ["l.last_seen >= ?"], [day + DAY_START]
    if plan.markets:
        parts.append(f"l.market IN ({','.join('?' * len(plan.markets))})")
        args.extend(plan.markets)
    if plan.substance is not None:
        parts.append("EXISTS (SELECT 1 FROM listing_substances s WHERE s.listing_pk = l.id AND s.canonical = ?)")
        args.append(plan.substance)
    if plan.until is not None:
        parts.append("l.first_seen <= ?")
        args.append(plan.until + DAY_END)
    return " AND ".join(parts), args


def plan_of(base: list[tuple[str, list[Any]]], selected: dict[str, tuple[str, list[Any]]]) -> Plan | None:
    """The Plan of a search's conditions (indexer/sqlite_query.py base_conds and facet_conds), or None when
    these counts cannot answer it exactly (any other condition, several substances, since or until within a day,
    since after until)."""
    bounds = {"l.last_seen >= ?": DAY_START, "l.first_seen <= ?": DAY_END}
    days: dict[str, str] = {}
    for sql, args in base:
        if sql not in bounds or sql in days or not str(args[0]).endswith(bounds[sql]):
            return None
        days[sql] = str(args[0])[: -len(bounds[sql])]
    since, until = days.get("l.last_seen >= ?"), days.get("l.first_seen <= ?")
    if since is not None and until is not None and since > until:
        return None
    if set(selected) - {"market", "substance"} or (not base and not selected):
        return None
    markets = tuple(selected["market"][1]) if "market" in selected else ()
    substances = selected["substance"][1] if "substance" in selected else []
    if len(substances) > 1:
        return None
    bound = since + DAY_START if since is not None else None
    return Plan(markets, since, bound, str(substances[0]) if substances else None, until)
