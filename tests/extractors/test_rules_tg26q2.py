"""Gazetteer pass after tg_dev2026q2 (issue 14): Russian cities over ~250 000 people and the Central Asian and
Belarusian regional centres that were missing ("Курган, р-н …" had no city), each giving its country's currency to a
bare price; the city names that are also common words ("курган", "орёл", "грозный") are cities only when
capitalised; and the wholesale convention: "опт от 10г — по 11к за грамм" is one gram at the per-gram price (the
minimum is a threshold). Phrases written for these tests."""

from __future__ import annotations

import pytest

from onionwatch.extractors.pipeline import Extractor
from onionwatch.extractors.places import city_currency, city_form
from onionwatch.extractors.telegram_offers import find_offers
from tests.extractors.tg_rows import offer_rows


@pytest.fixture
def x(extractor: Extractor) -> Extractor:
    return extractor  # the session's one Extractor (conftest.py)


@pytest.mark.parametrize(("text", "city", "currency"), [
    ("Курган, р-н Центральный\nмеф 1г — 4 500", "Курган", "RUB"),
    ("Набережные Челны\nмеф 1г — 4 000", "Набережные Челны", "RUB"),
    ("Баткен\nгаш 1г — 1 800", "Баткен", "KGS"),
    ("Хорог: гаш 1г — 300", "Хорог", "TJS"),
    ("Гулистан\nшишки 1г 250 000", "Гулистан", "UZS"),
    ("Бобруйск, гаш 1г — 70", "Бобруйск", "BYN"),
])  # fmt: skip
def test_added_city_names_the_offer_and_its_currency(x: Extractor, text: str, city: str, currency: str) -> None:
    ((got_city, _, _, qty, _, got_currency),) = offer_rows(find_offers(text, x))
    assert (got_city, qty, got_currency) == (city, 1.0, currency)


def test_added_city_in_a_case_form_after_v(x: Extractor) -> None:
    assert city_form("Кургане") == "Курган"
    got = offer_rows(find_offers("Цены в Кургане: меф 1г — 4 500", x))
    assert got == [("Курган", None, "mephedrone", 1.0, 4500, "RUB")]


@pytest.mark.parametrize("word", ["курган", "орёл", "орел", "грозный"])
def test_city_that_is_a_common_word_needs_a_capital(word: str) -> None:
    assert city_currency(word) is None
    assert city_currency(word.capitalize()) == "RUB"


def test_common_word_in_lower_case_sets_no_city(x: Extractor) -> None:
    assert offer_rows(find_offers("старый курган за городом, меф 1г — 4 500 ₽", x))[0][0] is None
    assert offer_rows(find_offers("грозный шеф, гаш 1г 3000 ₽", x))[0][0] is None


def test_first_name_vladimir_is_no_city(x: Extractor) -> None:
    assert city_currency("Владимир") is None  # left out of the gazetteer on purpose: a first name as often
    assert offer_rows(find_offers("Оператор Владимир, меф 1г — 4 000 ₽", x))[0][0] is None


def test_wholesale_minimum_with_a_per_gram_price_is_one_gram(x: Extractor) -> None:
    got = offer_rows(find_offers("ОПТ 📦 Павлодар\nмеф опт от 10г — по 11к за грамм", x))
    assert got == [("Павлодар", None, "mephedrone", 1.0, 11000, "KZT")]
    # a plain weight with a per-gram price is still multiplied out
    got = offer_rows(find_offers("Павлодар\nмеф 2г по 11к", x))
    assert got == [("Павлодар", None, "mephedrone", 2.0, 22000, "KZT")]
