"""Districts of Telegram shop messages (issue 14: the weakest field): Kazakh/Uzbek marks, case forms, numbered
micro-districts, hashtags, "A / B" headings; messages written by hand for these tests, each rule with a negative."""

from __future__ import annotations

import pytest

from onionwatch.extractors.pipeline import Extractor
from onionwatch.extractors.places import district_as_shown, known_district
from onionwatch.extractors.telegram_offers import find_offers


@pytest.fixture(scope="module")
def x() -> Extractor:
    return Extractor()


def places(text: str, x: Extractor) -> list[tuple]:
    return [(o.city, o.district, o.price.amount if o.price else None) for o in find_offers(text, x)]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # Kazakh "қаласы" / "ауданы", Uzbek "тумани"
        ("Алматы қаласы, Медеу ауданы\nмеф 1г — 15 000", [("Алматы", "Медеу", 15000.0)]),
        ("Тошкент, Чилонзор тумани: шишки 1г 300 000 сўм", [("Тошкент", "Чилонзор", 300000.0)]),
        # a district in another case: shown in its listed form, the city it implies
        ("Работаем в Бостандыкском районе: шишки 1г 9000 тг", [("Алматы", "Бостандыкский", 9000.0)]),
        # a housing estate ("ж/м"), a numbered micro-district
        ("Бишкек\nж/м Ак-Ордо: скорость 0.5 — 1800 сом\nДжал-23: меф 1г — 3000 сом",
         [("Бишкек", "Ак-Ордо", 1800.0), ("Бишкек", "Джал-23", 3000.0)]),
        ("Ташкент\nЮнусабад-19: меф 1г 350 000 сум", [("Ташкент", "Юнусабад-19", 350000.0)]),
        ("Шымкент\nмкр Нурсат — меф 1г 14к\nСамал-2 — скорость 0.5 7к",
         [("Шымкент", "Нурсат", 14000.0), ("Шымкент", "Самал-2", 7000.0)]),
        # a district right after "Город:" ("Алматы: Турксиб — ...")
        ("Алматы: Турксиб — меф 1г 15 000; Жетысу — шишки 1г 9 000",
         [("Алматы", "Турксиб", 15000.0), ("Алматы", "Жетысу", 9000.0)]),
        # hashtags; a metro station
        ("#Алматы #Медеу\nмеф 1г — 15к", [("Алматы", "Медеу", 15000.0)]),
        ("Москва, м. Выхино: меф 1г 3000р", [("Москва", "Выхино", 3000.0)]),
        # "ЮАО / Чертаново": the finer of two known districts
        ("Москва\nЮАО / Чертаново: меф 1г 3000₽", [("Москва", "Чертаново", 3000.0)]),
        ("Астана\n📍 Сарыарка\nМеф 1г 16 000₸", [("Астана", "Сарыарка", 16000.0)]),
        # negatives: "Районы Алматы: ..." lists districts and names none; a list of hashtags with two districts
        ("Районы Алматы: Алмалинский, Ауэзовский, Медеуский\nМеф 1г — 15к", [("Алматы", None, 15000.0)]),
        ("#Алматы #Медеу #Ауэзов\nмеф 1г — 15к", [("Алматы", None, 15000.0)]),
        ("Алматы\nмеф 1г — 15 000", [("Алматы", None, 15000.0)]),
    ],
)
def test_districts(x: Extractor, text: str, want: list[tuple]) -> None:
    assert places(text, x) == want


@pytest.mark.parametrize(
    ("name", "want"),
    [
        ("Бостандыкском", ("Бостандыкский", "Almaty")),
        ("Аксай-1А", ("Аксай", "Almaty")),
        ("Джал 23", ("Джал-23", "Bishkek")),
        ("Чиланзар-7", ("Чиланзар", "Tashkent")),
        ("Меф-1", None),  # a numbered word is a district only when its name is one
        ("Районы", None),
        ("", None),
    ],
)
def test_known_district_forms(name: str, want: tuple[str, str] | None) -> None:
    assert known_district(name) == want


def test_district_as_shown_keeps_a_nominative_as_written() -> None:
    assert district_as_shown("Бостандык") == "Бостандык"
    assert district_as_shown("р-н Ауэзовскому") == "Ауэзовский"
    assert district_as_shown("м. Выхино") == "Выхино"
    assert district_as_shown("  ") is None
