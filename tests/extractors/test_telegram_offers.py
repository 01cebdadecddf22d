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


# Formats the generator did not write before issue 14: abbreviations, transliterations, micro-districts,
# district headings without a marker, Kazakh "қаласы"/"ауданы", glued "32ктг", price first, per-city prices
# under one product, "в <city>" in a line, sold-out lines.
HARDER = [
    ("Алм, мкр Самал-2: СК крис 0.5 — 12.000₸, 1г — 20.000₸", [
        ("Алматы", "Самал-2", "alpha-pvp", (0.5, "g"), (12000.0, "KZT")),
        ("Алматы", "Самал-2", "alpha-pvp", (1.0, "g"), (20000.0, "KZT"))]),
    ("🏙 Астана\nЕсиль ауданы:\nКокс VHQ 1г — 45 000 тг", [("Астана", "Есиль", "cocaine", (1.0, "g"), (45000.0, "KZT"))]),
    ("Шымкент қаласы\nМефедрон 1 гр 👉 18000", [("Шымкент", None, "mephedrone", (1.0, "g"), (18000.0, "KZT"))]),
    ("Москва ЦАО\nАльфа 0.5 - 2500", [("Москва", "ЦАО", "alpha-pvp", (0.5, "g"), (2500.0, "RUB"))]),
    ("Мефедрон 1г\nАлматы — 15 000\nАстана — 16 000", [
        ("Алматы", None, "mephedrone", (1.0, "g"), (15000.0, "KZT")),
        ("Астана", None, "mephedrone", (1.0, "g"), (16000.0, "KZT"))]),
    ("Цены в Нск: соль 1г 2500р", [("Новосибирск", None, "alpha-pvp", (1.0, "g"), (2500.0, "RUB"))]),
    ("Закладки по Астане: меф 1г 17000", [("Астана", None, "mephedrone", (1.0, "g"), (17000.0, "KZT"))]),
    ("Караганда\nМайкудук:\nАмф 1г 7к\nПришахтинск:\nАмф 2г 13к", [
        ("Караганда", "Майкудук", "amphetamine", (1.0, "g"), (7000.0, "KZT")),
        ("Караганда", "Пришахтинск", "amphetamine", (2.0, "g"), (13000.0, "KZT"))]),
    ("Караганда: Лёд 1гр: 32ктг, 2г: 10.5 тыстг", [
        ("Караганда", None, "methamphetamine", (1.0, "g"), (32000.0, "KZT")),
        ("Караганда", None, "methamphetamine", (2.0, "g"), (10500.0, "KZT"))]),
    ("КАРАГАНДА / район Казыбек би — Мет 6.500 за 0.3 г, 33500₸ за 1 г", [
        ("Караганда", "Казыбек би", "methamphetamine", (0.3, "g"), (6500.0, "KZT")),
        ("Караганда", "Казыбек би", "methamphetamine", (1.0, "g"), (33500.0, "KZT"))]),
    ("📍Мск: Спиды — 1 900 руб./г; СК — 2.800 за грамм", [
        ("Москва", None, "amphetamine", (1.0, "g"), (1900.0, "RUB")),
        ("Москва", None, "alpha-pvp", (1.0, "g"), (2800.0, "RUB"))]),
    ("Алматы:\n❌ меф 1г — 15000 (нет в наличии)\n✅ шишки 1г — 9000", [
        ("Алматы", None, "cannabis", (1.0, "g"), (9000.0, "KZT"))]),
    ("Almaty | MEF 1g — 15000 KZT", [("Almaty", None, "mephedrone", (1.0, "g"), (15000.0, "KZT"))]),
    ("Выберите город:\n🏙 Алматы | 🏙 Астана | 🏙 Шымкент\nНажмите /menu", []),
    ("Район Медеу:\nКокс 1г 50000", [("Алматы", "Медеу", "cocaine", (1.0, "g"), (50000.0, "KZT"))]),  # city implied
    ("Алматы:\nМедеу — меф 1г 15000\nБостандык — меф 1г 16000", [
        ("Алматы", "Медеу", "mephedrone", (1.0, "g"), (15000.0, "KZT")),
        ("Алматы", "Бостандык", "mephedrone", (1.0, "g"), (16000.0, "KZT"))]),
    ("Алматы\nМеф 1г — 15 000 (Медеу)", [("Алматы", "Медеу", "mephedrone", (1.0, "g"), (15000.0, "KZT"))]),
    ("АЛМАТЫ | Алмалинский р-он\nМеф 0.5 - 8000", [("Алматы", "Алмалинский", "mephedrone", (0.5, "g"), (8000.0, "KZT"))]),
    # chewing tobacco is not a drug: the line is priced but names no substance
    ("Бостандыкский р-н: насвай 100г — 500", [("Алматы", "Бостандыкский", None, (100.0, "g"), (500.0, "KZT"))]),
]


