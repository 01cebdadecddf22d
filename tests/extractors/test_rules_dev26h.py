"""Rules of issue 14 found on bench/corpus/en_dev2026h.jsonl (English generalisation dev set, quantity forms) and
on phrasings probed beside it, each with cases it applies to and readings it must leave alone: pieces counted by an
English number word ("ten pills"); a serving after dose/dosage/take is no amount ("dose 1-2ml"); street sizes
counted ("2 QPs"); a bare "1/16" is a teener; bacteriostatic water and calibration weights are no drug amount;
"space cookies" are cannabis edibles, a cookie cutter is not."""

from __future__ import annotations

import pytest

from onionwatch.crawler.items import RawListing
from onionwatch.extractors.pipeline import Extractor
from onionwatch.extractors.quantities import find_quantities
from tests.extractors.rule_cases import names, qp


def listing(extractor: Extractor, title: str, description: str = "", price_text: str = "",
            quantity: str | None = None) -> tuple:
    x = extractor.listing(RawListing(market="m", listing_id="1", url="", title=title, description=description,
                                     price_text=price_text, location=None, lang="en", currency="USD",
                                     quantity=quantity))  # fmt: skip
    return (sorted(s.canonical for s in x.substances if s.known),
            (x.quantity.value, x.quantity.unit) if x.quantity else None,
            (x.dose.value, x.dose.unit) if x.dose else None,
            (x.price.amount, x.price.currency) if x.price else None)  # fmt: skip


def qd(extractor: Extractor, text: str) -> tuple:
    x = extractor.extract(text)
    return ((x.quantity.value, x.quantity.unit) if x.quantity else None,
            (x.dose.value, x.dose.unit) if x.dose else None)  # fmt: skip


# ----------------------------------------------------------------------------- pieces by an English number word
@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Adderall 30mg - ten pills\n$80", ((10.0, "unit"), (30.0, "mg"))),
        ("Xanax 2mg bars - twenty bars\n$60", ((20.0, "unit"), (2.0, "mg"))),
        ("Roxicodone 30mg, five tabs\n$120", ((5.0, "unit"), (30.0, "mg"))),
        ("Valium 10mg - fifty tablets\n$40", ((50.0, "unit"), (10.0, "mg"))),
    ],
)
def test_english_word_counts(extractor: Extractor, text: str, want: tuple) -> None:
    assert qd(extractor, text) == want


def test_english_word_counts_leave_alone(extractor: Extractor) -> None:
    # "one" is advice more often than an offer; a digit count beside it wins
    assert qd(extractor, "LSD 200ug x 10\nOne tab is plenty. $70") == ((10.0, "unit"), (200.0, "ug"))
    assert not [q for q in find_quantities("one pill a day") if q.kind == "count"]
    # a number word glued into another word is no count ("often tabs")
    assert not [q for q in find_quantities("Often tabs are sold out") if q.kind == "count"]


# ----------------------------------------------------------------------------- a serving is no amount
@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("GHB 250ml\nLiquid, dose 1-2ml. €40", (250.0, "ml")),
        ("GBL 100ml\nDosage: 1ml max every 2 hours. $30", (100.0, "ml")),
        ("Ketamine 5g\nTake 0.1g to start. $100", (5.0, "g")),
        ("GBL\nRecommended dose 1.5ml. $30", None),
        ("GHB\nTake 1-2ml. $30", None),
        # "take" with one amount is an offer
        ("Ketamine\nTake 5g for $100", (5.0, "g")),
    ],
)
def test_dosing_instruction_is_no_amount(extractor: Extractor, text: str, want: tuple | None) -> None:
    assert qd(extractor, text)[0] == want


def test_dosing_keeps_a_strength(extractor: Extractor) -> None:
    # micrograms and milligrams after "dose" are still the piece's strength
    assert qd(extractor, "LSD tabs, dose 150ug\n10 tabs $70") == ((10.0, "unit"), (150.0, "ug"))
    # an amount not after a dosing word is unchanged
    assert qd(extractor, "GHB 250ml\nLiquid. €40") == ((250.0, "ml"), None)


# ----------------------------------------------------------------------------- street sizes counted, a teener
@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Weed 2 QPs\n$1200", (8.0, "oz")),
        ("Weed 2 x QP\n$1200", (8.0, "oz")),
        ("Zkittlez 3 qps\n$1650", (12.0, "oz")),
        ("Weed 2 HPs\n$1700", (16.0, "oz")),
        ("Weed QP\n$600", (4.0, "oz")),
        ("Meth 1/16\n$30", (0.0625, "oz")),
        ("Meth 1/16th - $30", (0.0625, "oz")),
    ],
)
def test_street_sizes(extractor: Extractor, text: str, want: tuple) -> None:
    assert qp(extractor, text)[0] == want


def test_street_sizes_leave_alone(extractor: Extractor) -> None:
    assert qp(extractor, "Water pump 5 hp motor\n$100") == (None, (100.0, "USD"))  # horsepower
    assert qp(extractor, "Ratio 1/16 of the dose") == (None, None)


