"""Rules of issue 14 found on bench/corpus/en_dev2026g.jsonl (English generalisation dev set, 2025 market styles),
each with cases it applies to and readings it must leave alone: a price per QP/HP/zip; a currency code on the next
line leads its own amount; bare prices in street-size and low-gram ladders (listing mode, where the market currency
is known); "min 0.01 BTC" and "receive $1,000" are no price; capacities, needle gauges and software versions are no
amount; a peptide sold freeze-dried or named with a vial elsewhere is one vial; a bare strength after a pharma
or steroid name ("Sustanon 250", "Modalert 200 x 100"); equipment and cuts that name a drug; an ambiguous press name
in a description beside a named title substance."""

from __future__ import annotations

import pytest

from onionwatch.crawler.items import RawListing
from onionwatch.extractors.pipeline import Extractor
from onionwatch.extractors.prices import find_prices
from onionwatch.extractors.quantities import find_quantities
from tests.extractors.rule_cases import names, qp


def listing(extractor: Extractor, title: str, description: str = "", price_text: str = "") -> tuple:
    x = extractor.listing(RawListing(market="m", listing_id="1", url="", title=title, description=description,
                                     price_text=price_text, location=None, lang="en", currency="USD"))  # fmt: skip
    return (sorted(s.canonical for s in x.substances if s.known),
            (x.quantity.value, x.quantity.unit) if x.quantity else None,
            (x.dose.value, x.dose.unit) if x.dose else None,
            (x.price.amount, x.price.currency) if x.price else None)  # fmt: skip


def dose_of(extractor: Extractor, text: str) -> tuple | None:
    x = extractor.extract(text)
    return (x.dose.value, x.dose.unit) if x.dose else None


# ----------------------------------------------------------------------------- prices per street size
@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Runtz\n$1.4k/lb, $400/QP", ((16.0, "oz"), (1400.0, "USD"))),
        ("Runtz\n$400/QP", ((4.0, "oz"), (400.0, "USD"))),
        ("Runtz\n$750/HP", ((8.0, "oz"), (750.0, "USD"))),
        # a price per zip is unchanged: the zip after it is the amount ("28g" + "$190 per zip" stays 28 g)
        ("Kush\n$260/zip", ((1.0, "oz"), (260.0, "USD"))),
        ("Blue Dream 28g\n$190 per zip, 2 zips $360", ((28.0, "g"), (190.0, "USD"))),
        # a per-pound price and a per-gram one are unchanged
        ("Kush\n$1,100/lb", ((16.0, "oz"), (1100.0, "USD"))),
        ("Coke\n$90/g", ((1.0, "g"), (90.0, "USD"))),
    ],
)
def test_price_per_street_size(extractor: Extractor, text: str, want: tuple) -> None:
    assert qp(extractor, text) == want


# ----------------------------------------------------------------------------- a code leads the next line's amount
def test_code_on_the_next_line_leads_its_amount() -> None:
    assert [(p.amount, p.currency) for p in find_prices("Valium 10mg x 20\nXMR 0.3")] == [(0.3, "XMR")]
    assert [(p.amount, p.currency) for p in find_prices("Speed 10g x 2\nBTC 0.001")] == [(0.001, "BTC")]
    # a code after its amount on the same line, or alone on the next line, is unchanged
    assert [(p.amount, p.currency) for p in find_prices("Speed 10g, 40 EUR")] == [(40.0, "EUR")]
    assert [(p.amount, p.currency) for p in find_prices("Price 40\nEUR")] == [(40.0, "EUR")]


# ----------------------------------------------------------------------------- bare prices in a ladder (listing mode)
@pytest.mark.parametrize(
    ("title", "description", "want"),
    [
        ("Sour Diesel", "1/8 - 35\n1/4 - 65\n1/2 - 120\nO - 220", ((0.125, "oz"), (35.0, "USD"))),
        ("Sour Diesel", "8th - 40 | Q - 75 | Half - 140 | Zip - 260", ((0.125, "oz"), (40.0, "USD"))),
        ("Sour Diesel QP", "Cured. QP - 700 shipped", ((4.0, "oz"), (700.0, "USD"))),
        ("Speed", "5g - 20\n10g - 35\n25g - 80", ((5.0, "g"), (20.0, "USD"))),
        ("Kush", "1oz - 240 | 2oz - 460", ((1.0, "oz"), (240.0, "USD"))),
    ],
)
def test_bare_ladder_prices(extractor: Extractor, title: str, description: str, want: tuple) -> None:
    got = listing(extractor, title, description)
    assert (got[1], got[3]) == want


@pytest.mark.parametrize(
    ("title", "description", "want"),
    [
        # a lone letter or a small number after one dash is no price
        ("Kush Q", "Q - 8 strains in stock", None),
        ("Cocaine 1g", "1g - 30 reviews", None),
        ("Kush 3.5g", "Rating: 9/10 - 45 reviews", None),
        # a lone "1g - 80" keeps its price as before
        ("Cocaine 1g", "1g - 80", (80.0, "USD")),
    ],
)
def test_bare_ladder_left_alone(extractor: Extractor, title: str, description: str, want: tuple | None) -> None:
    assert listing(extractor, title, description)[3] == want