@pytest.mark.parametrize(("text", "want"), HARDER)
def test_harder_messages(x: Extractor, text: str, want: list[tuple]) -> None:
    assert rows(text, x) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # under a product heading "крупные кристаллы" describes that product
        ("Алматы\nМефедрон:\nкрупные кристаллы 1г — 15 000\n2г — 28 000", [
            ("Алматы", None, "mephedrone", (1.0, "g"), (15000.0, "KZT")),
            ("Алматы", None, "mephedrone", (2.0, "g"), (28000.0, "KZT"))]),
        # a line naming its own product is that product; "кристаллы" alone is α-PVP
        ("Алматы\nМефедрон 1г — 15 000\nКристаллы 1г — 12 000", [
            ("Алматы", None, "mephedrone", (1.0, "g"), (15000.0, "KZT")),
            ("Алматы", None, "alpha-pvp", (1.0, "g"), (12000.0, "KZT"))]),
        ("Алматы\nМефедрон:\n1г — 15 000\nШишки 1г — 9 000\nКристаллы 1г — 12 000", [
            ("Алматы", None, "mephedrone", (1.0, "g"), (15000.0, "KZT")),
            ("Алматы", None, "cannabis", (1.0, "g"), (9000.0, "KZT")),
            ("Алматы", None, "alpha-pvp", (1.0, "g"), (12000.0, "KZT"))]),
    ],
)  # fmt: skip
def test_crystals_under_a_product_heading(x: Extractor, text: str, want: list[tuple]) -> None:
    assert rows(text, x) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # a decimal thousands price per gram is one gram at that price, not 2.5 g
        ("Москва: меф 2,5 тыс. за грамм", [("Москва", None, "mephedrone", (1.0, "g"), (2500.0, "RUB"))]),
        # a piece count under a product
        ("Бишкек\nЭкстази:\n10шт — 10 000 сом", [("Бишкек", None, "mdma", (10.0, "unit"), (10000.0, "KGS"))]),
    ],
)  # fmt: skip
def test_prices_per_gram_and_piece_counts(x: Extractor, text: str, want: list[tuple]) -> None:
    assert rows(text, x) == want


def test_a_crystals_heading_of_its_own_is_a_new_product(x: Extractor) -> None:
    text = "Алматы\nМефедрон:\n1г — 15 000\nКристаллы крупные:\n1г — 12 000"
    assert rows(text, x) == [("Алматы", None, "mephedrone", (1.0, "g"), (15000.0, "KZT")),
                             ("Алматы", None, "alpha-pvp", (1.0, "g"), (12000.0, "KZT"))]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # a whole number leading a price-list row is its weight in grams
        ("Караганда\nМЕФ\n0,5 - 8 000\n1 - 15 000\n2 - 28 000", [
            ("Караганда", None, "mephedrone", (0.5, "g"), (8000.0, "KZT")),
            ("Караганда", None, "mephedrone", (1.0, "g"), (15000.0, "KZT")),
            ("Караганда", None, "mephedrone", (2.0, "g"), (28000.0, "KZT"))]),
        ("Алматы\nМеф\n▪️0.5 — 8к ▪️1 — 15к", [
            ("Алматы", None, "mephedrone", (0.5, "g"), (8000.0, "KZT")),
            ("Алматы", None, "mephedrone", (1.0, "g"), (15000.0, "KZT"))]),
        # a city in the heading before an offer line's colon
        ("Цены Астана: меф 1г/15к, 2г/28к", [
            ("Астана", None, "mephedrone", (1.0, "g"), (15000.0, "KZT")),
            ("Астана", None, "mephedrone", (2.0, "g"), (28000.0, "KZT"))]),
        # no city: the one currency the message writes prices its bare amounts
        ("🔥Альфа (кристаллы) 0.5г – 9000тг\n🔥СК 0,3г=5000", [
            (None, None, "alpha-pvp", (0.5, "g"), (9000.0, "KZT")),
            (None, None, "alpha-pvp", (0.3, "g"), (5000.0, "KZT"))]),
    ],
)
def test_rows_headings_and_the_shop_currency(x: Extractor, text: str, want: list[tuple]) -> None:
    assert rows(text, x) == want


@pytest.mark.parametrize(
    "text",
    [
        "Меф 0.5г — 9000тг\nСК 0,3г — 25$\nШишки 1г — 5000",  # two currencies written: a bare amount has none
        "Доставка 2 - 3 часа\nМеф 1г",  # a duration, not a row; no price anyway
        "Меф 1г — 5000",  # no city, no currency written, no default
    ],
)
def test_no_shop_currency_no_guess(x: Extractor, text: str) -> None:
    assert all(r[4] is None or r[4][0] != 5000.0 for r in rows(text, x))


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # tiers on one line, separated by " / " (issue 14): every tier is an offer
        ("Алматы\nМеф: 0,5г — 7 000 / 1г — 13 000 / 2г — 24 000", [
            ("Алматы", None, "mephedrone", (0.5, "g"), (7000.0, "KZT")),
            ("Алматы", None, "mephedrone", (1.0, "g"), (13000.0, "KZT")),
            ("Алматы", None, "mephedrone", (2.0, "g"), (24000.0, "KZT"))]),
        # a price per gram written with "/" stays one offer of one gram
        ("Москва: меф 3500/г", [("Москва", None, "mephedrone", (1.0, "g"), (3500.0, "RUB"))]),
    ],
)  # fmt: skip
def test_tiers_on_one_line_split_by_slashes(x: Extractor, text: str, want: list[tuple]) -> None:
    assert rows(text, x) == want
