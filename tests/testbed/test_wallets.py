"""Wallet addresses are well-formed: known vectors for bech32, base58check and Keccak-256."""

from __future__ import annotations

import hashlib

from onionwatch.testbed.wallets import btc_base58, btc_bech32, keccak256, xmr_address


def test_bech32_known_vector() -> None:  # BIP-173 example
    program = bytes.fromhex("751e76e8199196d454941c45d1b3a323f1433bd6")
    assert btc_bech32(program) == "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"


def test_base58check() -> None:
    assert btc_base58(0, bytes(20)) == "1111111111111111111114oLvT2"
    assert btc_base58(5, b"\x01" * 20).startswith("3")


def test_keccak256_is_not_sha3() -> None:
    assert keccak256(b"").hex() == "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"
    assert keccak256(b"abc").hex() == "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45"
    assert keccak256(b"abc") != hashlib.sha3_256(b"abc").digest()


def test_monero_address_shape_and_checksum() -> None:
    addr = xmr_address(b"\x11" * 32, b"\x22" * 32)
    assert len(addr) == 95 and addr[0] == "4"
    assert xmr_address(b"\x11" * 32, b"\x22" * 32) == addr
    assert xmr_address(b"\x11" * 32, b"\x23" * 32) != addr
