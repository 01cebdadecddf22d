"""Listing rules of issue 14 from the en_dev2026j probes (extractors/amounts.py per_piece_of_total, extractors/
pipeline.py _unpaired): a pack's total milligrams give way to one piece's; a description's price for another amount
than the title's is not the listing's."""

from __future__ import annotations

import pytest

from onionwatch.crawler.items import RawListing
from onionwatch.extractors.pipeline import Extractor


def listing(extractor: Extractor, title: str, description: str) -> tuple:
    x = extractor.listing(RawListing(market="m", listing_id="1", url="", title=title, description=description,
                                     price_text="", location=None, lang="en", currency="USD"))
    return ((x.quantity.value, x.quantity.unit) if x.quantity else None,
            (x.dose.value, x.dose.unit) if x.dose else None,
            (x.price.amount, x.price.currency) if x.price else None)  # fmt: skip


@pytest.mark.parametrize(
    ("title", "description", "want"),
    [
        ("Gummies 500mg", "10 gummies x 50mg, $35", ((10.0, "unit"), (50.0, "mg"), (35.0, "USD"))),
        ("Edibles 1000mg", "20 pieces, 50mg each. $40", ((20.0, "unit"), (50.0, "mg"), (40.0, "USD"))),
        ("MDMA pills x25", "Dutch pressed 220mg. Bulk: 100 for $250. $80", ((25.0, "unit"), (220.0, "mg"), (80.0, "USD"))),
    ],
)
def test_dev26j_listing_rules(extractor: Extractor, title: str, description: str, want: tuple) -> None:
    assert listing(extractor, title, description) == want


@pytest.mark.parametrize(
    ("title", "description", "want"),
    [
        # no piece strength that adds up to the total: the title's strength stays
        ("Xanax 2mg x 10", "$30", ((10.0, "unit"), (2.0, "mg"), (30.0, "USD"))),
        ("Gummies 500mg", "10 gummies, $35", ((10.0, "unit"), (500.0, "mg"), (35.0, "USD"))),
        # the description's only price is the listing's, even beside another amount's tier
        ("MDMA pills x25", "100 for $250", ((25.0, "unit"), None, (250.0, "USD"))),
    ],
)
def test_dev26j_listing_rules_left_alone(extractor: Extractor, title: str, description: str, want: tuple) -> None:
    assert listing(extractor, title, description) == want
