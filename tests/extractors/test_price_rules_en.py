"""The English price and quantity rules of issue 14 (README "Prices"), each with cases it applies to and cases
it leaves alone: shipping/old prices/savings, K without a currency, crypto next to fiat, per-piece prices over an
amount, "half O", spaced count lists, a title's milligrams with pieces in the description."""

from __future__ import annotations

import pytest

from onionwatch.crawler.items import RawListing
from onionwatch.extractors.listing_fields import text_price
from onionwatch.extractors.pipeline import Extractor
from onionwatch.extractors.prices import find_prices
from onionwatch.extractors.quantities import find_quantities
from onionwatch.extractors.records import Price, Quantity
from onionwatch.extractors.tiers import TierMention, pick_price, resolve_tier


def raw(title: str, description: str = "", price_text: str = "", currency: str | None = "USD") -> RawListing:
    return RawListing(market="m", listing_id="1", url="", title=title, description=description,
                      price_text=price_text, lang="en", currency=currency)  # fmt: skip


# ----------------------------------------------------------------------------- shipping, old prices, savings
@pytest.mark.parametrize(
    ("text", "aside"),
    [
        ("Shipping $12 worldwide. Price $90", [True, False]),
        ("$70 + $15 shipping", [False, True]),
        ("Express shipping +$25. 10g for $120", [True, False]),
        ("was $600 now $520", [True, False]),
        ("Regular price $450, now $399", [True, False]),
        ("$850 (was $950)", [False, True]),
        ("Save $100! Only $600", [True, False]),
        ("Free shipping over $100, 1g $80", [True, False]),
    ],
)
def test_shipping_old_prices_and_savings_are_aside(text: str, aside: list[bool]) -> None:
    assert [p.aside for p in find_prices(text, "USD")] == aside


@pytest.mark.parametrize(
    "text",
    ["$70 shipped", "free shipping $45", "Price incl. shipping $85", "1g $80, 2g $150", "$45 shipping included",
     "Fast delivery, price $80"],
)  # fmt: skip
def test_goods_prices_are_not_aside(text: str) -> None:
    assert [p.aside for p in find_prices(text, "USD")] == [False] * len(find_prices(text, "USD"))
    assert find_prices(text, "USD")


@pytest.mark.parametrize(
    ("title", "description", "want"),
    [
        ("Cocaine 1g", "Shipping $12 worldwide. Price $90", Price(90.0, "USD")),
        ("Weed 7g", "Express shipping +$20. 7g for $60", Price(60.0, "USD")),
        ("MDMA 5g", "now $150 (was $190)", Price(150.0, "USD")),
        ("Ketamine 5g", "Save $40! Only $160", Price(160.0, "USD")),
        ("Ketamine 5g", "$160 + $10 postage", Price(160.0, "USD")),
    ],
)
def test_text_and_listing_price_skip_aside(extractor: Extractor, title: str, description: str, want: Price) -> None:
    assert extractor.extract(f"{title}\n{description}").price == want
    assert extractor.listing(raw(title, description)).price == want


def test_only_a_shipping_price_prices_nothing(extractor: Extractor) -> None:
    assert extractor.extract("Cocaine 1g\nShipping $12 worldwide").price is None


# ----------------------------------------------------------------------------- K only next to a currency
@pytest.mark.parametrize("text", ["Weed 1 oz, 10k+ sales", "Coke 1g 1k", "MDMA 10g, over 5k orders"])
def test_english_k_without_currency_is_no_price(text: str) -> None:
    assert find_prices(text, "USD") == []


@pytest.mark.parametrize(
    ("text", "default", "amount", "currency"),
    [("Coke 28g $1.2k", "USD", 1200.0, "USD"), ("Weed 1 lb 2.1K USD", "USD", 2100.0, "USD"),
     ("Меф 1г 12k", "KZT", 12000.0, "KZT"), ("Меф 1г 12к", "RUB", 12000.0, "RUB")],
)  # fmt: skip
def test_k_next_to_a_currency_or_in_russian_text_is_a_price(
    text: str, default: str, amount: float, currency: str
) -> None:
    [p] = find_prices(text, default)
    assert (p.amount, p.currency) == (amount, currency)


