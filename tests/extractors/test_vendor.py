"""Vendor intelligence: PGP keys parsed with pgpy, contact handles, checksummed addresses, dates, linking."""

from __future__ import annotations

import warnings

import pytest

from onionwatch.crawler.items import RawVendor
from onionwatch.extractors.contacts import find_contacts
from onionwatch.extractors.crypto_addresses import find_addresses, is_btc_address, is_xmr_address, keccak256
from onionwatch.extractors.dates import parse_count, parse_date, parse_rating
from onionwatch.extractors.linking import link_vendors
from onionwatch.extractors.pgp import parse_public_key
from onionwatch.extractors.pipeline import Extractor
from onionwatch.extractors.records import Vendor

XMR = "44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A"


@pytest.fixture(scope="module")
def pgp_key() -> tuple[str, str]:
    """A real OpenPGP key made with pgpy: (armoured public key, fingerprint)."""
    import pgpy
    from pgpy.constants import HashAlgorithm, KeyFlags, PubKeyAlgorithm

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        key = pgpy.PGPKey.new(PubKeyAlgorithm.RSAEncryptOrSign, 1024)
        uid = pgpy.PGPUID.new("vendor", email="vendor@tutanota.com")
        key.add_uid(uid, usage={KeyFlags.Sign}, hashes=[HashAlgorithm.SHA256])
    return str(key.pubkey), str(key.fingerprint).replace(" ", "")


def test_pgp_fingerprint_and_key_id(pgp_key: tuple[str, str]) -> None:
    armoured, fp = pgp_key
    key = parse_public_key(f"My key:\n{armoured}\nthanks")
    assert key is not None
    assert (key.fingerprint, key.key_id) == (fp, fp[-16:])


def test_pgp_block_mangled_by_html(pgp_key: tuple[str, str]) -> None:
    armoured, fp = pgp_key
    html = "<br>\n".join("   " + line for line in armoured.splitlines())
    key = parse_public_key(html)
    assert key is not None and key.fingerprint == fp


@pytest.mark.parametrize(
    "junk",
    ["", "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\ngarbage\n-----END PGP PUBLIC KEY BLOCK-----", "x" * 100_000],
)
def test_pgp_junk_is_none(junk: str) -> None:
    assert parse_public_key(junk) is None


def test_contacts() -> None:
    text = """Telegram: @GreenRx_DE  t.me/backup_chan
    Session: 054e7a7cf00494e7e135e01132e27e9f70533adbe84d9d35f570e50f7faa1f8e5b
    Wickr: greenrx_wickr
    Jabber: green@exploit.im
    mail green@protonmail.com
    Телеграм: @klad_shop"""
    c = find_contacts(text)
    assert c["telegram"] == ["@greenrx_de", "@backup_chan", "@klad_shop"]
    assert c["session"] == ["054e7a7cf00494e7e135e01132e27e9f70533adbe84d9d35f570e50f7faa1f8e5b"]
    assert c["wickr"] == ["greenrx_wickr"]
    assert c["jabber"] == ["green@exploit.im"]
    assert c["email"] == ["green@protonmail.com"]


@pytest.mark.parametrize(
    ("addr", "valid"),
    [
        ("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", True),
        ("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb", False),  # checksum broken
        ("3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy", True),
        ("bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq", True),
        ("bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdr", False),
        ("bc1p5d7rjq7g6rdk2yhzks9smlaqtedr4dekq08ge8ztwac72sfr9rusxg3297", True),  # taproot (bech32m)
    ],
)
def test_btc_checksums(addr: str, valid: bool) -> None:
    assert is_btc_address(addr) is valid


def test_xmr_checksum() -> None:
    assert keccak256(b"").hex() == "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"
    assert is_xmr_address(XMR)
    assert not is_xmr_address(XMR[:-1] + ("B" if XMR[-1] != "B" else "C"))


