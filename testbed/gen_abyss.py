"""The "abyss" market: an English AlphaBay/Dream-style market (USD, categories, vendor profiles)."""

from __future__ import annotations

import random

from onionwatch.testbed.catalog import EN_PRODUCTS, EN_SERVICES, Product
from onionwatch.testbed.identity import (
    CONTACT_LABELS,
    contact_handles,
    en_handle,
    n_shared,
    pgp_key,
    shared_actor,
    sub_rng,
    wallets,
)
from onionwatch.testbed.model import Amount, Listing, Market, TierOffer, Vendor
from onionwatch.testbed.offers import (
    check_sizes,
    fmt_num,
    ladder,
    listing_slots,
    pick_product,
    raw_price,
    round_usd,
    unit_price,
    usd_text,
)
from onionwatch.testbed.vocab import substance_class

NAME = "abyss"
NON_DRUG_SHARE = 0.09

CATEGORIES: dict[str, str] = {  # slug -> display name
    "cannabis": "Cannabis & Hashish", "stimulants": "Stimulants", "ecstasy": "Ecstasy",
    "opioids": "Opioids", "benzos": "Benzos", "psychedelics": "Psychedelics",
    "dissociatives": "Dissociatives", "rcs": "Research Chemicals", "other-drugs": "Other Drugs",
    "guides": "Guides & Tutorials", "counterfeit": "Counterfeit Items", "carded": "Carded Items",
    "services": "Services",
}
_CLASS_CATEGORY = {
    "stimulant": "stimulants", "empathogen": "ecstasy", "opioid": "opioids", "nitazene": "opioids",
    "cannabinoid": "cannabis", "synthetic_cannabinoid": "rcs", "psychedelic": "psychedelics",
    "dissociative": "dissociatives", "benzodiazepine": "benzos", "cathinone": "rcs", "sedative": "other-drugs",
}
_SERVICE_CATEGORY = {"Guides & Tutorials": "guides", "Counterfeit Items": "counterfeit",
                     "Carded Items": "carded", "Services": "services"}
_FROM = ("United States", "United Kingdom", "Germany", "Netherlands", "Canada", "Australia", "Spain", "France",
         "Poland", "Belgium", "Czech Republic", "Sweden")
_TO = ("Worldwide", "Worldwide", "Europe", "United States", "United Kingdom", "EU only", "Worldwide except AU")
_TAGS = (" | FE", " [ESCROW]", " - FREE SHIPPING", " ~ NEW BATCH", " *SALE -15%*", " VHQ", " TOP QUALITY",
         " (UK-UK)", " - Stealth & Fast", " <3", " !!10% OFF!!", " | Tracked", " TOP QAULITY",
         " Free shiping", " - Fast & Discreet")
_WRAPS = ("🔥 {} 🔥", "*** {} ***", "⭐ {} ⭐", "💎 {}", "{} 🚀", "✅ {} ✅", "🍀 {}", "{} 💊", "!!! {} !!!")
_DESC = (
    "Top quality {form}, tested by our team before every shipment.",
    "Vacuum sealed, double bagged, stealth shipping with tracking on request.",
    "We ship Mon-Fri, orders before 2pm go out the same day.",
    "Reship policy: 100% reship on first loss, 50% after that.",
    "No FE for new buyers, escrow only. Trusted buyers can FE.",
    "Please leave feedback after you receive your order <3",
    "Bulk discounts available - message us for custom listings.",
    "Lab tested. Reagent test pictures on request.",
    "Don't ask for samples. Don't ask for drop to other address.",
    "Encrypt your address with our PGP key or the order will be cancelled!",
)


def _quantity_text(rng: random.Random, value: float, unit: str, comma: bool) -> str:
    v = fmt_num(value, comma)
    if unit == "g":
        return rng.choice((f"{v}g", f"{v} g", f"{v}gr", f"{v} grams" if value != 1 else "1 gram", f"{v}G"))
    if unit == "oz":
        return rng.choice((f"{v}oz", f"{v} oz", f"{v} OZ"))
    if unit == "ml":
        return rng.choice((f"{v}ml", f"{v} ml", f"{v}mL"))
    return v


