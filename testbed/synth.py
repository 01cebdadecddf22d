"""Synthetic but realistic Listing/Vendor records for store benchmarks and load tests (seeded, no I/O).

Shape: several English USD markets and Russian RUB klad shops, vendors with a long-tail listing count,
substances with class-typical gram prices and log-normal noise, tiered quantities, titles and
descriptions built from market-style phrases (incl. Cyrillic), observations spread over weeks.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from onionwatch.extractors.records import Listing, Price, Quantity, Substance, Tier, Vendor

# canonical, class, typical USD per gram (per unit for pills/blotters), unit, EN names, RU names
SUBSTANCES = [
    ("cocaine", "stimulant", 85.0, "g", ["Cocaine", "Coke", "Peruvian flake"], ["Кокаин", "Кокс"]),
    ("mdma", "stimulant", 35.0, "g", ["MDMA", "Molly crystals"], ["МДМА", "Кристаллы MDMA"]),
    ("ecstasy", "stimulant", 6.0, "unit", ["XTC pills", "Ecstasy"], ["Экстази", "Таблетки XTC"]),
    ("amphetamine", "stimulant", 12.0, "g", ["Speed paste", "Amphetamine"], ["Амфетамин", "Фен"]),
    ("methamphetamine", "stimulant", 45.0, "g", ["Crystal meth", "Ice shards"], ["Метамфетамин", "Первитин"]),
    ("mephedrone", "stimulant", 30.0, "g", ["4-MMC", "Mephedrone"], ["Мефедрон", "Меф кристалл"]),
    ("alpha-pvp", "stimulant", 25.0, "g", ["A-PVP", "Flakka"], ["Альфа-PVP", "Соль СК"]),
    ("heroin", "opioid", 110.0, "g", ["Heroin #4", "Brown heroin"], ["Героин", "Гер"]),
    ("fentanyl", "opioid", 400.0, "g", ["Fentanyl powder"], ["Фентанил"]),
    ("oxycodone", "opioid", 25.0, "unit", ["Oxycodone 30mg", "Roxy"], ["Оксикодон"]),
    ("cannabis", "cannabinoid", 9.0, "g", ["OG Kush buds", "Amnesia Haze", "Weed"], ["Шишки", "Бошки", "Марихуана"]),
    ("hashish", "cannabinoid", 12.0, "g", ["Moroccan hash", "Ice-o-lator"], ["Гашиш", "Гаш"]),
    ("lsd", "psychedelic", 8.0, "unit", ["LSD blotter 150ug", "Acid tabs"], ["ЛСД марки"]),
    ("psilocybin", "psychedelic", 10.0, "g", ["Magic mushrooms", "Golden teacher"], ["Грибы", "Псилоцибин"]),
    ("ketamine", "dissociative", 30.0, "g", ["Ketamine shards", "Special K"], ["Кетамин"]),
    ("alprazolam", "benzodiazepine", 2.0, "unit", ["Xanax 2mg bars"], ["Алпразолам"]),
    ("mdmb-4en-pinaca", "synthetic_cannabinoid", 60.0, "g", ["MDMB-4en-PINACA"], ["Спайс", "Микс"]),
]
MARKETS_EN = ["alphabay", "agora", "dream", "versus"]
MARKETS_RU = ["matanga", "hydra"]
RUB_PER_USD = 92.0
PHRASES_EN = [
    "Lab tested, high purity.", "Stealth vacuum sealed shipping.", "Ships from NL, worldwide delivery.",
    "Reship policy for lost parcels.", "FE for trusted buyers only.", "Bulk discounts available, PM me.",
    "Top quality, best price on the market.", "Escrow only. No refunds after finalize.",
]  # fmt: skip
PHRASES_RU = [
    "Клад магнит, район центр.", "Прикоп, фото с координатами.", "Высокое качество, проверено.",
    "Оплата BTC, перезаклад при ненаходе.", "Работаем круглосуточно.", "Скидки постоянным клиентам.",
]  # fmt: skip
CITIES = ["Москва", "Санкт-Петербург", "Алматы", "Новосибирск", "Екатеринбург", "Казань"]
HANDLES = ["Green", "Ice", "Snow", "Lab", "Dutch", "Royal", "Pharma", "Cartel", "Bud", "Wizard", "Magic",
           "Белый", "Снежок", "Шаман", "Барон", "Кристалл"]  # fmt: skip


def _vendor(rng: random.Random, market: str, i: int) -> Vendor:
    name = f"{rng.choice(HANDLES)}{rng.choice(['', '_', '.'])}{rng.choice(HANDLES)}{i}"
    fp = "".join(rng.choice("0123456789ABCDEF") for _ in range(40)) if rng.random() < 0.7 else None
    return Vendor(
        market=market,
        vendor_id=f"v{i}",
        name=name,
        url=f"http://{market}.onion/vendor/v{i}",
        rating=round(rng.uniform(3.5, 5.0), 2),
        sales=int(rng.paretovariate(1.2) * 10),
        pgp_fingerprint=fp,
        pgp_key_id=fp[-16:] if fp else None,
        contacts={"telegram": [f"@{name.lower()}"]} if rng.random() < 0.3 else {},
        description=rng.choice(PHRASES_EN),
        scraped_at="2024-01-01T00:00:00Z",
    )


def synth_batch(
    n: int, *, seed: int = 0, start: str = "2024-01-01", days: int = 182, vendors_per_market: int | None = None
) -> tuple[list[Listing], list[Vendor]]:
    """``n`` listings (distinct keys) with first-sighting times spread over ``days`` from ``start``,
    and the vendors they reference. Deterministic for a seed."""
    rng = random.Random(seed)
    markets = MARKETS_EN + MARKETS_RU
    per_market = vendors_per_market or max(5, n // (20 * len(markets)))
    vendors = {m: [_vendor(rng, m, i) for i in range(per_market)] for m in markets}
    t0 = datetime.fromisoformat(start).replace(tzinfo=UTC)
    listings = []
    for i in range(n):
        market = rng.choice(markets)
        # long tail: a few vendors hold most listings
        vendor = vendors[market][min(int(rng.paretovariate(1.1)) - 1, per_market - 1)]
        when = t0 + timedelta(seconds=rng.randrange(days * 86400))
        listings.append(_listing(rng, market, f"{market[:2]}{i}", vendor, when))
    return listings, [v for vs in vendors.values() for v in vs]


def _listing(rng: random.Random, market: str, listing_id: str, vendor: Vendor, when: datetime) -> Listing:
    ru = market in MARKETS_RU
    canonical, cls, ppg, unit, names_en, names_ru = rng.choice(SUBSTANCES)
    name = rng.choice(names_ru if ru else names_en)
    qty = rng.choice([0.5, 1, 2, 3, 5, 10, 28]) if unit == "g" else rng.choice([1, 5, 10, 25, 50, 100])
    usd = round(ppg * qty * rng.lognormvariate(0, 0.25) * (0.8 if qty >= 10 else 1.0), 2)
    unit_text = ("г" if ru else "g") if unit == "g" else ("шт" if ru else "pcs")
    title = f"{name} {qty:g}{unit_text}" + ("" if ru else rng.choice(["", " - TOP QUALITY", " | stealth", " 90%"]))
    phrases = PHRASES_RU if ru else PHRASES_EN
    description = " ".join(rng.sample(phrases, k=3)) + (f" {rng.choice(CITIES)}." if ru else "")
    currency, amount = ("RUB", round(usd * RUB_PER_USD)) if ru else ("USD", usd)
    start = title.find(name)
    tiers = [Tier(Quantity(qty * k, unit), Price(round(amount * k * 0.9), currency), k == 1, round(usd * k * 0.9, 2))
             for k in (1, 2, 5)]  # fmt: skip
    return Listing(
        market=market,
        listing_id=listing_id,
        url=f"http://{market}.onion/listing/{listing_id}",
        title=title,
        description=description,
        vendor=vendor.name,
        vendor_id=vendor.vendor_id,
        lang="ru" if ru else "en",
        substance=canonical,
        substance_class=cls,
        substances=[Substance(canonical, cls, name, start, start + len(name))],
        quantity=Quantity(qty, unit),
        price=Price(amount, currency),
        price_usd=usd,
        price_per_gram_usd=round(usd / qty, 4) if unit == "g" else None,
        price_per_unit_usd=round(usd / qty, 4) if unit == "unit" else None,
        tiers=tiers,
        category="Drugs",
        ships_from=None if ru else rng.choice(["NL", "DE", "US", "UK"]),
        location=f"{rng.choice(CITIES)} / центр" if ru else None,
        scraped_at=when.strftime("%Y-%m-%dT%H:%M:%SZ"),
    )


def reobserve(listings: list[Listing], *, seed: int = 0, days: int = 7, share: float = 0.5) -> list[Listing]:
    """A later crawl: ``share`` of the listings seen again ``days`` later, some with a changed price."""
    rng = random.Random(seed)
    out = []
    for item in listings:
        if rng.random() >= share:
            continue
        when = datetime.fromisoformat(item.scraped_at) + timedelta(days=days, seconds=rng.randrange(3600))
        factor = rng.choice([1.0, 1.0, 1.0, 0.9, 1.1])
        usd = round(item.price_usd * factor, 2) if item.price_usd is not None else None
        q = item.quantity
        out.append(
            Listing(**{
                **item.__dict__,
                "scraped_at": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "price_usd": usd,
                "price_per_gram_usd": round(usd / q.value, 4) if usd and q and q.unit == "g" else None,
            })
        )  # fmt: skip
    return out
