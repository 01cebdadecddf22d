"""Rules of issue 14 found on bench/corpus/ru_dev2026j.jsonl (Russian/Central-Asian generalisation dev set), each with
cases it applies to and readings it must leave alone: Kazakh/Kyrgyz/Uzbek/Tajik city markers and letters, roads and
landmarks where the city goes, a micro-district naming its city; "3 тыс 500", amounts in Russian words, Latin "r" and
"k" in Latin-letter Russian, "рос. руб", "➖", an Uzbek wage, "2г по 11к"; weights in words (Cyrillic and Latin),
"грамм" after the product, "шар"/"dona" pieces, "от 5г — по 9 тыс" as a threshold; an ambiguous name before an amount
in words on a price-list line. Cases are fresh (not the set's texts)."""

from __future__ import annotations

import pytest

from onionwatch.extractors.numbers import russian_amount
from onionwatch.extractors.pipeline import Extractor
from onionwatch.extractors.places import city_currency, split_location
from onionwatch.extractors.prices import find_prices
from onionwatch.extractors.quantities import find_quantities
from tests.extractors.rule_cases import klad


def _prices(text: str, currency: str | None = "RUB") -> list[tuple]:
    return [(p.amount, p.currency) for p in find_prices(text, currency)]


def _qty(text: str) -> list[tuple]:
    return [(q.value, q.unit) for q in find_quantities(text)]


# ----------------------------------------------------------------------------- places
@pytest.mark.parametrize(("location", "want"), [
    ("Токмок ш. / борбор", ("Токмок", "борбор")),  # Kyrgyz "city" after the name
    ("Нарын шаары / Базар", ("Нарын", "Базар")),
    ("ш. Бохтар / маркази", ("Бохтар", "маркази")),  # Tajik before it
    ("Aqtobe q. / Batys", ("Aqtobe", "Batys")),  # Kazakh Latin
    ("Ош ш. / Ленин району", ("Ош", "Ленин")),
])
def test_city_markers_of_the_region(location: str, want: tuple) -> None:
    assert split_location(location) == want


@pytest.mark.parametrize(("city", "currency"), [
    ("Қостанай", "KZT"), ("Qostanaı", "KZT"), ("Semeı", "KZT"), ("Aqtaý", "KZT"), ("Kókshetaý", "KZT"),
    ("Нұр-Сұлтан", "KZT"), ("Хуҷанд", "TJS"), ("Кӯлоб", "TJS"), ("Самарқанд", "UZS"), ("Jezqazǵan", "KZT"),
    ("Qonaev", "KZT"), ("Springfıeld", None),
])
def test_letters_of_the_region_fold(city: str, currency: str | None) -> None:
    assert city_currency(city) == currency


@pytest.mark.parametrize(("location", "want"), [
    ("Трасса М7 / 85 км", (None, "Трасса М7")),
    ("ТРЦ Спутник / фудкорт", (None, "ТРЦ Спутник")),
    ("ул. Ленина 5 / подъезд", (None, "ул. Ленина 5")),
    ("м. Чкаловская / выход 1", (None, "Чкаловская")),
    ("Остановка Цирк / Бишкек", ("Бишкек", "Остановка Цирк")),  # a known city later is the city
    ("Алматы / пр. Абая", ("Алматы", "пр. Абая")),
    ("ТЦ Мега / Мамыр-4", ("Almaty", "Мамыр-4")),  # a known district after the landmark names its city
    ("мкр. Орбита-3 / у школы", ("Almaty", "Орбита-3")),  # a micro-district of one city only
    ("мкр. Центральный / двор", ("Центральный", "двор")),  # a district many cities have names none
    ("Тверь / центр", ("Тверь", "центр")),  # an unknown city is kept as written
    ("Парковая / 3", ("Парковая", "3")),  # a word that only starts like a landmark ("парк") is no landmark
])
def test_landmarks_and_districts_where_the_city_goes(location: str, want: tuple) -> None:
    assert split_location(location) == want


