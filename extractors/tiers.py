"""Pair quantities with prices into offer tiers ("1g - $60 | 3.5g - $180").

Base-tier rule (README "Prices"): the base offer of a listing is always the FIRST tier as written (in text
order of its quantity), whether prices follow or lead their amounts and whatever the layout ("1g/3.5g -
$10/$30" pairs in order). A per-unit price ("$3 each", "€4/blotter", "по 1500 за грамм") with an amount of
the same unit is multiplied out (100 pills at $3 each -> $300) and kept as the tier's unit price; a price per
piece next to a mass or volume ("1g carts $35/ea", "4g bar, $40 per bar") is the price of one piece of that
amount; without an amount it is an offer of one unit. `resolve_tier` applies this for listings and Telegram
offers alike."""

from __future__ import annotations

from dataclasses import dataclass

from onionwatch.extractors.prices import PriceMention
from onionwatch.extractors.quantities import QtyMention
from onionwatch.extractors.records import Price, Quantity


@dataclass
class TierMention:
    quantity: QtyMention | None
    price: PriceMention | None


@dataclass
class ResolvedTier:
    quantity: Quantity | None
    price: Price | None  # the offer's price (per-unit prices multiplied out)
    unit_price: Price | None = None  # the per-unit price as written ("$3 each")
    per: str | None = None  # its unit: g, oz, ml, mg, lb (16 oz) or unit


def resolve_tier(t: TierMention) -> ResolvedTier:
    """The quantity and price of one tier, per-unit prices multiplied by the tier's amount (module doc)."""
    qty = t.quantity.quantity() if t.quantity else None
    price = t.price.price() if t.price else None
    if t.price is None or price is None or not t.price.per:
        return ResolvedTier(qty, price)
    per = t.price.per
    if per == "unit" and qty is not None and qty.unit in ("g", "oz", "ml") and qty.value > 0:
        return ResolvedTier(qty, price, price, per)  # "1g carts, $35/ea": the price of one piece of that amount
    if qty is not None and (n := units_of(qty, per)):
        total = Price(round(price.amount * n, 8), price.currency)
        return ResolvedTier(qty, total, price, per)
    return ResolvedTier(unit_quantity(per), price, price, per)


# a price per pound ("$1,100/lb", "$1200 per lb"; issue 14, dev 2026e): the listing's amounts are in ounces (README
# "lb -> oz (16)"), so one unit of it is 16 oz
# a quarter and a half pound ("$450/QP"; issue 14, dev 2026g), an eighth of an ounce ("$35/8th"; dev 2026l)
_PER_OZ = {"lb": 16.0, "qp": 4.0, "hp": 8.0, "8th": 0.125}


def unit_quantity(per: str) -> Quantity:
    """The offer a per-unit price stands for when no amount is written: one unit (one pound is 16 oz)."""
    return Quantity(_PER_OZ[per], "oz") if per in _PER_OZ else Quantity(1.0, per)


def units_of(qty: Quantity, per: str) -> float | None:
    """How many units priced `per` unit are in `qty` ("2 lb" = 32 oz at "$1100/lb": 2), or None."""
    if qty.value <= 0:
        return None
    if qty.unit == per:
        return qty.value
    return qty.value / _PER_OZ[per] if per in _PER_OZ and qty.unit == "oz" else None


def pick_price(prices: list[PriceMention], prefer: str | None = None) -> PriceMention | None:
    """The first price of an offer shown in several currencies ("£80 / $100" -> £80: an explicit currency is
    never swapped for the market's), except a crypto amount shown first next to a fiat one: the one in the
    market currency ("0.0012 BTC (USD 45.00)" -> USD 45), else the first fiat one ("0.0042 BTC ($250)")."""
    if not prices:
        return None
    if prices[0].currency in _CRYPTO and prices[0].currency != prefer:  # a crypto market keeps its own
        fiat = [p for p in prices if p.currency not in _CRYPTO]
        return next((p for p in fiat if p.currency == prefer), fiat[0] if fiat else prices[0])
    return prices[0]


_CRYPTO = ("BTC", "XMR")


_GRAMS = {"g": 1.0, "mg": 1e-3, "ug": 1e-6, "oz": 28.0}


def _same_amount(a: QtyMention, b: QtyMention) -> bool:
    """ "28g (1oz)", "1 oz (28.35g)": one amount written twice."""
    if a.unit not in _GRAMS or b.unit not in _GRAMS or a.unit == b.unit:
        return False
    ga, gb = a.value * _GRAMS[a.unit], b.value * _GRAMS[b.unit]
    return abs(ga - gb) <= 0.03 * max(ga, gb)


def _nothing_between(a: QtyMention, b: QtyMention, ps: list[PriceMention]) -> bool:
    """ "28g (1oz)", "half O | 14g of fire, $110": no price between two writings of one amount."""
    return b.start - a.end <= 3 or not any(a.end <= p.start < b.start for p in ps)


