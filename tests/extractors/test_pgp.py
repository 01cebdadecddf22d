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
