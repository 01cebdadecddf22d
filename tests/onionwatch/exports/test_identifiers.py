"""exports/identifiers.py: a vendor profile's identifiers and aliases."""

from __future__ import annotations

from onionwatch.exports.identifiers import Identifier, aliases, identifiers


def test_every_identifier_once_in_a_stable_order() -> None:
    profile = {"crypto_addresses": {"XMR": ["4x"], "BTC": ["bc1q", "bc1q"]},
               "contacts": {"telegram": ["@a"], "jabber": ["a@jabber.ru"], "pgp_uid": ["u@x.org"], "wickr": [" w "]},
               "pgp_fingerprint": "F" * 40, "pgp_key_id": None}  # fmt: skip
    assert identifiers(profile) == [
        Identifier("btc", "bc1q"), Identifier("xmr", "4x"), Identifier("jabber", "a@jabber.ru"),
        Identifier("email", "u@x.org"), Identifier("telegram", "@a"), Identifier("wickr", "w"),
        Identifier("pgp", "F" * 40),
    ]  # fmt: skip


def test_empty_and_junk_profiles() -> None:
    assert identifiers({}) == []
    assert identifiers({"contacts": {"telegram": [None, "", 5]}, "crypto_addresses": None}) == []


def test_aliases_are_the_name_then_linked_names() -> None:
    profile = {"name": "DrGreen", "linked": [{"name": "dr_green"}, {"name": "DrGreen"}, {"name": None}]}
    assert aliases(profile) == ["DrGreen", "dr_green"]
