"""extractors/amounts.py: the rules settling what one listing sells, each on a reading of real analysed texts."""

from __future__ import annotations

from onionwatch.extractors.amounts import (
    AFTER_PRICE,
    Amount,
    Reading,
    bare_strength,
    concentration,
    count_without_substance,
    no_drug_amount,
    one_blotter,
    pieces_in_description,
    pill_strength,
    priced_tiers,
    settle,
    vial_strength,
)
from onionwatch.extractors.listing_fields import PriceChoice
from onionwatch.extractors.pipeline import Extractor
from onionwatch.extractors.records import Price, Quantity, Tier
from onionwatch.extractors.tokenizer import Ext, doc_text


def _reading(extractor: Extractor, title: str, desc: str = "", lang: str = "en", *, shown: Quantity | None = None,
             non_drug: bool | None = None) -> Reading:
    t, d = extractor.analyse([title, desc], lang=lang)
    tx, dx = Ext(t), Ext(d)
    subs = [*(tx.substances or []), *(dx.substances or [])]
    return Reading(tx, dx, doc_text(t), doc_text(d), shown, [], subs,
                   bool(tx.non_drug) if non_drug is None else non_drug)  # fmt: skip


def test_pill_strength_only_for_pieces(extractor: Extractor) -> None:
    r = _reading(extractor, "Xanax 2mg bars")
    assert pill_strength(r, Amount(Quantity(10, "unit"), None, [])).dose == Quantity(2, "mg")
    assert pill_strength(r, Amount(Quantity(1, "g"), None, [])).dose is None  # grams sold: no per-piece strength


def test_vial_strength_sells_one_vial_and_moves_the_base_tier(extractor: Extractor) -> None:
    r = _reading(extractor, "Tirz 10mg", "Tirzepatide vial, research use")
    tier = Tier(Quantity(10, "mg"), Price(90, "USD"), True)
    a = vial_strength(r, Amount(Quantity(10, "mg"), None, [tier]))
    assert (a.quantity, a.dose) == (Quantity(1, "unit"), Quantity(10, "mg"))
    assert a.tiers[0].quantity == Quantity(1, "unit") and a.tiers[0].price == Price(90, "USD")
    powder = _reading(extractor, "Tirz 10mg", "Tirzepatide vial or powder")
    assert vial_strength(powder, Amount(Quantity(10, "mg"), None, [])).quantity == Quantity(10, "mg")


def test_pieces_in_an_unpriced_description_are_the_amount(extractor: Extractor) -> None:
    r = _reading(extractor, "Таблы МДМА 250mg", "2 шт, Москва", lang="ru")
    a = pieces_in_description(r, Amount(Quantity(250, "mg"), None, []))
    assert (a.quantity, a.dose) == (Quantity(2, "unit"), Quantity(250, "mg"))
    priced = _reading(extractor, "Таблы МДМА 250mg", "2 шт — 3000 руб", lang="ru")
    assert pieces_in_description(priced, Amount(Quantity(250, "mg"), None, [])).quantity == Quantity(250, "mg")


def test_no_drug_amount_clears_amount_dose_and_tiers(extractor: Extractor) -> None:
    r = _reading(extractor, "Digital scale 0.01g", non_drug=True)
    a = no_drug_amount(r, Amount(Quantity(0.01, "g"), Quantity(1, "mg"), [Tier(Quantity(0.01, "g"), None)]))
    assert (a.quantity, a.dose, a.tiers) == (None, None, [])


def test_one_blotter_needs_a_price_and_no_lone_number(extractor: Extractor) -> None:
    r = _reading(extractor, "ЛСД 250мкг", lang="ru")
    assert one_blotter(r, Amount(None, Quantity(250, "ug"), [], Price(2500, "RUB"))).quantity == Quantity(1, "unit")
    assert one_blotter(r, Amount(None, Quantity(250, "ug"), [], None)).quantity is None
    counted = _reading(extractor, "3 LSD 250ug")
    assert one_blotter(counted, Amount(None, Quantity(250, "ug"), [], Price(30, "USD"))).quantity is None


def test_concentration_and_named_strength(extractor: Extractor) -> None:
    r = _reading(extractor, "Ostarine liquid 30ml", "25mg/ml, lab tested")
    assert concentration(r, Amount(Quantity(30, "ml"), None, [])).dose == Quantity(25, "mg")
    sus = _reading(extractor, "Sustanon 250", "10ml vial")
    a = settle(AFTER_PRICE, sus, Amount(Quantity(10, "ml"), None, [], Price(45, "USD")))
    assert a.dose == Quantity(250, "mg")
    assert bare_strength("RAD 140 liquid", sus.subs) is None  # no pharmaceutical of a strength class named there


def test_priced_tiers_keeps_a_per_unit_price_and_fills_the_base_tier() -> None:
    ten = Quantity(10, "unit")
    choice = PriceChoice(Price(15, "EUR"), ten, Price(1.5, "EUR"), "unit")
    a = priced_tiers(Amount(ten, None, [], Price(15, "EUR")), choice)
    assert a.tiers == [Tier(ten, Price(15, "EUR"), True, None, Price(1.5, "EUR"), "unit")]
    bare = priced_tiers(Amount(ten, None, [Tier(ten, None, True)], Price(80, "USD")), PriceChoice(Price(80, "USD"), ten))
    assert bare.tiers[0].price == Price(80, "USD")
    other = priced_tiers(Amount(ten, None, [Tier(Quantity(5, "unit"), None, True)], Price(80, "USD")),
                         PriceChoice(Price(80, "USD"), ten))  # fmt: skip
    assert other.tiers[0].price is None  # a base tier of another amount is not this price's


def test_count_without_substance_is_no_quantity(extractor: Extractor) -> None:
    r = _reading(extractor, "Concert tickets x2")
    assert not r.subs
    assert count_without_substance(r, Amount(Quantity(2, "unit"), None, [])).quantity is None
    shown = _reading(extractor, "Concert tickets x2", shown=Quantity(2, "unit"))
    assert count_without_substance(shown, Amount(Quantity(2, "unit"), None, [])).quantity == Quantity(2, "unit")

