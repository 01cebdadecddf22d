"""Golden tests of the price and quantity rules of issue 14 (README "Prices"), EN and RU, through the real
extractor: currency order, per-unit prices, K suffixes, the base tier, denominations, street quantities."""

from __future__ import annotations

import pytest

from onionwatch.crawler.items import RawListing
from onionwatch.extractors.pipeline import Extractor
from onionwatch.extractors.prices import find_prices
from onionwatch.extractors.quantities import find_quantities
from onionwatch.extractors.records import Price, Quantity
from onionwatch.extractors.tiers import build_tiers, resolve_tier


def raw(title: str, description: str = "", location: str | None = None, price_text: str = "",
        currency: str | None = None, lang: str = "en") -> RawListing:  # fmt: skip
    return RawListing(market="m", listing_id="1", url="", title=title, description=description,
                      price_text=price_text, location=location, lang=lang, currency=currency)  # fmt: skip


def q(value: float, unit: str) -> Quantity:
    return Quantity(value, unit)


# ----------------------------------------------------------------------------- 1. currency order
@pytest.mark.parametrize(
    ("title", "description", "location", "price_text", "want"),
    [
        ("Меф 1г", "Кристаллы, клад. 12к", "Алматы / Алмалинский р-н", "", Price(12000.0, "KZT")),
        ("Шишки 1г", "", "Алматы", "12к", Price(12000.0, "KZT")),
        ("Шишки 1г", "", "Бишкек", "2500", Price(2500.0, "KGS")),
        ("Меф 1г", "", "Ташкент", "150 000", Price(150000.0, "UZS")),
        ("Меф 1г", "", "Москва / ЦАО", "2500", Price(2500.0, "RUB")),
        ("Меф 1г", "", "Минск", "90", Price(90.0, "BYN")),
        ("Меф 1г", "", "Тбилиси", "150", Price(150.0, "GEL")),
        # an explicit symbol or word wins over the city's country
        ("Меф 1г", "", "Алматы", "12 000 ₽", Price(12000.0, "RUB")),
        ("Меф 1г", "", "Москва", "15 000 тг", Price(15000.0, "KZT")),
        # no city: the market's default
        ("Меф 1г", "", None, "12к", Price(12000.0, "RUB")),
    ],
)
def test_currency_symbol_then_city_then_market(
    extractor: Extractor, title: str, description: str, location: str | None, price_text: str, want: Price
) -> None:
    li = extractor.listing(raw(title, description, location, price_text, "RUB", "ru"))
    assert li.price == want


def test_city_named_in_the_text_of_a_russian_or_marketless_listing(extractor: Extractor) -> None:
    tg = extractor.listing(raw("Алматы: меф 1г — 15 000, 2г — 28 000", "шишки 1г — 9 000", lang="ru"))
    assert (tg.quantity, tg.price) == (q(1, "g"), Price(15000.0, "KZT"))
    klad = extractor.listing(raw("Меф 1г 12к", "Клад. Бишкек, Октябрьский р-н", currency="RUB", lang="ru"))
    assert klad.price == Price(12000.0, "KGS")
    # an English market's default is kept whatever city its text names
    en = extractor.listing(raw("Cocaine 1g", "Ships from Berlin", price_text="45.00", currency="USD"))
    assert en.price == Price(45.0, "USD")


def test_roubles_in_belarus_are_belarusian(extractor: Extractor) -> None:
    assert [(p.amount, p.currency) for p in find_prices("85 руб, 3к р.", "BYN")] == [(85.0, "BYN"), (3000.0, "BYN")]
    assert [(p.amount, p.currency) for p in find_prices("85₽ / 85 RUB", "BYN")] == [(85.0, "RUB"), (85.0, "RUB")]
    li = extractor.listing(raw("Шишки 1г", "Клад, 85 руб", "Минск / Советский р-н", currency="RUB", lang="ru"))
    assert li.price == Price(85.0, "BYN")
    assert extractor.listing(raw("Шишки 1г", "Клад, 850 руб", "Москва", currency="RUB", lang="ru")).price == Price(
        850.0, "RUB"
    )


