"""English rules of issue 14 found on bench/corpus/en_dev2026b.jsonl, each with cases it applies to and readings it
must leave alone: counts ("Delta 8 gummies", "LGD 4033 ... x 60 caps", an unpriced "1g carts x 10", "min order"),
the bare eighth at a line end, per-piece prices ("$35/vial", "$25 per ea"), pressed pills that only look like
oxycodone, vape brands and liberty caps, the Twitter/X and "low THC" shadows, face values and card limits, the
"per pack" price of counterfeit notes, a delivery phrase that ends before the price, "min 0.01 BTC", scales and
mylar bags; slang (za, pingers, subs, etiz)."""

from __future__ import annotations

import pytest

from onionwatch.crawler.items import RawListing
from onionwatch.extractors.pipeline import Extractor
from onionwatch.extractors.quantities import find_quantities
from tests.extractors.test_quantities import qd


def raw(title: str, description: str = "", price_text: str = "") -> RawListing:
    return RawListing(market="m", listing_id="1", url="", title=title, description=description,
                      price_text=price_text, lang="en", currency="USD")  # fmt: skip


def names(extractor: Extractor, text: str) -> list[str]:
    return sorted(s.canonical for s in extractor.extract(text).substances if s.known)


def listing(extractor: Extractor, title: str, description: str = "") -> tuple[list[str], object, object, object]:
    x = extractor.listing(raw(title, description))
    q = (x.quantity.value, x.quantity.unit) if x.quantity else None
    d = (x.dose.value, x.dose.unit) if x.dose else None
    p = (x.price.amount, x.price.currency) if x.price else None
    return sorted(s.canonical for s in x.substances if s.known), q, d, p


# ----------------------------------------------------------------------------- counts
@pytest.mark.parametrize(
    ("text", "quantity", "dose"),
    [
        ("Delta 8 gummies 25mg x 20\nJar of 20, $30 per jar", (20.0, "unit"), (25.0, "mg")),  # no "8 gummies"
        ("LGD 4033 5mg x 60 caps\n$40", (60.0, "unit"), (5.0, "mg")),  # no 4033 caps
        ("Sherbert flower\n$9/g, min order 5g", (1.0, "g"), None),  # the smallest order is no offer
        ("Ketamine shards\n€20/g, minimum 10g", (1.0, "g"), None),
        ("Sildenafil 100mg strip of 10\n$15", (10.0, "unit"), (100.0, "mg")),  # "pack/strip/blister of N"
        ("LSD 200ug pack of 5\n$40", (5.0, "unit"), (200.0, "ug")),
        ("Clonazepam 2mg (blister of 10)\n$20", (10.0, "unit"), (2.0, "mg")),
    ],
)
def test_counts_and_minimums(extractor: Extractor, text: str, quantity: object, dose: object) -> None:
    assert qd(extractor, text) == (quantity, dose)


@pytest.mark.parametrize(
    ("text", "quantity", "dose"),
    [
        ("10 Xanax bars", (10.0, "unit"), None),  # a leading count, the form word later
        ("100 Generic Rivotril 1 mg pills", (100.0, "unit"), (1.0, "mg")),
        ("8 gummies 25mg", (8.0, "unit"), (25.0, "mg")),
        ("Admin 5g cocaine", (5.0, "g"), None),  # "min" inside a word
        ("Cocaine pack of 10g\n$500", (10.0, "g"), None),  # a mass after "of" stays a mass
        ("30 mg adderal IR. Minimum 5x purchase", (5.0, "unit"), (30.0, "mg")),  # a minimum of pieces stays
        ("25 PINK ROUTE 66 PILLS | DUTCH XTC", (25.0, "unit"), None),  # a leading count past a name's number
        ("50 GG3722 Bars 3.5mg each bar", (50.0, "unit"), (3.5, "mg")),
        ("Kamagra 100 - 24 tablets", (24.0, "unit"), None),  # the name's number is no count
    ],
)
def test_counts_left_alone(extractor: Extractor, text: str, quantity: object, dose: object) -> None:
    assert qd(extractor, text) == (quantity, dose)


@pytest.mark.parametrize(
    ("title", "quantity"),
    [
        ("Dabwoods 1g carts x 10", (10.0, "unit")),  # the pieces, as when a price follows them
        ("THC carts 1ml - 10 pack", (10.0, "unit")),
        ("Pre-rolls 1g x 10 - OG Kush", (10.0, "unit")),
        ("Cocaine 1g - UK next day, tracked in 10 days x 2", (1.0, "g")),  # a count far from the amount
        ("Weed 28g", (28.0, "g")),
        ("0.5G x 4-Aco-DMT", (0.5, "g")),  # the 4 of a name is no multiplier
        ("10ml x 1 vial Enanta-Med 300 mg/ml", (10.0, "ml")),  # one piece: its size is the amount
        ("SUBUTEX B8 (ORIGINAL)! 0.8 гр. (1 штука)", (0.8, "g")),  # a count with its noun: the weight stays
        ('Extazzy "Gucci" (2 грамма) 5 штук!!!', (2.0, "g")),
    ],
)
def test_unpriced_pieces_of_a_size(extractor: Extractor, title: str, quantity: object) -> None:
    assert listing(extractor, title)[1] == quantity


