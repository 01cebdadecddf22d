"""Rules of issue 14 found on bench/corpus/ru_dev2026d.jsonl (Russian/Central-Asian generalisation dev set), each
with cases it applies to and readings it must leave alone: "ханка" (opium) and "химка" (a solvent hash, not opium);
a word ending in a stray hard sign ("Гашъ"); everyday goods named by slang (a heat gun, flour, hydroponics
supplies, alpha-lipoic acid, a floor plan, "высший сорт"); pieces counted by a number word ("Одна марка");
a discount threshold ("от 5г дешевле") beside a per-gram price; a courier's or a graffiti painter's pay per task;
an ambiguous product opening a price-list line after a city label ("Астана: скорость 1г 15к") or before a dose
("Марки 250мкг:"); the spelling "Алмата" and Osh's micro-districts."""

from __future__ import annotations

import pytest

from onionwatch.extractors.pipeline import Extractor
from onionwatch.extractors.telegram_offers import find_offers_many
from tests.extractors.rule_cases import klad, names


# ----------------------------------------------------------------------------- lexicon
@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Ханка 1 мл\nприкоп", ["opium"]),
        ("Ханку 2 мл, тайник", ["opium"]),
        ("Озеро Ханка, экскурсия на выходные", []),  # a lake, no drug context
        ("Химка 2г\nклад", ["cannabis"]),  # a solvent hash: no opium
        ("Химка 1г, пластилин", ["cannabis"]),
        ("Меф 1г\nклад в Химках", ["mephedrone"]),  # the town is no hash
        ("Гашъ 2г\nтайник", ["cannabis"]),  # a stray hard sign
        ("Мефъ 1г, магнит", ["mephedrone"]),
        ("Объявление: подъезд, съезд", []),  # a hard sign inside a word is ordinary Russian
    ],
)
def test_lexicon(extractor: Extractor, text: str, want: list[str]) -> None:
    assert names(extractor, text) == want


# ----------------------------------------------------------------------------- everyday goods named by slang
@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Фен строительный\n2000 Вт", []),
        ("Фен технический 1800 Вт", []),
        ("Мука пшеничная 2 кг\nвысший сорт", []),
        ("Ржаная мука 1 кг", []),
        ("Удобрения для гидропоники\nнабор A+B, 1 л", []),
        ("Система гидропоники на 12 растений", []),
        ("Альфа-липоевая кислота 60 капсул\nБАД, 600 мг", []),
        ("Аскорбиновая кислота 100 таблеток", []),
        ("План этажа квартиры\nчертёж, 2 комнаты", []),
        ("Бизнес-план кафе", []),
        # the slang itself stays a drug
        ("Фен 1г\nамф, паста", ["amphetamine"]),
        ("Меф мука 1г, магнит", ["mephedrone"]),
        ("Гидропоника 2г\nшишки, прикоп", ["cannabis"]),
        ("План 5г\nприкоп", ["cannabis"]),
        ("Кислота 2 марки", ["lsd"]),
        ("Шишки 1г высший сорт", ["cannabis"]),
    ],
)
def test_everyday_goods(extractor: Extractor, text: str, want: list[str]) -> None:
    assert names(extractor, text) == want


# ----------------------------------------------------------------------------- counts by number word
@pytest.mark.parametrize(
    ("title", "description", "quantity"),
    [
        ("Одна марка 200 мкг", "LSD, бумага, магнит", (1.0, "unit")),
        ("Марка 250мкг", "одна марка, тайник", (1.0, "unit")),
        ("Экстази 250мг", "две таблетки, прикоп", (2.0, "unit")),
        ("Марки 250мкг", "5 шт, магнит", (5.0, "unit")),  # digits as before
    ],
)
def test_word_counts(extractor: Extractor, title: str, description: str, quantity: tuple) -> None:
    assert klad(extractor, title, "Москва / ЦАО", "1 800 ₽", description)[1] == quantity


def test_a_number_word_alone_is_no_count(extractor: Extractor) -> None:
    assert extractor.extract("Одна из лучших марок кофе").quantity is None


# ----------------------------------------------------------------------------- discount thresholds
@pytest.mark.parametrize(
    ("title", "description", "want"),
    [
        ("Мефедрон", "3 000 руб/г, от 5г дешевле", ((1.0, "g"), (3000.0, "RUB"))),
        ("Мефедрон", "3 000 руб/г, опт от 10г", ((1.0, "g"), (3000.0, "RUB"))),
        ("Шишки", "2 500 руб за грамм, скидка от 5г", ((1.0, "g"), (2500.0, "RUB"))),
        # "от" alone is the smallest offer, kept
        ("Меф от 1г", "1г — 3000р, 2г — 5800р", ((1.0, "g"), (3000.0, "RUB"))),
    ],
)
def test_discount_thresholds(extractor: Extractor, title: str, description: str, want: tuple) -> None:
    assert klad(extractor, title, "Тольятти / Автозаводский", None, description)[1:] == want


