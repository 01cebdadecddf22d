"""Hostile input: empty, binary, 1 MB, mixed-script and adversarial text never crash and stay bounded."""

from __future__ import annotations

import json
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from onionwatch.crawler.items import RawListing, RawVendor
from onionwatch.extractors.pipeline import Extractor
from onionwatch.extractors.records import CURRENCIES
from onionwatch.extractors.text import normalize

_ALPHABET = st.characters(codec="utf-8") | st.sampled_from(list("0123456789.,/$€₽₸ гgmgxшт-–—|\n\t\x00\u200b"))
_SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _valid_json(extractor: Extractor, text: str) -> dict:
    d = extractor.extract(text).to_dict()
    round_trip = json.loads(json.dumps(d, ensure_ascii=False, allow_nan=False))
    assert round_trip["lang"] in ("en", "ru")
    for s in d["substances"]:
        assert 0 <= s["start"] <= s["end"] <= len(text)
    if d["quantity"]:
        assert d["quantity"]["unit"] in ("g", "mg", "ug", "ml", "oz", "unit") and d["quantity"]["value"] > 0
    if d["price"]:
        assert d["price"]["currency"] in CURRENCIES
    return d


@_SETTINGS
@given(st.text(alphabet=_ALPHABET, max_size=400))
def test_any_text_gives_valid_output(extractor: Extractor, text: str) -> None:
    _valid_json(extractor, text)


@_SETTINGS
@given(st.lists(st.sampled_from(["Меф", "1г", "0,5", "2500р", "$", "60", "x", "10", "mg", "Xanax", "кристалл",
                                 "/", "-", "soль", "скорость", "1/8", "oz", "BTC", "0.001", "к", "тыс."]),
                max_size=40).map(" ".join))  # fmt: skip
def test_listing_like_token_soup(extractor: Extractor, text: str) -> None:
    _valid_json(extractor, text)


@_SETTINGS
@given(st.binary(max_size=300))
def test_binary_decoded_with_replacement(extractor: Extractor, blob: bytes) -> None:
    _valid_json(extractor, blob.decode("utf-8", errors="replace"))


def test_empty_and_whitespace(extractor: Extractor) -> None:
    for text in ("", " ", "\n\n\t", "\x00" * 10):
        d = _valid_json(extractor, text)
        assert d["substances"] == [] and d["quantity"] is None and d["price"] is None


@pytest.mark.slow  # wall-clock bound (generous: a shared machine)
def test_one_megabyte_is_bounded(extractor: Extractor) -> None:
    text = ("Cocaine 1g $80 | Меф 0,5г 1500р | " * 40_000)[:1_000_000]
    t0 = time.perf_counter()
    d = _valid_json(extractor, text)
    assert time.perf_counter() - t0 < 15.0
    assert d["substances"][0]["canonical"] == "cocaine"


@pytest.mark.slow  # wall-clock bound (generous: a shared machine)
def test_pathological_patterns_are_bounded(extractor: Extractor) -> None:
    nasty = [
        "1 " * 50_000,
        "a-" * 50_000,
        "ооооооооо" * 5_000,
        "C O K E " * 10_000,
        "1,1,1,1," * 20_000,
        "x" * 200_000,
        "$" * 100_000 + "1",
        ("100 aaa " * 5 + "pills ") * 5_000,
        "\u202e\u0301\u0301\u0301" * 20_000,
    ]
    for text in nasty:
        t0 = time.perf_counter()
        _valid_json(extractor, text)
        assert time.perf_counter() - t0 < 15.0, text[:20]


def test_mixed_script_homoglyphs(extractor: Extractor) -> None:
    # Latin "M" and "e" inside a Cyrillic word, Cyrillic "а" inside a Latin one
    assert extractor.extract("Mеф 1г").substances[0].canonical == "mephedrone"
    assert extractor.extract("Cocаine 1g").substances[0].canonical == "cocaine"
    # more Latin letters than Cyrillic, but "Ф" has no Latin twin: the word is Cyrillic (issue 14)
    assert extractor.extract("MEФ 1Г кристаллы").substances[0].canonical == "mephedrone"
    # more Cyrillic than Latin, but "D"/"s" have no Cyrillic twin: the word stays Latin ("МDМА" -> "MDMA")
    assert extractor.extract("МDМА 1g").substances[0].canonical == "mdma"
    # no homoglyph repair across a real letter of each script: "Фsk" is neither word
    assert normalize("Фsk") == "Фsk"


def test_listing_and_vendor_survive_junk(extractor: Extractor) -> None:
    junk = "\x00\ud800<script>" * 1000
    li = extractor.listing(RawListing(market="m", listing_id="1", url="/", title=junk, description=junk * 10,
                                      price_text=junk, tiers=[junk, "", "1g"]))  # fmt: skip
    json.dumps(li.to_dict())
    v = extractor.vendor(RawVendor(market="m", vendor_id="v", name=junk, url="/", rating=junk, sales=junk,
                                   joined=junk, pgp_key=junk, contacts=[junk], crypto_addresses=[junk]))  # fmt: skip
    json.dumps(v.to_dict())


@pytest.mark.slow  # wall-clock bound (the bug took 15 s; generous for a shared machine)
def test_digit_run_is_linear(extractor: Extractor) -> None:
    """A non-drug cue '\\d+(st|nd|rd|th) ed' backtracked over every digit run: 15 s for one '1' * 1 MB title."""
    for text in ("1" * 1_000_000, "12" * 500_000 + "th edition"):
        t0 = time.perf_counter()
        _valid_json(extractor, text)
        assert time.perf_counter() - t0 < 6.0, text[-20:]
    assert extractor.extract("Synthesis, 2nd edition").substances == []  # the cue still works


@pytest.mark.slow  # wall-clock bound (generous: a shared machine)
def test_dense_quantities_in_tier_lines_are_bounded(extractor: Extractor) -> None:
    """Overlap checks between quantity mentions were quadratic: ~0.85 s per 20k-char tier line of '1g-'."""
    lines = ["1g-" * 333_334] * 20 + ["1g $10"] * 5_000
    raw = RawListing(market="m", listing_id="1", url="/", title="Cocaine", description="", price_text="", tiers=lines)
    t0 = time.perf_counter()
    listing = extractor.listing(raw)
    assert time.perf_counter() - t0 < 12.0
    assert listing.quantity is not None and listing.quantity.value == 1.0
