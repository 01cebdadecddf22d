"""Sampled facet counts for broad SQLite searches (issue 15, item 5: text search and facets fast at 1M listings).

Counting a facet costs a join per hit (2-8 µs): with 20k-280k hits at 1M listings that alone is 0.1-1.5 s. Above
EXACT_MAX hits (unless the query asks for exact counts, SearchQuery.facets_exact) the facets are counted over a
fixed sample of about SAMPLE hits and scaled by hits / sampled; the result says so (SearchResult.facets_approximate)
and the dashboard and `onionwatch search` show it. The total, the page and its order are always exact.

The sample is a hash of the listing id (Weyl / Fibonacci hashing: id * 2654435761 mod 2^32 below a cut), so the
same search gives the same counts, and ids in any arithmetic progression (a synthetic or crawl order that cycles
through markets) are sampled at the same rate. A value whose hits all fall outside the sample is missing; a
scaled count is an estimate (relative error about 1 / sqrt(sampled count)): Datasette's facet time limit and
GitHub's "10,000+" make the same trade.
"""

from __future__ import annotations

import sqlite3

EXACT_MAX = 10_000  # hits up to which facets are always counted exactly
SAMPLE = 5_000  # hits a sampled facet count reads (about)
_HASH, _RANGE = 2654435761, 1 << 32


def sample(conn: sqlite3.Connection, source: str, n: int, into: str) -> float | None:
    """TEMP.<into> := about SAMPLE of the ``n`` ids in TEMP.<source>; returns the scale factor (n / sampled), or
    None when ``n`` is at most EXACT_MAX (count exactly, TEMP.<into> untouched)."""
    if n <= EXACT_MAX:
        return None
    conn.execute(f"DELETE FROM temp.{into}")
    cut = _RANGE * SAMPLE // n
    conn.execute(f"INSERT INTO temp.{into} (id) SELECT id FROM temp.{source} WHERE (id * {_HASH}) % {_RANGE} < ?",
                 (cut,))  # fmt: skip
    got = conn.execute(f"SELECT count(*) FROM temp.{into}").fetchone()[0]
    return n / got if got else None


def scaled(counts: dict[str, int], factor: float | None) -> dict[str, int]:
    """Sampled counts scaled to all hits (at least 1: the value is there), largest first as sorted_counts."""
    if factor is None:
        return counts
    out = {k: max(1, round(v * factor)) for k, v in counts.items()}
    return dict(sorted(out.items(), key=lambda kv: (-kv[1], kv[0])))
