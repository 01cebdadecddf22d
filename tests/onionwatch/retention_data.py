"""A store with old, new and held listings and vendors for the retention tests (both backends)."""

from __future__ import annotations

from onionwatch.crawler.items import RawListing, RawVendor
from onionwatch.extractors.pipeline import Extractor
from onionwatch.indexer.store import HeldKeys, Store

OLD, RECENT, NOW = "2024-01-10T00:00:00+00:00", "2026-11-20T00:00:00+00:00", "2026-12-01T00:00:00+00:00"
LISTINGS_BEFORE, VENDORS_BEFORE = "2025-12-01T00:00:00Z", "2026-06-04T00:00:00Z"  # 365 / 180 days before NOW

# (market, listing_id, vendor_id, last seen)
LISTINGS = [
    ("abyss", "old-1", "v-old", OLD),  # purged
    ("abyss", "old-2", "v-old", OLD),  # purged
    ("abyss", "new-1", "v-new", RECENT),  # kept: recent
    ("abyss", "held-l", "v-old", OLD),  # kept: listing on hold
    ("abyss", "old-hv", "v-held", OLD),  # kept: its vendor is on hold
    ("kladmen", "old-k", "k-v", OLD),  # kept: whole market on hold
]
# (market, vendor_id, last seen)
VENDORS = [
    ("abyss", "v-old", OLD),  # personal data nulled... except: has the held listing held-l -> kept
    ("abyss", "v-gone", OLD),  # nulled
    ("abyss", "v-new", RECENT),  # kept: recent
    ("abyss", "v-held", OLD),  # kept: on hold
    ("kladmen", "k-v", OLD),  # kept: market on hold
]
HELD = HeldKeys(markets=frozenset({"kladmen"}), listings=frozenset({("abyss", "held-l")}),
                vendors=frozenset({("abyss", "v-held")}))  # fmt: skip

PURGED_LISTINGS = [("abyss", "old-1"), ("abyss", "old-2")]
NULLED_VENDORS = [("abyss", "v-gone")]


def url(market: str, kind: str, ident: str) -> str:
    return f"http://{market}example.onion/{kind}/{ident}"


def load(store: Store) -> None:
    ex = Extractor()
    for market, lid, vid, seen in LISTINGS:
        raws = [RawListing(market=market, listing_id=lid, url=url(market, "l", lid), title=f"Cocaine 1g {lid}",
                           description=f"pure stuff from {vid}", price_text="$80", vendor_name=vid,
                           vendor_url=url(market, "v", vid), lang="en", currency="USD", scraped_at=s)
                for s in sorted({OLD, seen})]  # fmt: skip
        for raw in raws:  # two observations for the recent one, one for the old ones
            store.write_batch(ex.listings([raw]), [])
    for market, vid, seen in VENDORS:
        raw = RawVendor(market=market, vendor_id=vid, name=vid, url=url(market, "v", vid),
                        pgp_key=None, contacts=[f"Telegram: @{vid.replace('-', '_')}_shop", "Jabber: x@jabber.example"],
                        crypto_addresses=["bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"], scraped_at=seen)  # fmt: skip
        store.write_batch([], [ex.vendor(raw)])