# ----------------------------------------------------------------------------- non-drug amounts
@pytest.mark.parametrize(
    ("text", "price"),
    [
        ("Bacteriostatic water 30ml\nFor peptide reconstitution. $10", (10.0, "USD")),
        ("Scale weights 100g set\nCalibration. $8", (8.0, "USD")),
    ],
)
def test_non_drug_amounts(extractor: Extractor, text: str, price: tuple) -> None:
    assert names(extractor, text) == []
    assert qp(extractor, text) == (None, price)


def test_soft_words_keep_a_drug_with_an_amount(extractor: Extractor) -> None:
    # a soft word does not drop a listing that names a substance with a mass
    assert names(extractor, "Tren Ace 100mg/ml 10ml\nMix with bacteriostatic water. $55") == ["trenbolone"]


# ----------------------------------------------------------------------------- space cookies
def test_space_cookies(extractor: Extractor) -> None:
    assert names(extractor, "Space cookies x 5\n€25") == ["cannabis"]
    assert names(extractor, "Space muffin 100mg THC") == ["cannabis"]
    assert names(extractor, "Outer space cookie cutter set\n$12") == []
    assert names(extractor, "Cupcake tins, 12 holes\n$9") == []


# ----------------------------------------------------------------------------- "1/8 for $40"
def test_fraction_priced_with_for(extractor: Extractor) -> None:
    assert qp(extractor, "Weed\nBulk discount from 1 oz. 1/8 for $40") == ((0.125, "oz"), (40.0, "USD"))
    assert qp(extractor, "Weed\n1/4 for $75, 1/2 for $140") == ((0.25, "oz"), (75.0, "USD"))
    assert qp(extractor, "Xanax\n1/8 for the night") == (None, None)  # no price after "for"


def test_mollies(extractor: Extractor) -> None:
    assert names(extractor, "Mollies 0.2g caps x 10\n$60") == ["mdma"]
    assert names(extractor, "Mollys x 5\n$40") == ["mdma"]


# ----------------------------------------------------------------------------- a fraction of a gram per piece
@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Mollies 0.2g caps x 10\n$60", ((10.0, "unit"), (200.0, "mg"))),
        ("Psilocybin 0.25g capsules - 20 pack\n$45", ((20.0, "unit"), (250.0, "mg"))),
        ("Microdose caps 0.1g x 30\nGolden teacher powder. $60", ((30.0, "unit"), (100.0, "mg"))),
        # no piece word beside the gram: the amount sold, as before
        ("MDMA 0.5g\n$20", ((0.5, "g"), None)),
        ("Live resin cart 0.5g x 10\n$200", ((10.0, "unit"), None)),
        # mushroom caps before a gram with no count after it are the mushroom, not capsules
        ("Penis Envy caps 0.5g\n$10", ((0.5, "g"), None)),
    ],
)
def test_gram_fraction_per_piece(extractor: Extractor, text: str, want: tuple) -> None:
    assert qd(extractor, text) == want


def test_food_beans(extractor: Extractor) -> None:
    assert names(extractor, "Coffee beans 500g\n$15") == []
    assert names(extractor, "Cocoa beans 1kg, raw\n$20") == []
    assert names(extractor, "Beans x 10 - Tesla 250mg\n$50") == ["mdma"]  # the slang alone is unchanged


# ----------------------------------------------------------------------------- no drug, no drug amount (listing mode)
def test_listing_without_substance_or_class_has_no_quantity(extractor: Extractor) -> None:
    assert listing(extractor, "Protein powder 1kg", "Chocolate flavour", "$30") == ([], None, None, (30.0, "USD"))
    assert listing(extractor, "Acetone 1L", "Lab grade", "$10") == ([], None, None, (10.0, "USD"))
    # a substance, or a weight shown apart, keeps the amount
    assert listing(extractor, "Purple Star 3.5g", "Indoor AAA", "$40")[1] == (3.5, "g")
    assert listing(extractor, "Protein powder", "", "$30", quantity="1kg")[1] == (1000.0, "g")
    (record,) = extractor.listings([RawListing(market="m", listing_id="1", url="http://m.onion/1",
                                               title="Protein powder 1kg", description="Chocolate flavour",
                                               price_text="$30")])  # fmt: skip
    assert record.price_usd == 30.0 and record.price_per_gram_usd is None and record.price_per_unit_usd is None


def test_without_the_model_the_amount_stays() -> None:
    plain = Extractor(model=False)
    assert listing(plain, "Protein powder 1kg", "Chocolate flavour", "$30")[1] == (1000.0, "g")


# ----------------------------------------------------------------------------- unit spellings
@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Ketamine 3.5gm\n$80", (3.5, "g")),
        ("Ketamine 7gms\n$150", (7.0, "g")),
        ("Weed 1 0z\n$180", (1.0, "oz")),  # a zero typed for the O
        ("Weed 1/2 O\n$100", (0.5, "oz")),
    ],
)
def test_unit_spellings(extractor: Extractor, text: str, want: tuple) -> None:
    assert qp(extractor, text)[0] == want