def _dose_text(rng: random.Random, dose: tuple[float, str]) -> str:
    v = fmt_num(dose[0])
    if dose[1] == "ug":
        return rng.choice((f"{v}ug", f"{v}mcg", f"{v}µg", f"{v} ug"))
    return rng.choice((f"{v}mg", f"{v} mg", f"{v}MG"))


def _tier_text(q: float, unit: str, price: float, pill_word: str) -> str:
    label = {"g": "g", "oz": "oz", "ml": "ml"}.get(unit, pill_word)
    return f"{fmt_num(q)} {label} — {usd_text(price, price >= 1000)}"


def _decorate(rng: random.Random, title: str) -> str:
    if rng.random() < 0.35:
        title += rng.choice(_TAGS)
    if rng.random() < 0.30:
        title = rng.choice(_WRAPS).format(title)
    if rng.random() < 0.10:
        title = title.upper()
    return title


def _drug_listing(rng: random.Random, product: Product) -> dict:
    form = rng.choice(product.forms)
    adj = rng.choice(product.adjectives) + " " if product.adjectives and rng.random() < 0.6 else ""
    show_ladder = rng.random() < 0.5
    in_title = rng.random() < 0.65 or not show_ladder
    per = unit_price(rng, product)
    dose = None
    if product.kind == "pill":
        unit = "unit"
        dose = rng.choice(product.doses)
    elif product.kind == "volume":
        unit = "ml"
    else:
        unit = "oz" if product.oz and rng.random() < 0.15 else "g"
    amounts = (1.0, 2.0, 4.0, 8.0) if unit == "oz" else product.amounts
    steps = ladder(rng, amounts, show_ladder)
    prices = [round_usd(raw_price(product, per, q, unit), rng) for q in steps]
    pill_word = rng.choice(product.pill_words)
    comma = rng.random() < 0.05
    qty = _quantity_text(rng, steps[0], unit, comma)
    if dose is not None:
        dtext = _dose_text(rng, dose)
        n = fmt_num(steps[0])
        if in_title:
            title = rng.choice((
                f"{n}x {adj}{form} {dtext}", f"{adj}{form} {dtext} {pill_word} x {n}",
                f"{n} {adj}{form} {dtext} {pill_word}", f"{n} x {adj}{form} {dtext}",
            ))
        else:
            title = rng.choice((f"{adj}{form} {dtext} {pill_word}", f"{adj}{form} {dtext}"))
    elif in_title:
        title = rng.choice((f"{qty} {adj}{form}", f"{adj}{form} {qty}", f"{adj}{form} - {qty}"))
    else:
        title = f"{adj}{form}"
    if product.canonical == "cocaine" and rng.random() < 0.3 and "%" not in title:
        title += rng.choice((" 90% pure", " 87%", " (no cut)"))
    tiers = [TierOffer(Amount(q, unit), p, _tier_text(q, unit, p, pill_word)) for q, p in zip(steps, prices,
                                                                                              strict=True)]
    desc = " ".join(rng.sample(_DESC, 3)).format(form=form)
    return {
        "title": _decorate(rng, title.strip()), "description": desc, "substance": product.canonical,
        "quantity": Amount(steps[0], unit), "dose": Amount(*dose) if dose else None, "price": prices[0],
        "tiers": tiers if show_ladder else [],
        "category": CATEGORIES[_CLASS_CATEGORY[substance_class(product.canonical)]],
    }


def _service_listing(rng: random.Random) -> dict:
    service = rng.choice(EN_SERVICES)
    price = round_usd(rng.uniform(*service.price), rng)
    title = rng.choice(service.titles)
    if rng.random() < 0.3:
        title = rng.choice(_WRAPS[:6]).format(title)
    return {
        "title": title, "description": "Instant delivery after payment. Read the terms before ordering.",
        "substance": None, "quantity": None, "dose": None, "price": price, "tiers": [],
        "category": service.category,
    }


