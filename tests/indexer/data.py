"""Hand-built Listing/Vendor dataset for the store contract tests: 2 markets, several observation dates.

Markets: "alpha" (English, USD) and "klad" (Russian klad shop, RUB). Dates are chosen so weeks and
months are easy to check by hand: 2024-01-01 and 2024-01-08 are Mondays; January and February 2024.
"""

from __future__ import annotations

import random
from dataclasses import replace
from typing import Any

from onionwatch.extractors.records import Listing, Price, Quantity, Substance, Vendor
from onionwatch.testbed.synth import synth_batch

FP_GREEN = "0123456789ABCDEF0123456789ABCDEF01234567"
FP_ICE = "FEDCBA9876543210FEDCBA9876543210FEDCBA98"
HOSTILE_TITLE = "<script>alert('x')</script> MDMA pills"


def substance(canonical: str, cls: str, text: str | None = None, *, known: bool = True) -> Substance:
    text = text or canonical
    return Substance(canonical=canonical, cls=cls, text=text, start=0, end=len(text), known=known)


def listing(
    market: str,
    listing_id: str,
    title: str,
    *,
    at: str,
    vendor: str,
    vendor_id: str | None,
    sub: str | None = None,
    cls: str | None = None,
    qty: float | None = None,
    unit: str = "g",
    amount: float | None = None,
    currency: str = "USD",
    usd: float | None = None,
    description: str = "",
    extra: list[Substance] | None = None,
    lang: str = "en",
) -> Listing:
    """A listing observed at ``at``; price_per_gram_usd is derived when the unit is grams."""
    subs = ([substance(sub, cls or "unknown")] if sub else []) + list(extra or [])
    ppg = round(usd / qty, 6) if usd is not None and qty and unit == "g" else None
    ppu = round(usd / qty, 6) if usd is not None and qty and unit == "unit" else None
    return Listing(
        market=market,
        listing_id=listing_id,
        url=f"http://{market}.onion/listing/{listing_id}",
        title=title,
        description=description,
        vendor=vendor,
        vendor_id=vendor_id,
        lang=lang,
        substance=sub,
        substance_class=cls,
        substances=subs,
        quantity=Quantity(qty, unit) if qty is not None else None,
        price=Price(amount if amount is not None else usd, currency) if (amount or usd) is not None else None,
        price_usd=usd,
        price_per_gram_usd=ppg,
        price_per_unit_usd=ppu,
        scraped_at=at,
    )


def at(listing_: Listing, when: str, **changes: object) -> Listing:
    """The same listing observed again at ``when`` (optionally with changed fields)."""
    out = replace(listing_, scraped_at=when, **changes)
    if "price_usd" in changes and out.price_usd is not None:
        if out.price is not None and out.price.currency == "USD":
            out.price = Price(out.price_usd, "USD")
        if out.quantity and out.quantity.unit == "g":
            out.price_per_gram_usd = round(out.price_usd / out.quantity.value, 6)
    return out


def vendors() -> list[Vendor]:
    return [
        Vendor(
            market="alpha",
            vendor_id="v-green",
            name="DrGreen",
            url="http://alpha.onion/vendor/v-green",
            rating=4.8,
            sales=1200,
            pgp_fingerprint=FP_GREEN,
            contacts={"telegram": ["@drgreen"]},
            crypto_addresses={"BTC": ["bc1qexample"]},
            scraped_at="2024-01-01T09:00:00Z",
        ),
        Vendor(
            market="alpha",
            vendor_id="v-ice",
            name="IceKing",
            url="http://alpha.onion/vendor/v-ice",
            pgp_fingerprint=FP_ICE,
            scraped_at="2024-01-02T09:00:00Z",
        ),
        Vendor(
            market="klad",
            vendor_id="k-zel",
            name="dr_green",
            url="http://klad.onion/shop/k-zel",
            pgp_fingerprint=FP_GREEN,
            scraped_at="2024-01-05T09:00:00Z",
        ),
        Vendor(
            market="klad",
            vendor_id="k-ice",
            name="Ice.King",
            url="http://klad.onion/shop/k-ice",
            scraped_at="2024-01-05T09:00:00Z",
        ),
        Vendor(
            market="klad",
            vendor_id="k-snow",
            name="Снежок",
            url="http://klad.onion/shop/k-snow",
            scraped_at="2024-01-04T09:00:00Z",
        ),
    ]


