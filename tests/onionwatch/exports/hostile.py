"""A store for export tests: the shared test data plus a vendor whose every field is an attack on a spreadsheet,
a MISP or STIX consumer, or an HTML page (formula starts, markup, control characters, Cyrillic)."""

from __future__ import annotations

from pathlib import Path

from onionwatch.extractors.records import Vendor
from onionwatch.indexer.store import Store, open_store
from tests.indexer import data

FORMULAS = ("=HYPERLINK(\"http://evil.example\",\"click\")", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)",
            "\tTAB=1", "\r=CR")  # fmt: skip
EVIL_NAME = "=cmd|' /C calc'!A0<script>alert(1)</script>"
EVIL_TITLE = "=HYPERLINK(\"http://evil.example\") Мефедрон \x07bell\x01 <b>x</b>"
EVIL_BTC = "bc1qevilexample"
EVIL_TG = "@evil_shop"
FP = "ABCDEF0123456789ABCDEF0123456789ABCDEF01"


def evil_vendor() -> Vendor:
    return Vendor(market="klad", vendor_id="k-evil", name=EVIL_NAME, url="http://klad.onion/shop/k-evil",
                  pgp_fingerprint=FP, pgp_key_id="0123456789ABCDEF",
                  contacts={"telegram": [EVIL_TG], "jabber": ["=evil@jabber.ru"], "email": ["shop@evil.example"]},
                  crypto_addresses={"BTC": [EVIL_BTC], "XMR": ["4evilxmr"]}, description="-1+1",
                  scraped_at="2024-01-06T09:00:00Z")  # fmt: skip


def make_store(path: Path) -> str:
    url = f"sqlite://{path}/exports.sqlite"
    store = open_store(url)
    fill(store)
    store.close()
    return url


def fill(store: Store) -> None:
    """The shared test data, then seven listings of the hostile vendor (klad:k-evil)."""
    for listings, vendors in data.batches():
        store.write_batch(listings, vendors)
    evil = [data.listing("klad", f"e{i}", title, at="2024-01-07T10:00:00Z", vendor=EVIL_NAME, vendor_id="k-evil",
                         sub="mephedrone", cls="stimulant", qty=1, amount=3000.5, currency="RUB", usd=33.5)
            for i, title in enumerate((EVIL_TITLE, *FORMULAS))]  # fmt: skip
    store.write_batch(evil, [evil_vendor()])
