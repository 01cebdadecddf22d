"""Segmenting Telegram shop messages into offers: golden examples written by hand (not from the generator)."""

from __future__ import annotations

import pytest

from onionwatch.extractors.pipeline import Extractor
from onionwatch.extractors.telegram_offers import find_offers, find_offers_many, split_segments


@pytest.fixture(scope="module")
def x() -> Extractor:
    return Extractor()


def rows(text: str, x: Extractor, currency: str | None = None) -> list[tuple]:
    return [(o.city, o.district, o.substance.canonical if o.substance else None,
             (o.quantity.value, o.quantity.unit) if o.quantity else None,
             (o.price.amount, o.price.currency) if o.price else None) for o in find_offers(text, x, currency)]


GOLDEN = [
    ("Алматы: меф 1г — 15 000, 2г — 28 000; шишки 1г — 9 000", [
        ("Алматы", None, "mephedrone", (1.0, "g"), (15000.0, "KZT")),
        ("Алматы", None, "mephedrone", (2.0, "g"), (28000.0, "KZT")),
        ("Алматы", None, "cannabis", (1.0, "g"), (9000.0, "KZT"))]),
    ("🏙 Алматы\n📍 Бостандыкский р-н\n❄️ Меф VHQ\n ▫️ 1г — 15 000₸\n ▫️ 2г — 28 000₸\n🌿 Шишки AK-47\n ▫️ 1г — 9 000\n"
     "🏙 Москва / ЦАО\nСоль 0,5г — 2500\nСкорость 1г 4500 руб", [
        ("Алматы", "Бостандыкский", "mephedrone", (1.0, "g"), (15000.0, "KZT")),
        ("Алматы", "Бостандыкский", "mephedrone", (2.0, "g"), (28000.0, "KZT")),
        ("Алматы", "Бостандыкский", "cannabis", (1.0, "g"), (9000.0, "KZT")),
        ("Москва", "ЦАО", "alpha-pvp", (0.5, "g"), (2500.0, "RUB")),
        ("Москва", "ЦАО", "alpha-pvp", (1.0, "g"), (4500.0, "RUB"))]),
    ("#Астана, р-н Есильский: Гаш 1г-12к | Меф 0.5г-8к", [
        ("Астана", "Есильский", "cannabis", (1.0, "g"), (12000.0, "KZT")),
        ("Астана", "Есильский", "mephedrone", (0.5, "g"), (8000.0, "KZT"))]),
    ("Город: Бишкек\nМеф кристаллы 1г 👉 3 500 сом", [("Бишкек", None, "mephedrone", (1.0, "g"), (3500.0, "KGS"))]),
    ("Ташкент — шишки 2500 сум/г", [("Ташкент", None, "cannabis", (1.0, "g"), (2500.0, "UZS"))]),
    ("Алматы: меф $30 за 1г, $55 за 2г", [
        ("Алматы", None, "mephedrone", (1.0, "g"), (30.0, "USD")),
        ("Алматы", None, "mephedrone", (2.0, "g"), (55.0, "USD"))]),
    ("Экстази Tesla 250мг\n5 шт — 7 500₽", [(None, None, "mdma", (5.0, "unit"), (7500.0, "RUB"))]),
    ("В наличии: меф, шишки, гаш. Пишите @shop_bot", []),
    ("Спасибо, всё нашёл, клад на месте 👍", []),
    ("Алматы. Взял 2г за 28к, всё ровно", []),  # a review, not an offer
    ("Бонус 500₽ за отзыв с фото", []),  # a price with no amount offered
    ("Работаем 24/7, с 10:00 до 23:00, скидка 10%", []),
]


@pytest.mark.parametrize(("text", "want"), GOLDEN)
def test_golden_messages(x: Extractor, text: str, want: list[tuple]) -> None:
    assert rows(text, x) == want


def test_currency_falls_back_to_the_source_default(x: Extractor) -> None:
    assert rows("меф 1г — 15 000", x) == []  # no city, no symbol, no default: unknown currency, no price
    assert rows("меф 1г — 15 000", x, "KZT") == [(None, None, "mephedrone", (1.0, "g"), (15000.0, "KZT"))]
    assert rows("Москва: меф 1г — 5 000", x, "KZT")[0][4] == (5000.0, "RUB")  # the city's country first


def test_offers_are_numbered_and_keep_their_line(x: Extractor) -> None:
    offers = find_offers("Алматы\nмеф 1г — 15 000\nгаш 1г — 9 000", x)
    assert [(o.index, o.line) for o in offers] == [(0, "меф 1г — 15 000"), (1, "гаш 1г — 9 000")]


def test_hostile_text_is_bounded(x: Extractor) -> None:
    junk = ("Алматы: меф 1г — 15 000\n" * 5_000) + "\x00\ud800" + "9" * 100_000
    offers = find_offers(junk, x)
    assert 0 < len(offers) <= 500
    assert find_offers_many(["", "\n\n", "🔥" * 10_000], x) == [[], [], []]
    assert split_segments("a;b | c\n\nd") and all(len(s.raw) <= 1000 for s in split_segments("x" * 5000))
