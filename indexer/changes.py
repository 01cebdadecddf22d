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
from functools import lru_cache
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


def period_index(ts: str, interval: str) -> int:
    """The period of timestamp `ts` as a consecutive integer (day: ordinal; week: Monday's ordinal // 7;
    month: year * 12 + month - 1), so periods can be ranged over without date arithmetic."""
    return _period_index(ts[:10], interval)


@lru_cache(maxsize=65536)
def _period_index(day: str, interval: str) -> int:
    d = date.fromisoformat(day)
    if interval == "day":
        return d.toordinal()
    if interval == "week":
        return (d.toordinal() - d.weekday() - 1) // 7  # date(1, 1, 1) is a Monday, ordinal 1
    return d.year * 12 + d.month - 1


@lru_cache(maxsize=65536)
def period_label(index: int, interval: str) -> str:
    """The ISO date starting period `index` (the inverse of period_index)."""
    if interval == "day":
        return date.fromordinal(index).isoformat()
    if interval == "week":
        return date.fromordinal(index * 7 + 1).isoformat()
    return date(index // 12, index % 12 + 1, 1).isoformat()


def segments(rows: Iterable[ObsRow], interval: str) -> Iterator[tuple[int, int, ObsRow]]:
    """(first, last period index, observation): the periods in which each observation is its listing's latest
    one, up to the period of the listing's last_seen (the same answer as `carried`, as ranges).

    `rows` sorted by listing, then observed_at.
    """
    check_interval(interval)
    for _, group in groupby(rows, key=lambda r: r.listing):
        items = list(group)
        idx = [period_index(r.observed_at, interval) for r in items]
        end = max(idx[-1], period_index(items[-1].last_seen, interval))
        for i, r in enumerate(items):
            if i + 1 < len(items):
                if idx[i + 1] == idx[i]:
                    continue  # a later observation in the same period wins
                yield idx[i], idx[i + 1] - 1, r
            else:
                yield idx[i], end, r


def _counts(diffs: dict[Any, dict[int, int]], interval: str) -> Iterator[tuple[str, Any, int]]:
    """(period, key, n) for every period with n > 0, from +1/-1 range boundaries per key."""
    for key, diff in diffs.items():
        n = 0
        points = sorted(diff)
        for a, b in zip(points, points[1:], strict=False):
            n += diff[a]
            if n > 0:
                for p in range(a, b):
                    yield period_label(p, interval), key, n


def listings_per_substance(rows: Iterable[ObsRow], interval: str) -> list[dict[str, Any]]:
    diffs: dict[str, dict[int, int]] = {}
    for lo, hi, r in segments(rows, interval):
        if r.substance is not None:
            d = diffs.setdefault(r.substance, {})
            d[lo] = d.get(lo, 0) + 1
            d[hi + 1] = d.get(hi + 1, 0) - 1
    out = [{"period": p, "substance": s, "listings": n} for p, s, n in _counts(diffs, interval)]
    return sorted(out, key=lambda x: (x["period"], x["substance"]))


def price_per_gram(rows: Iterable[ObsRow], substance: str | None, interval: str) -> list[dict[str, Any]]:
    groups: dict[tuple[int, str], list[float]] = {}
    for lo, hi, r in segments(rows, interval):
        ppg, sub = r.price_per_gram_usd, r.substance
        if ppg is not None and sub is not None and (not substance or sub == substance):
            for p in range(lo, hi + 1):
                groups.setdefault((p, sub), []).append(ppg)
    return [
        {"period": period_label(p, interval), "substance": s, "median_usd_per_gram": median(v),
         "observations": len(v)}
        for (p, s), v in sorted(groups.items())
    ]  # fmt: skip


def active_vendors(rows: Iterable[ObsRow], interval: str) -> list[dict[str, Any]]:
    spans: dict[tuple[str, str], list[tuple[int, int]]] = {}
    for lo, hi, r in segments(rows, interval):
        if r.vendor_key:
            spans.setdefault((r.market, r.vendor_key), []).append((lo, hi))
    diffs: dict[str, dict[int, int]] = {}
    for (market, _), ranges in spans.items():  # a vendor counts once per period: merge its listings' ranges
        ranges.sort()
        merged = [list(ranges[0])]
        for lo, hi in ranges[1:]:
            if lo <= merged[-1][1] + 1:
                merged[-1][1] = max(merged[-1][1], hi)
            else:
                merged.append([lo, hi])
        d = diffs.setdefault(market, {})
        for lo, hi in merged:
            d[lo] = d.get(lo, 0) + 1
            d[hi + 1] = d.get(hi + 1, 0) - 1
    out = [{"period": p, "market": m, "vendors": n} for p, m, n in _counts(diffs, interval)]
    return sorted(out, key=lambda x: (x["period"], x["market"]))