# ----------------------------------------------------------------------------- pay per task
@pytest.mark.parametrize(
    ("title", "description"),
    [
        ("Работа закладчиком", "Оплата 500 ₽ за надпись, 1 000 ₽ за клад"),
        ("Граффитчик", "500 руб за надпись на стене, 300 руб за трафарет"),
        ("Курьеры", "Платим: 2 000 сом за адрес, 3 000 сом за тайник"),
    ],
)
def test_pay_per_task_is_no_price(extractor: Extractor, title: str, description: str) -> None:
    assert klad(extractor, title, "Москва / ЦАО", None, description)[2] is None


def test_a_price_per_klad_stays(extractor: Extractor) -> None:
    assert klad(extractor, "Меф 1г", "Москва / ЦАО", None, "3000р за клад, магнит")[2] == (3000.0, "RUB")


# ----------------------------------------------------------------------------- price-list lines
@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Астана: скорость 1г 15к\nКараганда: скорость 1г 14к, гаш 2г 18к", ["alpha-pvp", "cannabis"]),
        ("Мефедрон:\n 1г — 14 000₸\nМарки 250мкг:\n 1 шт — 8 000₸", ["lsd", "mephedrone"]),
        ("Меф 1г — 3000р\nДоставка: скорость 1 час", ["mephedrone"]),  # no weight after the label's word
    ],
)
def test_price_list_lines(extractor: Extractor, text: str, want: list[str]) -> None:
    assert names(extractor, text) == want


# ----------------------------------------------------------------------------- places
def test_almata_is_almaty(extractor: Extractor) -> None:
    assert klad(extractor, "Меф 1г", "Алмата / Ауэзовский р-н", "13 500", "мука") == (
        ["mephedrone"], (1.0, "g"), (13500.0, "KZT"))


def test_osh_micro_district_in_a_telegram_heading(extractor: Extractor) -> None:
    offers = find_offers_many(["Ош 🔥 Амир-Тимур\nГер 0.5г — 2 500\nГер 1г — 4 500"], extractor)[0]
    assert [(o.district, o.price.amount if o.price else None, o.price.currency if o.price else None)
            for o in offers] == [("Амир-Тимур", 2500.0, "KGS"), ("Амир-Тимур", 4500.0, "KGS")]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Химка 2г, спайс", ["mdmb-4en-pinaca"]),  # herb sprayed with a synthetic cannabinoid: its carrier
        ("Химка 2г, пластилин", ["cannabis"]),
        ("Шишки 2г и спайс 1г", ["cannabis", "mdmb-4en-pinaca"]),  # a named cannabis product stays
    ],
)
def test_sprayed_herb(extractor: Extractor, text: str, want: list[str]) -> None:
    assert names(extractor, text) == want


@pytest.mark.parametrize(
    ("message", "district"),
    [
        ("Тбилиси Ваке\nМеф 1г — 120 ₾", "Ваке"),
        ("Киев 🔥 Оболонь\nШишки 1г — 500 грн", "Оболонь"),
        ("Минск, Уручье\nМеф 1г — 95 BYN", "Уручье"),
        ("Душанбе Сино\nГероин 1г — 650 сомони", "Сино"),
        ("Тбилиси\nМеф 1г — 120 ₾", None),  # no district named
    ],
)
def test_more_cities_districts(extractor: Extractor, message: str, district: str | None) -> None:
    offers = find_offers_many([message], extractor)[0]
    assert [o.district for o in offers] == [district]


# ----------------------------------------------------------------------------- currencies, ranges, spellings
@pytest.mark.parametrize(
    ("title", "location", "price_text", "price"),
    [
        ("Героин 1г", "Душанбе / Сино", "600 смн", (600.0, "TJS")),  # the somoni's abbreviation
        ("Героин 1г", "Душанбе / Сино", "600 сомон", (600.0, "TJS")),
        ("Гаш 1г", "Бишкек / Джал", "1 500 сом", (1500.0, "KGS")),  # still the som
        ("Кокаин 1г", "Москва / ЦАО", "10 000 - 12 000 ₽", (10000.0, "RUB")),  # a range: its first amount
        ("Кокаин 1г", "Москва / ЦАО", "от 10 000 до 12 000 руб", (10000.0, "RUB")),
        ("Меф 2г", "Москва / ЦАО", "2 - 5000 ₽", (5000.0, "RUB")),  # a weight before a price is no range
        ("Меф 1г", "Нурсултан / Есиль", "15к", (15000.0, "KZT")),
    ],
)
def test_currencies_ranges_spellings(extractor: Extractor, title: str, location: str, price_text: str,
                                     price: tuple) -> None:
    assert klad(extractor, title, location, price_text)[2] == price


# ----------------------------------------------------------------------------- Telegram rows
def offers_of(extractor: Extractor, message: str) -> list[tuple]:
    return [(o.district, o.substance.canonical if o.substance else None,
             (o.quantity.value, o.quantity.unit) if o.quantity else None, o.price.amount if o.price else None)
            for o in find_offers_many([message], extractor)[0]]  # fmt: skip


