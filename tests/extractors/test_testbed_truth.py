"""The Extractor over the testbed markets' listings and vendors (raw fields as shown) vs their ground truth."""

from __future__ import annotations

import pytest

from onionwatch.extractors.pipeline import Extractor
from onionwatch.testbed.scoring import listing_match, vendor_match


@pytest.mark.parametrize("market", ["abyss", "kladmen"])
def test_substance_quantity_price_match_ground_truth(extractor: Extractor, market: str) -> None:
    result = listing_match(extractor, [market])[market]
    assert result["all"] >= 0.98, result
    assert result["dose"] >= 0.98, result


def test_vendor_fields_and_actor_links_match_ground_truth(extractor: Extractor) -> None:
    result = vendor_match(extractor)
    assert min(result["pgp_fingerprint"], result["contacts"], result["crypto_addresses"]) >= 0.98, result
    assert result["link_recall"] >= 0.95 and result["link_precision"] >= 0.95, result
