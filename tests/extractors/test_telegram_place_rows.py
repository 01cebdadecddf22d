"""Places inside an offer row (issue 14, ru_dev2026f left-alone shapes): a price per place after one weight
("Меф 1г: Медеу 15к, Бостандык 14к") and a place in brackets after the weight ("пол грамма (Усолка) — 7 500 ₸");
messages written by hand for these tests, each rule with readings it must leave alone."""

from __future__ import annotations

import pytest

from onionwatch.extractors.pipeline import Extractor
from tests.extractors.rule_cases import offer_rows


@pytest.fixture(scope="module")
def x() -> Extractor:
    return Extractor()


def rows(text: str, x: Extractor) -> list[tuple]:
    return offer_rows(text, x, currency=False)


@pytest.mark.parametrize(("text", "want"), [
    # one weight, a price per district (known or not)
    ("Астана\nСК 0.5г: Есиль 9к, Сарыарка 8к, Алматинский 8.5к",
     [("Астана", "Есиль", "alpha-pvp", 0.5, 9000.0), ("Астана", "Сарыарка", "alpha-pvp", 0.5, 8000.0),
      ("Астана", "Алматинский", "alpha-pvp", 0.5, 8500.0)]),
    ("Караганда: гаш 2г — Майкудук 18 000, Пришахтинск 17 000",
     [("Караганда", "Майкудук", "cannabis", 2.0, 18000.0), ("Караганда", "Пришахтинск", "cannabis", 2.0, 17000.0)]),
    # a price per city: the city, no district
    ("Меф 1г: Алматы 15 000 ₸, Астана 16 000 ₸",
     [("Алматы", None, "mephedrone", 1.0, 15000.0), ("Астана", None, "mephedrone", 1.0, 16000.0)]),
    # a place in brackets after the weight; the bare price after the brackets is read
    ("Павлодар\nамф 1г (Зелёный Клин) — 6 000 ₸", [("Павлодар", "Зеленый Клин", "amphetamine", 1.0, 6000.0)]),
    ("Алматы\nшишки 2г (Медеу) — 18 000", [("Алматы", "Медеу", "cannabis", 2.0, 18000.0)]),
])
def test_places_in_a_row(text: str, want: list[tuple], x: Extractor) -> None:
    assert rows(text, x) == want


@pytest.mark.parametrize(("text", "want"), [
    # a klad type, a form or a grade in brackets is no place; the price after it is still read
    ("Алматы\nмеф 1г (магнит) — 15 000", [("Алматы", None, "mephedrone", 1.0, 15000.0)]),
    ("Алматы\nМеф 1г (Кристалл) — 15 000", [("Алматы", None, "mephedrone", 1.0, 15000.0)]),
    ("Алматы\nМеф 1г (VHQ) — 15 000", [("Алматы", None, "mephedrone", 1.0, 15000.0)]),
    # two weights: tiers as before, no places
    ("Алматы: меф 1г — 15 000, 2г — 28 000",
     [("Алматы", None, "mephedrone", 1.0, 15000.0), ("Алматы", None, "mephedrone", 2.0, 28000.0)]),
])
def test_what_is_not_a_place(text: str, want: list[tuple], x: Extractor) -> None:
    assert rows(text, x) == want


@pytest.mark.parametrize("text", ["Алматы: меф 1г: Опт 14к, Розница 15к", "Алматы: меф 1г — 15 000, Доставка 2 000",
                                  "Алматы: меф 1г: Старая цена 18к, Новая 15к"])
def test_price_notes_are_no_places(text: str, x: Extractor) -> None:
    assert all(r[1] is None for r in rows(text, x))
