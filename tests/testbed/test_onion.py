"""Fixed onion identities: v3 address checksum rule and tor's HiddenServiceDir files."""

from __future__ import annotations

import base64
import hashlib

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from onionwatch.testbed.onion import expanded_secret_key, is_valid_onion, market_seed, onion_address, write_hs_dir


def test_address_follows_the_v3_checksum_rule() -> None:
    for market in ("abyss", "kladmen"):
        addr = onion_address(market)
        assert addr.endswith(".onion") and len(addr) == 62 and addr == addr.lower()
        raw = base64.b32decode(addr[:-6].upper())
        pubkey, checksum, version = raw[:32], raw[32:34], raw[34:]
        assert version == b"\x03"
        assert checksum == hashlib.sha3_256(b".onion checksum" + pubkey + b"\x03").digest()[:2]
        seed = hashlib.sha256(b"onionwatch-testbed:" + market.encode()).digest()
        expected = Ed25519PrivateKey.from_private_bytes(seed).public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        assert pubkey == expected
    assert onion_address("abyss") != onion_address("kladmen")


def test_is_valid_onion_rejects_a_flipped_character() -> None:
    addr = onion_address("abyss")
    assert is_valid_onion(addr)
    flipped = ("b" if addr[0] != "b" else "c") + addr[1:]
    assert not is_valid_onion(flipped)
    assert not is_valid_onion("short.onion")


def test_hs_dir_files(tmp_path) -> None:
    d = write_hs_dir("kladmen", tmp_path / "hs")
    secret = (d / "hs_ed25519_secret_key").read_bytes()
    public = (d / "hs_ed25519_public_key").read_bytes()
    assert secret[:32] == b"== ed25519v1-secret: type0 ==\x00\x00\x00" and len(secret) == 96
    assert public[:32] == b"== ed25519v1-public: type0 ==\x00\x00\x00" and len(public) == 64
    assert (d / "hostname").read_text().strip() == onion_address("kladmen")
    h = hashlib.sha512(market_seed("kladmen")).digest()
    assert secret[32:] == expanded_secret_key("kladmen") and secret[64:] == h[32:]
    assert secret[32] & 7 == 0 and secret[63] & 0xC0 == 0x40  # clamped scalar
    assert (d.stat().st_mode & 0o777) == 0o700
