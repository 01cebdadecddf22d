"""Rules of issue 14 found on bench/corpus/en_dev2026c.jsonl and ru_dev2026c.jsonl (generalisation dev sets), each
with cases it applies to and readings it must leave alone: everyday goods named by a slang word (crystals for an
aquarium, fir cones, postage stamps, a hair dryer, edible mushrooms, Elf Bar vapes, rehab), a texture or an aroma
("glass like shatter", "smells of spice"), CBD-free hemp seeds; generic names beside a named one (nitazene, K2),
a carrier or an ingredient beside its product (CBD beside THC-P, ketamine beside tusi), "альфа-пихп"; counts in
"stk"/"pellets"/"флакон", a piece's weight beside a count ("5 pack (1g each)"), a bare "OZ", a bare price after
"1г /", tier ladders ("1/2/5г", "2000 / 3800 / 9000 ₽"), "€/g 9"; currencies
("tg", Latin "som", "мың", "Gel tabs") and small Kazakh towns whose bare "14к" is tenge."""

from __future__ import annotations

import pytest

from onionwatch.extractors.pipeline import Extractor
from tests.extractors.rule_cases import klad, names, qp


# ----------------------------------------------------------------------------- everyday goods, textures, aromas
@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Кристаллы для аквариума\nДекоративные камни 1 кг", []),
        ("Шишки еловые декоративные\nДля поделок, 50 шт", []),
        ("Марки почтовые СССР\nКоллекция 100 шт", []),
        ("Фен для волос Dyson\nОригинал, новый", []),
        ("Грибы белые сушёные 500г\nЛесные, сбор 2025", []),
        ("Вейп Elf Bar 5000\nОдноразка, клубника", []),
        ("Лечение зависимости — реабилитация\nПомощь при зависимости от мефедрона", []),
        ("Vape pen 510 battery\nCompatible with all carts, $15", []),
        ("CBD-free hemp seeds 1kg\nBird food, $10", []),
        ("Shatter - Wedding Cake 1g\nGlass like shatter. 1g $25 / 5g $100", ["cannabis"]),
        ("Moroccan hash 10g\nSoft, smells of spice. €60", ["cannabis"]),
        # the slang itself stays a drug
        ("Шишки 1г\nбошки, прикоп", ["cannabis"]),
        ("Марки 250мкг x2\nЛСД, бумага", ["lsd"]),
        ("Грибы 3г\nПсилоцибы, сушёные", ["psilocybin"]),
        ("Фен 2г\nАмф, белый", ["amphetamine"]),
        ("Xanax bars 2mg x 50", ["alprazolam"]),
        ("Hemp seeds Northern Lights auto x5 $40", ["cannabis"]),
        ("Spice 1g\nK2, $20", ["mdmb-4en-pinaca"]),
        ("14G SPICE - BLUEBERRY BUBBLEGUM", ["cannabis", "mdmb-4en-pinaca"]),  # spice beside a strain stays
    ],
)
def test_everyday_goods_and_slang(extractor: Extractor, text: str, want: list[str]) -> None:
    assert names(extractor, text) == want


def test_a_shadowed_name_leaves_no_drug_amount(extractor: Extractor) -> None:
    assert qp(extractor, "Соль для ванн 1 кг\nМорская соль, лаванда") == (None, None)


# ----------------------------------------------------------------------------- generic names, carriers, ingredients
@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Protonitazene 1g\nNitazene, extremely potent, $200", ["protonitazene"]),
        ("Nitazene 1g $100", ["nitazene"]),
        ("ADB-BUTINACA 5g\nK2 raw powder, $200", ["adb-butinaca"]),
        ("THC-P flower 5g\nCBD flower sprayed with THCP, €35", ["thcp"]),
        ("CBD flower 5g $30", ["cbd"]),
        ("Tusi 'pink cocaine' 3.5g\n2C-B ketamine mix, $100", ["tusi"]),
        ("Ketamine 1g and MDMA 1g $90", ["ketamine", "mdma"]),
        ("a-PiHP 1г\nальфа-пихп, крис", ["alpha-phip"]),
        ("Скорость альфа 1г 3000р", ["alpha-pvp"]),
    ],
)
def test_generic_carrier_ingredient(extractor: Extractor, text: str, want: list[str]) -> None:
    assert names(extractor, text) == want