def test_find_addresses_only_valid() -> None:
    text = f"BTC: 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa or 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb; XMR {XMR}"
    assert find_addresses(text) == {"BTC": ["1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"], "XMR": [XMR]}


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("Oct 18, 2015", "2015-10-18"),
        ("Member since Nov 2019", "2019-11-01"),
        ("2021-03-12", "2021-03-12"),
        ("12 марта 2021", "2021-03-12"),
        ("с 1 апреля 2023 г.", "2023-04-01"),
        ("на сайте с 03.2020", "2020-03-01"),
        ("18.10.2015", "2015-10-18"),
        ("2 years ago", "2024-11-29"),
        ("3 месяца назад", "2026-08-31"),
        ("never", None),
        # before year 1: timedelta/date subtraction raised OverflowError out of Extractor.vendor
        ("joined 3000 лет назад", None),
        ("9999999999 years ago", None),
        ("1" * 150 + " days ago", None),
    ],
)
def test_dates(text: str, iso: str | None) -> None:
    assert parse_date(text, today="2026-11-29") == iso


def test_vendor_claiming_an_impossible_age_is_extracted() -> None:
    v = Extractor().vendor(RawVendor(market="m", vendor_id="v", name="v", url="/", joined="member 3000 years ago",
                                     scraped_at="2026-11-29T00:00:00+00:00"))
    assert v.vendor_id == "v" and v.joined is None


@pytest.mark.parametrize(("text", "value"), [("4.85/5", 4.85), ("4,9", 4.9), ("98%", 4.9), ("9.6/10", 4.8), ("", None)])
def test_rating(text: str, value: float | None) -> None:
    assert parse_rating(text) == value


@pytest.mark.parametrize(("text", "value"), [("1,234 sales", 1234), ("1 382", 1382), ("1.2k", 1200),
                                             ("продаж: 350", 350), ("12 тыс.", 12000), (None, None)])  # fmt: skip
def test_counts(text: str | None, value: int | None) -> None:
    assert parse_count(text) == value


def test_vendor_record(extractor: Extractor, pgp_key: tuple[str, str]) -> None:
    armoured, fp = pgp_key
    v = extractor.vendor(RawVendor(market="abyss", vendor_id="v1", name="GreenRx", url="/vendor/v1", rating="4.66",
                                   sales="1,051", joined="Mar 2025", pgp_key=armoured,
                                   contacts=["Telegram: @greenrx"], crypto_addresses=[XMR]))  # fmt: skip
    assert (v.pgp_fingerprint, v.pgp_key_id, v.rating, v.sales, v.joined) == (fp, fp[-16:], 4.66, 1051, "2025-03-01")
    assert v.contacts == {"telegram": ["@greenrx"], "pgp_uid": ["vendor@tutanota.com"]}
    assert v.crypto_addresses == {"XMR": [XMR]}


def test_linking() -> None:
    a = Vendor("abyss", "a1", "GreenRx", "/v/a1", pgp_fingerprint="AB" * 20)
    b = Vendor("kladmen", "k9", "totally-different", "/s/k9", pgp_fingerprint="AB" * 20)
    c = Vendor("kladmen", "k2", "GreenRX_", "/s/k2")
    d = Vendor("other", "o1", "someone", "/v/o1", contacts={"telegram": ["@greenrx"]})
    e = Vendor("abyss", "a2", "nobody", "/v/a2", contacts={"telegram": ["@greenrx"]})
    links = {(x.a, x.b): (x.reason, x.score) for x in link_vendors([a, b, c, d, e])}
    assert links[("abyss:a1", "kladmen:k9")] == ("pgp_fingerprint", 1.0)
    assert links[("abyss:a2", "other:o1")] == ("contact", 0.8)
    reason, score = links[("abyss:a1", "kladmen:k2")]
    assert reason == "name" and 0.5 <= score <= 0.6
    assert ("kladmen:k2", "kladmen:k9") not in links