# ----------------------------------------------------------------------------- the bare eighth
@pytest.mark.parametrize(
    ("text", "quantity"),
    [
        ("Permanent Marker 1/8\nExotic cali za, $50", (0.125, "oz")),  # at the end of its line
        ("Blue Cheese - 8th\nClassic UK strain, £30", (0.125, "oz")),
        ("Coke 1/8 (3.5g)\nUncut, $260", (0.125, "oz")),  # the first written
        ("Zushi 1/8 $45", (0.125, "oz")),
        ("Pizza cut 1/8, 11/8", None),
        ("Drill bit 1/8 inch", None),
        ("Shipped 1/8/2025", None),
    ],
)
def test_bare_eighth_at_a_line_end(text: str, quantity: object) -> None:
    got = [(q.value, q.unit) for q in find_quantities(text) if q.unit == "oz"]
    assert (got[0] if got else None) == quantity


# ----------------------------------------------------------------------------- per-piece prices
@pytest.mark.parametrize(
    ("title", "description", "want"),
    [
        ("CJC-1295 DAC 2mg", "$35/vial", ((1.0, "unit"), (2.0, "mg"), (35.0, "USD"))),
        ("Pharma Roxy 30mg (A215)", "$25 per ea, 10+ $22 per ea", ((1.0, "unit"), (30.0, "mg"), (25.0, "USD"))),
        ("Test Enanthate 250mg/ml 10ml", "$45/vial, 5 vials $200", ((10.0, "ml"), (250.0, "mg"), (45.0, "USD"))),
        ("Cocaine 1g", "$80 each", ((1.0, "g"), None, (80.0, "USD"))),
    ],
)
def test_per_piece_prices(extractor: Extractor, title: str, description: str, want: tuple[object, ...]) -> None:
    assert listing(extractor, title, description)[1:] == want


# ----------------------------------------------------------------------------- substances
@pytest.mark.parametrize(
    ("title", "description", "want"),
    [
        ("M30 blues x 100 - pressed", "Pressed fentanyl M30s, not pharma. $350", ["fentanyl"]),
        ("Isotonitazene pressed 'oxy 80' x 10", "Iso pressed pills, not pharma. $90", ["isotonitazene"]),
        ("Proto pressed M30 - 10 pills", "Protonitazene pressed blues. 10 for $120", ["protonitazene"]),
        # left alone: oxycodone by name, or no word that the pills are pressed
        ("Oxycodone 30mg pressed x 10", "and fentanyl patches", ["fentanyl", "oxycodone"]),
        ("M30 x 10 and fentanyl patches", "$250", ["fentanyl", "oxycodone"]),
    ],
)
def test_pressed_look_is_no_oxycodone(extractor: Extractor, title: str, description: str, want: list[str]) -> None:
    assert listing(extractor, title, description)[0] == want
    assert names(extractor, f"{title}\n{description}") == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Dabwoods disposable 1g\n$40", ["cannabis"]),
        ("Muha Meds 2g disposables x 5\n$150", ["cannabis"]),
        ("Liberty caps 10g\nWild picked, £50", ["psilocybin"]),
        ("CBD flower 20g\nLow THC, legal in the EU. €60", ["cbd"]),
        ("CBD buds 10g\n<0.2% THC. €40", ["cbd"]),
        ("Twitter/X 25K followers\n$35", []),
        ("X (formerly Twitter) account, 10K followers\n$50", []),
        # left alone
        ("THC carts 1g\n$30", ["cannabis"]),
        ("Weed 5g\nhigh THC strain", ["cannabis"]),
        ("X pills 25x Tesla\n$60", ["mdma"]),
        # slang: "za" and "subs" need an amount; "pingers", "etiz" do not
        ("Za 3.5g exotic\n$45", ["cannabis"]),
        ("Pingers x 10\n£30", ["mdma"]),
        ("Subs 8mg x 10\n$100", ["buprenorphine"]),
        ("Etiz 1mg x 100\n$40", ["etizolam"]),
        ("YouTube 10K subs\n$20", []),
        ("Pizza za\n$5", []),
    ],
)
def test_brands_and_shadows(extractor: Extractor, text: str, want: list[str]) -> None:
    assert names(extractor, text) == want


