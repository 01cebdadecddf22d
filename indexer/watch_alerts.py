"""When a watch raises an alert, backend-neutral (SQLite indexer/sqlite_watch.py and Elasticsearch share it).

- ``new``: a listing that was not in the store before this batch matches the watch.
- ``price``: a listing already in the store, sighted later than its stored state, matches the watch and its
  USD price moved by ``price_change_pct`` percent or more from the *reference price*: the price of the
  latest alert this watch raised for the listing, else the listing's stored price before the batch. So a
  slow drift alerts once it adds up, and a watch created after a listing was indexed alerts on its first
  price change.
- Nothing else: a re-sighting of an unchanged listing, a replay or an older sighting never alerts.

An alert carries a snapshot of the listing as it was when raised (title, vendor, price, URL): the alert
list and mails show what the analyst was told even after the listing changes again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from onionwatch.indexer.query import DEFAULT_PRICE_CHANGE_PCT, watch_matches

KINDS = ("new", "price")
ALERT_FIELDS = (
    "id", "watch_id", "watch_name", "kind", "market", "listing_id", "url", "title", "vendor", "price_usd",
    "old_price_usd", "price_amount", "price_currency", "observed_at", "created_at", "acked_at", "acked_by",
    "notified_at", "digest_at",
)  # fmt: skip
MARKS = ("notified_at", "digest_at")  # delivery marks set by onionwatch/notify


@dataclass(frozen=True)
class Prior:
    """A listing's stored state before the batch."""

    last_seen: str
    price_usd: float | None


def decide(
    watch: dict[str, Any], listing: Any, fingerprint: str | None, seen: str, prior: Prior | None,
    last_alert_price: float | None | Callable[[], float | None],
    subs: list[tuple[str, str | None, bool]] | None = None,
) -> tuple[str, float | None] | None:
    """(kind, old_price_usd) of the alert ``watch`` raises for this sighting, or None.

    ``last_alert_price`` may be a function (asked only when the watch matches a listing seen before);
    ``subs``: the listing's query.listing_substances, when the caller has them."""
    if not watch_matches(watch, listing, fingerprint, subs):
        return None
    if prior is None:
        return "new", None
    if seen <= prior.last_seen:
        return None
    last = last_alert_price() if callable(last_alert_price) else last_alert_price
    ref = last if last is not None else prior.price_usd
    new = listing.price_usd
    if ref is None or new is None or new == ref:
        return None
    pct = float(watch.get("price_change_pct", DEFAULT_PRICE_CHANGE_PCT))
    if ref == 0 or abs(new - ref) / ref * 100 >= pct - 1e-9:
        return "price", ref
    return None


def snapshot(listing: Any) -> dict[str, Any]:
    """The listing fields an alert keeps (scraped text, stored as is and escaped wherever shown)."""
    price = listing.price
    return {
        "url": listing.url or "",
        "title": listing.title or "",
        "vendor": listing.vendor or "",
        "price_usd": listing.price_usd,
        "price_amount": None if price is None else float(price.amount),
        "price_currency": None if price is None else price.currency,
    }


def change_pct(alert: dict[str, Any]) -> float | None:
    """The price change of a ``price`` alert in percent (negative: a drop)."""
    old, new = alert.get("old_price_usd"), alert.get("price_usd")
    if alert.get("kind") != "price" or old in (None, 0) or new is None:
        return None
    return (float(new) - float(old)) / float(old) * 100