# ----------------------------------------------------------------------------- crypto next to fiat
def test_crypto_shown_first_gives_way_to_fiat(extractor: Extractor) -> None:
    assert extractor.extract("Cocaine 3.5g\n0.0042 BTC ($250)").price == Price(250.0, "USD")
    assert extractor.listing(raw("Cocaine 3.5g", "0.0042 BTC ($250)")).price == Price(250.0, "USD")
    ps = find_prices("0.01 BTC / £80 / $100")
    assert pick_price(ps, "USD") is not None and pick_price(ps, "USD").currency == "USD"  # type: ignore[union-attr]


def test_crypto_alone_or_on_a_crypto_market_stays(extractor: Extractor) -> None:
    assert extractor.extract("Cocaine 1g\n0.0012 BTC").price == Price(0.0012, "BTC")
    assert extractor.extract("MDMA 5g\n$150 / 0.0018 BTC").price == Price(150.0, "USD")
    ps = find_prices("0.0012 BTC (USD 45.00)")
    assert pick_price(ps, "BTC") is ps[0]


# ----------------------------------------------------------------------------- per-piece price over an amount
@pytest.mark.parametrize(
    ("text", "quantity", "price"),
    [("Live resin carts 1g $35/ea", Quantity(1.0, "g"), Price(35.0, "USD")),
     ("Shroom bar 4g, $40 per bar", Quantity(4.0, "g"), Price(40.0, "USD")),
     ("Vape 0.5ml $20 each", Quantity(0.5, "ml"), Price(20.0, "USD"))],
)  # fmt: skip
def test_per_piece_price_over_a_mass_keeps_the_amount(
    extractor: Extractor, text: str, quantity: Quantity, price: Price
) -> None:
    x = extractor.extract(text)
    assert (x.quantity, x.price) == (quantity, price)


def test_per_piece_price_with_a_count_or_alone_is_unchanged(extractor: Extractor) -> None:
    x = extractor.extract("100x Xanax 2mg bars $2 each")
    assert (x.quantity, x.price) == (Quantity(100.0, "unit"), Price(200.0, "USD"))
    x = extractor.extract("Cocaine $85/g")
    assert (x.quantity, x.price) == (Quantity(1.0, "g"), Price(85.0, "USD"))
    [p] = find_prices("$6 each", "USD")
    assert resolve_tier(TierMention(None, p)).quantity == Quantity(1.0, "unit")


@pytest.mark.parametrize(
    ("title", "description", "price_text"),
    [("Valium 10mg", "$1.5/ea", ""), ("Oxycontin 80mg", "$65/pill", ""), ("Xanax 2mg", "Pfizer", "$3/bar")],
)
def test_listing_per_piece_price_over_milligrams_is_one_piece(
    extractor: Extractor, title: str, description: str, price_text: str
) -> None:
    li = extractor.listing(raw(title, description, price_text))
    assert li.quantity == Quantity(1.0, "unit")
    assert li.dose is not None and li.dose.unit == "mg"


def test_listing_per_gram_price_over_grams_is_multiplied() -> None:
    li = Extractor(model=False).listing(raw("Cocaine 5g", price_text="$60/g"))
    assert (li.quantity, li.price) == (Quantity(5.0, "g"), Price(300.0, "USD"))


# ----------------------------------------------------------------------------- a title's mg, pieces below
def test_title_milligrams_with_pieces_in_the_description_is_a_dose(extractor: Extractor) -> None:
    li = extractor.listing(raw("Oxycodone 30mg M30", "10 pills $250"))
    assert (li.quantity, li.dose, li.price) == (Quantity(10.0, "unit"), Quantity(30.0, "mg"), Price(250.0, "USD"))


def test_title_milligrams_without_pieces_stay_the_amount(extractor: Extractor) -> None:
    li = extractor.listing(raw("DMT 500mg", "$60"))
    assert (li.quantity, li.price) == (Quantity(500.0, "mg"), Price(60.0, "USD"))


# ----------------------------------------------------------------------------- "half O", count lists
@pytest.mark.parametrize("text", ["Shrooms half O $80", "Weed half an O", "OG - half-O"])
def test_half_o_is_half_an_ounce(text: str) -> None:
    assert [(q.value, q.unit) for q in find_quantities(text)] == [(0.5, "oz")]


