"""A header message's city carried to the next messages (issue 14 item 5, tg_dev2026n): "📍 Караганда" then district
price lists that name no city. Messages written by hand for these tests (not the dev set's); each rule with the
readings it must leave alone (a stale header, a two-city header, an explicit city, a district of another city)."""

from __future__ import annotations

import pytest

from onionwatch.extractors.pipeline import Extractor
from onionwatch.extractors.telegram_offers import HeaderCity, find_offers_many, header_city


@pytest.fixture
def x(extractor: Extractor) -> Extractor:
    return extractor  # the session's one Extractor (conftest.py)


@pytest.mark.parametrize(("text", "want"), [
    ("📍 Караганда", "Караганда"),
    ("КАРАГАНДА — прайс на сегодня", "Караганда"),
    ("Бишкек 👇👇", "Бишкек"),
    ("📍 Бишкек | 08.12", "Бишкек"),
    ("Астана / Алматы", ""),  # a header naming two cities: ends the context, names none
    ("Караганда, меф 1г — 14 000 тг", None),  # an offer, not a header
    ("Ищем курьеров, пиши оператору", None),  # no city
    ("Сегодня в Алматы закладки раскиданы по всем районам города, новые адреса будут вечером, следите", None),
])
def test_header_city(text: str, want: str | None) -> None:
    assert header_city(text) == want


def _cities(msgs: list[tuple[str, str]], title: str | None = None) -> list[str | None]:
    ctx = HeaderCity(title)
    return [ctx.city_for(text, date) for text, date in msgs]


def test_header_carries_until_the_next_header_and_within_the_bound() -> None:
    got = _cities([
        ("📍 Павлодар", "2026-12-08T08:00:00"),
        ("Ленинский — меф 1г 15 000", "2026-12-08T08:30:00"),
        ("Работаем круглосуточно, оператор @op", "2026-12-08T09:00:00"),
        ("Ленинский — меф 2г 28 000", "2026-12-08T19:30:00"),  # 11.5 h after the header
        ("Бишкек — прайс", "2026-12-08T20:00:00"),
        ("Ленинский — меф 1г 4 500", "2026-12-08T20:10:00"),
        ("Ленинский — меф 1г 4 500", "2026-12-09T08:30:00"),  # 12.5 h: stale
        ("Астана / Алматы", "2026-12-09T09:00:00"),
        ("Ленинский — меф 1г 4 500", "2026-12-09T09:10:00"),
    ])
    assert got[1:4] == ["Павлодар"] * 3
    assert got[5] == "Бишкек"
    assert got[6] is None and got[8] is None  # stale; after a two-city header


def test_edited_header_counts_from_its_edit_and_title_is_the_fallback() -> None:
    ctx = HeaderCity("Бишкек Клад")
    assert ctx.city_for("Ленинский — меф 1г 4 500", "2026-12-08T07:00:00") == "Бишкек"
    ctx.city_for("📍 Караганда", "2026-12-08T00:00:00", edited="2026-12-08T10:00:00")
    assert ctx.city_for("Октябрьский — меф 1г", "2026-12-08T21:00:00") == "Караганда"
    assert ctx.city_for("Октябрьский — меф 1г", "2026-12-08T23:00:00") == "Бишкек"  # past: title


def test_per_message_city_lends_only_where_the_message_names_none(x: Extractor) -> None:
    texts = [
        "Октябрьский р-н\nмеф 1г — 14 000\nмеф 2г — 26 000",  # bare prices: the header city's currency too
        "Ош, мкр Анар\nальфа 1г — 5 000 сом",  # its own city wins
        "Майкудук — шишки 1г 9 000 тг",  # only Karaganda lists it: kept whatever the header
    ]
    got = find_offers_many(texts, x, default_city=["Karaganda", "Бишкек", "Бишкек"])
    rows = [[(o.city, o.district, o.price.currency if o.price else None) for o in offers] for offers in got]
    assert [r[0] for r in rows[0]] == ["Karaganda", "Karaganda"]
    assert [r[2] for r in rows[0]] == ["KZT", "KZT"]
    assert rows[1][0][0] in {"Ош", "Osh"}
    assert rows[2][0][0] in {"Караганда", "Karaganda"}
    # without a city, the bare-price list is no offer at all (no currency): the header is what prices it
    assert find_offers_many(texts[:1], x) == [[]]
    with pytest.raises(ValueError):
        find_offers_many(texts, x, default_city=["Karaganda"])
