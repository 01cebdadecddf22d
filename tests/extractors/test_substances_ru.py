"""Russian/Kazakh klad-shop slang (extractors/data/substances_ru.yaml) and its context rules."""

from __future__ import annotations

import pytest

from onionwatch.extractors.lexicon import load_lexicon
from onionwatch.extractors.pipeline import Extractor


def canonicals(extractor: Extractor, text: str) -> list[str]:
    return [s.canonical for s in extractor.extract(text).substances if s.known]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Меф кристаллы 1г", ["mephedrone"]),
        ("Шишки АК-47 2г", ["cannabis"]),
        ("СК крис 0.5", ["alpha-pvp"]),
        ("Гаш евро 5г", ["cannabis"]),
        ("Альфа 1г", ["alpha-pvp"]),
        ("Скорость 0.5", ["alpha-pvp"]),
        ("Кокс VHQ 1г", ["cocaine"]),
        ("K0KS 1г", ["cocaine"]),
        ("К0КС 0,5", ["cocaine"]),
        ("MEF 1g", ["mephedrone"]),
        ("Ск 1г", ["alpha-pvp"]),
        ("мяу 1г", ["mephedrone"]),
        ("хмурый 0.5", ["heroin"]),
        ("Гашиш 1г, план афганский, тайник", ["cannabis"]),  # "афганский" names the hash, not heroin
        ("Героин афганский 0,5г", ["heroin"]),
        ("шард 0.5", ["methamphetamine"]),
        ("лёд 1г", ["methamphetamine"]),
        ("гидра 2г", ["cannabis"]),
        ("гидропоника 1г", ["cannabis"]),
        ("чуйка 5г", ["cannabis"]),
        ("кислота 2 марки", ["lsd"]),  # two ambiguous names of one substance back each other
        ("кислота клад 1 шт", ["lsd"]),  # a klad word is drug context
        ("экси 2шт, Алматы, мкр Самал-2", ["mdma"]),
        ("лирика 300мг 10шт", ["pregabalin"]),
        ("methamfethamin crystal 0.3", ["methamphetamine"]),
        ("LSD 25 buds 2 GR", ["cannabis"]),  # a cannabis strain, not LSD
        ("2g 🍁🌿WEST COAST 420 O.G🍁🌿 (HIGH QUALITY)", ["cannabis"]),  # named only by the leaf, 420, O.G
    ],
)
def test_klad_labels(extractor: Extractor, text: str, expected: list[str]) -> None:
    assert canonicals(extractor, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "насвай 100г",  # chewing tobacco: not a drug
        "План на неделю",
        "кислота лимонная",
        "Первый канал",
        "Марки почтовые 5 шт",
        "Чуйская область, Бишкек",
        "SK 0.5",  # a Latin two-letter code with a bare number is too weak
        "Herbal tea 🌿 100g",  # a herb leaf is not cannabis
    ],
)
def test_ambiguous_words_need_context(extractor: Extractor, text: str) -> None:
    assert canonicals(extractor, text) == []