def test_explicit_pound_is_never_the_market_default(extractor: Extractor) -> None:
    assert extractor.listing(raw("Cocaine 1g", "UK stock", price_text="£80", currency="USD")).price == Price(
        80.0, "GBP"
    )
    # the field shows a bare number, the title the same amount in pounds
    li = extractor.listing(raw("Cocaine 1g £80", "UK stock", price_text="80.00", currency="USD"))
    assert li.price == Price(80.0, "GBP")
    assert extractor.extract("UK Cocaine 1g £80 (approx $100)").price == Price(80.0, "GBP")


def test_crypto_shown_first_gives_way_to_the_market_currency(extractor: Extractor) -> None:
    li = extractor.listing(raw("MDMA 1g", price_text="0.0012 BTC (USD 45.00)", currency="USD"))
    assert li.price == Price(45.0, "USD")


# ----------------------------------------------------------------------------- 2. per-unit prices
@pytest.mark.parametrize(
    ("text", "quantity", "price", "unit_price"),
    [
        ("LSD 150ug blotters €4/blotter", q(1, "unit"), Price(4.0, "EUR"), Price(4.0, "EUR")),
        ("100x LSD blotters 150ug - €4/blotter", q(100, "unit"), Price(400.0, "EUR"), Price(4.0, "EUR")),
        ("Xanax 2mg bars $2.5/ea", q(1, "unit"), Price(2.5, "USD"), Price(2.5, "USD")),
        ("100 Xanax 2mg pills, $3 each", q(100, "unit"), Price(300.0, "USD"), Price(3.0, "USD")),
        ("10 MDMA pills 10$ per pill", q(10, "unit"), Price(100.0, "USD"), Price(10.0, "USD")),
        ("Cocaine 5g at $90/g", q(5, "g"), Price(450.0, "USD"), Price(90.0, "USD")),
        ("Соль по 1500 за грамм", q(1, "g"), Price(1500.0, "RUB"), Price(1500.0, "RUB")),
        ("Меф 5г по 1500 за грамм", q(5, "g"), Price(7500.0, "RUB"), Price(1500.0, "RUB")),
        ("Экстази 10 шт по 1500 за шт", q(10, "unit"), Price(15000.0, "RUB"), Price(1500.0, "RUB")),
    ],
)
def test_per_unit_price_multiplied_out_and_kept(
    extractor: Extractor, text: str, quantity: Quantity, price: Price, unit_price: Price
) -> None:
    e = extractor.extract(text)
    assert (e.quantity, e.price) == (quantity, price)
    assert e.tiers[0].unit_price == unit_price
    assert e.tiers[0].unit_price_per == quantity.unit


def test_per_unit_price_field_uses_the_title_count(extractor: Extractor) -> None:
    li = extractor.listing(raw("100x Xanax 2mg bars", price_text="$3 each", currency="USD"))
    assert (li.quantity, li.price) == (q(100, "unit"), Price(300.0, "USD"))
    assert li.tiers[0].unit_price == Price(3.0, "USD")
    assert li.price_per_unit_usd == 3.0
    li = extractor.listing(raw("Xanax 2mg bars", price_text="$2.5/ea", currency="USD"))
    assert (li.quantity, li.price, li.dose) == (q(1, "unit"), Price(2.5, "USD"), q(2, "mg"))


def test_resolve_tier_leaves_other_units_alone() -> None:
    text = "1 oz for $50/g"
    t = build_tiers(find_quantities(text), find_prices(text))[0]
    r = resolve_tier(t)  # grams priced, an ounce offered: not multiplied across units
    assert (r.quantity, r.price, r.per) == (q(1, "g"), Price(50.0, "USD"), "g")


# ----------------------------------------------------------------------------- 3. K suffixes
@pytest.mark.parametrize(
    ("text", "default", "want"),
    [
        ("Шишки 1г — 15к", "RUB", [(15000.0, "RUB")]),
        ("Шишки 1г 12к₸", None, [(12000.0, "KZT")]),
        ("Альфа 1г 12 тыс руб", None, [(12000.0, "RUB")]),
        ("Cocaine 1oz $1.2k", None, [(1200.0, "USD")]),
        ("Меф 12к за 1г", "KZT", [(12000.0, "KZT")]),
        ("Instagram 10K followers $25", "USD", [(25.0, "USD")]),
        ("TikTok 5k views - $3", "USD", [(3.0, "USD")]),
        ("100k leads email list $1.2k", "USD", [(1200.0, "USD")]),
        ("followers: 10k", "USD", []),
        ("10к подписчиков инстаграм 500 руб", "RUB", [(500.0, "RUB")]),
        ("Просмотры 50к — 300 руб", "RUB", [(300.0, "RUB")]),
        # one tier per line: the product named on the next line is no noun after the "к" (issue 14)
        ("Меф 0,5г — 7к\nМеф 1г — 13к", "KZT", [(7000.0, "KZT"), (13000.0, "KZT")]),
        ("10к подписчиков\nцена 500 руб", "RUB", [(500.0, "RUB")]),  # the noun on the same line still counts
    ],
)
def test_k_suffix_only_where_a_price_stands(text: str, default: str | None, want: list[tuple[float, str]]) -> None:
    assert [(p.amount, p.currency) for p in find_prices(text, default)] == want