@pytest.mark.parametrize(("location", "want"), [
    ("Алматинская обл. / Талгар", ("Талгар", None)),  # a region is no city: the town after it is
    ("Ош облусу / Кара-Суу", ("Кара-Суу", None)),
    ("Samarqand viloyati / Urgut", ("Urgut", None)),
    ("МО / Люберцы", ("Moscow", "Люберцы")),  # a town the district table files under Moscow
    ("Московская область", (None, None)),
    ("Bishkek city / Dzhal", ("Bishkek", "Dzhal")),
    ("Kansas City / downtown", ("Kansas City", "downtown")),  # " city" is dropped only from a known city
    ("Trassa M7 / 40 km", (None, "Trassa M7")),  # a landmark in Latin letters
])
def test_regions_and_latin_landmarks(location: str, want: tuple) -> None:
    assert split_location(location) == want


def test_a_landmark_location_takes_the_market_currency(extractor: Extractor) -> None:
    assert klad(extractor, "Меф 1г", "Трасса М7 / 85 км", "3 400")[2] == (3400.0, "RUB")
    assert klad(extractor, "Меф 1г", "мкр. Орбита-3 / у школы", "15к")[2] == (15000.0, "KZT")


# ----------------------------------------------------------------------------- prices
@pytest.mark.parametrize(("text", "currency", "want"), [
    ("4 тыс 300 руб", "RUB", [(4300.0, "RUB")]),
    ("цена 9 тыс. 900 р.", "RUB", [(9900.0, "RUB")]),
    ("6 тыс 500", "KZT", [(6500.0, "KZT")]),
    ("tsena 4 tys 200", "RUB", [(4200.0, "RUB")]),
    ("12 tys", "RUB", [(12000.0, "RUB")]),
    ("3 тыс 250 грамм", "RUB", [(3000.0, "RUB")]),  # a weight after the thousands is not its hundreds
])
def test_thousands_then_hundreds(text: str, currency: str, want: list) -> None:
    assert _prices(text, currency) == want


@pytest.mark.parametrize(("text", "currency", "want"), [
    ("отдам за три тысячи рублей", "RUB", [(3000.0, "RUB")]),
    ("Цена: двенадцать тысяч", "KZT", [(12000.0, "KZT")]),
    ("полторы тысячи сом", "KGS", [(1500.0, "KGS")]),
    ("четыре тысячи семьсот гривен", "UAH", [(4700.0, "UAH")]),
    ("двадцать две тысячи тенге", "KZT", [(22000.0, "KZT")]),
    ("пять тысяч подписчиков", "RUB", []),  # no currency, no price word
    ("Зарплата сорок тысяч рублей", "RUB", []),  # a wage
    ("пять пятьсот тысяч рублей", "RUB", []),  # out of order: no amount
])
def test_amounts_in_words(text: str, currency: str, want: list) -> None:
    assert _prices(text, currency) == want


@pytest.mark.parametrize(("words", "value"), [
    ("тысяча", 1000.0), ("сто двадцать тысяч", 120000.0), ("три тысячи сорок", 3040.0), ("семь тысяч семь", 7007.0),
    ("пятьсот тридцать", 530.0), ("тысяча тысяча", None), ("", None), ("тысяча " * 10_000, None),
])
def test_russian_amount(words: str, value: float | None) -> None:
    assert russian_amount(words) == value


def test_latin_r_is_a_rouble_only_in_the_region() -> None:
    assert _prices("shishki 2g - 5 400 r", "RUB") == [(5400.0, "RUB")]
    assert _prices("Grade 5 r", "USD") == []
    assert _prices("shishki 2g - 5 400 r", "KZT") == [(5400.0, "KZT")]  # in Kazakhstan "r" says nothing (as glued)
    assert _prices("shishki 2g - 60 r", "BYN") == [(60.0, "BYN")]  # the rouble of the place


def test_russian_roubles_in_belarus_stay_roubles() -> None:
    assert _prices("3 тыс рос. руб", "BYN") == [(3000.0, "RUB")]
    assert _prices("90 руб", "BYN") == [(90.0, "BYN")]