def base_listings() -> dict[str, Listing]:
    """The first observation of every listing, keyed by listing_id."""
    a = "alpha"
    k = "klad"
    return {
        "a1": listing(a, "a1", "Pure MDMA crystals 84%", at="2024-01-01T10:00:00Z", vendor="DrGreen",
                      vendor_id="v-green", sub="mdma", cls="stimulant", qty=1, usd=40,
                      description="Lab tested Dutch MDMA, stealth shipping"),
        "a2": listing(a, "a2", "Cocaine 90% Peru flake", at="2024-01-02T10:00:00Z", vendor="IceKing",
                      vendor_id="v-ice", sub="cocaine", cls="stimulant", qty=1, usd=90,
                      description="Fishscale cocaine, ships from NL"),
        "a3": listing(a, "a3", "Heroin no4 white", at="2024-01-03T10:00:00Z", vendor="DrGreen",
                      vendor_id="v-green", sub="heroin", cls="opioid", qty=1, usd=120,
                      extra=[substance("fentanyl", "opioid", known=True)],
                      description="Tested free of additives"),
        "a4": listing(a, "a4", "Mystery research chemical 3-XMC", at="2024-02-06T10:00:00Z", vendor="iceking",
                      vendor_id=None, qty=5, usd=60,
                      extra=[substance("3-xmc", "unknown", "3-XMC", known=False)],
                      description="New research chemical"),
        "a5": listing(a, "a5", HOSTILE_TITLE, at="2024-01-10T10:00:00Z", vendor="IceKing",
                      vendor_id="v-ice", sub="mdma", cls="stimulant", qty=10, unit="unit", usd=50,
                      description="<img src=x onerror=alert(1)> pressed pills"),
        "k1": listing(k, "k1", "Мефедрон кристалл 1г", at="2024-01-04T10:00:00Z", vendor="Снежок",
                      vendor_id="k-snow", sub="mephedrone", cls="stimulant", qty=1, amount=3000,
                      currency="RUB", usd=33, lang="ru", description="Клад магнит, Москва"),
        "k2": listing(k, "k2", "Гашиш Ice-o-lator 2г", at="2024-01-05T10:00:00Z", vendor="dr_green",
                      vendor_id="k-zel", sub="hashish", cls="cannabinoid", qty=2, amount=3600,
                      currency="RUB", usd=40, lang="ru", description="Прикоп, Алматы"),
        "k3": listing(k, "k3", "Мефедрон 0.5г", at="2024-01-11T10:00:00Z", vendor="Снежок",
                      vendor_id="k-snow", sub="mephedrone", cls="stimulant", qty=0.5, amount=1800,
                      currency="RUB", usd=20, lang="ru", description="Клад, Москва"),
    }  # fmt: skip


def batches() -> list[tuple[list[Listing], list[Vendor]]]:
    """Crawl batches in time order: first sightings, then re-observations with price changes."""
    b = base_listings()
    v = vendors()
    first = [b["a1"], b["a2"], b["a3"], b["a5"], b["k1"], b["k2"], b["k3"]]
    second = [
        at(b["a1"], "2024-01-08T10:00:00Z", price_usd=38.0),
        at(b["a1"], "2024-01-15T10:00:00Z", price_usd=41.0),
        at(b["a2"], "2024-01-09T10:00:00Z"),
        at(b["k1"], "2024-02-01T10:00:00Z", price_usd=35.0),
    ]
    third = [
        at(b["a1"], "2024-02-05T10:00:00Z", price_usd=36.0),
        b["a4"],
    ]
    return [(first, v), (second, []), (third, [])]


def all_listings() -> list[Listing]:
    return [item for batch, _ in batches() for item in batch]


def _vary(listings: list[Listing], seed: int, extras: list[Substance], *, drop_prices: bool = False,
          places: bool = False) -> list[Listing]:
    """Some listings with a second substance (one of `extras`), an unknown one, none at all, no price
    (`drop_prices`), and a city and district or none (`places`)."""
    rng = random.Random(seed)
    out = []
    for item in listings:
        roll = rng.random()
        if roll < 0.15:
            item = replace(item, substances=[*item.substances, rng.choice(extras)])
        elif roll < 0.2:
            item = replace(item, substances=[*item.substances, substance("3-xmc", "unknown", "3-XMC", known=False)])
        elif roll < 0.25:
            item = replace(item, substance=None, substance_class=None, substances=[])
        elif drop_prices and roll < 0.3:
            item = replace(item, price_usd=None)
        if places:
            city, district = rng.choice(PLACES)
            item = replace(item, city=city, district=district)
        out.append(item)
    return out


def varied_synth(n: int, seed: int) -> tuple[list[Listing], list[Vendor]]:
    """Synthetic listings (testbed/synth.py), some with a second substance, a candidate (unknown) one or none, some
    without a price: for the SQLite schema tests at a few thousand listings."""
    listings, vendors = synth_batch(n, seed=seed)
    extras = [substance("ketamine", "dissociative"), substance("cocaine", "stimulant"), substance("mdma", "stimulant")]
    return _vary(listings, seed, extras, drop_prices=True), vendors


PLACES = [("Almaty", "Bostandyk"), ("Almaty", None), ("Москва", "Арбат"), (None, None)]


def varied_with_places(n: int, seed: int, **synth: Any) -> tuple[list[Listing], list[Vendor]]:
    """Synthetic listings (`synth` goes to testbed/synth.py's synth_batch), some with a second substance of the same
    class or another, an unknown substance, no substance at all, and a city and district (or none): for the
    facet-count tables (facet_days, facet_first_days)."""
    listings, vendors = synth_batch(n, seed=seed, **synth)
    extras = [substance("fentanyl", "opioid"), substance("heroin", "opioid"), substance("cocaine", "stimulant"),
              substance("mdma", "stimulant")]
    return _vary(listings, seed, extras, places=True), vendors
