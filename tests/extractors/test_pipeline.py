"""The Extractor API the crawl pipeline calls: listing(), listings() (batched), vendor(), extract_many()."""

from __future__ import annotations

import pytest

from onionwatch.crawler.items import RawListing
from onionwatch.extractors.pipeline import Extractor
from onionwatch.extractors.records import Quantity


def raw(**kw: object) -> RawListing:
    base = {"market": "m", "listing_id": "1", "url": "/l/1", "title": ""}
    return RawListing(**(base | kw))  # type: ignore[arg-type]


def test_listing_primary_substance_is_first_in_title(extractor: Extractor) -> None:
    li = extractor.listing(raw(title="Ketamine + MDMA combo 1g", description="also LSD on request"))
    assert (li.substance, li.substance_class) == ("ketamine", "dissociative")
    assert [s.canonical for s in li.substances] == ["ketamine", "mdma", "lsd"]


def test_listing_description_is_the_fallback(extractor: Extractor) -> None:
    li = extractor.listing(raw(title="VHQ product 5g", description="Pure mephedrone crystals from NL"))
    assert li.substance == "mephedrone"


def test_listing_tiers_price_and_per_gram(extractor: Extractor) -> None:
    li = extractor.listing(
        raw(
            title="Uncut Smack",
            price_text="USD 141.00 / 0.0021 BTC",
            currency="USD",
            tiers=["2 g — USD 141.00", "3.5 g — USD 235.00"],
        )  # fmt: skip
    )
    assert li.substance == "heroin"  # ambiguous slang accepted: the tier lines give drug context
    assert (li.quantity.value, li.quantity.unit) == (2.0, "g")
    assert (li.price.amount, li.price.currency) == (141.0, "USD")
    assert li.price_per_gram_usd == pytest.approx(70.5)
    assert [t.base for t in li.tiers] == [True, False]
    assert li.tiers[1].price_usd == 235.0


def test_listing_prefers_market_currency(extractor: Extractor) -> None:
    li = extractor.listing(raw(title="MDMA 1g", price_text="0.0012 BTC (USD 45.00)", currency="USD"))
    assert (li.price.amount, li.price.currency) == (45.0, "USD")
    li = extractor.listing(raw(title="MDMA 1g", price_text="0.0012 BTC (USD 45.00)", currency="BTC"))
    assert li.price.currency == "BTC"


def test_listing_price_per_unit_and_dose_from_title(extractor: Extractor) -> None:
    li = extractor.listing(
        raw(
            title="Xanex 1mg *SALE*",
            price_text="USD 37.00",
            currency="USD",
            tiers=["10 bars — USD 37.00", "25 bars — USD 86.00"],
        )  # fmt: skip
    )
    assert li.substance == "alprazolam"
    assert (li.quantity.value, li.quantity.unit) == (10.0, "unit")
    assert (li.dose.value, li.dose.unit) == (1.0, "mg")
    assert li.price_per_unit_usd == pytest.approx(3.7)
    assert li.price_per_gram_usd is None


@pytest.mark.parametrize(
    ("title", "description", "dose"),
    [
        ("Экстази Philipp Plein 2 шт", "Таблы 280мг МДМА, магнит", (280.0, "mg")),  # pieces: the per-piece strength
        ("Марки 3 шт", "ЛСД 200 мкг, клад", (200.0, "ug")),
        ("Меф 1г", "Кристаллы, 500мг тоже есть, магнит", None),  # grams sold: a mg in the description is no dose
    ],
)
def test_klad_dose_from_the_description(
    extractor: Extractor, title: str, description: str, dose: tuple[float, str] | None
) -> None:
    li = extractor.listing(raw(title=title, description=description, location="Алматы / Медеуский р-н",
                               price_text="18 000 ₸", currency="RUB", lang="ru"))  # fmt: skip
    assert (None if li.dose is None else (li.dose.value, li.dose.unit)) == dose