def test_ru_file_is_merged_into_the_default_lexicon() -> None:
    lex = load_lexicon()
    assert lex.strong["k0ks"] == "cocaine"
    assert lex.weak["гидра"] == "cannabis"
    assert "насвай" not in lex.strong and "насвай" not in lex.weak


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # α-PVP as "альфа"/"alfa" in Latin, Cyrillic, any case, with a klad-label weight in a Russian text
        ("ALFA 0,5 Москва", ["alpha-pvp"]),
        ("alfa 0.3 — клад", ["alpha-pvp"]),
        ("Alfa крис 0,5", ["alpha-pvp"]),
        ("АЛЬФА 0.5", ["alpha-pvp"]),
        ("альфу 1г", ["alpha-pvp"]),
        ("ALFA-PVP 1г", ["alpha-pvp"]),
        ("alfa-пвп 1г", ["alpha-pvp"]),
    ],
)
def test_alfa_forms(extractor: Extractor, text: str, expected: list[str]) -> None:
    assert canonicals(extractor, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "ALFA 0.5",  # an English text: a bare number is no klad label
        "SK 0,5 Москва",  # a two-letter Latin code stays too weak
        "Альфа-Банк 0,5 процента",  # the bank
        "Альфабанк карта 0,5",
        "Alfa Romeo 0.5 клад",
    ],
)
def test_alfa_needs_klad_context(extractor: Extractor, text: str) -> None:
    assert canonicals(extractor, text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # cannabis slang of klad shops and Central Asia (Kazakh шөп, Kyrgyz чөп: grass)
        ("Сканк 1г, клад", ["cannabis"]),
        ("Хаш 1г прикоп", ["cannabis"]),
        ("Кушь 2г, тайник", ["cannabis"]),
        ("Мариванна 1г", ["cannabis"]),
        ("Шөп 1г, клад магнит", ["cannabis"]),
        ("Чөп 1г, Бишкек, мкр Джал", ["cannabis"]),
        ("Изолятор 1г, клад", ["cannabis"]),
        # α-PVP: Kazakh тұз (salt); Latin "alpha" in a klad shop's text
        ("Тұз 0.5 клад", ["alpha-pvp"]),
        ("alpha 1g klad magnit", ["alpha-pvp"]),
        ("Alpha 0,5 — закладка, Алматы", ["alpha-pvp"]),
        ("Соль 1г прикоп", ["alpha-pvp"]),
        ("Скорость синяя 0.5, клад", ["alpha-pvp"]),
        ("XTC Paco Rabanne 300mg MDMA 10+1pc", ["mdma"]),  # a pill brand, not "paco" (coca paste)
    ],
)
def test_more_klad_slang(extractor: Extractor, text: str, expected: list[str]) -> None:
    assert canonicals(extractor, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Скорость доставки 1 день, курьер, 2 кг",  # delivery speed
        "Высокая скорость интернета 100 Мбит, 1г бонус",
        "Соль для ванн 1кг, клад",  # bath salt, even in a shop that says "клад"
        "Морская соль 500г",
        "Кристаллы Сваровски 5г",
        "Хаш из говядины, 1 порция",  # the soup
        "Сорвал куш 1000",
        "Alpha Pharma 10ml",  # a steroid brand: "alpha" needs a klad word
        "alpha 1g",
        "Alpha-GPC 300mg 60 caps",
        "Альфа-Банк карта 1г",
        "Наша команда: 1г бонус",  # "наша" is kept out on purpose
    ],
)
def test_more_slang_needs_context(extractor: Extractor, text: str) -> None:
    assert canonicals(extractor, text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # strains in Russian spelling; hash made by ice-water ("айс-о-лейтор" is no "айс" = ice = meth)
        ("Белая вдова 1г, клад", ["cannabis"]),
        ("Северное сияние 2г, прикоп", ["cannabis"]),
        ("Лимон Хейз 1г", ["cannabis"]),
        ("Джек Херер 1г", ["cannabis"]),
        ("Скунс 1г, клад", ["cannabis"]),
        ("Айс-о-лейтор 1г", ["cannabis"]),
        ("Фрешфрозен 1г", ["cannabis"]),
        ("Сухой фильтр 1г", ["cannabis"]),
        # cocaine by a Latin code or, in a klad shop, by its origin alone
        ("COKA 1г, клад", ["cocaine"]),
        ("KOKA 0.5 клад", ["cocaine"]),
        ("Перу 0.5 клад", ["cocaine"]),
        ("Колумбия 1г, магнит", ["cocaine"]),
        ("из Боливии 0.5, прикоп", ["cocaine"]),
    ],
)
def test_strains_and_cocaine_origins(extractor: Extractor, text: str, expected: list[str]) -> None:
    assert canonicals(extractor, text) == expected


@pytest.mark.parametrize(
    "text",
    ["Кофе Колумбия 250г", "Кофе из Колумбии 250г", "Тур в Перу 7 дней, 2 человека", "Скунс вонючий зверь",
     "Боливия 0,5 процента инфляции"],
)
def test_origins_and_animals_are_no_drug_alone(extractor: Extractor, text: str) -> None:
    assert canonicals(extractor, text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a price list's line opening with its own product and weight: the ambiguous name is a second offer
        ("Ташкент\nМефедрон 1г — 450 000 сум\nСК 0,5г — 250 000 сум", ["mephedrone", "alpha-pvp"]),
        ("Кокаин 1г — 60к\n🔥 Альфа 0,5г — 7к", ["cocaine", "alpha-pvp"]),
        ("СК 0,5г — 6 000 тг\nГаш 2г — 14 000 тг", ["alpha-pvp", "cannabis"]),  # the list's first line too
        # not without a line of its own and a weight right after the name
        ("Меф 1г — 13к\nСкорость доставки 1 час", ["mephedrone"]),
        ("Меф 1г, скорость 0,5г", ["mephedrone"]),
    ],
)
def test_an_ambiguous_name_opening_a_price_line(extractor: Extractor, text: str, expected: list[str]) -> None:
    assert canonicals(extractor, text) == expected
