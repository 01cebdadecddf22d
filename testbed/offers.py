"""Offer arithmetic shared by both templates: ladders, per-amount prices, rounding, number display."""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass

from onionwatch.testbed.catalog import Product
from onionwatch.testbed.model import Vendor

OZ_GRAMS = 28.35


def fmt_num(v: float, comma: bool = False) -> str:
    """3.5 -> "3.5" (or "3,5"), 1.0 -> "1"."""
    s = str(int(v)) if float(v).is_integer() else f"{v:g}"
    return s.replace(".", ",") if comma else s


_UNIT_WORDS = {"en": {"g": "g", "mg": "mg", "ug": "ug", "ml": "ml", "oz": "oz", "unit": "pcs"},
               "ru": {"g": "г", "mg": "мг", "ug": "мкг", "ml": "мл", "oz": "унц", "unit": "шт"}}


def shown_amount(value: float, unit: str, lang: str = "en") -> str:
    """An amount as a quantity/weight cell shows it: "3.5 g", "10 pcs"; "0,5 г", "10 шт" in Russian."""
    return f"{fmt_num(value, comma=lang == 'ru')} {_UNIT_WORDS[lang].get(unit, unit)}"


def shown_fingerprint(fingerprint: str) -> str:
    """A v4 fingerprint as GnuPG prints it: ten groups of four, two spaces in the middle."""
    groups = [fingerprint[i : i + 4] for i in range(0, len(fingerprint), 4)]
    return " ".join(groups[:5]) + "  " + " ".join(groups[5:])


def ladder(rng: random.Random, amounts: tuple[float, ...], shown: bool) -> list[float]:
    """The base amount (first) and, when a ladder is shown, 1-4 larger steps after it."""
    start = min(int(rng.random() ** 2 * len(amounts)), len(amounts) - 1)
    if not shown:
        return [amounts[start]]
    length = rng.randint(2, 5)
    steps = list(amounts[start : start + length])
    if len(steps) < 2:
        steps = list(amounts[max(0, len(amounts) - 2) :])
    return steps


def unit_price(rng: random.Random, product: Product) -> float:
    lo, hi = product.price
    return rng.uniform(lo, hi)


def raw_price(product: Product, per_unit: float, amount: float, unit: str) -> float:
    """Price of `amount` (in `unit`) at `per_unit` (per g / pill / ml), with a volume discount."""
    base = amount * OZ_GRAMS if unit == "oz" else amount
    reference = 1.0 if product.kind == "weight" else product.amounts[0]
    discount = (base / reference) ** -0.08  # small amounts cost more per gram, bulk less
    return per_unit * base * discount


def round_usd(p: float, rng: random.Random) -> float:
    if p < 20:
        return max(round(p * 2) / 2, 0.5)
    if p < 200:
        whole = float(round(p))
        return whole - 0.01 if rng.random() < 0.15 else whole
    return float(round(p / 5) * 5)


def round_local(p: float, currency: str) -> float:
    step = 100 if currency == "RUB" else 500
    if p >= 100_000:
        step *= 10
    return float(max(round(p / step), 1) * step)


def usd_text(amount: float, thousands: bool) -> str:
    return f"USD {amount:,.2f}" if thousands else f"USD {amount:.2f}"


def group_thousands(amount: float, sep: str = " ") -> str:
    return f"{int(amount):,}".replace(",", sep)


def pick_product(rng: random.Random, products: tuple[Product, ...], menu: list[Product]) -> Product:
    """Vendors specialise: 85 % of their listings come from their own menu, the rest from the whole catalogue."""
    if menu and rng.random() < 0.85:
        return rng.choice(menu)
    return rng.choices(products, [p.popularity for p in products])[0]


def vendor_menu(rng: random.Random, products: tuple[Product, ...]) -> list[Product]:
    """2-5 distinct products a vendor mostly sells (popular products are more often on menus)."""
    weights = [p.popularity for p in products]
    menu: list[Product] = []
    for _ in range(rng.randint(2, 5)):
        p = rng.choices(products, weights)[0]
        if p not in menu:
            menu.append(p)
    return menu


@dataclass
class ListingSlots:
    """What both generators decide before writing listings: each listing's id, which slots are non-drug
    services, each vendor's menu, and a long-tail pick of the vendor for listing i."""

    ids: list[int]
    services: set[int]
    menus: dict[str, list[Product]]
    vendors: list[Vendor]
    _rng: random.Random
    _cum: list[float]

    def vendor(self, i: int) -> Vendor:
        """Every vendor gets one listing first; the rest go to vendors by a Pareto weight."""
        if i < len(self.vendors):
            return self.vendors[i]
        return self._rng.choices(self.vendors, cum_weights=self._cum)[0]


def listing_slots(seed: int, market: str, vendors: list[Vendor], n_listings: int, *, first_id: int, id_span: int,
                  service_share: float, products: tuple[Product, ...]) -> ListingSlots:  # fmt: skip
    """The seeded preamble of a generator's listings (the same draws, in the same order, for every market)."""
    from onionwatch.testbed.identity import sub_rng

    rng = sub_rng(seed, market, "listings")
    ids = rng.sample(range(first_id, first_id + id_span), n_listings)
    services = set(rng.sample(range(n_listings), round(n_listings * service_share)))
    menus = {v.vendor_id: vendor_menu(sub_rng(seed, market, "menu", v.vendor_id), products) for v in vendors}
    cum = list(itertools.accumulate(rng.paretovariate(1.5) for _ in vendors))
    return ListingSlots(ids, services, menus, vendors, rng, cum)


def check_sizes(n_vendors: int, n_listings: int) -> None:
    if n_vendors < 1 or n_listings < n_vendors:
        raise ValueError("need n_vendors >= 1 and n_listings >= n_vendors")