# ----------------------------------------------------------------------------- 4. the base tier
@pytest.mark.parametrize(
    ("text", "quantity", "price"),
    [
        ("Weed 1g $10 | 3.5g $30 | 7g $55", q(1, "g"), Price(10.0, "USD")),
        ("Weed $10 for 1g, $30 for 3.5g, $55 for 7g", q(1, "g"), Price(10.0, "USD")),
        ("Weed 1g/3.5g/7g - $10/$30/$55", q(1, "g"), Price(10.0, "USD")),
        ("Weed 7g $55 | 3.5g $30 | 1g $10", q(7, "g"), Price(55.0, "USD")),
        ("Меф 1г — 2500р, 2г — 4500р, 5г — 10000р", q(1, "g"), Price(2500.0, "RUB")),
        ("Меф 2500р за 1г, 4500р за 2г", q(1, "g"), Price(2500.0, "RUB")),
        ("Меф 5г — 10000р, 2г — 4500р, 1г — 2500р", q(5, "g"), Price(10000.0, "RUB")),
    ],
)
def test_base_tier_is_the_first_written(extractor: Extractor, text: str, quantity: Quantity, price: Price) -> None:
    e = extractor.extract(text)
    assert (e.quantity, e.price) == (quantity, price)
    assert [t.base for t in e.tiers] == [True] + [False] * (len(e.tiers) - 1)


def test_two_listings_written_the_same_way_pick_the_same_tier(extractor: Extractor) -> None:
    a = extractor.listing(raw("Weed 1g $10, 3.5g $30", currency="USD"))
    b = extractor.listing(raw("Hash 1g $12, 3.5g $35", currency="USD"))
    assert (a.quantity, a.price, b.quantity, b.price) == (q(1, "g"), Price(10.0, "USD"), q(1, "g"), Price(12.0, "USD"))
    # title ladders and tier lines agree: both start at the first line
    lines = RawListing(market="m", listing_id="2", url="", title="Weed", description="", price_text="",
                       lang="en", currency="USD", tiers=["1g - $10", "3.5g - $30", "7g - $55"])  # fmt: skip
    assert extractor.listing(lines).quantity == q(1, "g")
    assert extractor.listing(lines).price == Price(10.0, "USD")


# ----------------------------------------------------------------------------- 5. denominations
@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("50 x 20€ notes counterfeit - $150", Price(150.0, "USD")),
        ("counterfeit 20 euro notes x50 - price $150", Price(150.0, "USD")),
        ("$100 bills prop money, 10 pcs for $30", Price(30.0, "USD")),
        ("Amazon gift card $100 for $40", Price(40.0, "USD")),
        ("Counterfeit 50 EUR notes x20", None),
        ("Фальшивые купюры 5000 ₽ x 10 шт — цена 15000 руб", Price(15000.0, "RUB")),
        ("Купюры номиналом 1000 ₽, 20 штук", None),
    ],
)
def test_denomination_is_never_the_price(extractor: Extractor, text: str, want: Price | None) -> None:
    e = extractor.extract(text)
    assert e.price == want
    assert e.quantity is None


