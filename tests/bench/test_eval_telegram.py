"""eval_telegram's scoring: "offers segmented and priced" beside "every field right", each over true offers with a
Wilson 95 % interval (issue 14, part 5)."""

from __future__ import annotations

from typing import Any

import pytest

from bench.eval_telegram import score
from onionwatch.extractors.records import Price, Quantity, Substance
from onionwatch.extractors.telegram_offers import TgOffer
from onionwatch.testbed.metrics import wilson


def got(i: int, district: str | None, grams: float, amount: float, currency: str = "KZT") -> TgOffer:
    meph = Substance("mephedrone", "cathinone", "меф", 0, 3)
    return TgOffer(i, "Алматы", district, meph, Quantity(grams, "g"), Price(amount, currency), "")


def want(district: str | None, grams: float, amount: float, currency: str = "KZT") -> dict[str, Any]:
    return {"city": "Almaty", "district": district, "substance": "mephedrone",
            "quantity": {"value": grams, "unit": "g"}, "price": {"amount": amount, "currency": currency}}


def test_segmented_and_priced_counts_offers_with_quantity_and_price_right() -> None:
    pairs = [
        # all right; a wrong district (priced, not every field right)
        ("1", [got(0, "Медеу", 1, 15000), got(1, "Медеу", 2, 28000)],
         [want("Медеу", 1, 15000), want("Ауэзов", 2, 28000)]),
        # matched on amount, wrong currency: neither; a true offer not found: neither
        ("2", [got(0, None, 1, 5000, "RUB")], [want(None, 1, 5000, "KGS"), want(None, 2, 9500, "KGS")]),
        # an offer found that is not true: precision only
        ("3", [got(0, None, 1, 9000)], []),
    ]
    out = score(pairs, show=0)
    assert (out["matched"], out["offers_true"], out["offers_found"]) == (3, 4, 4)
    assert out["offers_right"]["k"] == 1 and out["offers_right"]["n"] == 4
    sp = out["segmented_priced"]
    assert (sp["k"], sp["n"], sp["value"]) == (2, 4, 0.5)
    lo, hi = wilson(2, 4)
    assert sp["ci95"] == [round(lo, 4), round(hi, 4)]
    assert sp["ci95"][0] < 0.5 < sp["ci95"][1]


def test_segmented_and_priced_is_one_when_every_offer_is_priced() -> None:
    out = score([("1", [got(0, "X", 1, 15000)], [want("Медеу", 1, 15000)])], show=0)
    assert out["segmented_priced"]["value"] == pytest.approx(1.0)
    assert out["offers_right"]["value"] == pytest.approx(0.0)
