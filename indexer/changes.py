"""Change-only recrawls, backend-neutral: what counts as a listing change, vendor profile diffs, carry-forward.

- A listing's *change key* covers what an observation records: its title, price (amount + currency) and
  tier ladder (quantity + amount + currency per tier; the USD conversions are left out so a new FX rate is
  not a change). Testbed and real pages show no stock count, so availability is presence: a listing is
  ``live`` while crawls find it and ``gone`` after a complete crawl of its market did not.
- A write records an observation only when a listing is new, its change key differs from the latest
  observation at or before that time, or it reappears after being gone.
- Vendor history: a change of name, PGP fingerprint/key id, contacts or crypto addresses between the
  stored profile and a newer one is one history row per field (old and new value as JSON text).
- Trends over sparse observations carry each listing's last known observation forward: a listing counts in
  every period from its first observation until it was last seen (see ``carried``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from itertools import groupby
from typing import Any, NamedTuple

from onionwatch.extractors.records import Listing, Vendor
from onionwatch.indexer.query import check_interval, fingerprint_norm, median, period_start

LISTING_STATUSES = ("live", "gone", "all")
VENDOR_HISTORY_FIELDS = ("name", "pgp_fingerprint", "pgp_key_id", "contacts", "crypto_addresses")


def change_key(listing: Listing) -> str:
    """A short hash of the observed content: title, price and tiers (USD conversions left out)."""
    price = None if listing.price is None else [float(listing.price.amount), listing.price.currency]
    tiers = [
        [None if t.quantity is None else [float(t.quantity.value), t.quantity.unit],
         None if t.price is None else [float(t.price.amount), t.price.currency]]
        for t in listing.tiers
    ]  # fmt: skip
    text = json.dumps([listing.title, price, tiers], ensure_ascii=True, separators=(",", ":"))
    return hashlib.blake2b(text.encode("ascii"), digest_size=12).hexdigest()


def vendor_fields(vendor: Vendor) -> dict[str, str | None]:
    """The history-tracked fields of a vendor as comparable text (dicts as sorted JSON, empty = None)."""
    return {
        "name": vendor.name or None,
        "pgp_fingerprint": fingerprint_norm(vendor.pgp_fingerprint),
        "pgp_key_id": (vendor.pgp_key_id or "").upper() or None,
        "contacts": _json_or_none(vendor.contacts),
        "crypto_addresses": _json_or_none(vendor.crypto_addresses),
    }


def _json_or_none(value: dict[str, list[str]]) -> str | None:
    if not value:
        return None
    return json.dumps({k: sorted(v) for k, v in value.items() if v}, sort_keys=True, ensure_ascii=False) or None


def vendor_diff(old: dict[str, str | None], new: dict[str, str | None]) -> list[tuple[str, str | None, str | None]]:
    """[(field, old, new)] for every tracked field whose value changed."""
    return [(f, old.get(f), new.get(f)) for f in VENDOR_HISTORY_FIELDS if old.get(f) != new.get(f)]


def check_status(status: str | None) -> str:
    from onionwatch.errors import QueryError

    value = status or "all"
    if value not in LISTING_STATUSES:
        raise QueryError(f"status: expected one of {', '.join(LISTING_STATUSES)}, got {status!r:.40}")
    return value


# --- carry-forward for trends ---------------------------------------------------------------------------------


def periods_between(first: str, last: str, interval: str) -> Iterator[str]:
    """Every period start from the period of timestamp ``first`` to that of ``last``, inclusive."""
    cur = date.fromisoformat(period_start(first, interval))
    end = date.fromisoformat(period_start(last, interval))
    while cur <= end:
        yield cur.isoformat()
        if interval == "day":
            cur += timedelta(days=1)
        elif interval == "week":
            cur += timedelta(days=7)
        else:
            cur = (cur.replace(day=28) + timedelta(days=4)).replace(day=1)


def carried(observations: Iterable[tuple[str, Any]], last_seen: str, interval: str) -> Iterator[tuple[str, Any]]:
    """(period, value) for one listing: in each period from its first observation to the period of
    ``last_seen``, the value of its latest observation up to the end of that period.

    ``observations`` are (observed_at, value) sorted by time. Observations after ``last_seen`` (none in
    practice) extend the range to their own period.
    """
    obs = list(observations)
    if not obs:
        return
    end = max(last_seen, obs[-1][0])
    i = 0
    current = None
    for period in periods_between(obs[0][0], end, interval):
        while i < len(obs) and period_start(obs[i][0], interval) <= period:
            current = obs[i][1]
            i += 1
        yield period, current


class ObsRow(NamedTuple):
    """One stored observation as the trends read it, with its listing's last_seen."""

    listing: Any  # a listing identity (SQLite rowid, Elasticsearch key)
    observed_at: str
    market: str
    substance: str | None
    price_per_gram_usd: float | None
    vendor_key: str
    last_seen: str


def carried_rows(rows: Iterable[ObsRow], interval: str) -> Iterator[tuple[str, ObsRow]]:
    """(period, carried observation) per listing per period; `rows` sorted by listing, then observed_at."""
    check_interval(interval)
    for _, group in groupby(rows, key=lambda r: r.listing):
        items = list(group)
        yield from carried([(r.observed_at, r) for r in items], items[-1].last_seen, interval)


def listings_per_substance(rows: Iterable[ObsRow], interval: str) -> list[dict[str, Any]]:
    counts: dict[tuple[str, str], int] = {}
    for period, r in carried_rows(rows, interval):
        if r.substance is not None:
            counts[(period, r.substance)] = counts.get((period, r.substance), 0) + 1
    return [{"period": p, "substance": s, "listings": n} for (p, s), n in sorted(counts.items())]


def price_per_gram(rows: Iterable[ObsRow], substance: str | None, interval: str) -> list[dict[str, Any]]:
    groups: dict[tuple[str, str], list[float]] = {}
    for period, r in carried_rows(rows, interval):
        if r.price_per_gram_usd is not None and r.substance is not None and (not substance or r.substance == substance):
            groups.setdefault((period, r.substance), []).append(r.price_per_gram_usd)
    return [
        {"period": p, "substance": s, "median_usd_per_gram": median(v), "observations": len(v)}
        for (p, s), v in sorted(groups.items())
    ]


def active_vendors(rows: Iterable[ObsRow], interval: str) -> list[dict[str, Any]]:
    seen: set[tuple[str, str, str]] = set()
    for period, r in carried_rows(rows, interval):
        if r.vendor_key:
            seen.add((period, r.market, r.vendor_key))
    counts: dict[tuple[str, str], int] = {}
    for period, market, _ in seen:
        counts[(period, market)] = counts.get((period, market), 0) + 1
    return [{"period": p, "market": m, "vendors": n} for (p, m), n in sorted(counts.items())]
