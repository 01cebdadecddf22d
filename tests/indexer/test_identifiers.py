"""indexer/identifiers.py: canonical spellings, parsing "kind:value", vendor and listing identifiers."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from onionwatch.errors import QueryError
from onionwatch.extractors.records import Listing, Vendor
from onionwatch.indexer import identifiers as ids
from onionwatch.testbed.wallets import btc_base58, btc_bech32, xmr_address

BTC = btc_base58(0, bytes(range(20)))
BECH = btc_bech32(bytes(range(1, 21)))
XMR = xmr_address(bytes(range(32)), bytes(range(32, 64)))
LTC = btc_base58(0x30, bytes(range(20)))
FP = "0123456789ABCDEF0123456789ABCDEF01234567"


@pytest.mark.parametrize(
    ("kind", "value", "expected"),
    [
        ("btc", BTC, BTC),
        ("btc", BECH.upper(), BECH),
        ("btc", BTC[:-1] + ("2" if BTC[-1] != "2" else "3"), None),  # checksum
        ("xmr", XMR, XMR),
        ("xmr", XMR[:-1] + "x", None),
        ("ltc", LTC, LTC),
        ("ltc", BTC, None),
        ("eth", "0x" + "AB" * 20, "0x" + "ab" * 20),
        ("eth", "0x" + "ab" * 19, None),
        ("tg", "@Shop_Name", "shop_name"),
        ("tg", "https://t.me/ShopBot", "shopbot"),
        ("tg", "@x", None),
        ("jabber", "Shop@Exploit.IM", "shop@exploit.im"),
        ("email", "not an address", None),
        ("session", "05" + "A" * 64, "05" + "a" * 64),
        ("wickr", "@Wick.r", "wick.r"),
        ("pgp", "0123 4567 89ab cdef 0123  4567 89AB CDEF 0123 4567", FP),
        ("pgp", "0123456789ABCDEF", None),  # a key id is not a fingerprint
        ("vendor", "Dr. Green", "drgreen"),
        ("vendor", "!!!", None),
        ("nosuch", "x", None),
        ("btc", "1" * 5000, None),
    ],
)
def test_normalise(kind: str, value: str, expected: str | None) -> None:
    assert ids.normalise(kind, value) == expected


def test_parse_gives_the_canonical_pair_or_a_clear_error() -> None:
    assert ids.parse(" TG:@Shop_Name ") == ("tg", "shop_name")
    assert ids.parse(f"btc:{BTC}") == ("btc", BTC)
    with pytest.raises(QueryError, match="KIND:VALUE"):
        ids.parse("shop_name")
    with pytest.raises(QueryError, match="not a valid PGP fingerprint"):
        ids.parse("pgp:1234")


def test_vendor_identifiers_from_record_and_stored_row() -> None:
    v = Vendor("m", "v1", "Dr. Green", "u", pgp_fingerprint=FP,
               contacts={"telegram": ["@DrGreen"], "pgp_uid": ["g@mail.example"], "threema": ["ABCDEFGH"]},
               crypto_addresses={"BTC": [BTC, "junk"], "XMR": [XMR]})  # fmt: skip
    want = {("vendor", "drgreen"), ("pgp", FP), ("tg", "drgreen"), ("email", "g@mail.example"), ("btc", BTC),
            ("xmr", XMR)}  # fmt: skip
    assert ids.from_vendor(v) == want
    row = {"name": "Dr. Green", "pgp_fingerprint": FP, "contacts": '{"telegram": ["@DrGreen"],'
           ' "pgp_uid": ["g@mail.example"]}', "crypto_addresses": f'{{"BTC": ["{BTC}"], "XMR": ["{XMR}"]}}'}
    assert ids.from_vendor(row) == want
    assert ids.from_vendor({"name": None, "contacts": "not json", "crypto_addresses": {"BTC": "not a list"}}) == set()


def test_listing_identifiers_come_from_its_text_and_vendor_name() -> None:
    text = f"Pay to {BTC} or {XMR}. Telegram: @klad_shop, jabber shop@exploit.im, eth {'0x' + 'cd' * 20}"
    item = Listing("m", "1", "u", "Меф 1г", text, "Ice Shop", None, "ru", None, None)
    got = ids.from_listing(item)
    assert got == {("btc", BTC), ("xmr", XMR), ("tg", "klad_shop"), ("jabber", "shop@exploit.im"),
                   ("eth", "0x" + "cd" * 20), ("vendor", "iceshop")}  # fmt: skip


@pytest.mark.parametrize("text", ["tg shop_name", "Телега: shop_name", "t.me/shop_name", "пиши в тг shop_name",
                                  "@shop_name (telegram)"])
def test_telegram_handles_in_listing_text(text: str) -> None:
    assert ("tg", "shop_name") in ids.from_text(text)


def test_pgp_fingerprint_in_text_needs_a_pgp_word() -> None:
    grouped = "0123 4567 89AB CDEF 0123 4567 89AB CDEF 0123 4567"
    assert ("pgp", FP) in ids.from_text(f"PGP fingerprint: {grouped}")
    assert ids.from_text(f"order number {FP}") == set()


def test_hostile_text_is_bounded_and_survives() -> None:
    junk = ("@" + "a" * 40 + " 0x" + "f" * 39 + " bc1" + "q" * 100 + " \x00\ud800 ") * 20_000
    assert ids.from_text(junk) <= {("tg", "a" * 32)} | set()
    assert ids.keys({("tg", "x_y_z"), ("btc", BTC)}) == [f"btc:{BTC}", "tg:x_y_z"]


_HINT_ALPHABET = st.sampled_from(list("abcdefgiklmoprtwxz0159@._/ \n-TGWICKRPEMAFN") + ["t.me/", "telegram", "TeleGa",
                                 "tg", "TG ", "wickr", "pgp", "GPG", "fingerprint", "тг", "телег", "Отпечаток", "é", "İ",
                                 "05" + "ab" * 32])  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(_HINT_ALPHABET, max_size=30).map("".join))
def test_the_hint_fast_paths_answer_as_the_case_blind_patterns(text: str) -> None:
    assert ids.contact_hint(text) == (ids._CONTACT_HINT.search(text) is not None)
    assert ids.pgp_hint(text) == (ids._PGP_HINT.search(text) is not None)


def test_the_hints_see_handles_in_any_case() -> None:
    assert ids.contact_hint("write me on TELEGRAM") and ids.contact_hint("TG: shop") and ids.contact_hint("a@b.cc")
    assert not ids.contact_hint("tgz archive, no contacts") and not ids.contact_hint("Amphetamine 28g")
    assert ids.pgp_hint("my GPG key") and not ids.pgp_hint("Amphetamine 28g")
    assert ids.contact_hint("пиши в тг") and not ids.contact_hint("меф 1г")
