"""Places: a location split into city and district; the currency a city implies (EN and RU spellings)."""

from __future__ import annotations

import pytest

from onionwatch.errors import LexiconError
from onionwatch.extractors.places import city_currency, city_table, clean_place, known_district, split_location
from onionwatch.extractors.records import CURRENCIES


@pytest.mark.parametrize(
    ("city", "currency"),
    [
        ("Almaty", "KZT"), ("Алматы", "KZT"), ("Алма-Ата", "KZT"), ("алма ата", "KZT"), ("Astana", "KZT"),
        ("Shymkent", "KZT"), ("Tbilisi", "GEL"), ("Тбилиси", "GEL"), ("Batumi", "GEL"), ("Tashkent", "UZS"),
        ("Самарканд", "UZS"), ("Bishkek", "KGS"), ("Dushanbe", "TJS"), ("Baku", "AZN"), ("Yerevan", "AMD"),
        ("Kyiv", "UAH"), ("Kiev", "UAH"), ("Харьков", "UAH"), ("Odesa", "UAH"), ("Minsk", "BYN"),
        ("Минск", "BYN"), ("Moscow", "RUB"), ("г. Москва", "RUB"), ("St Petersburg", "RUB"),
        ("Санкт-Петербург", "RUB"), ("Питер", "RUB"), ("Екатеринбург", "RUB"),
        ("Springfield", None), ("", None), (None, None), ("Almaty" * 100, None),
        # issue 14 dev set: regional centres of KZ and other cities the klad shops name
        ("Туркестан", "KZT"), ("Кызылорда", "KZT"), ("Талдыкорган", "KZT"), ("Петропавловск", "KZT"),
        ("Уральск", "KZT"), ("Oral", "KZT"), ("Кокшетау", "KZT"), ("Экибастуз", "KZT"), ("Темиртау", "KZT"),
        ("Нукус", "UZS"), ("Тольятти", "RUB"), ("Ижевск", "RUB"), ("Ярославль", "RUB"),
        ("Туркестанский", None), ("Уральские горы", None), ("Орало", None),
        # ca_dev2026: Russian cities on the Kazakh border
        ("Оренбург", "RUB"), ("Orenburg", "RUB"), ("Орск", "RUB"), ("Астрахань", "RUB"),
        # Kyrgyz spelling (tg_dev2026h2)
        ("Жалал-Абад", "KGS"), ("Джалалабад", "KGS"),
    ],
)
def test_city_currency(city: str | None, currency: str | None) -> None:
    assert city_currency(city) == currency


@pytest.mark.parametrize(
    ("location", "expected"),
    [
        ("Almaty, Bostandyk", ("Almaty", "Bostandyk")),
        ("Москва / Тверской", ("Москва", "Тверской")),
        ("г. Алматы » р-н Алмалинский", ("Алматы", "Алмалинский")),
        ("Tbilisi", ("Tbilisi", None)),
        ("Vake, Tbilisi", ("Tbilisi", "Vake")),  # the known city is the city, wherever it is
        ("Springfield - Downtown", ("Springfield", "Downtown")),
        ("", (None, None)),
        (None, (None, None)),
        (" / , ", (None, None)),
    ],
)
def test_split_location(location: str | None, expected: tuple[str | None, str | None]) -> None:
    assert split_location(location) == expected


def test_hostile_places_are_bounded() -> None:
    assert clean_place("x" * 10_000) is None
    city, district = split_location(", ".join(["Almaty"] * 100_000))
    assert city == "Almaty"


def test_city_table_covers_only_known_currencies() -> None:
    table = city_table()
    assert set(table.values()) <= set(CURRENCIES)
    assert {"KZT", "GEL", "UZS", "KGS", "TJS", "AZN", "AMD", "UAH", "BYN", "RUB"} <= set(table.values())


def test_bad_city_table_names_file_and_entry(tmp_path) -> None:
    path = tmp_path / "cities.yaml"
    path.write_text("XYZ: [Atlantis]\n")
    with pytest.raises(LexiconError, match=rf"^{path}: XYZ: unknown currency"):
        city_table(str(path))
    path.write_text("KZT: Almaty\n")
    with pytest.raises(LexiconError, match=rf"^{path}: KZT: expected a list of city names"):
        city_table(str(path))


def test_country_currency_is_the_one_table_and_agrees_with_cities_yaml() -> None:
    from onionwatch.extractors import geo
    from onionwatch.extractors.places import COUNTRY_CURRENCY, country_currency

    assert country_currency("kz") == "KZT" and country_currency("KG") == "KGS" and country_currency(None) is None
    for spelling, currency in city_table().items():
        city = geo.find_city(spelling)
        assert city is not None and COUNTRY_CURRENCY[city.country] == currency, spelling


@pytest.mark.parametrize(
    ("word", "city"),
    [("Алм", "Алм"), ("Москве", "Москва"), ("Астане", "Астана"), ("Шымкенте", "Шымкент"), ("Казани", "Казань"),
     ("Бишкеке", "Бишкек"), ("столе", None), ("", None), ("x" * 500, None)],
)
def test_city_form(word: str, city: str | None) -> None:
    from onionwatch.extractors.places import city_form

    assert city_form(word) == city


@pytest.mark.parametrize(
    ("name", "expected"),
    [("Бостандыкский", ("Бостандыкский", "Almaty")), ("бостандык", ("Бостандыкский", "Almaty")),
     ("Медеу", ("Медеуский", "Almaty")), ("Самал-2", ("Самал-2", "")),  # Almaty and Shymkent both have one
     ("ЦАО", ("ЦАО", "Moscow")), ("Ленинский", ("Ленинский", "")), ("Springfield", None), (None, None)],
)
def test_known_district(name: str | None, expected: tuple[str, str] | None) -> None:
    from onionwatch.extractors.places import known_district

    assert known_district(name) == expected


def test_bad_district_table_names_file_and_field(tmp_path) -> None:
    from onionwatch.extractors.places import district_table

    path = tmp_path / "cities.yaml"
    path.write_text("KZT: [Almaty]\ndistricts:\n  Almaty: 5\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"cities.yaml: districts: Almaty: expected a list"):
        district_table(str(path))


@pytest.mark.parametrize(("name", "expected"), [("Бостандық", ("Бостандыкский", "Almaty")), ("Ақсай", ("Аксай", "Almaty")),
                                                 ("бостандык", ("Бостандыкский", "Almaty"))])
def test_a_local_spelling_names_the_russian_district(name: str, expected: tuple[str, str]) -> None:
    """The Kazakh spellings listed beside the Russian ones fold onto one key; the Russian name is shown."""
    assert known_district(name) == expected
