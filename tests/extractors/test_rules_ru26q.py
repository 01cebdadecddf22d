"""Rules of issue 14 found on bench/corpus/ru_dev2026q.jsonl (Russian klad-shop product cards of the Matanga/Hydra
era, generalisation dev set) and on probes written after its first run, each with cases it applies to and readings it
must leave alone: a bare price after the unit it is the price of ("за грамм 14 000"), job ads typed in Latin letters,
car and bicycle wheels named "колёса", delivery by courier in a drug offer. Cases are fresh (not the set's texts)."""

from __future__ import annotations

import pytest

from onionwatch.extractors.pipeline import Extractor
from onionwatch.extractors.prices import find_prices
from tests.extractors.rule_cases import klad, names


def _prices(text: str, currency: str | None = "RUB") -> list[tuple]:
    return [(p.amount, p.currency, p.per) for p in find_prices(text, currency)]


# ----------------------------------------------------------------------------- prices
@pytest.mark.parametrize(("text", "currency", "want"), [
    ("Шишки за грамм 9 500", "KZT", [(9500.0, "KZT", "g")]),  # was no price
    ("Альфа, за гр: 4000", "RUB", [(4000.0, "RUB", "g")]),
    ("Экстази за штуку — 1200", "KGS", [(1200.0, "KGS", "unit")]),
    ("Цена за грамм: 3 100 ₽", "RUB", [(3100.0, "RUB", "g")]),  # with a currency, as before
    ("за 1 гр — 2800", "RUB", [(2800.0, "RUB", "g")]),  # one reading, not two
    ("за 3г — 8000", "RUB", [(8000.0, "RUB", None)]),  # a tier's price, not per gram
    ("поднял за грамм 5 минут", "RUB", []),  # a small number after "за грамм" is no price
])
def test_bare_price_after_its_unit(text: str, currency: str, want: list) -> None:
    assert _prices(text, currency) == want


def test_bare_price_after_its_unit_is_one_unit(extractor: Extractor) -> None:
    assert klad(extractor, "Гаш за грамм 12 000", "Алматы / Медеуский", None, "плюха, магнит") == \
        (["cannabis"], (1.0, "g"), (12000.0, "KZT"))
    assert klad(extractor, "Меф 3г", "Ташкент / Юнусабад", None, "за грамм 300 000") == \
        (["mephedrone"], (3.0, "g"), (900000.0, "UZS"))  # an amount of the same unit multiplies it out


# ----------------------------------------------------------------------------- non-drug
@pytest.mark.parametrize(("title", "description"), [
    ("Rabota kurierom", "zp ot 100k v nedelyu, mef, shishki"),
    ("Vakansiya: zakladchik", "mef/alfa, vyplaty kazhdyi den"),
    ("Trebuyutsya kladmeny", "gash, shishki, Almaty"),
])
def test_latin_job_ads_name_no_drug(extractor: Extractor, title: str, description: str) -> None:
    assert klad(extractor, title, "Москва / все районы", None, description) == ([], None, None)


def test_latin_offer_stays_a_drug(extractor: Extractor) -> None:
    assert names(extractor, "mef 1g VHQ, rabotaem 24/7, magnit") == ["mephedrone"]  # "rabotaem" is no job word


@pytest.mark.parametrize("text", [
    "Колеса R17 летние, 4 шт", "Колёса R 15 комплект", "Колёса 16\" на литье", "Зимние колёса, б/у",
    "Колёса для самоката, 2 шт", "Колёса в сборе, шипы",
])
def test_wheels_are_no_ecstasy(extractor: Extractor, text: str) -> None:
    assert names(extractor, text) == []


@pytest.mark.parametrize("text", ["Колёса 10 шт, Tesla 250мг", "Колеса 5 таб, экстази, магнит"])
def test_ecstasy_wheels_stay(extractor: Extractor, text: str) -> None:
    assert names(extractor, text) == ["mdma"]


@pytest.mark.parametrize(("text", "want"), [
    ("Меф 1г, доставка курьером по городу", ["mephedrone"]),  # a courier's job ad cue hid the drug
    ("Шишки 2г, курьерская доставка", ["cannabis"]),
    ("Работа курьером: доставка курьером, меф", []),  # a job ad still names no drug
    ("Ищем курьеров, шишки", []),
])
def test_delivery_by_courier_is_no_job_ad(extractor: Extractor, text: str, want: list) -> None:
    assert names(extractor, text) == want
