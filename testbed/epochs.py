"""Markets that change between crawls: epoch N of a market is epoch 0 after N deterministic steps.

Each step (seeded by market seed, name and step number) changes, on a copy of the market:
- prices of ~4 % of the listings without a tier ladder (price and price text re-rendered as the template does);
- titles of ~2 % of the listings (a restock tag appended);
- removes ~3 % of the listings and adds ~2 % new ones (copies of other offers under fresh ids);
- contacts of ~5 % of the vendors (a new Telegram handle, shown on the vendor page).
Testbed pages show no stock count, so there is no stock to change. `EpochChanges` is the ground truth of
what one step changed; `changes_between(0, N)` sums the steps.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from onionwatch.testbed.identity import sub_rng
from onionwatch.testbed.model import Listing, Market, Vendor
from onionwatch.testbed.offers import round_local, usd_text

PRICE_SHARE = 0.04
TITLE_SHARE = 0.02
REMOVE_SHARE = 0.03
ADD_SHARE = 0.02
VENDOR_SHARE = 0.05
_TAGS = {"abyss": " - RESTOCKED", "kladmen": " (пополнение)"}


@dataclass
class EpochChanges:
    """Listing and vendor ids changed by one or more steps (sorted lists in `to_dict`)."""

    price: set[str] = field(default_factory=set)
    title: set[str] = field(default_factory=set)
    removed: set[str] = field(default_factory=set)
    added: set[str] = field(default_factory=set)
    vendors: set[str] = field(default_factory=set)

    def to_dict(self) -> dict[str, Any]:
        return {k: sorted(v) for k, v in self.__dict__.items()}


def _count(share: float, n: int) -> int:
    return max(1, round(share * n)) if n else 0


def _new_price(listing: Listing, factor: float) -> float:
    if listing.currency == "USD":
        return float(max(1, round(listing.price * factor)))
    out = round_local(listing.price * factor, listing.currency)
    return out if out != listing.price else out + (100 if listing.currency == "RUB" else 500)


def _price_text(market: str, listing: Listing, amount: float) -> str:
    if market == "abyss":
        return usd_text(amount, "," in listing.price_text)
    from onionwatch.testbed.gen_kladmen import price_text

    return price_text(amount, listing.currency, int(listing.vendor.extra["style"]))


def _reprice(market: str, listing: Listing, factor: float) -> None:
    old = listing.price
    listing.price = _new_price(listing, factor)
    listing.price_text = _price_text(market, listing, listing.price)
    if "btc" in listing.extra and old:
        btc = float(listing.extra["btc"].split()[0]) * listing.price / old
        listing.extra["btc"] = f"{btc:.5f} BTC"


def _new_contact(vendor: Vendor, step: int) -> None:
    handles = vendor.contacts.get("telegram") or []
    old = handles[0] if handles else None
    new = f"@{vendor.vendor_id.lower().replace('-', '_')}_v{step + 1}"[:32]
    vendor.contacts = {**vendor.contacts, "telegram": [new]}
    if old is not None:
        vendor.contact_lines = [line.replace(old, new) for line in vendor.contact_lines]
    else:
        vendor.contact_lines = [*vendor.contact_lines, f"Telegram: {new}"]


def _rebuild_nav(market: Market, listings: list[Listing]) -> dict[str, Any]:
    order = sorted(listings, key=lambda x: -int(x.listing_id))
    if "categories" in market.nav:
        slug_of = {id(li): slug for slug, lis in market.nav["categories"].items() for li in lis}
        cats: dict[str, list[Listing]] = {slug: [] for slug in market.nav["categories"]}
        for li in order:
            cats[slug_of[id(li)] if id(li) in slug_of else _slug_of_category(market, li)].append(li)
        return {"categories": cats}
    cities: dict[str, dict[str, list[Listing]]] = {c: {d: [] for d in ds} for c, ds in market.nav["cities"].items()}
    for li in order:
        cities[li.extra["city_slug"]][li.extra["district_slug"]].append(li)
    return {"cities": cities}


def _slug_of_category(market: Market, listing: Listing) -> str:
    for slug, lis in market.nav["categories"].items():
        if any(x.category == listing.category for x in lis):
            return slug
    raise LookupError(f"no category page for {listing.category!r}")


def step(market: Market, number: int) -> tuple[Market, EpochChanges]:
    """Market after change step `number` (1-based), on a deep copy; the input is left untouched."""
    m = copy.deepcopy(market)
    rng = sub_rng(m.seed, m.name, "epoch", number)
    changes = EpochChanges()
    listings = list(m.listings)
    tierless = [li for li in listings if not li.tiers]
    for li in rng.sample(tierless, _count(PRICE_SHARE, len(tierless))):
        _reprice(m.name, li, rng.choice((0.8, 0.85, 0.9, 1.1, 1.15, 1.25)))
        changes.price.add(li.listing_id)
    for li in rng.sample(listings, _count(TITLE_SHARE, len(listings))):
        if li.listing_id not in changes.price:
            li.title += _TAGS.get(m.name, " *")
            changes.title.add(li.listing_id)
    removed = {li.listing_id for li in rng.sample(listings, _count(REMOVE_SHARE, len(listings)))
               if li.listing_id not in changes.price | changes.title}
    changes.removed = removed
    kept = [li for li in listings if li.listing_id not in removed]
    top = max(int(li.listing_id) for li in listings)
    for i, src in enumerate(rng.sample(kept, _count(ADD_SHARE, len(listings)))):
        new = copy.deepcopy(src)
        new.vendor = src.vendor  # the same vendor object, not a copy
        new.listing_id = str(top + 7 * (i + 1))
        new.url = src.url.replace(src.listing_id, new.listing_id)
        kept.append(new)
        changes.added.add(new.listing_id)
    for v in rng.sample(m.vendors, _count(VENDOR_SHARE, len(m.vendors))):
        _new_contact(v, number)
        changes.vendors.add(v.vendor_id)
    nav = _rebuild_nav(m, kept)
    return Market(m.name, m.seed, m.vendors, kept, nav), changes


def evolve(market: Market, epoch: int) -> tuple[Market, EpochChanges]:
    """Market at `epoch` (>= 0) and the union of the changes since epoch 0 (ids of listings/vendors)."""
    if epoch < 0:
        raise ValueError("epoch must be >= 0")
    total = EpochChanges()
    for n in range(1, epoch + 1):
        market, ch = step(market, n)
        for name in ("price", "title", "removed", "added", "vendors"):
            getattr(total, name).update(getattr(ch, name))
        total.added -= ch.removed
    return market, total