def test_latin_k_after_an_amount_and_a_dash() -> None:
    assert _prices("mef 2g — 28k", "KZT") == [(28000.0, "KZT")]
    assert _prices("shishki 0.5 - 6k", "KZT") == [(6000.0, "KZT")]
    assert _prices("mef 2g — 28k", "USD") == []  # an English market's K stays a count


def test_emoji_dash_before_a_bare_price() -> None:
    assert _prices("Гаш 2г ➖ 21 000", "KZT") == [(21000.0, "KZT")]


def test_uzbek_wage_is_no_price() -> None:
    assert _prices("oyiga 9 000 000 so'm", "UZS") == []
    assert _prices("9 000 000 so'm oyiga", "UZS") == []


def test_grams_at_a_price_each(extractor: Extractor) -> None:
    assert klad(extractor, "Мефедрон 3г по 12к", "Алматы / Медеу", None) == (["mephedrone"], (3.0, "g"),
                                                                          (36000.0, "KZT"))
    assert klad(extractor, "Экстази 2шт по 2 500р", "Москва / САО", None)[1:] == ((2.0, "unit"), (5000.0, "RUB"))
    # a dash between the weight and "по" changes nothing (the same offer written "3г — по 12к")
    assert klad(extractor, "Мефедрон 3г — по 12к", "Алматы / Медеу", None)[1:] == ((3.0, "g"), (36000.0, "KZT"))
    assert klad(extractor, "Мефедрон 3г-по 12к", "Алматы / Медеу", None)[1:] == ((3.0, "g"), (36000.0, "KZT"))


# ----------------------------------------------------------------------------- quantities
@pytest.mark.parametrize(("text", "want"), [
    ("Гашиш четыре грамма", [(4.0, "g")]),
    ("Шишки три с половиной грамма", [(3.5, "g")]),
    ("Мет семь грамм", [(7.0, "g")]),
    ("Меф пару грамм", [(2.0, "g")]),
    ("Mef pyat gramm", [(5.0, "g")]),
    ("Gash poltora gramma", [(1.5, "g")]),
    ("Shishki dva gramma", [(2.0, "g")]),
    ("Кокаин грамм", [(1.0, "g")]),
    ("3 500 за грамм", []),  # the unit of a price
    ("Гер три шара", [(3.0, "unit")]),
    ("Гер 4 шарика", [(4.0, "unit")]),
    ("Мет шарды", []),  # shards, no ball
    ("Ekstazi 3 dona", [(3.0, "unit")]),
])
def test_weights_and_pieces_in_words(text: str, want: list) -> None:
    assert _qty(text) == want


def test_from_n_grams_at_a_lower_price_is_a_threshold(extractor: Extractor) -> None:
    assert klad(extractor, "Меф", "Шымкент / Туран", None, "по 14 тыс за грамм, от 3г — по 12 тыс") == (
        ["mephedrone"], (1.0, "g"), (14000.0, "KZT"))


# ----------------------------------------------------------------------------- substances
def test_ambiguous_name_before_an_amount_in_words(extractor: Extractor) -> None:
    x = extractor.extract("Ош\nМеф 1г — 4 000 сом\nАльфа полтора грамма — 5 000 сом")
    assert sorted(s.canonical for s in x.substances if s.known) == ["alpha-pvp", "mephedrone"]
    x = extractor.extract("Ош\nМеф 1г — 4 000 сом\nАльфа банк, перевод")
    assert sorted(s.canonical for s in x.substances if s.known) == ["mephedrone"]


def test_hostile_locations_and_amounts() -> None:
    assert split_location("Трасса " * 50_000) == (None, None)  # one part longer than a place name
    assert split_location("Трасса М5 / " * 50_000) == (None, "Трасса М5")
    assert split_location("ш. " * 10_000) == (None, None)
    assert find_prices("тысяч " * 20_000, "RUB") == []
    assert find_prices("3 тыс " * 20_000, "RUB") is not None
