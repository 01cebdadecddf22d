"""PGP block parsing on hostile vendor pages: bounded time on crafted armour, real keys still found."""

from __future__ import annotations

import time
import warnings

import pytest

from onionwatch.extractors.pgp import BEGIN, END, parse_public_key

MB = 1_000_000


@pytest.fixture(scope="module")
def armoured() -> tuple[str, str]:
    import pgpy
    from pgpy.constants import HashAlgorithm, KeyFlags, PubKeyAlgorithm

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        key = pgpy.PGPKey.new(PubKeyAlgorithm.RSAEncryptOrSign, 1024)
        key.add_uid(pgpy.PGPUID.new("v", email="v@example.org"), usage={KeyFlags.Sign}, hashes=[HashAlgorithm.SHA256])
    return str(key.pubkey), str(key.fingerprint).replace(" ", "")


@pytest.mark.parametrize(
    "junk",
    [
        BEGIN * (MB // len(BEGIN)),  # every BEGIN without an END: was quadratic (12 s for 256 kB)
        (BEGIN + "\n") * (MB // len(BEGIN)) + END,
        (BEGIN + "\n\nAAAA\n" + END + "\n") * (MB // 80),
        BEGIN + "\n\n" + "QUFB" * (MB // 4) + "\n" + END,
        BEGIN + "<br>" * (MB // 4) + END,
        BEGIN + "\n" + "a: b\n" * (MB // 5) + END,
    ],
    ids=["begins", "begins-one-end", "many-garbage-blocks", "huge-body", "br", "headers"],
)
@pytest.mark.slow  # wall-clock bound (generous: a shared machine)
def test_crafted_armour_bounded(junk: str) -> None:
    t0 = time.perf_counter()
    assert parse_public_key(junk) is None
    assert time.perf_counter() - t0 < 6


def test_real_key_after_junk_blocks(armoured: tuple[str, str]) -> None:
    key_text, fp = armoured
    text = f"{BEGIN}\n\nnot a key\n{END}\nmy real key:\n{key_text}\n{BEGIN} dangling"
    key = parse_public_key(text)
    assert key is not None and key.fingerprint == fp


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Fingerprint: 6684 3E34 3BA4 E977 18E3  25A2 14FE 291A B50C 8439", "66843E343BA4E97718E325A214FE291AB50C8439"),
        ("0x66843e343ba4e97718e325a214fe291ab50c8439", "66843E343BA4E97718E325A214FE291AB50C8439"),
        ("66843E343BA4E97718E325A214FE291AB50C8439", "66843E343BA4E97718E325A214FE291AB50C8439"),
        ("key id 14FE291AB50C8439", None),  # a key id is not a fingerprint
        ("66843E343BA4E97718E325A214FE291AB50C843900", None),  # 42 hex
        ("", None),
        (None, None),
        ("F" * 100_000, None),
    ],
)
def test_fingerprint_shown_as_text(text: str | None, expected: str | None) -> None:
    from onionwatch.extractors.pgp import normalize_fingerprint

    assert normalize_fingerprint(text) == expected


def test_vendor_fingerprint_from_text_when_no_key_block() -> None:
    from onionwatch.crawler.items import RawVendor
    from onionwatch.extractors.vendor import parse_vendor

    v = parse_vendor(RawVendor(market="m", vendor_id="v", name="v", url="/v",
                               pgp_fingerprint="6684 3E34 3BA4 E977 18E3  25A2 14FE 291A B50C 8439"))
    assert v.pgp_fingerprint == "66843E343BA4E97718E325A214FE291AB50C8439" and v.pgp_key_id == "14FE291AB50C8439"
