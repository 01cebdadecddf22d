"""Compare what the pipeline indexed with a testbed market's ground truth."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from onionwatch.indexer.store import SearchQuery, Store


@dataclass
class MarketScore:
    market: str
    listings_collected: int
    vendors_collected: int
    ground_truth_listings: int
    ground_truth_vendors: int
    listings_found: int  # ground-truth listings present in the store
    vendors_found: int
    substance_match: float  # shares over ground-truth listings
    quantity_match: float
    price_match: float
    all_match: float  # substance, quantity and price all equal

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _close(a: float, b: float, tol: float = 0.01) -> bool:
    return abs(a - b) <= tol * max(abs(a), abs(b), 1e-9)


def same_quantity(got: Mapping[str, Any] | None, want: Mapping[str, Any] | None) -> bool:
    if not got or not want:
        return not got and not want
    return got.get("unit") == want.get("unit") and _close(float(got["value"]), float(want["value"]))


def same_price(got: Mapping[str, Any] | None, want: Mapping[str, Any] | None) -> bool:
    if not got or not want:
        return not got and not want
    return got.get("currency") == want.get("currency") and _close(float(got["amount"]), float(want["amount"]))


def stored_listings(store: Store, market: str, page: int = 1000) -> Iterator[dict[str, Any]]:
    offset = 0
    while True:
        result = store.search(SearchQuery(market=market, limit=page, offset=offset))
        for hit in result.hits:
            yield hit.listing
        offset += len(result.hits)
        if not result.hits or offset >= result.total:
            return


def score_market(store: Store, market: str, truth: Mapping[str, Any]) -> MarketScore:
    """`truth` = {"listings": [...], "vendors": [...]} as exported by the testbed."""
    got = {row["listing_id"]: row for row in stored_listings(store, market)}
    want = {str(t["listing_id"]): t for t in truth["listings"]}
    counts = store.counts(market)
    found = sub = qty = price = every = 0
    for lid, t in want.items():
        row = got.get(lid)
        if row is None:
            continue
        found += 1
        s = row.get("substance") == t.get("substance")
        q = same_quantity(row.get("quantity"), t.get("quantity"))
        p = same_price(row.get("price"), t.get("price"))
        sub, qty, price, every = sub + s, qty + q, price + p, every + (s and q and p)
    vendor_ids = {str(v["vendor_id"]) for v in truth["vendors"]}
    vendors_found = sum(1 for vid in vendor_ids if store.get_vendor(market, vid) is not None)
    n = max(len(want), 1)
    return MarketScore(
        market=market,
        listings_collected=counts.get("listings", 0),
        vendors_collected=counts.get("vendors", 0),
        ground_truth_listings=len(want),
        ground_truth_vendors=len(vendor_ids),
        listings_found=found,
        vendors_found=vendors_found,
        substance_match=round(sub / n, 4),
        quantity_match=round(qty / n, 4),
        price_match=round(price / n, 4),
        all_match=round(every / n, 4),
    )