# ----------------------------------------------------------------------------- units and layouts
@pytest.mark.parametrize(
    ("text", "quantity", "price"),
    [
        ("Punisher XTC 25 stk\nblue punishers 270mg, €75", (25.0, "unit"), (75.0, "EUR")),
        ("rivotril 2mg.. 10 stk..", (10.0, "unit"), None),
        ("Bromazolam 20 pellets 1mg €20", (20.0, "unit"), (20.0, "EUR")),
        ("Purple Punch smalls OZ\npopcorn nugs, $160", (1.0, "oz"), (160.0, "USD")),
        ("get an oz of za $250", (1.0, "oz"), (250.0, "USD")),
        ("UGL OZ Testosterone Propionate 100mg/mL (10mL)", (10.0, "ml"), None),  # a lab's name
        ("(16 FL. OZ) of codeine and promethazine", None, None),  # a fluid ounce
        ("Amnesia Haze €/g 9\nmin order 5g", (1.0, "g"), (9.0, "EUR")),
        ("1/2/5g Gelato 2000 / 3800 / 9000 $", (1.0, "g"), (2000.0, "USD")),
        ("Shrooms 1/2 oz - B+\n$70", (0.5, "oz"), (70.0, "USD")),  # a fraction stays a fraction
        ("Zkittlez 3.5 | $40", (3.5, "g"), (40.0, "USD")),  # one amount before the price is no ladder
        ("Alprazolam 2mg - 10 / 30 / 100 pills | $25 / $65 / $180", (10.0, "unit"), (25.0, "USD")),
        ("LSD tabs 150ug x 10\nGel tabs, $70", (10.0, "unit"), (70.0, "USD")),  # no lari
        ("Mephedrone 1g 100 GEL", (1.0, "g"), (100.0, "GEL")),
        ("Pre-rolls 5 pack (1g each)\nInfused pre rolls, $40", (5.0, "unit"), (40.0, "USD")),  # a piece's weight
        ("Carts 0.5g each x 10 $150", (10.0, "unit"), (150.0, "USD")),
        ("Cocaine 1g each $80", (1.0, "g"), (80.0, "USD")),  # no count: the weight stays
    ],
)
def test_units_and_layouts(extractor: Extractor, text: str, quantity: object, price: object) -> None:
    assert qp(extractor, text) == (quantity, price)


@pytest.mark.parametrize(
    ("title", "location", "price_text", "want"),
    [
        ("Меф крис 1г", "Жезказган / центр", "14к", (["mephedrone"], (1.0, "g"), (14000.0, "KZT"))),
        ("Мефедрон 1г", "Балхаш / мкр", "14 000", (["mephedrone"], (1.0, "g"), (14000.0, "KZT"))),
        ("Shishki 1g", "Бишкек / Первомайский", "2500 som", (["cannabis"], (1.0, "g"), (2500.0, "KGS"))),
        ("Gash 2g", "Ташкент / Мирзо-Улугбек", "700 000 so'm", (["cannabis"], (2.0, "g"), (700000.0, "UZS"))),
        ("Меф 1 гр — 14 мың тг", "Туркестан / центр", "", (["mephedrone"], (1.0, "g"), (14000.0, "KZT"))),
        ("MEF kristall 1g", "Алматы / Бостандыкский р-н", "15 000 tg", (["mephedrone"], (1.0, "g"), (15000.0, "KZT"))),
        ("Тропикамид 1 флакон", "Красноярск / Советский", "800 ₽", (["tropicamide"], (1.0, "unit"), (800.0, "RUB"))),
        ("Шишки 1/2/5г", "Москва / САО", "2000 / 3800 / 9000 ₽", (["cannabis"], (1.0, "g"), (2000.0, "RUB"))),
        ("Меф 1г / 2500", "Мурманск / Октябрьский", "", (["mephedrone"], (1.0, "g"), (2500.0, "RUB"))),  # bare, a bar
        ("Меф 1г | 15000", "Алматы / центр", "", (["mephedrone"], (1.0, "g"), (15000.0, "KZT"))),
        ("Шишки 1г / 2г", "Москва / САО", "2000 ₽", (["cannabis"], (1.0, "g"), (2000.0, "RUB"))),  # no amount read
    ],
)
def test_klad_currency_and_units(extractor: Extractor, title: str, location: str, price_text: str, want: tuple) -> None:
    assert klad(extractor, title, location, price_text) == want