# ----------------------------------------------------------------------------- a minimum and what is received
@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Coin mixer\nFee 1.5%, min 0.005 BTC", []),
        ("Escrow service\nMinimum: $50, fee 3%", []),
        ("Ketamine 5g\nmin $40 for tracked. $110", [(110.0, "USD")]),
        ("Venmo transfer $2,000\nYou pay $300, receive $2,000", [(300.0, "USD")]),
        # minutes, a bank transfer and a payment by transfer keep their price
        ("Kush 3.5g\n30 min delivery $45", [(45.0, "USD")]),
        ("Kush 3.5g\nBank transfer $45 accepted", [(45.0, "USD")]),
        ("Kush 3.5g\nPaid by transfer: $45", [(45.0, "USD")]),
    ],
)
def test_minimum_and_received_are_no_price(text: str, want: list) -> None:
    assert [(p.amount, p.currency) for p in find_prices(text)] == want


# ----------------------------------------------------------------------------- amounts that are not offers
@pytest.mark.parametrize(
    "text",
    [
        "Mylar bags x 50\nSmell proof, fits 3.5g. $15",
        "Stash box\nHolds 7g, magnetic lid. $20",
        "Insulin syringes x 100\nSterile, 31G. $18",
        "Needles 27G x 100\n$12",
        "Python 3.5 market bot\nAuto-replies to buyers. $30",
        "Electrum 4.5 wallet setup\nRemote help. $20",
    ],
)
def test_no_amount(extractor: Extractor, text: str) -> None:
    assert extractor.extract(text).quantity is None


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # a mass without a capacity word, a gram amount far from any needle, lower-case grams: unchanged
        ("Heroin 25g\nWith free needles. $900", ((25.0, "g"), (900.0, "USD"))),
        ("Kush 3.5g\nSized for heads. $40", ((3.5, "g"), (40.0, "USD"))),
        # "Name N x M" at the end of a line: the pieces are the M
        ("Modalert 200 x 60\nModafinil. $50", ((60.0, "unit"), (50.0, "USD"))),
        ("10 x Xanax 2mg\n$40", ((10.0, "unit"), (40.0, "USD"))),
    ],
)
def test_amounts_kept(extractor: Extractor, text: str, want: tuple) -> None:
    assert qp(extractor, text) == want


def test_bare_street_number_kept() -> None:
    # a bare "3.5" after a strain name is still an eighth; after a software name it is a version
    assert [(q.value, q.unit) for q in find_quantities("Sherbanger 3.5")] == [(3.5, "g")]
    assert find_quantities("Python 3.5 scraper") == []


# ----------------------------------------------------------------------------- one vial of a peptide
@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Reta 10mg\nRetatrutide, lyophilized. $120", ((1.0, "unit"), (10.0, "mg"))),
        ("TB-500 5mg\nResearch peptide vial. $40", ((1.0, "unit"), (5.0, "mg"))),
        ("Ipamorelin 5mg\nFreeze-dried. $35", ((1.0, "unit"), (5.0, "mg"))),
        # packaging, a powder, several amounts: unchanged
        ("Fentanyl 50mg\nShipped in a glass vial. $60", ((50.0, "mg"), None)),
        ("Isotonitazene 50mg powder\nComes with a vial. $60", ((50.0, "mg"), None)),
        ("Test E 250mg/ml 10ml vial\n$45", ((10.0, "ml"), (250.0, "mg"))),
    ],
)
def test_peptide_vial(extractor: Extractor, text: str, want: tuple) -> None:
    x = extractor.extract(text)
    assert ((x.quantity.value, x.quantity.unit), (x.dose.value, x.dose.unit) if x.dose else None) == want


def test_peptide_vial_in_listing_mode(extractor: Extractor) -> None:
    assert listing(extractor, "Sema 5mg", "GLP-1 peptide, lyophilised. $75") == (
        ["semaglutide"], (1.0, "unit"), (5.0, "mg"), (75.0, "USD"))
    assert listing(extractor, "Metonitazene 50mg", "Shipped in a vial. $90")[1:3] == ((50.0, "mg"), None)


# ----------------------------------------------------------------------------- a bare strength after a pharma name
@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Sustanon 250\n10ml vial. $60", (250.0, "mg")),
        ("Test E 300 | 10ml\n€45", (300.0, "mg")),
        ("Modalert 200 x 60\nModafinil. $50", (200.0, "mg")),
        ("Oxy 30 x 10\n$250", (30.0, "mg")),
        ("Tramadol 100 x 30\n$60", (100.0, "mg")),
        # a code name, a microgram drug, a unit or word after the number, a count with a unit after x, a combined
        # strength, a number too small or not a multiple of 5: no dose from it
        ("RAD 140 x 60\n$50", None),
        ("MK 677 x 60\n$50", None),
        ("Clen 40 x 100\n$25", None),
        ("Xanax bars 500 pcs\n$450", None),
        ("HGH 100iu kit\nSomatropin 10 x 10iu. $250", None),
        ("Percocet 10/325 x 20\n$240", None),
        ("Xanax 2 x 30\n$60", None),
        ("Test cyp 250 + 2 vials deca\n$120", None),
        # a cannabis strain number is no strength
        ("Gelato 33 x 10 prerolls\n$80", None),
    ],
)
def test_bare_strength(extractor: Extractor, text: str, want: tuple | None) -> None:
    assert dose_of(extractor, text) == want