def test_counterfeit_listing_priced_from_its_price_field_only(extractor: Extractor) -> None:
    notes = raw("Counterfeit 50 EUR notes x20", "Top quality prop 50€ notes, pass the pen test", currency="USD")
    assert extractor.listing(notes).price is None
    priced = raw("Counterfeit 50 EUR notes x20", "Top quality", price_text="$120", currency="USD")
    assert extractor.listing(priced).price == Price(120.0, "USD")
    card = raw("Amazon gift card $100", "Price: $40, delivered by email", currency="USD")
    assert extractor.listing(card).price == Price(40.0, "USD")
    followers = raw("Instagram 10K followers", "Real accounts", price_text="25", currency="USD")
    assert extractor.listing(followers).price == Price(25.0, "USD")


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Цена: 15 000", [(15000.0, "KZT")]),
        ("Стоимость 18000. Магнит", [(18000.0, "KZT")]),
        ("1г — 15 000, 2г — 28 000", [(15000.0, "KZT"), (28000.0, "KZT")]),
        ("Price: 120", [(120.0, "KZT")]),
        ("1г — 2 шт", []),
        ("Цена 50%", []),
        ("price: 2g", []),
    ],
)
def test_bare_amount_where_only_a_price_stands(text: str, want: list[tuple[float, str]]) -> None:
    assert [(p.amount, p.currency) for p in find_prices(text, "KZT")] == want
    assert find_prices(text) == []  # no default currency: no bare price


def test_description_price_skips_shipping(extractor: Extractor) -> None:
    li = extractor.listing(raw("MDMA 1g", "Shipping $10 worldwide. Dutch crystals $45", currency="USD"))
    assert li.price == Price(45.0, "USD")


# ----------------------------------------------------------------------------- 6. quantities and doses
@pytest.mark.parametrize(
    ("text", "quantity", "dose"),
    [
        ("1/8 oz OG Kush weed $45", q(0.125, "oz"), None),
        ("an eighth of white widow weed $40", q(0.125, "oz"), None),
        ("half oz Blue Dream bud $120", q(0.5, "oz"), None),
        ("qp purple haze weed $600", q(4, "oz"), None),
        ("1 zip of kush weed $200", q(1, "oz"), None),
        ("1000x ecstasy pills 120mg $1500", q(1000, "unit"), q(120, "mg")),
        ("10 tabs acid 200ug $60", q(10, "unit"), q(200, "ug")),
        ("Tramadol 100mg x 10 pills $30", q(10, "unit"), q(100, "mg")),
        ("Меф 0,5г 1500 руб", q(0.5, "g"), None),
        ("Гашиш пол грамма 1500р", q(0.5, "g"), None),
        ("Шишки 1гр 3000р", q(1, "g"), None),
        ("Меф 1 кг 300 тыс руб", q(1000, "g"), None),
        ("Экстази 2 шт 3000 ₽", q(2, "unit"), None),
        ("ЛСД 10 марок 12 000 р.", q(10, "unit"), None),
        ("2 ecstasy 💊Tekashi💊 260mg mdma", q(2, "unit"), q(260, "mg")),
        ("Бупренорфин 1 грами", q(1, "g"), None),
    ],
)
def test_quantities_and_doses(extractor: Extractor, text: str, quantity: Quantity, dose: Quantity | None) -> None:
    e = extractor.extract(text)
    assert (e.quantity, e.dose) == (quantity, dose)


def test_hostile_price_text_survives() -> None:
    junk = ("10к " * 20_000) + ("$" * 10_000) + ("по 1 за грамм " * 5_000) + "50 x 20€ notes " * 2_000
    assert isinstance(find_prices(junk, "RUB"), list)


@pytest.mark.parametrize(
    ("title", "description", "price_text", "quantity", "price"),
    [
        # "2,5 тыс. за грамм" is a price per gram (2,500), not 2.5 g: one gram at that price (README "Prices" 2.)
        ("Мефедрон", "2,5 тыс. за грамм, клад", "", q(1.0, "g"), Price(2500.0, "RUB")),
        ("Мефедрон 2,5 тыс. за грамм", "", "", q(1.0, "g"), Price(2500.0, "RUB")),
        ("Мефедрон", "", "2,5 тыс. за грамм", q(1.0, "g"), Price(2500.0, "RUB")),
        ("Мефедрон", "2.5к за грамм", "", q(1.0, "g"), Price(2500.0, "RUB")),
        ("Мефедрон", "3 тыс/г", "", q(1.0, "g"), Price(3000.0, "RUB")),
        # with a written amount the per-gram price is multiplied out
        ("Мефедрон 2г", "2,5 тыс. за грамм", "", q(2.0, "g"), Price(5000.0, "RUB")),
        # a klad label's bare weight still is a weight
        ("Мефедрон 0,5", "", "2500", q(0.5, "g"), Price(2500.0, "RUB")),
    ],
)
def test_thousands_per_gram_is_a_price_not_an_amount(
    extractor: Extractor, title: str, description: str, price_text: str, quantity: Quantity, price: Price
) -> None:
    li = extractor.listing(raw(title, description, "Москва / ЦАО", price_text, "RUB", "ru"))
    assert (li.quantity, li.price) == (quantity, price)