@pytest.mark.parametrize("text", ["half o", "half OG Kush", "half Oreo cookie"])
def test_half_o_left_alone(text: str) -> None:
    assert find_quantities(text) == []


def test_half_o_and_its_grams_are_one_amount(extractor: Extractor) -> None:
    x = extractor.extract("OG Kush - half O\n14g of fire, $110")
    assert (x.quantity, x.price) == (Quantity(0.5, "oz"), Price(110.0, "USD"))


def test_spaced_count_list_pairs_with_its_prices(extractor: Extractor) -> None:
    assert [q.value for q in find_quantities("10 / 30 / 100 pills") if q.kind == "count"] == [10.0, 30.0, 100.0]
    x = extractor.extract("Alprazolam 2mg - 10 / 30 / 100 pills\n$25 / $65 / $180")
    assert (x.quantity, x.price) == (Quantity(10.0, "unit"), Price(25.0, "USD"))


@pytest.mark.parametrize("text", ["1/2 tab", "10/20 pills"])
def test_unspaced_slash_is_no_count_list(text: str) -> None:
    assert 1.0 not in [q.value for q in find_quantities(text) if q.kind == "count"]
    assert 10.0 not in [q.value for q in find_quantities(text) if q.kind == "count"]


# ----------------------------------------------------------------------------- denominations, money listings
def test_brand_gift_card_face_value_is_no_price() -> None:
    assert [p.amount for p in find_prices("$500 Amazon gift card, only $90")] == [90.0]
    assert [p.amount for p in find_prices("$50 Steam voucher for $20")] == [20.0]


def test_amount_before_a_card_word_elsewhere_is_a_price() -> None:
    assert [p.amount for p in find_prices("Cocaine 1g $80, card payments welcome")] == [80.0]


def test_counterfeit_price_for_n_notes(extractor: Extractor) -> None:
    li = extractor.listing(raw("Fake 20 EUR notes 100 pcs", "€300 for 100 notes", currency="EUR"))
    assert li.price == Price(300.0, "EUR")
    assert text_price(find_prices("€300 of 20s"), "€300 of 20s", money=True) is None


# ----------------------------------------------------------------------------- a strength before its container
@pytest.mark.parametrize("text", ["BPC-157 5mg vial $35", "Semaglutide 5mg pen $120", "TB-500 2 mg vials $40"])
def test_milligrams_before_a_vial_or_pen_are_one_container(extractor: Extractor, text: str) -> None:
    x = extractor.extract(text)
    assert x.quantity == Quantity(1.0, "unit") and x.dose is not None and x.dose.unit == "mg"


@pytest.mark.parametrize(
    ("text", "quantity"),
    [("5 vials BPC-157 5mg $150", Quantity(5.0, "unit")), ("Test E 250mg/ml 10ml vial $45", Quantity(10.0, "ml")),
     ("Ketamine 500mg $40", Quantity(500.0, "mg"))],
)  # fmt: skip
def test_container_rule_leaves_counts_and_volumes(extractor: Extractor, text: str, quantity: Quantity) -> None:
    assert extractor.extract(text).quantity == quantity


@pytest.mark.parametrize(
    ("text", "aside"),
    [
        ("Flakka-like, fast delivery. $35/g", [False]),  # issue 14, en_dev2026: the delivery sentence ended
        ("Fast delivery! Price $80", [False]),
        ("Express delivery $15. Price $80", [True, False]),  # still shipping when the price follows it
        ("Shipping: $10", [True]),
    ],
)
def test_a_delivery_sentence_ends_before_the_price(text: str, aside: list[bool]) -> None:
    assert [p.aside for p in find_prices(text, "USD")] == aside


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("50 notes, £150", 150.0),  # issue 14, en_dev2026: the price of the counted notes
        ("Pack of 20 notes. 0.004 BTC", 0.004),
        ("Pack of 10 notes", None),
        ("Notes of £20, pack of 50", None),  # a face value stays no price
    ],
)
def test_counterfeit_notes_priced_after_their_count(text: str, amount: float | None) -> None:
    currency = "GBP" if "£" in text else "USD"
    p = text_price(find_prices(text, currency), text, money=True)
    assert (p.amount if p else None) == amount