def test_unit_spellings_leave_alone(extractor: Extractor) -> None:
    assert qp(extractor, "Weed 10z\n$1")[0] is None  # "10z" is not read as 1 oz
    assert qp(extractor, "Ratio 1/2 Of it") == (None, None)
    assert qp(extractor, "GM 5 truck") == (None, None)


# ----------------------------------------------------------------------------- a count under a quantity label
@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Xanax 2mg - Qty: 100\n$150", ((100.0, "unit"), (2.0, "mg"))),
        ("Valium 10mg | Quantity: 50\n$40", ((50.0, "unit"), (10.0, "mg"))),
        ("Clonazepam 2mg tabs (qty 30)\n$45", ((30.0, "unit"), (2.0, "mg"))),
        # a mass, a count already written, a unit or a limit after the label: unchanged
        ("Cocaine 1g | Quantity: 1\n$80", ((1.0, "g"), None)),
        ("Xanax 2mg x 20\nQuantity: 1", ((20.0, "unit"), (2.0, "mg"))),
        ("Oxycodone 30mg\nMax quantity 10 per order. $25 each", ((1.0, "unit"), (30.0, "mg"))),
    ],
)
def test_quantity_label_count(extractor: Extractor, text: str, want: tuple) -> None:
    assert qd(extractor, text) == want


# ----------------------------------------------------------------------------- a price stated per unit, no amount
@pytest.mark.parametrize(
    ("title", "description", "price_text", "want"),
    [
        ("Ketamine", "Price listed is per gram", "$30", ((1.0, "g"), None)),
        ("MDMA pills 200mg", "Price per pill", "$5", ((1.0, "unit"), (200.0, "mg"))),
        ("Xanax 2mg bars", "Prices are per bar, min 20", "$2.50", ((1.0, "unit"), (2.0, "mg"))),
        ("OG Kush", "Price per ounce", "$200", ((1.0, "oz"), None)),
        # an amount written elsewhere wins
        ("Cocaine 3.5g", "Price per gram is lower for bigger orders", "$250", ((3.5, "g"), None)),
    ],
)
def test_price_stated_per_unit(extractor: Extractor, title: str, description: str, price_text: str,
                               want: tuple) -> None:
    assert listing(extractor, title, description, price_text)[1:3] == want


# ----------------------------------------------------------------------------- street names (2023-era)
@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Addys 30mg x 20\n$100", ["amphetamine"]),
        ("Addies orange 20mg x 10", ["amphetamine"]),
        ("Gabbies 800mg x 30\n$40", ["gabapentin"]),
        ("Boomers 1/8\n$30", ["psilocybin"]),
        # an address and a generation are not drugs
        ("Ship to multiple addies", []),
        ("Drop addys USA x 5\n$50", []),
        ("Baby boomers guide", []),
    ],
)
def test_street_names(extractor: Extractor, text: str, want: list[str]) -> None:
    assert names(extractor, text) == want


# ----------------------------------------------------------------------------- non-drug goods named like a drug
@pytest.mark.parametrize(
    "text",
    ["Molly Maid cleaning coupons", "Weed killer 5L Roundup", "Special K cereal 500g", "THC detox drink",
     "Fake pee 3oz", "Synthetic urine kit", "Grass fed beef jerky 1kg", "Rock salt 1kg", "Xanax bar shaped earrings",
     "Sour diesel scented candle", "Percocet song lyrics", "Oxy clean stain remover"],
)
def test_non_drug_goods(extractor: Extractor, text: str) -> None:
    assert names(extractor, text) == []


@pytest.mark.parametrize(
    ("text", "want"),
    [("Special K 1g\n$30", ["ketamine"]), ("Weed 1 oz, killer quality\n$200", ["cannabis"]), ("Molly 1g\n$40", ["mdma"]),
     ("Grass 1 oz\n$150", ["cannabis"]), ("Rock 1g\n$80", ["cocaine"]), ("Sour Diesel 3.5g\n$40", ["cannabis"]),
     ("Oxy 30mg x 10\n$250", ["oxycodone"])],
)
def test_non_drug_goods_leave_alone(extractor: Extractor, text: str, want: list[str]) -> None:
    assert names(extractor, text) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Valium 10 mg tablets - 100\n$60", ((100.0, "unit"), (10.0, "mg"))),
        ("Xanax 2mg pills: 50\n$80", ((50.0, "unit"), (2.0, "mg"))),
        ("Adderall 20mg caps - 30\n$90", ((30.0, "unit"), (20.0, "mg"))),
        # a year, a price or a strength after the dash is no count
        ("MDMA 200mg pills - 2024\n$5", (None, (200.0, "mg"))),
        ("Oxy 30mg tabs - $25 each", ((1.0, "unit"), (30.0, "mg"))),
        ("LSD tabs - 200ug\n$10", ((1.0, "unit"), (200.0, "ug"))),
    ],
)
def test_count_after_piece_word(extractor: Extractor, text: str, want: tuple) -> None:
    assert qd(extractor, text) == want