@pytest.mark.parametrize(
    ("title", "description", "quantity", "dose"),
    [
        # the title shows only the strength, the description the pieces (ca_dev2026)
        ("Таблы Red Bull 250mg", "экстази, 2 шт, клад", (2.0, "unit"), (250.0, "mg")),
        ("Марки LSD 250 мкг", "бумага, 1 шт, магнит", (1.0, "unit"), (250.0, "ug")),
        ("Экстази Tesla 250мг 2шт", "таблы, магнит", (2.0, "unit"), (250.0, "mg")),
        ("Меф 1г", "Кристаллы, 2 шт в наличии", (1.0, "g"), None),  # grams in the title: they are the amount
    ],
)
def test_klad_pieces_from_the_description(
    extractor: Extractor, title: str, description: str, quantity: tuple[float, str], dose: tuple[float, str] | None
) -> None:
    li = extractor.listing(raw(title=title, description=description, location="Шымкент / Енбекшинский р-н",
                               price_text="14к", currency="RUB", lang="ru"))  # fmt: skip
    assert li.quantity is not None and (li.quantity.value, li.quantity.unit) == quantity
    assert (None if li.dose is None else (li.dose.value, li.dose.unit)) == dose


def test_priced_description_tiers_keep_their_pieces(extractor: Extractor) -> None:
    """The description's pieces count only when it shows no price: priced tiers there decide the amount."""
    li = extractor.listing(raw(title="Xanax 2mg", description="$40 for 20 pills, $90 for 50 pills", currency="USD"))
    assert li.quantity is not None and (li.quantity.value, li.quantity.unit) == (20.0, "unit")
    assert li.dose is not None and (li.dose.value, li.dose.unit) == (2.0, "mg")


def test_kladmen_style_listing(extractor: Extractor) -> None:
    li = extractor.listing(
        raw(
            title="🚀 скорость 🚀",
            price_text="6 300 р.",
            currency="RUB",
            lang="ru",
            tiers=["2 г — 6 300 р.", "3 г — 9 100 р."],
            scraped_at="2026-11-29T10:00:00Z",
        )  # fmt: skip
    )
    assert (li.substance, li.lang) == ("alpha-pvp", "ru")
    assert (li.quantity.value, li.price.amount, li.price.currency) == (2.0, 6300.0, "RUB")
    assert li.price_usd is not None and li.price_per_gram_usd == pytest.approx(li.price_usd / 2, rel=1e-3)


def test_listing_oz_price_per_gram_uses_street_ounce(extractor: Extractor) -> None:
    li = extractor.listing(raw(title="Gelato 1oz", price_text="$280", currency="USD"))
    assert li.price_per_gram_usd == pytest.approx(10.0)


def test_non_drug_listing(extractor: Extractor) -> None:
    li = extractor.listing(raw(title="50x Counterfeit 20 EUR notes", price_text="USD 595.00", currency="USD"))
    assert (li.substance, li.quantity, li.substances) == (None, None, [])
    assert li.price.amount == 595.0


def test_listings_batch_equals_single(extractor: Extractor) -> None:
    raws = [raw(listing_id=str(i), title=t, price_text=p, currency=c)
            for i, (t, p, c) in enumerate([("Cocaine 1g", "$80", "USD"), ("Меф 1г", "2500 руб", "RUB"),
                                            ("Guide to growing weed", "$5", "USD")])]  # fmt: skip
    assert [li.to_dict() for li in extractor.listings(raws)] == [extractor.listing(r).to_dict() for r in raws]


def test_vendor_id_from_url(extractor: Extractor) -> None:
    li = extractor.listing(raw(title="x", vendor_url="/vendor/CryptoStore420"))
    assert li.vendor_id == "CryptoStore420"


def test_extract_many_keeps_order_across_languages(extractor: Extractor) -> None:
    texts = ["Меф 1г", "Cocaine 1g", "Шишки 2г", "LSD x10"]
    got = [(r.lang, r.substances[0].canonical) for r in extractor.extract_many(texts, batch_size=2)]
    assert got == [("ru", "mephedrone"), ("en", "cocaine"), ("ru", "cannabis"), ("en", "lsd")]


def test_extraction_dict_matches_the_cli_schema(extractor: Extractor) -> None:
    d = extractor.extract("Xanax 2mg x 10 $30").to_dict()
    assert set(d) == {"lang", "substances", "quantity", "dose", "price", "price_usd", "tiers"}
    assert set(d["substances"][0]) >= {"canonical", "class", "text", "start", "end", "known"}
    assert d["quantity"] == {"value": 10.0, "unit": "unit"} and d["dose"] == {"value": 2.0, "unit": "mg"}