# ----------------------------------------------------------------------------- prices
@pytest.mark.parametrize(
    ("title", "description", "price"),
    [
        ("Counterfeit $20 bills - $1000 face value", "$1000 in fake 20s for $250", (250.0, "USD")),
        ("Cloned credit card $3,000 limit", "Price $250", (250.0, "USD")),
        ("Counterfeit £20 notes - 25 pack", "£100 per pack", (100.0, "GBP")),
        ("Trainwreck 10g sample", "UK stock, tracked. £85", (85.0, "GBP")),
        # left alone: delivery costs in the same clause
        ("Cocaine 1g", "Shipping $10 worldwide. Price $85", (85.0, "USD")),
        ("Pink Kush 28g - Canada", "Domestic shipping, C$160", (160.0, "CAD")),
        ("$200 Amazon gift card", "Instant delivery, $60", (60.0, "USD")),
        ("Bitcoin mixing service", "1% fee, min 0.01 BTC", None),
        ("Speed 10g", "Amfetamine, $60", (60.0, "USD")),  # "min" inside a word
        ("Speed 10g", "UK stock, tracked £5", None),
        ("Cocaine 1g", "Shipping worldwide, $10. Price $85", (85.0, "USD")),
    ],
)
def test_prices(extractor: Extractor, title: str, description: str, price: object) -> None:
    assert listing(extractor, title, description)[3] == price


@pytest.mark.parametrize(
    ("title", "description"),
    [("Jeweler scale 500g x 0.01g", "€18"), ("Smell proof mylar bags 1/8 oz size x 100", "$12")],
)
def test_scales_and_bags_are_no_drug(extractor: Extractor, title: str, description: str) -> None:
    subs, q, d, p = listing(extractor, title, description)
    assert (subs, q, d) == ([], None, None) and p is not None
    assert extractor.extract(f"{title}\n{description}").quantity is None


def test_mylar_bags_of_a_drug_listing_are_left_alone(extractor: Extractor) -> None:
    assert listing(extractor, "Cocaine 3.5g", "Ships in smell proof mylar bags. $250")[:2] == (["cocaine"], (3.5, "g"))


def test_price_per_gram_is_drug_context(extractor: Extractor) -> None:
    # the per-gram price reads "flower" as cannabis though the only amount is a minimum order
    assert listing(extractor, "Sherbert flower - priced per gram", "$9/g, min order 5g") == (
        ["cannabis"], (1.0, "g"), None, (9.0, "USD"))


@pytest.mark.parametrize(
    ("title", "description", "price_text", "want"),
    [
        ("Ketamine", "5g", "$150", (["ketamine"], (5.0, "g"), None, (150.0, "USD"))),
        ("Weed", "1 oz", "$200", (["cannabis"], (1.0, "oz"), None, (200.0, "USD"))),
        ("LSD", "10 tabs of 200ug", "$80", (["lsd"], (10.0, "unit"), (200.0, "ug"), (80.0, "USD"))),
        ("Xanax", "2mg x 100", "$150", (["alprazolam"], (100.0, "unit"), (2.0, "mg"), (150.0, "USD"))),
        # left alone: the title's amount, a per-unit price field, no drug named
        ("Cocaine 1g", "3.5g also available", "$80", (["cocaine"], (1.0, "g"), None, (80.0, "USD"))),
        ("Valium 10mg", "Min order 20", "$1/pill", (["diazepam"], (1.0, "unit"), (10.0, "mg"), (1.0, "USD"))),
        ("Grow tent", "1.2m x 1.2m, 5kg", "$90", ([], None, None, (90.0, "USD"))),
    ],
)
def test_description_amount_with_the_price_apart(
    extractor: Extractor, title: str, description: str, price_text: str, want: tuple[object, ...]
) -> None:
    x = extractor.listing(raw(title, description, price_text))
    got = (sorted(s.canonical for s in x.substances if s.known), (x.quantity.value, x.quantity.unit) if x.quantity
           else None, (x.dose.value, x.dose.unit) if x.dose else None, (x.price.amount, x.price.currency) if x.price
           else None)  # fmt: skip
    assert got == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Cocaine cutting agent (mannitol) 100g\n$20", []),
        ("Acid reflux tablets x 30\n$5", []),
        ("Grass seed 5kg\n$30", []),
        ("Ketamine molecule necklace\n$20", []),
        ("Weed leaf socks x 3\n$12", []),
        # left alone
        ("Acid tabs 200ug x 10\n$70", ["lsd"]),
        ("Ketamine 5g, shipped in a coffee mug\n$150", ["ketamine"]),  # a drug with its amount stays
        ("Grass 7g\nLoud indoor, $70", ["cannabis"]),
    ],
)
def test_look_alikes_and_merchandise(extractor: Extractor, text: str, want: list[str]) -> None:
    assert names(extractor, text) == want
