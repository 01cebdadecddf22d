"""Rules of issue 14 found on bench/corpus/ru_dev2026e.jsonl (Russian/Central-Asian generalisation dev set), each
with cases it applies to and readings it must leave alone: "price" in Kazakh, Kyrgyz and Uzbek before a bare amount
("Бағасы 14 500"); a price field of nothing but "9k" (Latin k) in a klad shop; millions ("1.1млн"); the unit before a
per-unit price ("цена за грамм: 14 000 ₸"); Kazakh and Uzbek spellings of cities and the "қ."/"ауданы"/"tumani"
markers of a location; a hot-air brush ("Фен-щетка"); a name inside a crypto address; a price-list row with a bare
fractional weight ("Скорость 0,5 — 8к"); and, from probes of the set's phrasings, pieces abbreviated ("30 капс",
"2 фл") and a Telegram line's product written after its price ("1гр=14000тг меф")."""

from __future__ import annotations

import pytest

from onionwatch.extractors.pipeline import Extractor
from onionwatch.extractors.places import clean_place, split_location
from onionwatch.extractors.prices import find_prices
from onionwatch.extractors.telegram_offers import find_offers_many
from tests.extractors.rule_cases import klad, names, qp


# ----------------------------------------------------------------------------- price words of other languages
@pytest.mark.parametrize(
    ("title", "location", "description", "price"),
    [
        ("Меф 1г", "Алматы / Медеу", "магнит. Бағасы: 15 000", (15000.0, "KZT")),  # Kazakh
        ("Шишки 1г", "Шымкент / Туран", "багасы 9 500, прикоп", (9500.0, "KZT")),  # without the Kazakh letter
        ("Мяу 1г", "Бишкек / Джал", "Баасы 3 900, магнит", (3900.0, "KGS")),  # Kyrgyz
        ("Меф 1г", "Ташкент / Юнусабад", "Нархи: 600 000", (600000.0, "UZS")),  # Uzbek, Cyrillic
        ("Mef 1g", "Toshkent / Yunusobod", "narxi 600 000, klad", (600000.0, "UZS")),  # Uzbek, Latin
        ("Меф 1г", "Москва / ЦАО", "Цена 3 200", (3200.0, "RUB")),  # the Russian word as before
    ],
)
def test_price_words(extractor: Extractor, title: str, location: str, description: str, price: tuple) -> None:
    assert klad(extractor, title, location, None, description)[2] == price


def test_a_price_word_before_a_weight_is_no_price(extractor: Extractor) -> None:
    assert klad(extractor, "Меф", "Алматы / Медеу", None, "бағасы 1г үшін, магнит")[2] is None


# ----------------------------------------------------------------------------- "9k" and "1.1млн"
@pytest.mark.parametrize(
    ("title", "location", "price_text", "price"),
    [
        ("AMF 1g", "Karaganda / Maikuduk", "9k", (9000.0, "KZT")),  # a price field of "9k" alone
        ("Шишки 1г", "Алматы / Медеу", "12.5k", (12500.0, "KZT")),
        ("Гаш 1г", "Бишкек / Джал", "2k", (2000.0, "KGS")),
        ("Кокаин 1г", "Ташкент / центр", "1.2млн", (1200000.0, "UZS")),  # millions
        ("Кокаин 1г", "Ташкент / центр", "1,2 млн", (1200000.0, "UZS")),
    ],
)
def test_shorthand_in_a_price_field(extractor: Extractor, title: str, location: str, price_text: str,
                                    price: tuple) -> None:
    assert klad(extractor, title, location, price_text)[2] == price


@pytest.mark.parametrize(
    ("text", "currency"),
    [
        ("9k", "USD"),  # an English market: K only next to a currency
        ("Instagram 10k", "RUB"),  # not alone in the field
        ("10k followers", "RUB"),
    ],
)
def test_latin_k_left_alone(text: str, currency: str) -> None:
    assert find_prices(text, currency) == []


def test_millions_of_sum_in_a_telegram_list(extractor: Extractor) -> None:
    offers = find_offers_many(["Самарканд\nМефедрон 1г — 600к\nМефедрон 2г — 1.1млн"], extractor)[0]
    assert [(o.price.amount, o.price.currency) if o.price else None for o in offers] == [
        (600000.0, "UZS"), (1100000.0, "UZS")]  # fmt: skip


def test_millions_of_subscribers_are_no_price() -> None:
    assert find_prices("Канал 1.2млн подписчиков", "RUB") == []


# ----------------------------------------------------------------------------- the unit before a per-unit price
@pytest.mark.parametrize(
    ("title", "description", "want"),
    [
        ("Мефедрон", "цена за грамм: 14 000 ₸, магнит", ((1.0, "g"), (14000.0, "KZT"))),
        ("Мефедрон", "Цена за 1 гр — 14 000 ₸", ((1.0, "g"), (14000.0, "KZT"))),
        ("Экстази", "цена за штуку: 9 000 ₸", ((1.0, "unit"), (9000.0, "KZT"))),
        ("Меф 2г", "цена за грамм 14 000 ₸", ((2.0, "g"), (28000.0, "KZT"))),  # multiplied out
        ("Шишки", "за 2г — 18 000 ₸", ((2.0, "g"), (18000.0, "KZT"))),  # a tier, not per gram
    ],
)
def test_unit_before_the_price(extractor: Extractor, title: str, description: str, want: tuple) -> None:
    assert klad(extractor, title, "Талдыкорган / центр", None, description)[1:] == want