def test_bare_strength_in_listing_mode(extractor: Extractor) -> None:
    assert listing(extractor, "Deca 300", "10ml, Pharmacom.", "$70") == (
        ["nandrolone"], (10.0, "ml"), (300.0, "mg"), (70.0, "USD"))


# ----------------------------------------------------------------------------- goods that name a drug or an amount
@pytest.mark.parametrize(
    "text",
    [
        "Fake $50 bills x 20\nPasses the pen test. $150",
        "Glass jars 100ml x 12\nAirtight, for homebrew. $25",
        "Hemp seeds 500g\nTHC-free, raw. €8",
        "Pill mould for pressing\nSilicone, 200 cavities. $30",
        "Xanax bar mold x 2\nFood-grade. $20",
        "Scale 0.001g\nLab precision, 50g max. $40",
        "Rotovap 5L\nUsed, with chiller. $2,000",
        "Levamisole 100g\nFor cutting. $60",
        "Shipping labels x 10\nPrepaid. $30",
    ],
)
def test_goods_are_no_drug(extractor: Extractor, text: str) -> None:
    x = extractor.extract(text)
    assert [s.canonical for s in x.substances if s.known] == []
    assert x.quantity is None


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Golden Teacher 14g\nCheck out our LSD and DMT listings too. $100", ["psilocybin"]),
        ("Ketamine 5g\nSee my other listings for MDMA. €120", ["ketamine"]),
        # a drug named in a glass, a test or a bag of its own stays
        ("Crystal meth glass shards 3.5g\n$120", ["methamphetamine"]),
        ("Testosterone Enanthate 250mg/ml 10ml\nLab tested. $50", ["testosterone"]),
        ("Hemp flower 7g\nHigh THC. $60", ["cannabis"]),
    ],
)
def test_names_g(extractor: Extractor, text: str, want: list[str]) -> None:
    assert names(extractor, text) == want


def test_ambiguous_description_name_beside_a_named_title(extractor: Extractor) -> None:
    assert listing(extractor, "2C-B 25mg x 10", "Blue Tesla press. €40")[0] == ["2c-b"]
    # an unambiguous second name in the description is kept
    assert listing(extractor, "2C-B 25mg x 10", "Also 2C-E on request. €40")[0] == ["2c-b", "2c-e"]


# ----------------------------------------------------------------------------- a strain, a packing step, amps
def test_ice_cream_cake_strain(extractor: Extractor) -> None:
    assert listing(extractor, "Ice Cream Cake 7g", "Indoor. £60")[:2] == (["cannabis"], (7.0, "g"))
    assert names(extractor, "Ice Cream Cake 3.5g\nTop shelf. $45") == ["cannabis"]
    # a dessert described as one, an ice cream maker: no cannabis
    assert names(extractor, "Ice cream cake 1kg\nBirthday dessert, serves 10. $30") == []
    assert names(extractor, "Ice cream maker 1.5L\n$40") == []


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("MDMA 5g\nVacuum sealed x2, stealth. $120", ((5.0, "g"), (120.0, "USD"))),
        ("Kush 14g\nDouble bagged x3. $110", ((14.0, "g"), (110.0, "USD"))),
        # pieces after x stay
        ("LSD 100ug\nBlotters x10. $60", ((10.0, "unit"), (60.0, "USD"))),
    ],
)
def test_packing_step_is_no_count(extractor: Extractor, text: str, want: tuple) -> None:
    assert qp(extractor, text) == want


def test_bare_strength_before_pieces(extractor: Extractor) -> None:
    assert dose_of(extractor, "Sustanon 250 x 10 amps\n1ml each. €65") == (250.0, "mg")
    assert dose_of(extractor, "Tren 100 x 10 vials\n$300") == (100.0, "mg")


# ----------------------------------------------------------------------------- text mode: the title's amount in a ladder
@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Penis Envy 14g\n3.5g $40 | 7g $70 | 14g $120", ((14.0, "g"), (120.0, "USD"))),
        ("Amnesia 10g\n5g €40\n10g €75\n25g €170", ((10.0, "g"), (75.0, "EUR"))),
        # a title amount with its own price, or none in the ladder, leaves the ladder's first tier as the base
        ("Amnesia 10g €80\n5g €40 | 25g €170", ((10.0, "g"), (80.0, "EUR"))),
        ("Amnesia 2g\n5g €40 | 25g €170", ((5.0, "g"), (40.0, "EUR"))),
    ],
)
def test_title_amount_priced_in_the_ladder(extractor: Extractor, text: str, want: tuple) -> None:
    assert qp(extractor, text) == want
