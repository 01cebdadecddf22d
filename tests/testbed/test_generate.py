"""Generators: determinism, sizes, speed, ground-truth schema, vocabulary coverage, realism."""

from __future__ import annotations

import hashlib
import json
import re

import pytest

from onionwatch.extractors.records import CURRENCIES, UNITS
from onionwatch.testbed import gen_abyss, gen_kladmen, html_abyss, html_kladmen
from onionwatch.testbed.catalog import EN_PRODUCTS, RU_PRODUCTS
from onionwatch.testbed.generate import UnknownTestbedMarket, build_market
from onionwatch.testbed.vocab import SUBSTANCES

GENERATORS = {"abyss": gen_abyss.generate, "kladmen": gen_kladmen.generate}
_EMOJI = re.compile("[\U0001F300-\U0001FAFF\u2600-\u27BF\u2B50]")


def _digest(obj: object) -> str:
    return hashlib.sha256(json.dumps(obj, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def _pages(market: str, m) -> bytes:
    if market == "abyss":
        parts = [html_abyss.listing_page(li, "u") for li in m.listings[:50]]
        parts += [html_abyss.vendor_page(v, [], "u") for v in m.vendors[:20]]
    else:
        parts = [html_kladmen.product_page(li) for li in m.listings[:50]]
        parts += [html_kladmen.shop_page(v, []) for v in m.vendors[:20]]
    return "".join(parts).encode()


@pytest.mark.parametrize("market", ["abyss", "kladmen"])
def test_same_seed_same_truth_and_pages(market: str) -> None:
    gen = GENERATORS[market]
    a, b = gen(7, 60, 300), gen(7, 60, 300)
    assert _digest(a.truth()) == _digest(b.truth())
    assert _pages(market, a) == _pages(market, b)
    c = gen(8, 60, 300)
    assert _digest(c.truth()) != _digest(a.truth())


@pytest.mark.slow
@pytest.mark.parametrize("market", ["abyss", "kladmen"])
def test_default_size(market: str) -> None:
    m = GENERATORS[market](2026)
    assert len(m.vendors) >= 200 and len(m.listings) >= 2000
    assert len({li.listing_id for li in m.listings}) == len(m.listings)
    assert len({v.vendor_id for v in m.vendors}) == len(m.vendors)
    assert {li.vendor.vendor_id for li in m.listings} == {v.vendor_id for v in m.vendors}  # no idle vendor


def test_size_is_configurable_and_validated() -> None:
    m = build_market("kladmen", 3, 12, 40)
    assert (len(m.vendors), len(m.listings)) == (12, 40)
    with pytest.raises(ValueError):
        gen_abyss.generate(1, 10, 5)
    with pytest.raises(UnknownTestbedMarket):
        build_market("silkroad")


@pytest.mark.parametrize("market", ["abyss", "kladmen"])
def test_truth_schema(market: str) -> None:
    truth = build_market(market).truth()
    for t in truth["listings"]:
        assert t["url"] == ("/listing/" if market == "abyss" else "/tovar/") + t["listing_id"]
        assert t["price"]["currency"] in CURRENCIES and t["price"]["amount"] > 0
        assert (t["substance"] is None) == (not t["is_drug"]) == (t["substance_class"] is None)
        if t["substance"]:
            assert SUBSTANCES[t["substance"]][0] == t["substance_class"]
            assert t["quantity"]["unit"] in UNITS and t["quantity"]["value"] > 0
        else:
            assert t["quantity"] is None and t["tiers"] == []
        if t["dose"]:
            assert t["dose"]["unit"] in ("mg", "ug") and t["quantity"]["unit"] == "unit"
        if t["tiers"]:  # the first tier is the base offer
            assert t["tiers"][0]["quantity"] == t["quantity"] and t["tiers"][0]["price"] == t["price"]
        if market == "abyss":
            assert t["price"]["currency"] == "USD" and t["category"] and t["location"] is None
        else:
            city = t["location"].split(" / ")[0]
            kzt = city in ("Алматы", "Астана", "Шымкент", "Караганда")
            assert t["price"]["currency"] == ("KZT" if kzt else "RUB")
    for v in truth["vendors"]:
        assert v["pgp_fingerprint"] is None or re.fullmatch(r"[0-9A-F]{40}", v["pgp_fingerprint"])
        assert set(v["contacts"]) <= {"telegram", "session", "wickr", "jabber", "email"}
        assert set(v["crypto_addresses"]) <= {"BTC", "XMR"}
        for addr in v["crypto_addresses"].get("XMR", []):
            assert len(addr) == 95 and addr[0] == "4"


def test_vocab_lists_exactly_the_forms_the_catalogue_uses() -> None:
    used: dict[str, set[str]] = {}
    for p in EN_PRODUCTS + RU_PRODUCTS:
        assert p.canonical in SUBSTANCES
        used.setdefault(p.canonical, set()).update(p.forms)
    for canonical, (_cls, forms) in SUBSTANCES.items():
        assert set(forms) == used.get(canonical, set()), canonical
        assert canonical == canonical.lower()


@pytest.mark.parametrize("market", ["abyss", "kladmen"])
def test_titles_name_their_substance(market: str) -> None:
    forms = {c: [f.lower() for f in fs] for c, (_, fs) in SUBSTANCES.items()}
    for li in build_market(market).listings:
        if li.substance:
            assert any(f in li.title.lower() for f in forms[li.substance]), li.title


def test_prices_are_realistic_per_gram() -> None:
    en = [li for li in build_market("abyss").listings if li.substance == "cocaine" and li.quantity
          and li.quantity.unit == "g" and li.quantity.value == 1]
    assert en and all(60 <= li.price <= 125 for li in en)
    ru = build_market("kladmen").listings
    meph = [li for li in ru if li.substance == "mephedrone" and li.quantity and li.quantity.value == 1]
    rub = [li.price for li in meph if li.currency == "RUB"]
    kzt = [li.price for li in meph if li.currency == "KZT"]
    assert rub and all(2400 <= p <= 4100 for p in rub)
    assert kzt and all(14_000 <= p <= 26_000 for p in kzt)


def test_realism_en() -> None:
    ls = build_market("abyss").listings
    n = len(ls)
    non_drug = sum(not li.is_drug for li in ls) / n
    emoji = sum(bool(_EMOJI.search(li.title)) for li in ls) / n
    caps = sum(li.title == li.title.upper() and any(c.isalpha() for c in li.title) for li in ls) / n
    typos = sum(any(t in li.title.lower() for t in ("cocain ", "heroine", "ketamin ", "xanex", "qaulity",
                                                     "shiping", "methamfetamine", "amfetamine")) for li in ls) / n
    ladders = sum(bool(li.tiers) for li in ls) / n
    assert 0.07 <= non_drug <= 0.11
    assert 0.15 <= emoji <= 0.45
    assert 0.05 <= caps <= 0.2
    assert 0.02 <= typos <= 0.2
    assert 0.3 <= ladders <= 0.6
    assert any("," in li.price_text for li in ls)  # "USD 1,250.00" style thousands separators


def test_realism_ru() -> None:
    ls = build_market("kladmen").listings
    n = len(ls)
    slang = ("меф", "соль", "ск ", "шишки", "бошки", "гаш", "кокс", "гер ", "альфа", "крис", "микс", "спайс",
             "фен", "амф", "мяу", "скорость", "план", "марки", "хмурый")
    assert 0.07 <= sum(not li.is_drug for li in ls) / n <= 0.11
    assert sum(bool(re.search(r"\d,\d", li.title)) for li in ls) / n >= 0.15
    assert not any(re.search(r"\d\.\d\s*г", li.title) for li in ls)  # Russian decimals use commas
    assert sum(any(s in li.title.lower() + " " for s in slang) for li in ls) / n >= 0.3
    assert sum(bool(_EMOJI.search(li.title)) for li in ls) / n >= 0.15
    assert sum("курьер" in li.title.lower() or "работа" in li.title.lower() for li in ls) >= 5
    currencies = {li.currency for li in ls}
    assert currencies == {"RUB", "KZT"}
    assert any("₸" in li.price_text for li in ls) and any("тг" in li.price_text for li in ls)
    assert any("₽" in li.price_text for li in ls) and any("руб." in li.price_text for li in ls)