# ----------------------------------------------------------------------------- places
@pytest.mark.parametrize(
    ("location", "price"),
    [
        ("Қарағанды / Майқұдық", (14000.0, "KZT")),  # Kazakh spellings
        ("Қостанай / орталық", (14000.0, "KZT")),
        ("Алматы қ. / Бостандық ауданы", (14000.0, "KZT")),  # "қ." (city) and "ауданы" (district)
        ("Шымкент қаласы / Абай ауданы", (14000.0, "KZT")),
        ("Samarqand / markaz", (14000.0, "UZS")),  # Uzbek Latin
        ("Toshkent sh. / Chilonzor tumani", (14000.0, "UZS")),
        ("Хуҷанд / 20 мкр", (14000.0, "TJS")),  # Tajik
    ],
)
def test_kazakh_and_uzbek_places(extractor: Extractor, location: str, price: tuple) -> None:
    assert klad(extractor, "Меф 1г", location, "14 000")[2] == price


def test_place_markers() -> None:
    assert split_location("Алматы қ. / Бостандық ауданы") == ("Алматы", "Бостандық")
    assert split_location("Toshkent sh., Chilonzor tumani") == ("Toshkent", "Chilonzor")
    assert split_location("Москва / Тверской р-н") == ("Москва", "Тверской р-н")  # the Russian marker as before
    assert clean_place("Қ. Сатпаев көшесі") == "Қ. Сатпаев көшесі"  # an initial, not the marker


# ----------------------------------------------------------------------------- everyday goods, addresses
@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Фен-щетка Philips\nновая", []),
        ("Фен-расчёска 1000 Вт", []),
        ("Фен стайлер с насадками", []),
        ("Фен 1г\nамф, магнит", ["amphetamine"]),  # the slang stays
        ("Фен - 2г, прикоп", ["amphetamine"]),
    ],
)
def test_hair_appliances(extractor: Extractor, text: str, want: list[str]) -> None:
    assert names(extractor, text) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Оплата\nBTC: bc1q9h7garjhuv0kqqfzlkg2a6h4e6m2t3xwk8q5dq\nВсе клады с фото", []),  # "t3" in the address
        ("Гарантии\nUSDT TRC20: TQ2c8bK7rLm4Wx9vP3nH6yZ1aD5fJ0sE4t\nклад с фото", []),
        ("4-MMC 1г, магнит\nBTC: bc1q9h7garjhuv0kqqfzlkg2a6h4e6m2t3xwk8q5dq", ["mephedrone"]),
        ("T3 Cytomel 25mcg 100 tabs", ["liothyronine"]),  # the name on its own
        ("2C-B 10 tabs, 20mg", ["2c-b"]),
    ],
)
def test_names_inside_addresses(extractor: Extractor, text: str, want: list[str]) -> None:
    assert names(extractor, text) == want


# ----------------------------------------------------------------------------- price-list rows with a bare weight
@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Астана\nСкорость 0,5 — 8к\nСкорость 1 — 15к\nПлан 2г — 16к", (0.5, "g")),
        ("Шишки 0.5 - 3500р\nШишки 1г - 6000р", (0.5, "g")),
        ("Меф 0,5 — 1г", (1.0, "g")),  # a weight after the dash, no price: as before
        ("Соль 0,5 - 1г — 8к", (1.0, "g")),
    ],
)
def test_bare_weight_in_a_price_row(extractor: Extractor, text: str, want: tuple) -> None:
    assert qp(extractor, text)[0] == want


def test_a_bare_fraction_in_english_is_left_alone(extractor: Extractor) -> None:
    assert qp(extractor, "Kush 0.5 - 1500\nKush 2g - 5000")[0] == (2.0, "g")  # the rule reads Russian lists only


# ----------------------------------------------------------------------------- probes of the set's phrasings
@pytest.mark.parametrize(
    ("text", "quantity"),
    [
        ("Габапентин 300мг 30 капс", (30.0, "unit")),  # capsules abbreviated
        ("Лирика 300 мг 14 капс.", (14.0, "unit")),
        ("Тропикамид 2 фл", (2.0, "unit")),  # vials abbreviated
        ("Лирика 300 мг 14 капсул", (14.0, "unit")),  # as before
    ],
)
def test_abbreviated_pieces(extractor: Extractor, text: str, quantity: tuple) -> None:
    assert qp(extractor, text)[0] == quantity


def test_a_dose_beside_abbreviated_capsules(extractor: Extractor) -> None:
    x = extractor.extract("Габапентин 300мг 30 капс")
    assert x.dose is not None and (x.dose.value, x.dose.unit) == (300.0, "mg")


@pytest.mark.parametrize(
    ("message", "want"),
    [
        # the product written after the amount and the price
        ("Шымкент\n1гр=14000тг меф\n2гр=26000тг меф", [("mephedrone", 1.0, 14000.0), ("mephedrone", 2.0, 26000.0)]),
        ("Москва\n1г — 3000р (меф)\n1г — 2500р (шишки)", [("mephedrone", 1.0, 3000.0), ("cannabis", 1.0, 2500.0)]),
        # a product with amounts after it keeps the amounts before it for the product above (as before)
        ("Алматы\nМеф 1г — 14к\n2г — 26к, шишки 1г 9к",
         [("mephedrone", 1.0, 14000.0), ("mephedrone", 2.0, 26000.0), ("cannabis", 1.0, 9000.0)]),
    ],
)
def test_product_after_the_price(extractor: Extractor, message: str, want: list[tuple]) -> None:
    got = find_offers_many([message], extractor)[0]
    assert [(o.substance.canonical if o.substance else None, o.quantity.value if o.quantity else None,
             o.price.amount if o.price else None) for o in got] == want  # fmt: skip