def _qp(li: object) -> tuple[tuple[float, str] | None, tuple[float, str] | None]:
    q, p = li.quantity, li.price  # type: ignore[attr-defined]
    return (q.value, q.unit) if q else None, (p.amount, p.currency) if p else None


@pytest.mark.parametrize(
    ("title", "description", "price_text", "location", "currency", "want"),
    [
        # a piece count priced in the description of a titled product (as under a Telegram product heading)
        ("Экстази Мерседес", "10шт — 10 000 сом", "", "Бишкек / центр", "RUB", ((10.0, "unit"), (10000.0, "KGS"))),
        ("Экстази", "Таблетки 5 шт - 3000р, клад", "", None, "RUB", ((5.0, "unit"), (3000.0, "RUB"))),
        ("LSD blotters", "10 pcs — $50", "", None, "USD", ((10.0, "unit"), (50.0, "USD"))),
        # ... or in the price field
        ("Экстази Мерседес", "", "10шт — 10 000 сом", "Бишкек / центр", "RUB", ((10.0, "unit"), (10000.0, "KGS"))),
        ("MDMA pills", "", "10 pcs — $50", None, "USD", ((10.0, "unit"), (50.0, "USD"))),
        # the title's amount still comes first
        ("Экстази 20шт", "10шт — 10 000 сом", "", "Бишкек / центр", "RUB", ((20.0, "unit"), (10000.0, "KGS"))),
        # a price field with no amount leaves the quantity to the title
        ("Экстази 10шт", "", "10 000 сом", "Бишкек / центр", "RUB", ((10.0, "unit"), (10000.0, "KGS"))),
    ],
)
def test_piece_counts_priced_in_listing_mode(
    extractor: Extractor, title: str, description: str, price_text: str, location: str | None, currency: str,
    want: tuple[object, object],
) -> None:
    li = extractor.listing(raw(title=title, description=description, price_text=price_text, location=location,
                               currency=currency))  # fmt: skip
    assert _qp(li) == want


@pytest.mark.parametrize(
    ("title", "description", "price_text"),
    [
        ("Купюры 1000 ₽", "10 шт — 3000р", ""),  # a count with no substance is no drug quantity
        ("Tickets", "", "2 pcs — $50"),
    ],
)
def test_counts_without_a_substance_stay_unquantified(
    extractor: Extractor, title: str, description: str, price_text: str
) -> None:
    li = extractor.listing(raw(title=title, description=description, price_text=price_text, currency="RUB"))
    assert li.quantity is None


def _subs(li: object) -> list[str]:
    return [s.canonical for s in li.substances if s.known]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("title", "description", "location", "want"),
    [
        # ambiguous title slang with klad context elsewhere in the listing: a klad word in the description or a
        # district shown in the location (a dead-drop address)
        ("ALFA", "Клад магнит", None, ["alpha-pvp"]),
        ("ALFA 3000р", "", "Москва / ЦАО", ["alpha-pvp"]),
        ("Альфа", "3000р", "Москва / Хамовники", ["alpha-pvp"]),
        ("ALFA 0.5", "", "Москва / ЦАО", ["alpha-pvp"]),
        # without it the word stays unread
        ("ALFA 3000р", "", None, []),
        ("ALFA 3000р", "", "Москва", []),  # a city alone is no dead drop
        ("ALFA 3000р", "", "Worldwide / EU", []),  # nor a shipping region
        ("Альфа", "Доставка по городу", None, []),
    ],
)
def test_ambiguous_title_slang_with_klad_context(
    extractor: Extractor, title: str, description: str, location: str | None, want: list[str]
) -> None:
    li = extractor.listing(raw(title=title, description=description, location=location, currency="RUB"))
    assert _subs(li) == want


