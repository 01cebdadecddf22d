"""A page's category or breadcrumb as evidence (extractors/category.py) and its use in Extractor.listings."""

from __future__ import annotations

import pytest

from onionwatch.crawler.items import RawListing
from onionwatch.extractors.category import NONE, read_category
from onionwatch.extractors.pipeline import Extractor


@pytest.mark.parametrize(
    ("category", "drug", "non_drug", "info", "cls"),
    [("Drugs > Cannabis > Buds", True, False, False, "cannabinoid"),
     ("Drugs & Chemicals/Steroids", True, False, False, "performance"),
     ("Drugs/Benzos/NA", True, False, False, "benzodiazepine"),
     ("Drugs", True, False, False, None),
     ("Guides & Tutorials", False, True, True, None),
     ("Digital > E-Books", False, True, True, None),
     ("Fraud", False, True, False, None),
     ("Counterfeit Items", False, True, False, None),
     ("Drugs/Drug paraphernalia", False, True, False, None),  # the deepest section decides
     ("Other Listings", False, False, False, None)],
)  # fmt: skip
def test_sections(category: str, drug: bool, non_drug: bool, info: bool, cls: str | None) -> None:
    ev = read_category(category)
    assert (ev.drug, ev.non_drug, ev.info, ev.cls) == (drug, non_drug, info, cls)


@pytest.mark.parametrize("junk", [None, "", "   ", ">>>", "\x00" * 10_000, "Drugs > " * 50_000])
def test_junk_is_harmless(junk: str | None) -> None:
    assert read_category(junk) in (NONE, read_category("Drugs"))


def _subs(x: Extractor, title: str, category: str | None) -> list[str]:
    raw = RawListing(market="m", listing_id="1", url="/", title=title, category=category)
    return [s.canonical for s in x.listing(raw).substances if s.known]


@pytest.mark.parametrize(
    ("title", "category", "expected"),
    [("Gelato", "Drugs > Cannabis > Buds", ["cannabis"]),  # a strain admitted by a drug section
     ("Gelato", None, []),
     ("Test E", "Drugs/Steroids", ["testosterone"]),
     ("Test 10ml", "Software", []),  # "~test" is ambiguous: dropped in a non-drug section
     ("Cannabis Alchemy: The Art of Modern Hashmaking", "Guides & Tutorials", []),
     ("Ice 3.5g", "Fraud", []),  # ambiguous alias in a non-drug section
     ("Xanax bars 2mg x 10", "Jewels & Gold", ["alprazolam"]),  # unambiguous name: label noise, kept
     ("Enable 2FA on your account", "Fraud", []),
     ("Enable 2FA on your account", "Drugs", [])],
)  # fmt: skip
def test_category_in_listings(title: str, category: str | None, expected: list[str]) -> None:
    assert _subs(Extractor(), title, category) == expected
