"""extractors/offers.py: the simple-shape route ("1 g — USD 141.00", "USD 12.30") answers as the general rules do."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from onionwatch.extractors import offers
from onionwatch.extractors.offers import Offer, offer_prices, parse_offer
from onionwatch.extractors.prices import find_prices
from onionwatch.extractors.quantities import find_quantities, mark_doses
from onionwatch.extractors.text import normalize
from onionwatch.extractors.tiers import build_tiers

AMOUNTS = ["1", "0.5", "3.5", "28", "100", "999", "0.25", "12.5", "1000", "1900", "0", "01", "1.000"]
UNITS = ["g", "gr", "kg", "oz", "ml", "G", "mg", "г"]
SEPS = ["—", "–", "-", ":", "=", "--"]
CODES = ["USD", "EUR", "GBP", "RUB", "KZT", "usd", "BTC"]
SYMS = ["$", "€", "£", "₽", "₸", "฿"]
NUMBERS = ["1", "12.30", "141.00", "999999", "60", "0.5", "1.5", "100000", "1.000", "12.3", "1000000", "0"]
HINTS = [None, "USD", "RUB", "BYN", "KZT", "EUR"]


def general(text: str, hint: str | None, lang: str) -> Offer:
    """parse_offer by the general rules alone (what it did before the simple-shape route)."""
    clean = normalize(text)
    qs = find_quantities(clean)
    mark_doses(qs, clean)
    ps = find_prices(clean, hint or ("RUB" if lang == "ru" else None))
    return Offer(qs, ps, build_tiers(qs, ps, hint))


def prices_general(text: str, hint: str | None, lang: str) -> list:
    return find_prices(normalize(text), hint or ("RUB" if lang == "ru" else None))


def price_forms(number: str) -> list[str]:
    return [*(f"{c} {number}" for c in CODES), *(f"{c}{number}" for c in CODES), *(f"{s}{number}" for s in SYMS),
            *(f"{s} {number}" for s in SYMS), f"{number} USD", f"{number}$"]  # fmt: skip


def test_every_amount_unit_and_dash() -> None:
    for amount, unit, sep, space in itertools.product(AMOUNTS, UNITS, SEPS, ["", " "]):
        for line in (f"{amount}{space}{unit} {sep} USD 141.00", f"{amount}{space}{unit}{sep}$60"):
            for hint, lang in (("USD", "en"), (None, "en"), ("BYN", "ru")):
                assert parse_offer(line, hint, lang) == general(line, hint, lang), (line, hint)


def test_every_price_form() -> None:
    for number in NUMBERS:
        for form in price_forms(number):
            for hint, lang in itertools.product(HINTS, ["en", "ru"]):
                assert offer_prices(form, hint, lang) == prices_general(form, hint, lang), (form, hint)
                line = f"3.5 g — {form}"
                assert parse_offer(line, hint, lang) == general(line, hint, lang), (line, hint)


@settings(max_examples=1500, deadline=None)
@given(st.sampled_from(AMOUNTS), st.sampled_from(UNITS), st.sampled_from(["", " ", "  "]), st.sampled_from(SEPS),
       st.sampled_from(["", " "]), st.sampled_from(NUMBERS), st.integers(0, 19), st.sampled_from(HINTS),
       st.sampled_from(["en", "ru"]), st.sampled_from(["", " ", "\u00a0", " each", "/g", " shipped", "."]))  # fmt: skip
def test_generated_lines(amount: str, unit: str, sp1: str, sep: str, sp2: str, number: str, form: int,
                         hint: str | None, lang: str, tail: str) -> None:  # fmt: skip
    price = price_forms(number)[form % len(price_forms(number))]
    line = f"{amount}{sp1}{unit}{sp2}{sep}{sp2}{price}{tail}"
    assert parse_offer(line, hint, lang) == general(line, hint, lang), (line, hint, lang)
    assert offer_prices(price + tail, hint, lang) == prices_general(price + tail, hint, lang)


def test_the_simple_route_is_taken() -> None:
    # the shapes market software prints do not reach the general rules (the speed this route is for)
    assert offers._SIMPLE_LINE.fullmatch("1 g — USD 141.00")
    assert offers._SIMPLE_LINE.fullmatch("3.5g - $60")
    assert offers._SIMPLE_PRICE.fullmatch("USD 12.30")
    assert not offers._SIMPLE_LINE.fullmatch("1 g — USD 141.00 + shipping")
    offer = parse_offer("1 g — USD 141.00", "USD")
    assert [(q.value, q.unit, q.start, q.end) for q in offer.quantities] == [(1.0, "g", 0, 3)]
    assert [(p.amount, p.currency, p.start, p.end) for p in offer.prices] == [(141.0, "USD", 6, 16)]
