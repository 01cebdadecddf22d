"""The Extractor over the testbed markets' listings (raw fields as shown) vs their ground truth."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from onionwatch.extractors.pipeline import Extractor

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))


@pytest.mark.parametrize("market", ["abyss", "kladmen"])
def test_substance_quantity_price_match_ground_truth(extractor: Extractor, market: str) -> None:
    pytest.importorskip("onionwatch.testbed.generate")
    from eval_extract import testbed_match

    result = testbed_match(extractor, [market])[market]
    assert result["all"] >= 0.98, result
    assert result["dose"] >= 0.98, result