def outside_prices(qs: list[QtyMention], ps: list[PriceMention]) -> list[QtyMention]:
    """The quantities that are not part of a price: the "2,5" of "2,5 тыс. за грамм" or the "6" of "6 400р" is
    no amount (listings and Telegram offers alike)."""
    if not ps:
        return qs
    return [q for q in qs if not any(p.start < q.end and q.start < p.end for p in ps)]


def build_tiers(qs: list[QtyMention], ps: list[PriceMention], prefer: str | None = None) -> list[TierMention]:
    """Offer tiers from the amounts and prices of one text (module doc); shipping, old prices and savings
    (PriceMention.aside) are no tier's price."""
    ps = [p for p in ps if not p.aside]
    amounts: list[QtyMention] = []
    for q in outside_prices(qs, ps):
        if q.dose and q.unit == "ug" and _priced_blotter(q, amounts, ps):
            amounts.append(QtyMention(1.0, "unit", q.start, q.end, "count"))
        elif not q.dose and not (amounts and _same_amount(amounts[-1], q) and _nothing_between(amounts[-1], q, ps)):
            amounts.append(q)
    if not amounts:
        return [TierMention(None, pick_price(ps, prefer))] if ps else []
    if not ps:
        return [TierMention(_pieces_of(amounts), None)]
    if len(amounts) == len(ps) > 1 and (amounts[-1].end <= ps[0].start or ps[-1].end <= amounts[0].start):
        # "1g/3.5g/7g - $10/$30/$55": two columns, paired in order
        return [TierMention(q, p) for q, p in zip(amounts, ps, strict=True)]
    if len(ps) == len(amounts) + 1 and ps[0].per and ps[0].end <= amounts[0].start and \
            len(rest := _pair_forward(amounts, ps[1:], prefer)) == len(amounts):
        # "Per gram £8, 10g £60, 28g £140": a price per unit before a ladder whose rows have their own prices is the
        # first tier, an offer of one unit (issue 14, dev 2026m)
        return [TierMention(None, ps[0]), *rest]
    first, second = _pair_forward, _pair_backward
    if ps[0].start < amounts[0].start:  # "$80 for 1g, $150 for 2g": prices lead
        first, second = second, first
    tiers = first(amounts, ps, prefer) or second(amounts, ps, prefer)
    if not tiers:
        tiers = [TierMention(amounts[0], pick_price(ps, prefer))]
    return tiers


def _priced_blotter(q: QtyMention, amounts: list[QtyMention], ps: list[PriceMention]) -> bool:
    """A µg strength priced right after it with no count of its own ("ЛСД 250мкг — 2 500 ₽"; issue 14,
    ru_dev2026g): one blotter is sold ("Марки 2шт по 250мкг — 4 000" is two: the count before it is unpriced)."""
    if not any(0 <= p.start - q.end <= 4 for p in ps):
        return False
    return not any(a.end <= q.start and not any(a.end <= p.start < q.start for p in ps) for a in amounts)


def _pieces_of(amounts: list[QtyMention]) -> QtyMention:
    """An unpriced text's amount: a multiplier right after the size of one piece ("1g carts x 10", "1ml - 10
    pack", "2g disposables x 5") is the amount sold, as it is when a price follows it (`_pair_forward`); a count
    with its noun is not ("0.8 гр. (1 штука)", "(2 грамма) 5 штук": the weight)."""
    a = amounts[0]
    if len(amounts) > 1 and a.unit in ("g", "ml") and (c := amounts[1]).times and c.value > 1 and c.start - a.end <= 14:
        return c
    return a


def _pair_forward(amounts: list[QtyMention], ps: list[PriceMention], prefer: str | None) -> list[TierMention]:
    """Quantity then its price(s): "1g - $60 / 0.001 BTC, 2g - $110"."""
    tiers: list[TierMention] = []
    for i, q in enumerate(amounts):
        stop = amounts[i + 1].start if i + 1 < len(amounts) else None
        group = [p for p in ps if p.start >= q.end and (stop is None or p.start < stop)]
        if group:
            tiers.append(TierMention(q, pick_price(group, prefer)))
    return tiers


def _pair_backward(amounts: list[QtyMention], ps: list[PriceMention], prefer: str | None) -> list[TierMention]:
    """Price then its quantity: "$60 for 1g, $110 for 2g"."""
    tiers: list[TierMention] = []
    for i, q in enumerate(amounts):
        prev_end = amounts[i - 1].end if i else -1
        group = [p for p in ps if p.end <= q.start and p.start >= prev_end]
        if group:
            tiers.append(TierMention(q, pick_price(group, prefer)))
    return tiers


def is_tier_line(text: str) -> bool:
    """Whether a line shows an amount and its price ("1 g — $60", "0,5 г — 1 500 ₽", "$110 for 2g"): the
    `keep: tier_lines` filter of a market definition (delivery notes, headings and stock lines are dropped)."""
    from onionwatch.extractors.prices import find_prices
    from onionwatch.extractors.quantities import find_quantities

    text = text[:1000]
    return any(not q.guessed for q in find_quantities(text)) and bool(find_prices(text))