@pytest.mark.parametrize(
    ("message", "want"),
    [
        # a bare whole number after the product, below a row sold by the gram
        ("Алматы, Алатауский р-н\nМефедрон 0.5 - 7000\nМефедрон 1 - 13000",
         [("Алатауский", "mephedrone", (0.5, "g"), 7000.0), ("Алатауский", "mephedrone", (1.0, "g"), 13000.0)]),
        # not after a word that names no product, not with no row by the gram before
        ("Алматы\nМеф 1г — 14к\nДоставка 2 - 3000", [(None, "mephedrone", (1.0, "g"), 14000.0)]),
        ("Алматы\nМеф 1 - 13000", []),
        # a district with a number in brackets after an offer
        ("Алматы\nМеф 1г — 14к (Самал-2)\nМеф 1г — 13к (Аксай-4)",
         [("Самал-2", "mephedrone", (1.0, "g"), 14000.0), ("Аксай-4", "mephedrone", (1.0, "g"), 13000.0)]),
    ],
)
def test_telegram_rows(extractor: Extractor, message: str, want: list[tuple]) -> None:
    assert offers_of(extractor, message) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Трава газонная 1 кг", []),
        ("Лекарственные травы 100г, ромашка", []),
        ("Кислота лимонная 1кг", []),  # the noun first
        ("Марихуана футболка\nпринт лист", []),  # merchandise
        ("Шишки 1г + наклейка в подарок", ["cannabis"]),  # a soft word beside a weight
        ("Трава 5г\nшмаль", ["cannabis"]),
    ],
)
def test_more_everyday_goods(extractor: Extractor, text: str, want: list[str]) -> None:
    assert names(extractor, text) == want


@pytest.mark.parametrize(
    ("text", "price"),
    [
        ("Меф 1г 3к500", (3500.0, "RUB")),
        ("Меф 1г — 3к5", (3500.0, "RUB")),
        ("Шишки 1г 12к5", (12500.0, "RUB")),
        ("Меф 1г 3к", (3000.0, "RUB")),
        ("Меф 1г 3к 500г", (3000.0, "RUB")),  # a space: the 500 is something else
    ],
)
def test_glued_thousands_and_hundreds(extractor: Extractor, text: str, price: tuple) -> None:
    x = extractor.extract(text)
    assert x.price is not None and (x.price.amount, x.price.currency) == price


def test_glued_hundreds_in_a_telegram_list(extractor: Extractor) -> None:
    assert [o[3] for o in offers_of(extractor, "Мск\nМеф 1г — 3к5\nМеф 2г — 6к5")] == [3500.0, 6500.0]


@pytest.mark.parametrize(
    ("message", "district"),
    [
        ("Москва, СВАО (Медведково)\nМеф 1г — 3200₽", "Медведково"),  # the finer of two known districts
        ("Наличие Алматы Жетысу\nМеф 1г 14к", "Жетысу"),  # as written, not the listed "Жетысуский"
        ("Алматы, в Ауэзовском районе\nМеф 1г — 13к", "Ауэзовский"),  # another case: the listed form
    ],
)
def test_heading_district_as_written(extractor: Extractor, message: str, district: str) -> None:
    assert [o.district for o in find_offers_many([message], extractor)[0]] == [district]


@pytest.mark.parametrize(
    ("title", "description", "price"),
    [
        ("Закладчик в Ташкент", "от 50 000 сум за адрес", None),  # the job only in the title
        ("Весы ювелирные", "1 200 ₽, оплата при получении", (1200.0, "RUB")),  # what the buyer pays stays
    ],
)
def test_job_in_the_title_pay_in_the_description(extractor: Extractor, title: str, description: str,
                                                 price: tuple | None) -> None:
    assert klad(extractor, title, "Ташкент / центр", None, description)[2] == price


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Гашишь 2г", ["cannabis"]),  # a soft sign after a hissing consonant
        ("Мышь компьютерная, 2 шт", []),  # a word that is spelled so
        ("Экстаси 2шт 250мг", ["mdma"]),
        ("Ектази 2шт", ["mdma"]),
        ("Трамодол 10шт", ["tramadol"]),
    ],
)
def test_misspellings(extractor: Extractor, text: str, want: list[str]) -> None:
    assert names(extractor, text) == want


@pytest.mark.parametrize(
    ("message", "want"),
    [
        ("Алматы\n1г меф — 14к\n2г меф — 26к",
         [(None, "mephedrone", (1.0, "g"), 14000.0), (None, "mephedrone", (2.0, "g"), 26000.0)]),
        # a priced amount before a second product stays the first product's
        ("Алматы\nМеф 1г — 14к\n2г — 26к, шишки 1г 9к",
         [(None, "mephedrone", (1.0, "g"), 14000.0), (None, "mephedrone", (2.0, "g"), 26000.0),
          (None, "cannabis", (1.0, "g"), 9000.0)]),
    ],
)
def test_amount_before_the_product(extractor: Extractor, message: str, want: list[tuple]) -> None:
    assert offers_of(extractor, message) == want