# ----------------------------------------------------------------------------- 5. klad listings (RU)
@pytest.mark.parametrize(
    ("title", "description", "location", "quantity", "price"),
    [
        # a bare amount after "за" in the title, in the city's currency
        ("Меф 0.5г за 7 000", "клад", "Алматы", q(0.5, "g"), Price(7000.0, "KZT")),
        ("Шишки 1г за 2 500", "клад", "Москва", q(1, "g"), Price(2500.0, "RUB")),
        # the title's amount picks its own tier among the description's
        ("Меф 2г", "1г - 12к, 2г - 22к", "Алматы", q(2, "g"), Price(22000.0, "KZT")),
        ("Меф 1г", "1г - 12к, 2г - 22к", "Алматы", q(1, "g"), Price(12000.0, "KZT")),
        ("Меф", "1г - 12к, 2г - 22к", "Алматы", q(1, "g"), Price(12000.0, "KZT")),  # none named: the first
        # negative: "за" before a duration or a count is no price
        ("Меф 1г за 2 дня", "клад", "Алматы", q(1, "g"), None),
    ],
)
def test_klad_title_prices(
    extractor: Extractor, title: str, description: str, location: str, quantity: Quantity, price: Price | None
) -> None:
    got = extractor.listings([raw(title, description, location, currency="RUB", lang="ru")])[0]
    assert (got.quantity, got.price) == (quantity, price)


# ----------------------------------------------------------------------------- wages in job ads (issue 14)
@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Вакансия: оператор бота, оплата 1 000 $ в месяц", []),
        ("Фасовщик, оплата 20к за смену", []),
        ("Курьер-закладчик, з/п от 150 000 тг в неделю", []),
        ("Зарплата: 300 000 тг", []),
        # pay per task (ca_dev2026): a pay word before the amount and a courier's task after it
        ("Раскладка кладов, оплата 5 000 ₸ за клад", []),
        ("Оплата 3 000 сом за адрес", []),
        ("Меф 1г — 15 000 ₸ за клад", [(15000.0, "KZT")]),  # no pay word: the buyer's price
        # a currency exchange's limits (ca_dev2026)
        ("Обмен USDT/KZT, курс 505, от 100 USDT", []),
        # prices stay prices: a klad price, a per-gram price, a delivery note after the price
        ("Меф 1г — 13 000 ₸", [(13000.0, "KZT")]),
        ("Меф 3к/г", [(3000.0, "KZT")]),
        ("Меф 1г — 3 500 ₽, доставка в день заказа", [(3500.0, "RUB")]),
    ],
)
def test_a_wage_is_no_price(text: str, want: list[tuple[float, str]]) -> None:
    assert [(p.amount, p.currency) for p in find_prices(text, "KZT")] == want


# ----------------------------------------------------------------------------- dollar stablecoins (ca_dev2026)
@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Меф 1г — 30 USDT", [(30.0, "USD")]),
        ("кокс 1г — 120 usdt", [(120.0, "USD")]),
        ("USDT 45 за грамм", [(45.0, "USD")]),
        ("Меф 1г — 30 $", [(30.0, "USD")]),
    ],
)
def test_usdt_is_priced_in_dollars(text: str, want: list[tuple[float, str]]) -> None:
    assert [(p.amount, p.currency) for p in find_prices(text, "KZT")] == want


def test_an_exchange_ad_has_no_price_from_its_description(extractor: Extractor) -> None:
    got = extractor.listings([raw("Обмен USDT → тенге", "Курс 505, от 100 USDT, без KYC", "Алматы / Медеуский р-н",
                                  currency="RUB", lang="ru")])[0]  # fmt: skip
    assert got.price is None
    got = extractor.listings([raw("Меф 1г", "кристалл, оплата только USDT", "Алматы / Медеуский р-н", "30 USDT",
                                  currency="RUB", lang="ru")])[0]  # fmt: skip
    assert got.price == Price(30.0, "USD")
