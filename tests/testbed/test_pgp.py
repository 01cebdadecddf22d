"""Vendor PGP keys: real OpenPGP blocks that pgpy parses, with the ground-truth fingerprint."""

from __future__ import annotations

import warnings

import pgpy
import pytest

from onionwatch.testbed.generate import build_market
from onionwatch.testbed.pgp import crc24, make_key
from onionwatch.testbed.truth import actor_links, market_truth


def _parse(armored: str) -> pgpy.PGPKey:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        key, _ = pgpy.PGPKey.from_blob(armored)
    return key


def test_crc24_known_value() -> None:
    assert crc24(b"") == 0xB704CE


def test_key_is_deterministic_and_self_signed() -> None:
    a = make_key(b"s" * 32, "Vendor <v@example.org>", 1_600_000_000)
    assert a == make_key(b"s" * 32, "Vendor <v@example.org>", 1_600_000_000)
    key = _parse(a.armored)
    assert key.fingerprint.replace(" ", "") == a.fingerprint
    assert key.fingerprint.keyid == a.key_id
    uid = key.userids[0]
    assert (uid.name, uid.email) == ("Vendor", "v@example.org")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert key.verify(uid, uid.selfsig)
    assert make_key(b"t" * 32, "Vendor <v@example.org>", 1_600_000_000).fingerprint != a.fingerprint


@pytest.mark.parametrize("market", ["abyss", "kladmen"])
def test_every_vendor_key_parses_with_its_fingerprint(market: str) -> None:
    m = build_market(market)
    keys = [v for v in m.vendors if v.pgp]
    assert len(keys) >= 0.25 * len(m.vendors)
    for v in keys:
        assert v.pgp is not None
        parsed = _parse(v.pgp.armored)
        assert parsed.fingerprint.replace(" ", "") == v.truth()["pgp_fingerprint"]
        assert len(v.pgp.fingerprint) == 40 and v.pgp.fingerprint == v.pgp.fingerprint.upper()


def test_shared_actors_use_the_same_key_on_both_markets() -> None:
    truths = [market_truth("abyss"), market_truth("kladmen")]
    links = actor_links(truths)
    n_vendors = len(build_market("abyss").vendors)
    assert len(links) == round(0.1 * n_vendors)
    for link in links:
        assert {v["market"] for v in link["vendors"]} == {"abyss", "kladmen"}
        names = [v["name"].lower() for v in link["vendors"]]
        assert names[1].startswith(names[0]) or names[0].startswith(names[1])
        fprs = {v["pgp_fingerprint"] for t in truths for v in t["vendors"] if v["actor_id"] == link["actor_id"]}
        assert fprs == {link["pgp_fingerprint"]} and link["pgp_fingerprint"]
    # no accidental key reuse between different actors
    fprs = [v["pgp_fingerprint"] for t in truths for v in t["vendors"] if v["pgp_fingerprint"]]
    assert len(set(fprs)) == len(fprs) - len(links)
