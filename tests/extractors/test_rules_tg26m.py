"""Telegram district rules from the tg_dev2026m misses (issue 14 item 5): "Ал-ский" / "Св-ский" abbreviations, an
arrow between a district and its offer, a hashtag joining city and district by "_", a line of hashtags naming a
district, the city (and district) on the last line after offers that name none, one city for the city-less offers of
a message, and Ust-Kamenogorsk's neighbourhoods. Messages written by hand for these tests (not the dev set's), each
rule with readings it must leave alone."""

from __future__ import annotations

import pytest

from onionwatch.extractors.geo import group_key
from onionwatch.extractors.pipeline import Extractor
from onionwatch.extractors.places import district_in_city, expand_abbreviation, known_district
from onionwatch.extractors.telegram_offers import find_offers_many, title_city
from tests.extractors.rule_cases import offer_places, offer_rows


@pytest.fixture
def x(extractor: Extractor) -> Extractor:
    return extractor  # the session's one Extractor (conftest.py)


@pytest.mark.parametrize(("name", "city", "want"), [
    ("Ал-ский", "Astana", "Алматинский"),
    ("Св-ский", "Bishkek", "Свердловский"),
    ("Перв-ский", "Bishkek", "Первомайский"),
    ("Бост-ский", "Almaty", "Бостандыкский"),
])
def test_hyphen_adjectival_abbreviation(name: str, city: str, want: str) -> None:
    assert expand_abbreviation(name, group_key(city)) == want


@pytest.mark.parametrize(("name", "city"), [
    ("Ал-ский", "Almaty"),  # Алмалинский and Алатауский: two, so none
    ("Зз-ский", "Bishkek"),  # no listed district starts so
    ("Ал-ская", "Astana"),  # not the adjectival district ending
])
def test_hyphen_abbreviation_left_alone(name: str, city: str) -> None:
    assert expand_abbreviation(name, group_key(city)) is None


def test_hyphen_abbreviation_in_a_message(x: Extractor) -> None:
    assert offer_places("Бишкек, Перв-ский р-н\nгаш 1г — 3500 сом", x) == [("Бишкек", "Первомайский")]


@pytest.mark.parametrize("arrow", ["👉", "➡️", "→"])
def test_district_arrow_offer_rows(arrow: str, x: Extractor) -> None:
    text = f"Бишкек\nДжал {arrow} меф 1г 4600с\nАсанбай {arrow} гаш 1г 3200с"
    assert offer_places(text, x) == [("Бишкек", "Джал"), ("Бишкек", "Асанбай")]


def test_arrow_after_a_product_is_no_district(x: Extractor) -> None:
    # the word before the arrow is a product, not a known district
    assert offer_places("Бишкек\nМеф 👉 1г 4600с", x) == [("Бишкек", None)]


def test_hashtag_joining_city_and_district(x: Extractor) -> None:
    assert offer_places("#Караганда_Майкудук\nгаш 1г — 13 000 ₸", x) == [("Караганда", "Майкудук")]


def test_other_underscored_hashtag_left_whole(x: Extractor) -> None:
    assert offer_places("#новый_завоз\nАлматы\nмеф 1г — 16 000 ₸", x) == [("Алматы", None)]


def test_hashtag_line_naming_a_district(x: Extractor) -> None:
    rows = offer_rows("#Юнусабад #гаш\n1г — 350 000 сум\n2г — 650 000 сум", x)
    assert [r[:3] for r in rows] == [("Ташкент", "Юнусабад", "cannabis")] * 2


def test_hashtag_line_with_two_districts_names_none(x: Extractor) -> None:
    assert offer_places("Алматы\n#Медеу #Бостандыкский\nмеф 1г — 16 000 ₸", x) == [("Алматы", None)]


@pytest.mark.parametrize(("text", "want"), [
    ("Гаш 1г — 13 000 тг\nШишки 2г — 22 000 тг\n#Астана #Есиль", [("Астана", "Есиль")] * 2),
    ("Меф 1г — 5000 сом\nОш, Анар", [("Osh", "Анар")]),  # as "Ош, Анар" above them reads
    ("Амф 1г — 11 000 тг\nКараганда", [("Караганда", None)]),
])
def test_city_on_the_last_line_after_cityless_offers(text: str, want: list[tuple], x: Extractor) -> None:
    assert offer_places(text, x) == want


def test_last_line_city_with_words_or_after_a_city_left_alone(x: Extractor) -> None:
    # a sentence after the offers is no place for them; offers that name a city keep it
    assert offer_places("Меф 1г — 5000 сом\nОш: доставка завтра", x) == [(None, None)]
    assert offer_places("Алматы\nМеф 1г — 16 000 ₸\nАстана", x) == [("Алматы", None)]


def test_one_city_for_the_cityless_offers_of_a_message(x: Extractor) -> None:
    # "Ленинский" alone names several cities; the next row's "Тунгуч" only Бишкек
    text = "Ленинский р-н — меф 1г 4500 сом\nТунгуч — меф 2г 8500 сом"
    assert offer_places(text, x) == [("Бишкек", "Ленинский"), ("Бишкек", "Тунгуч")]


def test_one_city_not_given_to_a_district_it_does_not_list(x: Extractor) -> None:
    # "Майкудук" is Karaganda's: the Bishkek row's city is not lent to it
    text = "Майкудук — меф 1г 16к тг\nБишкек, Тунгуч — меф 1г 4500 сом"
    assert offer_places(text, x)[0] == ("Караганда", "Майкудук")
    assert not district_in_city("Майкудук", group_key("Bishkek"))
    assert district_in_city("Ленинский", group_key("Bishkek"))


def test_ust_kamenogorsk_neighbourhoods(x: Extractor) -> None:
    assert known_district("Новая Согра") == ("Новая Согра", "Ust-Kamenogorsk")
    text = "Усть-Каменогорск\n🔻 Аблакетка — меф 1г 16к ₸\n🔻 Старая Согра — меф 2г 30к ₸"
    assert offer_places(text, x) == [("Усть-Каменогорск", "Аблакетка"), ("Усть-Каменогорск", "Старая Согра")]


@pytest.mark.parametrize(("title", "want"), [
    ("Бишкек Клад 996", "Бишкек"),
    ("Klad Almaty 24/7", "Almaty"),
    ("Klad KZ", None),  # a country, not a city
    ("Алматы | Астана shop", None),  # two cities: neither is the default
    (None, None),
])
def test_title_city(title: str | None, want: str | None) -> None:
    assert title_city(title) == want


def test_title_city_for_messages_that_name_none(x: Extractor) -> None:
    texts = ["Ленинский р-н:\nмеф 1г — 4 500\nмеф 2г — 8 500 сом",  # "Ленинский" alone names several cities
             "Алматы, Медеу\nмеф 1г — 16 000 ₸",  # a message naming its city keeps it
             "Майкудук — меф 1г 16 000 тг"]  # a district only another city lists keeps that city
    got = [[(o.city, o.district, o.price.amount if o.price else None, o.price.currency if o.price else None)
            for o in offers] for offers in find_offers_many(texts, x, default_city="Бишкек")]
    assert got == [[("Бишкек", "Ленинский", 4500.0, "KGS"), ("Бишкек", "Ленинский", 8500.0, "KGS")],
                   [("Алматы", "Медеу", 16000.0, "KZT")],
                   [("Караганда", "Майкудук", 16000.0, "KZT")]]
    # without the title's city the first message has none
    assert [o.city for o in find_offers_many(texts[:1], x)[0]] == [None, None]