@pytest.mark.parametrize(
    ("title", "description", "category", "want"),
    [
        # "кристаллы" describes the substance named in the listing: no α-PVP beside it
        ("Мефедрон 1г", "Крупные кристаллы, клад", None, ["mephedrone"]),
        ("Кристаллы 1г", "Мефедрон высшего качества, клад", None, ["mephedrone"]),
        ("Крупные кристаллы 1г", "", "Мефедрон", ["mephedrone"]),
        ("MDMA 1g", "large crystal rocks", None, ["mdma"]),
        # alone, or with another α-PVP name, it is α-PVP
        ("Кристаллы 1г", "клад", None, ["alpha-pvp"]),
        ("Соль 1г", "Крупные кристаллы", None, ["alpha-pvp"]),
        ("Крупные кристаллы 1г", "", "Разное", ["alpha-pvp"]),
    ],
)
def test_crystals_describe_the_named_substance(
    extractor: Extractor, title: str, description: str, category: str | None, want: list[str]
) -> None:
    li = extractor.listing(raw(title=title, description=description, category=category, location="Москва / ЦАО",
                               currency="RUB"))  # fmt: skip
    assert _subs(li) == want


def test_a_tier_line_repeated_in_a_batch_gives_each_listing_its_own_tiers(extractor: Extractor) -> None:
    lines = ["1 g — USD 60.00", "5 g — USD 250.00"]
    a, b = extractor.listings([raw(listing_id=str(i), title="Cocaine", tiers=list(lines)) for i in (1, 2)])
    assert a.tiers == b.tiers and [t.price.amount for t in a.tiers if t.price] == [60.0, 250.0]
    assert all(x is not y for x, y in zip(a.tiers, b.tiers, strict=True))  # one parse, separate records


# issue 14, en_dev2026
def test_a_generic_class_word_in_the_description_gives_way_to_the_titles_name(extractor: Extractor) -> None:
    li = extractor.listing(raw(title="YK-11 5mg 60 tabs", description="Myostatin inhibitor SARM. $52"))
    assert [s.canonical for s in li.substances] == ["yk-11"]
    li = extractor.listing(raw(title="SARMs 60 caps", description="Ostarine MK-2866 25mg"))
    assert [s.canonical for s in li.substances] == ["ostarine"]


def test_a_description_guess_adds_nothing_to_a_named_title(extractor: Extractor) -> None:
    li = extractor.listing(raw(title="China white heroin #4 - 1g", description="Top grade, 1g $110 2g $200"))
    assert [s.canonical for s in li.substances] == ["heroin"]
    li = extractor.listing(raw(title="Eutylone crystals 5g", description="Molly replacement, $70"))
    assert [s.canonical for s in li.substances] == ["eutylone"]  # a name compared with in the description
    li = extractor.listing(raw(title="Fresh product 7g", description="Top grade, indoor, 7g $60"))
    assert [s.canonical for s in li.substances] == ["cannabis"]  # no name in the title: the guess stands


def test_pieces_priced_one_by_one_take_the_milligrams_as_dose(extractor: Extractor) -> None:
    e = extractor.extract("Dilaudid 8mg\nHydromorphone 8mg, $30 each")
    assert (e.quantity, e.dose) == (Quantity(1.0, "unit"), Quantity(8.0, "mg"))
    e = extractor.extract("Ketamine 500mg $30")  # no per-piece price: the milligrams are the amount
    assert (e.quantity, e.dose) == (Quantity(500.0, "mg"), None)


@pytest.mark.parametrize(
    ("title", "description", "price"),
    [
        ("Complete indoor grow guide", "PDF, 120 pages. Lights, nutrients, curing. $12", 12.0),
        ("Cracked Adobe Photoshop 2025", "Lifetime license, $15", 15.0),
        ("Drop courier wanted - guide included", "PDF guide. Earn $500 per week", None),  # pay is no price
        ("Трафаретчик", "Работа: рисовать рекламу, 2 000 ₸ за надпись", None),  # pay per task in a job ad
    ],
)
def test_a_non_drug_description_gives_the_price(
    extractor: Extractor, title: str, description: str, price: float | None
) -> None:
    li = extractor.listing(raw(title=title, description=description, currency="USD"))
    assert (li.price.amount if li.price else None) == price


def test_the_strength_written_per_piece_is_the_dose(extractor: Extractor) -> None:
    e = extractor.extract("THC gummies 500mg pack (10 x 50mg)\n$25 per pack")
    assert (e.quantity, e.dose) == (Quantity(10.0, "unit"), Quantity(50.0, "mg"))
    e = extractor.extract("MDMA 250mg x 10")  # the count after the strength: unchanged
    assert (e.quantity, e.dose) == (Quantity(10.0, "unit"), Quantity(250.0, "mg"))