def _vendors(seed: int, n_vendors: int) -> list[Vendor]:
    out: list[Vendor] = []
    seen: set[str] = set()
    shared = [shared_actor(seed, i) for i in range(n_shared(n_vendors))]
    for i in range(n_vendors):
        if i < len(shared):
            actor = shared[i]
            name, actor_id, key, telegram = actor.handle, actor.actor_id, actor.pgp, actor.telegram
            vrng = sub_rng(seed, NAME, "vendor", actor_id)
        else:
            vrng = sub_rng(seed, NAME, "vendor", i)
            name = en_handle(vrng)
            while name in seen:
                name = en_handle(vrng) + str(vrng.randint(1, 99))
            actor_id = f"{NAME}-{i:04d}"
            key = pgp_key(seed, actor_id, name, vrng) if vrng.random() < 0.85 else None
            telegram = "@" + name.lower()
        seen.add(name)
        kinds = [k for k in CONTACT_LABELS if vrng.random() < 0.45] or ["jabber"]
        if i < len(shared) and "telegram" not in kinds:
            kinds.insert(0, "telegram")
        contacts = contact_handles(vrng, name, telegram, kinds)
        lines = [f"{CONTACT_LABELS[k]}: {v}" for k, vals in contacts.items() for v in vals]
        joined_year = vrng.randint(2019, 2025)
        out.append(Vendor(
            market=NAME, vendor_id=name, name=name, url=f"/vendor/{name}", actor_id=actor_id,
            rating=f"{vrng.uniform(4.2, 5.0):.2f}", sales=f"{int(vrng.paretovariate(1.2) * 40):,}",
            joined=f"{('Jan','Feb','Mar','Apr','May','Jun','Jul','Aug','Sep','Oct','Nov','Dec')[vrng.randrange(12)]}"
                   f" {joined_year}",
            pgp=key, contacts=contacts, contact_lines=lines, crypto=wallets(vrng, 0.6, 0.5),
            description=vrng.choice((
                "Professional vendor since years. Quality first.", "Family business. We care about our buyers.",
                "Read my terms & conditions before you order!", "Stealth is our priority. 0 seizures so far.",
            )),
            extra={"ships_from": vrng.choice(_FROM), "escrow": vrng.choice(("Escrow", "Escrow", "FE 100%"))},
        ))
    sub_rng(seed, NAME, "shuffle").shuffle(out)
    return out


def generate(seed: int, n_vendors: int = 200, n_listings: int = 2000) -> Market:
    check_sizes(n_vendors, n_listings)
    vendors = _vendors(seed, n_vendors)
    slots = listing_slots(seed, NAME, vendors, n_listings, first_id=10_000, id_span=max(n_listings * 40, 90_000),
                          service_share=NON_DRUG_SHARE, products=EN_PRODUCTS)  # fmt: skip
    listings = []
    for i in range(n_listings):
        vendor = slots.vendor(i)
        lrng = sub_rng(seed, NAME, "listing", i)
        if i in slots.services:
            data = _service_listing(lrng)
        else:
            data = _drug_listing(lrng, pick_product(lrng, EN_PRODUCTS, slots.menus[vendor.vendor_id]))
        lid = str(slots.ids[i])
        subst = data["substance"]
        listings.append(Listing(
            market=NAME, listing_id=lid, url=f"/listing/{lid}", vendor=vendor, title=data["title"],
            description=data["description"], substance=subst,
            substance_class=substance_class(subst) if subst else None, quantity=data["quantity"],
            dose=data["dose"], price=data["price"], currency="USD",
            price_text=usd_text(data["price"], data["price"] >= 1000 and lrng.random() < 0.7),
            tiers=data["tiers"], category=data["category"], ships_from=vendor.extra["ships_from"],
            ships_to=lrng.choice(_TO), escrow=vendor.extra["escrow"],
        ))
    btc_usd = sub_rng(seed, NAME, "btc").uniform(58_000, 72_000)
    for li in listings:
        li.extra["btc"] = f"{li.price / btc_usd:.5f} BTC"
    slug_of = {name: slug for slug, name in CATEGORIES.items()}
    by_cat: dict[str, list[Listing]] = {slug: [] for slug in CATEGORIES}
    for li in sorted(listings, key=lambda x: -int(x.listing_id)):
        by_cat[slug_of[li.category or ""]].append(li)
    return Market(NAME, seed, vendors, listings, {"categories": by_cat})
