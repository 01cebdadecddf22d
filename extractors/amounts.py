"""What one listing sells: its quantity, the strength of one piece (dose) and its tiers, settled by ordered rules.

`Extractor._listing` reads the listing once (`Reading`: the title's and description's results, the amount shown
apart, the tier lines' amounts, the substances), takes a first guess (`Amount`: the amount shown apart, else the
base tier's, else the title's), runs `before_price`, chooses the price (listing_fields.listing_price and the
description fallbacks), then `after_price`. Each rule is a small function of the reading and the amount so far,
named for the listings it is for; the order is the order below (README "Quantities" and "Prices")."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from onionwatch.extractors.listing_fields import PriceChoice
from onionwatch.extractors.quantities import QtyMention, vial_elsewhere
from onionwatch.extractors.records import Price, Quantity, Substance, Tier
from onionwatch.extractors.tokenizer import Ext


@dataclass
class Reading:
    """What the rules read of one listing (never changed by them)."""

    tx: Ext  # the title's results
    dx: Ext  # the description's results
    title_text: str
    desc_text: str
    shown: Quantity | None  # the amount the market shows apart (a quantity field)
    tier_qs: list[QtyMention]  # the tier lines' amounts
    subs: list[Substance]
    title_non_drug: bool  # the title names a non-drug item (or the listing is a shop's post about itself)

    @property
    def named(self) -> bool:
        return any(s.known for s in self.subs)

    def quantities(self) -> list[QtyMention]:
        """The title's amounts, then the description's."""
        return [*(self.tx.quantities or []), *(self.dx.quantities or [])]


@dataclass
class Amount:
    quantity: Quantity | None
    dose: Quantity | None
    tiers: list[Tier]
    price: Price | None = None  # set once the price is chosen (after_price)

    def base_is(self, quantity: Quantity | None) -> bool:
        """The base tier sells `quantity` (so a rule changing the amount changes the base tier's too)."""
        return bool(self.tiers) and self.tiers[0].quantity == quantity


Rule = Callable[[Reading, Amount], Amount]


# --- before the price is chosen


def pill_strength(r: Reading, a: Amount) -> Amount:
    """"Xanax 1mg" with tier lines "10 bars — $37": the title's mg/ug is the per-pill strength."""
    if a.dose is None and a.quantity is not None and a.quantity.unit == "unit":
        a.dose = next((q.quantity() for q in r.tx.quantities or [] if q.unit in ("mg", "ug")), None)
    return a


def vial_strength(r: Reading, a: Amount) -> Amount:
    """"Tirz 10mg" + "Tirzepatide vial", "Sema 5mg" + "lyophilised" (issue 14, dev 2026g): one vial of that strength,
    as "BPC-157 5mg vial" in one text."""
    q = a.quantity
    if r.shown is None and not r.tier_qs and q is not None and q.unit == "mg" and q.value < 100 \
            and a.dose is None and not any(m.kind == "count" for m in r.tx.quantities or []) \
            and vial_elsewhere(r.desc_text) and "powder" not in f"{r.title_text} {r.desc_text}".lower():
        if a.base_is(q):
            a.tiers[0] = replace(a.tiers[0], quantity=Quantity(1.0, "unit"))
        a.dose, a.quantity = q, Quantity(1.0, "unit")
    return a


def pieces_in_description(r: Reading, a: Amount) -> Amount:
    """"Таблы 250mg" / "Марки LSD 250 мкг" with "2 шт" in an unpriced description (klad shops show the price apart):
    the pieces are the amount sold, the title's mg/ug their strength."""
    q = a.quantity
    if r.shown is None and not r.tier_qs and not r.title_non_drug and r.named and (
            q.unit in ("mg", "ug") if q is not None else a.dose is not None) and (
            not r.dx.prices) and (
            pieces := next((m.quantity() for m in r.dx.quantities or [] if m.kind == "count"), None)):
        if a.base_is(q):
            a.tiers[0] = replace(a.tiers[0], quantity=pieces)
        a.dose, a.quantity = a.dose or q, pieces
    return a


def no_drug_amount(r: Reading, a: Amount) -> Amount:
    """A non-drug title, or a title naming nothing beside a non-drug description ("Hemp seed oil 500ml" + "THC
    free"; issue 14, dev 2026e): the amount is no drug's."""
    if r.title_non_drug or (r.dx.non_drug and not r.named):
        a.quantity, a.dose, a.tiers = None, None, []
    return a


BEFORE_PRICE: tuple[Rule, ...] = (pill_strength, vial_strength, pieces_in_description, no_drug_amount)


# --- after the price is chosen

# a µg strength, and a number standing alone (not part of a name like "LSD-25" or a decimal)
_UG = re.compile(r"\d+(?:[.,]\d+)?\s?(?:мкг|ug|mcg|µg|μg)(?![^\W\d_])", re.I)
_LONE_NUMBER = re.compile(r"(?<![\w.,-])\d+(?![\w.,-])")


def piece_strength(r: Reading, a: Amount) -> Amount:
    """Pieces found with the price: the title's mg/ug, else the description's ("Экстази 2 шт" over "Таблы 280мг
    МДМА") is the per-piece strength."""
    if a.dose is None and a.quantity is not None and a.quantity.unit == "unit":
        a.dose = next((q.quantity() for q in r.quantities() if q.unit in ("mg", "ug")), None)
    return a


def one_blotter(r: Reading, a: Amount) -> Amount:
    """"ЛСД 250мкг" priced with no count (issue 14, ru_dev2026g): a µg strength is a blotter's, one is sold ("3 LSD
    250ug": a number of its own may be the count; left unread)."""
    if a.quantity is None and a.price is not None and a.dose is not None and a.dose.unit == "ug" \
            and r.shown is None and not r.title_non_drug and r.named \
            and not _LONE_NUMBER.search(_UG.sub(" ", r.title_text[:300])):
        a.quantity = Quantity(1.0, "unit")
    return a


def concentration(r: Reading, a: Amount) -> Amount:
    """"Ostarine liquid 30ml" + "25mg/ml": the description's concentration is the strength (issue 14)."""
    if a.dose is None and a.quantity is not None and a.quantity.unit == "ml":
        a.dose = next((q.quantity() for q in r.quantities() if q.dose and q.unit == "mg"), None)
    return a


def named_strength(r: Reading, a: Amount) -> Amount:
    """"Sustanon 250" + "10ml": the bare number after a pharmaceutical's name is its strength (`bare_strength`)."""
    if a.dose is None and a.quantity is not None and a.quantity.unit in ("unit", "ml"):
        a.dose = bare_strength(r.title_text, r.tx.substances or []) or \
            bare_strength(r.desc_text, r.dx.substances or [])
    return a


def per_piece_of_total(r: Reading, a: Amount) -> Amount:
    """"Gummies 500mg" + "10 gummies x 50mg": the title's milligrams are the pack's total, the strength of one piece
    is the one that many pieces add up to it (issue 14, dev 2026j probes)."""
    q, d = a.quantity, a.dose
    if q is not None and q.unit == "unit" and q.value > 1 and d is not None and d.unit == "mg":
        a.dose = next((m.quantity() for m in r.quantities() if m.unit == "mg" and 0 < m.value < d.value
                       and abs(m.value * q.value - d.value) <= 0.01 * d.value), d)
    return a


AFTER_PRICE: tuple[Rule, ...] = (piece_strength, one_blotter, concentration, named_strength, per_piece_of_total)


def priced_tiers(a: Amount, choice: PriceChoice) -> Amount:
    """The base tier shows what the listing's price says: a per-unit price (kept as per-unit) becomes the only tier
    or fills the base tier of the same amount; a base tier of the listing's amount shown without a price ("Меф 1г"
    with the price apart) gets the price."""
    if choice.unit_price is not None and not a.tiers:
        a.tiers = [Tier(a.quantity, a.price, True, None, choice.unit_price, choice.per)]
    elif choice.unit_price is not None and a.tiers[0].unit_price is None and a.base_is(a.quantity):
        a.tiers[0] = replace(a.tiers[0], price=a.price, unit_price=choice.unit_price, unit_price_per=choice.per)
    if a.tiers and a.tiers[0].price is None and a.price is not None and a.base_is(a.quantity):
        a.tiers[0] = replace(a.tiers[0], price=a.price)
    return a


def count_without_substance(r: Reading, a: Amount) -> Amount:
    """"tickets x2", "купюры x 10 шт": a count with no substance is no drug quantity."""
    if not r.subs and a.quantity is not None and a.quantity.unit == "unit" and r.shown is None:
        a.quantity = None
    return a


def settle(rules: Sequence[Rule], r: Reading, a: Amount) -> Amount:
    for rule in rules:
        a = rule(r, a)
    return a


# --- the strength written bare after a pharmaceutical's name

# a pharmaceutical or steroid named with a bare strength ("Sustanon 250", "Test C 250 | 10ml", "Modalert 200 x 100",
# "Oxy 80 x 10"; issue 14, dev 2026g; "Percocet 10/325" stays without a dose, as the dev sets label it): the number
# is the milligrams of one pill, amp or millilitre.
# Classes whose products are sold by strength; not those dosed in micrograms (clenbuterol, T3, fentanyl patches)
_STRENGTH_CLASSES = frozenset({"performance", "opioid", "stimulant", "benzodiazepine", "sedative"})
_MICROGRAM_DRUGS = frozenset({"clenbuterol", "liothyronine", "fentanyl"})
# what may follow a bare strength: the end of a line, a separator, a vial's volume ("Sust 250 10ml", "Deca 300
# 10ml"; issue 14, dev 2026i), also after a spaced hyphen ("Tren Ace 100 - 10ml", the title's dash normalised; dev
# 2026k; "Kamagra 100 - 24 tablets" stays without a dose) or a multiplication sign before a bare count ("200 x
# 100"), never a unit or a word ("500 pcs", "100 мл", "10 x 10iu", "250 + 2 vials")
_STRENGTH_END = (r"(?=[^\S\n]*(?:$|\n|[|(\[,;:—–]|(?:-[^\S\n]+)?\d{1,3}(?:[.,]\d)?[^\S\n]?ml(?![^\W\d_])|"
                 r"[xх×*][^\S\n]*\d{1,4}(?![\d.,])(?![^\S\n]?(?!(?:amps?|"
                 r"ampoules?|tabs?|tablets?|pills?|caps?|capsules?|vials?|pcs|pieces)(?![^\W\d_]))[^\W\d_])))")
# an ester written between the name and the strength ("Masteron Prop 100 10ml", "Primo Enanth 100")
_ESTER = r"(?:[^\S\n](?:prop(?:ionate)?|enan(?:th(?:ate)?)?|cyp(?:ionate)?|ace(?:tate)?|dec(?:anoate)?))?"
_BARE_STRENGTH_AFTER = re.compile(_ESTER + r"[^\S\n](?P<n>\d{2,4})(?![\d.,/%])" + _STRENGTH_END, re.I)
_BARE_STRENGTH_IN = re.compile(r"[\s-](?P<n>\d{2,4})$")
_STRENGTH_FOLLOWS = re.compile(_STRENGTH_END, re.I)


def bare_strength(text: str, subs: Sequence[Substance]) -> Quantity | None:
    """The milligrams written bare right after (or as the end of) a pharmaceutical's name, when a multiple of 5
    between 10 and 1000 that is not part of the canonical name ("RAD 140", "MK 677" are names, not strengths)."""
    for s in subs:
        if not s.known or s.cls not in _STRENGTH_CLASSES or s.canonical in _MICROGRAM_DRUGS:
            continue
        m = _BARE_STRENGTH_IN.search(text, s.start, s.end) or _BARE_STRENGTH_AFTER.match(text, s.end)
        if m is None or (m.re is _BARE_STRENGTH_IN and (m.end() != s.end or not _STRENGTH_FOLLOWS.match(text, s.end))):
            continue
        n = int(m.group("n"))
        if 10 <= n <= 1000 and n % 5 == 0 and m.group("n") not in s.canonical:
            return Quantity(float(n), "mg")
    return None
